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

/// The synthetic organisation of `employees` people in the data dir's SQLite
/// file: what `jejak-synth --data-dir DATA --employees N` writes (test data,
/// not in the `jejak` binary), written here in this process.
fn seed_synthetic(data: &Path, employees: usize) {
    let config = app::backend::config::Config {
        data_dir: data.to_path_buf(),
        ..Default::default()
    };
    let today = chrono::Utc::now().with_timezone(&config.tz()).date_naive();
    let options = jejak_tests::synthetic::Options {
        employees,
        transfers: jejak_tests::synthetic::default_transfers(employees),
        seed: 2026,
    };
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(jejak_tests::synthetic::run(&config, today, options))
        .expect("the synthetic organisation");
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
    seed_synthetic(&data, 3000);
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
    tcp.write_all(&body.as_bytes()[10..]).unwrap();
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

/// One HTTP/1.1 POST of a form on a fresh connection, with the extra
/// `headers` (each ending in CRLF); the whole answer.
fn post_form(port: u16, path: &str, body: &str, headers: &str) -> String {
    use std::io::{Read, Write};
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        tcp,
        // As a browser posts from Jejak's own page (a signed-in POST with
        // neither this nor Origin is refused as cross-site).
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nSec-Fetch-Site: same-origin\r\n{headers}\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = tcp.read_to_string(&mut answer);
    answer
}

/// `jejak serve` on a free port, started and answering, without background
/// jobs (a reminder tick caught up at start would write the log too, and
/// its writes could set off a kill meant for the request); returns it and
/// the port.
fn serve(data: &Path) -> (std::process::Child, u16) {
    let port = free_port();
    let child = jejak(data)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("JEJAK_BACKGROUND_JOBS", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "jejak serve did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (child, port)
}

/// Signs in; returns the session cookie (`name=value`).
fn sign_in(port: u16, nip: &str) -> String {
    let answer = post_form(
        port,
        "/fn/sign_in",
        &format!(
            "login={nip}&password={}",
            jejak::seed::accounts::DEMO_PASSWORD
        ),
        // As a browser without JavaScript: a redirect, with the cookie.
        "Accept: text/html\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 302"), "sign-in: {answer}");
    answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// The attendance sheet completes every ticked participant in one
/// transaction. A sheet of the biggest course (over a thousand open
/// participants on the synthetic organisation) is sent, and the server is
/// killed while it writes (its write-ahead log growing) before it answers.
/// After the restart the course's participants are all still open, or (had
/// it committed just before) all completed, with exactly one completion
/// record and one audit line each; never a part. The same sheet, sent
/// again, completes them all.
#[test]
fn an_attendance_sheet_killed_while_it_writes_is_all_or_nothing_and_can_be_sent_again() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed_synthetic(&data, 3000);
    let logins: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("synthetic-logins.json")).unwrap())
            .unwrap();
    let admin = logins["logins"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["role"] == "admin")
        .unwrap()["nip"]
        .as_str()
        .unwrap()
        .to_string();
    let biggest = "SELECT course_id FROM assignments WHERE state IN ('assigned', 'in_progress') \
                   GROUP BY course_id ORDER BY COUNT(*) DESC, course_id LIMIT 1";
    let course = read_back(&data, biggest).1;
    let open = format!(
        "SELECT COUNT(*) FROM assignments WHERE course_id = {course} AND state IN ('assigned', 'in_progress')"
    );
    let participants = read_back(&data, &open).1;
    assert!(participants > 1000, "a big sheet: {participants}");
    let ids: Vec<i64> = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            use app::backend::entities::assignment;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let db =
                sea_orm::Database::connect(format!("sqlite://{}", data.join("jejak.db").display()))
                    .await
                    .unwrap();
            let ids = assignment::Entity::find()
                .filter(assignment::Column::CourseId.eq(course))
                .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
                .all(&db)
                .await
                .unwrap()
                .into_iter()
                .map(|a| a.id)
                .collect();
            db.close().await.unwrap();
            ids
        })
    };
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let mut sheet = format!("course_id={course}&completed_on={today}&jp=8&score=80");
    for (row, id) in ids.iter().enumerate() {
        sheet.push_str(&format!("&ids%5B{row}%5D={id}"));
    }
    let completions = format!(
        "SELECT COUNT(*) FROM completions WHERE course_id = {course} AND evidence_note = 'Daftar hadir'"
    );
    let completions_before = read_back(&data, &completions).1;
    let audited = "SELECT COUNT(*) FROM audit_log WHERE action = 'assignment.completed'";
    let audited_before = read_back(&data, audited).1;

    let (mut child, port) = serve(&data);
    let cookie = sign_in(port, &admin);
    let wal_before = wal_len(&data);
    let request = {
        let (sheet, cookie) = (sheet.clone(), cookie.clone());
        std::thread::spawn(move || {
            post_form(
                port,
                "/fn/record_attendance",
                &sheet,
                &format!("Cookie: {cookie}\r\n"),
            )
        })
    };
    let started = Instant::now();
    loop {
        assert!(
            !request.is_finished(),
            "the sheet was answered before it could be killed: {}",
            request.join().unwrap()
        );
        // Nothing else writes now (no background jobs, signed in): a log
        // grown by 1 MB is the sheet's transaction under way. (Measured:
        // the sheet grows it page by page, to about 9 MB in 3.5 s.)
        if wal_len(&data) > wal_before + 1024 * 1024 {
            child.kill().unwrap(); // SIGKILL
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the sheet was never written"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.wait().unwrap();
    let answer = request.join().unwrap();
    assert!(
        !answer.starts_with("HTTP/1.1 200"),
        "killed before it answered: {answer}"
    );

    let (check, still_open) = read_back(&data, &open);
    assert_eq!(check, "ok", "the database file is intact after the kill");
    assert!(
        still_open == participants || still_open == 0,
        "all or nothing: {still_open} of {participants} still open"
    );
    let applied = participants - still_open;
    assert_eq!(
        read_back(&data, &completions).1 - completions_before,
        applied,
        "one completion each, or none"
    );
    let audit_lines = read_back(&data, audited).1 - audited_before;
    assert_eq!(audit_lines, applied, "one audit line each, or none");
    println!(
        "attendance sheet killed while writing: {applied} of {participants} completed afterwards"
    );

    // Restarted, the same sheet again: everyone completed, once.
    let (mut child, port) = serve(&data);
    let cookie = sign_in(port, &admin);
    let answer = post_form(
        port,
        "/fn/record_attendance",
        &sheet,
        &format!("Cookie: {cookie}\r\n"),
    );
    child.kill().unwrap();
    child.wait().unwrap();
    if applied == 0 {
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    let (check, still_open) = read_back(&data, &open);
    assert_eq!((check.as_str(), still_open), ("ok", 0));
    assert_eq!(
        read_back(&data, &completions).1 - completions_before,
        participants
    );
    assert_eq!(read_back(&data, audited).1 - audited_before, participants);
}
