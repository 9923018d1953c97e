//! The HTTP surface: Leptos pages and server functions, static assets, health.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{FromRef, Request, State},
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::Response,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer, trace::TraceLayer};

use app::{
    backend::{
        access::{session, ClientAddr},
        client_assets::{self, ClientAssets},
        security,
        state::AppState,
    },
    error::AppError,
    shell, App,
};

/// Axum's state: what Leptos needs and what our own handlers need.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(s: &ServerState) -> Self {
        s.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(s: &ServerState) -> Self {
        s.app.clone()
    }
}

pub fn leptos_options(state: &AppState, addr: std::net::SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(Arc::<str>::from("jejak"))
        .site_root(Arc::<str>::from(
            state.config.site_root.display().to_string(),
        ))
        .site_pkg_dir(Arc::<str>::from("pkg"))
        .site_addr(addr)
        // Fixed names (`/pkg/jejak.wasm`, `.js`, `.css`), versioned by a query
        // the shell adds (`backend::client_assets`): leptos would look for
        // cargo-leptos's `hash.txt` next to the running executable.
        .hash_files(false)
        .build()
}

/// A year for the current version of a client file (`?v=` as the page links
/// it), revalidation for anything else; see `backend::client_assets`.
async fn pkg_cache_control(
    State(assets): State<Arc<ClientAssets>>,
    request: Request,
    next: Next,
) -> Response {
    // Nested under `/pkg`: the path here is `/jejak.wasm`.
    let file = request.uri().path().trim_start_matches('/').to_owned();
    let query = request.uri().query().map(str::to_owned);
    let mut response = next.run(request).await;
    let value = assets.cache_control(&file, query.as_deref());
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

pub fn router(
    app_state: AppState,
    addr: std::net::SocketAddr,
    gate: Arc<crate::db_gate::DbGate>,
) -> Router {
    let leptos = leptos_options(&app_state, addr);
    let routes = generate_route_list(App);
    let context = {
        let app_state = app_state.clone();
        move || provide_context(app_state.clone())
    };
    let pkg_dir = app_state.config.site_root.join("pkg");
    // The client's files are served directly, never through the Leptos
    // fallback (a missing file is a plain 404). `cargo leptos build --release
    // --precompress` (dev.sh) writes `.br` and `.gz` beside each file; they
    // are sent as they are to clients that accept them.
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(middleware::from_fn_with_state(
            app_state.assets.clone(),
            pkg_cache_control,
        ))
        // ServeDir does not say that the answer depends on Accept-Encoding;
        // a shared cache must not hand brotli to a client that cannot read it.
        .layer(SetResponseHeaderLayer::appending(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ));
    let state = ServerState {
        leptos: leptos.clone(),
        app: app_state,
    };

    Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route("/kalender/{file}", get(calendar_feed))
        .route("/client.js", get(client_script))
        .nest("/pkg", pkg)
        // The nested service does not see the bare directory: no page there either.
        .route("/pkg/", get(|| async { StatusCode::NOT_FOUND }))
        .nest("/api/v1", crate::api::router())
        .merge(crate::exports::router())
        .merge(crate::import::router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(server_fn_status))
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            crate::form_echo::keep_refused_input,
        ))
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            authenticate,
        ))
        // Outside `authenticate`, which reads the session from the database.
        .layer(middleware::from_fn_with_state(gate, crate::db_gate::guard))
        .layer(middleware::from_fn_with_state(
            state.app.clone(),
            reject_cross_site,
        ))
        // Outside everything that may wait for the database: a slot per
        // client address, the body read whole in time, a deadline.
        .layer(middleware::from_fn_with_state(
            crate::limits::ClientLimits::new(&state.app.config),
            crate::limits::limit,
        ))
        .layer(middleware::from_fn(security_headers))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// `app/src/client.js`, which every page starts (see `app::client_script`):
/// built into the binary, cached for a year under the version pages link.
async fn client_script(uri: axum::http::Uri) -> Response {
    let cache = client_assets::cache_for(uri.query(), Some(client_assets::script_version()));
    let mut res = Response::new(Body::from(app::client_script()));
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    res
}

/// The largest body a server function reads: axum's default limit, under
/// which server functions read their arguments (forms are small; files
/// go to the import's own route, which takes more).
pub const FN_MAX_BODY_BYTES: u64 = 2 * 1024 * 1024;

/// Server functions answer every error with 500; this gives each `AppError`
/// its own status (422, 404, 409, 503 ...) in one place, including errors
/// raised before the function body runs (malformed arguments are 400).
/// Plain form posts are redirects and are left alone.
async fn server_fn_status(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/fn/") {
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        // Refused before a byte of it is read.
        if declared.is_some_and(|n| n > FN_MAX_BODY_BYTES) {
            return error_response(
                &AppError::TooLarge {
                    max_bytes: FN_MAX_BODY_BYTES,
                },
                true,
            );
        }
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        // A body that grew past the limit while it was read (no
        // Content-Length): the server function saw only "length limit exceeded".
        if matches!(&err, AppError::BadRequest { message } if message.en.contains("length limit exceeded"))
        {
            return error_response(
                &AppError::TooLarge {
                    max_bytes: FN_MAX_BODY_BYTES,
                },
                true,
            );
        }
        parts.status = err.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Who is asking: the client's address (for throttling) and, from the
/// session cookie, the signed-in [`Principal`](app::backend::access::Principal),
/// both put in the request's extensions for server functions and pages.
async fn authenticate(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    // Health checks and static files never need to know who asks (and must
    // answer even when the database is down).
    let path = req.uri().path();
    if path == "/healthz" || is_client_file(path) {
        return next.run(req).await;
    }
    let api = is_api(path);
    // `crate::limits` put the client's address on the request; a request
    // that did not pass there (none does) counts as "unknown".
    if req.extensions().get::<ClientAddr>().is_none() {
        req.extensions_mut().insert(ClientAddr("unknown".into()));
    }
    // The API knows only its bearer tokens (see `crate::api`): a browser's
    // session cookie must never authorise it.
    if api {
        return next.run(req).await;
    }

    let token = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| session::token_from_cookies(c, app.config.cookies_secure()));
    let mut person_language = None;
    if let Some(token) = token {
        match session::authenticate(&app.db, &token, chrono::Utc::now(), &app.config).await {
            Ok(Some(p)) => {
                person_language = Some(p.language.clone());
                req.extensions_mut().insert(p);
            }
            Ok(None) => {}
            Err(e) => {
                // The database is unreachable: say so rather than treating the person as anonymous.
                return error_response(&e, req.uri().path().starts_with("/fn/"));
            }
        }
    }
    set_language(&app, &mut req, person_language.as_deref());
    next.run(req).await
}

/// Decides the request's language (see `app::lang`) and hands it on twice:
/// as an extension for our own code, and as the only Accept-Language the
/// translation library sees, so server and hydrated client agree.
fn set_language(app: &AppState, req: &mut Request, person: Option<&str>) {
    let cookie = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| app::lang::from_cookie_header(c, app.config.cookies_secure()));
    let locale = app::lang::resolve(person, cookie, &app.config.default_language);
    req.headers_mut().insert(
        header::ACCEPT_LANGUAGE,
        HeaderValue::from_static(app::lang::code(locale)),
    );
    req.extensions_mut()
        .insert(app::lang::RequestLocale(locale));
}

/// The client's files: `/pkg/…` and `/client.js`, the same for everyone
/// (no session, no database, cacheable).
pub fn is_client_file(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/client.js"
}

/// The JSON API's paths (`/api/v1/…`).
pub fn is_api(path: &str) -> bool {
    path == "/api/v1" || path.starts_with("/api/v1/")
}

/// State-changing requests must come from Jejak's own pages (see
/// `security::same_origin`); others get 403 before anything runs.
async fn reject_cross_site(State(app): State<AppState>, req: Request, next: Next) -> Response {
    // The API ignores cookies, so a cross-site page cannot act through it:
    // only a caller holding a token can.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || is_api(req.uri().path())
    {
        return next.run(req).await;
    }
    let (site, origin, host) = {
        let h = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        (h("sec-fetch-site"), h("origin"), h("host"))
    };
    let with_session = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| session::token_from_cookies(c, app.config.cookies_secure()).is_some());
    if security::same_origin(
        site.as_deref(),
        origin.as_deref(),
        host.as_deref(),
        &app.config.public_url,
        with_session,
    ) {
        return next.run(req).await;
    }
    tracing::warn!(
        origin = origin.as_deref().unwrap_or("-"),
        site = site.as_deref().unwrap_or("-"),
        path = %loggable_path(req.uri().path()),
        "permintaan lintas situs ditolak / cross-site request rejected"
    );
    let mut res = Response::new(Body::from(
        "Permintaan lintas situs ditolak: kirim formulir dari halaman Jejak sendiri.\n\
         Cross-site request rejected: submit forms from Jejak's own pages.\n",
    ));
    *res.status_mut() = StatusCode::FORBIDDEN;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// Headers on every response; pages set their own CSP (with the nonce of
/// their hydration script), everything else gets one that allows nothing.
async fn security_headers(req: Request, next: Next) -> Response {
    let static_file = is_client_file(req.uri().path());
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    // Pages and answers are about people: never kept by a browser or a
    // proxy (shared office computers, the Back button after sign-out).
    // Only the client's own files (`/pkg/`, `/client.js`) say otherwise.
    if !static_file && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    for (name, value) in security::ALWAYS {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(security::DEFAULT_CSP),
        );
    }
    res
}

/// A request's span in the log: method and path, with the secrets that
/// travel in paths (set-password links, calendar feeds) cut out. The query
/// is left out altogether.
fn request_span(req: &Request) -> tracing::Span {
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %loggable_path(req.uri().path()),
    )
}

/// `path` as it may be written to a log: the token of `/atur-sandi/<token>`
/// and `/kalender/<token>.ics` replaced by `***`.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    for prefix in ["/atur-sandi/", "/kalender/"] {
        if let Some(rest) = path.strip_prefix(prefix) {
            let ext = if rest.ends_with(".ics") { ".ics" } else { "" };
            return format!("{prefix}***{ext}").into();
        }
    }
    path.into()
}

/// An error answered by middleware: JSON (an `AppError`, as server functions
/// answer) under `/fn/`, bilingual text elsewhere.
pub(crate) fn error_response(e: &AppError, json: bool) -> Response {
    let (body, content_type) = if json {
        (
            serde_json::to_string(e).unwrap_or_default(),
            "application/json",
        )
    } else {
        (
            format!("{}\n{}\n", e.message("id"), e.message("en")),
            "text/plain; charset=utf-8",
        )
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = e.status_code();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res
}

/// Every page route the app declares (e.g. `/pegawai/:id`), for the
/// authorisation matrix test: a route missing from the matrix fails it.
pub fn page_paths() -> Vec<String> {
    // Listing routes renders the app once: call this inside a Tokio runtime.
    generate_route_list(App)
        .iter()
        .map(|r| r.path().to_string())
        .collect()
}

/// Every server function registered in this binary (e.g. `/fn/person`).
pub fn server_fn_paths() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _method)| path.to_string())
        .collect()
}

/// Routes outside Leptos, all read-only (the CSV downloads are in `crate::exports`).
pub const PLAIN_ROUTES: [&str; 13] = [
    "/healthz",
    "/pkg/*",
    "/client.js",
    "/kalender/{file}",
    "/manajer/laporan.csv",
    "/ekspor/progres-pegawai.csv",
    "/ekspor/progres-unit.csv",
    "/ekspor/riwayat-pelatihan.csv",
    "/ekspor/terlambat.csv",
    "/ekspor/audit.csv",
    // The JSON API (`crate::api`): bearer tokens only, its own 401/403/404.
    "/api/v1/*",
    // Import (`crate::import`): the upload (administrators, multipart) and the templates (public).
    crate::import::UPLOAD_PATH,
    crate::import::TEMPLATE_PATH,
];

/// A personal calendar feed (`/kalender/<secret>.ics`): the secret is the
/// permission; an unknown or revoked one is 404.
async fn calendar_feed(
    State(app): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    match app::backend::training::calendar::feed(
        &app.db,
        token,
        &app.config.public_url,
        chrono::Utc::now(),
    )
    .await
    {
        Ok(ics) => {
            let mut res = Response::new(Body::from(ics));
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            );
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        Err(e) => error_response(&e, false),
    }
}
