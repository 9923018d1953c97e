//! Every end-to-end test in one binary: each test binary links all of
//! Jejak (hundreds of megabytes), so one binary instead of ten keeps a cold
//! build inside CI's disk and time. Tests still run in parallel (one thread
//! per core); the browser tests share at most two Chromiums per process.

mod access;
mod admin_catalogue;
mod admin_organisation;
mod admin_reminders;
mod admin_transfers;
mod api;
mod assets;
mod auth;
mod bad_input;
mod browser;
mod browser_admin;
mod browser_catalogue;
mod browser_import;
mod browser_language;
mod browser_organisation;
mod browser_reminders;
mod checkins;
mod deactivation;
mod delivery;
mod disk;
mod domain;
mod exports;
mod http;
mod import;
mod instances;
mod journeys;
mod language;
mod layers;
mod load;
mod mail;
mod outage;
mod privacy;
mod query_plans;
mod reminders;
mod slow_clients;
mod synthetic;
mod throttle;
mod upgrade;
