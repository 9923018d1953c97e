//! Jejak's one typed configuration. Loading (defaults, then `jejak.toml`, then
//! `JEJAK_*` variables, then command-line flags) lives in the server crate;
//! this is the shape everyone reads.

use serde::{Deserialize, Serialize};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the HTTP server listens.
    pub addr: SocketAddr,
    /// Where the embedded database and files live.
    pub data_dir: PathBuf,
    /// Empty: embedded SQLite at `<data_dir>/jejak.db`. Otherwise `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Maximum database connections in the pool.
    pub database_max_connections: u32,
    /// The office's time zone; all dates shown and scheduled in it.
    pub timezone: String,
    /// Default language for people who have not chosen one: `id` or `en`.
    pub default_language: String,
    /// Where cargo-leptos put the compiled site (`pkg/` with the WebAssembly client and CSS).
    pub site_root: PathBuf,
    /// The URL people use to reach Jejak (links in emails).
    pub public_url: String,
    /// `tracing` filter, e.g. `info` or `info,jejak=debug`.
    pub log: String,
    /// Days after the TMT at which the supervisor writes an adaptation check-in.
    pub checkin_days: Vec<u32>,
    /// Yearly competency-development target in JP (PP 11/2017: 20).
    pub jp_target_per_year: f64,
    /// Minutes in one JP (commonly 45).
    pub minutes_per_jp: u32,
    /// How long before a certificate expires its renewal is assigned.
    pub renewal_window_days: u32,
    /// The manager's dashboard shows people whose TMT is this many days back or fewer.
    pub newcomer_days: u32,
    /// A session ends after this many minutes without a request.
    pub session_idle_minutes: u32,
    /// A session ends this many hours after sign-in, however active.
    pub session_max_hours: u32,
    /// Mark the session cookie `Secure` (HTTPS only). Empty: when `public_url` is https.
    pub secure_cookies: Option<bool>,
    /// How long a set-password link stays valid.
    pub password_link_hours: u32,
    /// Behind a reverse proxy: take the client's address from the last
    /// `X-Forwarded-For` entry (for sign-in throttling). Never enable without a proxy.
    pub trust_forwarded_for: bool,
    /// Requests one client address (an IPv4 address or an IPv6 /64) may
    /// have in progress at once; one more is answered 429 (issue 17).
    pub max_requests_per_client: u32,
    /// A request not answered this many seconds after its body arrived is
    /// dropped (rolling back what it began) and answered 503 (issue 17).
    /// The import's upload gets five minutes whatever this says.
    pub request_deadline_secs: u32,
    /// Where mail goes: `smtp://user:pass@host:587?tls=required`, `smtps://…`,
    /// or `smtp://127.0.0.1:2525` for a plain local relay. Empty: written to
    /// files under `<data_dir>/mail/` instead (and the log says so).
    pub smtp_url: String,
    /// The sender of every email.
    pub mail_from: String,
    /// When reminders are decided and queued (cron; 5 fields, or 6/7 with seconds), in `timezone`.
    pub reminder_schedule: String,
    /// When managers get their weekly digest (cron), in `timezone`.
    pub digest_schedule: String,
    /// What is sent when (days before/after, repeats, escalation).
    pub reminder_policy: crate::domain::reminders::ReminderPolicy,
    /// Delivery attempts a message gets when the mail server answers "try
    /// later" (4xx) before it is marked failed. An unreachable server does
    /// not use up attempts.
    pub mail_max_attempts: u32,
    /// How long a delivery worker's claim on a batch lasts: if the process
    /// dies mid-batch, its messages are taken over after this long. Must
    /// exceed the time a batch can take (64 messages, 16 at a time, 30 s
    /// SMTP timeout: 120 s).
    pub mail_claim_secs: u32,
    /// Run the schedules and the delivery worker in this process. Every
    /// instance may (leases and claims keep them apart); turn off for
    /// web-only instances.
    pub background_jobs: bool,
    /// Authentication lines of the audit trail (sign-ins, sign-outs,
    /// failures, throttling) older than this many days are deleted by the
    /// daily job; lines of data changes are kept. 1–3650.
    pub auth_audit_retention_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            database_max_connections: 16,
            timezone: "Asia/Jakarta".into(),
            default_language: "id".into(),
            site_root: PathBuf::from("target/site"),
            public_url: "http://127.0.0.1:3000".into(),
            log: "info".into(),
            checkin_days: vec![30, 60, 90],
            jp_target_per_year: 20.0,
            minutes_per_jp: 45,
            renewal_window_days: 90,
            newcomer_days: 180,
            session_idle_minutes: 60,
            session_max_hours: 12,
            secure_cookies: None,
            password_link_hours: 72,
            trust_forwarded_for: false,
            max_requests_per_client: 32,
            request_deadline_secs: 45,
            smtp_url: String::new(),
            mail_from: "Jejak <jejak@localhost>".into(),
            reminder_schedule: "0 7 * * *".into(),
            digest_schedule: "0 7 * * 1".into(),
            reminder_policy: Default::default(),
            mail_max_attempts: 8,
            mail_claim_secs: 300,
            background_jobs: true,
            auth_audit_retention_days: 180,
        }
    }
}

impl Config {
    /// The database URL actually used: the configured one, or the embedded SQLite file.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.trim().is_empty() {
            format!("sqlite://{}", self.data_dir.join("jejak.db").display())
        } else {
            self.database_url.trim().to_string()
        }
    }

    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies
            .unwrap_or_else(|| self.public_url.starts_with("https://"))
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.timezone.parse().unwrap_or(chrono_tz::Asia::Jakarta)
    }

    /// Checks what serde cannot: the zone and the language exist.
    pub fn validate(&self) -> Result<(), String> {
        if self.timezone.parse::<chrono_tz::Tz>().is_err() {
            return Err(format!(
                "zona waktu tidak dikenal / unknown time zone: {:?} (contoh / example: Asia/Jakarta)",
                self.timezone
            ));
        }
        if !matches!(self.default_language.as_str(), "id" | "en") {
            return Err(format!(
                "bahasa bawaan harus \"id\" atau \"en\" / default_language must be \"id\" or \"en\": {:?}",
                self.default_language
            ));
        }
        if self.checkin_days.is_empty()
            || self.checkin_days.iter().any(|d| !(1..=730).contains(d))
            || self.checkin_days.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(format!(
                "checkin_days harus naik, masing-masing 1–730 hari / must be increasing, each 1–730 days: {:?}",
                self.checkin_days
            ));
        }
        if !(self.jp_target_per_year > 0.0 && self.jp_target_per_year <= 1000.0) {
            return Err(format!(
                "jp_target_per_year harus lebih dari 0 / must be above 0: {}",
                self.jp_target_per_year
            ));
        }
        within("minutes_per_jp", self.minutes_per_jp, 1..=240)?;
        if self.renewal_window_days > 730 {
            return Err(format!(
                "renewal_window_days paling banyak 730 / at most 730: {}",
                self.renewal_window_days
            ));
        }
        within("newcomer_days", self.newcomer_days, 1..=3650)?;
        within(
            "session_idle_minutes",
            self.session_idle_minutes,
            5..=7 * 24 * 60,
        )?;
        within("session_max_hours", self.session_max_hours, 1..=24 * 30)?;
        within("password_link_hours", self.password_link_hours, 1..=24 * 14)?;
        if !self.smtp_url.trim().is_empty() {
            crate::backend::reminders::mail::check_smtp_url(&self.smtp_url)
                .map_err(|e| bilingual(&e))?;
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!(
                "mail_from bukan alamat pengirim yang sah / is not a valid sender address: {:?} (contoh / example: \"Jejak <jejak@kecamatan.go.id>\")",
                self.mail_from
            ));
        }
        for (key, expression) in [
            ("reminder_schedule", &self.reminder_schedule),
            ("digest_schedule", &self.digest_schedule),
        ] {
            crate::domain::schedule::parse_schedule(expression)
                .map_err(|e| format!("{key}: {}", bilingual(&e)))?;
        }
        within("mail_max_attempts", self.mail_max_attempts, 1..=100)?;
        within("mail_claim_secs", self.mail_claim_secs, 2..=3600)?;
        within(
            "auth_audit_retention_days",
            self.auth_audit_retention_days,
            1..=3650,
        )?;
        let url = self.effective_database_url();
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres://")
            || url.starts_with("postgresql://"))
        {
            return Err(format!(
                "database_url harus sqlite:… atau postgres://… / must be sqlite:… or postgres://…: {}",
                redact_url(&url)
            ));
        }
        Ok(())
    }

    /// The configuration as TOML with secrets (database password) hidden, for the start-up log.
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = redact_url(&self.database_url);
        toml_like(&shown)
    }
}

/// A setting that must lie in `range`: "newcomer_days harus 1–3650 /
/// must be 1–3650: 0" when it does not.
fn within(key: &str, value: u32, range: std::ops::RangeInclusive<u32>) -> Result<(), String> {
    if range.contains(&value) {
        return Ok(());
    }
    let (lo, hi) = (range.start(), range.end());
    Err(format!(
        "{key} harus {lo}–{hi} / must be {lo}–{hi}: {value}"
    ))
}

/// "Indonesian / English" of a refusal, for start-up errors.
fn bilingual(e: &crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Invalid { message, .. } => {
            format!("{} / {}", message.id, message.en)
        }
        other => other.to_string(),
    }
}

/// Hides the password of a URL: `postgres://jejak:***@db/jejak`.
pub fn redact_url(raw: &str) -> String {
    // Query keys that carry a secret (`postgres://db/jejak?password=…`,
    // and the SMTP transport's own).
    const SECRET_KEYS: [&str; 4] = ["password", "pass", "passwd", "sslpassword"];
    match url::Url::parse(raw) {
        // `jejak:secret@db/x` parses, as a scheme "jejak" and an opaque
        // path that still holds the secret: treated as unparsable.
        Ok(u) if u.cannot_be_a_base() && raw.contains('@') => hidden(raw),
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            if u.query().is_some() {
                let pairs: Vec<(String, String)> = u
                    .query_pairs()
                    .map(|(k, v)| {
                        let secret = SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str());
                        (
                            k.into_owned(),
                            if secret { "***".into() } else { v.into_owned() },
                        )
                    })
                    .collect();
                u.query_pairs_mut().clear().extend_pairs(pairs);
            }
            u.to_string()
        }
        Err(_) => hidden(raw),
    }
}

/// An unparsable URL may still hold a password anywhere: only its scheme
/// is shown (enough to tell SQLite from PostgreSQL in a message).
fn hidden(raw: &str) -> String {
    match raw.split_once(':') {
        Some((scheme, _))
            if raw.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+') =>
        {
            format!("{scheme}:*** (tidak terbaca / unparsable)")
        }
        _ => "*** (tidak terbaca / unparsable)".into(),
    }
}

fn toml_like(c: &Config) -> String {
    // A hand-written listing keeps `toml` out of the app crate; the order is the struct's.
    format!(
        "addr = \"{}\"\ndata_dir = {:?}\ndatabase_url = {:?}\ndatabase_max_connections = {}\ntimezone = {:?}\ndefault_language = {:?}\nsite_root = {:?}\npublic_url = {:?}\nlog = {:?}\ncheckin_days = {:?}\njp_target_per_year = {}\nminutes_per_jp = {}\nrenewal_window_days = {}\nnewcomer_days = {}\nsession_idle_minutes = {}\nsession_max_hours = {}\nsecure_cookies = {}\npassword_link_hours = {}\ntrust_forwarded_for = {}\nmax_requests_per_client = {}\nrequest_deadline_secs = {}\nsmtp_url = {:?}\nmail_from = {:?}\nreminder_schedule = {:?}\ndigest_schedule = {:?}\nreminder_policy = {:?}\nmail_max_attempts = {}\nmail_claim_secs = {}\nbackground_jobs = {}\nauth_audit_retention_days = {}",
        c.addr,
        c.data_dir.display().to_string(),
        c.database_url,
        c.database_max_connections,
        c.timezone,
        c.default_language,
        c.site_root.display().to_string(),
        c.public_url,
        c.log,
        c.checkin_days,
        c.jp_target_per_year,
        c.minutes_per_jp,
        c.renewal_window_days,
        c.newcomer_days,
        c.session_idle_minutes,
        c.session_max_hours,
        c.cookies_secure(),
        c.password_link_hours,
        c.trust_forwarded_for,
        c.max_requests_per_client,
        c.request_deadline_secs,
        redact_url(&c.smtp_url),
        c.mail_from,
        c.reminder_schedule,
        c.digest_schedule,
        c.reminder_policy,
        c.mail_max_attempts,
        c.mail_claim_secs,
        c.background_jobs,
        c.auth_audit_retention_days,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_database_url_means_sqlite_in_the_data_dir() {
        let c = Config {
            data_dir: "/srv/jejak".into(),
            ..Config::default()
        };
        assert_eq!(c.effective_database_url(), "sqlite:///srv/jejak/jejak.db");
    }

    #[test]
    fn passwords_never_reach_the_log() {
        let c = Config {
            database_url: "postgres://jejak:s3cret@db:5432/jejak".into(),
            ..Config::default()
        };
        let shown = c.redacted_toml();
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(
            shown.contains("postgres://jejak:***@db:5432/jejak"),
            "{shown}"
        );
    }

    #[test]
    fn database_urls_are_redacted_in_every_form() {
        for (raw, secret) in [
            ("postgres://jejak:s3cret@db:5432/jejak", "s3cret"),
            (
                "postgres://jejak@db/jejak?sslmode=require&password=s3cret",
                "s3cret",
            ),
            ("postgres://jejak@db/jejak?PASSWORD=s3cret", "s3cret"),
            ("postgres://jejak:s3cret@[db:5432/jejak", "s3cret"),
            ("jejak:s3cret@db/jejak", "s3cret"),
            ("smtp://mailer:s3cret@mail:587?tls=required", "s3cret"),
        ] {
            let shown = redact_url(raw);
            assert!(!shown.contains(secret), "{raw} -> {shown}");
        }
        assert_eq!(
            redact_url("postgres://jejak@db/jejak?sslmode=require&password=x"),
            "postgres://jejak@db/jejak?sslmode=require&password=***"
        );
        assert!(redact_url("postgres://a:b@[x/y").starts_with("postgres:***"));
        let c = Config {
            database_url: "postgres://jejak@db/jejak?password=s3cret".into(),
            ..Config::default()
        };
        assert!(!c.redacted_toml().contains("s3cret"));
    }

    #[test]
    fn rejects_unknown_zones_and_languages() {
        let c = Config {
            timezone: "Asia/Medan".into(),
            ..Config::default()
        };
        assert!(c.validate().unwrap_err().contains("Asia/Medan"));
        let c = Config {
            default_language: "jv".into(),
            ..Config::default()
        };
        assert!(c.validate().is_err());
        assert!(Config::default().validate().is_ok());
        let c = Config {
            checkin_days: vec![60, 30],
            ..Config::default()
        };
        assert!(c.validate().unwrap_err().contains("checkin_days"));
        let c = Config {
            checkin_days: vec![],
            ..Config::default()
        };
        assert!(c.validate().is_err());
        let c = Config {
            minutes_per_jp: 0,
            ..Config::default()
        };
        assert!(c.validate().unwrap_err().contains("minutes_per_jp"));
    }
}
