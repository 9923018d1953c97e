//! Server functions behind /admin/pengingat (issue 6): the two schedules
//! (when reminders are decided, when managers get their weekly digest) and
//! the outbox log, for the HR administrator.
//!
//! - [`get_schedules`]: each schedule in force, whether it is the configured
//!   one or was saved (by whom, when), the form it was understood as, and
//!   its next five runs in the office's zone (WIB), in the request's language.
//! - [`save_schedule`]: checks the expression with the scheduler's own
//!   parser (a refusal names the field and the reason, 422, nothing
//!   written), saves it and writes one audit line in the same transaction.
//!   The running scheduler reads the schedule before each wait, so the new
//!   one is in force from its next run.
//! - [`get_outbox_log`]: a page of the outbox (newest first, 25 a page),
//!   filtered by state, kind and recipient address or key, with the number
//!   of messages per state.
//! - [`resend_message`]: a failed message goes back to the queue (one audit
//!   line); anything else is refused precisely (409, or 404 when absent).
//!
//! Every function answers "not found" to anyone but an administrator (401
//! to someone not signed in) before looking at what was sent. A plain form
//! post (JavaScript off) that succeeded is sent back to the page it came
//! from, with the outcome in the address (`disimpan=<name>`,
//! `dikirim_ulang=<id>`).

use leptos::prelude::*;

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::Locale;
#[cfg(feature = "ssr")]
use crate::model::reminders::{state_label, PAGE_PATH, SCHEDULES};
use crate::model::reminders::{LogFilter, OutboxPage, ScheduleForm, ScheduleView, SchedulesPage};

#[cfg(feature = "ssr")]
fn admin() -> Result<super::Caller, AppError> {
    super::Caller::allowed(&crate::backend::access::policy::Action::ManageReminders)
}

/// The audit trail's id for a schedule (its key is a name, not a number).
#[cfg(feature = "ssr")]
fn schedule_audit_id(name: &str) -> i64 {
    match name {
        "reminders" => 1,
        _ => 2,
    }
}

/// After a plain form post (JavaScript off) that succeeded, sends the
/// browser back to the page it came from (its filters kept) with
/// `key=value` saying what happened. A request from the hydrated page gets
/// its answer as data and stays where it is.
#[cfg(feature = "ssr")]
fn after_plain_post(key: &str, value: &str) {
    if !super::plain_post() {
        return;
    }
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    // Outcomes of earlier posts and leptos's error markers are not kept.
    const OUTCOMES: [&str; 4] = ["disimpan", "dikirim_ulang", "__err", "__path"];
    let mut params: Vec<(String, String)> = parts
        .headers
        .get(http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| url::Url::parse(r).ok())
        .filter(|u| u.path() == PAGE_PATH)
        .map(|u| {
            u.query_pairs()
                .filter(|(k, _)| !OUTCOMES.contains(&k.as_ref()))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    params.push((key.to_string(), value.to_string()));
    let borrowed: Vec<(&str, String)> = params
        .iter()
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    leptos_axum::redirect(&crate::domain::links::href(PAGE_PATH, &borrowed));
}

/// The two schedules in force, each with the form it was understood as and
/// its next five runs in the office's zone.
#[server(prefix = "/fn", endpoint = "reminder_schedules")]
pub async fn get_schedules() -> Result<SchedulesPage, AppError> {
    use crate::backend::reminders;
    let c = admin()?;
    let l = c.locale();
    let now = c.app.now_local();
    let mut schedules = Vec::with_capacity(SCHEDULES.len());
    for (name, configured) in [
        (reminders::REMINDERS_JOB, &c.app.config.reminder_schedule),
        (reminders::DIGEST_JOB, &c.app.config.digest_schedule),
    ] {
        schedules.push(reminders::schedule_view(c.db(), name, configured, now, l).await?);
    }
    Ok(SchedulesPage {
        schedules,
        zone: now.format("%Z").to_string(),
    })
}

/// Saves schedule `name` ("reminders" or "digest"). The expression is checked
/// with the scheduler's parser: 5 fields (crontab), 6 or 7 with seconds, or
/// a shorthand such as `@daily`; a refusal names the field and the reason,
/// and nothing is written. One audit line (`schedule.update`).
#[server(prefix = "/fn", endpoint = "save_schedule")]
pub async fn save_schedule(
    #[server(flatten)] form: ScheduleForm,
) -> Result<ScheduleView, AppError> {
    use crate::backend::{
        db::begin_write,
        entities::schedule,
        {audit, reminders},
    };
    use crate::domain::schedule::parse_schedule;
    use sea_orm::EntityTrait;
    let c = admin()?;
    let name = form.name.trim().to_string();
    let configured = match name.as_str() {
        reminders::REMINDERS_JOB => c.app.config.reminder_schedule.clone(),
        reminders::DIGEST_JOB => c.app.config.digest_schedule.clone(),
        _ => {
            return Err(AppError::invalid(
                "name",
                format!(
                    "Jadwal tidak dikenal: {name:?} (yang ada: \"reminders\" untuk pengingat, \"digest\" untuk ringkasan mingguan)"
                ),
                format!(
                    "Unknown schedule: {name:?} (there are \"reminders\" and \"digest\", the weekly digest)"
                ),
            ))
        }
    };
    let parsed = parse_schedule(&form.expression)?;
    let now = c.app.now_local();
    if parsed.next_after(&now).is_none() {
        return Err(AppError::invalid(
            "expression",
            format!(
                "Jadwal {:?} tidak akan berjalan lagi: semua waktunya sudah lewat",
                parsed.expression
            ),
            format!(
                "The schedule {:?} would never run again: all its times are past",
                parsed.expression
            ),
        ));
    }
    let txn = begin_write(c.db()).await?;
    let before = schedule::Entity::find_by_id(name.clone()).one(&txn).await?;
    let actor = c.p.actor();
    reminders::save_schedule(
        &txn,
        &name,
        &parsed.expression,
        &actor,
        now.with_timezone(&chrono::Utc),
    )
    .await?;
    let after = schedule::Entity::find_by_id(name.clone()).one(&txn).await?;
    audit::record(
        &txn,
        &actor,
        "schedule.update",
        "schedule",
        schedule_audit_id(&name),
        before.as_ref(),
        after.as_ref(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(schedule = %name, expression = %parsed.expression, by = %actor, "schedule saved");
    after_plain_post("disimpan", &name);
    reminders::schedule_view(c.db(), &name, &configured, now, c.locale()).await
}

/// A page of the outbox log, newest first, 25 a page. `state` and `kind`
/// keep only those messages (an unknown value: all); `q` searches the
/// recipient's address (case-insensitive) and the message key. A page past
/// the end shows the last one.
#[server(prefix = "/fn", endpoint = "outbox_log")]
pub async fn get_outbox_log(
    #[server(flatten)] filter: LogFilter,
    page: Option<u64>,
) -> Result<OutboxPage, AppError> {
    use crate::backend::reminders::outbox;
    let c = admin()?;
    let l = c.locale();
    outbox::log_view(c.db(), &filter, page, c.app.now_local(), l).await
}

/// Sends a failed message again: it is queued as new (due now, attempts
/// from zero; its last error stays for the log). A message that is not
/// failed is refused (409, saying its state); one that does not exist is
/// not found. One audit line (`outbox.resend`).
#[server(prefix = "/fn", endpoint = "resend_message")]
pub async fn resend_message(id: i64) -> Result<i64, AppError> {
    use crate::backend::{
        entities::outbox as entity,
        {audit, reminders::outbox},
    };
    use sea_orm::EntityTrait;
    let c = admin()?;
    let refuse = |state: &str| {
        AppError::conflict(
            format!(
                "Pesan #{id} tidak dikirim ulang: statusnya {} ({state}); hanya pesan yang gagal yang dapat dikirim ulang",
                state_label(state, Locale::id).unwrap_or(state)
            ),
            format!(
                "Message #{id} was not resent: its state is {} ({state}); only failed messages can be resent",
                state_label(state, Locale::en).unwrap_or(state)
            ),
        )
    };
    let before = entity::Entity::find_by_id(id)
        .one(c.db())
        .await?
        .ok_or(AppError::NotFound)?;
    if before.state != entity::FAILED {
        return Err(refuse(&before.state));
    }
    let now = chrono::Utc::now();
    // The state change and its audit line in one transaction.
    let txn = sea_orm::TransactionTrait::begin(c.db()).await?;
    if !outbox::resend(&txn, id, now).await? {
        drop(txn);
        // Someone else resent it (or it changed) in the meantime.
        let state = entity::Entity::find_by_id(id)
            .one(c.db())
            .await?
            .map(|m| m.state)
            .ok_or(AppError::NotFound)?;
        return Err(refuse(&state));
    }
    let after = entity::Entity::find_by_id(id).one(&txn).await?;
    audit::record(
        &txn,
        &c.p.actor(),
        "outbox.resend",
        "outbox",
        id,
        Some(&before),
        after.as_ref(),
    )
    .await?;
    txn.commit().await?;
    after_plain_post("dikirim_ulang", &id.to_string());
    Ok(id)
}
