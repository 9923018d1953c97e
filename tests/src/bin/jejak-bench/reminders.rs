//! Reminders (issue 6): deciding and queueing over N open assignments
//! (`--suite reminders`), and delivering M messages to an SMTP server on
//! loopback (`--suite delivery`).

use std::time::Instant;

use app::{
    backend::{
        config::Config,
        entities::{assignment, course, employee, outbox, plan, unit},
        reminders::mail::Mailer,
        {
            bulk::insert_all,
            reminders,
            reminders::delivery::{Deliverer, DeliveryOptions},
        },
    },
    domain::reminders::{due_reminders, ReminderPolicy},
};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use jejak_tests::smtp::SmtpServer;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set,
};

use crate::{fresh_database, median, own_cpu_seconds, peak_rss_mib, Args};

const TODAY: (i32, u32, u32) = (2026, 11, 30);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).unwrap()
}

/// 07:00 local on `day`.
fn seven(day: NaiveDate) -> DateTime<chrono_tz::Tz> {
    chrono_tz::Asia::Jakarta
        .from_local_datetime(&day.and_hms_opt(7, 0, 0).unwrap())
        .unwrap()
}

/// The demo organisation and catalogue, then `people` employees with an
/// email address (supervised by demo employees), one open plan each created
/// 60 days ago (so no new-plan email), and `per_person` open assignments
/// each with due dates spread evenly from 60 days ago to 120 days ahead
/// (`due_offset(i)` days from today for the i-th assignment).
async fn prepare(
    db: &DatabaseConnection,
    people: usize,
    per_person: usize,
    due_offset: impl Fn(usize) -> i64,
) {
    let today = today();
    jejak::seed::everything(db, today, &[30, 60, 90])
        .await
        .expect("demo data");
    let leaf: Vec<i64> = unit::Entity::find()
        .filter(unit::Column::ParentId.is_not_null())
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.id)
        .collect();
    let supervisors: Vec<i64> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let courses: Vec<i64> = course::Entity::find()
        .select_only()
        .column(course::Column::Id)
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    let now = Utc::now();
    let created = seven(today - chrono::Days::new(60)).with_timezone(&Utc);
    let rows: Vec<employee::ActiveModel> = (0..people)
        .map(|i| employee::ActiveModel {
            nip: Set(format!("1990010120{i:08}")),
            asn_kind: Set("pns".into()),
            name: Set(format!("Pegawai Uji {i}")),
            email: Set(Some(format!("uji{i}@medan.example"))),
            unit_id: Set(leaf[i % leaf.len()]),
            created_at: Set(now),
            golongan: Set(Some("III/a".into())),
            language: Set(if i % 5 == 0 { "en" } else { "id" }.into()),
            position_id: Set(None),
            supervisor_id: Set(Some(supervisors[i % supervisors.len()])),
            ..Default::default()
        })
        .collect();
    insert_all(db, rows).await.unwrap();
    let ids: Vec<i64> = employee::Entity::find()
        .select_only()
        .column(employee::Column::Id)
        .filter(employee::Column::Nip.starts_with("1990010120"))
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    assert_eq!(ids.len(), people);
    let plans: Vec<plan::ActiveModel> = ids
        .iter()
        .map(|&e| plan::ActiveModel {
            kind: Set("transfer".into()),
            transfer_id: Set(None),
            employee_id: Set(e),
            state: Set("open".into()),
            created_at: Set(created),
            ..Default::default()
        })
        .collect();
    insert_all(db, plans).await.unwrap();
    let plan_of: Vec<(i64, i64)> = plan::Entity::find()
        .select_only()
        .column(plan::Column::Id)
        .column(plan::Column::EmployeeId)
        .filter(plan::Column::CreatedAt.eq(created))
        .into_tuple()
        .all(db)
        .await
        .unwrap();
    assert_eq!(plan_of.len(), people);
    let mut k = 0usize;
    let mut batch = Vec::with_capacity(100_000);
    for (plan_id, employee_id) in plan_of {
        for j in 0..per_person {
            batch.push(assignment::ActiveModel {
                plan_id: Set(plan_id),
                employee_id: Set(employee_id),
                course_id: Set(courses[j % courses.len()]),
                due_date: Set(today
                    .checked_add_signed(chrono::Duration::days(due_offset(k)))
                    .unwrap()),
                required: Set(true),
                sort_order: Set(j as i32),
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
            });
            k += 1;
            if batch.len() == 100_000 {
                insert_all(db, std::mem::take(&mut batch)).await.unwrap();
            }
        }
    }
    insert_all(db, batch).await.unwrap();
}

/// `--suite reminders`: the tick over `--assignments` open assignments
/// (10 per person), due dates spread from 60 days ago to 120 days ahead.
/// Timed: the first tick on a database whose outbox is empty (everything
/// due is new: the worst case, e.g. the first day after installing), split
/// into its phases; the same tick again (all already queued); and the next
/// day's tick (only that day's new occurrences).
pub async fn bench_tick(args: &Args) {
    let n = args.assignments;
    println!(
        "reminders: deciding and queueing over {n} open assignments ({} people × 10), {} runs",
        n / 10,
        args.runs
    );
    let policy = ReminderPolicy::default();
    for backend in &args.backends {
        let mut cold = Vec::new();
        let mut again = Vec::new();
        let mut next_day = Vec::new();
        let mut queued = 0;
        for _ in 0..args.runs {
            let (db, _pg, _dir) = fresh_database(backend).await;
            let started = Instant::now();
            prepare(&db, n / 10, 10, |k| ((k * 37) % 181) as i64 - 60).await;
            let open = assignment::Entity::find()
                .filter(assignment::Column::State.eq("assigned"))
                .count(&db)
                .await
                .unwrap();
            eprintln!(
                "    {backend}: prepared {open} open assignments in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            let now = seven(today());
            let tz = now.timezone();

            let cpu = own_cpu_seconds();
            let t0 = Instant::now();
            assert!(reminders::try_lease(
                &db,
                reminders::REMINDERS_JOB,
                "bench",
                now.with_timezone(&Utc),
                chrono::Duration::seconds(300)
            )
            .await
            .unwrap());
            let snap = reminders::snapshot(&db, &policy, today(), &tz)
                .await
                .unwrap();
            let t1 = Instant::now();
            let due = due_reminders(&snap, &policy, today());
            let t2 = Instant::now();
            let done = reminders::enqueue(&db, &due, now.with_timezone(&Utc))
                .await
                .unwrap();
            let t3 = Instant::now();
            let total = (t3 - t0).as_secs_f64();
            let cpu_used = match (cpu, own_cpu_seconds()) {
                (Some(a), Some(b)) => format!("{:.2} s", b - a),
                _ => "?".into(),
            };
            println!(
                "  {backend}: first tick {total:.2} s (snapshot of {} assignments {:.2} s, decide {:.2} s, queue {} messages {:.2} s; Jejak's CPU {cpu_used}, peak RSS {:.0} MiB)",
                snap.assignments.len(),
                (t1 - t0).as_secs_f64(),
                (t2 - t1).as_secs_f64(),
                done.inserted,
                (t3 - t2).as_secs_f64(),
                peak_rss_mib().unwrap_or(0.0),
            );
            assert_eq!(
                done.inserted as usize,
                due.len(),
                "every recipient has an address"
            );
            queued = done.inserted;
            cold.push(total);
            drop(snap);
            drop(due);

            // The same slot again (a second instance, a restart): nothing new.
            let t = Instant::now();
            let r = reminders::tick(&db, &policy, "bench", now)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(r.inserted, 0);
            again.push(t.elapsed().as_secs_f64());

            // The next day: only that day's new occurrences.
            let t = Instant::now();
            let r = reminders::tick(&db, &policy, "bench", seven(today() + chrono::Days::new(1)))
                .await
                .unwrap()
                .unwrap();
            let secs = t.elapsed().as_secs_f64();
            println!(
                "  {backend}: same slot again {:.2} s (0 new), next day {secs:.2} s ({} decided, {} new)",
                again.last().unwrap(),
                r.decided,
                r.inserted
            );
            next_day.push(secs);
            db.close().await.ok();
        }
        let (c, cmin, cmax) = median(&mut cold);
        let (a, _, _) = median(&mut again);
        let (d, _, _) = median(&mut next_day);
        println!(
            "RESULT reminders {backend}: first tick median {c:.2} s (min {cmin:.2}, max {cmax:.2}) over {n} open assignments, {queued} messages queued; same slot again {a:.2} s; next day {d:.2} s"
        );
    }
}

/// `--suite delivery`: `--messages` due-soon reminders queued (one per
/// person), then one delivery pass to an SMTP server on loopback: claim,
/// relevance check, facts, compose (HTML and text), send over a pooled
/// SMTP connection, mark sent.
pub async fn bench_delivery(args: &Args) {
    let m = args.messages;
    println!(
        "delivery: {m} messages to a loopback SMTP server, {} in flight, {} runs",
        DeliveryOptions::default().concurrency,
        args.runs
    );
    for backend in &args.backends {
        let mut rates = Vec::new();
        for _ in 0..args.runs {
            let (db, _pg, dir) = fresh_database(backend).await;
            // One assignment each, due in 3 days: one due-soon email each.
            prepare(&db, m, 1, |_| 3).await;
            let now = seven(today());
            reminders::tick(&db, &ReminderPolicy::default(), "bench", now)
                .await
                .unwrap()
                .unwrap();
            let queued = outbox::Entity::find().count(&db).await.unwrap();
            let smtp = SmtpServer::start();
            let config = Config {
                data_dir: dir.path().to_path_buf(),
                smtp_url: smtp.url(),
                ..Config::default()
            };
            let d = Deliverer::new(db.clone(), Mailer::from_config(&config).unwrap(), &config);
            let t = Instant::now();
            let report = d
                .deliver_due(now.with_timezone(&Utc), chrono::Duration::minutes(1))
                .await
                .unwrap();
            let secs = t.elapsed().as_secs_f64();
            assert_eq!(report.sent, queued, "{report:?}");
            assert_eq!(smtp.messages().len() as u64, queued);
            let rate = queued as f64 / secs;
            println!(
                "  {backend}: {queued} messages in {secs:.2} s = {rate:.0} messages/s ({} SMTP connections)",
                smtp.connections()
            );
            rates.push(rate);
            db.close().await.ok();
        }
        let (med, min, max) = median(&mut rates);
        println!(
            "RESULT delivery {backend}: median {med:.0} messages/s (min {min:.0}, max {max:.0})"
        );
    }
}
