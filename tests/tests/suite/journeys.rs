//! The journeys over HTTP on the demo organisation, SQLite and PostgreSQL:
//! what the employee's "Penugasan saya" says, self-reporting a completion,
//! and the calendar feed checked by a real iCalendar parser.

use std::collections::BTreeSet;

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{http_client, on_both_backends, spawn_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::backend::entities::{assignment, audit_entry, self_report};

async fn demo(backend: Backend) -> (TestApp, DemoLogin, reqwest::Client) {
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let me = logins.into_iter().find(|l| l.role == "employee").unwrap();
    let client = app.sign_in(&me.nip, DEMO_PASSWORD).await;
    (app, me, client)
}

async fn my_training(app: &TestApp, client: &reqwest::Client) -> serde_json::Value {
    let res = client
        .post(app.url("/fn/my_training"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn open_assignments(app: &TestApp, employee_id: i64) -> Vec<assignment::Model> {
    assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(employee_id))
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .all(app.db())
        .await
        .unwrap()
}

on_both_backends!(
    the_employee_sees_plans_with_progress_status_and_next_steps,
    self_reports_wait_for_verification_once,
    the_calendar_feed_parses_and_can_be_revoked,
);

async fn the_employee_sees_plans_with_progress_status_and_next_steps(backend: Backend) {
    let (app, me, client) = demo(backend).await;
    let t = my_training(&app, &client).await;
    assert_eq!(t["name"], me.name.as_str());
    let plans = t["plans"].as_array().unwrap();
    assert!(!plans.is_empty());
    let plan = &plans[0];
    assert!(
        plan["title"].as_str().unwrap().starts_with("Mutasi ke "),
        "{plan}"
    );
    assert!(plan["subtitle"].as_str().unwrap().starts_with("TMT "));
    let cards = plan["assignments"].as_array().unwrap();
    let db_rows = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(plan["id"].as_i64().unwrap()))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(cards.len(), db_rows.len());
    let required_done = db_rows
        .iter()
        .filter(|a| a.required && matches!(a.state.as_str(), "completed" | "waived"))
        .count();
    assert_eq!(plan["done"].as_u64().unwrap() as usize, required_done);
    for c in cards {
        // Dates in Indonesian words, a status, a next step.
        let due = c["due_date"].as_str().unwrap();
        assert!(
            [
                "Januari",
                "Februari",
                "Maret",
                "April",
                "Mei",
                "Juni",
                "Juli",
                "Agustus",
                "September",
                "Oktober",
                "November",
                "Desember"
            ]
            .iter()
            .any(|m| due.contains(m)),
            "{due}"
        );
        assert!(!c["status"].as_str().unwrap().is_empty());
        assert!(!c["next_step"].as_str().unwrap().is_empty());
        if c["tone"] == "overdue" {
            assert!(
                c["status"].as_str().unwrap().starts_with("Terlambat "),
                "{c}"
            );
        }
    }
    let ledger = &t["ledger"];
    assert_eq!(ledger["target"], 20.0);
    let by_month: f64 = ledger["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert!((by_month - ledger["done"].as_f64().unwrap()).abs() < 1e-9);
    // The page itself, server-rendered: progress bar and chart need no script.
    let html = client
        .get(app.url("/saya"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<progress"), "a progress bar");
    assert!(html.contains("<svg"), "the JP chart");
    assert!(html.contains("Riwayat pelatihan"));
    app.stop().await;
}

async fn self_reports_wait_for_verification_once(backend: Backend) {
    let (app, me, client) = demo(backend).await;
    let open = open_assignments(&app, me.employee_id).await;
    let target = open[0].id;
    let today = app.state.now_local().date_naive();
    let report = |date: String| {
        client
            .post(app.url("/fn/self_report"))
            .form(&[
                ("assignment_id", target.to_string()),
                ("completed_on", date),
                ("certificate_no", "SERT/2026/0042".into()),
                ("note", "Mengikuti kelas daring".into()),
            ])
            .send()
    };
    // Not in the future; a precise message for the field.
    let res = report((today + chrono::Days::new(3)).to_string())
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "completed_on");
    assert_eq!(
        err["message"]["id"],
        "Tanggal selesai tidak boleh di masa depan"
    );
    assert_eq!(
        self_report::Entity::find().count(app.db()).await.unwrap(),
        0
    );

    // dd-mm-yyyy as people type it.
    let typed = (today - chrono::Days::new(1))
        .format("%d-%m-%Y")
        .to_string();
    assert_eq!(report(typed).await.unwrap().status(), 200);
    let t = my_training(&app, &client).await;
    let card = t["plans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["assignments"].as_array().unwrap().clone())
        .find(|c| c["id"] == target)
        .unwrap();
    assert_eq!(card["tone"], "pending");
    assert_eq!(card["status"], "Menunggu verifikasi");
    assert_eq!(card["can_report"], false);
    assert!(card["next_step"]
        .as_str()
        .unwrap()
        .contains("menunggu verifikasi pelatih"));
    // The assignment itself stays open until a trainer verifies.
    let a = assignment::Entity::find_by_id(target)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(a.state.as_str(), "assigned" | "in_progress"));

    // Once only while pending.
    let again = report(today.to_string()).await.unwrap();
    assert_eq!(again.status(), 409);
    assert_eq!(
        self_report::Entity::find().count(app.db()).await.unwrap(),
        1
    );
    assert_eq!(
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("self_report.create"))
            .count(app.db())
            .await
            .unwrap(),
        1
    );
    app.stop().await;
}

async fn the_calendar_feed_parses_and_can_be_revoked(backend: Backend) {
    let (app, me, client) = demo(backend).await;
    let link = |revoke: bool| {
        let form: Vec<(&str, &str)> = if revoke {
            vec![("revoke", "ya")]
        } else {
            vec![]
        };
        client.post(app.url("/fn/calendar_link")).form(&form).send()
    };
    let url: Option<String> = link(false).await.unwrap().json().await.unwrap();
    let url = url.unwrap();
    let path = url.trim_start_matches("http://127.0.0.1:3000");
    assert!(
        path.starts_with("/kalender/") && path.ends_with(".ics"),
        "{url}"
    );

    // Calendar apps fetch without a session.
    let res = http_client().get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let body = res.text().await.unwrap();
    assert!(body.contains("\r\n"), "RFC 5545 lines end in CRLF");
    let cal: Calendar = body.parse().expect("a valid iCalendar document");
    let events: Vec<_> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let open = open_assignments(&app, me.employee_id).await;
    assert_eq!(events.len(), open.len(), "one event per open assignment");
    let due_dates: BTreeSet<chrono::NaiveDate> = open.iter().map(|a| a.due_date).collect();
    let mut uids = BTreeSet::new();
    for e in &events {
        match e.get_start() {
            Some(DatePerhapsTime::Date(d)) => assert!(due_dates.contains(&d), "{d}"),
            other => panic!("an all-day event on the due date, not {other:?}"),
        }
        assert!(e.get_summary().unwrap().starts_with("Tenggat pelatihan: "));
        assert!(uids.insert(e.get_uid().unwrap().to_string()), "unique UIDs");
    }

    // A new link replaces the old; revoking ends it.
    let newer: Option<String> = link(false).await.unwrap().json().await.unwrap();
    let newer = newer.unwrap();
    assert_ne!(newer, url);
    assert_eq!(
        http_client()
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let newer_path = newer
        .trim_start_matches("http://127.0.0.1:3000")
        .to_string();
    assert_eq!(
        http_client()
            .get(app.url(&newer_path))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let gone: Option<String> = link(true).await.unwrap().json().await.unwrap();
    assert!(gone.is_none());
    assert_eq!(
        http_client()
            .get(app.url(&newer_path))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    app.stop().await;
}

async fn trainer_of(app: &TestApp) -> (DemoLogin, reqwest::Client) {
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let t = logins.into_iter().find(|l| l.role == "trainer").unwrap();
    let client = app.sign_in(&t.nip, DEMO_PASSWORD).await;
    (t, client)
}

async fn course_id(app: &TestApp, code: &str) -> i64 {
    use app::backend::entities::course;
    course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id
}

on_both_backends!(
    a_trainer_completes_an_attendance_sheet_all_or_nothing,
    trainers_verify_or_reject_self_reports,
);

async fn a_trainer_completes_an_attendance_sheet_all_or_nothing(backend: Backend) {
    let (app, _, _) = demo(backend).await;
    let (_, trainer) = trainer_of(&app).await;
    let berakhlak = course_id(&app, "BERAKHLAK").await;
    let desk: serde_json::Value = trainer
        .post(app.url("/fn/trainer_desk"))
        .form(&[("course_id", berakhlak.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let open: Vec<i64> = desk["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["open"] == true)
        .map(|p| p["assignment_id"].as_i64().unwrap())
        .collect();
    assert!(open.len() >= 3, "{desk}");
    let today = app.state.now_local().date_naive().to_string();
    let audits_before = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("assignment.completed"))
        .count(app.db())
        .await
        .unwrap();

    // One of the ticked rows is not a participant of this course: nothing is saved.
    let elsewhere = assignment::Entity::find()
        .filter(assignment::Column::CourseId.ne(berakhlak))
        .filter(assignment::Column::State.eq("assigned"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let sheet = |ids: Vec<(String, String)>| {
        let mut form = vec![
            ("course_id".to_string(), berakhlak.to_string()),
            ("completed_on".to_string(), today.clone()),
            ("jp".to_string(), "8".to_string()),
            ("score".to_string(), "87,5".to_string()),
        ];
        form.extend(ids);
        trainer
            .post(app.url("/fn/record_attendance"))
            .form(&form)
            .send()
    };
    // Checkboxes are named ids[<row>]; unticked rows send nothing (gaps).
    let res = sheet(vec![
        ("ids[0]".into(), open[0].to_string()),
        ("ids[2]".into(), elsewhere.to_string()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "ids");
    let first = assignment::Entity::find_by_id(open[0])
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.state, "assigned", "all or nothing");

    let res = sheet(vec![
        ("ids[0]".into(), open[0].to_string()),
        ("ids[1]".into(), open[1].to_string()),
        ("ids[4]".into(), open[2].to_string()),
    ])
    .await
    .unwrap();
    assert_eq!(res.status(), 200);
    let n: usize = res.json().await.unwrap();
    assert_eq!(n, 3);
    for id in &open[..3] {
        let a = assignment::Entity::find_by_id(*id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.state, "completed");
        let c = app::backend::entities::completion::Entity::find_by_id(a.completion_id.unwrap())
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (c.jp, c.score, c.source.as_str()),
            (8.0, Some(87.5), "trainer_log")
        );
    }
    let audits_after = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("assignment.completed"))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(audits_after - audits_before, 3, "one audit line each");

    // A course the trainer does not teach: as if it did not exist.
    let other = course_id(&app, "SKP-01").await;
    let res = trainer
        .post(app.url("/fn/record_attendance"))
        .form(&[
            ("course_id", other.to_string()),
            ("completed_on", today.clone()),
            ("jp", String::new()),
            ("score", String::new()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    app.stop().await;
}

async fn trainers_verify_or_reject_self_reports(backend: Backend) {
    let (app, me, employee) = demo(backend).await;
    let (_, trainer) = trainer_of(&app).await;
    let berakhlak = course_id(&app, "BERAKHLAK").await;
    let target = open_assignments(&app, me.employee_id)
        .await
        .into_iter()
        .find(|a| a.course_id == berakhlak)
        .expect("the newcomer must take BerAKHLAK")
        .id;
    let yesterday = (app.state.now_local().date_naive() - chrono::Days::new(1)).to_string();
    let report = || {
        employee
            .post(app.url("/fn/self_report"))
            .form(&[
                ("assignment_id", target.to_string()),
                ("completed_on", yesterday.clone()),
                ("certificate_no", "BERAKHLAK/2026/12".into()),
                ("note", String::new()),
            ])
            .send()
    };
    assert_eq!(report().await.unwrap().status(), 200);
    let pending_id = |desk: &serde_json::Value| {
        desk["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["certificate_no"] == "BERAKHLAK/2026/12")
            .map(|r| r["id"].as_i64().unwrap())
    };
    let desk: serde_json::Value = trainer
        .post(app.url("/fn/trainer_desk"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = pending_id(&desk).expect("the report waits on the trainer's desk");
    let review = |id: i64, decision: &'static str, reason: &'static str| {
        trainer
            .post(app.url("/fn/review_self_report"))
            .form(&[
                ("report_id", id.to_string()),
                ("decision", decision.into()),
                ("reason", reason.into()),
            ])
            .send()
    };
    // Rejecting needs a reason, which the employee then reads.
    let res = review(id, "reject", " ").await.unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        review(id, "reject", "Sertifikat tidak terbaca")
            .await
            .unwrap()
            .status(),
        200
    );
    let t = my_training(&app, &employee).await;
    let card = t["plans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["assignments"].as_array().unwrap().clone())
        .find(|c| c["id"] == target)
        .unwrap();
    assert_eq!(card["can_report"], true);
    assert!(
        card["next_step"]
            .as_str()
            .unwrap()
            .contains("Sertifikat tidak terbaca"),
        "{card}"
    );

    // Reported again, then verified: it becomes training history.
    assert_eq!(report().await.unwrap().status(), 200);
    let desk: serde_json::Value = trainer
        .post(app.url("/fn/trainer_desk"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = pending_id(&desk).unwrap();
    assert_eq!(review(id, "verify", "").await.unwrap().status(), 200);
    assert_eq!(
        review(id, "verify", "").await.unwrap().status(),
        409,
        "reviewed once"
    );
    let a = assignment::Entity::find_by_id(target)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(a.state, "completed");
    let t = my_training(&app, &employee).await;
    assert!(t["history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["source"] == "Laporan sendiri (diverifikasi)"
            && h["certificate_no"] == "BERAKHLAK/2026/12"));
    let r = self_report::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, "verified");
    assert!(r.completion_id.is_some());
    app.stop().await;
}

on_both_backends!(
    the_manager_sees_newcomers_of_their_units_and_exports_them,
    managers_write_check_ins_and_others_cannot,
);

async fn manager_of(app: &TestApp) -> reqwest::Client {
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let m = logins.into_iter().find(|l| l.role == "manager").unwrap();
    app.sign_in(&m.nip, DEMO_PASSWORD).await
}

async fn the_manager_sees_newcomers_of_their_units_and_exports_them(backend: Backend) {
    use app::backend::entities::{employee, unit};
    use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
    let (app, me, _) = demo(backend).await;
    let manager = manager_of(&app).await;
    let d: serde_json::Value = manager
        .post(app.url("/fn/dashboard"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = d["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert_eq!(d["days"], 180);
    // Only people of the kecamatan's subtree.
    let kecamatan = unit::Entity::find()
        .filter(unit::Column::Name.eq("Kecamatan Medan Belawan"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    for r in rows {
        let e = employee::Entity::find_by_id(r["employee_id"].as_i64().unwrap())
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        let path = app::backend::people::unit_lookup::unit_path(app.db(), e.unit_id)
            .await
            .unwrap();
        assert!(
            path.contains(&kecamatan),
            "{} is outside the manager's units",
            e.name
        );
        assert!(r["days_since_tmt"].as_i64().unwrap() <= 180);
    }
    assert!(rows.iter().any(|r| r["employee_id"] == me.employee_id));
    assert_eq!(d["overdue_by_week"].as_array().unwrap().len(), 12);
    // Search by NIP with spaces; sorting by overdue puts the most overdue first.
    let spaced = format!("{} {}", &me.nip[..8], &me.nip[8..]);
    let found: serde_json::Value = manager
        .post(app.url("/fn/dashboard"))
        .form(&[("q", spaced.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(found["total"], 1);
    let sorted: serde_json::Value = manager
        .post(app.url("/fn/dashboard"))
        .form(&[("sort", "terlambat")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let overdue: Vec<u64> = sorted["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["overdue"].as_u64().unwrap())
        .collect();
    assert!(overdue.windows(2).all(|w| w[0] >= w[1]), "{overdue:?}");

    // A name that a spreadsheet would run as a formula.
    let e = employee::Entity::find_by_id(me.employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let mut am = e.into_active_model();
    am.name = Set("=HYPERLINK(\"http://penipu.example\",\"klik\")".into());
    am.update(app.db()).await.unwrap();

    for (query, delimiter) in [("", b','), ("?pemisah=titikkoma", b';')] {
        let res = manager
            .get(app.url(&format!("/manajer/laporan.csv{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(res.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment"));
        let bytes = res.bytes().await.unwrap();
        let bom = bytes.starts_with("\u{feff}".as_bytes());
        assert_eq!(bom, delimiter == b';', "the BOM comes with the ; variant");
        let body = if bom { &bytes[3..] } else { &bytes[..] };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(body);
        let headers = reader.headers().unwrap().clone();
        assert_eq!(&headers[0], "NIP");
        assert_eq!(&headers[9], "Check-in berikutnya");
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len() as u64, d["total"].as_u64().unwrap());
        let mine = records.iter().find(|r| &r[0] == me.nip.as_str()).unwrap();
        assert!(
            mine[1].starts_with("'="),
            "formula neutralised: {}",
            &mine[1]
        );
    }
    app.stop().await;
}

async fn managers_write_check_ins_and_others_cannot(backend: Backend) {
    use app::backend::entities::{checkin, transfer};
    let (app, me, employee) = demo(backend).await;
    let manager = manager_of(&app).await;
    let (_, trainer) = trainer_of(&app).await;
    let t = transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(me.employee_id))
        .filter(transfer::Column::State.eq("completed"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let open = checkin::Entity::find()
        .filter(checkin::Column::TransferId.eq(t.id))
        .filter(checkin::Column::Rating.is_null())
        .one(app.db())
        .await
        .unwrap()
        .expect("an open check-in");
    let write = |client: &reqwest::Client, rating: &str| {
        client
            .post(app.url("/fn/write_checkin"))
            .form(&[
                ("checkin_id", open.id.to_string()),
                ("rating", rating.to_string()),
                (
                    "notes",
                    "Cepat beradaptasi; perlu pendampingan SIPD.".to_string(),
                ),
            ])
            .send()
    };
    // The person themselves and a trainer: as if it did not exist.
    assert_eq!(write(&employee, "baik").await.unwrap().status(), 404);
    assert_eq!(write(&trainer, "baik").await.unwrap().status(), 404);
    // A rating outside the SKP words: precise, and nothing written.
    let res = write(&manager, "luar_biasa").await.unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "rating");
    assert_eq!(write(&manager, "baik").await.unwrap().status(), 200);
    let c = checkin::Entity::find_by_id(open.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.rating.as_deref(), Some("baik"));
    assert!(c.written_by.unwrap().contains("Bambang"));
    // The person page shows it to the manager, with the rating in words.
    let page: serde_json::Value = manager
        .post(app.url("/fn/person"))
        .form(&[("employee_id", me.employee_id.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["can_write_checkins"], true);
    assert!(page["checkins"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["rating"] == "Baik"));
    // The trainer sees the person's course work, never the check-ins.
    let page: serde_json::Value = trainer
        .post(app.url("/fn/person"))
        .form(&[("employee_id", me.employee_id.to_string())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(page["checkins"].as_array().unwrap().is_empty());
    app.stop().await;
}
