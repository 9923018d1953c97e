//! The administrator's catalogue pages in a real headless Chromium, with
//! JavaScript off (server rendering; forms navigate and post) and on
//! (hydrated): add a course; compose a rule requiring it; test the rule
//! against a transfer (the course is in the result, nothing is written);
//! save it and find it in the list as version 1. Then editing: a rule is
//! opened from the list, changed (a row added: in place with JavaScript, by
//! reloading the form without), tested and saved as version 2; a course is
//! switched off and leaves the rule form's choices; a refused course edit
//! shows the error next to the field and keeps what was typed.

use fantoccini::Locator;
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use app::backend::entities::{assignment, course, plan, plan_rule, plan_rule_version, transfer};

async fn counts(app: &TestApp) -> (u64, u64, u64, u64) {
    let db = app.db();
    (
        plan_rule::Entity::find().count(db).await.unwrap(),
        plan_rule_version::Entity::find().count(db).await.unwrap(),
        plan::Entity::find().count(db).await.unwrap(),
        assignment::Entity::find().count(db).await.unwrap(),
    )
}

async fn the_administrator_adds_a_course_and_a_rule(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let tag = if b.javascript { "js" } else { "nojs" };
    let code = format!("ORI-BIDANG-{}", tag.to_uppercase());
    let title = format!("Orientasi bidang baru ({tag})");
    let rule_name = format!("Orientasi bidang ({tag})");
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;

    // Pelatihan, from the menu.
    b.click("#nav-pelatihan").await;
    b.wait_for("the course page", || async {
        b.client
            .find(Locator::Id("form-pelatihan-baru"))
            .await
            .is_ok()
            && b.client.find(Locator::Id("daftar-pelatihan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    shot(b, &format!("admin-pelatihan-{tag}")).await;

    // Add a course.
    let form = b
        .client
        .form(Locator::Id("form-pelatihan-baru"))
        .await
        .unwrap();
    form.set_by_name("code", &code).await.unwrap();
    form.set_by_name("title_id", &title).await.unwrap();
    form.set_by_name("jp", "6").await.unwrap();
    form.set_by_name("provider", "BKPSDM Kota Medan")
        .await
        .unwrap();
    b.click("#pelatihan-kompetensi option[value=sosial_kultural]")
        .await;
    b.click("#pelatihan-metode option[value=nonklasikal]").await;
    b.click("#simpan-pelatihan").await;
    let row = format!("#daftar-pelatihan tr[data-course-code='{code}']");
    b.wait_for("the new course in the list", || async {
        b.client.find(Locator::Css(&row)).await.is_ok()
    })
    .await;
    if b.javascript {
        assert!(b.text("#pelatihan-dibuat").await.contains("ditambahkan"));
        b.wait_hydrated().await;
    }
    let line = b.text(&row).await;
    assert!(line.contains(&title), "{line}");
    assert!(line.contains("tidak kedaluwarsa"), "{line}");
    assert!(line.contains("Nonklasikal"), "{line}");
    show(b, &row).await;
    shot(b, &format!("admin-pelatihan-baru-{tag}")).await;
    let new_course = course::Entity::find()
        .filter(course::Column::Code.eq(code.as_str()))
        .one(app.db())
        .await
        .unwrap()
        .expect("the course is stored");
    assert_eq!(new_course.jp, 6.0);

    // Aturan, from the menu: compose a rule requiring the new course.
    b.click("#nav-aturan").await;
    b.wait_for("the rule page", || async {
        b.client.find(Locator::Id("form-aturan-baru")).await.is_ok()
            && b.client.find(Locator::Id("daftar-aturan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    // The transfer to test against: the newest open one (the select's first).
    let t = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .order_by_desc(transfer::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .expect("an open demo transfer");
    let form = b
        .client
        .form(Locator::Id("form-aturan-baru"))
        .await
        .unwrap();
    form.set_by_name("name", &rule_name).await.unwrap();
    form.set_by_name("items[0][due_offset_days]", "10")
        .await
        .unwrap();
    b.click(&format!("#item-0-course option[value='{}']", new_course.id))
        .await;
    b.click(&format!("#uji-mutasi option[value='{}']", t.id))
        .await;
    let before = counts(app).await;
    b.click("#uji-aturan").await;

    // The test: the course, due ten days after the TMT; nothing written.
    let item = format!(
        "#hasil-uji-aturan #hasil-uji-item li[data-course-id='{}']",
        new_course.id
    );
    b.wait_for("the test result", || async {
        b.client.find(Locator::Css(&item)).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(
        b.attr("#hasil-uji-aturan", "data-transfer-id")
            .await
            .as_deref(),
        Some(t.id.to_string().as_str())
    );
    assert_eq!(
        b.attr(&item, "data-due").await,
        Some((t.tmt + chrono::Days::new(10)).to_string())
    );
    let result = b.text(&item).await;
    assert!(result.contains(&code), "{result}");
    assert!(result.contains(&title), "{result}");
    assert_eq!(
        b.count_visible("#hasil-uji-item li").await,
        1,
        "this rule alone"
    );
    // The form keeps what was composed.
    assert_eq!(
        b.attr("#aturan-nama", "value").await.as_deref(),
        Some(rule_name.as_str())
    );
    show(b, "#hasil-uji-aturan").await;
    shot(b, &format!("admin-aturan-uji-{tag}")).await;
    assert_eq!(counts(app).await, before, "a test writes nothing");

    // Save it: listed as version 1.
    b.click("#simpan-aturan").await;
    b.wait_for("the new rule in the list", || async {
        let rows = b
            .client
            .find_all(Locator::Css("#daftar-aturan tr[data-rule-id] .rule-name"))
            .await
            .unwrap_or_default();
        for r in rows {
            if r.text().await.unwrap_or_default() == rule_name {
                return true;
            }
        }
        false
    })
    .await;
    if b.javascript {
        assert!(b.text("#aturan-disimpan").await.contains("versi 1"));
    }
    let stored = plan_rule::Entity::find()
        .filter(plan_rule::Column::Name.eq(rule_name.as_str()))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "one rule");
    assert_eq!(stored[0].current_version, 1);
    let line = b
        .text(&format!(
            "#daftar-aturan tr[data-rule-id='{}']",
            stored[0].id
        ))
        .await;
    assert!(line.contains(&code), "{line}");
    assert!(line.contains("10 hari setelah TMT · wajib"), "{line}");
    assert!(line.contains("Semua mutasi"), "{line}");
    assert!(line.contains("Versi 1"), "{line}");
    let after = counts(app).await;
    assert_eq!(after.0, before.0 + 1);
    assert_eq!(after.1, before.1 + 1);
    assert_eq!((after.2, after.3), (before.2, before.3), "no plan changed");
    show(
        b,
        &format!("#daftar-aturan tr[data-rule-id='{}']", stored[0].id),
    )
    .await;
    shot(b, &format!("admin-aturan-disimpan-{tag}")).await;
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_administrator_adds_a_course_and_a_rule() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_administrator_adds_a_course_and_a_rule(&b, &app, &logins).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_administrator_adds_a_course_and_a_rule() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_administrator_adds_a_course_and_a_rule(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// The current value of a form control (what is typed, not the attribute).
async fn value_of(b: &Browser, css: &str) -> String {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default()
}

async fn the_administrator_edits_a_rule_and_a_course(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let tag = if b.javascript { "js" } else { "nojs" };
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;
    let rule = plan_rule::Entity::find()
        .filter(plan_rule::Column::Name.eq("Jabatan bidang IT"))
        .one(app.db())
        .await
        .unwrap()
        .expect("the demo rule");
    let v1 = plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(rule.id))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let extra = course::Entity::find()
        .filter(course::Column::Code.eq("BERAKHLAK"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();

    // From the list: "Ubah" opens the form filled with version 1.
    b.click("#nav-aturan").await;
    b.wait_for("the rule page", || async {
        b.client.find(Locator::Id("daftar-aturan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let line = format!("#daftar-aturan tr[data-rule-id='{}']", rule.id);
    assert!(b.text(&line).await.contains("Versi 1"));
    b.click(&format!("{line} a.ubah-aturan")).await;
    b.wait_for("the edit form", || async {
        b.client.find(Locator::Id("form-ubah-aturan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(value_of(b, "#aturan-nama").await, "Jabatan bidang IT");
    assert_eq!(value_of(b, "#aturan-rumpun").await, "IT");
    assert_eq!(
        b.count_visible("#form-ubah-aturan .item-row").await,
        6,
        "five courses and a free row"
    );
    assert!(b.text("#ubah-aturan h2").await.contains("versi 1"));

    // Renamed, switched off, a course due later; one more row.
    let name = format!("Jabatan bidang IT ({tag})");
    let form = b
        .client
        .form(Locator::Id("form-ubah-aturan"))
        .await
        .unwrap();
    form.set_by_name("name", &name).await.unwrap();
    form.set_by_name("items[0][due_offset_days]", "75")
        .await
        .unwrap();
    b.click("#aturan-aktif").await;
    b.click("#tambah-baris").await;
    if b.javascript {
        // In place: the page is not loaded again.
        b.wait_for("a row added in place", || async {
            b.count_visible("#form-ubah-aturan .item-row").await == 7
        })
        .await;
    } else {
        b.wait_for("the form with more rows", || async {
            b.count_visible("#form-ubah-aturan .item-row").await == 11
        })
        .await;
        assert!(
            b.client
                .find(Locator::Id("hasil-uji-aturan"))
                .await
                .is_err(),
            "adding rows tests nothing"
        );
    }
    // What was typed is still there.
    assert_eq!(value_of(b, "#aturan-nama").await, name);
    assert_eq!(value_of(b, "#item-0-offset").await, "75");
    let checked = b
        .client
        .find(Locator::Id("aturan-aktif"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(checked.as_deref(), Some("false"), "switched off");
    let form = b
        .client
        .form(Locator::Id("form-ubah-aturan"))
        .await
        .unwrap();
    form.set_by_name("items[6][due_offset_days]", "5")
        .await
        .unwrap();
    b.click(&format!("#item-6-course option[value='{}']", extra.id))
        .await;
    let t = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .order_by_desc(transfer::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .expect("an open demo transfer");
    b.click(&format!("#uji-mutasi option[value='{}']", t.id))
        .await;
    b.click("#uji-aturan").await;

    // Tested: the rule as edited (inactive rules are tested as if active).
    let item = format!("#hasil-uji-aturan li[data-course-id='{}']", extra.id);
    b.wait_for("the test of the edited rule", || async {
        b.client
            .find(Locator::Css("#hasil-uji-aturan"))
            .await
            .is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    if b.attr("#hasil-uji-aturan", "data-matched").await.as_deref() == Some("true") {
        assert_eq!(
            b.attr(&item, "data-due").await,
            Some((t.tmt + chrono::Days::new(5)).to_string())
        );
    }
    assert_eq!(
        b.attr("#simpan-aturan", "data-version").await.as_deref(),
        Some("2")
    );
    assert!(b.text("#simpan-aturan").await.contains("versi 2"));
    show(b, "#tinjau-aturan").await;
    shot(b, &format!("admin-aturan-ubah-{tag}")).await;
    let before = counts(app).await;
    b.click("#simpan-aturan").await;

    // Saved as version 2, announced and listed; version 1 as it was.
    let saved = format!(
        "#daftar-aturan tr[data-rule-id='{}'][data-version='2']",
        rule.id
    );
    b.wait_for("version 2 in the list", || async {
        b.client.find(Locator::Css(&saved)).await.is_ok()
    })
    .await;
    b.wait_for("the notice", || async {
        b.try_text("#aturan-disimpan")
            .await
            .is_some_and(|t| t.contains("versi 2 disimpan"))
    })
    .await;
    let row = b.text(&saved).await;
    assert!(row.contains(&name), "{row}");
    assert!(row.contains("Versi 2"), "{row}");
    assert!(row.contains("Nonaktif"), "{row}");
    assert!(row.contains("BERAKHLAK"), "{row}");
    let after = counts(app).await;
    assert_eq!(after.0, before.0, "the same rule");
    assert_eq!(after.1, before.1 + 1, "one more version");
    assert_eq!((after.2, after.3), (before.2, before.3), "no plan changed");
    let versions = plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(rule.id))
        .order_by_asc(plan_rule_version::Column::Version)
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0], v1, "version 1 unchanged");
    assert!(!versions[1].active);
    let items: Vec<app::domain::plan::RuleItem> = serde_json::from_str(&versions[1].items).unwrap();
    let old: Vec<app::domain::plan::RuleItem> = serde_json::from_str(&v1.items).unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0].due_offset_days, 75);
    assert_eq!(items[5].course_id, extra.id, "the added row comes last");
    assert_eq!(
        items[..5].iter().map(|i| i.course_id).collect::<Vec<_>>(),
        old.iter().map(|i| i.course_id).collect::<Vec<_>>()
    );
    show(b, &saved).await;
    shot(b, &format!("admin-aturan-versi-2-{tag}")).await;

    // A course switched off from the list.
    b.click("#nav-pelatihan").await;
    b.wait_for("the course page", || async {
        b.client.find(Locator::Id("daftar-pelatihan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let pdp = course::Entity::find()
        .filter(course::Column::Code.eq("PDP-01"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let row = "#daftar-pelatihan tr[data-course-code='PDP-01']";
    b.click(&format!("{row} button.ubah-status")).await;
    b.wait_for("the course switched off", || async {
        b.client
            .find(Locator::Css(
                "#daftar-pelatihan tr[data-course-code='PDP-01'][data-active='false']",
            ))
            .await
            .is_ok()
    })
    .await;
    if b.javascript {
        assert!(b.text("#pelatihan-status").await.contains("dinonaktifkan"));
        b.wait_hydrated().await;
    }
    assert!(b.text(row).await.contains("Nonaktif"));
    assert!(b
        .text(&format!("{row} button.ubah-status"))
        .await
        .contains("Aktifkan"));
    assert!(
        !course::Entity::find_by_id(pdp.id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap()
            .active
    );
    show(b, row).await;
    shot(b, &format!("admin-pelatihan-nonaktif-{tag}")).await;
    // Only the inactive ones.
    b.click("#status-pelatihan option[value=nonaktif]").await;
    b.click("#saring-pelatihan button[type=submit]").await;
    b.wait_for("the inactive courses", || async {
        b.try_text("#jumlah-pelatihan")
            .await
            .is_some_and(|t| t.starts_with("1 "))
    })
    .await;
    assert!(b.text("#daftar-pelatihan").await.contains("PDP-01"));
    // No longer offered to rules.
    b.click("#nav-aturan").await;
    b.wait_for("the rule page", || async {
        b.client.find(Locator::Id("form-aturan-baru")).await.is_ok()
    })
    .await;
    assert!(b
        .client
        .find(Locator::Css(&format!(
            "#item-0-course option[value='{}']",
            pdp.id
        )))
        .await
        .is_err());

    // A refused course edit: the error next to the field, what was typed kept.
    b.click("#nav-pelatihan").await;
    b.wait_for("the course page", || async {
        b.client.find(Locator::Id("daftar-pelatihan")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let spbe = course::Entity::find()
        .filter(course::Column::Code.eq("SPBE-01"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    b.click("#daftar-pelatihan tr[data-course-code='SPBE-01'] a.ubah-pelatihan")
        .await;
    b.wait_for("the course edit form", || async {
        b.client
            .find(Locator::Id("form-ubah-pelatihan"))
            .await
            .is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(value_of(b, "#ubah-pelatihan-kode").await, "SPBE-01");
    assert_eq!(value_of(b, "#ubah-pelatihan-judul").await, spbe.title_id);
    let typed = format!("Judul yang diketik ({tag})");
    let form = b
        .client
        .form(Locator::Id("form-ubah-pelatihan"))
        .await
        .unwrap();
    form.set_by_name("code", "BERAKHLAK").await.unwrap();
    form.set_by_name("title_id", &typed).await.unwrap();
    form.set_by_name("jp", "3,5").await.unwrap();
    b.click("#simpan-ubah-pelatihan").await;
    let next_to = "#ubah-pelatihan-kode + .field-error";
    b.wait_for("the refusal next to the code", || async {
        b.try_text(next_to)
            .await
            .is_some_and(|t| t.contains("sudah dipakai"))
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(value_of(b, "#ubah-pelatihan-kode").await, "BERAKHLAK");
    assert_eq!(value_of(b, "#ubah-pelatihan-judul").await, typed);
    assert_eq!(value_of(b, "#ubah-pelatihan-jp").await, "3,5");
    assert_eq!(
        course::Entity::find_by_id(spbe.id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap(),
        spbe,
        "nothing written"
    );
    show(b, "#ubah-pelatihan").await;
    shot(b, &format!("admin-pelatihan-ubah-ditolak-{tag}")).await;
    // Put right and saved.
    let form = b
        .client
        .form(Locator::Id("form-ubah-pelatihan"))
        .await
        .unwrap();
    form.set_by_name("code", "SPBE-01").await.unwrap();
    b.click("#simpan-ubah-pelatihan").await;
    b.wait_for("the course saved", || async {
        b.client.find(Locator::Id("pelatihan-diubah")).await.is_ok()
    })
    .await;
    let row = "#daftar-pelatihan tr[data-course-code='SPBE-01']";
    b.wait_for("the list with the new title", || async {
        b.try_text(row).await.is_some_and(|t| t.contains(&typed))
    })
    .await;
    let stored = course::Entity::find_by_id(spbe.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.title_id.as_str(), stored.jp), (typed.as_str(), 3.5));
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_administrator_edits_a_rule_and_a_course() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_administrator_edits_a_rule_and_a_course(&b, &app, &logins).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_administrator_edits_a_rule_and_a_course() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_administrator_edits_a_rule_and_a_course(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// The edit forms on a 360-pixel-wide phone: nothing scrolls sideways but
/// the tables themselves, and every control has a label (also a row added
/// in place).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edit_forms_fit_a_phone() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    b.client.set_window_size(360, 780).await.unwrap();
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;
    let rule = plan_rule::Entity::find()
        .filter(plan_rule::Column::Name.eq("Pejabat pengawas dan administrator"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let course = course::Entity::find()
        .filter(course::Column::Code.eq("SPBE-01"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    for (path, form) in [
        (
            format!("/admin/pelatihan?ubah={}", course.id),
            "form-ubah-pelatihan",
        ),
        (
            format!("/admin/aturan?ubah={}", rule.id),
            "form-ubah-aturan",
        ),
    ] {
        b.goto(&app.url(&path)).await;
        b.wait_hydrated().await;
        assert!(b.client.find(Locator::Id(form)).await.is_ok(), "{path}");
        if form == "form-ubah-aturan" {
            // Both position kinds of the stored rule are one choice, chosen.
            let kinds = b.text("#aturan-jenis-jabatan option:checked").await;
            assert!(
                kinds.contains("Pengawas") && kinds.contains("Administrator"),
                "{kinds}"
            );
            b.click("#tambah-baris").await;
        }
        let name = format!(
            "phone-admin-{}",
            path.trim_matches('/').replace(['/', '?', '='], "-")
        );
        shot(&b, &name).await;
        assert!(b.fits_width().await, "{path} scrolls sideways at 360 px");
        assert_eq!(
            b.unlabelled_controls().await,
            Vec::<String>::new(),
            "{path}: unlabelled controls"
        );
    }
    b.close().await;
    app.stop().await;
}

/// A screenshot under this test target's temporary directory.
async fn shot(b: &Browser, name: &str) {
    b.screenshot(env!("CARGO_TARGET_TMPDIR"), name).await;
}

/// Scrolls the element into view (for the screenshot).
async fn show(b: &Browser, css: &str) {
    let el = b.client.find(Locator::Css(css)).await.unwrap();
    let arg = serde_json::to_value(&el).unwrap();
    let _ = b
        .client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await;
}
