//! A transfer (mutasi): draft → approved → completed, or cancelled.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "transfers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub from_unit_id: Option<i64>,
    pub from_position_id: Option<i64>,
    pub to_unit_id: i64,
    pub to_position_id: i64,
    pub sk_number: String,
    pub sk_date: Date,
    /// Effective date (TMT).
    pub tmt: Date,
    /// within_agency, between_agencies, central_regional
    pub transfer_type: String,
    pub notes: String,
    /// draft, approved, completed, cancelled
    pub state: String,
    pub cancel_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
