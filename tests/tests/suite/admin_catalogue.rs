//! The administrator's catalogue over HTTP, on SQLite and PostgreSQL,
//! against the demo data: the course list's search and pages; adding a
//! course (every field checked, nothing written on a refusal); creating a
//! rule (version 1, listed); testing a rule being composed against a
//! transfer (the plan that rule alone would give, nothing written); the
//! pages without JavaScript; and everyone but an administrator answered
//! "not found". Editing: a rule's edit is a new version (the old one stays,
//! plans are untouched), a rule switched off gives no items to transfers
//! completed afterwards, a course switched off goes into no new plan but
//! stays in existing ones, codes and names stay unique, rules take any
//! number of courses in order, and every change leaves one audit line.

use std::collections::{BTreeMap, BTreeSet};

use jejak_tests::{call, demo, f, on_both_backends, text_of_id, Backend, Demo, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use app::backend::{
    entities::{
        assignment, audit_entry, checkin, course, plan, plan_rule, plan_rule_version, position,
        transfer,
    },
    training::catalogue::{self, NewCourse},
};

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
    editing_a_rule_saves_a_new_version_and_keeps_the_old_one,
    a_rule_switched_off_gives_nothing_to_transfers_completed_afterwards,
    a_course_switched_off_stays_in_plans_but_goes_into_no_new_ones,
    a_course_is_edited_with_the_same_checks_and_one_audit_line,
    a_rule_takes_more_than_five_courses_in_order,
    the_transfer_forms_keep_what_was_typed_without_javascript,
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
    let whole = app::backend::transfers::preview_plan(app.db(), t.id, today)
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
    // The editing functions, with payloads an administrator would get through.
    let demo_rule = rule_named(app, "Jabatan bidang IT").await;
    let mut edit_rule = with(&rule, "name", Some("Diubah diam-diam"));
    edit_rule.push(f("id", demo_rule.id));
    let mut edit_course = good_course();
    edit_course.push(f("id", pdp));
    let edits: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("course", vec![f("id", pdp)]),
        ("update_course", edit_course),
        (
            "set_course_active",
            vec![f("id", pdp), f("active", "false")],
        ),
        ("rule", vec![f("id", demo_rule.id)]),
        ("update_rule", edit_rule),
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
        for (endpoint, fields) in &edits {
            let (status, body) = call(app, &client, endpoint, fields).await;
            assert_eq!(status, 404, "{role} on {endpoint}: {body}");
            bodies.insert(body.to_string());
            // Without an id the arguments are malformed (400) before anything else.
            let (status, body) = call(app, &client, endpoint, &[]).await;
            assert!(
                status == 404 || status == 400,
                "{role} on {endpoint}: {body}"
            );
        }
        for page in [
            "/admin/pelatihan",
            "/admin/aturan",
            format!("/admin/pelatihan?ubah={pdp}").as_str(),
            format!("/admin/aturan?ubah={}", demo_rule.id).as_str(),
        ] {
            let res = client.get(app.url(page)).send().await.unwrap();
            assert_eq!(res.status(), 404, "{role} on {page}");
            let html = res.text().await.unwrap();
            assert!(!html.contains("daftar-pelatihan") && !html.contains("daftar-aturan"));
        }
    }
    assert_eq!(bodies.len(), 1, "one way of saying not found: {bodies:?}");
    let anonymous = jejak_tests::http_client();
    for (endpoint, fields) in calls.iter().chain(edits.iter()) {
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
    for (endpoint, fields, field) in [
        ("update_course", vec![f("id", pdp)], "code"),
        ("set_course_active", vec![f("id", pdp)], "active"),
        ("update_rule", vec![f("id", demo_rule.id)], "name"),
    ] {
        let (status, body) = call(app, &d.admin, endpoint, &fields).await;
        assert_eq!(status, 422, "{endpoint}: {body}");
        assert_eq!(body["field"], field);
    }
    for page in [
        "/admin/pelatihan",
        "/admin/aturan",
        format!("/admin/pelatihan?ubah={pdp}").as_str(),
        format!("/admin/aturan?ubah={}", demo_rule.id).as_str(),
    ] {
        let res = d.admin.get(app.url(page)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{page}");
    }
    assert_eq!(counts(app).await, before, "nothing written");
}

async fn rule_named(app: &TestApp, name: &str) -> plan_rule::Model {
    plan_rule::Entity::find()
        .filter(plan_rule::Column::Name.eq(name))
        .one(app.db())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a rule named {name}"))
}

async fn versions_of(app: &TestApp, rule_id: i64) -> Vec<plan_rule_version::Model> {
    plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(rule_id))
        .order_by_asc(plan_rule_version::Column::Version)
        .all(app.db())
        .await
        .unwrap()
}

fn items_of(v: &plan_rule_version::Model) -> Vec<(i64, u32, bool)> {
    let mut items: Vec<app::domain::plan::RuleItem> = serde_json::from_str(&v.items).unwrap();
    items.sort_by_key(|i| i.order);
    items
        .iter()
        .map(|i| (i.course_id, i.due_offset_days, i.required))
        .collect()
}

/// Audit lines of one action on one row.
async fn audit_lines(app: &TestApp, action: &str, entity_id: i64) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .filter(audit_entry::Column::EntityId.eq(entity_id))
        .all(app.db())
        .await
        .unwrap()
}

async fn audit_total(app: &TestApp) -> u64 {
    audit_entry::Entity::find().count(app.db()).await.unwrap()
}

/// A form field's name built at run time (`items[7][course_id]`); the
/// helpers here take `&'static str` names, and a test may leak a few.
fn key(name: String) -> &'static str {
    Box::leak(name.into_boxed_str())
}

/// The names of row `i`'s fields: course, due offset, required.
fn row_keys(i: usize) -> (&'static str, &'static str, &'static str) {
    (
        key(format!("items[{i}][course_id]")),
        key(format!("items[{i}][due_offset_days]")),
        key(format!("items[{i}][required]")),
    )
}

/// The rule form's fields for `draft` (as `/fn/rule` gave it), for sending back.
fn fields_of_draft(draft: &Value) -> Vec<(&'static str, String)> {
    let s = |k: &str| draft[k].as_str().unwrap().to_string();
    let mut out = vec![
        f("id", draft["id"].as_i64().unwrap()),
        f("version", draft["version"].as_i64().unwrap()),
        f("name", s("name")),
        f("job_family", s("job_family")),
        f("position_kind", s("position_kind")),
        f("unit_id", s("unit_id")),
        f("transfer_type", s("transfer_type")),
    ];
    if draft["active"] == true {
        out.push(f("active", "on"));
    }
    for (i, item) in draft["items"].as_array().unwrap().iter().enumerate() {
        let (course, due, kind) = row_keys(i);
        out.push((course, item["course_id"].as_str().unwrap().to_string()));
        out.push((due, item["due_offset_days"].as_str().unwrap().to_string()));
        out.push((kind, item["required"].as_str().unwrap().to_string()));
    }
    out
}

async fn draft_of(d: &Demo, rule_id: i64) -> Value {
    let (status, body) = call(&d.app, &d.admin, "rule", &[f("id", rule_id)]).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn editing_a_rule_saves_a_new_version_and_keeps_the_old_one(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let it = rule_named(app, "Jabatan bidang IT").await;
    let finance = rule_named(app, "Jabatan bidang keuangan").await;
    let v1 = versions_of(app, it.id).await;
    assert_eq!(v1.len(), 1);

    // The form, filled with the current version.
    let draft = draft_of(&d, it.id).await;
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["name"], "Jabatan bidang IT");
    assert_eq!(draft["active"], true);
    assert_eq!(draft["job_family"], "IT");
    assert_eq!(draft["position_kind"], "");
    let draft_items: Vec<i64> = draft["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["course_id"].as_str().unwrap().parse().unwrap())
        .collect();
    assert_eq!(
        draft_items,
        items_of(&v1[0]).iter().map(|i| i.0).collect::<Vec<_>>(),
        "in plan order"
    );
    assert_eq!(draft["items"].as_array().unwrap().len(), 5);

    // Changed: renamed, the last course dropped, the first one due later.
    let mut fields = fields_of_draft(&draft);
    fields = with(&fields, "name", Some("Jabatan bidang IT (2026)"));
    fields = with(&fields, "items[0][due_offset_days]", Some("75"));
    fields.retain(|(k, _)| !k.starts_with("items[4]"));
    let before = counts(app).await;
    let audit_before = audit_total(app).await;
    let (status, body) = call(app, &d.admin, "update_rule", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["rule_id"], it.id);
    assert_eq!(body["version"], 2);
    assert_eq!(body["name"], "Jabatan bidang IT (2026)");

    // Version 1 exactly as it was; version 2 as sent.
    let versions = versions_of(app, it.id).await;
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0], v1[0], "version 1 is never changed");
    assert_eq!(versions[1].version, 2);
    assert_eq!(versions[1].name, "Jabatan bidang IT (2026)");
    let mut expected = items_of(&v1[0]);
    expected.pop();
    expected[0].1 = 75;
    assert_eq!(items_of(&versions[1]), expected);
    let stored = rule_named(app, "Jabatan bidang IT (2026)").await;
    assert_eq!((stored.id, stored.current_version), (it.id, 2));
    // One audit line; plans untouched.
    let after = counts(app).await;
    assert_eq!(after["plan_rules"], before["plan_rules"]);
    assert_eq!(
        after["plan_rule_versions"],
        before["plan_rule_versions"] + 1
    );
    assert_eq!(
        (after["plans"], after["assignments"]),
        (before["plans"], before["assignments"])
    );
    assert_eq!(audit_total(app).await, audit_before + 1);
    assert_eq!(audit_lines(app, "rule.update", it.id).await.len(), 1);
    // Listed as version 2.
    let page = rules(&d).await;
    let row = page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == it.id)
        .unwrap()
        .clone();
    assert_eq!(row["version"], 2);
    assert_eq!(row["items"].as_array().unwrap().len(), 4);

    // Sent again from the same (now old) version: refused, nothing written.
    let before = counts(app).await;
    let audit_before = audit_total(app).await;
    let (status, body) = call(app, &d.admin, "update_rule", &fields).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["message"]["id"].as_str().unwrap().contains("versi 2"),
        "{body}"
    );
    // Another rule's name (any case): refused by field.
    let latest = fields_of_draft(&draft_of(&d, it.id).await);
    for taken in ["Jabatan bidang keuangan", "JABATAN BIDANG KEUANGAN"] {
        let (status, body) = call(
            app,
            &d.admin,
            "update_rule",
            &with(&latest, "name", Some(taken)),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["field"], "name");
        assert!(body["message"]["en"]
            .as_str()
            .unwrap()
            .contains("already exists"));
    }
    // Checked as when creating; an unknown rule is not found.
    for (field, value) in [
        ("name", ""),
        ("position_kind", "raja"),
        ("unit_id", "987654321"),
        ("items[0][due_offset_days]", "-3"),
    ] {
        let (status, body) = call(
            app,
            &d.admin,
            "update_rule",
            &with(&latest, field, Some(value)),
        )
        .await;
        assert_eq!(status, 422, "{field}: {body}");
    }
    let (status, _) = call(
        app,
        &d.admin,
        "update_rule",
        &with(&latest, "id", Some("987654321")),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(counts(app).await, before, "nothing written on refusal");
    assert_eq!(audit_total(app).await, audit_before);
    assert_eq!(
        finance.name,
        rule_named(app, "Jabatan bidang keuangan").await.name
    );

    // Its own name in another case is its own.
    let (status, body) = call(
        app,
        &d.admin,
        "update_rule",
        &with(&latest, "name", Some("jabatan bidang it (2026)")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 3);

    // Several position kinds (the demo's supervisors and administrators)
    // survive an edit through the form.
    let bosses = rule_named(app, "Pejabat pengawas dan administrator").await;
    let draft = draft_of(&d, bosses.id).await;
    assert_eq!(draft["position_kind"], "pengawas,administrator");
    let (status, body) = call(app, &d.admin, "update_rule", &fields_of_draft(&draft)).await;
    assert_eq!(status, 200, "{body}");
    let v = versions_of(app, bosses.id).await;
    let criteria: app::domain::plan::Criteria = serde_json::from_str(&v[1].criteria).unwrap();
    let before_criteria: app::domain::plan::Criteria =
        serde_json::from_str(&v[0].criteria).unwrap();
    assert_eq!(criteria, before_criteria);
    assert_eq!(items_of(&v[1]), items_of(&v[0]));

    // Conditions the form does not show (a grade, a target position) stay.
    let spbe = course_id(app, "SPBE-01").await;
    let hidden = app::domain::plan::Criteria {
        position_ids: vec![1],
        grade_min: app::domain::grade::Golongan::parse("III/a"),
        job_families: vec!["IT".into()],
        ..Default::default()
    };
    let saved = catalogue::save_rule(
        app.db(),
        "test",
        None,
        "Dengan golongan",
        true,
        hidden.clone(),
        vec![app::domain::plan::RuleItem {
            course_id: spbe,
            due_offset_days: 30,
            required: true,
            order: 10,
            prerequisites: vec![],
        }],
    )
    .await
    .unwrap();
    let draft = draft_of(&d, saved.rule_id).await;
    assert!(
        !draft["kept_criteria"].as_array().unwrap().is_empty(),
        "{draft}"
    );
    let fields = with(&fields_of_draft(&draft), "job_family", Some("Keuangan"));
    let (status, body) = call(app, &d.admin, "update_rule", &fields).await;
    assert_eq!(status, 200, "{body}");
    let v = versions_of(app, saved.rule_id).await;
    let criteria: app::domain::plan::Criteria = serde_json::from_str(&v[1].criteria).unwrap();
    assert_eq!(criteria.job_families, vec!["Keuangan"]);
    assert_eq!(criteria.position_ids, hidden.position_ids);
    assert_eq!(criteria.grade_min, hidden.grade_min);

    // The edit page without JavaScript: the form filled in, the address
    // form keeps the rule being edited, and the saved version is announced.
    let html = d
        .admin
        .get(app.url(&format!("/admin/aturan?ubah={}", it.id)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"form-ubah-aturan\""), "the edit form");
    assert!(html.contains(&format!("name=\"ubah\" value=\"{}\"", it.id)));
    assert!(html.contains("value=\"jabatan bidang it (2026)\""));
    let res = d
        .admin
        .post(app.url("/fn/update_rule"))
        .header("Accept", "text/html")
        .header("Referer", app.url(&format!("/admin/aturan?ubah={}", it.id)))
        .form(&fields_of_draft(&draft_of(&d, it.id).await))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/admin/aturan?disimpan={}&versi=4", it.id));
    let html = d
        .admin
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let notice = text_of_id(&html, "aturan-disimpan").expect("the notice");
    assert!(notice.contains("versi 4 disimpan"), "{notice}");
    assert!(text_of_id(&html, "daftar-aturan")
        .unwrap()
        .contains("Versi 4"));

    // Refused without JavaScript (another rule's name): back to the form
    // being edited, which still holds the edit, with the refusal by the name.
    let edit = fields_of_draft(&draft_of(&d, it.id).await);
    let mut composed = with(&edit, "name", Some("Jabatan bidang keuangan"));
    composed.retain(|(k, _)| !matches!(*k, "id" | "version"));
    composed.push(f("ubah", it.id));
    composed.push(f("susun", "1"));
    let qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(composed.iter())
        .finish();
    let html = post_plain(
        &d,
        "update_rule",
        &format!("/admin/aturan?{qs}"),
        &with(&edit, "name", Some("Jabatan bidang keuangan")),
    )
    .await;
    let form = text_of_id(&html, "ubah-aturan").expect("the edit form");
    assert!(form.contains("Sudah ada aturan bernama"), "{form}");
    assert!(html.contains("value=\"Jabatan bidang keuangan\""));
    assert_eq!(versions_of(app, it.id).await.len(), 4, "nothing written");
}

/// Approves (if need be) and completes a transfer over HTTP; its plan's courses.
async fn complete(d: &Demo, t: &transfer::Model) -> Vec<i64> {
    if t.state == "draft" {
        let (status, body) = call(&d.app, &d.admin, "approve_transfer", &[f("id", t.id)]).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = call(&d.app, &d.admin, "complete_transfer", &[f("id", t.id)]).await;
    assert_eq!(status, 200, "{body}");
    let plan_id = body["plan_id"].as_i64().unwrap();
    assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(plan_id))
        .all(d.app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.course_id)
        .collect()
}

async fn open_transfers(app: &TestApp) -> Vec<transfer::Model> {
    transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .order_by_asc(transfer::Column::Id)
        .all(app.db())
        .await
        .unwrap()
}

async fn new_course(app: &TestApp, code: &str) -> i64 {
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
    .unwrap()
    .id
}

async fn a_rule_switched_off_gives_nothing_to_transfers_completed_afterwards(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let today = app.state.now_local().date_naive();
    let course = new_course(app, "UJI-ATURAN-MATI").await;
    // For every transfer.
    let (status, body) = call(
        app,
        &d.admin,
        "create_rule",
        &[
            f("name", "Semua mutasi: uji"),
            f("active", "on"),
            f("items[0][course_id]", course),
            f("items[0][due_offset_days]", "14"),
            f("items[0][required]", "wajib"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rule_id = body["rule_id"].as_i64().unwrap();
    let open = open_transfers(app).await;
    assert!(open.len() >= 2);
    // While active: the first transfer gets the course.
    assert!(complete(&d, &open[0]).await.contains(&course));
    let preview = app::backend::transfers::preview_plan(app.db(), open[1].id, today)
        .await
        .unwrap();
    assert!(
        preview.iter().any(|i| i.course_id == course),
        "active: in the preview"
    );

    // Switched off through the form (no "active"): version 2, inactive.
    let fields: Vec<(&str, String)> = fields_of_draft(&draft_of(&d, rule_id).await)
        .into_iter()
        .filter(|(k, _)| *k != "active")
        .collect();
    let (status, body) = call(app, &d.admin, "update_rule", &fields).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 2);
    let versions = versions_of(app, rule_id).await;
    assert!(versions[0].active && !versions[1].active);
    assert!(
        !plan_rule::Entity::find_by_id(rule_id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap()
            .active
    );
    let row = rules(&d).await["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule_id)
        .unwrap()
        .clone();
    assert_eq!(
        (row["active"].clone(), row["version"].clone()),
        (Value::from(false), Value::from(2))
    );

    // A transfer completed now gets nothing from it; the earlier plan keeps it.
    let preview = app::backend::transfers::preview_plan(app.db(), open[1].id, today)
        .await
        .unwrap();
    assert!(
        preview.iter().all(|i| i.course_id != course),
        "inactive: not in the preview"
    );
    let courses = complete(&d, &open[1]).await;
    assert!(!courses.contains(&course), "{courses:?}");
    let first_plan = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(
        first_plan.len(),
        1,
        "the plan made while it was active keeps it"
    );

    // Switched on again (version 3): the next transfer gets it again.
    let fields = fields_of_draft(&draft_of(&d, rule_id).await);
    let (status, body) = call(app, &d.admin, "update_rule", &with(&fields, "active", None)).await;
    assert_eq!(status, 200, "{body}");
    let mut on = fields;
    on.push(f("active", "on"));
    let (status, body) = call(app, &d.admin, "update_rule", &on).await;
    assert_eq!(status, 409, "version 2 is not the latest any more: {body}");
    let mut on = fields_of_draft(&draft_of(&d, rule_id).await);
    on.push(f("active", "on"));
    let (status, body) = call(app, &d.admin, "update_rule", &on).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 4);
    if let Some(t) = open.get(2) {
        assert!(complete(&d, t).await.contains(&course));
    }
    assert_eq!(audit_lines(app, "rule.update", rule_id).await.len(), 3);
}

async fn a_course_switched_off_stays_in_plans_but_goes_into_no_new_ones(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let course = new_course(app, "UJI-KURSUS-MATI").await;
    let other = new_course(app, "UJI-KURSUS-LAIN").await;
    let (status, body) = call(
        app,
        &d.admin,
        "create_rule",
        &[
            f("name", "Semua mutasi: dua pelatihan"),
            f("active", "on"),
            f("items[0][course_id]", course),
            f("items[0][due_offset_days]", "14"),
            f("items[0][required]", "wajib"),
            f("items[1][course_id]", other),
            f("items[1][due_offset_days]", "30"),
            f("items[1][required]", "wajib"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let rule_id = body["rule_id"].as_i64().unwrap();
    let open = open_transfers(app).await;
    let first = complete(&d, &open[0]).await;
    assert!(first.contains(&course) && first.contains(&other));
    let kept = assignment::Entity::find()
        .filter(assignment::Column::CourseId.eq(course))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();

    // Switched off: one audit line; the status shows and filters.
    let before = counts(app).await;
    let audit_before = audit_total(app).await;
    let (status, body) = call(
        app,
        &d.admin,
        "set_course_active",
        &[f("id", course), f("active", "false")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, Value::from(false));
    assert_eq!(audit_total(app).await, audit_before + 1);
    assert_eq!(audit_lines(app, "course.deactivate", course).await.len(), 1);
    let after = counts(app).await;
    assert_eq!(after["courses"], before["courses"]);
    assert_eq!(after["assignments"], before["assignments"]);
    // Again: already so, nothing written.
    let (status, _) = call(
        app,
        &d.admin,
        "set_course_active",
        &[f("id", course), f("active", "false")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(audit_total(app).await, audit_before + 1);
    let inactive = courses(&d, &[f("status", "nonaktif")]).await;
    assert_eq!(codes(&inactive), vec!["UJI-KURSUS-MATI"]);
    assert_eq!(inactive["status"], "nonaktif");
    assert_eq!(inactive["rows"][0]["active"], false);
    let active = courses(&d, &[f("status", "aktif"), f("q", "UJI-KURSUS")]).await;
    assert_eq!(codes(&active), vec!["UJI-KURSUS-LAIN"]);
    let every = courses(&d, &[f("q", "UJI-KURSUS")]).await;
    assert_eq!(every["total"], 2);

    // Not offered for rules; a new rule cannot require it; an edit of the
    // rule that has it may keep it; the rule list says it is off.
    let page = rules(&d).await;
    assert!(page["courses"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["id"] != course));
    let row = page["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule_id)
        .unwrap()
        .clone();
    assert_eq!(row["items"][0]["active"], false);
    assert_eq!(row["items"][1]["active"], true);
    let (status, body) = call(
        app,
        &d.admin,
        "create_rule",
        &[
            f("name", "Tidak boleh"),
            f("items[0][course_id]", course),
            f("items[0][due_offset_days]", "14"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "items");
    assert!(
        body["message"]["id"]
            .as_str()
            .unwrap()
            .contains("tidak aktif"),
        "{body}"
    );
    let draft = draft_of(&d, rule_id).await;
    assert_eq!(draft["inactive_courses"][0]["id"], course);
    let (status, body) = call(app, &d.admin, "update_rule", &fields_of_draft(&draft)).await;
    assert_eq!(status, 200, "kept by an edit: {body}");

    // A transfer completed now: the other course, not this one.
    let second = complete(&d, &open[1]).await;
    assert!(second.contains(&other), "{second:?}");
    assert!(!second.contains(&course), "{second:?}");
    // The plan made before keeps it, as it was.
    let still = assignment::Entity::find_by_id(kept.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(still, kept);

    // Back on: one more audit line, offered again.
    let (status, body) = call(
        app,
        &d.admin,
        "set_course_active",
        &[f("id", course), f("active", "true")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, Value::from(true));
    assert_eq!(audit_lines(app, "course.activate", course).await.len(), 1);
    assert!(rules(&d).await["courses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == course));
    // Refusals: an unknown status, an unknown course.
    let (status, body) = call(
        app,
        &d.admin,
        "set_course_active",
        &[f("id", course), f("active", "mungkin")],
    )
    .await;
    assert_eq!(
        (status, body["field"].clone()),
        (422, Value::from("active"))
    );
    let (status, _) = call(
        app,
        &d.admin,
        "set_course_active",
        &[f("id", 987654321), f("active", "false")],
    )
    .await;
    assert_eq!(status, 404);
}

async fn a_course_is_edited_with_the_same_checks_and_one_audit_line(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let id = course_id(app, "SPBE-01").await;
    let before_row = course::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let (status, shown) = call(app, &d.admin, "course", &[f("id", id)]).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["code"], "SPBE-01");
    assert_eq!(shown["title_id"], before_row.title_id.as_str());
    let (status, _) = call(app, &d.admin, "course", &[f("id", 987654321)]).await;
    assert_eq!(status, 404);

    let mut good = good_course();
    good.push(f("id", id));
    let good = with(&good, "code", Some("spbe-01"));
    let before = counts(app).await;
    let audit_before = audit_total(app).await;
    let cases: Vec<(Vec<(&str, String)>, &str)> = vec![
        (with(&good, "code", Some("berakhlak")), "code"), // another course's
        (with(&good, "code", Some(" ")), "code"),
        (with(&good, "code", Some(&"X".repeat(41))), "code"),
        (with(&good, "title_id", Some("")), "title_id"),
        (with(&good, "competency", Some("sihir")), "competency"),
        (with(&good, "jp", Some("delapan")), "jp"),
        (with(&good, "jp", Some("0")), "jp"),
        (with(&good, "method", Some("daring")), "method"),
        (with(&good, "validity_months", Some("0")), "validity_months"),
    ];
    for (fields, field) in &cases {
        let (status, body) = call(app, &d.admin, "update_course", fields).await;
        assert_eq!(status, 422, "{fields:?}: {body}");
        assert_eq!(body["field"], *field, "{body}");
        assert!(!body["message"]["en"].as_str().unwrap().is_empty());
    }
    let (_, body) = call(
        app,
        &d.admin,
        "update_course",
        &with(&good, "code", Some("berakhlak")),
    )
    .await;
    assert!(
        body["message"]["id"]
            .as_str()
            .unwrap()
            .contains("sudah dipakai"),
        "{body}"
    );
    assert!(
        body["message"]["en"]
            .as_str()
            .unwrap()
            .contains("already in use"),
        "{body}"
    );
    // A course nobody has (with a code nobody has): not found.
    let missing = with(
        &with(&good, "id", Some("987654321")),
        "code",
        Some("KODE-BEBAS"),
    );
    let (status, _) = call(app, &d.admin, "update_course", &missing).await;
    assert_eq!(status, 404);
    assert_eq!(counts(app).await, before, "nothing written on refusal");
    assert_eq!(audit_total(app).await, audit_before);
    assert_eq!(
        course::Entity::find_by_id(id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap(),
        before_row
    );

    // A good edit (its own code, another case): changed as sent, one audit line.
    let (status, body) = call(app, &d.admin, "update_course", &good).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, Value::from(id));
    let after_row = course::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after_row.code, "SPBE-01");
    assert_eq!(after_row.title_id, "Arsitektur SPBE lanjutan");
    assert_eq!(after_row.title_en, "Arsitektur SPBE lanjutan");
    assert_eq!(after_row.jp, 2.5);
    assert_eq!(after_row.method, "nonklasikal");
    assert_eq!(after_row.validity_months, Some(36));
    assert_eq!(after_row.active, before_row.active);
    assert_eq!(after_row.created_at, before_row.created_at);
    let after = counts(app).await;
    assert_eq!(after["courses"], before["courses"]);
    assert_eq!(after["assignments"], before["assignments"]);
    assert_eq!(audit_total(app).await, audit_before + 1);
    let lines = audit_lines(app, "course.update", id).await;
    assert_eq!(lines.len(), 1);
    assert!(lines[0]
        .before
        .as_deref()
        .unwrap()
        .contains(&before_row.title_id));
    assert!(lines[0]
        .after
        .as_deref()
        .unwrap()
        .contains("Arsitektur SPBE lanjutan"));
    // A new code nobody has: taken from then on.
    let (status, body) = call(
        app,
        &d.admin,
        "update_course",
        &with(&good, "code", Some("SPBE-DASAR")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        codes(&courses(&d, &[f("q", "SPBE-DASAR")]).await),
        vec!["SPBE-DASAR"]
    );
    let (status, body) = call(
        app,
        &d.admin,
        "create_course",
        &with(&good_course(), "code", Some("spbe-dasar")),
    )
    .await;
    assert_eq!((status, body["field"].clone()), (422, Value::from("code")));

    // Without JavaScript: a refused edit comes back to the edit form with
    // the error next to the field and what was typed; a good one is announced.
    let page = app.url(&format!("/admin/pelatihan?ubah={id}"));
    let refused = with(
        &with(&good, "code", Some("BERAKHLAK")),
        "title_id",
        Some("Judul yang diketik"),
    );
    let res = d
        .admin
        .post(app.url("/fn/update_course"))
        .header("Accept", "text/html")
        .header("Referer", &page)
        .form(&refused)
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("__err="), "{to}");
    // Back to the page it came from (the Referer, a whole address).
    assert!(to.starts_with(&page), "{to}");
    let html = d.admin.get(&to).send().await.unwrap().text().await.unwrap();
    let form = text_of_id(&html, "ubah-pelatihan").expect("the edit form");
    assert!(form.contains("sudah dipakai"), "{form}");
    assert!(
        html.contains("value=\"Judul yang diketik\""),
        "what was typed is kept"
    );
    assert!(html.contains("value=\"BERAKHLAK\""));
    let res = d
        .admin
        .post(app.url("/fn/update_course"))
        .header("Accept", "text/html")
        .header("Referer", &page)
        .form(&good)
        .send()
        .await
        .unwrap();
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(to, format!("/admin/pelatihan?diubah={id}"));
    let html = d
        .admin
        .get(app.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text_of_id(&html, "pelatihan-diubah").is_some());

    // The new-course form too: refused, it comes back with what was typed.
    let html = post_plain(
        &d,
        "create_course",
        "/admin/pelatihan",
        &with(
            &with(&good_course(), "jp", Some("delapan")),
            "title_id",
            Some("Judul baru yang diketik"),
        ),
    )
    .await;
    let form = text_of_id(&html, "pelatihan-baru").expect("the new-course form");
    assert!(form.contains("angka"), "the refusal: {form}");
    assert!(html.contains("value=\"Judul baru yang diketik\""));
    assert!(html.contains("value=\"delapan\""));
    assert!(html.contains("<option value=\"nonklasikal\" selected"));
    assert!(
        text_of_id(&html, "ubah-pelatihan").is_none(),
        "no edit form"
    );
}

async fn a_rule_takes_more_than_five_courses_in_order(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let all: Vec<i64> = rules(&d).await["courses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(all.len() >= 9);
    // Eight courses in a made-up order over rows 0..=8 (row 5 left empty).
    let chosen: Vec<i64> = vec![
        all[7], all[2], all[8], all[0], all[5], all[1], all[6], all[3],
    ];
    let rows: Vec<(&str, &str, &str)> = (0..9).map(row_keys).collect();
    let mut fields = vec![f("name", "Delapan pelatihan"), f("active", "on")];
    let mut expected = Vec::new();
    let mut k = 0;
    for (row, &(c, due, kind)) in rows.iter().enumerate() {
        if row == 5 {
            fields.push((c, String::new()));
            continue;
        }
        let course = chosen[k];
        let days = 100 - 10 * k as u32;
        fields.push((c, course.to_string()));
        fields.push((due, days.to_string()));
        fields.push((
            kind,
            if k % 2 == 0 { "wajib" } else { "pilihan" }.to_string(),
        ));
        expected.push((course, days, k % 2 == 0));
        k += 1;
    }
    let (status, body) = call(app, &d.admin, "create_rule", &fields).await;
    assert_eq!(status, 200, "{body}");
    let rule_id = body["rule_id"].as_i64().unwrap();
    let v = versions_of(app, rule_id).await;
    assert_eq!(
        items_of(&v[0]),
        expected,
        "all eight, in the order of the rows"
    );
    let row = rules(&d).await["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule_id)
        .unwrap()
        .clone();
    let listed: Vec<i64> = row["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["course_id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, chosen);
    // The plan items follow the rows, not the due dates.
    let (t, _) = open_transfer(app).await;
    let mut test = fields.clone();
    test.push(f("transfer_id", t.id));
    let (status, body) = call(app, &d.admin, "test_rule", &test).await;
    assert_eq!(status, 200, "{body}");
    let tried: Vec<i64> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["course_id"].as_i64().unwrap())
        .collect();
    assert_eq!(tried, chosen);

    // An edit with nine, reordered: version 2 in the new order.
    let mut draft = fields_of_draft(&draft_of(&d, rule_id).await);
    draft.retain(|(k, _)| !k.starts_with("items"));
    let reordered: Vec<i64> = chosen.iter().rev().copied().chain([all[4]]).collect();
    for (row, course) in reordered.iter().enumerate() {
        let (c, due, kind) = rows[row];
        draft.push((c, course.to_string()));
        draft.push((due, "30".to_string()));
        draft.push((kind, "wajib".to_string()));
    }
    let (status, body) = call(app, &d.admin, "update_rule", &draft).await;
    assert_eq!(status, 200, "{body}");
    let v = versions_of(app, rule_id).await;
    assert_eq!(
        items_of(&v[1]).iter().map(|i| i.0).collect::<Vec<_>>(),
        reordered
    );
    assert_eq!(items_of(&v[0]), expected, "version 1 unchanged");

    // Without JavaScript "Tambah baris" sends the form with `baris`: more
    // rows, what was typed kept, nothing tested.
    let mut qs_fields = fields.clone();
    qs_fields.push(f("susun", "1"));
    qs_fields.push(f("baris", "14"));
    let qs = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(qs_fields.iter())
        .finish();
    let html = d
        .admin
        .get(app.url(&format!("/admin/aturan?{qs}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("class=\"inline-form item-row\"").count(), 14);
    assert!(html.contains("name=\"items[13][course_id]\""));
    assert!(!html.contains("id=\"hasil-uji-aturan\""), "nothing tested");
    assert!(html.contains("value=\"Delapan pelatihan\""));
    assert!(
        html.contains("name=\"baris\" value=\"19\""),
        "the next press adds five more"
    );
}

/// Posts a form as a browser without JavaScript does; the page it is sent
/// back to (after a refusal: the Referer with the error) as HTML.
async fn post_plain(d: &Demo, endpoint: &str, from: &str, fields: &[(&str, String)]) -> String {
    let res = d
        .admin
        .post(d.app.url(&format!("/fn/{endpoint}")))
        .header("Accept", "text/html")
        .header("Referer", d.app.url(from))
        .form(fields)
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_redirection(),
        "{endpoint}: {}",
        res.status()
    );
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("__err="), "{endpoint} refused: {to}");
    d.admin.get(&to).send().await.unwrap().text().await.unwrap()
}

/// The transfer page's forms (item 4 of the catalogue work: every form of
/// the administrator's catalogue and transfer pages): a refused draft, a
/// refused edit of a draft and a refused cancellation come back, without
/// JavaScript, with what was typed.
async fn the_transfer_forms_keep_what_was_typed_without_javascript(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let draft = transfer::Entity::find()
        .filter(transfer::Column::State.eq("draft"))
        .order_by_asc(transfer::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .expect("a demo draft");
    let unit = app::backend::entities::unit::Entity::find()
        .order_by_desc(app::backend::entities::unit::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let before = counts(app).await;

    // A new draft for a NIP nobody has.
    let html = post_plain(
        &d,
        "create_transfer",
        "/admin/mutasi",
        &[
            f("nip", "199999999999999999"),
            // As typed into the unit picker (part of a name, any case).
            f("to_unit", unit.name.to_uppercase()),
            f("to_position_id", ""),
            f("sk_number", "800/DIKETIK/2026"),
            f("sk_date", "2026-01-05"),
            f("tmt", "2026-02-01"),
            f("transfer_type", "between_agencies"),
            f("notes", "Catatan yang diketik"),
        ],
    )
    .await;
    let form = text_of_id(&html, "mutasi-baru").expect("the new draft form");
    assert!(
        html.contains("value=\"199999999999999999\""),
        "the NIP is kept"
    );
    assert!(html.contains("value=\"800/DIKETIK/2026\""));
    assert!(html.contains("value=\"2026-02-01\""));
    assert!(form.contains("Catatan yang diketik"), "{form}");
    assert!(
        html.contains(&format!("value=\"{}\"", unit.name.to_uppercase())),
        "the unit as typed is kept"
    );
    assert!(html.contains("<option value=\"between_agencies\" selected"));

    // Editing a draft with a date that is not one.
    let page = format!("/admin/mutasi?pratinjau={}", draft.id);
    let html = post_plain(
        &d,
        "update_transfer",
        &page,
        &[
            f("id", draft.id),
            f("to_unit", "Unit Yang Diketik"),
            f("to_position_id", draft.to_position_id),
            f("sk_number", "800/UBAH-DIKETIK/2026"),
            f("sk_date", "2026-01-05"),
            f("tmt", "bukan tanggal"),
            f("transfer_type", &draft.transfer_type),
            f("notes", "Catatan ubahan"),
        ],
    )
    .await;
    let form = text_of_id(&html, "ubah-draf").expect("the edit form");
    assert!(
        html.contains("value=\"800/UBAH-DIKETIK/2026\""),
        "the SK number is kept"
    );
    assert!(form.contains("Catatan ubahan"), "{form}");
    assert!(
        html.contains("value=\"Unit Yang Diketik\""),
        "the unit as typed is kept"
    );

    // Cancelling without a reason (only blanks): that row's form comes back
    // open, and the refusal is shown in that row only.
    let html = post_plain(
        &d,
        "cancel_transfer",
        "/admin/mutasi",
        &[f("id", draft.id), f("reason", "   ")],
    )
    .await;
    let start = html
        .find(&format!("data-transfer-id=\"{}\" data-state", draft.id))
        .expect("the row");
    let row = &html[start..start + html[start..].find("</tr>").unwrap()];
    assert!(row.contains("<details open"), "{row}");
    assert!(row.contains("value=\"   \""), "{row}");
    assert_eq!(html.matches("Alasan pembatalan wajib diisi").count(), 1);
    assert_eq!(counts(app).await, before, "nothing written");
}
