//! Refusals answered by middleware before a handler runs (the database
//! gate's 503, the client limits' 408, 413 and 429), in the form the
//! caller reads: the API's error body, a server function's `AppError` JSON,
//! or a small page of its own for a browser (the application's pages need
//! the database, which may be what is missing).

use axum::{
    body::Body,
    extract::Request,
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use app::error::AppError;

/// What `Retry-After` says when the database is away or busy.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Who asked, as far as the form of a refusal goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asker {
    Api,
    ServerFunction,
    Browser,
}

impl Asker {
    pub fn of(req: &Request) -> Asker {
        let path = req.uri().path();
        let wants_html = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        if crate::http::is_api(path) {
            Asker::Api
        } else if path.starts_with("/fn/") && !wants_html {
            Asker::ServerFunction
        } else {
            Asker::Browser
        }
    }
}

/// `e` as the caller reads it; never cached, and with `Retry-After` when
/// trying again later can help.
pub fn refuse(asker: Asker, e: &AppError) -> Response {
    let retry_after = match e {
        AppError::Unavailable => Some(RETRY_AFTER_SECS),
        AppError::TooManyRequests => Some(2),
        _ => None,
    };
    let mut res = match asker {
        Asker::Api => crate::api::error::ApiError::from(e.clone()).into_response(),
        Asker::ServerFunction => (
            e.status_code(),
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(e).unwrap_or_default(),
        )
            .into_response(),
        Asker::Browser => (
            e.status_code(),
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(page(e, retry_after)),
        )
            .into_response(),
    };
    let h = res.headers_mut();
    if let Some(secs) = retry_after {
        h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    // A refused request may have left part of its body unread: do not read
    // on (a slow or endless sender), close the connection after answering.
    if matches!(
        e.status_code(),
        StatusCode::REQUEST_TIMEOUT | StatusCode::PAYLOAD_TOO_LARGE
    ) {
        h.insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

/// A page of its own: both languages, Indonesian first, reloading itself
/// when trying again later can help.
fn page(e: &AppError, retry_after: Option<u64>) -> String {
    let id = html_escape(&e.message("id"));
    let en = html_escape(&e.message("en"));
    let refresh = retry_after
        .map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">"))
        .unwrap_or_default();
    let reload = if retry_after.is_some() {
        "<p>Halaman ini akan dimuat ulang otomatis. / This page reloads by itself.</p>"
    } else {
        ""
    };
    let (html_id, title) = match e {
        AppError::Unavailable => ("tidak-tersedia", "layanan tidak tersedia"),
        AppError::TooManyRequests => ("terlalu-banyak", "terlalu banyak permintaan"),
        AppError::SlowRequest { .. } => ("terlalu-lambat", "permintaan terlalu lambat"),
        AppError::TooLarge { .. } => ("terlalu-besar", "permintaan terlalu besar"),
        _ => ("ditolak", "permintaan ditolak"),
    };
    format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         {refresh}<title>Jejak: {title}</title></head>\
         <body><main id=\"{html_id}\"><h1>{id}</h1><p lang=\"en\">{en}</p>{reload}\
         </main></body></html>"
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_browser_gets_a_page_and_a_server_function_its_error() {
        let page = refuse(Asker::Browser, &AppError::Unavailable);
        assert_eq!(page.status(), 503);
        assert_eq!(page.headers()[header::RETRY_AFTER], "5");
        let slow = refuse(
            Asker::ServerFunction,
            &AppError::SlowRequest { within_secs: 20 },
        );
        assert_eq!(slow.status(), 408);
        assert_eq!(slow.headers()[header::CONNECTION], "close");
        assert_eq!(slow.headers()[header::CONTENT_TYPE], "application/json");
    }
}
