//! Slow, hostile and impatient clients (issue 17): none of them can hold
//! Jejak, and no request waits without end.
//!
//! Before `jejak::limits`, a request took a turn at the database gate
//! before its body was read: eight connections trickling a sign-in form
//! held every turn and everyone else got 503 after 30 s. The tests here
//! fail on any answer other than the one a waiting person should get; the
//! only times they check are generous bounds that tell a hang from an
//! answer, never a speed.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};

use jejak_tests::{client_builder, demo, on_both_backends, spawn_app_with, Backend, TestApp};

on_both_backends!(
    trickling_clients_do_not_hold_jejak,
    one_address_cannot_take_every_slot,
    many_pages_at_once_with_clients_giving_up_all_answer,
);

/// A connection to `app` from one of loopback's addresses (127.0.0.0/8 all
/// reach it), so each stands for a different client.
async fn connect_from(to: SocketAddr, from: Ipv4Addr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(IpAddr::V4(from), 0))
        .expect("bind to a loopback address");
    socket.connect(to).await.expect("connect")
}

/// How a trickling connection ended.
#[derive(Debug)]
struct Ended {
    /// The status line the server answered, or empty when it only closed.
    status_line: String,
    after: Duration,
}

/// Writes `head`, then one byte every `every` until the server answers or
/// closes the connection (at most `give_up_after`).
async fn trickle(
    mut s: TcpStream,
    head: String,
    every: Duration,
    give_up_after: Duration,
) -> Ended {
    let started = Instant::now();
    s.write_all(head.as_bytes()).await.expect("head");
    let mut buf = vec![0u8; 8192];
    loop {
        if started.elapsed() > give_up_after {
            return Ended {
                status_line: "(still open)".into(),
                after: started.elapsed(),
            };
        }
        tokio::select! {
            n = s.read(&mut buf) => {
                let n = n.unwrap_or(0);
                let text = String::from_utf8_lossy(&buf[..n]);
                return Ended {
                    status_line: text.lines().next().unwrap_or("").to_string(),
                    after: started.elapsed(),
                };
            }
            _ = tokio::time::sleep(every) => {
                if s.write_all(b"a").await.is_err() {
                    return Ended { status_line: String::new(), after: started.elapsed() };
                }
            }
        }
    }
}

/// A sign-in form announcing 100 kB and sending a byte every `every`.
fn slow_body(app: &TestApp, from: Ipv4Addr, every: Duration) -> tokio::task::JoinHandle<Ended> {
    let head = format!(
        "POST /fn/sign_in HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: 100000\r\n\r\nlogin=",
        app.addr
    );
    let conn = connect_from(app.addr, from);
    tokio::spawn(async move { trickle(conn.await, head, every, Duration::from_secs(90)).await })
}

/// A request whose headers never end: a byte of a header every `every`.
fn slow_headers(app: &TestApp, from: Ipv4Addr, every: Duration) -> tokio::task::JoinHandle<Ended> {
    let head = format!("GET /masuk HTTP/1.1\r\nHost: {}\r\nX-Lambat: ", app.addr);
    let conn = connect_from(app.addr, from);
    tokio::spawn(async move { trickle(conn.await, head, every, Duration::from_secs(90)).await })
}

/// Dozens of trickling connections (bodies and headers, from several
/// addresses) while three signed-in people load their pages: every page
/// answers 200 as usual, the trickled bodies get 408 and the trickled
/// headers a closed connection, each in bounded time.
async fn trickling_clients_do_not_hold_jejak(backend: Backend) {
    let d = demo(backend).await;
    let manager = d.as_role("manager").await;
    let employee = d.as_role("employee").await;
    let app = &d.app;

    let mut bodies = Vec::new();
    let mut headers = Vec::new();
    for n in 0..32u8 {
        let from = Ipv4Addr::new(127, 0, 3, 10 + n % 4);
        bodies.push(slow_body(app, from, Duration::from_secs(2)));
    }
    for n in 0..12u8 {
        let from = Ipv4Addr::new(127, 0, 3, 20 + n % 2);
        headers.push(slow_headers(app, from, Duration::from_secs(1)));
    }
    // Let every trickler connect and send its head.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let pages: [(&reqwest::Client, &str); 5] = [
        (&d.admin, "/admin/mutasi"),
        (&d.admin, "/admin/akun"),
        (&manager, "/manajer"),
        (&employee, "/saya"),
        (&employee, "/"),
    ];
    let started = Instant::now();
    let mut loads = 0;
    // Through the whole time the tricklers are connected (the bodies are cut at 20 s).
    while started.elapsed() < Duration::from_secs(22) {
        for (client, path) in pages {
            let asked = Instant::now();
            let res = client
                .get(app.url(path))
                .timeout(Duration::from_secs(25))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path} got no answer while clients trickle: {e:?}"));
            let status = res.status();
            let body = res.text().await.unwrap_or_default();
            assert_eq!(
                status,
                200,
                "{path} while clients trickle, after {:?}: {}",
                asked.elapsed(),
                &body[..body.len().min(300)]
            );
            loads += 1;
        }
    }
    assert!(loads >= 10, "only {loads} page loads in 22 s");

    for b in bodies {
        let ended = b.await.expect("trickler");
        assert!(
            ended.status_line.starts_with("HTTP/1.1 408"),
            "a body trickled for {:?} ended with {:?}",
            ended.after,
            ended.status_line
        );
    }
    for h in headers {
        let ended = h.await.expect("trickler");
        assert!(
            ended.status_line.is_empty() || ended.status_line.starts_with("HTTP/1.1 408"),
            "headers trickled for {:?} ended with {:?}",
            ended.after,
            ended.status_line
        );
    }
    assert!(
        app.gate.closings().is_empty(),
        "the database gate closed on a healthy database: {:?}",
        app.gate.closings()
    );
}

/// A client from `from` (reqwest, no cookies).
fn client_from(from: Ipv4Addr) -> reqwest::Client {
    client_builder()
        .local_address(IpAddr::V4(from))
        .build()
        .expect("client")
}

/// One address with as many requests in progress as one client may gets
/// 429 for the next one, `/healthz` included; other addresses are served
/// as usual; the slots come back when its connections end.
async fn one_address_cannot_take_every_slot(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.max_requests_per_client = 4).await;
    let greedy = Ipv4Addr::new(127, 0, 4, 2);
    let tricklers: Vec<_> = (0..4)
        .map(|_| slow_body(&app, greedy, Duration::from_secs(1)))
        .collect();
    // All four in progress before the fifth asks (a fifth asking while
    // they connect would take one of the four slots itself).
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        tricklers.iter().all(|t| !t.is_finished()),
        "the four trickling requests are in progress"
    );
    let greedy_client = client_from(greedy);
    let mut seen = Vec::new();
    let started = Instant::now();
    let res = loop {
        match greedy_client.get(app.url("/healthz")).send().await {
            Ok(res) if res.status() == 429 => break res,
            Ok(res) => seen.push(format!("{:?}: {}", started.elapsed(), res.status())),
            Err(e) => seen.push(format!("{:?}: {e}", started.elapsed())),
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no 429 while four requests trickle: {seen:?}; tricklers ended: {:?}",
            tricklers
                .iter()
                .map(|t| t.is_finished())
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        res.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("2")
    );
    let text = res.text().await.unwrap();
    assert!(
        text.contains("Terlalu banyak permintaan bersamaan"),
        "{text}"
    );
    // A server function from the same address: its error, in JSON.
    let res = greedy_client
        .post(app.url("/fn/whoami"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 429);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "too_many_requests");

    // Everyone else is served.
    for other in [Ipv4Addr::new(127, 0, 0, 1), Ipv4Addr::new(127, 0, 4, 3)] {
        let client = client_from(other);
        assert_eq!(
            client
                .get(app.url("/healthz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        assert_eq!(
            client.get(app.url("/masuk")).send().await.unwrap().status(),
            200
        );
    }

    // The tricklers give up: their slots come back.
    for t in &tricklers {
        t.abort();
    }
    jejak_tests::wait_until(Duration::from_secs(20), || async {
        let res = greedy_client.get(app.url("/healthz")).send().await.ok()?;
        (res.status() == 200).then_some(())
    })
    .await;
    app.stop().await;
}

/// Many page requests at once from many clients, a third of which give up
/// after a few milliseconds (their requests are dropped midway, while
/// rendering or waiting for the database): every request of the patient
/// clients answers, 200, within a bound far above any real page's time;
/// afterwards every turn at the database is free again.
async fn many_pages_at_once_with_clients_giving_up_all_answer(backend: Backend) {
    let d = demo(backend).await;
    let manager = d.logins.iter().find(|l| l.role == "manager").unwrap();
    let employee = d.logins.iter().find(|l| l.role == "employee").unwrap();
    let admin = d.logins.iter().find(|l| l.role == "admin").unwrap();
    let app = &d.app;
    let roles: [(&str, &[&str]); 3] = [
        (
            &admin.nip,
            &[
                "/admin/mutasi",
                "/admin/akun",
                "/admin/organisasi",
                "/admin/pelatihan",
                "/admin/aturan",
                "/admin/pengingat",
                "/ekspor",
                "/",
            ],
        ),
        (&manager.nip, &["/manajer", "/", "/saya", "/ekspor"]),
        (&employee.nip, &["/saya", "/", "/sandi"]),
    ];
    const CLIENTS: u8 = 36;
    const BOUND: Duration = Duration::from_secs(40);
    let until = Instant::now() + Duration::from_secs(20);
    let mut tasks = Vec::new();
    for n in 0..CLIENTS {
        let (login, pages) = roles[n as usize % roles.len()];
        let from = Ipv4Addr::new(127, 0, 5, 10 + n);
        let client = client_builder()
            .cookie_store(true)
            .local_address(IpAddr::V4(from))
            .build()
            .unwrap();
        let res = client
            .post(app.url("/fn/sign_in"))
            .header("Accept", "text/html")
            .form(&[
                ("login", login),
                ("password", jejak::seed::accounts::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 302, "sign-in of {login}");
        let base = app.base.clone();
        let pages: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
        // Every third client gives up on its requests after 5 to 200 ms.
        let impatient = n % 3 == 0;
        tasks.push(tokio::spawn(async move {
            let mut answered = 0u32;
            let mut failures = Vec::new();
            let mut i = n as usize;
            while Instant::now() < until {
                let path = &pages[i % pages.len()];
                i += 1;
                let asked = Instant::now();
                if impatient {
                    let patience = Duration::from_millis(5 + (i as u64 * 37) % 195);
                    let _ = client
                        .get(format!("{base}{path}"))
                        .timeout(patience)
                        .send()
                        .await;
                    continue;
                }
                match client
                    .get(format!("{base}{path}"))
                    .timeout(BOUND)
                    .send()
                    .await
                {
                    Ok(res) => {
                        let status = res.status();
                        let body = res.bytes().await;
                        if status != 200 || body.is_err() {
                            failures.push(format!("{path}: {status} after {:?}", asked.elapsed()));
                        } else {
                            answered += 1;
                        }
                    }
                    Err(e) => failures.push(format!(
                        "{path}: no answer after {:?}: {e}",
                        asked.elapsed()
                    )),
                }
            }
            (answered, failures)
        }));
    }
    let mut answered = 0;
    let mut failures = Vec::new();
    for t in tasks {
        let (a, f) = t.await.expect("client task");
        answered += a;
        failures.extend(f);
    }
    assert!(
        failures.is_empty(),
        "{} of the patient requests failed ({answered} answered):\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(answered >= 24, "only {answered} pages answered in 20 s");
    // Dropped requests gave their turns back: as many requests as there
    // are turns can work at once right now.
    jejak_tests::wait_until(Duration::from_secs(30), || async {
        (app.gate.free_turns() == app.gate.turns()).then_some(())
    })
    .await;
    assert!(app.gate.closings().is_empty(), "{:?}", app.gate.closings());
}

/// A request stuck behind a lock another connection holds (a long
/// migration, a stuck maintenance session) is answered 503 at the
/// request deadline instead of holding its connection forever (PostgreSQL
/// waits for a lock without end; SQLite's busy timeout is 10 s). When the
/// lock goes, the same request is served, and the dropped one wrote
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_stuck_behind_a_lock_ends_at_the_deadline() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app_with(Backend::Postgres, |c| c.request_deadline_secs = 3).await;
    let admin = app.admin_client().await;
    let url = app.pg.as_ref().unwrap().url.clone();
    let blocker = sea_orm::Database::connect(&url).await.unwrap();
    let backend = blocker.get_database_backend();
    // One connection of its own holds the lock (a transaction on a pool of one).
    let tx = sea_orm::TransactionTrait::begin(&blocker).await.unwrap();
    tx.execute_raw(Statement::from_string(
        backend,
        "LOCK TABLE units IN ACCESS EXCLUSIVE MODE",
    ))
    .await
    .unwrap();
    let add = || {
        admin
            .post(app.url("/fn/add_unit"))
            .form(&[("name", "Seksi Terkunci"), ("parent_id", "")])
            .timeout(Duration::from_secs(50))
            .send()
    };
    let res = add()
        .await
        .expect("answered at the deadline, not left hanging");
    assert_eq!(res.status(), 503);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "unavailable");
    tx.rollback().await.unwrap();

    let res = add().await.unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    use sea_orm::EntityTrait;
    let units: Vec<String> = app::backend::entities::unit::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .filter(|n| n == "Seksi Terkunci")
        .collect();
    assert_eq!(
        units.len(),
        1,
        "the request dropped at the deadline wrote nothing"
    );
    app.stop().await;
}
