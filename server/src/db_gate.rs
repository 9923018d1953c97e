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
//!   connection of its own. Only a refusal closes the gate: the server's
//!   port or socket refuses the connection, or the server says it is
//!   shutting down or starting up, twice, [`CONFIRM_AFTER`] apart. Then
//!   every request answers 503 at once, the requests still working end with
//!   503 (dropping them rolls back what they began), and the gate tries
//!   again twice a second until the refusals stop. Nothing is restarted:
//!   the pool opens new connections by itself when it is back.
//! - A connection that is slow to open, or fails in another way, is not a
//!   refusal: on a starved machine a healthy PostgreSQL took over 10 s to
//!   accept one, and a gate that closed on slowness turned a busy minute
//!   into a minute of 503s (CI, 2 December). A database that stops
//!   answering without refusing is left to the pool's acquire timeout.
//!
//! Every closing is kept with its reason ([`DbGate::closings`]): the
//! tests check that a healthy database never closed the gate.
//!
//! Static files and `/healthz` pass without a turn: they must answer while
//! the database is away (the health check asks the database itself).

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, Mutex,
};
use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::StatusCode,
    middleware::Next,
    response::Response,
};
use tokio::sync::{Notify, Semaphore};

use app::error::AppError;

use crate::refusal::Asker;

/// How long a request may wait for its turn before it is told to come back.
pub const WAIT_FOR_TURN: Duration = Duration::from_secs(30);
/// A request working this long makes the gate check the database.
const SUSPECT_AFTER: Duration = Duration::from_secs(3);
/// How often the probe asks an unreachable database.
const PROBE_EVERY: Duration = Duration::from_millis(500);
/// A refusal is believed when a second attempt this much later is refused too.
const CONFIRM_AFTER: Duration = Duration::from_millis(250);
/// How long one connection attempt of the gate may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// How many closings [`DbGate::closings`] keeps.
const CLOSINGS_KEPT: usize = 32;

pub struct DbGate {
    turns: Arc<Semaphore>,
    turn_count: usize,
    database_url: String,
    /// The database is reached through a Unix socket (its file vanishes
    /// with the server), not TCP.
    over_unix_socket: bool,
    down: AtomicBool,
    checking: AtomicBool,
    went_down: Notify,
    closings: Mutex<Vec<String>>,
}

impl DbGate {
    /// A gate for a pool of `pool_size` connections at `database_url`.
    /// Half the pool may be taken by requests at once: a request that holds
    /// a connection (a transaction) and asks for a second must always find
    /// one free, or every request could hold one and wait for another.
    pub fn new(database_url: String, pool_size: u32) -> Arc<Self> {
        use sea_orm::sqlx::postgres::PgConnectOptions;
        let over_unix_socket = database_url.starts_with("postgres")
            && database_url
                .parse::<PgConnectOptions>()
                .is_ok_and(|o| o.get_socket().is_some());
        let turn_count = (pool_size / 2).max(1) as usize;
        Arc::new(Self {
            turns: Arc::new(Semaphore::new(turn_count)),
            turn_count,
            database_url,
            over_unix_socket,
            down: AtomicBool::new(false),
            checking: AtomicBool::new(false),
            went_down: Notify::new(),
            closings: Mutex::new(Vec::new()),
        })
    }

    /// How many requests may work on the database at once.
    pub fn turns(&self) -> usize {
        self.turn_count
    }

    /// How many of those turns are free now (tests: a dropped request must
    /// give its turn back).
    pub fn free_turns(&self) -> usize {
        self.turns.available_permits()
    }

    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::SeqCst)
    }

    /// Why the gate closed, oldest first (the last [`CLOSINGS_KEPT`]).
    pub fn closings(&self) -> Vec<String> {
        self.closings.lock().map(|c| c.clone()).unwrap_or_default()
    }

    /// A request answered 503, or is slow: is the database gone, or only
    /// busy? Asked on a connection of its own (the pool may be full, or hold
    /// connections the restart broke). Refused: refuse at once until it
    /// answers again; anything else: nothing changes.
    fn suspect(self: &Arc<Self>) {
        if self.checking.swap(true, Ordering::SeqCst) {
            return;
        }
        let gate = self.clone();
        tokio::spawn(async move {
            if let Some(reason) = gate.refused_twice().await {
                gate.close(reason);
                while let Reach::Refused(_) = gate.probe().await {
                    tokio::time::sleep(PROBE_EVERY).await;
                }
                gate.down.store(false, Ordering::SeqCst);
                tracing::info!("database reachable again");
            }
            gate.checking.store(false, Ordering::SeqCst);
        });
    }

    /// The reason, when two attempts [`CONFIRM_AFTER`] apart are both refused.
    async fn refused_twice(&self) -> Option<String> {
        let Reach::Refused(_) = self.probe().await else {
            return None;
        };
        tokio::time::sleep(CONFIRM_AFTER).await;
        match self.probe().await {
            Reach::Refused(reason) => Some(reason),
            _ => None,
        }
    }

    fn close(&self, reason: String) {
        tracing::warn!(%reason, "database unreachable: answering 503 until it is back");
        if let Ok(mut closings) = self.closings.lock() {
            if closings.len() == CLOSINGS_KEPT {
                closings.remove(0);
            }
            closings.push(reason);
        }
        self.down.store(true, Ordering::SeqCst);
        self.went_down.notify_waiters();
    }

    /// Try a new connection. SQLite is a file beside us: never refused.
    async fn probe(&self) -> Reach {
        use sea_orm::sqlx::{postgres::PgConnection, Connection};
        if !self.database_url.starts_with("postgres") {
            return Reach::Answers;
        }
        let connect = PgConnection::connect(&self.database_url);
        let reach = match tokio::time::timeout(PROBE_TIMEOUT, connect).await {
            Ok(Ok(conn)) => {
                let _ = conn.close().await;
                Reach::Answers
            }
            Ok(Err(e)) => reach_of(&e, self.over_unix_socket),
            Err(_) => Reach::Unclear(format!(
                "no connection within {} s",
                PROBE_TIMEOUT.as_secs()
            )),
        };
        if let Reach::Unclear(why) = &reach {
            tracing::info!(%why, "database slow or failing, but not refusing: the gate stays open");
        }
        reach
    }
}

/// What a connection attempt says about the server.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reach {
    /// A session was opened, or the server answered with an error of its
    /// own ("too many clients" is a busy server, not a gone one).
    Answers,
    /// Nothing listens there, or the server says it is shutting down,
    /// crashed or starting up.
    Refused(String),
    /// Neither: slow, reset, or another failure. Not a reason to close.
    Unclear(String),
}

fn reach_of(e: &sea_orm::sqlx::Error, over_unix_socket: bool) -> Reach {
    use sea_orm::sqlx::Error;
    use std::io::ErrorKind;
    match e {
        Error::Database(db) => match db.code().as_deref() {
            // admin_shutdown, crash_shutdown, cannot_connect_now
            Some(code @ ("57P01" | "57P02" | "57P03")) => {
                Reach::Refused(format!("PostgreSQL {code}: {}", db.message()))
            }
            _ => Reach::Answers,
        },
        Error::Io(io) if io.kind() == ErrorKind::ConnectionRefused => {
            Reach::Refused(format!("connection refused: {io}"))
        }
        // The socket file is gone with the server. (Over TCP, NotFound is
        // something else, such as a missing TLS certificate file.)
        Error::Io(io) if io.kind() == ErrorKind::NotFound && over_unix_socket => {
            Reach::Refused(format!("connection refused, no socket: {io}"))
        }
        other => Reach::Unclear(other.to_string()),
    }
}

fn passes_freely(path: &str) -> bool {
    path == "/healthz" || crate::http::is_client_file(path)
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

/// The 503 in the form the caller reads, with `Retry-After`.
fn unavailable(asker: Asker) -> Response {
    crate::refusal::refuse(asker, &AppError::Unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sqlx::Error;
    use std::io::{Error as IoError, ErrorKind};

    fn io(kind: ErrorKind) -> Reach {
        reach_of(&Error::Io(IoError::from(kind)), false)
    }

    #[test]
    fn only_a_refusal_closes_the_gate() {
        assert!(matches!(
            io(ErrorKind::ConnectionRefused),
            Reach::Refused(_)
        ));
        // The Unix socket file goes away with the server; over TCP a
        // missing file is something else (a TLS certificate).
        let not_found = || Error::Io(IoError::from(ErrorKind::NotFound));
        assert!(matches!(reach_of(&not_found(), true), Reach::Refused(_)));
        assert!(matches!(reach_of(&not_found(), false), Reach::Unclear(_)));
        // A full listen queue, a reset or a slow accept: a busy server.
        for kind in [
            ErrorKind::WouldBlock,
            ErrorKind::ConnectionReset,
            ErrorKind::TimedOut,
        ] {
            assert!(matches!(io(kind), Reach::Unclear(_)), "{kind:?}");
        }
        assert!(matches!(
            reach_of(&Error::PoolTimedOut, false),
            Reach::Unclear(_)
        ));
    }
}
