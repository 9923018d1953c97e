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
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::{td_string, Locale};

/// Rows per page of the outbox log.
pub const PAGE_SIZE: u64 = 25;

/// How many next runs each schedule shows.
pub const NEXT_RUNS: usize = 5;

/// The page's address.
pub const PAGE_PATH: &str = "/admin/pengingat";

/// The schedules, by their stored name (`schedules.name`), in page order.
pub const SCHEDULES: [&str; 2] = ["reminders", "digest"];

/// The outbox's stored states, in the order the log shows them.
pub const STATES: [&str; 4] = ["pending", "sent", "failed", "cancelled"];

/// A stored outbox state in words; `None` for a value Jejak does not know.
pub fn state_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "pending" => td_string!(l, reminders_admin.states.pending),
        "sent" => td_string!(l, reminders_admin.states.sent),
        "failed" => td_string!(l, reminders_admin.states.failed),
        "cancelled" => td_string!(l, reminders_admin.states.cancelled),
        _ => return None,
    })
}

/// A stored message kind (`ReminderKind::as_str`) in words; `None` for a
/// value Jejak does not know.
pub fn kind_label(stored: &str, l: Locale) -> Option<&'static str> {
    Some(match stored {
        "new_plan" => td_string!(l, reminders_admin.kinds.new_plan),
        "due_soon" => td_string!(l, reminders_admin.kinds.due_soon),
        "overdue" => td_string!(l, reminders_admin.kinds.overdue),
        "escalation" => td_string!(l, reminders_admin.kinds.escalation),
        "checkin_due" => td_string!(l, reminders_admin.kinds.checkin_due),
        "recert_due" => td_string!(l, reminders_admin.kinds.recert_due),
        "weekly_digest" => td_string!(l, reminders_admin.kinds.weekly_digest),
        "password_link" => td_string!(l, reminders_admin.kinds.password_link),
        "failed_sign_ins" => td_string!(l, reminders_admin.kinds.failed_sign_ins),
        _ => return None,
    })
}

/// What an expression's form (`CronForm::as_str`) means, in words.
pub fn form_label(form: &str, l: Locale) -> Option<&'static str> {
    Some(match form {
        "crontab" => td_string!(l, reminders_admin.forms.crontab),
        "seconds" => td_string!(l, reminders_admin.forms.seconds),
        "seconds_year" => td_string!(l, reminders_admin.forms.seconds_year),
        "shorthand" => td_string!(l, reminders_admin.forms.shorthand),
        _ => return None,
    })
}

/// The two schedules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchedulesPage {
    /// In [`SCHEDULES`] order.
    pub schedules: Vec<ScheduleView>,
    /// The office's zone as people know it ("WIB").
    pub zone: String,
}

/// One schedule as it is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    /// "reminders" or "digest".
    pub name: String,
    /// The expression in force.
    pub expression: String,
    /// The configured expression (in force while nobody has saved one).
    pub configured: String,
    /// An administrator saved the expression in force (else: configuration).
    pub saved: bool,
    /// Who saved it ("NIP (name)"), when [`saved`](Self::saved).
    pub updated_by: Option<String>,
    /// When it was saved, in words (office zone), when [`saved`](Self::saved).
    pub updated_at: Option<String>,
    /// How the expression was understood: crontab | seconds | seconds_year |
    /// shorthand; `None` if it does not parse (see [`problem`](Self::problem)).
    pub form: Option<String>,
    /// [`form`](Self::form) in words.
    pub form_label: String,
    /// The next runs in words, e.g. "Senin, 30 November 2026 pukul 07.00 WIB".
    pub next_runs: Vec<String>,
    /// The same, RFC 3339 with the zone's offset, for machines.
    pub next_runs_iso: Vec<String>,
    /// Why the stored expression cannot be used, if it cannot (the scheduler
    /// then falls back to the configured one).
    pub problem: Option<String>,
}

/// One page of the outbox log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub rows: Vec<OutboxRow>,
    /// Messages matching the filters (all pages).
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The filters as understood: a known state or "" (all) …
    pub state: String,
    /// … a known kind or "" (all) …
    pub kind: String,
    /// … and the search, trimmed.
    pub q: String,
    /// Messages per state, every state of [`STATES`] in that order.
    pub counts: Vec<StateCount>,
    /// All messages, whatever their state.
    pub all: u64,
    /// "WIB".
    pub zone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateCount {
    pub state: String,
    pub label: String,
    pub n: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i64,
    pub key: String,
    /// When it was queued, "29/11/2026 07.00" (office zone).
    pub created: String,
    /// RFC 3339.
    pub created_iso: String,
    pub kind: String,
    pub kind_label: String,
    pub to_address: String,
    pub state: String,
    pub state_label: String,
    pub attempts: i32,
    /// When it is tried next (pending messages only).
    pub next_attempt: Option<String>,
    /// When it went out (sent messages only).
    pub sent: Option<String>,
    pub last_error: Option<String>,
    /// Failed: an administrator may send it again.
    pub can_resend: bool,
}

#[cfg(feature = "ssr")]
fn admin() -> Result<crate::backend::access::Principal, AppError> {
    use crate::backend::access::{policy, principal};
    policy::authorize(principal(), &policy::Action::ManageReminders)
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
    let Some(parts) = use_context::<http::request::Parts>() else {
        return;
    };
    let plain = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    if !plain {
        return;
    }
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
    leptos_axum::redirect(&crate::components::pager::href(PAGE_PATH, &borrowed));
}

/// "Senin, 30 November 2026 pukul 07.00 WIB" / "Monday, 30 November 2026 at 07:00 WIB".
#[cfg(feature = "ssr")]
fn run_in_words(t: &chrono::DateTime<chrono_tz::Tz>, l: Locale) -> String {
    use crate::domain::dates;
    use chrono::Datelike;
    let day = t.weekday().num_days_from_monday() as usize;
    let day = match l {
        Locale::id => dates::DAYS_ID[day],
        Locale::en => dates::DAYS_EN[day],
    };
    format!(
        "{day}, {}",
        dates::long_date_time_in(t.naive_local(), &t.format("%Z").to_string(), l)
    )
}

/// "29/11/2026 07.05" (Indonesian writes times with a dot) / "29/11/2026 07:05".
#[cfg(feature = "ssr")]
fn short_time(t: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz, l: Locale) -> String {
    use chrono::Timelike;
    let local = t.with_timezone(&tz);
    let sep = match l {
        Locale::id => '.',
        Locale::en => ':',
    };
    format!(
        "{} {:02}{sep}{:02}",
        crate::domain::dates::short_date(local.date_naive()),
        local.hour(),
        local.minute()
    )
}

/// A schedule as it is in force, with its next runs after `now`.
#[cfg(feature = "ssr")]
async fn schedule_view(
    db: &sea_orm::DatabaseConnection,
    name: &str,
    configured: &str,
    now: chrono::DateTime<chrono_tz::Tz>,
    l: Locale,
) -> Result<ScheduleView, AppError> {
    use crate::backend::entities::schedule;
    use crate::domain::schedule::parse_schedule;
    use sea_orm::EntityTrait;
    let stored = schedule::Entity::find_by_id(name.to_string())
        .one(db)
        .await?;
    let expression = stored
        .as_ref()
        .map(|s| s.expression.clone())
        .unwrap_or_else(|| configured.to_string());
    let tz = now.timezone();
    let mut view = ScheduleView {
        name: name.to_string(),
        expression: expression.clone(),
        configured: configured.to_string(),
        saved: stored.is_some(),
        updated_by: stored.as_ref().map(|s| s.updated_by.clone()),
        updated_at: stored.as_ref().map(|s| {
            let local = s.updated_at.with_timezone(&tz);
            crate::domain::dates::long_date_time_in(
                local.naive_local(),
                &local.format("%Z").to_string(),
                l,
            )
        }),
        form: None,
        form_label: String::new(),
        next_runs: Vec::new(),
        next_runs_iso: Vec::new(),
        problem: None,
    };
    match parse_schedule(&expression) {
        Ok(parsed) => {
            let form = parsed.form.as_str();
            view.form = Some(form.to_string());
            view.form_label = form_label(form, l).unwrap_or(form).to_string();
            let runs = parsed.next_runs(&now, NEXT_RUNS);
            view.next_runs = runs.iter().map(|r| run_in_words(r, l)).collect();
            view.next_runs_iso = runs.iter().map(|r| r.to_rfc3339()).collect();
        }
        Err(e) => view.problem = Some(e.message(crate::lang::code(l))),
    }
    Ok(view)
}

/// The two schedules in force, each with the form it was understood as and
/// its next five runs in the office's zone.
#[server(prefix = "/fn", endpoint = "reminder_schedules")]
pub async fn get_schedules() -> Result<SchedulesPage, AppError> {
    use crate::backend::{reminders, state::AppState};
    admin()?;
    let app = AppState::current()?;
    let l = crate::lang::request_locale();
    let now = app.now_local();
    let mut schedules = Vec::with_capacity(SCHEDULES.len());
    for (name, configured) in [
        (reminders::REMINDERS_JOB, &app.config.reminder_schedule),
        (reminders::DIGEST_JOB, &app.config.digest_schedule),
    ] {
        schedules.push(schedule_view(&app.db, name, configured, now, l).await?);
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
    name: Option<String>,
    expression: Option<String>,
) -> Result<ScheduleView, AppError> {
    use crate::backend::{
        db::begin_write,
        entities::schedule,
        state::AppState,
        {audit, reminders},
    };
    use crate::domain::schedule::parse_schedule;
    use sea_orm::EntityTrait;
    let p = admin()?;
    let app = AppState::current()?;
    let name = name.unwrap_or_default().trim().to_string();
    let configured = match name.as_str() {
        reminders::REMINDERS_JOB => app.config.reminder_schedule.clone(),
        reminders::DIGEST_JOB => app.config.digest_schedule.clone(),
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
    let parsed = parse_schedule(expression.as_deref().unwrap_or(""))?;
    let now = app.now_local();
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
    let txn = begin_write(&app.db).await?;
    let before = schedule::Entity::find_by_id(name.clone()).one(&txn).await?;
    let actor = p.actor();
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
    schedule_view(
        &app.db,
        &name,
        &configured,
        now,
        crate::lang::request_locale(),
    )
    .await
}

/// A page of the outbox log, newest first, 25 a page. `state` and `kind`
/// keep only those messages (an unknown value: all); `q` searches the
/// recipient's address (case-insensitive) and the message key. A page past
/// the end shows the last one.
#[server(prefix = "/fn", endpoint = "outbox_log")]
pub async fn get_outbox_log(
    state: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    page: Option<u64>,
) -> Result<OutboxPage, AppError> {
    use crate::backend::{
        reminders::outbox::{self, LogFilter},
        state::AppState,
    };
    use crate::domain::reminders::ReminderKind;
    admin()?;
    let app = AppState::current()?;
    let l = crate::lang::request_locale();
    let tz = app.config.tz();
    let state = state
        .map(|s| s.trim().to_string())
        .filter(|s| STATES.contains(&s.as_str()))
        .unwrap_or_default();
    let kind = kind
        .map(|k| k.trim().to_string())
        .filter(|k| ReminderKind::parse(k).is_some())
        .unwrap_or_default();
    let q = q.map(|q| q.trim().to_string()).unwrap_or_default();
    let filter = LogFilter {
        state: state.clone(),
        kind: kind.clone(),
        q: q.clone(),
    };
    let wanted = page.unwrap_or(1).max(1);
    let (mut rows, total) = outbox::log_page(&app.db, &filter, wanted, PAGE_SIZE).await?;
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = wanted.min(pages);
    if page != wanted {
        rows = outbox::log_page(&app.db, &filter, page, PAGE_SIZE).await?.0;
    }
    let stored = outbox::counts(&app.db).await?;
    let counts: Vec<StateCount> = STATES
        .iter()
        .map(|s| StateCount {
            state: s.to_string(),
            label: state_label(s, l).unwrap_or(s).to_string(),
            n: stored.iter().filter(|(k, _)| k == s).map(|(_, n)| *n).sum(),
        })
        .collect();
    let all = stored.iter().map(|(_, n)| *n).sum();
    let rows = rows
        .into_iter()
        .map(|m| OutboxRow {
            id: m.id,
            created: short_time(m.created_at, tz, l),
            created_iso: m.created_at.with_timezone(&tz).to_rfc3339(),
            kind_label: kind_label(&m.kind, l).unwrap_or(&m.kind).to_string(),
            state_label: state_label(&m.state, l).unwrap_or(&m.state).to_string(),
            attempts: m.attempts,
            next_attempt: (m.state == "pending").then(|| short_time(m.next_attempt_at, tz, l)),
            sent: m.sent_at.map(|t| short_time(t, tz, l)),
            can_resend: m.state == "failed",
            last_error: m.last_error,
            key: m.key,
            kind: m.kind,
            to_address: m.to_address,
            state: m.state,
        })
        .collect();
    Ok(OutboxPage {
        rows,
        total,
        page,
        pages,
        state,
        kind,
        q,
        counts,
        all,
        zone: app.now_local().format("%Z").to_string(),
    })
}

/// Sends a failed message again: it is queued as new (due now, attempts
/// from zero; its last error stays for the log). A message that is not
/// failed is refused (409, saying its state); one that does not exist is
/// not found. One audit line (`outbox.resend`).
#[server(prefix = "/fn", endpoint = "resend_message")]
pub async fn resend_message(id: i64) -> Result<i64, AppError> {
    use crate::backend::{
        entities::outbox as entity,
        state::AppState,
        {audit, reminders::outbox},
    };
    use sea_orm::EntityTrait;
    let p = admin()?;
    let app = AppState::current()?;
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
        .one(&app.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.state != entity::FAILED {
        return Err(refuse(&before.state));
    }
    let now = chrono::Utc::now();
    // The state change and its audit line in one transaction.
    let txn = sea_orm::TransactionTrait::begin(&app.db).await?;
    if !outbox::resend(&txn, id, now).await? {
        drop(txn);
        // Someone else resent it (or it changed) in the meantime.
        let state = entity::Entity::find_by_id(id)
            .one(&app.db)
            .await?
            .map(|m| m.state)
            .ok_or(AppError::NotFound)?;
        return Err(refuse(&state));
    }
    let after = entity::Entity::find_by_id(id).one(&txn).await?;
    audit::record(
        &txn,
        &p.actor(),
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

#[cfg(test)]
mod tests {
    use super::{form_label, kind_label, state_label, STATES};
    use crate::domain::reminders::ReminderKind;
    use crate::i18n::Locale;

    #[test]
    fn every_stored_word_has_a_label_in_both_languages() {
        for l in [Locale::id, Locale::en] {
            assert!(STATES.iter().all(|s| state_label(s, l).is_some()));
            assert!(ReminderKind::ALL
                .iter()
                .all(|k| kind_label(k.as_str(), l).is_some()));
            for f in ["crontab", "seconds", "seconds_year", "shorthand"] {
                assert!(form_label(f, l).is_some(), "{f}");
            }
        }
        assert_eq!(state_label("failed", Locale::id), Some("Gagal"));
        assert_eq!(
            kind_label("weekly_digest", Locale::en),
            Some("Weekly digest")
        );
        assert_eq!(state_label("bogus", Locale::en), None);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_forms_of_the_parser_are_the_forms_labelled_here() {
        use crate::domain::schedule::parse_schedule;
        for (expr, form) in [
            ("0 7 * * *", "crontab"),
            ("0 0 7 * * *", "seconds"),
            ("0 0 7 * * * 2099", "seconds_year"),
            ("@daily", "shorthand"),
        ] {
            assert_eq!(parse_schedule(expr).unwrap().form.as_str(), form);
        }
    }
}
