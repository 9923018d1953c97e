//! What one client may take of Jejak (issue 17).
//!
//! Before this, a request took one of the database gate's turns before its
//! body was read: eight anonymous connections trickling a large sign-in
//! form one byte every few seconds held every turn, and everyone else
//! waited 30 s for a 503. Now, for every request (pages, server functions,
//! the API, `/healthz`, files and the streaming exports alike):
//!
//! 1. **Headers** must arrive within [`HEADER_READ_TIMEOUT`]
//!    (`crate::connections`, in hyper, before any of this runs).
//! 2. **One client address** (an IPv4 address, or an IPv6 /64) may have
//!    at most `max_requests_per_client` requests in progress; one more
//!    is answered 429 at once. A request stays in progress until its
//!    answer has been sent whole, so a slow reader of an export counts.
//! 3. **The body** is read whole, here, before anything else: within
//!    [`BODY_DEADLINE`] ([`UPLOAD_BODY_DEADLINE`] for the import's file
//!    upload) and up to the route's size limit, or the answer is 408 or
//!    413 and the connection closes. Only then does the request go on to
//!    the database gate: a slow sender holds a slot of its own address,
//!    never a turn at the database.
//! 4. **The answer** must be ready within `request_deadline_secs` (45 s
//!    by default; the database gate's wait of 30 s fits inside it, so a
//!    busy Jejak still answers its own 503 first) or
//!    [`UPLOAD_REQUEST_DEADLINE`] for an upload: past it the request is
//!    dropped (rolling back whatever it began) and answered 503. No request
//!    waits forever, whatever it waits for.
//!
//! [`HEADER_READ_TIMEOUT`]: crate::connections::HEADER_READ_TIMEOUT

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    body::Body,
    extract::{ConnectInfo, Request, State},
    http::header,
    middleware::Next,
    response::Response,
};
use http_body_util::{BodyExt, LengthLimitError, Limited};

use app::{backend::access::ClientAddr, error::AppError};

use crate::refusal::{refuse, Asker};

/// How long a request's body may take to arrive.
pub const BODY_DEADLINE: Duration = Duration::from_secs(20);
/// The same for the import's file upload (5 MB on a slow office line).
pub const UPLOAD_BODY_DEADLINE: Duration = Duration::from_secs(180);
/// How long an import upload, which may check and write many rows.
pub const UPLOAD_REQUEST_DEADLINE: Duration = Duration::from_secs(300);

/// The request slots of every client address.
pub struct ClientLimits {
    max_per_client: usize,
    trust_forwarded_for: bool,
    request_deadline: Duration,
    in_progress: Mutex<HashMap<IpKey, usize>>,
}

/// A client address as counted: an IPv4 address, or the /64 an IPv6
/// address belongs to (one household or office gets a whole /64).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct IpKey(IpAddr);

impl IpKey {
    pub fn of(ip: IpAddr) -> IpKey {
        match ip {
            IpAddr::V4(_) => IpKey(ip),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpKey(IpAddr::V4(v4)),
                None => {
                    let s = v6.segments();
                    IpKey(IpAddr::V6(std::net::Ipv6Addr::new(
                        s[0], s[1], s[2], s[3], 0, 0, 0, 0,
                    )))
                }
            },
        }
    }
}

impl ClientLimits {
    pub fn new(config: &app::backend::config::Config) -> Arc<Self> {
        Arc::new(Self {
            max_per_client: (config.max_requests_per_client as usize).max(1),
            trust_forwarded_for: config.trust_forwarded_for,
            request_deadline: Duration::from_secs(u64::from(config.request_deadline_secs.max(1))),
            in_progress: Mutex::new(HashMap::new()),
        })
    }

    /// Requests in progress for this address (tests).
    pub fn in_progress(&self, ip: IpAddr) -> usize {
        self.in_progress
            .lock()
            .map(|m| m.get(&IpKey::of(ip)).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    fn take(self: &Arc<Self>, key: IpKey) -> Option<Slot> {
        let mut map = self.in_progress.lock().ok()?;
        let n = map.entry(key).or_insert(0);
        if *n >= self.max_per_client {
            return None;
        }
        *n += 1;
        Some(Slot {
            limits: self.clone(),
            key,
        })
    }
}

/// One request in progress; given back when dropped.
struct Slot {
    limits: Arc<ClientLimits>,
    key: IpKey,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.limits.in_progress.lock() {
            if let Some(n) = map.get_mut(&self.key) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&self.key);
                }
            }
        }
    }
}

/// The client's address: the TCP peer, or behind a trusted proxy the last
/// `X-Forwarded-For` entry (the one the proxy added).
fn client_ip(req: &Request, trust_forwarded_for: bool) -> Option<IpAddr> {
    let forwarded = trust_forwarded_for
        .then(|| {
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    forwarded.or_else(|| {
        req.extensions()
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
    })
}

/// The largest body each route takes, and how long it may take to come.
fn body_limits(path: &str) -> (usize, Duration) {
    if path == crate::import::UPLOAD_PATH {
        (crate::import::MAX_UPLOAD_BODY_BYTES, UPLOAD_BODY_DEADLINE)
    } else if crate::http::is_api(path) {
        (crate::api::MAX_BODY_BYTES, BODY_DEADLINE)
    } else {
        (crate::http::FN_MAX_BODY_BYTES as usize, BODY_DEADLINE)
    }
}

/// The middleware: a slot for the client, the body read whole in time,
/// the answer in time. See the module's documentation.
pub async fn limit(State(limits): State<Arc<ClientLimits>>, req: Request, next: Next) -> Response {
    let asker = Asker::of(&req);
    let ip = client_ip(&req, limits.trust_forwarded_for);
    let slot = match ip {
        Some(ip) => match limits.take(IpKey::of(ip)) {
            Some(slot) => Some(slot),
            None => {
                tracing::warn!(%ip, "terlalu banyak permintaan bersamaan / too many requests at once from one client");
                return refuse(asker, &AppError::TooManyRequests);
            }
        },
        None => None,
    };
    let path = req.uri().path().to_owned();
    let (max_bytes, body_deadline) = body_limits(&path);
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(ClientAddr(
        ip.map_or_else(|| "unknown".to_string(), |ip| ip.to_string()),
    ));
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body = if declared.is_some_and(|n| n > max_bytes as u64) {
        // Refused unread by the route's own limit, in its own words.
        body
    } else {
        let read = Limited::new(body, max_bytes).collect();
        match tokio::time::timeout(body_deadline, read).await {
            Ok(Ok(collected)) => Body::from(collected.to_bytes()),
            Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
                return refuse(
                    asker,
                    &AppError::TooLarge {
                        max_bytes: max_bytes as u64,
                    },
                );
            }
            // The client went away while sending: nobody reads the answer.
            Ok(Err(_)) => {
                return refuse(
                    asker,
                    &AppError::BadRequest {
                        message: app::error::Message::new(
                            "Isi permintaan tidak terbaca",
                            "The request body could not be read",
                        ),
                    },
                )
            }
            Err(_) => {
                tracing::warn!(
                    ip = %ip.map_or_else(|| "-".to_string(), |ip| ip.to_string()),
                    %path,
                    "isi permintaan terlalu lambat / request body too slow"
                );
                return refuse(
                    asker,
                    &AppError::SlowRequest {
                        within_secs: body_deadline.as_secs(),
                    },
                );
            }
        }
    };
    let deadline = if path == crate::import::UPLOAD_PATH {
        UPLOAD_REQUEST_DEADLINE
    } else {
        limits.request_deadline
    };
    let response =
        match tokio::time::timeout(deadline, next.run(Request::from_parts(parts, body))).await {
            Ok(response) => response,
            Err(_) => {
                tracing::error!(
                    %path,
                    secs = deadline.as_secs(),
                    "permintaan melewati batas waktu / request deadline passed: answered 503"
                );
                return refuse(asker, &AppError::Unavailable);
            }
        };
    // The slot is given back when the answer has been sent (or dropped).
    match slot {
        Some(slot) => response.map(|body| {
            Body::new(body.map_frame(move |frame| {
                let _ = &slot;
                frame
            }))
        }),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_64_is_one_client_and_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(IpKey::of(a), IpKey::of(b));
        assert_ne!(IpKey::of(a), IpKey::of(c));
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert_eq!(IpKey::of(mapped), IpKey::of("10.0.0.7".parse().unwrap()));
        assert_ne!(
            IpKey::of("10.0.0.7".parse().unwrap()),
            IpKey::of("10.0.0.8".parse().unwrap())
        );
    }

    #[test]
    fn slots_are_counted_per_client_and_given_back() {
        let limits = ClientLimits::new(&app::backend::config::Config {
            max_requests_per_client: 2,
            ..Default::default()
        });
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let one = limits.take(IpKey::of(ip)).expect("first");
        let two = limits.take(IpKey::of(ip)).expect("second");
        assert!(limits.take(IpKey::of(ip)).is_none(), "a third is refused");
        assert!(
            limits
                .take(IpKey::of("10.0.0.2".parse().unwrap()))
                .is_some(),
            "another client is not"
        );
        drop(one);
        assert_eq!(limits.in_progress(ip), 1);
        drop(two);
        assert_eq!(limits.in_progress(ip), 0);
        assert!(limits.take(IpKey::of(ip)).is_some());
    }
}
