//! The backend core, compiled only with the `ssr` feature: configuration,
//! database access, entities and services. Server functions (in `crate::api`)
//! reach it through [`state::AppState`], which the server provides as context.

pub mod auth;
pub mod client_assets;
pub mod config;
pub mod db;
pub mod entities;
pub mod form_echo;
pub mod import;
pub mod mail;
pub mod raw_sql;
pub mod security;
pub mod services;
pub mod state;
