//! The outbox keeps only the indexes something reads (issue 6): its unique
//! key (no duplicates) and (state, next_attempt_at) (the delivery worker's
//! claim). The index on the recipient was read by nothing and cost every
//! insert of a tick that queues hundreds of thousands of messages.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    RecipientEmployeeId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_outbox_recipient")
                .table(Outbox::Table)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("idx_outbox_recipient")
                .table(Outbox::Table)
                .col(Outbox::RecipientEmployeeId)
                .to_owned(),
        )
        .await
    }
}
