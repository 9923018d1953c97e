//! Indonesian first, English on request, over HTTP on SQLite and PostgreSQL:
//! which language a page speaks (the person's choice, else the cookie, else
//! the default; never the browser's Accept-Language), that the choice is
//! stored with the person and follows them to a new device, that an unknown
//! language is refused without writing anything, and that every page has
//! its title and heading in both languages.

use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{demo_app, http_client, on_both_backends, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use app::backend::entities::employee;

fn login<'a>(logins: &'a [DemoLogin], role: &str) -> &'a DemoLogin {
    logins.iter().find(|l| l.role == role).unwrap()
}

/// `<html lang="…">` of a page.
fn html_lang(html: &str) -> String {
    let start = html.find("<html").expect("an <html> tag");
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let at = tag.find("lang=\"").expect("a lang attribute") + 6;
    tag[at..at + tag[at..].find('"').unwrap()].to_string()
}

/// The text of the first `<tag>` (markers and inner tags removed).
fn first(html: &str, tag: &str) -> String {
    let open = html
        .find(&format!("<{tag}>"))
        .or_else(|| html.find(&format!("<{tag} ")))
        .unwrap_or_else(|| panic!("no <{tag}> in the page"));
    let body = &html[open + html[open..].find('>').unwrap() + 1..];
    let inner = &body[..body.find(&format!("</{tag}>")).unwrap()];
    let mut text = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let res = client
        .get(app.url(path))
        .header("Accept-Language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "GET {path}");
    res.text().await.unwrap()
}

async fn choose(
    client: &reqwest::Client,
    app: &TestApp,
    lang: &str,
    from: &str,
) -> reqwest::Response {
    client
        .post(app.url("/fn/set_language"))
        .header("Accept", "text/html")
        .header("Referer", app.url(from))
        .form(&[("lang", lang)])
        .send()
        .await
        .unwrap()
}

async fn stored_language(app: &TestApp, nip: &str) -> String {
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .language
}

async fn the_person_s_choice_follows_them(backend: Backend) {
    let (app, logins) = demo_app(backend).await;
    // Anonymous, with an English browser: still Indonesian.
    let anon = http_client();
    let page = get(&anon, &app, "/masuk").await;
    assert_eq!(html_lang(&page), "id");
    assert_eq!(first(&page, "h1"), "Masuk ke Jejak");

    // Choosing English without signing in: a cookie, and back to the page.
    let res = choose(&anon, &app, "en", "/masuk").await;
    assert_eq!(res.status(), 302);
    // (Leptos strips earlier error details from the address, leaving a bare "?".)
    let back = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_end_matches('?');
    assert_eq!(back, app.url("/masuk"));
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("jejak_bahasa=en;"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    let page = get(&anon, &app, "/masuk").await;
    assert_eq!(html_lang(&page), "en");
    assert_eq!(first(&page, "h1"), "Sign in to Jejak");
    assert_eq!(first(&page, "title"), "Sign in · Jejak");

    // An employee whose stored choice is Indonesian signs in on that same
    // browser: the person's choice beats the cookie.
    let emp = login(&logins, "employee");
    assert_eq!(stored_language(&app, &emp.nip).await, "id");
    let client = app.sign_in(&emp.nip, DEMO_PASSWORD).await;
    let page = get(&client, &app, "/saya").await;
    assert_eq!(html_lang(&page), "id");

    // They switch to English: stored with them.
    let res = choose(&client, &app, "en", "/saya").await;
    assert_eq!(res.status(), 302);
    assert_eq!(stored_language(&app, &emp.nip).await, "en");
    let page = get(&client, &app, "/saya").await;
    assert_eq!(html_lang(&page), "en");
    assert!(page.contains(">My assignments<"), "the menu in English");

    // A new device, no cookie: English as soon as they sign in.
    let other_device = app.sign_in(&emp.nip, DEMO_PASSWORD).await;
    let page = get(&other_device, &app, "/saya").await;
    assert_eq!(html_lang(&page), "en");

    // Someone else is not affected.
    let trainer = login(&logins, "trainer");
    assert_eq!(stored_language(&app, &trainer.nip).await, "id");
    app.stop().await;
}

async fn an_unknown_language_is_refused_and_nothing_changes(backend: Backend) {
    let (app, logins) = demo_app(backend).await;
    let emp = login(&logins, "employee");
    let client = app.sign_in(&emp.nip, DEMO_PASSWORD).await;
    let res = client
        .post(app.url("/fn/set_language"))
        .form(&[("lang", "jv")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.headers().get("set-cookie").is_none());
    let body = res.text().await.unwrap();
    assert!(body.contains("Bahasa tidak dikenal"), "{body}");
    assert!(body.contains("Unknown language"), "{body}");
    assert_eq!(stored_language(&app, &emp.nip).await, "id");
    app.stop().await;
}

/// Every page an administrator can open, in both languages: `<html lang>`
/// follows the choice, and the title and the first heading differ (a page
/// whose words were left out of the translation files would not).
async fn every_page_speaks_both_languages(backend: Backend) {
    let (app, logins) = demo_app(backend).await;
    let admin = login(&logins, "admin");
    let client = app.sign_in(&admin.nip, DEMO_PASSWORD).await;
    let employee_id = employee::Entity::find()
        .filter(employee::Column::Nip.eq(login(&logins, "employee").nip.as_str()))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let person = format!("/pegawai/{employee_id}");
    let pages = [
        "/",
        "/saya",
        "/pelatih",
        "/manajer",
        person.as_str(),
        "/sandi",
        "/admin/mutasi",
        "/admin/pelatihan",
        "/admin/aturan",
        "/admin/organisasi",
        "/admin/akun",
    ];
    let mut seen = Vec::new();
    let mut csv_headers = Vec::new();
    for lang in ["id", "en"] {
        assert_eq!(choose(&client, &app, lang, "/").await.status(), 302);
        let csv = get(&client, &app, "/manajer/laporan.csv").await;
        csv_headers.push(csv.lines().next().unwrap_or_default().to_string());
        for path in pages {
            let html = get(&client, &app, path).await;
            assert_eq!(html_lang(&html), lang, "{path}");
            // A person's page is titled with their name: its first section
            // heading is what must change.
            let heading = if path == person {
                first(&html, "h2")
            } else {
                first(&html, "h1")
            };
            seen.push((lang, path, first(&html, "title"), heading));
        }
    }
    assert_ne!(
        csv_headers[0], csv_headers[1],
        "the CSV's column names follow the language"
    );
    let (id, en) = seen.split_at(pages.len());
    for ((_, path, id_title, id_h1), (_, _, en_title, en_h1)) in id.iter().zip(en) {
        if *path != person {
            assert_ne!(id_title, en_title, "{path}: the title is not translated");
        }
        assert_ne!(id_h1, en_h1, "{path}: the heading is not translated");
    }
    app.stop().await;
}

on_both_backends!(
    the_person_s_choice_follows_them,
    an_unknown_language_is_refused_and_nothing_changes,
    every_page_speaks_both_languages,
);
