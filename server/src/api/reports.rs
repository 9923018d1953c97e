//! Reports over newcomers (the manager's adaptation dashboard): managers see
//! their unit subtrees, administrators everyone.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::{
    backend::{access::policy::Action, adaptation, state::AppState},
    i18n::Locale,
};

use super::{
    auth::ApiCaller,
    error::{ApiError, ErrorBody},
    Json,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitProgress {
    pub unit_id: i64,
    pub unit: String,
    /// Newcomers (TMT within `newcomer_days`) in the unit.
    pub newcomers: u32,
    /// Required assignments completed or waived.
    pub done: u32,
    /// Required assignments (not cancelled).
    pub total: u32,
    pub overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProgressReport {
    /// How far back "newcomer" reaches, in days since the TMT.
    pub newcomer_days: u32,
    pub items: Vec<UnitProgress>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OverdueNewcomer {
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub unit_id: i64,
    pub unit: String,
    pub position: String,
    /// ISO date.
    pub tmt: String,
    pub days_since_tmt: i64,
    pub done: u32,
    pub total: u32,
    pub overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OverdueReport {
    pub newcomer_days: u32,
    /// Most overdue first.
    pub items: Vec<OverdueNewcomer>,
}

#[utoipa::path(
    get, path = "/reports/progress-by-unit", tag = "reports",
    responses(
        (status = 200, description = "Newcomers' required work by unit", body = ProgressReport),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "Not allowed (managers and administrators)", body = ErrorBody),
    ),
    security(("bearer" = ["reports:read"]))
)]
pub async fn progress_by_unit(
    caller: ApiCaller,
    State(app): State<AppState>,
) -> Result<Json<ProgressReport>, ApiError> {
    caller.authorize("reports:read", &Action::ViewAdaptation)?;
    let days = app.config.newcomer_days;
    let rows = adaptation::progress_by_unit(
        &app.db,
        &caller.principal,
        app.now_local().date_naive(),
        days,
        Locale::id,
    )
    .await?;
    Ok(Json(ProgressReport {
        newcomer_days: days,
        items: rows
            .into_iter()
            .map(|r| UnitProgress {
                unit_id: r.unit_id,
                unit: r.unit,
                newcomers: r.newcomers,
                done: r.done,
                total: r.total,
                overdue: r.overdue,
            })
            .collect(),
    }))
}

#[utoipa::path(
    get, path = "/reports/overdue", tag = "reports",
    responses(
        (status = 200, description = "Newcomers with overdue required work", body = OverdueReport),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "Not allowed (managers and administrators)", body = ErrorBody),
    ),
    security(("bearer" = ["reports:read"]))
)]
pub async fn overdue(
    caller: ApiCaller,
    State(app): State<AppState>,
) -> Result<Json<OverdueReport>, ApiError> {
    caller.authorize("reports:read", &Action::ViewAdaptation)?;
    let days = app.config.newcomer_days;
    let rows = adaptation::overdue(
        &app.db,
        &caller.principal,
        app.now_local().date_naive(),
        days,
        Locale::id,
    )
    .await?;
    Ok(Json(OverdueReport {
        newcomer_days: days,
        items: rows
            .into_iter()
            .map(|n| OverdueNewcomer {
                employee_id: n.row.employee_id,
                nip: n.row.nip,
                name: n.row.name,
                unit_id: n.unit_id,
                unit: n.row.unit,
                position: n.row.position,
                tmt: n.tmt.to_string(),
                days_since_tmt: n.row.days_since_tmt,
                done: n.row.done,
                total: n.row.total,
                overdue: n.row.overdue,
            })
            .collect(),
    }))
}
