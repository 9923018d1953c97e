//! Sign-in throttling, stored in the database so that every instance counts
//! the same failures. Three counters per attempt, each with a growing delay
//! (doubling per failure past its free failures, up to its cap):
//!
//! | counter             | free failures | longest delay | starts again after   |
//! | ------------------- | ------------- | ------------- | -------------------- |
//! | login + address     | 3             | 15 minutes    | 15 minutes quiet     |
//! | login (any address) | 10            | 4 hours       | 4 hours quiet        |
//! | address (any login) | 20            | 15 minutes    | 15 minutes quiet     |
//!
//! **Addresses.** An IPv4 address is one address; an IPv6 address counts
//! as its /64 (one household, office or phone gets a whole /64, so the
//! addresses inside it are free to an attacker); an IPv4-mapped IPv6
//! address (`::ffff:a.b.c.d`) is the IPv4 address ([`address_key`]).
//!
//! **One atomic step.** An attempt first *reserves* a failure on every
//! counter ([`reserve`]): in one write transaction it reads the counters
//! (rows locked on PostgreSQL; SQLite's `BEGIN IMMEDIATE` lets one writer
//! in at a time), refuses if any of them blocks, and otherwise counts the
//! attempt as a failure and sets the block that failure earns, all before
//! the password is checked. Parallel guesses therefore queue on the
//! counters: eight at once count eight, and those past the free failures
//! are refused. A right password then gives the reservation back
//! ([`release`]): the login's counters are forgotten and the address's
//! count goes back to what it was.
//!
//! **Episodes and growth.** A counter's episode lasts while failures go
//! on: it starts again from zero only once it has been quiet (no failure
//! counted) for its longest delay after its block ended. The window is not
//! a fixed period from the first failure, so an attacker who keeps trying
//! keeps the grown delay: on one login, after 10 free failures, the wait
//! doubles from 1 s to the 4-hour cap (reached at the 25th failure), and
//! stays there; one guess every 4 hours is all that is left. Waiting for
//! the restart costs 4 quiet hours after the block, which buys at most
//! 10 + a dozen guesses: about 70 a day per account, from any number of
//! addresses. The owner is never locked out for good: a block ends at most
//! 4 hours after the last failure, and a right password then clears the
//! login's counters. The login counter starting to block (the 11th failure)
//! is when the account's owner is told by email (once per episode, by the
//! caller; [`Attempt::login_started_blocking`]).
//!
//! **Counted, not written.** Refused attempts are counted in the row
//! (`refused`), never written to the audit trail one line each; the caller
//! writes one line per failure while all counters are within their free
//! failures ([`Attempt::within_free`]) and one line when a counter starts
//! blocking, so an attacker cannot fill the disk through the audit log.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, UpdateMany,
};

use serde::Serialize;

use crate::{
    backend::{
        access::owner_mail,
        audit,
        db::begin_write,
        entities::{account, employee, login_throttle},
    },
    domain::reminders::ReminderKind,
    error::AppError,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Failures allowed before any delay.
    pub free: i32,
    /// The longest delay; also how long a counter must stay quiet after its
    /// block before it starts again.
    pub max_delay_secs: i64,
}

pub const LOGIN_AND_ADDR: Limit = Limit {
    free: 3,
    max_delay_secs: 15 * 60,
};
pub const LOGIN: Limit = Limit {
    free: 10,
    max_delay_secs: 4 * 3600,
};
pub const ADDR: Limit = Limit {
    free: 20,
    max_delay_secs: 15 * 60,
};

/// Rows quiet for this long are deleted by the daily job ([`forget_stale`]):
/// longer than any block plus its quiet period.
pub const STALE_AFTER_HOURS: i64 = 24;

/// The delay after `failures` failures: none within the free ones, then
/// 1, 2, 4 … seconds up to the cap.
pub fn delay_secs(failures: i32, limit: Limit) -> Option<i64> {
    let over = failures.saturating_sub(limit.free);
    (over > 0).then(|| {
        let exp = (over - 1).min(40) as u32;
        2i64.saturating_pow(exp).min(limit.max_delay_secs)
    })
}

/// The address as the counters know it: an IPv4 address as itself, an
/// IPv6 address as its /64 (`2001:db8:1:2::/64`), an IPv4-mapped IPv6
/// address as the IPv4 address. A port, if any, is dropped. Anything else
/// (`unknown`) is kept as it is, shortened to 40 characters.
pub fn address_key(addr: &str) -> String {
    let trimmed = addr.trim();
    let ip = trimmed
        .parse::<IpAddr>()
        .ok()
        .or_else(|| trimmed.parse::<SocketAddr>().ok().map(|s| s.ip()));
    match ip {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        None => trimmed.chars().take(40).collect::<String>().to_lowercase(),
    }
}

/// The counters an attempt on `login` from `addr` touches. `login` is
/// normalised by the caller (an account's NIP when the login names one).
pub fn keys(login: &str, addr: &str) -> Vec<(String, Limit)> {
    let a = address_key(addr);
    vec![
        (format!("la:{login}|{a}"), LOGIN_AND_ADDR),
        (format!("l:{login}"), LOGIN),
        (format!("a:{a}"), ADDR),
    ]
}

/// When a counter starts again if nothing more happens: its longest delay
/// after its block ended (or after its last failure, if later or unblocked).
pub fn restarts_at(row: &login_throttle::Model, limit: Limit) -> DateTime<Utc> {
    let last = row.last_failure_at.unwrap_or(row.first_failure_at);
    let from = row.blocked_until.map_or(last, |b| b.max(last));
    from + Duration::seconds(limit.max_delay_secs)
}

/// One more failure on a counter (`row` as stored, `None` if it has none):
/// the row as it becomes, or `Err(until)` when the counter blocks now. A
/// counter quiet for long enough starts a new episode. Pure.
pub fn count_failure(
    key: &str,
    row: Option<&login_throttle::Model>,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<login_throttle::Model, DateTime<Utc>> {
    let current = row.filter(|r| r.failures > 0 && now < restarts_at(r, limit));
    if let Some(until) = current.and_then(|r| r.blocked_until).filter(|u| *u > now) {
        return Err(until);
    }
    let (failures, first_failure_at, refused) = match current {
        Some(r) => (r.failures.saturating_add(1), r.first_failure_at, r.refused),
        None => (1, now, 0),
    };
    Ok(login_throttle::Model {
        key: key.to_string(),
        failures,
        first_failure_at,
        blocked_until: delay_secs(failures, limit).map(|s| now + Duration::seconds(s)),
        last_failure_at: Some(now),
        refused,
    })
}

/// Which counter a key is (for audit lines): `login_and_address`, `login`, `address`.
pub fn counter_kind(key: &str) -> &'static str {
    if key.starts_with("la:") {
        "login_and_address"
    } else if key.starts_with("l:") {
        "login"
    } else {
        "address"
    }
}

/// One counter as an attempt left it.
#[derive(Clone, Debug, PartialEq)]
pub struct Counted {
    pub limit: Limit,
    /// The row after counting this attempt as a failure.
    pub row: login_throttle::Model,
    /// The row before (None: the counter was new or had started again).
    before: Option<login_throttle::Model>,
}

impl Counted {
    /// This failure made the counter block for the first time in its episode.
    pub fn started_blocking(&self) -> bool {
        self.row.failures == self.limit.free + 1
    }
}

/// An attempt's hold on its counters: reserved as a failure before the
/// password is checked ([`reserve`]); give it back with [`release`] when
/// the password was right.
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub counted: Vec<Counted>,
}

impl Attempt {
    /// Every counter is still within its free failures: the failure gets
    /// its own audit line.
    pub fn within_free(&self) -> bool {
        self.counted.iter().all(|c| c.row.failures <= c.limit.free)
    }

    /// The counters this failure made start blocking (one audit line each
    /// episode).
    pub fn started_blocking(&self) -> impl Iterator<Item = &Counted> {
        self.counted.iter().filter(|c| c.started_blocking())
    }

    /// When the login counter's episode began, if this failure made it
    /// start blocking: the owner is told, once per episode.
    pub fn login_started_blocking(&self) -> Option<DateTime<Utc>> {
        self.counted
            .iter()
            .find(|c| c.row.key.starts_with("l:") && c.started_blocking())
            .map(|c| c.row.first_failure_at)
    }
}

/// `TooManyAttempts` with the wait until `until`, at least one second.
fn too_many(until: DateTime<Utc>, now: DateTime<Utc>) -> AppError {
    let ms = (until - now).num_milliseconds().max(0);
    AppError::TooManyAttempts {
        retry_after_secs: ((ms + 999) / 1000).max(1) as u64,
    }
}

/// Counts one refused attempt on the counters that blocked it.
async fn count_refusal<C: ConnectionTrait>(db: &C, blocked: Vec<String>) -> Result<(), AppError> {
    login_throttle::Entity::update_many()
        .col_expr(
            login_throttle::Column::Refused,
            sea_orm::sea_query::ExprTrait::add(Expr::col(login_throttle::Column::Refused), 1),
        )
        .filter(login_throttle::Column::Key.is_in(blocked))
        .exec(db)
        .await?;
    Ok(())
}

/// Reserves one failure on every counter of `keys`, in one atomic step,
/// before the password is checked: `TooManyAttempts` (and the refusal
/// counted on the blocking counters) while any of them blocks; otherwise
/// each counter has counted this attempt as a failure and blocks as that
/// failure earns. See the module's documentation.
pub async fn reserve(
    db: &DatabaseConnection,
    keys: &[(String, Limit)],
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    // In key order, without repeats: concurrent attempts lock shared rows
    // in the same order and cannot deadlock (PostgreSQL).
    let mut keys = keys.to_vec();
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys.dedup_by(|a, b| a.0 == b.0);
    let names: Vec<String> = keys.iter().map(|(k, _)| k.clone()).collect();

    // Already blocked (the usual case under attack): refused without
    // taking the write lock. A block only ends with time, so what a
    // committed row says now is true now.
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(names.clone()))
        .all(db)
        .await?;
    if let Some(refusal) = refusal(&keys, &rows, now) {
        count_refusal(db, refusal.1).await?;
        return Err(too_many(refusal.0, now));
    }

    let txn = begin_write(db).await?;
    // Every counter gets a row to lock.
    login_throttle::Entity::insert_many(names.iter().map(|k| login_throttle::ActiveModel {
        key: Set(k.clone()),
        failures: Set(0),
        first_failure_at: Set(now),
        blocked_until: Set(None),
        last_failure_at: Set(None),
        refused: Set(0),
    }))
    .on_conflict(
        OnConflict::column(login_throttle::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let mut q = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(names.clone()))
        .order_by_asc(login_throttle::Column::Key);
    if db.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    let rows = q.all(&txn).await?;
    if let Some((until, blocked)) = refusal(&keys, &rows, now) {
        count_refusal(&txn, blocked).await?;
        txn.commit().await?;
        return Err(too_many(until, now));
    }
    let by_key: HashMap<&str, &login_throttle::Model> =
        rows.iter().map(|r| (r.key.as_str(), r)).collect();
    let mut counted = Vec::with_capacity(keys.len());
    for (key, limit) in &keys {
        let stored = by_key.get(key.as_str()).copied();
        let before = stored.filter(|r| r.failures > 0 && now < restarts_at(r, *limit));
        let row = count_failure(key, stored, *limit, now).map_err(|until| too_many(until, now))?;
        write_row(&txn, &row).await?;
        counted.push(Counted {
            limit: *limit,
            row,
            before: before.cloned(),
        });
    }
    txn.commit().await?;
    Ok(Attempt { counted })
}

/// The longest block among `keys` and the counters blocking, if any blocks.
fn refusal(
    keys: &[(String, Limit)],
    rows: &[login_throttle::Model],
    now: DateTime<Utc>,
) -> Option<(DateTime<Utc>, Vec<String>)> {
    let mut until: Option<DateTime<Utc>> = None;
    let mut blocked = Vec::new();
    for (key, limit) in keys {
        let row = rows.iter().find(|r| &r.key == key);
        if let Err(u) = count_failure(key, row, *limit, now) {
            until = Some(until.map_or(u, |t| t.max(u)));
            blocked.push(key.clone());
        }
    }
    until.map(|u| (u, blocked))
}

/// Sets counter `row.key`'s failures, block and last failure to `row`'s.
fn set_count(row: &login_throttle::Model) -> UpdateMany<login_throttle::Entity> {
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::Failures, Expr::value(row.failures))
        .col_expr(
            login_throttle::Column::BlockedUntil,
            Expr::value(row.blocked_until),
        )
        .col_expr(
            login_throttle::Column::LastFailureAt,
            Expr::value(row.last_failure_at),
        )
        .filter(login_throttle::Column::Key.eq(row.key.clone()))
}

async fn write_row<C: ConnectionTrait>(
    db: &C,
    row: &login_throttle::Model,
) -> Result<(), AppError> {
    set_count(row)
        .col_expr(
            login_throttle::Column::FirstFailureAt,
            Expr::value(row.first_failure_at),
        )
        .col_expr(login_throttle::Column::Refused, Expr::value(row.refused))
        .exec(db)
        .await?;
    Ok(())
}

/// The password was right: gives the attempt's reservation back. The
/// login's counters are forgotten (it signed in); the address's counter
/// goes back to how it was, or one failure less if others counted since
/// (it protects other accounts, and this attempt was no failure).
pub async fn release(db: &DatabaseConnection, attempt: &Attempt) -> Result<(), AppError> {
    let mut forget = Vec::new();
    for c in &attempt.counted {
        let key = c.row.key.clone();
        if !key.starts_with("a:") {
            forget.push(key);
            continue;
        }
        let before = c.before.clone().unwrap_or(login_throttle::Model {
            key: key.clone(),
            failures: 0,
            first_failure_at: c.row.first_failure_at,
            blocked_until: None,
            last_failure_at: None,
            refused: 0,
        });
        let restored = set_count(&before)
            .filter(login_throttle::Column::Failures.eq(c.row.failures))
            .exec(db)
            .await?;
        if restored.rows_affected == 0 {
            login_throttle::Entity::update_many()
                .col_expr(
                    login_throttle::Column::Failures,
                    sea_orm::sea_query::ExprTrait::sub(
                        Expr::col(login_throttle::Column::Failures),
                        1,
                    ),
                )
                .filter(login_throttle::Column::Key.eq(key))
                .filter(login_throttle::Column::Failures.gt(0))
                .exec(db)
                .await?;
        }
    }
    if !forget.is_empty() {
        login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::Key.is_in(forget))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// How a failed password check is written to the audit trail.
pub struct FailureAudit<'a, E: Serialize> {
    pub actor: &'a str,
    /// The line of a failure while every counter is within its free
    /// failures (`auth.sign_in_failed`, `auth.password_change_failed`).
    pub failed: &'a str,
    /// The line when a counter starts blocking (`auth.sign_in_throttled`,
    /// `auth.password_change_throttled`).
    pub throttled: &'a str,
    pub entity_id: i64,
    pub event: &'a E,
}

/// A counter that started blocking, in the audit line of its episode.
#[derive(Debug, Serialize)]
struct Blocking {
    counter: &'static str,
    failures: i32,
    blocked_until: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
struct ThrottledLine<'a, E: Serialize> {
    #[serde(flatten)]
    event: &'a E,
    started_blocking: Vec<Blocking>,
}

/// After a failed password check (its failure already counted by
/// [`reserve`]): one audit line while every counter is within its free
/// failures; one line when a counter starts blocking (the failures and
/// refusals after it are only counted in the counters); and, when the
/// login's counter starts blocking, the account's owner is told by email
/// (one outbox message per episode: its key carries the episode's start).
/// Nothing is written otherwise. `owner`: the account the login names.
pub async fn record_failure<E: Serialize>(
    db: &DatabaseConnection,
    attempt: &Attempt,
    audit_as: FailureAudit<'_, E>,
    owner: Option<(&account::Model, &employee::Model)>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let blocking: Vec<Blocking> = attempt
        .started_blocking()
        .map(|c| Blocking {
            counter: counter_kind(&c.row.key),
            failures: c.row.failures,
            blocked_until: c.row.blocked_until,
        })
        .collect();
    let notice = attempt
        .login_started_blocking()
        .zip(owner.filter(|(a, _)| a.is_usable()))
        .and_then(|(episode, (acc, emp))| {
            let to = owner_mail::address_of(emp)?;
            Some((episode, acc, emp, to))
        });
    let own_line = attempt.within_free();
    if !own_line && blocking.is_empty() && notice.is_none() {
        return Ok(());
    }
    let txn = begin_write(db).await?;
    if own_line {
        audit::created(
            &txn,
            audit_as.actor,
            audit_as.failed,
            "account",
            audit_as.entity_id,
            audit_as.event,
        )
        .await?;
    }
    if !blocking.is_empty() {
        audit::created(
            &txn,
            audit_as.actor,
            audit_as.throttled,
            "account",
            audit_as.entity_id,
            &ThrottledLine {
                event: audit_as.event,
                started_blocking: blocking,
            },
        )
        .await?;
    }
    if let Some((episode, acc, emp, to)) = notice {
        // One message per episode: its occurrence is the episode's start.
        let kind = ReminderKind::FailedSignIns;
        owner_mail::queue(&txn, kind, acc.id, emp, to, episode, now).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Deletes counters quiet for [`STALE_AFTER_HOURS`] (their episodes are
/// over; a new failure would start again anyway). For the daily job.
pub async fn forget_stale<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, AppError> {
    let cutoff = now - Duration::hours(STALE_AFTER_HOURS);
    let r = login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::FirstFailureAt.lt(cutoff))
        .filter(
            Condition::any()
                .add(login_throttle::Column::LastFailureAt.is_null())
                .add(login_throttle::Column::LastFailureAt.lt(cutoff)),
        )
        .filter(
            Condition::any()
                .add(login_throttle::Column::BlockedUntil.is_null())
                .add(login_throttle::Column::BlockedUntil.lt(cutoff)),
        )
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn the_delay_grows_after_the_free_failures_up_to_its_cap() {
        let d = |n| delay_secs(n, LOGIN_AND_ADDR);
        assert_eq!((d(1), d(3)), (None, None));
        assert_eq!(
            (d(4), d(5), d(6), d(7)),
            (Some(1), Some(2), Some(4), Some(8))
        );
        assert_eq!(d(40), Some(900));
        // One login: no longer capped at 30 s, but at hours.
        assert_eq!(delay_secs(10, LOGIN), None);
        assert_eq!(delay_secs(11, LOGIN), Some(1));
        assert_eq!(delay_secs(24, LOGIN), Some(8192));
        assert_eq!(delay_secs(25, LOGIN), Some(4 * 3600));
        assert_eq!(delay_secs(i32::MAX, LOGIN), Some(4 * 3600));
    }

    #[test]
    fn an_ipv6_slash_64_is_one_address_an_ipv4_stays_one() {
        assert_eq!(address_key("203.0.113.9"), "203.0.113.9");
        assert_ne!(address_key("203.0.113.9"), address_key("203.0.113.10"));
        assert_eq!(
            address_key("2001:db8:1:2:aaaa:bbbb:cccc:dddd"),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:0db8:0001:0002:ffff:ffff:ffff:ffff")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1"),
            "the next /64 is another address"
        );
        assert_eq!(address_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(address_key("::ffff:cb00:7109"), "203.0.113.9");
        assert_eq!(address_key("[2001:db8::7]:443"), "2001:db8::/64");
        assert_eq!(address_key("203.0.113.9:5000"), "203.0.113.9");
        assert_eq!(address_key("::1"), "::/64");
        assert_eq!(address_key(" unknown "), "unknown");
        assert_eq!(address_key(&"x".repeat(500)).len(), 40);
        let k = keys("198609262015051001", "2001:db8:1:2::99");
        assert_eq!(k[0].0, "la:198609262015051001|2001:db8:1:2::/64");
        assert_eq!(k[2].0, "a:2001:db8:1:2::/64");
    }

    #[test]
    fn a_blocked_counter_refuses_and_a_failure_blocks_as_it_earns() {
        let mut row = None;
        for n in 1..=3 {
            let r = count_failure("la:x", row.as_ref(), LOGIN_AND_ADDR, at(n)).unwrap();
            assert_eq!((r.failures, r.blocked_until), (n as i32, None));
            row = Some(r);
        }
        let r = count_failure("la:x", row.as_ref(), LOGIN_AND_ADDR, at(4)).unwrap();
        assert_eq!(r.blocked_until, Some(at(5)));
        assert_eq!(r.first_failure_at, at(1));
        assert_eq!(
            count_failure("la:x", Some(&r), LOGIN_AND_ADDR, at(4)),
            Err(at(5)),
            "a parallel attempt waits"
        );
        let r = count_failure("la:x", Some(&r), LOGIN_AND_ADDR, at(5)).unwrap();
        assert_eq!((r.failures, r.blocked_until), (5, Some(at(7))));
    }

    #[test]
    fn growth_survives_while_failures_go_on_and_restarts_after_a_quiet_period() {
        // An attacker who tries again the moment each block ends.
        let mut row: Option<login_throttle::Model> = None;
        let mut now = at(0);
        for _ in 0..40 {
            let r = count_failure("l:x", row.as_ref(), LOGIN, now).unwrap();
            now = r.blocked_until.unwrap_or(now + Duration::seconds(1));
            row = Some(r);
        }
        let r = row.clone().unwrap();
        assert_eq!(r.failures, 40, "never started again");
        assert_eq!(r.first_failure_at, at(0));
        assert_eq!(
            r.blocked_until.unwrap() - r.last_failure_at.unwrap(),
            Duration::hours(4)
        );
        assert!(now - at(0) > Duration::days(2), "40 guesses took days");
        // Quiet for less than 4 h after the block: the growth stays.
        let later = r.blocked_until.unwrap() + Duration::hours(3);
        let next = count_failure("l:x", Some(&r), LOGIN, later).unwrap();
        assert_eq!(next.failures, 41);
        assert_eq!(next.blocked_until, Some(later + Duration::hours(4)));
        // Quiet for 4 h after it: a new episode.
        let much_later = r.blocked_until.unwrap() + Duration::hours(4);
        let fresh = count_failure("l:x", Some(&r), LOGIN, much_later).unwrap();
        assert_eq!(
            (fresh.failures, fresh.first_failure_at, fresh.blocked_until),
            (1, much_later, None)
        );
        // The login+address counter starts again after 15 quiet minutes.
        let la = count_failure("la:x", None, LOGIN_AND_ADDR, at(0)).unwrap();
        let again = count_failure("la:x", Some(&la), LOGIN_AND_ADDR, at(15 * 60)).unwrap();
        assert_eq!(again.failures, 1);
        let still = count_failure("la:x", Some(&la), LOGIN_AND_ADDR, at(15 * 60 - 1)).unwrap();
        assert_eq!(still.failures, 2);
    }

    #[test]
    fn an_attempt_knows_when_a_counter_starts_blocking() {
        let counted = |key: &str, limit: Limit, failures: i32| Counted {
            limit,
            row: login_throttle::Model {
                key: key.into(),
                failures,
                first_failure_at: at(0),
                blocked_until: None,
                last_failure_at: Some(at(9)),
                refused: 0,
            },
            before: None,
        };
        let a = Attempt {
            counted: vec![
                counted("a:1.2.3.4", ADDR, 5),
                counted("l:x", LOGIN, 10),
                counted("la:x|1.2.3.4", LOGIN_AND_ADDR, 3),
            ],
        };
        assert!(a.within_free());
        assert_eq!(a.started_blocking().count(), 0);
        assert_eq!(a.login_started_blocking(), None);
        let b = Attempt {
            counted: vec![
                counted("a:1.2.3.4", ADDR, 5),
                counted("l:x", LOGIN, 11),
                counted("la:x|1.2.3.4", LOGIN_AND_ADDR, 9),
            ],
        };
        assert!(!b.within_free());
        assert_eq!(b.started_blocking().count(), 1);
        assert_eq!(b.login_started_blocking(), Some(at(0)));
        assert_eq!(counter_kind("la:x|1.2.3.4"), "login_and_address");
        assert_eq!(counter_kind("l:x"), "login");
        assert_eq!(counter_kind("a:1.2.3.4"), "address");
    }
}
