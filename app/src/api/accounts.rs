//! Administration of accounts and roles (HR administrators only).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The accounts page: every account, and the units and courses roles can be scoped to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub accounts: Vec<AccountRow>,
    /// Accounts matching the search, on all pages.
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub q: String,
    pub units: Vec<Choice>,
    pub courses: Vec<Choice>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub account_id: i64,
    pub employee_id: i64,
    pub nip: String,
    pub name: String,
    pub has_password: bool,
    /// False once deactivated (then `deactivated_on` and `deactivated_reason` say when and why).
    pub active: bool,
    /// The local day (the office's zone, Asia/Jakarta by default) it was deactivated.
    pub deactivated_on: Option<chrono::NaiveDate>,
    /// Why, as stored ([`DeactivationReason::stored`]).
    pub deactivated_reason: Option<String>,
    /// Whether the employee has an email address: set-password links go there.
    pub has_email: bool,
    pub roles: Vec<RoleRow>,
}

/// Why an administrator deactivated an account. Stored in
/// `accounts.deactivated_reason` as `retired`, `left`, `moved_out` or
/// `other: <text>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeactivationReason {
    /// Pensiun.
    Retired,
    /// Keluar (left the agency).
    Left,
    /// Pindah ke luar instansi (moved to another agency).
    MovedOut,
    /// Another reason, in the administrator's words (1–200 characters).
    Other(String),
}

impl DeactivationReason {
    /// The form's choice (`retired`, `left`, `moved_out`, `other`) and, for
    /// `other`, its text.
    pub fn from_form(kind: &str, other: &str) -> Result<Self, AppError> {
        let text = other.split_whitespace().collect::<Vec<_>>().join(" ");
        match kind.trim() {
            "retired" => Ok(Self::Retired),
            "left" => Ok(Self::Left),
            "moved_out" => Ok(Self::MovedOut),
            "other" if text.is_empty() => Err(AppError::invalid(
                "reason_other",
                "Tuliskan alasannya",
                "Write the reason",
            )),
            "other" if text.chars().count() > 200 => Err(AppError::invalid(
                "reason_other",
                "Alasan terlalu panjang (maksimum 200 karakter)",
                "The reason is too long (at most 200 characters)",
            )),
            "other" => Ok(Self::Other(text)),
            _ => Err(AppError::invalid(
                "reason",
                "Pilih alasan penonaktifan",
                "Choose why the account is deactivated",
            )),
        }
    }

    pub fn stored(&self) -> String {
        match self {
            Self::Retired => "retired".into(),
            Self::Left => "left".into(),
            Self::MovedOut => "moved_out".into(),
            Self::Other(t) => format!("other: {t}"),
        }
    }

    pub fn from_stored(s: &str) -> Self {
        match s {
            "retired" => Self::Retired,
            "left" => Self::Left,
            "moved_out" => Self::MovedOut,
            other => Self::Other(other.strip_prefix("other: ").unwrap_or(other).to_string()),
        }
    }
}

/// What became of a set-password link: emailed to the person, or (only when
/// they have no email address) shown to the administrator to hand over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordLinkIssued {
    /// The address the link is being sent to.
    pub emailed_to: Option<String>,
    /// The link itself, only when there is no address to send it to.
    pub link: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    pub id: i64,
    pub role: String,
    /// The unit or course the role is scoped to, by name.
    pub scope: Option<String>,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    policy::authorize(principal(), &policy::Action::ManageAccounts)
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
    use crate::backend::{access::accounts, state::AppState};
    admin()?;
    let state = AppState::current()?;
    accounts::list_accounts(
        &state.db,
        q.as_deref().unwrap_or(""),
        page.unwrap_or(1),
        state.config.tz(),
    )
    .await
}

/// Opens an account for an employee (by NIP).
#[server(prefix = "/fn", endpoint = "create_account")]
pub async fn create_account(nip: String) -> Result<i64, AppError> {
    use crate::backend::{access::accounts, entities::employee, state::AppState};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let p = admin()?;
    let state = AppState::current()?;
    let nip: String = nip.chars().filter(|c| !c.is_whitespace()).collect();
    let emp = employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "nip",
                format!("Tidak ada pegawai dengan NIP {nip}"),
                format!("No employee has NIP {nip}"),
            )
        })?;
    let acc = accounts::create_account(&state.db, &p.actor(), emp.id, chrono::Utc::now()).await?;
    Ok(acc.id)
}

#[server(prefix = "/fn", endpoint = "grant_role")]
pub async fn grant_role(
    account_id: String,
    role: String,
    unit_id: Option<String>,
    course_id: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{
        access::accounts::{self, RoleGrant, RoleKind},
        state::AppState,
    };
    let p = admin()?;
    let state = AppState::current()?;
    let grant = RoleGrant {
        role: RoleKind::parse(role.trim())?,
        unit_id: optional_id("unit_id", unit_id)?,
        course_id: optional_id("course_id", course_id)?,
    };
    accounts::grant_role(
        &state.db,
        &p.actor(),
        parse_id("account_id", &account_id)?,
        grant,
        chrono::Utc::now(),
    )
    .await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "revoke_role")]
pub async fn revoke_role(role_id: String) -> Result<(), AppError> {
    use crate::backend::{access::accounts, state::AppState};
    let p = admin()?;
    let state = AppState::current()?;
    accounts::revoke_role(&state.db, &p, parse_id("role_id", &role_id)?).await
}

/// Issues a one-time set-password link. It goes to the person by email
/// (through the outbox); only when they have no email address is it
/// returned, for the administrator to hand over.
#[server(prefix = "/fn", endpoint = "issue_password_link")]
pub async fn issue_password_link(account_id: String) -> Result<PasswordLinkIssued, AppError> {
    use crate::backend::{
        access::accounts::{self, IssuedLink},
        state::AppState,
    };
    let p = admin()?;
    let state = AppState::current()?;
    let issued = accounts::issue_password_link(
        &state.db,
        &p.actor(),
        parse_id("account_id", &account_id)?,
        chrono::Utc::now(),
        state.config.password_link_hours,
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
                state.config.public_url.trim_end_matches('/')
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
    use crate::backend::{access::accounts, state::AppState};
    let p = admin()?;
    let state = AppState::current()?;
    let account_id = parse_id("account_id", &account_id)?;
    let reason = DeactivationReason::from_form(&reason, reason_other.as_deref().unwrap_or(""))?;
    accounts::deactivate(&state.db, &p, account_id, reason, chrono::Utc::now()).await
}

/// Makes a deactivated account usable again (its old API tokens stay revoked).
#[server(prefix = "/fn", endpoint = "reactivate_account")]
pub async fn reactivate_account(account_id: String) -> Result<(), AppError> {
    use crate::backend::{access::accounts, state::AppState};
    let p = admin()?;
    let state = AppState::current()?;
    accounts::reactivate(
        &state.db,
        &p.actor(),
        parse_id("account_id", &account_id)?,
        chrono::Utc::now(),
    )
    .await
}
