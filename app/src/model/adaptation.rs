//! Shared data types of the adaptation concern (see `crate::model`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// How far back "newcomer" reaches (days since the TMT).
    pub days: u32,
    pub q: String,
    /// nama | tmt | kemajuan | terlambat
    pub sort: String,
    pub rows: Vec<NewcomerRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    pub by_unit: Vec<UnitBar>,
    pub overdue_by_week: Vec<WeekPoint>,
    pub time_to_complete: Vec<Bucket>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewcomerRow {
    pub employee_id: i64,
    pub name: String,
    pub nip: String,
    pub unit: String,
    pub position: String,
    pub tmt: String,
    pub days_since_tmt: i64,
    pub done: u32,
    pub total: u32,
    pub overdue: u32,
    /// "28 Desember 2026 (hari ke-60)", or empty when all are written.
    pub next_checkin: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitBar {
    pub unit: String,
    pub done: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeekPoint {
    /// "23 Nov"
    pub label: String,
    pub overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    pub label: String,
    pub plans: u32,
}

pub const PAGE_SIZE: u64 = 50;
