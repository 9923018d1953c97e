//! Data in and out (issue 7): personal access tokens for the JSON API (only
//! the SHA-256 of a token is stored) and uploaded import files, kept between
//! the preview and the confirmation so both see exactly the same bytes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    /// The account the token acts as (its owner).
    AccountId,
    Name,
    TokenHash,
    /// The first characters of the token, to recognise it in the list.
    Prefix,
    /// Space-separated scopes, e.g. "employees:read transfers:write".
    Scopes,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    RevokedBy,
}

#[derive(DeriveIden)]
enum ImportUploads {
    Table,
    Id,
    /// employees | transfers | history
    Kind,
    FileName,
    /// The file as uploaded (bytes, so a broken encoding is reported, not lost).
    Content,
    Sha256,
    AccountId,
    CreatedAt,
    /// previewed | applied | discarded
    Status,
    AppliedAt,
    /// JSON summary of what was written.
    Result,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ApiTokens::Table)
                .col(big_integer(ApiTokens::Id).auto_increment().primary_key())
                .col(big_integer(ApiTokens::AccountId))
                .col(string_len(ApiTokens::Name, 100))
                .col(string_len(ApiTokens::TokenHash, 64).unique_key())
                .col(string_len(ApiTokens::Prefix, 16))
                .col(text(ApiTokens::Scopes))
                .col(string_len(ApiTokens::CreatedBy, 200))
                .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                .col(string_len_null(ApiTokens::RevokedBy, 200))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_api_tokens_account")
                        .from(ApiTokens::Table, ApiTokens::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_api_tokens_account")
                .table(ApiTokens::Table)
                .col(ApiTokens::AccountId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ImportUploads::Table)
                .col(
                    big_integer(ImportUploads::Id)
                        .auto_increment()
                        .primary_key(),
                )
                .col(string_len(ImportUploads::Kind, 20))
                .col(string_len(ImportUploads::FileName, 255))
                .col(blob(ImportUploads::Content))
                .col(string_len(ImportUploads::Sha256, 64))
                .col(big_integer(ImportUploads::AccountId))
                .col(timestamp_with_time_zone(ImportUploads::CreatedAt))
                .col(string_len(ImportUploads::Status, 12))
                .col(timestamp_with_time_zone_null(ImportUploads::AppliedAt))
                .col(text_null(ImportUploads::Result))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_import_uploads_account")
                        .from(ImportUploads::Table, ImportUploads::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_import_uploads_created")
                .table(ImportUploads::Table)
                .col(ImportUploads::CreatedAt)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ImportUploads::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(ApiTokens::Table).to_owned())
            .await?;
        Ok(())
    }
}
