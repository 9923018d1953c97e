//! "Penugasan saya": the signed-in person's plans, assignments, history, the
//! yearly JP ledger, self-reported completions and the calendar feed link.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{td_string, Locale};

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

#[server(prefix = "/fn", endpoint = "my_training")]
pub async fn get_my_training() -> Result<MyTraining, AppError> {
    use crate::backend::{
        access::{policy, principal},
        state::AppState,
        training::my_training,
    };
    let p = policy::authorize(principal(), &policy::Action::ViewOwnTraining)?;
    let state = AppState::current()?;
    my_training::load(
        &state.db,
        &p,
        state.now_local().date_naive(),
        state.config.jp_target_per_year,
        crate::lang::request_locale(),
    )
    .await
}

/// Reports one's own assignment as completed; it waits for a trainer.
#[server(prefix = "/fn", endpoint = "self_report")]
pub async fn self_report(
    assignment_id: i64,
    completed_on: String,
    certificate_no: String,
    note: String,
) -> Result<(), AppError> {
    use crate::backend::{access::principal, state::AppState, training::my_training};
    let p = principal().ok_or(AppError::Unauthenticated)?;
    let state = AppState::current()?;
    my_training::report(
        &state.db,
        &p,
        assignment_id,
        &completed_on,
        &certificate_no,
        &note,
        state.now_local().date_naive(),
    )
    .await
}

/// Makes a new secret calendar link (the old one stops working) and returns
/// it, or with `revoke` removes it. The link is shown only now.
#[server(prefix = "/fn", endpoint = "calendar_link")]
pub async fn calendar_link(revoke: Option<String>) -> Result<Option<String>, AppError> {
    use crate::backend::{
        access::{policy, principal},
        state::AppState,
        training::calendar,
    };
    let p = policy::authorize(principal(), &policy::Action::ManageOwnAccount)?;
    let state = AppState::current()?;
    if revoke.is_some_and(|v| !v.is_empty()) {
        calendar::revoke(&state.db, &p).await?;
        Ok(None)
    } else {
        let token = calendar::renew(&state.db, &p).await?;
        Ok(Some(format!(
            "{}/kalender/{token}.ics",
            state.config.public_url.trim_end_matches('/')
        )))
    }
}
