//! Finding units by what people type, without reading the whole tree: a
//! province has over 10,000 units, too many for a `<select>` (the transfer
//! page was 1.75 MB of options) or for loading per request.
//!
//! A unit is written as its name ("Seksi Umum") or as the end of its path,
//! separated by `/` or `>` ("Kecamatan Medan Belawan / Seksi Umum"), the
//! same syntax as the import files. Case and repeated spaces do not matter.
//! Searching offers the full path from the top, which resolves back to
//! exactly that unit.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, FromQueryResult};

use crate::backend::{people::search::like_escaped, raw_sql::RawSql};
use crate::domain::org::ancestors;
use crate::error::AppError;

/// The separator of a written path (the one [`paths`] writes).
pub const PATH_SEPARATOR: &str = " / ";

/// How many units a search offers.
pub const SEARCH_LIMIT: u64 = 20;

/// How many candidates an ambiguous name lists.
const SUGGESTIONS: usize = 5;

/// A unit with its path from the top ("Pemerintah Kota Medan / Kecamatan
/// Medan Belawan / Seksi Umum").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitHit {
    pub id: i64,
    pub path: String,
}

/// Why a written unit names no single unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    Empty,
    Unknown,
    /// Several units end with this path (their paths, up to five, and how many).
    Ambiguous(Vec<String>, usize),
}

impl Unresolved {
    /// The refusal for the form field `field` (`unit` names the field in words).
    pub fn into_error(self, field: &str, written: &str) -> AppError {
        let written = written.trim();
        match self {
            Unresolved::Empty => AppError::invalid(
                field,
                "Unit wajib diisi: ketik nama unit lalu pilih dari daftar",
                "The unit is required: type a unit's name and choose from the list",
            ),
            Unresolved::Unknown => AppError::invalid(
                field,
                format!("Unit \"{written}\" tidak ada di Jejak; periksa ejaannya atau pilih dari daftar"),
                format!("There is no unit \"{written}\" in Jejak; check the spelling or choose from the list"),
            ),
            Unresolved::Ambiguous(paths, n) => {
                let listed = paths.join("; ");
                AppError::invalid(
                    field,
                    format!("Ada {n} unit \"{written}\"; tulis jalurnya, mis. {listed}"),
                    format!("There are {n} units \"{written}\"; write the path, e.g. {listed}"),
                )
            }
        }
    }
}

/// Lowercase, single-spaced: how names are compared.
fn key(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The segments of a written path, top first, each a [`key`]; empty ones dropped.
fn segments(written: &str) -> Vec<String> {
    written
        .split(['/', '>'])
        .map(key)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A unit as a walk up the tree needs it.
#[derive(Debug, FromQueryResult)]
struct Lineage {
    id: i64,
    parent_id: Option<i64>,
    name: String,
}

/// These units and every unit above them, by id: one statement per 10,000
/// units asked about (a recursive walk up `parent_id`, which is the primary
/// key; `UNION` keeps each unit once, so shared ancestors and a cycle a
/// hand-edited database might hold cost nothing).
async fn lineage<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Lineage>, AppError> {
    let mut out = HashMap::new();
    for part in ids.chunks(10_000) {
        let mut sql = RawSql::new(db.get_database_backend());
        sql.push(
            "WITH RECURSIVE up(id, parent_id, name) AS (\
             SELECT id, parent_id, name FROM units WHERE id IN ",
        )
        .bind_list(part.iter().copied())
        .push(
            " UNION SELECT u.id, u.parent_id, u.name \
             FROM up JOIN units u ON u.id = up.parent_id) \
             SELECT id, parent_id, name FROM up",
        );
        out.extend(
            sql.all::<Lineage, _>(db)
                .await?
                .into_iter()
                .map(|u| (u.id, u)),
        );
    }
    Ok(out)
}

/// Each of these units followed by its ancestors, nearest first
/// ([`crate::domain::org::ancestors`]); a unit that does not exist is its
/// own path.
pub async fn unit_paths<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<i64>>, AppError> {
    Ok(walk_up(db, ids).await?.0.into_iter().collect())
}

/// Each of these units with its path (itself, then its ancestors, nearest
/// first), and the units on those paths, by id.
async fn walk_up<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<(Vec<(i64, Vec<i64>)>, HashMap<i64, Lineage>), AppError> {
    let units = lineage(db, ids).await?;
    let paths = ids
        .iter()
        .map(|&id| {
            let path = ancestors(id, |u| units.get(&u).and_then(|u| u.parent_id));
            (id, path)
        })
        .collect();
    Ok((paths, units))
}

/// A unit followed by its ancestors, nearest first (the unit alone if it
/// does not exist).
pub async fn unit_path<C: ConnectionTrait>(db: &C, id: i64) -> Result<Vec<i64>, AppError> {
    Ok(unit_paths(db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_else(|| vec![id]))
}

/// The paths of these units, top first, joined with [`PATH_SEPARATOR`]
/// (those that exist).
pub async fn paths<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, String>, AppError> {
    Ok(chains(db, ids)
        .await?
        .into_iter()
        .map(|(id, names)| (id, names.join(PATH_SEPARATOR)))
        .collect())
}

/// The names from the top down to each of these units (those that exist).
async fn chains<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let (paths, units) = walk_up(db, ids).await?;
    Ok(paths
        .into_iter()
        .filter(|(id, _)| units.contains_key(id))
        .map(|(id, path)| {
            let names = path
                .iter()
                .rev()
                .filter_map(|u| units.get(u).map(|u| u.name.clone()));
            (id, names.collect())
        })
        .collect())
}

#[derive(Debug, FromQueryResult)]
struct Id {
    id: i64,
}

/// The `id` column of what `sql` selects.
async fn ids_of<C: ConnectionTrait>(db: &C, sql: &RawSql) -> Result<Vec<i64>, AppError> {
    Ok(sql
        .all::<Id, _>(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Units whose name contains the last segment of `q` (case-insensitive),
/// and whose path contains the earlier segments in order; names starting
/// with it first, then shorter names. Up to [`SEARCH_LIMIT`].
pub async fn search<C: ConnectionTrait>(db: &C, q: &str) -> Result<Vec<UnitHit>, AppError> {
    let segs = segments(q);
    let Some(last) = segs.last() else {
        return Ok(Vec::new());
    };
    let mut sql = RawSql::new(db.get_database_backend());
    let escaped = like_escaped(last);
    sql.push("SELECT id FROM units WHERE lower(name) LIKE ")
        .bind(format!("%{escaped}%"))
        .push(" ESCAPE '\\' ORDER BY CASE WHEN lower(name) LIKE ")
        .bind(format!("{escaped}%"))
        .push(" ESCAPE '\\' THEN 0 ELSE 1 END, length(name), name, id LIMIT ")
        // Room for the path filter below to drop some.
        .bind((SEARCH_LIMIT * if segs.len() > 1 { 10 } else { 1 }) as i64);
    let ids = ids_of(db, &sql).await?;
    let mut by_id = paths(db, &ids).await?;
    Ok(ids
        .into_iter()
        .filter_map(|id| by_id.remove(&id).map(|path| UnitHit { id, path }))
        .filter(|hit| segs.len() < 2 || within(&hit.path, &segs[..segs.len() - 1]))
        .take(SEARCH_LIMIT as usize)
        .collect())
}

/// `wanted` appear in this order among the units above the last of
/// `path`, each inside one name.
fn within(path: &str, wanted: &[String]) -> bool {
    let segs = segments(path);
    let above = &segs[..segs.len().saturating_sub(1)];
    let mut it = above.iter();
    wanted.iter().all(|w| it.any(|p| p.contains(w.as_str())))
}

/// `written` in the form paths are compared in: segments as [`key`]s
/// joined by `/`.
fn normalised(written: &str) -> String {
    segments(written).join("/")
}

/// The one unit `written` names: its name, or the end of its path. A name
/// may itself hold a `/` ("Subbagian Umum/Kepegawaian"): every tail of the
/// written segments is tried as a name.
pub async fn resolve<C: ConnectionTrait>(
    db: &C,
    written: &str,
) -> Result<Result<UnitHit, Unresolved>, AppError> {
    let segs = segments(written);
    if segs.is_empty() {
        return Ok(Err(Unresolved::Empty));
    }
    let mut names: Vec<String> = Vec::new();
    for i in 0..segs.len() {
        for sep in ["/", " / "] {
            let name = segs[i..].join(sep);
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let mut sql = RawSql::new(db.get_database_backend());
    // `lower(name)` is what idx_units_name_lower indexes. (SQLite's lower()
    // folds ASCII only; the Unicode comparison below has the last word.)
    sql.push("SELECT id FROM units WHERE lower(name) IN ")
        .bind_list(names)
        .push(" ORDER BY id LIMIT 1000");
    let ids = ids_of(db, &sql).await?;
    let wanted = segs.join("/");
    let tail = format!("/{wanted}");
    let by_id = chains(db, &ids).await?;
    let mut hits: Vec<UnitHit> = ids
        .into_iter()
        .filter_map(|id| by_id.get(&id).map(|names| (id, names)))
        .filter(|(_, names)| {
            let path = normalised(&names.join("/"));
            path == wanted || path.ends_with(&tail)
        })
        .map(|(id, names)| UnitHit {
            id,
            path: names.join(PATH_SEPARATOR),
        })
        .collect();
    Ok(match hits.len() {
        0 => Err(Unresolved::Unknown),
        1 => Ok(hits.remove(0)),
        n => Err(Unresolved::Ambiguous(
            hits.into_iter()
                .take(SUGGESTIONS)
                .map(|h| format!("\"{}\"", h.path))
                .collect(),
            n,
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_split_on_slash_or_angle_bracket_and_compared_loosely() {
        assert_eq!(
            segments("  Kecamatan  Medan Belawan /seksi UMUM > "),
            vec!["kecamatan medan belawan", "seksi umum"]
        );
        assert!(segments(" / > ").is_empty());
        assert_eq!(
            normalised("Kecamatan Medan Belawan>  Subbagian Umum / Kepegawaian"),
            "kecamatan medan belawan/subbagian umum/kepegawaian"
        );
        let path = "Pemerintah Kota Medan / Kecamatan Medan Belawan / Seksi Umum";
        assert!(within(path, &segments("kota / belawan")));
        assert!(!within(path, &segments("belawan / kota")), "in order");
        assert!(!within(path, &segments("umum")), "above the unit only");
    }
}
