//! The audit trail: one place writes it, always inside the caller's
//! transaction, so a change and its record commit (or roll back) together.

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use crate::backend::entities::{
    assignment, audit_entry, course, employee, plan, plan_rule, position, transfer,
};

/// The authentication events of the trail: sign-ins and sign-outs, failed
/// password checks and counters that started blocking. Noise after a while
/// ([`prune_auth_noise`] deletes them after `auth_audit_retention_days`);
/// every other action records a change of data and is never pruned.
pub const AUTH_ACTIONS: [&str; 6] = [
    "auth.sign_in",
    "auth.sign_out",
    "auth.sign_in_failed",
    "auth.sign_in_throttled",
    "auth.password_change_failed",
    "auth.password_change_throttled",
];

/// Lines deleted per statement by [`prune_auth_noise`].
const PRUNE_BATCH: u64 = 5_000;

/// Deletes the authentication lines ([`AUTH_ACTIONS`]) written more than
/// `retention_days` days before `now`, a batch at a time (no long lock, no
/// huge transaction); lines of data changes stay, however old. Returns how
/// many went. For the daily job.
pub async fn prune_auth_noise<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<chrono::Utc>,
    retention_days: u32,
) -> Result<u64, DbErr> {
    let cutoff = now - chrono::Duration::days(i64::from(retention_days));
    let mut deleted = 0;
    loop {
        let ids: Vec<i64> = audit_entry::Entity::find()
            .select_only()
            .column(audit_entry::Column::Id)
            .filter(audit_entry::Column::At.lt(cutoff))
            .filter(audit_entry::Column::Action.is_in(AUTH_ACTIONS))
            .order_by_asc(audit_entry::Column::Id)
            .limit(PRUNE_BATCH)
            .into_tuple()
            .all(db)
            .await?;
        if ids.is_empty() {
            break;
        }
        let full = ids.len() as u64 == PRUNE_BATCH;
        deleted += audit_entry::Entity::delete_many()
            .filter(audit_entry::Column::Id.is_in(ids))
            .exec(db)
            .await?
            .rows_affected;
        if !full {
            break;
        }
    }
    Ok(deleted)
}

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

/// A row the trail names: its entity, its id, and what a line shows of it.
pub trait Audited {
    /// The `entity` of its audit lines.
    const ENTITY: &'static str;
    fn id(&self) -> i64;
    /// What its audit lines show of it.
    fn shown(&self) -> impl Serialize + '_;
}

/// Rows shown whole in the trail.
macro_rules! audited_whole {
    ($($entity:ident),*) => {$(
        impl Audited for $entity::Model {
            const ENTITY: &'static str = stringify!($entity);
            fn id(&self) -> i64 {
                self.id
            }
            fn shown(&self) -> impl Serialize + '_ {
                self
            }
        }
    )*};
}

audited_whole!(assignment, course, employee, plan, plan_rule, position, transfer);

/// The row an active model `A` writes.
pub type ModelOf<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// An active model whose row the trail names ([`Audited`]): what
/// [`insert`] and [`update`] write.
pub trait AuditedRow:
    ActiveModelTrait<Entity: EntityTrait<Model: IntoActiveModel<Self> + Audited>>
    + ActiveModelBehavior
    + Send
{
}

impl<A> AuditedRow for A where
    A: ActiveModelTrait<Entity: EntityTrait<Model: IntoActiveModel<A> + Audited>>
        + ActiveModelBehavior
        + Send
{
}

/// Inserts `row` and records the new row as `action`.
pub async fn insert<C: ConnectionTrait, A: AuditedRow>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    row: A,
) -> Result<ModelOf<A>, DbErr> {
    let saved = row.insert(db).await?;
    let entity = <ModelOf<A> as Audited>::ENTITY;
    created(db, actor, action, entity, saved.id(), &saved.shown()).await?;
    Ok(saved)
}

/// Saves `row`, an edit of `before`, and records both as `action`.
pub async fn update<C: ConnectionTrait, A: AuditedRow>(
    db: &C,
    actor: Actor<'_>,
    action: &str,
    before: &ModelOf<A>,
    row: A,
) -> Result<ModelOf<A>, DbErr> {
    let after = row.update(db).await?;
    let entity = <ModelOf<A> as Audited>::ENTITY;
    changed(
        db,
        actor,
        action,
        entity,
        after.id(),
        &before.shown(),
        &after.shown(),
    )
    .await?;
    Ok(after)
}
