//! Reminders (issue 6): the outbox of messages to send, the scheduler's
//! lease (one instance runs a tick) and the administrator's schedules.
//! Plain columns only, so SQLite and PostgreSQL behave the same: states are
//! short lowercase words checked by the application, times are UTC.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    /// `kind/subject/occurrence/e<recipient>`: one row per message, ever.
    Key,
    Kind,
    RecipientEmployeeId,
    /// assignment | plan | checkin | completion | digest
    SubjectKind,
    SubjectId,
    Occurrence,
    ToAddress,
    Language,
    CreatedAt,
    /// pending | sent | failed | cancelled
    State,
    Attempts,
    NextAttemptAt,
    /// A delivery worker's claim: others leave the row alone until then.
    ClaimedUntil,
    LastError,
    SentAt,
}

#[derive(DeriveIden)]
enum SchedulerLease {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum Schedules {
    Table,
    Name,
    Expression,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Outbox::Table)
                .col(big_integer(Outbox::Id).auto_increment().primary_key())
                .col(string_len(Outbox::Key, 200).unique_key())
                .col(string_len(Outbox::Kind, 20))
                .col(big_integer(Outbox::RecipientEmployeeId))
                .col(string_len(Outbox::SubjectKind, 20))
                .col(big_integer_null(Outbox::SubjectId))
                .col(string_len(Outbox::Occurrence, 40))
                .col(string_len(Outbox::ToAddress, 320))
                .col(string_len(Outbox::Language, 2))
                .col(timestamp_with_time_zone(Outbox::CreatedAt))
                .col(string_len(Outbox::State, 12))
                .col(integer(Outbox::Attempts).default(0))
                .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                .col(text_null(Outbox::LastError))
                .col(timestamp_with_time_zone_null(Outbox::SentAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_outbox_recipient")
                        .from(Outbox::Table, Outbox::RecipientEmployeeId)
                        .to(Employees::Table, Employees::Id)
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_state_next")
                .table(Outbox::Table)
                .col(Outbox::State)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_outbox_recipient")
                .table(Outbox::Table)
                .col(Outbox::RecipientEmployeeId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(SchedulerLease::Table)
                .col(string_len(SchedulerLease::Name, 40).primary_key())
                .col(string_len(SchedulerLease::Holder, 200))
                .col(timestamp_with_time_zone(SchedulerLease::ExpiresAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Schedules::Table)
                .col(string_len(Schedules::Name, 40).primary_key())
                .col(string_len(Schedules::Expression, 200))
                .col(timestamp_with_time_zone(Schedules::UpdatedAt))
                .col(string_len(Schedules::UpdatedBy, 100))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Schedules::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SchedulerLease::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        Ok(())
    }
}
