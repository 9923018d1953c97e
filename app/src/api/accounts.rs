//! Administration of accounts and roles (HR administrators only).

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::accounts::{AccountsPage, PasswordLinkIssued};

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageAccounts)
}

#[cfg(feature = "ssr")]
fn parse_id(field: &str, raw: &str) -> Result<i64, AppError> {
    raw.trim().parse::<i64>().map_err(|_| {
        AppError::invalid(
            field,
            format!("Nomor tidak valid: {raw:?}"),
            format!("Invalid number: {raw:?}"),
        )
    })
}

#[cfg(feature = "ssr")]
fn optional_id(field: &str, raw: Option<String>) -> Result<Option<i64>, AppError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => parse_id(field, v).map(Some),
    }
}

/// One page of accounts; `q` searches the name or NIP.
#[server(prefix = "/fn", endpoint = "accounts")]
pub async fn list_accounts(q: Option<String>, page: Option<u64>) -> Result<AccountsPage, AppError> {
    use crate::backend::access::accounts;
    let c = admin()?;
    accounts::list_accounts(
        c.db(),
        q.as_deref().unwrap_or(""),
        page.unwrap_or(1),
        c.app.config.tz(),
    )
    .await
}

/// Opens an account for an employee (by NIP).
#[server(prefix = "/fn", endpoint = "create_account")]
pub async fn create_account(nip: String) -> Result<i64, AppError> {
    use crate::backend::{access::accounts, entities::employee};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let c = admin()?;
    let nip: String = nip.chars().filter(|c| !c.is_whitespace()).collect();
    let emp = employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip.clone()))
        .one(c.db())
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "nip",
                format!("Tidak ada pegawai dengan NIP {nip}"),
                format!("No employee has NIP {nip}"),
            )
        })?;
    let acc = accounts::create_account(c.db(), &c.p.actor(), emp.id, chrono::Utc::now()).await?;
    Ok(acc.id)
}

#[server(prefix = "/fn", endpoint = "grant_role")]
pub async fn grant_role(
    account_id: String,
    role: String,
    unit_id: Option<String>,
    course_id: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::access::accounts::{self, RoleGrant, RoleKind};
    let c = admin()?;
    let grant = RoleGrant {
        role: RoleKind::parse(role.trim())?,
        unit_id: optional_id("unit_id", unit_id)?,
        course_id: optional_id("course_id", course_id)?,
    };
    accounts::grant_role(
        c.db(),
        &c.p.actor(),
        parse_id("account_id", &account_id)?,
        grant,
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "revoke_role")]
pub async fn revoke_role(role_id: String) -> Result<(), AppError> {
    use crate::backend::access::accounts;
    let c = admin()?;
    accounts::revoke_role(c.db(), &c.p, parse_id("role_id", &role_id)?).await
}

/// Issues a one-time set-password link. It goes to the person by email
/// (through the outbox); only when they have no email address is it
/// returned, for the administrator to hand over.
#[server(prefix = "/fn", endpoint = "issue_password_link")]
pub async fn issue_password_link(account_id: String) -> Result<PasswordLinkIssued, AppError> {
    use crate::backend::access::accounts::{self, IssuedLink};
    let c = admin()?;
    let issued = accounts::issue_password_link(
        c.db(),
        &c.p.actor(),
        parse_id("account_id", &account_id)?,
        chrono::Utc::now(),
        c.app.config.password_link_hours,
    )
    .await?;
    Ok(match issued {
        IssuedLink::Emailed { to, .. } => PasswordLinkIssued {
            emailed_to: Some(to),
            link: None,
        },
        IssuedLink::Shown { token, .. } => PasswordLinkIssued {
            emailed_to: None,
            link: Some(format!(
                "{}/atur-sandi/{token}",
                c.app.config.public_url.trim_end_matches('/')
            )),
        },
    })
}

/// Deactivates an account (the person retired, left, or moved to another
/// agency): its sessions end, its API tokens are revoked, its calendar link
/// is removed, and it gets no more email.
#[server(prefix = "/fn", endpoint = "deactivate_account")]
pub async fn deactivate_account(
    account_id: String,
    reason: String,
    reason_other: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::access::accounts;
    let c = admin()?;
    let account_id = parse_id("account_id", &account_id)?;
    let reason = crate::model::accounts::DeactivationReason::from_form(
        &reason,
        reason_other.as_deref().unwrap_or(""),
    )?;
    accounts::deactivate(c.db(), &c.p, account_id, reason, chrono::Utc::now()).await
}

/// Makes a deactivated account usable again (its old API tokens stay revoked).
#[server(prefix = "/fn", endpoint = "reactivate_account")]
pub async fn reactivate_account(account_id: String) -> Result<(), AppError> {
    use crate::backend::access::accounts;
    let c = admin()?;
    accounts::reactivate(
        c.db(),
        &c.p.actor(),
        parse_id("account_id", &account_id)?,
        chrono::Utc::now(),
    )
    .await
}
