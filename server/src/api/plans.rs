//! Plans and assignments, as the person's page shows them: oneself, their
//! manager, an administrator see everything; a trainer only the
//! assignments of the courses they teach. Logging a completion is the
//! trainer's desk's (the course's trainers and administrators), with the
//! same checks.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use app::{
    backend::{
        access::policy::{self, Action, PersonView},
        state::AppState,
        {
            people::person,
            training::assignments::{self, CompletionInput, ListFilter, ShownAssignment},
            transfers,
        },
    },
    domain::progress::AssignmentState,
    error::AppError,
};

use super::{
    auth::ApiCaller,
    employees::employee_by_nip,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    limit, Json,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Assignment {
    pub id: i64,
    pub plan_id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    /// ISO date.
    pub due_date: String,
    pub required: bool,
    /// assigned | in_progress | completed | waived | cancelled
    pub state: String,
    /// Open and past its due date (derived, as of today in the office's zone).
    pub overdue: bool,
    /// The completion record (training history), once completed or recognised.
    pub completion_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Plan {
    pub id: i64,
    /// transfer | renewal
    pub kind: String,
    pub transfer_id: Option<i64>,
    pub employee_id: i64,
    /// open | cancelled
    pub state: String,
    /// RFC 3339.
    pub created_at: String,
    pub assignments: Vec<Assignment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PlanList {
    pub items: Vec<Plan>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AssignmentPage {
    pub items: Vec<Assignment>,
    /// Pass as `after` for the next page; null on the last page.
    pub next: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanQuery {
    /// The employee's NIP (required).
    pub employee: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssignmentQuery {
    /// The employee's NIP. Without it: trainers (their courses) and administrators only.
    pub employee: Option<String>,
    /// assigned | in_progress | completed | waived | cancelled
    pub state: Option<String>,
    /// true: only open work past its due date; false: none of it.
    pub overdue: Option<bool>,
    /// The `next` of the previous page.
    pub after: Option<i64>,
    /// 1–200, default 50.
    pub limit: Option<u64>,
}

/// A completion, as on the trainer's desk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletionBody {
    /// ISO date, not in the future.
    #[schema(value_type = String, format = Date)]
    pub completed_on: chrono::NaiveDate,
    #[serde(default)]
    pub certificate_no: Option<String>,
    /// 0–100.
    #[serde(default)]
    pub score: Option<f64>,
    /// Defaults to the course's JP.
    #[serde(default)]
    pub jp: Option<f64>,
    #[serde(default)]
    pub organiser: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompletionResult {
    pub assignment: Assignment,
    /// The new completion record (training history).
    pub completion_id: i64,
    pub jp: f64,
    pub score: Option<f64>,
    pub certificate_no: String,
}

impl From<ShownAssignment> for Assignment {
    fn from(a: ShownAssignment) -> Self {
        Assignment {
            id: a.id,
            plan_id: a.plan_id,
            employee_id: a.employee_id,
            course_id: a.course_id,
            course_code: a.course_code,
            course_title: a.course_title,
            due_date: a.due_date.to_string(),
            required: a.required,
            state: a.state,
            overdue: a.overdue,
            completion_id: a.completion_id,
        }
    }
}

/// The assignments as the API shows them.
fn shown(rows: Vec<ShownAssignment>) -> Vec<Assignment> {
    rows.into_iter().map(Assignment::from).collect()
}

/// How the caller may see this person (404 when not at all).
async fn view_of(
    app: &AppState,
    caller: &ApiCaller,
    employee_id: i64,
) -> Result<PersonView, ApiError> {
    let facts = person::facts(&app.db, employee_id)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::authorize(Some(caller.principal.clone()), &Action::ViewPerson(&facts))?;
    Ok(policy::person_view(&caller.principal, &facts).ok_or(AppError::NotFound)?)
}

async fn plans_of(
    app: &AppState,
    employee_id: i64,
    only: Option<i64>,
    view: &PersonView,
) -> Result<Vec<Plan>, ApiError> {
    let today = app.now_local().date_naive();
    let mut out = Vec::new();
    for p in person::plans(&app.db, employee_id, only, view).await? {
        out.push(Plan {
            id: p.plan.id,
            kind: p.plan.kind,
            transfer_id: p.plan.transfer_id,
            employee_id: p.plan.employee_id,
            state: p.plan.state,
            created_at: p.plan.created_at.to_rfc3339(),
            assignments: shown(assignments::shown(&app.db, p.assignments, today).await?),
        });
    }
    Ok(out)
}

#[utoipa::path(
    get, path = "/plans", tag = "plans",
    params(PlanQuery),
    responses(
        (status = 200, description = "The employee's plans with their assignments", body = PlanList),
        (status = 400, description = "Malformed query (`employee` missing)", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such employee, or not visible", body = ErrorBody),
        (status = 422, description = "Not a valid NIP (field `nip`)", body = ErrorBody),
    ),
    security(("bearer" = ["plans:read"]))
)]
pub async fn list(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> Result<Json<PlanList>, ApiError> {
    caller.require("plans:read")?;
    let e = employee_by_nip(&app, &q.employee).await?;
    let view = view_of(&app, &caller, e.id).await?;
    Ok(Json(PlanList {
        items: plans_of(&app, e.id, None, &view).await?,
    }))
}

#[utoipa::path(
    get, path = "/plans/{id}", tag = "plans",
    params(("id" = i64, Path, description = "The plan's id")),
    responses(
        (status = 200, description = "The plan with its assignments", body = Plan),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such plan, or not visible", body = ErrorBody),
    ),
    security(("bearer" = ["plans:read"]))
)]
pub async fn get(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Plan>, ApiError> {
    caller.require("plans:read")?;
    let employee_id = transfers::plan_employee(&app.db, id).await?;
    let view = view_of(&app, &caller, employee_id).await?;
    let plan = plans_of(&app, employee_id, Some(id), &view)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(Json(plan))
}

#[utoipa::path(
    get, path = "/assignments", tag = "plans",
    params(AssignmentQuery),
    responses(
        (status = 200, description = "Assignments by id", body = AssignmentPage),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such employee, or not visible", body = ErrorBody),
        (status = 422, description = "Invalid NIP, state or limit (`field` names it)", body = ErrorBody),
    ),
    security(("bearer" = ["plans:read"]))
)]
pub async fn assignments(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiQuery(q): ApiQuery<AssignmentQuery>,
) -> Result<Json<AssignmentPage>, ApiError> {
    caller.require("plans:read")?;
    let limit = limit(q.limit)?;
    let state = match q.state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(AssignmentState::parse(s).ok_or_else(|| {
            AppError::invalid(
                "state",
                format!("Status penugasan tidak dikenal: {s:?}"),
                format!("Unknown assignment state: {s:?}"),
            )
        })?),
    };
    let (employee_id, view) = match q.employee.as_deref() {
        Some(nip) => {
            let e = employee_by_nip(&app, nip).await?;
            (Some(e.id), view_of(&app, &caller, e.id).await?)
        }
        // Across people: the trainer's desk's reach (their courses; all for administrators).
        None => {
            policy::authorize(Some(caller.principal.clone()), &Action::UseTrainerDesk)?;
            let view = if caller.principal.admin {
                PersonView::Full
            } else {
                PersonView::Courses(caller.principal.taught_courses.clone())
            };
            (None, view)
        }
    };
    let today = app.now_local().date_naive();
    let mut rows = assignments::list(
        &app.db,
        &ListFilter {
            employee_id,
            courses: match view {
                PersonView::Full => None,
                PersonView::Courses(ids) => Some(ids),
            },
            state,
            overdue: q.overdue,
            after: q.after,
            limit: limit + 1,
        },
        today,
    )
    .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next = more.then(|| rows.last().map(|a| a.id)).flatten();
    Ok(Json(AssignmentPage {
        items: shown(assignments::shown(&app.db, rows, today).await?),
        next,
    }))
}

#[utoipa::path(
    post, path = "/assignments/{id}/complete", tag = "plans",
    params(("id" = i64, Path, description = "The assignment's id")),
    request_body = CompletionBody,
    responses(
        (status = 200, description = "Completed: a completion record was written", body = CompletionResult),
        (status = 400, description = "Not JSON, or a field of the wrong type", body = ErrorBody),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "Scope missing", body = ErrorBody),
        (status = 404, description = "No such assignment, or not the owner's course", body = ErrorBody),
        (status = 409, description = "Not open (completed, waived or cancelled)", body = ErrorBody),
        (status = 413, description = "Body over 1 MiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A field breaks a rule (`field` names it)", body = ErrorBody),
    ),
    security(("bearer" = ["assignments:write"]))
)]
pub async fn complete(
    caller: ApiCaller,
    State(app): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CompletionBody>,
) -> Result<Json<CompletionResult>, ApiError> {
    caller.require("assignments:write")?;
    let course_id = assignments::course_of(&app.db, id).await?;
    policy::authorize(
        Some(caller.principal.clone()),
        &Action::TeachCourse { course_id },
    )?;
    let (after, record) = assignments::log_completion(
        &app.db,
        &caller.actor(),
        id,
        CompletionInput {
            completed_on: body.completed_on,
            jp: body.jp,
            score: body.score,
            certificate_no: body.certificate_no.unwrap_or_default(),
            organiser: body.organiser.unwrap_or_default(),
            evidence_note: body.note.unwrap_or_default(),
        },
        app.now_local().date_naive(),
    )
    .await?;
    let today = app.now_local().date_naive();
    let assignment = shown(assignments::shown(&app.db, vec![after], today).await?)
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok(Json(CompletionResult {
        assignment,
        completion_id: record.id,
        jp: record.jp,
        score: record.score,
        certificate_no: record.certificate_no,
    }))
}
