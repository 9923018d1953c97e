//! Process faults (issue 9): `kill -9` in the middle of work that must be
//! all or nothing, then a restart. Real processes (the `jejak` binary) on a
//! real SQLite file; the state is read back from the file afterwards.
//! (A kill during mail delivery, where the outbox must resume, is
//! `cli.rs::a_server_killed_mid_delivery_loses_nothing_when_restarted`.)

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn jejak(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jejak"));
    c.env_remove("JEJAK_DATABASE_URL")
        .env_remove("JEJAK_ADDR")
        .env_remove("JEJAK_DATA_DIR")
        .env_remove("JEJAK_CONFIG")
        .env("JEJAK_LOG", "warn")
        .arg("--data-dir")
        .arg(data);
    c
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("run jejak");
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wal_len(data: &Path) -> u64 {
    std::fs::metadata(data.join("jejak.db-wal"))
        .map(|m| m.len())
        .unwrap_or(0)
}

/// `(integrity_check, number of rows the query counts)`, read with the
/// sqlite3 library (the same one Jejak uses) after the process is gone.
fn read_back(data: &Path, count_sql: &str) -> (String, i64) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sea_orm::{ConnectionTrait, Database, Statement};
        let db = Database::connect(format!("sqlite://{}", data.join("jejak.db").display()))
            .await
            .unwrap();
        let b = db.get_database_backend();
        let check = db
            .query_one_raw(Statement::from_string(b, "PRAGMA integrity_check"))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<String>(0)
            .unwrap();
        let n = db
            .query_one_raw(Statement::from_string(b, count_sql))
            .await
            .unwrap()
            .unwrap()
            .try_get_by_index::<i64>(0)
            .unwrap();
        db.close().await.unwrap();
        (check, n)
    })
}

/// A decree list of `N` transfers is imported in one transaction (the
/// transfers, the moves, the plans and their assignments). Killed while it
/// writes (its write-ahead log growing), then restarted: the file is intact
/// and holds none of it, or (had it committed just before) all of it; never
/// a part. The same file then imports completely.
#[test]
fn an_import_killed_while_it_writes_is_all_or_nothing_and_runs_again() {
    const N: usize = 6_000;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    run_ok(jejak(&data).args(["seed", "--demo"]));
    let (employee_file, transfer_file) = jejak_tests::import_files::over_the_demo(N);
    let employees = dir.path().join("pegawai.csv");
    std::fs::write(&employees, employee_file).unwrap();
    let transfers = dir.path().join("mutasi.csv");
    std::fs::write(&transfers, transfer_file).unwrap();
    run_ok(jejak(&data).args(["import", "pegawai"]).arg(&employees));
    let imported = "SELECT COUNT(*) FROM transfers WHERE sk_number LIKE '821.2/%/BKPSDM/2026'";
    let plans = "SELECT COUNT(*) FROM plans p JOIN transfers t ON t.id = p.transfer_id \
                 WHERE t.sk_number LIKE '821.2/%/BKPSDM/2026'";
    assert_eq!(read_back(&data, imported).1, 0);

    let wal_before = wal_len(&data);
    let mut child = jejak(&data)
        .args(["import", "mutasi"])
        .arg(&transfers)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once the transaction has written a few megabytes (pages spill
    // to the log long before the commit), or when it is about to end.
    let started = Instant::now();
    let killed_while_running = loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the import ended ({status}) before it could be killed; \
                 make the file larger (N = {N})"
            );
        }
        if wal_len(&data) > wal_before + 4 * 1024 * 1024 {
            child.kill().unwrap(); // SIGKILL
            break true;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the import never wrote"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    child.wait().unwrap();
    assert!(killed_while_running);

    let (check, n) = read_back(&data, imported);
    assert_eq!(check, "ok", "the database file is intact after the kill");
    assert!(n == 0 || n == N as i64, "all or nothing, not {n} of {N}");
    let (_, p) = read_back(&data, plans);
    assert_eq!(p, n, "plans exactly for the transfers that are there");
    println!("import killed while writing: {n} of {N} transfers afterwards");

    // Run again: everything, once.
    let out = run_ok(jejak(&data).args(["import", "mutasi"]).arg(&transfers));
    assert!(out.contains("Diimpor dalam satu transaksi"), "{out}");
    let (check, n) = read_back(&data, imported);
    assert_eq!((check.as_str(), n), ("ok", N as i64));
    assert_eq!(read_back(&data, plans).1, N as i64);
}

/// A reminder tick decides and queues its messages in one transaction
/// (then sends them). Killed while it queues (the log growing, no message
/// written out yet), then run again: the outbox holds none of the tick's
/// messages or all of them, never a part; the second run queues what is
/// due and sends every message exactly once (with no SMTP server
/// configured, as `.eml` files).
#[test]
fn a_reminder_tick_killed_while_it_queues_is_all_or_nothing_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // About 6,000 open assignments, 12,000 messages due on the first tick.
    run_ok(jejak(&data).args(["seed", "--synthetic", "--employees", "3000"]));
    let mail = data.join("mail");
    let mails = || std::fs::read_dir(&mail).map(|d| d.count()).unwrap_or(0);
    let outbox = "SELECT COUNT(*) FROM outbox";
    assert_eq!(read_back(&data, outbox).1, 0);

    let wal_before = wal_len(&data);
    let mut child = jejak(&data)
        .args(["reminders", "run-once"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the tick ended ({status}) before it could be killed");
        }
        assert_eq!(
            mails(),
            0,
            "sending began before the queue grew: no kill mid-queue"
        );
        if wal_len(&data) > wal_before + 2 * 1024 * 1024 {
            child.kill().unwrap(); // SIGKILL
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the tick never wrote"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    let (check, queued) = read_back(&data, outbox);
    assert_eq!(check, "ok");
    assert_eq!(mails(), 0, "killed before anything was sent");

    let out = run_ok(jejak(&data).args(["reminders", "run-once"]));
    let (check, after) = read_back(&data, outbox);
    assert_eq!(check, "ok");
    assert!(after > 1000, "the tick's messages are queued: {after}");
    assert!(
        queued == 0 || queued == after,
        "all or nothing: {queued} of {after} after the kill"
    );
    let (_, sent) = read_back(&data, "SELECT COUNT(*) FROM outbox WHERE state = 'sent'");
    assert_eq!(sent, after, "{out}");
    assert_eq!(mails() as i64, after, "each message written out once");
    println!("reminder tick killed while queueing: {queued} of {after} queued afterwards");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// SIGTERM while a request is being received and a delivery batch is being
/// sent to a slow mail server: the request still gets its answer, the batch
/// is finished (every message the pass claimed is sent and marked so, none
/// left claimed), and the process exits 0.
#[test]
fn sigterm_finishes_the_request_in_flight_and_the_delivery_batch() {
    use app::backend::entities::outbox;
    use sea_orm::EntityTrait;
    use std::io::{Read, Write};

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    run_ok(jejak(&data).args(["seed", "--demo"]));
    let smtp = jejak_tests::smtp::SmtpServer::start();
    // Slow: the batch is still being sent when SIGTERM comes.
    smtp.slow_down(Duration::from_millis(1000));
    let port = free_port();
    let mut child = jejak(&data)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("JEJAK_SMTP_URL", smtp.url())
        .env("JEJAK_REMINDER_SCHEDULE", "* * * * * *")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while smtp.messages().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "delivery never began"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A request half sent: headers and part of its body.
    let body = "login=199410052019022003&password=salah-sekali";
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        tcp,
        "POST /fn/sign_in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.len(),
        &body[..10]
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(100));

    let received_at_term = smtp.messages().len();
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    std::thread::sleep(Duration::from_millis(300));
    tcp.write_all(body[10..].as_bytes()).unwrap();
    let mut answer = String::new();
    tcp.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    tcp.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight is answered: {answer}"
    );

    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "jejak did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    let rows = rt.block_on(async {
        let db =
            sea_orm::Database::connect(format!("sqlite://{}", data.join("jejak.db").display()))
                .await
                .unwrap();
        outbox::Entity::find().all(&db).await.unwrap()
    });
    let claimed: Vec<&String> = rows
        .iter()
        .filter(|r| r.state == outbox::PENDING && r.claimed_until.is_some())
        .map(|r| &r.key)
        .collect();
    assert!(
        claimed.is_empty(),
        "the batch was finished, nothing left claimed: {claimed:?}"
    );
    let sent = rows.iter().filter(|r| r.state == outbox::SENT).count();
    assert!(
        sent > received_at_term,
        "the batch was still going at SIGTERM ({received_at_term} received) and was finished ({sent} sent)"
    );
    assert_eq!(
        smtp.messages().len(),
        sent,
        "every message marked sent was received, once"
    );
}
