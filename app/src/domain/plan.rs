//! Plan generation: which courses a completed transfer requires, by when, and
//! why. A pure function of the transfer, the person's training history, the
//! active rules, the course catalogue and "today"; no database, no clock.
//!
//! - Several rules may match; a course required by more than one appears once,
//!   with the earliest due date, required if any rule requires it, and every
//!   rule that asked for it listed as a reason.
//! - A course completed earlier and still valid on the due date is
//!   *recognised* (pointing at the earlier record), not assigned again.
//! - Due dates are the TMT plus a non-negative offset, so never before the TMT.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::grade::Golongan;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PositionKind {
    Jpt,
    Administrator,
    Pengawas,
    Fungsional,
    Pelaksana,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferType {
    /// Within one agency.
    WithinAgency,
    /// Between agencies of the same government.
    BetweenAgencies,
    /// Between central and regional government.
    CentralRegional,
}

stored_as!(PositionKind {
    Jpt => "jpt",
    Administrator => "administrator",
    Pengawas => "pengawas",
    Fungsional => "fungsional",
    Pelaksana => "pelaksana",
});

stored_as!(TransferType {
    WithinAgency => "within_agency",
    BetweenAgencies => "between_agencies",
    CentralRegional => "central_regional",
});

/// What a rule can look at in a transfer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferFacts {
    pub tmt: NaiveDate,
    pub transfer_type: TransferType,
    pub to_position_id: i64,
    pub to_position_kind: PositionKind,
    pub to_job_family: String,
    /// The target unit followed by its ancestors up to the root.
    pub to_unit_path: Vec<i64>,
    pub grade: Option<Golongan>,
}

/// Which transfers a rule applies to. Every non-empty condition must hold; an
/// empty list (or `None`) means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criteria {
    pub position_ids: Vec<i64>,
    pub job_families: Vec<String>,
    pub position_kinds: Vec<PositionKind>,
    /// The target unit is one of these or inside one of their subtrees.
    pub unit_subtrees: Vec<i64>,
    pub grade_min: Option<Golongan>,
    pub grade_max: Option<Golongan>,
    pub transfer_types: Vec<TransferType>,
}

impl Criteria {
    pub fn matches(&self, t: &TransferFacts) -> bool {
        (self.position_ids.is_empty() || self.position_ids.contains(&t.to_position_id))
            && (self.job_families.is_empty()
                || self
                    .job_families
                    .iter()
                    .any(|f| f.eq_ignore_ascii_case(&t.to_job_family)))
            && (self.position_kinds.is_empty() || self.position_kinds.contains(&t.to_position_kind))
            && (self.unit_subtrees.is_empty()
                || t.to_unit_path
                    .iter()
                    .any(|u| self.unit_subtrees.contains(u)))
            && (self.transfer_types.is_empty() || self.transfer_types.contains(&t.transfer_type))
            && grade_in_range(t.grade, self.grade_min, self.grade_max)
    }
}

fn grade_in_range(grade: Option<Golongan>, min: Option<Golongan>, max: Option<Golongan>) -> bool {
    match (min, max) {
        (None, None) => true,
        // A grade condition cannot hold for someone without a grade (e.g. PPPK).
        _ => grade.is_some_and(|g| min.is_none_or(|m| g >= m) && max.is_none_or(|m| g <= m)),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleItem {
    pub course_id: i64,
    /// Days after the TMT.
    pub due_offset_days: u32,
    pub required: bool,
    /// Position in the plan (lower first).
    pub order: u32,
    /// Courses to complete before this one.
    pub prerequisites: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    pub id: i64,
    pub version: i32,
    pub name: String,
    pub active: bool,
    pub criteria: Criteria,
    pub items: Vec<RuleItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFacts {
    pub id: i64,
    /// `None`: a completion never expires.
    pub validity_months: Option<u32>,
}

/// A completion in the person's training history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorCompletion {
    pub record_id: i64,
    pub course_id: i64,
    pub completed_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule_id: i64,
    pub rule_version: i32,
    pub rule_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Disposition {
    /// To be done by the due date.
    Assign,
    /// Already done and still valid on the due date.
    Recognised {
        record_id: i64,
        completed_on: NaiveDate,
        valid_until: Option<NaiveDate>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub course_id: i64,
    pub due: NaiveDate,
    pub required: bool,
    pub order: u32,
    pub prerequisites: Vec<i64>,
    pub reasons: Vec<Reason>,
    pub disposition: Disposition,
}

/// The date until which a completion is valid (`None`: forever).
pub fn valid_until(completed_on: NaiveDate, validity_months: Option<u32>) -> Option<NaiveDate> {
    validity_months.map(|m| {
        completed_on
            .checked_add_months(Months::new(m))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// Each course's validity period (`validity_months`), by course id.
pub fn validity_by_course(catalogue: &[CourseFacts]) -> BTreeMap<i64, Option<u32>> {
    catalogue
        .iter()
        .map(|c| (c.id, c.validity_months))
        .collect()
}

/// Generates the plan for a transfer. Courses missing from the catalogue are
/// skipped (a rule may outlive a course); inactive rules are ignored.
pub fn generate_plan(
    transfer: &TransferFacts,
    history: &[PriorCompletion],
    rules: &[Rule],
    catalogue: &[CourseFacts],
    today: NaiveDate,
) -> Vec<PlanItem> {
    let validity = validity_by_course(catalogue);
    let mut merged: BTreeMap<i64, PlanItem> = BTreeMap::new();
    let mut sorted_rules: Vec<&Rule> = rules
        .iter()
        .filter(|r| r.active && r.criteria.matches(transfer))
        .collect();
    sorted_rules.sort_by_key(|r| (r.id, r.version));
    for rule in sorted_rules {
        for item in &rule.items {
            if !validity.contains_key(&item.course_id) {
                continue;
            }
            let due = transfer
                .tmt
                .checked_add_days(chrono::Days::new(item.due_offset_days as u64))
                .unwrap_or(transfer.tmt);
            let reason = Reason {
                rule_id: rule.id,
                rule_version: rule.version,
                rule_name: rule.name.clone(),
            };
            merged
                .entry(item.course_id)
                .and_modify(|p| {
                    p.due = p.due.min(due);
                    p.required |= item.required;
                    p.order = p.order.min(item.order);
                    for pre in &item.prerequisites {
                        if !p.prerequisites.contains(pre) {
                            p.prerequisites.push(*pre);
                        }
                    }
                    if !p.reasons.contains(&reason) {
                        p.reasons.push(reason.clone());
                    }
                })
                .or_insert_with(|| PlanItem {
                    course_id: item.course_id,
                    due,
                    required: item.required,
                    order: item.order,
                    prerequisites: item.prerequisites.clone(),
                    reasons: vec![reason.clone()],
                    disposition: Disposition::Assign,
                });
        }
    }
    let mut items: Vec<PlanItem> = merged.into_values().collect();
    for item in &mut items {
        item.prerequisites.sort_unstable();
        item.prerequisites.retain(|p| *p != item.course_id);
        let months = validity.get(&item.course_id).copied().flatten();
        // The most recent completion that is not in the future and still valid on the due date.
        let best = history
            .iter()
            .filter(|h| h.course_id == item.course_id && h.completed_on <= today)
            .filter(|h| valid_until(h.completed_on, months).is_none_or(|v| v > item.due))
            .max_by_key(|h| (h.completed_on, h.record_id));
        if let Some(h) = best {
            item.disposition = Disposition::Recognised {
                record_id: h.record_id,
                completed_on: h.completed_on,
                valid_until: valid_until(h.completed_on, months),
            };
        }
    }
    items.sort_by_key(|i| (i.order, i.due, i.course_id));
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::ymd as d;
    use proptest::prelude::*;

    fn it_transfer() -> TransferFacts {
        TransferFacts {
            tmt: d(2026, 7, 1),
            transfer_type: TransferType::WithinAgency,
            to_position_id: 10,
            to_position_kind: PositionKind::Pelaksana,
            to_job_family: "IT".into(),
            to_unit_path: vec![30, 20, 1],
            grade: Golongan::parse("III/a"),
        }
    }

    fn item(course: i64, offset: u32, required: bool) -> RuleItem {
        RuleItem {
            course_id: course,
            due_offset_days: offset,
            required,
            order: 10,
            prerequisites: vec![],
        }
    }

    fn rule(id: i64, criteria: Criteria, items: Vec<RuleItem>) -> Rule {
        Rule {
            id,
            version: 1,
            name: format!("Aturan {id}"),
            active: true,
            criteria,
            items,
        }
    }

    fn course(id: i64, validity_months: Option<u32>) -> CourseFacts {
        CourseFacts {
            id,
            validity_months,
        }
    }

    fn catalogue() -> Vec<CourseFacts> {
        vec![
            course(1, None),     // orientasi
            course(2, Some(24)), // keamanan informasi
            course(3, None),     // SPBE
            course(4, Some(12)), // SIPD
        ]
    }

    fn done(record_id: i64, course_id: i64, completed_on: NaiveDate) -> PriorCompletion {
        PriorCompletion {
            record_id,
            course_id,
            completed_on,
        }
    }

    /// The plan for [`it_transfer`] against [`catalogue`], the day after the TMT.
    fn it_plan(history: &[PriorCompletion], rules: &[Rule]) -> Vec<PlanItem> {
        generate_plan(&it_transfer(), history, rules, &catalogue(), d(2026, 7, 2))
    }

    #[test]
    fn merges_a_course_required_twice_with_the_earliest_due_date_and_both_reasons() {
        let rules = vec![
            rule(
                1,
                Criteria::default(),
                vec![item(1, 30, true), item(2, 90, false)],
            ),
            rule(
                2,
                Criteria {
                    job_families: vec!["it".into()],
                    ..Default::default()
                },
                vec![item(2, 60, true), item(3, 90, true)],
            ),
        ];
        let plan = it_plan(&[], &rules);
        assert_eq!(
            plan.iter().map(|p| p.course_id).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
        let security = &plan[1];
        assert_eq!(security.due, d(2026, 8, 30));
        assert!(security.required, "required by one rule is required");
        assert_eq!(
            security
                .reasons
                .iter()
                .map(|r| r.rule_id)
                .collect::<Vec<_>>(),
            vec![1, 2]
        );
    }

    #[test]
    fn stored_forms_round_trip() {
        for k in [
            PositionKind::Jpt,
            PositionKind::Administrator,
            PositionKind::Pengawas,
            PositionKind::Fungsional,
            PositionKind::Pelaksana,
        ] {
            assert_eq!(PositionKind::parse(k.as_str()), Some(k));
        }
        for t in [
            TransferType::WithinAgency,
            TransferType::BetweenAgencies,
            TransferType::CentralRegional,
        ] {
            assert_eq!(TransferType::parse(t.as_str()), Some(t));
        }
        assert_eq!(PositionKind::parse("eselon"), None);
    }

    #[test]
    fn criteria_combine_and_each_condition_must_hold() {
        let t = it_transfer();
        let yes = |c: Criteria| c.matches(&t);
        assert!(yes(Criteria::default()));
        assert!(yes(Criteria {
            unit_subtrees: vec![20],
            ..Default::default()
        }));
        assert!(!yes(Criteria {
            unit_subtrees: vec![21],
            ..Default::default()
        }));
        assert!(yes(Criteria {
            position_kinds: vec![PositionKind::Pelaksana],
            job_families: vec!["IT".into()],
            ..Default::default()
        }));
        assert!(!yes(Criteria {
            position_kinds: vec![PositionKind::Pelaksana],
            job_families: vec!["Keuangan".into()],
            ..Default::default()
        }));
        assert!(yes(Criteria {
            grade_min: Golongan::parse("II/a"),
            grade_max: Golongan::parse("III/b"),
            ..Default::default()
        }));
        assert!(!yes(Criteria {
            grade_min: Golongan::parse("III/b"),
            ..Default::default()
        }));
        assert!(!yes(Criteria {
            transfer_types: vec![TransferType::BetweenAgencies],
            ..Default::default()
        }));
        assert!(yes(Criteria {
            position_ids: vec![9, 10],
            ..Default::default()
        }));
        let pppk = TransferFacts {
            grade: None,
            ..t.clone()
        };
        assert!(!Criteria {
            grade_min: Golongan::parse("I/a"),
            ..Default::default()
        }
        .matches(&pppk));
    }

    #[test]
    fn recognises_valid_earlier_training_and_reassigns_expired_training() {
        let rules = vec![rule(
            1,
            Criteria::default(),
            vec![item(1, 30, true), item(2, 30, true), item(4, 30, true)],
        )];
        let history = vec![
            done(100, 1, d(2015, 3, 1)), // never expires
            done(101, 2, d(2025, 1, 1)), // valid to 2027-01-01
            done(102, 4, d(2025, 6, 1)), // expired 2026-06-01
        ];
        let plan = it_plan(&history, &rules);
        assert!(matches!(
            plan[0].disposition,
            Disposition::Recognised {
                record_id: 100,
                valid_until: None,
                ..
            }
        ));
        assert!(
            matches!(plan[1].disposition, Disposition::Recognised { record_id: 101, valid_until: Some(v), .. } if v == d(2027, 1, 1))
        );
        assert_eq!(plan[2].disposition, Disposition::Assign);
    }

    #[test]
    fn a_completion_that_expires_before_the_due_date_is_not_recognised() {
        let rules = vec![rule(1, Criteria::default(), vec![item(4, 60, true)])];
        // Valid until 2026-08-01, due 2026-08-30: it would lapse before the deadline.
        let history = vec![done(7, 4, d(2025, 8, 1))];
        let plan = it_plan(&history, &rules);
        assert_eq!(plan[0].disposition, Disposition::Assign);
    }

    #[test]
    fn inactive_rules_unknown_courses_and_non_matching_rules_add_nothing() {
        let mut inactive = rule(1, Criteria::default(), vec![item(1, 30, true)]);
        inactive.active = false;
        let unknown_course = rule(2, Criteria::default(), vec![item(99, 30, true)]);
        let finance = rule(
            3,
            Criteria {
                job_families: vec!["Keuangan".into()],
                ..Default::default()
            },
            vec![item(4, 30, true)],
        );
        let plan = it_plan(&[], &[inactive, unknown_course, finance]);
        assert!(plan.is_empty());
    }

    fn arb_rules() -> impl Strategy<Value = Vec<Rule>> {
        let item = (
            1i64..=4,
            0u32..400,
            any::<bool>(),
            0u32..5,
            prop::collection::vec(1i64..=4, 0..3),
        )
            .prop_map(
                |(course_id, due_offset_days, required, order, prerequisites)| RuleItem {
                    course_id,
                    due_offset_days,
                    required,
                    order,
                    prerequisites,
                },
            );
        let criteria = (any::<bool>(), any::<bool>()).prop_map(|(it_only, unit)| Criteria {
            job_families: if it_only { vec!["IT".into()] } else { vec![] },
            unit_subtrees: if unit { vec![20] } else { vec![] },
            ..Default::default()
        });
        prop::collection::vec(
            (criteria, prop::collection::vec(item, 0..6), any::<bool>()),
            0..6,
        )
        .prop_map(|rs| {
            rs.into_iter()
                .enumerate()
                .map(|(i, (criteria, items, active))| Rule {
                    id: i as i64 + 1,
                    version: 1,
                    name: format!("R{i}"),
                    active,
                    criteria,
                    items,
                })
                .collect()
        })
    }

    fn arb_history() -> impl Strategy<Value = Vec<PriorCompletion>> {
        prop::collection::vec((1i64..=4, 0i64..4000), 0..8).prop_map(|hs| {
            hs.into_iter()
                .enumerate()
                .map(|(i, (course_id, days_ago))| {
                    done(
                        i as i64 + 1,
                        course_id,
                        d(2026, 7, 2) - chrono::Days::new(days_ago as u64),
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn plans_are_sound(rules in arb_rules(), history in arb_history()) {
            let t = it_transfer();
            let plan = it_plan(&history, &rules);
            // No course twice.
            let mut ids: Vec<i64> = plan.iter().map(|p| p.course_id).collect();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), plan.len());
            for p in &plan {
                // Never due before the TMT; every item names at least one rule.
                prop_assert!(p.due >= t.tmt);
                prop_assert!(!p.reasons.is_empty());
                // A recognised course points at a real, still-valid completion of that course.
                if let Disposition::Recognised { record_id, valid_until, .. } = &p.disposition {
                    let h = history.iter().find(|h| h.record_id == *record_id).unwrap();
                    prop_assert_eq!(h.course_id, p.course_id);
                    prop_assert!(valid_until.is_none_or(|v| v > p.due));
                }
            }
            // Deterministic, whatever the order of rules and history.
            let mut rev_rules = rules.clone();
            rev_rules.reverse();
            let mut rev_history = history.clone();
            rev_history.reverse();
            prop_assert_eq!(it_plan(&rev_history, &rev_rules), plan);
        }
    }
}

/// An assignment as it stands in an open plan, for comparing with a regenerated plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingItem {
    pub assignment_id: i64,
    pub course_id: i64,
    pub due: NaiveDate,
    /// Still assigned or in progress (only open work may change).
    pub open: bool,
}

/// What re-applying the current rules to one open plan would change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanDiff {
    /// Courses now required that the plan does not have.
    pub add: Vec<PlanItem>,
    /// Open assignments no rule requires any more: (assignment, course).
    pub cancel: Vec<(i64, i64)>,
    /// Open assignments whose due date changes: (assignment, old, new).
    pub move_due: Vec<(i64, NaiveDate, NaiveDate)>,
}

impl PlanDiff {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.cancel.is_empty() && self.move_due.is_empty()
    }
}

/// Compares an open plan with what the rules would generate now. Finished
/// work (completed, waived, cancelled) is never touched; a recognised course
/// is not added.
pub fn diff_plan(existing: &[ExistingItem], regenerated: &[PlanItem]) -> PlanDiff {
    let mut diff = PlanDiff::default();
    for item in regenerated {
        match existing.iter().find(|e| e.course_id == item.course_id) {
            None if item.disposition == Disposition::Assign => diff.add.push(item.clone()),
            Some(e) if e.open && e.due != item.due => {
                diff.move_due.push((e.assignment_id, e.due, item.due))
            }
            _ => {}
        }
    }
    for e in existing.iter().filter(|e| e.open) {
        if !regenerated.iter().any(|i| i.course_id == e.course_id) {
            diff.cancel.push((e.assignment_id, e.course_id));
        }
    }
    diff
}

#[cfg(test)]
mod diff_tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn item(course_id: i64, due: NaiveDate) -> PlanItem {
        PlanItem {
            course_id,
            due,
            required: true,
            order: 0,
            prerequisites: vec![],
            reasons: vec![],
            disposition: Disposition::Assign,
        }
    }

    #[test]
    fn only_open_work_changes() {
        let existing = vec![
            ExistingItem {
                assignment_id: 1,
                course_id: 10,
                due: d(8, 1),
                open: true,
            }, // due moves
            ExistingItem {
                assignment_id: 2,
                course_id: 11,
                due: d(8, 1),
                open: false,
            }, // done: untouched
            ExistingItem {
                assignment_id: 3,
                course_id: 12,
                due: d(8, 1),
                open: true,
            }, // no longer required
            ExistingItem {
                assignment_id: 4,
                course_id: 13,
                due: d(8, 1),
                open: false,
            }, // done, no longer required
        ];
        let regenerated = vec![item(10, d(7, 15)), item(11, d(9, 1)), item(14, d(9, 1))];
        let diff = diff_plan(&existing, &regenerated);
        assert_eq!(
            diff.add.iter().map(|i| i.course_id).collect::<Vec<_>>(),
            vec![14]
        );
        assert_eq!(diff.cancel, vec![(3, 12)]);
        assert_eq!(diff.move_due, vec![(1, d(8, 1), d(7, 15))]);
        assert!(diff_plan(&[], &[]).is_empty());
    }
}
