//! Accounts, roles, passwords and sessions: signing in and out, changing a
//! password, administrators granting roles and issuing set-password links.
//! Every sign-in (success and failure), role change and password change is
//! written to the audit trail.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::ExprTrait, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use super::audit::{self, Actor};
use crate::api::admin::{AccountRow, AccountsPage, Choice, RoleRow};
use crate::{
    backend::{
        auth::{
            password, session,
            throttle::{self},
            token::{hash_token, new_token},
            Principal,
        },
        config::Config,
        entities::{account, account_role, course, employee, password_link, unit},
    },
    error::AppError,
};

/// A role as stored: `admin`, `manager` (of a unit subtree), `trainer` (of a course).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Admin,
    Manager,
    Trainer,
}

impl RoleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Manager => "manager",
            RoleKind::Trainer => "trainer",
        }
    }

    pub fn parse(s: &str) -> Result<Self, AppError> {
        match s {
            "admin" => Ok(RoleKind::Admin),
            "manager" => Ok(RoleKind::Manager),
            "trainer" => Ok(RoleKind::Trainer),
            other => Err(AppError::invalid(
                "role",
                format!("Peran tidak dikenal: {other:?} (admin, manager, trainer)"),
                format!("Unknown role: {other:?} (admin, manager, trainer)"),
            )),
        }
    }
}

/// What a sign-in form sends, normalised: NIPs lose their spaces, emails their case.
pub fn normalise_login(login: &str) -> String {
    let trimmed = login.trim();
    let digits: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        digits
    } else {
        trimmed.to_lowercase()
    }
}

async fn find_by_login<C: ConnectionTrait>(
    db: &C,
    login: &str,
) -> Result<Option<(account::Model, employee::Model)>, AppError> {
    let employees = if login.chars().all(|c| c.is_ascii_digit()) {
        employee::Entity::find()
            .filter(employee::Column::Nip.eq(login))
            .all(db)
            .await?
    } else {
        employee::Entity::find()
            .filter(
                sea_orm::sea_query::Expr::expr(sea_orm::sea_query::Func::lower(
                    sea_orm::sea_query::Expr::col(employee::Column::Email),
                ))
                .eq(sea_orm::sea_query::Expr::val(login)),
            )
            .all(db)
            .await?
    };
    // An email shared by two people identifies nobody.
    let [emp] = employees.as_slice() else {
        return Ok(None);
    };
    let acc = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(emp.id))
        .one(db)
        .await?;
    Ok(acc.map(|a| (a, emp.clone())))
}

#[derive(Debug, Serialize)]
struct SignInEvent<'a> {
    login: &'a str,
    addr: &'a str,
}

/// Checks the password (throttled per login, login + address and address)
/// and starts a session. Returns the cookie token and the principal.
pub async fn sign_in(
    db: &DatabaseConnection,
    config: &Config,
    login: &str,
    password_given: &str,
    addr: &str,
    now: DateTime<Utc>,
) -> Result<(String, Principal), AppError> {
    let login = normalise_login(login);
    if login.is_empty() || password_given.is_empty() {
        return Err(AppError::invalid(
            "login",
            "Isi NIP/email dan kata sandi",
            "Enter your NIP/email and password",
        ));
    }
    if login.len() > 254 || password_given.len() > 1024 {
        return Err(AppError::BadCredentials);
    }
    let keys = throttle::keys(&login, addr);
    let event = SignInEvent {
        login: &login,
        addr,
    };
    if let Err(e) = throttle::check(db, &keys, now).await {
        audit::created(db, "anonim", "auth.sign_in_throttled", "account", 0, &event).await?;
        return Err(e);
    }
    let found = find_by_login(db, &login).await?;
    let phc = found
        .as_ref()
        .filter(|(a, _)| a.active)
        .and_then(|(a, _)| a.password_hash.clone());
    let ok = password::verify(password_given.to_string(), phc).await;
    let txn = crate::backend::db::begin_write(db).await?;
    let Some((acc, emp)) = found.filter(|_| ok) else {
        throttle::record_failure(&txn, &keys, now).await?;
        audit::created(&txn, "anonim", "auth.sign_in_failed", "account", 0, &event).await?;
        txn.commit().await?;
        return Err(AppError::BadCredentials);
    };
    throttle::clear_login(&txn, &keys).await?;
    let token = session::create(&txn, acc.id, now, config).await?;
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(acc.id))
        .all(&txn)
        .await?;
    let p = session::principal_of(&acc, &emp, &roles, hash_token(&token));
    audit::created(&txn, &p.actor(), "auth.sign_in", "account", acc.id, &event).await?;
    txn.commit().await?;
    Ok((token, p))
}

/// Ends this session.
pub async fn sign_out(db: &DatabaseConnection, p: &Principal) -> Result<(), AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    session::end(&txn, &p.session_hash).await?;
    audit::created(
        &txn,
        &p.actor(),
        "auth.sign_out",
        "account",
        p.account_id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Writes a new password hash (already checked and hashed) to an account.
async fn store_password<C: ConnectionTrait>(
    db: &C,
    acc: account::Model,
    phc: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut am = acc.into_active_model();
    am.password_hash = Set(Some(phc));
    am.password_changed_at = Set(Some(now));
    am.update(db).await?;
    Ok(())
}

pub const ACCOUNTS_PER_PAGE: u64 = 50;

/// Remembers the language a person chose for every device they sign in on.
pub async fn set_language(
    db: &DatabaseConnection,
    p: &Principal,
    locale: crate::i18n::Locale,
) -> Result<(), AppError> {
    employee::Entity::update_many()
        .col_expr(
            employee::Column::Language,
            sea_orm::sea_query::Expr::value(crate::lang::code(locale)),
        )
        .filter(employee::Column::Id.eq(p.employee_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Changes one's own password (the current one is required); every other
/// session of the account ends.
pub async fn change_password(
    db: &DatabaseConnection,
    p: &Principal,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(p.account_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if !password::verify(current.to_string(), acc.password_hash.clone()).await {
        return Err(AppError::invalid(
            "current_password",
            "Kata sandi saat ini salah",
            "The current password is wrong",
        ));
    }
    password::check_new(new, &p.nip)?;
    let phc = password::hash(new.to_string()).await?;
    let txn = crate::backend::db::begin_write(db).await?;
    store_password(&txn, acc, phc, now).await?;
    session::end_others(&txn, p.account_id, Some(&p.session_hash)).await?;
    audit::created(
        &txn,
        &p.actor(),
        "account.password_changed",
        "account",
        p.account_id,
        &(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Opens an account for an employee (no password yet: an administrator
/// issues a set-password link). One account per employee.
pub async fn create_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    employee_id: i64,
    now: DateTime<Utc>,
) -> Result<account::Model, AppError> {
    let emp = employee::Entity::find_by_id(employee_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::backend::db::begin_write(db).await?;
    if account::Entity::find()
        .filter(account::Column::EmployeeId.eq(emp.id))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            format!("{} sudah memiliki akun", emp.name),
            format!("{} already has an account", emp.name),
        ));
    }
    let acc = account::ActiveModel {
        employee_id: Set(emp.id),
        password_hash: Set(None),
        active: Set(true),
        password_changed_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(&txn, actor, "account.created", "account", acc.id, &emp.nip).await?;
    txn.commit().await?;
    Ok(acc)
}

/// Sets an account's password directly (demo data and tests; people use links).
pub async fn set_password_directly<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let phc = password::hash(new.to_string()).await?;
    store_password(db, acc, phc, now).await
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleGrant {
    pub role: RoleKind,
    pub unit_id: Option<i64>,
    pub course_id: Option<i64>,
}

/// Grants a role; a manager needs a unit, a trainer a course, an
/// administrator neither. Granting a role held already changes nothing.
pub async fn grant_role(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    account_id: i64,
    grant: RoleGrant,
    now: DateTime<Utc>,
) -> Result<account_role::Model, AppError> {
    let (unit_id, course_id) = match grant.role {
        RoleKind::Admin => (None, None),
        RoleKind::Manager => {
            let id = grant.unit_id.ok_or_else(|| {
                AppError::invalid(
                    "unit_id",
                    "Pilih unit yang dikelola",
                    "Choose the managed unit",
                )
            })?;
            unit::Entity::find_by_id(id).one(db).await?.ok_or_else(|| {
                AppError::invalid("unit_id", "Unit tidak ditemukan", "Unit not found")
            })?;
            (Some(id), None)
        }
        RoleKind::Trainer => {
            let id = grant.course_id.ok_or_else(|| {
                AppError::invalid(
                    "course_id",
                    "Pilih pelatihan yang diajar",
                    "Choose the course taught",
                )
            })?;
            course::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    AppError::invalid("course_id", "Pelatihan tidak ditemukan", "Course not found")
                })?;
            (None, Some(id))
        }
    };
    account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let txn = crate::backend::db::begin_write(db).await?;
    let existing = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(account_id))
        .filter(account_role::Column::Role.eq(grant.role.as_str()))
        .all(&txn)
        .await?
        .into_iter()
        .find(|r| r.unit_id == unit_id && r.course_id == course_id);
    if let Some(r) = existing {
        return Ok(r);
    }
    let row = account_role::ActiveModel {
        account_id: Set(account_id),
        role: Set(grant.role.as_str().into()),
        unit_id: Set(unit_id),
        course_id: Set(course_id),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(
        &txn,
        actor,
        "account.role_granted",
        "account",
        account_id,
        &row,
    )
    .await?;
    txn.commit().await?;
    Ok(row)
}

/// Revokes one role. An administrator cannot revoke their own administrator
/// role (someone must be left to administer).
pub async fn revoke_role(
    db: &DatabaseConnection,
    by: &Principal,
    role_id: i64,
) -> Result<(), AppError> {
    let txn = crate::backend::db::begin_write(db).await?;
    let row = account_role::Entity::find_by_id(role_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.role == "admin" && row.account_id == by.account_id {
        return Err(AppError::conflict(
            "Anda tidak dapat mencabut peran administrator Anda sendiri",
            "You cannot revoke your own administrator role",
        ));
    }
    account_role::Entity::delete_by_id(role_id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &by.actor(),
        "account.role_revoked",
        "account",
        row.account_id,
        Some(&row),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Issues a one-time set-password link token (older unused links of the
/// account stop working). The token is returned once and stored hashed.
pub async fn issue_password_link(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    account_id: i64,
    now: DateTime<Utc>,
    valid_hours: u32,
) -> Result<(String, DateTime<Utc>), AppError> {
    account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = new_token();
    let expires = now + Duration::hours(valid_hours as i64);
    let txn = crate::backend::db::begin_write(db).await?;
    password_link::Entity::delete_many()
        .filter(password_link::Column::AccountId.eq(account_id))
        .filter(password_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    password_link::ActiveModel {
        token_hash: Set(hash_token(&token)),
        account_id: Set(account_id),
        created_by: Set(actor.to_string()),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
    }
    .insert(&txn)
    .await?;
    audit::created(
        &txn,
        actor,
        "account.password_link_issued",
        "account",
        account_id,
        &expires,
    )
    .await?;
    txn.commit().await?;
    Ok((token, expires))
}

fn link_invalid() -> AppError {
    AppError::invalid(
        "token",
        "Tautan ini tidak berlaku (sudah dipakai, kedaluwarsa, atau salah). Minta tautan baru kepada administrator.",
        "This link is not valid (used, expired or wrong). Ask an administrator for a new one.",
    )
}

/// Whom a set-password link is for, if it is still valid.
pub async fn password_link_owner(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<employee::Model, AppError> {
    let link = password_link::Entity::find_by_id(hash_token(token))
        .one(db)
        .await?
        .filter(|l| l.used_at.is_none() && l.expires_at > now)
        .ok_or_else(link_invalid)?;
    let acc = account::Entity::find_by_id(link.account_id)
        .one(db)
        .await?
        .ok_or_else(link_invalid)?;
    employee::Entity::find_by_id(acc.employee_id)
        .one(db)
        .await?
        .ok_or_else(link_invalid)
}

/// Sets the password through a link; the link is used up and every session
/// of the account ends.
pub async fn redeem_password_link(
    db: &DatabaseConnection,
    token: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let emp = password_link_owner(db, token, now).await?;
    password::check_new(new, &emp.nip)?;
    let phc = password::hash(new.to_string()).await?;
    let txn = crate::backend::db::begin_write(db).await?;
    // Use the link up first: of two concurrent redemptions only one updates it.
    let used = password_link::Entity::update_many()
        .col_expr(
            password_link::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(password_link::Column::TokenHash.eq(hash_token(token)))
        .filter(password_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if used.rows_affected != 1 {
        return Err(link_invalid());
    }
    let acc = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(emp.id))
        .one(&txn)
        .await?
        .ok_or_else(link_invalid)?;
    let id = acc.id;
    store_password(&txn, acc, phc, now).await?;
    session::end_others(&txn, id, None).await?;
    let actor = format!("{} ({})", emp.nip, emp.name);
    audit::created(&txn, &actor, "account.password_set", "account", id, &()).await?;
    txn.commit().await?;
    Ok(())
}

/// Every account with its roles, by name.
/// One page of accounts (50), searched by the employee's name or NIP, with
/// only the roles of the accounts shown.
pub async fn list_accounts(
    db: &DatabaseConnection,
    q: &str,
    page: u64,
) -> Result<AccountsPage, AppError> {
    use sea_orm::{sea_query::Query, PaginatorTrait};
    use std::collections::HashMap;
    let mut query = account::Entity::find();
    if let Some(cond) = super::search::people(db.get_database_backend(), q) {
        query = query.filter(
            account::Column::EmployeeId.in_subquery(
                Query::select()
                    .column(employee::Column::Id)
                    .from(employee::Entity)
                    .cond_where(cond)
                    .to_owned(),
            ),
        );
    }
    let paginator = query
        .order_by_asc(account::Column::Id)
        .paginate(db, ACCOUNTS_PER_PAGE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(ACCOUNTS_PER_PAGE), 1);
    let page = page.clamp(1, pages);
    let accounts = paginator.fetch_page(page - 1).await?;
    let employees: HashMap<i64, employee::Model> = employee::Entity::find()
        .filter(employee::Column::Id.is_in(accounts.iter().map(|a| a.employee_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.is_in(accounts.iter().map(|a| a.id)))
        .order_by_asc(account_role::Column::Id)
        .all(db)
        .await?;
    let unit_list = unit::Entity::find()
        .order_by_asc(unit::Column::Name)
        .all(db)
        .await?;
    let course_list = course::Entity::find()
        .order_by_asc(course::Column::Code)
        .all(db)
        .await?;
    let units: HashMap<i64, String> = unit_list.iter().map(|u| (u.id, u.name.clone())).collect();
    let courses: HashMap<i64, String> = course_list
        .iter()
        .map(|c| (c.id, format!("{} {}", c.code, c.title_id)))
        .collect();
    let rows = accounts
        .into_iter()
        .filter_map(|a| {
            let e = employees.get(&a.employee_id)?;
            Some(AccountRow {
                account_id: a.id,
                employee_id: e.id,
                nip: e.nip.clone(),
                name: e.name.clone(),
                has_password: a.password_hash.is_some(),
                active: a.active,
                roles: roles
                    .iter()
                    .filter(|r| r.account_id == a.id)
                    .map(|r| RoleRow {
                        id: r.id,
                        role: r.role.clone(),
                        scope: r
                            .unit_id
                            .and_then(|u| units.get(&u).cloned())
                            .or_else(|| r.course_id.and_then(|c| courses.get(&c).cloned())),
                    })
                    .collect(),
            })
        })
        .collect();
    Ok(AccountsPage {
        accounts: rows,
        total,
        page,
        pages,
        q: q.trim().to_string(),
        units: unit_list
            .iter()
            .map(|u| Choice {
                id: u.id,
                label: u.name.clone(),
            })
            .collect(),
        courses: course_list
            .iter()
            .map(|c| Choice {
                id: c.id,
                label: format!("{} {}", c.code, c.title_id),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_are_normalised() {
        assert_eq!(
            normalise_login(" 19860926 201505 1 001 "),
            "198609262015051001"
        );
        assert_eq!(
            normalise_login(" Rahmat@Medan.go.id "),
            "rahmat@medan.go.id"
        );
    }

    #[test]
    fn roles_parse_from_their_stored_form() {
        for r in [RoleKind::Admin, RoleKind::Manager, RoleKind::Trainer] {
            assert_eq!(RoleKind::parse(r.as_str()).unwrap(), r);
        }
        assert_eq!(RoleKind::parse("root").unwrap_err().field(), Some("role"));
    }
}
