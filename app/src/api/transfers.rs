//! Transfers (mutasi) for HR administrators: the searchable, filterable,
//! paged list; recording a draft; approving; cancelling with a reason; the
//! plan a transfer would get (or got); and completing it, which creates the
//! plan. Every function answers "not found" to anyone but an administrator,
//! before looking at what was sent.

// The draft form has eight fields; the client half `#[server]` generates
// for them cannot carry an attribute of its own.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::accounts::Choice;
use crate::error::AppError;
use crate::i18n::{td_string, Locale};

pub const PAGE_SIZE: u64 = 50;

/// The stored transfer states, in the order the filter offers them (the
/// words are in `transfers.state.*`: see [`state_label`]).
pub const STATES: [&str; 4] = ["draft", "approved", "completed", "cancelled"];

/// The transfer types the form offers, stored values (the words are in
/// `transfers.transfer_type.*`: see [`transfer_type_label`]).
pub const TRANSFER_TYPES: [&str; 3] = ["within_agency", "between_agencies", "central_regional"];

/// A stored transfer state in words ("Disetujui" / "Approved"); `None` for
/// a value Jejak does not know.
pub fn state_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "draft" => td_string!(l, transfers.state.draft),
        "approved" => td_string!(l, transfers.state.approved),
        "completed" => td_string!(l, transfers.state.completed),
        "cancelled" => td_string!(l, transfers.state.cancelled),
        _ => return None,
    })
}

/// A stored transfer type in words ("Antarinstansi" / "Between agencies");
/// `None` for a value Jejak does not know.
pub fn transfer_type_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "within_agency" => td_string!(l, transfers.transfer_type.within_agency),
        "between_agencies" => td_string!(l, transfers.transfer_type.between_agencies),
        "central_regional" => td_string!(l, transfers.transfer_type.central_regional),
        _ => return None,
    })
}

/// One page of the transfer list, with what the filter and the form offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransfersPage {
    pub rows: Vec<TransferRow>,
    /// Transfers matching the search and filters (all pages), counted up
    /// to 1,000; `total_capped` when there are more.
    pub total: u64,
    pub total_capped: bool,
    /// The first row's id when newer transfers exist (the "newer" link's key).
    pub newer_than: Option<i64>,
    /// The last row's id when older transfers exist (the "older" link's key).
    pub older_than: Option<i64>,
    /// The search as understood (trimmed).
    pub q: String,
    pub state: Option<String>,
    /// The target-unit filter as resolved (`None`: every unit).
    pub unit_id: Option<i64>,
    /// What the unit filter shows: the unit's path, or what was typed when
    /// it names no single unit (then `unit_error` says why and no row matches).
    pub unit_text: String,
    pub unit_error: Option<String>,
    pub positions: Vec<Choice>,
    /// Today in the office's zone, ISO (the form's date default).
    pub today: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    pub id: i64,
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    pub from_unit: String,
    pub from_position: String,
    pub to_unit: String,
    /// "Pemerintah Kota Medan / Kecamatan Medan Belawan / Seksi Umum".
    pub to_unit_path: String,
    pub to_position: String,
    pub sk_number: String,
    /// In words, in the page language ("28 November 2026").
    pub sk_date: String,
    pub tmt: String,
    /// The type in words, in the page language.
    pub transfer_type: String,
    /// draft | approved | completed | cancelled
    pub state: String,
    pub state_label: String,
    /// pending | open | done | closed (a `tone-*` class).
    pub tone: String,
    pub notes: String,
    pub cancel_reason: Option<String>,
    /// The stored values, to fill in the edit form of a draft.
    pub to_unit_id: i64,
    pub to_position_id: i64,
    pub sk_date_iso: String,
    pub tmt_iso: String,
    pub transfer_type_stored: String,
}

/// A transfer's plan: what completing it today would create (draft,
/// approved), or what it created (completed, and cancelled after completion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanPreview {
    pub transfer: TransferRow,
    /// The items are the stored plan, not a preview.
    pub stored: bool,
    /// The transfer is approved: it may be completed now.
    pub can_complete: bool,
    pub items: Vec<PreviewItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewItem {
    pub course_id: i64,
    pub code: String,
    pub title: String,
    /// In words, in the page language.
    pub due: String,
    /// ISO, for machines.
    pub due_iso: String,
    pub required: bool,
    /// The names of the rules that asked for the course.
    pub reasons: Vec<String>,
    /// Recognised from earlier training: nothing new to do.
    pub recognised: bool,
    /// "Diakui: selesai 3 Maret 2025, berlaku sampai 3 Maret 2028".
    pub recognised_note: String,
    /// For a stored plan: the assignment's state, in the page language.
    pub status: Option<String>,
}

/// What completing a transfer did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedTransfer {
    pub transfer_id: i64,
    pub plan_id: i64,
    /// Plan items (assignments), recognised ones included.
    pub items: usize,
    /// Items recognised from earlier training.
    pub recognised: usize,
    /// False when it had been completed already (nothing was written).
    pub newly_completed: bool,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    policy::authorize(principal(), &policy::Action::ManageTransfers)
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
    use crate::backend::{
        state::AppState,
        {people::unit_lookup, transfers::list},
    };
    use list::UnitScope;
    admin()?;
    let app = AppState::current()?;
    let l = crate::lang::request_locale();
    // `unit` is what the filter's picker sent (a path, a name, or an id
    // from a link); `unit_id` is for machines.
    let written = unit.as_deref().map(str::trim).unwrap_or("");
    let (scope, unit_text, unit_error) = match (unit_id, written) {
        (Some(id), _) => (UnitScope::Subtree(id), None, None),
        (None, "") => (UnitScope::All, None, None),
        (None, w) => match w.parse::<i64>() {
            Ok(id) => (UnitScope::Subtree(id), None, None),
            Err(_) => match unit_lookup::resolve(&app.db, w).await? {
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
        Some(s) if STATES.contains(&s) => Some(s.to_string()),
        Some(s) => {
            return Err(AppError::invalid(
                "state",
                format!("Status mutasi tidak dikenal: {s:?}"),
                format!("Unknown transfer state: {s:?}"),
            ))
        }
    };
    let mut page = list::list(
        &app.db,
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
        app.now_local().date_naive(),
        l,
    )
    .await?;
    page.unit_error = unit_error;
    page.unit_text = match (unit_text, page.unit_id) {
        (Some(text), _) => text,
        (None, Some(id)) => unit_lookup::paths(&app.db, &[id])
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
    use crate::backend::{people::unit_lookup, state::AppState};
    admin()?;
    let app = AppState::current()?;
    if q.chars().count() > 300 {
        return Err(AppError::invalid(
            "q",
            "Pencarian unit terlalu panjang (maksimum 300 karakter)",
            "The unit search is too long (at most 300 characters)",
        ));
    }
    Ok(unit_lookup::search(&app.db, &q)
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
pub async fn create_transfer(
    nip: Option<String>,
    to_unit: Option<String>,
    to_unit_id: Option<String>,
    to_position_id: Option<String>,
    sk_number: Option<String>,
    sk_date: Option<String>,
    tmt: Option<String>,
    transfer_type: Option<String>,
    notes: Option<String>,
) -> Result<i64, AppError> {
    use crate::backend::{
        state::AppState,
        {
            transfers::list,
            transfers::{self, NewTransfer},
        },
    };
    let p = admin()?;
    let app = AppState::current()?;
    let today = app.now_local().date_naive();
    let emp = list::employee_by_nip(&app.db, nip.as_deref().unwrap_or(""), today).await?;
    let to_unit_id = target_unit(&app.db, to_unit, to_unit_id).await?;
    let f = draft_fields(
        to_unit_id,
        to_position_id,
        sk_number,
        sk_date,
        tmt,
        transfer_type,
        notes,
    )?;
    let saved = transfers::create_draft(
        &app.db,
        &p.actor(),
        NewTransfer {
            employee_id: emp.id,
            to_unit_id: f.to_unit_id,
            to_position_id: f.to_position_id,
            sk_number: f.sk_number,
            sk_date: f.sk_date,
            tmt: f.tmt,
            transfer_type: f.transfer_type,
            notes: f.notes,
        },
    )
    .await?;
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
fn draft_fields(
    to_unit_id: i64,
    to_position_id: Option<String>,
    sk_number: Option<String>,
    sk_date: Option<String>,
    tmt: Option<String>,
    transfer_type: Option<String>,
    notes: Option<String>,
) -> Result<crate::backend::transfers::DraftChanges, AppError> {
    use crate::domain::{dates::parse_form_date, plan::TransferType};
    let to_position_id = required_id(
        "to_position_id",
        to_position_id,
        "Jabatan tujuan",
        "target position",
    )?;
    let sk_number = sk_number.unwrap_or_default();
    if sk_number.trim().is_empty() {
        return Err(AppError::invalid(
            "sk_number",
            "Nomor SK wajib diisi",
            "The decree (SK) number is required",
        ));
    }
    let sk_date = parse_form_date("sk_date", sk_date.as_deref().unwrap_or(""))?;
    let tmt = parse_form_date("tmt", tmt.as_deref().unwrap_or(""))?;
    let raw_type = transfer_type.unwrap_or_default();
    let transfer_type = TransferType::parse(raw_type.trim()).ok_or_else(|| {
        AppError::invalid(
            "transfer_type",
            format!("Jenis mutasi tidak dikenal: {raw_type:?}"),
            format!("Unknown transfer type: {raw_type:?}"),
        )
    })?;
    let notes = notes.unwrap_or_default();
    if notes.chars().count() > 2000 {
        return Err(AppError::invalid(
            "notes",
            "Catatan terlalu panjang (maksimum 2000 karakter)",
            "The notes are too long (at most 2000 characters)",
        ));
    }
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
pub async fn update_transfer(
    id: i64,
    to_unit: Option<String>,
    to_unit_id: Option<String>,
    to_position_id: Option<String>,
    sk_number: Option<String>,
    sk_date: Option<String>,
    tmt: Option<String>,
    transfer_type: Option<String>,
    notes: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{state::AppState, transfers};
    let p = admin()?;
    let app = AppState::current()?;
    let to_unit_id = target_unit(&app.db, to_unit, to_unit_id).await?;
    let changes = draft_fields(
        to_unit_id,
        to_position_id,
        sk_number,
        sk_date,
        tmt,
        transfer_type,
        notes,
    )?;
    transfers::update_draft(&app.db, &p.actor(), id, changes).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "approve_transfer")]
pub async fn approve_transfer(id: i64) -> Result<(), AppError> {
    use crate::backend::{state::AppState, transfers};
    let p = admin()?;
    let app = AppState::current()?;
    transfers::approve(&app.db, &p.actor(), id).await?;
    Ok(())
}

/// Cancels a transfer; the reason is required. A completed transfer's open
/// assignments are cancelled with it (completed work stays).
#[server(prefix = "/fn", endpoint = "cancel_transfer")]
pub async fn cancel_transfer(id: i64, reason: Option<String>) -> Result<(), AppError> {
    use crate::backend::{state::AppState, transfers};
    let p = admin()?;
    let app = AppState::current()?;
    transfers::cancel(&app.db, &p.actor(), id, reason.as_deref().unwrap_or("")).await?;
    Ok(())
}

/// The plan of one transfer: previewed as of today (nothing is written) or,
/// once completed, the stored one.
#[server(prefix = "/fn", endpoint = "preview_transfer")]
pub async fn preview_transfer(id: i64) -> Result<PlanPreview, AppError> {
    use crate::backend::{state::AppState, transfers::list};
    admin()?;
    let app = AppState::current()?;
    list::preview(
        &app.db,
        id,
        app.now_local().date_naive(),
        crate::lang::request_locale(),
    )
    .await
}

/// Completes an approved transfer: the employee moves, the plan with its
/// assignments and check-ins is created. Doing it twice changes nothing.
#[server(prefix = "/fn", endpoint = "complete_transfer")]
pub async fn complete_transfer(id: i64) -> Result<CompletedTransfer, AppError> {
    use crate::backend::{state::AppState, transfers};
    let p = admin()?;
    let app = AppState::current()?;
    let done = transfers::complete(
        &app.db,
        &p.actor(),
        id,
        app.now_local().date_naive(),
        &app.config.checkin_days,
    )
    .await?;
    Ok(CompletedTransfer {
        transfer_id: done.transfer.id,
        plan_id: done.plan.id,
        items: done.assignments.len(),
        recognised: done
            .assignments
            .iter()
            .filter(|a| a.recognised_record_id.is_some())
            .count(),
        newly_completed: done.newly_completed,
    })
}

#[cfg(test)]
mod tests {
    use super::{state_label, transfer_type_label, STATES, TRANSFER_TYPES};
    use crate::domain::{plan::TransferType, transfer::TransferState};
    use crate::i18n::Locale;

    #[test]
    fn the_form_offers_exactly_the_stored_forms_of_the_domain() {
        for stored in TRANSFER_TYPES {
            assert_eq!(
                TransferType::parse(stored).map(|t| t.as_str()),
                Some(stored)
            );
            assert!(transfer_type_label(stored, Locale::id).is_some());
        }
        for stored in STATES {
            assert_eq!(
                TransferState::parse(stored).map(|s| s.as_str()),
                Some(stored)
            );
            // Indonesian: the same words as the domain's label.
            assert_eq!(
                state_label(stored, Locale::id),
                TransferState::parse(stored).map(|s| s.label_id())
            );
            assert!(state_label(stored, Locale::en).is_some());
        }
        assert_eq!(
            transfer_type_label("within_agency", Locale::id),
            Some("Dalam satu instansi")
        );
        assert_eq!(
            transfer_type_label("within_agency", Locale::en),
            Some("Within one agency")
        );
        assert_eq!(state_label("bogus", Locale::id), None);
    }
}
