//! The one place that decides who may do what. Every server function and
//! page asks here; nothing else compares roles.
//!
//! Roles: HR administrator (everything), manager (people in the unit
//! subtrees they manage), trainer (people who have an assignment in a course
//! they teach, and only those assignments), employee (themselves; every
//! account is the employee of itself). Something a person may not see is
//! answered exactly like something that does not exist: `NotFound`.
//!
//! Public by design (no principal needed, nothing personal returned):
//! signing in, asking who one is, and opening or using a set-password link
//! (the link's secret token is the permission).

use super::Principal;
use crate::error::AppError;

/// What is known about a person when someone asks to see them.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PersonFacts {
    pub employee_id: i64,
    /// The person's unit and all its ancestors.
    pub unit_path: Vec<i64>,
    /// Courses the person has (or had) an assignment or record in.
    pub course_ids: Vec<i64>,
}

/// What is known about an adaptation check-in when someone asks to write it.
/// A check-in belongs to its transfer: what counts is the unit that
/// transfer led to, not where the person works today.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CheckinFacts {
    /// The destination unit of the check-in's own transfer and all its
    /// ancestors (destination first).
    pub destination_path: Vec<i64>,
}

/// How much of a person's training a viewer may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonView {
    /// Everything: themselves, their manager, an administrator.
    Full,
    /// A trainer: only the assignments and records of these courses.
    Courses(Vec<i64>),
}

/// Things one may ask to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// The organisation overview (units and head counts, no personal data).
    ViewOrganisation,
    /// Create or change units.
    ManageOrganisation,
    /// Change one's own password, sign out, one's calendar link.
    ManageOwnAccount,
    /// See one's own plans, history and ledger.
    ViewOwnTraining,
    /// Report an assignment as completed: only one's own.
    ReportCompletion { owner_employee_id: i64 },
    /// The adaptation dashboard: managers (their units) and administrators (all).
    ViewAdaptation,
    /// Write a still open 30/60/90-day check-in: an administrator, or a
    /// manager whose units include its transfer's destination (the
    /// destination unit itself or an ancestor: the subtree rule every
    /// manager role follows). Where the person works now does not count;
    /// a written check-in is read-only for everyone (the service refuses
    /// a second write), only [`Action::CorrectCheckin`] changes it.
    WriteCheckin(&'a CheckinFacts),
    /// Correct a written check-in, with a stated reason (audited):
    /// administrators only.
    CorrectCheckin,
    /// Open the trainer's desk: trainers and administrators.
    UseTrainerDesk,
    /// Log completions of a course and verify its self-reports: its trainers
    /// and administrators.
    TeachCourse { course_id: i64 },
    /// List accounts, grant and revoke roles, issue set-password links.
    ManageAccounts,
    /// List, create, approve, complete and cancel transfers.
    ManageTransfers,
    /// Courses and plan rules.
    ManageCatalogue,
    /// The reminder and digest schedules, the outbox log, resending a
    /// failed message.
    ManageReminders,
    /// Create, list and revoke personal access tokens for the JSON API.
    ManageApiTokens,
    /// See a person's page.
    ViewPerson(&'a PersonFacts),
    /// Download progress, training history and overdue work as CSV:
    /// managers and administrators. What a manager gets is limited to
    /// their subtrees ([`export_roots`]).
    Export,
    /// Export one unit's subtree (`unit_path`: the unit and its
    /// ancestors): administrators, and managers of the unit or an ancestor.
    ExportUnit { unit_path: &'a [i64] },
    /// Download the audit trail: administrators only.
    ExportAudit,
}

/// How `principal` may see the person described by `facts`, if at all.
pub fn person_view(p: &Principal, facts: &PersonFacts) -> Option<PersonView> {
    if p.admin || p.employee_id == facts.employee_id {
        return Some(PersonView::Full);
    }
    if p.managed_units
        .iter()
        .any(|root| facts.unit_path.contains(root))
    {
        return Some(PersonView::Full);
    }
    let shared: Vec<i64> = p
        .taught_courses
        .iter()
        .copied()
        .filter(|c| facts.course_ids.contains(c))
        .collect();
    (!shared.is_empty()).then_some(PersonView::Courses(shared))
}

pub fn allows(p: &Principal, action: &Action<'_>) -> bool {
    match action {
        Action::ViewOrganisation | Action::ManageOwnAccount | Action::ViewOwnTraining => true,
        Action::ReportCompletion { owner_employee_id } => *owner_employee_id == p.employee_id,
        Action::UseTrainerDesk => p.admin || p.is_trainer(),
        Action::ViewAdaptation | Action::Export => p.admin || p.is_manager(),
        Action::ExportUnit { unit_path } => {
            p.admin || p.managed_units.iter().any(|root| unit_path.contains(root))
        }
        Action::WriteCheckin(facts) => {
            p.admin
                || p.managed_units
                    .iter()
                    .any(|root| facts.destination_path.contains(root))
        }
        Action::TeachCourse { course_id } => p.admin || p.taught_courses.contains(course_id),
        Action::ManageOrganisation
        | Action::ManageAccounts
        | Action::ManageTransfers
        | Action::ManageCatalogue
        | Action::ManageReminders
        | Action::ManageApiTokens
        | Action::CorrectCheckin
        | Action::ExportAudit => p.admin,
        Action::ViewPerson(facts) => person_view(p, facts).is_some(),
    }
}

/// The roots of the unit subtrees whose people `p` may export once
/// [`Action::Export`] allowed it: `None` for everyone (administrators).
pub fn export_roots(p: &Principal) -> Option<&[i64]> {
    (!p.admin).then_some(p.managed_units.as_slice())
}

/// `Ok(principal)` when the request's principal may do `action`;
/// `Unauthenticated` without one, `NotFound` when not allowed.
pub fn authorize(p: Option<Principal>, action: &Action<'_>) -> Result<Principal, AppError> {
    let p = p.ok_or(AppError::Unauthenticated)?;
    require(&p, action)?;
    Ok(p)
}

/// `NotFound` unless `p` (signed in already) may do `action`.
pub fn require(p: &Principal, action: &Action<'_>) -> Result<(), AppError> {
    if allows(p, action) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(employee_id: i64) -> Principal {
        Principal {
            account_id: employee_id,
            employee_id,
            name: String::new(),
            nip: String::new(),
            admin: false,
            managed_units: vec![],
            taught_courses: vec![],
            session_hash: String::new(),
            language: "id".into(),
        }
    }

    fn admin() -> Principal {
        Principal {
            admin: true,
            ..person(1)
        }
    }

    /// Employee `employee_id`, managing unit `unit`.
    fn manager(employee_id: i64, unit: i64) -> Principal {
        Principal {
            managed_units: vec![unit],
            ..person(employee_id)
        }
    }

    // Unit tree: 1 city > 2 kecamatan > 3 section; 4 another office.
    fn facts(employee_id: i64, unit_path: &[i64], courses: &[i64]) -> PersonFacts {
        PersonFacts {
            employee_id,
            unit_path: unit_path.to_vec(),
            course_ids: courses.to_vec(),
        }
    }

    #[test]
    fn employees_see_only_themselves() {
        let me = person(10);
        assert_eq!(
            person_view(&me, &facts(10, &[3, 2, 1], &[])),
            Some(PersonView::Full)
        );
        assert_eq!(person_view(&me, &facts(11, &[3, 2, 1], &[])), None);
        assert!(!allows(&me, &Action::ManageAccounts));
        assert!(allows(&me, &Action::ViewOrganisation));
    }

    #[test]
    fn managers_see_their_subtree_only() {
        let m = manager(20, 2);
        assert_eq!(
            person_view(&m, &facts(11, &[3, 2, 1], &[])),
            Some(PersonView::Full)
        );
        assert_eq!(
            person_view(&m, &facts(12, &[4, 1], &[])),
            None,
            "a sibling office"
        );
        assert_eq!(person_view(&m, &facts(13, &[1], &[])), None, "the parent");
    }

    #[test]
    fn trainers_see_only_their_courses() {
        let t = Principal {
            taught_courses: vec![7, 8],
            ..person(30)
        };
        assert_eq!(
            person_view(&t, &facts(11, &[4, 1], &[8, 9])),
            Some(PersonView::Courses(vec![8]))
        );
        assert_eq!(person_view(&t, &facts(12, &[4, 1], &[9])), None);
    }

    #[test]
    fn only_administrators_manage_api_tokens() {
        let admin = admin();
        let manager = Principal {
            managed_units: vec![2],
            taught_courses: vec![7],
            ..person(20)
        };
        assert!(allows(&admin, &Action::ManageApiTokens));
        assert!(!allows(&manager, &Action::ManageApiTokens));
        assert_eq!(
            authorize(Some(person(10)), &Action::ManageApiTokens).unwrap_err(),
            AppError::NotFound
        );
    }

    #[test]
    fn refusals_look_like_absence_and_anonymous_must_sign_in() {
        let me = person(10);
        let other = facts(11, &[3], &[]);
        assert_eq!(
            authorize(Some(me.clone()), &Action::ViewPerson(&other)).unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            authorize(None, &Action::ViewOrganisation).unwrap_err(),
            AppError::Unauthenticated
        );
        let admin = admin();
        assert!(authorize(Some(admin), &Action::ViewPerson(&other)).is_ok());
    }

    #[test]
    fn exports_are_for_managers_of_the_subtree_and_the_audit_for_administrators() {
        let me = person(10);
        let m = manager(20, 2);
        let admin = admin();
        assert!(!allows(&me, &Action::Export));
        assert!(allows(&m, &Action::Export));
        assert!(allows(&admin, &Action::Export));
        // A section below the kecamatan, the kecamatan itself, not the city nor a sibling.
        assert!(allows(
            &m,
            &Action::ExportUnit {
                unit_path: &[3, 2, 1]
            }
        ));
        assert!(allows(&m, &Action::ExportUnit { unit_path: &[2, 1] }));
        assert!(!allows(&m, &Action::ExportUnit { unit_path: &[1] }));
        assert!(!allows(&m, &Action::ExportUnit { unit_path: &[4, 1] }));
        assert!(!allows(
            &me,
            &Action::ExportUnit {
                unit_path: &[3, 2, 1]
            }
        ));
        assert!(allows(&admin, &Action::ExportUnit { unit_path: &[4, 1] }));
        assert!(!allows(&m, &Action::ExportAudit));
        assert!(allows(&admin, &Action::ExportAudit));
        assert_eq!(export_roots(&m), Some(&[2][..]));
        assert_eq!(export_roots(&admin), None);
        assert_eq!(
            authorize(Some(m), &Action::ExportAudit).unwrap_err(),
            AppError::NotFound
        );
    }

    #[test]
    fn check_ins_follow_their_transfer_not_the_current_unit() {
        // The check-in's transfer led into the section (3) of the kecamatan
        // (2); the person has since moved to another office (4).
        let checkin = CheckinFacts {
            destination_path: vec![3, 2, 1],
        };
        let section = manager(20, 3);
        let camat = manager(21, 2);
        let new_office = manager(22, 4);
        let admin = admin();
        assert!(allows(&section, &Action::WriteCheckin(&checkin)));
        assert!(
            allows(&camat, &Action::WriteCheckin(&checkin)),
            "the destination's ancestor"
        );
        assert!(
            !allows(&new_office, &Action::WriteCheckin(&checkin)),
            "the new unit"
        );
        assert!(!allows(&person(11), &Action::WriteCheckin(&checkin)));
        assert!(allows(&admin, &Action::WriteCheckin(&checkin)));
        // A manager of a unit below the destination manages part of it, not it.
        let below = CheckinFacts {
            destination_path: vec![2, 1],
        };
        assert!(!allows(&section, &Action::WriteCheckin(&below)));
        // Corrections: administrators only.
        assert!(allows(&admin, &Action::CorrectCheckin));
        for p in [&section, &camat, &new_office, &person(11)] {
            assert!(!allows(p, &Action::CorrectCheckin));
        }
    }
}
