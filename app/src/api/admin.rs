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
    pub active: bool,
    pub roles: Vec<RoleRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    pub id: i64,
    pub role: String,
    /// The unit or course the role is scoped to, by name.
    pub scope: Option<String>,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::auth::Principal, AppError> {
    use crate::backend::auth::{policy, principal};
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
    use crate::backend::{services::accounts, state::AppState};
    admin()?;
    let state = AppState::current()?;
    accounts::list_accounts(&state.db, q.as_deref().unwrap_or(""), page.unwrap_or(1)).await
}

/// Opens an account for an employee (by NIP).
#[server(prefix = "/fn", endpoint = "create_account")]
pub async fn create_account(nip: String) -> Result<i64, AppError> {
    use crate::backend::{entities::employee, services::accounts, state::AppState};
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
        services::accounts::{self, RoleGrant, RoleKind},
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
    use crate::backend::{services::accounts, state::AppState};
    let p = admin()?;
    let state = AppState::current()?;
    accounts::revoke_role(&state.db, &p, parse_id("role_id", &role_id)?).await
}

/// Issues a one-time set-password link and returns it, to be handed to the
/// person (by email once reminders exist).
#[server(prefix = "/fn", endpoint = "issue_password_link")]
pub async fn issue_password_link(account_id: String) -> Result<String, AppError> {
    use crate::backend::{services::accounts, state::AppState};
    let p = admin()?;
    let state = AppState::current()?;
    let (token, _) = accounts::issue_password_link(
        &state.db,
        &p.actor(),
        parse_id("account_id", &account_id)?,
        chrono::Utc::now(),
        state.config.password_link_hours,
    )
    .await?;
    Ok(format!(
        "{}/atur-sandi/{token}",
        state.config.public_url.trim_end_matches('/')
    ))
}
