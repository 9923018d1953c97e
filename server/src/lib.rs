//! The Jejak server as a library, so tests can start the very same server
//! the binary does, on a free port with a fresh database.

pub mod api;
pub mod backup;
pub mod cli;
pub mod config;
pub mod connections;
pub mod db_gate;
pub mod exports;
pub mod form_echo;
pub mod health;
pub mod http;
pub mod import;
pub mod jobs;
pub mod limits;
pub mod refusal;
pub mod reminders;
pub mod seed;
pub mod startup;

pub use app::backend::config::Config;
