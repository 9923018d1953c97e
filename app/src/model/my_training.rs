//! Shared data types of the my_training concern (see `crate::model`).

use crate::i18n::{td_string, Locale};
use serde::{Deserialize, Serialize};

/// The course's method in words ("klasikal" / "classroom"); an unknown
/// code as it is.
pub fn method_label(code: &str, l: Locale) -> String {
    match code {
        "klasikal" => td_string!(l, my_training.method.klasikal).to_string(),
        "nonklasikal" => td_string!(l, my_training.method.nonklasikal).to_string(),
        other => other.to_string(),
    }
}

/// JP as people write it: whole numbers plain, otherwise one decimal
/// ("2,5" in Indonesian, "2.5" in English).
pub fn fmt_jp(v: f64, l: Locale) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        match l {
            Locale::id => format!("{v:.1}").replace('.', ","),
            Locale::en => format!("{v:.1}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyTraining {
    pub name: String,
    pub plans: Vec<PlanCard>,
    pub history: Vec<HistoryLine>,
    pub ledger: LedgerView,
    /// Whether a calendar link exists (the link itself is shown only when made).
    pub has_calendar_link: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanCard {
    pub id: i64,
    /// "Mutasi ke Bendahara Pengeluaran — Sekretariat Kecamatan" or "Sertifikasi ulang".
    pub title: String,
    /// "TMT 1 Juli 2026" (transfer plans).
    pub subtitle: String,
    /// Required assignments done (completed or waived) and in all.
    pub done: u32,
    pub total: u32,
    pub assignments: Vec<AssignmentCard>,
}

impl PlanCard {
    pub fn percent(&self) -> u32 {
        (self.done * 100).checked_div(self.total).unwrap_or(100)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentCard {
    pub id: i64,
    pub course_code: String,
    pub course_title: String,
    pub description: String,
    pub jp: f64,
    /// "klasikal" / "nonklasikal"
    pub method: String,
    pub provider: String,
    pub required: bool,
    /// "28 November 2026"
    pub due_date: String,
    /// "Terlambat 5 hari", "Belum dimulai · 3 hari lagi", "Selesai"
    pub status: String,
    /// overdue | open | pending | done | closed
    pub tone: String,
    /// What to do next, in a sentence.
    pub next_step: String,
    /// The person may report this as completed now.
    pub can_report: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryLine {
    pub course_code: String,
    pub course_title: String,
    pub date: String,
    pub jp: f64,
    /// "Dicatat pelatih", "Laporan sendiri (diverifikasi)", "Impor", "Diakui"
    pub source: String,
    pub certificate_no: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerView {
    pub year: i32,
    pub done: f64,
    pub target: f64,
    pub shortfall: f64,
    /// JP completed in each month of the year (January first).
    pub by_month: Vec<f64>,
}
