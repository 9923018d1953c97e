//! Transfers (administrators, as on `/admin/mutasi`): the list, one with
//! its plan (previewed until completed), recording a draft, approving, and
//! completing (which generates the plan; doing it again changes nothing).

use axum::{extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::{
    backend::{
        access::policy::Action,
        state::AppState,
        {
            transfers::list,
            transfers::{self, NewTransfer},
        },
    },
    domain::plan::TransferType,
    error::AppError,
    i18n::Locale,
    model::transfers::{CompletedTransfer, PlanPreview, TransferRow, STATES},
};

use super::{
    auth::ApiCaller,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    Json,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Transfer {
    pub id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub from_unit: String,
    pub from_position: String,
    pub to_unit_id: i64,
    pub to_unit: String,
    pub to_position_id: i64,
    pub to_position: String,
    pub sk_number: String,
    /// ISO date.
    pub sk_date: String,
    /// The effective date (TMT), ISO.
    pub tmt: String,
    /// within_agency | between_agencies | central_regional
    pub transfer_type: String,
    /// draft | approved | completed | cancelled
    pub state: String,
    pub notes: String,
    pub cancel_reason: Option<String>,
}

impl From<TransferRow> for Transfer {
    fn from(r: TransferRow) -> Self {
        Transfer {
            id: r.id,
            employee_id: r.employee_id,
            nip: r.nip,
            name: r.name,
            from_unit: r.from_unit,
            from_position: r.from_position,
            to_unit_id: r.to_unit_id,
            to_unit: r.to_unit,
            to_position_id: r.to_position_id,
            to_position: r.to_position,
            sk_number: r.sk_number,
            sk_date: r.sk_date_iso,
            tmt: r.tmt_iso,
            transfer_type: r.transfer_type_stored,
            state: r.state,
            notes: r.notes,
            cancel_reason: r.cancel_reason,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TransferPage {
    pub items: Vec<Transfer>,
    /// Pass as `after` for the next (older) page; null on the last page.
    pub next: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanItem {
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    /// ISO date.
    pub due: String,
    pub required: bool,
    /// Recognised from earlier training: nothing new to do.
    pub recognised: bool,
    /// The names of the rules that asked for the course.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TransferDetail {
    pub transfer: Transfer,
    /// True: `plan` is the stored plan; false: what completing it today would create.
    pub plan_stored: bool,
    /// Approved: it may be completed now.
    pub can_complete: bool,
    pub plan: Vec<PlanItem>,
}

impl From<PlanPreview> for TransferDetail {
    fn from(p: PlanPreview) -> Self {
        TransferDetail {
            transfer: p.transfer.into(),
            plan_stored: p.stored,
            can_complete: p.can_complete,
            plan: p
                .items
                .into_iter()
                .map(|i| PlanItem {
                    course_id: i.course_id,
                    course_code: i.code,
                    course_title: i.title,
                    due: i.due_iso,
                    required: i.required,
                    recognised: i.recognised,
                    reasons: i.reasons,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransferQuery {
    /// draft | approved | completed | cancelled
    pub state: Option<String>,
    /// Employee name, NIP (leading digits) or SK number.
    pub q: Option<String>,
    /// Target unit id: that unit and everything below it.
    pub unit: Option<i64>,
    /// 50 a page, newest first: the transfers older than this id (the
    /// previous page's `next`).
    pub after: Option<i64>,
}

/// A draft transfer of the employee with `nip` from their current unit and position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewTransferBody {
    pub nip: String,
    pub to_unit_id: i64,
    pub to_position_id: i64,
    pub sk_number: String,
    #[schema(value_type = String, format = Date)]
    pub sk_date: chrono::NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub tmt: chrono::NaiveDate,
    /// within_agency | between_agencies | central_regional
    pub transfer_type: String,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Completed {
    pub transfer_id: i64,
    pub plan_id: i64,
    /// Plan items (assignments), recognised ones included.
    pub assignments: usize,
    pub recognised: usize,
    /// False when it had been completed already (nothing was written).
    pub newly_completed: bool,
}

async fn detail(app: &AppState, id: i64) -> Result<TransferDetail, ApiError> {
    Ok(
        list::preview(&app.db, id, app.now_local().date_naive(), Locale::id)
            .await?
            .into(),
    )
}

#[utoipa::path(
    get, path = "/transfers", tag = "transfers",
    params(TransferQuery),
    responses(
        (status = 200, description = "Transfers, newest first", body = TransferPage),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "Not allowed (administrators only)", body = ErrorBody),
        (status = 422, description = "Unknown state (field `state`)", body = ErrorBody),
    ),
    security(("bearer" = ["transfers:read"]))
)]
pub async fn list(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<TransferQuery>,
) -> Result<Json<TransferPage>, ApiError> {
    caller.authorize("transfers:read", &Action::ManageTransfers)?;
    let state = match q.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) if STATES.contains(&s) => Some(s.to_string()),
        Some(s) => {
            return Err(AppError::invalid(
                "state",
                format!(
                    "Status mutasi tidak dikenal: {s:?}; yang boleh: {}",
                    STATES.join(", ")
                ),
                format!(
                    "Unknown transfer state: {s:?}; allowed: {}",
                    STATES.join(", ")
                ),
            )
            .into())
        }
    };
    let page = list::list(
        &app.db,
        list::ListFilter {
            q: q.q.unwrap_or_default(),
            state,
            unit: q
                .unit
                .map_or(list::UnitScope::All, list::UnitScope::Subtree),
            cursor: q.after.map(list::Cursor::Older),
        },
        app.now_local().date_naive(),
        Locale::id,
    )
    .await?;
    Ok(Json(TransferPage {
        next: page.older_than,
        items: page.rows.into_iter().map(Transfer::from).collect(),
    }))
}

#[utoipa::path(
    get, path = "/transfers/{id}", tag = "transfers",
    params(("id" = i64, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "The transfer and its plan", body = TransferDetail),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such transfer, or not allowed", body = ErrorBody),
    ),
    security(("bearer" = ["transfers:read"]))
)]
pub async fn get(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TransferDetail>, ApiError> {
    caller.authorize("transfers:read", &Action::ManageTransfers)?;
    Ok(Json(detail(&app, id).await?))
}

#[utoipa::path(
    post, path = "/transfers", tag = "transfers",
    request_body = NewTransferBody,
    responses(
        (status = 201, description = "The draft, recorded", body = TransferDetail),
        (status = 400, description = "Not JSON, or a field of the wrong type", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "Not allowed (administrators only)", body = ErrorBody),
        (status = 409, description = "The employee already has an open transfer", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (`field` names it)", body = ErrorBody),
    ),
    security(("bearer" = ["transfers:write"]))
)]
pub async fn create(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiJson(body): ApiJson<NewTransferBody>,
) -> Result<(StatusCode, Json<TransferDetail>), ApiError> {
    caller.authorize("transfers:write", &Action::ManageTransfers)?;
    let today = app.now_local().date_naive();
    let emp = list::employee_by_nip(&app.db, &body.nip, today).await?;
    let transfer_type = TransferType::parse(body.transfer_type.trim()).ok_or_else(|| {
        AppError::invalid(
            "transfer_type",
            format!("Jenis mutasi tidak dikenal: {:?}", body.transfer_type),
            format!("Unknown transfer type: {:?}", body.transfer_type),
        )
    })?;
    let notes = body.notes.unwrap_or_default();
    // The same limit as the administrator's form.
    transfers::check_notes(&notes)?;
    let saved = transfers::create_draft(
        &app.db,
        &caller.actor(),
        NewTransfer {
            employee_id: emp.id,
            to_unit_id: body.to_unit_id,
            to_position_id: body.to_position_id,
            sk_number: body.sk_number,
            sk_date: body.sk_date,
            tmt: body.tmt,
            transfer_type,
            notes,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(detail(&app, saved.id).await?)))
}

#[utoipa::path(
    post, path = "/transfers/{id}/approve", tag = "transfers",
    params(("id" = i64, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "Approved", body = TransferDetail),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such transfer, or not allowed", body = ErrorBody),
        (status = 409, description = "Not a draft", body = ErrorBody),
    ),
    security(("bearer" = ["transfers:write"]))
)]
pub async fn approve(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TransferDetail>, ApiError> {
    caller.authorize("transfers:write", &Action::ManageTransfers)?;
    transfers::approve(&app.db, &caller.actor(), id).await?;
    Ok(Json(detail(&app, id).await?))
}

#[utoipa::path(
    post, path = "/transfers/{id}/complete", tag = "transfers",
    params(("id" = i64, Path, description = "The transfer's id")),
    responses(
        (status = 200, description = "Completed (now or earlier: idempotent)", body = Completed),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such transfer, or not allowed", body = ErrorBody),
        (status = 409, description = "Not approved (a draft, or cancelled)", body = ErrorBody),
    ),
    security(("bearer" = ["transfers:write"]))
)]
pub async fn complete(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Completed>, ApiError> {
    caller.authorize("transfers:write", &Action::ManageTransfers)?;
    let done = CompletedTransfer::from(
        &transfers::complete(
            &app.db,
            &caller.actor(),
            id,
            app.now_local().date_naive(),
            &app.config.checkin_days,
        )
        .await?,
    );
    Ok(Json(Completed {
        transfer_id: done.transfer_id,
        plan_id: done.plan_id,
        assignments: done.items,
        recognised: done.recognised,
        newly_completed: done.newly_completed,
    }))
}
