//! Server functions, one module per area. Each is thin: find the state, ask
//! the service, map the error. The HTTP status of an
//! error is set in one place, by the server's `server_fn_status` middleware. Each has a fixed endpoint under `/fn/` so that
//! tests and other clients can rely on it.

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
