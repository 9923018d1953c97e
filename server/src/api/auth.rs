//! Who calls the API: `Authorization: Bearer jjk_…` only (session cookies
//! are never looked at here, see `http::authenticate`). The token's owner
//! becomes the request's principal, built as for a session, so the policy
//! decides as for that person; the token's scopes limit further.

use axum::{
    extract::{FromRef, FromRequestParts},
    http::{header, request::Parts},
};

use app::backend::{
    access::api_tokens::{self, Caller},
    access::{policy, Principal},
    state::AppState,
};

use super::error::ApiError;

/// The authenticated caller of an API request.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub principal: Principal,
    pub scopes: Vec<String>,
    pub token_id: i64,
    caller: Caller,
}

impl ApiCaller {
    /// 403 `insufficient_scope` unless the token carries `scope`.
    pub fn require(&self, scope: &str) -> Result<(), ApiError> {
        if self.caller.has_scope(scope) {
            Ok(())
        } else {
            Err(ApiError::insufficient_scope(scope))
        }
    }

    /// The scope, then the policy (a refusal is what the policy says: 404).
    pub fn authorize(&self, scope: &str, action: &policy::Action<'_>) -> Result<(), ApiError> {
        self.require(scope)?;
        policy::authorize(Some(self.principal.clone()), action)?;
        Ok(())
    }

    /// The audit trail's actor: "NIP (Name) via token <name>".
    pub fn actor(&self) -> String {
        self.caller.actor()
    }
}

/// The secret of an `Authorization: Bearer …` header, if there is one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| secret.trim())
        .filter(|s| !s.is_empty())
}

impl<S> FromRequestParts<S> for ApiCaller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let given = parts.headers.contains_key(header::AUTHORIZATION);
        let Some(secret) = bearer(parts) else {
            return Err(ApiError::unauthenticated(given));
        };
        let app = AppState::from_ref(state);
        match api_tokens::authenticate(&app.db, secret, chrono::Utc::now()).await? {
            Some(caller) => Ok(ApiCaller {
                principal: caller.principal.clone(),
                scopes: caller.scopes.clone(),
                token_id: caller.token_id,
                caller,
            }),
            None => Err(ApiError::unauthenticated(true)),
        }
    }
}
