//! Services: functions over a database connection that apply the domain rules.

pub mod accounts;
pub mod adaptation;
pub mod api_tokens;
pub mod assignments;
pub mod audit;
pub mod bulk;
pub mod bulk_completion;
pub mod calendar;
pub mod catalogue;
pub mod catalogue_queries;
pub mod csv_out;
pub mod delivery;
pub mod digest;
pub mod exports;
pub mod my_training;
pub mod org;
pub mod organisation_admin;
pub mod outbox;
pub mod people;
pub mod reminders;
pub mod search;
pub mod trainer_desk;
pub mod transfer_list;
pub mod transfers;
pub mod unit_lookup;
