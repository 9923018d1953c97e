//! `jejak reminders …`: looking at and running the reminder tick from the
//! command line.

use app::{
    backend::{
        config::Config,
        reminders::mail::Mailer,
        {
            reminders::delivery::{Deliverer, DeliveryReport},
            reminders::digest,
            reminders::{self, TickReport},
        },
    },
    domain::reminders::{due_reminders, Reminder},
};
use chrono::Utc;
use sea_orm::DatabaseConnection;
use serde::Serialize;

/// What `jejak reminders run-once` did.
#[derive(Debug, Serialize)]
pub struct RunOnce {
    /// `None`: another instance ran a tick within the lease time; nothing decided here.
    pub tick: Option<TickReport>,
    /// Digests queued (`None` without `--digest`, or when another instance holds the lease).
    pub digests_queued: Option<u64>,
    pub delivery: DeliveryReport,
}

/// One tick now (with the lease, like a scheduled one), optionally this
/// week's digests, then one delivery pass over everything due.
pub async fn run_once(
    db: &DatabaseConnection,
    config: &Config,
    with_digest: bool,
) -> anyhow::Result<RunOnce> {
    let holder = crate::jobs::instance_name();
    let now = Utc::now().with_timezone(&config.tz());
    let tick = reminders::tick(db, &config.reminder_policy, &holder, now).await?;
    let digests_queued = if with_digest {
        digest::tick(db, &holder, now, config.newcomer_days)
            .await?
            .map(|d| d.inserted)
    } else {
        None
    };
    let deliverer = Deliverer::new(db.clone(), Mailer::from_config(config)?, config);
    let delivery = deliverer
        .deliver_due(Utc::now(), chrono::Duration::seconds(60))
        .await?;
    Ok(RunOnce {
        tick,
        digests_queued,
        delivery,
    })
}

/// What a tick at local time `at` would decide, sending and writing nothing.
pub async fn preview(
    db: &DatabaseConnection,
    config: &Config,
    at: chrono::NaiveDateTime,
) -> anyhow::Result<Vec<Reminder>> {
    let today = at.date();
    let snapshot = reminders::snapshot(db, &config.reminder_policy, today, &config.tz()).await?;
    let mut due = due_reminders(&snapshot, &config.reminder_policy, today);
    due.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(due)
}
