//! HTTP-level end-to-end tests: the real server, a real database (SQLite file
//! and PostgreSQL), requests as a browser without JavaScript would send them.

use jejak_tests::{http_client, on_both_backends, spawn_app, text_of_id, Backend};
use sea_orm::{EntityTrait, PaginatorTrait};

use app::backend::entities::{employee, unit};

async fn count_units(app: &jejak_tests::TestApp) -> u64 {
    unit::Entity::find().count(app.db()).await.unwrap()
}

on_both_backends!(
    health_reports_the_database,
    home_page_shows_real_figures_in_indonesian,
    form_post_without_javascript_creates_and_redirects,
    invalid_unit_is_rejected_with_a_precise_message_and_nothing_written,
    invalid_input_without_javascript_comes_back_on_the_page,
    unknown_pages_are_404_in_indonesian,
    migrations_are_idempotent,
);

async fn health_reports_the_database(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = http_client().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
    // Anyone may ask: up or down, nothing a stranger could use.
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(2),
        "only status and database: {body}"
    );
    app.stop().await;
}

async fn home_page_shows_real_figures_in_indonesian(backend: Backend) {
    let app = spawn_app(backend).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let client = app.admin_client().await;
    jejak::seed::demo(app.db(), today).await.unwrap();
    let units = count_units(&app).await;
    let employees = employee::Entity::find().count(app.db()).await.unwrap();
    assert!(units > 0 && employees > 0);

    let res = client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("<html lang=\"id\""), "{html}");
    assert!(html.contains("Beranda"));
    assert_eq!(
        text_of_id(&html, "jumlah-unit").as_deref(),
        Some(units.to_string().as_str())
    );
    assert_eq!(
        text_of_id(&html, "jumlah-pegawai").as_deref(),
        Some(employees.to_string().as_str())
    );
    assert!(html.contains("Kecamatan Medan Belawan"));
    // The hydration script is there for browsers with JavaScript.
    assert!(html.contains("/pkg/jejak.js"), "{html}");

    // The server-side filter (JavaScript off) hides what does not match.
    let html = client
        .get(app.url("/?q=belawan"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let shown = text_of_id(&html, "jumlah-cocok").unwrap();
    assert!(shown.starts_with("2 dari"), "{shown}");
    app.stop().await;
}

async fn form_post_without_javascript_creates_and_redirects(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = app.admin_client().await;
    let before = count_units(&app).await;
    let res = client
        .post(app.url("/fn/add_unit"))
        .header("Accept", "text/html,application/xhtml+xml")
        .header("Referer", app.url("/"))
        .form(&[("name", "  Kecamatan   Medan Labuhan "), ("parent_id", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    // leptos strips its error parameters and may leave a bare "?".
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(location.trim_end_matches('?'), app.url("/"));
    let saved: Vec<_> = unit::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.name.contains("Labuhan"))
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].name, "Kecamatan Medan Labuhan");
    assert_eq!(count_units(&app).await, before + 1);

    // A child under it, by id.
    let parent = saved[0].id.to_string();
    let res = client
        .post(app.url("/fn/add_unit"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/"))
        .form(&[
            ("name", "Seksi Pemerintahan"),
            ("parent_id", parent.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let html = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        text_of_id(&html, "jumlah-unit"),
        Some((before + 2).to_string())
    );
    assert!(html.contains("Seksi Pemerintahan"));
    app.stop().await;
}

async fn invalid_unit_is_rejected_with_a_precise_message_and_nothing_written(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = app.admin_client().await;
    let before = count_units(&app).await;
    let post = |name: &'static str, parent: &'static str| {
        client
            .post(app.url("/fn/add_unit"))
            .form(&[("name", name), ("parent_id", parent)])
            .send()
    };

    let res = post("   ", "").await.unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "invalid");
    assert_eq!(err["field"], "name");
    assert_eq!(err["message"]["id"], "Nama unit wajib diisi");
    assert_eq!(err["message"]["en"], "The unit name is required");

    let res = post("Seksi X", "999999").await.unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "parent_id");
    assert_eq!(
        err["message"]["id"],
        "Unit induk dengan id 999999 tidak ditemukan"
    );

    let res = post("Seksi X", "bukan-angka").await.unwrap();
    assert_eq!(res.status(), 422);

    assert_eq!(
        count_units(&app).await,
        before,
        "nothing may be written by rejected requests"
    );

    assert_eq!(post("Seksi X", "").await.unwrap().status(), 200);
    let res = post("seksi x", "").await.unwrap();
    assert_eq!(res.status(), 409);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "conflict");
    assert_eq!(count_units(&app).await, before + 1);

    // A request without the argument at all is malformed: 400, not a crash.
    let res = client
        .post(app.url("/fn/add_unit"))
        .form(&[("parent_id", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    // State changes are POST only.
    let res = client
        .get(app.url("/fn/add_unit?name=x"))
        .send()
        .await
        .unwrap();
    assert!(
        res.status() == 405 || res.status() == 404 || res.status() == 400,
        "{}",
        res.status()
    );
    assert_eq!(count_units(&app).await, before + 1);
    app.stop().await;
}

async fn invalid_input_without_javascript_comes_back_on_the_page(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = app.admin_client().await;
    let before = count_units(&app).await;
    let res = client
        .post(app.url("/fn/add_unit"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/"))
        .form(&[("name", " "), ("parent_id", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let html = client
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Nama unit wajib diisi"), "{html}");
    assert_eq!(count_units(&app).await, before);
    app.stop().await;
}

async fn unknown_pages_are_404_in_indonesian(backend: Backend) {
    let app = spawn_app(backend).await;
    let res = http_client()
        .get(app.url("/tidak-ada"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert!(res
        .text()
        .await
        .unwrap()
        .contains("Halaman tidak ditemukan"));
    app.stop().await;
}

async fn migrations_are_idempotent(backend: Backend) {
    use migrations::{Migrator, MigratorTrait};
    let app = spawn_app(backend).await;
    Migrator::up(app.db(), None)
        .await
        .expect("second run is a no-op");
    let applied = Migrator::get_applied_migrations(app.db()).await.unwrap();
    assert_eq!(applied.len(), Migrator::migrations().len());
    app.stop().await;
}

/// When PostgreSQL goes away, `/healthz` says so with 503 instead of hanging,
/// and server functions answer 503 with the Indonesian message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_503_when_the_database_is_gone() {
    let app = spawn_app(Backend::Postgres).await;
    let client = app.admin_client().await;
    assert_eq!(
        client
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    app.pg.as_ref().unwrap().drop_now().await;

    // A hang shows up as a failed request (generous client timeout), not as a
    // speed assertion: these machines are shared and noisy.
    let res = client
        .get(app.url("/healthz"))
        .timeout(std::time::Duration::from_secs(60))
        .send()
        .await
        .expect("/healthz answers instead of hanging");
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "unavailable");
    let text = body.to_string();
    for secret in ["error", "postgres", "version", "does not exist"] {
        assert!(
            !text.contains(secret),
            "/healthz told a stranger {secret:?}: {text}"
        );
    }

    let res = client.post(app.url("/fn/overview")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "unavailable");
    app.stop().await;
}

/// The client's files are served by the static file service with cache headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_assets_are_served() {
    jejak_tests::require_site();
    let app = spawn_app(Backend::Sqlite).await;
    let client = http_client();
    let res = client.get(app.url("/pkg/jejak.css")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(res.headers().contains_key("cache-control"));
    assert!(res.text().await.unwrap().contains(".unit-tree"));
    let res = client.get(app.url("/pkg/jejak.wasm")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/wasm");
    let on_disk = std::fs::metadata(jejak_tests::site_root().join("pkg/jejak.wasm"))
        .unwrap()
        .len();
    // Read the whole body: an unread response keeps the connection (and shutdown) waiting.
    assert_eq!(res.bytes().await.unwrap().len() as u64, on_disk);
    assert_eq!(
        client
            .get(app.url("/pkg/nope.js"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    app.stop().await;
}

/// Without JavaScript a refused form comes back with what was typed (never
/// a password), once: the values ride a short-lived cookie to the next page
/// view, which clears it.
async fn a_refused_form_keeps_what_was_typed_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let client = http_client();
    let res = client
        .post(app.url("/fn/sign_in"))
        .header("Accept", "text/html")
        .header("Referer", app.url("/masuk"))
        .form(&[
            ("login", "siti.aminah@medan.example"),
            ("password", "salah-sekali"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let echo = cookies
        .iter()
        .find(|c| c.starts_with("jejak_isian="))
        .unwrap_or_else(|| panic!("no echo cookie in {cookies:?}"));
    assert!(
        echo.contains("HttpOnly") && echo.contains("Max-Age=120"),
        "{echo}"
    );
    let page = client.get(&location).send().await.unwrap();
    let cleared = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("jejak_isian=;"));
    assert!(cleared, "the echo is used once");
    let html = page.text().await.unwrap();
    assert!(
        html.contains(r#"value="siti.aminah@medan.example""#),
        "the login is put back"
    );
    assert!(
        !html.contains("salah-sekali"),
        "the password is never put back"
    );
    // The next view of the page is empty again.
    let again = client
        .get(app.url("/masuk"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains("siti.aminah@medan.example"));
    app.stop().await;
}

on_both_backends!(a_refused_form_keeps_what_was_typed_once);
