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

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Select, Value,
};
use serde::Serialize;

pub use columns::{columns, template, Column};

use crate::{
    backend::{
        audit::{self, Actor},
        entities::{audit_entry, employee},
    },
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
    let to = Target {
        txn: &txn,
        actor,
        today: file.today,
        checkin_days,
    };
    let mut applied = match checked {
        Checked::Employees(c) => c.write(to).await?,
        Checked::Transfers(c) => c.write(to).await?,
        Checked::History(c) => c.write(to).await?,
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

/// What every kind's write gets: the import's transaction, who imports,
/// and (for transfers, which may complete at once) the day and the
/// check-in schedule.
pub(crate) struct Target<'a, C> {
    txn: &'a C,
    actor: Actor<'a>,
    today: NaiveDate,
    checkin_days: &'a [u32],
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
    /// Checks every record with `check`, which gives its preview and row.
    /// A row the reader could not split is rejected as it is (keyed by its
    /// NIP), its cells unchecked.
    fn check_each<R>(
        &self,
        mut check: impl FnMut(Cells<'a>) -> (RowPreview, Option<R>),
    ) -> Sorted<R> {
        let mut sorted = Sorted::default();
        for c in self.records() {
            if c.has_errors() {
                let key = nip_digits(c.get("nipBaru"));
                sorted.push(
                    c.preview(key, String::new(), RowAction::Rejected, vec![]),
                    None,
                );
            } else {
                let (p, row) = check(c);
                sorted.push(p, row);
            }
        }
        sorted
    }

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

/// The previews of a file's rows, and the rows to write.
pub(crate) struct Sorted<R> {
    pub previews: Vec<RowPreview>,
    /// The rows whose preview creates or updates something.
    pub rows: Vec<R>,
}

impl<R> Default for Sorted<R> {
    fn default() -> Self {
        Sorted {
            previews: Vec::new(),
            rows: Vec::new(),
        }
    }
}

impl<R> Sorted<R> {
    /// A row's preview, and the row when it is to be written.
    pub fn push(&mut self, p: RowPreview, row: Option<R>) {
        if matches!(p.action, RowAction::Create | RowAction::Update) {
            self.rows.extend(row);
        }
        self.previews.push(p);
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

/// The audit line `<entity>.import` of a row the import wrote; `before` is
/// what it replaced (`None` for a new row).
fn audit_line<B: Serialize, A: Serialize>(
    actor: Actor<'_>,
    entity: &str,
    id: i64,
    before: Option<&B>,
    after: &A,
    now: chrono::DateTime<chrono::Utc>,
) -> audit_entry::ActiveModel {
    audit::row(
        actor,
        &format!("{entity}.import"),
        entity,
        id,
        before,
        Some(after),
        now,
    )
}

/// `q`'s rows whose `column` is one of `keys`, read [`LOOKUP_CHUNK`] keys
/// at a time.
pub(crate) async fn rows_in<C, E, V>(
    db: &C,
    q: Select<E>,
    column: E::Column,
    keys: &[V],
) -> Result<Vec<E::Model>, AppError>
where
    C: ConnectionTrait,
    E: EntityTrait,
    V: Clone + Into<Value>,
{
    let mut rows = Vec::new();
    for chunk in keys.chunks(LOOKUP_CHUNK) {
        rows.extend(
            q.clone()
                .filter(column.is_in(chunk.to_vec()))
                .all(db)
                .await?,
        );
    }
    Ok(rows)
}

/// The employees with these NIPs, by NIP.
pub(crate) async fn employees_by_nip<C: ConnectionTrait>(
    db: &C,
    nips: &[String],
) -> Result<HashMap<String, employee::Model>, AppError> {
    let found = rows_in(db, employee::Entity::find(), employee::Column::Nip, nips).await?;
    Ok(found.into_iter().map(|e| (e.nip.clone(), e)).collect())
}

/// Created units and positions for the accepted rows; what is applied
/// starts with their counts.
pub(crate) async fn create_places<C: ConnectionTrait>(
    txn: &C,
    actor: Actor<'_>,
    units: &[String],
    positions: &[String],
) -> Result<(Created, Applied), AppError> {
    let created = Created::make(txn, actor, units, positions).await?;
    let applied = Applied {
        units_created: created.unit_count(),
        positions_created: created.position_count(),
        ..Applied::default()
    };
    Ok((created, applied))
}
