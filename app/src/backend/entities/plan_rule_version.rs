//! One version of a plan rule (criteria and items as JSON); never changed once written.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "plan_rule_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub rule_id: i64,
    pub version: i32,
    pub name: String,
    pub active: bool,
    /// JSON of `domain::plan::Criteria`.
    pub criteria: String,
    /// JSON of `Vec<domain::plan::RuleItem>`.
    pub items: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
