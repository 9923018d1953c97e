//! The administrator's reminders page over HTTP, on SQLite and PostgreSQL,
//! against the demo data: the two schedules read (configured, the form
//! understood, five next runs in WIB, in the person's language) and saved
//! (a 5-field crontab line where 1 is Monday, a 6-field line with seconds;
//! one audit line each; the scheduler reads what was saved); a bad
//! expression refused with the precise message and status 422, nothing
//! written, and without JavaScript shown at its own form with what was
//! typed; the outbox log's filters, counts and pages; and resending a
//! failed message (a message in any other state, or none, is refused).
//! Who may call what is in `access.rs`.

use chrono::{DateTime, Datelike, FixedOffset, Timelike, Weekday};
use jejak_tests::{demo, f, on_both_backends, text_of_id, Backend, Demo, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use app::backend::{
    entities::{audit_entry, employee, outbox, schedule},
    {
        reminders::outbox as queue,
        reminders::{self, Queued},
    },
};
use app::domain::reminders::ReminderKind;

on_both_backends!(
    the_schedules_are_read_and_saved_in_both_forms,
    a_bad_schedule_is_refused_precisely_and_nothing_is_written,
    the_log_filters_counts_and_pages,
    a_failed_message_is_sent_again_and_nothing_else_is,
);

async fn schedules(d: &Demo) -> Vec<Value> {
    d.list("reminder_schedules", &[]).await["schedules"]
        .as_array()
        .unwrap()
        .clone()
}

fn runs(s: &Value) -> Vec<DateTime<FixedOffset>> {
    s["next_runs_iso"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| DateTime::parse_from_rfc3339(r.as_str().unwrap()).unwrap())
        .collect()
}

fn words(s: &Value) -> Vec<String> {
    s["next_runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

/// Five runs, in order, after now, at `hh:mm` WIB (+07:00), on `days`.
fn assert_runs(s: &Value, hh: u32, mm: u32, days: &[Weekday]) {
    let r = runs(s);
    assert_eq!(r.len(), 5, "{s}");
    assert_eq!(words(s).len(), 5, "{s}");
    assert!(r[0] > chrono::Utc::now(), "{s}");
    assert!(r.windows(2).all(|w| w[0] < w[1]), "{s}");
    for t in &r {
        assert_eq!(t.offset().local_minus_utc(), 7 * 3600, "WIB: {t}");
        assert_eq!((t.hour(), t.minute(), t.second()), (hh, mm, 0), "{t}");
        assert!(days.contains(&t.weekday()), "{t} on {days:?}");
    }
}

async fn audit_lines(app: &TestApp, action: &str) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .order_by_asc(audit_entry::Column::Id)
        .all(app.db())
        .await
        .unwrap()
}

async fn audit_total(app: &TestApp) -> u64 {
    audit_entry::Entity::find().count(app.db()).await.unwrap()
}

fn admin_nip(d: &Demo) -> String {
    d.logins
        .iter()
        .find(|l| l.role == "admin")
        .unwrap()
        .nip
        .clone()
}

async fn the_schedules_are_read_and_saved_in_both_forms(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;

    // As configured: every day at 07.00, and the digest on Mondays at 07.00.
    let page = d.list("reminder_schedules", &[]).await;
    assert_eq!(page["zone"], "WIB");
    let s = schedules(&d).await;
    assert_eq!(s.len(), 2);
    let (rem, dig) = (&s[0], &s[1]);
    assert_eq!(rem["name"], "reminders");
    assert_eq!(dig["name"], "digest");
    for (v, expr) in [(rem, "0 7 * * *"), (dig, "0 7 * * 1")] {
        assert_eq!(v["expression"], expr);
        assert_eq!(v["configured"], expr);
        assert_eq!(v["saved"], false);
        assert!(v["updated_by"].is_null() && v["updated_at"].is_null());
        assert_eq!(v["form"], "crontab");
        assert_eq!(
            v["form_label"],
            "crontab, 5 kolom (menit jam tanggal bulan hari; 0 dan 7 = Minggu, 1 = Senin)"
        );
        assert!(v["problem"].is_null());
    }
    assert_runs(rem, 7, 0, &ALL_DAYS);
    assert_runs(dig, 7, 0, &[Weekday::Mon]);
    for w in words(dig) {
        assert!(
            w.starts_with("Senin, ") && w.ends_with(" pukul 07.00 WIB"),
            "{w}"
        );
    }

    // A 5-field crontab line: Monday to Friday at 06.30.
    let (status, body) = d
        .call(
            "save_schedule",
            &[f("name", "reminders"), f("expression", " 30 6 * * 1-5 ")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["expression"], "30 6 * * 1-5");
    assert_eq!(body["saved"], true);
    assert_eq!(body["form"], "crontab");
    assert!(body["updated_by"]
        .as_str()
        .unwrap()
        .contains(&admin_nip(&d)));
    assert_runs(
        &body,
        6,
        30,
        &[
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ],
    );
    // Read back: the same, and the configured one still named.
    let s = schedules(&d).await;
    assert_eq!(s[0]["expression"], "30 6 * * 1-5");
    assert_eq!(s[0]["configured"], "0 7 * * *");
    assert_eq!(s[0]["saved"], true);
    assert!(s[0]["updated_at"].as_str().unwrap().contains("WIB"));
    assert_eq!(s[0]["next_runs_iso"], body["next_runs_iso"]);
    assert_eq!(s[1]["saved"], false, "the digest is untouched");

    // 1 in the weekday field of a 5-field line is Monday (as in crontab),
    // not Sunday (as the cron crate counts).
    let (status, body) = d
        .call(
            "save_schedule",
            &[f("name", "reminders"), f("expression", "0 9 * * 1")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_runs(&body, 9, 0, &[Weekday::Mon]);
    let s = schedules(&d).await;
    assert_runs(&s[0], 9, 0, &[Weekday::Mon]);
    assert!(words(&s[0]).iter().all(|w| w.starts_with("Senin, ")));

    // A 6-field line with seconds (spaces as typed are tidied).
    let (status, body) = d
        .call(
            "save_schedule",
            &[f("name", "digest"), f("expression", "0  15 8 * * MON")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let s = schedules(&d).await;
    let dig = &s[1];
    assert_eq!(dig["expression"], "0 15 8 * * MON");
    assert_eq!(dig["form"], "seconds");
    assert_eq!(
        dig["form_label"],
        "dengan detik, 6 kolom (detik menit jam tanggal bulan hari; 1 = Minggu)"
    );
    assert_runs(dig, 8, 15, &[Weekday::Mon]);

    // Stored, and what the scheduler reads before each wait.
    let rows = schedule::Entity::find()
        .order_by_asc(schedule::Column::Name)
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[0].name.as_str(), rows[0].expression.as_str()),
        ("digest", "0 15 8 * * MON")
    );
    assert_eq!(
        (rows[1].name.as_str(), rows[1].expression.as_str()),
        ("reminders", "0 9 * * 1")
    );
    assert!(rows.iter().all(|r| r.updated_by.contains(&admin_nip(&d))));
    assert_eq!(
        reminders::schedule_expression(app.db(), reminders::DIGEST_JOB, "0 7 * * 1")
            .await
            .unwrap(),
        "0 15 8 * * MON"
    );

    // One audit line per save, before and after.
    let lines = audit_lines(app, "schedule.update").await;
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.entity == "schedule"));
    assert!(lines[0].before.is_none(), "the first save creates the row");
    assert!(lines[1].before.as_deref().unwrap().contains("30 6 * * 1-5"));
    assert!(lines[1].after.as_deref().unwrap().contains("0 9 * * 1"));
    assert!(lines[2]
        .after
        .as_deref()
        .unwrap()
        .contains("0 15 8 * * MON"));
    assert_ne!(lines[0].entity_id, lines[2].entity_id);

    // In English for someone who chose English.
    let (status, _) = d.call("set_language", &[f("lang", "en")]).await;
    assert_eq!(status, 200);
    let s = schedules(&d).await;
    assert_eq!(
        s[1]["form_label"],
        "with seconds, 6 fields (second minute hour day month weekday; 1 = Sunday)"
    );
    for w in words(&s[1]) {
        assert!(
            w.starts_with("Monday, ") && w.ends_with(" at 08:15 WIB"),
            "{w}"
        );
    }

    // The page, without JavaScript: both cards with five runs each.
    let html = d
        .admin
        .get(app.url("/admin/pengingat"))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    for id in ["berikutnya-pengingat", "berikutnya-ringkasan"] {
        let start = html.find(&format!("id=\"{id}\"")).expect(id);
        let list = &html[start..start + html[start..].find("</ol>").unwrap()];
        assert_eq!(list.matches("<li>").count(), 5, "{id}: {list}");
    }
    assert!(text_of_id(&html, "bentuk-ringkasan")
        .unwrap()
        .contains("with seconds"));
}

const ALL_DAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

async fn a_bad_schedule_is_refused_precisely_and_nothing_is_written(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let audit_before = audit_total(app).await;
    let before = schedules(&d).await;

    let refused = |expr: &str| {
        let expr = expr.to_string();
        let d = &d;
        async move {
            let (status, body) = d
                .call(
                    "save_schedule",
                    &[f("name", "reminders"), f("expression", &expr)],
                )
                .await;
            assert_eq!(status, 422, "{expr:?}: {body}");
            assert_eq!(body["field"], "expression", "{body}");
            (
                body["message"]["id"].as_str().unwrap().to_string(),
                body["message"]["en"].as_str().unwrap().to_string(),
            )
        }
    };
    let (id, en) = refused("0 7 * *").await;
    assert_eq!(
        id,
        "Jadwal harus 5 kolom (menit jam tanggal bulan hari, mis. \"0 7 * * *\") atau 6/7 kolom \
         dengan detik (detik menit jam tanggal bulan hari [tahun], mis. \"0 0 7 * * *\"); yang diisi 4 kolom"
    );
    assert!(en.ends_with("this one has 4"), "{en}");
    let (id, _) = refused("0 25 * * *").await;
    assert!(
        id.starts_with("Kolom ke-2 (jam) tidak sah: \"25\"; yang boleh: 0–23"),
        "{id}"
    );
    let (id, _) = refused("0 7 * * 8").await;
    assert!(id.starts_with("Kolom ke-5 (hari) tidak sah: \"8\""), "{id}");
    let (id, _) = refused("0 7 1 * 1").await;
    assert!(
        id.starts_with("Isi tanggal (1) atau hari (1), jangan keduanya"),
        "{id}"
    );
    let (id, _) = refused("   ").await;
    assert!(id.starts_with("Jadwal wajib diisi"), "{id}");
    let (id, en) = refused("0 0 7 * * * 2020").await;
    assert_eq!(
        id,
        "Jadwal \"0 0 7 * * * 2020\" tidak akan berjalan lagi: semua waktunya sudah lewat"
    );
    assert!(en.contains("would never run again"), "{en}");
    // Only the two schedules exist.
    let (status, body) = d
        .call(
            "save_schedule",
            &[f("name", "mingguan"), f("expression", "0 7 * * *")],
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "name");
    assert!(body["message"]["id"]
        .as_str()
        .unwrap()
        .starts_with("Jadwal tidak dikenal: \"mingguan\""));

    // Nothing written.
    assert_eq!(schedule::Entity::find().count(app.db()).await.unwrap(), 0);
    assert_eq!(audit_total(app).await, audit_before);
    let kept = |v: &[Value]| -> Vec<(Value, Value, Value)> {
        v.iter()
            .map(|s| {
                (
                    s["name"].clone(),
                    s["expression"].clone(),
                    s["saved"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(kept(&schedules(&d).await), kept(&before));

    // Without JavaScript: back to the page, the refusal at the digest's form
    // (not the other one) with what was typed.
    let res = d
        .admin
        .post(app.url("/fn/save_schedule"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/admin/pengingat?status=failed"))
        .form(&[f("name", "digest"), f("expression", "0 25 * * 1")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("__err="), "{to}");
    let res = d.admin.get(&to).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    // The cards' HTML (text_of_id does not know void elements like <input>).
    let card = |from: &str, to: &str| {
        let start = html.find(&format!("id=\"{from}\"")).expect(from);
        let end = html.find(&format!("id=\"{to}\"")).expect(to);
        html[start..end].to_string()
    };
    let daily = card("jadwal-pengingat", "jadwal-ringkasan");
    let digest = card("jadwal-ringkasan", "log-pesan");
    assert!(
        digest.contains("Kolom ke-2 (jam) tidak sah: &quot;25&quot;")
            || digest.contains("Kolom ke-2 (jam) tidak sah: \"25\""),
        "{digest}"
    );
    assert!(digest.contains("class=\"field-error\""), "{digest}");
    assert!(
        digest.contains("value=\"0 25 * * 1\""),
        "what was typed is kept: {digest}"
    );
    assert!(!daily.contains("tidak sah"), "{daily}");
    assert!(!daily.contains("field-error"), "{daily}");
    assert!(daily.contains("value=\"0 7 * * *\""), "{daily}");
    assert!(html.contains("id=\"ekspresi-pengingat\""));
    assert_eq!(schedule::Entity::find().count(app.db()).await.unwrap(), 0);
    assert_eq!(audit_total(app).await, audit_before);

    // And a good one without JavaScript: back to the page (its filters
    // kept), saying so.
    let res = d
        .admin
        .post(app.url("/fn/save_schedule"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/admin/pengingat?status=failed"))
        .form(&[f("name", "digest"), f("expression", "0 8 * * 1")])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, "/admin/pengingat?status=failed&disimpan=digest");
    let html = d
        .admin
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"disimpan-ringkasan\""));
    assert!(!html.contains("id=\"disimpan-pengingat\""));
    assert_eq!(
        text_of_id(&html, "berlaku-ringkasan").as_deref(),
        Some("0 8 * * 1")
    );
}

/// Two recipients with an address.
async fn recipients(app: &TestApp) -> (employee::Model, employee::Model) {
    let people = employee::Entity::find()
        .filter(employee::Column::Email.is_not_null())
        .order_by_asc(employee::Column::Id)
        .all(app.db())
        .await
        .unwrap();
    let mut with_address = people
        .into_iter()
        .filter(|e| e.email.as_deref().is_some_and(|a| a.contains('@')));
    let a = with_address.next().expect("a person with an address");
    let b = with_address
        .find(|e| {
            let (x, y) = (a.email.as_deref().unwrap(), e.email.as_deref().unwrap());
            !x.contains(y) && !y.contains(local_part(x))
        })
        .expect("another");
    (a, b)
}

fn local_part(address: &str) -> &str {
    address.split('@').next().unwrap()
}

/// What the log tests start from: 30 "due soon" for A (one cancelled), 3
/// "overdue" for B (one failed after a 550), one digest for B (sent).
struct Filled {
    a: employee::Model,
    b: employee::Model,
    failed: outbox::Model,
    sent: outbox::Model,
    cancelled: outbox::Model,
    pending_overdue: Vec<outbox::Model>,
}

async fn fill_outbox(app: &TestApp) -> Filled {
    let (a, b) = recipients(app).await;
    let mut items = Vec::new();
    for i in 1..=30 {
        items.push(Queued {
            key: format!("uji/due_soon/a{i}/d7/e{}", a.id),
            kind: ReminderKind::DueSoon,
            recipient_employee_id: a.id,
            subject_kind: "assignment",
            subject_id: Some(900_000 + i),
            occurrence: "d7".into(),
        });
    }
    for i in 1..=3 {
        items.push(Queued {
            key: format!("uji/overdue/a{i}/o1/e{}", b.id),
            kind: ReminderKind::Overdue,
            recipient_employee_id: b.id,
            subject_kind: "assignment",
            subject_id: Some(910_000 + i),
            occurrence: "o1".into(),
        });
    }
    items.push(Queued {
        key: format!("uji/weekly_digest/2026-W48/e{}", b.id),
        kind: ReminderKind::WeeklyDigest,
        recipient_employee_id: b.id,
        subject_kind: "digest",
        subject_id: None,
        occurrence: "2026-W48".into(),
    });
    let now = chrono::Utc::now();
    let done = reminders::enqueue_queued(app.db(), items, now)
        .await
        .unwrap();
    assert_eq!(done.inserted, 34);
    let by_key = |k: String| {
        let db = app.db().clone();
        async move {
            outbox::Entity::find()
                .filter(outbox::Column::Key.eq(k))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    let failed = by_key(format!("uji/overdue/a1/o1/e{}", b.id)).await;
    let failed =
        queue::mark_failed_attempt(app.db(), failed.id, "550 5.1.1 mailbox unavailable", now, 1)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(failed.state, "failed");
    let sent = by_key(format!("uji/weekly_digest/2026-W48/e{}", b.id)).await;
    assert!(queue::mark_sent(app.db(), sent.id, now).await.unwrap());
    let cancelled = by_key(format!("uji/due_soon/a30/d7/e{}", a.id)).await;
    assert!(queue::mark_cancelled(app.db(), cancelled.id, "selesai")
        .await
        .unwrap());
    let mut pending_overdue = Vec::new();
    for i in 2..=3 {
        pending_overdue.push(by_key(format!("uji/overdue/a{i}/o1/e{}", b.id)).await);
    }
    let reread = |m: outbox::Model| {
        let db = app.db().clone();
        async move {
            outbox::Entity::find_by_id(m.id)
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    Filled {
        sent: reread(sent).await,
        cancelled: reread(cancelled).await,
        failed,
        pending_overdue,
        a,
        b,
    }
}

async fn log(d: &Demo, fields: &[(&str, String)]) -> Value {
    d.list("outbox_log", fields).await
}

fn ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

fn count_of(page: &Value, state: &str) -> u64 {
    page["counts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["state"] == state)
        .unwrap()["n"]
        .as_u64()
        .unwrap()
}

async fn the_log_filters_counts_and_pages(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let empty = log(&d, &[]).await;
    assert_eq!(empty["all"], 0, "the demo queues nothing");
    assert_eq!(empty["pages"], 1);
    let fill = fill_outbox(app).await;

    // Everything: newest first, 25 a page; the counts per state.
    let p1 = log(&d, &[]).await;
    assert_eq!(p1["all"], 34);
    assert_eq!(p1["total"], 34);
    assert_eq!(p1["pages"], 2);
    assert_eq!(p1["zone"], "WIB");
    let states: Vec<&str> = p1["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["pending", "sent", "failed", "cancelled"]);
    assert_eq!(
        [
            count_of(&p1, "pending"),
            count_of(&p1, "sent"),
            count_of(&p1, "failed"),
            count_of(&p1, "cancelled")
        ],
        [31, 1, 1, 1]
    );
    assert_eq!(p1["counts"][2]["label"], "Gagal");
    let first = ids(&p1);
    assert_eq!(first.len(), 25);
    assert!(first.windows(2).all(|w| w[0] > w[1]), "newest first");
    let p2 = log(&d, &[f("page", 2)]).await;
    assert_eq!(ids(&p2).len(), 9);
    let p99 = log(&d, &[f("page", 99)]).await;
    assert_eq!(p99["page"], 2);
    assert_eq!(ids(&p99), ids(&p2));

    // By state: the failed one, with what happened to it.
    let failed = log(&d, &[f("state", "failed")]).await;
    assert_eq!(failed["state"], "failed");
    assert_eq!(ids(&failed), vec![fill.failed.id]);
    let row = &failed["rows"][0];
    assert_eq!(row["kind"], "overdue");
    assert_eq!(row["kind_label"], "Terlambat");
    assert_eq!(row["state_label"], "Gagal");
    assert_eq!(row["to_address"], fill.b.email.clone().unwrap());
    assert_eq!(row["attempts"], 1);
    assert_eq!(row["last_error"], "550 5.1.1 mailbox unavailable");
    assert_eq!(row["can_resend"], true);
    assert!(row["next_attempt"].is_null() && row["sent"].is_null());
    assert!(row["created_iso"].as_str().unwrap().ends_with("+07:00"));
    // The counts do not depend on the filter.
    assert_eq!(count_of(&failed, "pending"), 31);
    // The sent digest and a pending reminder.
    let sent = log(&d, &[f("state", "sent")]).await;
    assert_eq!(ids(&sent), vec![fill.sent.id]);
    assert_eq!(sent["rows"][0]["kind_label"], "Ringkasan mingguan");
    assert!(sent["rows"][0]["sent"].is_string());
    assert_eq!(sent["rows"][0]["can_resend"], false);
    let cancelled = log(&d, &[f("state", "cancelled")]).await;
    assert_eq!(ids(&cancelled), vec![fill.cancelled.id]);
    assert_eq!(cancelled["rows"][0]["last_error"], "selesai");
    let pending = log(&d, &[f("state", "pending"), f("kind", "overdue")]).await;
    let mut want: Vec<i64> = fill.pending_overdue.iter().map(|m| m.id).collect();
    want.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids(&pending), want);
    assert!(pending["rows"][0]["next_attempt"].is_string());
    assert_eq!(pending["rows"][0]["state_label"], "Menunggu");

    // By kind: 30 "due soon" over two pages.
    let soon = log(&d, &[f("kind", "due_soon")]).await;
    assert_eq!(soon["total"], 30);
    assert_eq!(soon["pages"], 2);
    assert_eq!(soon["rows"][0]["kind_label"], "Tenggat mendekat");
    let soon2 = log(&d, &[f("kind", "due_soon"), f("page", 2)]).await;
    assert_eq!(ids(&soon2).len(), 5);

    // By recipient address (any case) or by key.
    let address = fill.a.email.clone().unwrap();
    let by_address = log(&d, &[f("q", local_part(&address).to_uppercase())]).await;
    assert_eq!(by_address["total"], 30);
    assert!(by_address["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["to_address"] == address.as_str()));
    let by_key = log(&d, &[f("q", " uji/overdue/ ")]).await;
    assert_eq!(by_key["q"], "uji/overdue/");
    assert_eq!(by_key["total"], 3);
    let nothing = log(&d, &[f("q", "tidak.ada@di.mana")]).await;
    assert_eq!(nothing["total"], 0);
    assert_eq!(nothing["pages"], 1);

    // Unknown filter values are not filters.
    let all = log(&d, &[f("state", "rusak"), f("kind", "entah")]).await;
    assert_eq!(all["state"], "");
    assert_eq!(all["kind"], "");
    assert_eq!(all["total"], 34);

    // In the page's address: linkable, rendered on the server.
    let res = d
        .admin
        .get(app.url("/admin/pengingat?status=pending&jenis=overdue"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let table = text_of_id(&html, "daftar-log").unwrap();
    assert!(table.contains("Terlambat"), "{table}");
    assert_eq!(html.matches("data-state=\"pending\" data-kind").count(), 2);
    assert!(
        !html.contains("class=\"secondary kirim-ulang\""),
        "no failed row here"
    );
    assert!(html.contains("<option value=\"overdue\" selected"));
    let html = d
        .admin
        .get(app.url("/admin/pengingat?status=failed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("class=\"secondary kirim-ulang\"").count(), 1);
    assert!(text_of_id(&html, "daftar-log")
        .unwrap()
        .contains("550 5.1.1 mailbox unavailable"));
    let html = d
        .admin
        .get(app.url("/admin/pengingat?jenis=due_soon&hal=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("data-kind=\"due_soon\"").count(), 5);
    assert!(
        html.contains("href=\"/admin/pengingat?jenis=due_soon\""),
        "page 1"
    );
}

async fn a_failed_message_is_sent_again_and_nothing_else_is(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let fill = fill_outbox(app).await;
    let audit_before = audit_total(app).await;

    // The failed message: pending again, due now, attempts from zero, the
    // last error kept for the log; one audit line.
    let (status, body) = d.call("resend_message", &[f("id", fill.failed.id)]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, fill.failed.id);
    let after = outbox::Entity::find_by_id(fill.failed.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.state, "pending");
    assert_eq!(after.attempts, 0);
    assert!(after.next_attempt_at <= chrono::Utc::now());
    assert_eq!(
        after.last_error.as_deref(),
        Some("550 5.1.1 mailbox unavailable")
    );
    let lines = audit_lines(app, "outbox.resend").await;
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].entity.as_str(), lines[0].entity_id),
        ("outbox", fill.failed.id)
    );
    assert!(lines[0].actor.contains(&admin_nip(&d)));
    assert!(lines[0].before.as_deref().unwrap().contains("\"failed\""));
    assert!(lines[0].after.as_deref().unwrap().contains("\"pending\""));
    assert_eq!(audit_total(app).await, audit_before + 1);
    let log = d.list("outbox_log", &[f("state", "failed")]).await;
    assert_eq!(log["total"], 0);

    // Anything not failed is refused, saying what it is; nothing changes.
    let snapshot = outbox::Entity::find()
        .order_by_asc(outbox::Column::Id)
        .all(app.db())
        .await
        .unwrap();
    for (m, id_word, en_word) in [
        (&after, "Menunggu (pending)", "Pending (pending)"),
        (&fill.sent, "Terkirim (sent)", "Sent (sent)"),
        (
            &fill.cancelled,
            "Dibatalkan (cancelled)",
            "Cancelled (cancelled)",
        ),
    ] {
        let (status, body) = d.call("resend_message", &[f("id", m.id)]).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(
            body["message"]["id"],
            format!(
                "Pesan #{} tidak dikirim ulang: statusnya {id_word}; hanya pesan yang gagal yang dapat dikirim ulang",
                m.id
            )
        );
        assert!(
            body["message"]["en"].as_str().unwrap().contains(en_word),
            "{body}"
        );
    }
    let (status, _) = d.call("resend_message", &[f("id", 987_654_321)]).await;
    assert_eq!(status, 404);
    assert_eq!(
        outbox::Entity::find()
            .order_by_asc(outbox::Column::Id)
            .all(app.db())
            .await
            .unwrap(),
        snapshot,
        "nothing changed"
    );
    assert_eq!(audit_total(app).await, audit_before + 1);

    // Without JavaScript: back to the log as it was filtered, saying so.
    let other = &fill.pending_overdue[0];
    let failed = queue::mark_failed_attempt(app.db(), other.id, "550 …", chrono::Utc::now(), 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(failed.state, "failed");
    let res = d
        .admin
        .post(app.url("/fn/resend_message"))
        .header("Accept", "text/html")
        .header(
            "Referer",
            app.url("/admin/pengingat?status=failed&jenis=overdue&dikirim_ulang=1"),
        )
        .form(&[f("id", other.id)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        to,
        format!(
            "/admin/pengingat?status=failed&jenis=overdue&dikirim_ulang={}",
            other.id
        )
    );
    let html = d
        .admin
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let notice = text_of_id(&html, "dikirim-ulang").expect("the notice");
    assert!(notice.contains(&format!("#{}", other.id)), "{notice}");
    assert!(html.contains("id=\"daftar-log\""), "the filtered log");
    assert!(
        !html.contains(&format!("data-message-id=\"{}\" data-state", other.id)),
        "no longer failed"
    );
    assert_eq!(
        outbox::Entity::find_by_id(other.id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap()
            .state,
        "pending"
    );
    // A refusal without JavaScript comes back to the page too.
    let res = d
        .admin
        .post(app.url("/fn/resend_message"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/admin/pengingat"))
        .form(&[f("id", fill.sent.id)])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("__err="), "{to}");
    let html = d.admin.get(&to).send().await.unwrap().text().await.unwrap();
    let refusal = text_of_id(&html, "kirim-ulang-ditolak").expect("the refusal");
    assert!(refusal.contains("Terkirim (sent)"), "{refusal}");
}
