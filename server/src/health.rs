//! `GET /healthz`: is this instance able to serve? 200 when the database
//! answers, 503 (with the reason) when it does not.

use std::time::Instant;

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use app::backend::{db::backend_name, state::AppState};

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let started = Instant::now();
    let backend = backend_name(&state.db);
    // Bounded: a health check must answer even when the database hangs.
    let ping = tokio::time::timeout(std::time::Duration::from_secs(3), state.db.ping()).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (status, db) = match ping {
        Ok(Ok(())) => (
            StatusCode::OK,
            json!({ "status": "ok", "backend": backend, "latency_ms": latency_ms }),
        ),
        Ok(Err(e)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "backend": backend, "error": e.to_string() }),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "unavailable", "backend": backend, "error": "timeout after 3 s" }),
        ),
    };
    let overall = if status == StatusCode::OK {
        "ok"
    } else {
        "unavailable"
    };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({
            "status": overall,
            "version": env!("CARGO_PKG_VERSION"),
            "database": db,
        })),
    )
}
