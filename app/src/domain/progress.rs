//! Status of an assignment as people see it, and the yearly 20 JP ledger.
//! "Overdue" is derived from the due date and today, never stored.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// What is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentState {
    Assigned,
    InProgress,
    Completed,
    Waived,
    Cancelled,
}

stored_as!(AssignmentState {
    Assigned => "assigned",
    InProgress => "in_progress",
    Completed => "completed",
    Waived => "waived",
    Cancelled => "cancelled",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentAction {
    Start,
    Complete,
    Waive,
    Cancel,
}

impl AssignmentState {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AssignmentState::Assigned | AssignmentState::InProgress
        )
    }

    /// assigned → in progress → completed; open work may be waived or cancelled.
    pub fn apply(
        self,
        action: AssignmentAction,
    ) -> Result<AssignmentState, crate::error::AppError> {
        use AssignmentAction as A;
        use AssignmentState as S;
        match (self, action) {
            (S::Assigned, A::Start) => Ok(S::InProgress),
            (S::Assigned | S::InProgress, A::Complete) => Ok(S::Completed),
            (S::Assigned | S::InProgress, A::Waive) => Ok(S::Waived),
            (S::Assigned | S::InProgress, A::Cancel) => Ok(S::Cancelled),
            (from, _) => Err(crate::error::AppError::conflict(
                format!(
                    "Penugasan berstatus \"{}\" tidak dapat diubah dengan cara ini",
                    from.label_id()
                ),
                format!(
                    "An assignment in state {} cannot be changed this way",
                    from.as_str()
                ),
            )),
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            AssignmentState::Assigned => "Belum dimulai",
            AssignmentState::InProgress => "Sedang berjalan",
            AssignmentState::Completed => "Selesai",
            AssignmentState::Waived => "Dibebaskan",
            AssignmentState::Cancelled => "Dibatalkan",
        }
    }
}

/// The adaptation ratings, in the SKP words.
pub const RATINGS: [(&str, &str); 5] = [
    ("sangat_baik", "Sangat Baik"),
    ("baik", "Baik"),
    ("butuh_perbaikan", "Butuh Perbaikan"),
    ("kurang", "Kurang"),
    ("sangat_kurang", "Sangat Kurang"),
];

/// What is shown: the stored state, or "overdue" for open work past its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DisplayStatus {
    NotStarted { days_left: i64 },
    InProgress { days_left: i64 },
    Overdue { days_late: i64 },
    Completed,
    Waived,
    Cancelled,
}

pub fn display_status(state: AssignmentState, due: NaiveDate, today: NaiveDate) -> DisplayStatus {
    let days_left = (due - today).num_days();
    match state {
        AssignmentState::Assigned | AssignmentState::InProgress if days_left < 0 => {
            DisplayStatus::Overdue {
                days_late: -days_left,
            }
        }
        AssignmentState::Assigned => DisplayStatus::NotStarted { days_left },
        AssignmentState::InProgress => DisplayStatus::InProgress { days_left },
        AssignmentState::Completed => DisplayStatus::Completed,
        AssignmentState::Waived => DisplayStatus::Waived,
        AssignmentState::Cancelled => DisplayStatus::Cancelled,
    }
}

impl DisplayStatus {
    /// The label in the page's language, with the due date in words:
    /// "Belum dimulai · 3 hari lagi" / "Not started · in 3 days".
    pub fn label(self, l: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        let due_words = |d: i64| match d {
            0 => td_string!(l, common.due.today).to_string(),
            1 => td_string!(l, common.due.tomorrow).to_string(),
            n => td_string!(l, common.due.in_days, n = n).to_string(),
        };
        match self {
            DisplayStatus::NotStarted { days_left } => {
                format!(
                    "{} · {}",
                    td_string!(l, common.status.assigned),
                    due_words(days_left)
                )
            }
            DisplayStatus::InProgress { days_left } => {
                format!(
                    "{} · {}",
                    td_string!(l, common.status.in_progress),
                    due_words(days_left)
                )
            }
            DisplayStatus::Overdue { days_late } => {
                if days_late == 1 {
                    // English counts "1 day", not "1 days".
                    td_string!(l, common.status.overdue_one_day).to_string()
                } else {
                    td_string!(l, common.status.overdue_days, n = days_late).to_string()
                }
            }
            DisplayStatus::Completed => td_string!(l, common.status.completed).to_string(),
            DisplayStatus::Waived => td_string!(l, common.status.waived).to_string(),
            DisplayStatus::Cancelled => td_string!(l, common.status.cancelled).to_string(),
        }
    }
}

/// JP (jam pelajaran) completed in a calendar year against the yearly target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JpLedger {
    pub year: i32,
    pub done: f64,
    pub target: f64,
    pub shortfall: f64,
}

/// Sums the JP of completions dated in `year` (all sources count).
pub fn jp_ledger(completions: &[(NaiveDate, f64)], year: i32, target: f64) -> JpLedger {
    let done: f64 = completions
        .iter()
        .filter(|(d, jp)| d.year() == year && *jp > 0.0)
        .map(|(_, jp)| jp)
        .sum();
    JpLedger {
        year,
        done,
        target,
        shortfall: (target - done).max(0.0),
    }
}

/// Converts minutes of training into JP (1 JP = `minutes_per_jp`, commonly 45).
pub fn minutes_to_jp(minutes: u32, minutes_per_jp: u32) -> f64 {
    if minutes_per_jp == 0 {
        return 0.0;
    }
    (minutes as f64 / minutes_per_jp as f64 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::ymd as d;

    #[test]
    fn overdue_is_derived_from_today_never_stored() {
        use AssignmentState as S;
        use DisplayStatus as D;
        let due = d(2026, 11, 28);
        let cases = [
            (S::Assigned, d(2026, 11, 25), D::NotStarted { days_left: 3 }),
            (
                S::InProgress,
                d(2026, 11, 28),
                D::InProgress { days_left: 0 },
            ),
            (S::Assigned, d(2026, 12, 3), D::Overdue { days_late: 5 }),
            // Finished work is never overdue.
            (S::Completed, d(2027, 1, 1), D::Completed),
            (S::Waived, d(2027, 1, 1), D::Waived),
        ];
        for (state, today, shown) in cases {
            assert_eq!(
                display_status(state, due, today),
                shown,
                "{state:?} on {today}"
            );
        }
    }

    #[test]
    fn assignments_move_forward_only() {
        use AssignmentAction as A;
        use AssignmentState as S;
        assert_eq!(S::Assigned.apply(A::Start).unwrap(), S::InProgress);
        assert_eq!(S::InProgress.apply(A::Complete).unwrap(), S::Completed);
        assert_eq!(S::Assigned.apply(A::Waive).unwrap(), S::Waived);
        assert!(S::InProgress.apply(A::Start).is_err());
        let e = S::Completed.apply(A::Waive).unwrap_err();
        assert_eq!(e.status_code(), 409);
        assert!(e.message("id").contains("Selesai"));
        for s in [
            S::Assigned,
            S::InProgress,
            S::Completed,
            S::Waived,
            S::Cancelled,
        ] {
            assert_eq!(S::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn labels_say_the_due_date_in_words_in_both_languages() {
        use crate::i18n::Locale::{en, id};
        use DisplayStatus as D;
        let cases = [
            (
                D::NotStarted { days_left: 3 },
                "Belum dimulai · 3 hari lagi",
                "Not started · in 3 days",
            ),
            (
                D::InProgress { days_left: 1 },
                "Sedang berjalan · besok",
                "In progress · tomorrow",
            ),
            (
                D::InProgress { days_left: 0 },
                "Sedang berjalan · tenggat hari ini",
                "In progress · due today",
            ),
            (
                D::Overdue { days_late: 5 },
                "Terlambat 5 hari",
                "Overdue by 5 days",
            ),
            (
                D::Overdue { days_late: 1 },
                "Terlambat 1 hari",
                "Overdue by 1 day",
            ),
            (D::Completed, "Selesai", "Completed"),
        ];
        for (status, in_id, in_en) in cases {
            assert_eq!(status.label(id), in_id);
            assert_eq!(status.label(en), in_en);
        }
    }

    #[test]
    fn the_ledger_counts_only_the_year_and_never_goes_negative() {
        let c = vec![
            (d(2026, 2, 1), 8.0),
            (d(2026, 9, 1), 6.5),
            (d(2025, 12, 31), 30.0),
        ];
        let l = jp_ledger(&c, 2026, 20.0);
        assert_eq!((l.done, l.shortfall), (14.5, 5.5));
        let l = jp_ledger(&c, 2025, 20.0);
        assert_eq!((l.done, l.shortfall), (30.0, 0.0));
        assert_eq!(minutes_to_jp(90, 45), 2.0);
        assert_eq!(minutes_to_jp(60, 45), 1.33);
        assert_eq!(minutes_to_jp(60, 0), 0.0);
    }
}
