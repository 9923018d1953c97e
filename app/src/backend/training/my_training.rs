//! The employee's own view of their training, and self-reported completions.

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryResult, Set,
};
use serde::Serialize;

use crate::backend::audit;
use crate::{
    backend::{
        access::{policy, Principal},
        db::{self, begin_write},
        entities::{assignment, calendar_link, completion, course, plan, self_report},
        raw_sql::RawSql,
        training::assignments::shown_state,
    },
    domain::{
        dates::long_date_in,
        progress::{display_status, jp_ledger, AssignmentState, DisplayStatus},
    },
    error::AppError,
    i18n::{td_string, Locale},
    model::my_training::{
        method_label, AssignmentCard, HistoryLine, LedgerView, MyTraining, PlanCard,
    },
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
    let state = shown_state(a);
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
        course_title: c.map(|c| c.title_in(l).to_string()).unwrap_or_default(),
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

/// Everything "Penugasan saya" shows for the signed-in person: four
/// statements (plans with their transfer, assignments with course, latest
/// report and completion date, history with course, the calendar link),
/// each by the person's key.
pub async fn load(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    jp_target: f64,
    l: Locale,
) -> Result<MyTraining, AppError> {
    let me = p.employee_id;
    let backend = db.get_database_backend();

    struct PlanRow {
        plan: plan::Model,
        /// TMT, position and unit of the transfer the plan came from.
        transfer: Option<(NaiveDate, String, String)>,
    }
    impl FromQueryResult for PlanRow {
        fn from_query_result(r: &QueryResult, _: &str) -> Result<Self, DbErr> {
            let tmt: Option<NaiveDate> = r.try_get("", "t_tmt")?;
            let position: Option<String> = r.try_get("", "t_position")?;
            let unit: Option<String> = r.try_get("", "t_unit")?;
            Ok(PlanRow {
                plan: plan::Model::from_query_result(r, "p_")?,
                transfer: tmt.map(|d| (d, position.unwrap_or_default(), unit.unwrap_or_default())),
            })
        }
    }
    let mut q = RawSql::new(backend);
    q.push("SELECT ")
        .columns::<plan::Entity>("pl", "p_")
        .push(
            ", t.tmt AS t_tmt, pos.name AS t_position, u.name AS t_unit \
             FROM plans pl \
             LEFT JOIN transfers t ON t.id = pl.transfer_id \
             LEFT JOIN positions pos ON pos.id = t.to_position_id \
             LEFT JOIN units u ON u.id = t.to_unit_id \
             WHERE pl.employee_id = ",
        )
        .bind(me)
        .push(" ORDER BY pl.created_at DESC, pl.id DESC");
    let plans: Vec<PlanRow> = q.all(db).await?;

    struct WorkRow {
        assignment: assignment::Model,
        course: course::Model,
        /// The latest report decides what the card says.
        report: Option<self_report::Model>,
        done_on: Option<NaiveDate>,
    }
    impl FromQueryResult for WorkRow {
        fn from_query_result(r: &QueryResult, _: &str) -> Result<Self, DbErr> {
            let report_id: Option<i64> = r.try_get("", "r_id")?;
            Ok(WorkRow {
                assignment: assignment::Model::from_query_result(r, "a_")?,
                course: course::Model::from_query_result(r, "c_")?,
                report: match report_id {
                    Some(_) => Some(self_report::Model::from_query_result(r, "r_")?),
                    None => None,
                },
                done_on: r.try_get("", "done_on")?,
            })
        }
    }
    let mut q = RawSql::new(backend);
    q.push("SELECT ")
        .columns::<assignment::Entity>("a", "a_")
        .push(", ")
        .columns::<course::Entity>("c", "c_")
        .push(", ")
        .columns::<self_report::Entity>("r", "r_")
        .push(
            ", comp.completed_on AS done_on \
             FROM assignments a \
             JOIN courses c ON c.id = a.course_id \
             LEFT JOIN completions comp ON comp.id = a.completion_id \
             LEFT JOIN self_reports r ON r.id = \
               (SELECT MAX(r2.id) FROM self_reports r2 WHERE r2.assignment_id = a.id) \
             WHERE a.employee_id = ",
        )
        .bind(me)
        .push(" ORDER BY a.due_date, a.id");
    let assignments: Vec<WorkRow> = q.all(db).await?;

    /// One line of the history: a completion record with its course.
    struct Done {
        record: completion::Model,
        course: course::Model,
    }
    impl FromQueryResult for Done {
        fn from_query_result(r: &QueryResult, _: &str) -> Result<Self, DbErr> {
            Ok(Done {
                record: completion::Model::from_query_result(r, "h_")?,
                course: course::Model::from_query_result(r, "c_")?,
            })
        }
    }
    let mut q = RawSql::new(backend);
    q.push("SELECT ")
        .columns::<completion::Entity>("h", "h_")
        .push(", ")
        .columns::<course::Entity>("c", "c_")
        .push(
            " FROM completions h JOIN courses c ON c.id = h.course_id \
             WHERE h.employee_id = ",
        )
        .bind(me)
        .push(" ORDER BY h.completed_on DESC, h.id DESC");
    let history: Vec<Done> = q.all(db).await?;

    let cards = plans
        .iter()
        .map(|row| {
            let pl = &row.plan;
            let mine: Vec<&WorkRow> = assignments
                .iter()
                .filter(|w| w.assignment.plan_id == pl.id)
                .collect();
            let counted: Vec<&&WorkRow> = mine
                .iter()
                .filter(|w| w.assignment.required && w.assignment.state != "cancelled")
                .collect();
            let done = counted
                .iter()
                .filter(|w| w.assignment.state == "completed" || w.assignment.state == "waived")
                .count() as u32;
            let (title, subtitle) = match &row.transfer {
                Some((tmt, position, unit)) => (
                    td_string!(
                        l,
                        my_training.plan.transfer_title,
                        position = position,
                        unit = unit
                    )
                    .to_string(),
                    td_string!(l, my_training.plan.tmt, date = long_date_in(*tmt, l)).to_string(),
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
                    .map(|w| {
                        card(
                            &w.assignment,
                            Some(&w.course),
                            w.report.as_ref(),
                            w.assignment.completion_id.and(w.done_on),
                            today,
                            l,
                        )
                    })
                    .collect(),
            }
        })
        .collect();

    let year = today.year();
    let dated: Vec<(NaiveDate, f64)> = history
        .iter()
        .map(|h| (h.record.completed_on, h.record.jp))
        .collect();
    let ledger = jp_ledger(&dated, year, jp_target);
    let mut by_month = vec![0.0; 12];
    for (d, jp) in dated.iter().filter(|(d, _)| d.year() == year) {
        by_month[d.month0() as usize] += jp;
    }
    Ok(MyTraining {
        // The session read the name with the principal a moment ago.
        name: p.name.clone(),
        plans: cards,
        history: history
            .iter()
            .map(|Done { record, course }| HistoryLine {
                course_code: course.code.clone(),
                course_title: course.title_in(l).to_string(),
                date: long_date_in(record.completed_on, l),
                jp: record.jp,
                source: source_label(&record.source, l).into(),
                certificate_no: record.certificate_no.clone(),
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
    let a = db::find::<assignment::Entity, _>(db, assignment_id).await?;
    let owner_employee_id = a.employee_id;
    policy::require(p, &policy::Action::ReportCompletion { owner_employee_id })?;
    // Only now, past the permission: the answer for someone else's
    // assignment must not depend on what else was wrong with the request.
    let completed_on = crate::domain::dates::parse_form_date("completed_on", completed_on)?;
    crate::backend::training::assignments::check_completion(
        &crate::backend::training::assignments::CompletionInput {
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
    let txn = begin_write(db).await?;
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
