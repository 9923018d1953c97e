//! Delivering the outbox (issue 6): claim a batch, and for each message
//! re-check that it is still relevant, read the facts it talks about from
//! the database (both as its kind says, see [`kinds`]), write it in the
//! recipient's language, send it, record the outcome.
//!
//! What becomes of a failed send:
//!
//! - **The server cannot be reached** (connection refused, timeout, TLS
//!   trouble: no SMTP reply at all): the message goes back to the queue
//!   without counting an attempt ([`outbox::postpone`]), and the pass stops
//!   sending; the worker waits [`server_backoff`] and tries again. An outage
//!   of any length therefore loses nothing and fails nothing.
//! - **The server answered 4xx** (mailbox busy, greylisting): an attempt is
//!   counted, retried after [`outbox::backoff`]; after `max_attempts` the
//!   message is `failed` and shown to administrators, who can resend it.
//! - **The server answered 5xx**, or the address cannot be an address:
//!   `failed` at once; retrying would not help.
//!
//! The facts are read at send time, not at queue time: a message says what
//! is true when it leaves (the digest's progress, a due date moved by the
//! administrator).

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use sea_orm::DatabaseConnection;
use serde::{Deserialize, Serialize};

use crate::{
    backend::{
        entities::outbox,
        reminders::mail::{compose, Mailer, SendError},
    },
    domain::reminders::ReminderKind,
    error::AppError,
    i18n::Locale,
    lang,
};
use {crate::backend::reminders::kinds, crate::backend::reminders::outbox as queue};

/// How the worker sends.
#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// Messages claimed at once.
    pub batch: u64,
    /// Messages in flight at once (more than the SMTP pool's size is useless).
    pub concurrency: usize,
    /// How long a claim lasts: a worker that dies mid-batch holds its
    /// messages this long, then another takes them.
    pub claim_secs: i64,
    /// Attempts (4xx replies) before a message is `failed`.
    pub max_attempts: u32,
}

impl Default for DeliveryOptions {
    fn default() -> Self {
        DeliveryOptions {
            batch: 64,
            concurrency: crate::backend::reminders::mail::transport::SMTP_POOL_SIZE as usize,
            claim_secs: 300,
            max_attempts: 8,
        }
    }
}

/// What the worker needs besides the database.
#[derive(Debug, Clone)]
pub struct Deliverer {
    pub db: DatabaseConnection,
    pub mailer: Mailer,
    /// Links in emails start with this (`public_url`).
    pub public_url: String,
    /// The office's zone: "today" and the dates in messages.
    pub tz: chrono_tz::Tz,
    /// Who counts as a newcomer in the digest (`newcomer_days`).
    pub newcomer_days: u32,
    pub options: DeliveryOptions,
}

/// What a delivery pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryReport {
    pub sent: u64,
    /// No longer relevant (the work was done meanwhile): never sent.
    pub cancelled: u64,
    /// The server answered "not now": tried again later.
    pub retry_later: u64,
    /// Given up (permanent refusal, or the last attempt).
    pub failed: u64,
    /// The server could not be reached: back in the queue, not counted.
    pub postponed: u64,
    /// Database trouble while recording: the claim will expire and the
    /// message be tried again.
    pub errors: u64,
}

impl DeliveryReport {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Sent => self.sent += 1,
            Outcome::Cancelled => self.cancelled += 1,
            Outcome::RetryLater => self.retry_later += 1,
            Outcome::Failed => self.failed += 1,
            Outcome::Postponed => self.postponed += 1,
            Outcome::Error => self.errors += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Sent,
    Cancelled,
    RetryLater,
    Failed,
    Postponed,
    Error,
}

/// The wait after `n` passes in a row found the mail server unreachable:
/// 5 s doubling, at most 5 minutes.
pub fn server_backoff(n: u32) -> chrono::Duration {
    let exp = n.saturating_sub(1).min(16);
    chrono::Duration::seconds((5i64 << exp).min(300))
}

/// An SMTP error without a reply: the server was not reached at all.
fn unreachable(e: &SendError) -> bool {
    e.is_transient() && e.code.is_none()
}

impl Deliverer {
    /// The worker the configuration describes: links under `public_url`,
    /// dates in `timezone`, `mail_max_attempts`, `mail_claim_secs`.
    pub fn new(
        db: DatabaseConnection,
        mailer: Mailer,
        config: &crate::backend::config::Config,
    ) -> Deliverer {
        Deliverer {
            db,
            mailer,
            public_url: config.public_url.clone(),
            tz: config.tz(),
            newcomer_days: config.newcomer_days,
            options: DeliveryOptions {
                max_attempts: config.mail_max_attempts,
                claim_secs: i64::from(config.mail_claim_secs),
                ..DeliveryOptions::default()
            },
        }
    }

    /// One pass: claims and sends batches until nothing due at `now` is
    /// left, or the server turns out unreachable (then everything claimed
    /// is put back until `now + retry_after`).
    pub async fn deliver_due(
        &self,
        now: DateTime<Utc>,
        retry_after: chrono::Duration,
    ) -> Result<DeliveryReport, AppError> {
        let mut report = DeliveryReport::default();
        let today = now.with_timezone(&self.tz).date_naive();
        loop {
            let batch =
                queue::claim(&self.db, self.options.batch, now, self.options.claim_secs).await?;
            if batch.is_empty() {
                break;
            }
            let outcomes: Vec<Outcome> = futures::stream::iter(batch)
                .map(|m| self.deliver_one(m, today, now, now + retry_after))
                .buffer_unordered(self.options.concurrency.max(1))
                .collect()
                .await;
            let down = outcomes.contains(&Outcome::Postponed);
            for o in outcomes {
                report.add(o);
            }
            if down {
                break;
            }
        }
        Ok(report)
    }

    async fn deliver_one(
        &self,
        m: outbox::Model,
        today: NaiveDate,
        now: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    ) -> Outcome {
        match self.try_deliver(&m, today, now, retry_at).await {
            Ok(o) => o,
            Err(e) => {
                tracing::warn!(key = %m.key, error = %e, "delivery not recorded; the claim will expire and the message be tried again");
                Outcome::Error
            }
        }
    }

    /// Cancels message `m` (it is not sent, ever), saying why.
    async fn cancel(&self, m: &outbox::Model, why: &str) -> Result<Outcome, AppError> {
        queue::mark_cancelled(&self.db, m.id, why).await?;
        Ok(Outcome::Cancelled)
    }

    async fn try_deliver(
        &self,
        m: &outbox::Model,
        today: NaiveDate,
        now: DateTime<Utc>,
        retry_at: DateTime<Utc>,
    ) -> Result<Outcome, AppError> {
        let Some(kind) = ReminderKind::parse(&m.kind) else {
            queue::mark_failed_attempt(&self.db, m.id, "unknown kind", now, 1).await?;
            return Ok(Outcome::Failed);
        };
        if !queue::still_relevant(&self.db, m).await? {
            return self
                .cancel(m, "no longer relevant (done, waived or cancelled)")
                .await;
        }
        let l = lang::parse(&m.language).unwrap_or(Locale::id);
        let reading = kinds::Reading {
            db: &self.db,
            tz: self.tz,
            newcomer_days: self.newcomer_days,
            today,
            lang: l,
        };
        let Some(facts) = kinds::read_facts(&reading, kind.spec(), m).await? else {
            return self
                .cancel(m, "nothing left to say (subject gone, or no newcomers)")
                .await;
        };
        let composed = compose(kind, &facts, l, &self.public_url);
        match self
            .mailer
            .send(&m.to_address, &facts.recipient_name, &composed, &m.key)
            .await
        {
            Ok(()) => {
                queue::mark_sent(&self.db, m.id, Utc::now()).await?;
                Ok(Outcome::Sent)
            }
            Err(e) if unreachable(&e) => {
                queue::postpone(&self.db, m.id, &e.detail, retry_at).await?;
                Ok(Outcome::Postponed)
            }
            Err(e) => {
                let max = if e.is_permanent() {
                    1
                } else {
                    self.options.max_attempts
                };
                let detail = match e.code {
                    Some(code) => format!("{code}: {}", e.detail),
                    None => e.detail.clone(),
                };
                let after = queue::mark_failed_attempt(&self.db, m.id, &detail, now, max).await?;
                Ok(match after {
                    Some(row) if row.state == outbox::FAILED => {
                        tracing::warn!(key = %m.key, to = %m.to_address, error = %detail, "email given up after {} attempt(s)", row.attempts);
                        Outcome::Failed
                    }
                    _ => Outcome::RetryLater,
                })
            }
        }
    }
}

/// Sleeps are computed from this: the earlier of the next due message and
/// `max_wait` from `now`.
pub fn idle_until(
    next_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    max_wait: chrono::Duration,
) -> DateTime<Utc> {
    let cap = now + max_wait;
    next_due.map_or(cap, |d| d.clamp(now, cap))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_backoff_doubles_from_five_seconds_to_five_minutes() {
        let s: Vec<i64> = (0..=8).map(|n| server_backoff(n).num_seconds()).collect();
        assert_eq!(s, [5, 5, 10, 20, 40, 80, 160, 300, 300]);
    }

    #[test]
    fn only_errors_without_a_reply_mean_unreachable() {
        assert!(unreachable(&SendError::transient("Connection refused")));
        let mut busy = SendError::transient("mailbox busy");
        busy.code = Some(451);
        assert!(!unreachable(&busy));
        assert!(!unreachable(&SendError::permanent("bad address")));
    }
}
