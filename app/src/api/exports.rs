//! The "Ekspor" page's one server function: which downloads the person may
//! use and the units they may filter by. The downloads themselves are
//! plain GET routes (`/ekspor/….csv`, in the server crate), so that a
//! browser saves them as files, with or without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

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

/// Managers and administrators; others get "not found".
#[server(prefix = "/fn", endpoint = "export_options")]
pub async fn export_options() -> Result<ExportChoices, AppError> {
    use crate::backend::{
        access::{policy, principal},
        data::exports,
        state::AppState,
    };
    let p = policy::authorize(principal(), &policy::Action::Export)?;
    let state = AppState::current()?;
    let units = exports::unit_choices(&state.db, &p)
        .await?
        .into_iter()
        .map(|(id, name, depth)| UnitChoice { id, name, depth })
        .collect();
    Ok(ExportChoices {
        units,
        audit: policy::allows(&p, &policy::Action::ExportAudit),
    })
}
