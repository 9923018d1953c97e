//! Server functions, one module per concern, named as its page and its
//! backend module. Each is thin: who is asking and may they (the policy),
//! then the service, whose `crate::model` types it passes on. The HTTP
//! status of an error is set in one place, by the server's
//! `server_fn_status` middleware. Each has a fixed endpoint under `/fn/` so
//! that tests and other clients can rely on it.
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
