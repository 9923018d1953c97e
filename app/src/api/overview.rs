//! The home page's figures, and adding a unit.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::overview::{Overview, UnitRow};

#[server(prefix = "/fn", endpoint = "overview")]
pub async fn get_overview() -> Result<Overview, AppError> {
    use crate::backend::{access::policy::Action, people::overview};
    let c = super::Caller::allowed(&Action::ViewOrganisation)?;
    overview::overview(c.db(), c.app.now_local(), c.locale()).await
}

#[server(prefix = "/fn", endpoint = "add_unit")]
pub async fn add_unit(name: String, parent_id: Option<String>) -> Result<UnitRow, AppError> {
    use crate::backend::{access::policy::Action, people::overview};
    let c = super::Caller::allowed(&Action::ManageOrganisation)?;
    let parent_id = match parent_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i64>().map_err(|_| {
            AppError::invalid(
                "parent_id",
                format!("Unit induk tidak valid: {raw:?}"),
                format!("Invalid parent unit: {raw:?}"),
            )
        })?),
    };
    overview::create_unit(c.db(), &name, parent_id).await
}
