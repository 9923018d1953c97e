//! An uploaded import file, kept between its preview and its confirmation.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "import_uploads")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// employees | transfers | history
    pub kind: String,
    pub file_name: String,
    pub content: Vec<u8>,
    pub sha256: String,
    pub account_id: i64,
    pub created_at: DateTimeUtc,
    /// previewed | applied | discarded
    pub status: String,
    pub applied_at: Option<DateTimeUtc>,
    /// JSON summary of what was written.
    pub result: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
