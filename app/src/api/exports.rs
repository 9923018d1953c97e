//! The "Ekspor" page's one server function: which downloads the person may
//! use and the units they may filter by. The downloads themselves are
//! plain GET routes (`/ekspor/….csv`, in the server crate), so that a
//! browser saves them as files, with or without JavaScript.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::exports::ExportChoices;
#[cfg(feature = "ssr")]
use crate::model::exports::UnitChoice;

/// Managers and administrators; others get "not found".
#[server(prefix = "/fn", endpoint = "export_options")]
pub async fn export_options() -> Result<ExportChoices, AppError> {
    use crate::backend::{access::policy, data::exports};
    let c = super::Caller::allowed(&policy::Action::Export)?;
    let units = exports::unit_choices(c.db(), &c.p)
        .await?
        .into_iter()
        .map(|(id, name, depth)| UnitChoice { id, name, depth })
        .collect();
    Ok(ExportChoices {
        units,
        audit: policy::allows(&c.p, &policy::Action::ExportAudit),
    })
}
