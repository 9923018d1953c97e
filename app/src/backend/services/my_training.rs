//! The employee's own view of their training, and self-reported completions.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::audit;
use crate::{
    api::my_training::{
        method_label, AssignmentCard, HistoryLine, LedgerView, MyTraining, PlanCard,
    },
    backend::{
        auth::{policy, Principal},
        entities::{
            assignment, calendar_link, completion, course, employee, plan, position, self_report,
            transfer, unit,
        },
    },
    domain::{
        dates::long_date_in,
        progress::{display_status, jp_ledger, AssignmentState, DisplayStatus},
    },
    error::AppError,
    i18n::{td_string, Locale},
};

fn source_label(source: &str, l: Locale) -> &'static str {
    match source {
        "trainer_log" => td_string!(l, my_training.source.trainer_log),
        "self_report" => td_string!(l, my_training.source.self_report),
        "import" => td_string!(l, my_training.source.import),
        "recognised" => td_string!(l, my_training.source.recognised),
        _ => td_string!(l, my_training.source.unknown),
    }
}

/// The course's title in the language (Indonesian when no English one is kept).
pub(crate) fn course_title(c: &course::Model, l: Locale) -> String {
    match l {
        Locale::en if !c.title_en.trim().is_empty() => c.title_en.clone(),
        _ => c.title_id.clone(),
    }
}

fn course_description(c: &course::Model, l: Locale) -> String {
    match l {
        Locale::en if !c.description_en.trim().is_empty() => c.description_en.clone(),
        _ => c.description_id.clone(),
    }
}

/// The card of one assignment: status, tone and the next thing to do.
fn card(
    a: &assignment::Model,
    c: Option<&course::Model>,
    latest_report: Option<&self_report::Model>,
    completed_on: Option<NaiveDate>,
    today: NaiveDate,
    l: Locale,
) -> AssignmentCard {
    let state = AssignmentState::parse(&a.state).unwrap_or(AssignmentState::Assigned);
    let status = display_status(state, a.due_date, today);
    let pending = latest_report.filter(|r| r.status == "pending");
    let rejected = latest_report.filter(|r| r.status == "rejected");
    let (method, provider) = c
        .map(|c| (c.method.clone(), c.provider.clone()))
        .unwrap_or_default();
    let (tone, next_step) = match status {
        DisplayStatus::Completed => (
            "done",
            match completed_on {
                Some(d) => td_string!(l, my_training.step.completed_on, date = long_date_in(d, l))
                    .to_string(),
                None => td_string!(l, my_training.step.completed).to_string(),
            },
        ),
        DisplayStatus::Waived => (
            "closed",
            td_string!(
                l,
                my_training.step.waived,
                reason = a.waived_reason.clone().unwrap_or_default()
            )
            .to_string(),
        ),
        DisplayStatus::Cancelled => (
            "closed",
            td_string!(l, my_training.step.cancelled).to_string(),
        ),
        _ if pending.is_some() => (
            "pending",
            td_string!(
                l,
                my_training.step.pending,
                date = long_date_in(pending.map(|r| r.completed_on).unwrap_or(today), l)
            )
            .to_string(),
        ),
        other => {
            let tone = if matches!(other, DisplayStatus::Overdue { .. }) {
                "overdue"
            } else {
                "open"
            };
            let step = match rejected {
                Some(r) => td_string!(
                    l,
                    my_training.step.rejected,
                    reason = r.review_reason.clone().unwrap_or_default()
                )
                .to_string(),
                None => td_string!(
                    l,
                    my_training.step.todo,
                    method = method_label(&method, l),
                    provider = &provider
                )
                .to_string(),
            };
            (tone, step)
        }
    };
    let open = state.is_open();
    AssignmentCard {
        id: a.id,
        course_code: c.map(|c| c.code.clone()).unwrap_or_default(),
        course_title: c.map(|c| course_title(c, l)).unwrap_or_default(),
        description: c.map(|c| course_description(c, l)).unwrap_or_default(),
        jp: c.map(|c| c.jp).unwrap_or_default(),
        method,
        provider,
        required: a.required,
        due_date: long_date_in(a.due_date, l),
        status: if pending.is_some() && open {
            td_string!(l, my_training.card.pending).to_string()
        } else {
            status.label(l)
        },
        tone: tone.into(),
        next_step,
        can_report: open && pending.is_none(),
    }
}

/// Everything "Penugasan saya" shows for the signed-in person.
pub async fn load(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    jp_target: f64,
    l: Locale,
) -> Result<MyTraining, AppError> {
    let me = p.employee_id;
    let plans = plan::Entity::find()
        .filter(plan::Column::EmployeeId.eq(me))
        .order_by_desc(plan::Column::CreatedAt)
        .all(db)
        .await?;
    let assignments = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(me))
        .order_by_asc(assignment::Column::DueDate)
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await?;
    let history = completion::Entity::find()
        .filter(completion::Column::EmployeeId.eq(me))
        .order_by_desc(completion::Column::CompletedOn)
        .all(db)
        .await?;
    let reports = self_report::Entity::find()
        .filter(self_report::Column::EmployeeId.eq(me))
        .order_by_asc(self_report::Column::Id)
        .all(db)
        .await?;
    let course_ids: Vec<i64> = assignments
        .iter()
        .map(|a| a.course_id)
        .chain(history.iter().map(|c| c.course_id))
        .collect();
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let transfers: HashMap<i64, transfer::Model> = transfer::Entity::find()
        .filter(transfer::Column::Id.is_in(plans.iter().filter_map(|p| p.transfer_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let positions: HashMap<i64, String> = position::Entity::find()
        .filter(position::Column::Id.is_in(transfers.values().map(|t| t.to_position_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let units: HashMap<i64, String> = unit::Entity::find()
        .filter(unit::Column::Id.is_in(transfers.values().map(|t| t.to_unit_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    // The latest report per assignment decides what the card says.
    let latest: HashMap<i64, &self_report::Model> =
        reports.iter().map(|r| (r.assignment_id, r)).collect();
    let completed_on: HashMap<i64, NaiveDate> =
        history.iter().map(|c| (c.id, c.completed_on)).collect();

    let cards = plans
        .iter()
        .map(|pl| {
            let mine: Vec<&assignment::Model> =
                assignments.iter().filter(|a| a.plan_id == pl.id).collect();
            let counted: Vec<&&assignment::Model> = mine
                .iter()
                .filter(|a| a.required && a.state != "cancelled")
                .collect();
            let done = counted
                .iter()
                .filter(|a| a.state == "completed" || a.state == "waived")
                .count() as u32;
            let (title, subtitle) = match pl.transfer_id.and_then(|t| transfers.get(&t)) {
                Some(t) => (
                    td_string!(
                        l,
                        my_training.plan.transfer_title,
                        position = positions
                            .get(&t.to_position_id)
                            .cloned()
                            .unwrap_or_default(),
                        unit = units.get(&t.to_unit_id).cloned().unwrap_or_default()
                    )
                    .to_string(),
                    td_string!(l, my_training.plan.tmt, date = long_date_in(t.tmt, l)).to_string(),
                ),
                None => (
                    td_string!(l, my_training.plan.recert_title).to_string(),
                    td_string!(l, my_training.plan.recert_subtitle).to_string(),
                ),
            };
            PlanCard {
                id: pl.id,
                title,
                subtitle,
                done,
                total: counted.len() as u32,
                assignments: mine
                    .iter()
                    .map(|a| {
                        card(
                            a,
                            courses.get(&a.course_id),
                            latest.get(&a.id).copied(),
                            a.completion_id.and_then(|c| completed_on.get(&c).copied()),
                            today,
                            l,
                        )
                    })
                    .collect(),
            }
        })
        .collect();

    let year = today.year();
    let dated: Vec<(NaiveDate, f64)> = history.iter().map(|c| (c.completed_on, c.jp)).collect();
    let ledger = jp_ledger(&dated, year, jp_target);
    let mut by_month = vec![0.0; 12];
    for (d, jp) in dated.iter().filter(|(d, _)| d.year() == year) {
        by_month[d.month0() as usize] += jp;
    }
    let name = employee::Entity::find_by_id(me)
        .one(db)
        .await?
        .map(|e| e.name)
        .unwrap_or_default();
    Ok(MyTraining {
        name,
        plans: cards,
        history: history
            .iter()
            .map(|c| {
                let course = courses.get(&c.course_id);
                HistoryLine {
                    course_code: course.map(|c| c.code.clone()).unwrap_or_default(),
                    course_title: course.map(|c| course_title(c, l)).unwrap_or_default(),
                    date: long_date_in(c.completed_on, l),
                    jp: c.jp,
                    source: source_label(&c.source, l).into(),
                    certificate_no: c.certificate_no.clone(),
                }
            })
            .collect(),
        ledger: LedgerView {
            year,
            done: ledger.done,
            target: ledger.target,
            shortfall: ledger.shortfall,
            by_month,
        },
        has_calendar_link: calendar_link::Entity::find_by_id(p.account_id)
            .one(db)
            .await?
            .is_some(),
    })
}

#[derive(Serialize)]
struct ReportAudit<'a> {
    report: &'a self_report::Model,
}

/// The person reports their own open assignment as completed (date as typed
/// in the form). It waits for a trainer; one pending report per assignment.
pub async fn report(
    db: &DatabaseConnection,
    p: &Principal,
    assignment_id: i64,
    completed_on: &str,
    certificate_no: &str,
    note: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let a = assignment::Entity::find_by_id(assignment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    policy::authorize(
        Some(p.clone()),
        &policy::Action::ReportCompletion {
            owner_employee_id: a.employee_id,
        },
    )?;
    // Only now, past the permission: the answer for someone else's
    // assignment must not depend on what else was wrong with the request.
    let completed_on = crate::domain::dates::parse_form_date("completed_on", completed_on)?;
    super::assignments::check_completion(
        &super::assignments::CompletionInput {
            completed_on,
            jp: None,
            score: None,
            certificate_no: certificate_no.into(),
            organiser: String::new(),
            evidence_note: note.into(),
        },
        today,
    )?;
    if certificate_no.trim().chars().count() > 100 || note.chars().count() > 2000 {
        return Err(AppError::invalid(
            "note",
            "Nomor sertifikat paling banyak 100 karakter, catatan 2000",
            "The certificate number may have at most 100 characters, the note 2000",
        ));
    }
    let open = AssignmentState::parse(&a.state).is_some_and(AssignmentState::is_open);
    if !open {
        return Err(AppError::conflict(
            "Penugasan ini sudah selesai atau ditutup",
            "This assignment is already completed or closed",
        ));
    }
    let txn = crate::backend::db::begin_write(db).await?;
    let pending = self_report::Entity::find()
        .filter(self_report::Column::AssignmentId.eq(assignment_id))
        .filter(self_report::Column::Status.eq("pending"))
        .one(&txn)
        .await?;
    if pending.is_some() {
        return Err(AppError::conflict(
            "Laporan untuk penugasan ini sudah menunggu verifikasi",
            "A report for this assignment is already waiting for verification",
        ));
    }
    let row = self_report::ActiveModel {
        assignment_id: Set(assignment_id),
        employee_id: Set(a.employee_id),
        completed_on: Set(completed_on),
        certificate_no: Set(certificate_no.trim().into()),
        note: Set(note.trim().into()),
        status: Set("pending".into()),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        review_reason: Set(None),
        completion_id: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(
        &txn,
        &p.actor(),
        "self_report.create",
        "self_report",
        row.id,
        &ReportAudit { report: &row },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
