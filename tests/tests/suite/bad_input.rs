//! Bad input (issue 9): bodies over the limit (declared or not) are refused
//! with 413 before anything is written; mistyped arguments and unknown ids
//! get 400 and 404 with the reason; a name full of HTML is shown as text
//! in the pages, in the emails that reach a real SMTP server, and in CSV
//! exports (spreadsheet formulas are in `exports.rs`). Field-by-field
//! refusals of NIPs and dates are in `admin_transfers.rs`, `import.rs` and
//! `admin_organisation.rs`.

use std::time::Duration;

use app::{
    backend::{
        config::Config,
        entities::{employee, transfer},
        reminders::mail::Mailer,
        {reminders, reminders::delivery::Deliverer},
    },
    domain::reminders::ReminderPolicy,
    error::AppError,
};
use chrono::Utc;
use jejak_tests::{call, demo, f, smtp::SmtpServer, Backend};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn too_large(body: &serde_json::Value) -> AppError {
    let err: AppError = serde_json::from_value(body.clone()).expect("an AppError");
    assert!(matches!(err, AppError::TooLarge { .. }), "{body}");
    assert!(
        err.message("id")
            .starts_with("Isi permintaan terlalu besar"),
        "{}",
        err.message("id")
    );
    err
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversize_bodies_are_refused_with_413_and_nothing_is_written() {
    let d = demo(Backend::Sqlite).await;
    let before = transfer::Entity::find().count(d.app.db()).await.unwrap();

    // Declared: refused from the Content-Length, before reading.
    let notes = "a".repeat(3 * 1024 * 1024);
    let (status, body) = d
        .call(
            "create_transfer",
            &[f("nip", "198503122010011001"), f("notes", &notes)],
        )
        .await;
    assert_eq!(status, 413, "{body}");
    too_large(&body);

    // Not declared (chunked): refused when the limit is crossed while reading.
    let mut tcp = tokio::net::TcpStream::connect(d.app.addr).await.unwrap();
    let head = "POST /fn/sign_in HTTP/1.1\r\nHost: localhost\r\n\
                Content-Type: application/x-www-form-urlencoded\r\n\
                Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    tcp.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 256 * 1024];
    for _ in 0..12 {
        let sent = async {
            tcp.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            tcp.write_all(&chunk).await?;
            tcp.write_all(b"\r\n").await
        };
        // The server may answer and close before everything is sent.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), tcp.read_to_end(&mut answer))
        .await
        .expect("an answer")
        .ok();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let json = &answer[answer.find("\r\n\r\n").unwrap() + 4..];
    // The body may come chunked: take the JSON object inside.
    let json = &json[json.find('{').unwrap()..=json.rfind('}').unwrap()];
    too_large(&serde_json::from_str(json).unwrap());

    assert_eq!(
        transfer::Entity::find().count(d.app.db()).await.unwrap(),
        before
    );
    d.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mistyped_arguments_and_unknown_ids_are_refused_with_the_reason() {
    let d = demo(Backend::Sqlite).await;
    let manager = d.as_role("manager").await;
    for (fields, status, kind) in [
        (
            vec![f("checkin_id", "abc"), f("rating", "baik"), f("notes", "")],
            400,
            "bad_request",
        ),
        (
            vec![f("rating", "baik"), f("notes", "")],
            400,
            "bad_request",
        ),
        (
            vec![
                f("checkin_id", "99999999"),
                f("rating", "baik"),
                f("notes", ""),
            ],
            404,
            "not_found",
        ),
    ] {
        let (got, body) = call(&d.app, &manager, "write_checkin", &fields).await;
        assert_eq!(
            (got, body["kind"].as_str()),
            (status, Some(kind)),
            "{fields:?}: {body}"
        );
        if status == 400 {
            let err: AppError = serde_json::from_value(body.clone()).unwrap();
            assert!(
                err.message("id").starts_with("Permintaan tidak valid"),
                "{body}"
            );
        }
    }
    d.app.stop().await;
}

/// Ends the page's `<title>` first: leptos_meta writes titles unescaped.
const EVIL: &str = "</title><script>alert('x')</script> & <b>Budi</b>";
const EVIL_ESCAPED: &str = "&lt;script&gt;alert(";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_full_of_html_is_text_in_pages_and_in_emails() {
    let d = demo(Backend::Sqlite).await;
    let db = d.app.db();
    let who = d
        .logins
        .iter()
        .find(|l| l.role == "employee")
        .unwrap()
        .clone();
    // As if it came from an import: the name is stored as given.
    let mut e = employee::Entity::find_by_id(who.employee_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    e.name = Set(EVIL.into());
    e.update(db).await.unwrap();

    let employee_client = d.as_role("employee").await;
    for (client, path) in [
        (&d.admin, format!("/pegawai/{}", who.employee_id)),
        (&employee_client, "/saya".to_string()),
    ] {
        let html = client
            .get(d.app.url(&path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(EVIL_ESCAPED),
            "{path} shows the name as text: {html}"
        );
        if let Some(at) = html.find("<script>alert") {
            let from = html[..at]
                .char_indices()
                .rev()
                .nth(300)
                .map(|(i, _)| i)
                .unwrap_or(0);
            panic!(
                "{path} runs the name: …{}…",
                &html[from..(at + 100).min(html.len())]
            );
        }
        assert!(
            !html.contains("<b>Budi"),
            "{path} renders the name's markup"
        );
    }

    // Emails, through a real SMTP server: whatever the reminders send about
    // this person shows the name as text.
    let smtp = SmtpServer::start();
    let config = Config {
        smtp_url: smtp.url(),
        public_url: "https://jejak.medan.example".into(),
        ..(*d.app.state.config).clone()
    };
    let deliverer = Deliverer::new(db.clone(), Mailer::from_config(&config).unwrap(), &config);
    let now = d.app.state.now_local();
    reminders::tick(db, &ReminderPolicy::default(), "uji", now)
        .await
        .unwrap();
    deliverer
        .deliver_due(Utc::now(), chrono::Duration::minutes(1))
        .await
        .unwrap();
    let about: Vec<_> = smtp
        .messages()
        .into_iter()
        .map(|m| m.parse())
        .filter(|m| m.parts.iter().any(|p| p.text.contains("alert(")))
        .collect();
    assert!(
        !about.is_empty(),
        "the demo sends reminders about this person"
    );
    for m in &about {
        let html = m.part("text/html").expect("an HTML part");
        assert!(html.text.contains(EVIL_ESCAPED), "{}", html.text);
        assert!(!html.text.contains("<script>alert"), "{}", html.text);
        assert!(!html.text.contains("<b>Budi"), "{}", html.text);
        let subject = m.decoded("Subject").unwrap_or_default();
        assert!(!subject.contains('\n'), "{subject}");
    }
    d.app.stop().await;
}
