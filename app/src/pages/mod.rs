//! One module per page (route).

pub mod admin;
pub mod admin_catalogue;
pub mod admin_import;
pub mod admin_organisation;
pub mod admin_reminders;
pub mod admin_tokens;
pub mod admin_transfers;
pub mod exports;
pub mod home;
pub mod manager;
pub mod my_training;
pub mod not_found;
pub mod password;
pub mod person;
pub mod sign_in;
pub mod trainer;
