//! `jejak backup` and `jejak restore` for the embedded SQLite database
//! (issue 9). PostgreSQL is backed up with its own tools (`pg_dump`,
//! docs/DEPLOY.md); both commands say so instead of guessing.
//!
//! - A backup is `VACUUM INTO`: one read transaction, so it is a consistent
//!   copy of the database as of one moment while Jejak goes on serving and
//!   writing (WAL mode lets readers and the writer pass). It is written
//!   beside the target as `….partial` and renamed when complete and checked
//!   (`PRAGMA integrity_check`), so a target that exists is always whole.
//! - A restore needs Jejak stopped (the data directory's lock file, held by
//!   every `jejak serve`, tells). It checks the backup first, keeps the
//!   current database as `jejak.db.before-restore-<time>`, then renames the
//!   backup's copy into place and drops the old write-ahead log.

use std::{
    fs::File,
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::{bail, Context};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

use app::backend::config::Config;

/// The file in the data directory every `jejak serve` holds a shared lock
/// on while it runs; `restore` needs it exclusively.
pub const LOCK_FILE: &str = "jejak.lock";

/// What a backup or a check found: each table with its row count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contents {
    pub tables: Vec<(String, i64)>,
}

#[derive(Debug, serde::Serialize)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub seconds: f64,
    pub contents: Contents,
}

#[derive(Debug, serde::Serialize)]
pub struct RestoreReport {
    pub database: PathBuf,
    /// Where the database that was replaced was kept.
    pub previous: Option<PathBuf>,
    pub contents: Contents,
}

/// The tables and their rows, a line each ("  sessions: 12").
pub fn describe(c: &Contents) -> String {
    let mut out = String::from("Isi / contents:\n");
    for (t, n) in &c.tables {
        out.push_str(&format!("  {t}: {n}\n"));
    }
    out
}

/// The SQLite file the configuration points at; an error for PostgreSQL.
pub fn sqlite_path(config: &Config) -> anyhow::Result<PathBuf> {
    let url = config.effective_database_url();
    if url.starts_with("postgres") {
        bail!(
            "Database ini PostgreSQL: cadangkan dengan pg_dump dan pulihkan dengan pg_restore \
             (lihat docs/DEPLOY.md, \"Backups\") / this is a PostgreSQL database: back it up with \
             pg_dump and restore with pg_restore (docs/DEPLOY.md, \"Backups\")"
        );
    }
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .split('?')
        .next()
        .unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        bail!("Database SQLite tanpa berkas tidak dapat dicadangkan / an in-memory SQLite database cannot be backed up");
    }
    Ok(PathBuf::from(path))
}

fn sqlite_url(path: &Path, mode: &str) -> String {
    format!("sqlite://{}?mode={mode}", path.display())
}

/// The shared lock `serve` holds for as long as it runs (released when
/// the process ends, however it ends: the kernel drops it).
pub fn hold_serve_lock(data_dir: &Path) -> anyhow::Result<File> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("membuat direktori data / creating {}", data_dir.display()))?;
    let path = data_dir.join(LOCK_FILE);
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("membuka / opening {}", path.display()))?;
    file.lock_shared()
        .with_context(|| format!("mengunci / locking {}", path.display()))?;
    Ok(file)
}

/// Checks a database file: SQLite's own integrity check, and that it is a
/// Jejak database (its migrations table); gives every table's row count.
pub async fn check(path: &Path) -> anyhow::Result<Contents> {
    if !path.is_file() {
        bail!("Berkas tidak ada / no such file: {}", path.display());
    }
    let db = Database::connect(sqlite_url(path, "ro"))
        .await
        .with_context(|| format!("membuka / opening {}", path.display()))?;
    let sqlite = |sql: &str| Statement::from_string(DbBackend::Sqlite, sql.to_string());
    let verdict: Vec<String> = db
        .query_all_raw(sqlite("PRAGMA integrity_check"))
        .await
        .with_context(|| {
            format!(
                "bukan database SQLite / not an SQLite database: {}",
                path.display()
            )
        })?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    if verdict != ["ok"] {
        bail!(
            "Berkas rusak / the file is damaged ({}): {}",
            path.display(),
            verdict.join("; ")
        );
    }
    let names: Vec<String> = db
        .query_all_raw(sqlite(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%' \
             AND name NOT LIKE '%_trgm_%' ORDER BY name",
        ))
        .await?
        .iter()
        .filter_map(|r| r.try_get_by_index::<String>(0).ok())
        .collect();
    if !names.iter().any(|n| n == "seaql_migrations") {
        bail!(
            "Bukan database Jejak (tidak ada tabel migrasi) / not a Jejak database (no migrations table): {}",
            path.display()
        );
    }
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        let n: i64 = db
            .query_one_raw(sqlite(&format!("SELECT COUNT(*) FROM \"{name}\"")))
            .await?
            .and_then(|r| r.try_get_by_index::<i64>(0).ok())
            .unwrap_or(0);
        tables.push((name, n));
    }
    db.close().await.ok();
    Ok(Contents { tables })
}

/// A consistent copy of the running database into `target` (refused if it
/// exists: a backup never overwrites one).
pub async fn backup(config: &Config, target: &Path) -> anyhow::Result<BackupReport> {
    let source = sqlite_path(config)?;
    if !source.is_file() {
        bail!(
            "Belum ada database untuk dicadangkan / there is no database to back up: {}",
            source.display()
        );
    }
    if target.exists() {
        bail!(
            "Berkas tujuan sudah ada; pilih nama lain / the target exists; choose another name: {}",
            target.display()
        );
    }
    let partial = PathBuf::from(format!("{}.partial", target.display()));
    // A partial file is what an interrupted backup left: never a backup.
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    let db = Database::connect(sqlite_url(&source, "rw"))
        .await
        .with_context(|| format!("membuka / opening {}", source.display()))?;
    let written = db
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [partial.display().to_string().into()],
        ))
        .await;
    db.close().await.ok();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e).with_context(|| {
            format!(
                "menulis cadangan / writing the backup {} (ruang disk? izin? / disk space? permissions?)",
                partial.display()
            )
        });
    }
    File::open(&partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("menyimpan / syncing {}", partial.display()))?;
    let contents = match check(&partial).await {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, target)
        .with_context(|| format!("menamai / renaming to {}", target.display()))?;
    Ok(BackupReport {
        path: target.to_path_buf(),
        bytes: std::fs::metadata(target).map(|m| m.len()).unwrap_or(0),
        seconds: started.elapsed().as_secs_f64(),
        contents,
    })
}

/// Puts the backup `source` in place of the configured database. Jejak
/// must be stopped.
pub async fn restore(config: &Config, source: &Path) -> anyhow::Result<RestoreReport> {
    let database = sqlite_path(config)?;
    let contents = check(source).await?;
    let data_dir = database
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&data_dir)?;
    let lock_path = config.data_dir.join(LOCK_FILE);
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("membuka / opening {}", lock_path.display()))?;
    if lock.try_lock().is_err() {
        bail!(
            "Jejak masih berjalan dengan direktori data ini; hentikan dulu (mis. systemctl stop jejak) / \
             Jejak is still running on this data directory; stop it first"
        );
    }
    // The backup's copy next to the database (same file system: the rename
    // below is atomic), synced before it replaces anything.
    let incoming = data_dir.join("jejak.db.restoring");
    std::fs::copy(source, &incoming)
        .with_context(|| format!("menyalin / copying to {}", incoming.display()))?;
    File::open(&incoming).and_then(|f| f.sync_all())?;
    let previous = if database.is_file() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = data_dir.join(format!("jejak.db.before-restore-{stamp}"));
        // VACUUM INTO folds the write-ahead log in: the kept copy is whole.
        let db = Database::connect(sqlite_url(&database, "rw")).await?;
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [kept.display().to_string().into()],
        ))
        .await
        .with_context(|| {
            format!(
                "menyimpan database lama / keeping the old database as {}",
                kept.display()
            )
        })?;
        db.close().await.ok();
        Some(kept)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let stale = PathBuf::from(format!("{}{suffix}", database.display()));
        if stale.exists() {
            std::fs::remove_file(&stale)
                .with_context(|| format!("menghapus / removing {}", stale.display()))?;
        }
    }
    std::fs::rename(&incoming, &database)
        .with_context(|| format!("memasang / putting in place {}", database.display()))?;
    if let Ok(dir) = File::open(&data_dir) {
        let _ = dir.sync_all();
    }
    drop(lock);
    Ok(RestoreReport {
        database,
        previous,
        contents,
    })
}
