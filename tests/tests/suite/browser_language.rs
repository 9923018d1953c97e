//! The language switch in a real headless Chromium, with JavaScript off and
//! on: the employee switches to English from the menu, the same page comes
//! back in English, the choice survives signing out and in again (it is
//! stored with the person), and switching back restores Indonesian.

use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{browser::Browser, demo_app, Backend};

async fn switches_language_and_remembers_it(javascript: bool) {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let emp = logins.iter().find(|l| l.role == "employee").unwrap();
    let b = Browser::start(javascript).await;
    b.sign_in(&app.base, &emp.nip, DEMO_PASSWORD).await;
    b.goto(&app.url("/saya")).await;
    if javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(b.attr("html", "lang").await.as_deref(), Some("id"));
    assert_eq!(b.text("#nav-saya").await, "Penugasan saya");
    assert_eq!(b.text("#ganti-bahasa").await, "English");

    b.click("#ganti-bahasa").await;
    b.wait_for("the page in English", || async {
        b.try_attr("html", "lang").await.as_deref() == Some("en")
    })
    .await;
    b.wait_for("the menu in English", || async {
        b.try_text("#nav-saya").await.as_deref() == Some("My assignments")
    })
    .await;
    assert!(
        b.client
            .current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/saya"),
        "back on the same page"
    );
    if javascript {
        b.wait_hydrated().await;
    }
    let tag = if javascript { "js" } else { "nojs" };
    b.screenshot(
        env!("CARGO_TARGET_TMPDIR"),
        &format!("bahasa-en-saya-{tag}"),
    )
    .await;

    // Remembered with the person, not only in this browser.
    b.sign_out().await;
    b.client.delete_all_cookies().await.unwrap();
    b.sign_in(&app.base, &emp.nip, DEMO_PASSWORD).await;
    b.wait_for("English right after signing in", || async {
        b.try_attr("html", "lang").await.as_deref() == Some("en")
    })
    .await;
    assert_eq!(b.text("#ganti-bahasa").await, "Bahasa Indonesia");

    b.click("#ganti-bahasa").await;
    b.wait_for("the page in Indonesian again", || async {
        b.try_attr("html", "lang").await.as_deref() == Some("id")
    })
    .await;
    b.wait_for("the menu in Indonesian", || async {
        b.try_text("#keluar").await.as_deref() == Some("Keluar")
    })
    .await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_language_switch_works_and_is_remembered() {
    switches_language_and_remembers_it(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_language_switch_works_and_is_remembered() {
    switches_language_and_remembers_it(true).await;
}
