//! Server functions, one module per area. Each is thin: find the state, ask
//! the service, map the error. Each has a fixed endpoint under `/fn/` so that
//! tests and other clients can rely on it.

pub mod overview;

/// Runs on the server after a server function failed: sets the HTTP status
/// from the error, except for plain HTML form posts, which leptos answers
/// with a redirect back to the form (the error travels in the URL).
#[cfg(feature = "ssr")]
pub fn with_status<T>(result: Result<T, crate::error::AppError>) -> Result<T, crate::error::AppError> {
    if let Err(err) = &result {
        let is_form_post = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::ACCEPT).cloned())
            .and_then(|v| v.to_str().ok().map(|s| s.contains("text/html")))
            .unwrap_or(false);
        if !is_form_post {
            if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                opts.set_status(err.status_code());
            }
        }
    }
    result
}
