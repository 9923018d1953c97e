//! Writing many rows at once.
//!
//! Multi-row `INSERT … VALUES` statements as large as the database's
//! parameter limit allows (SQLite 32,766, PostgreSQL 65,535): every statement
//! costs a parse and, on a server, a round trip, so fewer and larger ones win
//! (measured on PostgreSQL for the same work: 200-row statements 24 s,
//! 1,500 rows 8 s, the limit 7.6 s). Sending one array per column through
//! `unnest()` instead was measured too and gained nothing beyond noise, so
//! the simpler form stays (docs/BENCHMARKS.md).

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, EntityTrait, Iterable};

use crate::error::AppError;

/// Inserts `rows` (all with the same columns set) in as few statements as
/// the database allows. Rows are not read back.
pub async fn insert_all<A, C>(db: &C, rows: Vec<A>) -> Result<(), AppError>
where
    A: ActiveModelTrait + Send,
    C: ConnectionTrait,
{
    let params = match db.get_database_backend() {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    };
    let columns = <<A::Entity as EntityTrait>::Column as Iterable>::iter()
        .count()
        .max(1);
    let batch_rows = (params / columns).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<A> = rows.by_ref().take(batch_rows).collect();
        <A::Entity as EntityTrait>::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
