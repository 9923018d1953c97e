//! PostgreSQL restarted under load (issue 9): Jejak keeps running, answers
//! a clear 503 while the database is away (at once, not after a hang),
//! serves again by itself when it is back, and loses no write it
//! acknowledged.
//!
//! The restart needs a PostgreSQL server of the test's own: the shared
//! throw-away cluster of the other tests cannot be restarted under them.
//! So this test starts one (`initdb`, `pg_ctl`, PostgreSQL 15's programs
//! from Debian, as the `postgres` user when run as root) in a temporary
//! directory, on a free port, and removes it afterwards.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::backend::entities::audit_entry;
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{http_client, spawn_app_with, wait_until, Backend};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A PostgreSQL server of this test's own, stopped and removed on drop.
struct OwnPostgres {
    dir: tempfile::TempDir,
    port: u16,
}

impl OwnPostgres {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `program args…` (see [`command`]); fails the test when it fails.
    fn run(&self, program: &str, args: &[&str]) {
        let exe = Path::new(PG_BIN).join(program);
        let out = command(&exe).args(args).output().unwrap_or_else(|e| {
            panic!(
                "{} is needed for this test (Debian package postgresql-15): {e}",
                exe.display()
            )
        });
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn start_server(&self) {
        let data = self.data();
        let log = self.dir.path().join("postgres.log");
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                log.to_str().unwrap(),
                "-o",
                &opts,
                "-w",
                "start",
            ],
        );
    }

    fn stop_server(&self) {
        let data = self.data();
        self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"],
        );
    }

    fn start() -> OwnPostgres {
        let dir = tempfile::tempdir().unwrap();
        // The postgres user must be able to write there.
        let _ = Command::new("chown")
            .arg("postgres:")
            .arg(dir.path())
            .status();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = OwnPostgres { dir, port };
        let data = pg.data();
        pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        pg.start_server();
        pg
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = command(&Path::new(PG_BIN).join("pg_ctl"))
            .args(["-D", data.to_str().unwrap(), "-m", "immediate", "stop"])
            .output();
    }
}

/// `program`, as the `postgres` user when we are root (PostgreSQL refuses
/// to run as root), else as ourselves.
fn command(program: &Path) -> Command {
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

#[derive(Default)]
struct Seen {
    ok: u64,
    unavailable: u64,
    /// Other answers: anything but 200 and 503 is a failure of this test.
    other: Vec<String>,
    unanswered: Vec<String>,
    /// The 503 page (HTML) as a browser gets it, once.
    page: Option<String>,
    checkin_notes: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_restarted_under_load_gives_503_then_recovers_and_loses_nothing() {
    let pg = OwnPostgres::start();
    let url = pg.url();
    let app = spawn_app_with(Backend::Postgres, |c| c.database_url = url.clone()).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let logins = jejak::seed::accounts::demo(app.db()).await.unwrap();
    let nip_of = |role: &str| logins.iter().find(|l| l.role == role).unwrap().nip.clone();
    let manager = app.sign_in(&nip_of("manager"), DEMO_PASSWORD).await;
    let employee = app.sign_in(&nip_of("employee"), DEMO_PASSWORD).await;
    // The check-ins the manager may write, each once (a written check-in is
    // read-only): taken from one queue; one whose answer was lost is not
    // tried again.
    let manager_id = logins
        .iter()
        .find(|l| l.role == "manager")
        .unwrap()
        .employee_id;
    let checkins = jejak_tests::open_checkins_of_manager(&app, manager_id).await;
    assert!(!checkins.is_empty());
    let checkins = Arc::new(Mutex::new(std::collections::VecDeque::from(checkins)));

    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop_at = Arc::new(Mutex::new(Instant::now() + Duration::from_secs(3600)));
    let mut tasks = Vec::new();
    for n in 0..20usize {
        let (manager, employee, seen, stop_at) = (
            manager.clone(),
            employee.clone(),
            seen.clone(),
            stop_at.clone(),
        );
        let base = app.base.clone();
        let checkins = checkins.clone();
        tasks.push(tokio::spawn(async move {
            let mut i = 0usize;
            while Instant::now() < *stop_at.lock().unwrap() {
                i += 1;
                let notes = format!("mulai-ulang-{n}-{i}");
                let next = if i % 3 == 2 {
                    checkins.lock().unwrap().pop_front()
                } else {
                    None
                };
                let (what, req) = match (i % 3, next) {
                    (0, _) => (
                        "GET /saya",
                        employee
                            .get(format!("{base}/saya"))
                            .header("Accept", "text/html"),
                    ),
                    (_, None) => (
                        "GET /manajer",
                        manager
                            .get(format!("{base}/manajer"))
                            .header("Accept", "text/html"),
                    ),
                    (_, Some(id)) => (
                        "write_checkin",
                        manager.post(format!("{base}/fn/write_checkin")).form(&[
                            ("checkin_id", id.to_string()),
                            ("rating", "baik".into()),
                            ("notes", notes.clone()),
                        ]),
                    ),
                };
                // A hang shows up as an unanswered request (the client's 60 s
                // timeout), never as a timing assertion.
                match req.send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        let body = res.text().await.unwrap_or_default();
                        let mut s = seen.lock().unwrap();
                        match status {
                            200 => {
                                s.ok += 1;
                                if what == "write_checkin" {
                                    s.checkin_notes.push(notes);
                                }
                            }
                            503 => {
                                s.unavailable += 1;
                                if what != "write_checkin" && s.page.is_none() {
                                    s.page = Some(body);
                                }
                            }
                            _ => s.other.push(format!(
                                "{what}: {status} {}",
                                body.chars().take(200).collect::<String>()
                            )),
                        }
                    }
                    Err(e) => seen.lock().unwrap().unanswered.push(format!("{what}: {e}")),
                }
                // Gentle: the point is requests during the outage, not load.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }));
    }

    // The load runs (answered) before the restart; on a busy machine the
    // first answers may take a while.
    wait_until(Duration::from_secs(120), || async {
        (seen.lock().unwrap().ok >= 20).then_some(())
    })
    .await;
    let closed_while_healthy = app.gate.closings();
    // The restart: down (every connection cut) for a few seconds, then up.
    pg.stop_server();
    tokio::time::sleep(Duration::from_secs(4)).await;
    let during = seen.lock().unwrap().unavailable;
    pg.start_server();

    // Back by itself: the same Jejak, no restart, serves again.
    let probe = http_client();
    wait_until(Duration::from_secs(60), || async {
        let res = probe.get(app.url("/healthz")).send().await.ok()?;
        (res.status() == 200).then_some(())
    })
    .await;
    let ok_at_return = seen.lock().unwrap().ok;
    tokio::time::sleep(Duration::from_secs(3)).await;
    *stop_at.lock().unwrap() = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let seen = Arc::try_unwrap(seen).ok().unwrap().into_inner().unwrap();
    println!(
        "postgres restart: {} answered 200, {} answered 503 ({} while it was down), other {:?}, unanswered {}",
        seen.ok,
        seen.unavailable,
        during,
        seen.other,
        seen.unanswered.len()
    );
    assert!(seen.other.is_empty(), "only 200 and 503: {:#?}", seen.other);
    assert!(
        seen.unanswered.is_empty(),
        "no request hung: {:#?}",
        seen.unanswered
    );
    assert!(during > 0, "requests during the outage were answered 503");
    assert!(
        closed_while_healthy.is_empty(),
        "the gate closed on a healthy database: {closed_while_healthy:?}"
    );
    // Closed by the restart (what counts as a refusal is db_gate's unit test).
    let closings = app.gate.closings();
    assert!(
        !closings.is_empty(),
        "the gate closed while the database was away"
    );
    println!("gate closings: {closings:?}");
    assert!(
        seen.ok > ok_at_return,
        "requests succeed again after the restart"
    );
    // The gate's own page (both languages) or, for a request that met the
    // outage inside, the application's page with its notice: either way
    // the words say what happened, in Indonesian.
    let page = seen
        .page
        .expect("a page was refused while the database was away");
    assert!(page.contains("Layanan sedang tidak tersedia"), "{page}");

    // Every acknowledged check-in is in the audit trail.
    let audited: std::collections::BTreeSet<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("checkin.write"))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter_map(|a| a.after)
        .filter_map(|after| {
            serde_json::from_str::<serde_json::Value>(&after).ok()?["notes"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let lost: Vec<&String> = seen
        .checkin_notes
        .iter()
        .filter(|n| !audited.contains(*n))
        .collect();
    assert!(lost.is_empty(), "acknowledged, then lost: {lost:?}");
    assert!(!seen.checkin_notes.is_empty());
    app.stop().await;
}
