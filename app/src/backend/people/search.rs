//! Searching people, the same way in every list: the name contains the
//! text (case-insensitive on SQLite and PostgreSQL alike), or the NIP starts
//! with the typed digits (spaces ignored, as people copy NIPs with spaces).
//! "Contains" uses a trigram index where there is one (migration 000009).

use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
    Condition, DbBackend,
};

use crate::backend::entities::employee;

/// Text columns with a trigram index for "contains" searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigram {
    EmployeeName,
    TransferSkNumber,
}

impl Trigram {
    /// (table, column, SQLite's FTS5 trigram table over them)
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Trigram::EmployeeName => ("employees", "name", "employees_name_trgm"),
            Trigram::TransferSkNumber => ("transfers", "sk_number", "transfers_sk_trgm"),
        }
    }
}

/// Rows whose column contains `text` (already lowercase), case-insensitive.
/// PostgreSQL: `lower(col) LIKE '%text%'`, which its pg_trgm index answers.
/// SQLite: the row ids its FTS5 trigram table finds, when the text has the
/// three characters a trigram needs and no wildcard (the index is only
/// used for a plain `LIKE`); otherwise the same `lower(col) LIKE` read.
pub fn contains(backend: DbBackend, what: Trigram, text: &str) -> Expr {
    let (table, col, fts) = what.parts();
    if backend == DbBackend::Sqlite && text.chars().count() >= 3 && !text.contains(['%', '_', '\\'])
    {
        return Expr::cust_with_values(
            format!("{table}.id IN (SELECT rowid FROM {fts} WHERE {col} LIKE ?)"),
            [format!("%{text}%")],
        );
    }
    lower_contains(
        (
            sea_orm::sea_query::Alias::new(table),
            sea_orm::sea_query::Alias::new(col),
        ),
        text,
    )
}

/// `text` for a LIKE pattern with `ESCAPE '\\'`: its wildcards taken literally.
pub fn like_escaped(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p
}

/// `%text%` for LIKE, with the wildcards in `text` taken literally.
pub fn contains_pattern(text: &str) -> LikeExpr {
    LikeExpr::new(format!("%{}%", like_escaped(text))).escape('\\')
}

/// lower(`col`) LIKE '%text%' (`text` already lowercase).
pub fn lower_contains<C: sea_orm::sea_query::IntoColumnRef>(col: C, text: &str) -> Expr {
    Expr::expr(Func::lower(Expr::col(col))).like(contains_pattern(text))
}

/// Employees whose name contains `q` or whose NIP starts with it; None for
/// an empty search (everyone).
pub fn people(backend: DbBackend, q: &str) -> Option<Condition> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    let mut cond =
        Condition::any().add(contains(backend, Trigram::EmployeeName, &q.to_lowercase()));
    let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        let nip = Expr::col((employee::Entity, employee::Column::Nip));
        cond = cond.add(if digits.len() == 18 {
            // A whole NIP: the unique index answers.
            nip.eq(digits)
        } else {
            // "Starts with" as a range, which the unique index answers on
            // both databases (LIKE 'x%' would read every row: SQLite's LIKE
            // is case-insensitive, PostgreSQL's collation is not bytewise).
            match next_prefix(&digits) {
                Some(end) => nip.clone().gte(digits).and(nip.lt(end)),
                None => nip.gte(digits),
            }
        });
    }
    Some(cond)
}

/// The smallest digit string after every string starting with `digits`
/// ("1985" → "1986", "1989" → "199"); `None` for all nines.
fn next_prefix(digits: &str) -> Option<String> {
    let mut bytes = digits.as_bytes().to_vec();
    while let Some(last) = bytes.pop() {
        if last < b'9' {
            bytes.push(last + 1);
            return String::from_utf8(bytes).ok();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{sea_query::SqliteQueryBuilder, EntityTrait, QueryFilter, QueryTrait};

    /// The SQL of the employees search for `q` (on SQLite).
    fn sql_of(q: &str) -> String {
        employee::Entity::find()
            .filter(people(DbBackend::Sqlite, q).unwrap())
            .build(sea_orm::DatabaseBackend::Sqlite)
            .to_string()
    }

    #[test]
    fn wildcards_typed_by_people_are_taken_literally() {
        let sql = sql_of("50%_x");
        assert!(sql.contains(r"'%50\%\_x%'"), "{sql}");
        // Not all digits: no NIP prefix condition.
        assert!(!sql.contains("\"nip\" LIKE"), "{sql}");
        let _ = SqliteQueryBuilder;
    }

    #[test]
    fn a_nip_with_spaces_searches_by_prefix() {
        let sql = sql_of(" 19860926 2015 ");
        assert!(
            sql.contains(r#""nip" >= '198609262015' AND "employees"."nip" < '198609262016'"#),
            "{sql}"
        );
        // Every "1989…" sorts below "199", the smallest such bound.
        assert_eq!(next_prefix("1989").as_deref(), Some("199"));
        assert_eq!(next_prefix("0"), Some("1".into()));
        assert_eq!(next_prefix("99"), None);
        assert!(people(DbBackend::Sqlite, "   ").is_none());
        let whole = sql_of("19860926 201505 1 001");
        assert!(whole.contains("\"nip\" = '198609262015051001'"), "{whole}");
    }
}
