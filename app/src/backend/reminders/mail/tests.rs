//! Unit tests of composing (both languages, escaping, links, every key used)
//! and of the transport's pure parts (URL check, Message-ID, the message).

use chrono::NaiveDate;

use super::*;
use crate::backend::config::Config;
use crate::domain::reminders::ReminderKind;
use crate::domain::text::escape_html;
use crate::i18n::Locale;

const URL: &str = "https://jejak.example.go.id/";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Facts that fill every field, with names that need escaping.
fn facts() -> MailFacts {
    MailFacts {
        recipient_name: "Siti <Nurhaliza> & Co".into(),
        employee_id: 42,
        employee_name: "Budi \"Bud\" <b>Santoso</b>".into(),
        course_code: "BKP-01".into(),
        course_title: "Dasar Keuangan & Anggaran".into(),
        date: Some(d(2026, 8, 17)),
        days: 7,
        plan_title: "Rencana <Mutasi> 2026".into(),
        courses: vec![
            CourseLine {
                code: "BKP-01".into(),
                title: "Dasar Keuangan & Anggaran".into(),
                due: Some(d(2026, 8, 17)),
            },
            CourseLine {
                code: String::new(),
                title: "Etika <ASN>".into(),
                due: None,
            },
        ],
        digest: vec![
            DigestRow {
                employee_id: 42,
                name: "Budi <Santoso>".into(),
                tmt: d(2026, 7, 1),
                done: 1,
                total: 4,
                overdue: 2,
                checkins_due: 1,
            },
            DigestRow {
                employee_id: 43,
                name: "Ani".into(),
                tmt: d(2026, 6, 1),
                done: 3,
                total: 3,
                overdue: 0,
                checkins_due: 0,
            },
        ],
        password_token: "Tok-3n_rahasia".into(),
    }
}

/// The message of `kind` written from [`facts`].
fn written(kind: ReminderKind, lang: Locale) -> Composed {
    compose(kind, &facts(), lang, URL)
}

/// Every one of `parts` is in `text` (shown when one is not).
#[track_caller]
fn assert_contains(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} is not in:\n{text}");
    }
}

fn all(lang: Locale) -> Vec<(ReminderKind, Composed)> {
    let f = facts();
    ReminderKind::ALL
        .into_iter()
        .map(|k| {
            let mut f = f.clone();
            if k == ReminderKind::Overdue || k == ReminderKind::Escalation {
                f.days = -8;
            }
            (k, compose(k, &f, lang, URL))
        })
        .collect()
}

#[test]
fn every_kind_is_written_in_both_languages() {
    for lang in [Locale::id, Locale::en] {
        for (kind, c) in all(lang) {
            let ctx = format!("{kind} in {lang:?}");
            assert!(!c.subject.trim().is_empty(), "{ctx}");
            assert!(!c.subject.contains('\n'), "{ctx}");
            for part in [&c.subject, &c.text, &c.html] {
                assert!(!part.contains("{{"), "{ctx}: placeholder left in {part}");
            }
            assert!(c.link.starts_with("https://jejak.example.go.id/"), "{ctx}");
            assert!(!c.link.contains(".id//"), "{ctx}: {}", c.link);
            assert!(c.text.contains(&c.link), "{ctx}: the text has the link");
            assert!(
                c.html.contains(&format!("href=\"{}\"", c.link)),
                "{ctx}: the HTML has the link"
            );
            // The plain text names the recipient as is.
            assert!(c.text.contains("Siti <Nurhaliza> & Co"), "{ctx}");
            assert!(c.text.contains("Jejak"), "{ctx}");
        }
    }
    let id = all(Locale::id);
    let en = all(Locale::en);
    for ((k, a), (_, b)) in id.iter().zip(&en) {
        assert_ne!(
            a.subject, b.subject,
            "{k}: the same subject in both languages"
        );
        assert_ne!(a.text, b.text, "{k}");
    }
}

#[test]
fn the_password_link_mail_carries_the_link_and_its_last_day() {
    let id = written(ReminderKind::PasswordLink, Locale::id);
    assert_eq!(id.subject, "Atur kata sandi akun Jejak Anda");
    assert_eq!(
        id.link,
        "https://jejak.example.go.id/atur-sandi/Tok-3n_rahasia"
    );
    assert_contains(&id.text, &[&id.link, "17 Agustus 2026"]);
    let en = written(ReminderKind::PasswordLink, Locale::en);
    assert_eq!(en.subject, "Set the password of your Jejak account");
    assert!(en.text.contains("17 August 2026"), "{}", en.text);
}

#[test]
fn the_failed_sign_ins_mail_says_when_and_what_to_do() {
    let id = written(ReminderKind::FailedSignIns, Locale::id);
    assert_eq!(
        id.subject,
        "Banyak percobaan masuk yang gagal ke akun Jejak Anda"
    );
    assert_eq!(id.link, "https://jejak.example.go.id/sandi");
    assert_contains(
        &id.text,
        &[
            "Sejak 17 Agustus 2026",
            "ganti kata sandi",
            "administrator kepegawaian",
        ],
    );
    let en = written(ReminderKind::FailedSignIns, Locale::en);
    assert_eq!(en.subject, "Many failed sign-ins to your Jejak account");
    assert_contains(&en.text, &["Since 17 August 2026", "change your password"]);
}

#[test]
fn texts_say_what_the_kind_is_about() {
    let f = facts();
    let due = compose(ReminderKind::DueSoon, &f, Locale::id, URL);
    assert_eq!(
        due.subject,
        "Pengingat: Dasar Keuangan & Anggaran (BKP-01) jatuh tempo 7 hari lagi"
    );
    assert!(due.text.contains("17 Agustus 2026"), "{}", due.text);
    let due_en = compose(ReminderKind::DueSoon, &f, Locale::en, URL);
    assert_eq!(
        due_en.subject,
        "Reminder: Dasar Keuangan & Anggaran (BKP-01) is due in 7 days"
    );
    assert!(due_en.text.contains("17 August 2026"), "{}", due_en.text);

    let mut late = f.clone();
    late.days = -8;
    let over = compose(ReminderKind::Overdue, &late, Locale::id, URL);
    assert!(over.text.contains("terlambat 8 hari"), "{}", over.text);
    let over_en = compose(ReminderKind::Overdue, &late, Locale::en, URL);
    assert!(over_en.text.contains("8 days overdue"), "{}", over_en.text);
    late.days = -1;
    let over_en = compose(ReminderKind::Overdue, &late, Locale::en, URL);
    assert!(over_en.text.contains("1 day overdue"), "{}", over_en.text);

    let esc = compose(ReminderKind::Escalation, &late, Locale::en, URL);
    assert!(
        esc.subject
            .starts_with("Budi \"Bud\" <b>Santoso</b> is late"),
        "{}",
        esc.subject
    );

    for (days, id, en) in [
        (0, "hari ini", "today"),
        (1, "besok", "tomorrow"),
        (3, "3 hari lagi", "in 3 days"),
        (-1, "sudah lewat 1 hari", "1 day ago"),
        (-5, "sudah lewat 5 hari", "5 days ago"),
    ] {
        let mut g = f.clone();
        g.days = days;
        let c = compose(ReminderKind::CheckInDue, &g, Locale::id, URL);
        assert!(c.subject.ends_with(id), "{days}: {}", c.subject);
        let c = compose(ReminderKind::CheckInDue, &g, Locale::en, URL);
        assert!(c.subject.ends_with(en), "{days}: {}", c.subject);
    }

    let plan = compose(ReminderKind::NewPlan, &f, Locale::id, URL);
    assert_contains(
        &plan.text,
        &[
            "- Dasar Keuangan & Anggaran (BKP-01), tenggat 17 Agustus 2026",
            "- Etika <ASN>\n",
            "berisi 2 pelatihan",
        ],
    );

    let recert = compose(ReminderKind::RecertDue, &f, Locale::en, URL);
    assert_eq!(
        recert.subject,
        "Your Dasar Keuangan & Anggaran (BKP-01) certificate expires 17 August 2026"
    );

    // A course without a code is named by its title alone.
    let mut nocode = f.clone();
    nocode.course_code = " ".into();
    let c = compose(ReminderKind::DueSoon, &nocode, Locale::en, URL);
    assert_eq!(
        c.subject,
        "Reminder: Dasar Keuangan & Anggaran is due in 7 days"
    );
}

#[test]
fn the_digest_lists_every_newcomer() {
    let f = facts();
    let c = compose(ReminderKind::WeeklyDigest, &f, Locale::id, URL);
    assert_eq!(c.subject, "Ringkasan mingguan pegawai baru: 2 orang");
    assert_contains(
        &c.text,
        &[
            "- Budi <Santoso> (TMT 1 Juli 2026): kemajuan 1 dari 4 (25%), terlambat 2, check-in jatuh tempo 1",
            "3 dari 3 (100%)",
            "Total: 2 pelatihan terlambat, 1 check-in jatuh tempo.",
        ],
    );
    assert_contains(
        &c.html,
        &[
            "<table",
            "<th scope=\"row\" align=\"left\">Budi &lt;Santoso&gt;</th>",
            "<td>1 dari 4 (25%)</td>",
        ],
    );
    assert!(c.link.ends_with("/manajer"));

    let mut none = f.clone();
    none.digest.clear();
    let c = compose(ReminderKind::WeeklyDigest, &none, Locale::en, URL);
    assert_eq!(c.subject, "Weekly newcomer digest: 0 newcomer(s)");
    assert!(c.text.contains("There are no newcomers"), "{}", c.text);
    assert!(!c.html.contains("<table"));
}

#[test]
fn html_escapes_every_name() {
    for lang in [Locale::id, Locale::en] {
        for (kind, c) in all(lang) {
            for raw in [
                "<Nurhaliza>",
                "<b>Santoso</b>",
                "<Mutasi>",
                "<ASN>",
                "<Santoso>",
            ] {
                assert!(
                    !c.html.contains(raw),
                    "{kind}: {raw} unescaped in {}",
                    c.html
                );
            }
            assert!(c.html.contains("Siti &lt;Nurhaliza&gt; &amp; Co"), "{kind}");
            // Every `&` in the HTML starts an entity.
            for (i, _) in c.html.match_indices('&') {
                let rest = &c.html[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                        .iter()
                        .any(|e| rest.starts_with(e)),
                    "{kind}: bare & at {}",
                    &rest[..rest.len().min(20)]
                );
            }
            assert!(c.html.starts_with("<!DOCTYPE html>"));
            assert!(c
                .html
                .contains(&format!("<html lang=\"{}\">", crate::lang::code(lang))));
        }
    }
    let esc = written(ReminderKind::Escalation, Locale::en);
    assert!(
        esc.html
            .contains("Budi &quot;Bud&quot; &lt;b&gt;Santoso&lt;/b&gt;"),
        "{}",
        esc.html
    );
    assert_eq!(escape_html("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
}

#[test]
fn each_kind_links_to_its_page() {
    let f = facts();
    let expect = [
        (ReminderKind::NewPlan, "/saya"),
        (ReminderKind::DueSoon, "/saya"),
        (ReminderKind::Overdue, "/saya"),
        (ReminderKind::RecertDue, "/saya"),
        (ReminderKind::Escalation, "/pegawai/42"),
        (ReminderKind::CheckInDue, "/pegawai/42"),
        (ReminderKind::WeeklyDigest, "/manajer"),
        (ReminderKind::PasswordLink, "/atur-sandi/Tok-3n_rahasia"),
        (ReminderKind::FailedSignIns, "/sandi"),
    ];
    for (kind, path) in expect {
        assert_eq!(link_path(kind, &f), path);
        let c = compose(kind, &f, Locale::id, "http://127.0.0.1:3000");
        assert_eq!(c.link, format!("http://127.0.0.1:3000{path}"));
    }
}

/// Every key of `mail.json` is used by the code (and, through the
/// `lang::tests` check, exists in both languages).
#[test]
fn every_key_is_used() {
    fn keys(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    keys(&format!("{prefix}.{k}"), v, out)
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/id/mail.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut all = Vec::new();
    keys("mail", &json, &mut all);
    assert!(all.len() > 40, "{all:?}");
    let source = include_str!("compose.rs");
    // A kind written by `notice!(body, l, <kind>, …)` uses its subject,
    // body, hint and action through the macro.
    let compact: String = source.split_whitespace().collect();
    for key in all {
        let used = source.match_indices(&key).any(|(i, _)| {
            let next = source[i + key.len()..].chars().next();
            !matches!(next, Some(c) if c.is_alphanumeric() || c == '_' || c == '.')
        });
        let by_notice = match key.rsplit_once('.') {
            Some((kind, "subject" | "body" | "hint" | "action")) => {
                let kind = kind.trim_start_matches("mail.");
                compact.contains(&format!("notice!(body,l,{kind},"))
            }
            _ => false,
        };
        assert!(used || by_notice, "{key} is not used in compose.rs");
    }
}

#[test]
fn smtp_urls_are_checked_precisely() {
    for ok in [
        "smtp://127.0.0.1:2525",
        "smtp://user:pass@mail.example.go.id:587?tls=required",
        "smtp://mail.example.go.id?tls=opportunistic",
        "smtps://user:p%40ss@mail.example.go.id",
        "smtps://mail.example.go.id:465?tls=required",
    ] {
        check_smtp_url(ok).unwrap_or_else(|e| panic!("{ok}: {e:?}"));
    }
    let cases = [
        ("mail.example.go.id:587", "skema", "scheme"),
        ("http://mail.example.go.id", "\"http\"", "\"http\""),
        ("smtp://", "host", "host"),
        (
            "smtp://mail.example.go.id?tls=require",
            "tls=\"require\"",
            "tls=\"require\"",
        ),
        (
            "smtp://mail.example.go.id?starttls=1",
            "\"starttls\"",
            "\"starttls\"",
        ),
        (
            "smtps://mail.example.go.id?tls=opportunistic",
            "smtps://",
            "smtps://",
        ),
        (
            "smtp://user@mail.example.go.id",
            "kata sandi",
            "no password",
        ),
        ("smtp://mail.example.go.id:0", "port 0", "port 0"),
        ("smtp://mail.example.go.id:99999", "URL", "URL"),
        ("smtp://a:%FF@mail.example.go.id", "UTF-8", "UTF-8"),
    ];
    for (raw, id, en) in cases {
        let e = check_smtp_url(raw).expect_err(raw);
        let (m_id, m_en) = (e.message("id"), e.message("en"));
        assert!(
            m_id.contains(id) && m_id.starts_with("smtp_url"),
            "{raw}: {m_id}"
        );
        assert!(
            m_en.contains(en) && m_en.starts_with("smtp_url"),
            "{raw}: {m_en}"
        );
        assert!(
            matches!(e, crate::error::AppError::Invalid { field: Some(ref f), .. } if f == "smtp_url")
        );
    }
    // The password never appears in the message.
    let e = check_smtp_url("smtp://u:rahasia@host?x=1").unwrap_err();
    assert!(!e.message("en").contains("rahasia"), "{}", e.message("en"));
}

#[test]
fn message_ids_come_from_the_outbox_key() {
    assert_eq!(
        message_id("due_soon/a123/d7/e45", "example.go.id"),
        "<jejak.due_soon/a123/d7/e45@example.go.id>"
    );
    assert_eq!(
        message_id("weekly_digest/2026-W33/e7", "x.id"),
        "<jejak.weekly_digest/2026-W33/e7@x.id>"
    );
    assert_eq!(
        message_id("a b<c>@d..e.", ""),
        "<jejak.a-b-c--d.e@jejak.invalid>"
    );
}

#[tokio::test]
async fn the_message_is_multipart_alternative_with_both_parts() {
    let dir = std::env::temp_dir().join(format!("jejak-mail-unit-{}", std::process::id()));
    let config = Config {
        data_dir: dir.clone(),
        mail_from: "Jejak Diklat <jejak@diklat.example.go.id>".into(),
        ..Config::default()
    };
    let mailer = Mailer::from_config(&config).unwrap();
    assert_eq!(mailer.mail_dir(), Some(dir.join("mail").as_path()));
    let c = written(ReminderKind::DueSoon, Locale::id);
    let m = mailer
        .message("siti@example.go.id", "Siti N.", &c, "due_soon/a1/d7/e2")
        .unwrap();
    let raw = String::from_utf8(m.formatted()).unwrap();
    assert_contains(
        &raw,
        &[
            "multipart/alternative",
            "\r\nAuto-Submitted: auto-generated\r\n",
            "text/plain; charset=utf-8",
            "text/html; charset=utf-8",
            "Message-ID: <jejak.due_soon/a1/d7/e2@diklat.example.go.id>",
        ],
    );
    assert!(
        raw.contains("From: \"Jejak Diklat\" <jejak@diklat.example.go.id>")
            || raw.contains("From: Jejak Diklat <jejak@diklat.example.go.id>"),
        "{raw}"
    );

    let bad = mailer.message("not an address", "X", &c, "k").unwrap_err();
    assert!(bad.is_permanent(), "{bad:?}");

    let e = Mailer::from_config(&Config {
        mail_from: "jejak at kantor".into(),
        ..config.clone()
    })
    .unwrap_err();
    assert!(e.message("en").contains("mail_from"), "{e:?}");
    let _ = std::fs::remove_dir_all(dir);
}
