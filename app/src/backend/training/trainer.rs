//! The trainer's desk: participants of the courses one teaches, the
//! attendance sheet, and the queue of self-reports to review.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::{
    backend::{
        access::{policy, Principal},
        db::{self, begin_write},
        entities::{assignment, course, employee, self_report, unit},
    },
    domain::{
        dates::{long_date_in, parse_form_date},
        progress::AssignmentState,
    },
    error::AppError,
    i18n::Locale,
    model::accounts::Choice,
    model::trainer::{CourseInfo, Participant, PendingReport, TrainerDesk, PAGE_SIZE},
};
use {
    crate::backend::audit,
    crate::backend::training::assignments::{
        check_completion, complete_in, required_reason, shown_state, shown_status, tone,
        CompletionInput, Provenance,
    },
};

pub struct Filter {
    pub course_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub status: String,
    pub page: u64,
}

/// The courses this person may act on as a trainer (all, for administrators).
async fn courses_of(
    db: &DatabaseConnection,
    p: &Principal,
) -> Result<Vec<course::Model>, AppError> {
    let mut q = course::Entity::find().order_by_asc(course::Column::Code);
    if !p.admin {
        q = q.filter(course::Column::Id.is_in(p.taught_courses.clone()));
    }
    Ok(q.all(db).await?)
}

/// The desk in the language `l` (dates, statuses and course titles as words).
pub async fn load(
    db: &DatabaseConnection,
    p: &Principal,
    f: Filter,
    today: NaiveDate,
    l: Locale,
) -> Result<TrainerDesk, AppError> {
    let courses = courses_of(db, p).await?;
    // The chosen course, if one may act on it; otherwise the first.
    let chosen = f
        .course_id
        .and_then(|id| courses.iter().find(|c| c.id == id))
        .or(courses.first())
        .cloned();
    if let Some(id) = f.course_id {
        if chosen.as_ref().map(|c| c.id) != Some(id) {
            return Err(AppError::NotFound);
        }
    }
    let units = unit::Entity::find()
        .order_by_asc(unit::Column::Name)
        .all(db)
        .await?;
    let unit_names: HashMap<i64, String> = units.iter().map(|u| (u.id, u.name.clone())).collect();
    let status = match f.status.as_str() {
        s @ ("terbuka" | "terlambat" | "selesai" | "semua") => s.to_string(),
        _ => "terbuka".to_string(),
    };
    let (mut participants, mut total, mut pages) = (Vec::new(), 0, 1);
    if let Some(c) = &chosen {
        let mut q = assignment::Entity::find().filter(assignment::Column::CourseId.eq(c.id));
        q = match status.as_str() {
            "terbuka" => q.filter(assignment::Column::State.is_in(["assigned", "in_progress"])),
            "terlambat" => q
                .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
                .filter(assignment::Column::DueDate.lt(today)),
            "selesai" => q.filter(assignment::Column::State.eq("completed")),
            _ => q,
        };
        if let Some(root) = f.unit_id {
            let wanted: Vec<i64> = crate::domain::org::subtree(
                &units
                    .iter()
                    .map(|u| (u.id, u.parent_id))
                    .collect::<Vec<_>>(),
                &[root],
            )
            .into_iter()
            .collect();
            let people: Vec<i64> = employee::Entity::find()
                .select_only()
                .column(employee::Column::Id)
                .filter(employee::Column::UnitId.is_in(wanted))
                .into_tuple()
                .all(db)
                .await?;
            q = q.filter(assignment::Column::EmployeeId.is_in(people));
        }
        let q = q
            .order_by_asc(assignment::Column::DueDate)
            .order_by_asc(assignment::Column::Id);
        let paginator = q.paginate(db, PAGE_SIZE);
        total = paginator.num_items().await?;
        pages = total.div_ceil(PAGE_SIZE).max(1);
        let rows = paginator.fetch_page(f.page.min(pages) - 1).await?;
        let people =
            db::by_id::<employee::Entity, _>(db, rows.iter().map(|a| a.employee_id)).await?;
        participants = rows
            .iter()
            .map(|a| {
                let shown = shown_status(a, today);
                let e = people.get(&a.employee_id);
                Participant {
                    assignment_id: a.id,
                    employee_id: a.employee_id,
                    name: e.map(|e| e.name.clone()).unwrap_or_default(),
                    nip: e.map(|e| e.nip.clone()).unwrap_or_default(),
                    unit: e
                        .and_then(|e| unit_names.get(&e.unit_id).cloned())
                        .unwrap_or_default(),
                    due: long_date_in(a.due_date, l),
                    status: shown.label(l),
                    tone: tone(shown).into(),
                    open: shown_state(a).is_open(),
                }
            })
            .collect();
    }
    let reports = pending_reports(db, &courses, l).await?;
    Ok(TrainerDesk {
        courses: courses
            .iter()
            .map(|c| Choice {
                id: c.id,
                label: format!("{} {}", c.code, c.title_in(l)),
            })
            .collect(),
        course: chosen.map(|c| CourseInfo {
            id: c.id,
            title: c.title_in(l).to_string(),
            code: c.code,
            jp: c.jp,
        }),
        units: units
            .iter()
            .map(|u| Choice {
                id: u.id,
                label: u.name.clone(),
            })
            .collect(),
        unit_id: f.unit_id,
        status,
        participants,
        total,
        page: f.page.min(pages),
        pages,
        reports,
        today: today.to_string(),
    })
}

/// Self-reports waiting for a trainer of one of these courses, oldest first.
async fn pending_reports(
    db: &DatabaseConnection,
    courses: &[course::Model],
    l: Locale,
) -> Result<Vec<PendingReport>, AppError> {
    let by_id: HashMap<i64, &course::Model> = courses.iter().map(|c| (c.id, c)).collect();
    let pending = self_report::Entity::find()
        .filter(self_report::Column::Status.eq("pending"))
        .order_by_asc(self_report::Column::Id)
        .all(db)
        .await?;
    let assignments =
        db::by_id::<assignment::Entity, _>(db, pending.iter().map(|r| r.assignment_id)).await?;
    let people =
        db::by_id::<employee::Entity, _>(db, pending.iter().map(|r| r.employee_id)).await?;
    Ok(pending
        .iter()
        .filter_map(|r| {
            let a = assignments.get(&r.assignment_id)?;
            let c = by_id.get(&a.course_id)?;
            let e = people.get(&r.employee_id)?;
            Some(PendingReport {
                id: r.id,
                name: e.name.clone(),
                nip: e.nip.clone(),
                course: format!("{} {}", c.code, c.title_in(l)),
                completed_on: long_date_in(r.completed_on, l),
                certificate_no: r.certificate_no.clone(),
                note: r.note.clone(),
            })
        })
        .collect())
}

pub struct AttendanceForm {
    pub completed_on: String,
    pub jp: String,
    pub score: String,
    pub ids: Vec<i64>,
}

fn parse_number(field: &str, raw: &str) -> Result<Option<f64>, AppError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.replace(',', ".").parse::<f64>().map(Some).map_err(|_| {
        AppError::invalid(
            field,
            format!("Bukan angka: {raw:?}"),
            format!("Not a number: {raw:?}"),
        )
    })
}

/// Completes every ticked assignment of the course, all in one transaction.
pub async fn record_attendance(
    db: &DatabaseConnection,
    p: &Principal,
    course_id: i64,
    form: AttendanceForm,
    today: NaiveDate,
) -> Result<usize, AppError> {
    policy::require(p, &policy::Action::TeachCourse { course_id })?;
    let input = CompletionInput {
        completed_on: parse_form_date("completed_on", &form.completed_on)?,
        jp: parse_number("jp", &form.jp)?,
        score: parse_number("score", &form.score)?,
        certificate_no: String::new(),
        organiser: String::new(),
        evidence_note: "Daftar hadir".into(),
    };
    check_completion(&input, today)?;
    let mut ids = form.ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(AppError::invalid(
            "ids",
            "Centang minimal satu peserta",
            "Tick at least one participant",
        ));
    }
    let actor = p.actor();
    let txn = begin_write(db).await?;
    let rows = assignment::Entity::find()
        .filter(assignment::Column::Id.is_in(ids.clone()))
        .all(&txn)
        .await?;
    for id in &ids {
        let ok = rows.iter().any(|a| {
            a.id == *id
                && a.course_id == course_id
                && AssignmentState::parse(&a.state).is_some_and(AssignmentState::is_open)
        });
        if !ok {
            return Err(AppError::invalid(
                "ids",
                format!(
                    "Penugasan {id} bukan peserta terbuka pelatihan ini; tidak ada yang disimpan"
                ),
                format!(
                    "Assignment {id} is not an open participant of this course; nothing was saved"
                ),
            ));
        }
    }
    for id in &ids {
        complete_in(
            &txn,
            &actor,
            *id,
            &input,
            &Provenance {
                source: "trainer_log",
                logged_by: &actor,
                verified_by: Some(&actor),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(ids.len())
}

/// Verifies (the report becomes a completion record) or rejects (with a
/// reason the employee sees) a pending self-report.
pub async fn review(
    db: &DatabaseConnection,
    p: &Principal,
    report_id: i64,
    decision: &str,
    reason: &str,
    today: NaiveDate,
) -> Result<(), AppError> {
    let report = db::find::<self_report::Entity, _>(db, report_id).await?;
    let a = db::find::<assignment::Entity, _>(db, report.assignment_id).await?;
    let course_id = a.course_id;
    policy::require(p, &policy::Action::TeachCourse { course_id })?;
    let actor = p.actor();
    let txn = begin_write(db).await?;
    // Claim the report: of two reviewers at once only one gets it.
    let claimed = self_report::Entity::update_many()
        .col_expr(
            self_report::Column::Status,
            sea_orm::sea_query::Expr::value(match decision {
                "verify" => "verified",
                _ => "rejected",
            }),
        )
        .filter(self_report::Column::Id.eq(report_id))
        .filter(self_report::Column::Status.eq("pending"))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::conflict(
            "Laporan ini sudah ditinjau",
            "This report has already been reviewed",
        ));
    }
    let mut am = report.clone().into_active_model();
    am.reviewed_by = Set(Some(actor.clone()));
    am.reviewed_at = Set(Some(chrono::Utc::now()));
    match decision {
        "verify" => {
            let employee_actor = employee::Entity::find_by_id(report.employee_id)
                .one(&txn)
                .await?
                .map(|e| format!("{} ({})", e.nip, e.name))
                .unwrap_or_default();
            let (_, record) = complete_in(
                &txn,
                &actor,
                a.id,
                &CompletionInput {
                    completed_on: report.completed_on,
                    jp: None,
                    score: None,
                    certificate_no: report.certificate_no.clone(),
                    organiser: String::new(),
                    evidence_note: report.note.clone(),
                },
                &Provenance {
                    source: "self_report",
                    logged_by: &employee_actor,
                    verified_by: Some(&actor),
                },
            )
            .await?;
            am.status = Set("verified".into());
            am.completion_id = Set(Some(record.id));
        }
        "reject" => {
            let reason = required_reason(
                reason,
                "Tuliskan alasan penolakan; pegawai akan membacanya",
                "Write the reason for rejecting; the employee will read it",
            )?;
            am.status = Set("rejected".into());
            am.review_reason = Set(Some(reason.chars().take(1000).collect()));
        }
        other => {
            return Err(AppError::invalid(
                "decision",
                format!("Keputusan tidak dikenal: {other:?} (verify, reject)"),
                format!("Unknown decision: {other:?} (verify, reject)"),
            ))
        }
    }
    let after = am.update(&txn).await?;
    audit::changed(
        &txn,
        &actor,
        &format!("self_report.{}", after.status),
        "self_report",
        report_id,
        &report,
        &after,
    )
    .await?;
    txn.commit().await?;
    let _ = today;
    Ok(())
}
