//! People and access: accounts (one per employee who may sign in), roles
//! with their scope, database-stored sessions (so several instances share
//! them), one-time set-password links, and sign-in throttling counters.
//! Secrets are never stored: sessions and links by SHA-256 of their token,
//! passwords as Argon2id PHC strings.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Courses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    EmployeeId,
    PasswordHash,
    Active,
    PasswordChangedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccountRoles {
    Table,
    Id,
    AccountId,
    Role,
    UnitId,
    CourseId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    TokenHash,
    AccountId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum PasswordLinks {
    Table,
    TokenHash,
    AccountId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    FirstFailureAt,
    BlockedUntil,
}

fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(big_integer(Accounts::Id).auto_increment().primary_key())
                .col(big_integer(Accounts::EmployeeId).unique_key())
                // None until the person sets a password through a link.
                .col(string_len_null(Accounts::PasswordHash, 200))
                .col(boolean(Accounts::Active).default(true))
                .col(timestamp_with_time_zone_null(Accounts::PasswordChangedAt))
                .col(timestamp_with_time_zone(Accounts::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_accounts_employee",
                    (Accounts::Table, Accounts::EmployeeId),
                    (Employees::Table, Employees::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(AccountRoles::Table)
                .col(big_integer(AccountRoles::Id).auto_increment().primary_key())
                .col(big_integer(AccountRoles::AccountId))
                // admin | manager (unit_id: the root of the subtree) | trainer (course_id)
                .col(string_len(AccountRoles::Role, 12))
                .col(big_integer_null(AccountRoles::UnitId))
                .col(big_integer_null(AccountRoles::CourseId))
                .col(timestamp_with_time_zone(AccountRoles::CreatedAt))
                .foreign_key(&mut fk(
                    "fk_account_roles_account",
                    (AccountRoles::Table, AccountRoles::AccountId),
                    (Accounts::Table, Accounts::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_account_roles_unit",
                    (AccountRoles::Table, AccountRoles::UnitId),
                    (Units::Table, Units::Id),
                ))
                .foreign_key(&mut fk(
                    "fk_account_roles_course",
                    (AccountRoles::Table, AccountRoles::CourseId),
                    (Courses::Table, Courses::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_account_roles_account")
                .table(AccountRoles::Table)
                .col(AccountRoles::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(string_len(Sessions::TokenHash, 64).primary_key())
                .col(big_integer(Sessions::AccountId))
                .col(timestamp_with_time_zone(Sessions::CreatedAt))
                .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                .foreign_key(&mut fk(
                    "fk_sessions_account",
                    (Sessions::Table, Sessions::AccountId),
                    (Accounts::Table, Accounts::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sessions_account")
                .table(Sessions::Table)
                .col(Sessions::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(PasswordLinks::Table)
                .col(string_len(PasswordLinks::TokenHash, 64).primary_key())
                .col(big_integer(PasswordLinks::AccountId))
                .col(string_len(PasswordLinks::CreatedBy, 100))
                .col(timestamp_with_time_zone(PasswordLinks::CreatedAt))
                .col(timestamp_with_time_zone(PasswordLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(PasswordLinks::UsedAt))
                .foreign_key(&mut fk(
                    "fk_password_links_account",
                    (PasswordLinks::Table, PasswordLinks::AccountId),
                    (Accounts::Table, Accounts::Id),
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(LoginThrottle::Table)
                .col(string_len(LoginThrottle::Key, 300).primary_key())
                .col(integer(LoginThrottle::Failures))
                .col(timestamp_with_time_zone(LoginThrottle::FirstFailureAt))
                .col(timestamp_with_time_zone_null(LoginThrottle::BlockedUntil))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            LoginThrottle::Table.into_iden(),
            PasswordLinks::Table.into_iden(),
            Sessions::Table.into_iden(),
            AccountRoles::Table.into_iden(),
            Accounts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
