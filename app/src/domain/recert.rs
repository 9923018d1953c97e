//! Recertification: which completions expire soon enough to need a renewal.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::plan::{valid_until, validity_by_course, CourseFacts};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCompletion {
    pub record_id: i64,
    pub employee_id: i64,
    pub course_id: i64,
    pub completed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renewal {
    pub employee_id: i64,
    pub course_id: i64,
    pub renews_record_id: i64,
    pub expires_on: NaiveDate,
    /// The expiry date, or today when it has already passed.
    pub due: NaiveDate,
}

/// For each person and course with a validity period, the latest completion
/// decides: when it expires within `window_days` of today (or already has),
/// a renewal is due, unless the person already has open work for that course.
pub fn renewals_due(
    completions: &[HeldCompletion],
    catalogue: &[CourseFacts],
    open_work: &HashSet<(i64, i64)>,
    today: NaiveDate,
    window_days: u32,
) -> Vec<Renewal> {
    let validity = validity_by_course(catalogue);
    let mut latest: BTreeMap<(i64, i64), &HeldCompletion> = BTreeMap::new();
    for c in completions.iter().filter(|c| c.completed_on <= today) {
        let key = (c.employee_id, c.course_id);
        match latest.get(&key) {
            Some(l) if (l.completed_on, l.record_id) >= (c.completed_on, c.record_id) => {}
            _ => {
                latest.insert(key, c);
            }
        }
    }
    let horizon = today + chrono::Days::new(window_days as u64);
    latest
        .into_iter()
        .filter(|(key, _)| !open_work.contains(key))
        .filter_map(|((employee_id, course_id), c)| {
            let months = validity.get(&course_id).copied().flatten();
            let expires_on = valid_until(c.completed_on, months)?;
            (expires_on <= horizon).then(|| Renewal {
                employee_id,
                course_id,
                renews_record_id: c.record_id,
                expires_on,
                due: expires_on.max(today),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::ymd as d;

    fn held(record_id: i64, employee_id: i64, course_id: i64, on: NaiveDate) -> HeldCompletion {
        HeldCompletion {
            record_id,
            employee_id,
            course_id,
            completed_on: on,
        }
    }

    #[test]
    fn renews_only_the_latest_completion_inside_the_window() {
        let catalogue = vec![
            CourseFacts {
                id: 1,
                validity_months: Some(12),
            },
            CourseFacts {
                id: 2,
                validity_months: None,
            },
        ];
        let today = d(2026, 11, 28);
        let completions = vec![
            held(1, 10, 1, d(2025, 12, 20)), // expires 2026-12-20: inside 60 days
            held(2, 11, 1, d(2024, 12, 1)),  // superseded by record 3
            held(3, 11, 1, d(2026, 6, 1)),   // expires 2027-06-01: not yet
            held(4, 12, 1, d(2025, 1, 5)),   // expired already: due today
            held(5, 13, 2, d(2010, 1, 1)),   // never expires
            held(6, 14, 1, d(2025, 12, 1)),  // open work exists
        ];
        let open: HashSet<(i64, i64)> = [(14, 1)].into_iter().collect();
        let r = renewals_due(&completions, &catalogue, &open, today, 60);
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].employee_id, r[0].renews_record_id, r[0].due),
            (10, 1, d(2026, 12, 20))
        );
        assert_eq!(
            (r[1].employee_id, r[1].expires_on, r[1].due),
            (12, d(2026, 1, 5), today)
        );
    }
}
