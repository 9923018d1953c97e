//! A bounded mixed load (issue 9): 200 clients on loopback for 60 seconds
//! (`JEJAK_LOAD_SECONDS` shortens it for a quick look), reading and writing
//! as every role at once, on the demo organisation:
//!
//! - anonymous visitors: the home page and the sign-in page;
//! - employees: "Penugasan saya";
//! - the trainer: the trainer's desk;
//! - the manager: the dashboard, and 30/60/90-day check-ins written again
//!   and again, each with notes no other write has;
//! - administrators: the transfer list with a search, and each writer a
//!   cycle on an employee of their own: a draft transfer with a new SK
//!   number, then its cancellation.
//!
//! It ends with no answer of 500 or above, no request left unanswered, and
//! every write the server acknowledged found in the database afterwards:
//! each acknowledged draft with its SK number, each acknowledged
//! cancellation as cancelled, and each acknowledged check-in in the audit
//! trail with its notes. Counted, not assumed; the figures are printed
//! (docs/RELIABILITY.md keeps a run's).
//!
//! Clients share one signed-in session per role (as one person with many
//! tabs): 200 sign-ins would measure password hashing, not the pages.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::backend::entities::{audit_entry, employee, position, transfer, unit};
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{demo_app, on_both_backends, Backend, TestApp};
use reqwest::cookie::Jar;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

const CLIENTS: usize = 200;

fn duration() -> Duration {
    let secs = std::env::var("JEJAK_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// What the clients saw and what the server acknowledged.
#[derive(Default)]
struct Tally {
    by_status: BTreeMap<u16, u64>,
    /// Requests with no answer (refused, reset, or over the client's timeout).
    unanswered: Vec<String>,
    /// The first few answers of 500 or above, with what was asked.
    server_errors: Vec<String>,
    /// Other refusals, which a correct client should never get.
    refusals: Vec<String>,
    drafts: Vec<(i64, String)>,
    cancelled: Vec<i64>,
    checkin_notes: Vec<String>,
}

impl Tally {
    fn saw(&mut self, what: &str, status: u16, body: &str) {
        *self.by_status.entry(status).or_default() += 1;
        if status >= 500 && self.server_errors.len() < 10 {
            self.server_errors.push(format!("{what}: {status} {body}"));
        } else if (400..500).contains(&status) && self.refusals.len() < 10 {
            self.refusals.push(format!("{what}: {status} {body}"));
        }
    }
}

/// A client of its own (own connections) on a shared, signed-in session.
fn client_on(jar: &Arc<Jar>) -> reqwest::Client {
    jejak_tests::client_builder()
        .cookie_provider(jar.clone())
        .build()
        .unwrap()
}

/// The same, from an address of its own (127.0.0.2, 127.0.0.3 …): 200
/// people are 200 clients, each under the per-client limit
/// (`jejak::limits`), not one client with 200 requests at once.
fn client_from(n: usize, jar: &Arc<Jar>) -> reqwest::Client {
    let ip = std::net::Ipv4Addr::new(127, 0, (2 + n / 250) as u8, (2 + n % 250) as u8);
    jejak_tests::client_builder()
        .cookie_provider(jar.clone())
        .local_address(std::net::IpAddr::V4(ip))
        .build()
        .unwrap()
}

async fn session_of(app: &TestApp, nip: &str) -> Arc<Jar> {
    let jar = Arc::new(Jar::default());
    let res = client_on(&jar)
        .post(app.url("/fn/sign_in"))
        .header("Accept", "text/html")
        .form(&[("login", nip), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302, "sign-in as {nip}");
    jar
}

/// Sends one request and records its answer; the answer's text when it
/// was a success.
async fn send(tally: &Mutex<Tally>, what: String, req: reqwest::RequestBuilder) -> Option<String> {
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            let short: String = body.chars().take(300).collect();
            tally.lock().unwrap().saw(&what, status, &short);
            (status < 400).then_some(body)
        }
        Err(e) => {
            tally
                .lock()
                .unwrap()
                .unanswered
                .push(format!("{what}: {e}"));
            None
        }
    }
}

enum Role {
    Visitor,
    Employee,
    Trainer,
    Manager {
        /// Open check-ins, each written once (a written one is read-only).
        checkins: Arc<Mutex<std::collections::VecDeque<i64>>>,
    },
    AdminReader,
    AdminWriter {
        employee: employee::Model,
        to_unit: i64,
        to_position: i64,
    },
}

async fn run_client(
    n: usize,
    role: Role,
    client: reqwest::Client,
    base: String,
    until: Instant,
    tally: Arc<Mutex<Tally>>,
    today: chrono::NaiveDate,
) {
    let url = |p: &str| format!("{base}{p}");
    let mut i = 0usize;
    while Instant::now() < until {
        i += 1;
        match &role {
            Role::Visitor => {
                let path = if i % 2 == 0 { "/" } else { "/masuk" };
                send(&tally, format!("GET {path}"), client.get(url(path))).await;
            }
            Role::Employee => {
                send(&tally, "GET /saya".into(), client.get(url("/saya"))).await;
            }
            Role::Trainer => {
                send(&tally, "GET /pelatih".into(), client.get(url("/pelatih"))).await;
            }
            Role::Manager { checkins } => {
                let next = if i % 2 == 0 {
                    None
                } else {
                    checkins.lock().unwrap().pop_front()
                };
                if let Some(id) = next {
                    let notes = format!("beban-{n}-{i}");
                    let form = [
                        ("checkin_id", id.to_string()),
                        ("rating", "baik".to_string()),
                        ("notes", notes.clone()),
                    ];
                    let req = client.post(url("/fn/write_checkin")).form(&form);
                    if send(&tally, format!("write_checkin {id}"), req)
                        .await
                        .is_some()
                    {
                        tally.lock().unwrap().checkin_notes.push(notes);
                    }
                } else {
                    send(&tally, "GET /manajer".into(), client.get(url("/manajer"))).await;
                }
            }
            Role::AdminReader => {
                let q = ["siti", "19", "mutasi", "budi"][i % 4];
                let path = format!("/admin/mutasi?q={q}");
                send(&tally, format!("GET {path}"), client.get(url(&path))).await;
            }
            Role::AdminWriter {
                employee,
                to_unit,
                to_position,
            } => {
                let sk = format!("BEBAN/{n}/{i}/2026");
                let form = [
                    ("nip", employee.nip.clone()),
                    ("to_unit_id", to_unit.to_string()),
                    ("to_position_id", to_position.to_string()),
                    ("sk_number", sk.clone()),
                    ("sk_date", today.to_string()),
                    ("tmt", (today + chrono::Days::new(14)).to_string()),
                    ("transfer_type", "between_agencies".to_string()),
                    ("notes", "uji beban".to_string()),
                ];
                let req = client.post(url("/fn/create_transfer")).form(&form);
                let Some(body) = send(&tally, "create_transfer".into(), req).await else {
                    // Not acknowledged: it may or may not have been written;
                    // this employee may now have an open draft, so stop here.
                    return;
                };
                let id: i64 = body.trim().parse().expect("the new transfer's id");
                tally.lock().unwrap().drafts.push((id, sk));
                let form = [
                    ("id", id.to_string()),
                    ("reason", "uji beban selesai".to_string()),
                ];
                let req = client.post(url("/fn/cancel_transfer")).form(&form);
                if send(&tally, format!("cancel_transfer {id}"), req)
                    .await
                    .is_some()
                {
                    tally.lock().unwrap().cancelled.push(id);
                } else {
                    return;
                }
            }
        }
    }
}

async fn two_hundred_clients_for_a_minute_lose_nothing(backend: Backend) {
    let (app, logins) = demo_app(backend).await;
    let db = app.db();
    let today = app.state.now_local().date_naive();
    let nip_of = |role: &str| logins.iter().find(|l| l.role == role).unwrap().nip.clone();
    let admin = session_of(&app, &nip_of("admin")).await;
    let manager = session_of(&app, &nip_of("manager")).await;
    let trainer = session_of(&app, &nip_of("trainer")).await;
    let employee_login = session_of(&app, &nip_of("employee")).await;

    // The open check-ins the demo manager may write, each once.
    let manager_id = logins
        .iter()
        .find(|l| l.role == "manager")
        .unwrap()
        .employee_id;
    let checkins = jejak_tests::open_checkins_of_manager(&app, manager_id).await;
    assert!(
        !checkins.is_empty(),
        "the demo manager has check-ins to write"
    );
    let checkins = Arc::new(Mutex::new(std::collections::VecDeque::from(checkins)));

    // Employees with no transfer at all, one for each writing administrator.
    let busy: BTreeSet<i64> = transfer::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.employee_id)
        .collect();
    let free: Vec<employee::Model> = employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| !busy.contains(&e.id))
        .take(30)
        .collect();
    assert!(
        free.len() >= 10,
        "the demo has employees without transfers: {}",
        free.len()
    );
    let to_position = position::Entity::find().one(db).await.unwrap().unwrap().id;
    let units: Vec<i64> = unit::Entity::find()
        .all(db)
        .await
        .unwrap()
        .iter()
        .map(|u| u.id)
        .collect();

    let mut roles: Vec<(Role, &Arc<Jar>)> = Vec::new();
    let writers = free.len();
    for e in free {
        let to_unit = *units.iter().find(|u| **u != e.unit_id).unwrap();
        roles.push((
            Role::AdminWriter {
                employee: e,
                to_unit,
                to_position,
            },
            &admin,
        ));
    }
    while roles.len() < 50 {
        roles.push((Role::AdminReader, &admin));
    }
    for _ in 0..40 {
        roles.push((
            Role::Manager {
                checkins: checkins.clone(),
            },
            &manager,
        ));
    }
    for _ in 0..20 {
        roles.push((Role::Trainer, &trainer));
    }
    for _ in 0..50 {
        roles.push((Role::Employee, &employee_login));
    }
    let anonymous = Arc::new(Jar::default());
    while roles.len() < CLIENTS {
        roles.push((Role::Visitor, &anonymous));
    }
    assert_eq!(roles.len(), CLIENTS);

    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let until = started + duration();
    let mut tasks = Vec::new();
    for (n, (role, jar)) in roles.into_iter().enumerate() {
        tasks.push(tokio::spawn(run_client(
            n,
            role,
            client_from(n, jar),
            app.base.clone(),
            until,
            tally.clone(),
            today,
        )));
    }
    for t in tasks {
        t.await.expect("a client task panicked");
    }
    let elapsed = started.elapsed();
    let tally = Arc::try_unwrap(tally).ok().unwrap().into_inner().unwrap();

    // Counted in the database, not assumed from the answers.
    let mut missing = Vec::new();
    let stored: BTreeMap<i64, transfer::Model> = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.starts_with("BEBAN/"))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    for (id, sk) in &tally.drafts {
        match stored.get(id) {
            Some(t) if &t.sk_number == sk => {}
            other => missing.push(format!(
                "draft {id} {sk}: {:?}",
                other.map(|t| &t.sk_number)
            )),
        }
    }
    for id in &tally.cancelled {
        if stored.get(id).map(|t| t.state.as_str()) != Some("cancelled") {
            missing.push(format!("cancellation of {id}"));
        }
    }
    let audited: BTreeSet<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("checkin.write"))
        .all(db)
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
    for notes in &tally.checkin_notes {
        if !audited.contains(notes) {
            missing.push(format!("check-in \"{notes}\""));
        }
    }
    // Nothing written that nobody asked for either: at most one draft more
    // than acknowledged per writer (a write whose answer was lost).
    assert!(
        stored.len() <= tally.drafts.len() + writers,
        "{} BEBAN drafts stored, {} acknowledged",
        stored.len(),
        tally.drafts.len()
    );

    let requests: u64 = tally.by_status.values().sum();
    // Busy is not gone: the database was there all along.
    let closings = app.gate.closings();
    println!(
        "load ({backend:?}): {CLIENTS} clients for {:.1} s: {requests} answers ({:.0}/s), by status {:?}; \
         {} unanswered; acknowledged writes: {} drafts, {} cancellations, {} check-ins; missing afterwards: {}; \
         gate closings: {closings:?}",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        tally.by_status,
        tally.unanswered.len(),
        tally.drafts.len(),
        tally.cancelled.len(),
        tally.checkin_notes.len(),
        missing.len(),
    );
    assert!(
        closings.is_empty(),
        "the gate closed on a healthy database: {closings:?}"
    );
    assert!(
        tally.server_errors.is_empty(),
        "answers of 500 or above: {:#?}",
        tally.server_errors
    );
    assert!(
        tally.unanswered.is_empty(),
        "requests left unanswered: {:#?}",
        &tally.unanswered[..tally.unanswered.len().min(10)]
    );
    assert!(
        tally.refusals.is_empty(),
        "refusals of valid requests: {:#?}",
        tally.refusals
    );
    assert!(
        missing.is_empty(),
        "acknowledged but not in the database: {missing:#?}"
    );
    assert!(
        !tally.drafts.is_empty() && !tally.cancelled.is_empty() && !tally.checkin_notes.is_empty(),
        "every kind of write was acknowledged at least once"
    );
    app.stop().await;
}

on_both_backends!(two_hundred_clients_for_a_minute_lose_nothing);
