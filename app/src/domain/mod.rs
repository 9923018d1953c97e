//! Business rules as plain functions over plain data. No database, no HTTP,
//! no clock: "now" is always an argument. Compiled for the browser too.
//!
//! Floor 1 (see `crate::model`). May use: `crate::error`, `crate::lang`,
//! `crate::i18n`. Nothing above: no model, backend, api or pages.

/// Stored forms of the enumerations (short lowercase strings, the same on
/// SQLite and PostgreSQL): `as_str` and `parse` from one table, each word
/// written once.
macro_rules! stored_as {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),* }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }
    };
}

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
