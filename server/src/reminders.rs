//! `jejak reminders …`: looking at (and later running) the reminder tick
//! from the command line.

use app::{
    backend::{config::Config, services::reminders},
    domain::reminders::{due_reminders, Reminder},
};
use sea_orm::DatabaseConnection;

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
