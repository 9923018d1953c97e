//! Personal access tokens for the JSON API (`/admin/token`, administrators):
//! the list, creating a token (its secret is shown once) and revoking one.
//! A token acts as the administrator who created it, limited to its scopes.
//!
//! Without JavaScript the secret cannot travel back in the redirect's
//! address (it would land in logs and history): it is handed to the next
//! view of the page in a two-minute, HttpOnly cookie scoped to that page,
//! which that view reads and clears.

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::api_tokens::PAGE_PATH;
use crate::model::api_tokens::{NewToken, TokensPage};

/// The cookie that carries a new secret to the next view of the page
/// (JavaScript off only).
#[cfg(feature = "ssr")]
const FRESH_COOKIE: &str = "jejak_token_baru";

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageApiTokens)
}

#[cfg(feature = "ssr")]
use super::plain_post;

#[cfg(feature = "ssr")]
fn set_cookie(value: String) {
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// The fresh secret handed over by a plain form post, if this request
/// carries one; the cookie is cleared so it is shown once.
#[cfg(feature = "ssr")]
fn take_fresh_secret() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let secret = parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == FRESH_COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty())?;
    set_cookie(format!(
        "{FRESH_COOKIE}=; Path={PAGE_PATH}; HttpOnly; SameSite=Strict; Max-Age=0"
    ));
    Some(secret)
}

/// Every token, newest first, and a secret just created (JavaScript off).
#[server(prefix = "/fn", endpoint = "api_tokens")]
pub async fn get_api_tokens() -> Result<TokensPage, AppError> {
    use crate::backend::access::api_tokens;
    let c = admin()?;
    let now = chrono::Utc::now();
    let l = c.locale();
    let fresh = match take_fresh_secret() {
        Some(secret) => api_tokens::find_fresh(c.db(), &secret, now)
            .await?
            .map(|t| NewToken {
                id: t.id,
                name: t.name,
                secret,
            }),
        None => None,
    };
    Ok(TokensPage {
        tokens: api_tokens::list(c.db(), now, c.app.config.tz(), l).await?,
        fresh,
        today: c.today().to_string(),
    })
}

/// Creates a token acting as the signed-in administrator: a name, at least
/// one scope (`scopes[0]`, `scopes[1]` …) and an optional last day
/// (`expires_on`, ISO or dd/mm/yyyy). Returns the secret, shown only now.
#[server(prefix = "/fn", endpoint = "create_api_token")]
pub async fn create_api_token(
    name: Option<String>,
    scopes: Option<Vec<String>>,
    expires_on: Option<String>,
) -> Result<NewToken, AppError> {
    use crate::backend::access::api_tokens;
    let c = admin()?;
    let today = c.today();
    let name = api_tokens::check_name(name.as_deref().unwrap_or(""))?;
    let scopes = api_tokens::check_scopes(&scopes.unwrap_or_default())?;
    let expires = api_tokens::check_expiry(expires_on.as_deref().unwrap_or(""), today)?
        .map(|d| api_tokens::expiry_instant(d, c.app.config.tz()));
    let (token, secret) =
        api_tokens::create(c.db(), &c.p, &name, &scopes, expires, chrono::Utc::now()).await?;
    if plain_post() {
        set_cookie(format!(
            "{FRESH_COOKIE}={secret}; Path={PAGE_PATH}; HttpOnly; SameSite=Strict; Max-Age=120{}",
            if c.app.config.cookies_secure() {
                "; Secure"
            } else {
                ""
            }
        ));
        leptos_axum::redirect(PAGE_PATH);
    }
    Ok(NewToken {
        id: token.id,
        name: token.name,
        secret,
    })
}

/// Revokes a token: it stops working at once.
#[server(prefix = "/fn", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: String) -> Result<(), AppError> {
    use crate::backend::access::api_tokens;
    let c = admin()?;
    let id = id.trim().parse::<i64>().map_err(|_| AppError::NotFound)?;
    api_tokens::revoke(c.db(), &c.p, id, chrono::Utc::now()).await?;
    if plain_post() {
        leptos_axum::redirect(PAGE_PATH);
    }
    Ok(())
}
