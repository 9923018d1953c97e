//! The `jejak` binary as people run it: help (and no test-data command),
//! migrate, seed, serve with `--addr`/`--data-dir`, environment variables,
//! bad configuration, SIGTERM, and reminders: preview, and a server killed
//! in the middle of a delivery batch.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

fn jejak() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jejak"));
    // Tests must not pick up a developer's configuration.
    c.env_remove("JEJAK_DATABASE_URL")
        .env_remove("JEJAK_ADDR")
        .env_remove("JEJAK_DATA_DIR")
        .env_remove("JEJAK_CONFIG");
    c.env("JEJAK_LOG", "warn");
    c
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run jejak");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn help_lists_every_command_and_flag() {
    let (code, out, _) = run(jejak().arg("--help"));
    assert_eq!(code, 0);
    for word in ["serve", "migrate", "seed", "--data-dir", "--config"] {
        assert!(out.contains(word), "--help lacks {word}:\n{out}");
    }
    let (code, out, _) = run(jejak().args(["serve", "--help"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("--addr") && out.contains("JEJAK_ADDR"),
        "{out}"
    );
    let (code, out, _) = run(jejak().args(["seed", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("--demo"), "{out}");
    let (code, out, _) = run(jejak().args(["migrate", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("migra"), "{out}");
}

/// Test data stays out of the production binary: the synthetic organisation
/// of the benchmarks is the test crate's `jejak-synth`. `jejak` lists no
/// such command, refuses it as a command or as a `seed` flag (clap's exit
/// code 2), and holds none of the generator's strings.
#[test]
fn the_jejak_binary_has_no_test_data_generator() {
    let (code, out, _) = run(jejak().arg("--help"));
    assert_eq!(code, 0);
    let commands: Vec<&str> = out
        .split("Commands:")
        .nth(1)
        .and_then(|rest| rest.split("Options:").next())
        .expect("a list of commands in --help")
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        commands,
        [
            "serve",
            "migrate",
            "seed",
            "reminders",
            "import",
            "backup",
            "restore",
            "help"
        ],
        "{out}"
    );
    assert!(!out.to_lowercase().contains("synth"), "{out}");
    let (code, out, _) = run(jejak().args(["seed", "--help"]));
    assert_eq!(code, 0);
    for word in ["synth", "sintetis", "--employees", "--transfers"] {
        assert!(
            !out.to_lowercase().contains(word),
            "seed --help has {word}:\n{out}"
        );
    }
    let data = tempfile::tempdir().unwrap();
    for args in [
        &["synthetic"][..],
        &["synth"],
        &["seed", "--synthetic"],
        &["seed", "--demo", "--employees", "2000"],
    ] {
        let (code, out, err) = run(jejak().arg("--data-dir").arg(data.path()).args(args));
        assert_eq!(code, 2, "jejak {args:?} must be refused:\n{out}{err}");
    }
    assert!(
        !data.path().join("jejak.db").exists(),
        "a refused command must not open the database"
    );
    let binary = std::fs::read(env!("CARGO_BIN_EXE_jejak")).unwrap();
    for marker in ["synthetic-logins.json", "synthetic organisation loaded"] {
        assert!(
            !binary.windows(marker.len()).any(|w| w == marker.as_bytes()),
            "the jejak binary holds {marker:?}: the synthetic generator is back in it"
        );
    }
}

#[test]
fn migrate_creates_a_wal_sqlite_file_in_the_data_dir_and_seed_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = run(jejak().arg("--data-dir").arg(&data).arg("migrate"));
    assert_eq!(code, 0, "{out}{err}");
    let db = data.join("jejak.db");
    assert!(db.is_file());
    // WAL mode is persistent in the file header: bytes 18 and 19 are 2 for WAL.
    let mut header = [0u8; 20];
    std::fs::File::open(&db)
        .unwrap()
        .read_exact(&mut header)
        .unwrap();
    assert_eq!(&header[..16], b"SQLite format 3\0");
    assert_eq!((header[18], header[19]), (2, 2), "journal mode must be WAL");

    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(
            "14 unit baru, 200 pegawai baru, 12 jabatan, 11 pelatihan, 4 aturan, 30 mutasi"
        ),
        "{out}"
    );
    // JEJAK_DATA_DIR works as well as the flag; a second run adds nothing.
    let (code, out, _) = run(jejak()
        .env("JEJAK_DATA_DIR", &data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("0 unit baru, 0 pegawai baru, 0 jabatan, 0 pelatihan, 0 aturan, 0 mutasi"),
        "{out}"
    );
}

#[test]
fn bad_configuration_is_named_and_exits_2() {
    let (code, _, err) = run(jejak().env("JEJAK_ADDR", "bukan-alamat").arg("migrate"));
    assert_eq!(code, 2);
    assert!(err.contains("addr"), "{err}");
    let (code, _, err) = run(jejak().env("JEJAK_TIMEZONE", "Asia/Medan").arg("migrate"));
    assert_eq!(code, 2);
    assert!(err.contains("Asia/Medan"), "{err}");
    let (code, _, err) = run(jejak().args(["--config", "/tidak/ada.toml", "migrate"]));
    assert_eq!(code, 2);
    assert!(err.contains("/tidak/ada.toml"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run(jejak()
        .env("JEJAK_DATABASE_URL", "mysql://x")
        .arg("--data-dir")
        .arg(dir.path())
        .arg("migrate"));
    assert_eq!(code, 2);
    assert!(err.contains("database_url"), "{err}");
    // A schedule that does not parse, an SMTP URL that cannot be one, a
    // sender that is not an address: named precisely, nothing started.
    let (code, _, err) = run(jejak()
        .env("JEJAK_REMINDER_SCHEDULE", "0 25 * * *")
        .arg("migrate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("reminder_schedule: Kolom ke-2 (jam) tidak sah: \"25\"; yang boleh: 0–23"),
        "{err}"
    );
    let (code, _, err) = run(jejak()
        .env("JEJAK_DIGEST_SCHEDULE", "0 7 * *")
        .arg("migrate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("digest_schedule") && err.contains("4 kolom"),
        "{err}"
    );
    let (code, _, err) = run(jejak()
        .env("JEJAK_SMTP_URL", "http://mail.example")
        .arg("migrate"));
    assert_eq!(code, 2);
    assert!(
        err.contains("smtp_url") && err.contains("\"http\""),
        "{err}"
    );
    let (code, _, err) = run(jejak()
        .env("JEJAK_MAIL_FROM", "bukan alamat")
        .arg("migrate"));
    assert_eq!(code, 2);
    assert!(err.contains("mail_from"), "{err}");
}

#[test]
fn serve_listens_where_told_answers_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("jejak.toml");
    std::fs::write(
        &config,
        "public_url = \"http://jejak.test\"\ndatabase_url = \"\"\n",
    )
    .unwrap();
    let mut child = jejak()
        .arg("--data-dir")
        .arg(dir.path().join("d"))
        .arg("--config")
        .arg(&config)
        .args(["serve", "--addr", "127.0.0.1:0", "--demo"])
        .env("JEJAK_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut addr = None;
    for line in stdout.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Jejak berjalan di http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("the URL is printed");
    // Keep draining stdout so the server never writes into a closed pipe.
    std::thread::spawn(move || for _ in stdout {});
    let health = http_get(&addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"database\""), "{health}");
    let home = http_get(&addr, "/");
    assert!(
        home.contains("Kecamatan Medan Belawan"),
        "--demo loads demo data on an empty database"
    );

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "jejak did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0: {status:?}");
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    // The configuration is printed at start-up, from the file we gave.
    assert!(err.contains("public_url = \"http://jejak.test\""), "{err}");
    assert!(err.contains("SIGTERM"), "{err}");
}

#[test]
fn secrets_are_redacted_in_the_startup_log() {
    // The database cannot be reached, but the configuration is printed first.
    let mut child = jejak()
        .env(
            "JEJAK_DATABASE_URL",
            "postgres://jejak:rahasia-sekali@127.0.0.1:1/jejak",
        )
        .env("JEJAK_LOG", "info")
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(!err.contains("rahasia-sekali"), "{err}");
    assert!(
        err.contains("postgres://jejak:***@127.0.0.1:1/jejak"),
        "{err}"
    );
}

/// Every form a database URL's password can take stays out of the log:
/// in the query (`?password=`), and in a URL too broken to parse.
#[test]
fn database_urls_are_redacted_in_every_form() {
    for (url, secret) in [
        (
            "postgres://jejak@127.0.0.1:1/jejak?sslmode=disable&password=rahasia-kedua",
            "rahasia-kedua",
        ),
        (
            "postgres://jejak:rahasia-ketiga@[127.0.0.1:1/jejak",
            "rahasia-ketiga",
        ),
        ("jejak:rahasia-keempat@127.0.0.1/jejak", "rahasia-keempat"),
    ] {
        let (code, out, err) = run(jejak()
            .env("JEJAK_DATABASE_URL", url)
            .env("JEJAK_LOG", "debug")
            .args(["serve", "--addr", "127.0.0.1:0"]));
        assert_ne!(code, 0, "{url} cannot serve");
        assert!(
            !err.contains(secret) && !out.contains(secret),
            "{url}: the password reached the output:\n{out}\n{err}"
        );
    }
}

/// The secrets that travel in paths (set-password links, calendar feeds)
/// never reach the log, even at the most talkative level.
#[test]
fn tokens_in_paths_never_reach_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = jejak()
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("JEJAK_LOG", "trace")
        .env("JEJAK_BACKGROUND_JOBS", "false")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drained from the start: at `trace` the log fills a pipe long before
    // the server says where it listens.
    let mut stderr = child.stderr.take().unwrap();
    let err = std::thread::spawn(move || {
        let mut err = String::new();
        let _ = stderr.read_to_string(&mut err);
        err
    });
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut addr = None;
    for line in stdout.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("Jejak berjalan di http://") {
            addr = rest.split_whitespace().next().map(str::to_string);
            break;
        }
    }
    let addr = addr.expect("the URL is printed");
    let out =
        std::thread::spawn(move || stdout.map_while(Result::ok).collect::<Vec<_>>().join("\n"));
    // An unknown link: the page says so (422), and the request is logged.
    let set_password = http_get(&addr, "/atur-sandi/RahasiaTautanSandi77");
    assert!(set_password.starts_with("HTTP/1.1 422"), "{set_password}");
    let feed = http_get(&addr, "/kalender/RahasiaKalender88.ics");
    assert!(feed.starts_with("HTTP/1.1 404"), "{feed}");
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    child.wait().unwrap();
    let log = format!("{}\n{}", out.join().unwrap(), err.join().unwrap());
    assert!(
        log.contains("/atur-sandi/***"),
        "the request is logged: {log}"
    );
    for secret in ["RahasiaTautanSandi77", "RahasiaKalender88"] {
        assert!(!log.contains(secret), "{secret} reached the log");
    }
}

/// `jejak reminders preview` lists what a tick would queue at a moment
/// (JSON or text), writes nothing (the outbox stays empty and a second run
/// says the same), and refuses an impossible date-time precisely.
#[test]
fn reminders_preview_shows_what_is_due_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0, "{err}");
    // Ten days from now the demo's open assignments have reminders due.
    let at = (chrono::Utc::now() + chrono::Duration::days(10))
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .format("%Y-%m-%d 07:00")
        .to_string();
    let preview = |format: &str| {
        run(jejak().arg("--data-dir").arg(&data).args([
            "reminders",
            "preview",
            "--at",
            &at,
            "--format",
            format,
        ]))
    };
    let (code, json, err) = preview("json");
    assert_eq!(code, 0, "{err}");
    let list: Vec<serde_json::Value> = serde_json::from_str(&json).expect("JSON");
    assert!(!list.is_empty(), "the demo has reminders due on {at}");
    let keys: std::collections::BTreeSet<&str> =
        list.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys.len(), list.len(), "keys are unique");
    assert_eq!(preview("json").1, json, "a second preview says the same");
    let (code, text, _) = preview("text");
    assert_eq!(code, 0);
    assert!(text.contains(&format!(": {}", list.len())), "{text}");
    let outbox_rows = tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sea_orm::{ConnectionTrait, Statement};
        let db =
            sea_orm::Database::connect(format!("sqlite://{}", data.join("jejak.db").display()))
                .await
                .unwrap();
        db.query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM outbox",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
    });
    assert_eq!(outbox_rows, 0, "a preview queues nothing");

    let (code, _, err) = run(jejak().arg("--data-dir").arg(&data).args([
        "reminders",
        "preview",
        "--at",
        "2026-02-30 07:00",
    ]));
    assert_ne!(code, 0);
    assert!(
        err.contains("invalid date-time") && err.contains("2026-02-30"),
        "{err}"
    );
}

fn start_serving(data: &std::path::Path, smtp_url: &str) -> std::process::Child {
    jejak()
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("JEJAK_SMTP_URL", smtp_url)
        // A tick every second, so the test does not wait for 07:00.
        .env("JEJAK_REMINDER_SCHEDULE", "* * * * * *")
        // A dead worker's claims are taken over after 3 s, not 5 minutes.
        .env("JEJAK_MAIL_CLAIM_SECS", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `kill -9` while a batch is being delivered (a slow mail server), then a
/// restart: every message arrives, and only messages that were in flight
/// when the process died may arrive twice (at most the sends in flight, 16).
#[test]
fn a_server_killed_mid_delivery_loses_nothing_when_restarted() {
    use app::backend::entities::outbox;
    use sea_orm::EntityTrait;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0, "{err}");
    let smtp = jejak_tests::smtp::SmtpServer::start();
    smtp.slow_down(Duration::from_millis(150));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let db = rt
        .block_on(sea_orm::Database::connect(format!(
            "sqlite://{}",
            data.join("jejak.db").display()
        )))
        .unwrap();
    let outbox_rows = || rt.block_on(outbox::Entity::find().all(&db)).unwrap();
    let wait = |what: &str, limit: Duration, done: &dyn Fn() -> bool| {
        let start = Instant::now();
        while !done() {
            assert!(
                start.elapsed() < limit,
                "{what} not reached within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };

    let mut child = start_serving(&data, &smtp.url());
    wait("three messages received", Duration::from_secs(60), &|| {
        smtp.messages().len() >= 3
    });
    child.kill().unwrap(); // SIGKILL: no graceful anything
    child.wait().unwrap();
    let at_kill = outbox_rows();
    let in_flight: std::collections::BTreeSet<String> = at_kill
        .iter()
        .filter(|r| r.state == outbox::PENDING && r.claimed_until.is_some())
        .map(|r| r.key.clone())
        .collect();
    assert!(
        !in_flight.is_empty(),
        "killed mid-batch: some messages were claimed and not yet sent"
    );
    let received_before = smtp.messages().len();
    assert!(
        received_before < at_kill.len(),
        "not everything went out before the kill"
    );

    let mut child = start_serving(&data, &smtp.url());
    wait("every message sent", Duration::from_secs(120), &|| {
        let rows = outbox_rows();
        rows.iter().all(|r| r.state == outbox::SENT) && smtp.messages().len() >= rows.len()
    });
    child.kill().unwrap();
    child.wait().unwrap();

    let rows = outbox_rows();
    let mut count: std::collections::BTreeMap<String, usize> = Default::default();
    for m in smtp.messages() {
        *count.entry(m.outbox_key()).or_default() += 1;
    }
    let keys: std::collections::BTreeSet<String> = rows.iter().map(|r| r.key.clone()).collect();
    assert_eq!(
        count
            .keys()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        keys,
        "every queued message arrived"
    );
    let twice: Vec<(&String, &usize)> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.iter().all(|(_, n)| **n == 2), "{twice:?}");
    assert!(
        twice.len() <= 16,
        "at most the in-flight sends repeat: {twice:?}"
    );
    assert!(
        twice.iter().all(|(k, _)| in_flight.contains(*k)),
        "only messages in flight at the kill may repeat: {twice:?}"
    );
}

/// `jejak reminders run-once --digest` decides, queues and sends now; with
/// no SMTP server configured the mail lands as `.eml` files under
/// `<data_dir>/mail/`, and a second run sends nothing new.
#[test]
fn reminders_run_once_sends_now_into_mail_files_and_never_twice() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0, "{err}");
    let run_once = || {
        run(jejak()
            .arg("--data-dir")
            .arg(&data)
            .args(["reminders", "run-once", "--digest"]))
    };
    let (code, out, err) = run_once();
    assert_eq!(code, 0, "{out}{err}");
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(data.join("mail"))
        .expect("the mail folder")
        .map(|e| e.unwrap().path())
        .collect();
    assert!(files.len() > 5, "the demo has reminders due today: {out}");
    let sent: usize = out
        .split("Terkirim / sent: ")
        .nth(1)
        .and_then(|s| s.split(';').next())
        .and_then(|n| n.trim().parse().ok())
        .expect("the count of sent messages is printed");
    assert_eq!(sent, files.len(), "{out}");
    let digest = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .find(|m| m.contains("weekly_digest/"))
        .expect("--digest queued and sent the managers' digest");
    assert!(digest.contains("multipart/alternative"), "{digest}");

    // The lease of the first run is still held, and every key is in the
    // outbox: nothing new is decided or sent.
    let (code, out, err) = run_once();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Terkirim / sent: 0;"), "{out}");
    assert_eq!(
        std::fs::read_dir(data.join("mail")).unwrap().count(),
        files.len()
    );
}

/// `jejak import`: a dry run shows every finding and writes nothing (exit 1
/// when a row is rejected); the import itself writes the valid rows only
/// with `--only-valid`, still exits 1 because rows were rejected; the same
/// clean file twice changes nothing the second time; `--format json` is
/// machine-readable.
#[test]
fn import_previews_refuses_and_imports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["seed", "--demo"]));
    assert_eq!(code, 0, "{out}{err}");
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/import");
    let employees = corpus.join("pegawai-siasn-bom-titikkoma.csv");
    let broken = corpus.join("pegawai-nip-salah.csv");
    let count = |nip: &str| -> usize {
        let (_, out, _) = run(jejak()
            .arg("--data-dir")
            .arg(&data)
            .args(["import", "pegawai", "--dry-run", "--format", "json"])
            .arg(&employees));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        v["preview"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["key"] == nip && r["action"] == "unchanged")
            .count()
    };

    // A dry run of a clean file: exit 0, says what would happen, writes nothing.
    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "pegawai", "--dry-run"])
        .arg(&employees));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("dibuat: 4") && out.contains("tidak ada yang disimpan"),
        "{out}"
    );
    assert_eq!(count("199905052023031001"), 0, "the dry run wrote nothing");

    // Rejected rows: each named with line and column; exit 1; nothing written.
    let (code, out, _) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "employees"])
        .arg(&broken));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("baris 2, kolom nipBaru") && out.contains("[invalid_nip]"),
        "{out}"
    );
    assert!(out.contains("tidak ada yang disimpan"), "{out}");

    // The import, then again: the second time nothing changes.
    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "pegawai"])
        .arg(&employees));
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("Diimpor dalam satu transaksi: dibuat 4"),
        "{out}"
    );
    assert_eq!(count("199905052023031001"), 1);
    let (code, out, _) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "pegawai"])
        .arg(&employees));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("dibuat 0") && out.contains("tidak berubah 4"),
        "{out}"
    );

    // Only the valid rows: written, and the exit status still says rows were rejected.
    let mixed = dir.path().join("campur.csv");
    std::fs::write(
        &mixed,
        "nipBaru;nama;golongan;unorNama\n200002202024031005;Putri Sembiring;III/a;Kelurahan Bagan Deli\n19900101201503100X;Salah;III/a;Kelurahan Bagan Deli\n",
    )
    .unwrap();
    let (code, out, _) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "pegawai", "--only-valid", "--format", "json"])
        .arg(&mixed));
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["applied"]["created"], 1, "{v}");
    assert_eq!(v["applied"]["skipped"], 1, "{v}");

    // Unknown kind and missing file: refused with a reason.
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .args(["import", "gaji"])
        .arg(&employees));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pegawai|mutasi|riwayat"), "{err}");
    let (code, _, err) =
        run(jejak()
            .arg("--data-dir")
            .arg(&data)
            .args(["import", "pegawai", "/tidak/ada.csv"]));
    assert_eq!(code, 1);
    assert!(err.contains("tidak dapat dibaca"), "{err}");
}

/// A POST of form fields over a raw socket; the status code.
fn http_post_form(addr: &str, path: &str, body: &str) -> u16 {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
}

/// Every table of an SQLite file, every row as text, in rowid order (the
/// FTS5 index tables are derived: left out).
async fn dump(path: &std::path::Path) -> std::collections::BTreeMap<String, Vec<String>> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", path.display()))
        .await
        .unwrap();
    let q = |sql: String| Statement::from_string(DbBackend::Sqlite, sql);
    let tables: Vec<String> =
        db.query_all_raw(q("SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%trgm%' ORDER BY name"
            .into()))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect();
    let mut out = std::collections::BTreeMap::new();
    for t in tables {
        // quote() renders every value, of any type, as SQL text.
        let cols: Vec<String> = db
            .query_all_raw(q(format!("SELECT name FROM pragma_table_info('{t}')")))
            .await
            .unwrap()
            .iter()
            .map(|r| format!("quote(\"{}\")", r.try_get_by_index::<String>(0).unwrap()))
            .collect();
        let rows = db
            .query_all_raw(q(format!(
                "SELECT {} AS row FROM \"{t}\" ORDER BY rowid",
                cols.join(" || ',' || ")
            )))
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String>("", "row").unwrap())
            .collect();
        out.insert(t, rows);
    }
    db.close().await.unwrap();
    out
}

/// `jejak backup` while Jejak serves and writes; `jejak restore` refused
/// while it runs, then done once it is stopped: the restored database has
/// exactly the backup's contents, the replaced one is kept whole, and
/// Jejak starts on the restored data.
#[test]
fn backup_while_serving_and_restore_when_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db_file = data.join("jejak.db");
    let spawn = || {
        let mut child = jejak()
            .arg("--data-dir")
            .arg(&data)
            .args(["serve", "--addr", "127.0.0.1:0", "--demo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = lines
            .by_ref()
            .find_map(|l| {
                l.ok()?
                    .strip_prefix("Jejak berjalan di http://")
                    .and_then(|r| r.split_whitespace().next().map(str::to_string))
            })
            .expect("the URL is printed");
        std::thread::spawn(move || for _ in lines {});
        (child, addr)
    };
    let (mut server, addr) = spawn();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let login: String = rt.block_on(async {
        use sea_orm::{ConnectionTrait, DbBackend, Statement};
        let db = sea_orm::Database::connect(format!("sqlite://{}?mode=ro", db_file.display()))
            .await
            .unwrap();
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT e.nip FROM accounts a JOIN employees e ON e.id = a.employee_id \
                 ORDER BY a.id LIMIT 1",
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<String>(0).unwrap()
    });
    let body = format!(
        "login={login}&password={}",
        jejak::seed::accounts::DEMO_PASSWORD
    );
    assert_eq!(http_post_form(&addr, "/fn/sign_in", &body), 200);

    // Sign-ins (each writes a session and an audit line) while backing up.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, addr, body) = (stop.clone(), addr.clone(), body.clone());
        std::thread::spawn(move || {
            let mut ok = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                if http_post_form(&addr, "/fn/sign_in", &body) == 200 {
                    ok += 1;
                }
            }
            ok
        })
    };
    std::thread::sleep(Duration::from_millis(300));
    let backup = dir.path().join("cadangan.db");
    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .arg("backup")
        .arg(&backup));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Cadangan selesai"), "{out}");
    assert!(out.contains("sessions"), "the tables are counted: {out}");
    std::thread::sleep(Duration::from_millis(300));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let signed_in = writer.join().unwrap();
    assert!(signed_in > 0, "writes went on during the backup");
    assert!(!dir.path().join("cadangan.db.partial").exists());

    // Never over an existing file; a PostgreSQL database is pointed to pg_dump.
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .arg("backup")
        .arg(&backup));
    assert_eq!(code, 1);
    assert!(err.contains("sudah ada"), "{err}");
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .env("JEJAK_DATABASE_URL", "postgres://x@127.0.0.1:1/x")
        .arg("backup")
        .arg(dir.path().join("pg.db")));
    assert_eq!(code, 1);
    assert!(err.contains("pg_dump"), "{err}");

    // Restore is refused while Jejak runs, and changes nothing.
    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .arg("restore")
        .arg(&backup));
    assert_eq!(code, 1);
    assert!(err.contains("masih berjalan"), "{err}");
    // A damaged backup is refused before anything is touched.
    let broken = dir.path().join("rusak.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid..mid + 4096].fill(0xA5);
    std::fs::write(&broken, bytes).unwrap();

    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(server.wait().unwrap().success());
    let live = rt.block_on(dump(&db_file));
    let saved = rt.block_on(dump(&backup));
    // The backup is one moment of the live database: every table, and of
    // the tables that only grow, a prefix of the rows.
    assert_eq!(
        live.keys().collect::<Vec<_>>(),
        saved.keys().collect::<Vec<_>>()
    );
    for table in ["audit_log", "sessions", "employees", "assignments"] {
        let (l, s) = (&live[table], &saved[table]);
        assert!(!s.is_empty() && s.len() <= l.len(), "{table}");
        if table != "sessions" {
            assert_eq!(
                &l[..s.len()],
                &s[..],
                "{table}: the backup's rows are the live rows"
            );
        }
    }
    assert!(
        live["sessions"].len() > saved["sessions"].len(),
        "sign-ins after the backup are not in it"
    );

    let (code, _, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .arg("restore")
        .arg(&broken));
    assert_eq!(code, 1);
    assert!(
        err.contains("rusak") || err.contains("bukan database"),
        "{err}"
    );
    assert_eq!(
        rt.block_on(dump(&db_file)),
        live,
        "a refused restore changes nothing"
    );

    let (code, out, err) = run(jejak()
        .arg("--data-dir")
        .arg(&data)
        .arg("restore")
        .arg(&backup));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Pemulihan selesai"), "{out}");
    assert_eq!(
        rt.block_on(dump(&db_file)),
        saved,
        "the restored database is the backup"
    );
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("jejak.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    assert_eq!(rt.block_on(dump(&kept[0])), live, "whole");

    // Jejak starts on the restored data, and signing in works.
    let (mut server, addr) = spawn();
    assert!(http_get(&addr, "/healthz").starts_with("HTTP/1.1 200"));
    assert_eq!(http_post_form(&addr, "/fn/sign_in", &body), 200);
    server.kill().unwrap();
    server.wait().unwrap();
}
