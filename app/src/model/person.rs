//! Shared data types of the person concern (see `crate::model`).

use serde::{Deserialize, Serialize};

stored_words! {
    /// A check-in rating (stored as its key, "baik") in words; None for a key
    /// Jejak does not know.
    pub fn rating_label => common.ratings [
        sangat_baik,
        baik,
        butuh_perbaikan,
        kurang,
        sangat_kurang,
    ]
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonPage {
    pub employee_id: i64,
    pub name: String,
    /// Grouped for reading: "19860926 201505 1 001".
    pub nip: String,
    pub unit: String,
    pub position: Option<String>,
    /// True when the viewer is a trainer who sees only their own courses.
    pub limited_to_own_courses: bool,
    pub assignments: Vec<AssignmentLine>,
    /// Adaptation check-ins of the latest transfer (hidden from trainers).
    pub checkins: Vec<CheckinLine>,
    /// The viewer may write the open check-ins (their manager, an administrator).
    pub can_write_checkins: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckinLine {
    pub id: i64,
    pub day_offset: i32,
    pub due: String,
    /// "Baik", or None while not written.
    pub rating: Option<String>,
    pub notes: String,
    pub written_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentLine {
    pub id: i64,
    pub course_code: String,
    pub course_title: String,
    pub jp: f64,
    /// "28 November 2026".
    pub due: String,
    /// "Terlambat 5 hari", "Belum dimulai · 3 hari lagi" …
    pub status: String,
    /// For styling: overdue, open, done, closed.
    pub tone: String,
}
