//! A real SMTP server on loopback for the mail tests, and a small reader for
//! what it received (headers with RFC 2047 words, MIME parts in base64 or
//! quoted-printable).
//!
//! The server is `mailin-embedded` (blocking, one thread per session) behind
//! a small TCP relay that owns the public port, so that a test can take the
//! server *down* (the port refuses connections and open connections are cut,
//! as when a mail server is restarted) and bring it back *up* on the same
//! port. It can also answer `451` (try again later) to every `MAIL FROM`, and
//! `550` to chosen recipients.
//!
//! ```no_run
//! # async fn demo() {
//! let smtp = jejak_tests::smtp::SmtpServer::start();
//! // config.smtp_url = smtp.url();  … send …
//! let got = smtp.wait_for(1, std::time::Duration::from_secs(30)).await;
//! let mail = got[0].parse();
//! assert!(mail.part("text/plain").is_some());
//! # }
//! ```

use std::{
    collections::{HashMap, HashSet},
    io,
    net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    thread,
    time::{Duration, Instant},
};

use mailin_embedded::{response, Handler, Response, Server};

/// One message as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The envelope sender (`MAIL FROM`).
    pub from: String,
    /// The envelope recipients (`RCPT TO`).
    pub to: Vec<String>,
    /// The message as sent (headers and body, CRLF line ends, dots unstuffed).
    pub data: String,
}

impl Received {
    /// The outbox key the message was sent for: Jejak builds the
    /// Message-ID from it (`<jejak.overdue/a1/o1/e2@domain>`).
    pub fn outbox_key(&self) -> String {
        let parsed = self.parse();
        let id = parsed
            .header("Message-ID")
            .expect("a Message-ID")
            .to_string();
        id.trim_matches(|c| c == '<' || c == '>')
            .trim_start_matches("jejak.")
            .rsplit_once('@')
            .expect("id@domain")
            .0
            .to_string()
    }

    /// Reads the message: headers and MIME parts, decoded.
    pub fn parse(&self) -> ParsedMail {
        parse_mail(&self.data)
    }
}

struct Shared {
    messages: Mutex<Vec<Received>>,
    /// What the tests ask for: accept connections or refuse them.
    want_up: AtomicBool,
    /// What the relay does right now.
    listening: AtomicBool,
    stop: AtomicBool,
    /// Answer 451 to every MAIL FROM.
    temp_fail: AtomicBool,
    /// Milliseconds each message waits before it is accepted (end of DATA).
    slow_ms: AtomicU64,
    /// Recipients answered with 550.
    rejected: Mutex<HashSet<String>>,
    /// Open relayed connections, cut when the server goes down.
    conns: Mutex<HashMap<u64, TcpStream>>,
    next_conn: AtomicU64,
    /// Connections accepted so far.
    connections: AtomicU64,
}

/// A running SMTP server on `127.0.0.1:<port>`. Dropping it closes the port.
pub struct SmtpServer {
    port: u16,
    shared: Arc<Shared>,
    relay: Option<thread::JoinHandle<()>>,
}

impl SmtpServer {
    /// Starts a server on a free loopback port; ready when this returns.
    pub fn start() -> SmtpServer {
        let shared = Arc::new(Shared {
            messages: Mutex::new(Vec::new()),
            want_up: AtomicBool::new(true),
            listening: AtomicBool::new(true),
            stop: AtomicBool::new(false),
            temp_fail: AtomicBool::new(false),
            slow_ms: AtomicU64::new(0),
            rejected: Mutex::new(HashSet::new()),
            conns: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(0),
            connections: AtomicU64::new(0),
        });

        // The SMTP server proper, on a private port. It runs until the test
        // process ends (mailin-embedded has no way to stop it: its idle
        // threads stay behind); it is only reached through the relay, so a
        // dropped SmtpServer is unreachable.
        let inner = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the SMTP server");
        let inner_addr = inner.local_addr().unwrap();
        let handler = Collector {
            shared: shared.clone(),
            from: String::new(),
            to: Vec::new(),
            data: Vec::new(),
        };
        thread::Builder::new()
            .name("smtp-server".into())
            .spawn(move || {
                let mut server = Server::new(handler);
                server
                    .with_name("smtp.jejak.test")
                    // Each open client connection (lettre pools up to 16 per
                    // mailer, and a test may run two instances) holds one
                    // session thread.
                    .with_num_threads(64)
                    .with_tcp_listener(inner);
                if let Err(e) = server.serve() {
                    eprintln!("SMTP test server stopped: {e}");
                }
            })
            .unwrap();

        let front = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the SMTP port");
        front.set_nonblocking(true).unwrap();
        let port = front.local_addr().unwrap().port();
        let relay_shared = shared.clone();
        let relay = thread::Builder::new()
            .name("smtp-relay".into())
            .spawn(move || relay(front, port, inner_addr, relay_shared))
            .unwrap();
        SmtpServer {
            port,
            shared,
            relay: Some(relay),
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `smtp://127.0.0.1:<port>`: plain SMTP, no TLS, no authentication.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Everything received so far, in order.
    pub fn messages(&self) -> Vec<Received> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// Forgets what was received.
    pub fn clear(&self) {
        self.shared.messages.lock().unwrap().clear();
    }

    /// TCP connections accepted so far (while up).
    pub fn connections(&self) -> u64 {
        self.shared.connections.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` messages arrived and returns all of them;
    /// panics with what did arrive after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            if start.elapsed() > timeout {
                panic!(
                    "Server SMTP menerima {} dari {n} pesan / the SMTP server received {} of {n} messages within {timeout:?}: {:#?}",
                    got.len(),
                    got.len(),
                    got.iter().map(|m| (&m.from, &m.to)).collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Takes the server down: from when this returns, connecting to the port
    /// is refused and connections already open are cut.
    pub fn go_down(&self) {
        self.shared.want_up.store(false, Ordering::SeqCst);
        self.wait_listening(false);
        let conns: Vec<TcpStream> = self
            .shared
            .conns
            .lock()
            .unwrap()
            .drain()
            .map(|(_, c)| c)
            .collect();
        for c in conns {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }

    /// Brings the server back on the same port; accepting when this returns.
    pub fn come_up(&self) {
        self.shared.want_up.store(true, Ordering::SeqCst);
        self.wait_listening(true);
    }

    /// Whether the server accepts connections now.
    pub fn is_up(&self) -> bool {
        self.shared.listening.load(Ordering::SeqCst)
    }

    /// While `on`, every `MAIL FROM` is answered `451` (a temporary failure).
    pub fn fail_temporarily(&self, on: bool) {
        self.shared.temp_fail.store(on, Ordering::SeqCst);
    }

    /// From now on each message is accepted only `per_message` after its
    /// data arrived (a slow server: a delivery batch takes a while).
    pub fn slow_down(&self, per_message: Duration) {
        self.shared
            .slow_ms
            .store(per_message.as_millis() as u64, Ordering::SeqCst);
    }

    /// Answers `550 Mailbox unavailable` to `RCPT TO:<address>` from now on.
    pub fn reject_recipient(&self, address: &str) {
        self.shared
            .rejected
            .lock()
            .unwrap()
            .insert(address.to_ascii_lowercase());
    }

    fn wait_listening(&self, state: bool) {
        let start = Instant::now();
        while self.shared.listening.load(Ordering::SeqCst) != state {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the SMTP relay did not switch to listening={state} on port {}",
                self.port
            );
            thread::sleep(Duration::from_millis(2));
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.relay.take() {
            let _ = t.join();
        }
        for (_, c) in self.shared.conns.lock().unwrap().drain() {
            let _ = c.shutdown(std::net::Shutdown::Both);
        }
    }
}

/// Owns the public port: accepts while up, relays each connection to the
/// SMTP server; drops the listener while down (so connecting is refused) and
/// binds the same port again when up.
fn relay(front: TcpListener, port: u16, inner: SocketAddr, shared: Arc<Shared>) {
    let mut listener = Some(front);
    let idle = Duration::from_millis(5);
    while !shared.stop.load(Ordering::SeqCst) {
        let want_up = shared.want_up.load(Ordering::SeqCst);
        if want_up && listener.is_none() {
            match TcpListener::bind((Ipv4Addr::LOCALHOST, port)) {
                Ok(l) => {
                    l.set_nonblocking(true).unwrap();
                    listener = Some(l);
                    shared.listening.store(true, Ordering::SeqCst);
                }
                Err(_) => {
                    thread::sleep(Duration::from_millis(20));
                    continue;
                }
            }
        } else if !want_up && listener.is_some() {
            listener = None;
            shared.listening.store(false, Ordering::SeqCst);
        }
        let Some(l) = &listener else {
            thread::sleep(idle);
            continue;
        };
        match l.accept() {
            Ok((client, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let _ = client.set_nonblocking(false);
                pipe(client, inner, &shared);
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(idle),
            Err(_) => thread::sleep(idle),
        }
    }
    shared.listening.store(false, Ordering::SeqCst);
}

/// Copies bytes both ways between a client and the SMTP server.
fn pipe(client: TcpStream, inner: SocketAddr, shared: &Arc<Shared>) {
    let Ok(server) = TcpStream::connect(inner) else {
        return;
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let id = shared.next_conn.fetch_add(1, Ordering::SeqCst);
    if let Ok(c) = client.try_clone() {
        shared.conns.lock().unwrap().insert(id, c);
    }
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    thread::spawn(move || {
        let _ = io::copy(&mut &client, &mut &server);
        let _ = server.shutdown(std::net::Shutdown::Write);
    });
    let shared = shared.clone();
    thread::spawn(move || {
        let _ = io::copy(&mut &server2, &mut &client2);
        let _ = client2.shutdown(std::net::Shutdown::Both);
        shared.conns.lock().unwrap().remove(&id);
    });
}

/// The mailin handler: one clone per session; collects each message.
#[derive(Clone)]
struct Collector {
    shared: Arc<Shared>,
    from: String,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Handler for Collector {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, _from: &str) -> Response {
        if self.shared.temp_fail.load(Ordering::SeqCst) {
            return Response::custom(451, "4.3.0 Try again later (test server)".into());
        }
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let address = to
            .trim_matches(|c| c == '<' || c == '>')
            .to_ascii_lowercase();
        if self.shared.rejected.lock().unwrap().contains(&address) {
            return response::NO_MAILBOX;
        }
        response::OK
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.data.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let slow = self.shared.slow_ms.load(Ordering::SeqCst);
        if slow > 0 {
            thread::sleep(Duration::from_millis(slow));
        }
        let received = Received {
            from: std::mem::take(&mut self.from),
            to: std::mem::take(&mut self.to),
            data: String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned(),
        };
        self.shared.messages.lock().unwrap().push(received);
        response::OK
    }
}

// ---------------------------------------------------------------------------
// Reading a message
// ---------------------------------------------------------------------------

/// A message read back: its headers and its leaf parts, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedMail {
    /// Unfolded headers, in order, names as written.
    pub headers: Vec<(String, String)>,
    /// The leaf parts (a single-part message has one), bodies decoded to text.
    pub parts: Vec<ParsedPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedPart {
    /// The media type, lower case, without parameters: `text/plain`.
    pub content_type: String,
    /// The `charset` parameter, lower case, if any.
    pub charset: Option<String>,
    pub transfer_encoding: String,
    pub headers: Vec<(String, String)>,
    /// The decoded body.
    pub text: String,
}

impl ParsedMail {
    /// The first header with this name (case-insensitive), unfolded, raw.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// The header with RFC 2047 encoded words decoded.
    pub fn decoded(&self, name: &str) -> Option<String> {
        self.header(name).map(decode_words)
    }

    /// The media type of the whole message (`multipart/alternative`).
    pub fn content_type(&self) -> String {
        self.header("Content-Type")
            .map(media_type)
            .unwrap_or_else(|| "text/plain".into())
    }

    /// The first leaf part of this media type.
    pub fn part(&self, content_type: &str) -> Option<&ParsedPart> {
        self.parts.iter().find(|p| p.content_type == content_type)
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn media_type(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// A parameter of a header value: `boundary`, `charset`.
fn param(value: &str, name: &str) -> Option<String> {
    value.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// Reads a message (CRLF or LF line ends).
pub fn parse_mail(raw: &str) -> ParsedMail {
    let raw = raw.replace("\r\n", "\n");
    let (headers, body) = split_entity(&raw);
    let mut parts = Vec::new();
    leaf_parts(&headers, body, &mut parts);
    ParsedMail { headers, parts }
}

fn split_entity(raw: &str) -> (Vec<(String, String)>, &str) {
    let (head, body) = match raw.find("\n\n") {
        Some(i) => (&raw[..i], &raw[i + 2..]),
        None => (raw, ""),
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, v)) = headers.last_mut() {
                v.push_str(line);
            }
        } else if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    (headers, body)
}

fn leaf_parts(headers: &[(String, String)], body: &str, out: &mut Vec<ParsedPart>) {
    let content_type = find_header(headers, "Content-Type").unwrap_or("text/plain");
    let media = media_type(content_type);
    if media.starts_with("multipart/") {
        let Some(boundary) = param(content_type, "boundary") else {
            return;
        };
        let delimiter = format!("--{boundary}");
        let mut sections = Vec::new();
        let mut current: Option<Vec<&str>> = None;
        for line in body.split('\n') {
            if line.starts_with(&delimiter) {
                if let Some(lines) = current.take() {
                    sections.push(lines.join("\n"));
                }
                if line.trim_end() == format!("{delimiter}--") {
                    break;
                }
                current = Some(Vec::new());
            } else if let Some(lines) = current.as_mut() {
                lines.push(line);
            }
        }
        for section in sections {
            let (h, b) = split_entity(&section);
            leaf_parts(&h, b, out);
        }
        return;
    }
    let encoding = find_header(headers, "Content-Transfer-Encoding")
        .unwrap_or("7bit")
        .trim()
        .to_ascii_lowercase();
    let bytes = match encoding.as_str() {
        "base64" => base64_decode(body),
        "quoted-printable" => qp_decode(body, false),
        _ => body.as_bytes().to_vec(),
    };
    out.push(ParsedPart {
        content_type: media,
        charset: param(content_type, "charset").map(|c| c.to_ascii_lowercase()),
        transfer_encoding: encoding,
        headers: headers.to_vec(),
        text: String::from_utf8(bytes).expect("a text part that is not UTF-8"),
    });
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`);
/// whitespace between two encoded words disappears, as the RFC says.
pub fn decode_words(value: &str) -> String {
    let mut out = String::new();
    let mut last_was_word = false;
    for (i, token) in value.split_whitespace().enumerate() {
        match decode_word(token) {
            Some(text) => {
                if i > 0 && !last_was_word {
                    out.push(' ');
                }
                out.push_str(&text);
                last_was_word = true;
            }
            None => {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(token);
                last_was_word = false;
            }
        }
    }
    out
}

fn decode_word(token: &str) -> Option<String> {
    let inner = token.strip_prefix("=?")?.strip_suffix("?=")?;
    let mut it = inner.splitn(3, '?');
    let (_charset, enc, text) = (it.next()?, it.next()?, it.next()?);
    let bytes = match enc {
        "b" | "B" => base64_decode(text),
        "q" | "Q" => qp_decode(text, true),
        _ => return None,
    };
    String::from_utf8(bytes).ok()
}

fn base64_decode(s: &str) -> Vec<u8> {
    fn val(c: u8) -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    }
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes() {
        if c == b'=' {
            break;
        }
        let Some(v) = val(c) else { continue };
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Quoted-printable (`word`: the RFC 2047 "Q" form, where `_` is a space).
fn qp_decode(s: &str, word: bool) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'=' if b.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') => i += 3,
            b'=' => {
                match s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'=');
                        i += 1;
                    }
                }
            }
            b'_' if word => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_mail_encodes() {
        assert_eq!(base64_decode("SmVqYWs="), b"Jejak");
        assert_eq!(
            qp_decode("caf=C3=A9 =\nlagi", false),
            "café lagi".as_bytes()
        );
        assert_eq!(
            decode_words("=?utf-8?b?UGVuZ2luZ2F0?= =?utf-8?q?=3A_tenggat?= besok"),
            "Pengingat: tenggat besok"
        );
    }
}
