//! Reusable pieces of the interface.

pub mod errors;
pub mod layout;
