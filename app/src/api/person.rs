//! A person's page: who they are and their training plan, as much of it as
//! the viewer may see (the policy decides).

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::person::PersonPage;

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
