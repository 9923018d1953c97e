//! The HTTP surface: Leptos pages and server functions, static assets, health.

use std::sync::Arc;

use axum::{
    body::Body,
    extract::{FromRef, Request},
    http::StatusCode,
    middleware::{self, Next},
    response::Response,
    routing::get,
    Router,
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer, trace::TraceLayer};

use app::{backend::state::AppState, error::AppError, shell, App};

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
        .build()
}

pub fn router(app_state: AppState, addr: std::net::SocketAddr) -> Router {
    let leptos = leptos_options(&app_state, addr);
    let routes = generate_route_list(App);
    let context = {
        let app_state = app_state.clone();
        move || provide_context(app_state.clone())
    };
    let pkg_dir = app_state.config.site_root.join("pkg");
    // The client's files are served directly, never through the Leptos fallback.
    let pkg = Router::new()
        .fallback_service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("public, max-age=300"),
        ));
    let state = ServerState {
        leptos: leptos.clone(),
        app: app_state,
    };

    Router::new()
        .route("/healthz", get(crate::health::healthz))
        .nest("/pkg", pkg)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let leptos = leptos.clone();
            move || shell(leptos.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(context, shell))
        .layer(middleware::from_fn(server_fn_status))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Server functions answer every error with 500; this gives each `AppError`
/// its own status (422, 404, 409, 503 ...) in one place, including errors
/// raised before the function body runs (malformed arguments are 400).
/// Plain form posts are redirects and are left alone.
async fn server_fn_status(req: Request, next: Next) -> Response {
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
        parts.status = err.status_code();
    }
    Response::from_parts(parts, Body::from(bytes))
}
