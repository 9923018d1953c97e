//! The test harness: start the real Jejak server on a free port against a
//! fresh SQLite file or a fresh PostgreSQL database, and drive it over HTTP
//! or through headless Chromium (chromedriver).
//!
//! PostgreSQL comes from `JEJAK_TEST_PG_URL`, or from the `PGHOST`/`PGPORT`/
//! `PGUSER`/`PGPASSWORD` variables that `pg_virtualenv` sets (the README's
//! test command does this). Missing PostgreSQL or Chromium is a test
//! failure with an explanation, never a silent skip.

pub mod browser;
pub mod import_files;
pub mod smtp;
pub mod synthetic;

use std::{
    path::PathBuf,
    sync::{
        atomic::{AtomicU32, Ordering},
        Arc,
    },
};

use app::backend::{config::Config, state::AppState};
use jejak::{db_gate::DbGate, startup::Application};
use sea_orm::{sqlx, DatabaseConnection};
use tokio::{sync::oneshot, task::JoinHandle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The compiled site (`pkg/` with the WebAssembly client), built by `cargo leptos build`.
pub fn site_root() -> PathBuf {
    std::env::var_os("JEJAK_TEST_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"))
}

/// Fails (does not skip) when the client has not been built.
pub fn require_site() -> PathBuf {
    let root = site_root();
    let wasm = root.join("pkg/jejak.wasm");
    assert!(
        wasm.is_file(),
        "Klien WebAssembly belum dibangun / the WebAssembly client is not built: {} is missing. \
         Run the README's test command (it runs `cargo leptos build` first).",
        wasm.display()
    );
    root
}

/// The admin URL of the PostgreSQL server used for tests.
pub fn pg_admin_url() -> String {
    if let Ok(url) = std::env::var("JEJAK_TEST_PG_URL") {
        return url;
    }
    match (
        std::env::var("PGHOST"),
        std::env::var("PGPORT"),
        std::env::var("PGUSER"),
    ) {
        (Ok(host), Ok(port), Ok(user)) => {
            let password = std::env::var("PGPASSWORD").unwrap_or_default();
            let host = if host.starts_with('/') {
                format!("localhost?host={host}")
            } else {
                host
            };
            // host may carry a socket query; put the port before it.
            match host.split_once('?') {
                Some((h, q)) => format!("postgres://{user}:{password}@{h}:{port}/postgres?{q}"),
                None => format!("postgres://{user}:{password}@{host}:{port}/postgres"),
            }
        }
        _ => panic!(
            "PostgreSQL tidak tersedia / PostgreSQL is not available: set JEJAK_TEST_PG_URL \
             (postgres://user:password@host:port/postgres) or run the tests through the README's \
             test command, which starts a throw-away cluster with pg_virtualenv."
        ),
    }
}

fn unique_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}_{}_{}_{nanos}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh PostgreSQL database, dropped (connections and all) when this is dropped.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
    admin_url: String,
}

impl PgDatabase {
    pub async fn create() -> PgDatabase {
        let admin_url = pg_admin_url();
        let name = unique_name("jejak_test");
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to PostgreSQL at {admin_url}: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
            .execute(&mut conn)
            .await
            .expect("create test database");
        let url = replace_db_name(&admin_url, &name);
        PgDatabase {
            name,
            url,
            admin_url,
        }
    }

    /// Drops the database now, terminating its connections (to simulate an outage).
    pub async fn drop_now(&self) {
        let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&self.admin_url)
            .await
            .expect("connect to PostgreSQL admin database");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
            self.name
        )))
        .execute(&mut conn)
        .await
        .expect("drop test database");
    }
}

fn replace_db_name(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).expect("valid PostgreSQL URL");
    u.set_path(&format!("/{db}"));
    u.to_string()
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside async; use a private runtime on a thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin_url)
                    .await
                    .ok()?;
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await
                .ok()
            })
        })
        .join();
    }
}

/// A running Jejak.
pub struct TestApp {
    pub addr: std::net::SocketAddr,
    pub base: String,
    pub backend: Backend,
    pub state: AppState,
    /// The server's database gate: [`DbGate::closings`] says whether, and
    /// why, it ever answered 503 for a database it believed gone.
    pub gate: Arc<DbGate>,
    pub pg: Option<PgDatabase>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    _data_dir: tempfile::TempDir,
}

impl TestApp {
    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server gracefully and waits for it (at most 60 s: a client
    /// that keeps a connection open must not hang the test suite).
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let stopped = tokio::time::timeout(std::time::Duration::from_secs(60), h).await;
            assert!(
                stopped.is_ok(),
                "the server did not stop within 60 s (a hang, not slowness) of the shutdown signal"
            );
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts Jejak on 127.0.0.1 with a free port and a fresh, migrated database.
pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

/// As [`spawn_app`], with configuration changed by `adjust` first.
pub async fn spawn_app_with(backend: Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    init_test_log();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let pg = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(PgDatabase::create().await),
    };
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_path_buf(),
        database_url: pg.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
        database_max_connections: 8,
        site_root: site_root(),
        // Tests that want the schedules and the worker turn them on; the
        // others must not have a worker sending their outbox behind their back.
        background_jobs: false,
        ..Config::default()
    };
    adjust(&mut config);
    let app = Application::build(config).await.expect("Jejak starts");
    let addr = app.addr();
    let state = app.state().clone();
    let gate = app.gate().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        base: format!("http://{addr}"),
        backend,
        state,
        gate,
        pg,
        shutdown: Some(tx),
        handle: Some(handle),
        _data_dir: data_dir,
    }
}

/// A second Jejak instance on `first`'s database (as in a deployment with
/// several instances behind a load balancer), with configuration changed
/// by `adjust`. Its own data directory, port and connection pool.
pub async fn spawn_instance(first: &TestApp, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_path_buf(),
        ..(*first.state.config).clone()
    };
    adjust(&mut config);
    let app = Application::build(config)
        .await
        .expect("the second instance starts");
    let addr = app.addr();
    let state = app.state().clone();
    let gate = app.gate().clone();
    let (tx, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(app.run_until(async move {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        base: format!("http://{addr}"),
        backend: first.backend,
        state,
        gate,
        pg: None,
        shutdown: Some(tx),
        handle: Some(handle),
        _data_dir: data_dir,
    }
}

/// Server logs in tests only with `TEST_LOG=1` (as in zero-to-production).
fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("info")
                .with_test_writer()
                .try_init();
        }
    });
}

/// An HTTP client that does not follow redirects (so tests see them) and keeps cookies.
pub fn http_client() -> reqwest::Client {
    client_builder()
        .cookie_store(true)
        .build()
        .expect("HTTP client")
}

/// How every test client starts: no redirects followed; a hang shows up as
/// a failed request naming the URL, not as a stuck suite (generous: these
/// machines are shared and noisy); idle connections dropped before the
/// server's keep-alive ends them (`jejak::connections::HEADER_READ_TIMEOUT`),
/// so a request never races the server's close; and `Sec-Fetch-Site:
/// same-origin`, as every current browser sends on Jejak's own pages (a
/// signed-in POST without it or `Origin` is refused as cross-site).
pub fn client_builder() -> reqwest::ClientBuilder {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        // Well before: on a starved machine the client may read an answer
        // seconds after the server wrote it, and the server's clock for the
        // idle connection started then.
        .pool_idle_timeout(jejak::connections::HEADER_READ_TIMEOUT / 4)
        .default_headers(headers)
}

/// The text inside the element with the given `id` in server-rendered HTML
/// (Leptos may put `<!>` markers between text nodes; they are removed).
pub fn text_of_id(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let rest = &html[start..];
    let open_end = rest.find('>')? + 1;
    let rest = &rest[open_end..];
    let mut depth = 0usize;
    let mut out = String::new();
    let mut i = 0;
    let bytes = rest.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let end = rest[i..].find('>')? + i;
            let tag = &rest[i + 1..end];
            if tag.starts_with('/') {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            } else if !tag.starts_with('!') && !tag.ends_with('/') {
                depth += 1;
            }
            i = end + 1;
        } else {
            let next = rest[i..].find('<').map(|n| n + i).unwrap_or(bytes.len());
            out.push_str(&rest[i..next]);
            i = next;
        }
    }
    Some(out.trim().to_string())
}

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::Backend::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::Backend::Postgres).await
                }
            }
        )*
    };
}

/// The password of accounts made by [`TestApp::account_for`].
pub const TEST_PASSWORD: &str = "kata-sandi-uji-2026";

impl TestApp {
    /// Opens an account (password [`TEST_PASSWORD`]) for an employee, with these roles.
    pub async fn account_for(
        &self,
        employee_id: i64,
        grants: &[app::backend::access::accounts::RoleGrant],
    ) -> i64 {
        use app::backend::access::accounts;
        let now = chrono::Utc::now();
        let acc = accounts::create_account(self.db(), "test", employee_id, now)
            .await
            .expect("account");
        accounts::set_password_directly(self.db(), acc.id, TEST_PASSWORD, now)
            .await
            .expect("password");
        for g in grants {
            accounts::grant_role(self.db(), "test", acc.id, g.clone(), now)
                .await
                .expect("role");
        }
        acc.id
    }

    /// A new employee (NIP, name, email) in a new top-level unit of the
    /// given name: their employee id.
    pub async fn employee_in_new_unit(
        &self,
        unit_name: &str,
        nip: &str,
        name: &str,
        email: Option<&str>,
    ) -> i64 {
        use app::backend::entities::{employee, unit};
        use sea_orm::{ActiveModelTrait, Set};
        let now = chrono::Utc::now();
        let u = unit::ActiveModel {
            parent_id: Set(None),
            name: Set(unit_name.into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(self.db())
        .await
        .expect("unit");
        employee::ActiveModel {
            nip: Set(nip.into()),
            asn_kind: Set("pns".into()),
            name: Set(name.into()),
            email: Set(email.map(str::to_string)),
            unit_id: Set(u.id),
            created_at: Set(now),
            language: Set("id".into()),
            ..Default::default()
        }
        .insert(self.db())
        .await
        .expect("employee")
        .id
    }

    /// A client signed in through the sign-in form (as a browser without JavaScript).
    pub async fn sign_in(&self, login: &str, password: &str) -> reqwest::Client {
        let client = http_client();
        let res = client
            .post(self.url("/fn/sign_in"))
            .header("Accept", "text/html")
            .form(&[("login", login), ("password", password)])
            .send()
            .await
            .expect("sign-in request");
        assert_eq!(res.status(), 302, "sign-in as {login} failed");
        client
    }

    /// A client signed in as a new HR administrator (with their own unit
    /// "BKPSDM (uji)" and employee, created for the test).
    pub async fn admin_client(&self) -> reqwest::Client {
        use app::backend::{
            access::accounts::{RoleGrant, RoleKind},
            entities::{employee, unit},
        };
        use sea_orm::{ActiveModelTrait, Set};
        let now = chrono::Utc::now();
        let u = unit::ActiveModel {
            parent_id: Set(None),
            name: Set("BKPSDM (uji)".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(self.db())
        .await
        .expect("admin's unit");
        let e = employee::ActiveModel {
            nip: Set("199001012015031002".into()),
            asn_kind: Set("pns".into()),
            name: Set("Admin Uji".into()),
            email: Set(Some("admin.uji@medan.example".into())),
            unit_id: Set(u.id),
            created_at: Set(now),
            language: Set("id".into()),
            ..Default::default()
        }
        .insert(self.db())
        .await
        .expect("admin employee");
        self.account_for(
            e.id,
            &[RoleGrant {
                role: RoleKind::Admin,
                unit_id: None,
                course_id: None,
            }],
        )
        .await;
        self.sign_in("199001012015031002", TEST_PASSWORD).await
    }
}

/// Jejak with the whole demo data set (organisation, training, accounts)
/// on a fresh database, and the demo logins.
pub async fn demo_app(backend: Backend) -> (TestApp, Vec<jejak::seed::accounts::DemoLogin>) {
    require_site();
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .expect("demo data");
    let logins = jejak::seed::accounts::demo(app.db())
        .await
        .expect("demo accounts");
    (app, logins)
}

/// The demo data on a fresh database with the demo administrator signed
/// in, for HTTP tests of the administrator's pages (no built client needed).
pub struct Demo {
    pub app: TestApp,
    pub admin: reqwest::Client,
    pub logins: Vec<jejak::seed::accounts::DemoLogin>,
    pub today: chrono::NaiveDate,
}

pub async fn demo(backend: Backend) -> Demo {
    use jejak::seed::accounts::DEMO_PASSWORD;
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .expect("demo data");
    let logins = jejak::seed::accounts::demo(app.db())
        .await
        .expect("demo accounts");
    let admin_nip = logins
        .iter()
        .find(|l| l.role == "admin")
        .expect("a demo administrator")
        .nip
        .clone();
    let admin = app.sign_in(&admin_nip, DEMO_PASSWORD).await;
    Demo {
        app,
        admin,
        logins,
        today,
    }
}

impl Demo {
    /// A client signed in as the demo login with this role.
    pub async fn as_role(&self, role: &str) -> reqwest::Client {
        let l = self.logins.iter().find(|l| l.role == role).unwrap();
        self.app
            .sign_in(&l.nip, jejak::seed::accounts::DEMO_PASSWORD)
            .await
    }

    /// A server function called by the administrator.
    pub async fn call(
        &self,
        endpoint: &str,
        fields: &[(&str, String)],
    ) -> (u16, serde_json::Value) {
        call(&self.app, &self.admin, endpoint, fields).await
    }

    /// A list endpoint that must answer 200, called by the administrator.
    pub async fn list(&self, endpoint: &str, fields: &[(&str, String)]) -> serde_json::Value {
        let (status, body) = self.call(endpoint, fields).await;
        assert_eq!(status, 200, "{endpoint} {fields:?}: {body}");
        body
    }
}

/// Calls a server function with form fields; the status and the JSON answer
/// (or the text, when the answer is not JSON).
pub async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    fields: &[(&str, String)],
) -> (u16, serde_json::Value) {
    let res = client
        .post(app.url(&format!("/fn/{endpoint}")))
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
    )
}

/// The check-ins still open (never written) that the manager with this
/// employee id may write: those of transfers into a unit they manage or
/// one below it. Read from the database, nothing written: a check-in can
/// be written once (issue 17), so a load or fault test writes each of
/// these at most once.
pub async fn open_checkins_of_manager(app: &TestApp, manager_employee_id: i64) -> Vec<i64> {
    use app::backend::entities::{account, account_role, checkin, transfer, unit};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let db = app.db();
    let account = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(manager_employee_id))
        .one(db)
        .await
        .expect("accounts")
        .expect("the manager's account");
    let roots: Vec<i64> = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(account.id))
        .filter(account_role::Column::Role.eq("manager"))
        .all(db)
        .await
        .expect("roles")
        .into_iter()
        .filter_map(|r| r.unit_id)
        .collect();
    let parents: std::collections::HashMap<i64, Option<i64>> = unit::Entity::find()
        .all(db)
        .await
        .expect("units")
        .into_iter()
        .map(|u| (u.id, u.parent_id))
        .collect();
    let managed = |mut unit: i64| loop {
        if roots.contains(&unit) {
            return true;
        }
        match parents.get(&unit).copied().flatten() {
            Some(parent) => unit = parent,
            None => return false,
        }
    };
    let destination: std::collections::HashMap<i64, i64> = transfer::Entity::find()
        .all(db)
        .await
        .expect("transfers")
        .into_iter()
        .map(|t| (t.id, t.to_unit_id))
        .collect();
    checkin::Entity::find()
        .filter(checkin::Column::WrittenAt.is_null())
        .order_by_asc(checkin::Column::Id)
        .all(db)
        .await
        .expect("check-ins")
        .into_iter()
        .filter(|c| destination.get(&c.transfer_id).is_some_and(|&u| managed(u)))
        .map(|c| c.id)
        .collect()
}

/// A form field.
pub fn f(k: &str, v: impl ToString) -> (&str, String) {
    (k, v.to_string())
}

/// Polls `check` every 100 ms until it returns something; panics after `limit`.
pub async fn wait_until<T, F, Fut>(limit: std::time::Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            start.elapsed() < limit,
            "condition not reached within {limit:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
