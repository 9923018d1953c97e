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

/// Stored values (short words kept in the database) and their words in the
/// page language, declared from one table so that the list of values and
/// the labels cannot drift apart. Each entry is a translation key under
/// `group.sub`; the stored value is the key itself unless given after `=`.
/// The optional `const` lists the stored values in table order; the `fn`
/// gives a stored value's words, `None` for a value Jejak does not know.
///
/// ```text
/// stored_words! {
///     pub const METHODS;
///     pub fn method_label => catalogue.method [klasikal, nonklasikal]
/// }
/// ```
macro_rules! stored_words {
    (@stored $key:ident) => { stringify!($key) };
    (@stored $key:ident $stored:literal) => { $stored };
    (
        $(#[$list_doc:meta])*
        pub const $list:ident;
        $(#[$fn_doc:meta])*
        pub fn $label:ident => $group:ident.$sub:ident [$($key:ident $(= $stored:literal)?),+ $(,)?]
    ) => {
        $(#[$list_doc])*
        pub const $list: [&str; [$(stringify!($key)),+].len()] =
            [$(stored_words!(@stored $key $($stored)?)),+];
        stored_words! {
            $(#[$fn_doc])*
            pub fn $label => $group.$sub [$($key $(= $stored)?),+]
        }
    };
    (
        $(#[$fn_doc:meta])*
        pub fn $label:ident => $group:ident.$sub:ident [$($key:ident $(= $stored:literal)?),+ $(,)?]
    ) => {
        $(#[$fn_doc])*
        pub fn $label(stored: &str, l: $crate::i18n::Locale) -> Option<&'static str> {
            Some(match stored {
                $(stored_words!(@stored $key $($stored)?) => {
                    $crate::i18n::td_string!(l, $group.$sub.$key)
                })+
                _ => return None,
            })
        }
    };
}

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
