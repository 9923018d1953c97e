//! Who is asking, and may they? Passwords, sessions, sign-in throttling and
//! the one policy module every server function and page asks.
//!
//! The server's `authenticate` middleware turns the session cookie into a
//! [`Principal`] in the request's extensions; server functions and pages read
//! it with [`principal`] and ask [`policy`] before touching data.

pub mod accounts;
pub mod api_tokens;
mod owner_mail;

pub mod password;
pub mod policy;
pub mod principal;
pub mod session;
pub mod throttle;
pub mod token;

pub use principal::{principal, require_principal, ClientAddr, Principal};
