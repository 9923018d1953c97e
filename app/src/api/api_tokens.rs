//! Personal access tokens for the JSON API (`/admin/token`, administrators):
//! the list, creating a token (its secret is shown once) and revoking one.
//! A token acts as the administrator who created it, limited to its scopes.
//!
//! The secret never travels in an address (it would land in logs and
//! history): after the form's redirect the page shows it from the form's
//! answer, which reaches that one page view in the form-echo cookie
//! (`backend::form_echo`: two minutes, HttpOnly, cleared by the view).

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::model::api_tokens::PAGE_PATH;
use crate::model::api_tokens::{NewToken, TokensPage};

#[cfg(feature = "ssr")]
use super::plain_post;

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageApiTokens)
}

/// Every token, newest first.
#[server(prefix = "/fn", endpoint = "api_tokens")]
pub async fn get_api_tokens() -> Result<TokensPage, AppError> {
    use crate::backend::access::api_tokens;
    let c = admin()?;
    let now = chrono::Utc::now();
    let l = c.locale();
    Ok(TokensPage {
        tokens: api_tokens::list(c.db(), now, c.app.config.tz(), l).await?,
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
