//! Background jobs of a running server (issue 6): the reminders schedule,
//! the weekly digest schedule, and the delivery worker.
//!
//! - Each schedule is read from the database before every wait (an
//!   administrator's change applies within a minute), falling back to the
//!   configured expression. When its time comes the job runs its tick; the
//!   tick's lease makes sure only one instance of several does the work.
//! - A server that was down at the scheduled time catches up on start if
//!   the missed slot was earlier the same local day and no instance has run
//!   a tick since (never a 07:00 reminder at 23:00 the next day).
//! - The worker sends whatever is due, then sleeps until the next message
//!   is due (at most [`WORKER_MAX_IDLE`]); a tick that queued something
//!   wakes it at once. When the mail server is unreachable it waits
//!   [`server_backoff`] (5 s doubling to 5 minutes) between passes.
//!
//! [`Jobs::stop`] ends all three at the next await point and gives the
//! leases back, so another instance can take over at once.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tokio::{sync::watch, sync::Notify, task::JoinHandle};

use app::{
    backend::{
        access::throttle,
        reminders::mail::Mailer,
        state::AppState,
        {
            audit,
            reminders::delivery::{server_backoff, Deliverer},
            reminders::digest,
            reminders::outbox as queue,
            reminders::{self, DIGEST_JOB, LEASE_TTL_SECS, REMINDERS_JOB},
        },
    },
    domain::schedule::{parse_schedule, CronSchedule},
};

/// The longest an idle worker sleeps before looking at the outbox again
/// (other instances and administrators' resends are seen this late at most).
pub const WORKER_MAX_IDLE: Duration = Duration::from_secs(10);
/// The longest a schedule waits before re-reading its expression.
const SCHEDULE_RECHECK: Duration = Duration::from_secs(60);

/// The running background jobs of one instance.
pub struct Jobs {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
    state: AppState,
    holder: String,
}

/// Which job a scheduler loop runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Job {
    Reminders,
    Digest,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Reminders => REMINDERS_JOB,
            Job::Digest => DIGEST_JOB,
        }
    }

    fn configured(self, state: &AppState) -> String {
        match self {
            Job::Reminders => state.config.reminder_schedule.clone(),
            Job::Digest => state.config.digest_schedule.clone(),
        }
    }
}

/// A name for this instance in leases and logs: host, process, start time.
pub fn instance_name() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "jejak".into());
    format!(
        "{host}:{}:{}",
        std::process::id(),
        Utc::now().timestamp_millis()
    )
}

impl Jobs {
    /// Starts the two schedules and the worker for `state`.
    pub fn spawn(state: AppState, mailer: Mailer, holder: String) -> Jobs {
        let (stop, stopped) = watch::channel(false);
        let wake = Arc::new(Notify::new());
        let deliverer = Deliverer::new(state.db.clone(), mailer, &state.config);
        let handles = vec![
            tokio::spawn(schedule_loop(
                Job::Reminders,
                state.clone(),
                holder.clone(),
                wake.clone(),
                stopped.clone(),
            )),
            tokio::spawn(schedule_loop(
                Job::Digest,
                state.clone(),
                holder.clone(),
                wake.clone(),
                stopped.clone(),
            )),
            tokio::spawn(worker_loop(deliverer, wake, stopped)),
        ];
        Jobs {
            stop,
            handles,
            state,
            holder,
        }
    }

    /// Stops the jobs (a delivery in flight finishes first) and gives this
    /// instance's leases back.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
        for job in [REMINDERS_JOB, DIGEST_JOB] {
            let _ = reminders::release_lease(&self.state.db, job, &self.holder).await;
        }
    }
}

/// The schedule in force: the administrator's, else the configured one
/// (checked at start-up, so it parses).
async fn current_schedule(job: Job, state: &AppState) -> CronSchedule {
    let configured = job.configured(state);
    let expression = reminders::schedule_expression(&state.db, job.name(), &configured)
        .await
        .unwrap_or_else(|e| {
            tracing::warn!(job = job.name(), error = %e, "cannot read the schedule; using the configured one");
            configured.clone()
        });
    parse_schedule(&expression)
        .or_else(|_| parse_schedule(&configured))
        .or_else(|_| parse_schedule("0 7 * * *"))
        .expect("the fallback schedule parses")
}

/// Sleeps `d`, or less if asked to stop. True: stop.
async fn pause(d: Duration, stopped: &mut watch::Receiver<bool>) -> bool {
    if *stopped.borrow() {
        return true;
    }
    tokio::select! {
        _ = tokio::time::sleep(d) => *stopped.borrow(),
        _ = stopped.changed() => true,
    }
}

async fn run_job(job: Job, state: &AppState, holder: &str, wake: &Notify) {
    let now = state.now_local();
    let result = match job {
        Job::Reminders => reminders::tick(&state.db, &state.config.reminder_policy, holder, now)
            .await
            .map(|r| r.map(|r| (r.inserted, r.skipped_no_email))),
        Job::Digest => digest::tick(&state.db, holder, now, state.config.newcomer_days)
            .await
            .map(|r| r.map(|r| (r.inserted, r.skipped_no_email))),
    };
    if job == Job::Reminders && matches!(result, Ok(Some(_))) {
        // Once a day, by the instance holding the lease.
        prune_auth_noise(state).await;
    }
    match result {
        Ok(Some((inserted, no_email))) => {
            tracing::info!(
                job = job.name(),
                inserted,
                no_email,
                "{}: {inserted} new message(s) queued, {no_email} recipient(s) without an email address",
                job.name()
            );
            if inserted > 0 {
                wake.notify_one();
            }
        }
        Ok(None) => tracing::info!(
            job = job.name(),
            "{}: another instance holds the lease; nothing to do here",
            job.name()
        ),
        Err(e) => {
            tracing::error!(job = job.name(), error = %e, "{} tick failed; the next one catches up", job.name())
        }
    }
}

/// The daily clean-up after the reminders tick: authentication lines of the
/// audit trail older than `auth_audit_retention_days` (never lines of data
/// changes), and sign-in counters whose episodes are long over.
async fn prune_auth_noise(state: &AppState) {
    let now = Utc::now();
    match audit::prune_auth_noise(&state.db, now, state.config.auth_audit_retention_days).await {
        Ok(n) => tracing::info!(
            deleted = n,
            "audit: {n} authentication line(s) older than {} days deleted",
            state.config.auth_audit_retention_days
        ),
        Err(e) => {
            tracing::warn!(error = %e, "audit: pruning authentication lines failed; tomorrow's run tries again")
        }
    }
    if let Err(e) = throttle::forget_stale(&state.db, now).await {
        tracing::warn!(error = %e, "sign-in counters: deleting stale ones failed");
    }
}

/// The latest slot of `schedule` at or before `now`, looking back a week.
fn previous_slot(schedule: &CronSchedule, now: DateTime<Tz>) -> Option<DateTime<Tz>> {
    let mut slot = None;
    let mut t = now - chrono::Duration::days(7);
    while let Some(next) = schedule.next_after(&t) {
        if next > now {
            break;
        }
        slot = Some(next);
        t = next;
    }
    slot
}

/// When the last tick of `job` ran, by any instance (its lease is taken at
/// the tick's start for [`LEASE_TTL_SECS`]).
async fn last_tick(state: &AppState, job: Job) -> Option<DateTime<Utc>> {
    use app::backend::entities::scheduler_lease;
    use sea_orm::EntityTrait;
    scheduler_lease::Entity::find_by_id(job.name().to_string())
        .one(&state.db)
        .await
        .ok()
        .flatten()
        .map(|l| l.expires_at - chrono::Duration::seconds(LEASE_TTL_SECS))
}

async fn schedule_loop(
    job: Job,
    state: AppState,
    holder: String,
    wake: Arc<Notify>,
    mut stopped: watch::Receiver<bool>,
) {
    let schedule = current_schedule(job, &state).await;
    let now = state.now_local();
    let next: Vec<String> = schedule
        .next_runs(&now, 3)
        .iter()
        .map(|t| t.format("%Y-%m-%d %H:%M:%S %Z").to_string())
        .collect();
    tracing::info!(
        job = job.name(),
        expression = %schedule.expression,
        form = schedule.form.as_str(),
        "{} schedule {:?} ({}), next runs: {}",
        job.name(),
        schedule.expression,
        schedule.form.as_str(),
        next.join(", ")
    );
    // Catch up a slot missed earlier today.
    if let Some(slot) = previous_slot(&schedule, now) {
        let ran_since = last_tick(&state, job)
            .await
            .is_some_and(|t| t >= slot.with_timezone(&Utc));
        if slot.date_naive() == now.date_naive() && !ran_since {
            tracing::info!(job = job.name(), "catching up the run missed at {slot}");
            run_job(job, &state, &holder, &wake).await;
        }
    }
    let mut last = state.now_local();
    loop {
        let schedule = current_schedule(job, &state).await;
        let Some(due) = schedule.next_after(&last) else {
            if pause(SCHEDULE_RECHECK, &mut stopped).await {
                return;
            }
            continue;
        };
        let now = state.now_local();
        if due <= now {
            run_job(job, &state, &holder, &wake).await;
            last = now;
            continue;
        }
        let wait = (due - now)
            .to_std()
            .unwrap_or_default()
            .min(SCHEDULE_RECHECK);
        if pause(wait, &mut stopped).await {
            return;
        }
    }
}

async fn worker_loop(d: Deliverer, wake: Arc<Notify>, mut stopped: watch::Receiver<bool>) {
    tracing::info!(to = %d.mailer.describe(), "delivery worker started: mail goes to {}", d.mailer.describe());
    let mut unreachable_passes: u32 = 0;
    loop {
        if *stopped.borrow() {
            return;
        }
        let now = Utc::now();
        let wait = match d
            .deliver_due(now, server_backoff(unreachable_passes + 1))
            .await
        {
            Ok(r) => {
                if r != Default::default() {
                    tracing::info!(
                        sent = r.sent,
                        cancelled = r.cancelled,
                        retry_later = r.retry_later,
                        failed = r.failed,
                        postponed = r.postponed,
                        "delivery pass"
                    );
                }
                if r.postponed > 0 {
                    unreachable_passes += 1;
                    tracing::warn!(
                        "mail server unreachable ({} pass(es) in a row); messages wait in the outbox",
                        unreachable_passes
                    );
                    server_backoff(unreachable_passes)
                        .to_std()
                        .unwrap_or_default()
                } else {
                    unreachable_passes = 0;
                    match queue::next_due(&d.db).await {
                        Ok(Some(t)) => (t - Utc::now())
                            .to_std()
                            .unwrap_or(Duration::from_secs(1))
                            .clamp(Duration::from_secs(1), WORKER_MAX_IDLE),
                        _ => WORKER_MAX_IDLE,
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "delivery pass failed; trying again shortly");
                Duration::from_secs(5)
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
            _ = stopped.changed() => return,
        }
    }
}
