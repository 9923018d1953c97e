//! Units are found by name, and transfers by target unit (issue 8).
//!
//! - The transfer pages' unit picker resolves what an administrator typed
//!   ("Kecamatan Medan Belawan / Seksi Umum") with `lower(name) IN (…)`,
//!   which `idx_units_name_lower` answers without reading the whole tree
//!   (a province has over 10,000 units).
//! - The transfer list filtered to a unit's subtree looks transfers up by
//!   `to_unit_id` (`idx_transfers_to_unit`; with the id, newest first).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

// The same statements on SQLite and PostgreSQL (an expression index has no
// builder in sea-query).
const UP: [&str; 2] = [
    "CREATE INDEX idx_units_name_lower ON units (lower(name))",
    "CREATE INDEX idx_transfers_to_unit ON transfers (to_unit_id, id)",
];
const DOWN: [&str; 2] = [
    "DROP INDEX idx_transfers_to_unit",
    "DROP INDEX idx_units_name_lower",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in UP {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in DOWN {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
