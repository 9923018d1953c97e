//! Shared data types of the organisation concern (see `crate::model`):
//! units, positions (jabatan) and employees as `/admin/organisasi` lists,
//! offers and sends them. The three forms ([`UnitForm`], [`PositionForm`],
//! [`EmployeeForm`]) carry exactly the fields of their HTML inputs, as typed.

use serde::{Deserialize, Serialize};

/// Rows per page in every list of this page.
pub const PAGE_SIZE: u64 = 25;

/// The stored position kinds (`positions.kind`), in the order offered.
pub use crate::model::catalogue::POSITION_KINDS;

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

/// Which page of a list is asked for: the search (trimmed later), the
/// page (1 when none) and the row whose edit form is open, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListAsk {
    pub q: String,
    pub page: u64,
    pub edit: Option<i64>,
}

impl ListAsk {
    pub fn new(q: Option<String>, page: Option<u64>, edit: Option<i64>) -> Self {
        ListAsk {
            q: q.unwrap_or_default(),
            page: page.unwrap_or(1),
            edit,
        }
    }
}

/// One page of a list: its rows, the matches on all pages, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listed<R> {
    pub rows: Vec<R>,
    /// Rows matching the search (all pages).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The search as understood (trimmed).
    pub q: String,
    /// The row asked for with `ubah=<id>`.
    pub editing: Option<R>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitsPage {
    #[serde(flatten)]
    pub list: Listed<UnitRow>,
    /// Every unit, depth-first (the parent choice).
    pub units: Vec<UnitChoice>,
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
    #[serde(flatten)]
    pub list: Listed<PositionRow>,
    /// The kind filter, if any (one of [`POSITION_KINDS`]).
    pub kind: Option<String>,
    /// The job families in use, for the form's suggestions.
    pub job_families: Vec<String>,
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
    #[serde(flatten)]
    pub list: Listed<EmployeeRow>,
    /// The unit filter: this unit and everything below it.
    pub unit_id: Option<i64>,
    pub units: Vec<UnitChoice>,
    pub positions: Vec<PositionChoice>,
}

/// The unit form as sent (adding or editing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitForm {
    pub name: Option<String>,
    /// A unit's id; empty for a unit at the top.
    pub parent_id: Option<String>,
}

/// The position form as sent. `competencies`: one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionForm {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub job_family: Option<String>,
    pub competencies: Option<String>,
}

/// The employee form as sent. `supervisor_nip`: the NIP of an existing
/// employee (optional).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployeeForm {
    pub asn_kind: Option<String>,
    pub nip: Option<String>,
    pub name: Option<String>,
    pub golongan: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    pub unit_id: Option<String>,
    pub position_id: Option<String>,
    pub supervisor_nip: Option<String>,
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
