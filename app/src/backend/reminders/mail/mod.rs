//! Email: composing each reminder (HTML and plain text, in the recipient's
//! language; [`compose`]) and delivering it over SMTP (lettre), or into
//! `.eml` files when no SMTP server is configured ([`transport`]).
//!
//! The delivery worker's part, in order:
//! 1. fill a [`MailFacts`] for the outbox row (names, course, dates, days
//!    from "today" in the office's time zone);
//! 2. `compose(kind, &facts, lang, &config.public_url)` → [`Composed`];
//! 3. `mailer.send(address, name, &composed, &outbox_key)`: the outbox key
//!    becomes the Message-ID, so a repeated delivery is recognisable;
//! 4. on `Err(e)`: retry later when `e.is_transient()`, give up when
//!    `e.is_permanent()`.
//!
//! [`Mailer::from_config`] is built once at start-up; [`check_smtp_url`]
//! checks `smtp_url` on its own (for configuration validation).

pub mod compose;
pub mod transport;

pub use compose::{compose, link_path, Composed, CourseLine, DigestRow, MailFacts};
pub use transport::{check_smtp_url, message_id, Mailer, SendError, SendErrorKind};

#[cfg(test)]
mod tests;
