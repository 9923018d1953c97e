//! Opening the database: embedded SQLite (WAL, foreign keys, busy timeout) or PostgreSQL;
//! what every service does with it: write transactions ([`write`]) and
//! rows looked up by id ([`find`], [`by_id`]).

use std::{collections::HashMap, str::FromStr, time::Duration};

use sea_orm::{
    sea_query::ValueType,
    sqlx::{
        postgres::{PgConnectOptions, PgPoolOptions},
        sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    },
    ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, Iterable, ModelTrait, PrimaryKeyToColumn, PrimaryKeyTrait, QueryFilter,
    SqliteTransactionMode, SqlxPostgresConnector, SqlxSqliteConnector, TransactionOptions,
    TransactionTrait,
};

use super::config::Config;
use crate::error::AppError;

/// Opens the configured database, creating the SQLite file (and its directory) on first use.
pub async fn connect(config: &Config) -> Result<DatabaseConnection, DbErr> {
    let url = config.effective_database_url();
    let max = config.database_max_connections.max(1);
    if url.starts_with("sqlite:") {
        if config.database_url.trim().is_empty() {
            std::fs::create_dir_all(&config.data_dir).map_err(|e| {
                DbErr::Custom(format!(
                    "tidak dapat membuat direktori data {} / cannot create data directory: {e}",
                    config.data_dir.display()
                ))
            })?;
        }
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: the write-ahead log is on disk before a write is
            // acknowledged. NORMAL lost 14 of 30 acknowledged transfers when
            // the disk turned read-only under Jejak (issue 9, disk.rs), as it
            // would on a power cut; FULL costs about 0.3 ms a write here.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .before_acquire(|conn, _| Box::pin(async move { Ok(in_step_with_sqlite(conn)) }))
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let options = PgConnectOptions::from_str(&url)
            .map_err(|e| DbErr::Custom(e.to_string()))?
            // PostgreSQL waits for a lock without end, and a request the
            // HTTP layer drops at its deadline leaves its statement waiting
            // on the server (issue 17). A lock not had in 20 s is an error
            // (55P03, answered 503 "try again"); a connection left idle
            // inside a transaction for a minute is ended by the server,
            // with the locks it held.
            .options([
                ("lock_timeout", "20s"),
                ("idle_in_transaction_session_timeout", "60s"),
            ]);
        let pool = PgPoolOptions::new()
            .max_connections(max)
            // Waiting for a connection means busy, not gone: an outage is
            // noticed by the HTTP layer's gate (server/src/db_gate.rs),
            // which answers 503 at once, instead of by this timeout.
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
    }
}

/// Whether an idle connection may serve again: only when sqlx's idea of its
/// transaction depth is 0. (Checked when it is taken from the pool: by then
/// sqlx's own ping on release has waited for the ROLLBACK a dropped
/// transaction queued, so the depth is final and reading it costs nothing.)
///
/// When SQLite ends a transaction by itself (it does on SQLITE_FULL and some
/// I/O errors), sqlx does not know: its ROLLBACK then fails and it still
/// counts one transaction open. The connection's next transaction would
/// begin as a SAVEPOINT, and rolling that back (`ROLLBACK TO`) leaves a real
/// transaction open: the connection then read an old snapshot for good
/// (issue 9's disk test: a count one short after the disk was full). Such
/// a connection is closed instead, which ends whatever SQLite still holds.
fn in_step_with_sqlite(conn: &mut sea_orm::sqlx::SqliteConnection) -> bool {
    use sea_orm::sqlx::{Database, Sqlite};
    use sqlx_core::transaction::TransactionManager;
    let depth = <Sqlite as Database>::TransactionManager::get_transaction_depth(conn);
    if depth != 0 {
        tracing::warn!(
            depth,
            "SQLite connection out of step with its transaction; closed"
        );
    }
    depth == 0
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Maps a database error to what the user sees: unreachable is 503, the rest
/// is an internal error whose details go to the log under a short reference.
pub fn db_error(err: DbErr) -> AppError {
    if let Some(full) = storage_fault(&err) {
        tracing::error!(error = %err, full, "the database's disk refused a write");
        return AppError::Storage { full };
    }
    if is_unavailable(&err) {
        tracing::warn!(error = %err, "database unavailable");
        return AppError::Unavailable;
    }
    let reference = format!("{:08x}", rand_ref());
    tracing::error!(%reference, error = %err, "database error");
    AppError::Internal { reference }
}

/// SQLite's primary result code (the extended code's low byte), when `err` is SQLite's.
fn sqlite_code(err: &DbErr) -> Option<i64> {
    use sea_orm::{sqlx::Error as S, RuntimeErr};
    let e = match err {
        DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e)) => e,
        _ => return None,
    };
    match e.as_ref() {
        S::Database(d)
            if d.try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
                .is_some() =>
        {
            d.code()?.parse::<i64>().ok().map(|c| c & 0xff)
        }
        _ => None,
    }
}

/// `Some(full)` when SQLite's disk refused the write: full (SQLITE_FULL),
/// or read-only, failing or gone (SQLITE_READONLY, SQLITE_IOERR,
/// SQLITE_CANTOPEN). SQLite rolls the transaction back: nothing is half written.
pub fn storage_fault(err: &DbErr) -> Option<bool> {
    match sqlite_code(err)? {
        13 => Some(true),
        8 | 10 | 14 => Some(false),
        _ => None,
    }
}

/// True when the error means "the database cannot be reached", not "the query is wrong".
pub fn is_unavailable(err: &DbErr) -> bool {
    // SQLite busy or locked past the busy timeout (10 s of retries inside
    // SQLite): too busy right now, try again; not a crash.
    if matches!(sqlite_code(err), Some(5 | 6)) {
        return true;
    }
    use sea_orm::{sqlx::Error as S, RuntimeErr};
    match err {
        DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => true,
        DbErr::Query(RuntimeErr::SqlxError(e)) | DbErr::Exec(RuntimeErr::SqlxError(e)) => {
            match e.as_ref() {
                S::Io(_) | S::Tls(_) | S::PoolTimedOut | S::PoolClosed | S::WorkerCrashed => true,
                // PostgreSQL: admin shutdown, crash shutdown, cannot connect
                // now, database gone; a lock not had within lock_timeout
                // (busy: try again).
                S::Database(d) => matches!(
                    d.code().as_deref(),
                    Some("57P01" | "57P02" | "57P03" | "3D000" | "55P03")
                ),
                _ => false,
            }
        }
        _ => false,
    }
}

fn rand_ref() -> u32 {
    // A log reference, not a secret: time-derived is enough.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or(0);
    nanos.wrapping_mul(2_654_435_761)
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        db_error(err)
    }
}

/// A write transaction: `BEGIN IMMEDIATE` on SQLite (the write lock is taken
/// at once, waiting up to the busy timeout, so a transaction that reads
/// first cannot fail to upgrade later), an ordinary one on PostgreSQL.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

/// Runs `work` in a write transaction ([`begin_write`]) and commits it when
/// `work` succeeds; a refusal or an error leaves nothing written.
pub async fn write<T>(
    db: &DatabaseConnection,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let txn = begin_write(db).await?;
    let done = work(&txn).await?;
    txn.commit().await?;
    Ok(done)
}

/// The row of `E` with this primary key, or `AppError::NotFound` (404):
/// the one way every service looks up the row a request names.
pub async fn find<E, C>(
    conn: &C,
    id: <E::PrimaryKey as PrimaryKeyTrait>::ValueType,
) -> Result<E::Model, AppError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    E::find_by_id(id).one(conn).await?.ok_or(AppError::NotFound)
}

/// The rows of `E` (a table keyed by one `i64` id) with these ids, by id,
/// in one query; ids without a row are left out.
pub async fn by_id<E, C>(
    conn: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, E::Model>, AppError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let Some(key) = E::PrimaryKey::iter().next().map(|k| k.into_column()) else {
        return Ok(HashMap::new());
    };
    Ok(E::find()
        .filter(key.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|m| Some((<i64 as ValueType>::try_from(m.get(key)).ok()?, m)))
        .collect())
}
