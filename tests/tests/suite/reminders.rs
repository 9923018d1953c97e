//! The reminders outbox against a real SQLite file and PostgreSQL (issue 6):
//! a tick decides and enqueues once, however often and however many
//! instances run it; the scheduler lease admits one holder at a time and can
//! be taken over when stale; delivery claims never hand one message to two
//! workers; failures back off, fail after N attempts and can be resent; a
//! message about finished work is no longer relevant.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use jejak_tests::{on_both_backends, spawn_app, Backend, TestApp};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, QueryOrder, Set};

use app::backend::entities::{checkin, completion, transfer};
use app::domain::plan::PositionKind;

use app::{
    backend::{
        entities::{assignment, employee, outbox, plan, unit},
        {
            reminders::outbox as queue,
            reminders::{self, TickReport},
            training::assignments::{self, CompletionInput},
            training::catalogue::{self, NewCourse},
        },
    },
    domain::reminders::ReminderPolicy,
};

/// A small world on 1 December 2026 (local): a worker (Indonesian) with a
/// plan created this morning, one course due in 3 days (due soon, d7) and
/// one 10 days overdue (overdue o2, escalated to the supervisor, English);
/// a colleague without an email address whose course is due tomorrow.
struct World {
    app: TestApp,
    /// 07:00 in the office's time zone on 1 December 2026, as UTC.
    now: DateTime<Utc>,
    unit: i64,
    worker: i64,
    supervisor: i64,
    no_email: i64,
    plan: i64,
    due_soon: i64,
    overdue: i64,
    tomorrow: i64,
}

/// `w.now` in the office's time zone (the type comes from `Config::tz`).
macro_rules! local {
    ($w:expr) => {
        $w.now.with_timezone(&$w.app.state.config.tz())
    };
}

async fn person(
    app: &TestApp,
    unit_id: i64,
    nip: &str,
    email: Option<&str>,
    language: &str,
    supervisor: Option<i64>,
) -> i64 {
    employee::ActiveModel {
        nip: Set(nip.into()),
        asn_kind: Set("pns".into()),
        name: Set(format!("Pegawai {nip}")),
        email: Set(email.map(Into::into)),
        unit_id: Set(unit_id),
        created_at: Set(Utc::now()),
        language: Set(language.into()),
        supervisor_id: Set(supervisor),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
    .id
}

async fn work(
    app: &TestApp,
    plan_id: i64,
    employee_id: i64,
    course_id: i64,
    due: NaiveDate,
) -> i64 {
    let now = Utc::now();
    assignment::ActiveModel {
        plan_id: Set(plan_id),
        employee_id: Set(employee_id),
        course_id: Set(course_id),
        due_date: Set(due),
        required: Set(true),
        sort_order: Set(0),
        state: Set("assigned".into()),
        reasons: Set("[]".into()),
        recognised_record_id: Set(None),
        completion_id: Set(None),
        waived_reason: Set(None),
        waived_by: Set(None),
        cancel_reason: Set(None),
        renewal_of_record_id: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
    .id
}

async fn new_plan(app: &TestApp, employee_id: i64, created_at: DateTime<Utc>) -> i64 {
    plan::ActiveModel {
        kind: Set("transfer".into()),
        transfer_id: Set(None),
        employee_id: Set(employee_id),
        state: Set("open".into()),
        created_at: Set(created_at),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
    .id
}

async fn world(backend: Backend) -> World {
    let app = spawn_app(backend).await;
    let local = app
        .state
        .config
        .tz()
        .with_ymd_and_hms(2026, 12, 1, 7, 0, 0)
        .unwrap();
    let utc = local.with_timezone(&Utc);
    let db = app.db().clone();
    let u = unit::ActiveModel {
        parent_id: Set(None),
        name: Set("Dinas Kominfo".into()),
        created_at: Set(utc),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    let supervisor = person(
        &app,
        u,
        "197501012000031001",
        Some("atasan@medan.example"),
        "en",
        None,
    )
    .await;
    let worker = person(
        &app,
        u,
        "198609262015051001",
        Some("pegawai@medan.example"),
        "id",
        Some(supervisor),
    )
    .await;
    let no_email = person(&app, u, "199203152019032002", None, "id", Some(supervisor)).await;
    let course = |code: &str| NewCourse {
        code: code.into(),
        title_id: format!("Kursus {code}"),
        title_en: format!("Course {code}"),
        competency: "teknis".into(),
        jp: 8.0,
        method: "klasikal".into(),
        provider: "BKPSDM".into(),
        validity_months: None,
    };
    let c1 = catalogue::create_course(&db, "admin", course("ORI-01"))
        .await
        .unwrap()
        .id;
    let c2 = catalogue::create_course(&db, "admin", course("SPBE-01"))
        .await
        .unwrap()
        .id;
    // Created an hour before the tick, the same local day: announced.
    let plan = new_plan(&app, worker, utc - Duration::hours(1)).await;
    // A month old: not announced any more.
    let old_plan = new_plan(&app, no_email, utc - Duration::days(30)).await;
    let today = local.date_naive();
    let due_soon = work(&app, plan, worker, c1, today + chrono::Days::new(3)).await;
    let overdue = work(&app, plan, worker, c2, today - chrono::Days::new(10)).await;
    let tomorrow = work(&app, old_plan, no_email, c1, today + chrono::Days::new(1)).await;
    World {
        app,
        now: utc,
        unit: u,
        worker,
        supervisor,
        no_email,
        plan,
        due_soon,
        overdue,
        tomorrow,
    }
}

impl World {
    fn expected_keys(&self) -> BTreeSet<String> {
        [
            format!("new_plan/p{}/once/e{}", self.plan, self.worker),
            format!("due_soon/a{}/d7/e{}", self.due_soon, self.worker),
            format!("overdue/a{}/o2/e{}", self.overdue, self.worker),
            format!("escalation/a{}/once/e{}", self.overdue, self.supervisor),
        ]
        .into_iter()
        .collect()
    }

    fn utc(&self) -> DateTime<Utc> {
        self.now
    }
}

async fn all_rows(app: &TestApp) -> Vec<outbox::Model> {
    outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(app.db())
        .await
        .unwrap()
}

fn keys(rows: &[outbox::Model]) -> BTreeSet<String> {
    rows.iter().map(|r| r.key.clone()).collect()
}

fn assert_keys_unique(rows: &[outbox::Model]) {
    let distinct: HashSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(distinct.len(), rows.len(), "a key twice in the outbox");
}

on_both_backends!(
    a_tick_fills_the_outbox_once,
    the_demo_data_gets_its_reminders_once,
    concurrent_ticks_and_enqueues_never_duplicate,
    the_lease_admits_one_holder_and_can_be_taken_over_when_stale,
    concurrent_claimers_never_share_a_message,
    failures_back_off_then_fail_and_can_be_resent,
    finished_work_is_no_longer_relevant,
    check_ins_and_expiring_certificates_are_read_and_rechecked,
    schedules_default_to_configuration_until_saved,
    the_snapshot_holds_exactly_the_work_that_can_speak_today,
);

/// The loader leaves out open work that cannot produce anything today (due
/// after the largest due-soon offset), and must leave out nothing else: on
/// the demo data, its assignments are exactly the open ones due by then
/// plus every open one of the plans it lists, and never a closed one.
async fn the_snapshot_holds_exactly_the_work_that_can_speak_today(backend: Backend) {
    let app = spawn_app(backend).await;
    let now = app.state.now_local();
    jejak::seed::everything(app.db(), now.date_naive(), &[30, 60, 90])
        .await
        .expect("demo data");
    let policy = ReminderPolicy::default();
    // Today (every demo plan is new, so all their open work is loaded) and
    // ten days on (no plan is announced any more: only work due within
    // seven days, or late, is loaded).
    for days in [0, 10] {
        let today = now.date_naive() + chrono::Days::new(days);
        check_snapshot(&app, &policy, today, &now.timezone(), days == 10).await;
    }
}

async fn check_snapshot(
    app: &TestApp,
    policy: &ReminderPolicy,
    today: NaiveDate,
    tz: &chrono_tz::Tz,
    some_left_out: bool,
) {
    use sea_orm::{ColumnTrait, QueryFilter};
    let snap = reminders::snapshot(app.db(), policy, today, tz)
        .await
        .unwrap();
    let until = today + chrono::Days::new(7);
    let listed_plans: HashSet<i64> = snap.plans.iter().map(|p| p.id).collect();
    let open = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
        .all(app.db())
        .await
        .unwrap();
    let want: BTreeSet<i64> = open
        .iter()
        .filter(|a| a.due_date <= until || listed_plans.contains(&a.plan_id))
        .map(|a| a.id)
        .collect();
    let got: BTreeSet<i64> = snap.assignments.iter().map(|a| a.id).collect();
    assert_eq!(got.len(), snap.assignments.len(), "an assignment twice");
    assert_eq!(got, want);
    assert!(!want.is_empty());
    assert_eq!(
        want.len() < open.len(),
        some_left_out,
        "{} of {} open assignments loaded on {today}",
        want.len(),
        open.len()
    );
}

async fn a_tick_fills_the_outbox_once(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let policy = ReminderPolicy::default();

    let first = reminders::tick(db, &policy, "node-a", local!(w))
        .await
        .unwrap();
    assert_eq!(
        first,
        Some(TickReport {
            decided: 5,
            inserted: 4,
            skipped_no_email: 1,
        })
    );
    let rows = all_rows(&w.app).await;
    assert_eq!(keys(&rows), w.expected_keys());
    assert_keys_unique(&rows);
    let by_key: BTreeMap<&str, &outbox::Model> = rows.iter().map(|r| (r.key.as_str(), r)).collect();
    let esc = by_key[format!("escalation/a{}/once/e{}", w.overdue, w.supervisor).as_str()];
    assert_eq!(
        (
            esc.kind.as_str(),
            esc.subject_kind.as_str(),
            esc.subject_id,
            esc.occurrence.as_str(),
            esc.to_address.as_str(),
            esc.language.as_str(),
            esc.recipient_employee_id,
        ),
        (
            "escalation",
            "assignment",
            Some(w.overdue),
            "once",
            "atasan@medan.example",
            "en",
            w.supervisor
        )
    );
    for r in &rows {
        assert_eq!(r.state, "pending");
        assert_eq!(r.attempts, 0);
        assert_eq!(r.next_attempt_at, w.utc());
        assert_eq!(r.claimed_until, None);
        if r.recipient_employee_id == w.worker {
            assert_eq!(
                (r.to_address.as_str(), r.language.as_str()),
                ("pegawai@medan.example", "id")
            );
        }
    }
    assert!(rows.iter().all(|r| r.recipient_employee_id != w.no_email));
    assert!(!rows.iter().any(|r| r.subject_id == Some(w.tomorrow)));

    // The same day again, and an hour later: nothing new.
    let again = reminders::tick(db, &policy, "node-a", local!(w))
        .await
        .unwrap();
    assert_eq!(
        again,
        Some(TickReport {
            decided: 5,
            inserted: 0,
            skipped_no_email: 1,
        })
    );
    let later = reminders::tick(db, &policy, "node-a", local!(w) + Duration::hours(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(later.inserted, 0);
    assert_eq!(all_rows(&w.app).await, rows);

    // Once the colleague has an address, the next tick queues their reminder.
    let mut am: employee::ActiveModel = employee::Entity::find_by_id(w.no_email)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into();
    am.email = Set(Some("kolega@medan.example".into()));
    am.update(db).await.unwrap();
    let fixed = reminders::tick(db, &policy, "node-a", local!(w) + Duration::hours(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((fixed.inserted, fixed.skipped_no_email), (1, 0));
    let rows = all_rows(&w.app).await;
    assert_eq!(rows.len(), 5);
    assert!(rows
        .iter()
        .any(|r| r.key == format!("due_soon/a{}/d1/e{}", w.tomorrow, w.no_email)));
    assert_keys_unique(&rows);
}

async fn the_demo_data_gets_its_reminders_once(backend: Backend) {
    // The demo data set as `demo_app` seeds it, without needing the built
    // browser client.
    let app = spawn_app(backend).await;
    let now = app.state.now_local();
    jejak::seed::everything(app.db(), now.date_naive(), &[30, 60, 90])
        .await
        .expect("demo data");
    let db = app.db();
    let policy = ReminderPolicy::default();
    let first = reminders::tick(db, &policy, "demo", now)
        .await
        .unwrap()
        .unwrap();
    assert!(
        first.decided > 0,
        "the demo data should have reminders due: {first:?}"
    );
    assert!(first.inserted > 0, "{first:?}");
    assert_eq!(first.inserted + first.skipped_no_email, first.decided);
    let rows = all_rows(&app).await;
    assert_eq!(rows.len() as u64, first.inserted);
    assert_keys_unique(&rows);

    let second = reminders::tick(db, &policy, "demo", now)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.inserted, 0, "{second:?}");
    assert_eq!(second.decided, first.decided);
    assert_eq!(all_rows(&app).await.len(), rows.len());
}

async fn concurrent_ticks_and_enqueues_never_duplicate(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    let policy = ReminderPolicy::default();

    // Two instances at the same moment: one runs, the other is turned away.
    let (db1, db2, p1, p2, now) = (
        db.clone(),
        db.clone(),
        policy.clone(),
        policy.clone(),
        local!(w),
    );
    let (a, b) = tokio::join!(
        tokio::spawn(async move { reminders::tick(&db1, &p1, "node-a", now).await }),
        tokio::spawn(async move { reminders::tick(&db2, &p2, "node-b", now).await }),
    );
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert!(
        a.is_some() != b.is_some(),
        "exactly one instance runs the tick: {a:?} {b:?}"
    );
    let winner = if a.is_some() { "node-a" } else { "node-b" };
    assert_eq!(a.or(b).unwrap().inserted, 4);
    assert_eq!(keys(&all_rows(&w.app).await), w.expected_keys());

    // The unique key alone, without the lease: the same reminders enqueued
    // by four tasks at once (as two instances whose lease had expired would),
    // each message once.
    outbox::Entity::delete_many().exec(&db).await.unwrap();
    let today = local!(w).date_naive();
    let snap = reminders::snapshot(&db, &policy, today, &w.app.state.config.tz())
        .await
        .unwrap();
    let due = app::domain::reminders::due_reminders(&snap, &policy, today);
    assert_eq!(due.len(), 5);
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let (db, due, at) = (db.clone(), due.clone(), w.utc());
            tokio::spawn(async move { reminders::enqueue(&db, &due, at).await })
        })
        .collect();
    let mut inserted = 0;
    for t in tasks {
        let r = t.await.unwrap().unwrap();
        assert_eq!(r.skipped_no_email, 1);
        inserted += r.inserted;
    }
    assert_eq!(inserted, 4, "every key inserted by exactly one task");
    let rows = all_rows(&w.app).await;
    assert_keys_unique(&rows);
    assert_eq!(keys(&rows), w.expected_keys());

    // Two ticks of the lease holder racing (the lease is re-entrant): still
    // each key once.
    outbox::Entity::delete_many().exec(&db).await.unwrap();
    let (db1, db2, p1, p2) = (db.clone(), db.clone(), policy.clone(), policy.clone());
    let (a, b) = tokio::join!(
        tokio::spawn(async move { reminders::tick(&db1, &p1, winner, now).await }),
        tokio::spawn(async move { reminders::tick(&db2, &p2, winner, now).await }),
    );
    let (a, b) = (a.unwrap().unwrap().unwrap(), b.unwrap().unwrap().unwrap());
    assert_eq!(a.inserted + b.inserted, 4, "{a:?} {b:?}");
    assert_eq!(keys(&all_rows(&w.app).await), w.expected_keys());
}

async fn the_lease_admits_one_holder_and_can_be_taken_over_when_stale(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db().clone();
    let t0 = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let ttl = Duration::minutes(5);
    let lease = |holder: &'static str, at: DateTime<Utc>| {
        let db = db.clone();
        async move {
            reminders::try_lease(&db, "reminders", holder, at, ttl)
                .await
                .unwrap()
        }
    };

    assert!(lease("a", t0).await, "a free lease is taken");
    assert!(!lease("b", t0).await, "held by a");
    assert!(
        !lease("b", t0 + Duration::minutes(4)).await,
        "still held by a"
    );
    assert!(
        lease("a", t0 + Duration::minutes(4)).await,
        "a renews its own lease"
    );
    // Renewed at 4 min: valid until 9 min.
    assert!(
        !lease("b", t0 + Duration::minutes(8)).await,
        "the renewal counts"
    );
    assert!(
        lease("b", t0 + Duration::minutes(10)).await,
        "a stale lease is taken over"
    );
    assert!(
        !lease("a", t0 + Duration::minutes(10)).await,
        "now b has it"
    );

    // Another job's lease is independent.
    assert!(
        reminders::try_lease(&db, "digest", "a", t0 + Duration::minutes(10), ttl)
            .await
            .unwrap()
    );

    // Released on shutdown: free at once.
    assert!(reminders::release_lease(&db, "reminders", "b")
        .await
        .unwrap());
    assert!(!reminders::release_lease(&db, "reminders", "b")
        .await
        .unwrap());
    assert!(lease("a", t0 + Duration::minutes(11)).await);

    // Two holders racing for a free lease, and for a stale one: one wins.
    for (name, at) in [
        ("race-free", t0),
        ("race-free", t0 + Duration::hours(1)),
        ("reminders", t0 + Duration::hours(2)),
    ] {
        let (db1, db2) = (db.clone(), db.clone());
        let (x, y) = tokio::join!(
            tokio::spawn(async move { reminders::try_lease(&db1, name, "x", at, ttl).await }),
            tokio::spawn(async move { reminders::try_lease(&db2, name, "y", at, ttl).await }),
        );
        let (x, y) = (x.unwrap().unwrap(), y.unwrap().unwrap());
        assert!(
            x != y,
            "exactly one of two holders gets {name} at {at}: {x} {y}"
        );
    }
}

async fn concurrent_claimers_never_share_a_message(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    reminders::tick(&db, &ReminderPolicy::default(), "node-a", local!(w))
        .await
        .unwrap()
        .unwrap();
    let all: BTreeSet<i64> = all_rows(&w.app).await.iter().map(|r| r.id).collect();
    assert_eq!(all.len(), 4);
    let now = w.utc();

    // Several rounds, so the two claimers really overlap at least sometimes;
    // every round must hand out each message at most once and all of them.
    for round in 0..5i64 {
        let at = now + Duration::minutes(10 * round);
        let (db1, db2) = (db.clone(), db.clone());
        let (a, b) = tokio::join!(
            tokio::spawn(async move { queue::claim(&db1, 3, at, 60).await }),
            tokio::spawn(async move { queue::claim(&db2, 3, at, 60).await }),
        );
        let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
        let ia: BTreeSet<i64> = a.iter().map(|r| r.id).collect();
        let ib: BTreeSet<i64> = b.iter().map(|r| r.id).collect();
        assert!(
            ia.is_disjoint(&ib),
            "round {round}: {ia:?} and {ib:?} overlap"
        );
        assert_eq!(
            ia.union(&ib).copied().collect::<BTreeSet<_>>(),
            all,
            "round {round}"
        );
        for r in a.iter().chain(&b) {
            assert_eq!(r.claimed_until, Some(at + Duration::seconds(60)));
        }
        // Claimed: nobody gets them again until the claim expires.
        assert!(queue::claim(&db, 10, at, 60).await.unwrap().is_empty());
        assert!(queue::claim(&db, 10, at + Duration::seconds(59), 60)
            .await
            .unwrap()
            .is_empty());
    }
    // After the last claim expired, all of them again (a crashed worker's
    // messages are not lost).
    let last = now + Duration::minutes(40) + Duration::seconds(61);
    let again = queue::claim(&db, 10, last, 60).await.unwrap();
    assert_eq!(again.iter().map(|r| r.id).collect::<BTreeSet<_>>(), all);
    // Batch size is respected.
    let later = last + Duration::minutes(5);
    assert_eq!(queue::claim(&db, 2, later, 60).await.unwrap().len(), 2);
    assert_eq!(queue::claim(&db, 0, later, 60).await.unwrap().len(), 0);
}

async fn failures_back_off_then_fail_and_can_be_resent(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    reminders::tick(&db, &ReminderPolicy::default(), "node-a", local!(w))
        .await
        .unwrap()
        .unwrap();
    let t0 = w.utc();
    let claimed = queue::claim(&db, 1, t0, 60).await.unwrap();
    let id = claimed[0].id;
    let ids_at = |at: DateTime<Utc>| {
        let db = db.clone();
        async move {
            let got: BTreeSet<i64> = queue::claim(&db, 100, at, 1)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            got
        }
    };

    // 1st failure: wait one minute; the claim ends.
    let r = queue::mark_failed_attempt(&db, id, "connection refused", t0, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            r.state.as_str(),
            r.attempts,
            r.next_attempt_at,
            r.claimed_until,
            r.last_error.as_deref()
        ),
        (
            "pending",
            1,
            t0 + Duration::minutes(1),
            None,
            Some("connection refused")
        )
    );
    assert!(
        !ids_at(t0 + Duration::seconds(59)).await.contains(&id),
        "backing off"
    );
    let t1 = t0 + Duration::minutes(1);
    assert!(ids_at(t1).await.contains(&id), "due again after one minute");

    // 2nd failure: two minutes.
    let r = queue::mark_failed_attempt(&db, id, "timeout", t1, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((r.state.as_str(), r.attempts), ("pending", 2));
    assert_eq!(r.next_attempt_at, t1 + Duration::minutes(2));
    assert!(!ids_at(t1 + Duration::seconds(119)).await.contains(&id));
    let t2 = t1 + Duration::minutes(2);
    assert!(ids_at(t2).await.contains(&id));

    // 3rd of 3: failed, never claimed again, not even much later.
    let r = queue::mark_failed_attempt(&db, id, "550 mailbox unavailable", t2, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((r.state.as_str(), r.attempts), ("failed", 3));
    assert!(!ids_at(t2 + Duration::days(3)).await.contains(&id));
    // Only pending messages change.
    assert!(queue::mark_failed_attempt(&db, id, "x", t2, 3)
        .await
        .unwrap()
        .is_none());
    assert!(!queue::mark_sent(&db, id, t2).await.unwrap());
    assert!(!queue::mark_cancelled(&db, id, "x").await.unwrap());

    // An administrator resends it: pending, due now, attempts from zero.
    let t3 = t2 + Duration::days(4);
    assert!(queue::resend(&db, id, t3).await.unwrap());
    assert!(
        !queue::resend(&db, id, t3).await.unwrap(),
        "only failed messages"
    );
    let row = outbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.state.as_str(), row.attempts, row.next_attempt_at),
        ("pending", 0, t3)
    );
    let again = queue::claim(&db, 100, t3, 60).await.unwrap();
    assert!(again.iter().any(|r| r.id == id));

    // Sent: done for good.
    assert!(queue::mark_sent(&db, id, t3).await.unwrap());
    let row = outbox::Entity::find_by_id(id)
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.state.as_str(), row.sent_at, row.claimed_until),
        ("sent", Some(t3), None)
    );
    assert!(!queue::mark_sent(&db, id, t3).await.unwrap());
    assert!(!ids_at(t3 + Duration::days(1)).await.contains(&id));
    assert_eq!(
        outbox::Entity::find().count(&db).await.unwrap(),
        4,
        "nothing was added or lost on the way"
    );
}

async fn finished_work_is_no_longer_relevant(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    let policy = ReminderPolicy::default();
    reminders::tick(&db, &policy, "node-a", local!(w))
        .await
        .unwrap()
        .unwrap();
    let rows = all_rows(&w.app).await;
    for r in &rows {
        assert!(queue::still_relevant(&db, r).await.unwrap(), "{}", r.key);
    }
    let find = |prefix: String| {
        rows.iter()
            .find(|r| r.key.starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {prefix}"))
            .clone()
    };
    let due_soon = find(format!("due_soon/a{}/", w.due_soon));
    let overdue = find(format!("overdue/a{}/", w.overdue));
    let escalation = find(format!("escalation/a{}/", w.overdue));
    let announced = find(format!("new_plan/p{}/", w.plan));

    // The trainer logs the completion of the course due soon.
    let today = Utc::now().date_naive();
    assignments::log_completion(
        &db,
        "pelatih",
        w.due_soon,
        CompletionInput {
            completed_on: today,
            jp: None,
            score: Some(90.0),
            certificate_no: "ORI/2026/1".into(),
            organiser: "BKPSDM".into(),
            evidence_note: String::new(),
        },
        today,
    )
    .await
    .unwrap();
    assert!(!queue::still_relevant(&db, &due_soon).await.unwrap());
    assert!(queue::still_relevant(&db, &overdue).await.unwrap());
    assert!(
        queue::still_relevant(&db, &announced).await.unwrap(),
        "the plan still has work"
    );

    // The overdue course is waived: its reminders and the plan's announcement end.
    assignments::waive(&db, "admin", w.overdue, "Sudah ikut pelatihan setara")
        .await
        .unwrap();
    for r in [&overdue, &escalation, &announced] {
        assert!(!queue::still_relevant(&db, r).await.unwrap(), "{}", r.key);
    }

    // The worker cancels them instead of sending; nobody claims them again.
    for r in [&due_soon, &overdue, &escalation, &announced] {
        assert!(queue::mark_cancelled(&db, r.id, "no longer relevant")
            .await
            .unwrap());
    }
    assert!(queue::claim(&db, 100, w.utc() + Duration::days(1), 60)
        .await
        .unwrap()
        .is_empty());
    let states: BTreeSet<String> = all_rows(&w.app)
        .await
        .into_iter()
        .map(|r| r.state)
        .collect();
    assert_eq!(states, ["cancelled".to_string()].into_iter().collect());

    // And the next tick decides nothing for the finished work.
    let next = reminders::tick(&db, &policy, "node-a", local!(w) + Duration::days(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (next.decided, next.inserted),
        (1, 0),
        "only the colleague's: {next:?}"
    );
}

async fn check_ins_and_expiring_certificates_are_read_and_rechecked(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    let today = local!(w).date_naive();
    let utc = w.utc();
    let position =
        catalogue::create_position(&db, "Pranata Komputer", PositionKind::Fungsional, "IT", &[])
            .await
            .unwrap()
            .id;
    let new_transfer = |state: &str| transfer::ActiveModel {
        employee_id: Set(w.worker),
        from_unit_id: Set(None),
        from_position_id: Set(None),
        to_unit_id: Set(w.unit),
        to_position_id: Set(position),
        sk_number: Set(format!("SK/{state}")),
        sk_date: Set(today - chrono::Days::new(70)),
        tmt: Set(today - chrono::Days::new(58)),
        transfer_type: Set("within_agency".into()),
        notes: Set(String::new()),
        state: Set(state.into()),
        cancel_reason: Set(None),
        created_at: Set(utc),
        updated_at: Set(utc),
        ..Default::default()
    };
    let done = new_transfer("completed").insert(&db).await.unwrap().id;
    let cancelled = new_transfer("cancelled").insert(&db).await.unwrap().id;
    let check_in =
        |transfer_id: i64, day_offset: i32, due: NaiveDate, written: bool| checkin::ActiveModel {
            transfer_id: Set(transfer_id),
            day_offset: Set(day_offset),
            due_date: Set(due),
            rating: Set(written.then(|| "baik".into())),
            notes: Set(String::new()),
            written_by: Set(written.then(|| "atasan".into())),
            written_at: Set(written.then_some(utc)),
            ..Default::default()
        };
    let written = check_in(done, 30, today - chrono::Days::new(28), true)
        .insert(&db)
        .await
        .unwrap()
        .id;
    let due = check_in(done, 60, today + chrono::Days::new(2), false)
        .insert(&db)
        .await
        .unwrap()
        .id;
    let later = check_in(done, 90, today + chrono::Days::new(32), false)
        .insert(&db)
        .await
        .unwrap()
        .id;
    let of_cancelled = check_in(cancelled, 60, today, false)
        .insert(&db)
        .await
        .unwrap()
        .id;

    // A certificate valid 12 months: the worker's latest expires in 9 days
    // (an older one is superseded); the supervisor's expires too, but a
    // renewal is already open.
    let cert = catalogue::create_course(
        &db,
        "admin",
        NewCourse {
            code: "K3-01".into(),
            title_id: "K3 perkantoran".into(),
            title_en: "Office safety".into(),
            competency: "teknis".into(),
            jp: 8.0,
            method: "klasikal".into(),
            provider: "BKPSDM".into(),
            validity_months: Some(12),
        },
    )
    .await
    .unwrap()
    .id;
    let record = |employee_id: i64, on: NaiveDate| completion::ActiveModel {
        employee_id: Set(employee_id),
        course_id: Set(cert),
        completed_on: Set(on),
        jp: Set(8.0),
        score: Set(None),
        certificate_no: Set(String::new()),
        organiser: Set(String::new()),
        evidence_note: Set(String::new()),
        logged_by: Set("admin".into()),
        verified_by: Set(None),
        source: Set("import".into()),
        created_at: Set(utc),
        ..Default::default()
    };
    let old = record(w.worker, NaiveDate::from_ymd_opt(2025, 1, 3).unwrap())
        .insert(&db)
        .await
        .unwrap()
        .id;
    let latest = record(w.worker, NaiveDate::from_ymd_opt(2025, 12, 10).unwrap())
        .insert(&db)
        .await
        .unwrap()
        .id;
    let renewed = record(w.supervisor, NaiveDate::from_ymd_opt(2025, 12, 5).unwrap())
        .insert(&db)
        .await
        .unwrap()
        .id;
    let sup_plan = new_plan(&w.app, w.supervisor, utc - Duration::days(40)).await;
    work(
        &w.app,
        sup_plan,
        w.supervisor,
        cert,
        today + chrono::Days::new(60),
    )
    .await;

    let policy = ReminderPolicy::default();
    let snap = reminders::snapshot(&db, &policy, today, &w.app.state.config.tz())
        .await
        .unwrap();
    let checkins: BTreeSet<(i64, i64, Option<i64>)> = snap
        .checkins
        .iter()
        .map(|c| (c.id, c.employee_id, c.supervisor_id))
        .collect();
    assert!(
        checkins.contains(&(due, w.worker, Some(w.supervisor))),
        "{checkins:?}"
    );
    for not_loaded in [written, of_cancelled, later] {
        assert!(
            !snap.checkins.iter().any(|c| c.id == not_loaded),
            "check-in {not_loaded}"
        );
    }
    let expiring: BTreeMap<i64, (i64, NaiveDate, bool)> = snap
        .expiring
        .iter()
        .map(|e| (e.record_id, (e.employee_id, e.expires_on, e.renewal_open)))
        .collect();
    assert_eq!(
        expiring,
        [
            (
                latest,
                (
                    w.worker,
                    NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                    false
                )
            ),
            (
                renewed,
                (
                    w.supervisor,
                    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
                    true
                )
            ),
        ]
        .into_iter()
        .collect(),
        "record {old} is superseded"
    );
    // The snapshot's assignments carry the supervisor, for escalations.
    let a = snap.assignments.iter().find(|a| a.id == w.overdue).unwrap();
    assert_eq!(
        (a.employee_id, a.supervisor_id, a.plan_id),
        (w.worker, Some(w.supervisor), w.plan)
    );

    let report = reminders::tick(&db, &policy, "node-a", local!(w))
        .await
        .unwrap()
        .unwrap();
    let rows = all_rows(&w.app).await;
    let got = keys(&rows);
    let ci_key = format!("checkin_due/ci{due}/once/e{}", w.supervisor);
    let recert_key = format!("recert_due/r{latest}/once/e{}", w.worker);
    assert!(got.contains(&ci_key), "{got:?}");
    assert!(got.contains(&recert_key), "{got:?}");
    assert_eq!(
        report.inserted, 6,
        "the world's four, a check-in, a certificate: {got:?}"
    );
    let row = |key: &str| rows.iter().find(|r| r.key == key).unwrap().clone();
    let ci_row = row(&ci_key);
    let recert_row = row(&recert_key);
    assert_eq!(
        (ci_row.subject_kind.as_str(), ci_row.to_address.as_str()),
        ("checkin", "atasan@medan.example")
    );
    assert_eq!(
        (recert_row.subject_kind.as_str(), recert_row.subject_id),
        ("completion", Some(latest))
    );
    assert!(queue::still_relevant(&db, &ci_row).await.unwrap());
    assert!(queue::still_relevant(&db, &recert_row).await.unwrap());

    // The supervisor writes the check-in; the renewal of the certificate opens.
    assignments::write_checkin(&db, "atasan", due, "baik", "Menyesuaikan dengan baik")
        .await
        .unwrap();
    assert!(!queue::still_relevant(&db, &ci_row).await.unwrap());
    let opened = assignments::create_renewals(&db, "system", today, 60)
        .await
        .unwrap();
    assert_eq!(opened, 1, "the worker's certificate is renewed");
    assert!(!queue::still_relevant(&db, &recert_row).await.unwrap());
}

async fn schedules_default_to_configuration_until_saved(backend: Backend) {
    let app = spawn_app(backend).await;
    let db = app.db();
    let t = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let get = |name: &'static str, default: &'static str| {
        reminders::schedule_expression(db, name, default)
    };
    assert_eq!(get("reminders", "0 7 * * *").await.unwrap(), "0 7 * * *");
    reminders::save_schedule(db, "reminders", " 30 6 * * 1-5 ", "admin", t)
        .await
        .unwrap();
    assert_eq!(get("reminders", "0 7 * * *").await.unwrap(), "30 6 * * 1-5");
    reminders::save_schedule(
        db,
        "reminders",
        "0 8 * * *",
        "admin2",
        t + Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(get("reminders", "0 7 * * *").await.unwrap(), "0 8 * * *");
    assert_eq!(
        get("digest", "0 7 * * 1").await.unwrap(),
        "0 7 * * 1",
        "independent"
    );
    let row = app::backend::entities::schedule::Entity::find_by_id("reminders".to_string())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.updated_by.as_str(), row.updated_at),
        ("admin2", t + Duration::hours(1))
    );
}
