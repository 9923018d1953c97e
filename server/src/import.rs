//! Import from the command line and the upload handler (being built, issue 7).

use axum::Router;

use crate::http::ServerState;

pub fn router() -> Router<ServerState> {
    Router::new()
}
