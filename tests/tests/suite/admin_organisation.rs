//! The administrator's organisation (units, positions, employees) over
//! HTTP, on SQLite and PostgreSQL, against the demo organisation: each
//! list's search, filters and pages; creating and editing each kind with
//! one audit line per change; every refusal (invalid NIP with its precise
//! message, duplicate NIP 409, a unit under itself, a supervisor who is the
//! person, an unknown unit ...) leaving the data exactly as it was; the
//! page and its forms without JavaScript; and everyone but an
//! administrator answered "not found".

use std::collections::BTreeSet;

use jejak_tests::{call, demo, f, on_both_backends, text_of_id, Backend, Demo, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

use app::backend::entities::{audit_entry, employee, position, unit};

const MISSING: i64 = 987_654_321;

/// Form fields as sent.
type Fields<'a> = Vec<(&'a str, String)>;

fn row_ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

/// Every page of a list, in order: the ids, and the number of pages.
async fn all_pages(d: &Demo, endpoint: &str, fields: &[(&str, String)]) -> (Vec<i64>, u64) {
    let first = d.list(endpoint, fields).await;
    let pages = first["pages"].as_u64().unwrap();
    let mut ids = row_ids(&first);
    for n in 2..=pages {
        let mut more = fields.to_vec();
        more.push(f("page", n));
        let page = d.list(endpoint, &more).await;
        assert_eq!(page["page"], n);
        ids.extend(row_ids(&page));
    }
    (ids, pages)
}

fn names(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

/// Audit lines about what this page changes (signing in is audited too).
async fn count_audit(app: &TestApp) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.is_in(["unit", "position", "employee"]))
        .count(app.db())
        .await
        .unwrap()
}

async fn audit_lines(app: &TestApp, entity: &str, id: i64) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq(entity))
        .filter(audit_entry::Column::EntityId.eq(id))
        .order_by_asc(audit_entry::Column::Id)
        .all(app.db())
        .await
        .unwrap()
}

/// Everything this page can change, to compare before and after a refusal.
async fn snapshot(
    app: &TestApp,
) -> (
    Vec<unit::Model>,
    Vec<position::Model>,
    Vec<employee::Model>,
    u64,
) {
    (
        unit::Entity::find()
            .order_by_asc(unit::Column::Id)
            .all(app.db())
            .await
            .unwrap(),
        position::Entity::find()
            .order_by_asc(position::Column::Id)
            .all(app.db())
            .await
            .unwrap(),
        employee::Entity::find()
            .order_by_asc(employee::Column::Id)
            .all(app.db())
            .await
            .unwrap(),
        count_audit(app).await,
    )
}

async fn unit_named(app: &TestApp, name: &str) -> unit::Model {
    unit::Entity::find()
        .filter(unit::Column::Name.eq(name))
        .one(app.db())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {name}"))
}

async fn employee_by_nip(app: &TestApp, nip: &str) -> employee::Model {
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip))
        .one(app.db())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("employee {nip}"))
}

fn spaced(nip: &str) -> String {
    format!(
        "{} {} {} {}",
        &nip[..8],
        &nip[8..14],
        &nip[14..15],
        &nip[15..]
    )
}

/// A refusal: the status, the field, and the Indonesian and English messages.
fn refused(status: u16, body: &Value, want_status: u16, field: Option<&str>) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["field"].as_str(), field, "{body}");
    assert!(
        !body["message"]["id"].as_str().unwrap_or("").is_empty(),
        "{body}"
    );
    assert!(
        !body["message"]["en"].as_str().unwrap_or("").is_empty(),
        "{body}"
    );
}

on_both_backends!(
    units_are_searched_paged_created_and_moved_but_never_below_themselves,
    positions_are_searched_filtered_paged_created_and_edited,
    employees_are_found_by_name_or_nip_within_a_unit_page_by_page,
    an_employee_is_created_and_edited_with_one_audit_line_each,
    every_refused_employee_form_leaves_the_data_unchanged,
    the_page_and_its_forms_work_without_javascript,
    only_administrators_get_past_the_door,
);

async fn units_are_searched_paged_created_and_moved_but_never_below_themselves(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let audit_before = count_audit(app).await;

    // A new top-level unit with 30 sections below it, through the form's function.
    let (status, root) = d
        .call(
            "org_create_unit",
            &[f("name", "  Dinas   Uji Organisasi "), f("parent_id", "")],
        )
        .await;
    assert_eq!(status, 200, "{root}");
    let root = root.as_i64().unwrap();
    let stored = unit::Entity::find_by_id(root)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.name, "Dinas Uji Organisasi", "spaces tidied");
    assert_eq!(stored.parent_id, None);
    let mut sections = Vec::new();
    for i in (1..=30).rev() {
        let (status, id) = d
            .call(
                "org_create_unit",
                &[f("name", format!("Seksi Uji {i:02}")), f("parent_id", root)],
            )
            .await;
        assert_eq!(status, 200, "{id}");
        sections.push(id.as_i64().unwrap());
    }
    assert_eq!(
        count_audit(app).await,
        audit_before + 31,
        "one audit line per unit"
    );
    let line = audit_lines(app, "unit", root).await;
    assert_eq!(line.len(), 1);
    assert_eq!(line[0].action, "unit.create");
    assert!(line[0]
        .after
        .as_deref()
        .unwrap()
        .contains("Dinas Uji Organisasi"));

    // Searching (case-insensitive) and paging: 25, then 5, by name.
    let p1 = d.list("org_units", &[f("q", "seksi UJI")]).await;
    assert_eq!(p1["total"], 30);
    assert_eq!(p1["pages"], 2);
    let n1 = names(&p1);
    assert_eq!(n1.len(), 25);
    assert_eq!(n1[0], "Seksi Uji 01");
    assert!(n1.windows(2).all(|w| w[0] < w[1]), "by name: {n1:?}");
    let p2 = d
        .list("org_units", &[f("q", "seksi UJI"), f("page", 2)])
        .await;
    assert_eq!(
        names(&p2),
        vec![
            "Seksi Uji 26",
            "Seksi Uji 27",
            "Seksi Uji 28",
            "Seksi Uji 29",
            "Seksi Uji 30"
        ]
    );
    let seen: BTreeSet<i64> = row_ids(&p1).into_iter().chain(row_ids(&p2)).collect();
    assert_eq!(seen, sections.iter().copied().collect());
    // Past the end: the last page.
    let p9 = d
        .list("org_units", &[f("q", "seksi uji"), f("page", 9)])
        .await;
    assert_eq!(p9["page"], 2);
    // The parent path and the number of employees.
    assert_eq!(
        p1["rows"][0]["path"],
        serde_json::json!(["Dinas Uji Organisasi"])
    );
    assert_eq!(p1["rows"][0]["employees"], 0);
    let bidang = unit_named(app, "Bidang Aplikasi Informatika").await;
    let page = d.list("org_units", &[f("q", "aplikasi informatika")]).await;
    let row = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == bidang.id)
        .unwrap()
        .clone();
    assert_eq!(
        row["path"],
        serde_json::json!(["Pemerintah Kota Medan", "Dinas Komunikasi dan Informatika"])
    );
    let people = employee::Entity::find()
        .filter(employee::Column::UnitId.eq(bidang.id))
        .count(app.db())
        .await
        .unwrap();
    assert!(people > 0);
    assert_eq!(row["employees"], people);
    // Every unit, across the pages, once.
    let (ids, pages) = all_pages(&d, "org_units", &[]).await;
    let all = unit::Entity::find().count(app.db()).await.unwrap();
    assert_eq!(ids.len() as u64, all);
    assert_eq!(pages, all.div_ceil(25));
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len() as u64, all);
    // Wildcards are taken literally.
    assert_eq!(d.list("org_units", &[f("q", "%")]).await["total"], 0);
    assert_eq!(d.list("org_units", &[f("q", "Uji_0")]).await["total"], 0);
    // The unit being edited comes with the list; a missing one is not found.
    let page = d.list("org_units", &[f("edit", sections[0])]).await;
    assert_eq!(page["editing"]["name"], "Seksi Uji 30");
    let (status, _) = d.call("org_units", &[f("edit", MISSING)]).await;
    assert_eq!(status, 404);

    // Refusals write nothing.
    let before = snapshot(app).await;
    let refusals: Vec<(Fields, u16, Option<&str>)> = vec![
        (
            vec![f("name", "   "), f("parent_id", "")],
            422,
            Some("name"),
        ),
        (
            vec![f("name", "x".repeat(151)), f("parent_id", "")],
            422,
            Some("name"),
        ),
        (
            vec![f("name", "Seksi Baru"), f("parent_id", "satu")],
            422,
            Some("parent_id"),
        ),
        (
            vec![f("name", "Seksi Baru"), f("parent_id", MISSING)],
            422,
            Some("parent_id"),
        ),
        // The same name under the same parent, in another case.
        (
            vec![f("name", "seksi uji 07"), f("parent_id", root)],
            409,
            None,
        ),
    ];
    for (fields, status_wanted, field) in &refusals {
        let (status, body) = d.call("org_create_unit", fields).await;
        refused(status, &body, *status_wanted, *field);
    }
    let (_, body) = d.call("org_create_unit", &refusals[3].0).await;
    assert_eq!(
        body["message"]["id"],
        format!("Unit induk dengan id {MISSING} tidak ditemukan")
    );
    assert_eq!(
        body["message"]["en"],
        format!("There is no parent unit with id {MISSING}")
    );
    assert_eq!(snapshot(app).await, before);

    // Renaming and moving: "Seksi Uji 30" goes under "Seksi Uji 29".
    let (s30, s29) = (sections[0], sections[1]);
    let (status, body) = d
        .call(
            "org_update_unit",
            &[
                f("id", s30),
                f("name", "Subseksi Uji 30"),
                f("parent_id", s29),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let moved = unit::Entity::find_by_id(s30)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (moved.name.as_str(), moved.parent_id),
        ("Subseksi Uji 30", Some(s29))
    );
    let lines = audit_lines(app, "unit", s30).await;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].action, "unit.update");
    assert!(lines[1].before.as_deref().unwrap().contains("Seksi Uji 30"));
    assert!(lines[1]
        .after
        .as_deref()
        .unwrap()
        .contains("Subseksi Uji 30"));
    let page = d.list("org_units", &[f("q", "subseksi")]).await;
    assert_eq!(
        page["rows"][0]["path"],
        serde_json::json!(["Dinas Uji Organisasi", "Seksi Uji 29"])
    );

    // A unit may not become its own ancestor: not under itself, not under
    // anything below it (two levels down here). The new name is not kept either.
    let before = snapshot(app).await;
    for parent in [root, s30] {
        let (status, body) = d
            .call(
                "org_update_unit",
                &[
                    f("id", root),
                    f("name", "Nama Baru"),
                    f("parent_id", parent),
                ],
            )
            .await;
        refused(status, &body, 422, Some("parent_id"));
    }
    let (_, body) = d
        .call(
            "org_update_unit",
            &[
                f("id", root),
                f("name", "Dinas Uji Organisasi"),
                f("parent_id", s30),
            ],
        )
        .await;
    assert_eq!(
        body["message"]["id"],
        "Unit \"Dinas Uji Organisasi\" tidak dapat dipindahkan ke bawah \"Subseksi Uji 30\", karena \"Subseksi Uji 30\" berada di bawah \"Dinas Uji Organisasi\""
    );
    let (_, body) = d
        .call(
            "org_update_unit",
            &[f("id", s29), f("name", "Seksi Uji 29"), f("parent_id", s29)],
        )
        .await;
    assert_eq!(
        body["message"]["en"],
        "The unit \"Seksi Uji 29\" cannot be its own parent"
    );
    // A sibling's name, an unknown unit, a unit nobody has.
    let (status, body) = d
        .call(
            "org_update_unit",
            &[
                f("id", s29),
                f("name", "SEKSI UJI 28"),
                f("parent_id", root),
            ],
        )
        .await;
    refused(status, &body, 409, None);
    let (status, body) = d
        .call(
            "org_update_unit",
            &[
                f("id", s29),
                f("name", "Seksi Uji 29"),
                f("parent_id", MISSING),
            ],
        )
        .await;
    refused(status, &body, 422, Some("parent_id"));
    let (status, _) = d
        .call(
            "org_update_unit",
            &[f("id", MISSING), f("name", "Apa Saja"), f("parent_id", "")],
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(snapshot(app).await, before);

    // Moving a branch elsewhere is fine: the root goes under the city.
    let city = unit_named(app, "Pemerintah Kota Medan").await;
    let (status, _) = d
        .call(
            "org_update_unit",
            &[
                f("id", root),
                f("name", "Dinas Uji Organisasi"),
                f("parent_id", city.id),
            ],
        )
        .await;
    assert_eq!(status, 200);
    let page = d.list("org_units", &[f("q", "subseksi")]).await;
    assert_eq!(
        page["rows"][0]["path"],
        serde_json::json!([
            "Pemerintah Kota Medan",
            "Dinas Uji Organisasi",
            "Seksi Uji 29"
        ])
    );
    d.app.stop().await;
}

async fn positions_are_searched_filtered_paged_created_and_edited(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let kinds = [
        "jpt",
        "administrator",
        "pengawas",
        "fungsional",
        "pelaksana",
    ];
    let mut made = Vec::new();
    for i in 1..=26 {
        let (status, id) = d
            .call(
                "org_create_position",
                &[
                    f("name", format!("Analis Uji {i:02}")),
                    f("kind", kinds[i % 5]),
                    f("job_family", "Uji Coba"),
                    f(
                        "competencies",
                        format!("Teknis: Uji {i}\nManajerial: Integritas\n"),
                    ),
                ],
            )
            .await;
        assert_eq!(status, 200, "{id}");
        made.push(id.as_i64().unwrap());
    }
    let p1 = d.list("org_positions", &[f("q", "analis uji")]).await;
    assert_eq!(
        (p1["total"].as_u64(), p1["pages"].as_u64()),
        (Some(26), Some(2))
    );
    assert_eq!(names(&p1)[0], "Analis Uji 01");
    let p2 = d
        .list("org_positions", &[f("q", "analis uji"), f("page", 2)])
        .await;
    assert_eq!(names(&p2), vec!["Analis Uji 26"]);
    assert_eq!(
        p1["rows"][0]["competencies"],
        serde_json::json!(["Teknis: Uji 1", "Manajerial: Integritas"])
    );
    assert_eq!(p1["rows"][0]["kind"], "administrator");
    // The job family is searched too.
    assert_eq!(
        d.list("org_positions", &[f("q", "uji coba")]).await["total"],
        26
    );
    assert!(p1["job_families"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == "IT"));

    // By kind: exactly the stored ones.
    for kind in kinds {
        let expected = position::Entity::find()
            .filter(position::Column::Kind.eq(kind))
            .count(app.db())
            .await
            .unwrap();
        let page = d.list("org_positions", &[f("kind", kind)]).await;
        assert_eq!(page["total"], expected, "{kind}");
        assert!(page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] == kind));
    }
    let page = d
        .list("org_positions", &[f("q", "uji"), f("kind", "pengawas")])
        .await;
    assert_eq!(page["total"], 5);
    let (status, body) = d.call("org_positions", &[f("kind", "raja")]).await;
    refused(status, &body, 422, Some("kind"));

    // A job family typed in another case joins the existing one.
    let (status, id) = d
        .call(
            "org_create_position",
            &[
                f("name", "Pranata Komputer Ahli Muda"),
                f("kind", "Fungsional"),
                f("job_family", " it "),
                f("competencies", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{id}");
    let p = position::Entity::find_by_id(id.as_i64().unwrap())
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            p.kind.as_str(),
            p.job_family.as_str(),
            p.competencies.as_str()
        ),
        ("fungsional", "IT", "[]")
    );
    let lines = audit_lines(app, "position", p.id).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].action, "position.create");

    // Refusals write nothing.
    let before = snapshot(app).await;
    let good = |k: &'static str, v: &str| {
        let mut fields = vec![
            f("name", "Jabatan Baru"),
            f("kind", "pelaksana"),
            f("job_family", "Keuangan"),
            f("competencies", "Teknis: SIPD"),
        ];
        fields.retain(|(key, _)| *key != k);
        fields.push(f(k, v));
        fields
    };
    for (fields, status_wanted, field) in [
        (good("name", "  "), 422, Some("name")),
        (good("kind", ""), 422, Some("kind")),
        (good("kind", "eselon"), 422, Some("kind")),
        (good("job_family", ""), 422, Some("job_family")),
        (good("job_family", &"x".repeat(61)), 422, Some("job_family")),
        (
            good("competencies", &"k".repeat(101)),
            422,
            Some("competencies"),
        ),
        (good("name", "camat"), 409, None),
    ] {
        let (status, body) = d.call("org_create_position", &fields).await;
        refused(status, &body, status_wanted, field);
    }
    let (_, body) = d.call("org_create_position", &good("kind", "eselon")).await;
    assert_eq!(
        body["message"]["id"],
        "Jenis jabatan harus JPT, Administrator, Pengawas, Fungsional atau Pelaksana, bukan \"eselon\""
    );
    // Editing: refused on another position's name, on a bad kind, on a missing id.
    let target = made[0];
    let (status, body) = d
        .call(
            "org_update_position",
            &[vec![f("id", target)], good("name", "Analis Uji 02")].concat(),
        )
        .await;
    refused(status, &body, 409, None);
    let (status, body) = d
        .call(
            "org_update_position",
            &[vec![f("id", target)], good("kind", "menteri")].concat(),
        )
        .await;
    refused(status, &body, 422, Some("kind"));
    let (status, _) = d
        .call(
            "org_update_position",
            &[vec![f("id", MISSING)], good("name", "Apa Saja")].concat(),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(snapshot(app).await, before);

    // Editing: every field, one audit line with before and after.
    let (status, body) = d
        .call(
            "org_update_position",
            &[
                f("id", target),
                f("name", "Analis Uji Satu"),
                f("kind", "pengawas"),
                f("job_family", "keuangan"),
                f(
                    "competencies",
                    "Teknis: SIPD\r\nManajerial: Pengambilan Keputusan",
                ),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let p = position::Entity::find_by_id(target)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(p.name, "Analis Uji Satu");
    assert_eq!(p.kind, "pengawas");
    assert_eq!(p.job_family, "Keuangan");
    let comps: Vec<String> = serde_json::from_str(&p.competencies).unwrap();
    assert_eq!(
        comps,
        vec!["Teknis: SIPD", "Manajerial: Pengambilan Keputusan"]
    );
    let lines = audit_lines(app, "position", target).await;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].action, "position.update");
    assert!(lines[1]
        .before
        .as_deref()
        .unwrap()
        .contains("Analis Uji 01"));
    assert!(lines[1]
        .after
        .as_deref()
        .unwrap()
        .contains("Analis Uji Satu"));
    // Its own name again (another case) is not a duplicate.
    let (status, body) = d
        .call(
            "org_update_position",
            &[
                f("id", target),
                f("name", "ANALIS UJI SATU"),
                f("kind", "pengawas"),
                f("job_family", "Keuangan"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let page = d.list("org_positions", &[f("edit", target)]).await;
    assert_eq!(page["editing"]["name"], "ANALIS UJI SATU");
    assert_eq!(page["editing"]["competencies"], serde_json::json!([]));
    d.app.stop().await;
}

async fn employees_are_found_by_name_or_nip_within_a_unit_page_by_page(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let everyone = employee::Entity::find().count(app.db()).await.unwrap();
    assert!(
        everyone > 50,
        "the demo has several pages of employees: {everyone}"
    );

    // Every page by name; together every employee once.
    let p1 = d.list("org_employees", &[]).await;
    assert_eq!(p1["total"], everyone);
    assert_eq!(p1["pages"], everyone.div_ceil(25));
    assert_eq!(names(&p1).len(), 25);
    let (ids, _) = all_pages(&d, "org_employees", &[]).await;
    assert_eq!(ids.len() as u64, everyone);
    assert_eq!(ids.iter().collect::<BTreeSet<_>>().len() as u64, everyone);
    // By name as the database sorts them (its collation), ties by id.
    let by_name: Vec<i64> = employee::Entity::find()
        .order_by_asc(employee::Column::Name)
        .order_by_asc(employee::Column::Id)
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(ids, by_name);
    let last = d.list("org_employees", &[f("page", 999)]).await;
    assert_eq!(last["page"], p1["pages"]);
    // A row names the unit, the position and the NIP as people write it.
    let rahmat = employee_by_nip(app, "198609262015051001").await;
    let page = d.list("org_employees", &[f("q", "rahmat hidayat")]).await;
    let row = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rahmat.id)
        .unwrap()
        .clone();
    assert_eq!(row["nip_display"], "19860926 201505 1 001");
    assert_eq!(row["unit"], "Bidang Aplikasi Informatika");

    // By part of a name, in another case.
    let page = d.list("org_employees", &[f("q", "SIREGAR")]).await;
    let expected = employee::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.name.to_lowercase().contains("siregar"))
        .count();
    assert!(expected > 1);
    assert_eq!(page["total"], expected as u64);

    // By NIP: the leading digits, with the spaces people type.
    let page = d.list("org_employees", &[f("q", "19860926 2015")]).await;
    assert!(row_ids(&page).contains(&rahmat.id));
    for r in page["rows"].as_array().unwrap() {
        assert!(
            r["nip"].as_str().unwrap().starts_with("198609262015"),
            "{r}"
        );
    }
    let page = d
        .list("org_employees", &[f("q", " 19860926 201505 1 001 ")])
        .await;
    assert_eq!(row_ids(&page), vec![rahmat.id]);
    // Wildcards are taken literally.
    assert_eq!(d.list("org_employees", &[f("q", "%")]).await["total"], 0);

    // By unit: the unit and everything below it.
    let kecamatan = unit_named(app, "Kecamatan Medan Belawan").await;
    let units = unit::Entity::find().all(app.db()).await.unwrap();
    let pairs: Vec<(i64, Option<i64>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let below = app::domain::org::subtree(&pairs, &[kecamatan.id]);
    assert!(below.len() > 3);
    let expected = employee::Entity::find()
        .filter(employee::Column::UnitId.is_in(below.iter().copied()))
        .count(app.db())
        .await
        .unwrap();
    let direct = employee::Entity::find()
        .filter(employee::Column::UnitId.eq(kecamatan.id))
        .count(app.db())
        .await
        .unwrap();
    assert!(expected > direct, "people in the sections below count too");
    let (ids, _) = all_pages(&d, "org_employees", &[f("unit_id", kecamatan.id)]).await;
    assert_eq!(ids.len() as u64, expected);
    for e in employee::Entity::find()
        .filter(employee::Column::Id.is_in(ids.clone()))
        .all(app.db())
        .await
        .unwrap()
    {
        assert!(below.contains(&e.unit_id));
    }
    // Search and unit together.
    let page = d
        .list(
            "org_employees",
            &[f("q", "19860926"), f("unit_id", kecamatan.id)],
        )
        .await;
    assert!(
        !row_ids(&page).contains(&rahmat.id),
        "Rahmat works elsewhere"
    );
    // With the employee being edited; a missing one is not found.
    let page = d.list("org_employees", &[f("edit", rahmat.id)]).await;
    assert_eq!(page["editing"]["nip"], "198609262015051001");
    assert!(page["units"].as_array().unwrap().len() >= 14);
    assert!(!page["positions"].as_array().unwrap().is_empty());
    let (status, _) = d.call("org_employees", &[f("edit", MISSING)]).await;
    assert_eq!(status, 404);
    d.app.stop().await;
}

/// An employee form with every field valid.
async fn employee_form(app: &TestApp, nip: &str) -> Vec<(&'static str, String)> {
    let u = unit_named(app, "Seksi Pemerintahan").await;
    let p = position::Entity::find()
        .filter(position::Column::Name.eq("Pengadministrasi Umum"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    vec![
        f("asn_kind", "pns"),
        f("nip", spaced(nip)),
        f("name", "  Putri  Ayu Lestari,  S.AP. "),
        f("golongan", "II/c"),
        f("email", "Putri.Lestari@Medan.Example"),
        f("language", "id"),
        f("unit_id", u.id),
        f("position_id", p.id),
        f("supervisor_nip", "19780512 200501 1 003"),
    ]
}

fn with(
    mut fields: Vec<(&'static str, String)>,
    key: &'static str,
    value: impl ToString,
) -> Vec<(&'static str, String)> {
    fields.retain(|(k, _)| *k != key);
    fields.push((key, value.to_string()));
    fields
}

const NEW_NIP: &str = "199002152019032004";

async fn an_employee_is_created_and_edited_with_one_audit_line_each(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let (people, audit) = (
        employee::Entity::find().count(app.db()).await.unwrap(),
        count_audit(app).await,
    );
    let form = employee_form(app, NEW_NIP).await;
    let (status, id) = d.call("org_create_employee", &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap();
    let e = employee::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let bambang = employee_by_nip(app, "197805122005011003").await;
    assert_eq!(e.nip, NEW_NIP);
    assert_eq!(e.asn_kind, "pns");
    assert_eq!(e.name, "Putri Ayu Lestari, S.AP.");
    assert_eq!(e.golongan.as_deref(), Some("II/c"));
    assert_eq!(e.email.as_deref(), Some("putri.lestari@medan.example"));
    assert_eq!(e.language, "id");
    assert_eq!(e.unit_id, unit_named(app, "Seksi Pemerintahan").await.id);
    assert!(e.position_id.is_some());
    assert_eq!(e.supervisor_id, Some(bambang.id));
    assert_eq!(
        employee::Entity::find().count(app.db()).await.unwrap(),
        people + 1
    );
    assert_eq!(count_audit(app).await, audit + 1);
    let lines = audit_lines(app, "employee", id).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].action, "employee.create");
    assert!(
        lines[0].actor.contains("199410052019022003"),
        "the administrator: {}",
        lines[0].actor
    );
    assert!(lines[0].before.is_none());
    assert!(lines[0].after.as_deref().unwrap().contains(NEW_NIP));
    // Found by NIP in the list, with the supervisor named.
    let page = d.list("org_employees", &[f("q", spaced(NEW_NIP))]).await;
    assert_eq!(row_ids(&page), vec![id]);
    assert_eq!(page["rows"][0]["supervisor"], bambang.name);
    assert_eq!(page["rows"][0]["supervisor_nip"], bambang.nip);

    // Editing every field: one more audit line, with before and after.
    let other_unit = unit_named(app, "Bidang Akuntansi").await;
    let changed = [
        f("id", id),
        f("asn_kind", "pns"),
        f("nip", NEW_NIP),
        f("name", "Putri Ayu Lestari, S.AP., M.Si."),
        f("golongan", "3a"),
        f("email", ""),
        f("language", "en"),
        f("unit_id", other_unit.id),
        f("position_id", ""),
        f("supervisor_nip", ""),
    ];
    let (status, body) = d.call("org_update_employee", &changed).await;
    assert_eq!(status, 200, "{body}");
    let e = employee::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(e.name, "Putri Ayu Lestari, S.AP., M.Si.");
    assert_eq!(e.golongan.as_deref(), Some("III/a"));
    assert_eq!(e.email, None);
    assert_eq!(e.language, "en");
    assert_eq!(
        (e.unit_id, e.position_id, e.supervisor_id),
        (other_unit.id, None, None)
    );
    let lines = audit_lines(app, "employee", id).await;
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1].action, "employee.update");
    let before: Value = serde_json::from_str(lines[1].before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(lines[1].after.as_deref().unwrap()).unwrap();
    assert_eq!(before["golongan"], "II/c");
    assert_eq!(after["golongan"], "III/a");
    assert_eq!(after["language"], "en");
    assert_eq!(count_audit(app).await, audit + 2);

    // A correction of the NIP itself, and a supervisor again.
    let corrected = "199002152019032005";
    let fields = with(
        with(changed.to_vec(), "nip", spaced(corrected)),
        "supervisor_nip",
        bambang.nip.clone(),
    );
    let (status, body) = d.call("org_update_employee", &fields).await;
    assert_eq!(status, 200, "{body}");
    let e = employee::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (e.nip.as_str(), e.supervisor_id),
        (corrected, Some(bambang.id))
    );

    // A PPPK: no golongan needed, and the PNS appointment-month rule does not apply.
    let pppk = with(
        with(
            with(
                with(
                    employee_form(app, "199203152020131002").await,
                    "asn_kind",
                    "pppk",
                ),
                "golongan",
                "",
            ),
            "email",
            "",
        ),
        "supervisor_nip",
        "",
    );
    let (status, body) = d.call("org_create_employee", &pppk).await;
    assert_eq!(status, 200, "{body}");
    let e = employee::Entity::find_by_id(body.as_i64().unwrap())
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((e.asn_kind.as_str(), e.golongan.clone()), ("pppk", None));
    assert_eq!(count_audit(app).await, audit + 4);
    d.app.stop().await;
}

async fn every_refused_employee_form_leaves_the_data_unchanged(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let form = employee_form(app, NEW_NIP).await;
    let rahmat = employee_by_nip(app, "198609262015051001").await;
    let before = snapshot(app).await;

    // Creating: each refusal names its field (or is a conflict), in both languages.
    let cases: Vec<(Fields, u16, Option<&str>, &str, &str)> = vec![
        (
            with(form.clone(), "nip", "19861326 201505 1 001"),
            422,
            Some("nip"),
            "Digit 1–8 NIP harus tanggal lahir yang valid (YYYYMMDD), bukan 19861326",
            "Digits 1–8 of the NIP must be a valid birth date (YYYYMMDD), not 19861326",
        ),
        (
            with(form.clone(), "nip", "19900215 201903 2 00"),
            422,
            Some("nip"),
            "NIP harus 18 digit (diterima 17 digit)",
            "NIP must have 18 digits (got 17)",
        ),
        (
            with(form.clone(), "nip", "19900215 201913 2 004"),
            422,
            Some("nip"),
            "Digit 9–14 NIP harus TMT CPNS yang valid (YYYYMM), bukan 201913",
            "Digits 9–14 of the NIP must be a valid appointment month (YYYYMM), not 201913",
        ),
        (
            with(form.clone(), "nip", "19900215 201903 2 000"),
            422,
            Some("nip"),
            "Nomor urut NIP (digit 16–18) tidak boleh 000",
            "The NIP serial (digits 16–18) cannot be 000",
        ),
        (
            with(form.clone(), "nip", ""),
            422,
            Some("nip"),
            "NIP wajib diisi",
            "NIP is required",
        ),
        (
            with(form.clone(), "nip", spaced(&rahmat.nip)),
            409,
            None,
            "NIP 19860926 201505 1 001 sudah terdaftar atas nama Rahmat Hidayat Siregar, S.Kom.",
            "NIP 19860926 201505 1 001 is already registered to Rahmat Hidayat Siregar, S.Kom.",
        ),
        (
            with(form.clone(), "asn_kind", "honorer"),
            422,
            Some("asn_kind"),
            "Jenis ASN harus PNS atau PPPK, bukan \"honorer\"",
            "The kind of civil servant must be PNS or PPPK, not \"honorer\"",
        ),
        (
            with(form.clone(), "name", "   "),
            422,
            Some("name"),
            "Nama pegawai wajib diisi",
            "The employee's name is required",
        ),
        (
            with(form.clone(), "golongan", ""),
            422,
            Some("golongan"),
            "Golongan wajib dipilih untuk PNS (mis. III/a)",
            "Choose the rank (golongan) of a PNS (e.g. III/a)",
        ),
        (
            with(form.clone(), "golongan", "IV/f"),
            422,
            Some("golongan"),
            "Golongan tidak dikenal: \"IV/f\" (I/a sampai IV/e)",
            "Unknown rank (golongan): \"IV/f\" (I/a to IV/e)",
        ),
        (
            with(form.clone(), "email", "putri at medan"),
            422,
            Some("email"),
            "Alamat email tidak valid: \"putri at medan\" (contoh: nama@medan.go.id)",
            "Invalid email address: \"putri at medan\" (e.g. name@medan.go.id)",
        ),
        (
            with(form.clone(), "email", "RAHMAT.SIREGAR@medan.example"),
            409,
            None,
            "Email rahmat.siregar@medan.example sudah dipakai oleh Rahmat Hidayat Siregar, S.Kom. (NIP 19860926 201505 1 001)",
            "The email rahmat.siregar@medan.example is already used by Rahmat Hidayat Siregar, S.Kom. (NIP 19860926 201505 1 001)",
        ),
        (
            with(form.clone(), "language", "jv"),
            422,
            Some("language"),
            "Bahasa harus id (Indonesia) atau en (Inggris), bukan \"jv\"",
            "The language must be id (Indonesian) or en (English), not \"jv\"",
        ),
        (
            with(form.clone(), "unit_id", MISSING),
            422,
            Some("unit_id"),
            "Unit kerja dengan id 987654321 tidak ditemukan",
            "There is no work unit with id 987654321",
        ),
        (
            with(form.clone(), "unit_id", ""),
            422,
            Some("unit_id"),
            "Unit kerja wajib dipilih",
            "Choose the work unit",
        ),
        (
            with(form.clone(), "position_id", MISSING),
            422,
            Some("position_id"),
            "Jabatan dengan id 987654321 tidak ditemukan",
            "There is no position with id 987654321",
        ),
        (
            with(form.clone(), "supervisor_nip", spaced(NEW_NIP)),
            422,
            Some("supervisor_nip"),
            "Pegawai tidak dapat menjadi atasan langsungnya sendiri",
            "An employee cannot be their own direct supervisor",
        ),
        (
            with(form.clone(), "supervisor_nip", "19900215 201903 2 099"),
            422,
            Some("supervisor_nip"),
            "Tidak ada pegawai dengan NIP 19900215 201903 2 099 untuk dijadikan atasan",
            "No employee has NIP 19900215 201903 2 099 to be the supervisor",
        ),
    ];
    for (fields, status_wanted, field, id_text, en_text) in &cases {
        let (status, body) = d.call("org_create_employee", fields).await;
        refused(status, &body, *status_wanted, *field);
        assert_eq!(body["message"]["id"], *id_text, "{fields:?}");
        assert_eq!(body["message"]["en"], *en_text, "{fields:?}");
    }
    assert_eq!(snapshot(app).await, before, "nothing written");

    // Editing: oneself as supervisor, a circle of supervisors, another's NIP,
    // someone who does not exist. Other fields sent along are not kept either.
    let nurul = employee_by_nip(app, "199103142019032007").await;
    let edit_of = |e: &employee::Model| {
        vec![
            f("id", e.id),
            f("asn_kind", e.asn_kind.clone()),
            f("nip", e.nip.clone()),
            f("name", "Nama Yang Tidak Disimpan"),
            f(
                "golongan",
                e.golongan.clone().unwrap_or_else(|| "III/b".into()),
            ),
            f("email", e.email.clone().unwrap_or_default()),
            f("language", e.language.clone()),
            f("unit_id", e.unit_id),
            f(
                "position_id",
                e.position_id.map(|p| p.to_string()).unwrap_or_default(),
            ),
            f("supervisor_nip", ""),
        ]
    };
    let (status, body) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "supervisor_nip", spaced(&rahmat.nip)),
        )
        .await;
    refused(status, &body, 422, Some("supervisor_nip"));
    assert_eq!(
        body["message"]["id"],
        "Pegawai tidak dapat menjadi atasan langsungnya sendiri"
    );
    // Nurul reports to Rahmat (a valid change, written) ...
    let mut nurul_form = with(edit_of(&nurul), "supervisor_nip", rahmat.nip.clone());
    nurul_form = with(nurul_form, "name", nurul.name.clone());
    let (status, body) = d.call("org_update_employee", &nurul_form).await;
    assert_eq!(status, 200, "{body}");
    let before = snapshot(app).await;
    // ... so Rahmat cannot report to Nurul.
    let (status, body) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "supervisor_nip", nurul.nip.clone()),
        )
        .await;
    refused(status, &body, 422, Some("supervisor_nip"));
    assert_eq!(
        body["message"]["id"],
        format!(
            "{} adalah bawahan (langsung atau tidak langsung) pegawai ini, jadi tidak dapat menjadi atasannya",
            nurul.name
        )
    );
    let (status, body) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "nip", spaced(&nurul.nip)),
        )
        .await;
    refused(status, &body, 409, None);
    let (status, body) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "nip", "1986 0926"),
        )
        .await;
    refused(status, &body, 422, Some("nip"));
    let (status, body) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "unit_id", MISSING),
        )
        .await;
    refused(status, &body, 422, Some("unit_id"));
    let (status, _) = d
        .call(
            "org_update_employee",
            &with(edit_of(&rahmat), "id", MISSING),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(snapshot(app).await, before, "nothing written");
    d.app.stop().await;
}

async fn the_page_and_its_forms_work_without_javascript(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let get = |path: String| {
        let client = d.admin.clone();
        let url = app.url(&path);
        async move {
            let res = client
                .get(&url)
                .header("Accept", "text/html")
                .send()
                .await
                .unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    // Units by default, as tabs; each section with its list, search and form.
    let (status, html) = get("/admin/organisasi".into()).await;
    assert_eq!(status, 200);
    for id in [
        "bagian-organisasi",
        "tab-unit",
        "tab-jabatan",
        "tab-pegawai",
        "saring-unit",
        "daftar-unit",
        "halaman-unit",
        "form-unit",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains("aria-current=\"page\""));
    let (_, html) = get("/admin/organisasi?bagian=jabatan&jenis=fungsional".into()).await;
    for id in ["saring-jabatan", "daftar-jabatan", "form-jabatan"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let (_, html) = get("/admin/organisasi?bagian=pegawai&q=19860926%20201505".into()).await;
    for id in [
        "saring-pegawai",
        "cari-pegawai",
        "daftar-pegawai",
        "halaman-pegawai",
        "form-pegawai",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let rahmat = employee_by_nip(app, "198609262015051001").await;
    let list = text_of_id(&html, "daftar-pegawai").unwrap();
    assert!(list.contains("Rahmat Hidayat Siregar"), "{list}");
    assert!(
        html.contains("value=\"19860926 201505\""),
        "the search stays in its box"
    );
    // Every input has a label.
    for (i, _) in html.match_indices("<input id=\"") {
        let id: String = html[i + 11..].chars().take_while(|c| *c != '"').collect();
        assert!(html.contains(&format!("for=\"{id}\"")), "a label for {id}");
    }
    // Editing: the form filled in.
    let (_, html) = get(format!(
        "/admin/organisasi?bagian=pegawai&ubah={}",
        rahmat.id
    ))
    .await;
    let form = text_of_id(&html, "ubah-pegawai").unwrap();
    assert!(form.contains("Rahmat Hidayat Siregar"), "{form}");
    assert!(html.contains("value=\"19860926 201505 1 001\""));
    assert!(html.contains("value=\"rahmat.siregar@medan.example\""));
    let (status, _) = get(format!("/admin/organisasi?bagian=pegawai&ubah={MISSING}")).await;
    assert_eq!(status, 404);

    // A plain form post that succeeds goes to the new employee.
    let back = app.url("/admin/organisasi?bagian=pegawai");
    let post = |endpoint: &'static str, fields: Vec<(&'static str, String)>, referer: String| {
        let client = d.admin.clone();
        let url = app.url(&format!("/fn/{endpoint}"));
        async move {
            let res = client
                .post(&url)
                .header("Accept", "text/html")
                .header("Referer", referer)
                .form(&fields)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 302);
            res.headers()["location"].to_str().unwrap().to_string()
        }
    };
    let location = post(
        "org_create_employee",
        employee_form(app, NEW_NIP).await,
        back.clone(),
    )
    .await;
    let created = employee_by_nip(app, NEW_NIP).await;
    assert_eq!(
        location,
        format!(
            "/admin/organisasi?bagian=pegawai&q={NEW_NIP}&baru={}",
            created.id
        )
    );
    let (_, html) = get(location).await;
    assert!(text_of_id(&html, "pegawai-dibuat").is_some());
    assert!(text_of_id(&html, "daftar-pegawai")
        .unwrap()
        .contains("Putri Ayu Lestari"));

    // A refused one comes back to the form with the message next to the field.
    let people = employee::Entity::find().count(app.db()).await.unwrap();
    let location = post(
        "org_create_employee",
        with(
            employee_form(app, "199002152019032099").await,
            "nip",
            "1990021520190320",
        ),
        back.clone(),
    )
    .await;
    assert!(location.starts_with(&back), "{location}");
    assert!(location.contains("__err="), "{location}");
    assert_eq!(
        employee::Entity::find().count(app.db()).await.unwrap(),
        people
    );
    let (status, html) = get(location.trim_start_matches(&app.base).to_string()).await;
    assert_eq!(status, 200);
    let nip_input = html.find("id=\"pegawai-nip\"").unwrap();
    let name_label = html.find("for=\"pegawai-nama\"").unwrap();
    let message = html
        .find("NIP harus 18 digit (diterima 16 digit)")
        .expect("the message");
    assert!(
        nip_input < message && message < name_label,
        "next to the NIP field"
    );
    assert!(html[nip_input..message].contains("class=\"field-error\""));

    // Saving an edit goes back to the edited record, with a notice.
    let edit_page = app.url(&format!(
        "/admin/organisasi?bagian=pegawai&ubah={}",
        created.id
    ));
    let fields = with(
        with(
            employee_form(app, NEW_NIP).await,
            "name",
            "Putri Ayu Lestari, S.AP., M.AP.",
        ),
        "id",
        created.id,
    );
    let location = post("org_update_employee", fields.clone(), edit_page).await;
    assert_eq!(
        location,
        format!(
            "/admin/organisasi?bagian=pegawai&ubah={}&disimpan=1",
            created.id
        )
    );
    let (_, html) = get(location.clone()).await;
    assert!(text_of_id(&html, "pegawai-disimpan").is_some());
    assert!(html.contains("value=\"Putri Ayu Lestari, S.AP., M.AP.\""));
    // A later refusal from that address does not repeat the notice.
    let refused_at = post(
        "org_update_employee",
        with(fields, "nip", "123"),
        app.url(&location),
    )
    .await;
    let (_, html) = get(refused_at.trim_start_matches(&app.base).to_string()).await;
    assert!(text_of_id(&html, "pegawai-disimpan").is_none());
    assert!(text_of_id(&html, "ubah-pegawai")
        .unwrap()
        .contains("NIP harus 18 digit (diterima 3 digit)"));

    // Units and positions the same way.
    let location = post(
        "org_create_unit",
        vec![f("name", "Seksi Tanpa Skrip"), f("parent_id", "")],
        app.url("/admin/organisasi"),
    )
    .await;
    let u = unit_named(app, "Seksi Tanpa Skrip").await;
    assert_eq!(
        location,
        format!("/admin/organisasi?bagian=unit&baru={}", u.id)
    );
    let location = post(
        "org_update_unit",
        vec![
            f("id", u.id),
            f("name", "Seksi Tanpa Skrip"),
            f("parent_id", u.id),
        ],
        app.url(&format!("/admin/organisasi?bagian=unit&ubah={}", u.id)),
    )
    .await;
    let (_, html) = get(location.trim_start_matches(&app.base).to_string()).await;
    let form = text_of_id(&html, "ubah-unit").unwrap();
    assert!(
        form.contains("tidak dapat menjadi induknya sendiri"),
        "{form}"
    );
    let location = post(
        "org_create_position",
        vec![
            f("name", "Jabatan Tanpa Skrip"),
            f("kind", "pelaksana"),
            f("job_family", "IT"),
            f("competencies", ""),
        ],
        app.url("/admin/organisasi?bagian=jabatan"),
    )
    .await;
    assert!(
        location.starts_with("/admin/organisasi?bagian=jabatan&baru="),
        "{location}"
    );

    // In English for someone who chose it, refusals included.
    let admin_nip = &d.logins.iter().find(|l| l.role == "admin").unwrap().nip;
    let mut me: employee::ActiveModel = employee_by_nip(app, admin_nip).await.into();
    me.language = sea_orm::Set("en".into());
    sea_orm::ActiveModelTrait::update(me, app.db())
        .await
        .unwrap();
    let location = post(
        "org_create_employee",
        with(
            employee_form(app, "199002152019032099").await,
            "nip",
            "1990021520190320",
        ),
        back.clone(),
    )
    .await;
    let (_, html) = get(location.trim_start_matches(&app.base).to_string()).await;
    assert!(html.contains("<html lang=\"en\""));
    assert_eq!(
        text_of_id(&html, "tab-pegawai").as_deref(),
        Some("Employees")
    );
    assert!(html.contains(">Organisation</h1>"));
    assert!(text_of_id(&html, "pegawai-baru")
        .unwrap()
        .contains("NIP must have 18 digits (got 16)"));
    d.app.stop().await;
}

async fn only_administrators_get_past_the_door(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let rahmat = employee_by_nip(app, "198609262015051001").await;
    let some_unit = unit_named(app, "Seksi Pemerintahan").await;
    let some_position = position::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let good_employee = employee_form(app, NEW_NIP).await;
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("org_units", vec![]),
        (
            "org_create_unit",
            vec![f("name", "Unit Gelap"), f("parent_id", "")],
        ),
        (
            "org_update_unit",
            vec![
                f("id", some_unit.id),
                f("name", "Unit Gelap"),
                f("parent_id", ""),
            ],
        ),
        ("org_positions", vec![]),
        (
            "org_create_position",
            vec![
                f("name", "Jabatan Gelap"),
                f("kind", "pelaksana"),
                f("job_family", "IT"),
            ],
        ),
        (
            "org_update_position",
            vec![
                f("id", some_position.id),
                f("name", "Jabatan Gelap"),
                f("kind", "pelaksana"),
                f("job_family", "IT"),
            ],
        ),
        ("org_employees", vec![f("q", "rahmat")]),
        ("org_create_employee", good_employee.clone()),
        (
            "org_update_employee",
            with(good_employee.clone(), "id", rahmat.id),
        ),
    ];
    let before = snapshot(app).await;
    let mut bodies = BTreeSet::new();
    for role in ["manager", "trainer", "employee"] {
        let client = d.as_role(role).await;
        for (endpoint, fields) in &calls {
            let (status, body) = call(app, &client, endpoint, fields).await;
            assert_eq!(status, 404, "{role} on {endpoint}: {body}");
            bodies.insert(body.to_string());
            // Invalid input gets the same answer: permission comes first.
            let (status, body) =
                call(app, &client, endpoint, &[f("id", "1"), f("nip", "000")]).await;
            assert_eq!(status, 404, "{role} on {endpoint} with garbage: {body}");
            bodies.insert(body.to_string());
        }
        for section in ["unit", "jabatan", "pegawai"] {
            let res = client
                .get(app.url(&format!("/admin/organisasi?bagian={section}")))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 404, "{role} on the {section} page");
            let html = res.text().await.unwrap();
            assert!(!html.contains("daftar-"), "{role} sees no list");
            assert!(!html.contains("Rahmat Hidayat"));
        }
    }
    assert_eq!(bodies.len(), 1, "one way of saying not found: {bodies:?}");
    let anonymous = jejak_tests::http_client();
    for (endpoint, fields) in &calls {
        let (status, _) = call(app, &anonymous, endpoint, fields).await;
        assert_eq!(status, 401, "anonymous on {endpoint}");
    }
    let res = anonymous
        .get(app.url("/admin/organisasi?bagian=pegawai"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/masuk");
    assert_eq!(snapshot(app).await, before, "nothing written");
    // The administrator is let in.
    let res = d
        .admin
        .get(app.url("/admin/organisasi"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    d.app.stop().await;
}
