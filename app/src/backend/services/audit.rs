//! The audit trail: one place writes it, always inside the caller's
//! transaction, so a change and its record commit (or roll back) together.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::Serialize;

use crate::backend::entities::audit_entry;

/// Who did something: an account later (issue 4); for now a name such as
/// `"admin"`, `"sistem"` or `"seed"`.
pub type Actor<'a> = &'a str;

pub async fn record<C: ConnectionTrait, B: Serialize, A: Serialize>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    let json = |v: Option<String>| v;
    audit_entry::ActiveModel {
        at: Set(chrono::Utc::now()),
        actor: Set(actor.to_string()),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        before: Set(json(before.and_then(|b| serde_json::to_string(b).ok()))),
        after: Set(json(after.and_then(|a| serde_json::to_string(a).ok()))),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
