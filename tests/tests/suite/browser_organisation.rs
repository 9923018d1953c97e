//! The administrator's organisation page in a real headless Chromium, with
//! JavaScript off (server rendering; links and forms navigate and post) and
//! on (hydrated): as the demo administrator, a refused employee form shows
//! the message next to the field and writes nothing; the corrected form
//! creates the employee; searching their NIP (typed with spaces) finds
//! them; their edit form comes filled in and saves a change. And every
//! section, with its forms, fits a 360-pixel phone.

use fantoccini::Locator;
use jejak::seed::accounts::{DemoLogin, DEMO_PASSWORD};
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::backend::entities::{audit_entry, employee, position, unit};

const NIP: &str = "199107232020122003";
const NIP_SPACED: &str = "19910723 202012 2 003";

async fn count_employees(app: &TestApp) -> u64 {
    employee::Entity::find().count(app.db()).await.unwrap()
}

async fn the_new_employee(app: &TestApp) -> Option<employee::Model> {
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(NIP))
        .one(app.db())
        .await
        .unwrap()
}

/// The value a form control holds now (what the person typed or chose).
async fn value_of(b: &Browser, css: &str) -> String {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

/// Fills the new-employee form (every field valid but perhaps the NIP).
async fn fill(b: &Browser, nip: &str, unit_id: i64, position_id: i64) {
    let form = b.client.form(Locator::Id("form-pegawai")).await.unwrap();
    for (name, value) in [
        ("asn_kind", "pns".to_string()),
        ("nip", nip.to_string()),
        ("name", "Rina Kartika Sembiring, S.Sos.".to_string()),
        ("golongan", "III/a".to_string()),
        ("email", "rina.sembiring@medan.example".to_string()),
        ("language", "id".to_string()),
        ("unit_id", unit_id.to_string()),
        ("position_id", position_id.to_string()),
        ("supervisor_nip", "19780512 200501 1 003".to_string()),
    ] {
        form.set_by_name(name, &value).await.unwrap();
    }
}

async fn admin_creates_finds_and_edits_an_employee(
    b: &Browser,
    app: &TestApp,
    logins: &[DemoLogin],
) {
    let tag = if b.javascript { "js" } else { "nojs" };
    assert!(the_new_employee(app).await.is_none(), "the NIP is free");
    let unit = unit::Entity::find()
        .filter(unit::Column::Name.eq("Seksi Pelayanan Umum"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let position = position::Entity::find()
        .filter(position::Column::Name.eq("Pengolah Data Kependudukan"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;

    // Organisasi, from the menu; the employees' tab.
    b.click("#nav-organisasi").await;
    b.wait_for("the organisation page", || async {
        b.client.find(Locator::Id("tab-pegawai")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    shot(b, &format!("admin-organisasi-unit-{tag}")).await;
    b.click("#tab-pegawai").await;
    b.wait_for("the employees' section", || async {
        b.client.find(Locator::Id("form-pegawai")).await.is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(
        b.attr("#tab-pegawai", "aria-current").await.as_deref(),
        Some("page")
    );

    // A NIP two digits short: refused, the message next to the NIP field.
    let people = count_employees(app).await;
    fill(b, "19910723 202012 2 0", unit.id, position.id).await;
    b.click("#form-pegawai button[type=submit]").await;
    b.wait_for("the NIP's message", || async {
        b.try_text("#pegawai-nip + p.field-error").await.is_some()
    })
    .await;
    assert_eq!(
        b.text("#pegawai-nip + p.field-error").await,
        "NIP harus 18 digit (diterima 16 digit)"
    );
    assert_eq!(
        b.client
            .find_all(Locator::Css("#form-pegawai .field-error"))
            .await
            .unwrap()
            .len(),
        1,
        "only the NIP field is refused"
    );
    // What was typed is still there (without JavaScript, brought back by the server).
    assert_eq!(
        value_of(b, "#pegawai-nama").await,
        "Rina Kartika Sembiring, S.Sos."
    );
    assert_eq!(value_of(b, "#pegawai-nip").await, "19910723 202012 2 0");
    assert_eq!(value_of(b, "#pegawai-golongan").await, "III/a");
    assert_eq!(value_of(b, "#pegawai-unit").await, unit.id.to_string());
    assert_eq!(count_employees(app).await, people, "nothing written");
    shot_at(b, "#form-pegawai", &format!("admin-pegawai-ditolak-{tag}")).await;

    // Corrected: created.
    fill(b, NIP_SPACED, unit.id, position.id).await;
    b.click("#form-pegawai button[type=submit]").await;
    b.wait_for("the new employee", || async {
        b.try_text("#pegawai-dibuat").await.is_some()
    })
    .await;
    let created = the_new_employee(app).await.expect("created");
    assert_eq!(created.name, "Rina Kartika Sembiring, S.Sos.");
    assert_eq!(created.unit_id, unit.id);
    assert_eq!(created.position_id, Some(position.id));
    assert_eq!(created.golongan.as_deref(), Some("III/a"));
    assert!(created.supervisor_id.is_some());
    assert_eq!(count_employees(app).await, people + 1);
    assert_eq!(
        b.attr("#pegawai-dibuat", "data-employee-id").await,
        Some(created.id.to_string())
    );
    shot(b, &format!("admin-pegawai-dibuat-{tag}")).await;

    // Found by the NIP, typed with spaces.
    if b.javascript {
        b.wait_hydrated().await;
    }
    let search = b.client.form(Locator::Id("saring-pegawai")).await.unwrap();
    search.set_by_name("q", NIP_SPACED).await.unwrap();
    b.click("#saring-pegawai button[type=submit]").await;
    let row = format!("#daftar-pegawai tr[data-employee-id='{}']", created.id);
    b.wait_for("the search result", || async {
        b.client
            .current_url()
            .await
            .map(|u| u.as_str().contains("q=19910723"))
            .unwrap_or(false)
            && b.count_visible("#daftar-pegawai tr[data-employee-id]")
                .await
                == 1
            && b.client.find(Locator::Css(&row)).await.is_ok()
    })
    .await;
    let line = b.text(&row).await;
    assert!(line.contains("Rina Kartika Sembiring"), "{line}");
    assert!(line.contains(NIP_SPACED), "{line}");
    assert!(line.contains("Seksi Pelayanan Umum"), "{line}");
    assert!(
        b.text("#jumlah-pegawai").await.ends_with(": 1"),
        "one found"
    );
    assert_eq!(value_of(b, "#cari-pegawai").await, NIP_SPACED);
    shot(b, &format!("admin-pegawai-cari-{tag}")).await;

    // Edited: the form comes filled in.
    if b.javascript {
        b.wait_hydrated().await;
    }
    b.click(&format!("{row} a.ubah")).await;
    b.wait_for("the edit form", || async {
        b.client
            .find(Locator::Id("form-ubah-pegawai"))
            .await
            .is_ok()
    })
    .await;
    if b.javascript {
        b.wait_hydrated().await;
    }
    assert_eq!(
        value_of(b, "#ubah-pegawai-nama").await,
        "Rina Kartika Sembiring, S.Sos."
    );
    assert_eq!(value_of(b, "#ubah-pegawai-nip").await, NIP_SPACED);
    assert_eq!(value_of(b, "#ubah-pegawai-golongan").await, "III/a");
    assert_eq!(value_of(b, "#ubah-pegawai-unit").await, unit.id.to_string());
    assert_eq!(
        value_of(b, "#ubah-pegawai-atasan").await,
        "19780512 200501 1 003"
    );
    let edit = b
        .client
        .form(Locator::Id("form-ubah-pegawai"))
        .await
        .unwrap();
    edit.set_by_name("name", "Rina Kartika Sembiring, S.Sos., M.AP.")
        .await
        .unwrap();
    edit.set_by_name("golongan", "III/b").await.unwrap();
    shot_at(
        b,
        "#form-ubah-pegawai",
        &format!("admin-pegawai-ubah-{tag}"),
    )
    .await;
    b.click("#form-ubah-pegawai button[type=submit]").await;
    b.wait_for("the saved change", || async {
        b.try_text("#pegawai-disimpan").await.is_some()
            && the_new_employee(app)
                .await
                .is_some_and(|e| e.name == "Rina Kartika Sembiring, S.Sos., M.AP.")
    })
    .await;
    b.wait_for("the form shows the saved values", || async {
        b.client
            .find(Locator::Id("ubah-pegawai-golongan"))
            .await
            .is_ok()
            && value_of(b, "#ubah-pegawai-golongan").await == "III/b"
    })
    .await;
    let saved = the_new_employee(app).await.unwrap();
    assert_eq!(saved.golongan.as_deref(), Some("III/b"));
    let lines = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("employee"))
        .filter(audit_entry::Column::EntityId.eq(saved.id))
        .all(app.db())
        .await
        .unwrap();
    let actions: Vec<&str> = lines.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(actions, vec!["employee.create", "employee.update"]);
    shot(b, &format!("admin-pegawai-disimpan-{tag}")).await;
    b.sign_out().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_finds_and_edits_an_employee_without_javascript() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(false).await;
    admin_creates_finds_and_edits_an_employee(&b, &app, &logins).await;
    assert_eq!(
        b.attr(".page", "data-hydrated").await.as_deref(),
        Some("false"),
        "JavaScript must be off"
    );
    b.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_finds_and_edits_an_employee_with_javascript() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    admin_creates_finds_and_edits_an_employee(&b, &app, &logins).await;
    b.close().await;
    app.stop().await;
}

/// On a 360-pixel-wide phone every section, list and form included (and an
/// edit form open), fits the screen: no sideways scrolling of the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fits_every_section_on_a_phone() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let b = Browser::start(true).await;
    b.client.set_window_size(360, 780).await.unwrap();
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;
    let some_unit = unit::Entity::find().one(app.db()).await.unwrap().unwrap();
    let some_position = position::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    for (name, path) in [
        ("unit", "/admin/organisasi".to_string()),
        (
            "unit-ubah",
            format!("/admin/organisasi?bagian=unit&ubah={}", some_unit.id),
        ),
        ("jabatan", "/admin/organisasi?bagian=jabatan".to_string()),
        (
            "jabatan-ubah",
            format!("/admin/organisasi?bagian=jabatan&ubah={}", some_position.id),
        ),
        ("pegawai", "/admin/organisasi?bagian=pegawai".to_string()),
        (
            "pegawai-ubah",
            format!(
                "/admin/organisasi?bagian=pegawai&ubah={}",
                admin.employee_id
            ),
        ),
    ] {
        b.goto(&app.url(&path)).await;
        b.wait_hydrated().await;
        b.wait_for("the section", || async {
            b.client
                .find(Locator::Css("main section.card"))
                .await
                .is_ok()
        })
        .await;
        shot(&b, &format!("phone-admin-organisasi-{name}")).await;
        assert!(b.fits_width().await, "{path} scrolls sideways at 360 px");
        assert_eq!(
            b.unlabelled_controls().await,
            Vec::<String>::new(),
            "{path}: unlabelled controls"
        );
        let title = b.client.title().await.unwrap();
        assert_eq!(title, "Organisasi · Jejak");
        assert_eq!(
            b.client
                .find_all(Locator::Css("main h1"))
                .await
                .unwrap()
                .len(),
            1,
            "{path}: one h1"
        );
    }
    b.close().await;
    app.stop().await;
}

/// A screenshot with the element `css` scrolled into view.
async fn shot_at(b: &Browser, css: &str, name: &str) {
    let el = b.client.find(Locator::Css(css)).await.unwrap();
    b.client
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&el).unwrap()],
        )
        .await
        .unwrap();
    shot(b, name).await;
}

/// A screenshot under this test target's temporary directory.
async fn shot(b: &Browser, name: &str) {
    b.screenshot(env!("CARGO_TARGET_TMPDIR"), name).await;
}
