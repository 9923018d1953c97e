//! Keeps what became of a form post for the page the redirect leads to (see
//! `app::backend::form_echo`): a refused post gets a short-lived cookie with
//! the typed values, one that succeeded a cookie with the server function's
//! answer. The next page view reads it (as a request extension the forms
//! and their notices use) and clears it.

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, Method},
    middleware::Next,
    response::Response,
};

use app::backend::{
    form_echo::{self, FormEcho},
    state::AppState,
};

/// Form bodies larger than this are passed on without being echoed.
const MAX_FORM_BYTES: usize = 256 * 1024;
/// Answers larger than this are not kept (the cookie would not hold them).
const MAX_ANSWER_BYTES: usize = 4096;

pub async fn keep_refused_input(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let header_has = |req: &Request, name: header::HeaderName, what: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(what))
    };
    let path = req.uri().path().to_string();
    let plain_form_post = req.method() == Method::POST
        && path.starts_with("/fn/")
        && header_has(&req, header::ACCEPT, "text/html")
        && header_has(
            &req,
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        );
    if plain_form_post {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
            let mut res = Response::new(Body::from(
                "Formulir terlalu besar / The form is too large\n",
            ));
            *res.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            return res;
        };
        let fields = form_echo::fields_of_form(&bytes);
        let res = next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
        if !res.status().is_redirection() {
            return res;
        }
        let refused = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|l| l.contains("__err="));
        // A server function that succeeded still wrote its answer into the
        // redirect's body; the browser never reads it, the next page does.
        let (parts, body) = res.into_parts();
        let output = if refused {
            None
        } else {
            axum::body::to_bytes(body, MAX_ANSWER_BYTES)
                .await
                .ok()
                .and_then(|b| String::from_utf8(b.to_vec()).ok())
                .filter(|json| !json.is_empty())
        };
        let mut res = Response::from_parts(parts, Body::empty());
        if refused || output.is_some() {
            let echo = FormEcho {
                path,
                fields,
                output,
            };
            if let Some(value) = form_echo::encode(&echo) {
                let cookie = form_echo::set_cookie(&value, app.config.cookies_secure());
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
        }
        return res;
    }
    // A page view right after a form post: hand what became of it to the page, once.
    let is_page = req.method() == Method::GET
        && !path.starts_with("/fn/")
        && !crate::http::is_client_file(&path)
        && path != "/healthz";
    let echo = is_page
        .then(|| {
            req.headers()
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(|h| form_echo::from_cookie_header(h, app.config.cookies_secure()))
        })
        .flatten();
    let Some(echo) = echo else {
        return next.run(req).await;
    };
    let mut req = req;
    req.extensions_mut().insert(echo);
    let mut res = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&form_echo::clear_cookie(app.config.cookies_secure())) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
