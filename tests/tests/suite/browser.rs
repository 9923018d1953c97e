//! Jejak in a real headless Chromium, with JavaScript off (pure server
//! rendering; forms post and redirect) and on (hydrated interaction):
//! signing in and out as every demo role, what each role's menu offers, an
//! employee guessing another employee's page, a forged cross-site form post,
//! and the home page's filter and form.

use std::time::Duration;

use fantoccini::Locator;
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn login<'a>(logins: &'a [DemoLogin], role: &str) -> &'a DemoLogin {
    logins.iter().find(|l| l.role == role).unwrap()
}

/// Every demo role signs in (by NIP, or by email for the manager), sees
/// what the role allows and nothing else, and signs out; afterwards the home
/// page sends them back to sign in.
async fn every_role_signs_in_and_out(b: &Browser, app: &TestApp, logins: &[DemoLogin]) {
    for (role, roles_shown, admin_link) in [
        ("admin", "Admin,Pegawai", true),
        ("manager", "Manajer,Pegawai", false),
        ("trainer", "Pelatih,Pegawai", false),
        ("employee", "Pegawai", false),
    ] {
        let l = login(logins, role);
        let by = if role == "manager" {
            l.email.clone().unwrap()
        } else {
            l.nip.clone()
        };
        b.sign_in(&app.base, &by, DEMO_PASSWORD).await;
        assert_eq!(
            b.attr("#nama-pengguna", "data-roles").await.as_deref(),
            Some(roles_shown)
        );
        assert!(b.text("#nama-pengguna").await.contains(&l.name));
        assert_eq!(
            b.client.find(Locator::Id("nav-akun")).await.is_ok(),
            admin_link,
            "{role}: the accounts link only for administrators"
        );
        // Their own profile page.
        b.client
            .find(Locator::Id("nav-profil"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        b.wait_for("own page", || async {
            b.try_text("#nama-pegawai").await.as_deref() == Some(l.name.as_str())
        })
        .await;
        b.sign_out().await;
        b.goto(&app.url("/")).await;
        b.wait_for("home sends the signed-out to sign in", || async {
            b.client.find(Locator::Id("form-masuk")).await.is_ok()
        })
        .await;
    }
    // A wrong password: the Indonesian message, still signed out.
    b.goto(&app.url("/masuk")).await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let form = b.client.form(Locator::Id("form-masuk")).await.unwrap();
    form.set_by_name("login", &login(logins, "employee").nip)
        .await
        .unwrap();
    form.set_by_name("password", "bukan-kata-sandinya")
        .await
        .unwrap();
    b.client
        .find(Locator::Css("#form-masuk button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("wrong password message", || async {
        b.client
            .source()
            .await
            .map(|s| s.contains("NIP/email atau kata sandi salah"))
            .unwrap_or(false)
    })
    .await;
    assert!(b.try_text("#nama-pengguna").await.is_none());
    // What was typed is still there (without JavaScript: put back by the
    // server), except the password.
    let value = |id: &'static str| async move {
        b.client
            .find(Locator::Id(id))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    };
    assert_eq!(value("login").await, login(logins, "employee").nip);
    if !b.javascript {
        // With JavaScript the form never left the page; without, the server
        // rebuilt it and never puts a password back.
        assert_eq!(value("password").await, "", "a password is never put back");
    }
}

/// The employee opens their own page, then guesses a colleague's id: the
/// answer is the same "not found" as for an id that does not exist.
async fn an_employee_cannot_open_another_employees_page(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let me = login(logins, "employee");
    let other = login(logins, "trainer");
    b.sign_in(&app.base, &me.nip, DEMO_PASSWORD).await;
    b.goto(&app.url(&format!("/pegawai/{}", me.employee_id)))
        .await;
    assert_eq!(b.text("#nama-pegawai").await, me.name);
    assert!(b.text("#penugasan").await.contains("JP"));

    for id in [other.employee_id, 987_654_321] {
        b.goto(&app.url(&format!("/pegawai/{id}"))).await;
        b.wait_for("not found", || async {
            b.try_text("h1").await.as_deref() == Some("Tidak ditemukan")
        })
        .await;
        let source = b.client.source().await.unwrap();
        assert!(
            !source.contains(&other.name),
            "nothing about the other person leaks"
        );
    }
    b.sign_out().await;
}

/// The employee opens "Penugasan saya", sees the plan, and reports the first
/// open assignment as completed; the card then says it waits for a trainer.
async fn the_employee_reports_a_completion(b: &Browser, app: &TestApp, logins: &[DemoLogin]) {
    let tag = if b.javascript { "js" } else { "nojs" };
    b.sign_in(&app.base, &login(logins, "employee").nip, DEMO_PASSWORD)
        .await;
    b.client
        .find(Locator::Id("nav-saya"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("Penugasan saya", || async {
        b.try_text("h1").await.as_deref() == Some("Penugasan saya")
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert!(b
        .client
        .find(Locator::Css("section.plan progress"))
        .await
        .is_ok());
    assert!(b.text("#jp-ringkas").await.contains("JP dari target 20 JP"));
    shot(b, &format!("employee-saya-{tag}")).await;

    let form = b
        .client
        .find(Locator::Css("details.report form"))
        .await
        .expect("an open assignment to report");
    let form_id = form.attr("id").await.unwrap().unwrap();
    let assignment_id: i64 = form_id.trim_start_matches("lapor-").parse().unwrap();
    b.client
        .find(Locator::Css(&format!(
            "li[data-assignment-id='{assignment_id}'] summary"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // First a date in the future: refused next to the field, and what was
    // typed stays (without JavaScript the server puts it back).
    let today = app.state.now_local().date_naive();
    let f = b.client.form(Locator::Id(&form_id)).await.unwrap();
    f.set_by_name("completed_on", &(today + chrono::Days::new(3)).to_string())
        .await
        .unwrap();
    f.set_by_name("certificate_no", "SERT/2026/0777")
        .await
        .unwrap();
    b.click(&format!("#{form_id} button[type=submit]")).await;
    let field_error = format!("#{form_id} .field-error");
    b.wait_for("the date refused next to its field", || async {
        b.try_text(&field_error)
            .await
            .is_some_and(|t| t.contains("tidak boleh di masa depan"))
    })
    .await;
    let kept = b
        .client
        .find(Locator::Css(&format!(
            "#{form_id} input[name=certificate_no]"
        )))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("SERT/2026/0777"),
        "the certificate number is kept"
    );
    shot(b, &format!("employee-report-refused-{tag}")).await;

    let yesterday = today - chrono::Days::new(1);
    let f = b.client.form(Locator::Id(&form_id)).await.unwrap();
    f.set_by_name("completed_on", &yesterday.to_string())
        .await
        .unwrap();
    shot(b, &format!("employee-report-form-{tag}")).await;
    b.client
        .find(Locator::Css(&format!("#{form_id} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let badge = format!("li[data-assignment-id='{assignment_id}'] .badge");
    b.wait_for("the card waits for verification", || async {
        b.try_text(&badge).await.as_deref() == Some("Menunggu verifikasi")
    })
    .await;
    shot(b, &format!("employee-reported-{tag}")).await;
    b.sign_out().await;
}

/// The trainer opens the desk, ticks two participants on the attendance
/// sheet and saves once; both leave the list of open work.
async fn the_trainer_completes_an_attendance_sheet(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let tag = if b.javascript { "js" } else { "nojs" };
    b.sign_in(&app.base, &login(logins, "trainer").nip, DEMO_PASSWORD)
        .await;
    b.client
        .find(Locator::Id("nav-pelatih"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("the desk", || async {
        b.client.find(Locator::Id("form-hadir")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    shot(b, &format!("trainer-desk-{tag}")).await;
    let boxes = b
        .client
        .find_all(Locator::Css("#peserta input[type=checkbox]"))
        .await
        .unwrap();
    assert!(boxes.len() >= 2, "open participants to tick");
    let mut ticked = Vec::new();
    for cb in boxes.iter().take(2) {
        ticked.push(cb.attr("value").await.unwrap().unwrap());
        cb.click().await.unwrap();
    }
    shot(b, &format!("trainer-ticked-{tag}")).await;
    b.client
        .find(Locator::Css("#form-hadir button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for id in &ticked {
        let row = format!("#peserta tr[data-assignment-id='{id}']");
        b.wait_for("the ticked row leaves the open list", || async {
            b.client.find(Locator::Css(&row)).await.is_err()
        })
        .await;
    }
    shot(b, &format!("trainer-saved-{tag}")).await;
    for id in ticked {
        use sea_orm::EntityTrait;
        let a = app::backend::entities::assignment::Entity::find_by_id(id.parse::<i64>().unwrap())
            .one(app.db())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.state, "completed", "saved, not just hidden");
    }
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_trainer_completes_an_attendance_sheet() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_trainer_completes_an_attendance_sheet(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_trainer_completes_an_attendance_sheet() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_trainer_completes_an_attendance_sheet(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// The manager opens the adaptation dashboard, opens the newcomer's page,
/// writes the next check-in, and downloads the CSV (with the browser's own
/// session cookie).
async fn the_manager_writes_a_check_in_and_exports(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let tag = if b.javascript { "js" } else { "nojs" };
    let newcomer = login(logins, "employee");
    b.sign_in(&app.base, &login(logins, "manager").nip, DEMO_PASSWORD)
        .await;
    b.client
        .find(Locator::Id("nav-manajer"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("the dashboard", || async {
        b.client.find(Locator::Id("pegawai-baru")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert!(b.client.find(Locator::Css("svg.chart")).await.is_ok());
    shot(b, &format!("manager-dashboard-{tag}")).await;

    // The CSV, fetched as the browser would, with its session.
    let href = b
        .client
        .find(Locator::Id("unduh-csv"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let cookie = b.client.get_named_cookie("jejak_sesi").await.unwrap();
    let csv = jejak_tests::http_client()
        .get(app.url(&href))
        .header("Cookie", format!("jejak_sesi={}", cookie.value()))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("NIP,Nama,Unit"), "{text}");
    assert!(text.contains(&newcomer.nip));

    b.client
        .find(Locator::Css(&format!(
            "tr[data-employee-id='{}'] a",
            newcomer.employee_id
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for("the person's check-ins", || async {
        b.client.find(Locator::Css("#checkin form")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let form = b.client.find(Locator::Css("#checkin form")).await.unwrap();
    let form_id = form.attr("id").await.unwrap().unwrap();
    let checkin_id = form_id.trim_start_matches("form-checkin-").to_string();
    let f = b.client.form(Locator::Id(&form_id)).await.unwrap();
    f.set_by_name("rating", "baik").await.unwrap();
    f.set_by_name("notes", "Mulai mandiri menyusun SPP.")
        .await
        .unwrap();
    b.client
        .find(Locator::Css(&format!("#{form_id} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let badge = format!("li[data-checkin-id='{checkin_id}'] .badge");
    b.wait_for("the check-in is saved", || async {
        b.try_text(&badge).await.as_deref() == Some("Baik")
    })
    .await;
    shot(b, &format!("manager-checkin-{tag}")).await;
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_manager_writes_a_check_in_and_exports() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_manager_writes_a_check_in_and_exports(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_manager_writes_a_check_in_and_exports() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_manager_writes_a_check_in_and_exports(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// On a 360-pixel-wide phone every page of every role fits the screen (no
/// sideways scrolling of the page; wide tables scroll inside themselves),
/// has a meaningful title and one main heading, and every form control has
/// a label (as the browser itself associates them: `<label for>`, a
/// wrapping label, or aria-label).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_has_a_title() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    b.client.set_window_size(360, 780).await.unwrap();
    for (role, pages) in [
        ("employee", vec!["/", "/saya", "/sandi"]),
        ("trainer", vec!["/pelatih"]),
        ("manager", vec!["/manajer"]),
        (
            "admin",
            vec![
                "/admin/akun",
                "/admin/mutasi",
                "/admin/pelatihan",
                "/admin/aturan",
                "/admin/organisasi",
                "/admin/organisasi?bagian=jabatan",
                "/admin/organisasi?bagian=pegawai",
            ],
        ),
    ] {
        let l = login(&logins, role);
        b.sign_in(&app.base, &l.nip, DEMO_PASSWORD).await;
        let mut all = pages.clone();
        all.push(Box::leak(
            format!("/pegawai/{}", l.employee_id).into_boxed_str(),
        ));
        for path in all {
            b.goto(&app.url(path)).await;
            b.wait_hydrated().await;
            let name = format!(
                "phone-{role}-{}",
                path.trim_matches('/').replace(['/', '?', '='], "-")
            );
            shot(&b, &name).await;
            assert!(
                b.fits_width().await,
                "{path} as {role} scrolls sideways at 360 px"
            );
            let title = b.client.title().await.unwrap();
            assert!(
                title.ends_with(" · Jejak") && title.len() > " · Jejak".len(),
                "{path}: title {title:?}"
            );
            assert_eq!(
                b.client
                    .find_all(Locator::Css("main h1"))
                    .await
                    .unwrap()
                    .len(),
                1,
                "{path}: one h1"
            );
            assert_eq!(
                b.unlabelled_controls().await,
                Vec::<String>::new(),
                "{path} as {role}: form controls without a label"
            );
        }
        b.sign_out().await;
    }
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_employee_reports_a_completion() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_employee_reports_a_completion(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_employee_reports_a_completion() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_employee_reports_a_completion(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_people_sign_in_and_see_only_what_their_role_allows() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    every_role_signs_in_and_out(&b, &app, &logins).await;
    // Give a (wrongly) running client time to hydrate; it must not.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    an_employee_cannot_open_another_employees_page(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_people_sign_in_and_see_only_what_their_role_allows() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    every_role_signs_in_and_out(&b, &app, &logins).await;
    an_employee_cannot_open_another_employees_page(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
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
async fn without_javascript_the_home_page_reads_filters_and_posts() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    b.sign_in(&app.base, &login(&logins, "admin").nip, DEMO_PASSWORD)
        .await;
    b.goto(&app.url("/")).await;

    assert_eq!(b.attr("html", "lang").await.as_deref(), Some("id"));
    assert_eq!(b.text("#jumlah-unit").await, "14");
    assert_eq!(b.text("#jumlah-pegawai").await, "200");

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
async fn with_javascript_the_home_page_hydrates_and_filters_as_you_type() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    b.sign_in(&app.base, &login(&logins, "admin").nip, DEMO_PASSWORD)
        .await;
    b.goto(&app.url("/")).await;
    b.wait_hydrated().await;

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

/// Serves one page, forever, on a free port of 127.0.0.1: another origin
/// (same host, other port), as an attacker's site would be.
async fn serve_attacker_page(html: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let html = html.clone();
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{}",
                    html.len(),
                    html
                );
                let _ = sock.write_all(reply.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/")
}

/// A signed-in administrator visits another site whose page posts a form to
/// Jejak by itself. The browser sends the session cookie (same host, so
/// SameSite=Lax does not stop it), but Jejak sees the foreign Origin and
/// refuses: 403, and no unit is created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forged_cross_site_post_is_rejected() {
    use app::backend::entities::unit;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    b.sign_in(&app.base, &login(&logins, "admin").nip, DEMO_PASSWORD)
        .await;
    let evil = serve_attacker_page(format!(
        r#"<!doctype html><html><body>
        <form id="f" method="post" action="{}">
          <input name="name" value="Unit Palsu"><input name="parent_id" value="">
        </form>
        <script>document.getElementById('f').submit();</script>
        </body></html>"#,
        app.url("/fn/add_unit")
    ))
    .await;
    b.goto(&evil).await;
    b.wait_for("Jejak's refusal", || async {
        b.client
            .source()
            .await
            .map(|s| s.contains("Permintaan lintas situs ditolak"))
            .unwrap_or(false)
    })
    .await;
    let forged = unit::Entity::find()
        .filter(unit::Column::Name.eq("Unit Palsu"))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(forged, 0, "the forged post wrote nothing");
    b.close().await;
    app.stop().await;
}

/// A screenshot under this test target's temporary directory.
async fn shot(b: &Browser, name: &str) {
    b.screenshot(env!("CARGO_TARGET_TMPDIR"), name).await;
}
