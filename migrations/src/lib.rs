//! Jejak's schema. One file per migration, never edited once released; the
//! same migrations run on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_units_and_employees;
mod m20261128_000002_core_domain;
mod m20261129_000003_accounts_and_sessions;
mod m20261129_000004_self_reports_and_calendars;
mod m20261129_000005_reminder_outbox;
mod m20261129_000006_outbox_lean_indexes;
mod m20261129_000007_api_tokens_and_imports;
mod m20261201_000008_unit_lookups;
mod m20261201_000009_trigram_search;
mod m20261207_000010_account_deactivation;
mod m20261207_000011_throttle_episodes;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_units_and_employees::Migration),
            Box::new(m20261128_000002_core_domain::Migration),
            Box::new(m20261129_000003_accounts_and_sessions::Migration),
            Box::new(m20261129_000004_self_reports_and_calendars::Migration),
            Box::new(m20261129_000005_reminder_outbox::Migration),
            Box::new(m20261129_000006_outbox_lean_indexes::Migration),
            Box::new(m20261129_000007_api_tokens_and_imports::Migration),
            Box::new(m20261201_000008_unit_lookups::Migration),
            Box::new(m20261201_000009_trigram_search::Migration),
            Box::new(m20261207_000010_account_deactivation::Migration),
            Box::new(m20261207_000011_throttle_episodes::Migration),
        ]
    }
}
