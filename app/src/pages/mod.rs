//! One module per page (route).

pub mod home;
pub mod not_found;
