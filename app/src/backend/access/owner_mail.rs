//! Email to an account's owner, queued in the outbox in the caller's
//! transaction: a set-password link ([`super::accounts`]) and the warning
//! of failed sign-ins ([`super::throttle`]). Such a message's occurrence is
//! an instant (`20261210T083000Z`): when the link stops working, when the
//! episode of failures began.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

use crate::{
    backend::entities::{employee, outbox},
    domain::reminders::ReminderKind,
    error::AppError,
};

/// How an occurrence writes its instant.
const INSTANT: &str = "%Y%m%dT%H%M%SZ";

/// The person's email address, if they have one.
pub fn address_of(emp: &employee::Model) -> Option<&str> {
    emp.email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
}

/// The instant an occurrence names.
pub fn instant_of(occurrence: &str) -> Option<DateTime<Utc>> {
    chrono::NaiveDateTime::parse_from_str(occurrence, INSTANT)
        .ok()
        .map(|t| t.and_utc())
}

/// Queues message `kind` about account `account_id` for its owner `emp` at
/// `to`, its occurrence the instant `at`. The key is made of those: queuing
/// the same message again does nothing.
pub(crate) async fn queue<C: ConnectionTrait>(
    db: &C,
    kind: ReminderKind,
    account_id: i64,
    emp: &employee::Model,
    to: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let occurrence = at.format(INSTANT).to_string();
    outbox::Entity::insert(outbox::ActiveModel {
        key: Set(format!("{kind}/acc{account_id}/{occurrence}/e{}", emp.id)),
        kind: Set(kind.as_str().into()),
        recipient_employee_id: Set(emp.id),
        subject_kind: Set("account".into()),
        subject_id: Set(Some(account_id)),
        occurrence: Set(occurrence),
        to_address: Set(to.to_string()),
        language: Set(emp.language.clone()),
        created_at: Set(now),
        state: Set(outbox::PENDING.into()),
        next_attempt_at: Set(now),
        attempts: Set(0),
        ..Default::default()
    })
    .on_conflict_do_nothing_on([outbox::Column::Key])
    .exec(db)
    .await?;
    Ok(())
}
