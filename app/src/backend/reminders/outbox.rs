//! The outbox's life after a reminder is queued (issue 6): claiming messages
//! for delivery, recording what became of each attempt, the relevance check
//! just before sending, an administrator's resend, and the log they read.
//!
//! States: `pending` → `sent` | `failed` (after the last attempt, or a
//! permanent refusal) | `cancelled` (no longer relevant). `failed` →
//! `pending` again by [`resend`]. Every transition is one conditional
//! `UPDATE … WHERE state = 'pending'` (or `failed`), so two workers can
//! never both record an outcome for one message.
//!
//! **One sender per message.** [`claim`] sets `claimed_until` on a batch in
//! one transaction: on PostgreSQL the batch is selected `FOR UPDATE SKIP
//! LOCKED`, so concurrent workers take different rows without waiting; on
//! SQLite the transaction is `BEGIN IMMEDIATE`, so claimers run one after
//! the other. A crashed worker's claim simply expires, and the message is
//! claimed again: a crash between sending and [`mark_sent`] repeats that
//! one message, nothing else.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use sea_orm::{Set, UpdateMany};

use crate::{
    backend::{db::begin_write, entities::outbox, reminders::kinds},
    domain::reminders::ReminderKind,
    error::AppError,
    i18n::Locale,
    model::reminders::{
        kind_label, state_label, LogFilter, OutboxPage, OutboxRow, StateCount, PAGE_SIZE, STATES,
    },
};

/// The wait after the `failures`-th failed attempt (1-based): 1 min × 2^(n−1),
/// at most 6 h. 0 is read as 1.
pub fn backoff(failures: u32) -> chrono::Duration {
    let exp = failures.saturating_sub(1).min(30);
    chrono::Duration::seconds((60i64 << exp).min(MAX_BACKOFF_SECS))
}

/// The longest wait between two delivery attempts.
pub const MAX_BACKOFF_SECS: i64 = 6 * 3600;

/// Claims up to `batch` messages for `lease_secs` seconds: pending, due
/// (`next_attempt_at <= now`) and not claimed by someone else (no claim or
/// an expired one), oldest first. Returned with `claimed_until` set.
pub async fn claim(
    db: &DatabaseConnection,
    batch: u64,
    now: DateTime<Utc>,
    lease_secs: i64,
) -> Result<Vec<outbox::Model>, AppError> {
    if batch == 0 {
        return Ok(Vec::new());
    }
    let until = now + chrono::Duration::seconds(lease_secs.max(1));
    let txn = begin_write(db).await?;
    let mut q = outbox::Entity::find()
        .filter(outbox::Column::State.eq(outbox::PENDING))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(batch);
    if db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
    }
    let mut rows = q.all(&txn).await?;
    if !rows.is_empty() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::ClaimedUntil, Expr::value(until))
            .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    for r in &mut rows {
        r.claimed_until = Some(until);
    }
    Ok(rows)
}

async fn pending_row(
    txn: &DatabaseTransaction,
    id: i64,
) -> Result<Option<outbox::Model>, AppError> {
    Ok(outbox::Entity::find_by_id(id)
        .filter(outbox::Column::State.eq(outbox::PENDING))
        .one(txn)
        .await?)
}

/// One conditional transition of message `id` from state `from` to `to`:
/// it applies, with `set` (the other columns it changes), only while the
/// message is in state `from`, and its claim ends. True if it applied.
async fn transition<C: ConnectionTrait>(
    db: &C,
    id: i64,
    (from, to): (&str, &str),
    set: UpdateMany<outbox::Entity>,
) -> Result<bool, AppError> {
    let r = set
        .col_expr(outbox::Column::State, Expr::value(to))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::State.eq(from))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The message went out. False if it was not pending.
pub async fn mark_sent(
    db: &DatabaseConnection,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let set = outbox::Entity::update_many()
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(
            outbox::Column::Attempts,
            sea_orm::sea_query::ExprTrait::add(Expr::col(outbox::Column::Attempts), 1),
        );
    transition(db, id, (outbox::PENDING, outbox::SENT), set).await
}

/// A delivery attempt failed: count it, remember the error, and either wait
/// [`backoff`] (attempts so far) or, at `max_attempts`, give up (`failed`,
/// shown to administrators, who may [`resend`]). The claim ends either way.
/// Returns the updated row, `None` if it was not pending.
pub async fn mark_failed_attempt(
    db: &DatabaseConnection,
    id: i64,
    error: &str,
    now: DateTime<Utc>,
    max_attempts: u32,
) -> Result<Option<outbox::Model>, AppError> {
    let txn = begin_write(db).await?;
    let Some(row) = pending_row(&txn, id).await? else {
        txn.commit().await?;
        return Ok(None);
    };
    let attempts = row.attempts.max(0) as u32 + 1;
    let mut am: outbox::ActiveModel = row.into();
    am.attempts = Set(attempts.min(i32::MAX as u32) as i32);
    am.last_error = Set(Some(error.chars().take(2000).collect()));
    am.claimed_until = Set(None);
    if attempts >= max_attempts.max(1) {
        am.state = Set(outbox::FAILED.into());
    } else {
        am.next_attempt_at = Set(now + backoff(attempts));
    }
    let after = sea_orm::ActiveModelTrait::update(am, &txn).await?;
    txn.commit().await?;
    Ok(Some(after))
}

/// The message is no longer relevant (the work was done meanwhile): it will
/// never be sent. False if it was not pending.
pub async fn mark_cancelled(
    db: &DatabaseConnection,
    id: i64,
    reason: &str,
) -> Result<bool, AppError> {
    let set = outbox::Entity::update_many().col_expr(
        outbox::Column::LastError,
        Expr::value(Some(reason.to_string())),
    );
    transition(db, id, (outbox::PENDING, outbox::CANCELLED), set).await
}

/// An administrator sends a failed message again: pending, due now, attempts
/// counted from zero (the last error stays for the log). False if it was
/// not failed.
pub async fn resend<C: ConnectionTrait>(
    db: &C,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let set = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now));
    transition(db, id, (outbox::FAILED, outbox::PENDING), set).await
}

/// Re-checked just before sending: is the message still true? No reminder
/// for completed, waived or cancelled work, for a plan without open work, a
/// written check-in, or a completion whose renewal is already open; no
/// set-password link for a deactivated account, or when a newer link was
/// asked for since (only the newest one is sent). Digests and unknown kinds
/// are always relevant. Each kind's check is its
/// [`Relevance`](crate::domain::reminders::Relevance), carried out in
/// [`kinds`].
pub async fn still_relevant<C: ConnectionTrait>(
    db: &C,
    message: &outbox::Model,
) -> Result<bool, AppError> {
    let Some(subject_id) = message.subject_id else {
        return Ok(true);
    };
    let Some(kind) = ReminderKind::parse(&message.kind) else {
        return Ok(true);
    };
    kinds::still_relevant(db, kind.spec(), message, subject_id).await
}

/// The mail server could not be reached: the message goes back to the queue
/// untouched (its attempts are not counted, so an outage of any length
/// loses nothing), to be tried again at `retry_at`. False if it was not
/// pending.
pub async fn postpone(
    db: &DatabaseConnection,
    id: i64,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<bool, AppError> {
    let set = outbox::Entity::update_many()
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(retry_at))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.chars().take(2000).collect::<String>())),
        );
    // Still pending: only later.
    transition(db, id, (outbox::PENDING, outbox::PENDING), set).await
}

/// When the next pending message becomes due (its `next_attempt_at`, or
/// the end of its claim if later): how long an idle worker may sleep.
pub async fn next_due(db: &DatabaseConnection) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::NextAttemptAt)
        .filter(outbox::Column::State.eq(outbox::PENDING))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(1)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?)
}

/// Messages per state, for the log's header and health checks.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, u64)>, AppError> {
    let rows: Vec<(String, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::State)
        .column_as(outbox::Column::Id.count(), "n")
        .group_by(outbox::Column::State)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(s, n)| (s, n.max(0) as u64))
        .collect())
}

/// One page of the outbox, newest first, and the number of matching rows.
/// Empty filters mean "any".
pub async fn log_page<C: ConnectionTrait>(
    db: &C,
    filter: &LogFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<outbox::Model>, u64), AppError> {
    let mut q = outbox::Entity::find();
    if !filter.state.is_empty() {
        q = q.filter(outbox::Column::State.eq(filter.state.clone()));
    }
    if !filter.kind.is_empty() {
        q = q.filter(outbox::Column::Kind.eq(filter.kind.clone()));
    }
    let text = filter.q.trim().to_lowercase();
    if !text.is_empty() {
        q = q.filter(
            Condition::any()
                .add(crate::backend::people::search::lower_contains(
                    outbox::Column::ToAddress,
                    &text,
                ))
                .add(outbox::Column::Key.contains(&text)),
        );
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(outbox::Column::CreatedAt)
        .order_by_desc(outbox::Column::Id)
        .offset(page.saturating_sub(1) * per_page)
        .limit(per_page)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// "29/11/2026 07.05" (Indonesian writes times with a dot) / "29/11/2026 07:05".
fn short_time(t: DateTime<Utc>, tz: chrono_tz::Tz, l: Locale) -> String {
    use chrono::Timelike;
    let local = t.with_timezone(&tz);
    let sep = match l {
        Locale::id => '.',
        Locale::en => ':',
    };
    format!(
        "{} {:02}{sep}{:02}",
        crate::domain::dates::short_date(local.date_naive()),
        local.hour(),
        local.minute()
    )
}

/// The outbox log as the administrator reads it: page `page` (from 1; past
/// the end, the last one) of [`PAGE_SIZE`] messages matching `asked` (an
/// unknown state or kind: all), newest first, with the number of messages
/// per state; times in `now`'s zone, words in `l`.
pub async fn log_view<C: ConnectionTrait>(
    db: &C,
    asked: &LogFilter,
    page: Option<u64>,
    now: DateTime<chrono_tz::Tz>,
    l: Locale,
) -> Result<OutboxPage, AppError> {
    let tz = now.timezone();
    let filter = LogFilter {
        state: Some(asked.state.trim())
            .filter(|s| STATES.contains(s))
            .unwrap_or_default()
            .to_string(),
        kind: Some(asked.kind.trim())
            .filter(|k| ReminderKind::parse(k).is_some())
            .unwrap_or_default()
            .to_string(),
        q: asked.q.trim().to_string(),
    };
    let wanted = page.unwrap_or(1).max(1);
    let (mut rows, total) = log_page(db, &filter, wanted, PAGE_SIZE).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = wanted.min(pages);
    if page != wanted {
        rows = log_page(db, &filter, page, PAGE_SIZE).await?.0;
    }
    let stored = counts(db).await?;
    let counts: Vec<StateCount> = STATES
        .iter()
        .map(|s| StateCount {
            state: s.to_string(),
            label: state_label(s, l).unwrap_or(s).to_string(),
            n: stored.iter().filter(|(k, _)| k == s).map(|(_, n)| *n).sum(),
        })
        .collect();
    let all = stored.iter().map(|(_, n)| *n).sum();
    let rows = rows
        .into_iter()
        .map(|m| OutboxRow {
            id: m.id,
            created: short_time(m.created_at, tz, l),
            created_iso: m.created_at.with_timezone(&tz).to_rfc3339(),
            kind_label: kind_label(&m.kind, l).unwrap_or(&m.kind).to_string(),
            state_label: state_label(&m.state, l).unwrap_or(&m.state).to_string(),
            attempts: m.attempts,
            next_attempt: (m.state == outbox::PENDING)
                .then(|| short_time(m.next_attempt_at, tz, l)),
            sent: m.sent_at.map(|t| short_time(t, tz, l)),
            can_resend: m.state == outbox::FAILED,
            last_error: m.last_error,
            key: m.key,
            kind: m.kind,
            to_address: m.to_address,
            state: m.state,
        })
        .collect();
    Ok(OutboxPage {
        rows,
        total,
        page,
        pages,
        filter,
        counts,
        all,
        zone: now.format("%Z").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_minute_and_stops_at_six_hours() {
        let mins: Vec<i64> = (0..=12).map(|n| backoff(n).num_minutes()).collect();
        assert_eq!(mins, [1, 1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]);
        assert_eq!(backoff(u32::MAX).num_seconds(), MAX_BACKOFF_SECS);
    }
}
