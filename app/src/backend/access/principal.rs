//! The signed-in person behind a request, as the `authenticate` middleware
//! found them from the session cookie.

use leptos::prelude::use_context;

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub account_id: i64,
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    /// The language this person chose ("id" or "en").
    pub language: String,
    pub admin: bool,
    /// Roots of the unit subtrees this person manages.
    pub managed_units: Vec<i64>,
    /// Courses this person teaches.
    pub taught_courses: Vec<i64>,
    /// The session's stored hash (to end exactly this session on sign-out).
    pub session_hash: String,
}

impl Principal {
    pub fn is_manager(&self) -> bool {
        !self.managed_units.is_empty()
    }

    pub fn is_trainer(&self) -> bool {
        !self.taught_courses.is_empty()
    }

    /// How the audit trail names this person: "NIP (Name)".
    pub fn actor(&self) -> String {
        format!("{} ({})", self.nip, self.name)
    }
}

/// The client's network address (after a trusted proxy, if configured).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientAddr(pub String);

fn request_parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The signed-in person of the current request, if any.
pub fn principal() -> Option<Principal> {
    request_parts()?.extensions.get::<Principal>().cloned()
}

/// The signed-in person, or `Unauthenticated`.
pub fn require_principal() -> Result<Principal, AppError> {
    principal().ok_or(AppError::Unauthenticated)
}

/// The client's address of the current request ("unknown" outside a request).
pub fn client_addr() -> String {
    request_parts()
        .and_then(|p| p.extensions.get::<ClientAddr>().map(|a| a.0.clone()))
        .unwrap_or_else(|| "unknown".into())
}

/// What the menu shows of the signed-in person.
impl From<&Principal> for crate::model::auth::Me {
    fn from(p: &Principal) -> Self {
        crate::model::auth::Me {
            employee_id: p.employee_id,
            name: p.name.clone(),
            nip: p.nip.clone(),
            admin: p.admin,
            manager: p.is_manager(),
            trainer: p.is_trainer(),
        }
    }
}
