//! Server functions, one module per concern, named as its page and its
//! backend module. Each is thin: who is asking and may they (the policy),
//! then the service, whose `crate::model` types it passes on. The HTTP
//! status of an error is set in one place, by the server's
//! `server_fn_status` middleware. Each has a fixed endpoint under `/fn/` so
//! that tests and other clients can rely on it. What they all begin with
//! (who is asking, may they, the app) is [`Caller`]; whether a form was
//! posted without JavaScript is [`plain_post`].
//!
//! Floor 4 (see `crate::model`). May use: `crate::backend` (on the server),
//! `crate::model`, `crate::domain`, `crate::error`, `crate::lang`. Never
//! `crate::pages` or `crate::components`.

pub mod accounts;
pub mod adaptation;
pub mod api_tokens;
pub mod auth;
pub mod catalogue;
pub mod exports;
pub mod import;
pub mod my_training;
pub mod organisation;
pub mod overview;
pub mod person;
pub mod reminders;
pub mod trainer;
pub mod transfers;

#[cfg(feature = "ssr")]
use crate::backend::{
    access::{policy, principal, Principal},
    state::AppState,
};
#[cfg(feature = "ssr")]
use crate::error::AppError;

/// Who a server function answers, and the app it runs in.
#[cfg(feature = "ssr")]
pub(crate) struct Caller {
    /// The signed-in person asking.
    pub p: Principal,
    pub app: AppState,
}

#[cfg(feature = "ssr")]
impl Caller {
    /// Someone allowed `action`: anyone else is refused (not signed in:
    /// 401; signed in: "not found") before anything else happens.
    pub fn allowed(action: &policy::Action<'_>) -> Result<Caller, AppError> {
        let p = policy::authorize(principal(), action)?;
        Ok(Caller {
            p,
            app: AppState::current()?,
        })
    }

    /// Anyone signed in: the service decides what they may do.
    pub fn signed_in() -> Result<Caller, AppError> {
        let p = principal().ok_or(AppError::Unauthenticated)?;
        Ok(Caller {
            p,
            app: AppState::current()?,
        })
    }

    pub fn db(&self) -> &sea_orm::DatabaseConnection {
        &self.app.db
    }

    /// The office's date.
    pub fn today(&self) -> chrono::NaiveDate {
        self.app.now_local().date_naive()
    }

    /// The language of the request.
    pub fn locale(&self) -> crate::i18n::Locale {
        crate::lang::request_locale()
    }
}

/// Whether this request is a plain form post (JavaScript off), which
/// expects a page back (a redirect) rather than data; a request from the
/// hydrated page gets its answer as data and stays where it is.
#[cfg(feature = "ssr")]
pub(crate) fn plain_post() -> bool {
    leptos::prelude::use_context::<http::request::Parts>().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"))
    })
}
