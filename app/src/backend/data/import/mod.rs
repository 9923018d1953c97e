//! Importing employees, transfers and training history from CSV files
//! (decree lists exported from SIASN, or typed into spreadsheets).
//!
//! Two steps. [`preview`] reads the file (`reader`), matches its columns
//! (`columns`), checks every row (`employees`, `transfers`, `history`, with
//! `fields` for single values and `places` for unit and position names)
//! and says for each what confirming would do: create, update, leave
//! alone (already so), or reject, with every finding by line and column.
//! It writes nothing. [`apply`] checks the file again inside one write
//! transaction and writes everything, or nothing: rejected rows refuse the
//! whole file unless the administrator chose to import only the valid
//! rows. Rows are matched to what Jejak has (employees by NIP, transfers by
//! NIP + SK number, history by NIP + course + date), so importing the same
//! file twice changes nothing the second time.

mod columns;
mod employees;
mod fields;
mod history;
mod places;
pub mod reader;
mod transfers;
pub mod uploads;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde::Serialize;

pub use columns::{columns, template, Column};

use crate::{
    backend::audit::{self, Actor},
    domain::import::{Applied, Counts, ImportKind, Issue, Preview, RowAction, RowPreview},
    error::{AppError, Message},
};
use columns::ColumnMap;
use places::{Created, Places};
use reader::{Record, Table};

/// The permission an import of `kind` needs (the same as making those
/// changes by hand).
pub fn permission(kind: ImportKind) -> crate::backend::access::policy::Action<'static> {
    use crate::backend::access::policy::Action;
    match kind {
        ImportKind::Employees => Action::ManageOrganisation,
        ImportKind::Transfers | ImportKind::History => Action::ManageTransfers,
    }
}

/// The administrator's choices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Write the valid rows and leave out the rejected ones (otherwise one
    /// rejected row refuses the file).
    pub only_valid: bool,
    /// Create units and positions the file names but Jejak lacks (otherwise
    /// such rows are rejected).
    pub create_missing: bool,
}

/// One file to import.
#[derive(Debug, Clone, Copy)]
pub struct ImportFile<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub options: Options,
    /// The office's date: bounds dates (nothing completed in the future)
    /// and decides which transfers take effect now.
    pub today: NaiveDate,
}

/// What the file would do; writes nothing.
pub async fn preview(db: &DatabaseConnection, file: ImportFile<'_>) -> Result<Preview, AppError> {
    Ok(check(db, file).await?.0)
}

/// Checks the file again and writes it in one transaction (with
/// `upload_id`, the stored upload is marked applied in the same one).
/// A refused file, or rejected rows without `only_valid`, write nothing.
pub async fn apply(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    file: ImportFile<'_>,
    checkin_days: &[u32],
    upload_id: Option<i64>,
) -> Result<(Preview, Applied), AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    if let Some(id) = upload_id {
        uploads::claim(&txn, id).await?;
    }
    let (preview, checked) = check(&txn, file).await?;
    if let Some(first) = preview.file_issues.iter().find(|i| i.is_error()) {
        return Err(AppError::Invalid {
            field: Some("file".into()),
            message: Message::new(
                format!(
                    "Berkas ditolak, tidak ada yang disimpan: {}",
                    first.describe(false)
                ),
                format!(
                    "The file is refused, nothing was saved: {}",
                    first.describe(true)
                ),
            ),
        });
    }
    if preview.counts.rejected > 0 && !file.options.only_valid {
        let n = preview.counts.rejected;
        return Err(AppError::Invalid {
            field: Some("file".into()),
            message: Message::new(
                format!("{n} baris berisi kesalahan, tidak ada yang disimpan. Perbaiki berkasnya, atau pilih \"impor hanya baris yang sah\"."),
                format!("{n} rows have errors, nothing was saved. Correct the file, or choose \"import only the valid rows\"."),
            ),
        });
    }
    let Some(checked) = checked else {
        return Err(AppError::Internal {
            reference: "import: a file that was not refused has no checked rows".into(),
        });
    };
    let mut applied = match checked {
        Checked::Employees(c) => c.write(&txn, actor).await?,
        Checked::Transfers(c) => c.write(&txn, actor, file.today, checkin_days).await?,
        Checked::History(c) => c.write(&txn, actor).await?,
    };
    applied.unchanged = preview.counts.unchanged;
    applied.skipped = preview.counts.rejected;
    audit::created(
        &txn,
        actor,
        "import.applied",
        "import",
        upload_id.unwrap_or(0),
        &ImportRecord {
            kind: file.kind,
            file_name: file.file_name,
            sha256: crate::backend::access::token::hash_bytes(file.bytes),
            rows: preview.counts.rows,
            applied: &applied,
        },
    )
    .await?;
    if let Some(id) = upload_id {
        uploads::mark_applied(&txn, id, &applied).await?;
    }
    txn.commit().await?;
    Ok((preview, applied))
}

#[derive(Serialize)]
struct ImportRecord<'a> {
    kind: ImportKind,
    file_name: &'a str,
    sha256: String,
    rows: usize,
    applied: &'a Applied,
}

enum Checked {
    Employees(employees::Checked),
    Transfers(transfers::Checked),
    History(history::Checked),
}

/// Reads and checks the file against the database `db` (a connection for a
/// preview, the write transaction for an import).
async fn check<C: ConnectionTrait>(
    db: &C,
    file: ImportFile<'_>,
) -> Result<(Preview, Option<Checked>), AppError> {
    let mut preview = Preview {
        kind: file.kind,
        file_name: file.file_name.to_string(),
        delimiter: ',',
        had_bom: false,
        file_issues: Vec::new(),
        rows: Vec::new(),
        counts: Counts::default(),
        new_units: Vec::new(),
        new_positions: Vec::new(),
        plans_to_generate: 0,
    };
    let (table, row_issues) = match reader::read(file.bytes) {
        Ok(t) => t,
        Err(issue) => {
            preview.file_issues.push(issue);
            return Ok((preview, None));
        }
    };
    preview.delimiter = table.delimiter as char;
    preview.had_bom = table.had_bom;
    let (map, header_issues) = columns::map_headers(file.kind, &table.headers);
    preview.file_issues.extend(header_issues);
    if preview.refused() {
        return Ok((preview, None));
    }
    if table.rows.is_empty() {
        preview.file_issues.push(Issue::error(
            "no_rows",
            Message::new(
                "Berkas hanya berisi judul kolom, tanpa baris data",
                "The file has only the header, no data rows",
            ),
        ));
        return Ok((preview, None));
    }
    let places = Places::load(db).await?;
    let input = Input {
        table: &table,
        map: &map,
        broken: &row_issues,
        options: file.options,
        today: file.today,
    };
    let mut checked = match file.kind {
        ImportKind::Employees => Checked::Employees(employees::check(db, &input, &places).await?),
        ImportKind::Transfers => Checked::Transfers(transfers::check(db, &input, &places).await?),
        ImportKind::History => Checked::History(history::check(db, &input).await?),
    };
    // The rows move into the preview; what is kept for writing is the rest.
    let (rows, new_units, new_positions, plans) = match &mut checked {
        Checked::Employees(c) => (
            std::mem::take(&mut c.previews),
            c.new_units(),
            c.new_positions(),
            0,
        ),
        Checked::Transfers(c) => (
            std::mem::take(&mut c.previews),
            c.new_units(),
            c.new_positions(),
            c.plans_to_generate(),
        ),
        Checked::History(c) => (std::mem::take(&mut c.previews), vec![], vec![], 0),
    };
    preview.counts = count(&rows);
    preview.rows = rows;
    preview.new_units = new_units;
    preview.new_positions = new_positions;
    preview.plans_to_generate = plans;
    Ok((preview, Some(checked)))
}

fn count(rows: &[RowPreview]) -> Counts {
    let mut c = Counts {
        rows: rows.len(),
        ..Counts::default()
    };
    for r in rows {
        match r.action {
            RowAction::Create => c.create += 1,
            RowAction::Update => c.update += 1,
            RowAction::Unchanged => c.unchanged += 1,
            RowAction::Rejected => c.rejected += 1,
        }
        c.warnings += r.issues.iter().filter(|i| !i.is_error()).count();
    }
    c
}

/// What every kind's check gets.
pub(crate) struct Input<'a> {
    table: &'a Table,
    map: &'a ColumnMap,
    /// Rows the reader already found broken (wrong number of fields).
    broken: &'a [Issue],
    options: Options,
    today: NaiveDate,
}

impl<'a> Input<'a> {
    /// Each record with its cells, and the reader's findings on that line.
    fn records(&self) -> impl Iterator<Item = Cells<'a>> + '_ {
        self.table.rows.iter().map(move |r| {
            let mut cells = Cells::new(r, self.map);
            cells
                .issues
                .extend(self.broken.iter().filter(|i| i.line == r.line).cloned());
            cells
        })
    }
}

/// One record being checked: its values by column and its findings.
pub(crate) struct Cells<'a> {
    pub line: u64,
    record: &'a Record,
    map: &'a ColumnMap,
    pub issues: Vec<Issue>,
}

impl<'a> Cells<'a> {
    fn new(record: &'a Record, map: &'a ColumnMap) -> Self {
        Cells {
            line: record.line,
            record,
            map,
            issues: Vec::new(),
        }
    }

    pub fn get(&self, column: &str) -> &'a str {
        self.map.get(&self.record.fields, column)
    }

    fn issue(&mut self, column: &str, issue: Issue) {
        let value = self.get(column);
        let header = self.map.header(column).to_string();
        self.issues.push(issue.at(
            self.line,
            Some(&header),
            (!value.is_empty()).then_some(value),
        ));
    }

    /// An error in `column`: the row is rejected.
    pub fn fail(&mut self, column: &str, code: &str, message: Message) {
        self.issue(column, Issue::error(code, message));
    }

    pub fn warn(&mut self, column: &str, code: &str, message: Message) {
        self.issue(column, Issue::warning(code, message));
    }

    /// A finding made elsewhere (e.g. by `places`), placed in `column`.
    pub fn add(&mut self, column: &str, issue: Issue) {
        self.issue(column, issue);
    }

    /// A required value: empty is an error.
    pub fn required(&mut self, column: &str) -> Option<&'a str> {
        let v = self.get(column);
        if v.is_empty() {
            self.fail(
                column,
                "missing_value",
                Message::new(
                    format!("Kolom {column} wajib diisi"),
                    format!("Column {column} is required"),
                ),
            );
            return None;
        }
        Some(v)
    }

    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// The row's preview.
    pub fn preview(
        self,
        key: String,
        summary: String,
        action: RowAction,
        changes: Vec<String>,
    ) -> RowPreview {
        let action = if self.has_errors() {
            RowAction::Rejected
        } else {
            action
        };
        RowPreview {
            line: self.line,
            key,
            summary,
            action,
            changes,
            issues: self.issues,
        }
    }
}

/// The unit the required `unorNama` cell names (a finding when it cannot be found).
pub(crate) fn unit_cell(
    c: &mut Cells<'_>,
    places: &places::Places,
    create: bool,
) -> Option<places::Place> {
    let raw = c.required("unorNama")?;
    places
        .unit(raw, create)
        .map_err(|issue| c.add("unorNama", issue))
        .ok()
}

/// The employee a row's NIP names, among those the file's NIPs found; a
/// malformed NIP and an unknown one are different findings.
pub(crate) fn employee_cell<'e>(
    c: &mut Cells<'_>,
    employees: &'e std::collections::HashMap<String, crate::backend::entities::employee::Model>,
    today: NaiveDate,
) -> Option<&'e crate::backend::entities::employee::Model> {
    use crate::domain::nip::{AsnKind, Nip};
    if let Some(e) = employees.get(&nip_digits(c.get("nipBaru"))) {
        return Some(e);
    }
    // PPPK is the looser layout: a NIP it refuses is malformed for everyone.
    match Nip::parse(c.get("nipBaru"), AsnKind::Pppk, today) {
        Err(e) => c.fail("nipBaru", "invalid_nip", e.message()),
        Ok(_) => c.fail(
            "nipBaru",
            "unknown_employee",
            Message::new(
                "Pegawai dengan NIP ini belum ada di Jejak; impor pegawainya dulu",
                "No employee with this NIP in Jejak; import the employee first",
            ),
        ),
    }
    None
}

/// Looks up many values in chunks small enough for any database.
pub(crate) const LOOKUP_CHUNK: usize = 2_000;

/// The NIP as written, without spaces (for matching and messages).
pub(crate) fn nip_digits(raw: &str) -> String {
    raw.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The distinct NIPs of a file (column `nipBaru`), sorted, blanks left out:
/// what the checks look up in chunks of [`LOOKUP_CHUNK`].
pub(crate) fn nips_in(input: &Input<'_>) -> Vec<String> {
    let mut nips: Vec<String> = input
        .records()
        .map(|c| nip_digits(c.get("nipBaru")))
        .filter(|n| !n.is_empty())
        .collect();
    nips.sort();
    nips.dedup();
    nips
}

/// Created units and positions for the accepted rows.
pub(crate) async fn create_places<C: ConnectionTrait>(
    txn: &C,
    actor: Actor<'_>,
    units: &[String],
    positions: &[String],
) -> Result<Created, AppError> {
    Created::make(txn, actor, units, positions).await
}
