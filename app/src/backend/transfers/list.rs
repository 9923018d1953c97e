//! Listing and searching transfers for the administrator's page, and the
//! read helpers it needs: one transfer as a row, its plan (previewed or
//! stored), and finding an employee by NIP.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    sea_query::{Alias, Expr, Query},
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use crate::backend::{db, transfers};
use crate::{
    backend::entities::{completion, course, employee, plan, position, transfer},
    domain::{
        dates::long_date_in,
        nip::{AsnKind, Nip},
        plan::{valid_until, Disposition, PlanItem},
        progress::AssignmentState,
        transfer::TransferState,
    },
    error::AppError,
    i18n::{td_string, Locale},
    model::{
        accounts::Choice,
        catalogue::TrialItem,
        transfers::{
            state_label as state_words, transfer_type_label, PlanPreview, PreviewItem, TransferRow,
            TransfersPage, PAGE_SIZE,
        },
    },
};

pub struct ListFilter {
    pub q: String,
    /// A stored state (already checked), or every state.
    pub state: Option<String>,
    /// The target unit, with everything below it.
    pub unit: UnitScope,
    /// Where the page starts; `None` is the newest transfers.
    pub cursor: Option<Cursor>,
}

/// Which target units the list keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitScope {
    All,
    /// This unit and every unit below it.
    Subtree(i64),
    /// The filter named no unit: nothing matches.
    Unmatched,
}

/// Keyset paging (the list has hundreds of thousands of rows in a
/// province; an OFFSET would read every row before the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The page after this transfer in the list: older ones (smaller ids).
    Older(i64),
    /// The page before it: newer ones (larger ids).
    Newer(i64),
}

/// Matches are counted up to this many; past it the page says "more than".
pub const COUNT_CAP: u64 = 1_000;

/// The name of the search's matches in the list's statement (a CTE).
const MATCHES: &str = "search_matches";

/// The ids of the transfers a search matches: the employee's name contains
/// the text, the NIP starts with the digits (spaces ignored), or the SK
/// number contains the text; all case-insensitive. A union driven from the
/// matches (the employee and trigram indexes), so a search costs what it
/// finds, not a walk of the transfers testing each. `None`: no search.
fn search_matches(
    backend: sea_orm::DbBackend,
    q: &str,
) -> Option<sea_orm::sea_query::SelectStatement> {
    use crate::backend::people::search::{contains, people, Trigram};
    use sea_orm::sea_query::{ExprTrait, UnionType};
    let people = people(backend, q)?;
    let matching_people = Query::select()
        .column(employee::Column::Id)
        .from(employee::Entity)
        .cond_where(people)
        .to_owned();
    let mut ids = Query::select()
        .column((transfer::Entity, transfer::Column::Id))
        .from(transfer::Entity)
        .and_where(
            Expr::col((transfer::Entity, transfer::Column::EmployeeId))
                .in_subquery(matching_people),
        )
        .to_owned();
    ids.union(
        UnionType::All,
        Query::select()
            .column((transfer::Entity, transfer::Column::Id))
            .from(transfer::Entity)
            .and_where(contains(
                backend,
                Trigram::TransferSkNumber,
                &q.trim().to_lowercase(),
            ))
            .to_owned(),
    );
    Some(ids)
}

/// `stmt`, preceded by the search's matches as the CTE [`MATCHES`] when
/// there is a search: the page and its count read them from there, so the
/// search runs once per page, not once for each.
fn with_matches(
    stmt: sea_orm::sea_query::SelectStatement,
    matches: &Option<sea_orm::sea_query::SelectStatement>,
    backend: sea_orm::DbBackend,
) -> sea_orm::Statement {
    use sea_orm::sea_query::{CommonTableExpression, WithClause};
    use sea_orm::StatementBuilder;
    match matches {
        None => StatementBuilder::build(&stmt, &backend),
        Some(m) => {
            let cte = CommonTableExpression::new()
                .query(m.clone())
                .column(Alias::new("id"))
                .table_name(Alias::new(MATCHES))
                .to_owned();
            let with = WithClause::new().cte(cte).to_owned();
            StatementBuilder::build(&stmt.with(with), &backend)
        }
    }
}

fn state_label(state: &str, l: Locale) -> (String, String) {
    match TransferState::parse(state) {
        Some(s) => (
            state_words(s.as_str(), l).unwrap_or(s.as_str()).to_string(),
            match s {
                TransferState::Draft => "pending",
                TransferState::Approved => "open",
                TransferState::Completed => "done",
                TransferState::Cancelled => "closed",
            }
            .to_string(),
        ),
        None => (state.to_string(), "closed".to_string()),
    }
}

fn type_label(stored: &str, l: Locale) -> String {
    transfer_type_label(stored, l).unwrap_or(stored).to_string()
}

/// The rows of these transfers, names looked up in three queries.
async fn rows_of(
    db: &DatabaseConnection,
    transfers: &[transfer::Model],
    l: Locale,
) -> Result<Vec<TransferRow>, AppError> {
    let people =
        db::by_id::<employee::Entity, _>(db, transfers.iter().map(|t| t.employee_id)).await?;
    let unit_ids: HashSet<i64> = transfers
        .iter()
        .flat_map(|t| [t.from_unit_id, Some(t.to_unit_id)])
        .flatten()
        .collect();
    // Names and paths in one statement: a unit's name alone is ambiguous in
    // a province ("Seksi Umum" hundreds of times).
    let unit_ids: Vec<i64> = unit_ids.into_iter().collect();
    let units: HashMap<i64, String> =
        crate::backend::people::unit_lookup::paths(db, &unit_ids).await?;
    let unit_name = |id: Option<i64>| {
        id.and_then(|id| units.get(&id))
            .and_then(|p| {
                p.rsplit(crate::backend::people::unit_lookup::PATH_SEPARATOR)
                    .next()
            })
            .map(str::to_string)
            .unwrap_or_else(|| "—".to_string())
    };
    let position_ids: HashSet<i64> = transfers
        .iter()
        .flat_map(|t| [t.from_position_id, Some(t.to_position_id)])
        .flatten()
        .collect();
    let positions: HashMap<i64, String> = position::Entity::find()
        .filter(position::Column::Id.is_in(position_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let name = |map: &HashMap<i64, String>, id: Option<i64>| {
        id.and_then(|id| map.get(&id).cloned())
            .unwrap_or_else(|| "—".to_string())
    };
    Ok(transfers
        .iter()
        .map(|t| {
            let e = people.get(&t.employee_id);
            let (state_label, tone) = state_label(&t.state, l);
            TransferRow {
                id: t.id,
                employee_id: t.employee_id,
                name: e.map(|e| e.name.clone()).unwrap_or_default(),
                nip: e.map(|e| e.nip.clone()).unwrap_or_default(),
                from_unit: unit_name(t.from_unit_id),
                from_position: name(&positions, t.from_position_id),
                to_unit: unit_name(Some(t.to_unit_id)),
                to_unit_path: units.get(&t.to_unit_id).cloned().unwrap_or_default(),
                to_position: name(&positions, Some(t.to_position_id)),
                sk_number: t.sk_number.clone(),
                sk_date: long_date_in(t.sk_date, l),
                tmt: long_date_in(t.tmt, l),
                transfer_type: type_label(&t.transfer_type, l),
                state: t.state.clone(),
                state_label,
                tone,
                notes: t.notes.clone(),
                cancel_reason: t.cancel_reason.clone(),
                to_unit_id: t.to_unit_id,
                to_position_id: t.to_position_id,
                sk_date_iso: t.sk_date.to_string(),
                tmt_iso: t.tmt.to_string(),
                transfer_type_stored: t.transfer_type.clone(),
            }
        })
        .collect())
}

/// One page of transfers, newest first, the words in `l`.
pub async fn list(
    db: &DatabaseConnection,
    f: ListFilter,
    today: NaiveDate,
    l: Locale,
) -> Result<TransfersPage, AppError> {
    let backend = db.get_database_backend();
    let matches = search_matches(backend, &f.q);
    let mut query = transfer::Entity::find();
    if matches.is_some() {
        query = query.filter(Expr::cust(format!(
            "transfers.id IN (SELECT id FROM {MATCHES})"
        )));
    }
    if let Some(state) = &f.state {
        query = query.filter(transfer::Column::State.eq(state.as_str()));
    }
    match f.unit {
        UnitScope::All => {}
        // The unit and everything below it, walked in the database (a
        // province's top unit has over 10,000 below it: too many to bind).
        UnitScope::Subtree(root) => {
            // sea-query's custom expressions take the backend's own placeholder.
            let root_param = match backend {
                sea_orm::DbBackend::Postgres => "$1",
                _ => "?",
            };
            query = query.filter(Expr::cust_with_values(
                format!(
                    "transfers.to_unit_id IN (WITH RECURSIVE scope(id) AS \
                     (SELECT id FROM units WHERE id = {root_param} \
                     UNION SELECT u.id FROM units u JOIN scope s ON u.parent_id = s.id) \
                     SELECT id FROM scope)"
                ),
                [root],
            ))
        }
        UnitScope::Unmatched => query = query.filter(Expr::cust("1 = 0")),
    }
    // Counting every match of a search would cost as much as the search
    // over the whole table; past COUNT_CAP the page says "more than".
    // (sea-orm's own count drops the LIMIT, hence the subquery by hand.)
    let capped = query
        .clone()
        .select_only()
        .column(transfer::Column::Id)
        .limit(COUNT_CAP + 1)
        .into_query();
    let count = Query::select()
        .expr(Expr::cust("COUNT(*)"))
        .from_subquery(capped, Alias::new("capped"))
        .to_owned();
    let size = PAGE_SIZE;
    let keyed = match f.cursor {
        // `id < MAX` lets the database seek instead of scanning.
        None => query
            .filter(transfer::Column::Id.lt(i64::MAX))
            .order_by_desc(transfer::Column::Id),
        Some(Cursor::Older(id)) => query
            .filter(transfer::Column::Id.lt(id))
            .order_by_desc(transfer::Column::Id),
        Some(Cursor::Newer(id)) => query
            .filter(transfer::Column::Id.gt(id))
            .order_by_asc(transfer::Column::Id),
    };
    // The page and the count in one statement: every row carries the count
    // (an uncorrelated subquery, computed once).
    let mut page = keyed.limit(size + 1).into_query();
    page.expr_as(
        sea_orm::sea_query::Expr::SubQuery(None, Box::new(count.clone().into())),
        Alias::new("total_matches"),
    );
    let rows = db
        .query_all_raw(with_matches(page, &matches, backend))
        .await?;
    let mut total: Option<u64> = None;
    let mut found = Vec::with_capacity(rows.len());
    for row in &rows {
        total = Some(row.try_get::<i64>("", "total_matches")? as u64);
        found.push(<transfer::Model as sea_orm::FromQueryResult>::from_query_result(row, "")?);
    }
    let total = match (total, f.cursor) {
        (Some(n), _) => n,
        // Nothing on the first page: nothing matches.
        (None, None) => 0,
        // An empty page past either end: the count on its own.
        (None, Some(_)) => match db
            .query_one_raw(with_matches(count, &matches, backend))
            .await?
        {
            Some(row) => row.try_get_by_index::<i64>(0)? as u64,
            None => 0,
        },
    };
    let more = found.len() as u64 > size;
    found.truncate(size as usize);
    if matches!(f.cursor, Some(Cursor::Newer(_))) {
        found.reverse();
    }
    let (has_newer, has_older) = match f.cursor {
        None => (false, more),
        Some(Cursor::Older(_)) => (true, more),
        Some(Cursor::Newer(_)) => (more, true),
    };
    // An empty page past either end still leads back (the key just inside it).
    let newer_than = has_newer
        .then(|| match (found.first(), f.cursor) {
            (Some(t), _) => Some(t.id),
            (None, Some(Cursor::Older(id))) => Some(id - 1),
            (None, _) => None,
        })
        .flatten();
    let older_than = has_older
        .then(|| match (found.last(), f.cursor) {
            (Some(t), _) => Some(t.id),
            (None, Some(Cursor::Newer(id))) => Some(id + 1),
            (None, _) => None,
        })
        .flatten();
    let rows = rows_of(db, &found, l).await?;
    let positions = position::Entity::find()
        .order_by_asc(position::Column::Name)
        .all(db)
        .await?;
    Ok(TransfersPage {
        rows,
        total: total.min(COUNT_CAP),
        total_capped: total > COUNT_CAP,
        newer_than,
        older_than,
        q: f.q.trim().to_string(),
        state: f.state,
        unit_id: match f.unit {
            UnitScope::Subtree(id) => Some(id),
            _ => None,
        },
        unit_text: String::new(),
        unit_error: None,
        positions: positions
            .into_iter()
            .map(|p| Choice {
                id: p.id,
                label: p.name,
            })
            .collect(),
        today: today.to_string(),
    })
}

/// The employee with this NIP (spaces allowed), or a refusal for the field `nip`.
pub async fn employee_by_nip(
    db: &DatabaseConnection,
    raw: &str,
    today: NaiveDate,
) -> Result<employee::Model, AppError> {
    // The PPPK check (18 digits, a birth date) holds for every NIP.
    let nip = Nip::parse(raw, AsnKind::Pppk, today).map_err(|e| e.into_app_error("nip"))?;
    employee::Entity::find()
        .filter(employee::Column::Nip.eq(nip.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "nip",
                format!("Tidak ada pegawai dengan NIP {}", nip.as_str()),
                format!("No employee has NIP {}", nip.as_str()),
            )
        })
}

/// "Diakui dari pelatihan sebelumnya: selesai 3 Maret 2025, berlaku sampai
/// 3 Maret 2028".
fn recognised_note(completed_on: NaiveDate, until: Option<NaiveDate>, l: Locale) -> String {
    match until {
        Some(u) => td_string!(
            l,
            transfers.plan.recognised_note_until,
            completed = long_date_in(completed_on, l),
            until = long_date_in(u, l)
        )
        .to_string(),
        None => td_string!(
            l,
            transfers.plan.recognised_note,
            completed = long_date_in(completed_on, l)
        )
        .to_string(),
    }
}

/// A course's code and its title in `l` ("Pelatihan #7" for a course that
/// is not there).
pub(crate) fn course_words(
    courses: &HashMap<i64, course::Model>,
    id: i64,
    l: Locale,
) -> (String, String) {
    courses
        .get(&id)
        .map(|c| (c.code.clone(), c.title_in(l).to_string()))
        .unwrap_or_else(|| {
            (
                String::new(),
                td_string!(l, transfers.plan.course_n, id = id).to_string(),
            )
        })
}

/// A plan item as shown, in `l` (a transfer's plan adds the reasons and the
/// state: [`PreviewItem::new`]); `recognised`: the recognition note, when
/// earlier training recognises the item.
fn entry(
    courses: &HashMap<i64, course::Model>,
    course_id: i64,
    due: NaiveDate,
    required: bool,
    recognised: Option<String>,
    l: Locale,
) -> TrialItem {
    let (code, title) = course_words(courses, course_id, l);
    TrialItem {
        course_id,
        code,
        title,
        due: long_date_in(due, l),
        due_iso: due.to_string(),
        required,
        recognised: recognised.is_some(),
        recognised_note: recognised.unwrap_or_default(),
    }
}

/// A generated (not yet stored) plan item as shown, in `l`: in a transfer's
/// plan preview and in the rule trial of the catalogue page.
pub(crate) fn planned_entry(
    item: &PlanItem,
    courses: &HashMap<i64, course::Model>,
    l: Locale,
) -> TrialItem {
    let note = match &item.disposition {
        Disposition::Assign => None,
        Disposition::Recognised {
            completed_on,
            valid_until,
            ..
        } => Some(recognised_note(*completed_on, *valid_until, l)),
    };
    entry(courses, item.course_id, item.due, item.required, note, l)
}

/// An assignment's state in words (the shared `common.status.*`).
fn assignment_state_label(s: AssignmentState, l: Locale) -> &'static str {
    match s {
        AssignmentState::Assigned => td_string!(l, common.status.assigned),
        AssignmentState::InProgress => td_string!(l, common.status.in_progress),
        AssignmentState::Completed => td_string!(l, common.status.completed),
        AssignmentState::Waived => td_string!(l, common.status.waived),
        AssignmentState::Cancelled => td_string!(l, common.status.cancelled),
    }
}

/// The plan of a transfer: the stored one once it exists, otherwise what
/// completing it today would create (nothing for a transfer cancelled
/// before completion). The words are in `l`.
pub async fn preview(
    db: &DatabaseConnection,
    id: i64,
    today: NaiveDate,
    l: Locale,
) -> Result<PlanPreview, AppError> {
    let t = db::find::<transfer::Entity, _>(db, id).await?;
    let state = transfers::state_of(&t)?;
    let row = rows_of(db, std::slice::from_ref(&t), l)
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let stored = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(t.id))
        .one(db)
        .await?;
    let courses: HashMap<i64, course::Model> = course::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let items = match (&stored, state) {
        (Some(p), _) => {
            let rows = transfers::plan_assignments(db, p.id).await?;
            let records: HashMap<i64, NaiveDate> = completion::Entity::find()
                .filter(
                    completion::Column::Id
                        .is_in(rows.iter().filter_map(|a| a.recognised_record_id)),
                )
                .all(db)
                .await?
                .into_iter()
                .map(|c| (c.id, c.completed_on))
                .collect();
            rows.into_iter()
                .map(|a| {
                    let reasons: Vec<crate::domain::plan::Reason> =
                        serde_json::from_str(&a.reasons).unwrap_or_default();
                    let recognised_on = a
                        .recognised_record_id
                        .and_then(|r| records.get(&r).copied());
                    let validity = courses
                        .get(&a.course_id)
                        .and_then(|c| c.validity_months)
                        .map(|m| m.max(0) as u32);
                    // Recognised, with the note when its completion is known.
                    let note = a.recognised_record_id.map(|_| {
                        recognised_on
                            .map(|on| recognised_note(on, valid_until(on, validity), l))
                            .unwrap_or_default()
                    });
                    PreviewItem::new(
                        entry(&courses, a.course_id, a.due_date, a.required, note, l),
                        reasons.into_iter().map(|r| r.rule_name).collect(),
                        Some(
                            AssignmentState::parse(&a.state)
                                .map(|s| assignment_state_label(s, l).to_string())
                                .unwrap_or(a.state.clone()),
                        ),
                    )
                })
                .collect()
        }
        (None, TransferState::Draft | TransferState::Approved) => {
            transfers::preview_plan(db, t.id, today)
                .await?
                .into_iter()
                .map(|item| {
                    PreviewItem::new(
                        planned_entry(&item, &courses, l),
                        item.reasons.into_iter().map(|r| r.rule_name).collect(),
                        None,
                    )
                })
                .collect()
        }
        (None, _) => Vec::new(),
    };
    Ok(PlanPreview {
        transfer: row,
        stored: stored.is_some(),
        can_complete: state == TransferState::Approved,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::recognised_note;
    use crate::i18n::Locale;
    use chrono::NaiveDate;

    #[test]
    fn the_recognition_note_is_in_the_page_language() {
        let on = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
        let until = NaiveDate::from_ymd_opt(2028, 3, 3);
        assert_eq!(
            recognised_note(on, until, Locale::id),
            "Diakui dari pelatihan sebelumnya: selesai 3 Maret 2025, berlaku sampai 3 Maret 2028"
        );
        assert_eq!(
            recognised_note(on, None, Locale::id),
            "Diakui dari pelatihan sebelumnya: selesai 3 Maret 2025"
        );
        assert_eq!(
            recognised_note(on, until, Locale::en),
            "Recognised from earlier training: completed 3 March 2025, valid until 3 March 2028"
        );
    }
}
