//! A person's page: who they are and their training plan, as much of it as
//! the viewer may see (the policy decides).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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
        auth::{policy, principal},
        services::people,
        state::AppState,
    };
    let state = AppState::current()?;
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let facts = people::facts(&state.db, employee_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = policy::person_view(&p, &facts).ok_or(AppError::NotFound)?;
    people::page(
        &state.db,
        employee_id,
        &view,
        state.now_local().date_naive(),
    )
    .await
}
