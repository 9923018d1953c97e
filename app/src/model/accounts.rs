//! Shared data types of the accounts concern (see `crate::model`).

use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Something a form offers to choose (a unit, a course, a position).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: i64,
    pub label: String,
}

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
        let text = crate::domain::text::tidy_spaces(other);
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
