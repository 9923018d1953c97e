//! Shared data types of the overview concern (see `crate::model`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    pub unit_count: u64,
    pub employee_count: u64,
    /// Units depth-first, at most [`Overview::UNIT_LIST_LIMIT`].
    pub units: Vec<UnitRow>,
    /// "28 November 2026 pukul 20.30 WIB".
    pub as_of: String,
}

impl Overview {
    pub const UNIT_LIST_LIMIT: usize = 500;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub depth: u32,
    pub employees: u64,
}
