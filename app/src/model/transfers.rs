//! Shared data types of the transfers concern (see `crate::model`): the
//! list page and its rows, a transfer's plan, what completing one did, the
//! draft form's fields, and the stored states and types with their words.

use serde::{Deserialize, Serialize};

use crate::model::{accounts::Choice, catalogue::TrialItem};

pub const PAGE_SIZE: u64 = 50;

stored_words! {
    /// The stored transfer states, in the order the filter offers them (the
    /// words are in `transfers.state.*`: see [`state_label`]).
    pub const STATES;
    /// A stored transfer state in words ("Disetujui" / "Approved"); `None` for
    /// a value Jejak does not know.
    pub fn state_label => transfers.state [draft, approved, completed, cancelled]
}

stored_words! {
    /// The transfer types the form offers, stored values (the words are in
    /// `transfers.transfer_type.*`: see [`transfer_type_label`]).
    pub const TRANSFER_TYPES;
    /// A stored transfer type in words ("Antarinstansi" / "Between agencies");
    /// `None` for a value Jejak does not know.
    pub fn transfer_type_label => transfers.transfer_type [
        within_agency,
        between_agencies,
        central_regional,
    ]
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

impl PreviewItem {
    /// A plan item as shown (as the rule trial shows it too), with the rules
    /// that asked for it and, for a stored plan, the assignment's state.
    pub fn new(item: TrialItem, reasons: Vec<String>, status: Option<String>) -> Self {
        PreviewItem {
            course_id: item.course_id,
            code: item.code,
            title: item.title,
            due: item.due,
            due_iso: item.due_iso,
            required: item.required,
            reasons,
            recognised: item.recognised,
            recognised_note: item.recognised_note,
            status,
        }
    }
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

/// The fields of the draft form (recording and editing a draft), named as
/// its inputs; every one as typed, checked by the server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftForm {
    /// What the unit picker sent: a path or a name.
    pub to_unit: Option<String>,
    /// The target unit's id (for machines; the picker sends `to_unit`).
    pub to_unit_id: Option<String>,
    pub to_position_id: Option<String>,
    pub sk_number: Option<String>,
    /// ISO date.
    pub sk_date: Option<String>,
    /// The effective date (TMT), ISO.
    pub tmt: Option<String>,
    /// One of [`TRANSFER_TYPES`].
    pub transfer_type: Option<String>,
    pub notes: Option<String>,
}

/// The form recording a new draft: whose transfer (by NIP) and the draft's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTransferForm {
    pub nip: Option<String>,
    #[serde(flatten)]
    pub draft: DraftForm,
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
