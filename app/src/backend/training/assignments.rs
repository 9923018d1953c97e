//! Work on assignments: start, log a completion (which becomes training
//! history), waive; the yearly JP ledger; adaptation check-ins.

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};

use crate::backend::audit::{self, Actor};
use crate::backend::db;
use crate::{
    backend::entities::{assignment, completion, course},
    domain::progress::{
        display_status, jp_ledger as ledger, AssignmentAction, AssignmentState, DisplayStatus,
        JpLedger,
    },
    error::AppError,
};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompletionInput {
    pub completed_on: NaiveDate,
    /// `None`: the course's JP.
    pub jp: Option<f64>,
    pub score: Option<f64>,
    pub certificate_no: String,
    pub organiser: String,
    pub evidence_note: String,
}

/// Everything that varies between new assignment rows; the rest starts empty.
pub(crate) struct NewAssignment {
    pub plan_id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub due: NaiveDate,
    pub required: bool,
    pub sort_order: i32,
    pub state: &'static str,
    /// JSON: why this assignment exists.
    pub reasons: String,
    pub recognised_record_id: Option<i64>,
    pub renewal_of_record_id: Option<i64>,
}

impl NewAssignment {
    pub(crate) fn row(self, now: chrono::DateTime<chrono::Utc>) -> assignment::ActiveModel {
        assignment::ActiveModel {
            plan_id: Set(self.plan_id),
            employee_id: Set(self.employee_id),
            course_id: Set(self.course_id),
            due_date: Set(self.due),
            required: Set(self.required),
            sort_order: Set(self.sort_order),
            state: Set(self.state.into()),
            reasons: Set(self.reasons),
            recognised_record_id: Set(self.recognised_record_id),
            completion_id: Set(self.recognised_record_id),
            waived_reason: Set(None),
            waived_by: Set(None),
            cancel_reason: Set(None),
            renewal_of_record_id: Set(self.renewal_of_record_id),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
    }
}

/// A course as the plan generator sees it.
pub(crate) fn course_facts(c: &course::Model) -> crate::domain::plan::CourseFacts {
    crate::domain::plan::CourseFacts {
        id: c.id,
        validity_months: c.validity_months.map(|m| m.max(0) as u32),
    }
}

/// The state of `a` as the pages take it (one Jejak does not know: assigned).
pub(crate) fn shown_state(a: &assignment::Model) -> AssignmentState {
    AssignmentState::parse(&a.state).unwrap_or(AssignmentState::Assigned)
}

/// How `a` is shown on `today`: its state, with its due date.
pub(crate) fn shown_status(a: &assignment::Model, today: NaiveDate) -> DisplayStatus {
    display_status(shown_state(a), a.due_date, today)
}

/// The tone (the colour class) of a shown status.
pub(crate) fn tone(s: DisplayStatus) -> &'static str {
    match s {
        DisplayStatus::Overdue { .. } => "overdue",
        DisplayStatus::NotStarted { .. } | DisplayStatus::InProgress { .. } => "open",
        DisplayStatus::Completed => "done",
        DisplayStatus::Waived | DisplayStatus::Cancelled => "closed",
    }
}

fn state_of(a: &assignment::Model) -> Result<AssignmentState, AppError> {
    AssignmentState::parse(&a.state).ok_or_else(|| AppError::Internal {
        reference: format!("assignment {} state {:?}", a.id, a.state),
    })
}

async fn change(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    action: AssignmentAction,
    edit: impl FnOnce(&mut assignment::ActiveModel),
) -> Result<assignment::Model, AppError> {
    db::write(db, async |txn| {
        let before = db::find::<assignment::Entity, _>(txn, id).await?;
        let to = state_of(&before)?.apply(action)?;
        let mut am = before.clone().into_active_model();
        am.state = Set(to.as_str().into());
        am.updated_at = Set(chrono::Utc::now());
        edit(&mut am);
        let action = format!("assignment.{}", to.as_str());
        Ok(audit::update(txn, actor, &action, &before, am).await?)
    })
    .await
}

pub async fn start(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
) -> Result<assignment::Model, AppError> {
    change(db, actor, id, AssignmentAction::Start, |_| {}).await
}

/// The reason given for a step (waiving, cancelling, rejecting), trimmed;
/// when there is none, a refusal of the field `reason` in these words.
pub(crate) fn required_reason<'a>(
    reason: &'a str,
    id: &str,
    en: &str,
) -> Result<&'a str, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid("reason", id, en));
    }
    Ok(reason)
}

pub async fn waive(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    reason: &str,
) -> Result<assignment::Model, AppError> {
    let reason = required_reason(
        reason,
        "Alasan pembebasan wajib diisi",
        "A reason for waiving is required",
    )?
    .to_string();
    let who = actor.to_string();
    change(db, actor, id, AssignmentAction::Waive, move |am| {
        am.waived_reason = Set(Some(reason));
        am.waived_by = Set(Some(who));
    })
    .await
}

/// Checks what a completion may say: not in the future, plausible, score 0–100, JP in range.
pub fn check_completion(input: &CompletionInput, today: NaiveDate) -> Result<(), AppError> {
    if input.completed_on > today {
        return Err(AppError::invalid(
            "completed_on",
            "Tanggal selesai tidak boleh di masa depan",
            "The completion date cannot be in the future",
        ));
    }
    if input.completed_on.year() < 1970 {
        return Err(AppError::invalid(
            "completed_on",
            "Tanggal selesai tidak masuk akal",
            "The completion date is not plausible",
        ));
    }
    if let Some(s) = input.score {
        if !(0.0..=100.0).contains(&s) {
            return Err(AppError::invalid(
                "score",
                format!("Nilai harus 0–100, bukan {s}"),
                format!("The score must be 0–100, not {s}"),
            ));
        }
    }
    if let Some(jp) = input.jp {
        if !(jp > 0.0 && jp <= 1000.0) {
            return Err(AppError::invalid(
                "jp",
                format!("JP harus lebih dari 0 dan paling banyak 1000, bukan {jp}"),
                format!("JP must be above 0 and at most 1000, not {jp}"),
            ));
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CompletedWith<'a> {
    assignment: &'a assignment::Model,
    completion: &'a completion::Model,
}

/// Who wrote a completion record and how it came to be.
pub struct Provenance<'a> {
    /// trainer_log | self_report | import
    pub source: &'a str,
    pub logged_by: &'a str,
    pub verified_by: Option<&'a str>,
}

/// Inside the caller's transaction: one completion record (training history)
/// and the assignment completed, each audited. `input` must have been checked.
pub async fn complete_in<C: ConnectionTrait>(
    txn: &C,
    actor: Actor<'_>,
    id: i64,
    input: &CompletionInput,
    how: &Provenance<'_>,
) -> Result<(assignment::Model, completion::Model), AppError> {
    let before = db::find::<assignment::Entity, _>(txn, id).await?;
    let to = state_of(&before)?.apply(AssignmentAction::Complete)?;
    let c = db::find::<course::Entity, _>(txn, before.course_id).await?;
    let now = chrono::Utc::now();
    let record = completion::ActiveModel {
        employee_id: Set(before.employee_id),
        course_id: Set(before.course_id),
        completed_on: Set(input.completed_on),
        jp: Set(input.jp.unwrap_or(c.jp)),
        score: Set(input.score),
        certificate_no: Set(input.certificate_no.trim().into()),
        organiser: Set(input.organiser.trim().into()),
        evidence_note: Set(input.evidence_note.trim().into()),
        logged_by: Set(how.logged_by.into()),
        verified_by: Set(how.verified_by.map(Into::into)),
        source: Set(how.source.into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let mut am = before.clone().into_active_model();
    am.state = Set(to.as_str().into());
    am.completion_id = Set(Some(record.id));
    am.updated_at = Set(now);
    let after = am.update(txn).await?;
    // One audit line per completed assignment, carrying its new record.
    audit::changed(
        txn,
        actor,
        "assignment.completed",
        "assignment",
        id,
        &before,
        &CompletedWith {
            assignment: &after,
            completion: &record,
        },
    )
    .await?;
    Ok((after, record))
}

/// A trainer logs that the assignment's course was completed: one completion
/// record (training history) and the assignment completed, in one transaction.
pub async fn log_completion(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    input: CompletionInput,
    today: NaiveDate,
) -> Result<(assignment::Model, completion::Model), AppError> {
    check_completion(&input, today)?;
    let how = Provenance {
        source: "trainer_log",
        logged_by: actor,
        verified_by: Some(actor),
    };
    db::write(db, async |txn| {
        complete_in(txn, actor, id, &input, &how).await
    })
    .await
}

/// JP completed by an employee in a calendar year (all sources) against the target.
pub async fn jp_ledger(
    db: &DatabaseConnection,
    employee_id: i64,
    year: i32,
    target: f64,
) -> Result<JpLedger, AppError> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| AppError::invalid("year", "Tahun tidak valid", "Invalid year"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| AppError::invalid("year", "Tahun tidak valid", "Invalid year"))?;
    let rows = completion::Entity::find()
        .filter(completion::Column::EmployeeId.eq(employee_id))
        .filter(completion::Column::CompletedOn.between(from, to))
        .all(db)
        .await?;
    let entries: Vec<(NaiveDate, f64)> = rows.iter().map(|c| (c.completed_on, c.jp)).collect();
    Ok(ledger(&entries, year, target))
}

/// The supervisor writes a check-in: a rating in the SKP words and notes,
/// once (the rules live with the other check-in rules, in adaptation).
pub use crate::backend::adaptation::write_checkin;

/// Creates renewal assignments for completions that expire within
/// `window_days` (idempotent: a record is renewed at most once). Returns how
/// many were created.
pub async fn create_renewals(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    today: NaiveDate,
    window_days: u32,
) -> Result<usize, AppError> {
    use crate::backend::entities::plan;
    use crate::domain::{
        plan::CourseFacts,
        recert::{renewals_due, HeldCompletion},
    };
    use std::collections::HashSet;

    let courses = course::Entity::find()
        .filter(course::Column::ValidityMonths.is_not_null())
        .all(db)
        .await?;
    if courses.is_empty() {
        return Ok(0);
    }
    let course_ids: Vec<i64> = courses.iter().map(|c| c.id).collect();
    let catalogue: Vec<CourseFacts> = courses.iter().map(course_facts).collect();
    let held: Vec<HeldCompletion> = completion::Entity::find()
        .filter(completion::Column::CourseId.is_in(course_ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| HeldCompletion {
            record_id: c.id,
            employee_id: c.employee_id,
            course_id: c.course_id,
            completed_on: c.completed_on,
        })
        .collect();
    let open: HashSet<(i64, i64)> = assignment::Entity::find()
        .filter(assignment::Column::CourseId.is_in(course_ids))
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.employee_id, a.course_id))
        .collect();
    let due = renewals_due(&held, &catalogue, &open, today, window_days);
    let already: HashSet<i64> = assignment::Entity::find()
        .filter(
            assignment::Column::RenewalOfRecordId
                .is_in(due.iter().map(|r| r.renews_record_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .filter_map(|a| a.renewal_of_record_id)
        .collect();
    db::write(db, async |txn| {
    let mut created = 0;
    let now = chrono::Utc::now();
    for r in due
        .into_iter()
        .filter(|r| !already.contains(&r.renews_record_id))
    {
        let plan = match plan::Entity::find()
            .filter(plan::Column::EmployeeId.eq(r.employee_id))
            .filter(plan::Column::Kind.eq("renewal"))
            .filter(plan::Column::State.eq("open"))
            .one(txn)
            .await?
        {
            Some(p) => p,
            None => {
                let p = plan::ActiveModel {
                    kind: Set("renewal".into()),
                    transfer_id: Set(None),
                    employee_id: Set(r.employee_id),
                    state: Set("open".into()),
                    created_at: Set(now),
                    ..Default::default()
                };
                audit::insert(txn, actor, "plan.create", p).await?
            }
        };
        let a = NewAssignment {
            plan_id: plan.id,
            employee_id: r.employee_id,
            course_id: r.course_id,
            due: r.due,
            required: true,
            sort_order: 0,
            state: "assigned",
            reasons: serde_json::json!([{ "renewal_of": r.renews_record_id, "expires_on": r.expires_on }]).to_string(),
            recognised_record_id: None,
            renewal_of_record_id: Some(r.renews_record_id),
        }
        .row(now);
        audit::insert(txn, actor, "assignment.renewal", a).await?;
        created += 1;
    }
    Ok(created)
    })
    .await
}

/// Which assignments a list shows (the JSON API).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub employee_id: Option<i64>,
    /// Only these courses (what a trainer may see), or every course.
    pub courses: Option<Vec<i64>>,
    pub state: Option<AssignmentState>,
    /// Some(true): only open work past its due date; Some(false): none of it.
    pub overdue: Option<bool>,
    /// Ids above this one (paging by key).
    pub after: Option<i64>,
    pub limit: u64,
}

/// Assignments by id, as `f` asks; "overdue" as of `today`, derived as
/// everywhere (open and due before today), never stored.
pub async fn list(
    db: &DatabaseConnection,
    f: &ListFilter,
    today: NaiveDate,
) -> Result<Vec<assignment::Model>, AppError> {
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    let mut q = assignment::Entity::find();
    if let Some(e) = f.employee_id {
        q = q.filter(assignment::Column::EmployeeId.eq(e));
    }
    if let Some(courses) = &f.courses {
        q = q.filter(assignment::Column::CourseId.is_in(courses.clone()));
    }
    if let Some(s) = f.state {
        q = q.filter(assignment::Column::State.eq(s.as_str()));
    }
    match f.overdue {
        Some(true) => {
            q = q
                .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
                .filter(assignment::Column::DueDate.lt(today));
        }
        Some(false) => {
            q = q.filter(
                Condition::any()
                    .add(assignment::Column::State.is_not_in(assignment::OPEN_STATES))
                    .add(assignment::Column::DueDate.gte(today)),
            );
        }
        None => {}
    }
    if let Some(after) = f.after {
        q = q.filter(assignment::Column::Id.gt(after));
    }
    Ok(q.order_by_asc(assignment::Column::Id)
        .limit(f.limit)
        .all(db)
        .await?)
}

/// An assignment as lists outside the pages show it (the JSON API): with
/// its course's code and title, and whether it is overdue.
#[derive(Clone, Debug, PartialEq)]
pub struct ShownAssignment {
    pub id: i64,
    pub plan_id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub course_code: String,
    pub course_title: String,
    pub due_date: NaiveDate,
    pub required: bool,
    pub state: String,
    /// Open and past its due date, as of `today` (derived, never stored).
    pub overdue: bool,
    pub completion_id: Option<i64>,
}

/// These assignments as shown (the courses looked up once).
pub async fn shown(
    db: &DatabaseConnection,
    rows: Vec<assignment::Model>,
    today: NaiveDate,
) -> Result<Vec<ShownAssignment>, AppError> {
    use crate::domain::progress::{display_status, DisplayStatus};
    let courses = db::by_id::<course::Entity, _>(db, rows.iter().map(|a| a.course_id)).await?;
    Ok(rows
        .into_iter()
        .map(|a| {
            let c = courses.get(&a.course_id);
            let overdue = AssignmentState::parse(&a.state).is_some_and(|s| {
                matches!(
                    display_status(s, a.due_date, today),
                    DisplayStatus::Overdue { .. }
                )
            });
            ShownAssignment {
                id: a.id,
                plan_id: a.plan_id,
                employee_id: a.employee_id,
                course_id: a.course_id,
                course_code: c.map(|c| c.code.clone()).unwrap_or_default(),
                course_title: c.map(|c| c.title_id.clone()).unwrap_or_default(),
                due_date: a.due_date,
                required: a.required,
                state: a.state,
                overdue,
                completion_id: a.completion_id,
            }
        })
        .collect())
}

/// The course of assignment `id`.
pub async fn course_of(db: &DatabaseConnection, id: i64) -> Result<i64, AppError> {
    Ok(db::find::<assignment::Entity, _>(db, id).await?.course_id)
}
