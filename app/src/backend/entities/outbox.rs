//! One message to send (issue 6): a reminder or digest with its delivery state.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `kind/subject/occurrence/e<recipient>` (`domain::reminders::reminder_key`):
    /// unique, so a message exists at most once however often it is decided.
    #[sea_orm(unique)]
    pub key: String,
    /// `domain::reminders::ReminderKind::as_str`.
    pub kind: String,
    pub recipient_employee_id: i64,
    /// assignment, plan, checkin, completion, digest
    pub subject_kind: String,
    pub subject_id: Option<i64>,
    pub occurrence: String,
    pub to_address: String,
    /// "id" or "en": the recipient's language when the message was queued.
    pub language: String,
    pub created_at: DateTimeUtc,
    /// pending, sent, failed, cancelled
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// A delivery worker's lease: nobody else takes the message before then.
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The stored states.
pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";
pub const CANCELLED: &str = "cancelled";
