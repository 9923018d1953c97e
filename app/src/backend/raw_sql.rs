//! Hand-written SQL for the few hot reads that want joins or a recursive
//! unit subtree in one round trip (each statement is a thread hand-off in
//! sqlx's SQLite driver, so a page of eleven queries is slow however small
//! they are). This is the one place that knows the two placeholder styles.

use sea_orm::{DbBackend, FromQueryResult, Statement, Value};

use crate::error::AppError;

/// A statement built from text and bound values, numbered for the backend.
pub struct RawSql {
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
}

impl RawSql {
    pub fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            sql: String::with_capacity(512),
            values: Vec::new(),
        }
    }

    /// Appends SQL text as it is (never user input).
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends one placeholder bound to `v`.
    pub fn bind(&mut self, v: impl Into<Value>) -> &mut Self {
        self.values.push(v.into());
        match self.backend {
            DbBackend::Postgres => {
                self.sql.push('$');
                self.sql.push_str(&self.values.len().to_string());
            }
            _ => self.sql.push('?'),
        }
        self
    }

    /// Appends `(p1, p2, …)` for an `IN` list; `(NULL)` when empty, which
    /// matches nothing.
    pub fn bind_list<V: Into<Value>>(&mut self, items: impl IntoIterator<Item = V>) -> &mut Self {
        self.sql.push('(');
        let mut first = true;
        for v in items {
            if !first {
                self.sql.push_str(", ");
            }
            first = false;
            self.bind(v);
        }
        if first {
            self.sql.push_str("NULL");
        }
        self.sql.push(')');
        self
    }

    /// `WITH RECURSIVE scope(id) AS (…)`: the units `roots` and every unit
    /// below them (uses `idx_units_parent`).
    pub fn with_subtree(&mut self, roots: &[i64]) -> &mut Self {
        self.push("WITH RECURSIVE scope(id) AS (SELECT id FROM units WHERE id IN ")
            .bind_list(roots.iter().copied())
            .push(" UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id) ")
    }

    /// Appends `alias.col AS prefixcol, …` for every column of `E`, to read
    /// a whole model back with `E::Model::from_query_result(row, prefix)`.
    pub fn columns<E: sea_orm::EntityTrait>(&mut self, alias: &str, prefix: &str) -> &mut Self {
        use sea_orm::{IdenStatic, Iterable};
        let mut first = true;
        for c in E::Column::iter() {
            if !first {
                self.sql.push_str(", ");
            }
            first = false;
            let name = c.as_str();
            self.sql
                .push_str(&format!("{alias}.{name} AS {prefix}{name}"));
        }
        self
    }

    pub fn statement(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.sql.clone(), self.values.clone())
    }

    pub async fn rows<C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Vec<sea_orm::QueryResult>, AppError> {
        Ok(db.query_all_raw(self.statement()).await?)
    }

    pub async fn all<T: FromQueryResult, C: sea_orm::ConnectionTrait>(
        &self,
        db: &C,
    ) -> Result<Vec<T>, AppError> {
        Ok(T::find_by_statement(self.statement()).all(db).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_backend_and_empty_lists_match_nothing() {
        let mut pg = RawSql::new(DbBackend::Postgres);
        pg.push("SELECT 1 WHERE a = ")
            .bind(1i64)
            .push(" AND b IN ")
            .bind_list([2i64, 3])
            .push(" AND c IN ")
            .bind_list(Vec::<i64>::new());
        assert_eq!(
            pg.statement().sql,
            "SELECT 1 WHERE a = $1 AND b IN ($2, $3) AND c IN (NULL)"
        );
        let mut lite = RawSql::new(DbBackend::Sqlite);
        lite.push("x IN ").bind_list(["a", "b"]);
        assert_eq!(lite.statement().sql, "x IN (?, ?)");
        assert_eq!(lite.statement().values.map(|v| v.0.len()), Some(2));
    }
}
