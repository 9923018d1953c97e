//! One module per page (route), named as the server functions (`crate::api`)
//! and the backend module it shows.
//!
//! Floor 5 (see `crate::model`): may use `crate::components` and every
//! floor below.

pub mod accounts;
pub mod adaptation;
pub mod api_tokens;
pub mod catalogue;
pub mod exports;
pub mod import;
pub mod my_training;
pub mod not_found;
pub mod organisation;
pub mod overview;
pub mod password;
pub mod person;
pub mod reminders;
pub mod sign_in;
pub mod trainer;
pub mod transfers;
