//! An employee's own report that they completed a course, waiting for a
//! trainer to verify (it then becomes a completion record) or reject it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "self_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub assignment_id: i64,
    pub employee_id: i64,
    pub completed_on: Date,
    pub certificate_no: String,
    pub note: String,
    /// pending | verified | rejected
    pub status: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub review_reason: Option<String>,
    pub completion_id: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
