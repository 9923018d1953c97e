//! A personal access token for the JSON API (stored as the SHA-256 of its secret).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The account the token acts as.
    pub account_id: i64,
    pub name: String,
    #[sea_orm(unique)]
    pub token_hash: String,
    /// The token's first characters, shown in lists to recognise it.
    pub prefix: String,
    /// Space-separated scopes.
    pub scopes: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoked_by: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
