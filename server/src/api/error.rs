//! The API's errors: JSON with a stable code, Indonesian first.
//!
//! `{"error":{"code":"invalid","field":"nip","message":"…","message_en":"…","status":422}}`
//! Every `AppError` kind has its code ([`code_of`]); the API adds its own
//! for what happens before a handler runs (a body that is not JSON, too
//! large, an unknown route, a wrong method, a missing scope).

use axum::{
    extract::{
        rejection::{JsonRejection, PathRejection, QueryRejection},
        FromRequest, FromRequestParts, Request,
    },
    http::{header, request::Parts, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use app::error::AppError;

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case: invalid, bad_request, not_found, unauthenticated,
    /// insufficient_scope, conflict, payload_too_large,
    /// unsupported_media_type, method_not_allowed, too_many_attempts,
    /// unavailable, internal, bad_credentials, bad_gateway.
    pub code: String,
    /// The input field a refusal is about (`invalid` only).
    pub field: Option<String>,
    /// The scope the token lacks (`insufficient_scope` only).
    pub scope: Option<String>,
    /// In Indonesian.
    pub message: String,
    /// The same in English.
    pub message_en: String,
    /// The HTTP status, repeated.
    pub status: u16,
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub detail: ErrorDetail,
    /// The `WWW-Authenticate` challenge (401 and 403 for scopes).
    challenge: Option<String>,
}

/// The stable code of each kind of `AppError`.
pub fn code_of(e: &AppError) -> &'static str {
    match e {
        AppError::Invalid { .. } => "invalid",
        AppError::BadRequest { .. } => "bad_request",
        AppError::NotFound => "not_found",
        AppError::Unauthenticated => "unauthenticated",
        AppError::BadCredentials => "bad_credentials",
        AppError::TooManyAttempts { .. } => "too_many_attempts",
        AppError::Conflict { .. } => "conflict",
        AppError::Unavailable => "unavailable",
        AppError::TooLarge { .. } => "too_large",
        AppError::SlowRequest { .. } => "slow_request",
        AppError::TooManyRequests => "too_many_requests",
        AppError::Storage { full: true } => "storage_full",
        AppError::Storage { full: false } => "storage_unwritable",
        AppError::Internal { .. } => "internal",
        AppError::Transport { .. } => "bad_gateway",
    }
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        code: &str,
        id: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                field: None,
                scope: None,
                message: id.into(),
                message_en: en.into(),
                status: status.as_u16(),
            },
            challenge: None,
        }
    }

    /// No usable token: 401 with a Bearer challenge.
    pub fn unauthenticated(token_given: bool) -> Self {
        let mut e = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Token tidak ada, tidak dikenal, dicabut atau kedaluwarsa. Kirim header \
             Authorization: Bearer <token>.",
            "The token is missing, unknown, revoked or expired. Send the header \
             Authorization: Bearer <token>.",
        );
        e.challenge = Some(if token_given {
            r#"Bearer realm="jejak", error="invalid_token""#.into()
        } else {
            r#"Bearer realm="jejak""#.into()
        });
        e
    }

    /// The token lacks `scope`: 403 naming it.
    pub fn insufficient_scope(scope: &str) -> Self {
        let mut e = ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("Token ini tidak memiliki cakupan \"{scope}\""),
            format!("This token lacks the scope \"{scope}\""),
        );
        e.detail.scope = Some(scope.to_string());
        e.challenge = Some(format!(
            r#"Bearer realm="jejak", error="insufficient_scope", scope="{scope}""#
        ));
        e
    }

    pub fn route_not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Alamat API tidak dikenal; lihat /api/v1/openapi.json",
            "Unknown API address; see /api/v1/openapi.json",
        )
    }

    pub fn method_not_allowed() -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "Metode HTTP ini tidak didukung untuk alamat ini",
            "This HTTP method is not supported for this address",
        )
    }

    /// A rejected request before the handler ran (body, query, path).
    fn rejected(status: StatusCode, reason: String) -> Self {
        match status {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                status,
                "payload_too_large",
                "Isi permintaan terlalu besar (maksimum 1 MiB)",
                "The request body is too large (at most 1 MiB)",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
                status,
                "unsupported_media_type",
                "Kirim isi permintaan sebagai JSON (Content-Type: application/json)",
                "Send the request body as JSON (Content-Type: application/json)",
            ),
            _ => ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("Permintaan tidak valid: {reason}"),
                format!("Invalid request: {reason}"),
            ),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = e.status_code();
        let mut out = ApiError::new(status, code_of(&e), e.message("id"), e.message("en"));
        out.detail.field = e.field().map(str::to_string);
        if let AppError::Unauthenticated = e {
            out.challenge = Some(r#"Bearer realm="jejak""#.into());
        }
        if let AppError::Internal { reference } = &e {
            tracing::error!(reference, "API: kesalahan internal / internal error");
        }
        out
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError::rejected(r.status(), r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::rejected(StatusCode::BAD_REQUEST, r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        ApiError::rejected(StatusCode::BAD_REQUEST, r.body_text())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(ErrorBody { error: self.detail })).into_response();
        if let Some(c) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            res.headers_mut().insert(header::WWW_AUTHENTICATE, c);
        }
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    }
}

/// A JSON body whose refusals are API errors (400, 413, 415).
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(v) = axum::Json::<T>::from_request(req, state).await?;
        Ok(ApiJson(v))
    }
}

/// Query parameters whose refusals are API errors (400).
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    axum::extract::Query<T>: FromRequestParts<S, Rejection = QueryRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(v) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(ApiQuery(v))
    }
}

/// Path parameters whose refusals are API errors (400).
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    axum::extract::Path<T>: FromRequestParts<S, Rejection = PathRejection>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(v) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(ApiPath(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_app_error_has_a_stable_code_and_its_status() {
        let cases = [
            (AppError::invalid("nip", "a", "b"), "invalid", 422),
            (
                AppError::BadRequest {
                    message: app::error::Message::new("a", "b"),
                },
                "bad_request",
                400,
            ),
            (AppError::NotFound, "not_found", 404),
            (AppError::Unauthenticated, "unauthenticated", 401),
            (AppError::BadCredentials, "bad_credentials", 401),
            (
                AppError::TooManyAttempts {
                    retry_after_secs: 3,
                },
                "too_many_attempts",
                429,
            ),
            (AppError::conflict("a", "b"), "conflict", 409),
            (AppError::Unavailable, "unavailable", 503),
            (
                AppError::SlowRequest { within_secs: 20 },
                "slow_request",
                408,
            ),
            (AppError::TooManyRequests, "too_many_requests", 429),
            (
                AppError::Internal {
                    reference: "r".into(),
                },
                "internal",
                500,
            ),
            (
                AppError::Transport { detail: "d".into() },
                "bad_gateway",
                502,
            ),
        ];
        for (e, code, status) in cases {
            let api = ApiError::from(e.clone());
            assert_eq!(api.detail.code, code, "{e:?}");
            assert_eq!(api.detail.status, status, "{e:?}");
            assert_eq!(api.status.as_u16(), status, "{e:?}");
            assert_eq!(api.detail.message, e.message("id"));
            assert_eq!(api.detail.message_en, e.message("en"));
        }
        let invalid = ApiError::from(AppError::invalid("nip", "a", "b"));
        assert_eq!(invalid.detail.field.as_deref(), Some("nip"));
    }
}
