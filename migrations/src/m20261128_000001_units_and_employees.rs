//! The first tables of the domain: the unit tree and the people in it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    ParentId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Employees {
    Table,
    Id,
    Nip,
    AsnKind,
    Name,
    Email,
    UnitId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(big_integer(Units::Id).auto_increment().primary_key())
                    .col(big_integer_null(Units::ParentId))
                    .col(string_len(Units::Name, 150))
                    .col(timestamp_with_time_zone(Units::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_parent")
                            .from(Units::Table, Units::ParentId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_units_parent")
                    .table(Units::Table)
                    .col(Units::ParentId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Employees::Table)
                    .col(big_integer(Employees::Id).auto_increment().primary_key())
                    .col(string_len(Employees::Nip, 18).unique_key())
                    .col(string_len(Employees::AsnKind, 8))
                    .col(string_len(Employees::Name, 200))
                    .col(string_len_null(Employees::Email, 254))
                    .col(big_integer(Employees::UnitId))
                    .col(timestamp_with_time_zone(Employees::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_employees_unit")
                            .from(Employees::Table, Employees::UnitId)
                            .to(Units::Table, Units::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_employees_unit")
                    .table(Employees::Table)
                    .col(Employees::UnitId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Employees::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Units::Table).to_owned())
            .await
    }
}
