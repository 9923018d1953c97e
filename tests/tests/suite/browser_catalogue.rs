//! The administrator's catalogue pages in a real headless Chromium, with
//! JavaScript off (server rendering; forms navigate and post) and on
//! (hydrated): add a course; compose a rule requiring it; test the rule
//! against a transfer (the course is in the result, nothing is written);
//! save it and find it in the list as version 1.

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
