//! Transfers (mutasi) for HR administrators: the searchable, filterable,
//! paged list; recording a draft; approving; cancelling with a reason; the
//! plan a transfer would get (or got); and completing it, which creates the
//! plan. Every function answers "not found" to anyone but an administrator,
//! before looking at what was sent.

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::accounts::Choice;
use crate::model::transfers::{
    CompletedTransfer, DraftForm, NewTransferForm, PlanPreview, TransfersPage,
};

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageTransfers)
}

/// A form field that must hold a record id.
#[cfg(feature = "ssr")]
fn required_id(
    field: &str,
    raw: Option<String>,
    what_id: &str,
    what_en: &str,
) -> Result<i64, AppError> {
    let raw = raw.unwrap_or_default();
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(AppError::invalid(
            field,
            format!("{what_id} wajib dipilih"),
            format!("Choose the {what_en}"),
        ));
    }
    raw.parse::<i64>().map_err(|_| {
        AppError::invalid(
            field,
            format!("{what_id} tidak valid: {raw:?}"),
            format!("Invalid {what_en}: {raw:?}"),
        )
    })
}

/// The list: `q` searches employee name (case-insensitive), NIP (leading
/// digits, spaces ignored) and SK number; `state` is one of the stored
/// states; `unit_id` keeps transfers into that unit or below it; pages of
/// 50, newest first, keyed: `older_than` gives the page after that
/// transfer, `newer_than` the page before it.
#[server(prefix = "/fn", endpoint = "transfers")]
pub async fn get_transfers(
    q: Option<String>,
    state: Option<String>,
    unit_id: Option<i64>,
    unit: Option<String>,
    older_than: Option<i64>,
    newer_than: Option<i64>,
) -> Result<TransfersPage, AppError> {
    use crate::backend::{people::unit_lookup, transfers::list};
    use list::UnitScope;
    let c = admin()?;
    let l = c.locale();
    // `unit` is what the filter's picker sent (a path, a name, or an id
    // from a link); `unit_id` is for machines.
    let written = unit.as_deref().map(str::trim).unwrap_or("");
    let (scope, unit_text, unit_error) = match (unit_id, written) {
        (Some(id), _) => (UnitScope::Subtree(id), None, None),
        (None, "") => (UnitScope::All, None, None),
        (None, w) => match w.parse::<i64>() {
            Ok(id) => (UnitScope::Subtree(id), None, None),
            Err(_) => match unit_lookup::resolve(c.db(), w).await? {
                Ok(hit) => (UnitScope::Subtree(hit.id), Some(hit.path), None),
                Err(why) => (
                    UnitScope::Unmatched,
                    Some(w.to_string()),
                    Some(why.into_error("unit", w).message(crate::lang::code(l))),
                ),
            },
        },
    };
    let state = match state.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) if crate::model::transfers::STATES.contains(&s) => Some(s.to_string()),
        Some(s) => {
            return Err(AppError::invalid(
                "state",
                format!("Status mutasi tidak dikenal: {s:?}"),
                format!("Unknown transfer state: {s:?}"),
            ))
        }
    };
    let mut page = list::list(
        c.db(),
        list::ListFilter {
            q: q.unwrap_or_default(),
            state,
            unit: scope,
            cursor: match (older_than, newer_than) {
                (Some(id), _) => Some(list::Cursor::Older(id)),
                (None, Some(id)) => Some(list::Cursor::Newer(id)),
                (None, None) => None,
            },
        },
        c.today(),
        l,
    )
    .await?;
    page.unit_error = unit_error;
    page.unit_text = match (unit_text, page.unit_id) {
        (Some(text), _) => text,
        (None, Some(id)) => unit_lookup::paths(c.db(), &[id])
            .await?
            .remove(&id)
            .unwrap_or_default(),
        (None, None) => String::new(),
    };
    Ok(page)
}

/// Units for the transfer pages' unit picker: up to 20 whose name contains
/// the last part of `q` (and whose path the earlier parts, "belawan /
/// umum"), each with its path from the top, which the forms accept back.
#[server(prefix = "/fn", endpoint = "transfer_units")]
pub async fn transfer_units(q: String) -> Result<Vec<Choice>, AppError> {
    use crate::backend::people::unit_lookup;
    let c = admin()?;
    if q.chars().count() > 300 {
        return Err(AppError::invalid(
            "q",
            "Pencarian unit terlalu panjang (maksimum 300 karakter)",
            "The unit search is too long (at most 300 characters)",
        ));
    }
    Ok(unit_lookup::search(c.db(), &q)
        .await?
        .into_iter()
        .map(|hit| Choice {
            id: hit.id,
            label: hit.path,
        })
        .collect())
}

/// Records a draft transfer from the employee's current unit and position.
/// Every field is checked and a refusal names the field.
#[server(prefix = "/fn", endpoint = "create_transfer")]
pub async fn create_transfer(#[server(flatten)] form: NewTransferForm) -> Result<i64, AppError> {
    use crate::backend::transfers;
    let c = admin()?;
    let today = c.today();
    let emp =
        transfers::list::employee_by_nip(c.db(), form.nip.as_deref().unwrap_or(""), today).await?;
    let draft = draft_fields(c.db(), form.draft).await?;
    let saved = transfers::create_draft(c.db(), &c.p.actor(), draft.for_employee(emp.id)).await?;
    Ok(saved.id)
}

/// The target unit of a draft: what the form's unit picker sent
/// (`to_unit`: a path or a name, refused for that field when it names no
/// single unit), else the id a machine sent (`to_unit_id`). With neither,
/// the refusal is for `to_unit`, the field people see.
#[cfg(feature = "ssr")]
async fn target_unit(
    db: &sea_orm::DatabaseConnection,
    to_unit: Option<String>,
    to_unit_id: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::people::unit_lookup;
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
    if !blank(&to_unit) || blank(&to_unit_id) {
        let written = to_unit.unwrap_or_default();
        return match unit_lookup::resolve(db, &written).await? {
            Ok(hit) => Ok(hit.id),
            Err(why) => Err(why.into_error("to_unit", &written)),
        };
    }
    required_id("to_unit_id", to_unit_id, "Unit tujuan", "target unit")
}

/// The draft form's fields, each checked with a message for that field.
#[cfg(feature = "ssr")]
async fn draft_fields(
    db: &sea_orm::DatabaseConnection,
    form: DraftForm,
) -> Result<crate::backend::transfers::DraftChanges, AppError> {
    use crate::domain::{dates::parse_form_date, plan::TransferType};
    let to_unit_id = target_unit(db, form.to_unit, form.to_unit_id).await?;
    let to_position_id = required_id(
        "to_position_id",
        form.to_position_id,
        "Jabatan tujuan",
        "target position",
    )?;
    let sk_number = form.sk_number.unwrap_or_default();
    if sk_number.trim().is_empty() {
        return Err(AppError::invalid(
            "sk_number",
            "Nomor SK wajib diisi",
            "The decree (SK) number is required",
        ));
    }
    let sk_date = parse_form_date("sk_date", form.sk_date.as_deref().unwrap_or(""))?;
    let tmt = parse_form_date("tmt", form.tmt.as_deref().unwrap_or(""))?;
    let raw_type = form.transfer_type.unwrap_or_default();
    let transfer_type = TransferType::parse(raw_type.trim()).ok_or_else(|| {
        AppError::invalid(
            "transfer_type",
            format!("Jenis mutasi tidak dikenal: {raw_type:?}"),
            format!("Unknown transfer type: {raw_type:?}"),
        )
    })?;
    let notes = form.notes.unwrap_or_default();
    crate::backend::transfers::check_notes(&notes)?;
    Ok(crate::backend::transfers::DraftChanges {
        to_unit_id,
        to_position_id,
        sk_number,
        sk_date,
        tmt,
        transfer_type,
        notes,
    })
}

/// Edits a draft (not the person: for another person make a new draft).
#[server(prefix = "/fn", endpoint = "update_transfer")]
pub async fn update_transfer(id: i64, #[server(flatten)] form: DraftForm) -> Result<(), AppError> {
    use crate::backend::transfers;
    let c = admin()?;
    let changes = draft_fields(c.db(), form).await?;
    transfers::update_draft(c.db(), &c.p.actor(), id, changes).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "approve_transfer")]
pub async fn approve_transfer(id: i64) -> Result<(), AppError> {
    use crate::backend::transfers;
    let c = admin()?;
    transfers::approve(c.db(), &c.p.actor(), id).await?;
    Ok(())
}

/// Cancels a transfer; the reason is required. A completed transfer's open
/// assignments are cancelled with it (completed work stays).
#[server(prefix = "/fn", endpoint = "cancel_transfer")]
pub async fn cancel_transfer(id: i64, reason: Option<String>) -> Result<(), AppError> {
    use crate::backend::transfers;
    let c = admin()?;
    transfers::cancel(c.db(), &c.p.actor(), id, reason.as_deref().unwrap_or("")).await?;
    Ok(())
}

/// The plan of one transfer: previewed as of today (nothing is written) or,
/// once completed, the stored one.
#[server(prefix = "/fn", endpoint = "preview_transfer")]
pub async fn preview_transfer(id: i64) -> Result<PlanPreview, AppError> {
    use crate::backend::transfers::list;
    let c = admin()?;
    list::preview(c.db(), id, c.today(), c.locale()).await
}

/// Completes an approved transfer: the employee moves, the plan with its
/// assignments and check-ins is created. Doing it twice changes nothing.
#[server(prefix = "/fn", endpoint = "complete_transfer")]
pub async fn complete_transfer(id: i64) -> Result<CompletedTransfer, AppError> {
    use crate::backend::transfers;
    let c = admin()?;
    let done = transfers::complete(
        c.db(),
        &c.p.actor(),
        id,
        c.today(),
        &c.app.config.checkin_days,
    )
    .await?;
    Ok(CompletedTransfer::from(&done))
}
