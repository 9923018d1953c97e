//! How newcomers adapt: the manager's dashboard and its CSV export, and
//! writing (once) and correcting (administrators) the check-ins. A
//! newcomer is someone whose completed transfer has a TMT within the last
//! `newcomer_days` days; a manager sees those in the unit subtrees they
//! manage, an administrator everyone.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::{
    backend::{
        access::{policy::CheckinFacts, Principal},
        entities::{checkin, transfer},
        raw_sql::RawSql,
        {
            audit::{self, Actor},
            data::csv_out::{headers, Cell, CsvOut, Format},
        },
    },
    domain::{
        dates::{long_date_in, month_name},
        progress::RATINGS,
    },
    error::AppError,
    i18n::{td_string, Locale},
    model::adaptation::{Bucket, Dashboard, NewcomerRow, UnitBar, WeekPoint, PAGE_SIZE},
};

pub struct Query {
    pub q: String,
    pub sort: String,
    pub page: u64,
}

/// One newcomer with what the dashboard and the export need.
struct Newcomer {
    row: NewcomerRow,
    tmt: NaiveDate,
    unit_id: i64,
    /// Of the plan's required, not cancelled assignments: how many were
    /// overdue at the end of each of the last twelve weeks (oldest first),
    /// and the latest completion date.
    overdue_at: [u32; WEEKS],
    last_done: Option<NaiveDate>,
    /// Check-ins not yet written whose due date is within a week (or past).
    checkins_due: u32,
}

/// The latest recent completed transfer of each person in scope, with what
/// the row shows (one statement; the unit subtree is a recursive CTE).
#[derive(sea_orm::FromQueryResult)]
struct RecentTransfer {
    transfer_id: i64,
    employee_id: i64,
    tmt: NaiveDate,
    name: String,
    nip: String,
    unit_id: i64,
    unit: String,
    position: Option<String>,
    plan_id: Option<i64>,
}

/// A plan's required work, counted by the database (a 2,000-person unit
/// has thousands of assignments; a row each would cost a thread hand-off
/// each in sqlx's SQLite driver).
#[derive(sea_orm::FromQueryResult)]
struct PlanWork {
    plan_id: i64,
    total: i64,
    done: i64,
    overdue: i64,
    last_done: Option<NaiveDate>,
    w0: i64,
    w1: i64,
    w2: i64,
    w3: i64,
    w4: i64,
    w5: i64,
    w6: i64,
    w7: i64,
    w8: i64,
    w9: i64,
    w10: i64,
    w11: i64,
}

/// A transfer's check-ins, counted: unwritten ones due within a week, and
/// the first unrated one (due date and day; both minima belong to one
/// check-in, since its due date is the TMT plus its day).
#[derive(sea_orm::FromQueryResult)]
struct CheckinSummary {
    transfer_id: i64,
    due_soon: i64,
    next_due: Option<NaiveDate>,
    next_day: Option<i32>,
}

/// The overdue chart's weeks.
const WEEKS: usize = 12;

/// The end of chart week `i` (0 the oldest, WEEKS - 1 today).
fn week_end(today: NaiveDate, i: usize) -> NaiveDate {
    today - chrono::Days::new(7 * (WEEKS - 1 - i) as u64)
}

/// Lists bound per statement: well inside SQLite's and PostgreSQL's limits.
const CHUNK: usize = 5_000;

async fn newcomers(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    days: u32,
    l: Locale,
) -> Result<Vec<Newcomer>, AppError> {
    let backend = db.get_database_backend();
    let since = today - chrono::Days::new(days as u64);
    // Three statements whatever the unit's size: a manager's dashboard
    // reads only what is under their units (a province has tens of
    // thousands of units and recent transfers).
    let mut q = RawSql::new(backend);
    let select = "SELECT t.id AS transfer_id, t.employee_id, t.tmt, e.name, e.nip, e.unit_id, \
                  u.name AS unit, pos.name AS position, pl.id AS plan_id ";
    let joins = "JOIN employees e ON e.id = t.employee_id \
                 JOIN units u ON u.id = e.unit_id \
                 LEFT JOIN positions pos ON pos.id = e.position_id \
                 LEFT JOIN plans pl ON pl.transfer_id = t.id ";
    if p.admin {
        q.push(select).push("FROM transfers t ").push(joins);
    } else {
        // From the unit's people to their transfers: a unit of 2,000 has a
        // few thousand transfers, while the organisation's recent ones are
        // tens of thousands (SQLite would otherwise start from those; a
        // materialised CTE keeps the order on both databases).
        q.with_subtree(&p.managed_units)
            .push(
                ", staff AS MATERIALIZED (SELECT id FROM employees \
                   WHERE unit_id IN (SELECT id FROM scope)) ",
            )
            .push(select)
            .push("FROM staff CROSS JOIN transfers t ")
            .push(joins);
    }
    q.push("WHERE t.state = 'completed' AND t.tmt >= ")
        .bind(since)
        .push(" AND t.tmt <= ")
        .bind(today);
    if !p.admin {
        q.push(" AND t.employee_id = staff.id");
    }
    let mut transfers: Vec<RecentTransfer> = q.all(db).await?;
    // The latest transfer of each person counts.
    transfers.sort_by_key(|t| {
        (
            t.employee_id,
            std::cmp::Reverse(t.tmt),
            std::cmp::Reverse(t.transfer_id),
        )
    });
    transfers.dedup_by_key(|t| t.employee_id);

    let plan_ids: Vec<i64> = transfers.iter().filter_map(|t| t.plan_id).collect();
    let mut work: HashMap<i64, PlanWork> = HashMap::new();
    for chunk in plan_ids.chunks(CHUNK) {
        let mut q = RawSql::new(backend);
        q.push(
            "SELECT a.plan_id, COUNT(*) AS total, \
               SUM(CASE WHEN a.state IN ('completed', 'waived') THEN 1 ELSE 0 END) AS done, \
               SUM(CASE WHEN a.state IN ('assigned', 'in_progress') AND a.due_date < ",
        )
        .bind(today)
        .push(" THEN 1 ELSE 0 END) AS overdue, MAX(c.completed_on) AS last_done");
        // Overdue at a week's end: due before it, not waived, not completed by then.
        for i in 0..WEEKS {
            let end = week_end(today, i);
            q.push(", SUM(CASE WHEN a.state <> 'waived' AND a.due_date < ")
                .bind(end)
                .push(" AND (c.completed_on IS NULL OR c.completed_on > ")
                .bind(end)
                .push(&format!(") THEN 1 ELSE 0 END) AS w{i}"));
        }
        q.push(
            " FROM assignments a LEFT JOIN completions c ON c.id = a.completion_id \
             WHERE a.required AND a.state <> 'cancelled' AND a.plan_id IN ",
        )
        .bind_list(chunk.iter().copied())
        .push(" GROUP BY a.plan_id");
        for w in q.all::<PlanWork, _>(db).await? {
            work.insert(w.plan_id, w);
        }
    }
    let transfer_ids: Vec<i64> = transfers.iter().map(|t| t.transfer_id).collect();
    let mut checkins: HashMap<i64, CheckinSummary> = HashMap::new();
    for chunk in transfer_ids.chunks(CHUNK) {
        let mut q = RawSql::new(backend);
        q.push("SELECT transfer_id, SUM(CASE WHEN written_at IS NULL AND due_date <= ")
            .bind(today + chrono::Days::new(7))
            .push(
                " THEN 1 ELSE 0 END) AS due_soon, \
                 MIN(CASE WHEN rating IS NULL THEN due_date END) AS next_due, \
                 MIN(CASE WHEN rating IS NULL THEN day_offset END) AS next_day \
                 FROM checkins WHERE transfer_id IN ",
            )
            .bind_list(chunk.iter().copied())
            .push(" GROUP BY transfer_id");
        for c in q.all::<CheckinSummary, _>(db).await? {
            checkins.insert(c.transfer_id, c);
        }
    }
    let count = |n: i64| n.max(0) as u32;
    Ok(transfers
        .into_iter()
        .map(|t| {
            let w = t.plan_id.and_then(|id| work.remove(&id));
            let (total, done, overdue) = w
                .as_ref()
                .map(|w| (count(w.total), count(w.done), count(w.overdue)))
                .unwrap_or_default();
            let overdue_at = w
                .as_ref()
                .map(|w| {
                    [
                        w.w0, w.w1, w.w2, w.w3, w.w4, w.w5, w.w6, w.w7, w.w8, w.w9, w.w10, w.w11,
                    ]
                    .map(count)
                })
                .unwrap_or_default();
            let c = checkins.get(&t.transfer_id);
            let checkins_due = c.map(|c| count(c.due_soon)).unwrap_or_default();
            let next = c.and_then(|c| Some((c.next_due?, c.next_day?)));
            Newcomer {
                checkins_due,
                row: NewcomerRow {
                    employee_id: t.employee_id,
                    name: t.name,
                    nip: t.nip,
                    unit: t.unit,
                    position: t.position.unwrap_or_default(),
                    tmt: long_date_in(t.tmt, l),
                    days_since_tmt: (today - t.tmt).num_days(),
                    done,
                    total,
                    overdue,
                    next_checkin: next
                        .map(|(due, day)| {
                            td_string!(
                                l,
                                manager.next_checkin,
                                date = long_date_in(due, l),
                                n = day
                            )
                            .to_string()
                        })
                        .unwrap_or_default(),
                },
                tmt: t.tmt,
                unit_id: t.unit_id,
                overdue_at,
                last_done: w.and_then(|w| w.last_done),
            }
        })
        .collect())
}

/// A manager's weekly digest: their newcomers (as on the dashboard, most
/// recent TMT first), with progress, overdue work and check-ins due.
pub async fn digest_rows(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    days: u32,
    l: Locale,
) -> Result<Vec<crate::backend::reminders::mail::DigestRow>, AppError> {
    let mut all = newcomers(db, p, today, days, l).await?;
    sort(&mut all, "tmt");
    Ok(all
        .into_iter()
        .map(|n| crate::backend::reminders::mail::DigestRow {
            employee_id: n.row.employee_id,
            name: n.row.name,
            tmt: n.tmt,
            done: n.row.done,
            total: n.row.total,
            overdue: n.row.overdue,
            checkins_due: n.checkins_due,
        })
        .collect())
}

fn matches(r: &NewcomerRow, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    q.is_empty()
        || r.name.to_lowercase().contains(&q)
        || (!digits.is_empty() && r.nip.contains(&digits))
}

fn sort(rows: &mut [Newcomer], key: &str) {
    match key {
        "nama" => rows.sort_by(|a, b| a.row.name.cmp(&b.row.name)),
        "kemajuan" => rows.sort_by(|a, b| {
            let pa = a.row.done as f64 / a.row.total.max(1) as f64;
            let pb = b.row.done as f64 / b.row.total.max(1) as f64;
            pa.total_cmp(&pb).then(a.row.name.cmp(&b.row.name))
        }),
        "terlambat" => rows.sort_by(|a, b| {
            b.row
                .overdue
                .cmp(&a.row.overdue)
                .then(a.row.name.cmp(&b.row.name))
        }),
        _ => rows.sort_by(|a, b| b.tmt.cmp(&a.tmt).then(a.row.name.cmp(&b.row.name))),
    }
}

/// The dashboard in the language `l` (dates and chart labels as words).
pub async fn dashboard(
    db: &DatabaseConnection,
    p: &Principal,
    query: Query,
    today: NaiveDate,
    days: u32,
    l: Locale,
) -> Result<Dashboard, AppError> {
    let mut all = newcomers(db, p, today, days, l).await?;
    let unit_names: HashMap<i64, String> = all
        .iter()
        .map(|n| (n.unit_id, n.row.unit.clone()))
        .collect();

    // Completion by unit.
    let mut by_unit: HashMap<i64, (u32, u32)> = HashMap::new();
    for n in &all {
        let e = by_unit.entry(n.unit_id).or_default();
        e.0 += n.row.done;
        e.1 += n.row.total;
    }
    let mut by_unit: Vec<UnitBar> = by_unit
        .into_iter()
        .map(|(u, (done, total))| UnitBar {
            unit: unit_names.get(&u).cloned().unwrap_or_default(),
            done,
            total,
        })
        .collect();
    by_unit.sort_by(|a, b| a.unit.cmp(&b.unit));

    // Overdue at the end of each of the last twelve weeks.
    let overdue_by_week = (0..WEEKS)
        .map(|i| {
            let end = week_end(today, i);
            let overdue = all.iter().map(|n| n.overdue_at[i]).sum::<u32>();
            WeekPoint {
                label: td_string!(
                    l,
                    manager.chart.week,
                    day = end.day(),
                    month = month_name(end.month0(), l)
                        .chars()
                        .take(3)
                        .collect::<String>()
                )
                .to_string(),
                overdue,
            }
        })
        .collect();

    // Days from the TMT to the last completion, for finished plans.
    let mut buckets = [0u32; 5];
    for n in &all {
        if n.row.total > 0 && n.row.done == n.row.total {
            let last = n.last_done.unwrap_or(n.tmt);
            let days = (last - n.tmt).num_days();
            let i = match days {
                i64::MIN..=30 => 0,
                31..=60 => 1,
                61..=90 => 2,
                91..=180 => 3,
                _ => 4,
            };
            buckets[i] += 1;
        }
    }
    let time_to_complete = [
        td_string!(l, manager.chart.up_to_30),
        "31–60",
        "61–90",
        "91–180",
        "> 180",
    ]
    .iter()
    .zip(buckets)
    .map(|(label, plans)| Bucket {
        label: label.to_string(),
        plans,
    })
    .collect();

    all.retain(|n| matches(&n.row, &query.q));
    let sort_key = match query.sort.as_str() {
        s @ ("nama" | "tmt" | "kemajuan" | "terlambat") => s.to_string(),
        _ => "tmt".to_string(),
    };
    sort(&mut all, &sort_key);
    let total = all.len() as u64;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = query.page.min(pages);
    let rows = all
        .into_iter()
        .skip(((page - 1) * PAGE_SIZE) as usize)
        .take(PAGE_SIZE as usize)
        .map(|n| n.row)
        .collect();
    Ok(Dashboard {
        days,
        q: query.q,
        sort: sort_key,
        rows,
        total,
        page,
        pages,
        by_unit,
        overdue_by_week,
        time_to_complete,
    })
}

/// The export's file name in the language: "laporan-adaptasi-2026-11-28.csv".
pub fn csv_file_name(today: NaiveDate, l: Locale) -> String {
    td_string!(l, manager.export.file_name, date = today).to_string()
}

/// The dashboard's rows (all of them, same search and order) as CSV, with
/// the column headers and dates in the language `l`. With `semicolon`,
/// `;`-separated with a byte-order mark, as spreadsheets in the Indonesian
/// locale open it directly.
#[allow(clippy::too_many_arguments)]
pub async fn csv(
    db: &DatabaseConnection,
    p: &Principal,
    q: &str,
    sort_key: &str,
    today: NaiveDate,
    days: u32,
    semicolon: bool,
    l: Locale,
) -> Result<Vec<u8>, AppError> {
    let mut all = newcomers(db, p, today, days, l).await?;
    all.retain(|n| matches(&n.row, q));
    sort(&mut all, sort_key);
    // The one writer of every export: separator, BOM and the formula guard.
    let mut out = CsvOut::new(Format::for_people(semicolon, l));
    out.header(&headers!(l, manager.export: [
        nip, name, unit, position, tmt, days_since_tmt, required_done, required, overdue,
        next_checkin,
    ]))?;
    for n in &all {
        let r = &n.row;
        out.row(&[
            Cell::Text(&r.nip),
            Cell::Text(&r.name),
            Cell::Text(&r.unit),
            Cell::Text(&r.position),
            // Dates in words, written by us.
            Cell::Ours(&r.tmt),
            Cell::Int(r.days_since_tmt),
            Cell::Int(r.done.into()),
            Cell::Int(r.total.into()),
            Cell::Int(r.overdue.into()),
            Cell::Ours(&r.next_checkin),
        ])?;
    }
    out.take()
}

/// A newcomer with required work past its due date (the overdue report).
#[derive(Clone, Debug, PartialEq)]
pub struct OverdueNewcomer {
    pub row: NewcomerRow,
    pub tmt: NaiveDate,
    pub unit_id: i64,
}

/// The newcomers `p` may see who have overdue work, most overdue first
/// (the same people and figures as the dashboard).
pub async fn overdue(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    days: u32,
    l: Locale,
) -> Result<Vec<OverdueNewcomer>, AppError> {
    let mut all = newcomers(db, p, today, days, l).await?;
    all.retain(|n| n.row.overdue > 0);
    sort(&mut all, "terlambat");
    Ok(all
        .into_iter()
        .map(|n| OverdueNewcomer {
            row: n.row,
            tmt: n.tmt,
            unit_id: n.unit_id,
        })
        .collect())
}

/// Progress of the newcomers of one unit (the dashboard's bars, with counts).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitProgress {
    pub unit_id: i64,
    pub unit: String,
    pub newcomers: u32,
    pub done: u32,
    pub total: u32,
    pub overdue: u32,
}

/// Completion of required work by unit, for the newcomers `p` may see, by unit name.
pub async fn progress_by_unit(
    db: &DatabaseConnection,
    p: &Principal,
    today: NaiveDate,
    days: u32,
    l: Locale,
) -> Result<Vec<UnitProgress>, AppError> {
    let all = newcomers(db, p, today, days, l).await?;
    let mut by_unit: HashMap<i64, UnitProgress> = HashMap::new();
    for n in &all {
        let u = by_unit.entry(n.unit_id).or_insert_with(|| UnitProgress {
            unit_id: n.unit_id,
            unit: n.row.unit.clone(),
            newcomers: 0,
            done: 0,
            total: 0,
            overdue: 0,
        });
        u.newcomers += 1;
        u.done += n.row.done;
        u.total += n.row.total;
        u.overdue += n.row.overdue;
    }
    let mut rows: Vec<UnitProgress> = by_unit.into_values().collect();
    rows.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.unit_id.cmp(&b.unit_id)));
    Ok(rows)
}

// ------------------------------------------------------------ check-ins
//
// A check-in belongs to its transfer: who may write it is decided by the
// unit that transfer led to (`policy::Action::WriteCheckin`), never by where
// the person works today. Written once, it is read-only; only an
// administrator corrects it, with a reason, and the audit line keeps the old
// text beside the new one.

/// The longest correction reason kept.
pub const CORRECTION_REASON_MAX: usize = 500;
/// The longest check-in notes kept.
pub const NOTES_MAX: usize = 5000;

/// What the policy needs to decide who may write check-in `id`: its own
/// transfer's destination and that unit's ancestors. None if there is no
/// such check-in (or its transfer is gone).
pub async fn checkin_facts<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<CheckinFacts>, AppError> {
    match checkin::Entity::find_by_id(id).one(db).await? {
        Some(c) => transfer_checkin_facts(db, c.transfer_id).await,
        None => Ok(None),
    }
}

/// The check-in facts of the transfer `transfer_id` (all its check-ins share them).
pub async fn transfer_checkin_facts<C: ConnectionTrait>(
    db: &C,
    transfer_id: i64,
) -> Result<Option<CheckinFacts>, AppError> {
    let Some(t) = transfer::Entity::find_by_id(transfer_id).one(db).await? else {
        return Ok(None);
    };
    Ok(Some(CheckinFacts {
        destination_path: crate::backend::people::unit_lookup::unit_path(db, t.to_unit_id).await?,
    }))
}

/// A person's latest completed transfer: the one whose check-ins their
/// page shows and whose managers may write them.
pub async fn latest_completed_transfer<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
) -> Result<Option<transfer::Model>, AppError> {
    Ok(transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(employee_id))
        .filter(transfer::Column::State.eq("completed"))
        .order_by_desc(transfer::Column::Tmt)
        .one(db)
        .await?)
}

/// The check-in facts of the check-ins a person's page shows: those of
/// their latest completed transfer (the same one `people::page` lists).
pub async fn latest_checkin_facts<C: ConnectionTrait>(
    db: &C,
    employee_id: i64,
) -> Result<Option<CheckinFacts>, AppError> {
    match latest_completed_transfer(db, employee_id).await? {
        Some(t) => transfer_checkin_facts(db, t.id).await,
        None => Ok(None),
    }
}

/// A rating in the SKP words and notes of a bounded length.
fn check_entry(rating: &str, notes: &str) -> Result<(), AppError> {
    if !RATINGS.iter().any(|(k, _)| *k == rating) {
        let allowed: Vec<&str> = RATINGS.iter().map(|(_, l)| *l).collect();
        return Err(AppError::invalid(
            "rating",
            format!("Penilaian harus salah satu dari: {}", allowed.join(", ")),
            format!("The rating must be one of: {}", allowed.join(", ")),
        ));
    }
    if notes.chars().count() > NOTES_MAX {
        return Err(AppError::invalid(
            "notes",
            format!("Catatan terlalu panjang (maksimum {NOTES_MAX} karakter)"),
            format!("The notes are too long (at most {NOTES_MAX} characters)"),
        ));
    }
    Ok(())
}

/// A correction's reason, trimmed: required, and at most
/// [`CORRECTION_REASON_MAX`] characters.
fn correction_reason(reason: &str) -> Result<&str, AppError> {
    let reason = reason.trim();
    let (id, en) = match reason.chars().count() {
        0 => (
            "Alasan koreksi wajib diisi".to_string(),
            "A reason for the correction is required".to_string(),
        ),
        n if n > CORRECTION_REASON_MAX => (
            format!("Alasan koreksi terlalu panjang (maksimum {CORRECTION_REASON_MAX} karakter)"),
            format!(
                "The reason for the correction is too long (at most {CORRECTION_REASON_MAX} characters)"
            ),
        ),
        _ => return Ok(reason),
    };
    Err(AppError::invalid("reason", id, en))
}

/// The refusal of a second write: who wrote it, and who may still change it.
fn already_written(c: &checkin::Model) -> AppError {
    let by = c.written_by.as_deref().unwrap_or("-");
    AppError::conflict(
        format!(
            "Check-in hari ke-{} sudah diisi oleh {by} dan tidak dapat diubah lagi. \
             Hanya administrator yang dapat mengoreksinya, dengan alasan.",
            c.day_offset
        ),
        format!(
            "The day-{} check-in was already written by {by} and can no longer be changed. \
             Only an administrator can correct it, with a reason.",
            c.day_offset
        ),
    )
}

/// The manager writes an open check-in (once): a rating in the SKP words
/// and notes. A check-in already written is refused (`Conflict`) and left
/// as it was, even when two writers race: the update only touches a row
/// that is still unwritten. The caller has asked the policy
/// (`Action::WriteCheckin` with [`checkin_facts`]).
pub async fn write_checkin(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    rating: &str,
    notes: &str,
) -> Result<checkin::Model, AppError> {
    check_entry(rating, notes)?;
    let txn = crate::backend::db::begin_write(db).await?;
    let before = crate::backend::db::find::<checkin::Entity, _>(&txn, id).await?;
    if before.written_at.is_some() || before.rating.is_some() {
        return Err(already_written(&before));
    }
    let written = checkin::Entity::update_many()
        .col_expr(checkin::Column::Rating, Expr::value(rating))
        .col_expr(checkin::Column::Notes, Expr::value(notes.trim()))
        .col_expr(checkin::Column::WrittenBy, Expr::value(actor))
        .col_expr(checkin::Column::WrittenAt, Expr::value(chrono::Utc::now()))
        .filter(checkin::Column::Id.eq(id))
        .filter(checkin::Column::WrittenAt.is_null())
        .filter(checkin::Column::Rating.is_null())
        .exec(&txn)
        .await?;
    let after = crate::backend::db::find::<checkin::Entity, _>(&txn, id).await?;
    if written.rows_affected != 1 {
        // Another writer came first (PostgreSQL re-checks the condition
        // once their transaction commits).
        return Err(already_written(&after));
    }
    audit::changed(&txn, actor, "checkin.write", "checkin", id, &before, &after).await?;
    txn.commit().await?;
    Ok(after)
}

/// What the audit line of a correction holds as "after": the check-in as
/// corrected, and why.
#[derive(serde::Serialize)]
struct Corrected<'a> {
    #[serde(flatten)]
    checkin: &'a checkin::Model,
    reason: &'a str,
}

/// An administrator corrects a written check-in, with a reason (required,
/// at most [`CORRECTION_REASON_MAX`] characters). The audit line
/// `checkin.correct` keeps the old rating, notes and writer ("before")
/// and the new ones with the reason ("after"); the check-in then names the
/// administrator as its writer. An open check-in is not corrected but
/// written (`Conflict`). The caller has asked the policy
/// (`Action::CorrectCheckin`).
pub async fn correct_checkin(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    rating: &str,
    notes: &str,
    reason: &str,
) -> Result<checkin::Model, AppError> {
    let reason = correction_reason(reason)?;
    check_entry(rating, notes)?;
    let txn = crate::backend::db::begin_write(db).await?;
    let before = crate::backend::db::find::<checkin::Entity, _>(&txn, id).await?;
    if before.written_at.is_none() && before.rating.is_none() {
        return Err(AppError::conflict(
            format!(
                "Check-in hari ke-{} belum diisi, jadi belum ada yang dikoreksi: isi lewat formulir check-in.",
                before.day_offset
            ),
            format!(
                "The day-{} check-in has not been written yet, so there is nothing to correct: write it with the check-in form.",
                before.day_offset
            ),
        ));
    }
    let mut am = before.clone().into_active_model();
    am.rating = Set(Some(rating.into()));
    am.notes = Set(notes.trim().into());
    am.written_by = Set(Some(actor.into()));
    am.written_at = Set(Some(chrono::Utc::now()));
    let after = am.update(&txn).await?;
    audit::changed(
        &txn,
        actor,
        "checkin.correct",
        "checkin",
        id,
        &before,
        &Corrected {
            checkin: &after,
            reason,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use crate::backend::data::csv_out::spreadsheet_safe;

    #[test]
    fn formulas_become_text_in_exports() {
        for formula in ["=HYPERLINK(\"x\")", "+62", "@SUM(A1)"] {
            assert_eq!(spreadsheet_safe(formula), format!("'{formula}"));
        }
        assert_eq!(spreadsheet_safe("Siti Rahmah"), "Siti Rahmah");
    }
}
