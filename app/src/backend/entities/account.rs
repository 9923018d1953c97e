//! A person's way in: one account per employee who may sign in.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub employee_id: i64,
    /// Argon2id PHC string; None until a password is set through a link.
    pub password_hash: Option<String>,
    /// The switch every check reads (sign-in, sessions, API tokens,
    /// calendar feeds, reminders); false once an administrator deactivates it.
    pub active: bool,
    pub password_changed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When an administrator deactivated it (None while active; migration 000010).
    pub deactivated_at: Option<DateTimeUtc>,
    /// Why: `retired`, `left`, `moved_out` or `other: <text>` (None while active).
    pub deactivated_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// May this account be used at all (sign in, sessions, API tokens,
    /// calendar feeds, reminders)? `active` is the switch; a deactivation
    /// time without it would be a half-written row, and counts as inactive too.
    pub fn is_usable(&self) -> bool {
        self.active && self.deactivated_at.is_none()
    }
}
