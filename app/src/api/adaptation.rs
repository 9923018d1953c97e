//! The manager's adaptation dashboard: newcomers in one's units, their
//! progress, overdue work, days since the TMT and the next check-in; charts;
//! the same figures as CSV (`/manajer/laporan.csv`).

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::adaptation::Dashboard;

#[server(prefix = "/fn", endpoint = "dashboard")]
pub async fn get_dashboard(
    q: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
) -> Result<Dashboard, AppError> {
    use crate::backend::{access::policy::Action, adaptation};
    let c = super::Caller::allowed(&Action::ViewAdaptation)?;
    let query = adaptation::Query {
        q: q.unwrap_or_default(),
        sort: sort.unwrap_or_default(),
        page: page.unwrap_or(1).max(1),
    };
    adaptation::dashboard(
        c.db(),
        &c.p,
        query,
        c.today(),
        c.app.config.newcomer_days,
        c.locale(),
    )
    .await
}

/// An administrator corrects a written check-in: the new rating and notes,
/// and why (required, at most 500 characters). Audited as
/// `checkin.correct` with the old and the new text; managers and employees
/// get "not found", as for anything they may not do.
#[server(prefix = "/fn", endpoint = "correct_checkin")]
pub async fn correct_checkin(
    checkin_id: i64,
    rating: String,
    notes: Option<String>,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{access::policy::Action, adaptation};
    let c = super::Caller::allowed(&Action::CorrectCheckin)?;
    adaptation::correct_checkin(
        c.db(),
        &c.p.actor(),
        checkin_id,
        rating.trim(),
        notes.as_deref().unwrap_or(""),
        reason.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(())
}
