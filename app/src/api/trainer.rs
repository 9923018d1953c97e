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
    use crate::backend::{access::policy::Action, training::trainer};
    let c = super::Caller::allowed(&Action::UseTrainerDesk)?;
    let filter = trainer::Filter {
        course_id,
        unit_id,
        status: status.unwrap_or_else(|| "terbuka".into()),
        page: page.unwrap_or(1).max(1),
    };
    trainer::load(c.db(), &c.p, filter, c.today(), c.locale()).await
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
    use crate::backend::training::trainer;
    let c = super::Caller::signed_in()?;
    let sheet = trainer::AttendanceForm {
        completed_on,
        jp,
        score,
        ids: ids.unwrap_or_default(),
    };
    trainer::record_attendance(c.db(), &c.p, course_id, sheet, c.today()).await
}

/// Verify (it becomes training history) or reject (with a reason the employee sees).
#[server(prefix = "/fn", endpoint = "review_self_report")]
pub async fn review_self_report(
    report_id: i64,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    use crate::backend::training::trainer;
    let c = super::Caller::signed_in()?;
    trainer::review(c.db(), &c.p, report_id, &decision, &reason, c.today()).await
}
