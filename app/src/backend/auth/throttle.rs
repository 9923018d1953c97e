//! Sign-in throttling, stored in the database so that every instance counts
//! the same failures. Three counters, each with a growing delay (doubling
//! per failure past a threshold, up to a cap):
//!
//! | counter            | free failures | longest delay |
//! | ------------------ | ------------- | ------------- |
//! | login + address    | 3             | 15 minutes    |
//! | login (any address)| 10            | 30 seconds    |
//! | address (any login)| 20            | 15 minutes    |
//!
//! An attacker guessing from one address is slowed to a crawl; many
//! addresses guessing one account slow it by at most 30 seconds, so a real
//! user is never locked out for long. Counters start again 15 minutes after
//! their first failure, and a successful sign-in clears the login's counters.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::{Expr, OnConflict},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
};

use crate::{backend::entities::login_throttle, error::AppError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Failures allowed before any delay.
    pub free: i32,
    pub max_delay_secs: i64,
}

pub const LOGIN_AND_ADDR: Limit = Limit {
    free: 3,
    max_delay_secs: 900,
};
pub const LOGIN: Limit = Limit {
    free: 10,
    max_delay_secs: 30,
};
pub const ADDR: Limit = Limit {
    free: 20,
    max_delay_secs: 900,
};
const WINDOW_MINUTES: i64 = 15;

/// The delay after `failures` failures: none within the free ones, then
/// 1, 2, 4 … seconds up to the cap.
pub fn delay_secs(failures: i32, limit: Limit) -> Option<i64> {
    let over = failures - limit.free;
    (over > 0).then(|| {
        let exp = (over - 1).min(30) as u32;
        2i64.saturating_pow(exp).min(limit.max_delay_secs)
    })
}

/// The counters a sign-in attempt touches.
pub fn keys(login: &str, addr: &str) -> Vec<(String, Limit)> {
    vec![
        (format!("la:{login}|{addr}"), LOGIN_AND_ADDR),
        (format!("l:{login}"), LOGIN),
        (format!("a:{addr}"), ADDR),
    ]
}

/// `TooManyAttempts` while any counter is blocked.
pub async fn check<C: ConnectionTrait>(
    db: &C,
    keys: &[(String, Limit)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Key.is_in(keys.iter().map(|(k, _)| k.clone())))
        .all(db)
        .await?;
    let wait = rows
        .iter()
        .filter_map(|r| r.blocked_until)
        .filter(|until| *until > now)
        .map(|until| (until - now).num_milliseconds())
        .max();
    match wait {
        Some(ms) => Err(AppError::TooManyAttempts {
            retry_after_secs: ((ms + 999) / 1000).max(1) as u64,
        }),
        None => Ok(()),
    }
}

/// Counts one failure on every counter and blocks those past their free failures.
pub async fn record_failure<C: ConnectionTrait>(
    db: &C,
    keys: &[(String, Limit)],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let window_start = now - Duration::minutes(WINDOW_MINUTES);
    for (key, limit) in keys {
        // Start (or restart) the counter, then count atomically.
        login_throttle::Entity::insert(login_throttle::ActiveModel {
            key: Set(key.clone()),
            failures: Set(0),
            first_failure_at: Set(now),
            blocked_until: Set(None),
        })
        .on_conflict(
            OnConflict::column(login_throttle::Column::Key)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        login_throttle::Entity::update_many()
            .col_expr(login_throttle::Column::Failures, Expr::value(0))
            .col_expr(login_throttle::Column::FirstFailureAt, Expr::value(now))
            .filter(login_throttle::Column::Key.eq(key.clone()))
            .filter(login_throttle::Column::FirstFailureAt.lt(window_start))
            .exec(db)
            .await?;
        login_throttle::Entity::update_many()
            .col_expr(
                login_throttle::Column::Failures,
                sea_orm::sea_query::ExprTrait::add(Expr::col(login_throttle::Column::Failures), 1),
            )
            .filter(login_throttle::Column::Key.eq(key.clone()))
            .exec(db)
            .await?;
        let Some(row) = login_throttle::Entity::find_by_id(key.clone())
            .one(db)
            .await?
        else {
            continue;
        };
        if let Some(secs) = delay_secs(row.failures, *limit) {
            login_throttle::Entity::update_many()
                .col_expr(
                    login_throttle::Column::BlockedUntil,
                    Expr::value(now + Duration::seconds(secs)),
                )
                .filter(login_throttle::Column::Key.eq(key.clone()))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// Forgets the counters of a login after it signed in successfully (the
/// address counter stays: it protects other accounts).
pub async fn clear_login<C: ConnectionTrait>(
    db: &C,
    keys: &[(String, Limit)],
) -> Result<(), AppError> {
    let login_keys: Vec<String> = keys
        .iter()
        .filter(|(k, _)| !k.starts_with("a:"))
        .map(|(k, _)| k.clone())
        .collect();
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Key.is_in(login_keys))
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_the_free_failures_up_to_its_cap() {
        let d = |n| delay_secs(n, LOGIN_AND_ADDR);
        assert_eq!((d(1), d(3)), (None, None));
        assert_eq!(
            (d(4), d(5), d(6), d(7)),
            (Some(1), Some(2), Some(4), Some(8))
        );
        assert_eq!(d(40), Some(900));
        assert_eq!(
            delay_secs(1_000, LOGIN),
            Some(30),
            "one account: never long"
        );
    }
}
