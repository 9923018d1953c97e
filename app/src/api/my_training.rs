//! "Penugasan saya": the signed-in person's plans, assignments, history, the
//! yearly JP ledger, self-reported completions and the calendar feed link.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::my_training::MyTraining;

#[server(prefix = "/fn", endpoint = "my_training")]
pub async fn get_my_training() -> Result<MyTraining, AppError> {
    use crate::backend::{
        access::{policy, principal},
        state::AppState,
        training::my_training,
    };
    let p = policy::authorize(principal(), &policy::Action::ViewOwnTraining)?;
    let state = AppState::current()?;
    my_training::load(
        &state.db,
        &p,
        state.now_local().date_naive(),
        state.config.jp_target_per_year,
        crate::lang::request_locale(),
    )
    .await
}

/// Reports one's own assignment as completed; it waits for a trainer.
#[server(prefix = "/fn", endpoint = "self_report")]
pub async fn self_report(
    assignment_id: i64,
    completed_on: String,
    certificate_no: String,
    note: String,
) -> Result<(), AppError> {
    use crate::backend::{access::principal, state::AppState, training::my_training};
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let state = AppState::current()?;
    my_training::report(
        &state.db,
        &p,
        assignment_id,
        &completed_on,
        &certificate_no,
        &note,
        state.now_local().date_naive(),
    )
    .await
}

/// Makes a new secret calendar link (the old one stops working) and returns
/// it, or with `revoke` removes it. The link is shown only now.
#[server(prefix = "/fn", endpoint = "calendar_link")]
pub async fn calendar_link(revoke: Option<String>) -> Result<Option<String>, AppError> {
    use crate::backend::{
        access::{policy, principal},
        state::AppState,
        training::calendar,
    };
    let p = policy::authorize(principal(), &policy::Action::ManageOwnAccount)?;
    let state = AppState::current()?;
    if revoke.is_some_and(|v| !v.is_empty()) {
        calendar::revoke(&state.db, &p).await?;
        Ok(None)
    } else {
        let token = calendar::renew(&state.db, &p).await?;
        Ok(Some(format!(
            "{}/kalender/{token}.ics",
            state.config.public_url.trim_end_matches('/')
        )))
    }
}
