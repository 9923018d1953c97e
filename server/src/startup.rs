//! Building and running the server: open the database, migrate, bind, serve
//! until told to stop.

use std::{future::Future, net::SocketAddr, sync::Arc};

use migrations::{Migrator, MigratorTrait};
use tokio::net::TcpListener;

use crate::db_gate::DbGate;
use app::backend::{
    client_assets::ClientAssets, config::Config, db, reminders::mail::Mailer, state::AppState,
};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database tidak dapat dibuka / cannot open database {url}: {source}")]
    Database { url: String, source: sea_orm::DbErr },
    #[error("direktori data tidak dapat ditulis (hanya-baca atau penuh?) / the data directory cannot be written (read-only or full?): {dir}: {source}")]
    DataDirNotWritable {
        dir: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("migrasi gagal / migration failed: {0}")]
    Migration(sea_orm::DbErr),
    #[error("surel tidak dapat disiapkan / mail cannot be set up: {0}")]
    Mail(String),
    #[error("tidak dapat mendengarkan di / cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Opens the database and brings its schema up to date.
pub async fn open_database(config: &Config) -> Result<sea_orm::DatabaseConnection, StartError> {
    let url = config.effective_database_url();
    if config.database_url.trim().is_empty() {
        check_writable(&config.data_dir)?;
    }
    let db = db::connect(config)
        .await
        .map_err(|source| StartError::Database {
            url: app::backend::config::redact_url(&url),
            source,
        })?;
    Migrator::up(&db, None)
        .await
        .map_err(StartError::Migration)?;
    Ok(db)
}

/// SQLite on a read-only (or full) disk may still open, read-only, and fail
/// later at the first write: find out before serving, and say so plainly.
fn check_writable(dir: &std::path::Path) -> Result<(), StartError> {
    use std::io::Write;
    let fail = |source| StartError::DataDirNotWritable {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let probe = dir.join(".jejak-uji-tulis");
    let written = std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"jejak").and_then(|_| f.sync_all()));
    let _ = std::fs::remove_file(&probe);
    written.map_err(fail)
}

pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    state: AppState,
    mailer: Mailer,
    gate: Arc<DbGate>,
}

impl Application {
    /// Opens and migrates the database and binds the address (port 0 picks a free one).
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let db = open_database(&config).await?;
        Self::with_database(config, db).await
    }

    pub async fn with_database(
        config: Config,
        db: sea_orm::DatabaseConnection,
    ) -> Result<Self, StartError> {
        let mailer = Mailer::from_config(&config).map_err(|e| match e {
            app::error::AppError::Invalid { message, .. } => {
                StartError::Mail(format!("{} / {}", message.id, message.en))
            }
            other => StartError::Mail(other.to_string()),
        })?;
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| StartError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
        let state = AppState {
            db,
            assets: Arc::new(ClientAssets::new(&config.site_root)),
            config: Arc::new(config),
        };
        let gate = DbGate::new(
            state.config.effective_database_url(),
            state.config.database_max_connections,
        );
        Ok(Self {
            listener,
            addr,
            state,
            mailer,
            gate,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The gate between requests and the database (turns, and 503 while it is gone).
    pub fn gate(&self) -> &Arc<DbGate> {
        &self.gate
    }

    /// The mail transport the configuration asks for.
    pub fn mailer(&self) -> &Mailer {
        &self.mailer
    }

    /// Serves until `shutdown` completes, then finishes in-flight requests.
    /// With `background_jobs`, the schedules and the delivery worker run
    /// alongside and stop with the server.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let jobs = self.state.config.background_jobs.then(|| {
            crate::jobs::Jobs::spawn(
                self.state.clone(),
                self.mailer.clone(),
                crate::jobs::instance_name(),
            )
        });
        let router = crate::http::router(self.state.clone(), self.addr, self.gate.clone());
        crate::connections::serve(self.listener, router, shutdown).await?;
        if let Some(jobs) = jobs {
            jobs.stop().await;
        }
        self.state.db.clone().close().await.ok();
        Ok(())
    }
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("SIGINT diterima, berhenti dengan tertib / shutting down"),
        _ = term => tracing::info!("SIGTERM diterima, berhenti dengan tertib / shutting down"),
    }
}
