//! Shared data types of the import concern (see `crate::model`).

use crate::domain::import::{Applied, ImportKind, Preview};
use serde::{Deserialize, Serialize};

pub const PAGE_PATH: &str = "/admin/impor";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UploadRow {
    pub id: i64,
    pub kind: ImportKind,
    pub file_name: String,
    pub size: usize,
    /// In the office's zone, e.g. "29-11-2026 14.05".
    pub uploaded: String,
    /// previewed | applied | applying
    pub status: String,
    pub applied: Option<Applied>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub required: bool,
    pub about: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KindInfo {
    pub kind: ImportKind,
    pub columns: Vec<ColumnInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportHome {
    pub kinds: Vec<KindInfo>,
    pub uploads: Vec<UploadRow>,
    /// The largest file accepted, in KB, and the most rows.
    pub max_kb: usize,
    pub max_rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreviewPage {
    pub upload: UploadRow,
    pub preview: Preview,
    pub create_missing: bool,
}
