//! The authorisation matrix: every server function and every route × every
//! role (anonymous, employee, trainer, manager, administrator) × every kind
//! of target (oneself, a newcomer in the manager's unit who takes the
//! trainer's course, a colleague in the same unit, someone in another unit,
//! someone who does not exist), against the demo organisation, over HTTP,
//! on SQLite and PostgreSQL.
//!
//! The matrix must name every endpoint the server has: a new server function
//! or page that is not added here makes `the_matrix_covers_every_endpoint`
//! fail.

use std::collections::{BTreeSet, HashMap};

use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{http_client, on_both_backends, spawn_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use app::backend::{
    entities::{account_role, assignment, employee},
    people::unit_lookup,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Who {
    Anonymous,
    Employee,
    Trainer,
    Manager,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Employee,
    Who::Trainer,
    Who::Manager,
    Who::Admin,
];

/// Whose data a request is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// The caller themselves.
    Own,
    /// The demo employee: a newcomer in the manager's kecamatan with an
    /// assignment in a course the trainer teaches.
    Newcomer,
    /// Someone else in the manager's kecamatan, with no assignment in the trainer's courses.
    Colleague,
    /// Someone in another unit, with no assignment in the trainer's courses.
    Outsider,
    /// An id nobody has.
    Missing,
}

const TARGETS: [Target; 5] = [
    Target::Own,
    Target::Newcomer,
    Target::Colleague,
    Target::Outsider,
    Target::Missing,
];

/// Who may see whose person page: the policy, written out as a table.
fn may_see_person(who: Who, target: Target) -> bool {
    use Target::*;
    use Who::*;
    match (who, target) {
        (Anonymous, _) | (_, Missing) => false,
        (Admin, _) | (_, Own) => true,
        (Manager, Newcomer | Colleague) => true,
        (Trainer, Newcomer) => true,
        // The employee is the newcomer, so Newcomer is their own page.
        (Employee, Newcomer) => true,
        _ => false,
    }
}

/// An outcome: the status, and for redirects where to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Status(u16),
    RedirectTo(&'static str),
}
use Outcome::*;

/// Server functions answer 401 to the anonymous; pages send them to sign in.
fn signed_in_only(who: Who, otherwise: Outcome, page: bool) -> Outcome {
    match (who, page) {
        (Who::Anonymous, false) => Status(401),
        (Who::Anonymous, true) => RedirectTo("/masuk"),
        _ => otherwise,
    }
}

/// Administrators only: the others get the answer for something that does not exist.
fn admin_only(who: Who, admin: Outcome, page: bool) -> Outcome {
    signed_in_only(
        who,
        if who == Who::Admin {
            admin
        } else {
            Status(404)
        },
        page,
    )
}

/// Managers and administrators: the others get "not found".
fn managers(who: Who, allowed: Outcome, page: bool) -> Outcome {
    signed_in_only(
        who,
        if matches!(who, Who::Manager | Who::Admin) {
            allowed
        } else {
            Status(404)
        },
        page,
    )
}

/// Trainers and administrators: the others get "not found".
fn trainers(who: Who, allowed: Outcome, page: bool) -> Outcome {
    signed_in_only(
        who,
        if matches!(who, Who::Trainer | Who::Admin) {
            allowed
        } else {
            Status(404)
        },
        page,
    )
}

fn person_outcome(who: Who, target: Target, page: bool) -> Outcome {
    signed_in_only(
        who,
        Status(if may_see_person(who, target) {
            200
        } else {
            404
        }),
        page,
    )
}

/// One row of the matrix: the endpoint as the server registers it, how to
/// call it, whether it is about a person, and the expected outcome.
struct Case {
    endpoint: &'static str,
    page: bool,
    /// Form fields (server functions) or the concrete path (pages), for a target id.
    request: fn(Who, i64) -> Request,
    about_a_person: bool,
    expect: fn(Who, Target) -> Outcome,
}

enum Request {
    Post(Vec<(&'static str, String)>),
    Get(String),
}

fn post(fields: &[(&'static str, &str)]) -> Request {
    Request::Post(fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

/// The matrix. Payloads that would change data are chosen to fail
/// validation *after* the permission check (422), so an administrator's
/// 422 proves the request got past the policy while others' 404 shows it
/// did not, and the data stays the same for the next row.
fn matrix() -> Vec<Case> {
    vec![
        // ---- server functions
        Case {
            endpoint: "/fn/whoami",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        Case {
            // Anyone may choose a language; an unknown one is refused (422)
            // and nothing is stored, so the next rows see the same data.
            endpoint: "/fn/set_language",
            page: false,
            request: |_, _| post(&[("lang", "jv")]),
            about_a_person: false,
            expect: |_, _| Status(422),
        },
        Case {
            endpoint: "/fn/sign_in",
            page: false,
            // A different unknown login per caller: the same one four times
            // from one address is throttled (429), which `auth.rs` tests.
            request: |who, _| {
                Request::Post(vec![
                    ("login", format!("tidak.ada.{who:?}@medan.example")),
                    ("password", "salah-sekali".into()),
                ])
            },
            about_a_person: false,
            expect: |_, _| Status(401),
        },
        Case {
            endpoint: "/fn/overview",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/add_unit",
            page: false,
            request: |_, _| post(&[("name", " "), ("parent_id", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/person",
            page: false,
            request: |_, id| Request::Post(vec![("employee_id", id.to_string())]),
            about_a_person: true,
            expect: |w, t| person_outcome(w, t, false),
        },
        Case {
            endpoint: "/fn/change_password",
            page: false,
            request: |_, _| {
                post(&[
                    ("current_password", "bukan-sandi-saya"),
                    ("new_password", "kata-sandi-baru-1"),
                    ("confirm", "kata-sandi-baru-2"),
                ])
            },
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/password_link",
            page: false,
            request: |_, _| post(&[("token", "bukan-token")]),
            about_a_person: false,
            expect: |_, _| Status(422),
        },
        Case {
            endpoint: "/fn/set_password",
            page: false,
            request: |_, _| {
                post(&[
                    ("token", "bukan-token"),
                    ("new_password", "kata-sandi-baru-1"),
                    ("confirm", "kata-sandi-baru-1"),
                ])
            },
            about_a_person: false,
            expect: |_, _| Status(422),
        },
        Case {
            endpoint: "/fn/accounts",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/create_account",
            page: false,
            request: |_, _| post(&[("nip", "000")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/grant_role",
            page: false,
            request: |_, _| post(&[("account_id", "1"), ("role", "raja")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/revoke_role",
            page: false,
            request: |_, _| post(&[("role_id", "bukan-angka")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/issue_password_link",
            page: false,
            request: |_, _| post(&[("account_id", "bukan-angka")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/deactivate_account",
            page: false,
            request: |_, _| post(&[("account_id", "bukan-angka"), ("reason", "retired")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/reactivate_account",
            page: false,
            request: |_, _| post(&[("account_id", "bukan-angka")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/my_training",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), false),
        },
        // Reporting an assignment as done: only one's own. The target is the
        // newcomer's open assignment (or a missing id); an impossible date
        // keeps data unchanged and is checked only after the permission.
        Case {
            endpoint: "/fn/self_report",
            page: false,
            request: |_, id| {
                Request::Post(vec![
                    ("assignment_id", id.to_string()),
                    ("completed_on", "2026-02-30".into()),
                    ("certificate_no", String::new()),
                    ("note", String::new()),
                ])
            },
            about_a_person: false,
            expect: |w, t| {
                // Only the owner gets past the policy (to the date check).
                let own = w == Who::Employee && t == Target::Newcomer;
                signed_in_only(w, Status(if own { 422 } else { 404 }), false)
            },
        },
        Case {
            endpoint: "/fn/calendar_link",
            page: false,
            request: |_, _| post(&[("revoke", "ya")]),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/trainer_desk",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| trainers(w, Status(200), false),
        },
        // For a course nobody teaches: administrators get past the policy
        // (to the date check), trainers of other courses do not.
        Case {
            endpoint: "/fn/record_attendance",
            page: false,
            request: |_, _| {
                post(&[
                    ("course_id", "987654321"),
                    ("completed_on", ""),
                    ("jp", ""),
                    ("score", ""),
                ])
            },
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/review_self_report",
            page: false,
            request: |_, _| {
                post(&[
                    ("report_id", "987654321"),
                    ("decision", "verify"),
                    ("reason", ""),
                ])
            },
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(404), false),
        },
        Case {
            endpoint: "/fn/dashboard",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), false),
        },
        // A check-in nobody has: the same answer for everyone signed in
        // (who may write which check-in is in journeys.rs and checkins.rs).
        Case {
            endpoint: "/fn/write_checkin",
            page: false,
            request: |_, _| {
                post(&[
                    ("checkin_id", "987654321"),
                    ("rating", "baik"),
                    ("notes", ""),
                ])
            },
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(404), false),
        },
        // Correcting a check-in: administrators only (the others: "not
        // found"); the administrator's request without a reason is refused
        // on that field before the check-in is looked up (checkins.rs).
        Case {
            endpoint: "/fn/correct_checkin",
            page: false,
            request: |_, _| {
                post(&[
                    ("checkin_id", "987654321"),
                    ("rating", "baik"),
                    ("notes", ""),
                    ("reason", ""),
                ])
            },
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/transfers",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/transfer_units",
            page: false,
            request: |_, _| post(&[("q", "Kecamatan")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        // An invalid NIP: refused after the permission check, nothing written.
        Case {
            endpoint: "/fn/create_transfer",
            page: false,
            request: |_, _| post(&[("nip", "000")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // Editing a transfer nobody has, with an impossible date: administrators
        // get past the policy to the field check.
        Case {
            endpoint: "/fn/update_transfer",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("tmt", "31-02-2026")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // Transfers nobody has: administrators get past the policy to "not found".
        Case {
            endpoint: "/fn/approve_transfer",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        // The reason is checked before the transfer is looked up.
        Case {
            endpoint: "/fn/cancel_transfer",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("reason", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/preview_transfer",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/fn/complete_transfer",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/fn/courses",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        // An empty code: refused by field after the permission check, nothing written.
        Case {
            endpoint: "/fn/create_course",
            page: false,
            request: |_, _| post(&[("code", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/rules",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/create_rule",
            page: false,
            request: |_, _| post(&[("name", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // No courses in the rule: refused (field "items") before any transfer
        // is read; a test never writes.
        Case {
            endpoint: "/fn/test_rule",
            page: false,
            request: |_, _| post(&[("transfer_id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // Reading one course or rule for its edit form: an id nobody has.
        Case {
            endpoint: "/fn/course",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/fn/rule",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        // Editing: the fields are checked (an empty code, an empty name, an
        // unknown status) before the course or rule is looked up.
        Case {
            endpoint: "/fn/update_course",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("code", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/set_course_active",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("active", "entah")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/update_rule",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("name", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // sign_out ends the session, so it runs last, in its own step below;
        // it is listed here so that coverage is complete.
        Case {
            endpoint: "/fn/sign_out",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        // ---- pages
        Case {
            endpoint: "/",
            page: true,
            request: |_, _| Request::Get("/".into()),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), true),
        },
        Case {
            endpoint: "/saya",
            page: true,
            request: |_, _| Request::Get("/saya".into()),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), true),
        },
        Case {
            endpoint: "/manajer",
            page: true,
            request: |_, _| Request::Get("/manajer".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/manajer/laporan.csv",
            page: true,
            request: |_, _| Request::Get("/manajer/laporan.csv".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/pelatih",
            page: true,
            request: |_, _| Request::Get("/pelatih".into()),
            about_a_person: false,
            expect: |w, _| trainers(w, Status(200), true),
        },
        Case {
            endpoint: "/masuk",
            page: true,
            request: |_, _| Request::Get("/masuk".into()),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        Case {
            endpoint: "/sandi",
            page: true,
            request: |_, _| Request::Get("/sandi".into()),
            about_a_person: false,
            expect: |w, _| signed_in_only(w, Status(200), true),
        },
        Case {
            endpoint: "/atur-sandi/{token}",
            page: true,
            request: |_, _| Request::Get("/atur-sandi/bukan-token".into()),
            about_a_person: false,
            expect: |_, _| Status(422),
        },
        Case {
            endpoint: "/pegawai/{id}",
            page: true,
            request: |_, id| Request::Get(format!("/pegawai/{id}")),
            about_a_person: true,
            expect: |w, t| person_outcome(w, t, true),
        },
        Case {
            endpoint: "/admin/mutasi",
            page: true,
            request: |_, _| Request::Get("/admin/mutasi".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        Case {
            endpoint: "/admin/pelatihan",
            page: true,
            request: |_, _| Request::Get("/admin/pelatihan".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        Case {
            endpoint: "/admin/aturan",
            page: true,
            request: |_, _| Request::Get("/admin/aturan".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        Case {
            endpoint: "/admin/organisasi",
            page: true,
            request: |_, _| Request::Get("/admin/organisasi".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        // The organisation page's server functions. Lists answer the
        // administrator; every change is refused by a field check that comes
        // after the permission (422 for the administrator, nothing written).
        Case {
            endpoint: "/fn/org_units",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/org_create_unit",
            page: false,
            request: |_, _| post(&[("name", " "), ("parent_id", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/org_update_unit",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("name", " "), ("parent_id", "")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/org_positions",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/org_create_position",
            page: false,
            request: |_, _| post(&[("name", ""), ("kind", "pelaksana"), ("job_family", "IT")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/org_update_position",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("name", ""), ("kind", "pelaksana")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/org_employees",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/org_create_employee",
            page: false,
            request: |_, _| post(&[("asn_kind", "pns"), ("nip", "000")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/org_update_employee",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("asn_kind", "pns"), ("nip", "000")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        // The reminders page's server functions: the schedules and the log
        // answer the administrator; a schedule that is not one is refused by
        // the expression check after the permission (422, nothing written);
        // resending a message nobody has is "not found" for everyone, as for
        // the other changes to something that does not exist.
        Case {
            endpoint: "/fn/reminder_schedules",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/save_schedule",
            page: false,
            request: |_, _| post(&[("name", "reminders"), ("expression", "bukan jadwal")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/outbox_log",
            page: false,
            request: |_, _| post(&[("state", "failed")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/resend_message",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/admin/pengingat",
            page: true,
            request: |_, _| Request::Get("/admin/pengingat".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        // API tokens (`/admin/token`): administrators only; a nameless token
        // is refused after the permission (422), revoking one nobody has is
        // "not found" for everyone.
        Case {
            endpoint: "/fn/api_tokens",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/create_api_token",
            page: false,
            request: |_, _| post(&[("name", " "), ("scopes[0]", "reports:read")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(422), false),
        },
        Case {
            endpoint: "/fn/revoke_api_token",
            page: false,
            request: |_, _| post(&[("id", "987654321")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/admin/token",
            page: true,
            request: |_, _| Request::Get("/admin/token".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        // The JSON API knows only bearer tokens (`api.rs`): a signed-in
        // browser's session cookie gets 401 like the anonymous.
        Case {
            endpoint: "/api/v1/*",
            page: true,
            request: |_, _| Request::Get("/api/v1/employees".into()),
            about_a_person: false,
            expect: |_, _| Status(401),
        },
        Case {
            endpoint: "/admin/akun",
            page: true,
            request: |_, _| Request::Get("/admin/akun".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        // ---- plain routes
        Case {
            endpoint: "/healthz",
            page: true,
            request: |_, _| Request::Get("/healthz".into()),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        // A calendar feed: its secret token is the permission.
        Case {
            endpoint: "/kalender/{file}",
            page: true,
            request: |_, _| Request::Get("/kalender/bukan-token.ics".into()),
            about_a_person: false,
            expect: |_, _| Status(404),
        },
        Case {
            endpoint: "/pkg/*",
            page: true,
            request: |_, _| Request::Get("/pkg/jejak.css".into()),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        // The script every page starts: public, like the client's files.
        Case {
            endpoint: "/client.js",
            page: true,
            request: |_, _| Request::Get("/client.js".into()),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        // Import (`/admin/impor`): administrators only. No upload exists in
        // the demo data, so the preview and the confirmation of an id nobody
        // has answer the administrator "not found" after the permission check.
        Case {
            endpoint: "/admin/impor",
            page: true,
            request: |_, _| Request::Get("/admin/impor".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
        Case {
            endpoint: "/admin/impor/{id}",
            page: true,
            request: |_, _| Request::Get("/admin/impor/987654321".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), true),
        },
        Case {
            endpoint: "/fn/import_home",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), false),
        },
        Case {
            endpoint: "/fn/import_preview",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("create_missing", "false")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        Case {
            endpoint: "/fn/import_confirm",
            page: false,
            request: |_, _| post(&[("id", "987654321"), ("only_valid", "on")]),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(404), false),
        },
        // The upload: administrators only, refused before the body is read
        // (a form that is not multipart sends an administrator back to the
        // import page with `galat=formulir`); the anonymous sign in first.
        Case {
            endpoint: "/admin/impor/unggah",
            page: false,
            request: |_, _| post(&[("jenis", "mutasi")]),
            about_a_person: false,
            expect: |w, _| match w {
                Who::Anonymous => RedirectTo("/masuk"),
                Who::Admin => Status(303),
                _ => Status(404),
            },
        },
        // The templates hold no personal data: public.
        Case {
            endpoint: "/admin/impor/templat/{file}",
            page: true,
            request: |_, _| Request::Get("/admin/impor/templat/mutasi.csv".into()),
            about_a_person: false,
            expect: |_, _| Status(200),
        },
        // Exports: the page and its one server function for managers and
        // administrators; the downloads likewise, the audit trail for
        // administrators only (the anonymous are sent to sign in).
        Case {
            endpoint: "/ekspor",
            page: true,
            request: |_, _| Request::Get("/ekspor".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/fn/export_options",
            page: false,
            request: |_, _| post(&[]),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), false),
        },
        Case {
            endpoint: "/ekspor/progres-pegawai.csv",
            page: true,
            request: |_, _| Request::Get("/ekspor/progres-pegawai.csv".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/ekspor/progres-unit.csv",
            page: true,
            request: |_, _| Request::Get("/ekspor/progres-unit.csv".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/ekspor/riwayat-pelatihan.csv",
            page: true,
            request: |_, _| Request::Get("/ekspor/riwayat-pelatihan.csv".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/ekspor/terlambat.csv",
            page: true,
            request: |_, _| Request::Get("/ekspor/terlambat.csv".into()),
            about_a_person: false,
            expect: |w, _| managers(w, Status(200), true),
        },
        Case {
            endpoint: "/ekspor/audit.csv",
            page: true,
            request: |_, _| Request::Get("/ekspor/audit.csv".into()),
            about_a_person: false,
            expect: |w, _| admin_only(w, Status(200), true),
        },
    ]
}

/// Leptos may write route parameters as `:id` or `{id}`; compare one form.
fn normalise(path: &str) -> String {
    path.split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) => format!("{{{name}}}"),
            None => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[tokio::test]
async fn the_matrix_covers_every_endpoint() {
    let in_matrix: BTreeSet<String> = matrix().iter().map(|c| c.endpoint.to_string()).collect();
    let mut served: BTreeSet<String> = jejak::http::server_fn_paths()
        .iter()
        .chain(jejak::http::page_paths().iter())
        .map(|p| normalise(p))
        .collect();
    served.extend(jejak::http::PLAIN_ROUTES.iter().map(|p| p.to_string()));
    let missing: Vec<_> = served.difference(&in_matrix).collect();
    let stale: Vec<_> = in_matrix.difference(&served).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "endpoints without a row in the authorisation matrix: {missing:?}; \
         rows for endpoints that no longer exist: {stale:?}"
    );
}

struct World {
    app: TestApp,
    clients: HashMap<Who, reqwest::Client>,
    own: HashMap<Who, i64>,
    newcomer: i64,
    colleague: i64,
    outsider: i64,
    trainer_courses: Vec<i64>,
    /// One of the newcomer's open assignments.
    newcomer_assignment: i64,
}

impl World {
    fn target_id(&self, who: Who, target: Target) -> i64 {
        match target {
            // The anonymous have no page of their own; any real person will do.
            Target::Own => self.own.get(&who).copied().unwrap_or(self.newcomer),
            Target::Newcomer => self.newcomer,
            Target::Colleague => self.colleague,
            Target::Outsider => self.outsider,
            Target::Missing => 987_654_321,
        }
    }
}

async fn login_of(logins: &[DemoLogin], role: &str) -> DemoLogin {
    logins.iter().find(|l| l.role == role).cloned().unwrap()
}

/// The demo organisation with one signed-in client per role, and the targets
/// chosen from the data by what makes them what they are.
async fn world(backend: Backend) -> World {
    jejak_tests::require_site();
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .expect("demo data");
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let mut clients = HashMap::new();
    let mut own = HashMap::new();
    clients.insert(Who::Anonymous, http_client());
    for (who, role) in [
        (Who::Employee, "employee"),
        (Who::Trainer, "trainer"),
        (Who::Manager, "manager"),
        (Who::Admin, "admin"),
    ] {
        let l = login_of(&logins, role).await;
        clients.insert(who, app.sign_in(&l.nip, DEMO_PASSWORD).await);
        own.insert(who, l.employee_id);
    }
    let newcomer = own[&Who::Employee];
    let trainer_courses: Vec<i64> = account_role::Entity::find()
        .filter(account_role::Column::Role.eq("trainer"))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|r| r.course_id)
        .collect();
    let manager_unit = account_role::Entity::find()
        .filter(account_role::Column::Role.eq("manager"))
        .one(app.db())
        .await
        .unwrap()
        .and_then(|r| r.unit_id)
        .unwrap();
    let takes_trainers_course = |id: i64| {
        let courses = trainer_courses.clone();
        let db = app.db().clone();
        async move {
            assignment::Entity::find()
                .filter(assignment::Column::EmployeeId.eq(id))
                .filter(assignment::Column::CourseId.is_in(courses))
                .one(&db)
                .await
                .unwrap()
                .is_some()
        }
    };
    assert!(
        takes_trainers_course(newcomer).await,
        "the demo employee takes a course the demo trainer teaches"
    );
    let demo_people: Vec<i64> = own.values().copied().collect();
    let (mut colleague, mut outsider) = (None, None);
    for e in employee::Entity::find().all(app.db()).await.unwrap() {
        if demo_people.contains(&e.id) || takes_trainers_course(e.id).await {
            continue;
        }
        let in_kecamatan = unit_lookup::unit_path(app.db(), e.unit_id)
            .await
            .unwrap()
            .contains(&manager_unit);
        match (in_kecamatan, colleague, outsider) {
            (true, None, _) => colleague = Some(e.id),
            (false, _, None) => outsider = Some(e.id),
            _ => {}
        }
    }
    let newcomer_assignment = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(newcomer))
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .one(app.db())
        .await
        .unwrap()
        .expect("the newcomer has open work")
        .id;
    World {
        app,
        newcomer_assignment,
        clients,
        own,
        newcomer,
        colleague: colleague.expect("a colleague in the kecamatan"),
        outsider: outsider.expect("someone in another unit"),
        trainer_courses,
    }
}

async fn call(w: &World, who: Who, case: &Case, id: i64) -> (Outcome, String) {
    let client = &w.clients[&who];
    let res = match (case.request)(who, id) {
        Request::Post(fields) => client
            .post(w.app.url(case.endpoint))
            .form(&fields)
            .send()
            .await
            .unwrap(),
        Request::Get(path) => {
            // A page answered 503 with Retry-After says "busy, ask again",
            // not who may see it: on a starved machine (the whole suite at
            // once on two cores) a page can pass the request deadline. It
            // is asked again, at most twice; a second 503 stands.
            let mut tries = 0;
            loop {
                let res = client
                    .get(w.app.url(&path))
                    .header("Accept", "text/html")
                    .send()
                    .await
                    .unwrap();
                if res.status() != 503 || tries == 2 {
                    break res;
                }
                tries += 1;
                eprintln!("{path} as {who:?}: 503 (busy), asked again");
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        }
    };
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = res.text().await.unwrap_or_default();
    let outcome = match (status, location) {
        (302 | 303, Some(l)) if l == "/masuk" => RedirectTo("/masuk"),
        (s, _) => Status(s),
    };
    (outcome, body)
}

on_both_backends!(authorisation_matrix);

async fn authorisation_matrix(backend: Backend) {
    let w = world(backend).await;
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut bodies_of_not_found: HashMap<&str, BTreeSet<String>> = HashMap::new();
    for case in matrix().iter().filter(|c| c.endpoint != "/fn/sign_out") {
        let about_an_assignment = case.endpoint == "/fn/self_report";
        let targets: &[Target] = if case.about_a_person {
            &TARGETS
        } else if about_an_assignment {
            &[Target::Newcomer, Target::Missing]
        } else {
            &[Target::Own]
        };
        for who in EVERYONE {
            for &target in targets {
                let id = match (about_an_assignment, target) {
                    (true, Target::Newcomer) => w.newcomer_assignment,
                    _ => w.target_id(who, target),
                };
                let expected = (case.expect)(who, target);
                let (got, body) = call(&w, who, case, id).await;
                checked += 1;
                if got != expected {
                    failures.push(format!(
                        "{} as {who:?} on {target:?} (id {id}): expected {expected:?}, got {got:?}",
                        case.endpoint
                    ));
                }
                if case.about_a_person && got == Status(404) && !case.page {
                    bodies_of_not_found
                        .entry(case.endpoint)
                        .or_default()
                        .insert(body);
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Forbidden and absent are indistinguishable: the same body.
    for (endpoint, bodies) in bodies_of_not_found {
        assert_eq!(
            bodies.len(),
            1,
            "{endpoint} answers 404 in different ways: {bodies:?}"
        );
    }

    // A trainer sees only the assignments of the courses they teach.
    let res = w.clients[&Who::Trainer]
        .post(w.app.url("/fn/person"))
        .form(&[("employee_id", w.newcomer.to_string())])
        .send()
        .await
        .unwrap();
    let page: serde_json::Value = res.json().await.unwrap();
    assert_eq!(page["limited_to_own_courses"], true);
    let shown: Vec<i64> = page["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(!shown.is_empty());
    let all = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(w.newcomer))
        .all(w.app.db())
        .await
        .unwrap();
    assert!(
        all.len() > shown.len(),
        "the newcomer has other courses too"
    );
    for a in all.iter().filter(|a| shown.contains(&a.id)) {
        assert!(w.trainer_courses.contains(&a.course_id));
    }

    // Signing out: every signed-in client is anonymous afterwards.
    for who in EVERYONE {
        let client = &w.clients[&who];
        let res = client.post(w.app.url("/fn/sign_out")).send().await.unwrap();
        assert_eq!(res.status(), 200, "sign_out as {who:?}");
        let me: serde_json::Value = client
            .post(w.app.url("/fn/whoami"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(me.is_null(), "{who:?} is signed out: {me}");
    }
    w.app.stop().await;
}
