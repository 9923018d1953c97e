//! The home page in a real headless Chromium, twice: JavaScript off (pure
//! server rendering; the form still works) and on (hydrated interaction).

use std::time::Duration;

use fantoccini::Locator;
use jejak_tests::{browser::Browser, require_site, spawn_app, Backend};

async fn demo_app() -> jejak_tests::TestApp {
    require_site();
    let app = spawn_app(Backend::Sqlite).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    jejak::seed::demo(app.db(), today).await.unwrap();
    app
}

/// Fills in "Tambah unit kerja" and presses "Simpan".
async fn submit_unit_form(b: &Browser, name: &str) {
    let form = b.client.form(Locator::Id("form-unit")).await.unwrap();
    form.set_by_name("name", name).await.unwrap();
    b.client
        .find(Locator::Css("#form-unit button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_page_reads_filters_and_posts() {
    let app = demo_app().await;
    let b = Browser::start(false).await;
    b.goto(&app.url("/")).await;

    assert_eq!(b.attr("html", "lang").await.as_deref(), Some("id"));
    assert_eq!(b.text("#jumlah-unit").await, "14");
    assert_eq!(b.text("#jumlah-pegawai").await, "12");
    // Give a (wrongly) running client time to hydrate; it must not.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );

    // Typing alone filters nothing without JavaScript; submitting the search does.
    let search = b.client.find(Locator::Id("cari-unit")).await.unwrap();
    search.send_keys("belawan").await.unwrap();
    assert_eq!(b.count_visible("li.unit").await, 14);
    b.client
        .find(Locator::Css("form.filter button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("server-side filter", || async {
        b.count_visible("li.unit").await == 2
    })
    .await;
    assert!(b
        .client
        .current_url()
        .await
        .unwrap()
        .as_str()
        .contains("q=belawan"));

    // The ActionForm posts, the server redirects back, the page shows the new unit.
    b.goto(&app.url("/")).await;
    submit_unit_form(&b, "Seksi Kesejahteraan Sosial").await;
    b.wait_for("unit count after post", || async {
        b.try_text("#jumlah-unit").await.as_deref() == Some("15")
    })
    .await;
    assert!(b
        .text(".unit-tree")
        .await
        .contains("Seksi Kesejahteraan Sosial"));

    // A rejected post comes back with the Indonesian message, and nothing is written.
    b.goto(&app.url("/")).await;
    submit_unit_form(&b, "Seksi Kesejahteraan Sosial").await;
    b.wait_for("error message", || async {
        b.client
            .source()
            .await
            .map(|s| s.contains("sudah ada di bawah induk yang sama"))
            .unwrap_or(false)
    })
    .await;
    assert_eq!(b.text("#jumlah-unit").await, "15");

    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_page_hydrates_and_filters_as_you_type() {
    let app = demo_app().await;
    let b = Browser::start(true).await;
    b.goto(&app.url("/")).await;
    b.wait_for("hydration", || async {
        b.client
            .find(Locator::Css(".page[data-hydrated=true]"))
            .await
            .is_ok()
    })
    .await;

    // Mark this document: if anything below reloads the page, the mark is gone.
    b.client
        .execute("window.__jejakMark = 42; return null;", vec![])
        .await
        .unwrap();

    let search = b.client.find(Locator::Id("cari-unit")).await.unwrap();
    search.send_keys("belawan").await.unwrap();
    b.wait_for("live filter", || async {
        b.count_visible("li.unit").await == 2
    })
    .await;
    assert_eq!(b.text("#jumlah-cocok").await, "2 dari 14 unit");
    assert!(
        !b.client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("q="),
        "no navigation"
    );

    // The form is submitted by the client, the figures refresh without a reload.
    search.clear().await.unwrap();
    submit_unit_form(&b, "Seksi Ekonomi dan Pembangunan").await;
    b.wait_for("refreshed count", || async {
        b.try_text("#jumlah-unit").await.as_deref() == Some("15")
    })
    .await;
    assert!(b
        .text(".notice.ok")
        .await
        .contains("Seksi Ekonomi dan Pembangunan"));
    let mark = b
        .client
        .execute("return window.__jejakMark || null;", vec![])
        .await
        .unwrap();
    assert_eq!(
        mark,
        serde_json::json!(42),
        "the page must not have reloaded"
    );

    b.close().await;
    app.stop().await;
}
