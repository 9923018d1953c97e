//! The administrator's catalogue over HTTP, on SQLite and PostgreSQL,
//! against the demo data: the course list's search and pages; adding a
//! course (every field checked, nothing written on a refusal); creating a
//! rule (version 1, listed); testing a rule being composed against a
//! transfer (the plan that rule alone would give, nothing written); the
//! pages without JavaScript; and everyone but an administrator answered
//! "not found".

use std::collections::{BTreeMap, BTreeSet};

use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{on_both_backends, spawn_app, text_of_id, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use app::backend::{
    entities::{
        assignment, audit_entry, checkin, course, plan, plan_rule, plan_rule_version, position,
        transfer,
    },
    services::catalogue::{self, NewCourse},
};

struct Demo {
    app: TestApp,
    admin: reqwest::Client,
    logins: Vec<DemoLogin>,
}

async fn demo(backend: Backend) -> Demo {
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let admin_nip = logins
        .iter()
        .find(|l| l.role == "admin")
        .unwrap()
        .nip
        .clone();
    let admin = app.sign_in(&admin_nip, DEMO_PASSWORD).await;
    Demo { app, admin, logins }
}

impl Demo {
    async fn as_role(&self, role: &str) -> reqwest::Client {
        let l = self.logins.iter().find(|l| l.role == role).unwrap();
        self.app.sign_in(&l.nip, DEMO_PASSWORD).await
    }
}

/// Calls a server function with form fields; the status and the JSON answer.
async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    fields: &[(&str, String)],
) -> (u16, Value) {
    let res = client
        .post(app.url(&format!("/fn/{endpoint}")))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn f(k: &str, v: impl ToString) -> (&str, String) {
    (k, v.to_string())
}

async fn courses(d: &Demo, fields: &[(&str, String)]) -> Value {
    let (status, body) = call(&d.app, &d.admin, "courses", fields).await;
    assert_eq!(status, 200, "{fields:?}: {body}");
    body
}

fn codes(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

/// Rows in the tables the catalogue functions could touch.
async fn counts(app: &TestApp) -> BTreeMap<&'static str, u64> {
    let db = app.db();
    let mut m = BTreeMap::new();
    m.insert("courses", course::Entity::find().count(db).await.unwrap());
    m.insert(
        "plan_rules",
        plan_rule::Entity::find().count(db).await.unwrap(),
    );
    m.insert(
        "plan_rule_versions",
        plan_rule_version::Entity::find().count(db).await.unwrap(),
    );
    m.insert("plans", plan::Entity::find().count(db).await.unwrap());
    m.insert(
        "assignments",
        assignment::Entity::find().count(db).await.unwrap(),
    );
    m.insert("checkins", checkin::Entity::find().count(db).await.unwrap());
    m.insert(
        "transfers",
        transfer::Entity::find().count(db).await.unwrap(),
    );
    m.insert(
        "audit (catalogue)",
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Entity.is_in([
                "course",
                "plan_rule",
                "plan",
                "assignment",
                "transfer",
                "employee",
            ]))
            .count(db)
            .await
            .unwrap(),
    );
    m
}

on_both_backends!(
    the_course_list_searches_and_pages,
    a_course_is_checked_field_by_field_and_nothing_is_written_on_refusal,
    a_rule_is_saved_as_version_one_and_listed,
    testing_a_rule_against_a_transfer_writes_nothing,
    the_pages_work_without_javascript,
    only_administrators_get_past_the_door,
);

async fn the_course_list_searches_and_pages(backend: Backend) {
    let d = demo(backend).await;
    for i in 1..=60 {
        catalogue::create_course(
            d.app.db(),
            "test",
            NewCourse {
                code: format!("UJI-{i:03}"),
                title_id: format!("Pelatihan Uji Nomor {i}"),
                title_en: format!("Test course {i}"),
                competency: "teknis".into(),
                jp: 2.0,
                method: "klasikal".into(),
                provider: "BKPSDM".into(),
                validity_months: if i % 2 == 0 { Some(24) } else { None },
            },
        )
        .await
        .unwrap();
    }
    let all = course::Entity::find().count(d.app.db()).await.unwrap();
    assert!(all > 60);

    // Paging: 50 by code, then the rest; together every course once.
    let p1 = courses(&d, &[]).await;
    assert_eq!(p1["total"], all);
    assert_eq!(p1["page"], 1);
    assert_eq!(p1["pages"], all.div_ceil(50));
    let c1 = codes(&p1);
    assert_eq!(c1.len(), 50);
    assert!(c1.windows(2).all(|w| w[0] < w[1]), "by code: {c1:?}");
    let p2 = courses(&d, &[f("page", 2)]).await;
    let c2 = codes(&p2);
    assert_eq!(c2.len() as u64, all - 50);
    let seen: BTreeSet<String> = c1.iter().chain(c2.iter()).cloned().collect();
    let stored: BTreeSet<String> = course::Entity::find()
        .all(d.app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.code)
        .collect();
    assert_eq!(seen, stored);
    let p9 = courses(&d, &[f("page", 99)]).await;
    assert_eq!(p9["page"], p1["pages"]);
    assert_eq!(codes(&p9), c2);

    // By code, case-insensitive: 60 over two pages.
    let s1 = courses(&d, &[f("q", "uji-0")]).await;
    assert_eq!(s1["total"], 60);
    assert_eq!(s1["pages"], 2);
    assert_eq!(codes(&s1).len(), 50);
    assert_eq!(codes(&s1)[0], "UJI-001");
    let s2 = courses(&d, &[f("q", "uji-0"), f("page", 2)]).await;
    assert_eq!(
        codes(&s2),
        (51..=60).map(|i| format!("UJI-{i:03}")).collect::<Vec<_>>()
    );
    // By the Indonesian title, another case.
    let t = courses(&d, &[f("q", "  PELATIHAN UJI NOMOR 7  ")]).await;
    assert_eq!(t["q"], "PELATIHAN UJI NOMOR 7");
    assert_eq!(codes(&t), vec!["UJI-007"]);
    let t = courses(&d, &[f("q", "berakhlak")]).await;
    assert_eq!(codes(&t), vec!["BERAKHLAK"]);
    // Wildcards are taken literally; nothing found is one empty page.
    for q in ["%", "UJI_0", "tidak ada yang begini"] {
        let p = courses(&d, &[f("q", q)]).await;
        assert_eq!(p["total"], 0, "{q}");
        assert_eq!(p["pages"], 1);
        assert!(codes(&p).is_empty());
    }
    // A row: validity in months or "tidak kedaluwarsa", labels, JP.
    let r = &courses(&d, &[f("q", "UJI-002")]).await["rows"][0];
    assert_eq!(r["validity"], "24 bulan");
    assert_eq!(r["validity_months"], 24);
    assert_eq!(r["method_label"], "Klasikal");
    assert_eq!(r["competency_label"], "Teknis");
    assert_eq!(r["jp"], 2.0);
    assert_eq!(r["active"], true);
    let r = &courses(&d, &[f("q", "UJI-001")]).await["rows"][0];
    assert_eq!(r["validity"], "tidak kedaluwarsa");
    assert!(r["validity_months"].is_null());
}

fn good_course() -> Vec<(&'static str, String)> {
    vec![
        f("code", "  spbe-02 "),
        f("title_id", "Arsitektur SPBE lanjutan"),
        f("title_en", ""),
        f("competency", "teknis"),
        f("jp", "2,5"),
        f("method", "nonklasikal"),
        f("provider", "Diskominfo Kota Medan"),
        f("validity_months", "36"),
    ]
}

fn with(
    base: &[(&'static str, String)],
    key: &str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> =
        base.iter().filter(|(k, _)| *k != key).cloned().collect();
    if let Some(v) = value {
        let k = base.iter().find(|(k, _)| *k == key).unwrap().0;
        out.push((k, v.to_string()));
    }
    out
}

async fn a_course_is_checked_field_by_field_and_nothing_is_written_on_refusal(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let before = counts(app).await;
    let good = good_course();
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (with(&good, "code", Some("   ")), "code"),
        (with(&good, "code", None), "code"),
        (with(&good, "code", Some("berakhlak")), "code"), // taken (any case)
        (with(&good, "code", Some(&"X".repeat(41))), "code"),
        (with(&good, "title_id", Some("")), "title_id"),
        (with(&good, "title_id", None), "title_id"),
        (with(&good, "competency", Some("sihir")), "competency"),
        (with(&good, "jp", Some("delapan")), "jp"),
        (with(&good, "jp", Some("")), "jp"),
        (with(&good, "jp", None), "jp"),
        (with(&good, "jp", Some("0")), "jp"),
        (with(&good, "jp", Some("-2")), "jp"),
        (with(&good, "jp", Some("NaN")), "jp"),
        (with(&good, "method", Some("daring")), "method"),
        (with(&good, "method", None), "method"),
        (
            with(&good, "validity_months", Some("-1")),
            "validity_months",
        ),
        (with(&good, "validity_months", Some("0")), "validity_months"),
        (
            with(&good, "validity_months", Some("dua")),
            "validity_months",
        ),
    ];
    for (fields, field) in &cases {
        let (status, body) = call(app, &d.admin, "create_course", fields).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert_eq!(body["kind"], "invalid", "{body}");
        assert_eq!(body["field"], *field, "{fields:?}: {body}");
        let msg = &body["message"];
        assert!(!msg["id"].as_str().unwrap().is_empty());
        assert!(!msg["en"].as_str().unwrap().is_empty());
    }
    // A precise message for a number that is not one.
    let (_, body) = call(
        app,
        &d.admin,
        "create_course",
        &with(&good, "jp", Some("delapan")),
    )
    .await;
    assert!(
        body["message"]["id"].as_str().unwrap().contains("angka"),
        "{body}"
    );
    assert!(body["message"]["en"].as_str().unwrap().contains("number"));
    let (_, body) = call(
        app,
        &d.admin,
        "create_course",
        &with(&good, "code", Some("berakhlak")),
    )
    .await;
    assert!(body["message"]["id"]
        .as_str()
        .unwrap()
        .contains("sudah dipakai"));
    assert_eq!(counts(app).await, before, "nothing written on refusal");

    // A good one: listed, as sent (code upper-cased, decimal comma).
    let (status, body) = call(app, &d.admin, "create_course", &good).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap();
    let page = courses(&d, &[f("q", "spbe-02")]).await;
    assert_eq!(page["total"], 1);
    let r = &page["rows"][0];
    assert_eq!(r["id"], id);
    assert_eq!(r["code"], "SPBE-02");
    assert_eq!(r["title_id"], "Arsitektur SPBE lanjutan");
    assert_eq!(r["title_en"], "Arsitektur SPBE lanjutan");
    assert_eq!(r["jp"], 2.5);
    assert_eq!(r["method"], "nonklasikal");
    assert_eq!(r["validity"], "36 bulan");
    let after = counts(app).await;
    assert_eq!(after["courses"], before["courses"] + 1);
    assert_eq!(after["audit (catalogue)"], before["audit (catalogue)"] + 1);
    // Sent again: the code is taken now.
    let (status, body) = call(app, &d.admin, "create_course", &good).await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "code");
    // Without validity: never expires.
    let (status, _) = call(
        app,
        &d.admin,
        "create_course",
        &with(
            &with(&good, "code", Some("SPBE-03")),
            "validity_months",
            Some(""),
        ),
    )
    .await;
    assert_eq!(status, 200);
    let r = &courses(&d, &[f("q", "SPBE-03")]).await["rows"][0];
    assert_eq!(r["validity"], "tidak kedaluwarsa");
}

async fn course_id(app: &TestApp, code: &str) -> i64 {
    course::Entity::find()
        .filter(course::Column::Code.eq(code))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn rules(d: &Demo) -> Value {
    let (status, body) = call(&d.app, &d.admin, "rules", &[]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn a_rule_is_saved_as_version_one_and_listed(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let spbe = course_id(app, "SPBE-01").await;
    let pdp = course_id(app, "PDP-01").await;
    let page = rules(&d).await;
    assert_eq!(page["rules"].as_array().unwrap().len(), 4, "the demo rules");
    let demo_it = page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Jabatan bidang IT")
        .unwrap();
    assert_eq!(demo_it["criteria"][0], "Rumpun jabatan: IT");
    assert_eq!(demo_it["version"], 1);
    assert!(page["courses"].as_array().unwrap().len() >= 10);
    assert!(!page["units"].as_array().unwrap().is_empty());
    assert!(!page["transfers"].as_array().unwrap().is_empty());
    assert!(page["job_families"]
        .as_array()
        .unwrap()
        .contains(&Value::from("IT")));
    let unit = page["units"][0]["id"].as_i64().unwrap();
    let unit_name = page["units"][0]["label"].as_str().unwrap().to_string();

    let good = vec![
        f("name", "  Pengawas IT baru "),
        f("active", "on"),
        f("job_family", "IT, Keuangan"),
        f("position_kind", "pengawas"),
        f("unit_id", unit),
        f("transfer_type", "within_agency"),
        f("items[0][course_id]", spbe),
        f("items[0][due_offset_days]", "30"),
        f("items[0][required]", "wajib"),
        // An empty row in between is skipped.
        f("items[1][course_id]", ""),
        f("items[1][due_offset_days]", ""),
        f("items[1][required]", "wajib"),
        f("items[3][course_id]", pdp),
        f("items[3][due_offset_days]", "90"),
        f("items[3][required]", "pilihan"),
    ];
    let before = counts(app).await;
    let bad: Vec<(Vec<(&str, String)>, &str)> = vec![
        (with(&good, "name", Some(" ")), "name"),
        (with(&good, "name", None), "name"),
        (
            with(&good, "name", Some("Jabatan bidang IT")), // taken
            "name",
        ),
        (with(&good, "position_kind", Some("raja")), "position_kind"),
        (with(&good, "unit_id", Some("bukan-angka")), "unit_id"),
        (with(&good, "unit_id", Some("987654321")), "unit_id"),
        (
            with(&good, "transfer_type", Some("ke-bulan")),
            "transfer_type",
        ),
        (
            good.iter()
                .filter(|(k, _)| !k.starts_with("items"))
                .cloned()
                .collect(),
            "items",
        ),
        (
            with(&good, "items[0][due_offset_days]", Some("-3")),
            "items",
        ),
        (
            with(&good, "items[0][due_offset_days]", Some("tiga puluh")),
            "items",
        ),
        (with(&good, "items[0][due_offset_days]", Some("")), "items"),
        (
            with(&good, "items[0][due_offset_days]", Some("4000")),
            "items",
        ),
        (
            with(&good, "items[0][course_id]", Some("987654321")),
            "items",
        ),
        (
            with(&good, "items[3][course_id]", Some(&spbe.to_string())),
            "items",
        ),
        (with(&good, "items[0][required]", Some("mungkin")), "items"),
    ];
    for (fields, field) in &bad {
        let (status, body) = call(app, &d.admin, "create_rule", fields).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert_eq!(body["field"], *field, "{fields:?}: {body}");
    }
    assert_eq!(counts(app).await, before, "nothing written on refusal");

    let (status, body) = call(app, &d.admin, "create_rule", &good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 1);
    assert_eq!(body["name"], "Pengawas IT baru");
    let rule_id = body["rule_id"].as_i64().unwrap();
    let versions = plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(rule_id))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].version, 1);
    let stored = plan_rule::Entity::find_by_id(rule_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.current_version, 1);
    assert!(stored.active);
    let criteria: app::domain::plan::Criteria =
        serde_json::from_str(&versions[0].criteria).unwrap();
    assert_eq!(criteria.job_families, vec!["IT", "Keuangan"]);
    assert_eq!(criteria.unit_subtrees, vec![unit]);
    let items: Vec<app::domain::plan::RuleItem> = serde_json::from_str(&versions[0].items).unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| (i.course_id, i.due_offset_days, i.required))
            .collect::<Vec<_>>(),
        vec![(spbe, 30, true), (pdp, 90, false)]
    );
    let after = counts(app).await;
    assert_eq!(after["plan_rules"], before["plan_rules"] + 1);
    assert_eq!(
        after["plan_rule_versions"],
        before["plan_rule_versions"] + 1
    );
    assert_eq!(after["plans"], before["plans"]);
    assert_eq!(after["assignments"], before["assignments"]);

    // Listed, with its criteria in words and its courses.
    let page = rules(&d).await;
    let row = page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule_id)
        .expect("the new rule is listed")
        .clone();
    assert_eq!(row["version"], 1);
    assert_eq!(row["active"], true);
    let words: Vec<&str> = row["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        words,
        vec![
            "Rumpun jabatan: IT, Keuangan".to_string(),
            "Jenis jabatan: Pengawas".to_string(),
            format!("Unit tujuan: {unit_name} (beserta unit di bawahnya)"),
            "Jenis mutasi: Dalam satu instansi".to_string(),
        ]
    );
    assert_eq!(row["items"][0]["code"], "SPBE-01");
    assert_eq!(row["items"][0]["due_offset_days"], 30);
    assert_eq!(row["items"][0]["required"], true);
    assert_eq!(row["items"][1]["code"], "PDP-01");
    assert_eq!(row["items"][1]["required"], false);

    // The same name again (a form sent twice) is refused.
    let (status, body) = call(app, &d.admin, "create_rule", &good).await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "name");
    // Inactive and with no criteria: "Semua mutasi".
    let (status, body) = call(
        app,
        &d.admin,
        "create_rule",
        &[
            f("name", "Cadangan"),
            f("items[0][course_id]", pdp),
            f("items[0][due_offset_days]", "0"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let page = rules(&d).await;
    let row = page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Cadangan")
        .unwrap()
        .clone();
    assert_eq!(row["active"], false);
    assert_eq!(row["criteria"], serde_json::json!(["Semua mutasi"]));
    assert_eq!(row["items"][0]["required"], false);
}

/// The demo's open transfers, with the target position.
async fn open_transfer(app: &TestApp) -> (transfer::Model, position::Model) {
    let t = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .order_by_asc(transfer::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .expect("an open demo transfer");
    let p = position::Entity::find_by_id(t.to_position_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    (t, p)
}

/// A rule made to match the transfer exactly, requiring two courses.
fn matching_rule(
    t: &transfer::Model,
    p: &position::Model,
    a: i64,
    b: i64,
) -> Vec<(&'static str, String)> {
    vec![
        f("name", "Uji"),
        f("active", "on"),
        f("job_family", p.job_family.to_lowercase()),
        f("position_kind", &p.kind),
        f("unit_id", t.to_unit_id),
        f("transfer_type", &t.transfer_type),
        f("items[0][course_id]", a),
        f("items[0][due_offset_days]", "21"),
        f("items[0][required]", "wajib"),
        f("items[1][course_id]", b),
        f("items[1][due_offset_days]", "7"),
        f("items[1][required]", "pilihan"),
        f("transfer_id", t.id),
    ]
}

async fn testing_a_rule_against_a_transfer_writes_nothing(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let (t, p) = open_transfer(app).await;
    // Two courses nobody has done yet: new ones.
    for code in ["UJI-A", "UJI-B"] {
        catalogue::create_course(
            app.db(),
            "test",
            NewCourse {
                code: code.into(),
                title_id: format!("Pelatihan {code}"),
                title_en: code.into(),
                competency: "teknis".into(),
                jp: 4.0,
                method: "klasikal".into(),
                provider: String::new(),
                validity_months: None,
            },
        )
        .await
        .unwrap();
    }
    let a = course_id(app, "UJI-A").await;
    let b = course_id(app, "UJI-B").await;
    let before = counts(app).await;
    let audit_all = audit_entry::Entity::find().count(app.db()).await.unwrap();

    let fields = matching_rule(&t, &p, a, b);
    let (status, body) = call(app, &d.admin, "test_rule", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["transfer_id"], t.id);
    assert_eq!(body["matched"], true);
    let items = body["items"].as_array().unwrap();
    // Ordered as composed; due = TMT + offset; required as chosen.
    let got: Vec<(i64, String, bool, bool)> = items
        .iter()
        .map(|i| {
            (
                i["course_id"].as_i64().unwrap(),
                i["due_iso"].as_str().unwrap().to_string(),
                i["required"].as_bool().unwrap(),
                i["recognised"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (a, (t.tmt + chrono::Days::new(21)).to_string(), true, false),
            (b, (t.tmt + chrono::Days::new(7)).to_string(), false, false),
        ]
    );
    assert_eq!(items[0]["code"], "UJI-A");
    assert!(!body["facts"].as_array().unwrap().is_empty());

    // "This rule alone": the demo rules that match this transfer add nothing.
    let today = app.state.now_local().date_naive();
    let whole = app::backend::services::transfers::preview_plan(app.db(), t.id, today)
        .await
        .unwrap();
    assert!(
        !whole.is_empty(),
        "the demo rules give this transfer a plan"
    );
    let ids: BTreeSet<i64> = items
        .iter()
        .map(|i| i["course_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from([a, b]));

    // A course the person already completed, still valid: recognised.
    let done = app::backend::entities::completion::Entity::find()
        .filter(app::backend::entities::completion::Column::EmployeeId.eq(t.employee_id))
        .one(app.db())
        .await
        .unwrap();
    if let Some(done) = done {
        let c = course::Entity::find_by_id(done.course_id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        if c.active && c.validity_months.is_none() {
            let (status, body) = call(
                app,
                &d.admin,
                "test_rule",
                &matching_rule(&t, &p, done.course_id, b),
            )
            .await;
            assert_eq!(status, 200, "{body}");
            assert_eq!(body["items"][0]["course_id"], done.course_id);
            assert_eq!(body["items"][0]["recognised"], true, "{body}");
        }
    }

    // Criteria that do not hold: nothing.
    let other_type = if t.transfer_type == "within_agency" {
        "between_agencies"
    } else {
        "within_agency"
    };
    let (status, body) = call(
        app,
        &d.admin,
        "test_rule",
        &with(&fields, "transfer_type", Some(other_type)),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["matched"], false);
    assert!(body["items"].as_array().unwrap().is_empty());
    // The rule need not be named, nor active, to be tested.
    let (status, body) = call(
        app,
        &d.admin,
        "test_rule",
        &with(&with(&fields, "name", None), "active", None),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 2);

    // Refusals name the field.
    for (fields, field) in [
        (with(&fields, "transfer_id", None), "transfer_id"),
        (with(&fields, "transfer_id", Some("x")), "transfer_id"),
        (
            with(&fields, "transfer_id", Some("987654321")),
            "transfer_id",
        ),
        (
            with(&fields, "items[1][due_offset_days]", Some("-1")),
            "items",
        ),
        (
            with(&fields, "position_kind", Some("raja")),
            "position_kind",
        ),
    ] {
        let (status, body) = call(app, &d.admin, "test_rule", &fields).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert_eq!(body["field"], field, "{body}");
    }

    assert_eq!(counts(app).await, before, "a test writes nothing");
    assert_eq!(
        audit_entry::Entity::find().count(app.db()).await.unwrap(),
        audit_all,
        "not even an audit line"
    );
}

async fn the_pages_work_without_javascript(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    // The course page: searched and paged through the address.
    let html = d
        .admin
        .get(app.url("/admin/pelatihan?q=berakhlak"))
        .send()
        .await
        .unwrap();
    assert_eq!(html.status(), 200);
    let html = html.text().await.unwrap();
    let list = text_of_id(&html, "daftar-pelatihan").unwrap();
    assert!(list.contains("BERAKHLAK"), "{list}");
    assert!(list.contains("tidak kedaluwarsa"), "{list}");
    assert!(!list.contains("SKP-01"));
    assert!(html.contains("id=\"form-pelatihan-baru\""));

    // A form post without JavaScript: back to the page.
    let res = d
        .admin
        .post(app.url("/fn/create_course"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/admin/pelatihan"))
        .form(&good_course())
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let html = d
        .admin
        .get(app.url("/admin/pelatihan?q=SPBE-02"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text_of_id(&html, "daftar-pelatihan")
        .unwrap()
        .contains("Arsitektur SPBE lanjutan"));

    // The rule page: the rule being composed lives in the address, and the
    // test result is rendered on the server.
    let (t, p) = open_transfer(app).await;
    let spbe = course_id(app, "SPBE-02").await;
    let mut fields = matching_rule(&t, &p, spbe, course_id(app, "PDP-01").await);
    fields.push(f("susun", "1"));
    let qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields.iter())
        .finish();
    let res = d
        .admin
        .get(app.url(&format!("/admin/aturan?{qs}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    let result = text_of_id(&html, "hasil-uji-aturan").expect("the test result");
    assert!(result.contains("SPBE-02"), "{result}");
    assert!(result.contains("Arsitektur SPBE lanjutan"), "{result}");
    assert!(html.contains("id=\"form-simpan-aturan\""));
    assert!(text_of_id(&html, "daftar-aturan")
        .unwrap()
        .contains("Jabatan bidang IT"));
}

async fn only_administrators_get_past_the_door(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let (t, p) = open_transfer(app).await;
    let pdp = course_id(app, "PDP-01").await;
    let spbe = course_id(app, "SPBE-01").await;
    let rule = matching_rule(&t, &p, pdp, spbe);
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("courses", vec![]),
        ("create_course", good_course()),
        ("rules", vec![]),
        ("create_rule", with(&rule, "name", Some("Tidak boleh"))),
        ("test_rule", rule.clone()),
    ];
    let before = counts(app).await;
    let mut bodies = BTreeSet::new();
    for role in ["manager", "trainer", "employee"] {
        let client = d.as_role(role).await;
        for (endpoint, fields) in &calls {
            let (status, body) = call(app, &client, endpoint, fields).await;
            assert_eq!(status, 404, "{role} on {endpoint}: {body}");
            bodies.insert(body.to_string());
            // Whatever is sent (even nothing): the same answer.
            let (status, body) = call(app, &client, endpoint, &[]).await;
            assert_eq!(status, 404, "{role} on {endpoint}, empty: {body}");
            bodies.insert(body.to_string());
        }
        for page in ["/admin/pelatihan", "/admin/aturan"] {
            let res = client.get(app.url(page)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{role} on {page}");
            let html = res.text().await.unwrap();
            assert!(!html.contains("daftar-pelatihan") && !html.contains("daftar-aturan"));
        }
    }
    assert_eq!(bodies.len(), 1, "one way of saying not found: {bodies:?}");
    let anonymous = jejak_tests::http_client();
    for (endpoint, fields) in &calls {
        let (status, _) = call(app, &anonymous, endpoint, fields).await;
        assert_eq!(status, 401, "anonymous on {endpoint}");
    }
    for page in ["/admin/pelatihan", "/admin/aturan"] {
        let res = anonymous
            .get(app.url(page))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{page}");
        assert_eq!(res.headers()["location"], "/masuk");
    }
    assert_eq!(counts(app).await, before, "nothing written");

    // The administrator: through, and with empty payloads refused by field.
    for (endpoint, field) in [
        ("create_course", "code"),
        ("create_rule", "name"),
        ("test_rule", "items"),
    ] {
        let (status, body) = call(app, &d.admin, endpoint, &[]).await;
        assert_eq!(status, 422, "{endpoint}: {body}");
        assert_eq!(body["field"], field);
    }
    for page in ["/admin/pelatihan", "/admin/aturan"] {
        let res = d.admin.get(app.url(page)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{page}");
    }
    assert_eq!(counts(app).await, before, "nothing written");
}
