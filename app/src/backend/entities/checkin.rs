//! An adaptation check-in at 30/60/90 days after the TMT.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "checkins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub transfer_id: i64,
    pub day_offset: i32,
    pub due_date: Date,
    /// sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang
    pub rating: Option<String>,
    pub notes: String,
    pub written_by: Option<String>,
    pub written_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
