//! Delivering a [`Composed`] message: over SMTP (lettre, configured by one
//! URL, `smtp_url`), or, when no SMTP server is configured, into `.eml` files
//! under `<data_dir>/mail/` so a new installation shows what it would send.
//!
//! Errors are sorted for the delivery worker: [`SendErrorKind::Transient`]
//! (connection refused, timeout, TLS trouble, a 4xx reply: try again later)
//! or [`SendErrorKind::Permanent`] (a 5xx reply, an address that cannot be
//! an address: retrying will not help).

use std::{path::PathBuf, time::Duration};

use lettre::{
    message::{
        header::{Header, HeaderName, HeaderValue},
        Mailbox, MultiPart,
    },
    transport::smtp::PoolConfig,
    Address, AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use serde::{Deserialize, Serialize};

use super::compose::Composed;
use crate::backend::config::{redact_url, Config};
use crate::error::AppError;

/// How long one SMTP command (connect, greeting, each reply) may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// Open SMTP connections kept for reuse, and the delivery worker's sends in
/// flight. lettre writes a message's body and its final `.` separately
/// and does not set TCP_NODELAY, so each message waits out the peer's
/// delayed ACK (~40 ms on Linux): one connection carries about 25 messages
/// a second, whatever the server. Sixteen connections give room above
/// 200 a second (docs/BENCHMARKS.md); mail servers allow far more per client.
pub const SMTP_POOL_SIZE: u32 = 16;

/// Sends mail; cheap to share (`Arc` it or clone the transport inside).
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    /// The right-hand side of Message-IDs: the sender's domain.
    id_domain: String,
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The URL with its password hidden, for logs.
        shown: String,
    },
    File {
        transport: AsyncFileTransport<Tokio1Executor>,
        dir: PathBuf,
    },
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("from", &self.from.to_string())
            .field("to", &self.describe())
            .finish()
    }
}

/// Transient: try again later. Permanent: give up on this message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SendErrorKind {
    Transient,
    Permanent,
}

/// Why a message was not delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{detail}")]
pub struct SendError {
    pub kind: SendErrorKind,
    /// The SMTP reply code, when the server answered with an error (e.g. 451, 550).
    pub code: Option<u16>,
    /// What happened, for the log and the administrators' outbox view.
    pub detail: String,
}

impl SendError {
    pub fn transient(detail: impl Into<String>) -> Self {
        SendError {
            kind: SendErrorKind::Transient,
            code: None,
            detail: detail.into(),
        }
    }

    pub fn permanent(detail: impl Into<String>) -> Self {
        SendError {
            kind: SendErrorKind::Permanent,
            code: None,
            detail: detail.into(),
        }
    }

    pub fn is_transient(&self) -> bool {
        self.kind == SendErrorKind::Transient
    }

    pub fn is_permanent(&self) -> bool {
        self.kind == SendErrorKind::Permanent
    }

    fn from_smtp(e: lettre::transport::smtp::Error) -> Self {
        let code = e.status().and_then(|c| c.to_string().parse::<u16>().ok());
        let kind = if e.is_permanent() || e.is_client() {
            SendErrorKind::Permanent
        } else {
            // 4xx replies, connection refused, timeouts, broken connections,
            // TLS failures, unreadable replies: the server may be back later.
            SendErrorKind::Transient
        };
        SendError {
            kind,
            code,
            detail: error_chain(&e),
        }
    }
}

/// An error and its sources: "Connection error: Connection refused (os error 111)".
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let text = inner.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        source = inner.source();
    }
    s
}

fn bad_url(raw: &str, id: String, en: String) -> AppError {
    let shown = redact_url(raw);
    AppError::invalid(
        "smtp_url",
        format!("smtp_url {id}: {shown}"),
        format!("smtp_url {en}: {shown}"),
    )
}

/// Checks an SMTP URL the way [`Mailer::from_config`] reads it and says
/// precisely what is wrong: `smtp://host[:port]` (plain, port 25 by default
/// in lettre, 587 with `?tls=required` / `?tls=opportunistic`, STARTTLS),
/// `smtps://host[:port]` (TLS from the start, port 465), optional
/// `user:password@` (percent-encoded), nothing else in the query.
pub fn check_smtp_url(raw: &str) -> Result<(), AppError> {
    let raw = raw.trim();
    let url = url::Url::parse(raw).map_err(|e| {
        bad_url(
            raw,
            format!("bukan URL yang sah ({e}); contoh: smtp://user:sandi@mail.example.go.id:587?tls=required"),
            format!("is not a valid URL ({e}); example: smtp://user:pass@mail.example.go.id:587?tls=required"),
        )
    })?;
    let scheme = url.scheme();
    if scheme != "smtp" && scheme != "smtps" {
        return Err(bad_url(
            raw,
            format!("memakai skema \"{scheme}\" yang tidak dikenal; gunakan smtp:// atau smtps://"),
            format!("has the unknown scheme \"{scheme}\"; use smtp:// or smtps://"),
        ));
    }
    if url.host_str().is_none_or(|h| h.is_empty()) {
        return Err(bad_url(
            raw,
            "tidak menyebut nama host server SMTP".into(),
            "names no SMTP server host".into(),
        ));
    }
    if url.port() == Some(0) {
        return Err(bad_url(
            raw,
            "memakai port 0; sebutkan port server SMTP (25, 465, 587 ...)".into(),
            "uses port 0; give the SMTP server's port (25, 465, 587 ...)".into(),
        ));
    }
    for (k, v) in url.query_pairs() {
        match (k.as_ref(), scheme) {
            ("tls", "smtp") if v == "required" || v == "opportunistic" => {}
            ("tls", "smtps") if v == "required" => {}
            ("tls", "smtp") => {
                return Err(bad_url(
                    raw,
                    format!("memakai tls=\"{v}\" yang tidak dikenal; gunakan tls=required atau tls=opportunistic"),
                    format!("has the unknown tls=\"{v}\"; use tls=required or tls=opportunistic"),
                ))
            }
            ("tls", _) => {
                return Err(bad_url(
                    raw,
                    format!("memakai tls=\"{v}\", padahal smtps:// selalu memakai TLS; hapus parameter tls"),
                    format!("has tls=\"{v}\", but smtps:// always uses TLS; remove the tls parameter"),
                ))
            }
            (other, _) => {
                return Err(bad_url(
                    raw,
                    format!("memakai parameter \"{other}\" yang tidak dikenal; yang dikenal hanya tls"),
                    format!("has the unknown parameter \"{other}\"; only tls is understood"),
                ))
            }
        }
    }
    if !url.username().is_empty() && url.password().is_none() {
        return Err(bad_url(
            raw,
            format!(
                "menyebut pengguna \"{}\" tanpa kata sandi; tulis user:sandi@host",
                url.username()
            ),
            format!(
                "names the user \"{}\" but no password; write user:pass@host",
                url.username()
            ),
        ));
    }
    if !percent_decodes(url.username()) || !url.password().is_none_or(percent_decodes) {
        return Err(bad_url(
            raw,
            "memuat pengguna atau kata sandi yang bukan UTF-8 setelah %-decoding".into(),
            "has a user name or password that is not UTF-8 after percent-decoding".into(),
        ));
    }
    Ok(())
}

fn percent_decodes(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).is_ok()
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office and other
/// automatic replies are not sent back to a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        if s.trim().eq_ignore_ascii_case("auto-generated") {
            Ok(AutoSubmitted)
        } else {
            Err(format!("unexpected Auto-Submitted value {s:?}").into())
        }
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// A Message-ID derived from the outbox key, so that a repeated delivery of
/// the same outbox row carries the same id (and mail clients show it once):
/// `due_soon/a123/d7/e45` → `<jejak.due_soon/a123/d7/e45@example.go.id>`.
/// Characters not allowed in a Message-ID become `-`.
pub fn message_id(hint: &str, domain: &str) -> String {
    let clean = |s: &str| -> String {
        let mapped: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c) {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        // No empty atoms: no leading, trailing or doubled dots.
        mapped
            .split('.')
            .filter(|a| !a.is_empty())
            .collect::<Vec<_>>()
            .join(".")
    };
    let domain = match clean(domain) {
        d if d.is_empty() => "jejak.invalid".to_string(),
        d => d,
    };
    format!("<jejak.{}@{domain}>", clean(hint))
}

impl Mailer {
    /// The mailer the configuration asks for: SMTP when `smtp_url` is set,
    /// otherwise `.eml` files under `<data_dir>/mail/` (created here).
    pub fn from_config(config: &Config) -> Result<Mailer, AppError> {
        let from: Mailbox = config.mail_from.trim().parse().map_err(|e| {
            AppError::invalid(
                "mail_from",
                format!(
                    "mail_from bukan alamat email yang sah ({e}); contoh: Jejak <jejak@example.go.id>: {:?}",
                    config.mail_from
                ),
                format!(
                    "mail_from is not a valid email address ({e}); example: Jejak <jejak@example.go.id>: {:?}",
                    config.mail_from
                ),
            )
        })?;
        let id_domain = from.email.domain().to_string();
        let raw = config.smtp_url.trim();
        let inner = if raw.is_empty() {
            let dir = config.data_dir.join("mail");
            std::fs::create_dir_all(&dir).map_err(|e| {
                AppError::invalid(
                    "data_dir",
                    format!("folder surat {} tidak dapat dibuat: {e}", dir.display()),
                    format!("the mail folder {} cannot be created: {e}", dir.display()),
                )
            })?;
            tracing::info!(
                dir = %dir.display(),
                "no SMTP server configured (smtp_url is empty): emails are written as .eml files to {}",
                dir.display()
            );
            Inner::File {
                transport: AsyncFileTransport::<Tokio1Executor>::new(&dir),
                dir,
            }
        } else {
            check_smtp_url(raw)?;
            let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(raw).map_err(|e| {
                let detail = error_chain(&e);
                bad_url(
                    raw,
                    format!("tidak dapat dipakai: {detail}"),
                    format!("cannot be used: {detail}"),
                )
            })?;
            let transport = builder
                .timeout(Some(SMTP_TIMEOUT))
                .pool_config(
                    PoolConfig::new()
                        .max_size(SMTP_POOL_SIZE)
                        .idle_timeout(Duration::from_secs(60)),
                )
                .build();
            let shown = redact_url(raw);
            tracing::info!(smtp = %shown, "emails are sent through {shown}");
            Inner::Smtp { transport, shown }
        };
        Ok(Mailer {
            from,
            id_domain,
            inner,
        })
    }

    /// Where mail goes, for logs: the SMTP URL (password hidden) or the folder.
    pub fn describe(&self) -> String {
        match &self.inner {
            Inner::Smtp { shown, .. } => shown.clone(),
            Inner::File { dir, .. } => format!("file://{}", dir.display()),
        }
    }

    /// The folder `.eml` files are written to, when no SMTP server is configured.
    pub fn mail_dir(&self) -> Option<&std::path::Path> {
        match &self.inner {
            Inner::File { dir, .. } => Some(dir),
            Inner::Smtp { .. } => None,
        }
    }

    /// The sender (`mail_from`).
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// The Message-ID a message with this outbox key gets.
    pub fn message_id_for(&self, message_id_hint: &str) -> String {
        message_id(message_id_hint, &self.id_domain)
    }

    /// Builds the message: multipart/alternative (plain text, then HTML),
    /// From `mail_from`, To the recipient, a Message-ID from the hint.
    /// An address that cannot be an address is a permanent error.
    pub fn message(
        &self,
        to_address: &str,
        to_name: &str,
        composed: &Composed,
        message_id_hint: &str,
    ) -> Result<Message, SendError> {
        let address: Address = to_address.trim().parse().map_err(|e| {
            SendError::permanent(format!("bad recipient address {to_address:?}: {e}"))
        })?;
        let name = to_name.split_whitespace().collect::<Vec<_>>().join(" ");
        let to = Mailbox::new((!name.is_empty()).then_some(name), address);
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject.clone())
            .message_id(Some(self.message_id_for(message_id_hint)))
            .date_now()
            .header(AutoSubmitted)
            .multipart(MultiPart::alternative_plain_html(
                composed.text.clone(),
                composed.html.clone(),
            ))
            .map_err(|e| SendError::permanent(format!("cannot build the message: {e}")))
    }

    /// Sends one message. `message_id_hint` is the outbox key: the same key
    /// always gives the same Message-ID.
    pub async fn send(
        &self,
        to_address: &str,
        to_name: &str,
        composed: &Composed,
        message_id_hint: &str,
    ) -> Result<(), SendError> {
        let message = self.message(to_address, to_name, composed, message_id_hint)?;
        match &self.inner {
            Inner::Smtp { transport, .. } => {
                transport
                    .send(message)
                    .await
                    .map_err(SendError::from_smtp)?;
                tracing::debug!(key = message_id_hint, to = to_address, "email sent");
                Ok(())
            }
            Inner::File { transport, dir } => {
                // The folder may have been removed since start-up.
                if let Err(e) = tokio::fs::create_dir_all(dir).await {
                    return Err(SendError::transient(format!(
                        "cannot create {}: {e}",
                        dir.display()
                    )));
                }
                let id = transport
                    .send(message)
                    .await
                    .map_err(|e| SendError::transient(error_chain(&e)))?;
                tracing::info!(
                    key = message_id_hint,
                    to = to_address,
                    file = %dir.join(format!("{id}.eml")).display(),
                    "email written to a file (no SMTP server configured)"
                );
                Ok(())
            }
        }
    }
}
