//! The employee's side of training: self-reported completions waiting for a
//! trainer's verification, and secret calendar-feed links.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Completions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SelfReports {
    Table,
    Id,
    AssignmentId,
    EmployeeId,
    CompletedOn,
    CertificateNo,
    Note,
    /// pending | verified | rejected
    Status,
    ReviewedBy,
    ReviewedAt,
    ReviewReason,
    CompletionId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CalendarLinks {
    Table,
    AccountId,
    TokenHash,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SelfReports::Table)
                .col(big_integer(SelfReports::Id).auto_increment().primary_key())
                .col(big_integer(SelfReports::AssignmentId))
                .col(big_integer(SelfReports::EmployeeId))
                .col(date(SelfReports::CompletedOn))
                .col(string_len(SelfReports::CertificateNo, 100))
                .col(text(SelfReports::Note))
                .col(string_len(SelfReports::Status, 12))
                .col(string_len_null(SelfReports::ReviewedBy, 200))
                .col(timestamp_with_time_zone_null(SelfReports::ReviewedAt))
                .col(text_null(SelfReports::ReviewReason))
                .col(big_integer_null(SelfReports::CompletionId))
                .col(timestamp_with_time_zone(SelfReports::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_self_reports_assignment")
                        .from(SelfReports::Table, SelfReports::AssignmentId)
                        .to(Assignments::Table, Assignments::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_self_reports_employee")
                        .from(SelfReports::Table, SelfReports::EmployeeId)
                        .to(Employees::Table, Employees::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_self_reports_completion")
                        .from(SelfReports::Table, SelfReports::CompletionId)
                        .to(Completions::Table, Completions::Id),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("idx_self_reports_assignment", SelfReports::AssignmentId),
            ("idx_self_reports_status", SelfReports::Status),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(SelfReports::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table(CalendarLinks::Table)
                .col(big_integer(CalendarLinks::AccountId).primary_key())
                .col(string_len(CalendarLinks::TokenHash, 64).unique_key())
                .col(timestamp_with_time_zone(CalendarLinks::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_calendar_links_account")
                        .from(CalendarLinks::Table, CalendarLinks::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CalendarLinks::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SelfReports::Table).to_owned())
            .await?;
        Ok(())
    }
}
