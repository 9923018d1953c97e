//! Signing in and out, who am I, and passwords.

use leptos::prelude::*;

use crate::error::AppError;

use crate::model::auth::Me;

/// The signed-in person, or None.
#[server(prefix = "/fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<Me>, AppError> {
    Ok(crate::backend::access::principal().as_ref().map(Me::from))
}

/// Signs in by NIP or email and password. Without JavaScript the browser is
/// sent on to the home page.
#[server(prefix = "/fn", endpoint = "sign_in")]
pub async fn sign_in(login: String, password: String) -> Result<(), AppError> {
    use crate::backend::{
        access::accounts,
        access::{principal::client_addr, session},
        state::AppState,
    };
    let state = AppState::current()?;
    let addr = client_addr();
    let result = accounts::sign_in(
        &state.db,
        &state.config,
        &login,
        &password,
        &addr,
        chrono::Utc::now(),
    )
    .await;
    let response = expect_context::<leptos_axum::ResponseOptions>();
    match result {
        Ok((token, _)) => {
            if let Ok(v) =
                http::HeaderValue::from_str(&session::cookie(&token, state.config.cookies_secure()))
            {
                response.append_header(http::header::SET_COOKIE, v);
            }
            leptos_axum::redirect("/");
            Ok(())
        }
        Err(e) => {
            if let AppError::TooManyAttempts { retry_after_secs } = &e {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    http::HeaderValue::from(*retry_after_secs),
                );
            }
            Err(e)
        }
    }
}

/// Signs out of this browser.
#[server(prefix = "/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::backend::{
        access::accounts,
        access::{principal, session},
        state::AppState,
    };
    let state = AppState::current()?;
    if let Some(p) = principal() {
        accounts::sign_out(&state.db, &p).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(v) =
        http::HeaderValue::from_str(&session::clear_cookie(state.config.cookies_secure()))
    {
        response.append_header(http::header::SET_COOKIE, v);
    }
    leptos_axum::redirect("/masuk");
    Ok(())
}

/// Switches the language: remembered with the signed-in person (any device
/// they sign in on) and in a cookie (for the sign-in page and anyone not
/// signed in). A plain form post: the server sends the browser back to the
/// page it came from, now in the chosen language.
#[server(prefix = "/fn", endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<(), AppError> {
    use crate::backend::{access::accounts, access::principal, state::AppState};
    let state = AppState::current()?;
    let locale = crate::lang::parse(&lang).ok_or_else(|| {
        AppError::invalid(
            "lang",
            format!("Bahasa tidak dikenal: {lang:?} (pilih \"id\" atau \"en\")"),
            format!("Unknown language: {lang:?} (choose \"id\" or \"en\")"),
        )
    })?;
    if let Some(p) = principal() {
        accounts::set_language(&state.db, &p, locale).await?;
    }
    let response = expect_context::<leptos_axum::ResponseOptions>();
    if let Ok(v) =
        http::HeaderValue::from_str(&crate::lang::cookie(locale, state.config.cookies_secure()))
    {
        response.append_header(http::header::SET_COOKIE, v);
    }
    Ok(())
}

/// Changes one's own password; other sessions of the account end.
#[server(prefix = "/fn", endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{
        access::accounts,
        access::{policy, principal, principal::client_addr},
        state::AppState,
    };
    let p = policy::authorize(principal(), &policy::Action::ManageOwnAccount)?;
    confirm_matches(&new_password, &confirm)?;
    let state = AppState::current()?;
    let result = accounts::change_password(
        &state.db,
        &p,
        &current_password,
        &new_password,
        &client_addr(),
        chrono::Utc::now(),
    )
    .await;
    if let Err(AppError::TooManyAttempts { retry_after_secs }) = &result {
        expect_context::<leptos_axum::ResponseOptions>().insert_header(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(*retry_after_secs),
        );
    }
    result
}

/// Whose set-password link this is ("Atur kata sandi untuk …").
#[server(prefix = "/fn", endpoint = "password_link")]
pub async fn password_link(token: String) -> Result<String, AppError> {
    use crate::backend::{access::accounts, state::AppState};
    let state = AppState::current()?;
    let emp = accounts::password_link_owner(&state.db, &token, chrono::Utc::now()).await?;
    Ok(emp.name)
}

/// Sets a password through a one-time link, then sends the person to sign in.
#[server(prefix = "/fn", endpoint = "set_password")]
pub async fn set_password(
    token: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::backend::{access::accounts, state::AppState};
    confirm_matches(&new_password, &confirm)?;
    let state = AppState::current()?;
    accounts::redeem_password_link(&state.db, &token, &new_password, chrono::Utc::now()).await?;
    leptos_axum::redirect("/masuk?sandi=baru");
    Ok(())
}

#[cfg(feature = "ssr")]
fn confirm_matches(new_password: &str, confirm: &str) -> Result<(), AppError> {
    if new_password != confirm {
        return Err(AppError::invalid(
            "confirm",
            "Konfirmasi kata sandi tidak sama",
            "The confirmation does not match the new password",
        ));
    }
    Ok(())
}
