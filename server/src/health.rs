//! `GET /healthz`: is this instance able to serve? 200 when the database
//! answers, 503 when it does not.
//!
//! Anyone may ask (load balancers do), so the answer says up or down and
//! nothing else: no database error text, backend or versions, which would
//! tell a stranger what to attack. Why it is down goes to the log.

use std::time::Instant;

use axum::{extract::State, http::StatusCode, response::IntoResponse, Json};
use serde_json::json;

use app::backend::{db::backend_name, state::AppState};

pub async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let started = Instant::now();
    // Bounded: a health check must answer even when the database hangs.
    let ping = tokio::time::timeout(std::time::Duration::from_secs(3), state.db.ping()).await;
    let problem = match ping {
        Ok(Ok(())) => None,
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some("timeout after 3 s".to_string()),
    };
    let (status, word) = match &problem {
        None => (StatusCode::OK, "ok"),
        Some(why) => {
            tracing::warn!(
                backend = backend_name(&state.db),
                latency_ms = started.elapsed().as_secs_f64() * 1000.0,
                error = %why,
                "pemeriksaan kesehatan: basis data tidak menjawab / health check: database unavailable"
            );
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    };
    (
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        Json(json!({ "status": word, "database": word })),
    )
}
