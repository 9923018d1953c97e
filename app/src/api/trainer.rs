//! The trainer's desk: the courses they teach, everyone who must take them
//! (filtered by unit and status, paged), the attendance sheet that completes
//! many assignments at once, and self-reports to verify or reject.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::trainer::TrainerDesk;

#[server(prefix = "/fn", endpoint = "trainer_desk")]
pub async fn get_trainer_desk(
    course_id: Option<i64>,
    unit_id: Option<i64>,
    status: Option<String>,
    page: Option<u64>,
) -> Result<TrainerDesk, AppError> {
    use crate::backend::{
        access::{policy, principal},
        state::AppState,
        training::trainer,
    };
    let p = policy::authorize(principal(), &policy::Action::UseTrainerDesk)?;
    let state = AppState::current()?;
    trainer::load(
        &state.db,
        &p,
        trainer::Filter {
            course_id,
            unit_id,
            status: status.unwrap_or_else(|| "terbuka".into()),
            page: page.unwrap_or(1).max(1),
        },
        state.now_local().date_naive(),
        crate::lang::request_locale(),
    )
    .await
}

/// The attendance sheet: every ticked assignment of the course completed in
/// one transaction (all or nothing), one audit line each.
#[server(prefix = "/fn", endpoint = "record_attendance")]
pub async fn record_attendance(
    course_id: i64,
    completed_on: String,
    jp: String,
    score: String,
    ids: Option<Vec<i64>>,
) -> Result<usize, AppError> {
    use crate::backend::{access::principal, state::AppState, training::trainer};
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let state = AppState::current()?;
    trainer::record_attendance(
        &state.db,
        &p,
        course_id,
        trainer::AttendanceForm {
            completed_on,
            jp,
            score,
            ids: ids.unwrap_or_default(),
        },
        state.now_local().date_naive(),
    )
    .await
}

/// Verify (it becomes training history) or reject (with a reason the employee sees).
#[server(prefix = "/fn", endpoint = "review_self_report")]
pub async fn review_self_report(
    report_id: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::backend::{access::principal, state::AppState, training::trainer};
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let state = AppState::current()?;
    trainer::review(
        &state.db,
        &p,
        report_id,
        &decision,
        &reason,
        state.now_local().date_naive(),
    )
    .await
}
