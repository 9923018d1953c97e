//! The shared data types: what pages receive from the server and send back
//! (page data, rows, form inputs), one module per concern, named as the
//! page (`crate::pages`), the server functions (`crate::api`) and the backend
//! module (`crate::backend`) of that concern. Compiled for the browser too.
//!
//! Floors, lowest first: `error` and `lang` → `domain` → `model` →
//! `backend` → `api` → `components` and `pages`. A module may use its own
//! floor and those below it, never one above: services return these types,
//! server functions pass them on, pages show them. The test
//! `tests/tests/suite/layers.rs` fails on an import that climbs.
//!
//! May use: `crate::domain`, `crate::error`, `crate::lang`, `crate::i18n`.

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
