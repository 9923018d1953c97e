//! One course in a plan. Overdue is derived, never stored.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "assignments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub due_date: Date,
    pub required: bool,
    pub sort_order: i32,
    /// assigned, in_progress, completed, waived, cancelled
    pub state: String,
    /// JSON of `Vec<domain::plan::Reason>`.
    pub reasons: String,
    pub recognised_record_id: Option<i64>,
    pub completion_id: Option<i64>,
    pub waived_reason: Option<String>,
    pub waived_by: Option<String>,
    pub cancel_reason: Option<String>,
    /// For a recertification: the completion record it renews.
    pub renewal_of_record_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The stored states of open work (still to be done), for queries.
pub const OPEN_STATES: [&str; 2] = ["assigned", "in_progress"];

impl Model {
    /// Assigned or in progress: work that may still change.
    pub fn is_open(&self) -> bool {
        OPEN_STATES.contains(&self.state.as_str())
    }
}
