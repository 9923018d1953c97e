//! The one error type of Jejak. Every failure a user can see is an `AppError`:
//! it knows its HTTP status and carries its message in Indonesian and English.
//! It crosses the server-function boundary as JSON, so the browser shows the
//! same words the server chose.

use serde::{Deserialize, Serialize};
use server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};

/// A user-facing message in both languages Jejak speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub en: String,
}

impl Message {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: en.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AppError {
    /// The input is well-formed but breaks a rule (empty name, invalid NIP ...).
    #[error("{}", message.id)]
    Invalid {
        field: Option<String>,
        message: Message,
    },
    /// The request itself is malformed (missing or mistyped arguments).
    #[error("{}", message.id)]
    BadRequest { message: Message },
    /// Does not exist, or the caller may not know that it exists.
    #[error("Data tidak ditemukan")]
    NotFound,
    /// Not signed in (or the session ended): sign in first.
    #[error("Silakan masuk terlebih dahulu")]
    Unauthenticated,
    /// Wrong NIP/email or password; deliberately does not say which.
    #[error("NIP/email atau kata sandi salah")]
    BadCredentials,
    /// Too many attempts: wait this many seconds.
    #[error("Terlalu banyak percobaan")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Conflicts with existing data (duplicate, wrong state).
    #[error("{}", message.id)]
    Conflict { message: Message },
    /// The database (or another dependency) cannot be reached right now.
    #[error("Layanan sedang tidak tersedia")]
    Unavailable,
    /// The client sent its request too slowly (a body that did not arrive
    /// within the time allowed): 408, nothing was done.
    #[error("Permintaan dikirim terlalu lambat")]
    SlowRequest { within_secs: u64 },
    /// This client address already has as many requests in progress as one
    /// client may: 429, try again shortly.
    #[error("Terlalu banyak permintaan bersamaan")]
    TooManyRequests,
    /// The request's body is larger than this endpoint takes.
    #[error("Isi permintaan terlalu besar")]
    TooLarge { max_bytes: u64 },
    /// The server's disk refused the write: full, or read-only (or failing).
    /// Nothing was saved; only the operator can fix it.
    #[error("Penyimpanan server tidak dapat ditulis")]
    Storage { full: bool },
    /// A bug or an unexpected failure; details are in the server log under `reference`.
    #[error("Terjadi kesalahan internal (ref {reference})")]
    Internal { reference: String },
    /// The browser could not reach the server or understand its answer.
    #[error("{detail}")]
    Transport { detail: String },
}

impl AppError {
    pub fn invalid(field: &str, id: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Invalid {
            field: Some(field.to_string()),
            message: Message::new(id, en),
        }
    }

    pub fn conflict(id: impl Into<String>, en: impl Into<String>) -> Self {
        AppError::Conflict {
            message: Message::new(id, en),
        }
    }

    pub fn status_code(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            AppError::Invalid { .. } => S::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => S::BAD_REQUEST,
            AppError::NotFound => S::NOT_FOUND,
            AppError::Unauthenticated | AppError::BadCredentials => S::UNAUTHORIZED,
            AppError::TooManyAttempts { .. } => S::TOO_MANY_REQUESTS,
            AppError::Conflict { .. } => S::CONFLICT,
            AppError::Unavailable => S::SERVICE_UNAVAILABLE,
            AppError::TooLarge { .. } => S::PAYLOAD_TOO_LARGE,
            AppError::SlowRequest { .. } => S::REQUEST_TIMEOUT,
            AppError::TooManyRequests => S::TOO_MANY_REQUESTS,
            AppError::Storage { full: true } => S::INSUFFICIENT_STORAGE,
            AppError::Storage { full: false } => S::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => S::INTERNAL_SERVER_ERROR,
            AppError::Transport { .. } => S::BAD_GATEWAY,
        }
    }

    /// The message in the given language (`"en"` for English, anything else Indonesian).
    pub fn message(&self, lang: &str) -> String {
        let words = self.words();
        if lang == "en" {
            words.en
        } else {
            words.id
        }
    }

    /// The message in both languages.
    fn words(&self) -> Message {
        match self {
            AppError::Invalid { message, .. }
            | AppError::BadRequest { message }
            | AppError::Conflict { message } => message.clone(),
            AppError::NotFound => Message::new("Data tidak ditemukan", "Not found"),
            AppError::Unauthenticated => Message::new(
                "Silakan masuk terlebih dahulu (atau masuk lagi: sesi Anda telah berakhir)",
                "Please sign in first (or again: your session has ended)",
            ),
            AppError::BadCredentials => Message::new(
                "NIP/email atau kata sandi salah",
                "Wrong NIP/email or password",
            ),
            AppError::TooManyAttempts { retry_after_secs } => Message::new(
                format!("Terlalu banyak percobaan masuk. Coba lagi dalam {retry_after_secs} detik."),
                format!("Too many sign-in attempts. Try again in {retry_after_secs} seconds."),
            ),
            AppError::Unavailable => Message::new(
                "Layanan sedang tidak tersedia; silakan coba lagi sebentar lagi",
                "The service is temporarily unavailable; please try again shortly",
            ),
            AppError::TooLarge { max_bytes } => {
                let mb = *max_bytes as f64 / (1024.0 * 1024.0);
                Message::new(
                    format!("Isi permintaan terlalu besar: maksimum {mb:.0} MB"),
                    format!("The request is too large: at most {mb:.0} MB"),
                )
            }
            AppError::SlowRequest { within_secs } => Message::new(
                format!("Permintaan dikirim terlalu lambat: harus terkirim dalam {within_secs} detik. Tidak ada yang disimpan; silakan coba lagi."),
                format!("The request arrived too slowly: it must be sent within {within_secs} seconds. Nothing was saved; please try again."),
            ),
            AppError::TooManyRequests => Message::new(
                "Terlalu banyak permintaan bersamaan dari alamat Anda; silakan coba lagi sebentar lagi",
                "Too many requests at once from your address; please try again in a moment",
            ),
            AppError::Storage { full: true } => Message::new(
                "Penyimpanan server penuh: perubahan ini tidak disimpan. Mohon beri tahu pengelola sistem.",
                "The server's storage is full: this change was not saved. Please tell the system administrator.",
            ),
            AppError::Storage { full: false } => Message::new(
                "Penyimpanan server tidak dapat ditulis (hanya-baca atau rusak): perubahan ini tidak disimpan. Mohon beri tahu pengelola sistem.",
                "The server's storage cannot be written (read-only or failing): this change was not saved. Please tell the system administrator.",
            ),
            AppError::Internal { reference } => Message::new(
                format!("Terjadi kesalahan internal (referensi {reference})"),
                format!("An internal error occurred (reference {reference})"),
            ),
            AppError::Transport { detail } => Message::new(
                format!("Tidak dapat menghubungi server: {detail}"),
                format!("Could not reach the server: {detail}"),
            ),
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(d)
            | ServerFnErrorErr::MissingArg(d)
            | ServerFnErrorErr::Deserialization(d) => AppError::BadRequest {
                message: Message::new(
                    format!("Permintaan tidak valid: {d}"),
                    format!("Invalid request: {d}"),
                ),
            },
            ServerFnErrorErr::UnsupportedRequestMethod(d) => AppError::BadRequest {
                message: Message::new(
                    format!("Metode permintaan tidak didukung: {d}"),
                    format!("Unsupported request method: {d}"),
                ),
            },
            ServerFnErrorErr::Request(d) | ServerFnErrorErr::Response(d) => {
                AppError::Transport { detail: d }
            }
            other => AppError::Internal {
                reference: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_kind_of_failure() {
        assert_eq!(AppError::invalid("nip", "x", "y").status_code(), 422);
        assert_eq!(AppError::NotFound.status_code(), 404);
        assert_eq!(AppError::Unavailable.status_code(), 503);
        assert_eq!(AppError::conflict("a", "b").status_code(), 409);
    }

    #[test]
    fn messages_are_indonesian_unless_english_is_asked_for() {
        let e = AppError::invalid("name", "Nama wajib diisi", "Name is required");
        assert_eq!(e.message("id"), "Nama wajib diisi");
        assert_eq!(e.message("en"), "Name is required");
        assert_eq!(e.message("xx"), "Nama wajib diisi");
    }

    #[test]
    fn survives_the_trip_through_json() {
        let e = AppError::invalid("name", "Nama wajib diisi", "Name is required");
        let bytes = e.ser();
        assert_eq!(AppError::de(bytes), e);
    }

    #[test]
    fn malformed_arguments_become_bad_requests() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("parent_id".into()));
        assert_eq!(e.status_code(), 400);
        assert!(e.message("id").contains("parent_id"));
    }
}
