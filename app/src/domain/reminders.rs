//! Which reminders are due: a pure function of the state (a [`Snapshot`]) and
//! the local date ("today", in the schedule's time zone, Asia/Jakarta by
//! default). No database, no clock, no I/O; compiled for the browser too.
//!
//! The scheduler calls [`due_reminders`] on every tick and inserts the result
//! into the outbox, whose unique index is [`Reminder::key`]. The promise of
//! issue 6 rests on how occurrences and keys are chosen here:
//!
//! - **Never duplicated.** A key depends only on (kind, subject, occurrence,
//!   recipient), never on the day or time of the tick. Two ticks on one day,
//!   two ticks on consecutive days inside the same occurrence, or two
//!   instances racing, all produce the same key, and the outbox keeps one row.
//!   Every key component is a number or a fixed word without `/`, so two
//!   different tuples can never spell the same key.
//! - **Never lost (catch-up).** An occurrence is a *window of days*, not one
//!   day: a tick anywhere in the window produces it. When the scheduler was
//!   down on the day a reminder became due, the next tick still produces it,
//!   with the same key. A window ends only when a later occurrence of the same
//!   series supersedes it (on the day before the due date, "due in 1 day"
//!   replaces "due in 7 days"; the 2nd overdue reminder replaces the 1st) or
//!   when the message would no longer be true ("due soon" after the due date,
//!   "your certificate expires" after it expired, "you have a new plan" weeks
//!   later). Superseded occurrences are not produced late: one up-to-date
//!   message is better than a burst of stale ones.
//! - **Never after the work is done.** Only open work produces anything:
//!   completed, waived or cancelled assignments, written check-ins,
//!   completions whose renewal is already open, and plans without open work
//!   produce nothing. (The delivery worker re-checks this just before
//!   sending, because a message may wait in the outbox for a while.)
//! - **Bounded.** At most [`ReminderPolicy::overdue_max`] overdue reminders
//!   and one escalation per assignment and supervisor, one notice per
//!   check-in, recertification and plan, one due-soon reminder per offset.
//!
//! Cost: one pass over each list of the snapshot plus one `HashSet` of the
//! plans that still have open work, so a million assignments are decided in
//! linear time; each reminder allocates its two short strings and nothing
//! else is allocated per row.

use std::collections::HashSet;
use std::fmt::{self, Write as _};

use chrono::{Datelike, IsoWeek, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::progress::AssignmentState;

// ---------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------

/// What to send and when. Every kind can be switched off; the defaults are
/// the ones in issue 6. Missing fields in stored configuration take their
/// default (`#[serde(default)]`), so adding a setting never breaks old
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReminderPolicy {
    /// "You have a new training plan", to the employee.
    pub new_plan: bool,
    /// A plan is announced only up to this many days after it was created
    /// (inclusive), so switching the feature on (or a long outage) does not
    /// mail every old plan. Default 7.
    pub new_plan_days: u32,

    /// "Due in N days", to the employee.
    pub due_soon: bool,
    /// Days before the due date (default `[7, 1]`). Order and duplicates do
    /// not matter. The smallest offset also covers the due date itself.
    pub due_soon_days: Vec<u32>,

    /// "Overdue", to the employee, repeating.
    pub overdue: bool,
    /// Length of one overdue period in days (default 7; 0 is read as 1).
    pub overdue_every_days: u32,
    /// At most this many overdue reminders per assignment (default 4).
    pub overdue_max: u32,

    /// "Your staff member is behind", to the direct supervisor, once.
    pub escalation: bool,
    /// Escalate once the work is this many days overdue (default 7; 0 is
    /// read as 1, because work is never overdue on its due date).
    pub escalate_after_days: u32,

    /// "An adaptation check-in is due", to the supervisor.
    pub checkin: bool,
    /// Days before the check-in's due date (default 3).
    pub checkin_notice_days: u32,

    /// "Your certificate expires", to the employee.
    pub recert: bool,
    /// Days before the expiry date (default 30).
    pub recert_notice_days: u32,
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        ReminderPolicy {
            new_plan: true,
            new_plan_days: 7,
            due_soon: true,
            due_soon_days: vec![7, 1],
            overdue: true,
            overdue_every_days: 7,
            overdue_max: 4,
            escalation: true,
            escalate_after_days: 7,
            checkin: true,
            checkin_notice_days: 3,
            recert: true,
            recert_notice_days: 30,
        }
    }
}

// ---------------------------------------------------------------------------
// Snapshot: what the decision needs, nothing more
// ---------------------------------------------------------------------------

/// The state the decision looks at, loaded by the caller in one go. Only ids,
/// dates and states: names, courses and addresses are looked up when the
/// message is written, so the snapshot of a million assignments stays small.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Assignments. Closed ones may be included (they produce nothing).
    /// Every open assignment of a listed plan must be here (it tells
    /// whether the plan still has open work); other open assignments may
    /// be left out when they cannot produce anything today (due after the
    /// largest due-soon offset), which is what the database loader does.
    pub assignments: Vec<AssignmentFacts>,
    /// Plans that may be announced: transfer plans (renewal plans are
    /// announced by the recertification notice). The loader may restrict
    /// this to plans created within `new_plan_days`.
    pub plans: Vec<PlanFacts>,
    /// Adaptation check-ins (30/60/90 days after the TMT).
    pub checkins: Vec<CheckInFacts>,
    /// For each person and course, the latest completion that has an expiry
    /// date (older completions of the same course are superseded and must
    /// not be listed).
    pub expiring: Vec<ExpiringCompletion>,
}

/// One assignment (one course of a plan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentFacts {
    /// The assignment's id: the subject of due-soon, overdue and escalation.
    pub id: i64,
    /// The plan it belongs to (a plan is announced only while it has open work).
    pub plan_id: i64,
    /// Who must do the work: recipient of due-soon and overdue reminders.
    pub employee_id: i64,
    /// The employee's direct supervisor (atasan langsung) today, if known:
    /// recipient of the escalation. `None`: nobody to escalate to.
    pub supervisor_id: Option<i64>,
    /// The due date (tenggat).
    pub due: NaiveDate,
    /// Stored state; only `assigned` and `in_progress` produce reminders.
    pub state: AssignmentState,
}

/// One training plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanFacts {
    /// The plan's id: the subject of the new-plan notice.
    pub id: i64,
    /// Whose plan it is: the recipient.
    pub employee_id: i64,
    /// The local date the plan was created (the transfer was completed).
    pub created_on: NaiveDate,
}

/// One adaptation check-in, written by the supervisor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInFacts {
    /// The check-in's id: the subject of the notice.
    pub id: i64,
    /// The newcomer the check-in is about.
    pub employee_id: i64,
    /// Who writes it: the recipient. `None`: nobody to notify.
    pub supervisor_id: Option<i64>,
    /// The date it should be written by (TMT + 30/60/90 days).
    pub due: NaiveDate,
    /// Already written: nothing more to say about it.
    pub written: bool,
}

/// A completion whose validity ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExpiringCompletion {
    /// The completion record's id: the subject of the notice.
    pub record_id: i64,
    /// Who holds it: the recipient.
    pub employee_id: i64,
    /// The last day it is valid.
    pub expires_on: NaiveDate,
    /// A renewal assignment is already open: its own due-soon and overdue
    /// reminders take over, so no notice.
    pub renewal_open: bool,
}

// ---------------------------------------------------------------------------
// Reminders and keys
// ---------------------------------------------------------------------------

/// What a message is. The stored form (`as_str`) is the first part of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    NewPlan,
    DueSoon,
    Overdue,
    Escalation,
    CheckInDue,
    RecertDue,
    /// Never produced by [`due_reminders`]: the digest job uses it (with
    /// [`digest_key`]) so the outbox has one vocabulary of kinds.
    WeeklyDigest,
    /// Never produced by [`due_reminders`]: an administrator issued a
    /// set-password link for a person with an email address
    /// (`backend::access::accounts::issue_password_link`). The delivery worker
    /// mints the link's secret when it sends, so it is stored nowhere but
    /// hashed.
    PasswordLink,
    /// Never produced by [`due_reminders`]: many failed sign-ins to an
    /// account made its login counter start blocking
    /// (`auth::throttle`); its owner is told once per episode.
    FailedSignIns,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 9] = [
        ReminderKind::NewPlan,
        ReminderKind::DueSoon,
        ReminderKind::Overdue,
        ReminderKind::Escalation,
        ReminderKind::CheckInDue,
        ReminderKind::RecertDue,
        ReminderKind::WeeklyDigest,
        ReminderKind::PasswordLink,
        ReminderKind::FailedSignIns,
    ];

    /// The stored word (`outbox.kind`, the first part of a key).
    pub fn as_str(self) -> &'static str {
        self.spec().word
    }

    /// What this kind means: see [`KINDS`].
    pub fn spec(self) -> &'static KindSpec {
        // `KINDS` lists the kinds in declaration order (checked by a test).
        &KINDS[self as usize]
    }

    pub fn parse(s: &str) -> Option<Self> {
        ReminderKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ReminderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// What each kind means
// ---------------------------------------------------------------------------

/// Who receives a message of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The person the message is about: whose work is due, whose plan is
    /// new, whose certificate expires.
    Employee,
    /// That person's direct supervisor (atasan langsung), never the person
    /// themselves.
    Supervisor,
    /// A manager, about the newcomers in the units they manage.
    Manager,
    /// The holder of an account, about that account.
    AccountHolder,
}

impl Audience {
    /// Who receives a message about `employee_id`, whose direct supervisor
    /// is `supervisor_id`. `None`: nobody (no supervisor known, or the
    /// person would be their own supervisor). A manager's message is not
    /// about one person: `None`.
    pub fn recipient(self, employee_id: i64, supervisor_id: Option<i64>) -> Option<i64> {
        match self {
            Audience::Employee | Audience::AccountHolder => Some(employee_id),
            Audience::Supervisor => supervisor_id.filter(|&s| s != employee_id),
            Audience::Manager => None,
        }
    }
}

/// Whether a queued message is still worth sending: re-checked against the
/// database just before it is sent (`backend::reminders::kinds`), because a
/// message may wait in the outbox for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relevance {
    /// The assignment is still open (assigned, in progress).
    OpenAssignment,
    /// The plan is open and still has open work.
    PlanWithOpenWork,
    /// The check-in is not written yet.
    UnwrittenCheckIn,
    /// The completion still exists and no renewal of its course is open.
    NoRenewalOpen,
    /// The account can still be used, and no newer message of the kind
    /// about it was queued since (only the newest link is sent).
    NewestForUsableAccount,
    /// The account can still be used.
    UsableAccount,
    /// Always (the digest reads its rows when it is sent).
    Always,
}

/// What a message reads from the database when it is sent, to be written
/// (`backend::reminders::kinds`; the fields of `MailFacts` it fills). Read
/// at send time, so a message says what is true when it leaves. Every kind
/// also reads the recipient's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facts {
    /// The assignment's course (`course_code`, `course_title`), due date
    /// (`date`, `days`) and employee (`employee_id`; `employee_name` when
    /// the audience is the supervisor).
    Assignment,
    /// The plan's title (`plan_title`) and its open courses (`courses`).
    Plan,
    /// The newcomer (`employee_id`, `employee_name`) and the check-in's due
    /// date (`date`, `days`).
    CheckIn,
    /// The completion's course (`course_*`) and its expiry date (`date`,
    /// `days`).
    Expiry,
    /// The manager's newcomers (`digest`) and today (`date`); none left:
    /// nothing to send.
    Digest,
    /// A set-password link minted now (`password_token`) and the last day it
    /// works (`date`).
    PasswordLink,
    /// The local day the failed sign-ins began (`date`).
    SignInEpisode,
}

/// The page a message points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Link {
    /// The employee's own training (`/saya`).
    MyTraining,
    /// The person the message is about (`/pegawai/<employee_id>`).
    Employee,
    /// The manager's page (`/manajer`).
    Manager,
    /// The set-password link itself (`/atur-sandi/<token>`).
    SetPassword,
    /// Changing one's password (`/sandi`).
    ChangePassword,
}

impl Link {
    /// The path (without the host), for a message about `employee_id`
    /// carrying `password_token`.
    pub fn path(self, employee_id: i64, password_token: &str) -> String {
        match self {
            Link::MyTraining => "/saya".to_string(),
            Link::Employee => format!("/pegawai/{employee_id}"),
            Link::Manager => "/manajer".to_string(),
            Link::SetPassword => format!("/atur-sandi/{password_token}"),
            Link::ChangePassword => "/sandi".to_string(),
        }
    }
}

/// Everything a kind means, in one row: the decision takes the recipient
/// from `audience`, the outbox re-checks `relevance` before sending, the
/// delivery worker reads `facts`, and the message points to `link`. Its
/// words are in `backend::reminders::mail::compose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSpec {
    pub kind: ReminderKind,
    /// The stored word (`outbox.kind`, the first part of a key).
    pub word: &'static str,
    /// Who receives it.
    pub audience: Audience,
    /// What it is about (`outbox.subject_kind`).
    pub subject: &'static str,
    /// Whether it is still worth sending.
    pub relevance: Relevance,
    /// What it reads to be written.
    pub facts: Facts,
    /// Where it points.
    pub link: Link,
}

/// The due-soon notice: to the employee, about an open assignment. The
/// overdue notice is the same but for its name.
const DUE_SOON: KindSpec = KindSpec {
    kind: ReminderKind::DueSoon,
    word: "due_soon",
    audience: Audience::Employee,
    subject: "assignment",
    relevance: Relevance::OpenAssignment,
    facts: Facts::Assignment,
    link: Link::MyTraining,
};

/// The meaning of every kind, in [`ReminderKind`] declaration order.
pub const KINDS: [KindSpec; 9] = [
    KindSpec {
        kind: ReminderKind::NewPlan,
        word: "new_plan",
        audience: Audience::Employee,
        subject: "plan",
        relevance: Relevance::PlanWithOpenWork,
        facts: Facts::Plan,
        link: Link::MyTraining,
    },
    DUE_SOON,
    KindSpec {
        kind: ReminderKind::Overdue,
        word: "overdue",
        ..DUE_SOON
    },
    KindSpec {
        kind: ReminderKind::Escalation,
        word: "escalation",
        audience: Audience::Supervisor,
        subject: "assignment",
        relevance: Relevance::OpenAssignment,
        facts: Facts::Assignment,
        link: Link::Employee,
    },
    KindSpec {
        kind: ReminderKind::CheckInDue,
        word: "checkin_due",
        audience: Audience::Supervisor,
        subject: "checkin",
        relevance: Relevance::UnwrittenCheckIn,
        facts: Facts::CheckIn,
        link: Link::Employee,
    },
    KindSpec {
        kind: ReminderKind::RecertDue,
        word: "recert_due",
        audience: Audience::Employee,
        subject: "completion",
        relevance: Relevance::NoRenewalOpen,
        facts: Facts::Expiry,
        link: Link::MyTraining,
    },
    KindSpec {
        kind: ReminderKind::WeeklyDigest,
        word: "weekly_digest",
        audience: Audience::Manager,
        subject: "digest",
        relevance: Relevance::Always,
        facts: Facts::Digest,
        link: Link::Manager,
    },
    KindSpec {
        kind: ReminderKind::PasswordLink,
        word: "password_link",
        audience: Audience::AccountHolder,
        subject: "account",
        relevance: Relevance::NewestForUsableAccount,
        facts: Facts::PasswordLink,
        link: Link::SetPassword,
    },
    KindSpec {
        kind: ReminderKind::FailedSignIns,
        word: "failed_sign_ins",
        audience: Audience::AccountHolder,
        subject: "account",
        relevance: Relevance::UsableAccount,
        facts: Facts::SignInEpisode,
        link: Link::ChangePassword,
    },
];

/// What a reminder is about. Shown in keys as `a12` (assignment), `p3`
/// (plan), `ci7` (check-in), `r40` (completion record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Assignment(i64),
    Plan(i64),
    CheckIn(i64),
    Completion(i64),
}

impl Subject {
    pub fn id(self) -> i64 {
        match self {
            Subject::Assignment(id)
            | Subject::Plan(id)
            | Subject::CheckIn(id)
            | Subject::Completion(id) => id,
        }
    }

    fn prefix(self) -> &'static str {
        match self {
            Subject::Assignment(_) => "a",
            Subject::Plan(_) => "p",
            Subject::CheckIn(_) => "ci",
            Subject::Completion(_) => "r",
        }
    }
}

impl fmt::Display for Subject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.prefix(), self.id())
    }
}

/// One message to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminder {
    pub recipient_employee_id: i64,
    pub kind: ReminderKind,
    pub subject: Subject,
    /// Which occurrence of the series: `d7`/`d1` (due-soon offset in days),
    /// `o1`..`oN` (overdue period), `once` (everything sent at most once).
    pub occurrence: String,
    /// `kind/subject/occurrence/e<recipient>`, e.g. `due_soon/a123/d7/e45`:
    /// the outbox's unique key.
    pub key: String,
}

/// The outbox key of a reminder: `kind/subject/occurrence/e<recipient>`.
/// Depends on nothing else (in particular not on the day of the tick), which
/// is what makes repeated and concurrent ticks harmless.
pub fn reminder_key(
    kind: ReminderKind,
    subject: Subject,
    occurrence: &str,
    recipient_employee_id: i64,
) -> String {
    let mut key = String::with_capacity(40);
    // Writing to a String cannot fail.
    let _ = write!(
        key,
        "{kind}/{subject}/{occurrence}/e{recipient_employee_id}"
    );
    key
}

fn reminder(recipient: i64, kind: ReminderKind, subject: Subject, occurrence: String) -> Reminder {
    Reminder {
        key: reminder_key(kind, subject, &occurrence, recipient),
        recipient_employee_id: recipient,
        kind,
        subject,
        occurrence,
    }
}

const ONCE: &str = "once";

/// Adds a reminder of `kind` about `subject` (work of `employee_id`, whose
/// direct supervisor is `supervisor_id`) for whoever the kind's
/// [`Audience`] names; nothing when that is nobody.
fn push(
    out: &mut Vec<Reminder>,
    kind: ReminderKind,
    subject: Subject,
    (employee_id, supervisor_id): (i64, Option<i64>),
    occurrence: impl Into<String>,
) {
    if let Some(to) = kind.spec().audience.recipient(employee_id, supervisor_id) {
        out.push(reminder(to, kind, subject, occurrence.into()));
    }
}

// ---------------------------------------------------------------------------
// The decision
// ---------------------------------------------------------------------------

/// The reminders due on `today` (a local date), in snapshot order: plans,
/// then assignments, check-ins, expiring completions.
///
/// Occurrences and the days that produce them (`left` = due − today,
/// `late` = today − due; `to` is the kind's [`Audience`], see [`KINDS`]):
///
/// | kind        | to         | occurrence | produced while                                         |
/// |-------------|------------|------------|--------------------------------------------------------|
/// | new_plan    | employee   | `once`     | 0 ≤ today − created ≤ `new_plan_days`, plan has open work |
/// | due_soon    | employee   | `d<o>`     | `o` is the smallest offset with 0 ≤ left ≤ o           |
/// | overdue     | employee   | `o<k>`     | late ≥ 1 and k = late / every + 1 ≤ `overdue_max`      |
/// | escalation  | supervisor | `once`     | late ≥ `escalate_after_days`, supervisor known (≠ employee) |
/// | checkin_due | supervisor | `once`     | left ≤ `checkin_notice_days`, not written, supervisor known |
/// | recert_due  | employee   | `once`     | 0 ≤ left ≤ `recert_notice_days`, no renewal open       |
///
/// So overdue occurrence k covers `late` in [(k−1)·every, k·every) (late 0
/// is the due date, which is not overdue yet), and the due-soon offset `o`
/// covers `left` in (next smaller offset, o]. Escalations and check-in
/// notices have no end: the supervisor still needs to know, however late
/// the tick. Only open work (assigned, in progress) produces anything.
pub fn due_reminders(
    snapshot: &Snapshot,
    policy: &ReminderPolicy,
    today: NaiveDate,
) -> Vec<Reminder> {
    let mut out = Vec::new();

    // Plans first: they need to know which plans still have open work.
    if policy.new_plan && !snapshot.plans.is_empty() {
        let with_open_work: HashSet<i64> = snapshot
            .assignments
            .iter()
            .filter(|a| a.state.is_open())
            .map(|a| a.plan_id)
            .collect();
        let max_age = i64::from(policy.new_plan_days);
        for p in &snapshot.plans {
            let age = (today - p.created_on).num_days();
            if (0..=max_age).contains(&age) && with_open_work.contains(&p.id) {
                let whose = (p.employee_id, None);
                push(
                    &mut out,
                    ReminderKind::NewPlan,
                    Subject::Plan(p.id),
                    whose,
                    ONCE,
                );
            }
        }
    }

    // Ascending and without duplicates: the first offset ≥ days left is the
    // current occurrence (on day −1 that is d1, which supersedes d7).
    let mut offsets: Vec<i64> = if policy.due_soon {
        policy.due_soon_days.iter().map(|&o| i64::from(o)).collect()
    } else {
        Vec::new()
    };
    offsets.sort_unstable();
    offsets.dedup();
    let every = i64::from(policy.overdue_every_days.max(1));
    let overdue_max = if policy.overdue {
        i64::from(policy.overdue_max)
    } else {
        0
    };
    let escalate_after = i64::from(policy.escalate_after_days.max(1));

    for a in &snapshot.assignments {
        if !a.state.is_open() {
            continue;
        }
        let (subject, whose) = (Subject::Assignment(a.id), (a.employee_id, a.supervisor_id));
        let left = (a.due - today).num_days();
        if left >= 0 {
            if let Some(o) = offsets.iter().find(|&&o| left <= o) {
                push(
                    &mut out,
                    ReminderKind::DueSoon,
                    subject,
                    whose,
                    format!("d{o}"),
                );
            }
            continue;
        }
        let late = -left;
        let k = late / every + 1;
        if k <= overdue_max {
            push(
                &mut out,
                ReminderKind::Overdue,
                subject,
                whose,
                format!("o{k}"),
            );
        }
        if policy.escalation && late >= escalate_after {
            push(&mut out, ReminderKind::Escalation, subject, whose, ONCE);
        }
    }

    if policy.checkin {
        let notice = i64::from(policy.checkin_notice_days);
        for c in &snapshot.checkins {
            if c.written || (c.due - today).num_days() > notice {
                continue;
            }
            let whose = (c.employee_id, c.supervisor_id);
            push(
                &mut out,
                ReminderKind::CheckInDue,
                Subject::CheckIn(c.id),
                whose,
                ONCE,
            );
        }
    }

    if policy.recert {
        let window = 0..=i64::from(policy.recert_notice_days);
        for e in &snapshot.expiring {
            if !e.renewal_open && window.contains(&(e.expires_on - today).num_days()) {
                let subject = Subject::Completion(e.record_id);
                push(
                    &mut out,
                    ReminderKind::RecertDue,
                    subject,
                    (e.employee_id, None),
                    ONCE,
                );
            }
        }
    }

    out
}

// ---------------------------------------------------------------------------
// Weekly manager digest
// ---------------------------------------------------------------------------

/// The ISO week (Monday to Sunday) a *local* date belongs to. Pass the date in
/// the schedule's time zone, not UTC: a digest run at Monday 06:30 WIB is
/// still Sunday 23:30 UTC, and would be filed under the previous week (whose
/// digest was already sent, so this week's would be lost). Around New Year
/// the ISO year can differ from the calendar year (31 December 2026 and
/// 1 January 2027 are both in 2026-W53).
pub fn digest_week(local_date: NaiveDate) -> IsoWeek {
    local_date.iso_week()
}

/// The first and last day (Monday, Sunday) of an ISO week, for the digest's
/// heading ("Minggu 23–29 November 2026").
pub fn week_days(week: IsoWeek) -> (NaiveDate, NaiveDate) {
    let monday = NaiveDate::from_isoywd_opt(week.year(), week.week(), Weekday::Mon)
        .expect("an IsoWeek from chrono is a real week");
    (monday, monday + chrono::Days::new(6))
}

/// The outbox key of a manager's weekly digest: `weekly_digest/2026-W48/e7`.
/// One per manager and ISO week, whichever day of the week the digest job
/// runs: a missed Monday can be caught up later in the week without ever
/// sending two digests for one week.
pub fn digest_key(manager_employee_id: i64, iso_week: IsoWeek) -> String {
    format!(
        "{}/{}-W{:02}/e{}",
        ReminderKind::WeeklyDigest,
        iso_week.year(),
        iso_week.week(),
        manager_employee_id
    )
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dates::ymd as d;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use AssignmentState as S;
    use ReminderKind as K;

    /// Day 0 of the walks: the transfer is completed and the plan created.
    fn day0() -> NaiveDate {
        d(2026, 7, 1)
    }

    fn on(day: i64) -> NaiveDate {
        day0() + chrono::Duration::days(day)
    }

    fn assignment(id: i64, due: NaiveDate, state: AssignmentState) -> AssignmentFacts {
        AssignmentFacts {
            id,
            plan_id: 1,
            employee_id: 45,
            supervisor_id: Some(7),
            due,
            state,
        }
    }

    fn only(a: AssignmentFacts) -> Snapshot {
        Snapshot {
            assignments: vec![a],
            ..Default::default()
        }
    }

    /// (kind, subject, occurrence, recipient) of each reminder, in order.
    fn summary(rs: &[Reminder]) -> Vec<(ReminderKind, Subject, String, i64)> {
        rs.iter()
            .map(|r| {
                (
                    r.kind,
                    r.subject,
                    r.occurrence.clone(),
                    r.recipient_employee_id,
                )
            })
            .collect()
    }

    fn occurrences(s: &Snapshot, p: &ReminderPolicy, today: NaiveDate) -> Vec<String> {
        due_reminders(s, p, today)
            .into_iter()
            .map(|r| format!("{}:{}", r.kind, r.occurrence))
            .collect()
    }

    // --- policy -----------------------------------------------------------

    #[test]
    fn the_default_policy_is_the_one_in_the_issue() {
        let p = ReminderPolicy::default();
        assert_eq!(p.due_soon_days, vec![7, 1]);
        assert_eq!((p.overdue_every_days, p.overdue_max), (7, 4));
        assert_eq!(p.escalate_after_days, 7);
        assert_eq!(p.checkin_notice_days, 3);
        assert_eq!(p.recert_notice_days, 30);
        assert_eq!(p.new_plan_days, 7);
        assert!(p.new_plan && p.due_soon && p.overdue && p.escalation && p.checkin && p.recert);
    }

    #[test]
    fn stored_policy_with_missing_fields_takes_the_defaults() {
        let p: ReminderPolicy =
            serde_json::from_str(r#"{"overdue_max": 2, "escalation": false}"#).unwrap();
        assert_eq!(p.overdue_max, 2);
        assert!(!p.escalation);
        assert_eq!(p.due_soon_days, vec![7, 1]);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<ReminderPolicy>(&json).unwrap(), p);
    }

    #[test]
    fn kinds_round_trip_through_their_stored_form() {
        for k in ReminderKind::ALL {
            assert_eq!(ReminderKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ReminderKind::parse("spam"), None);
    }

    #[test]
    fn every_kind_has_its_own_row_of_meaning() {
        assert_eq!(KINDS.len(), ReminderKind::ALL.len());
        for (i, k) in ReminderKind::ALL.into_iter().enumerate() {
            assert_eq!(KINDS[i].kind, k);
            assert_eq!(k.spec().kind, k);
        }
        let words: HashSet<&str> = KINDS.iter().map(|s| s.word).collect();
        assert_eq!(words.len(), KINDS.len());
    }

    #[test]
    fn the_audience_names_the_recipient() {
        assert_eq!(Audience::Employee.recipient(45, Some(7)), Some(45));
        assert_eq!(Audience::Supervisor.recipient(45, Some(7)), Some(7));
        assert_eq!(Audience::Supervisor.recipient(45, Some(45)), None);
        assert_eq!(Audience::Supervisor.recipient(45, None), None);
        assert_eq!(Audience::Manager.recipient(45, Some(7)), None);
    }

    #[test]
    fn keys_spell_kind_subject_occurrence_and_recipient() {
        assert_eq!(
            reminder_key(K::DueSoon, Subject::Assignment(123), "d7", 45),
            "due_soon/a123/d7/e45"
        );
        assert_eq!(
            reminder_key(K::CheckInDue, Subject::CheckIn(9), ONCE, 7),
            "checkin_due/ci9/once/e7"
        );
        assert_eq!(Subject::Completion(40).to_string(), "r40");
        assert_eq!(Subject::Plan(3).to_string(), "p3");
        // Produced reminders carry exactly the key of their parts.
        let s = only(assignment(1, on(0), S::Assigned));
        for r in due_reminders(&s, &ReminderPolicy::default(), on(-7)) {
            assert_eq!(
                r.key,
                reminder_key(r.kind, r.subject, &r.occurrence, r.recipient_employee_id)
            );
        }
    }

    // --- due soon -----------------------------------------------------------

    #[test]
    fn due_soon_produces_only_the_latest_offset_reached() {
        let s = only(assignment(1, on(0), S::Assigned));
        let p = ReminderPolicy::default();
        assert!(
            occurrences(&s, &p, on(-8)).is_empty(),
            "8 days before: nothing yet"
        );
        assert_eq!(occurrences(&s, &p, on(-7)), ["due_soon:d7"]);
        // A tick that missed day −7 still produces d7 (catch-up), same key.
        assert_eq!(occurrences(&s, &p, on(-2)), ["due_soon:d7"]);
        // On day −1, d1 supersedes d7: not both.
        assert_eq!(occurrences(&s, &p, on(-1)), ["due_soon:d1"]);
    }

    #[test]
    fn due_today_is_still_due_soon_and_due_yesterday_is_overdue() {
        let p = ReminderPolicy::default();
        let s = only(assignment(1, on(0), S::InProgress));
        assert_eq!(
            summary(&due_reminders(&s, &p, on(0))),
            [(K::DueSoon, Subject::Assignment(1), "d1".to_string(), 45)]
        );
        assert_eq!(
            summary(&due_reminders(&s, &p, on(1))),
            [(K::Overdue, Subject::Assignment(1), "o1".to_string(), 45)]
        );
    }

    #[test]
    fn offsets_are_read_in_any_order_and_once() {
        let s = only(assignment(1, on(0), S::Assigned));
        let p = ReminderPolicy {
            due_soon_days: vec![1, 7, 7, 0],
            ..Default::default()
        };
        assert_eq!(occurrences(&s, &p, on(-5)), ["due_soon:d7"]);
        assert_eq!(occurrences(&s, &p, on(-1)), ["due_soon:d1"]);
        assert_eq!(occurrences(&s, &p, on(0)), ["due_soon:d0"]);
        let none = ReminderPolicy {
            due_soon_days: vec![],
            ..Default::default()
        };
        assert!(occurrences(&s, &none, on(0)).is_empty());
    }

    // --- overdue and escalation -----------------------------------------------

    #[test]
    fn overdue_repeats_every_period_and_stops_after_n() {
        let s = only(AssignmentFacts {
            supervisor_id: None,
            ..assignment(1, on(0), S::Assigned)
        });
        let p = ReminderPolicy::default();
        let at = |late: i64| occurrences(&s, &p, on(late));
        assert_eq!(at(1), ["overdue:o1"]);
        assert_eq!(at(6), ["overdue:o1"]);
        assert_eq!(at(7), ["overdue:o2"]);
        assert_eq!(at(13), ["overdue:o2"]);
        assert_eq!(at(14), ["overdue:o3"]);
        assert_eq!(at(21), ["overdue:o4"]);
        assert_eq!(at(27), ["overdue:o4"]);
        assert!(at(28).is_empty(), "N = 4 reached: no fifth");
        assert!(at(400).is_empty());
    }

    #[test]
    fn overdue_limits_and_period_are_configurable() {
        let s = only(assignment(1, on(0), S::Assigned));
        let p = ReminderPolicy {
            overdue_every_days: 0, // read as daily
            overdue_max: 2,
            escalation: false,
            ..Default::default()
        };
        assert_eq!(occurrences(&s, &p, on(1)), ["overdue:o2"]);
        assert!(occurrences(&s, &p, on(2)).is_empty());
        let never = ReminderPolicy {
            overdue_max: 0,
            escalation: false,
            ..Default::default()
        };
        assert!(occurrences(&s, &never, on(1)).is_empty());
    }

    #[test]
    fn escalation_comes_exactly_k_days_late_once_to_the_supervisor() {
        let s = only(assignment(1, on(0), S::Assigned));
        let p = ReminderPolicy::default();
        let esc = |late: i64| -> Vec<Reminder> {
            due_reminders(&s, &p, on(late))
                .into_iter()
                .filter(|r| r.kind == K::Escalation)
                .collect()
        };
        assert!(esc(6).is_empty(), "6 days late: not yet");
        let first = esc(7);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].recipient_employee_id, 7);
        assert_eq!(first[0].key, "escalation/a1/once/e7");
        // Later ticks (catch-up, or every day after) repeat the same key:
        // one message in the outbox.
        assert_eq!(esc(8), first);
        assert_eq!(esc(200), first);
    }

    #[test]
    fn no_escalation_without_a_supervisor_or_to_oneself() {
        let p = ReminderPolicy::default();
        for supervisor in [None, Some(45)] {
            let s = only(AssignmentFacts {
                supervisor_id: supervisor,
                ..assignment(1, on(0), S::Assigned)
            });
            assert_eq!(
                occurrences(&s, &p, on(10)),
                ["overdue:o2"],
                "{supervisor:?}"
            );
        }
        let zero = ReminderPolicy {
            escalate_after_days: 0, // read as 1: never on the due date itself
            ..Default::default()
        };
        let s = only(assignment(1, on(0), S::Assigned));
        assert_eq!(occurrences(&s, &zero, on(0)), ["due_soon:d1"]);
        assert_eq!(
            occurrences(&s, &zero, on(1)),
            ["overdue:o1", "escalation:once"]
        );
    }

    #[test]
    fn finished_work_never_produces_anything() {
        let p = ReminderPolicy::default();
        for state in [S::Completed, S::Waived, S::Cancelled] {
            let s = only(assignment(1, on(0), state));
            for day in -30..=60 {
                assert!(
                    due_reminders(&s, &p, on(day)).is_empty(),
                    "{state:?} day {day}"
                );
            }
        }
    }

    #[test]
    fn completed_mid_way_stops_everything_from_that_day() {
        let p = ReminderPolicy::default();
        let open = only(assignment(1, on(0), S::InProgress));
        let done = only(assignment(1, on(0), S::Completed));
        assert_eq!(
            occurrences(&open, &p, on(9)),
            ["overdue:o2", "escalation:once"]
        );
        assert!(due_reminders(&done, &p, on(9)).is_empty());
        assert!(due_reminders(&done, &p, on(10)).is_empty());
    }

    // --- check-ins, recertification, new plans ----------------------------------

    /// `s` produces nothing on the day before `first`, then on every day from
    /// `first` to `last` one and the same "once" message (a tick missed is
    /// caught up, never repeated): `kind` about `subject` to `recipient`.
    fn once_from(
        s: &Snapshot,
        first: i64,
        last: i64,
        (kind, subject, recipient): (ReminderKind, Subject, i64),
    ) {
        let p = ReminderPolicy::default();
        let before = due_reminders(s, &p, on(first - 1));
        assert!(before.is_empty(), "before day {first}: {before:?}");
        let r = due_reminders(s, &p, on(first));
        assert_eq!(
            summary(&r),
            [(kind, subject, "once".to_string(), recipient)]
        );
        for day in first..=last {
            assert_eq!(due_reminders(s, &p, on(day)), r, "day {day}");
        }
    }

    /// Check-in `id` of employee 45 (supervisor 7), due on day `due`.
    fn checkin_facts(id: i64, due: i64, written: bool) -> CheckInFacts {
        CheckInFacts {
            id,
            employee_id: 45,
            supervisor_id: Some(7),
            due: on(due),
            written,
        }
    }

    /// Completion `record_id` of employee 45, valid until day `expires`.
    fn expiring_facts(record_id: i64, expires: i64, renewal_open: bool) -> ExpiringCompletion {
        ExpiringCompletion {
            record_id,
            employee_id: 45,
            expires_on: on(expires),
            renewal_open,
        }
    }

    fn checkin(written: bool, supervisor: Option<i64>) -> Snapshot {
        let c = CheckInFacts {
            supervisor_id: supervisor,
            ..checkin_facts(30, 0, written)
        };
        Snapshot {
            checkins: vec![c],
            ..Default::default()
        }
    }

    #[test]
    fn checkin_notice_goes_to_the_supervisor_from_three_days_before_until_written() {
        let p = ReminderPolicy::default();
        // Late and still unwritten: the same single message, even if every
        // tick until now was missed.
        let notice = (K::CheckInDue, Subject::CheckIn(30), 7);
        once_from(&checkin(false, Some(7)), -3, 45, notice);
        assert!(due_reminders(&checkin(true, Some(7)), &p, on(-1)).is_empty());
        assert!(due_reminders(&checkin(false, None), &p, on(-1)).is_empty());
        assert!(due_reminders(&checkin(false, Some(45)), &p, on(-1)).is_empty());
    }

    fn expiring(renewal_open: bool) -> Snapshot {
        Snapshot {
            expiring: vec![expiring_facts(500, 0, renewal_open)],
            ..Default::default()
        }
    }

    #[test]
    fn recert_notice_within_the_window_up_to_the_expiry_day() {
        let p = ReminderPolicy::default();
        let s = expiring(false);
        once_from(&s, -30, 0, (K::RecertDue, Subject::Completion(500), 45));
        // Expired: the renewal assignment (recert::renewals_due) takes over.
        assert!(due_reminders(&s, &p, on(1)).is_empty());
        assert!(due_reminders(&expiring(true), &p, on(-10)).is_empty());
    }

    fn plan_with(state: AssignmentState) -> Snapshot {
        Snapshot {
            plans: vec![PlanFacts {
                id: 1,
                employee_id: 45,
                created_on: on(0),
            }],
            assignments: vec![
                assignment(1, on(90), state),
                assignment(2, on(90), S::Completed),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn a_new_plan_is_announced_only_while_recent_and_with_open_work() {
        let p = ReminderPolicy::default();
        let s = plan_with(S::Assigned);
        // Not before it exists; caught up within 7 days.
        once_from(&s, 0, 7, (K::NewPlan, Subject::Plan(1), 45));
        assert!(
            due_reminders(&s, &p, on(8)).is_empty(),
            "an old plan is not announced"
        );
        for closed in [S::Completed, S::Waived, S::Cancelled] {
            assert!(
                due_reminders(&plan_with(closed), &p, on(0)).is_empty(),
                "{closed:?}"
            );
        }
    }

    #[test]
    fn every_kind_can_be_switched_off() {
        let mut s = plan_with(S::Assigned);
        s.assignments[0].due = on(10);
        s.checkins = checkin(false, Some(7)).checkins;
        s.expiring = expiring(false).expiring;
        let all = ReminderPolicy::default();
        let off = ReminderPolicy {
            new_plan: false,
            due_soon: false,
            overdue: false,
            escalation: false,
            checkin: false,
            recert: false,
            ..Default::default()
        };
        let mut kinds = BTreeSet::new();
        for day in -40..=40 {
            kinds.extend(due_reminders(&s, &all, on(day)).into_iter().map(|r| r.kind));
            assert!(due_reminders(&s, &off, on(day)).is_empty());
        }
        assert_eq!(kinds.len(), 6, "{kinds:?}");
    }

    // --- digest -------------------------------------------------------------------

    #[test]
    fn one_digest_key_per_manager_and_iso_week() {
        let w = digest_week(d(2026, 11, 23));
        assert_eq!(digest_key(7, w), "weekly_digest/2026-W48/e7");
        assert_eq!(week_days(w), (d(2026, 11, 23), d(2026, 11, 29)));
        // Every day of the week gives the same key; the next Monday another.
        for day in 23..=29 {
            assert_eq!(
                digest_key(7, digest_week(d(2026, 11, day))),
                digest_key(7, w)
            );
        }
        assert_eq!(
            digest_key(7, digest_week(d(2026, 11, 30))),
            "weekly_digest/2026-W49/e7"
        );
        assert_ne!(digest_key(8, w), digest_key(7, w));
        // Around New Year the ISO year, not the calendar year, names the week.
        assert_eq!(
            digest_key(7, digest_week(d(2026, 12, 31))),
            "weekly_digest/2026-W53/e7"
        );
        assert_eq!(
            digest_key(7, digest_week(d(2027, 1, 1))),
            "weekly_digest/2026-W53/e7"
        );
        assert_eq!(
            digest_key(7, digest_week(d(2027, 1, 4))),
            "weekly_digest/2027-W01/e7"
        );
        assert_eq!(
            week_days(digest_week(d(2027, 1, 1))),
            (d(2026, 12, 28), d(2027, 1, 3))
        );
    }

    // --- the time-travel walk ---------------------------------------------------------

    /// One transfer completed on day 0 (2026-07-01): employee 45, supervisor
    /// 7, plan 1, and what happens to each piece of work over 120 days.
    /// Events of a day happen before that day's tick.
    fn transfer_on(day: i64) -> Snapshot {
        // (id, due day, state from day 0, Some((day, state)) it changes to)
        type Change = Option<(i64, S)>;
        let timeline: [(i64, i64, S, Change); 7] = [
            (1, 14, S::Assigned, Some((12, S::Completed))), // done early
            (2, 30, S::Assigned, Some((45, S::Completed))), // done mid-way through overdue
            (3, 60, S::Assigned, None),                     // never done
            (4, 90, S::Assigned, Some((85, S::Waived))),    // waived
            (5, 100, S::InProgress, Some((100, S::Completed))), // done on the due date
            (6, 40, S::Assigned, Some((20, S::Cancelled))), // cancelled before any reminder
            (7, 30, S::Completed, None),                    // recognised from earlier training
        ];
        let assignments = timeline
            .iter()
            .map(|&(id, due, first, change)| {
                let state = match change {
                    Some((when, s)) if day >= when => s,
                    _ => first,
                };
                assignment(id, on(due), state)
            })
            .collect();
        // (id, due day, written on day)
        let checkins = [(30, 30, Some(29)), (60, 60, Some(66)), (90, 90, None)]
            .iter()
            .map(|&(id, due, written_on): &(i64, i64, Option<i64>)| {
                checkin_facts(id, due, written_on.is_some_and(|w| day >= w))
            })
            .collect();
        let expiring = vec![
            // Expires on day 110, nobody renews it: noticed from day 80.
            expiring_facts(500, 110, false),
            // Expires on day 100, renewal opened on day 65, before the window.
            expiring_facts(501, 100, day >= 65),
        ];
        Snapshot {
            assignments,
            plans: vec![PlanFacts {
                id: 1,
                employee_id: 45,
                created_on: on(0),
            }],
            checkins,
            expiring,
        }
    }

    /// What the outbox holds after ticking on `days`: key → (first day, reminder).
    /// Also checks that a key always stands for the same message.
    fn walk(
        days: impl IntoIterator<Item = i64>,
        policy: &ReminderPolicy,
    ) -> BTreeMap<String, (i64, Reminder)> {
        let mut outbox: BTreeMap<String, (i64, Reminder)> = BTreeMap::new();
        for day in days {
            for r in due_reminders(&transfer_on(day), policy, on(day)) {
                match outbox.get(&r.key) {
                    Some((_, earlier)) => assert_eq!(earlier, &r, "one key, two messages"),
                    None => {
                        outbox.insert(r.key.clone(), (day, r));
                    }
                }
            }
        }
        outbox
    }

    type Row = (i64, ReminderKind, i64, Subject, &'static str);

    fn as_rows(
        outbox: &BTreeMap<String, (i64, Reminder)>,
    ) -> Vec<(i64, ReminderKind, i64, Subject, String)> {
        let mut rows: Vec<_> = outbox
            .values()
            .map(|(day, r)| {
                (
                    *day,
                    r.kind,
                    r.recipient_employee_id,
                    r.subject,
                    r.occurrence.clone(),
                )
            })
            .collect();
        rows.sort();
        rows
    }

    fn expected(rows: &[Row]) -> Vec<(i64, ReminderKind, i64, Subject, String)> {
        let mut v: Vec<_> = rows
            .iter()
            .map(|&(day, k, to, s, o)| (day, k, to, s, o.to_string()))
            .collect();
        v.sort();
        v
    }

    /// Every email of the 120 days, with the day it is first produced.
    const DAILY: [Row; 22] = [
        (0, K::NewPlan, 45, Subject::Plan(1), "once"),
        (7, K::DueSoon, 45, Subject::Assignment(1), "d7"),
        (23, K::DueSoon, 45, Subject::Assignment(2), "d7"),
        (27, K::CheckInDue, 7, Subject::CheckIn(30), "once"),
        (29, K::DueSoon, 45, Subject::Assignment(2), "d1"),
        (31, K::Overdue, 45, Subject::Assignment(2), "o1"),
        (37, K::Overdue, 45, Subject::Assignment(2), "o2"),
        (37, K::Escalation, 7, Subject::Assignment(2), "once"),
        (44, K::Overdue, 45, Subject::Assignment(2), "o3"),
        (53, K::DueSoon, 45, Subject::Assignment(3), "d7"),
        (57, K::CheckInDue, 7, Subject::CheckIn(60), "once"),
        (59, K::DueSoon, 45, Subject::Assignment(3), "d1"),
        (61, K::Overdue, 45, Subject::Assignment(3), "o1"),
        (67, K::Overdue, 45, Subject::Assignment(3), "o2"),
        (67, K::Escalation, 7, Subject::Assignment(3), "once"),
        (74, K::Overdue, 45, Subject::Assignment(3), "o3"),
        (80, K::RecertDue, 45, Subject::Completion(500), "once"),
        (81, K::Overdue, 45, Subject::Assignment(3), "o4"),
        (83, K::DueSoon, 45, Subject::Assignment(4), "d7"),
        (87, K::CheckInDue, 7, Subject::CheckIn(90), "once"),
        (93, K::DueSoon, 45, Subject::Assignment(5), "d7"),
        (99, K::DueSoon, 45, Subject::Assignment(5), "d1"),
    ];

    #[test]
    fn time_travel_120_days_of_one_transfer() {
        let policy = ReminderPolicy::default();
        let outbox = walk(0..=120, &policy);
        assert_eq!(as_rows(&outbox), expected(&DAILY));

        // Nothing after the work is done: look at every tick, not only the
        // first day of each key.
        let closed_from: HashMap<Subject, i64> = [
            (Subject::Assignment(1), 12),
            (Subject::Assignment(2), 45),
            (Subject::Assignment(4), 85),
            (Subject::Assignment(5), 100),
            (Subject::Assignment(6), 20),
            (Subject::Assignment(7), 0),
            (Subject::CheckIn(30), 29),
            (Subject::CheckIn(60), 66),
            (Subject::Completion(501), 65),
        ]
        .into_iter()
        .collect();
        let mut per_day = 0usize;
        for day in 0..=120 {
            for r in due_reminders(&transfer_on(day), &policy, on(day)) {
                per_day += 1;
                if let Some(&closed) = closed_from.get(&r.subject) {
                    assert!(
                        day < closed,
                        "{} produced on day {day}, closed on day {closed}",
                        r.key
                    );
                }
            }
        }
        // The daily ticks produce many rows (a window of days each), the
        // outbox keeps 22 messages: that is the deduplication at work.
        assert!(per_day > outbox.len() * 3, "{per_day} rows");
    }

    /// Ticks on days 1, 4, 7, …: the result is the daily set minus exactly
    /// the occurrences whose whole window fell between two ticks.
    #[test]
    fn catch_up_with_a_tick_every_third_day() {
        let policy = ReminderPolicy::default();
        let daily = walk(0..=120, &policy);
        let sparse = walk((1..=120).step_by(3), &policy);

        let missing: BTreeSet<&String> =
            daily.keys().filter(|k| !sparse.contains_key(*k)).collect();
        // - a2 d1 and a3 d1: their windows are days 29–30 and 59–60 (1 and 0
        //   days before the due date); the ticks on 28/31 and 58/61 miss
        //   them, and on days 31 and 61 "overdue" (o1, sent that day) is the
        //   true message, so "due tomorrow" is not sent late.
        // - a2 o3: window days 44–50, but the work was completed on day 45;
        //   the only tick in the window (46) sees completed work. Sending it
        //   would be exactly the "reminder after completion" to avoid.
        // - a4 d7: window days 83–88, waived on day 85; the tick on 85 sees
        //   waived work. Same reason.
        // - a5 d1: window days 99–100, completed on 100: the tick on 100
        //   sees it done.
        assert_eq!(
            missing,
            [
                "due_soon/a2/d1/e45",
                "due_soon/a3/d1/e45",
                "due_soon/a4/d7/e45",
                "due_soon/a5/d1/e45",
                "overdue/a2/o3/e45",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .iter()
            .collect()
        );
        // Nothing new, nothing twice: every sparse key is a daily key with
        // the same message, produced at most two days later.
        for (key, (day, r)) in &sparse {
            let (daily_day, daily_r) = &daily[key];
            assert_eq!(r, daily_r);
            assert!(
                (0..=2).contains(&(day - daily_day)),
                "{key}: day {daily_day} → {day}"
            );
        }
        // Catch-up is what keeps everything else: e.g. the escalation of a3
        // (due day 60, 7 days late on 67) goes out on day 67 (a tick day),
        // the check-in notice of day 57 on day 58.
        assert_eq!(sparse["escalation/a3/once/e7"].0, 67);
        assert_eq!(sparse["checkin_due/ci60/once/e7"].0, 58);
    }

    /// The scheduler is down for ten days (55–64). Everything that was due in
    /// the gap goes out on day 65, except what was superseded in the gap.
    #[test]
    fn catch_up_after_a_ten_day_outage() {
        let policy = ReminderPolicy::default();
        let daily = walk(0..=120, &policy);
        let outage = walk((0..=120).filter(|d| !(55..=64).contains(d)), &policy);

        let missing: Vec<&String> = daily.keys().filter(|k| !outage.contains_key(*k)).collect();
        // a3 d1 ("due tomorrow", days 59–60) was superseded by a3 o1
        // ("overdue", days 61–66): on day 65 only the overdue message is
        // true. Nothing else is lost.
        assert_eq!(missing, ["due_soon/a3/d1/e45"]);
        assert_eq!(outage.len(), daily.len() - 1);

        // Caught up on day 65, with the same keys as the daily run.
        let late: BTreeMap<&str, (i64, i64)> = outage
            .iter()
            .filter(|(k, (day, _))| daily[*k].0 != *day)
            .map(|(k, (day, _))| (k.as_str(), (daily[k].0, *day)))
            .collect();
        assert_eq!(
            late,
            [
                ("checkin_due/ci60/once/e7", (57, 65)),
                ("overdue/a3/o1/e45", (61, 65)),
            ]
            .into_iter()
            .collect()
        );
    }

    // --- property test -------------------------------------------------------------

    const HORIZON: i64 = 120;

    #[derive(Debug, Clone)]
    struct GenAssignment {
        plan_id: i64,
        employee_id: i64,
        supervisor_id: Option<i64>,
        due: i64,
        first: AssignmentState,
        closes: Option<(i64, AssignmentState)>,
    }

    #[derive(Debug, Clone)]
    struct World {
        assignments: Vec<GenAssignment>,
        plans: Vec<(i64, i64)>, // (employee, created day); id = index + 1
        checkins: Vec<(i64, Option<i64>, i64, Option<i64>)>, // employee, supervisor, due, written day
        expiring: Vec<(i64, i64, Option<i64>)>, // employee, expires day, renewal opened day
    }

    impl World {
        fn assignment_state(&self, i: usize, day: i64) -> AssignmentState {
            let a = &self.assignments[i];
            match a.closes {
                Some((when, s)) if day >= when => s,
                _ => a.first,
            }
        }

        fn at(&self, day: i64) -> Snapshot {
            Snapshot {
                assignments: self
                    .assignments
                    .iter()
                    .enumerate()
                    .map(|(i, a)| AssignmentFacts {
                        id: i as i64 + 1,
                        plan_id: a.plan_id,
                        employee_id: a.employee_id,
                        supervisor_id: a.supervisor_id,
                        due: on(a.due),
                        state: self.assignment_state(i, day),
                    })
                    .collect(),
                plans: self
                    .plans
                    .iter()
                    .enumerate()
                    .map(|(i, &(employee_id, created))| PlanFacts {
                        id: i as i64 + 1,
                        employee_id,
                        created_on: on(created),
                    })
                    .collect(),
                checkins: self
                    .checkins
                    .iter()
                    .enumerate()
                    .map(
                        |(i, &(employee_id, supervisor_id, due, written))| CheckInFacts {
                            id: i as i64 + 1,
                            employee_id,
                            supervisor_id,
                            due: on(due),
                            written: written.is_some_and(|w| day >= w),
                        },
                    )
                    .collect(),
                expiring: self
                    .expiring
                    .iter()
                    .enumerate()
                    .map(|(i, &(employee_id, expires, renewal))| ExpiringCompletion {
                        record_id: i as i64 + 1,
                        employee_id,
                        expires_on: on(expires),
                        renewal_open: renewal.is_some_and(|r| day >= r),
                    })
                    .collect(),
            }
        }
    }

    fn arb_state() -> impl Strategy<Value = AssignmentState> {
        prop_oneof![
            4 => Just(S::Assigned),
            2 => Just(S::InProgress),
            1 => Just(S::Completed),
            1 => Just(S::Waived),
            1 => Just(S::Cancelled),
        ]
    }

    fn arb_closing() -> impl Strategy<Value = AssignmentState> {
        prop_oneof![Just(S::Completed), Just(S::Waived), Just(S::Cancelled)]
    }

    fn arb_day() -> impl Strategy<Value = i64> {
        -30i64..=HORIZON + 10
    }

    fn arb_world() -> impl Strategy<Value = World> {
        let assignment = (
            1i64..=3,
            1i64..=4,
            prop::option::of(1i64..=5),
            arb_day(),
            arb_state(),
            prop::option::of((0i64..=HORIZON, arb_closing())),
        )
            .prop_map(
                |(plan_id, employee_id, supervisor_id, due, first, closes)| GenAssignment {
                    plan_id,
                    employee_id,
                    supervisor_id,
                    due,
                    first,
                    closes,
                },
            );
        (
            prop::collection::vec(assignment, 0..10),
            prop::collection::vec((1i64..=4, arb_day()), 0..4),
            prop::collection::vec(
                (
                    1i64..=4,
                    prop::option::of(1i64..=5),
                    arb_day(),
                    prop::option::of(0i64..=HORIZON),
                ),
                0..5,
            ),
            prop::collection::vec(
                (1i64..=4, arb_day(), prop::option::of(0i64..=HORIZON)),
                0..4,
            ),
        )
            .prop_map(|(assignments, plans, checkins, expiring)| World {
                assignments,
                plans,
                checkins,
                expiring,
            })
    }

    fn arb_policy() -> impl Strategy<Value = ReminderPolicy> {
        (
            (
                any::<bool>(),
                0u32..=10,
                any::<bool>(),
                prop::collection::vec(0u32..=14, 0..4),
            ),
            (any::<bool>(), 0u32..=10, 0u32..=6, any::<bool>(), 0u32..=20),
            (any::<bool>(), 0u32..=10, any::<bool>(), 0u32..=40),
        )
            .prop_map(
                |(
                    (new_plan, new_plan_days, due_soon, due_soon_days),
                    (overdue, overdue_every_days, overdue_max, escalation, escalate_after_days),
                    (checkin, checkin_notice_days, recert, recert_notice_days),
                )| ReminderPolicy {
                    new_plan,
                    new_plan_days,
                    due_soon,
                    due_soon_days,
                    overdue,
                    overdue_every_days,
                    overdue_max,
                    escalation,
                    escalate_after_days,
                    checkin,
                    checkin_notice_days,
                    recert,
                    recert_notice_days,
                },
            )
    }

    /// Is the subject of `r` open work in the world on `day`? Decided from
    /// the generated world, not from the function under test.
    fn is_open_then(w: &World, r: &Reminder, day: i64) -> bool {
        let i = (r.subject.id() - 1) as usize;
        match r.subject {
            Subject::Assignment(_) => w.assignment_state(i, day).is_open(),
            Subject::Plan(id) => (0..w.assignments.len())
                .any(|j| w.assignments[j].plan_id == id && w.assignment_state(j, day).is_open()),
            Subject::CheckIn(_) => w.checkins[i].3.is_none_or(|wr| day < wr),
            Subject::Completion(_) => w.expiring[i].2.is_none_or(|o| day < o),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn reminders_are_for_open_work_repeatable_and_bounded(
            world in arb_world(),
            policy in arb_policy(),
            ticks in prop::collection::vec(any::<bool>(), (HORIZON + 1) as usize),
        ) {
            let schedule: Vec<i64> = (0..=HORIZON).filter(|&d| ticks[d as usize]).collect();
            let mut daily_keys: HashMap<String, Reminder> = HashMap::new();
            for day in 0..=HORIZON {
                for r in due_reminders(&world.at(day), &policy, on(day)) {
                    daily_keys.insert(r.key.clone(), r);
                }
            }

            let mut outbox: HashMap<String, Reminder> = HashMap::new();
            for &day in &schedule {
                let snapshot = world.at(day);
                let first = due_reminders(&snapshot, &policy, on(day));
                // (2) The same state and day give the same result.
                prop_assert_eq!(&first, &due_reminders(&snapshot, &policy, on(day)));
                let mut seen = HashSet::new();
                for r in first {
                    // A key is never produced twice by one tick.
                    prop_assert!(seen.insert(r.key.clone()), "twice in one tick: {}", &r.key);
                    prop_assert_eq!(
                        &r.key,
                        &reminder_key(r.kind, r.subject, &r.occurrence, r.recipient_employee_id)
                    );
                    // (1) Only for open work at the time it is produced.
                    prop_assert!(is_open_then(&world, &r, day), "{} on day {} for closed work", &r.key, day);
                    // Timing and recipients, from the world, not the code.
                    if let Subject::Assignment(id) = r.subject {
                        let a = &world.assignments[(id - 1) as usize];
                        let late = day - a.due;
                        match r.kind {
                            K::DueSoon => {
                                prop_assert!(late <= 0);
                                prop_assert_eq!(r.recipient_employee_id, a.employee_id);
                            }
                            K::Overdue => {
                                prop_assert!(late >= 1);
                                prop_assert_eq!(r.recipient_employee_id, a.employee_id);
                            }
                            K::Escalation => {
                                prop_assert!(late >= i64::from(policy.escalate_after_days.max(1)));
                                prop_assert_eq!(Some(r.recipient_employee_id), a.supervisor_id);
                            }
                            other => prop_assert!(false, "{:?} about an assignment", other),
                        }
                    }
                    // A key always stands for the same message, and a
                    // skipped schedule never invents a key daily ticks lack.
                    prop_assert_eq!(daily_keys.get(&r.key), Some(&r));
                    if let Some(earlier) = outbox.get(&r.key) {
                        prop_assert_eq!(earlier, &r);
                    }
                    outbox.insert(r.key.clone(), r);
                }
            }

            // (3) At most N overdue reminders and one escalation per
            // assignment, at most one due-soon reminder per offset.
            let mut overdue: HashMap<Subject, u32> = HashMap::new();
            let mut escalations: HashMap<Subject, u32> = HashMap::new();
            let mut due_soon: HashMap<Subject, usize> = HashMap::new();
            for r in outbox.values() {
                match r.kind {
                    K::Overdue => *overdue.entry(r.subject).or_default() += 1,
                    K::Escalation => *escalations.entry(r.subject).or_default() += 1,
                    K::DueSoon => *due_soon.entry(r.subject).or_default() += 1,
                    _ => {}
                }
            }
            let offsets: BTreeSet<u32> = policy.due_soon_days.iter().copied().collect();
            prop_assert!(overdue.values().all(|&n| n <= policy.overdue_max), "{:?}", overdue);
            prop_assert!(escalations.values().all(|&n| n == 1));
            prop_assert!(due_soon.values().all(|&n| n <= offsets.len()));
        }
    }
}
