//! What every server function gets: the database and the configuration.

use std::sync::Arc;

use leptos::prelude::use_context;
use sea_orm::DatabaseConnection;

use super::client_assets::ClientAssets;
use super::config::Config;
use crate::error::AppError;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    /// The client's files under `site_root/pkg` and their versions.
    pub assets: Arc<ClientAssets>,
}

impl AppState {
    /// The state provided by the server for this request.
    pub fn current() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| AppError::Internal {
            reference: "app-state-missing".into(),
        })
    }

    /// "Now" in the office's time zone. The only place request handlers read the clock.
    pub fn now_local(&self) -> chrono::DateTime<chrono_tz::Tz> {
        chrono::Utc::now().with_timezone(&self.config.tz())
    }
}
