//! The managers' weekly digest (issue 6): one email per manager and ISO
//! week listing the newcomers in the units they manage, with progress,
//! overdue work and check-ins due.
//!
//! The digest job only queues one outbox row per manager
//! (`weekly_digest/2026-W48/e7`, see [`digest_key`]); the rows of the digest
//! are read when it is sent, so it shows the state of that moment. A
//! manager with no newcomers gets no email that week: an empty digest
//! teaches people to ignore the next one.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::{
    backend::{
        access::Principal,
        entities::{account, account_role},
        reminders::mail::DigestRow,
    },
    domain::reminders::{digest_key, digest_week, ReminderKind},
    error::AppError,
    i18n::Locale,
};
use {
    crate::backend::adaptation::digest_rows,
    crate::backend::reminders::{
        enqueue_queued, try_lease, Enqueued, Queued, DIGEST_JOB, LEASE_TTL_SECS,
    },
};

/// Employees with an active account and a manager role, with the roots of
/// the unit subtrees they manage.
pub async fn managers(db: &DatabaseConnection) -> Result<BTreeMap<i64, Vec<i64>>, AppError> {
    let roles = account_role::Entity::find()
        .filter(account_role::Column::Role.eq("manager"))
        .all(db)
        .await?;
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(roles.iter().map(|r| r.account_id)))
        .filter(account::Column::Active.eq(true))
        .filter(account::Column::DeactivatedAt.is_null())
        .all(db)
        .await?;
    let mut out: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for a in &accounts {
        let units = out.entry(a.employee_id).or_default();
        units.extend(
            roles
                .iter()
                .filter(|r| r.account_id == a.id)
                .filter_map(|r| r.unit_id),
        );
        units.sort_unstable();
        units.dedup();
    }
    out.retain(|_, units| !units.is_empty());
    Ok(out)
}

/// A manager as the dashboard's scope rules see them (never as an
/// administrator: the digest covers the units they manage).
fn manager_principal(employee_id: i64, units: Vec<i64>) -> Principal {
    Principal {
        account_id: 0,
        employee_id,
        name: String::new(),
        nip: String::new(),
        language: String::new(),
        admin: false,
        managed_units: units,
        taught_courses: vec![],
        session_hash: String::new(),
    }
}

/// The rows of `manager_employee_id`'s digest on `today` (empty if they no
/// longer manage anyone).
pub async fn rows_for(
    db: &DatabaseConnection,
    manager_employee_id: i64,
    today: NaiveDate,
    newcomer_days: u32,
    l: Locale,
) -> Result<Vec<DigestRow>, AppError> {
    let Some(units) = managers(db).await?.remove(&manager_employee_id) else {
        return Ok(vec![]);
    };
    digest_rows(
        db,
        &manager_principal(manager_employee_id, units),
        today,
        newcomer_days,
        l,
    )
    .await
}

/// Queues this week's digest for every manager who has newcomers. Keys are
/// per manager and ISO week, so running it again in the same week (a
/// second instance, a restart, a catch-up on Tuesday) adds nothing.
pub async fn enqueue_digests(
    db: &DatabaseConnection,
    today: NaiveDate,
    newcomer_days: u32,
    now: DateTime<Utc>,
) -> Result<Enqueued, AppError> {
    let week = digest_week(today);
    let mut items = Vec::new();
    for (manager, units) in managers(db).await? {
        let rows = digest_rows(
            db,
            &manager_principal(manager, units),
            today,
            newcomer_days,
            Locale::id,
        )
        .await?;
        if rows.is_empty() {
            continue;
        }
        items.push(Queued {
            key: digest_key(manager, week),
            kind: ReminderKind::WeeklyDigest,
            recipient_employee_id: manager,
            subject_kind: ReminderKind::WeeklyDigest.spec().subject,
            subject_id: None,
            occurrence: format!("{}-W{:02}", week.year(), week.week()),
        });
    }
    enqueue_queued(db, items, now).await
}

/// One digest tick at local time `now`: takes the digest job's lease as
/// `holder` and queues the week's digests. `None`: another instance has
/// the lease.
pub async fn tick<Z>(
    db: &DatabaseConnection,
    holder: &str,
    now: DateTime<Z>,
    newcomer_days: u32,
) -> Result<Option<Enqueued>, AppError>
where
    Z: TimeZone,
{
    let utc = now.with_timezone(&Utc);
    if !try_lease(
        db,
        DIGEST_JOB,
        holder,
        utc,
        chrono::Duration::seconds(LEASE_TTL_SECS),
    )
    .await?
    {
        return Ok(None);
    }
    Ok(Some(
        enqueue_digests(db, now.date_naive(), newcomer_days, utc).await?,
    ))
}
