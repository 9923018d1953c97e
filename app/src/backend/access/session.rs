//! Database-stored sessions, so that every instance behind a proxy knows
//! them. The browser holds a random token in an HttpOnly, SameSite=Lax
//! cookie (and `Secure` under HTTPS); the database holds its SHA-256. A
//! session ends after `session_idle_minutes` without requests, after
//! `session_max_hours` in all, on sign-out, and when the password changes.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::{
    token::{hash_token, new_token},
    Principal,
};
use crate::{
    backend::{
        config::Config,
        entities::{account, account_role, employee, session},
    },
    cookie::Cookie,
    error::AppError,
};

pub const COOKIE: &str = "jejak_sesi";

/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY_SECS: i64 = 60;

/// Starts a session; returns the token for the cookie.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    now: DateTime<Utc>,
    config: &Config,
) -> Result<String, AppError> {
    let token = new_token();
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        account_id: Set(account_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::hours(config.session_max_hours as i64)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// One row of the session lookup: the session, its account and employee,
/// and one of the account's roles (none: NULLs).
#[derive(Debug, sea_orm::FromQueryResult)]
struct SessionRow {
    account_id: i64,
    expires_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    active: bool,
    deactivated_at: Option<DateTime<Utc>>,
    employee_id: i64,
    name: String,
    nip: String,
    language: String,
    role: Option<String>,
    unit_id: Option<i64>,
    course_id: Option<i64>,
}

/// The session, account, employee and roles of a token hash in one query:
/// this runs on every signed-in request (four queries here took a large
/// share of a light page's time).
async fn lookup<C: ConnectionTrait>(db: &C, hash: &str) -> Result<Vec<SessionRow>, AppError> {
    let mut q = crate::backend::raw_sql::RawSql::new(db.get_database_backend());
    q.push(
        "SELECT s.account_id, s.expires_at, s.last_seen_at, a.active, a.deactivated_at, \
                a.employee_id, \
                e.name, e.nip, e.language, r.role, r.unit_id, r.course_id \
         FROM sessions s \
         JOIN accounts a ON a.id = s.account_id \
         JOIN employees e ON e.id = a.employee_id \
         LEFT JOIN account_roles r ON r.account_id = a.id \
         WHERE s.token_hash = ",
    )
    .bind(hash);
    q.all(db).await
}

/// The principal of a session token, if the session is alive and its
/// account active; refreshes its last-seen time. Dead sessions are deleted
/// when met. Deactivating an account deletes its sessions; a session row
/// that somehow outlived that (a restored backup, a hand edit) is refused
/// here all the same, on every request.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
    config: &Config,
) -> Result<Option<Principal>, AppError> {
    let hash = hash_token(token);
    let rows = lookup(db, &hash).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let idle = Duration::minutes(config.session_idle_minutes as i64);
    let deactivated = !first.active || first.deactivated_at.is_some();
    if now >= first.expires_at || now - first.last_seen_at >= idle || deactivated {
        end(db, &hash).await?;
        return Ok(None);
    }
    if (now - first.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
        session::Entity::update_many()
            .col_expr(
                session::Column::LastSeenAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(session::Column::TokenHash.eq(hash.clone()))
            .exec(db)
            .await?;
    }
    let roles: Vec<RoleFacts> = rows
        .iter()
        .filter_map(|r| {
            Some(RoleFacts {
                role: r.role.clone()?,
                unit_id: r.unit_id,
                course_id: r.course_id,
            })
        })
        .collect();
    Ok(Some(principal_from(
        first.account_id,
        first.employee_id,
        &first.name,
        &first.nip,
        &first.language,
        &roles,
        hash,
    )))
}

/// What a principal needs of one role.
pub struct RoleFacts {
    pub role: String,
    pub unit_id: Option<i64>,
    pub course_id: Option<i64>,
}

pub fn principal_of(
    acc: &account::Model,
    emp: &employee::Model,
    roles: &[account_role::Model],
    session_hash: String,
) -> Principal {
    let roles: Vec<RoleFacts> = roles
        .iter()
        .map(|r| RoleFacts {
            role: r.role.clone(),
            unit_id: r.unit_id,
            course_id: r.course_id,
        })
        .collect();
    principal_from(
        acc.id,
        emp.id,
        &emp.name,
        &emp.nip,
        &emp.language,
        &roles,
        session_hash,
    )
}

fn principal_from(
    account_id: i64,
    employee_id: i64,
    name: &str,
    nip: &str,
    language: &str,
    roles: &[RoleFacts],
    session_hash: String,
) -> Principal {
    // What the roles `role` reach (units managed, courses taught), each once.
    let scope = |role: &str, of: fn(&RoleFacts) -> Option<i64>| {
        let mut ids: Vec<i64> = roles
            .iter()
            .filter(|r| r.role == role)
            .filter_map(of)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let managed_units = scope("manager", |r| r.unit_id);
    let taught_courses = scope("trainer", |r| r.course_id);
    Principal {
        account_id,
        employee_id,
        name: name.to_string(),
        nip: nip.to_string(),
        language: language.to_string(),
        admin: roles.iter().any(|r| r.role == "admin"),
        managed_units,
        taught_courses,
        session_hash,
    }
}

/// Ends one session (sign-out).
pub async fn end<C: ConnectionTrait>(db: &C, token_hash: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// Ends every session of an account except `keep` (after a password change).
pub async fn end_others<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    keep: Option<&str>,
) -> Result<(), AppError> {
    let mut q = session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id));
    if let Some(k) = keep {
        q = q.filter(session::Column::TokenHash.ne(k));
    }
    q.exec(db).await?;
    Ok(())
}

const SESSION: Cookie = Cookie {
    plain: COOKIE,
    secure: "__Host-jejak_sesi",
};

/// The session cookie's name (over HTTPS with `__Host-`: see
/// [`crate::cookie::Cookie`]).
pub fn cookie_name(secure: bool) -> &'static str {
    SESSION.name(secure)
}

/// The `Set-Cookie` value that starts a session. No Max-Age: the cookie
/// ends with the browser (shared office computers); the server ends it sooner.
pub fn cookie(token: &str, secure: bool) -> String {
    SESSION.set(token, "HttpOnly; SameSite=Lax", secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie(secure: bool) -> String {
    SESSION.set("", "HttpOnly; SameSite=Lax; Max-Age=0", secure)
}

/// The session token in a `Cookie` request header, if any (only under the
/// name [`cookie_name`] gives: over HTTPS a plain `jejak_sesi` is ignored).
pub fn token_from_cookies(header: &str, secure: bool) -> Option<String> {
    SESSION
        .value_in(header, secure)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_lax_and_secure_when_asked() {
        assert_eq!(
            cookie("abc", false),
            "jejak_sesi=abc; Path=/; HttpOnly; SameSite=Lax"
        );
        assert_eq!(
            cookie("abc", true),
            "__Host-jejak_sesi=abc; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(clear_cookie(false).contains("Max-Age=0"));
        assert!(clear_cookie(true).starts_with("__Host-jejak_sesi=;"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        assert_eq!(
            token_from_cookies("a=1; jejak_sesi=tok; b=2", false).as_deref(),
            Some("tok")
        );
        assert_eq!(token_from_cookies("jejak_sesi=", false), None);
        assert_eq!(token_from_cookies("other=1", false), None);
        // Over HTTPS only the __Host- cookie counts: a plain one could have
        // been set by another host of the domain.
        assert_eq!(token_from_cookies("jejak_sesi=tok", true), None);
        assert_eq!(
            token_from_cookies("jejak_sesi=x; __Host-jejak_sesi=tok", true).as_deref(),
            Some("tok")
        );
    }
}
