//! Shared data types of the auth concern (see `crate::model`).

use serde::{Deserialize, Serialize};

/// The signed-in person as the UI needs them: what to show in the menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    pub admin: bool,
    pub manager: bool,
    pub trainer: bool,
}
