//! Shared data types of the trainer concern (see `crate::model`).

use crate::model::accounts::Choice;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainerDesk {
    pub courses: Vec<Choice>,
    pub course: Option<CourseInfo>,
    pub units: Vec<Choice>,
    pub unit_id: Option<i64>,
    /// terbuka | terlambat | selesai | semua
    pub status: String,
    pub participants: Vec<Participant>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub reports: Vec<PendingReport>,
    /// Today in the office's zone, ISO (the attendance date's default).
    pub today: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CourseInfo {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub jp: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    pub assignment_id: i64,
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    pub unit: String,
    pub due: String,
    pub status: String,
    pub tone: String,
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingReport {
    pub id: i64,
    pub name: String,
    pub nip: String,
    pub course: String,
    pub completed_on: String,
    pub certificate_no: String,
    pub note: String,
}

pub const PAGE_SIZE: u64 = 50;
