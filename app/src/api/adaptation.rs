//! The manager's adaptation dashboard: newcomers in one's units, their
//! progress, overdue work, days since the TMT and the next check-in; charts;
//! the same figures as CSV (`/manajer/laporan.csv`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// How far back "newcomer" reaches (days since the TMT).
    pub days: u32,
    pub q: String,
    /// nama | tmt | kemajuan | terlambat
    pub sort: String,
    pub rows: Vec<NewcomerRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub by_unit: Vec<UnitBar>,
    pub overdue_by_week: Vec<WeekPoint>,
    pub time_to_complete: Vec<Bucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewcomerRow {
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    pub unit: String,
    pub position: String,
    pub tmt: String,
    pub days_since_tmt: i64,
    pub done: u32,
    pub total: u32,
    pub overdue: u32,
    /// "28 Desember 2026 (hari ke-60)", or empty when all are written.
    pub next_checkin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitBar {
    pub unit: String,
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekPoint {
    /// "23 Nov"
    pub label: String,
    pub overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub label: String,
    pub plans: u32,
}

pub const PAGE_SIZE: u64 = 50;

#[server(prefix = "/fn", endpoint = "dashboard")]
pub async fn get_dashboard(
    q: Option<String>,
    sort: Option<String>,
    page: Option<u64>,
) -> Result<Dashboard, AppError> {
    use crate::backend::{
        access::{policy, principal},
        adaptation,
        state::AppState,
    };
    let p = policy::authorize(principal(), &policy::Action::ViewAdaptation)?;
    let state = AppState::current()?;
    adaptation::dashboard(
        &state.db,
        &p,
        adaptation::Query {
            q: q.unwrap_or_default(),
            sort: sort.unwrap_or_default(),
            page: page.unwrap_or(1).max(1),
        },
        state.now_local().date_naive(),
        state.config.newcomer_days,
        crate::lang::request_locale(),
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
    use crate::backend::{
        access::{policy, principal},
        adaptation,
        state::AppState,
    };
    let p = policy::authorize(principal(), &policy::Action::CorrectCheckin)?;
    let state = AppState::current()?;
    adaptation::correct_checkin(
        &state.db,
        &p.actor(),
        checkin_id,
        rating.trim(),
        notes.as_deref().unwrap_or(""),
        reason.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(())
}
