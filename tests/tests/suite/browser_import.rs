//! The import pages in a real headless Chromium on a 360-pixel-wide phone,
//! with JavaScript off (the upload and the confirmation post, the server
//! sends the browser back) and on (hydrated; the answer to the confirmation
//! appears in place). The administrator opens "Impor" from the menu,
//! uploads a `;`-separated decree list written by the test (one good row
//! moving a demo employee to a real unit and position, one with the
//! impossible date 31-02-2026), sees the preview with the error naming the
//! line and the column, is refused when confirming the whole file, then
//! imports only the valid row. The database then holds exactly one
//! transfer with that SK (completed, with its plan) and nothing from the
//! rejected row; the upload is listed as imported with its counts.

use std::collections::HashMap;

use fantoccini::Locator;
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use app::backend::entities::{employee, import_upload, plan, position, transfer, unit};

/// Who moves where, read from the demo organisation.
struct Move {
    mover: employee::Model,
    /// Someone else, named on the rejected row.
    other: employee::Model,
    unit: String,
    position: String,
}

/// Names that occur once (the import finds units and positions by name).
fn unique<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let names: Vec<&str> = names.collect();
    for n in &names {
        *seen.entry(n.to_lowercase()).or_default() += 1;
    }
    names
        .into_iter()
        .filter(|n| seen[&n.to_lowercase()] == 1)
        .map(str::to_string)
        .collect()
}

async fn a_move(app: &TestApp, logins: &[DemoLogin]) -> Move {
    let open: Vec<i64> = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.employee_id)
        .collect();
    let demo: Vec<i64> = logins.iter().map(|l| l.employee_id).collect();
    let free: Vec<employee::Model> = employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| !open.contains(&e.id) && !demo.contains(&e.id) && e.position_id.is_some())
        .collect();
    assert!(
        free.len() >= 2,
        "two demo employees without an open transfer"
    );
    let mover = free[0].clone();
    let other = free[1].clone();
    let units = unit::Entity::find().all(app.db()).await.unwrap();
    let current_unit = units
        .iter()
        .find(|u| u.id == mover.unit_id)
        .map(|u| u.name.to_lowercase());
    let unit = unique(units.iter().map(|u| u.name.as_str()))
        .into_iter()
        .find(|n| Some(n.to_lowercase()) != current_unit)
        .expect("a unit with a name of its own");
    let positions = position::Entity::find().all(app.db()).await.unwrap();
    let position = unique(positions.iter().map(|p| p.name.as_str()))
        .into_iter()
        .next()
        .expect("a position with a name of its own");
    Move {
        mover,
        other,
        unit,
        position,
    }
}

/// The decree list, `;`-separated with `\r\n` line ends, as a spreadsheet
/// in the Indonesian locale saves it.
fn decree_list(m: &Move, sk: &str, rejected_sk: &str, today: chrono::NaiveDate) -> String {
    let d = |n: u64| {
        (today - chrono::Days::new(n))
            .format("%d-%m-%Y")
            .to_string()
    };
    format!(
        "nipBaru;nama;nomorSk;tanggalSk;tmtJabatan;unorNama;jabatanNama\r\n\
         {};{};{sk};{};{};{};{}\r\n\
         {};{};{rejected_sk};31-02-2026;{};{};{}\r\n",
        m.mover.nip,
        m.mover.name,
        d(7),
        d(0),
        m.unit,
        m.position,
        m.other.nip,
        m.other.name,
        d(0),
        m.unit,
        m.position,
    )
}

async fn fits_a_phone(b: &Browser, when: &str) {
    assert!(b.fits_width().await, "{when}: scrolls sideways at 360 px");
    assert_eq!(
        b.unlabelled_controls().await,
        Vec::<String>::new(),
        "{when}: unlabelled controls"
    );
}

async fn data_n(b: &Browser, css: &str) -> Option<String> {
    b.attr(css, "data-n").await
}

async fn transfers_with_sk(app: &TestApp, sk: &str) -> Vec<transfer::Model> {
    transfer::Entity::find()
        .filter(transfer::Column::SkNumber.eq(sk))
        .all(app.db())
        .await
        .unwrap()
}

async fn the_administrator_imports_the_valid_row(b: &Browser, app: &TestApp, logins: &[DemoLogin]) {
    let tag = if b.javascript { "js" } else { "nojs" };
    let today = app.state.now_local().date_naive();
    let m = a_move(app, logins).await;
    let sk = format!("821.2/77/BKPSDM/{tag}");
    let rejected_sk = format!("821.2/78/BKPSDM/{tag}");
    let other_before = transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(m.other.id))
        .count(app.db())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mutasi-uji.csv");
    std::fs::write(&path, decree_list(&m, &sk, &rejected_sk, today)).unwrap();

    b.client.set_window_size(360, 780).await.unwrap();
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;

    // "Impor" from the menu: the form, the limits, each kind's columns and template.
    b.click("#nav-impor").await;
    b.wait_for("the import page", || async {
        b.client.find(Locator::Id("form-unggah")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(
        b.attr("#form-unggah", "enctype").await.as_deref(),
        Some("multipart/form-data")
    );
    assert!(b.text("#batas-unggah").await.contains("KB"));
    assert_eq!(
        b.attr("#templat-mutasi", "href").await.as_deref(),
        Some("/admin/impor/templat/mutasi.csv")
    );
    assert_eq!(
        b.attr("#kolom-mutasi tr[data-column='tanggalSk']", "data-required")
            .await
            .as_deref(),
        Some("true")
    );
    assert!(b.text("#daftar-unggahan").await.contains("Belum ada"));
    shot(b, &format!("admin-impor-{tag}")).await;
    fits_a_phone(b, "the import page").await;

    // Upload the decree list.
    b.click("#jenis-mutasi").await;
    b.client
        .find(Locator::Id("berkas"))
        .await
        .unwrap()
        .send_keys(&path.display().to_string())
        .await
        .unwrap();
    b.click("#unggah-berkas").await;
    b.wait_for("the preview", || async {
        b.client.find(Locator::Id("jumlah-impor")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    let upload = import_upload::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .expect("the upload is stored");
    assert!(b
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&format!("/admin/impor/{}", upload.id)));
    assert_eq!(upload.status, "previewed");
    assert!(b
        .text("#ringkasan-impor h2")
        .await
        .contains("mutasi-uji.csv"));
    assert_eq!(data_n(b, "#jumlah-baris").await.as_deref(), Some("2"));
    assert_eq!(data_n(b, "#jumlah-baru").await.as_deref(), Some("1"));
    assert_eq!(data_n(b, "#jumlah-ditolak").await.as_deref(), Some("1"));
    assert_eq!(data_n(b, "#rencana-dibuat").await.as_deref(), Some("1"));
    let good = "#daftar-baris tbody[data-line='2']";
    let bad = "#daftar-baris tbody[data-line='3']";
    assert_eq!(
        b.attr(good, "data-action").await.as_deref(),
        Some("create"),
        "{}",
        b.text("#daftar-baris").await,
    );
    assert_eq!(
        b.attr(bad, "data-action").await.as_deref(),
        Some("rejected")
    );
    assert!(b.text(&format!("{good} .summary")).await.contains(&m.unit));
    assert_eq!(b.text(&format!("{bad} .tag")).await, "Ditolak");
    let finding = b
        .text(&format!("{bad} li.issue[data-column='tanggalSk']"))
        .await;
    assert!(
        finding.contains("baris 3, kolom tanggalSk (\"31-02-2026\")"),
        "{finding}"
    );
    // Errors say so in words, not only in colour.
    assert!(finding.to_uppercase().starts_with("GALAT"), "{finding}");
    assert_eq!(
        b.attr("#konfirmasi-impor", "data-n").await.as_deref(),
        Some("1")
    );
    assert!(b
        .text("#konfirmasi")
        .await
        .contains("Impor hanya baris yang sah (1 baris ditolak dilewati)"));
    shot(b, &format!("admin-impor-pratinjau-{tag}")).await;
    show(b, "#konfirmasi").await;
    shot(b, &format!("admin-impor-baris-{tag}")).await;
    fits_a_phone(b, "the preview").await;

    // The whole file: refused, nothing written.
    b.click("#konfirmasi-impor").await;
    b.wait_for("the refusal", || async {
        b.try_text("#impor-ditolak")
            .await
            .is_some_and(|t| t.contains("1 baris berisi kesalahan"))
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert!(
        transfers_with_sk(app, &sk).await.is_empty(),
        "nothing saved"
    );
    show(b, "#konfirmasi").await;
    shot(b, &format!("admin-impor-ditolak-{tag}")).await;

    // Only the valid rows.
    b.click("#hanya-sah").await;
    b.click("#konfirmasi-impor").await;
    b.wait_for("the import's result", || async {
        b.try_attr("#impor-selesai", "data-created")
            .await
            .as_deref()
            == Some("1")
    })
    .await;
    let done = b.text("#impor-selesai").await;
    assert!(done.starts_with("Impor selesai"), "{done}");
    assert!(done.contains("dibuat 1"), "{done}");
    assert!(done.contains("dilewati 1"), "{done}");
    if !b.javascript {
        let url = b.client.current_url().await.unwrap();
        assert_eq!(url.query(), Some("diimpor=1"), "{url}");
    }
    assert_eq!(b.text("#status-unggahan").await, "Sudah diimpor");
    assert!(
        b.client.find(Locator::Id("form-konfirmasi")).await.is_err(),
        "no second confirmation"
    );
    show(b, "#impor-selesai").await;
    shot(b, &format!("admin-impor-selesai-{tag}")).await;
    fits_a_phone(b, "the result").await;

    // In the database: exactly the valid row, completed with its plan.
    let saved = transfers_with_sk(app, &sk).await;
    assert_eq!(saved.len(), 1, "one transfer with {sk}");
    let t = &saved[0];
    assert_eq!(t.employee_id, m.mover.id);
    assert_eq!(t.state, "completed");
    assert_eq!(t.tmt, today);
    let target_unit = unit::Entity::find_by_id(t.to_unit_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(target_unit.name, m.unit);
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::TransferId.eq(t.id))
            .count(app.db())
            .await
            .unwrap(),
        1,
        "its plan"
    );
    let moved = employee::Entity::find_by_id(m.mover.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.unit_id, t.to_unit_id, "the employee moved");
    assert!(transfers_with_sk(app, &rejected_sk).await.is_empty());
    assert_eq!(
        transfer::Entity::find()
            .filter(transfer::Column::EmployeeId.eq(m.other.id))
            .count(app.db())
            .await
            .unwrap(),
        other_before,
        "the rejected row wrote nothing"
    );
    let upload = import_upload::Entity::find_by_id(upload.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(upload.status, "applied");

    // Listed on the import page as imported, with what was written.
    b.click("#kembali-impor").await;
    let row = format!("#daftar-unggahan tr[data-upload-id='{}']", upload.id);
    b.wait_for("the upload in the list", || async {
        b.try_attr(&row, "data-status").await.as_deref() == Some("applied")
    })
    .await;
    assert_eq!(
        b.attr(&format!("{row} .applied"), "data-created")
            .await
            .as_deref(),
        Some("1")
    );
    assert!(b.text(&row).await.contains("Sudah diimpor"));
    fits_a_phone(b, "the list after the import").await;

    // A file that is not a decree list: refused as a whole, nothing to confirm.
    let wrong = dir.path().join("bukan-mutasi.csv");
    std::fs::write(&wrong, "nama;email\r\nSiti;siti@medan.example\r\n").unwrap();
    b.click("#jenis-mutasi").await;
    b.client
        .find(Locator::Id("berkas"))
        .await
        .unwrap()
        .send_keys(&wrong.display().to_string())
        .await
        .unwrap();
    b.click("#unggah-berkas").await;
    b.wait_for("the refused file", || async {
        b.client.find(Locator::Id("berkas-ditolak")).await.is_ok()
    })
    .await;
    assert!(b.client.find(Locator::Id("form-konfirmasi")).await.is_err());
    assert!(b.client.find(Locator::Id("daftar-baris")).await.is_err());
    let missing = b
        .text("#temuan-berkas li.issue[data-code='missing_column']")
        .await;
    assert!(missing.contains("nomorSk"), "{missing}");
    shot(b, &format!("admin-impor-berkas-ditolak-{tag}")).await;

    // A refused upload, as the server reports it (`?galat=`), in an error box.
    b.goto(&format!("{}/admin/impor?galat=besar", app.base))
        .await;
    b.wait_for("the upload's refusal", || async {
        b.try_text("#galat-unggah")
            .await
            .is_some_and(|t| t.contains("Berkas terlalu besar"))
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_administrator_imports_the_valid_rows() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    the_administrator_imports_the_valid_row(&b, &app, &logins).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_javascript_the_administrator_imports_the_valid_rows() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    the_administrator_imports_the_valid_row(&b, &app, &logins).await;
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

/// A long file (2,500 rows, every 25th NIP broken) over HTTP, as a browser
/// without JavaScript gets it: the preview page shows the 100 rows with
/// findings and the first 200 others, says how many it left out, and hands
/// the browser only those rows. (The trimming itself is unit-tested on
/// 10,000 rows in `app::pages::import`; checking 10,000 rows in a
/// debug build takes most of a minute, too slow for a shared CI machine.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_file_is_previewed_with_its_findings_and_the_first_clean_rows() {
    use app::pages::import::FIRST_CLEAN;
    use reqwest::multipart::{Form, Part};
    let demo = jejak_tests::demo(Backend::Sqlite).await;
    let app = &demo.app;
    let units = ["Seksi Pemerintahan", "Bidang Akuntansi"].map(String::from);
    let positions = ["Pengadministrasi Umum", "Analis Keuangan"].map(String::from);
    let n = 2_500;
    let generated = jejak_tests::import_files::employees(n, &units, &positions);
    let text = String::from_utf8(generated).unwrap();
    let mut file = String::new();
    for (i, line) in text.split_inclusive("\r\n").enumerate() {
        // Data rows 1, 26, 51 …: a NIP that is not one.
        match line.split_once(';') {
            Some((_, rest)) if i > 0 && (i - 1) % 25 == 0 => file.push_str(&format!("123;{rest}")),
            _ => file.push_str(line),
        }
    }
    let flagged = n / 25;
    let form = Form::new().text("jenis", "pegawai").part(
        "berkas",
        Part::bytes(file.into_bytes())
            .file_name("pegawai-panjang.csv")
            .mime_str("text/csv")
            .unwrap(),
    );
    let res = demo
        .admin
        .post(app.url("/admin/impor/unggah"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/admin/impor/"), "{location}");
    let res = demo
        .admin
        .get(app.url(&location))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    let attr = |id: &str| {
        let at = html
            .find(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("#{id} on the page"));
        let tail = &html[at..];
        let start = tail.find("data-n=\"").expect("data-n") + 8;
        tail[start..start + tail[start..].find('"').unwrap()].to_string()
    };
    assert_eq!(attr("jumlah-baris"), n.to_string());
    assert_eq!(attr("jumlah-ditolak"), flagged.to_string());
    let hidden = n - flagged - FIRST_CLEAN;
    assert_eq!(attr("tersembunyi-bersih"), hidden.to_string());
    assert!(html.contains(&format!("{hidden} baris lain tanpa temuan")));
    assert!(!html.contains("id=\"tersembunyi-temuan\""));
    assert_eq!(
        html.matches("class=\"import-row ").count(),
        flagged + FIRST_CLEAN,
        "the rows shown"
    );
    assert_eq!(
        html.matches("data-code=\"invalid_nip\"").count(),
        flagged,
        "every finding shown"
    );
    // The hydration data carries the shown rows only, not 10,000.
    let last = jejak_tests::import_files::nip(n - 1);
    assert!(
        !html.contains(&last),
        "a row far down the file is not on the page"
    );
    demo.app.stop().await;
}
