//! The audit trail: one place writes it, always inside the caller's
//! transaction, so a change and its record commit (or roll back) together.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use serde::Serialize;

use crate::backend::entities::audit_entry;

/// Who did something: an account later (issue 4); for now a name such as
/// `"admin"`, `"sistem"` or `"seed"`.
pub type Actor<'a> = &'a str;

/// One audit line, not yet written (bulk paths insert many at once).
pub fn row<B: Serialize, A: Serialize>(
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: Option<&B>,
    after: Option<&A>,
    at: chrono::DateTime<chrono::Utc>,
) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        at: Set(at),
        actor: Set(actor.to_string()),
        action: Set(action.to_string()),
        entity: Set(entity.to_string()),
        entity_id: Set(entity_id),
        before: Set(before.and_then(|b| serde_json::to_string(b).ok())),
        after: Set(after.and_then(|a| serde_json::to_string(a).ok())),
        ..Default::default()
    }
}

pub async fn record<C: ConnectionTrait, B: Serialize, A: Serialize>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), DbErr> {
    row(
        actor,
        action,
        entity,
        entity_id,
        before,
        after,
        chrono::Utc::now(),
    )
    .insert(db)
    .await?;
    Ok(())
}

/// Something new: no "before".
pub async fn created<C: ConnectionTrait, A: Serialize>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: i64,
    after: &A,
) -> Result<(), DbErr> {
    record(
        db,
        actor,
        action,
        entity,
        entity_id,
        None::<&()>,
        Some(after),
    )
    .await
}

/// Something changed: before and after.
pub async fn changed<C: ConnectionTrait, B: Serialize, A: Serialize>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    entity: &str,
    entity_id: i64,
    before: &B,
    after: &A,
) -> Result<(), DbErr> {
    record(
        db,
        actor,
        action,
        entity,
        entity_id,
        Some(before),
        Some(after),
    )
    .await
}
