//! A course in the catalogue.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "courses")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub code: String,
    pub title_id: String,
    pub title_en: String,
    pub description_id: String,
    pub description_en: String,
    /// teknis, manajerial, sosial_kultural
    pub competency: String,
    /// Hours in JP (jam pelajaran).
    pub jp: f64,
    /// klasikal, nonklasikal
    pub method: String,
    pub provider: String,
    /// Empty: a completion never expires.
    pub validity_months: Option<i32>,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The title in the reader's language: the English one in English when
    /// there is one, else the Indonesian one. The one place this is decided.
    pub fn title_in(&self, l: crate::i18n::Locale) -> &str {
        match l {
            crate::i18n::Locale::en if !self.title_en.trim().is_empty() => &self.title_en,
            _ => &self.title_id,
        }
    }
}
