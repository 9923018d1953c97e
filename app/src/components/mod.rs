//! Reusable pieces of the interface.
//!
//! Floor 5, beside `crate::pages` (see `crate::model`): may use every
//! floor below (api, backend on the server, model, domain, error, lang).

pub mod admin_list;
pub mod errors;
pub mod form_echo;
pub mod layout;
pub mod pager;
pub mod plan_item;
pub mod unit_picker;
