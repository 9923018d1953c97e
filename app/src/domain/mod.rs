//! Business rules as plain functions over plain data. No database, no HTTP,
//! no clock: "now" is always an argument. Compiled for the browser too.
//!
//! Floor 1 (see `crate::model`). May use: `crate::error`, `crate::lang`,
//! `crate::i18n`. Nothing above: no model, backend, api or pages.

pub mod dates;
pub mod grade;
pub mod import;
pub mod links;
pub mod nip;
pub mod org;
pub mod plan;
pub mod progress;
pub mod recert;
pub mod reminders;
#[cfg(feature = "ssr")]
pub mod schedule;
pub mod text;
pub mod transfer;
