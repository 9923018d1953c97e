//! Failed sign-in counters, per login, per login and address, per address
//! (`backend::access::throttle` says how they count).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttle")]
pub struct Model {
    /// `la:<login>|<address>`, `l:<login>` or `a:<address>` (an IPv6
    /// address as its /64).
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    /// Failures counted in this episode (password checks that failed, and
    /// the attempt under way: see `throttle::reserve`).
    pub failures: i32,
    /// When the episode began: its first failure.
    pub first_failure_at: DateTimeUtc,
    /// Until when every attempt on this counter is refused.
    pub blocked_until: Option<DateTimeUtc>,
    /// The latest failure counted (migration 000011; None on older rows:
    /// read as `first_failure_at`).
    pub last_failure_at: Option<DateTimeUtc>,
    /// Attempts refused while blocked in this episode: counted here, not
    /// written to the audit trail one line each.
    pub refused: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
