//! Server functions behind /admin/organisasi: units, positions (jabatan) and
//! employees for the HR administrator. Each list is searched and paged in
//! the database (`COUNT` and `LIMIT`/`OFFSET`), each create and edit checks
//! every field (a refusal names the field, 422; a duplicate is 409), writes
//! one audit line in the same transaction, and leaves nothing behind when
//! refused. Every function answers "not found" to anyone but an
//! administrator (401 to someone not signed in) before looking at what was
//! sent.
//!
//! A plain form post (JavaScript off) is sent back to the page with the
//! outcome in the address (`baru=<id>` after creating, `disimpan=1` after
//! editing) so the page can say what happened.

// The employee form has nine fields; the client half `#[server]` generates
// for them cannot carry an attribute of its own.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Rows per page in every list of this page.
pub const PAGE_SIZE: u64 = 25;

/// The stored position kinds (`positions.kind`), in the order offered.
pub const POSITION_KINDS: [&str; 5] = [
    "jpt",
    "administrator",
    "pengawas",
    "fungsional",
    "pelaksana",
];

/// The stored ASN kinds (`employees.asn_kind`).
pub const ASN_KINDS: [&str; 2] = ["pns", "pppk"];

/// The stored languages (`employees.language`).
pub const LANGUAGES: [&str; 2] = ["id", "en"];

/// At most this many competencies per position, each at most
/// [`COMPETENCY_MAX`] characters.
pub const COMPETENCIES_MAX: usize = 30;
pub const COMPETENCY_MAX: usize = 100;

/// A unit as the forms offer it: depth-first, with its depth for indenting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub depth: u32,
    pub parent_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    /// The ancestors' names, from the root down to the parent (empty for a root).
    pub path: Vec<String>,
    /// Employees placed directly in this unit.
    pub employees: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsPage {
    pub rows: Vec<UnitRow>,
    /// Units matching the search (all pages).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The search as understood (trimmed).
    pub q: String,
    /// Every unit, depth-first (the parent choice).
    pub units: Vec<UnitChoice>,
    /// The unit asked for with `ubah=<id>`.
    pub editing: Option<UnitRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionRow {
    pub id: i64,
    pub name: String,
    /// One of [`POSITION_KINDS`].
    pub kind: String,
    pub job_family: String,
    pub competencies: Vec<String>,
    /// Employees holding this position.
    pub employees: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionsPage {
    pub rows: Vec<PositionRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub q: String,
    /// The kind filter, if any (one of [`POSITION_KINDS`]).
    pub kind: Option<String>,
    /// The job families in use, for the form's suggestions.
    pub job_families: Vec<String>,
    pub editing: Option<PositionRow>,
}

/// A position as the employee form offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionChoice {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeRow {
    pub id: i64,
    /// 18 digits, as stored.
    pub nip: String,
    /// `19860926 201505 1 001`.
    pub nip_display: String,
    /// `pns` or `pppk`.
    pub asn_kind: String,
    pub name: String,
    /// "III/a", if any.
    pub golongan: Option<String>,
    pub email: Option<String>,
    /// `id` or `en`.
    pub language: String,
    pub unit_id: i64,
    pub unit: String,
    pub position_id: Option<i64>,
    pub position: Option<String>,
    pub supervisor_id: Option<i64>,
    pub supervisor: Option<String>,
    pub supervisor_nip: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeesPage {
    pub rows: Vec<EmployeeRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub q: String,
    /// The unit filter: this unit and everything below it.
    pub unit_id: Option<i64>,
    pub units: Vec<UnitChoice>,
    pub positions: Vec<PositionChoice>,
    pub editing: Option<EmployeeRow>,
}

/// `19860926201505 1001` → `19860926 201505 1 001`; anything not 18 digits as is.
pub fn nip_grouped(nip: &str) -> String {
    if nip.len() == 18 && nip.bytes().all(|b| b.is_ascii_digit()) {
        format!(
            "{} {} {} {}",
            &nip[0..8],
            &nip[8..14],
            &nip[14..15],
            &nip[15..18]
        )
    } else {
        nip.to_string()
    }
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    policy::authorize(principal(), &policy::Action::ManageOrganisation)
}

/// After a plain form post (JavaScript off) that succeeded, sends the
/// browser to `to` instead of back to the page it came from. A request from
/// the hydrated page gets its answer as data and stays where it is.
#[cfg(feature = "ssr")]
fn after_plain_post(to: &str) {
    let plain = use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if plain {
        leptos_axum::redirect(to);
    }
}

/// Percent-encoding for a query value (everything but unreserved characters).
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------- units

/// Units whose name contains `q` (case-insensitive), by name, 25 a page;
/// `edit` also returns that unit (not found: 404).
#[server(prefix = "/fn", endpoint = "org_units")]
pub async fn get_org_units(
    q: Option<String>,
    page: Option<u64>,
    edit: Option<i64>,
) -> Result<UnitsPage, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    admin()?;
    let app = AppState::current()?;
    org::list_units(&app.db, q.as_deref().unwrap_or(""), page.unwrap_or(1), edit).await
}

/// A new unit, at the top or under `parent_id`.
#[server(prefix = "/fn", endpoint = "org_create_unit")]
pub async fn create_org_unit(
    name: Option<String>,
    parent_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::unit_fields(name, parent_id)?;
    let saved = org::create_unit(&app.db, &p.actor(), changes).await?;
    after_plain_post(&format!("/admin/organisasi?bagian=unit&baru={}", saved.id));
    Ok(saved.id)
}

/// Renames and/or moves a unit; it may not go under itself or a unit below it.
#[server(prefix = "/fn", endpoint = "org_update_unit")]
pub async fn update_org_unit(
    id: i64,
    name: Option<String>,
    parent_id: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::unit_fields(name, parent_id)?;
    org::update_unit(&app.db, &p.actor(), id, changes).await?;
    after_plain_post(&format!(
        "/admin/organisasi?bagian=unit&ubah={id}&disimpan=1"
    ));
    Ok(())
}

// ---------------------------------------------------------------- positions

/// Positions whose name or job family contains `q`, optionally of one kind.
#[server(prefix = "/fn", endpoint = "org_positions")]
pub async fn get_org_positions(
    q: Option<String>,
    kind: Option<String>,
    page: Option<u64>,
    edit: Option<i64>,
) -> Result<PositionsPage, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    admin()?;
    let app = AppState::current()?;
    let kind = org::kind_filter(kind.as_deref())?;
    org::list_positions(
        &app.db,
        q.as_deref().unwrap_or(""),
        kind,
        page.unwrap_or(1),
        edit,
    )
    .await
}

/// A new position. `competencies`: one per line.
#[server(prefix = "/fn", endpoint = "org_create_position")]
pub async fn create_org_position(
    name: Option<String>,
    kind: Option<String>,
    job_family: Option<String>,
    competencies: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::position_fields(name, kind, job_family, competencies)?;
    let saved = org::create_position(&app.db, &p.actor(), changes).await?;
    after_plain_post(&format!(
        "/admin/organisasi?bagian=jabatan&baru={}",
        saved.id
    ));
    Ok(saved.id)
}

#[server(prefix = "/fn", endpoint = "org_update_position")]
pub async fn update_org_position(
    id: i64,
    name: Option<String>,
    kind: Option<String>,
    job_family: Option<String>,
    competencies: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::position_fields(name, kind, job_family, competencies)?;
    org::update_position(&app.db, &p.actor(), id, changes).await?;
    after_plain_post(&format!(
        "/admin/organisasi?bagian=jabatan&ubah={id}&disimpan=1"
    ));
    Ok(())
}

// ---------------------------------------------------------------- employees

/// Employees whose name contains `q`, or whose NIP starts with the digits
/// of `q` (spaces ignored); `unit_id` keeps that unit and everything below.
#[server(prefix = "/fn", endpoint = "org_employees")]
pub async fn get_org_employees(
    q: Option<String>,
    unit_id: Option<i64>,
    page: Option<u64>,
    edit: Option<i64>,
) -> Result<EmployeesPage, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    admin()?;
    let app = AppState::current()?;
    org::list_employees(
        &app.db,
        q.as_deref().unwrap_or(""),
        unit_id,
        page.unwrap_or(1),
        edit,
    )
    .await
}

/// A new employee. `supervisor_nip`: the NIP of an existing employee (optional).
#[server(prefix = "/fn", endpoint = "org_create_employee")]
pub async fn create_org_employee(
    asn_kind: Option<String>,
    nip: Option<String>,
    name: Option<String>,
    golongan: Option<String>,
    email: Option<String>,
    language: Option<String>,
    unit_id: Option<String>,
    position_id: Option<String>,
    supervisor_nip: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::employee_fields(
        org::EmployeeForm {
            asn_kind,
            nip,
            name,
            golongan,
            email,
            language,
            unit_id,
            position_id,
            supervisor_nip,
        },
        app.now_local().date_naive(),
    )?;
    let saved = org::create_employee(&app.db, &p.actor(), changes).await?;
    after_plain_post(&format!(
        "/admin/organisasi?bagian=pegawai&q={}&baru={}",
        saved.nip, saved.id
    ));
    Ok(saved.id)
}

#[server(prefix = "/fn", endpoint = "org_update_employee")]
pub async fn update_org_employee(
    id: i64,
    asn_kind: Option<String>,
    nip: Option<String>,
    name: Option<String>,
    golongan: Option<String>,
    email: Option<String>,
    language: Option<String>,
    unit_id: Option<String>,
    position_id: Option<String>,
    supervisor_nip: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{people::organisation as org, state::AppState};
    let p = admin()?;
    let app = AppState::current()?;
    let changes = org::employee_fields(
        org::EmployeeForm {
            asn_kind,
            nip,
            name,
            golongan,
            email,
            language,
            unit_id,
            position_id,
            supervisor_nip,
        },
        app.now_local().date_naive(),
    )?;
    org::update_employee(&app.db, &p.actor(), id, changes).await?;
    after_plain_post(&format!(
        "/admin/organisasi?bagian=pegawai&ubah={id}&disimpan=1"
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_an_18_digit_nip_and_leaves_anything_else() {
        assert_eq!(nip_grouped("198609262015051001"), "19860926 201505 1 001");
        assert_eq!(nip_grouped("12345"), "12345");
    }

    #[test]
    fn the_form_offers_exactly_the_stored_kinds_of_the_domain() {
        use crate::domain::plan::PositionKind;
        for k in POSITION_KINDS {
            assert_eq!(PositionKind::parse(k).map(|p| p.as_str()), Some(k));
        }
        for l in LANGUAGES {
            assert!(crate::lang::parse(l).is_some());
        }
    }
}
