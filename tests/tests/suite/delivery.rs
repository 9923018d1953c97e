//! Delivering reminders through a real SMTP server on loopback (issue 6):
//! a transfer walked through 120 days gets exactly the emails it should,
//! and nothing after its work is done; an SMTP outage loses nothing and
//! sends nothing twice; two instances on one PostgreSQL deliver every
//! message exactly once. (A process killed mid-batch is in
//! `server/tests/cli.rs`, where the real binary is at hand.)

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{NaiveDate, TimeZone, Utc};
use jejak_tests::{
    on_both_backends, smtp::SmtpServer, spawn_app, spawn_app_with, spawn_instance, wait_until,
    Backend, TestApp,
};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};

use app::{
    backend::{
        config::Config,
        entities::{assignment, checkin, employee, outbox, plan, position, transfer, unit},
        reminders::mail::Mailer,
        {
            reminders,
            reminders::delivery::{Deliverer, DeliveryReport},
            training::assignments::{self, CompletionInput},
            training::catalogue::{self, NewCourse},
        },
    },
    domain::reminders::ReminderPolicy,
};

on_both_backends!(
    a_transfer_walked_through_120_days_gets_exactly_its_emails,
    an_smtp_outage_loses_nothing_and_sends_each_message_once,
);

fn deliverer(app: &TestApp, smtp_url: &str) -> Deliverer {
    let config = Config {
        smtp_url: smtp_url.into(),
        public_url: "https://jejak.medan.example".into(),
        ..(*app.state.config).clone()
    };
    Deliverer::new(
        app.db().clone(),
        Mailer::from_config(&config).expect("mailer"),
        &config,
    )
}

async fn insert_person(
    app: &TestApp,
    unit_id: i64,
    nip: &str,
    email: &str,
    language: &str,
    supervisor: Option<i64>,
) -> i64 {
    employee::ActiveModel {
        nip: Set(nip.into()),
        asn_kind: Set("pns".into()),
        name: Set(format!("Pegawai {nip}")),
        email: Set(Some(email.into())),
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

/// An open (assigned) required assignment.
async fn open_assignment(
    app: &TestApp,
    plan_id: i64,
    employee_id: i64,
    course_id: i64,
    due: NaiveDate,
    created: chrono::DateTime<Utc>,
) -> i64 {
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
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(app.db())
    .await
    .unwrap()
    .id
}

/// One transfer with TMT on day 0 (1 December 2026): its plan (created on
/// day 0 at 06:00 local) holds courses A (due day 30), B (day 45) and C
/// (day 60); check-ins fall due on days 30, 60 and 90.
struct Walk {
    worker: i64,
    supervisor: i64,
    plan: i64,
    a: i64,
    b: i64,
    c: i64,
    checkins: [i64; 3],
    day0: NaiveDate,
}

async fn walk_world(app: &TestApp) -> Walk {
    let db = app.db();
    let tz = app.state.config.tz();
    let day0 = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    let created = tz
        .with_ymd_and_hms(2026, 12, 1, 6, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let u = unit::ActiveModel {
        parent_id: Set(None),
        name: Set("Bagian Keuangan".into()),
        created_at: Set(created),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    let pos = position::ActiveModel {
        name: Set("Bendahara Pengeluaran".into()),
        kind: Set("pelaksana".into()),
        job_family: Set("keuangan".into()),
        competencies: Set("[]".into()),
        created_at: Set(created),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    let supervisor = insert_person(
        app,
        u,
        "197501012000031001",
        "atasan@medan.example",
        "en",
        None,
    )
    .await;
    let worker = insert_person(
        app,
        u,
        "198609262015051001",
        "pegawai@medan.example",
        "id",
        Some(supervisor),
    )
    .await;
    let t = transfer::ActiveModel {
        employee_id: Set(worker),
        from_unit_id: Set(None),
        from_position_id: Set(None),
        to_unit_id: Set(u),
        to_position_id: Set(pos),
        sk_number: Set("821/123/2026".into()),
        sk_date: Set(day0 - chrono::Days::new(14)),
        tmt: Set(day0),
        transfer_type: Set("mutasi".into()),
        notes: Set(String::new()),
        state: Set("completed".into()),
        cancel_reason: Set(None),
        created_at: Set(created),
        updated_at: Set(created),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    let p = plan::ActiveModel {
        kind: Set("transfer".into()),
        transfer_id: Set(Some(t)),
        employee_id: Set(worker),
        state: Set("open".into()),
        created_at: Set(created),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap()
    .id;
    let mut ids = Vec::new();
    for (code, due) in [("SIPD-01", 30), ("SPP-01", 45), ("SKP-01", 60)] {
        let c = catalogue::create_course(
            db,
            "admin",
            NewCourse {
                code: code.into(),
                title_id: format!("Kursus {code}"),
                title_en: format!("Course {code}"),
                competency: "teknis".into(),
                jp: 8.0,
                method: "klasikal".into(),
                provider: "BKPSDM".into(),
                validity_months: None,
            },
        )
        .await
        .unwrap()
        .id;
        let a = open_assignment(app, p, worker, c, day0 + chrono::Days::new(due), created).await;
        ids.push(a);
    }
    let mut checkins = [0; 3];
    for (i, offset) in [30, 60, 90].into_iter().enumerate() {
        checkins[i] = checkin::ActiveModel {
            transfer_id: Set(t),
            day_offset: Set(offset),
            due_date: Set(day0 + chrono::Days::new(offset as u64)),
            rating: Set(None),
            notes: Set(String::new()),
            written_by: Set(None),
            written_at: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap()
        .id;
    }
    Walk {
        worker,
        supervisor,
        plan: p,
        a: ids[0],
        b: ids[1],
        c: ids[2],
        checkins,
        day0,
    }
}

async fn complete(app: &TestApp, assignment: i64, on: NaiveDate) {
    assignments::log_completion(
        app.db(),
        "pelatih",
        assignment,
        CompletionInput {
            completed_on: on,
            jp: None,
            score: Some(85.0),
            certificate_no: String::new(),
            organiser: "BKPSDM".into(),
            evidence_note: String::new(),
        },
        on,
    )
    .await
    .unwrap();
}

/// Every day at 07:00 local for 120 days: a tick, then a delivery pass,
/// with the work done on the days people do it. The exact list of emails
/// (day, key), each once; none about work finished before its day.
async fn a_transfer_walked_through_120_days_gets_exactly_its_emails(backend: Backend) {
    let app = spawn_app(backend).await;
    let smtp = SmtpServer::start();
    let w = walk_world(&app).await;
    let d = deliverer(&app, &smtp.url());
    let tz = app.state.config.tz();
    let policy = ReminderPolicy::default();

    let mut got: Vec<(u64, String)> = Vec::new();
    for day in 0..=120u64 {
        let date = w.day0 + chrono::Days::new(day);
        match day {
            // A is finished ten days early: no reminder about it, ever.
            20 => complete(&app, w.a, date).await,
            // The first check-in is written after its notice went out.
            29 => {
                assignments::write_checkin(
                    app.db(),
                    "atasan",
                    w.checkins[0],
                    "baik",
                    "Cepat beradaptasi",
                )
                .await
                .unwrap();
            }
            // B is finished late (after overdue 1, before overdue 2 and the escalation).
            50 => complete(&app, w.b, date).await,
            // The second check-in is written before its notice would go out.
            55 => {
                assignments::write_checkin(app.db(), "atasan", w.checkins[1], "baik", "")
                    .await
                    .unwrap();
            }
            // C is finished after overdue 2 and the escalation, before overdue 3.
            70 => complete(&app, w.c, date).await,
            _ => {}
        }
        let now = tz
            .from_local_datetime(&date.and_hms_opt(7, 0, 0).unwrap())
            .unwrap();
        reminders::tick(app.db(), &policy, "walk", now)
            .await
            .unwrap()
            .expect("the only ticker has the lease");
        let before = smtp.messages().len();
        let report = d
            .deliver_due(now.with_timezone(&Utc), chrono::Duration::minutes(1))
            .await
            .unwrap();
        assert_eq!(
            (report.failed, report.postponed, report.errors),
            (0, 0, 0),
            "day {day}: {report:?}"
        );
        for m in &smtp.messages()[before..] {
            got.push((day, m.outbox_key()));
        }
    }

    let (e, s) = (w.worker, w.supervisor);
    let want: Vec<(u64, String)> = vec![
        (0, format!("new_plan/p{}/once/e{e}", w.plan)),
        (27, format!("checkin_due/ci{}/once/e{s}", w.checkins[0])),
        (38, format!("due_soon/a{}/d7/e{e}", w.b)),
        (44, format!("due_soon/a{}/d1/e{e}", w.b)),
        (46, format!("overdue/a{}/o1/e{e}", w.b)),
        (53, format!("due_soon/a{}/d7/e{e}", w.c)),
        (59, format!("due_soon/a{}/d1/e{e}", w.c)),
        (61, format!("overdue/a{}/o1/e{e}", w.c)),
        (67, format!("escalation/a{}/once/e{s}", w.c)),
        (67, format!("overdue/a{}/o2/e{e}", w.c)),
        (87, format!("checkin_due/ci{}/once/e{s}", w.checkins[2])),
    ];
    let mut sorted = got.clone();
    sorted.sort();
    assert_eq!(sorted, want, "the emails of 120 days");

    // The outbox agrees: exactly these, all sent, nothing pending.
    let rows = outbox::Entity::find().all(app.db()).await.unwrap();
    assert_eq!(rows.len(), want.len());
    assert!(
        rows.iter()
            .all(|r| r.state == outbox::SENT && r.attempts == 1),
        "{rows:#?}"
    );

    // What the SMTP server received: headers, both parts, the recipient's
    // language, the link.
    let received = smtp.messages();
    let by_key: BTreeMap<String, &jejak_tests::smtp::Received> =
        received.iter().map(|m| (m.outbox_key(), m)).collect();
    let escalation_mail = by_key[&format!("escalation/a{}/once/e{s}", w.c)];
    assert_eq!(escalation_mail.to, vec!["atasan@medan.example".to_string()]);
    let escalation = escalation_mail.parse();
    assert!(
        escalation
            .decoded("Subject")
            .unwrap()
            .contains("is late with"),
        "English for the supervisor: {:?}",
        escalation.decoded("Subject")
    );
    let text = escalation
        .part("text/plain")
        .expect("a plain-text part")
        .text
        .clone();
    let html = escalation
        .part("text/html")
        .expect("an HTML part")
        .text
        .clone();
    let link = format!("https://jejak.medan.example/pegawai/{e}");
    assert!(
        text.contains(&link) && html.contains(&link),
        "{text}\n{html}"
    );
    assert!(text.contains("Course SKP-01"), "{text}");
    let overdue = by_key[&format!("overdue/a{}/o1/e{e}", w.b)].parse();
    assert!(
        overdue
            .decoded("Subject")
            .unwrap()
            .starts_with("Terlambat: "),
        "Indonesian for the employee: {:?}",
        overdue.decoded("Subject")
    );
    assert_eq!(overdue.header("Auto-Submitted"), Some("auto-generated"));
    app.stop().await;
}

/// The mail server refuses connections while the worker runs, then comes
/// back: every queued message arrives exactly once, and no attempt was used
/// up by the outage. Then it answers "try later" (451) once: an attempt is
/// counted and the message goes out on the retry.
async fn an_smtp_outage_loses_nothing_and_sends_each_message_once(backend: Backend) {
    let smtp = SmtpServer::start();
    smtp.go_down();
    let app = spawn_app_with(backend, |c| {
        c.smtp_url = smtp.url();
        c.background_jobs = true;
        // Every two seconds, so the test does not wait for 07:00.
        c.reminder_schedule = "*/2 * * * * *".into();
    })
    .await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();

    // The running server ticks, queues, tries, finds the server down. A
    // tick that ran while the demo data was still being written may have
    // queued a message whose reason the rest of the data then removed: the
    // next tick cancels it. That is not the outage's doing; the messages
    // that stay are what this test follows.
    let live = || async {
        let rows = outbox::Entity::find().all(app.db()).await.unwrap();
        rows.into_iter()
            .filter(|r| r.state != outbox::CANCELLED)
            .collect::<Vec<_>>()
    };
    let queued = wait_until(Duration::from_secs(60), || async {
        let rows = live().await;
        (!rows.is_empty() && rows.iter().all(|r| r.last_error.is_some())).then_some(rows)
    })
    .await;
    assert!(
        queued
            .iter()
            .all(|r| r.state == outbox::PENDING && r.attempts == 0),
        "{queued:#?}"
    );
    assert!(
        queued
            .iter()
            .any(|r| r.last_error.as_deref().unwrap().contains("onnect")),
        "{queued:#?}"
    );
    assert!(smtp.messages().is_empty());

    smtp.come_up();
    let total = live().await.len();
    smtp.wait_for(total, Duration::from_secs(120)).await;
    let rows = wait_until(Duration::from_secs(30), || async {
        let rows = live().await;
        rows.iter().all(|r| r.state == outbox::SENT).then_some(rows)
    })
    .await;
    let keys: Vec<String> = smtp.messages().iter().map(|m| m.outbox_key()).collect();
    let distinct: BTreeSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), keys.len(), "a message arrived twice");
    assert_eq!(
        distinct.into_iter().cloned().collect::<BTreeSet<_>>(),
        rows.iter().map(|r| r.key.clone()).collect()
    );
    assert!(
        rows.iter().all(|r| r.attempts == 1),
        "the outage used up no attempts"
    );

    // "Try again later" is an attempt, retried after the back-off.
    smtp.fail_temporarily(true);
    let d = deliverer(&app, &smtp.url());
    let key = format!("manual/{}", rows[0].id);
    let mut extra: outbox::ActiveModel = rows[0].clone().into();
    extra.id = sea_orm::ActiveValue::NotSet;
    extra.key = Set(key.clone());
    extra.state = Set(outbox::PENDING.into());
    extra.attempts = Set(0);
    extra.sent_at = Set(None);
    extra.next_attempt_at = Set(Utc::now());
    let id = extra.insert(app.db()).await.unwrap().id;
    let now = Utc::now();
    let first: DeliveryReport = d
        .deliver_due(now, chrono::Duration::minutes(1))
        .await
        .unwrap();
    // The running worker may have taken it first; either way one 451.
    let row = wait_until(Duration::from_secs(30), || async {
        let r = outbox::Entity::find_by_id(id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        (r.attempts == 1).then_some(r)
    })
    .await;
    assert!(first.sent == 0);
    assert_eq!(row.state, outbox::PENDING);
    assert!(
        row.last_error.as_deref().unwrap().starts_with("451"),
        "{row:?}"
    );
    assert!(row.next_attempt_at > now, "backed off");
    smtp.fail_temporarily(false);
    let later = row.next_attempt_at + chrono::Duration::seconds(1);
    d.deliver_due(later, chrono::Duration::minutes(1))
        .await
        .unwrap();
    let row = outbox::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.state.as_str(), row.attempts), (outbox::SENT, 2));
    assert_eq!(
        smtp.messages()
            .iter()
            .filter(|m| m.outbox_key() == key)
            .count(),
        1
    );
    app.stop().await;
}

/// Two instances of Jejak on one PostgreSQL database, both running the
/// schedules (every second) and the delivery worker, for several ticks
/// while new work keeps arriving: every message reaches the SMTP server
/// exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_send_every_message_exactly_once() {
    let smtp = SmtpServer::start();
    smtp.slow_down(Duration::from_millis(20));
    let jobs = |c: &mut Config| {
        c.smtp_url = smtp.url();
        c.background_jobs = true;
        c.reminder_schedule = "* * * * * *".into();
        c.digest_schedule = "*/3 * * * * *".into();
    };
    let a = spawn_app_with(Backend::Postgres, jobs).await;
    let b = spawn_instance(&a, jobs).await;
    let today = a.state.now_local().date_naive();
    jejak::seed::everything(a.db(), today, &[30, 60, 90])
        .await
        .unwrap();

    // More work arrives while both run: new people with open, overdue work.
    let unit = unit::Entity::find().one(a.db()).await.unwrap().unwrap().id;
    let course = app::backend::entities::course::Entity::find()
        .one(a.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    for i in 0..20 {
        let e = insert_person(
            &a,
            unit,
            &format!("19900101201501{:04}", 1000 + i),
            &format!("baru{i}@medan.example"),
            "id",
            None,
        )
        .await;
        let p = plan::ActiveModel {
            kind: Set("transfer".into()),
            transfer_id: Set(None),
            employee_id: Set(e),
            state: Set("open".into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(a.db())
        .await
        .unwrap()
        .id;
        open_assignment(&a, p, e, course, today - chrono::Days::new(3), Utc::now()).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }

    // Several more ticks after the last change, then everything is out.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let rows = wait_until(Duration::from_secs(120), || async {
        let rows = outbox::Entity::find().all(a.db()).await.unwrap();
        (rows.iter().all(|r| r.state == outbox::SENT) && smtp.messages().len() >= rows.len())
            .then_some(rows)
    })
    .await;
    // Let any straggler arrive before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let received: Vec<String> = smtp.messages().iter().map(|m| m.outbox_key()).collect();
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for k in &received {
        *count.entry(k.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    let sent: BTreeSet<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(count.keys().copied().collect::<BTreeSet<_>>(), sent);
    assert!(
        rows.len() > 40,
        "the demo data and the newcomers give many messages: {}",
        rows.len()
    );
    assert!(
        sent.iter().any(|k| k.starts_with("weekly_digest/")),
        "the digest went out too"
    );
    for i in 0..20 {
        assert!(
            received.iter().any(|k| k.starts_with("new_plan/")
                && rows
                    .iter()
                    .any(|r| &r.key == k && r.to_address == format!("baru{i}@medan.example"))),
            "newcomer {i} got no new-plan email"
        );
    }
    b.stop().await;
    a.stop().await;
}
