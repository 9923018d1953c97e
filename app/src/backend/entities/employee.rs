//! An employee (pegawai): PNS or PPPK, identified by NIP.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "employees")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub nip: String,
    /// `pns` or `pppk`.
    pub asn_kind: String,
    /// Full name with academic titles, as written on the decree.
    pub name: String,
    pub email: Option<String>,
    pub unit_id: i64,
    pub created_at: DateTimeUtc,
    /// Golongan such as "III/a" (PNS); empty for PPPK without a grade.
    pub golongan: Option<String>,
    /// Preferred language: "id" or "en".
    pub language: String,
    pub position_id: Option<i64>,
    /// The direct supervisor (atasan langsung).
    pub supervisor_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::unit::Entity",
        from = "Column::UnitId",
        to = "super::unit::Column::Id",
        on_delete = "Restrict"
    )]
    Unit,
}

impl Related<super::unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Unit.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
