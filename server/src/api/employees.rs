//! Employees: the list (administrators; search, unit subtree, paging by
//! key) and one person by NIP (whoever may see that person's page).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::{
    backend::{
        access::policy::{self, Action},
        state::AppState,
        {people::organisation, people::person},
    },
    domain::nip::{AsnKind, Nip},
    error::AppError,
    model::organisation::EmployeeRow,
};

use super::{
    auth::ApiCaller,
    error::{ApiError, ApiPath, ApiQuery, ErrorBody},
    limit, Json,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Employee {
    pub id: i64,
    /// 18 digits, without spaces.
    pub nip: String,
    pub name: String,
    /// pns | pppk
    pub asn_kind: String,
    /// "III/a", if known.
    pub golongan: Option<String>,
    pub unit_id: i64,
    pub unit: String,
    pub position_id: Option<i64>,
    pub position: Option<String>,
    pub supervisor_nip: Option<String>,
}

impl From<EmployeeRow> for Employee {
    fn from(r: EmployeeRow) -> Self {
        Employee {
            id: r.id,
            nip: r.nip,
            name: r.name,
            asn_kind: r.asn_kind,
            golongan: r.golongan,
            unit_id: r.unit_id,
            unit: r.unit,
            position_id: r.position_id,
            position: r.position,
            supervisor_nip: r.supervisor_nip,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct EmployeePage {
    pub items: Vec<Employee>,
    /// Pass as `after` for the next page; null on the last page.
    pub next: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeQuery {
    /// Name contains, or NIP starts with (spaces ignored).
    pub q: Option<String>,
    /// A unit id: that unit and every unit below it.
    pub unit: Option<i64>,
    /// The `next` of the previous page.
    pub after: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<u64>,
}

#[utoipa::path(
    get, path = "/employees", tag = "employees",
    params(EmployeeQuery),
    responses(
        (status = 200, description = "Employees by id", body = EmployeePage),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "Not allowed (administrators only)", body = ErrorBody),
        (status = 422, description = "Invalid limit", body = ErrorBody),
    ),
    security(("bearer" = ["employees:read"]))
)]
pub async fn list(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<EmployeeQuery>,
) -> Result<Json<EmployeePage>, ApiError> {
    caller.authorize("employees:read", &Action::ManageOrganisation)?;
    let limit = limit(q.limit)?;
    let mut rows = organisation::employees_after(
        &app.db,
        q.q.as_deref().unwrap_or(""),
        q.unit,
        q.after,
        limit + 1,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok(Json(EmployeePage {
        next: more.then(|| rows.last().map(|r| r.id)).flatten(),
        items: rows.into_iter().map(Employee::from).collect(),
    }))
}

#[utoipa::path(
    get, path = "/employees/{nip}", tag = "employees",
    params(("nip" = String, Path, description = "18 digits (spaces allowed)")),
    responses(
        (status = 200, description = "The employee", body = Employee),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such employee, or not visible to the token's owner", body = ErrorBody),
        (status = 422, description = "Not a valid NIP (field `nip`)", body = ErrorBody),
    ),
    security(("bearer" = ["employees:read"]))
)]
pub async fn get(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(nip): ApiPath<String>,
) -> Result<Json<Employee>, ApiError> {
    caller.require("employees:read")?;
    let e = employee_by_nip(&app, &nip).await?;
    let facts = person::facts(&app.db, e.id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::authorize(Some(caller.principal.clone()), &Action::ViewPerson(&facts))?;
    Ok(Json(e.into()))
}

/// The employee with this NIP: 422 (field `nip`) for a malformed one, 404 for none.
pub async fn employee_by_nip(app: &AppState, raw: &str) -> Result<EmployeeRow, ApiError> {
    let today = app.now_local().date_naive();
    // The PPPK check (18 digits, a birth date) holds for every NIP.
    let nip = Nip::parse(raw, AsnKind::Pppk, today).map_err(|e| e.into_app_error("nip"))?;
    let rows = organisation::employees_after(&app.db, nip.as_str(), None, None, 2).await?;
    Ok(rows
        .into_iter()
        .find(|r| r.nip == nip.as_str())
        .ok_or(AppError::NotFound)?)
}
