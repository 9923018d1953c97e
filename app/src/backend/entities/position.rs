//! A position (jabatan): kind, job family and required competencies.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "positions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    /// jpt, administrator, pengawas, fungsional, pelaksana
    pub kind: String,
    /// e.g. "IT", "Keuangan", "Administrasi Umum"
    pub job_family: String,
    /// JSON array of competency names.
    pub competencies: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
