//! The backend core, compiled only with the `ssr` feature. Server functions
//! (`crate::api`) and server-rendered pages reach it through
//! [`state::AppState`], which the server provides as context.
//!
//! Grouped by what it is about; each folder's `mod.rs` says what it holds:
//! - `transfers/`: transfers (mutasi), completing them (one path for one or
//!   thousands) and the plans they produce;
//! - `training/`: catalogue, assignments and completions, the employee's and
//!   the trainer's views, calendar feeds;
//! - `people/`: units, positions and employees, the overview, a person's page;
//! - `adaptation/`: newcomers, the manager's dashboard, check-ins;
//! - `reminders/`: deciding reminders, the outbox, delivery, the digest, mail;
//! - `access/`: accounts, sessions, passwords, throttling, API tokens, policy;
//! - `data/`: CSV import and exports.
//!
//! Beside them, the platform every group uses: configuration, the database
//! (`db`, `raw_sql`, `entities`, `bulk`), the audit trail, security headers,
//! client asset versions and the refused-form echo.
//!
//! May use: `crate::domain`, `crate::model`, `crate::error`, `crate::lang`.
//! Never `crate::api`, `crate::pages` or `crate::components`.

pub mod access;
pub mod adaptation;
pub mod audit;
pub mod bulk;
pub mod client_assets;
pub mod config;
pub mod data;
pub mod db;
pub mod entities;
pub mod form_echo;
pub mod people;
pub mod raw_sql;
pub mod reminders;
pub mod security;
pub mod state;
pub mod text;
pub mod training;
pub mod transfers;
