//! Searching text anywhere in a name or a decree number without reading the
//! whole table (issue 8): "contains" (`LIKE '%siti%'`) cannot use a B-tree
//! index, and a province has 100,000 employees and as many transfers.
//!
//! - PostgreSQL: `pg_trgm` GIN indexes on `lower(name)` and
//!   `lower(sk_number)`; the queries stay `lower(col) LIKE '%…%'`.
//! - SQLite: FTS5 tables with the trigram tokenizer over the same columns
//!   (external content: they hold only the index), kept in step by
//!   triggers; the searches ask them for row ids.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (FTS table, source table, column) for SQLite.
const INDEXED: [(&str, &str, &str); 2] = [
    ("employees_name_trgm", "employees", "name"),
    ("transfers_sk_trgm", "transfers", "sk_number"),
];

fn sqlite_up(fts: &str, table: &str, col: &str) -> Vec<String> {
    vec![
        format!(
            "CREATE VIRTUAL TABLE {fts} USING fts5({col}, content='{table}', \
             content_rowid='id', tokenize='trigram')"
        ),
        format!("INSERT INTO {fts}({fts}) VALUES ('rebuild')"),
        format!(
            "CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN \
             INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col}); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col}); END"
        ),
        format!(
            "CREATE TRIGGER {fts}_au AFTER UPDATE OF {col} ON {table} BEGIN \
             INSERT INTO {fts}({fts}, rowid, {col}) VALUES ('delete', old.id, old.{col}); \
             INSERT INTO {fts}(rowid, {col}) VALUES (new.id, new.{col}); END"
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: Vec<String> = match m.get_database_backend() {
            DbBackend::Postgres => vec![
                // A trusted extension: the database's owner may create it.
                "CREATE EXTENSION IF NOT EXISTS pg_trgm".into(),
                "CREATE INDEX idx_employees_name_trgm ON employees \
                 USING gin (lower(name) gin_trgm_ops)"
                    .into(),
                "CREATE INDEX idx_transfers_sk_trgm ON transfers \
                 USING gin (lower(sk_number) gin_trgm_ops)"
                    .into(),
            ],
            _ => INDEXED
                .iter()
                .flat_map(|(fts, table, col)| sqlite_up(fts, table, col))
                .collect(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        let statements: Vec<String> = match m.get_database_backend() {
            DbBackend::Postgres => vec![
                "DROP INDEX idx_transfers_sk_trgm".into(),
                "DROP INDEX idx_employees_name_trgm".into(),
            ],
            _ => INDEXED
                .iter()
                .flat_map(|(fts, _, _)| {
                    ["ai", "ad", "au"]
                        .iter()
                        .map(move |t| format!("DROP TRIGGER {fts}_{t}"))
                        .chain(std::iter::once(format!("DROP TABLE {fts}")))
                })
                .collect(),
        };
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
