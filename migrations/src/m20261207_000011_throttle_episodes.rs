//! Passwords cannot be guessed at scale (issue 17): sign-in counters keep
//! their growth while failures continue, and count what is not written to
//! the audit trail.
//!
//! - `login_throttle.last_failure_at`: the latest failure counted. A
//!   counter starts again only after a quiet period measured from here (or
//!   from the end of its block), no longer a fixed window from its first
//!   failure, which reset the growth every 15 minutes. NULL on rows written
//!   before this migration: read as `first_failure_at`.
//! - `login_throttle.refused`: attempts refused while the counter blocked,
//!   counted here instead of one audit line each.
//!
//! Added one column per statement (SQLite's `ALTER TABLE` adds one at a
//! time); existing rows keep their counts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    LastFailureAt,
    Refused,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            ColumnDef::new(LoginThrottle::LastFailureAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(LoginThrottle::Refused)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(LoginThrottle::Table)
                    .add_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [LoginThrottle::Refused, LoginThrottle::LastFailureAt] {
            m.alter_table(
                Table::alter()
                    .table(LoginThrottle::Table)
                    .drop_column(c)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
