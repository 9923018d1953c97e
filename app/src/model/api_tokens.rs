//! Shared data types of the api_tokens concern (see `crate::model`): the
//! scopes a token may carry, in words, and the token list.

use serde::{Deserialize, Serialize};

/// The page of the token list.
pub const PAGE_PATH: &str = "/admin/token";

stored_words! {
    /// Every scope a token may carry, in the order the form offers them.
    pub const SCOPES;
    /// A scope in words; `None` for one Jejak does not know.
    pub fn scope_label => api_tokens.scope [
        employees_read = "employees:read",
        transfers_read = "transfers:read",
        transfers_write = "transfers:write",
        plans_read = "plans:read",
        assignments_write = "assignments:write",
        reports_read = "reports:read",
    ]
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPage {
    pub tokens: Vec<TokenRow>,
    /// Today in the office's zone, ISO (the earliest expiry date).
    pub today: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    /// The secret's first characters (`jjk_AbCd1234`), to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    /// "NIP (Name)" of the account it acts as.
    pub owner: String,
    /// In words, in the page language.
    pub created: String,
    pub expires: Option<String>,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
    /// active | expired | revoked
    pub state: String,
}

/// A token just created: the only time its secret is seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: i64,
    pub name: String,
    pub secret: String,
}
