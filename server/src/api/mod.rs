//! The JSON API under `/api/v1` (being built, issue 7).

use axum::Router;

use crate::http::ServerState;

pub fn router() -> Router<ServerState> {
    Router::new()
}
