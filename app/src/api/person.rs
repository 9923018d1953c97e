//! A person's page: who they are and their training plan, as much of it as
//! the viewer may see (the policy decides).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{td_string, Locale};

/// A check-in rating (stored as its key, "baik") in words; None for a key
/// Jejak does not know.
pub fn rating_label(key: &str, l: Locale) -> Option<&'static str> {
    Some(match key {
        "sangat_baik" => td_string!(l, common.ratings.sangat_baik),
        "baik" => td_string!(l, common.ratings.baik),
        "butuh_perbaikan" => td_string!(l, common.ratings.butuh_perbaikan),
        "kurang" => td_string!(l, common.ratings.kurang),
        "sangat_kurang" => td_string!(l, common.ratings.sangat_kurang),
        _ => return None,
    })
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

#[server(prefix = "/fn", endpoint = "person")]
pub async fn get_person(employee_id: i64) -> Result<PersonPage, AppError> {
    use crate::backend::{
        access::{policy, principal},
        people::person,
        state::AppState,
    };
    let state = AppState::current()?;
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let facts = person::facts(&state.db, employee_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = policy::person_view(&p, &facts).ok_or(AppError::NotFound)?;
    // The page lists the latest transfer's check-ins: whoever may write
    // those (their transfer's destination decides, not the current unit).
    let can_write = crate::backend::adaptation::latest_checkin_facts(&state.db, employee_id)
        .await?
        .is_some_and(|c| policy::allows(&p, &policy::Action::WriteCheckin(&c)));
    person::page(
        &state.db,
        employee_id,
        &view,
        can_write,
        state.now_local().date_naive(),
        crate::lang::request_locale(),
    )
    .await
}

/// The 30/60/90-day check-in: a rating in the SKP words and notes, written
/// once by a manager of its transfer's destination (or an administrator);
/// a written one answers 409 (corrections: `correct_checkin`).
#[server(prefix = "/fn", endpoint = "write_checkin")]
pub async fn write_checkin(checkin_id: i64, rating: String, notes: String) -> Result<(), AppError> {
    use crate::backend::{
        access::{policy, principal},
        adaptation,
        state::AppState,
    };
    let state = AppState::current()?;
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let facts = adaptation::checkin_facts(&state.db, checkin_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = policy::authorize(Some(p), &policy::Action::WriteCheckin(&facts))?;
    adaptation::write_checkin(&state.db, &p.actor(), checkin_id, rating.trim(), &notes).await?;
    Ok(())
}
