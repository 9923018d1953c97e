//! A person's page: who they are and their training plan, as much of it as
//! the viewer may see (the policy decides).

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::person::PersonPage;

#[server(prefix = "/fn", endpoint = "person")]
pub async fn get_person(employee_id: i64) -> Result<PersonPage, AppError> {
    use crate::backend::{access::policy, people::person};
    let c = super::Caller::signed_in()?;
    let facts = person::facts(c.db(), employee_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = policy::person_view(&c.p, &facts).ok_or(AppError::NotFound)?;
    // The page lists the latest transfer's check-ins: whoever may write
    // those (their transfer's destination decides, not the current unit).
    let can_write = crate::backend::adaptation::latest_checkin_facts(c.db(), employee_id)
        .await?
        .is_some_and(|f| policy::allows(&c.p, &policy::Action::WriteCheckin(&f)));
    let l = c.locale();
    person::page(c.db(), employee_id, &view, can_write, c.today(), l).await
}

/// The 30/60/90-day check-in: a rating in the SKP words and notes, written
/// once by a manager of its transfer's destination (or an administrator);
/// a written one answers 409 (corrections: `correct_checkin`).
#[server(prefix = "/fn", endpoint = "write_checkin")]
pub async fn write_checkin(checkin_id: i64, rating: String, notes: String) -> Result<(), AppError> {
    use crate::backend::{access::policy, adaptation};
    let c = super::Caller::signed_in()?;
    let facts = adaptation::checkin_facts(c.db(), checkin_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let p = policy::authorize(Some(c.p.clone()), &policy::Action::WriteCheckin(&facts))?;
    adaptation::write_checkin(c.db(), &p.actor(), checkin_id, rating.trim(), &notes).await?;
    Ok(())
}
