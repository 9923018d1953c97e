//! Accounts, roles, passwords and sessions: signing in and out, changing a
//! password, administrators granting roles, issuing set-password links and
//! deactivating and reactivating accounts. Every sign-in (success and
//! failure), role change, password change, deactivation and reactivation is
//! written to the audit trail, in the transaction of the change.
//!
//! **People who leave lose access** (issue 17). [`deactivate`] turns the
//! account off (`active = false`, with when and why) and, in the same
//! transaction, deletes its sessions, revokes its API tokens, deletes its
//! calendar link and unused set-password links, and cancels the email still
//! waiting for the person. Every door checks the account again besides
//! (`account::Model::is_usable`): sign-in, the session lookup, API tokens,
//! calendar feeds, set-password links, the reminder tick and the outbox. A
//! deactivated person signing in gets the answer of a wrong password,
//! whether or not the password was right: the refusal tells a guesser
//! nothing. [`reactivate`] turns it back on; what deactivation removed stays
//! removed (old API tokens stay revoked, the calendar link is made anew),
//! the password is kept.
//!
//! **Set-password links go by email.** For a person with an email address,
//! [`issue_password_link`] queues a `password_link` message in the outbox;
//! the delivery worker mints the secret when it sends
//! ([`mint_emailed_password_link`]), so it exists only in the email and the
//! administrator never sees it. Only for a person without an address is the
//! link shown to the administrator, to hand over.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    sea_query::ExprTrait, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};

use crate::backend::audit::{self, Actor};
use crate::model::accounts::{AccountRow, AccountsPage, Choice, DeactivationReason, RoleRow};
use crate::{
    backend::{
        access::{
            owner_mail, password, session,
            throttle::{self},
            token::{hash_token, new_token},
            Principal,
        },
        config::Config,
        db::{self, begin_write},
        entities::{
            account, account_role, api_token, calendar_link, course, employee, outbox,
            password_link, unit,
        },
    },
    domain::reminders::ReminderKind,
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
    let event = SignInEvent {
        login: &login,
        addr,
    };
    let found = find_by_login(db, &login).await?;
    // One account, one login counter, whether it is named by NIP or email.
    let counter_login = found
        .as_ref()
        .map_or(login.as_str(), |(_, e)| e.nip.as_str());
    let keys = throttle::keys(counter_login, addr);
    // The failure is counted before the password is checked (one atomic
    // step: parallel guesses cannot all pass); refused attempts are counted
    // in the counters, not written to the audit trail.
    let attempt = throttle::reserve(db, &keys, now).await?;
    // A deactivated account is checked against no hash (the same work as an
    // unknown login) and fails as a wrong password does: the answer does not
    // tell whether the password was right.
    let phc = found
        .as_ref()
        .filter(|(a, _)| a.is_usable())
        .and_then(|(a, _)| a.password_hash.clone());
    let ok = password::verify(password_given.to_string(), phc).await;
    let Some((acc, emp)) = found.clone().filter(|(a, _)| ok && a.is_usable()) else {
        throttle::record_failure(
            db,
            &attempt,
            throttle::FailureAudit {
                actor: "anonim",
                failed: "auth.sign_in_failed",
                throttled: "auth.sign_in_throttled",
                entity_id: 0,
                event: &event,
            },
            found.as_ref().map(|(a, e)| (a, e)),
            now,
        )
        .await?;
        return Err(AppError::BadCredentials);
    };
    throttle::release(db, &attempt).await?;
    let txn = begin_write(db).await?;
    let token = session::create(&txn, acc.id, now, config).await?;
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(acc.id))
        .all(&txn)
        .await?;
    let p = session::principal_of(&acc, &emp, &roles, hash_token(&token));
    commit_audited(txn, &p.actor(), "auth.sign_in", acc.id, &event).await?;
    Ok((token, p))
}

/// Ends this session.
pub async fn sign_out(db: &DatabaseConnection, p: &Principal) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    session::end(&txn, &p.session_hash).await?;
    commit_audited(txn, &p.actor(), "auth.sign_out", p.account_id, &()).await
}

/// Writes the audit line of `action` on account `account_id` and commits it
/// with the change it records (one transaction: both or neither).
pub(crate) async fn commit_audited<A: Serialize>(
    txn: DatabaseTransaction,
    actor: Actor<'_>,
    action: &str,
    account_id: i64,
    after: &A,
) -> Result<(), AppError> {
    commit_change(txn, actor, action, account_id, None::<&()>, Some(after)).await
}

/// [`commit_audited`] with the account's state `before` the change (and
/// none `after` when what changed is gone).
async fn commit_change<B: Serialize, A: Serialize>(
    txn: DatabaseTransaction,
    actor: Actor<'_>,
    action: &str,
    account_id: i64,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), AppError> {
    audit::record(&txn, actor, action, "account", account_id, before, after).await?;
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
/// session of the account ends. The current password is checked under the
/// sign-in counters of the account's NIP from `addr`: a wrong one counts as
/// a failed sign-in (a stolen session cannot guess it faster).
pub async fn change_password(
    db: &DatabaseConnection,
    p: &Principal,
    current: &str,
    new: &str,
    addr: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(p.account_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    if current.len() > 1024 {
        return Err(wrong_current_password());
    }
    let attempt = throttle::reserve(db, &throttle::keys(&p.nip, addr), now).await?;
    if !password::verify(current.to_string(), acc.password_hash.clone()).await {
        let emp = employee::Entity::find_by_id(p.employee_id).one(db).await?;
        throttle::record_failure(
            db,
            &attempt,
            throttle::FailureAudit {
                actor: &p.actor(),
                failed: "auth.password_change_failed",
                throttled: "auth.password_change_throttled",
                entity_id: p.account_id,
                event: &SignInEvent {
                    login: &p.nip,
                    addr,
                },
            },
            emp.as_ref().map(|e| (&acc, e)),
            now,
        )
        .await?;
        return Err(wrong_current_password());
    }
    throttle::release(db, &attempt).await?;
    password::check_new(new, &p.nip)?;
    let phc = password::hash(new.to_string()).await?;
    let txn = begin_write(db).await?;
    store_password(&txn, acc, phc, now).await?;
    session::end_others(&txn, p.account_id, Some(&p.session_hash)).await?;
    commit_audited(
        txn,
        &p.actor(),
        "account.password_changed",
        p.account_id,
        &(),
    )
    .await
}

fn wrong_current_password() -> AppError {
    AppError::invalid(
        "current_password",
        "Kata sandi saat ini salah",
        "The current password is wrong",
    )
}

/// Opens an account for an employee (no password yet: an administrator
/// issues a set-password link). One account per employee.
pub async fn create_account(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    employee_id: i64,
    now: DateTime<Utc>,
) -> Result<account::Model, AppError> {
    let emp = db::find::<employee::Entity, _>(db, employee_id).await?;
    let txn = begin_write(db).await?;
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
    commit_audited(txn, actor, "account.created", acc.id, &emp.nip).await?;
    Ok(acc)
}

/// Sets an account's password directly (demo data and tests; people use links).
pub async fn set_password_directly<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let acc = db::find::<account::Entity, _>(db, account_id).await?;
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
    db::find::<account::Entity, _>(db, account_id).await?;
    let txn = begin_write(db).await?;
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
    commit_audited(txn, actor, "account.role_granted", account_id, &row).await?;
    Ok(row)
}

/// Revokes one role. An administrator cannot revoke their own administrator
/// role (someone must be left to administer).
pub async fn revoke_role(
    db: &DatabaseConnection,
    by: &Principal,
    role_id: i64,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = db::find::<account_role::Entity, _>(&txn, role_id).await?;
    if row.role == "admin" && row.account_id == by.account_id {
        return Err(AppError::conflict(
            "Anda tidak dapat mencabut peran administrator Anda sendiri",
            "You cannot revoke your own administrator role",
        ));
    }
    account_role::Entity::delete_by_id(role_id)
        .exec(&txn)
        .await?;
    let (actor, action) = (by.actor(), "account.role_revoked");
    commit_change(txn, &actor, action, row.account_id, Some(&row), None::<&()>).await
}

/// What [`issue_password_link`] did with the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuedLink {
    /// Queued for the person's address; the secret is minted when it is sent.
    Emailed { to: String, expires: DateTime<Utc> },
    /// The person has no email address: the secret, for the administrator
    /// to hand over (returned once, stored hashed).
    Shown {
        token: String,
        expires: DateTime<Utc>,
    },
}

/// When an emailed link stops working, from its outbox row's occurrence
/// (which is that instant, and so makes every issue its own message).
pub fn emailed_link_expiry(occurrence: &str) -> Option<DateTime<Utc>> {
    owner_mail::instant_of(occurrence)
}

/// What a deactivation did, for the audit line.
#[derive(Debug, Serialize)]
struct Deactivated<'a> {
    reason: &'a str,
    at: DateTime<Utc>,
    sessions_ended: u64,
    api_tokens_revoked: u64,
    calendar_links_removed: u64,
    password_links_removed: u64,
    emails_cancelled: u64,
}

/// Deactivates an account (the person retired, left the agency or moved
/// out of it), in ONE transaction with its audit line: the account is
/// turned off with when and why; its sessions are deleted (the next request
/// of an open browser is signed out), its API tokens revoked (they stay
/// revoked), its calendar link and unused set-password links deleted, and
/// the email still waiting for the person cancelled. An administrator
/// cannot deactivate their own account.
pub async fn deactivate(
    db: &DatabaseConnection,
    by: &Principal,
    account_id: i64,
    reason: DeactivationReason,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if account_id == by.account_id {
        return Err(AppError::conflict(
            "Anda tidak dapat menonaktifkan akun Anda sendiri",
            "You cannot deactivate your own account",
        ));
    }
    deactivate_as(db, &by.actor(), account_id, reason, now).await
}

/// [`deactivate`] on behalf of `actor` (the demo data; an administrator's
/// requests go through [`deactivate`], which refuses their own account).
pub async fn deactivate_as(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    account_id: i64,
    reason: DeactivationReason,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let actor = actor.to_string();
    let txn = begin_write(db).await?;
    let acc = db::find::<account::Entity, _>(&txn, account_id).await?;
    if !acc.is_usable() {
        return Err(AppError::conflict(
            "Akun ini sudah nonaktif",
            "This account is inactive already",
        ));
    }
    let employee_id = acc.employee_id;
    let stored = reason.stored();
    let mut am = acc.into_active_model();
    am.active = Set(false);
    am.deactivated_at = Set(Some(now));
    am.deactivated_reason = Set(Some(stored.clone()));
    am.update(&txn).await?;
    let sessions_ended = crate::backend::entities::session::Entity::delete_many()
        .filter(crate::backend::entities::session::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?
        .rows_affected;
    let api_tokens_revoked = api_token::Entity::update_many()
        .col_expr(
            api_token::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Some(now)),
        )
        .col_expr(
            api_token::Column::RevokedBy,
            sea_orm::sea_query::Expr::value(Some(actor.clone())),
        )
        .filter(api_token::Column::AccountId.eq(account_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    let calendar_links_removed = calendar_link::Entity::delete_many()
        .filter(calendar_link::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?
        .rows_affected;
    let password_links_removed = drop_unused_links(&txn, account_id).await?;
    let emails_cancelled = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::State,
            sea_orm::sea_query::Expr::value(outbox::CANCELLED),
        )
        .col_expr(
            outbox::Column::LastError,
            sea_orm::sea_query::Expr::value(Some(
                "akun dinonaktifkan / account deactivated".to_string(),
            )),
        )
        .filter(outbox::Column::RecipientEmployeeId.eq(employee_id))
        .filter(outbox::Column::State.eq(outbox::PENDING))
        .exec(&txn)
        .await?
        .rows_affected;
    let after = Deactivated {
        reason: &stored,
        at: now,
        sessions_ended,
        api_tokens_revoked,
        calendar_links_removed,
        password_links_removed,
        emails_cancelled,
    };
    let before = serde_json::json!({ "active": true });
    let action = "account.deactivated";
    commit_change(txn, &actor, action, account_id, Some(&before), Some(&after)).await
}

/// Makes a deactivated account usable again, with its audit line in the
/// same transaction. The password is kept; what deactivation removed stays
/// removed: old API tokens stay revoked (an administrator makes new ones),
/// the person makes a new calendar link.
pub async fn reactivate(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let acc = db::find::<account::Entity, _>(&txn, account_id).await?;
    if acc.is_usable() {
        return Err(AppError::conflict(
            "Akun ini sudah aktif",
            "This account is active already",
        ));
    }
    #[derive(Serialize)]
    struct State<'a> {
        active: bool,
        deactivated_at: Option<DateTime<Utc>>,
        deactivated_reason: Option<&'a str>,
    }
    let before = serde_json::to_value(State {
        active: acc.active,
        deactivated_at: acc.deactivated_at,
        deactivated_reason: acc.deactivated_reason.as_deref(),
    })
    .map_err(|e| AppError::Internal {
        reference: format!("audit: {e}"),
    })?;
    let mut am = acc.into_active_model();
    am.active = Set(true);
    am.deactivated_at = Set(None);
    am.deactivated_reason = Set(None);
    am.update(&txn).await?;
    let after = serde_json::json!({ "active": true, "at": now });
    let action = "account.reactivated";
    commit_change(txn, actor, action, account_id, Some(&before), Some(&after)).await
}

/// Issues a one-time set-password link valid for `valid_hours`; older
/// unused links of the account stop working. A person with an email
/// address gets it by email (a `password_link` message in the outbox,
/// written in the same transaction as the audit line); otherwise the secret
/// is returned, once, and stored hashed. A deactivated account gets none.
pub async fn issue_password_link(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    account_id: i64,
    now: DateTime<Utc>,
    valid_hours: u32,
) -> Result<IssuedLink, AppError> {
    let acc = db::find::<account::Entity, _>(db, account_id).await?;
    if !acc.is_usable() {
        return Err(AppError::conflict(
            "Akun ini nonaktif: aktifkan kembali sebelum membuat tautan kata sandi",
            "This account is inactive: reactivate it before making a password link",
        ));
    }
    let emp = db::find::<employee::Entity, _>(db, acc.employee_id).await?;
    let email = owner_mail::address_of(&emp).map(str::to_string);
    let expires = now + Duration::hours(valid_hours as i64);
    let txn = begin_write(db).await?;
    drop_unused_links(&txn, account_id).await?;
    let issued = match email {
        Some(to) => {
            let kind = ReminderKind::PasswordLink;
            owner_mail::queue(&txn, kind, account_id, &emp, &to, expires, now).await?;
            IssuedLink::Emailed { to, expires }
        }
        None => {
            let token = insert_link(&txn, account_id, actor, now, expires).await?;
            IssuedLink::Shown { token, expires }
        }
    };
    #[derive(Serialize)]
    struct Issued<'a> {
        expires: DateTime<Utc>,
        emailed_to: Option<&'a str>,
    }
    let after = Issued {
        expires,
        emailed_to: match &issued {
            IssuedLink::Emailed { to, .. } => Some(to.as_str()),
            IssuedLink::Shown { .. } => None,
        },
    };
    commit_audited(
        txn,
        actor,
        "account.password_link_issued",
        account_id,
        &after,
    )
    .await?;
    Ok(issued)
}

/// Deletes the account's unused set-password links (a new link replaces
/// them; a deactivated account keeps none). Returns how many went.
async fn drop_unused_links<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<u64, AppError> {
    Ok(password_link::Entity::delete_many()
        .filter(password_link::Column::AccountId.eq(account_id))
        .filter(password_link::Column::UsedAt.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Stores a new set-password link (only its hash) valid until `expires`;
/// returns its secret.
async fn insert_link<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    created_by: &str,
    now: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> Result<String, AppError> {
    let token = new_token();
    password_link::ActiveModel {
        token_hash: Set(hash_token(&token)),
        account_id: Set(account_id),
        created_by: Set(created_by.to_string()),
        created_at: Set(now),
        expires_at: Set(expires),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The secret of an emailed set-password link, minted by the delivery
/// worker just before it sends the message: older unused links of the
/// account stop working, the new one works until `expires`. `None` when
/// the account is gone or inactive, or the time is over (nothing to send).
/// A retried message gets a new secret, and the one before stops working.
pub async fn mint_emailed_password_link(
    db: &DatabaseConnection,
    account_id: i64,
    expires: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    if expires <= now {
        return Ok(None);
    }
    let txn = begin_write(db).await?;
    let usable = account::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .is_some_and(|a| a.is_usable());
    if !usable {
        return Ok(None);
    }
    drop_unused_links(&txn, account_id).await?;
    let token = insert_link(&txn, account_id, "email", now, expires).await?;
    txn.commit().await?;
    Ok(Some(token))
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
        .filter(account::Model::is_usable)
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
    let txn = begin_write(db).await?;
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
    commit_audited(txn, &actor, "account.password_set", id, &()).await
}

/// Every account with its roles, by name.
/// One page of accounts (50), searched by the employee's name or NIP, with
/// only the roles of the accounts shown.
pub async fn list_accounts(
    db: &DatabaseConnection,
    q: &str,
    page: u64,
    tz: chrono_tz::Tz,
) -> Result<AccountsPage, AppError> {
    use sea_orm::{sea_query::Query, PaginatorTrait};
    use std::collections::HashMap;
    let mut query = account::Entity::find();
    if let Some(cond) = crate::backend::people::search::people(db.get_database_backend(), q) {
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
    let owners = accounts.iter().map(|a| a.employee_id);
    let employees = db::by_id::<employee::Entity, _>(db, owners).await?;
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
                active: a.is_usable(),
                deactivated_on: a.deactivated_at.map(|t| t.with_timezone(&tz).date_naive()),
                deactivated_reason: a.deactivated_reason.clone(),
                has_email: owner_mail::address_of(e).is_some(),
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
