//! A schedule set by an administrator (cron expression); without a row the
//! configuration's default applies.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "schedules")]
pub struct Model {
    /// "reminders" or "digest".
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub expression: String,
    pub updated_at: DateTimeUtc,
    pub updated_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
