//! Reminders and mail (issue 6). This folder holds deciding what is due and
//! queueing it (this file), what each kind means against the database
//! ([`kinds`]: relevance checks, facts), the outbox after queueing
//! ([`outbox`]), delivery ([`delivery`]), the managers' weekly digest
//! ([`digest`]) and writing and sending email ([`mail`]).
//!
//! May use: `crate::domain` (the pure decision and the meaning of each kind
//! in `domain::reminders`, schedules, dates), `crate::model`, the rest of
//! `crate::backend` (entities, db, config, and the services it reads facts
//! from: accounts, adaptation), `crate::error`, `crate::lang`,
//! `crate::i18n`; never `crate::api`, `crate::components` or `crate::pages`.
//!
//! Deciding reminders against the database: the snapshot the pure
//! decision (`domain::reminders`) needs, the outbox it fills, the scheduler
//! lease and the stored schedules. What happens to a queued message after
//! that (claims, attempts, relevance, resend, the log) is in
//! [`crate::backend::reminders::outbox`].
//!
//! Guarantees and how they are kept:
//!
//! - **Never duplicated.** `outbox.key` is unique and every insert is
//!   `ON CONFLICT (key) DO NOTHING`: a second tick, or two instances racing,
//!   insert nothing new (PostgreSQL waits for the other transaction's key and
//!   then skips it; SQLite serialises writers).
//! - **One tick at a time.** [`tick`] first takes the `scheduler_lease` row
//!   of its job ([`try_lease`]): a table lease rather than
//!   `pg_try_advisory_xact_lock`, because it behaves the same on SQLite and
//!   PostgreSQL and, being kept until it expires (it is not released at the
//!   end of the tick), it also stops a second instance whose clock fires a
//!   few seconds later from running the same scheduled slot again. If a tick
//!   ever outlived its lease, the unique key would still prevent duplicates.
//! - **One sender per message, never after the work is done**: see
//!   [`crate::backend::reminders::outbox`].
//!
//! Scale: the snapshot is a handful of queries whatever the number of rows
//! (only open assignments, only the needed columns, as tuples; the big one
//! in two halves at once), and the outbox is written in multi-row
//! statements as large as the parameter limit allows, each built on
//! another thread while the previous one runs.
//! Times are UTC; "today" is the local date in the schedule's time zone.

pub mod delivery;
pub mod digest;
pub mod kinds;
pub mod mail;
pub mod outbox;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    JoinType, QueryFilter, QuerySelect, QueryTrait, RelationDef, Set, TryInsertResult,
};
use serde::{Deserialize, Serialize};

use crate::{
    backend::db::begin_write,
    backend::entities::{
        account, assignment, checkin, completion, course, employee, outbox as outbox_entity, plan,
        schedule, scheduler_lease, transfer,
    },
    domain::{
        dates,
        plan::valid_until,
        progress::AssignmentState,
        reminders::{
            due_reminders, AssignmentFacts, CheckInFacts, ExpiringCompletion, PlanFacts, Reminder,
            ReminderKind, ReminderPolicy, Snapshot, Subject,
        },
        schedule::parse_schedule,
    },
    error::AppError,
    i18n::Locale,
    model::reminders::{form_label, ScheduleView, NEXT_RUNS},
};

/// The lease name of the reminders job (also its `schedules.name`).
pub const REMINDERS_JOB: &str = "reminders";
/// The lease name of the weekly digest job (also its `schedules.name`).
pub const DIGEST_JOB: &str = "digest";
/// How long a tick's lease lasts: far longer than a tick (seconds, even over
/// a million assignments), far shorter than the time between two ticks.
pub const LEASE_TTL_SECS: i64 = 300;
// ---------------------------------------------------------------------------
// Pure helpers
// ---------------------------------------------------------------------------

/// The stored word for what a reminder is about.
pub fn subject_kind(subject: Subject) -> &'static str {
    match subject {
        Subject::Assignment(_) => "assignment",
        Subject::Plan(_) => "plan",
        Subject::CheckIn(_) => "checkin",
        Subject::Completion(_) => "completion",
    }
}

/// Rows per multi-row INSERT: the database's parameter limit divided by the
/// number of columns written (the outbox writes all but `id`).
fn rows_per_statement(backend: DbBackend, columns: usize) -> usize {
    let params = match backend {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    };
    (params / columns.max(1)).max(1)
}

// ---------------------------------------------------------------------------
// Snapshot
// ---------------------------------------------------------------------------

fn join_def<A: EntityTrait, B: EntityTrait>(from: A::Column, to: B::Column) -> RelationDef {
    A::belongs_to(B::default()).from(from).to(to).into()
}

/// An inner join written as the two columns it matches: the entities come
/// from the columns (`.join_on(assignment::Column::EmployeeId,
/// employee::Column::Id)`).
trait JoinOn: QuerySelect {
    fn join_on<F, T>(self, from: F, to: T) -> Self
    where
        F: ColumnTrait,
        T: ColumnTrait,
        F::EntityName: EntityTrait<Column = F>,
        T::EntityName: EntityTrait<Column = T>,
    {
        self.join(
            JoinType::InnerJoin,
            join_def::<F::EntityName, T::EntityName>(from, to),
        )
    }
}

impl<Q: QuerySelect> JoinOn for Q {}

/// The employees whose account is deactivated (issue 17). They get no
/// email, and nothing is decided about them either: a person who left has
/// no open training to remind anyone of, so their supervisor gets no
/// escalation or check-in reminder about them. Few rows (people who left),
/// read in one statement.
pub async fn deactivated_employees<C: ConnectionTrait>(db: &C) -> Result<HashSet<i64>, DbErr> {
    let ids: Vec<i64> = account::Entity::find()
        .select_only()
        .column(account::Column::EmployeeId)
        .filter(
            Condition::any()
                .add(account::Column::Active.eq(false))
                .add(account::Column::DeactivatedAt.is_not_null()),
        )
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

/// (id, plan, employee, supervisor, due, state) of the assignments
/// matching `filter` (which says "open").
type OpenRow = (i64, i64, i64, Option<i64>, NaiveDate, String);

async fn open_assignments<C: ConnectionTrait>(
    db: &C,
    filter: sea_orm::sea_query::SimpleExpr,
) -> Result<Vec<OpenRow>, DbErr> {
    assignment::Entity::find()
        .select_only()
        .column(assignment::Column::Id)
        .column(assignment::Column::PlanId)
        .column(assignment::Column::EmployeeId)
        .column(employee::Column::SupervisorId)
        .column(assignment::Column::DueDate)
        .column(assignment::Column::State)
        .join_on(assignment::Column::EmployeeId, employee::Column::Id)
        .filter(filter)
        .into_tuple()
        .all(db)
        .await
}

/// What [`due_reminders`] needs, from the real tables, in a handful of
/// queries: open transfer plans created recently enough to be announced;
/// the open assignments (with the employee's supervisor) that can produce
/// something today (due no later than the largest due-soon offset) and all
/// open assignments of those plans; unwritten check-ins of completed
/// transfers; and, per person and course, the latest completion whose
/// validity ends inside the notice window, with whether a renewal is open. Kinds the policy switches
/// off are not loaded. `tz` turns a plan's creation time into a local date.
/// Nothing about a person whose account is deactivated is included
/// ([`deactivated_employees`]).
pub async fn snapshot<C: ConnectionTrait, Z: TimeZone + Sync>(
    db: &C,
    policy: &ReminderPolicy,
    today: NaiveDate,
    tz: &Z,
) -> Result<Snapshot, AppError> {
    let mut plans = Vec::new();
    if policy.new_plan {
        // One day of margin either side of the time-zone conversion.
        let first_day = today - chrono::Days::new(u64::from(policy.new_plan_days) + 1);
        let since = first_day.and_time(chrono::NaiveTime::MIN).and_utc();
        let rows: Vec<(i64, i64, DateTime<Utc>)> = plan::Entity::find()
            .select_only()
            .column(plan::Column::Id)
            .column(plan::Column::EmployeeId)
            .column(plan::Column::CreatedAt)
            .filter(plan::Column::Kind.eq("transfer"))
            .filter(plan::Column::State.eq("open"))
            .filter(plan::Column::CreatedAt.gte(since))
            .into_tuple()
            .all(db)
            .await?;
        plans = rows
            .into_iter()
            .map(|(id, employee_id, created_at)| PlanFacts {
                id,
                employee_id,
                created_on: created_at.with_timezone(tz).date_naive(),
            })
            .collect();
    }

    // Open assignments that can produce something today: everything due
    // up to the largest due-soon offset (later work is silent today), and
    // every open assignment of the plans above (a plan is announced only
    // while it has open work). On a large installation most open work lies
    // further ahead, so this is the biggest saving of the tick.
    let horizon = if policy.due_soon {
        policy.due_soon_days.iter().copied().max().unwrap_or(0)
    } else {
        0
    };
    let until = today + chrono::Days::new(u64::from(horizon));
    // Read in two halves at once: turning rows into values is the slow
    // part, and a second connection puts the second core to work (WAL lets
    // SQLite read in parallel too). On PostgreSQL the halves are two date
    // ranges of the (state, due date) index. On SQLite they are two rowid
    // ranges of one table scan: most open work is due within weeks, and
    // fetching each row through the index costs more than skipping rows
    // in a scan (the `+` keeps SQLite's planner off the indexes).
    let (mut rows, later) = if db.get_database_backend() == DbBackend::Sqlite {
        let (low, high): (Option<i64>, Option<i64>) = assignment::Entity::find()
            .select_only()
            .column_as(assignment::Column::Id.min(), "low")
            .column_as(assignment::Column::Id.max(), "high")
            .into_tuple()
            .one(db)
            .await?
            .unwrap_or((None, None));
        let (low, high) = (low.unwrap_or(0), high.unwrap_or(-1));
        let middle = low + (high - low) / 2;
        let scan = |from: i64, to: i64| {
            Expr::cust_with_values(
                r#"+"assignments"."due_date" <= ? AND +"assignments"."state" IN (?, ?) AND "assignments"."id" BETWEEN ? AND ?"#,
                [
                    sea_orm::Value::from(until),
                    assignment::OPEN_STATES[0].into(),
                    assignment::OPEN_STATES[1].into(),
                    from.into(),
                    to.into(),
                ],
            )
        };
        futures::try_join!(
            open_assignments(db, scan(low, middle)),
            open_assignments(db, scan(middle + 1, high))
        )?
    } else {
        let earliest: Option<NaiveDate> = assignment::Entity::find()
            .select_only()
            .column_as(assignment::Column::DueDate.min(), "earliest")
            .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
            .into_tuple()
            .one(db)
            .await?
            .flatten();
        let open = assignment::Column::State.is_in(assignment::OPEN_STATES);
        let middle = earliest
            .filter(|e| *e < until)
            .map(|e| e + chrono::Days::new(((until - e).num_days() / 2).max(0) as u64))
            .unwrap_or(until);
        futures::try_join!(
            open_assignments(
                db,
                sea_orm::sea_query::ExprTrait::and(
                    open.clone(),
                    assignment::Column::DueDate.lte(middle)
                )
            ),
            open_assignments(
                db,
                sea_orm::sea_query::ExprTrait::and(
                    open,
                    assignment::Column::DueDate.between(middle + chrono::Days::new(1), until)
                )
            )
        )?
    };
    rows.extend(later);
    if !plans.is_empty() {
        let loaded: HashSet<i64> = rows.iter().map(|r| r.0).collect();
        let plan_ids: Vec<i64> = plans.iter().map(|p: &PlanFacts| p.id).collect();
        for chunk in plan_ids.chunks(10_000) {
            let extra = open_assignments(
                db,
                sea_orm::sea_query::ExprTrait::and(
                    assignment::Column::State.is_in(assignment::OPEN_STATES),
                    assignment::Column::PlanId.is_in(chunk.iter().copied()),
                ),
            )
            .await?;
            rows.extend(extra.into_iter().filter(|r| !loaded.contains(&r.0)));
        }
    }
    let mut assignments = Vec::with_capacity(rows.len());
    for (id, plan_id, employee_id, supervisor_id, due, state) in rows {
        let Some(state) = AssignmentState::parse(&state) else {
            continue;
        };
        assignments.push(AssignmentFacts {
            id,
            plan_id,
            employee_id,
            supervisor_id,
            due,
            state,
        });
    }

    let mut checkins = Vec::new();
    if policy.checkin {
        let horizon = today + chrono::Days::new(u64::from(policy.checkin_notice_days));
        let rows: Vec<(i64, i64, Option<i64>, NaiveDate)> = checkin::Entity::find()
            .select_only()
            .column(checkin::Column::Id)
            .column(transfer::Column::EmployeeId)
            .column(employee::Column::SupervisorId)
            .column(checkin::Column::DueDate)
            .join_on(checkin::Column::TransferId, transfer::Column::Id)
            .join_on(transfer::Column::EmployeeId, employee::Column::Id)
            .filter(checkin::Column::WrittenAt.is_null())
            .filter(transfer::Column::State.eq("completed"))
            .filter(checkin::Column::DueDate.lte(horizon))
            .into_tuple()
            .all(db)
            .await?;
        checkins = rows
            .into_iter()
            .map(|(id, employee_id, supervisor_id, due)| CheckInFacts {
                id,
                employee_id,
                supervisor_id,
                due,
                written: false,
            })
            .collect();
    }

    let mut expiring = Vec::new();
    if policy.recert {
        let rows: Vec<(i64, i64, i64, NaiveDate, Option<i32>)> = completion::Entity::find()
            .select_only()
            .column(completion::Column::Id)
            .column(completion::Column::EmployeeId)
            .column(completion::Column::CourseId)
            .column(completion::Column::CompletedOn)
            .column(course::Column::ValidityMonths)
            .join_on(completion::Column::CourseId, course::Column::Id)
            .filter(course::Column::ValidityMonths.is_not_null())
            .filter(completion::Column::CompletedOn.lte(today))
            .into_tuple()
            .all(db)
            .await?;
        // The latest completion per person and course decides (as in
        // `domain::recert::renewals_due`: by date, then record id).
        let mut latest: HashMap<(i64, i64), (NaiveDate, i64, Option<i32>)> = HashMap::new();
        for (id, employee_id, course_id, on, months) in rows {
            let e = latest
                .entry((employee_id, course_id))
                .or_insert((on, id, months));
            if (on, id) > (e.0, e.1) {
                *e = (on, id, months);
            }
        }
        let horizon = today + chrono::Days::new(u64::from(policy.recert_notice_days));
        let candidates: Vec<((i64, i64), i64, NaiveDate)> = latest
            .into_iter()
            .filter_map(|(person_course, (on, id, months))| {
                let expires_on = valid_until(on, months.map(|m| m.max(0) as u32))?;
                (today..=horizon)
                    .contains(&expires_on)
                    .then_some((person_course, id, expires_on))
            })
            .collect();
        // Is a renewal already open? (The person has open work on the course.)
        let mut people: Vec<i64> = candidates.iter().map(|c| c.0 .0).collect();
        people.sort_unstable();
        people.dedup();
        let mut open_work: HashSet<(i64, i64)> = HashSet::new();
        for chunk in people.chunks(10_000) {
            let pairs: Vec<(i64, i64)> = assignment::Entity::find()
                .select_only()
                .column(assignment::Column::EmployeeId)
                .column(assignment::Column::CourseId)
                .filter(assignment::Column::EmployeeId.is_in(chunk.iter().copied()))
                .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
                .into_tuple()
                .all(db)
                .await?;
            open_work.extend(pairs);
        }
        expiring = candidates
            .into_iter()
            .map(
                |((employee_id, course_id), id, expires_on)| ExpiringCompletion {
                    record_id: id,
                    employee_id,
                    expires_on,
                    renewal_open: open_work.contains(&(employee_id, course_id)),
                },
            )
            .collect();
        expiring.sort_by_key(|e| e.record_id);
    }

    let gone = deactivated_employees(db).await?;
    if !gone.is_empty() {
        assignments.retain(|a| !gone.contains(&a.employee_id));
        plans.retain(|p| !gone.contains(&p.employee_id));
        checkins.retain(|c| !gone.contains(&c.employee_id));
        expiring.retain(|e| !gone.contains(&e.employee_id));
    }

    Ok(Snapshot {
        assignments,
        plans,
        checkins,
        expiring,
    })
}

// ---------------------------------------------------------------------------
// Enqueue
// ---------------------------------------------------------------------------

/// What [`enqueue`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enqueued {
    /// New outbox rows (keys already present are not counted).
    pub inserted: u64,
    /// Reminders whose recipient has no email address (or no longer exists,
    /// or their account is deactivated): not queued. A later tick queues
    /// them once an address is known.
    pub skipped_no_email: u64,
}

/// One message to queue: a decided [`Reminder`], or a weekly digest
/// (which has no single subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    pub key: String,
    pub kind: ReminderKind,
    pub recipient_employee_id: i64,
    /// `assignment`, `plan`, `checkin`, `completion` or `digest`.
    pub subject_kind: &'static str,
    pub subject_id: Option<i64>,
    pub occurrence: String,
}

impl From<&Reminder> for Queued {
    fn from(r: &Reminder) -> Self {
        Queued {
            key: r.key.clone(),
            kind: r.kind,
            recipient_employee_id: r.recipient_employee_id,
            subject_kind: subject_kind(r.subject),
            subject_id: Some(r.subject.id()),
            occurrence: r.occurrence.clone(),
        }
    }
}

/// Which of `items`' keys are in the outbox already: looked up in chunks,
/// two at a time (two connections, two cores).
async fn existing_keys(
    db: &DatabaseConnection,
    items: &[Queued],
) -> Result<HashSet<String>, AppError> {
    const CHUNK: usize = 10_000;
    let lookup = |chunk: &[Queued]| {
        let keys: Vec<String> = chunk.iter().map(|r| r.key.clone()).collect();
        async move {
            outbox_entity::Entity::find()
                .select_only()
                .column(outbox_entity::Column::Key)
                .filter(outbox_entity::Column::Key.is_in(keys))
                .into_tuple::<String>()
                .all(db)
                .await
        }
    };
    let mut found = HashSet::new();
    let mut chunks = items.chunks(CHUNK);
    loop {
        let (a, b) = (chunks.next(), chunks.next());
        let Some(a) = a else { break };
        let (x, y) = futures::try_join!(lookup(a), async {
            match b {
                Some(b) => lookup(b).await,
                None => Ok(Vec::new()),
            }
        })?;
        found.extend(x);
        found.extend(y);
    }
    Ok(found)
}

/// Puts reminders into the outbox; see [`enqueue_queued`].
pub async fn enqueue(
    db: &DatabaseConnection,
    reminders: &[Reminder],
    now: DateTime<Utc>,
) -> Result<Enqueued, AppError> {
    enqueue_queued(db, reminders.iter().map(Queued::from).collect(), now).await
}

/// [`enqueue_queued`] that takes `lease` in the same transaction as the
/// rows it writes: `None` (nothing written) when someone else holds it. A
/// process killed before the commit leaves neither rows nor lease, so the
/// next tick (a restart) runs at once instead of waiting for it to expire.
pub async fn enqueue_leased(
    db: &DatabaseConnection,
    items: Vec<Queued>,
    now: DateTime<Utc>,
    lease: &LeaseClaim<'_>,
) -> Result<Option<Enqueued>, AppError> {
    write_outbox(db, items, now, Some(lease)).await
}

/// Puts messages into the outbox as `pending`, due now, with the
/// recipient's address and language, in ONE transaction, skipping keys that
/// are already there (`ON CONFLICT (key) DO NOTHING`). Running it twice, or
/// on two instances at once, never creates two rows for one key.
pub async fn enqueue_queued(
    db: &DatabaseConnection,
    items: Vec<Queued>,
    now: DateTime<Utc>,
) -> Result<Enqueued, AppError> {
    Ok(write_outbox(db, items, now, None)
        .await?
        .unwrap_or_default())
}

/// Nothing to write: the lease alone decides whether this run counts.
async fn lease_only(
    db: &DatabaseConnection,
    lease: Option<&LeaseClaim<'_>>,
    report: Enqueued,
) -> Result<Option<Enqueued>, AppError> {
    match lease {
        None => Ok(Some(report)),
        Some(l) => Ok(try_lease(db, l.name, l.holder, l.now, l.ttl)
            .await?
            .then_some(report)),
    }
}

async fn write_outbox(
    db: &DatabaseConnection,
    mut items: Vec<Queued>,
    now: DateTime<Utc>,
    lease: Option<&LeaseClaim<'_>>,
) -> Result<Option<Enqueued>, AppError> {
    let mut report = Enqueued::default();
    if items.is_empty() {
        return lease_only(db, lease, report).await;
    }
    // A person whose account is deactivated gets nothing: counted as
    // skipped, as someone without an address is.
    let gone = deactivated_employees(db).await?;
    if !gone.is_empty() {
        let before = items.len();
        items.retain(|r| !gone.contains(&r.recipient_employee_id));
        report.skipped_no_email += (before - items.len()) as u64;
        if items.is_empty() {
            return lease_only(db, lease, report).await;
        }
    }
    // Addresses first, outside the write transaction, in chunks well below
    // every parameter limit.
    let mut ids: Vec<i64> = items.iter().map(|r| r.recipient_employee_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut address: HashMap<i64, (String, String)> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(10_000) {
        let rows: Vec<(i64, Option<String>, String)> = employee::Entity::find()
            .select_only()
            .column(employee::Column::Id)
            .column(employee::Column::Email)
            .column(employee::Column::Language)
            .filter(employee::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        for (id, email, language) in rows {
            if let Some(email) = email
                .map(|e| e.trim().to_string())
                .filter(|e| !e.is_empty())
            {
                address.insert(id, (email, language));
            }
        }
    }

    // In key order, without repeats: two transactions inserting overlapping
    // keys then wait for each other in the same order and cannot deadlock
    // (PostgreSQL), whatever order their snapshots were read in.
    items.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    items.dedup_by(|a, b| a.key == b.key);
    let (skipped, items): (Vec<Queued>, Vec<Queued>) = items
        .into_iter()
        .partition(|r| !address.contains_key(&r.recipient_employee_id));
    report.skipped_no_email += skipped.len() as u64;
    // Keys already queued (earlier ticks, another instance) are left out
    // before writing: on a normal day most of what is due was queued on an
    // earlier day (an escalation stays due until the work is done), and
    // looking a key up costs far less than offering it to the INSERT. The
    // INSERT still skips conflicts, for a concurrent tick.
    let existing = existing_keys(db, &items).await?;
    let items: Vec<Queued> = items
        .into_iter()
        .filter(|r| !existing.contains(r.key.as_str()))
        .collect();
    if items.is_empty() {
        return lease_only(db, lease, report).await;
    }
    // Statements are built on a blocking thread while the previous one
    // runs: building (values, SQL text) costs about as much as executing.
    let backend = db.get_database_backend();
    let per = rows_per_statement(backend, 11);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<sea_orm::Statement>(2);
    let builder = tokio::task::spawn_blocking(move || {
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let batch: Vec<outbox_entity::ActiveModel> = items
                .by_ref()
                .take(per)
                .map(|r| {
                    let (to, language) = &address[&r.recipient_employee_id];
                    outbox_entity::ActiveModel {
                        key: Set(r.key),
                        kind: Set(r.kind.as_str().into()),
                        recipient_employee_id: Set(r.recipient_employee_id),
                        subject_kind: Set(r.subject_kind.into()),
                        subject_id: Set(r.subject_id),
                        occurrence: Set(r.occurrence),
                        to_address: Set(to.clone()),
                        language: Set(language.clone()),
                        created_at: Set(now),
                        state: Set(outbox_entity::PENDING.into()),
                        next_attempt_at: Set(now),
                        // attempts (0), claimed_until, last_error and
                        // sent_at (NULL) take the table's defaults: fewer
                        // values to bind per row.
                        ..Default::default()
                    }
                })
                .collect();
            let statement = outbox_entity::Entity::insert_many(batch)
                .on_conflict(
                    OnConflict::column(outbox_entity::Column::Key)
                        .do_nothing()
                        .to_owned(),
                )
                .build(backend);
            if tx.blocking_send(statement).is_err() {
                return; // the writer gave up
            }
        }
    });
    let txn = begin_write(db).await?;
    if let Some(lease) = lease {
        if !take_lease(&txn, lease).await? {
            drop(rx); // the builder stops
            txn.rollback().await?;
            let _ = builder.await;
            return Ok(None);
        }
    }
    while let Some(statement) = rx.recv().await {
        report.inserted += txn.execute_raw(statement).await?.rows_affected();
    }
    builder.await.map_err(|e| AppError::Internal {
        reference: format!("outbox-builder: {e}"),
    })?;
    txn.commit().await?;
    // After a large insert PostgreSQL's statistics still describe the small
    // table of before (autovacuum analyses later), and the next tick's key
    // lookups would be planned as scans: refresh them now (a sample, fast).
    if backend == DbBackend::Postgres && report.inserted > 10_000 {
        db.execute_unprepared("ANALYZE outbox").await?;
    }
    Ok(Some(report))
}

// ---------------------------------------------------------------------------
// Lease and tick
// ---------------------------------------------------------------------------

/// Takes (or renews) the lease of job `name` for `holder` until `now + ttl`.
/// True when `holder` has it now; false when someone else holds an
/// unexpired lease. In one write transaction: insert the row if absent
/// (`ON CONFLICT DO NOTHING`), otherwise one `UPDATE … WHERE expires_at <
/// now OR holder = me`. On PostgreSQL the UPDATE locks the row and re-checks
/// the condition after a concurrent winner commits; on SQLite writers are
/// serialised by `BEGIN IMMEDIATE`.
pub async fn try_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    ttl: chrono::Duration,
) -> Result<bool, AppError> {
    let txn = begin_write(db).await?;
    let got = take_lease(
        &txn,
        &LeaseClaim {
            name,
            holder,
            now,
            ttl,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(got)
}

/// A lease to take inside another write transaction (see [`tick`]).
pub struct LeaseClaim<'a> {
    pub name: &'a str,
    pub holder: &'a str,
    pub now: DateTime<Utc>,
    pub ttl: chrono::Duration,
}

/// [`try_lease`]'s work, in the caller's write transaction.
async fn take_lease<C: ConnectionTrait>(c: &C, claim: &LeaseClaim<'_>) -> Result<bool, AppError> {
    let until = claim.now + claim.ttl;
    let inserted = scheduler_lease::Entity::insert(scheduler_lease::ActiveModel {
        name: Set(claim.name.into()),
        holder: Set(claim.holder.into()),
        expires_at: Set(until),
    })
    .on_conflict_do_nothing_on([scheduler_lease::Column::Name])
    .exec_without_returning(c)
    .await?;
    Ok(match inserted {
        TryInsertResult::Inserted(n) if n > 0 => true,
        _ => {
            scheduler_lease::Entity::update_many()
                .col_expr(scheduler_lease::Column::Holder, Expr::value(claim.holder))
                .col_expr(scheduler_lease::Column::ExpiresAt, Expr::value(until))
                .filter(scheduler_lease::Column::Name.eq(claim.name))
                .filter(
                    Condition::any()
                        .add(scheduler_lease::Column::ExpiresAt.lt(claim.now))
                        .add(scheduler_lease::Column::Holder.eq(claim.holder)),
                )
                .exec(c)
                .await?
                .rows_affected
                == 1
        }
    })
}

/// Whether `holder` could take lease `name` now (nobody has it, it has
/// expired, or it is `holder`'s): a read, to skip work early.
pub async fn lease_is_free(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    Ok(
        match scheduler_lease::Entity::find_by_id(name.to_string())
            .one(db)
            .await?
        {
            None => true,
            Some(l) => l.expires_at < now || l.holder == holder,
        },
    )
}

/// Gives the lease up (on shutdown), if `holder` has it.
pub async fn release_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
) -> Result<bool, AppError> {
    let r = scheduler_lease::Entity::delete_many()
        .filter(scheduler_lease::Column::Name.eq(name))
        .filter(scheduler_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(r.rows_affected > 0)
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TickReport {
    /// Reminders due now (including those already in the outbox).
    pub decided: u64,
    /// New outbox rows.
    pub inserted: u64,
    /// Due, but the recipient has no email address.
    pub skipped_no_email: u64,
}

/// One reminders tick at `now` (local time in the schedule's time zone; its
/// date is "today"): load the snapshot, decide, and enqueue, taking the
/// lease as `holder` in the enqueue's transaction (a tick killed midway
/// leaves no lease behind). `None`: another holder has the lease, nothing
/// was written. An unexpired lease of another holder is seen before the
/// snapshot is read, so a second instance's tick of the same slot costs a
/// read, not a snapshot.
pub async fn tick<Z>(
    db: &DatabaseConnection,
    policy: &ReminderPolicy,
    holder: &str,
    now: DateTime<Z>,
) -> Result<Option<TickReport>, AppError>
where
    Z: TimeZone + Send + Sync,
    Z::Offset: Send + Sync,
{
    let utc = now.with_timezone(&Utc);
    if !lease_is_free(db, REMINDERS_JOB, holder, utc).await? {
        return Ok(None);
    }
    let today = now.date_naive();
    let tz = now.timezone();
    let snap = snapshot(db, policy, today, &tz).await?;
    let due = due_reminders(&snap, policy, today);
    let claim = LeaseClaim {
        name: REMINDERS_JOB,
        holder,
        now: utc,
        ttl: chrono::Duration::seconds(LEASE_TTL_SECS),
    };
    let items = due.iter().map(Queued::from).collect();
    let Some(done) = enqueue_leased(db, items, utc, &claim).await? else {
        return Ok(None);
    };
    Ok(Some(TickReport {
        decided: due.len() as u64,
        inserted: done.inserted,
        skipped_no_email: done.skipped_no_email,
    }))
}

// ---------------------------------------------------------------------------
// Schedules
// ---------------------------------------------------------------------------

/// The expression of schedule `name` ([`REMINDERS_JOB`], [`DIGEST_JOB`]) as
/// an administrator saved it, or `default` (from configuration) when nobody
/// has.
pub async fn schedule_expression<C: ConnectionTrait>(
    db: &C,
    name: &str,
    default: &str,
) -> Result<String, AppError> {
    Ok(schedule::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
        .map(|s| s.expression)
        .unwrap_or_else(|| default.to_string()))
}

/// Saves (creates or replaces) schedule `name`. The expression is stored as
/// given: the caller checks it first with the scheduler's cron parser.
pub async fn save_schedule<C: ConnectionTrait>(
    db: &C,
    name: &str,
    expression: &str,
    updated_by: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    schedule::Entity::insert(schedule::ActiveModel {
        name: Set(name.into()),
        expression: Set(expression.trim().into()),
        updated_at: Set(now),
        updated_by: Set(updated_by.into()),
    })
    .on_conflict(
        OnConflict::column(schedule::Column::Name)
            .update_columns([
                schedule::Column::Expression,
                schedule::Column::UpdatedAt,
                schedule::Column::UpdatedBy,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// "Senin, 30 November 2026 pukul 07.00 WIB" / "Monday, 30 November 2026 at 07:00 WIB".
fn run_in_words(t: &DateTime<chrono_tz::Tz>, l: Locale) -> String {
    use chrono::Datelike;
    let day = t.weekday().num_days_from_monday() as usize;
    let day = match l {
        Locale::id => dates::DAYS_ID[day],
        Locale::en => dates::DAYS_EN[day],
    };
    format!("{day}, {}", in_words(t, l))
}

/// "30 November 2026 pukul 07.00 WIB": a local time with its zone.
fn in_words(t: &DateTime<chrono_tz::Tz>, l: Locale) -> String {
    dates::long_date_time_in(t.naive_local(), &t.format("%Z").to_string(), l)
}

/// Schedule `name` as it is in force (saved, else `configured`), with the
/// form it was understood as and its next [`NEXT_RUNS`] runs after `now`
/// (in `now`'s zone), in words of `l`.
pub async fn schedule_view<C: ConnectionTrait>(
    db: &C,
    name: &str,
    configured: &str,
    now: DateTime<chrono_tz::Tz>,
    l: Locale,
) -> Result<ScheduleView, AppError> {
    let stored = schedule::Entity::find_by_id(name.to_string())
        .one(db)
        .await?;
    let expression = stored
        .as_ref()
        .map(|s| s.expression.clone())
        .unwrap_or_else(|| configured.to_string());
    let tz = now.timezone();
    let mut view = ScheduleView {
        name: name.to_string(),
        expression: expression.clone(),
        configured: configured.to_string(),
        saved: stored.is_some(),
        updated_by: stored.as_ref().map(|s| s.updated_by.clone()),
        updated_at: stored
            .as_ref()
            .map(|s| in_words(&s.updated_at.with_timezone(&tz), l)),
        form: None,
        form_label: String::new(),
        next_runs: Vec::new(),
        next_runs_iso: Vec::new(),
        problem: None,
    };
    match parse_schedule(&expression) {
        Ok(parsed) => {
            let form = parsed.form.as_str();
            view.form = Some(form.to_string());
            view.form_label = form_label(form, l).unwrap_or(form).to_string();
            let runs = parsed.next_runs(&now, NEXT_RUNS);
            view.next_runs = runs.iter().map(|r| run_in_words(r, l)).collect();
            view.next_runs_iso = runs.iter().map(|r| r.to_rfc3339()).collect();
        }
        Err(e) => view.problem = Some(e.message(crate::lang::code(l))),
    }
    Ok(view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_stay_inside_the_parameter_limits() {
        assert_eq!(rows_per_statement(DbBackend::Sqlite, 16), 2047);
        assert_eq!(rows_per_statement(DbBackend::Postgres, 16), 4095);
        assert!(rows_per_statement(DbBackend::Sqlite, 16) * 16 <= 32_766);
        assert_eq!(rows_per_statement(DbBackend::Sqlite, 0), 32_766);
    }

    #[test]
    fn subject_kinds_are_distinct_words() {
        let kinds: HashSet<&str> = [
            Subject::Assignment(1),
            Subject::Plan(1),
            Subject::CheckIn(1),
            Subject::Completion(1),
        ]
        .into_iter()
        .map(subject_kind)
        .collect();
        assert_eq!(kinds.len(), 4);
    }
}
