//! Transfers from decree lists: one row per decree (SK) and person, matched
//! by NIP + SK number. A new decree is recorded as approved; when its TMT
//! has come it is completed at once, with the employee moved and the plan
//! generated (as `transfers::complete_many` does), all in the import's one
//! transaction.
//!
//! Several decrees for one person in a file are applied in TMT order, each
//! from where the previous one left the person; a decree not yet in force
//! must be that person's last.

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    fields,
    places::{new_names, Place, Places},
    Cells, Input, Sorted, Target,
};
use crate::{
    backend::{
        entities::{audit_entry, employee, transfer},
        {bulk::insert_all, transfers::check_decree, transfers::completion::complete_within},
    },
    domain::{
        import::{Applied, RowAction, RowPreview},
        plan::TransferType,
        transfer::TransferState,
    },
    error::{AppError, Message},
};

struct Row {
    line: u64,
    employee_id: i64,
    sk: String,
    sk_date: NaiveDate,
    tmt: NaiveDate,
    unit: Place,
    position: Place,
    transfer_type: TransferType,
    notes: String,
}

pub(super) struct Checked {
    pub previews: Vec<RowPreview>,
    /// New decrees of accepted rows.
    rows: Vec<Row>,
    /// Where each person named is (unit, position) before the file's decrees,
    /// as read while checking (inside the import's transaction).
    start: HashMap<i64, (i64, Option<i64>)>,
    today: NaiveDate,
}

impl Checked {
    pub fn new_units(&self) -> Vec<String> {
        new_names(self.rows.iter().map(|r| &r.unit))
    }

    pub fn new_positions(&self) -> Vec<String> {
        new_names(self.rows.iter().map(|r| &r.position))
    }

    pub fn plans_to_generate(&self) -> usize {
        self.rows.iter().filter(|r| r.tmt <= self.today).count()
    }
}

fn transfer_type(raw: &str) -> Option<TransferType> {
    match raw.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
        "" | "dalam_instansi" | "within_agency" => Some(TransferType::WithinAgency),
        "antar_instansi" | "between_agencies" => Some(TransferType::BetweenAgencies),
        "pusat_daerah" | "central_regional" => Some(TransferType::CentralRegional),
        _ => None,
    }
}

pub(super) async fn check<C: ConnectionTrait>(
    db: &C,
    input: &Input<'_>,
    places: &Places,
) -> Result<Checked, AppError> {
    let employees = super::employees_by_nip(db, &super::nips_in(input)).await?;
    let ids: Vec<i64> = employees.values().map(|e| e.id).collect();
    let mut existing: HashMap<(i64, String), transfer::Model> = HashMap::new();
    let mut open: HashMap<i64, transfer::Model> = HashMap::new();
    let theirs = transfer::Entity::find();
    for t in super::rows_in(db, theirs, transfer::Column::EmployeeId, &ids).await? {
        if matches!(t.state.as_str(), "draft" | "approved") {
            open.insert(t.employee_id, t.clone());
        }
        existing.insert((t.employee_id, t.sk_number.to_lowercase()), t);
    }

    // First each row on its own.
    let mut checked: Vec<(Cells<'_>, Option<Row>, RowAction)> = Vec::new();
    let mut seen: HashMap<(i64, String), u64> = HashMap::new();
    for mut c in input.records() {
        // A row the reader could not split is not checked cell by cell.
        if c.has_errors() {
            checked.push((c, None, RowAction::Rejected));
            continue;
        }
        let row = check_row(&mut c, input, places, &employees);
        let mut action = RowAction::Create;
        if let Some(r) = &row {
            let key = (r.employee_id, r.sk.to_lowercase());
            if let Some(first) = seen.insert(key.clone(), c.line) {
                c.fail(
                    "nomorSk",
                    "duplicate_row",
                    Message::new(
                        format!("SK ini untuk pegawai yang sama sudah ada di baris {first}"),
                        format!("This decree for the same employee is already on line {first}"),
                    ),
                );
            } else if let Some(t) = existing.get(&key) {
                if t.to_unit_id == id_or_zero(&r.unit)
                    && t.to_position_id == id_or_zero(&r.position)
                    && t.tmt == r.tmt
                    && t.sk_date == r.sk_date
                {
                    action = RowAction::Unchanged;
                } else {
                    c.fail(
                        "nomorSk",
                        "decree_conflict",
                        Message::new(
                            "SK ini sudah tercatat untuk pegawai ini dengan tanggal, unit atau jabatan lain; periksa SK-nya (Jejak tidak mengubahnya)",
                            "This decree is already recorded for this employee with another date, unit or position; check the decree (Jejak does not change it)",
                        ),
                    );
                }
            } else if let Some(o) = open.get(&r.employee_id) {
                c.fail(
                    "nomorSk",
                    "open_transfer",
                    Message::new(
                        format!("Pegawai ini masih punya mutasi terbuka (SK {}); selesaikan atau batalkan dulu", o.sk_number),
                        format!("This employee still has an open transfer (decree {}); complete or cancel it first", o.sk_number),
                    ),
                );
            }
        }
        checked.push((c, row, action));
    }

    // Then each person's new decrees in TMT order, from where the previous left them.
    let mut by_employee: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, (c, row, action)) in checked.iter().enumerate() {
        if let (Some(r), RowAction::Create, false) = (row, action, c.has_errors()) {
            by_employee.entry(r.employee_id).or_default().push(i);
        }
    }
    let current: HashMap<i64, (i64, Option<i64>)> = employees
        .values()
        .map(|e| (e.id, (e.unit_id, e.position_id)))
        .collect();
    for (emp, mut idx) in by_employee {
        idx.sort_by_key(|i| checked[*i].1.as_ref().map(|r| (r.tmt, r.line)));
        let mut at = current
            .get(&emp)
            .map(|(u, p)| (Place::Id(*u), p.map(Place::Id)));
        let mut pending_line: Option<u64> = None;
        for i in idx {
            let (c, row, _) = &mut checked[i];
            let Some(r) = row.as_ref() else { continue };
            if let Some(line) = pending_line {
                c.fail(
                    "tmtJabatan",
                    "after_pending",
                    Message::new(
                        format!("Mutasi di baris {line} untuk pegawai ini belum berlaku (TMT di masa depan); mutasi berikutnya tidak bisa dicatat sesudahnya"),
                        format!("The transfer on line {line} for this employee is not yet in force (TMT in the future); a later one cannot follow it"),
                    ),
                );
                continue;
            }
            if let Some((u, p)) = &at {
                if *u == r.unit && p.as_ref() == Some(&r.position) {
                    c.fail(
                        "jabatanNama",
                        "same_place",
                        Message::new(
                            "Unit dan jabatan tujuan sama dengan yang sekarang",
                            "The target unit and position are the current ones",
                        ),
                    );
                    continue;
                }
            }
            at = Some((r.unit.clone(), Some(r.position.clone())));
            if r.tmt > input.today {
                pending_line = Some(r.line);
            }
        }
    }

    let mut sorted = Sorted::default();
    for (c, row, action) in checked {
        let key = format!(
            "{} · {}",
            super::nip_digits(c.get("nipBaru")),
            c.get("nomorSk")
        );
        let summary = match &row {
            Some(r) => format!(
                "→ {} · {} (TMT {}){}",
                places.unit_label(&r.unit),
                places.position_label(&r.position),
                r.tmt.format("%d-%m-%Y"),
                if r.tmt <= input.today { "" } else { " ⏳" }
            ),
            None => String::new(),
        };
        sorted.push(c.preview(key, summary, action, vec![]), row);
    }
    Ok(Checked {
        previews: sorted.previews,
        rows: sorted.rows,
        start: current,
        today: input.today,
    })
}

fn id_or_zero(p: &Place) -> i64 {
    match p {
        Place::Id(id) => *id,
        Place::New(_) => 0,
    }
}

fn check_row(
    c: &mut Cells<'_>,
    input: &Input<'_>,
    places: &Places,
    employees: &HashMap<String, employee::Model>,
) -> Option<Row> {
    let employee = super::employee_cell(c, employees, input.today);
    if let (Some(e), name) = (employee, c.get("nama")) {
        if !name.is_empty() && !same_name(&e.name, name) {
            c.warn(
                "nama",
                "name_differs",
                Message::new(
                    format!("Di Jejak NIP ini atas nama \"{}\"", e.name),
                    format!("In Jejak this NIP belongs to \"{}\"", e.name),
                ),
            );
        }
    }
    let date_of = |c: &mut Cells<'_>, column: &str| -> Option<NaiveDate> {
        match fields::date(c.get(column)) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                c.required(column);
                if !c.get(column).is_empty() {
                    c.fail(
                        column,
                        "missing_value",
                        Message::new(
                            format!("Kolom {column} wajib diisi (01-01-0001 berarti kosong)"),
                            format!("Column {column} is required (01-01-0001 means empty)"),
                        ),
                    );
                }
                None
            }
            Err(m) => {
                c.fail(column, "invalid_date", m);
                None
            }
        }
    };
    let sk_date = date_of(c, "tanggalSk");
    let tmt = date_of(c, "tmtJabatan");
    if let Some(d) = sk_date {
        if d > input.today {
            c.fail(
                "tanggalSk",
                "future_date",
                Message::new(
                    "Tanggal SK tidak boleh di masa depan",
                    "The decree date cannot be in the future",
                ),
            );
        }
    }
    let sk = match (c.required("nomorSk"), sk_date, tmt) {
        (Some(raw), Some(d), Some(t)) => match check_decree(raw, d, t) {
            Ok(sk) => Some(sk),
            Err(e) => {
                let column = if e.field() == Some("tmt") {
                    "tmtJabatan"
                } else {
                    "nomorSk"
                };
                c.fail(
                    column,
                    "invalid_decree",
                    Message::new(e.message("id"), e.message("en")),
                );
                None
            }
        },
        _ => None,
    };
    let create = input.options.create_missing;
    let unit = super::unit_cell(c, places, create);
    let position = c
        .required("jabatanNama")
        .and_then(|raw| match places.position(raw, create) {
            Ok(p) => Some(p),
            Err(issue) => {
                c.add("jabatanNama", issue);
                None
            }
        });
    let transfer_type = transfer_type(c.get("jenisMutasi"));
    if transfer_type.is_none() {
        c.fail(
            "jenisMutasi",
            "invalid_value",
            Message::new(
                "Jenis mutasi harus dalam_instansi, antar_instansi atau pusat_daerah",
                "The transfer type must be within_agency, between_agencies or central_regional",
            ),
        );
    }
    let notes = match fields::text(c.get("catatan"), 1000) {
        Ok(n) => n,
        Err(m) => {
            c.fail("catatan", "invalid_value", m);
            String::new()
        }
    };
    if c.has_errors() {
        return None;
    }
    Some(Row {
        line: c.line,
        employee_id: employee?.id,
        sk: sk?,
        sk_date: sk_date?,
        tmt: tmt?,
        unit: unit?,
        position: position?,
        transfer_type: transfer_type?,
        notes,
    })
}

/// Names compared without case, spaces and punctuation (titles written
/// "S.Kom." or "S. Kom" are the same).
fn same_name(a: &str, b: &str) -> bool {
    let n = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    n(a) == n(b)
}

impl Checked {
    pub async fn write<C: ConnectionTrait>(self, to: Target<'_, C>) -> Result<Applied, AppError> {
        let Target {
            txn,
            actor,
            today,
            checkin_days,
        } = to;
        let (created, mut applied) =
            super::create_places(txn, actor, &self.new_units(), &self.new_positions()).await?;
        let now = chrono::Utc::now();
        let emp_ids: Vec<i64> = {
            let mut v: Vec<i64> = self.rows.iter().map(|r| r.employee_id).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut at = self.start;
        let mut rows = self.rows;
        rows.sort_by_key(|r| (r.tmt, r.line));
        let mut models = Vec::with_capacity(rows.len());
        for r in &rows {
            let to_unit = created.unit_id(&r.unit)?;
            let to_position = created.position_id(&r.position)?;
            let from = at.insert(r.employee_id, (to_unit, Some(to_position)));
            models.push(transfer::ActiveModel {
                employee_id: Set(r.employee_id),
                from_unit_id: Set(from.map(|f| f.0)),
                from_position_id: Set(from.and_then(|f| f.1)),
                to_unit_id: Set(to_unit),
                to_position_id: Set(to_position),
                sk_number: Set(r.sk.clone()),
                sk_date: Set(r.sk_date),
                tmt: Set(r.tmt),
                transfer_type: Set(r.transfer_type.as_str().into()),
                notes: Set(r.notes.clone()),
                state: Set(TransferState::Approved.as_str().into()),
                cancel_reason: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            });
        }
        applied.created = models.len();
        insert_all(txn, models).await?;
        // The new transfers with their ids: approved, of these people, these decrees.
        let wanted: HashMap<(i64, String), NaiveDate> = rows
            .iter()
            .map(|r| ((r.employee_id, r.sk.clone()), r.tmt))
            .collect();
        let approved = transfer::Entity::find()
            .filter(transfer::Column::State.eq(TransferState::Approved.as_str()));
        let mut inserted =
            super::rows_in(txn, approved, transfer::Column::EmployeeId, &emp_ids).await?;
        inserted.retain(|t| wanted.contains_key(&(t.employee_id, t.sk_number.clone())));
        let audits: Vec<audit_entry::ActiveModel> = inserted
            .iter()
            .map(|t| super::audit_line(actor, "transfer", t.id, None::<&()>, t, now))
            .collect();
        insert_all(txn, audits).await?;
        let due: Vec<i64> = inserted
            .iter()
            .filter(|t| t.tmt <= today)
            .map(|t| t.id)
            .collect();
        if !due.is_empty() {
            let report = complete_within(txn, actor, &due, today, checkin_days).await?;
            applied.plans_created = report.completed;
            applied.assignments_created = report.assignments;
        }
        Ok(applied)
    }
}
