//! Email delivered through a real SMTP server on loopback and read back:
//! every kind of message in Indonesian and English (headers, both parts,
//! recipients, the link), a malformed SMTP URL refused with a precise
//! message, a server that is down or answers "try again later" (a transient
//! error, then the message arrives exactly once after recovery), a refused
//! recipient (a permanent error), and, with no SMTP server configured, the
//! message written as an `.eml` file under `<data_dir>/mail/`.

use std::time::Duration;

use app::backend::config::Config;
use app::backend::reminders::mail::{
    compose, Composed, CourseLine, DigestRow, MailFacts, Mailer, SendErrorKind,
};
use app::domain::reminders::ReminderKind;
use app::i18n::Locale;
use chrono::NaiveDate;
use jejak_tests::smtp::{parse_mail, ParsedMail, Received, SmtpServer};

const FROM: &str = "Jejak Diklat <jejak@diklat.example.go.id>";
const FROM_ADDRESS: &str = "jejak@diklat.example.go.id";
const PUBLIC_URL: &str = "https://jejak.example.go.id";
const WAIT: Duration = Duration::from_secs(60);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn config(smtp_url: String, data_dir: &std::path::Path) -> Config {
    Config {
        smtp_url,
        mail_from: FROM.into(),
        public_url: PUBLIC_URL.into(),
        data_dir: data_dir.to_path_buf(),
        ..Config::default()
    }
}

/// Facts for every kind, with non-ASCII text and characters HTML must escape.
fn facts(kind: ReminderKind) -> MailFacts {
    MailFacts {
        recipient_name: "Ni Luh Putu Ayu Wédari".into(),
        employee_id: 314,
        employee_name: "Budi <Santoso> & Rekan".into(),
        course_code: "PKD-02".into(),
        course_title: "Pengelolaan Keuangan Daerah — Tingkat Lanjut".into(),
        date: Some(d(2026, 8, 17)),
        days: match kind {
            ReminderKind::Overdue | ReminderKind::Escalation => -9,
            ReminderKind::RecertDue => 30,
            _ => 7,
        },
        plan_title: "Mutasi ke Biro Keuangan (Juli 2026)".into(),
        courses: vec![CourseLine {
            code: "PKD-02".into(),
            title: "Pengelolaan Keuangan Daerah — Tingkat Lanjut".into(),
            due: Some(d(2026, 8, 17)),
        }],
        digest: vec![DigestRow {
            employee_id: 314,
            name: "Budi <Santoso> & Rekan".into(),
            tmt: d(2026, 7, 1),
            done: 2,
            total: 5,
            overdue: 1,
            checkins_due: 1,
        }],
        password_token: "rahasia-sekali-pakai".into(),
    }
}

/// The message with this Message-ID, read back.
fn find<'a>(got: &'a [Received], message_id: &str) -> (&'a Received, ParsedMail) {
    let matching: Vec<_> = got
        .iter()
        .filter(|r| r.parse().header("Message-ID") == Some(message_id))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "exactly one message with Message-ID {message_id}, got {}",
        matching.len()
    );
    (matching[0], matching[0].parse())
}

/// Headers, both parts and the link of a delivered (or written) message.
fn check_message(mail: &ParsedMail, composed: &Composed, to: &str, message_id: &str) {
    let ctx = &composed.subject;
    let from = mail.decoded("From").expect("a From header");
    assert!(
        from.contains(FROM_ADDRESS) && from.contains("Jejak Diklat"),
        "{ctx}: From {from}"
    );
    let to_header = mail.decoded("To").expect("a To header");
    assert!(to_header.contains(to), "{ctx}: To {to_header}");
    assert!(
        to_header.contains("Ni Luh Putu Ayu Wédari"),
        "{ctx}: To {to_header}"
    );
    assert_eq!(
        mail.decoded("Subject").as_deref(),
        Some(composed.subject.as_str())
    );
    assert_eq!(mail.header("Message-ID"), Some(message_id));
    assert!(mail.header("Date").is_some(), "{ctx}: a Date header");
    assert_eq!(mail.header("MIME-Version"), Some("1.0"));
    assert_eq!(
        mail.header("Auto-Submitted"),
        Some("auto-generated"),
        "{ctx}"
    );
    assert_eq!(mail.content_type(), "multipart/alternative", "{ctx}");
    assert_eq!(mail.parts.len(), 2, "{ctx}: {:#?}", mail.parts);
    // Plain text first, HTML last: clients show the last part they can.
    assert_eq!(mail.parts[0].content_type, "text/plain", "{ctx}");
    assert_eq!(mail.parts[1].content_type, "text/html", "{ctx}");
    for part in &mail.parts {
        assert_eq!(part.charset.as_deref(), Some("utf-8"), "{ctx}");
    }
    let text = &mail.parts[0].text;
    let html = &mail.parts[1].text;
    assert_eq!(
        text.trim_end(),
        composed.text.replace("\r\n", "\n").trim_end(),
        "{ctx}"
    );
    assert_eq!(
        html.trim_end(),
        composed.html.replace("\r\n", "\n").trim_end(),
        "{ctx}"
    );
    assert!(text.contains(&composed.link), "{ctx}: link in the text");
    assert!(
        html.contains(&format!("href=\"{}\"", composed.link)),
        "{ctx}: link in the HTML"
    );
    assert!(
        !html.contains("<Santoso>"),
        "{ctx}: unescaped name in the HTML"
    );
}

#[tokio::test]
async fn mail_every_kind_is_delivered_over_smtp_in_both_languages() {
    let smtp = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&config(smtp.url(), dir.path())).unwrap();
    assert!(mailer.mail_dir().is_none());

    let mut sent = Vec::new();
    for (lang, code) in [(Locale::id, "id"), (Locale::en, "en")] {
        for (i, kind) in ReminderKind::ALL.into_iter().enumerate() {
            let composed = compose(kind, &facts(kind), lang, PUBLIC_URL);
            let to = format!("pegawai.{code}.{i}@example.go.id");
            let key = format!("{kind}/x{i}/{code}/e{i}");
            mailer
                .send(&to, "Ni Luh Putu Ayu Wédari", &composed, &key)
                .await
                .unwrap_or_else(|e| panic!("{kind} in {code}: {e:?}"));
            sent.push((kind, lang, to, mailer.message_id_for(&key), composed));
        }
    }
    let got = smtp.wait_for(sent.len(), WAIT).await;
    assert_eq!(got.len(), sent.len());

    for (kind, lang, to, message_id, composed) in &sent {
        let (received, mail) = find(&got, message_id);
        assert_eq!(received.from, FROM_ADDRESS, "{kind}: envelope sender");
        assert_eq!(received.to, vec![to.clone()], "{kind}: envelope recipients");
        check_message(&mail, composed, to, message_id);
        let path = match kind {
            ReminderKind::Escalation | ReminderKind::CheckInDue => "/pegawai/314",
            ReminderKind::WeeklyDigest => "/manajer",
            ReminderKind::PasswordLink => "/atur-sandi/rahasia-sekali-pakai",
            ReminderKind::FailedSignIns => "/sandi",
            _ => "/saya",
        };
        assert_eq!(composed.link, format!("{PUBLIC_URL}{path}"), "{kind}");
        // The words are the language's.
        let (greeting, date) = match lang {
            Locale::id => ("Yth. Ni Luh Putu Ayu Wédari,", "Agustus"),
            Locale::en => ("Dear Ni Luh Putu Ayu Wédari,", "August"),
        };
        let text = &mail.parts[0].text;
        assert!(text.starts_with(greeting), "{kind} {lang:?}: {text}");
        if !matches!(kind, ReminderKind::WeeklyDigest) {
            assert!(text.contains(date), "{kind} {lang:?}: {text}");
        }
    }

    // Non-ASCII Indonesian text in the subject survives the trip.
    let (_, _, _, id, due) = &sent[1];
    let (_, mail) = find(&got, id);
    assert_eq!(
        mail.decoded("Subject").unwrap(),
        "Pengingat: Pengelolaan Keuangan Daerah — Tingkat Lanjut (PKD-02) jatuh tempo 7 hari lagi"
    );
    assert_eq!(mail.decoded("Subject").unwrap(), due.subject);
    assert!(
        mail.header("Subject").unwrap().is_ascii(),
        "the raw header is encoded"
    );
}

#[tokio::test]
async fn mail_a_malformed_smtp_url_is_refused_with_a_precise_message() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "smtp://mail.example.go.id:587?tls=require",
            "tls=\"require\"",
            "tls=\"require\"",
        ),
        (
            "smtpx://mail.example.go.id",
            "skema \"smtpx\"",
            "scheme \"smtpx\"",
        ),
        ("smtp://", "nama host", "no SMTP server host"),
        (
            "smtp://mail.example.go.id?ssl=1",
            "parameter \"ssl\"",
            "parameter \"ssl\"",
        ),
        (
            "smtp://jejak@mail.example.go.id",
            "tanpa kata sandi",
            "no password",
        ),
        (
            "smtp://mail.example.go.id:70000",
            "bukan URL yang sah",
            "not a valid URL",
        ),
    ];
    for (url, id, en) in cases {
        let e = Mailer::from_config(&config(url.into(), dir.path())).expect_err(url);
        let (m_id, m_en) = (e.message("id"), e.message("en"));
        assert!(
            m_id.starts_with("smtp_url ") && m_id.contains(id),
            "{url}: {m_id}"
        );
        assert!(
            m_en.starts_with("smtp_url ") && m_en.contains(en),
            "{url}: {m_en}"
        );
        assert_eq!(e.status_code(), 422, "{url}");
    }
    // A password in a malformed URL is never repeated.
    let e = Mailer::from_config(&config("smtp://u:rahasia@host?tls=yes".into(), dir.path()))
        .unwrap_err();
    assert!(!e.message("en").contains("rahasia"), "{}", e.message("en"));
    // Nothing was written where mail files would go.
    assert!(!dir.path().join("mail").exists());
}

#[tokio::test]
async fn mail_a_server_that_is_down_is_a_transient_failure_and_the_message_arrives_once() {
    let smtp = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&config(smtp.url(), dir.path())).unwrap();
    let kind = ReminderKind::Overdue;
    let composed = compose(kind, &facts(kind), Locale::id, PUBLIC_URL);
    let to = "siti@example.go.id";

    // A first message opens a pooled connection.
    mailer
        .send(to, "Siti", &composed, "overdue/a1/o1/e1")
        .await
        .unwrap();
    smtp.wait_for(1, WAIT).await;

    // Down: the port refuses connections and the pooled one is cut.
    smtp.go_down();
    assert!(!smtp.is_up());
    let e = mailer
        .send(to, "Siti", &composed, "overdue/a2/o1/e1")
        .await
        .expect_err("the server is down");
    assert_eq!(e.kind, SendErrorKind::Transient, "{e:?}");
    assert!(e.is_transient() && e.code.is_none(), "{e:?}");
    // Still down for a retry: still transient.
    let e = mailer
        .send(to, "Siti", &composed, "overdue/a2/o1/e1")
        .await
        .expect_err("the server is still down");
    assert!(e.is_transient(), "{e:?}");

    // Back, but answering "try again later".
    smtp.come_up();
    smtp.fail_temporarily(true);
    let e = mailer
        .send(to, "Siti", &composed, "overdue/a2/o1/e1")
        .await
        .expect_err("451");
    assert!(e.is_transient(), "{e:?}");
    assert_eq!(e.code, Some(451), "{e:?}");

    // Recovered: the retry goes through.
    smtp.fail_temporarily(false);
    mailer
        .send(to, "Siti", &composed, "overdue/a2/o1/e1")
        .await
        .unwrap();
    let got = smtp.wait_for(2, WAIT).await;
    // Let anything stray arrive before counting.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got_now = smtp.messages();
    assert_eq!(got_now.len(), 2, "{got_now:#?}");
    assert_eq!(got, got_now);
    let second = mailer.message_id_for("overdue/a2/o1/e1");
    let (received, mail) = find(&got_now, &second);
    assert_eq!(received.to, vec![to.to_string()]);
    assert_eq!(mail.decoded("Subject").unwrap(), composed.subject);
    find(&got_now, &mailer.message_id_for("overdue/a1/o1/e1"));
}

#[tokio::test]
async fn mail_a_refused_recipient_or_a_bad_address_is_a_permanent_failure() {
    let smtp = SmtpServer::start();
    smtp.reject_recipient("pensiun@example.go.id");
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&config(smtp.url(), dir.path())).unwrap();
    let kind = ReminderKind::DueSoon;
    let composed = compose(kind, &facts(kind), Locale::en, PUBLIC_URL);

    let e = mailer
        .send(
            "pensiun@example.go.id",
            "Pak Harto",
            &composed,
            "due_soon/a1/d7/e9",
        )
        .await
        .expect_err("550");
    assert_eq!(e.kind, SendErrorKind::Permanent, "{e:?}");
    assert_eq!(e.code, Some(550), "{e:?}");

    let e = mailer
        .send("bukan alamat email", "X", &composed, "due_soon/a1/d7/e10")
        .await
        .expect_err("no address");
    assert!(e.is_permanent(), "{e:?}");

    // The server still takes mail for others.
    mailer
        .send(
            "aktif@example.go.id",
            "Aktif",
            &composed,
            "due_soon/a1/d7/e11",
        )
        .await
        .unwrap();
    let got = smtp.wait_for(1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(got[0].to, vec!["aktif@example.go.id".to_string()]);
}

#[tokio::test]
async fn mail_without_smtp_the_message_is_written_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&config(String::new(), dir.path())).unwrap();
    let mail_dir = dir.path().join("mail");
    assert_eq!(mailer.mail_dir(), Some(mail_dir.as_path()));
    assert!(mail_dir.is_dir(), "the folder is created at start-up");

    let kind = ReminderKind::CheckInDue;
    let composed = compose(kind, &facts(kind), Locale::id, PUBLIC_URL);
    let to = "atasan@example.go.id";
    let key = "checkin_due/ci5/once/e2";
    mailer
        .send(to, "Ni Luh Putu Ayu Wédari", &composed, key)
        .await
        .unwrap();

    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().and_then(|e| e.to_str()), Some("eml"));
    let raw = std::fs::read_to_string(&files[0]).unwrap();
    assert!(raw.contains("\r\n"), "CRLF line ends, as on the wire");
    let mail = parse_mail(&raw);
    check_message(&mail, &composed, to, &mailer.message_id_for(key));
    assert!(composed.link.ends_with("/pegawai/314"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_many_messages_sent_at_once_each_arrive_once() {
    let smtp = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::from_config(&config(smtp.url(), dir.path())).unwrap();
    let kind = ReminderKind::DueSoon;
    let composed = compose(kind, &facts(kind), Locale::id, PUBLIC_URL);
    let n = 40;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (mailer, composed) = (mailer.clone(), composed.clone());
        tasks.spawn(async move {
            let to = format!("pegawai{i}@example.go.id");
            mailer
                .send(&to, "Pegawai", &composed, &format!("due_soon/a{i}/d7/e{i}"))
                .await
        });
    }
    while let Some(result) = tasks.join_next().await {
        result.unwrap().unwrap();
    }
    let got = smtp.wait_for(n, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), n);
    let mut ids: Vec<String> = got
        .iter()
        .map(|r| r.parse().header("Message-ID").unwrap().to_string())
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "every message once");
    // Idle connections are kept (up to the pool's size) and reused: ten more
    // messages one after the other open at most one new connection.
    let before = smtp.connections();
    for i in 0..10 {
        mailer
            .send(
                "lagi@example.go.id",
                "Lagi",
                &composed,
                &format!("due_soon/b{i}/d7/e1"),
            )
            .await
            .unwrap();
    }
    smtp.wait_for(n + 10, WAIT).await;
    assert!(
        smtp.connections() <= before + 1,
        "{} connections before, {} after",
        before,
        smtp.connections()
    );
}
