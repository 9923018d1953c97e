//! People who leave lose access (issue 17): an administrator deactivates an
//! account with a reason, and reactivates it. `accounts.active` (since
//! 000003) stays the switch every check reads; these two columns say when
//! and why it was turned off, for the accounts page and the audit-minded.
//!
//! - `deactivated_at`: when it was deactivated (NULL while active).
//! - `deactivated_reason`: `retired`, `left`, `moved_out`, or `other: <text>`
//!   (NULL while active).
//!
//! Plain nullable columns, added one at a time (SQLite's `ALTER TABLE` adds
//! one column per statement), so an existing database migrates on both
//! backends without touching its rows.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    DeactivatedAt,
    DeactivatedReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(Accounts::DeactivatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(Accounts::DeactivatedReason)
                .string_len(300)
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [Accounts::DeactivatedReason, Accounts::DeactivatedAt] {
            m.alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
