//! Training history: completion records (source `import`), matched by
//! NIP + course + completion date. When the person has open work in that
//! course (an assignment of a plan), the record completes it, as a
//! trainer's log would; otherwise it is history that later plans recognise.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{fields, Cells, Input, Sorted, Target};
use crate::{
    backend::{
        entities::{assignment, audit_entry, completion, course, employee},
        {
            bulk::insert_all,
            training::assignments::{check_completion, complete_in, CompletionInput, Provenance},
        },
    },
    domain::import::{Applied, RowAction, RowPreview},
    error::{AppError, Message},
};

struct Row {
    employee_id: i64,
    course_id: i64,
    input: CompletionInput,
    /// An open assignment in this course that the record completes.
    completes: Option<i64>,
}

pub(super) struct Checked {
    pub previews: Vec<RowPreview>,
    rows: Vec<Row>,
}

fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub(super) async fn check<C: ConnectionTrait>(
    db: &C,
    input: &Input<'_>,
) -> Result<Checked, AppError> {
    let courses = course::Entity::find().all(db).await?;
    let by_code: HashMap<String, &course::Model> =
        courses.iter().map(|c| (key(&c.code), c)).collect();
    let mut by_title: HashMap<String, Vec<&course::Model>> = HashMap::new();
    for c in &courses {
        by_title.entry(key(&c.title_id)).or_default().push(c);
        if key(&c.title_en) != key(&c.title_id) {
            by_title.entry(key(&c.title_en)).or_default().push(c);
        }
    }
    let employees = super::employees_by_nip(db, &super::nips_in(input)).await?;
    let ids: Vec<i64> = employees.values().map(|e| e.id).collect();
    let records = completion::Entity::find();
    let recorded: HashSet<(i64, i64, NaiveDate)> =
        super::rows_in(db, records, completion::Column::EmployeeId, &ids)
            .await?
            .into_iter()
            .map(|r| (r.employee_id, r.course_id, r.completed_on))
            .collect();
    let open_work = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]));
    let mut open: HashMap<(i64, i64), i64> = HashMap::new();
    for a in super::rows_in(db, open_work, assignment::Column::EmployeeId, &ids).await? {
        open.entry((a.employee_id, a.course_id)).or_insert(a.id);
    }

    let mut seen: HashMap<(i64, i64, NaiveDate), u64> = HashMap::new();
    let Sorted { previews, rows } = input.check_each(|mut c| {
        let row = check_row(&mut c, input, &employees, &by_code, &by_title);
        let mut action = RowAction::Create;
        let mut summary = String::new();
        if let Some(r) = &row {
            let k = (r.employee_id, r.course_id, r.input.completed_on);
            let title = courses
                .iter()
                .find(|x| x.id == r.course_id)
                .map_or("", |x| x.title_id.as_str());
            summary = format!("{title} · {}", r.input.completed_on.format("%d-%m-%Y"));
            if let Some(first) = seen.insert(k, c.line) {
                c.warn(
                    "tanggalKursus",
                    "duplicate_row",
                    Message::new(
                        format!("Sama dengan baris {first}; dicatat sekali"),
                        format!("The same as line {first}; recorded once"),
                    ),
                );
                action = RowAction::Unchanged;
            } else if recorded.contains(&k) {
                action = RowAction::Unchanged;
            }
        }
        let key = format!(
            "{} · {} · {}",
            super::nip_digits(c.get("nipBaru")),
            if c.get("kodeKursus").is_empty() {
                c.get("namaKursus")
            } else {
                c.get("kodeKursus")
            },
            c.get("tanggalKursus")
        );
        let mut changes = Vec::new();
        let mut row = row;
        if let (Some(r), RowAction::Create) = (row.as_mut(), action) {
            r.completes = open.remove(&(r.employee_id, r.course_id));
            if r.completes.is_some() {
                changes.push("penugasan".to_string());
                summary.push_str(" · menutup penugasan terbuka");
            }
        }
        (c.preview(key, summary, action, changes), row)
    });
    Ok(Checked { previews, rows })
}

fn check_row(
    c: &mut Cells<'_>,
    input: &Input<'_>,
    employees: &HashMap<String, employee::Model>,
    by_code: &HashMap<String, &course::Model>,
    by_title: &HashMap<String, Vec<&course::Model>>,
) -> Option<Row> {
    let employee = super::employee_cell(c, employees, input.today);
    let course = match (c.get("kodeKursus"), c.get("namaKursus")) {
        ("", "") => {
            c.fail(
                "kodeKursus",
                "missing_value",
                Message::new(
                    "Isi kodeKursus atau namaKursus",
                    "Fill kodeKursus or namaKursus",
                ),
            );
            None
        }
        ("", title) => match by_title.get(&key(title)).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            Some(_) => {
                c.fail(
                    "namaKursus",
                    "ambiguous_course",
                    Message::new(
                        "Beberapa pelatihan bernama sama; isi kodeKursus",
                        "Several courses have this title; fill kodeKursus",
                    ),
                );
                None
            }
            None => {
                c.fail(
                    "namaKursus",
                    "unknown_course",
                    Message::new(
                        "Pelatihan ini tidak ada di katalog Jejak; tambahkan dulu di menu Pelatihan",
                        "This course is not in Jejak's catalogue; add it first under Courses",
                    ),
                );
                None
            }
        },
        (code, _) => match by_code.get(&key(code)) {
            Some(found) => Some(*found),
            None => {
                c.fail(
                    "kodeKursus",
                    "unknown_course",
                    Message::new(
                        "Tidak ada pelatihan dengan kode ini di katalog Jejak",
                        "No course with this code in Jejak's catalogue",
                    ),
                );
                None
            }
        },
    };
    let completed_on = match fields::date(c.get("tanggalKursus")) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            c.fail(
                "tanggalKursus",
                "missing_value",
                Message::new(
                    "Tanggal selesai wajib diisi (01-01-0001 berarti kosong)",
                    "The completion date is required (01-01-0001 means empty)",
                ),
            );
            None
        }
        Err(m) => {
            c.fail("tanggalKursus", "invalid_date", m);
            None
        }
    };
    if let (Some(d), year) = (completed_on, c.get("tahunKursus")) {
        if !year.is_empty() && year.parse::<i32>().ok() != Some(d.year()) {
            c.warn(
                "tahunKursus",
                "year_differs",
                Message::new(
                    format!(
                        "Tahun tidak sama dengan tanggalKursus ({}); tanggal yang dipakai",
                        d.year()
                    ),
                    format!(
                        "The year differs from tanggalKursus ({}); the date is used",
                        d.year()
                    ),
                ),
            );
        }
    }
    let jp = fields::jp(c.get("jumlahJam")).unwrap_or_else(|m| {
        c.fail("jumlahJam", "invalid_number", m);
        None
    });
    let score = fields::score(c.get("nilai")).unwrap_or_else(|m| {
        c.fail("nilai", "invalid_number", m);
        None
    });
    let certificate_no = fields::text(c.get("nomorSertipikat"), 100).unwrap_or_else(|m| {
        c.fail("nomorSertipikat", "invalid_value", m);
        String::new()
    });
    let organiser = fields::text(c.get("institusiPenyelenggara"), 200).unwrap_or_else(|m| {
        c.fail("institusiPenyelenggara", "invalid_value", m);
        String::new()
    });
    let input_row = CompletionInput {
        completed_on: completed_on?,
        jp,
        score,
        certificate_no,
        organiser,
        evidence_note: String::new(),
    };
    // The same rules as a trainer's log (not in the future, plausible).
    if let Err(e) = check_completion(&input_row, input.today) {
        c.fail(
            "tanggalKursus",
            "invalid_date",
            Message::new(e.message("id"), e.message("en")),
        );
    }
    if c.has_errors() {
        return None;
    }
    let course = course?;
    // An empty jumlahJam means the course's JP, decided here once.
    let input_row = CompletionInput {
        jp: Some(input_row.jp.unwrap_or(course.jp)),
        ..input_row
    };
    Some(Row {
        employee_id: employee?.id,
        course_id: course.id,
        input: input_row,
        completes: None,
    })
}

impl Checked {
    pub async fn write<C: ConnectionTrait>(self, to: Target<'_, C>) -> Result<Applied, AppError> {
        let Target { txn, actor, .. } = to;
        let mut applied = Applied::default();
        let how = Provenance {
            source: "import",
            logged_by: actor,
            verified_by: Some(actor),
        };
        let now = chrono::Utc::now();
        let mut records = Vec::new();
        let mut keys = Vec::new();
        let mut closed = 0;
        for r in &self.rows {
            if let Some(assignment_id) = r.completes {
                // Completing open work: the record and the assignment together.
                complete_in(txn, actor, assignment_id, &r.input, &how).await?;
                closed += 1;
                continue;
            }
            keys.push((r.employee_id, r.course_id, r.input.completed_on));
            records.push(completion::ActiveModel {
                employee_id: Set(r.employee_id),
                course_id: Set(r.course_id),
                completed_on: Set(r.input.completed_on),
                jp: Set(r.input.jp.unwrap_or_default()),
                score: Set(r.input.score),
                certificate_no: Set(r.input.certificate_no.clone()),
                organiser: Set(r.input.organiser.clone()),
                evidence_note: Set(String::new()),
                logged_by: Set(actor.to_string()),
                verified_by: Set(Some(actor.to_string())),
                source: Set("import".into()),
                created_at: Set(now),
                ..Default::default()
            });
        }
        applied.created = records.len() + closed;
        insert_all(txn, records).await?;
        let wanted: HashSet<(i64, i64, NaiveDate)> = keys.into_iter().collect();
        let mut emp_ids: Vec<i64> = wanted.iter().map(|k| k.0).collect();
        emp_ids.sort_unstable();
        emp_ids.dedup();
        let imported = completion::Entity::find().filter(completion::Column::Source.eq("import"));
        let mut audits: Vec<audit_entry::ActiveModel> = Vec::new();
        for rec in super::rows_in(txn, imported, completion::Column::EmployeeId, &emp_ids).await? {
            if wanted.contains(&(rec.employee_id, rec.course_id, rec.completed_on)) {
                audits.push(super::audit_line(
                    actor,
                    "completion",
                    rec.id,
                    None::<&()>,
                    &rec,
                    now,
                ));
            }
        }
        insert_all(txn, audits).await?;
        Ok(applied)
    }
}
