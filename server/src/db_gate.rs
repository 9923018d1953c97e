//! How many requests may work on the database at once, and what a request
//! is told while the database cannot be reached (issue 9).
//!
//! Two different things used to end the same way, a 503 after the pool's
//! acquire timeout: a database that is gone (PostgreSQL restarting), and one
//! that is merely busy (200 clients at once on two cores). Now:
//!
//! - **Busy**: at most half as many requests as the pool has connections
//!   work at once; the others wait their turn here, in order, for up to
//!   [`WAIT_FOR_TURN`]. The pool's acquire timeout is long (30 s): waiting
//!   for a connection means busy, not gone.
//! - **Gone**: a request that answers 503 (a connection broken by the
//!   restart) or works longer than [`SUSPECT_AFTER`] makes the gate try a
//!   connection of its own. If the database refuses it, the gate is
//!   closed: every request answers 503 at once, the requests still working
//!   end with 503 (dropping them rolls back what they began), and the gate
//!   tries again twice a second until the database answers. Nothing is
//!   restarted: the pool opens new connections by itself when it is back.
//!
//! Static files and `/healthz` pass without a turn: they must answer while
//! the database is away (the health check asks the database itself).

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};
use std::time::Duration;

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use tokio::sync::{Notify, Semaphore};

use app::error::AppError;

/// How long a request may wait for its turn before it is told to come back.
pub const WAIT_FOR_TURN: Duration = Duration::from_secs(30);
/// A request working this long makes the gate check the database.
const SUSPECT_AFTER: Duration = Duration::from_secs(3);
/// How often the probe asks an unreachable database.
const PROBE_EVERY: Duration = Duration::from_millis(500);
/// What `Retry-After` says in a 503.
const RETRY_AFTER_SECS: &str = "5";

pub struct DbGate {
    turns: Arc<Semaphore>,
    database_url: String,
    down: AtomicBool,
    checking: AtomicBool,
    went_down: Notify,
}

impl DbGate {
    /// A gate for a pool of `pool_size` connections at `database_url`.
    /// Half the pool may be taken by requests at once: a request that holds
    /// a connection (a transaction) and asks for a second must always find
    /// one free, or every request could hold one and wait for another.
    pub fn new(database_url: String, pool_size: u32) -> Arc<Self> {
        Arc::new(Self {
            turns: Arc::new(Semaphore::new((pool_size / 2).max(1) as usize)),
            database_url,
            down: AtomicBool::new(false),
            checking: AtomicBool::new(false),
            went_down: Notify::new(),
        })
    }

    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }

    /// A request answered 503, or is slow: is the database gone, or only
    /// busy? Asked on a connection of its own (the pool may be full, or hold
    /// connections the restart broke). Gone: refuse at once until it
    /// answers again; busy: nothing changes.
    fn suspect(self: &Arc<Self>) {
        if self.checking.swap(true, Ordering::SeqCst) {
            return;
        }
        let gate = self.clone();
        tokio::spawn(async move {
            if gate.probe_patiently().await == Probe::Gone {
                gate.down.store(true, Ordering::SeqCst);
                gate.went_down.notify_waiters();
                tracing::warn!("database unreachable: answering 503 until it is back");
                while gate.probe().await != Probe::Answers {
                    tokio::time::sleep(PROBE_EVERY).await;
                }
                gate.down.store(false, Ordering::SeqCst);
                tracing::info!("database reachable again");
            }
            gate.checking.store(false, Ordering::SeqCst);
        });
    }

    /// Gone on a refusal, or after three connection attempts in a row
    /// without an answer (10 s each): on a starved machine a healthy server
    /// was seen to take over 10 s to accept a connection.
    async fn probe_patiently(&self) -> Probe {
        for _ in 0..3 {
            match self.probe().await {
                Probe::NoAnswerInTime => continue,
                p => return p,
            }
        }
        Probe::Gone
    }

    /// Can a new connection be opened? Any answer from the server counts
    /// ("too many clients" is a busy server, not a gone one), except that
    /// it is starting up or shutting down. SQLite is a file beside us: a
    /// busy SQLite is never "gone".
    async fn probe(&self) -> Probe {
        use sea_orm::sqlx::{postgres::PgConnection, Connection, Error};
        if !self.database_url.starts_with("postgres") {
            return Probe::Answers;
        }
        let connect = PgConnection::connect(&self.database_url);
        match tokio::time::timeout(Duration::from_secs(10), connect).await {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
                Probe::Answers
            }
            Ok(Err(Error::Database(e)))
                if !matches!(e.code().as_deref(), Some("57P01" | "57P02" | "57P03")) =>
            {
                Probe::Answers
            }
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "database not reachable");
                Probe::Gone
            }
            Err(_) => {
                tracing::warn!("database not reachable: no connection within 10 s");
                Probe::NoAnswerInTime
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    Answers,
    Gone,
    NoAnswerInTime,
}

fn passes_freely(path: &str) -> bool {
    path == "/healthz" || path.starts_with("/pkg/")
}

pub async fn guard(State(gate): State<Arc<DbGate>>, req: Request, next: Next) -> Response {
    if passes_freely(req.uri().path()) {
        return next.run(req).await;
    }
    let asker = Asker::of(&req);
    // Registered before the check, so a fall between the two is not missed.
    let went_down = gate.went_down.notified();
    if gate.is_down() {
        return unavailable(asker);
    }
    let turn = tokio::select! {
        turn = tokio::time::timeout(WAIT_FOR_TURN, gate.turns.clone().acquire_owned()) => match turn {
            Ok(Ok(turn)) => turn,
            // Waited the longest a person should: busy, not broken.
            _ => return unavailable(asker),
        },
        _ = went_down => return unavailable(asker),
    };
    // While the request works: if it takes long, the gate checks whether the
    // database is still there (a pool waiting for a database that went away
    // while idle would otherwise wait its whole acquire timeout); if the
    // database is found gone, the request ends now with 503. Dropping it
    // rolls back whatever it had begun: nothing it did was acknowledged.
    let went_down = gate.went_down.notified();
    if gate.is_down() {
        return unavailable(asker);
    }
    let work = next.run(req);
    tokio::pin!(work, went_down);
    let slow = tokio::time::sleep(SUSPECT_AFTER);
    tokio::pin!(slow);
    let mut suspected = false;
    let response = loop {
        tokio::select! {
            response = &mut work => break response,
            _ = &mut went_down => {
                tracing::warn!("request ended with 503: the database went away while it worked");
                return unavailable(asker);
            }
            _ = &mut slow, if !suspected => {
                suspected = true;
                gate.suspect();
            }
        }
    };
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        gate.suspect();
    }
    // The turn ends with the handler: pages render whole before they are
    // sent (SsrMode::Async), and a slow download must not hold a turn.
    drop(turn);
    response
}

/// Who asked, as far as the form of a refusal goes.
#[derive(Clone, Copy)]
enum Asker {
    Api,
    ServerFunction,
    Browser,
}

impl Asker {
    fn of(req: &Request) -> Asker {
        let path = req.uri().path();
        let wants_html = req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
        if crate::http::is_api(path) {
            Asker::Api
        } else if path.starts_with("/fn/") && !wants_html {
            Asker::ServerFunction
        } else {
            Asker::Browser
        }
    }
}

/// The 503 in the form the caller reads: a server function's error, the
/// API's error body, or a page.
fn unavailable(asker: Asker) -> Response {
    let mut res = match asker {
        Asker::Api => crate::api::error::ApiError::from(AppError::Unavailable).into_response(),
        Asker::ServerFunction => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::to_string(&AppError::Unavailable).unwrap_or_default(),
        )
            .into_response(),
        Asker::Browser => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::from(unavailable_page()),
        )
            .into_response(),
    };
    let h = res.headers_mut();
    h.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECS));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A page of its own (the application's pages need the database): both
/// languages, Indonesian first, and a reload after a few seconds.
fn unavailable_page() -> String {
    let id = AppError::Unavailable.message("id");
    let en = AppError::Unavailable.message("en");
    format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta http-equiv=\"refresh\" content=\"{RETRY_AFTER_SECS}\">\
         <title>Jejak: layanan tidak tersedia</title></head>\
         <body><main id=\"tidak-tersedia\"><h1>{id}</h1><p lang=\"en\">{en}</p>\
         <p>Halaman ini akan dimuat ulang otomatis. / This page reloads by itself.</p>\
         </main></body></html>"
    )
}
