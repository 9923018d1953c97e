//! Keeps what a person typed when a form posted without JavaScript is
//! refused (see `app::backend::form_echo`): the refused post gets a
//! short-lived cookie with the typed values, the next page view reads it
//! (as a request extension the form inputs use) and clears it.

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
        let mut res = next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
        let refused = res.status().is_redirection()
            && res
                .headers()
                .get(header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|l| l.contains("__err="));
        if refused {
            let echo = FormEcho { path, fields };
            if let Some(value) = form_echo::encode(&echo) {
                let cookie = form_echo::set_cookie(&value, app.config.cookies_secure());
                if let Ok(v) = HeaderValue::from_str(&cookie) {
                    res.headers_mut().append(header::SET_COOKIE, v);
                }
            }
        }
        return res;
    }
    // A page view right after a refusal: hand the values to the page, once.
    let is_page = req.method() == Method::GET
        && !path.starts_with("/fn/")
        && !path.starts_with("/pkg/")
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
