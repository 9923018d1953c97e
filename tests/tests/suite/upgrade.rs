//! Upgrades lose nothing: a database built with the migrations of the last
//! release and holding the demo data is brought up to date, and every
//! record is still there and reads the same.
//!
//! How, without keeping old code around: the demo data is loaded into a
//! database at the current schema; every row of every table that existed
//! at [`RELEASED`] is copied, columns of that time only, into a second
//! database migrated to [`RELEASED`] and no further (as an office's
//! database is); the newer migrations are applied to it; each copied
//! column of each row is then compared with the original. Values travel
//! as SQL literals each database writes itself (`quote()` on SQLite,
//! `quote_nullable()` on PostgreSQL), so every type reads back exactly.

use std::collections::BTreeMap;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use jejak_tests::{demo, on_both_backends, Backend, PgDatabase};

/// How many migrations the last release had (main on 7 December 2026:
/// up to m20261201_000009_trigram_search). Raise it with each release.
const RELEASED: u32 = 9;

on_both_backends!(an_upgrade_keeps_every_record_as_it_reads);

async fn rows(db: &DatabaseConnection, sql: String) -> Vec<Vec<String>> {
    db.query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .into_iter()
        .map(|r| {
            let n = r.column_names().len();
            (0..n)
                .map(|i| {
                    r.try_get_by_index::<Option<String>>(i)
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect()
}

/// The ordinary tables and their columns, in creation order (full-text
/// search tables, kept by triggers, and the migration log are left out).
async fn tables(db: &DatabaseConnection) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let names: Vec<String> = match db.get_database_backend() {
        DbBackend::Sqlite => rows(
            db,
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' \
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' \
             AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' \
                             AND sqlite_master.name LIKE v.name || '_%')"
                .into(),
        )
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect(),
        _ => rows(
            db,
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
             AND table_name <> 'seaql_migrations'"
                .into(),
        )
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect(),
    };
    for name in names {
        let columns: Vec<String> = match db.get_database_backend() {
            DbBackend::Sqlite => rows(db, format!("SELECT name FROM pragma_table_info('{name}')")).await,
            _ => {
                rows(
                    db,
                    format!(
                        "SELECT column_name::text FROM information_schema.columns \
                         WHERE table_schema = 'public' AND table_name = '{name}' ORDER BY ordinal_position"
                    ),
                )
                .await
            }
        }
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
        out.insert(name, columns);
    }
    out
}

/// Every row of `table` as SQL literals of `columns`, sorted.
async fn literals(db: &DatabaseConnection, table: &str, columns: &[String]) -> Vec<String> {
    let quoted: Vec<String> = columns
        .iter()
        .map(|c| match db.get_database_backend() {
            DbBackend::Sqlite => format!("quote(\"{c}\")"),
            _ => format!("quote_nullable(\"{c}\")"),
        })
        .collect();
    let concat = match db.get_database_backend() {
        DbBackend::Sqlite => quoted.join(" || ',' || "),
        _ => format!("concat_ws(',', {})", quoted.join(", ")),
    };
    let mut out: Vec<String> = rows(db, format!("SELECT {concat} FROM \"{table}\""))
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    out.sort();
    out
}

async fn exec(db: &DatabaseConnection, sql: &str) {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_string(),
    ))
    .await
    .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn an_upgrade_keeps_every_record_as_it_reads(backend: Backend) {
    let d = demo(backend).await;
    let source = d.app.db();
    let current = tables(source).await;

    // The office's database: the last release's schema.
    let dir = tempfile::tempdir().unwrap();
    let _pg;
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("lama.db").display()),
        Backend::Postgres => {
            let pg = PgDatabase::create().await;
            let url = pg.url.clone();
            _pg = pg;
            url
        }
    };
    // One connection: the settings below are the session's own.
    let mut options = sea_orm::ConnectOptions::new(url.clone());
    options
        .max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let old = sea_orm::Database::connect(options).await.unwrap();
    Migrator::up(&old, Some(RELEASED)).await.unwrap();
    let released = tables(&old).await;
    assert!(
        released.len() >= 20,
        "{} tables at the release",
        released.len()
    );

    // The demo data, as that schema holds it; one connection, foreign keys
    // checked only at the end (rows go in table by table).
    let old_conn = &old;
    match backend {
        Backend::Sqlite => exec(old_conn, "PRAGMA foreign_keys = OFF").await,
        Backend::Postgres => exec(old_conn, "SET session_replication_role = replica").await,
    }
    let mut copied = BTreeMap::new();
    for (table, columns) in &released {
        let in_both: Vec<String> = columns
            .iter()
            .filter(|c| current.get(table).is_some_and(|now| now.contains(c)))
            .cloned()
            .collect();
        assert_eq!(
            &in_both, columns,
            "{table}: a released column is gone from the current schema"
        );
        let values = literals(source, table, columns).await;
        let names = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        for chunk in values.chunks(200) {
            let tuples = chunk
                .iter()
                .map(|v| format!("({v})"))
                .collect::<Vec<_>>()
                .join(", ");
            exec(
                old_conn,
                &format!("INSERT INTO \"{table}\" ({names}) VALUES {tuples}"),
            )
            .await;
        }
        copied.insert(table.clone(), values);
    }
    let total: usize = copied.values().map(Vec::len).sum();
    assert!(total > 500, "the demo data is there: {total} rows");
    old.close().await.unwrap();

    // The upgrade, on a connection as Jejak opens it.
    let upgraded = sea_orm::Database::connect(&url).await.unwrap();
    let pending = Migrator::get_pending_migrations(&upgraded)
        .await
        .unwrap()
        .len();
    assert_eq!(
        pending,
        Migrator::migrations().len() - RELEASED as usize,
        "the newer migrations are pending"
    );
    Migrator::up(&upgraded, None).await.unwrap();
    if backend == Backend::Sqlite {
        let bad = rows(&upgraded, "PRAGMA foreign_key_check".into()).await;
        assert!(
            bad.is_empty(),
            "foreign keys broken by the upgrade: {bad:?}"
        );
    }
    let mut changed = Vec::new();
    for (table, columns) in &released {
        let now = literals(&upgraded, table, columns).await;
        if now != copied[table] {
            changed.push(format!(
                "{table}: {} rows before, {} after, first difference {:?}",
                copied[table].len(),
                now.len(),
                copied[table].iter().zip(&now).find(|(a, b)| a != b)
            ));
        }
    }
    assert!(
        changed.is_empty(),
        "the upgrade changed records:\n{}",
        changed.join("\n")
    );
    // And Jejak reads the upgraded database: the tables it now has all answer.
    for table in tables(&upgraded).await.keys() {
        exec(&upgraded, &format!("SELECT * FROM \"{table}\" LIMIT 1")).await;
    }
    d.app.stop().await;
}
