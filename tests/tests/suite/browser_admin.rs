//! The administrator's transfer pages in a real headless Chromium, with
//! JavaScript off (server rendering; links and forms navigate and post) and
//! on (hydrated): find an approved transfer, open its plan preview, complete
//! it; then the employee concerned signs in and finds the new plan on
//! "Penugasan saya".

use fantoccini::Locator;
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp, TEST_PASSWORD};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use app::backend::{
    entities::{assignment, plan, position, transfer, unit},
    {people::unit_lookup, transfers},
};

/// The approved demo transfer whose plan would have the most courses.
async fn approved_with_a_plan(app: &TestApp) -> (transfer::Model, usize) {
    let today = app.state.now_local().date_naive();
    let mut best: Option<(transfer::Model, usize)> = None;
    for t in transfer::Entity::find()
        .filter(transfer::Column::State.eq("approved"))
        .order_by_asc(transfer::Column::Id)
        .all(app.db())
        .await
        .unwrap()
    {
        let n = transfers::preview_plan(app.db(), t.id, today)
            .await
            .unwrap()
            .len();
        if best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((t, n));
        }
    }
    let best = best.expect("an approved demo transfer");
    assert!(best.1 > 0, "its plan has courses");
    best
}

async fn the_administrator_completes_a_transfer(b: &Browser, app: &TestApp, logins: &[DemoLogin]) {
    let tag = if b.javascript { "js" } else { "nojs" };
    let (t, n) = approved_with_a_plan(app).await;
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;

    // Mutasi, from the menu.
    b.click("#nav-mutasi").await;
    b.wait_for("the transfer list", || async {
        b.client.find(Locator::Id("saring-mutasi")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    shot(b, &format!("admin-mutasi-{tag}")).await;

    // Approved ones only, searched by the SK number.
    let form = b.client.form(Locator::Id("saring-mutasi")).await.unwrap();
    form.set_by_name("q", &t.sk_number).await.unwrap();
    // Into its target unit, typed (a province has too many units for a
    // list): with JavaScript the picker offers paths as one types.
    let to_unit_path = unit_lookup::paths(app.db(), &[t.to_unit_id])
        .await
        .unwrap()
        .remove(&t.to_unit_id)
        .unwrap();
    let field = b.client.find(Locator::Id("unit-mutasi")).await.unwrap();
    if b.javascript {
        let start: String = to_unit_path
            .rsplit(unit_lookup::PATH_SEPARATOR)
            .next()
            .unwrap()
            .chars()
            .take(8)
            .collect();
        field.send_keys(&start).await.unwrap();
        b.wait_for("the unit picker's suggestions", || async {
            let mut offered = Vec::new();
            for o in b
                .client
                .find_all(Locator::Css("#unit-mutasi-daftar option"))
                .await
                .unwrap_or_default()
            {
                offered.push(o.attr("value").await.ok().flatten().unwrap_or_default());
            }
            offered.contains(&to_unit_path)
        })
        .await;
        field.clear().await.unwrap();
    }
    field.send_keys(&to_unit_path).await.unwrap();
    b.client
        .find(Locator::Css("#status-mutasi option[value=approved]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.click("#saring-mutasi button[type=submit]").await;
    let row = format!("#daftar-mutasi tr[data-transfer-id='{}']", t.id);
    b.wait_for("the searched list", || async {
        b.client
            .current_url()
            .await
            .map(|u| u.as_str().contains("status=approved"))
            .unwrap_or(false)
            && b.count_visible("#daftar-mutasi tr[data-transfer-id]").await == 1
            && b.client.find(Locator::Css(&row)).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(b.text(&format!("{row} .badge")).await, "Disetujui");
    assert!(b.text(&row).await.contains(&t.sk_number));
    shot(b, &format!("admin-mutasi-cari-{tag}")).await;

    // Its plan preview.
    b.click(&format!("{row} a.pratinjau")).await;
    b.wait_for("the plan preview", || async {
        b.client
            .find_all(Locator::Css("#pratinjau-rencana #rencana-item li"))
            .await
            .map(|v| v.len() == n)
            .unwrap_or(false)
    })
    .await;
    assert_eq!(
        b.attr("#pratinjau-rencana", "data-stored").await.as_deref(),
        Some("false")
    );
    let preview = b.text("#pratinjau-rencana").await;
    assert!(preview.contains("Pratinjau rencana"), "{preview}");
    assert!(preview.contains("Tenggat "), "{preview}");
    let to_position = position::Entity::find_by_id(t.to_position_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .name;
    let to_unit = unit::Entity::find_by_id(t.to_unit_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .name;
    assert!(
        b.text("#pratinjau-tujuan").await.contains(&to_position),
        "the target position is named"
    );
    shot(b, &format!("admin-pratinjau-{tag}")).await;
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::TransferId.eq(t.id))
            .count(app.db())
            .await
            .unwrap(),
        0,
        "a preview writes nothing"
    );

    // Complete it.
    b.click("#selesaikan-mutasi").await;
    b.wait_for("the stored plan", || async {
        b.client
            .find(Locator::Id("rencana-tersimpan"))
            .await
            .is_ok()
            && b.client
                .find(Locator::Id("selesaikan-mutasi"))
                .await
                .is_err()
    })
    .await;
    if b.javascript {
        assert!(b
            .text("#mutasi-selesai")
            .await
            .starts_with("Mutasi selesai"));
    }
    shot(b, &format!("admin-selesai-{tag}")).await;
    let plans = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(t.id))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(plans.len(), 1, "one plan");
    let items = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(plans[0].id))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(items as usize, n);
    let done = transfer::Entity::find_by_id(t.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.state, "completed");
    b.sign_out().await;

    // The employee concerned (no demo login: an account made for the test)
    // finds the new plan on "Penugasan saya".
    let who = app::backend::entities::employee::Entity::find_by_id(t.employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    app.account_for(who.id, &[]).await;
    b.sign_in(&app.base, &who.nip, TEST_PASSWORD).await;
    b.click("#nav-saya").await;
    b.wait_for("Penugasan saya", || async {
        b.try_text("h1").await.as_deref() == Some("Penugasan saya")
    })
    .await;
    let card = format!("section.plan[data-plan-id='{}']", plans[0].id);
    b.wait_for("the new plan", || async {
        b.client.find(Locator::Css(&card)).await.is_ok()
    })
    .await;
    let title = b.text(&format!("{card} h2")).await;
    assert_eq!(title, format!("Mutasi ke {to_position} — {to_unit}"));
    assert_eq!(
        b.client
            .find_all(Locator::Css(&format!("{card} li.assignment")))
            .await
            .unwrap()
            .len(),
        n
    );
    shot(b, &format!("pegawai-rencana-baru-{tag}")).await;
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_administrator_completes_a_transfer() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_administrator_completes_a_transfer(&b, &app, &logins).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_administrator_completes_a_transfer() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_administrator_completes_a_transfer(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// A screenshot under this test target's temporary directory.
async fn shot(b: &Browser, name: &str) {
    b.screenshot(env!("CARGO_TARGET_TMPDIR"), name).await;
}
