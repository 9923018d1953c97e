//! The JSON API under `/api/v1`: personal access tokens (bearer only, see
//! [`auth`]), thin handlers over the same services and the same policy as
//! the pages, errors as JSON with a stable code ([`error`]), and an OpenAPI
//! 3.1 document generated from these handlers (`GET /api/v1/openapi.json`).
//!
//! Every route is declared once, in [`api_routes!`], which builds the router
//! and the list [`ROUTES`]; a test compares that list with the document, so
//! an undocumented route fails it.

pub mod auth;
pub mod employees;
pub mod error;
pub mod plans;
pub mod reports;
pub mod transfers;

use std::sync::OnceLock;

use axum::{extract::DefaultBodyLimit, http::header, response::IntoResponse, Router};
use serde::{Deserialize, Serialize};
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi, ToSchema,
};

use app::error::AppError;

use crate::http::ServerState;
pub use axum::Json;
use error::{ApiError, ErrorBody, ErrorDetail};

/// The largest request body accepted (413 `payload_too_large` above it).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Declares the routes once: the router and [`ROUTES`] come from the same list.
macro_rules! api_routes {
    ($($method:ident $path:literal => $handler:path),* $(,)?) => {
        /// Every route the API serves: (method, path under `/api/v1`).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        fn routes() -> Router<ServerState> {
            Router::new()$(.route($path, axum::routing::$method($handler)))*
        }
    };
}

api_routes! {
    get "/openapi.json" => openapi_json,
    get "/employees" => employees::list,
    get "/employees/{nip}" => employees::get,
    get "/transfers" => transfers::list,
    post "/transfers" => transfers::create,
    get "/transfers/{id}" => transfers::get,
    post "/transfers/{id}/approve" => transfers::approve,
    post "/transfers/{id}/complete" => transfers::complete,
    get "/plans" => plans::list,
    get "/plans/{id}" => plans::get,
    get "/assignments" => plans::assignments,
    post "/assignments/{id}/complete" => plans::complete,
    get "/reports/progress-by-unit" => reports::progress_by_unit,
    get "/reports/overdue" => reports::overdue,
}

pub fn router() -> Router<ServerState> {
    routes()
        // After the routes: it applies to those registered so far.
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .fallback(|| async { ApiError::route_not_found() })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// A page size: 1–200, 50 when not given.
pub fn limit(raw: Option<u64>) -> Result<u64, ApiError> {
    match raw {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(n) => Err(AppError::invalid(
            "limit",
            format!("limit harus 1–200, bukan {n}"),
            format!("limit must be 1–200, not {n}"),
        )
        .into()),
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jejak API",
        version = "1",
        description = "Training after transfer (mutasi) for Indonesian civil servants. \
            Authenticate with a personal access token from /admin/token: \
            `Authorization: Bearer jjk_…`. A token acts as the administrator who \
            created it, limited by its scopes. Errors: \
            `{\"error\":{\"code\",\"field\",\"scope\",\"message\",\"message_en\",\"status\"}}`."
    ),
    servers((url = "/api/v1", description = "This Jejak")),
    paths(
        openapi_json,
        employees::list,
        employees::get,
        transfers::list,
        transfers::create,
        transfers::get,
        transfers::approve,
        transfers::complete,
        plans::list,
        plans::get,
        plans::assignments,
        plans::complete,
        reports::progress_by_unit,
        reports::overdue,
    ),
    components(schemas(ErrorBody, ErrorDetail, OpenApiDocument)),
    modifiers(&BearerToken),
    tags(
        (name = "employees", description = "Employees (scope employees:read)"),
        (name = "transfers", description = "Transfers (transfers:read, transfers:write)"),
        (name = "plans", description = "Plans and assignments (plans:read, assignments:write)"),
        (name = "reports", description = "Newcomers' progress and overdue work (reports:read)"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("jjk_…")
                    .description(Some(
                        "A personal access token from /admin/token. Scopes: employees:read, \
                         transfers:read, transfers:write, plans:read, assignments:write, \
                         reports:read.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document (only its version field is described here).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OpenApiDocument {
    /// "3.1.0"
    pub openapi: String,
}

/// The document as JSON, built once.
pub fn openapi_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_default())
}

#[utoipa::path(
    get, path = "/openapi.json", tag = "meta",
    responses((status = 200, description = "This OpenAPI document (public)", body = OpenApiDocument)),
)]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
}
