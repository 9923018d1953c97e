//! A completion record: the training history.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "completions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub completed_on: Date,
    pub jp: f64,
    pub score: Option<f64>,
    pub certificate_no: String,
    pub organiser: String,
    pub evidence_note: String,
    pub logged_by: String,
    pub verified_by: Option<String>,
    /// trainer_log, self_report, import, recognised
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
