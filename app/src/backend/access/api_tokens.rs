//! Personal access tokens for the JSON API. A token belongs to the
//! administrator who created it and acts as that account (its principal is
//! built exactly as a session's, so the policy decides as for the person),
//! limited further by its scopes. Only the SHA-256 of the secret is stored;
//! the secret (`jjk_…`) is shown once, its first characters kept to
//! recognise it in the list.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use crate::backend::{audit, text::short_text};
use crate::{
    backend::{
        access::{
            session::principal_of,
            token::{hash_token, new_token},
            Principal,
        },
        db,
        entities::{account, account_role, api_token, employee},
    },
    domain::dates::{long_date_in, parse_form_date},
    error::AppError,
    i18n::Locale,
    model::api_tokens::{TokenRow, SCOPES},
};

/// Every secret starts with this, so a leaked one is recognisable (secret scanners).
pub const PREFIX: &str = "jjk_";

/// Characters of the secret kept for the list (the prefix and 8 more).
const SHOWN: usize = 12;

/// `last_used_at` is written at most this often, as sessions' last-seen time.
const TOUCH_EVERY_SECS: i64 = 60;

/// Who calls the API: the owner as a principal, what the token allows, which token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    pub principal: Principal,
    pub scopes: Vec<String>,
    pub token_id: i64,
    pub token_name: String,
}

impl Caller {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// How the audit trail names a change made through the token:
    /// "NIP (Name) via token sync-simpeg".
    pub fn actor(&self) -> String {
        format!("{} via token {}", self.principal.actor(), self.token_name)
    }
}

/// A token's name: 1–100 characters, spaces tidied.
pub fn check_name(raw: &str) -> Result<String, AppError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    short_text("name", ("Nama token", "token's name"), &name, 100)?;
    Ok(name)
}

/// The chosen scopes, each one of [`SCOPES`], at least one; in the order of
/// [`SCOPES`], without repeats.
pub fn check_scopes(raw: &[String]) -> Result<Vec<&'static str>, AppError> {
    for s in raw {
        if !SCOPES.contains(&s.trim()) {
            return Err(AppError::invalid(
                "scopes",
                format!("Cakupan tidak dikenal: {:?}", s.trim()),
                format!("Unknown scope: {:?}", s.trim()),
            ));
        }
    }
    let chosen: Vec<&'static str> = SCOPES
        .into_iter()
        .filter(|s| raw.iter().any(|r| r.trim() == *s))
        .collect();
    if chosen.is_empty() {
        return Err(AppError::invalid(
            "scopes",
            "Pilih minimal satu cakupan",
            "Choose at least one scope",
        ));
    }
    Ok(chosen)
}

/// The optional last day of validity: empty is "never expires"; a day
/// before today is refused.
pub fn check_expiry(raw: &str, today: NaiveDate) -> Result<Option<NaiveDate>, AppError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let d = parse_form_date("expires_on", raw)?;
    if d < today {
        return Err(AppError::invalid(
            "expires_on",
            "Tanggal berakhir tidak boleh sebelum hari ini",
            "The expiry date cannot be before today",
        ));
    }
    Ok(Some(d))
}

/// A token valid through `last_day` stops at the start of the next day in the office's zone.
pub fn expiry_instant(last_day: NaiveDate, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let next = last_day.succ_opt().unwrap_or(last_day);
    next.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(tz).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| next.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// active | expired | revoked
pub fn state_of(t: &api_token::Model, now: DateTime<Utc>) -> &'static str {
    if t.revoked_at.is_some() {
        "revoked"
    } else if t.expires_at.is_some_and(|e| now >= e) {
        "expired"
    } else {
        "active"
    }
}

/// The part of a secret kept for the list.
pub fn shown_prefix(secret: &str) -> String {
    secret.chars().take(SHOWN).collect()
}

/// What the audit trail keeps of a token: never its secret or hash.
#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    prefix: &'a str,
    scopes: &'a str,
    account_id: i64,
    expires_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl audit::Audited for api_token::Model {
    const ENTITY: &'static str = "api_token";

    fn id(&self) -> i64 {
        self.id
    }

    fn shown(&self) -> impl Serialize + '_ {
        Shown {
            name: &self.name,
            prefix: &self.prefix,
            scopes: &self.scopes,
            account_id: self.account_id,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
        }
    }
}

/// Creates a token acting as `owner`; returns it with its secret (shown once).
/// The inputs must have been checked.
pub async fn create(
    db: &DatabaseConnection,
    owner: &Principal,
    name: &str,
    scopes: &[&str],
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(api_token::Model, String), AppError> {
    let secret = format!("{PREFIX}{}", new_token());
    let actor = owner.actor();
    let row = api_token::ActiveModel {
        account_id: Set(owner.account_id),
        name: Set(name.to_string()),
        token_hash: Set(hash_token(&secret)),
        prefix: Set(shown_prefix(&secret)),
        scopes: Set(scopes.join(" ")),
        created_by: Set(actor.clone()),
        created_at: Set(now),
        expires_at: Set(expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        revoked_by: Set(None),
        ..Default::default()
    };
    let saved = db::write(db, async |txn| {
        Ok(audit::insert(txn, &actor, "api_token.create", row).await?)
    })
    .await?;
    Ok((saved, secret))
}

/// Revokes a token (it stops working at once). Revoking it again is refused.
pub async fn revoke(
    db: &DatabaseConnection,
    by: &Principal,
    id: i64,
    now: DateTime<Utc>,
) -> Result<api_token::Model, AppError> {
    let actor = by.actor();
    db::write(db, async |txn| {
        let before = db::find::<api_token::Entity, _>(txn, id).await?;
        if before.revoked_at.is_some() {
            return Err(AppError::conflict(
                "Token ini sudah dicabut",
                "This token has already been revoked",
            ));
        }
        let mut am = before.clone().into_active_model();
        am.revoked_at = Set(Some(now));
        am.revoked_by = Set(Some(actor.clone()));
        Ok(audit::update(txn, &actor, "api_token.revoke", &before, am).await?)
    })
    .await
}

/// Every token, newest first, the dates in words in `l` (in the office's zone).
pub async fn list(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    l: Locale,
) -> Result<Vec<TokenRow>, AppError> {
    let tokens = api_token::Entity::find()
        .order_by_desc(api_token::Column::CreatedAt)
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?;
    let accounts = db::by_id::<account::Entity, _>(db, tokens.iter().map(|t| t.account_id)).await?;
    let owners = accounts.values().map(|a| a.employee_id);
    let people = db::by_id::<employee::Entity, _>(db, owners).await?;
    let owner = |account_id: i64| {
        accounts
            .get(&account_id)
            .and_then(|a| people.get(&a.employee_id))
            .map(|e| format!("{} ({})", e.nip, e.name))
            .unwrap_or_default()
    };
    let day = |t: DateTime<Utc>| long_date_in(t.with_timezone(&tz).date_naive(), l);
    Ok(tokens
        .iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name.clone(),
            prefix: t.prefix.clone(),
            scopes: t.scopes.split_whitespace().map(str::to_string).collect(),
            owner: owner(t.account_id),
            created: day(t.created_at),
            // The last day it works (it stops at the start of the next one).
            expires: t.expires_at.map(|e| day(e - chrono::Duration::seconds(1))),
            last_used: t.last_used_at.map(day),
            revoked: t.revoked_at.map(day),
            state: state_of(t, now).to_string(),
        })
        .collect())
}

/// The caller behind a bearer secret, if the token is known, not revoked,
/// not expired and its owner's account is active; records when it was last
/// used (at most once a minute).
pub async fn authenticate(
    db: &DatabaseConnection,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<Caller>, AppError> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(hash_token(secret)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if state_of(&t, now) != "active" {
        return Ok(None);
    }
    let Some(acc) = account::Entity::find_by_id(t.account_id).one(db).await? else {
        return Ok(None);
    };
    // Deactivating an account revokes its tokens; the owner's state is
    // checked here as well (defence in depth).
    if !acc.is_usable() {
        return Ok(None);
    }
    let Some(emp) = employee::Entity::find_by_id(acc.employee_id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(acc.id))
        .all(db)
        .await?;
    if t.last_used_at
        .is_none_or(|u| (now - u).num_seconds() >= TOUCH_EVERY_SECS)
    {
        api_token::Entity::update_many()
            .col_expr(
                api_token::Column::LastUsedAt,
                sea_orm::sea_query::Expr::value(now),
            )
            .filter(api_token::Column::Id.eq(t.id))
            .exec(db)
            .await?;
    }
    Ok(Some(Caller {
        // Not a session: nothing to sign out of.
        principal: principal_of(&acc, &emp, &roles, format!("api-token:{}", t.id)),
        scopes: t.scopes.split_whitespace().map(str::to_string).collect(),
        token_id: t.id,
        token_name: t.name,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn names_are_tidied_and_bounded() {
        assert_eq!(check_name("  sync   simpeg ").unwrap(), "sync simpeg");
        assert_eq!(check_name(" ").unwrap_err().field(), Some("name"));
        assert_eq!(
            check_name(&"x".repeat(101)).unwrap_err().field(),
            Some("name")
        );
        assert!(check_name(&"x".repeat(100)).is_ok());
    }

    #[test]
    fn scopes_come_from_the_fixed_list_in_its_order() {
        let raw = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            check_scopes(&raw(&["reports:read", " employees:read", "reports:read"])).unwrap(),
            vec!["employees:read", "reports:read"]
        );
        let e = check_scopes(&raw(&["employees:write"])).unwrap_err();
        assert_eq!(e.field(), Some("scopes"));
        assert!(e.message("en").contains("employees:write"));
        assert_eq!(check_scopes(&[]).unwrap_err().field(), Some("scopes"));
    }

    #[test]
    fn the_expiry_is_a_day_not_in_the_past() {
        let today = day(2026, 11, 29);
        assert_eq!(check_expiry("", today).unwrap(), None);
        assert_eq!(
            check_expiry("2026-11-29", today).unwrap(),
            Some(day(2026, 11, 29))
        );
        assert_eq!(
            check_expiry("2026-11-28", today).unwrap_err().field(),
            Some("expires_on")
        );
        assert_eq!(
            check_expiry("besok", today).unwrap_err().field(),
            Some("expires_on")
        );
    }

    #[test]
    fn a_token_works_through_its_last_day_in_the_office_zone() {
        let end = expiry_instant(day(2026, 11, 30), chrono_tz::Asia::Jakarta);
        // Midnight WIB starting 1 December is 17:00 UTC on 30 November.
        assert_eq!(end.to_rfc3339(), "2026-11-30T17:00:00+00:00");
    }

    #[test]
    fn states_and_prefixes() {
        let now = Utc::now();
        let t = api_token::Model {
            id: 1,
            account_id: 1,
            name: "x".into(),
            token_hash: String::new(),
            prefix: String::new(),
            scopes: "plans:read".into(),
            created_by: String::new(),
            created_at: now,
            expires_at: None,
            last_used_at: None,
            revoked_at: None,
            revoked_by: None,
        };
        assert_eq!(state_of(&t, now), "active");
        let expired = api_token::Model {
            expires_at: Some(now),
            ..t.clone()
        };
        assert_eq!(state_of(&expired, now), "expired");
        let revoked = api_token::Model {
            revoked_at: Some(now),
            ..t
        };
        assert_eq!(state_of(&revoked, now), "revoked");
        let secret = format!("{PREFIX}{}", new_token());
        assert_eq!(shown_prefix(&secret).len(), 12);
        assert!(shown_prefix(&secret).starts_with("jjk_"));
    }
}
