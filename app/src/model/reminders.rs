//! Shared data types of the reminders concern (see `crate::model`): the
//! schedules and the outbox log of `/admin/pengingat`, what their forms
//! send, and the stored words (states, kinds, schedule forms) in words.

use serde::{Deserialize, Serialize};

/// Rows per page of the outbox log.
pub const PAGE_SIZE: u64 = 25;

/// How many next runs each schedule shows.
pub const NEXT_RUNS: usize = 5;

/// The page's address.
pub const PAGE_PATH: &str = "/admin/pengingat";

/// The schedules, by their stored name (`schedules.name`), in page order.
pub const SCHEDULES: [&str; 2] = ["reminders", "digest"];

stored_words! {
    /// The outbox's stored states, in the order the log shows them.
    pub const STATES;
    /// A stored outbox state in words; `None` for a value Jejak does not know.
    pub fn state_label => reminders_admin.states [pending, sent, failed, cancelled]
}

stored_words! {
    /// A stored message kind (`ReminderKind::as_str`) in words; `None` for a
    /// value Jejak does not know.
    pub fn kind_label => reminders_admin.kinds [
        new_plan,
        due_soon,
        overdue,
        escalation,
        checkin_due,
        recert_due,
        weekly_digest,
        password_link,
        failed_sign_ins,
    ]
}

stored_words! {
    /// What an expression's form (`CronForm::as_str`) means, in words.
    pub fn form_label => reminders_admin.forms [crontab, seconds, seconds_year, shorthand]
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
    /// The filters as understood: a known state or "" (all), a known kind
    /// or "" (all), and the search, trimmed.
    #[serde(flatten)]
    pub filter: LogFilter,
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

/// What the schedule form sends: which schedule, and the new expression.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    /// "reminders" or "digest".
    pub name: String,
    pub expression: String,
}

/// The outbox log's filters, as asked: a state, a kind (both stored words)
/// and a search in the recipient's address or the key. Empty: any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogFilter {
    pub state: String,
    pub kind: String,
    /// Part of the recipient's address, or of the key.
    pub q: String,
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
