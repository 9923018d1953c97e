//! Searching people, the same way in every list: the name contains the
//! text (case-insensitive on SQLite and PostgreSQL alike), or the NIP starts
//! with the typed digits (spaces ignored, as people copy NIPs with spaces).

use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, LikeExpr},
    Condition,
};

use crate::backend::entities::employee;

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
pub fn people(q: &str) -> Option<Condition> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    let mut cond = Condition::any().add(lower_contains(
        (employee::Entity, employee::Column::Name),
        &q.to_lowercase(),
    ));
    let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.chars().all(|c| c.is_ascii_digit()) {
        let nip = Expr::col((employee::Entity, employee::Column::Nip));
        cond = cond.add(if digits.len() == 18 {
            // A whole NIP: the unique index answers.
            nip.eq(digits)
        } else {
            nip.like(format!("{digits}%"))
        });
    }
    Some(cond)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{sea_query::SqliteQueryBuilder, EntityTrait, QueryFilter, QueryTrait};

    #[test]
    fn wildcards_typed_by_people_are_taken_literally() {
        let sql = employee::Entity::find()
            .filter(people("50%_x").unwrap())
            .build(sea_orm::DatabaseBackend::Sqlite)
            .to_string();
        assert!(sql.contains(r"'%50\%\_x%'"), "{sql}");
        // Not all digits: no NIP prefix condition.
        assert!(!sql.contains("\"nip\" LIKE"), "{sql}");
        let _ = SqliteQueryBuilder;
    }

    #[test]
    fn a_nip_with_spaces_searches_by_prefix() {
        let sql = employee::Entity::find()
            .filter(people(" 19860926 2015 ").unwrap())
            .build(sea_orm::DatabaseBackend::Sqlite)
            .to_string();
        assert!(sql.contains("'198609262015%'"), "{sql}");
        assert!(people("   ").is_none());
        let whole = employee::Entity::find()
            .filter(people("19860926 201505 1 001").unwrap())
            .build(sea_orm::DatabaseBackend::Sqlite)
            .to_string();
        assert!(whole.contains("\"nip\" = '198609262015051001'"), "{whole}");
    }
}
