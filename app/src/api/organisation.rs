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

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::organisation::{
    EmployeeForm, EmployeesPage, PositionForm, PositionsPage, UnitForm, UnitsPage,
};
#[cfg(feature = "ssr")]
use crate::{
    api::Caller,
    backend::{access::policy::Action, people::organisation as org},
    model::organisation::ListAsk,
};

/// The administrator asking, and the app; anyone else is refused first.
#[cfg(feature = "ssr")]
fn admin() -> Result<Caller, AppError> {
    Caller::allowed(&Action::ManageOrganisation)
}

/// After a plain form post (JavaScript off) that succeeded, sends the
/// browser back to `section` of the page with `outcome` in the address
/// (`baru=<id>`, `ubah=<id>&disimpan=1`). A request from the hydrated page
/// gets its answer as data and stays where it is.
#[cfg(feature = "ssr")]
fn back_to(section: &str, outcome: &str) {
    if crate::api::plain_post() {
        leptos_axum::redirect(&format!("/admin/organisasi?bagian={section}&{outcome}"));
    }
}

/// After an edit: back to the form, saying it was saved.
#[cfg(feature = "ssr")]
fn saved(section: &str, id: i64) {
    back_to(section, &format!("ubah={id}&disimpan=1"));
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
    let c = admin()?;
    org::list_units(c.db(), ListAsk::new(q, page, edit)).await
}

/// A new unit, at the top or under `parent_id`.
#[server(prefix = "/fn", endpoint = "org_create_unit")]
pub async fn create_org_unit(#[server(flatten)] form: UnitForm) -> Result<i64, AppError> {
    let c = admin()?;
    let saved = org::create_unit(c.db(), &c.p.actor(), org::unit_fields(form)?).await?;
    back_to("unit", &format!("baru={}", saved.id));
    Ok(saved.id)
}

/// Renames and/or moves a unit; it may not go under itself or a unit below it.
#[server(prefix = "/fn", endpoint = "org_update_unit")]
pub async fn update_org_unit(id: i64, #[server(flatten)] form: UnitForm) -> Result<(), AppError> {
    let c = admin()?;
    org::update_unit(c.db(), &c.p.actor(), id, org::unit_fields(form)?).await?;
    saved("unit", id);
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
    let c = admin()?;
    let kind = org::kind_filter(kind.as_deref())?;
    org::list_positions(c.db(), ListAsk::new(q, page, edit), kind).await
}

/// A new position. `competencies`: one per line.
#[server(prefix = "/fn", endpoint = "org_create_position")]
pub async fn create_org_position(#[server(flatten)] form: PositionForm) -> Result<i64, AppError> {
    let c = admin()?;
    let saved = org::create_position(c.db(), &c.p.actor(), org::position_fields(form)?).await?;
    back_to("jabatan", &format!("baru={}", saved.id));
    Ok(saved.id)
}

#[server(prefix = "/fn", endpoint = "org_update_position")]
pub async fn update_org_position(
    id: i64,
    #[server(flatten)] form: PositionForm,
) -> Result<(), AppError> {
    let c = admin()?;
    org::update_position(c.db(), &c.p.actor(), id, org::position_fields(form)?).await?;
    saved("jabatan", id);
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
    let c = admin()?;
    org::list_employees(c.db(), ListAsk::new(q, page, edit), unit_id).await
}

/// A new employee. `supervisor_nip`: the NIP of an existing employee (optional).
#[server(prefix = "/fn", endpoint = "org_create_employee")]
pub async fn create_org_employee(#[server(flatten)] form: EmployeeForm) -> Result<i64, AppError> {
    let c = admin()?;
    let changes = org::employee_fields(form, c.today())?;
    let saved = org::create_employee(c.db(), &c.p.actor(), changes).await?;
    back_to("pegawai", &format!("q={}&baru={}", saved.nip, saved.id));
    Ok(saved.id)
}

#[server(prefix = "/fn", endpoint = "org_update_employee")]
pub async fn update_org_employee(
    id: i64,
    #[server(flatten)] form: EmployeeForm,
) -> Result<(), AppError> {
    let c = admin()?;
    let changes = org::employee_fields(form, c.today())?;
    org::update_employee(c.db(), &c.p.actor(), id, changes).await?;
    saved("pegawai", id);
    Ok(())
}
