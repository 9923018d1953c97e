//! Shared data types of the exports concern (see `crate::model`).

use serde::{Deserialize, Serialize};

/// Where each CSV is downloaded (the server routes them; the page links them).
pub mod paths {
    pub const PERSON_PROGRESS: &str = "/ekspor/progres-pegawai.csv";
    pub const UNIT_PROGRESS: &str = "/ekspor/progres-unit.csv";
    pub const HISTORY: &str = "/ekspor/riwayat-pelatihan.csv";
    pub const OVERDUE: &str = "/ekspor/terlambat.csv";
    pub const AUDIT: &str = "/ekspor/audit.csv";
}

/// A unit in the filter, with its depth in the tree (for indenting).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitChoice {
    pub id: i64,
    pub name: String,
    pub depth: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportChoices {
    /// The units whose data the person may export (depth first).
    pub units: Vec<UnitChoice>,
    /// The audit trail too (administrators).
    pub audit: bool,
}
