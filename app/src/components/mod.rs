//! Reusable pieces of the interface.

pub mod errors;
pub mod form_echo;
pub mod layout;
pub mod pager;
pub mod unit_picker;
