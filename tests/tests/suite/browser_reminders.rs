//! The reminders page in a real headless Chromium, hydrated, on a
//! 360-pixel-wide phone: the administrator opens it from the menu, sees
//! both schedules with their next five runs, saves an impossible
//! expression and is answered next to the field with their text kept
//! (nothing is saved), saves a good one and sees its new runs, and resends
//! the failed message of the log. The page never scrolls sideways (only the
//! log's table, inside its box) and every control has a label.

use fantoccini::Locator;
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{browser::Browser, demo_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use app::backend::{
    entities::{employee, outbox, schedule},
    {
        reminders::outbox as queue,
        reminders::{self, Queued},
    },
};
use app::domain::reminders::ReminderKind;

/// Three reminders for someone with an address, one of them failed.
async fn some_messages(app: &TestApp) -> i64 {
    let who = employee::Entity::find()
        .filter(employee::Column::Email.is_not_null())
        .one(app.db())
        .await
        .unwrap()
        .expect("someone with an address");
    let now = chrono::Utc::now();
    let items = (1..=3)
        .map(|i| Queued {
            key: format!("uji/overdue/a{i}/o1/e{}", who.id),
            kind: ReminderKind::Overdue,
            recipient_employee_id: who.id,
            subject_kind: "assignment",
            subject_id: Some(900_000 + i),
            occurrence: "o1".into(),
        })
        .collect();
    reminders::enqueue_queued(app.db(), items, now)
        .await
        .unwrap();
    let first = outbox::Entity::find()
        .filter(outbox::Column::Key.eq(format!("uji/overdue/a1/o1/e{}", who.id)))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    queue::mark_failed_attempt(app.db(), first.id, "550 5.1.1 mailbox unavailable", now, 1)
        .await
        .unwrap()
        .unwrap();
    first.id
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

async fn texts(b: &Browser, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in b
        .client
        .find_all(Locator::Css(css))
        .await
        .unwrap_or_default()
    {
        out.push(e.text().await.unwrap_or_default());
    }
    out
}

async fn fits_a_phone(b: &Browser, when: &str) {
    assert!(b.fits_width().await, "{when}: scrolls sideways at 360 px");
    assert_eq!(
        b.unlabelled_controls().await,
        Vec::<String>::new(),
        "{when}: unlabelled controls"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administrator_sets_a_schedule_and_resends_a_failed_message_on_a_phone() {
    let (app, logins) = demo_app(Backend::Sqlite).await;
    let failed = some_messages(&app).await;
    let b = Browser::start(true).await;
    b.client.set_window_size(360, 780).await.unwrap();
    let admin = logins.iter().find(|l| l.role == "admin").unwrap();
    b.sign_in(&app.base, &admin.nip, DEMO_PASSWORD).await;

    // From the menu: both schedules, each with five next runs.
    b.click("#nav-pengingat").await;
    b.wait_for("the reminders page", || async {
        b.client.find(Locator::Id("jadwal-pengingat")).await.is_ok()
            && b.client.find(Locator::Id("daftar-log")).await.is_ok()
    })
    .await;
    b.wait_hydrated().await;
    for card in ["pengingat", "ringkasan"] {
        let runs = texts(&b, &format!("#berikutnya-{card} li")).await;
        assert_eq!(runs.len(), 5, "{card}: {runs:?}");
        assert!(
            runs.iter().all(|r| r.ends_with("pukul 07.00 WIB")),
            "{runs:?}"
        );
    }
    assert!(texts(&b, "#berikutnya-ringkasan li")
        .await
        .iter()
        .all(|r| r.starts_with("Senin, ")));
    assert!(b
        .text("#bentuk-pengingat")
        .await
        .starts_with("crontab, 5 kolom"));
    assert_eq!(b.text("#berlaku-pengingat").await, "0 7 * * *");
    shot(&b, "admin-pengingat-phone").await;
    fits_a_phone(&b, "the page").await;

    // An impossible weekday: refused next to the field, the text kept.
    let typed = "0 7 * * 8";
    let form = b
        .client
        .form(Locator::Id("form-jadwal-pengingat"))
        .await
        .unwrap();
    form.set_by_name("expression", typed).await.unwrap();
    b.click("#simpan-jadwal-pengingat").await;
    let next_to = "#ekspresi-pengingat + .field-error";
    b.wait_for("the refusal next to the field", || async {
        b.try_text(next_to)
            .await
            .is_some_and(|t| t.starts_with("Kolom ke-5 (hari) tidak sah: \"8\""))
    })
    .await;
    assert_eq!(value_of(&b, "#ekspresi-pengingat").await, typed);
    assert_eq!(
        b.count_visible("#jadwal-ringkasan .field-error").await,
        0,
        "only at the form that was sent"
    );
    assert_eq!(b.text("#berlaku-pengingat").await, "0 7 * * *");
    assert_eq!(
        schedule::Entity::find().count(app.db()).await.unwrap(),
        0,
        "nothing saved"
    );
    show(&b, "#jadwal-pengingat").await;
    shot(&b, "admin-pengingat-ditolak-phone").await;
    fits_a_phone(&b, "the refusal").await;

    // Monday to Friday at 06.30: saved, its runs shown.
    let form = b
        .client
        .form(Locator::Id("form-jadwal-pengingat"))
        .await
        .unwrap();
    form.set_by_name("expression", "30 6 * * 1-5")
        .await
        .unwrap();
    b.click("#simpan-jadwal-pengingat").await;
    b.wait_for("the saved schedule", || async {
        b.client
            .find(Locator::Id("disimpan-pengingat"))
            .await
            .is_ok()
            && b.try_text("#berlaku-pengingat").await.as_deref() == Some("30 6 * * 1-5")
    })
    .await;
    let runs = texts(&b, "#berikutnya-pengingat li").await;
    assert_eq!(runs.len(), 5, "{runs:?}");
    for r in &runs {
        assert!(r.ends_with("pukul 06.30 WIB"), "{r}");
        assert!(
            ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
                .iter()
                .any(|d| r.starts_with(&format!("{d}, "))),
            "{r}"
        );
    }
    assert!(b.try_text(next_to).await.is_none(), "the refusal is gone");
    assert!(b.text("#asal-pengingat").await.contains(&admin.nip));
    let stored = schedule::Entity::find_by_id("reminders".to_string())
        .one(app.db())
        .await
        .unwrap()
        .expect("saved");
    assert_eq!(stored.expression, "30 6 * * 1-5");
    show(&b, "#jadwal-pengingat").await;
    shot(&b, "admin-pengingat-disimpan-phone").await;

    // The log: the failed message sent again from its row.
    let row = format!("#daftar-log tr[data-message-id='{failed}']");
    assert_eq!(b.attr(&row, "data-state").await.as_deref(), Some("failed"));
    assert!(b.text(&row).await.contains("550 5.1.1 mailbox unavailable"));
    b.click(&format!("{row} button.kirim-ulang")).await;
    b.wait_for("the message queued again", || async {
        b.try_attr(&row, "data-state").await.as_deref() == Some("pending")
            && b.client.find(Locator::Id("dikirim-ulang")).await.is_ok()
    })
    .await;
    let stored = outbox::Entity::find_by_id(failed)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.state.as_str(), stored.attempts), ("pending", 0));
    show(&b, "#log-pesan").await;
    shot(&b, "admin-pengingat-log-phone").await;
    fits_a_phone(&b, "after the changes").await;
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
