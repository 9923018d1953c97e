//! The administrator's organisation: units, positions (jabatan) and
//! employees, as `/admin/organisasi` (`crate::api::organisation`) and the
//! JSON API ask for them. May use `crate::backend`, `crate::model`,
//! `crate::domain`, `crate::error` and `crate::lang`.
//!
//! Lists are searched and paged in the database (a `COUNT` and
//! `LIMIT`/`OFFSET`); creating and editing first checks every field (pure
//! functions, a refusal names its field), then, in one transaction, what
//! needs the database (the parent exists and is not below the unit, the
//! NIP is free, the supervisor exists and is not the person), writes, and
//! records one audit line. A refusal writes nothing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    sea_query::{Expr, Func},
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, FromQueryResult, IntoActiveModel, PaginatorTrait,
    PrimaryKeyTrait, QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde::Serialize;

use crate::backend::audit::{self, Actor, Audited, AuditedRow, ModelOf};
use crate::backend::db;
use crate::backend::people::search::lower_contains;
use crate::{
    backend::entities::{employee, position, unit},
    domain::{
        grade::Golongan,
        nip::{AsnKind, Nip},
        org::{depth_first, subtree, validate_unit_name, TreeNode},
        plan::PositionKind,
    },
    error::AppError,
    model::organisation::{
        nip_grouped, EmployeeForm, EmployeeRow, EmployeesPage, ListAsk, Listed, PositionChoice,
        PositionForm, PositionRow, PositionsPage, UnitChoice, UnitForm, UnitRow, UnitsPage,
        COMPETENCIES_MAX, COMPETENCY_MAX, PAGE_SIZE,
    },
};

pub const POSITION_NAME_MAX: usize = 200;
pub const JOB_FAMILY_MAX: usize = 60;
pub const EMPLOYEE_NAME_MAX: usize = 200;
pub const EMAIL_MAX: usize = 254;

// ---------------------------------------------------------------- helpers

/// Spaces collapsed, ends trimmed.
fn tidy(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first page is 1; past the last page means the last page.
fn page_bounds(total: u64, asked: u64) -> (u64, u64) {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    (asked.clamp(1, pages), pages)
}

/// One page of records: the records, the matches on all pages, the page
/// shown and the number of pages.
struct Page<M> {
    found: Vec<M>,
    total: u64,
    page: u64,
    pages: u64,
}

impl<M> Page<M> {
    /// The records the list shows: the page's and the one being edited.
    fn shown<'a>(&'a self, editing: Option<&'a M>) -> impl Iterator<Item = &'a M> {
        self.found.iter().chain(editing)
    }

    /// The page as the list shows it: a row of each record, the search `q`
    /// as understood and the record being edited.
    fn listed<R>(&self, q: String, editing: Option<&M>, row: impl Fn(&M) -> R) -> Listed<R> {
        Listed {
            rows: self.found.iter().map(&row).collect(),
            total: self.total,
            page: self.page,
            pages: self.pages,
            q,
            editing: editing.map(row),
        }
    }
}

/// One page of `query` (ordered by the caller).
async fn one_page<E>(
    db: &DatabaseConnection,
    query: Select<E>,
    asked: u64,
) -> Result<Page<E::Model>, AppError>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let (page, pages) = page_bounds(total, asked);
    let found = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        found,
        total,
        page,
        pages,
    })
}

/// The record asked for with `ubah=<id>` (gone: not found).
async fn editing<E>(
    db: &DatabaseConnection,
    edit: Option<i64>,
) -> Result<Option<E::Model>, AppError>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    match edit {
        Some(id) => Ok(Some(db::find::<E, _>(db, id.into()).await?)),
        None => Ok(None),
    }
}

/// How many employees each of `ids` has in `column` (their unit, their
/// position); none is left out.
async fn employees_per(
    db: &DatabaseConnection,
    column: employee::Column,
    ids: Vec<i64>,
) -> Result<HashMap<i64, u64>, AppError> {
    Ok(employee::Entity::find()
        .select_only()
        .column_as(column, "key")
        .column_as(employee::Column::Id.count(), "n")
        .filter(column.is_in(ids))
        .group_by(column)
        .into_model::<Count>()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.key, c.n as u64))
        .collect())
}

/// A form field holding a record id; empty means none.
fn optional_id(
    field: &str,
    raw: Option<String>,
    id: &str,
    en: &str,
) -> Result<Option<i64>, AppError> {
    let raw = raw.unwrap_or_default();
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>().map(Some).map_err(|_| {
        AppError::invalid(
            field,
            format!("{id} tidak valid: \"{raw}\""),
            format!("Invalid {en}: \"{raw}\""),
        )
    })
}

#[derive(Debug, FromQueryResult)]
struct Count {
    key: i64,
    n: i64,
}

/// Every unit, and the tree order the forms use.
async fn all_units<C: ConnectionTrait>(db: &C) -> Result<Vec<unit::Model>, AppError> {
    Ok(unit::Entity::find().all(db).await?)
}

/// The units each under its parent (`depth_first`), with their depth.
pub(crate) fn in_tree_order(units: &[unit::Model]) -> Vec<(&unit::Model, u32)> {
    let nodes: Vec<TreeNode> = units
        .iter()
        .map(|u| TreeNode {
            id: u.id,
            parent_id: u.parent_id,
            name: u.name.clone(),
        })
        .collect();
    depth_first(&nodes)
        .into_iter()
        .map(|(i, depth)| (&units[i], depth))
        .collect()
}

fn unit_choices(units: &[unit::Model]) -> Vec<UnitChoice> {
    in_tree_order(units)
        .into_iter()
        .map(|(u, depth)| UnitChoice {
            id: u.id,
            name: u.name.clone(),
            depth,
            parent_id: u.parent_id,
        })
        .collect()
}

/// The names of a unit's ancestors, root first (a cycle stops the walk).
fn ancestors(by_id: &HashMap<i64, &unit::Model>, parent: Option<i64>) -> Vec<String> {
    let Some(parent) = parent else {
        return Vec::new();
    };
    let mut out: Vec<String> =
        crate::domain::org::ancestors(parent, |u| by_id.get(&u).and_then(|u| u.parent_id))
            .into_iter()
            .filter_map(|u| by_id.get(&u).map(|u| u.name.clone()))
            .collect();
    out.reverse();
    out
}

/// A checked form of a record the administrator creates and edits (a unit,
/// a position, an employee): all three are written by [`save`].
trait Changes: Sized {
    type Row: AuditedRow;

    /// The column a new record is stamped in.
    const CREATED_AT: <<Self::Row as ActiveModelTrait>::Entity as EntityTrait>::Column;

    /// The checks that need the database (`before`: the stored record when
    /// editing), then these changes written into `row`.
    async fn fill(
        self,
        txn: &DatabaseTransaction,
        before: Option<&ModelOf<Self::Row>>,
        row: &mut Self::Row,
    ) -> Result<(), AppError>;

    /// The refusal a failed write becomes.
    fn refused(e: DbErr) -> AppError {
        e.into()
    }
}

/// Creates a record (`id` None) or edits record `id`, in one transaction:
/// the stored record (gone: not found), the checks, the write, and one
/// audit line, `<entity>.create` or `<entity>.update`. A refusal writes
/// nothing.
async fn save<C>(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: Option<i64>,
    changes: C,
) -> Result<ModelOf<C::Row>, AppError>
where
    C: Changes,
    <<C::Row as ActiveModelTrait>::Entity as EntityTrait>::PrimaryKey:
        PrimaryKeyTrait<ValueType = i64>,
{
    db::write(db, async |txn| {
        let before = match id {
            Some(id) => Some(db::find::<<C::Row as ActiveModelTrait>::Entity, _>(txn, id).await?),
            None => None,
        };
        let mut row = match &before {
            Some(b) => b.clone().into_active_model(),
            None => {
                let mut new = <C::Row as ActiveModelTrait>::default();
                new.try_set(C::CREATED_AT, chrono::Utc::now().into())?;
                new
            }
        };
        changes.fill(txn, before.as_ref(), &mut row).await?;
        let entity = <ModelOf<C::Row> as Audited>::ENTITY;
        match &before {
            Some(b) => audit::update(txn, actor, &format!("{entity}.update"), b, row).await,
            None => audit::insert(txn, actor, &format!("{entity}.create"), row).await,
        }
        .map_err(C::refused)
    })
    .await
}

// ---------------------------------------------------------------- units

/// What the unit form sent, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitChanges {
    pub name: String,
    pub parent_id: Option<i64>,
}

/// How a unit appears in the audit trail.
#[derive(Debug, Serialize)]
struct UnitAudit<'a> {
    id: i64,
    name: &'a str,
    parent_id: Option<i64>,
}

impl Audited for unit::Model {
    const ENTITY: &'static str = "unit";
    fn id(&self) -> i64 {
        self.id
    }
    fn shown(&self) -> impl Serialize + '_ {
        UnitAudit {
            id: self.id,
            name: &self.name,
            parent_id: self.parent_id,
        }
    }
}

/// Checks the unit form.
pub fn unit_fields(form: UnitForm) -> Result<UnitChanges, AppError> {
    let name = validate_unit_name(form.name.as_deref().unwrap_or(""))?;
    let parent_id = optional_id("parent_id", form.parent_id, "Unit induk", "parent unit")?;
    Ok(UnitChanges { name, parent_id })
}

/// One page of units whose name contains `q`, by name.
pub async fn list_units(db: &DatabaseConnection, ask: ListAsk) -> Result<UnitsPage, AppError> {
    let q = tidy(&ask.q);
    let units = all_units(db).await?;
    let by_id: HashMap<i64, &unit::Model> = units.iter().map(|u| (u.id, u)).collect();
    let editing = match ask.edit {
        Some(id) => Some(*by_id.get(&id).ok_or(AppError::NotFound)?),
        None => None,
    };
    let mut query = unit::Entity::find();
    if !q.is_empty() {
        query = query.filter(lower_contains(
            (unit::Entity, unit::Column::Name),
            &q.to_lowercase(),
        ));
    }
    let query = query
        .order_by_asc(unit::Column::Name)
        .order_by_asc(unit::Column::Id);
    let page = one_page(db, query, ask.page).await?;
    let ids: Vec<i64> = page.shown(editing).map(|u| u.id).collect();
    let counts = employees_per(db, employee::Column::UnitId, ids).await?;
    let row = |u: &unit::Model| UnitRow {
        id: u.id,
        name: u.name.clone(),
        parent_id: u.parent_id,
        path: ancestors(&by_id, u.parent_id),
        employees: counts.get(&u.id).copied().unwrap_or(0),
    };
    Ok(UnitsPage {
        list: page.listed(q, editing, row),
        units: unit_choices(&units),
    })
}

/// Refuses a unit name already used by a sibling under `parent_id`
/// (case-insensitive); `except` is the unit being edited.
pub(crate) async fn unit_name_free<C: ConnectionTrait>(
    db: &C,
    name: &str,
    parent_id: Option<i64>,
    except: Option<i64>,
) -> Result<(), AppError> {
    let siblings = unit::Entity::find()
        .filter(match parent_id {
            Some(pid) => unit::Column::ParentId.eq(pid),
            None => unit::Column::ParentId.is_null(),
        })
        .all(db)
        .await?;
    let lower = name.to_lowercase();
    if siblings
        .iter()
        .any(|s| Some(s.id) != except && s.name.to_lowercase() == lower)
    {
        return Err(AppError::conflict(
            format!("Unit \"{name}\" sudah ada di bawah induk yang sama"),
            format!("A unit named \"{name}\" already exists under the same parent"),
        ));
    }
    Ok(())
}

async fn parent_exists<C: ConnectionTrait>(
    db: &C,
    parent_id: Option<i64>,
) -> Result<Option<unit::Model>, AppError> {
    let Some(pid) = parent_id else {
        return Ok(None);
    };
    match unit::Entity::find_by_id(pid).one(db).await? {
        Some(p) => Ok(Some(p)),
        None => Err(AppError::invalid(
            "parent_id",
            format!("Unit induk dengan id {pid} tidak ditemukan"),
            format!("There is no parent unit with id {pid}"),
        )),
    }
}

pub async fn create_unit(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    changes: UnitChanges,
) -> Result<unit::Model, AppError> {
    save(db, actor, None, changes).await
}

/// Renames and moves a unit. Its new parent may be neither itself nor any
/// unit below it (the unit would become its own ancestor).
pub async fn update_unit(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    changes: UnitChanges,
) -> Result<unit::Model, AppError> {
    save(db, actor, Some(id), changes).await
}

impl Changes for UnitChanges {
    type Row = unit::ActiveModel;
    const CREATED_AT: unit::Column = unit::Column::CreatedAt;

    async fn fill(
        self,
        txn: &DatabaseTransaction,
        before: Option<&unit::Model>,
        row: &mut Self::Row,
    ) -> Result<(), AppError> {
        check_unit(txn, &self, before).await?;
        row.name = Set(self.name);
        row.parent_id = Set(self.parent_id);
        Ok(())
    }
}

/// The checks that need the database: the parent exists and, for the unit
/// `me` being edited, is neither `me` nor below it; the name is free.
async fn check_unit<C: ConnectionTrait>(
    db: &C,
    changes: &UnitChanges,
    me: Option<&unit::Model>,
) -> Result<(), AppError> {
    let parent = parent_exists(db, changes.parent_id).await?;
    if let (Some(parent), Some(me)) = (parent, me) {
        let pairs: Vec<(i64, Option<i64>)> = all_units(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.parent_id))
            .collect();
        if subtree(&pairs, &[me.id]).contains(&parent.id) {
            let (unit, under) = (&me.name, &parent.name);
            return Err(if parent.id == me.id {
                AppError::invalid(
                    "parent_id",
                    format!("Unit \"{unit}\" tidak dapat menjadi induknya sendiri"),
                    format!("The unit \"{unit}\" cannot be its own parent"),
                )
            } else {
                AppError::invalid(
                    "parent_id",
                    format!(
                        "Unit \"{unit}\" tidak dapat dipindahkan ke bawah \"{under}\", karena \"{under}\" berada di bawah \"{unit}\""
                    ),
                    format!(
                        "The unit \"{unit}\" cannot be moved under \"{under}\", because \"{under}\" is below \"{unit}\""
                    ),
                )
            });
        }
    }
    unit_name_free(db, &changes.name, changes.parent_id, me.map(|u| u.id)).await
}

// ---------------------------------------------------------------- positions

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionChanges {
    pub name: String,
    pub kind: PositionKind,
    pub job_family: String,
    pub competencies: Vec<String>,
}

/// The kind filter of the position list: empty for every kind.
pub fn kind_filter(raw: Option<&str>) -> Result<Option<PositionKind>, AppError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(k) => parse_kind("kind", k).map(Some),
    }
}

fn parse_kind(field: &str, raw: &str) -> Result<PositionKind, AppError> {
    PositionKind::parse(&raw.trim().to_lowercase()).ok_or_else(|| {
        AppError::invalid(
            field,
            format!(
                "Jenis jabatan harus JPT, Administrator, Pengawas, Fungsional atau Pelaksana, bukan \"{raw}\""
            ),
            format!(
                "The position kind must be JPT, Administrator, Pengawas, Fungsional or Pelaksana, not \"{raw}\""
            ),
        )
    })
}

fn no_control(field: &str, text: &str, what_id: &str, what_en: &str) -> Result<(), AppError> {
    if text.chars().any(char::is_control) {
        return Err(AppError::invalid(
            field,
            format!("{what_id} mengandung karakter kendali yang tidak diizinkan"),
            format!("The {what_en} contains control characters"),
        ));
    }
    Ok(())
}

fn length_at_most(
    field: &str,
    text: &str,
    max: usize,
    what_id: &str,
    what_en: &str,
) -> Result<(), AppError> {
    let len = text.chars().count();
    if len > max {
        return Err(AppError::invalid(
            field,
            format!("{what_id} terlalu panjang: {len} karakter (maksimum {max})"),
            format!("The {what_en} is too long: {len} characters (at most {max})"),
        ));
    }
    Ok(())
}

/// A required line of text, spaces tidied: filled (else refused in the
/// words of `missing`), at most `max` characters, no control characters.
fn required_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
    (what_id, what_en): (&str, &str),
    (missing_id, missing_en): (&str, &str),
) -> Result<String, AppError> {
    let text = tidy(raw.unwrap_or(""));
    if text.is_empty() {
        return Err(AppError::invalid(field, missing_id, missing_en));
    }
    length_at_most(field, &text, max, what_id, what_en)?;
    no_control(field, &text, what_id, what_en)?;
    Ok(text)
}

/// Checks the position form.
pub fn position_fields(form: PositionForm) -> Result<PositionChanges, AppError> {
    let PositionForm {
        name,
        kind,
        job_family,
        competencies,
    } = form;
    let name = required_text(
        "name",
        name.as_deref(),
        POSITION_NAME_MAX,
        ("Nama jabatan", "position name"),
        ("Nama jabatan wajib diisi", "The position name is required"),
    )?;
    let kind_raw = kind.unwrap_or_default();
    if kind_raw.trim().is_empty() {
        return Err(AppError::invalid(
            "kind",
            "Jenis jabatan wajib dipilih",
            "Choose the kind of position",
        ));
    }
    let kind = parse_kind("kind", &kind_raw)?;
    let job_family = required_text(
        "job_family",
        job_family.as_deref(),
        JOB_FAMILY_MAX,
        ("Rumpun jabatan", "job family"),
        (
            "Rumpun jabatan wajib diisi (mis. IT, Keuangan, Administrasi Umum)",
            "The job family is required (e.g. IT, Keuangan, Administrasi Umum)",
        ),
    )?;
    let mut list: Vec<String> = Vec::new();
    for line in competencies.as_deref().unwrap_or("").lines() {
        let c = tidy(line);
        if c.is_empty() || list.iter().any(|x| x.to_lowercase() == c.to_lowercase()) {
            continue;
        }
        let len = c.chars().count();
        if len > COMPETENCY_MAX {
            return Err(AppError::invalid(
                "competencies",
                format!(
                    "Kompetensi \"{c}\" terlalu panjang: {len} karakter (maksimum {COMPETENCY_MAX})"
                ),
                format!(
                    "The competency \"{c}\" is too long: {len} characters (at most {COMPETENCY_MAX})"
                ),
            ));
        }
        no_control("competencies", &c, "Kompetensi", "competency")?;
        list.push(c);
    }
    if list.len() > COMPETENCIES_MAX {
        let n = list.len();
        return Err(AppError::invalid(
            "competencies",
            format!("Terlalu banyak kompetensi: {n} (maksimum {COMPETENCIES_MAX})"),
            format!("Too many competencies: {n} (at most {COMPETENCIES_MAX})"),
        ));
    }
    Ok(PositionChanges {
        name,
        kind,
        job_family,
        competencies: list,
    })
}

fn competencies_of(p: &position::Model) -> Vec<String> {
    serde_json::from_str(&p.competencies).unwrap_or_default()
}

/// One page of positions whose name or job family contains `q`, by name.
pub async fn list_positions(
    db: &DatabaseConnection,
    ask: ListAsk,
    kind: Option<PositionKind>,
) -> Result<PositionsPage, AppError> {
    let q = tidy(&ask.q);
    let editing = editing::<position::Entity>(db, ask.edit).await?;
    let mut query = position::Entity::find();
    if !q.is_empty() {
        let lower = q.to_lowercase();
        query = query.filter(
            Condition::any()
                .add(lower_contains(
                    (position::Entity, position::Column::Name),
                    &lower,
                ))
                .add(lower_contains(
                    (position::Entity, position::Column::JobFamily),
                    &lower,
                )),
        );
    }
    if let Some(k) = kind {
        query = query.filter(position::Column::Kind.eq(k.as_str()));
    }
    let query = query
        .order_by_asc(position::Column::Name)
        .order_by_asc(position::Column::Id);
    let page = one_page(db, query, ask.page).await?;
    let ids: Vec<i64> = page.shown(editing.as_ref()).map(|p| p.id).collect();
    let counts = employees_per(db, employee::Column::PositionId, ids).await?;
    let row = |p: &position::Model| PositionRow {
        id: p.id,
        name: p.name.clone(),
        kind: p.kind.clone(),
        job_family: p.job_family.clone(),
        competencies: competencies_of(p),
        employees: counts.get(&p.id).copied().unwrap_or(0),
    };
    Ok(PositionsPage {
        list: page.listed(q, editing.as_ref(), row),
        kind: kind.map(|k| k.as_str().to_string()),
        job_families: job_families(db).await?,
    })
}

/// The job families in use, sorted.
async fn job_families<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, AppError> {
    let mut families: Vec<String> = position::Entity::find()
        .select_only()
        .column(position::Column::JobFamily)
        .distinct()
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .filter(|f| !f.trim().is_empty())
        .collect();
    families.sort_by_key(|f| f.to_lowercase());
    families.dedup_by_key(|f| f.to_lowercase());
    Ok(families)
}

/// A job family spelled like one already in use ("it" → "IT"), so rules
/// and reports see one family, not two.
async fn known_spelling<C: ConnectionTrait>(db: &C, family: String) -> Result<String, AppError> {
    let lower = family.to_lowercase();
    Ok(job_families(db)
        .await?
        .into_iter()
        .find(|f| f.to_lowercase() == lower)
        .unwrap_or(family))
}

async fn position_name_free<C: ConnectionTrait>(
    db: &C,
    name: &str,
    except: Option<i64>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::ExprTrait as _;
    let mut query = position::Entity::find().filter(
        Expr::expr(Func::lower(Expr::col(position::Column::Name)))
            .eq(Expr::val(name.to_lowercase())),
    );
    if let Some(id) = except {
        query = query.filter(position::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::conflict(
            format!("Jabatan \"{name}\" sudah ada"),
            format!("A position named \"{name}\" already exists"),
        ));
    }
    Ok(())
}

pub async fn create_position(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    changes: PositionChanges,
) -> Result<position::Model, AppError> {
    save(db, actor, None, changes).await
}

pub async fn update_position(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    changes: PositionChanges,
) -> Result<position::Model, AppError> {
    save(db, actor, Some(id), changes).await
}

impl Changes for PositionChanges {
    type Row = position::ActiveModel;
    const CREATED_AT: position::Column = position::Column::CreatedAt;

    /// The name is free; the job family is spelled as one in use.
    async fn fill(
        self,
        txn: &DatabaseTransaction,
        before: Option<&position::Model>,
        row: &mut Self::Row,
    ) -> Result<(), AppError> {
        position_name_free(txn, &self.name, before.map(|p| p.id)).await?;
        row.job_family = Set(known_spelling(txn, self.job_family).await?);
        row.name = Set(self.name);
        row.kind = Set(self.kind.as_str().to_string());
        row.competencies =
            Set(serde_json::to_string(&self.competencies).unwrap_or_else(|_| "[]".into()));
        Ok(())
    }
}

// ---------------------------------------------------------------- employees

/// The employee form, checked field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeChanges {
    pub asn_kind: AsnKind,
    pub nip: Nip,
    pub name: String,
    pub golongan: Option<Golongan>,
    pub email: Option<String>,
    pub language: String,
    pub unit_id: i64,
    pub position_id: Option<i64>,
    /// Digits only.
    pub supervisor_nip: Option<String>,
}

fn asn_code(k: AsnKind) -> &'static str {
    match k {
        AsnKind::Pns => "pns",
        AsnKind::Pppk => "pppk",
    }
}

/// A plausible address: one `@`, something before it, a dotted domain after
/// it, no spaces. (Whether it receives mail is for the mail server to say.)
pub(crate) fn plausible_email(e: &str) -> bool {
    let Some((local, domain)) = e.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !e.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Checks every field of the employee form, in the form's order; `today`
/// (the office's date) bounds the dates inside a NIP.
pub fn employee_fields(form: EmployeeForm, today: NaiveDate) -> Result<EmployeeChanges, AppError> {
    let kind_raw = form.asn_kind.unwrap_or_default().trim().to_lowercase();
    let asn_kind = match kind_raw.as_str() {
        "pns" => AsnKind::Pns,
        "pppk" => AsnKind::Pppk,
        "" => {
            return Err(AppError::invalid(
                "asn_kind",
                "Jenis ASN wajib dipilih (PNS atau PPPK)",
                "Choose the kind of civil servant (PNS or PPPK)",
            ));
        }
        other => {
            return Err(AppError::invalid(
                "asn_kind",
                format!("Jenis ASN harus PNS atau PPPK, bukan \"{other}\""),
                format!("The kind of civil servant must be PNS or PPPK, not \"{other}\""),
            ));
        }
    };
    let nip = Nip::parse(form.nip.as_deref().unwrap_or(""), asn_kind, today)
        .map_err(|e| e.into_app_error("nip"))?;
    let name = required_text(
        "name",
        form.name.as_deref(),
        EMPLOYEE_NAME_MAX,
        ("Nama pegawai", "employee's name"),
        (
            "Nama pegawai wajib diisi",
            "The employee's name is required",
        ),
    )?;
    let golongan = match form.golongan.as_deref().map(str::trim).unwrap_or("") {
        "" if asn_kind == AsnKind::Pns => {
            return Err(AppError::invalid(
                "golongan",
                "Golongan wajib dipilih untuk PNS (mis. III/a)",
                "Choose the rank (golongan) of a PNS (e.g. III/a)",
            ));
        }
        "" => None,
        raw => Some(Golongan::parse(raw).ok_or_else(|| {
            AppError::invalid(
                "golongan",
                format!("Golongan tidak dikenal: \"{raw}\" (I/a sampai IV/e)"),
                format!("Unknown rank (golongan): \"{raw}\" (I/a to IV/e)"),
            )
        })?),
    };
    let email = match form.email.as_deref().map(str::trim).unwrap_or("") {
        "" => None,
        raw => {
            length_at_most("email", raw, EMAIL_MAX, "Alamat email", "email address")?;
            if !plausible_email(raw) {
                return Err(AppError::invalid(
                    "email",
                    format!("Alamat email tidak valid: \"{raw}\" (contoh: nama@medan.go.id)"),
                    format!("Invalid email address: \"{raw}\" (e.g. name@medan.go.id)"),
                ));
            }
            Some(raw.to_lowercase())
        }
    };
    let language = match form.language.as_deref().map(str::trim).unwrap_or("") {
        "" => "id".to_string(),
        raw => match crate::lang::parse(raw) {
            Some(l) => crate::lang::code(l).to_string(),
            None => {
                return Err(AppError::invalid(
                    "language",
                    format!("Bahasa harus id (Indonesia) atau en (Inggris), bukan \"{raw}\""),
                    format!("The language must be id (Indonesian) or en (English), not \"{raw}\""),
                ));
            }
        },
    };
    let unit_id =
        optional_id("unit_id", form.unit_id, "Unit kerja", "work unit")?.ok_or_else(|| {
            AppError::invalid(
                "unit_id",
                "Unit kerja wajib dipilih",
                "Choose the work unit",
            )
        })?;
    let position_id = optional_id("position_id", form.position_id, "Jabatan", "position")?;
    let supervisor_nip = match form.supervisor_nip.as_deref() {
        None => None,
        Some(raw) => {
            let digits: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
            if digits.is_empty() {
                None
            } else if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit()) {
                return Err(AppError::invalid(
                    "supervisor_nip",
                    format!("NIP atasan hanya boleh berisi angka (ditemukan \"{bad}\")"),
                    format!("The supervisor's NIP may contain digits only (found \"{bad}\")"),
                ));
            } else if digits == nip.as_str() {
                return Err(self_supervisor());
            } else {
                Some(digits)
            }
        }
    };
    Ok(EmployeeChanges {
        asn_kind,
        nip,
        name,
        golongan,
        email,
        language,
        unit_id,
        position_id,
        supervisor_nip,
    })
}

fn self_supervisor() -> AppError {
    AppError::invalid(
        "supervisor_nip",
        "Pegawai tidak dapat menjadi atasan langsungnya sendiri",
        "An employee cannot be their own direct supervisor",
    )
}

/// The checks that need the database, in the form's order; returns the
/// supervisor's id. `me` is the employee being edited (None when creating).
async fn check_against_data<C: ConnectionTrait>(
    db: &C,
    c: &EmployeeChanges,
    me: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let other = |q: sea_orm::Select<employee::Entity>| match me {
        Some(id) => q.filter(employee::Column::Id.ne(id)),
        None => q,
    };
    if let Some(holder) =
        other(employee::Entity::find().filter(employee::Column::Nip.eq(c.nip.as_str())))
            .one(db)
            .await?
    {
        let nip = c.nip.display_grouped();
        return Err(AppError::conflict(
            format!("NIP {nip} sudah terdaftar atas nama {}", holder.name),
            format!("NIP {nip} is already registered to {}", holder.name),
        ));
    }
    if unit::Entity::find_by_id(c.unit_id).one(db).await?.is_none() {
        let id = c.unit_id;
        return Err(AppError::invalid(
            "unit_id",
            format!("Unit kerja dengan id {id} tidak ditemukan"),
            format!("There is no work unit with id {id}"),
        ));
    }
    if let Some(pid) = c.position_id {
        if position::Entity::find_by_id(pid).one(db).await?.is_none() {
            return Err(AppError::invalid(
                "position_id",
                format!("Jabatan dengan id {pid} tidak ditemukan"),
                format!("There is no position with id {pid}"),
            ));
        }
    }
    if let Some(email) = &c.email {
        use sea_orm::sea_query::ExprTrait as _;
        let holder = other(
            employee::Entity::find().filter(
                Expr::expr(Func::lower(Expr::col(employee::Column::Email)))
                    .eq(Expr::val(email.clone())),
            ),
        )
        .one(db)
        .await?;
        if let Some(h) = holder {
            // The email is a sign-in name: shared, it would identify nobody.
            return Err(AppError::conflict(
                format!(
                    "Email {email} sudah dipakai oleh {} (NIP {})",
                    h.name,
                    nip_grouped(&h.nip)
                ),
                format!(
                    "The email {email} is already used by {} (NIP {})",
                    h.name,
                    nip_grouped(&h.nip)
                ),
            ));
        }
    }
    let Some(sup_nip) = &c.supervisor_nip else {
        return Ok(None);
    };
    let sup = employee::Entity::find()
        .filter(employee::Column::Nip.eq(sup_nip.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| {
            let shown = nip_grouped(sup_nip);
            AppError::invalid(
                "supervisor_nip",
                format!("Tidak ada pegawai dengan NIP {shown} untuk dijadikan atasan"),
                format!("No employee has NIP {shown} to be the supervisor"),
            )
        })?;
    if Some(sup.id) == me {
        return Err(self_supervisor());
    }
    // The supervisor's own chain of supervisors may not lead back to this person.
    if let Some(me) = me {
        let mut seen = HashSet::from([sup.id]);
        let mut next = sup.supervisor_id;
        while let Some(id) = next {
            if id == me {
                return Err(AppError::invalid(
                    "supervisor_nip",
                    format!(
                        "{} adalah bawahan (langsung atau tidak langsung) pegawai ini, jadi tidak dapat menjadi atasannya",
                        sup.name
                    ),
                    format!(
                        "{} reports (directly or indirectly) to this employee, so cannot be their supervisor",
                        sup.name
                    ),
                ));
            }
            if !seen.insert(id) {
                break;
            }
            next = employee::Entity::find_by_id(id)
                .one(db)
                .await?
                .and_then(|e| e.supervisor_id);
        }
    }
    Ok(Some(sup.id))
}

fn conflict_on_unique(e: sea_orm::DbErr) -> AppError {
    if matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    ) {
        AppError::conflict(
            "NIP ini baru saja didaftarkan untuk pegawai lain",
            "This NIP has just been registered to another employee",
        )
    } else {
        e.into()
    }
}

pub async fn create_employee(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    c: EmployeeChanges,
) -> Result<employee::Model, AppError> {
    save(db, actor, None, c).await
}

pub async fn update_employee(
    db: &DatabaseConnection,
    actor: Actor<'_>,
    id: i64,
    c: EmployeeChanges,
) -> Result<employee::Model, AppError> {
    save(db, actor, Some(id), c).await
}

impl Changes for EmployeeChanges {
    type Row = employee::ActiveModel;
    const CREATED_AT: employee::Column = employee::Column::CreatedAt;

    async fn fill(
        self,
        txn: &DatabaseTransaction,
        before: Option<&employee::Model>,
        row: &mut Self::Row,
    ) -> Result<(), AppError> {
        let supervisor_id = check_against_data(txn, &self, before.map(|e| e.id)).await?;
        row.nip = Set(self.nip.as_str().to_string());
        row.asn_kind = Set(asn_code(self.asn_kind).to_string());
        row.name = Set(self.name);
        row.email = Set(self.email);
        row.unit_id = Set(self.unit_id);
        row.golongan = Set(self.golongan.map(|g| g.code().to_string()));
        row.language = Set(self.language);
        row.position_id = Set(self.position_id);
        row.supervisor_id = Set(supervisor_id);
        Ok(())
    }

    fn refused(e: DbErr) -> AppError {
        conflict_on_unique(e)
    }
}

/// The employees whose name contains `q`, or whose NIP starts with (or,
/// whole, equals) the typed digits (the same search as every people
/// list), placed in unit `unit_id` or below it.
fn employee_query(
    db: &DatabaseConnection,
    q: &str,
    unit_id: Option<i64>,
    units: &[unit::Model],
) -> Select<employee::Entity> {
    let mut query = employee::Entity::find();
    if let Some(cond) = crate::backend::people::search::people(db.get_database_backend(), q) {
        query = query.filter(cond);
    }
    if let Some(root) = unit_id {
        let pairs: Vec<(i64, Option<i64>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
        query = query.filter(employee::Column::UnitId.is_in(subtree(&pairs, &[root])));
    }
    query
}

/// What an employee's row names besides the employee: the units and
/// positions by id, and the supervisors of the employees shown.
struct RowNames<'a> {
    units: HashMap<i64, &'a str>,
    positions: HashMap<i64, &'a str>,
    supervisors: HashMap<i64, employee::Model>,
}

impl<'a> RowNames<'a> {
    /// The supervisors of `shown` are read here.
    async fn new(
        db: &DatabaseConnection,
        units: &'a [unit::Model],
        positions: &'a [position::Model],
        shown: impl Iterator<Item = &employee::Model>,
    ) -> Result<RowNames<'a>, AppError> {
        let ids: HashSet<i64> = shown.filter_map(|e| e.supervisor_id).collect();
        let supervisors = db::by_id::<employee::Entity, _>(db, ids).await?;
        Ok(RowNames {
            units: units.iter().map(|u| (u.id, u.name.as_str())).collect(),
            positions: positions.iter().map(|p| (p.id, p.name.as_str())).collect(),
            supervisors,
        })
    }

    fn row(&self, e: &employee::Model) -> EmployeeRow {
        let sup = e.supervisor_id.and_then(|s| self.supervisors.get(&s));
        EmployeeRow {
            id: e.id,
            nip: e.nip.clone(),
            nip_display: nip_grouped(&e.nip),
            asn_kind: e.asn_kind.clone(),
            name: e.name.clone(),
            golongan: e.golongan.clone().filter(|g| !g.is_empty()),
            email: e.email.clone().filter(|m| !m.is_empty()),
            language: e.language.clone(),
            unit_id: e.unit_id,
            unit: self
                .units
                .get(&e.unit_id)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            position_id: e.position_id,
            position: e
                .position_id
                .and_then(|p| self.positions.get(&p).map(|s| s.to_string())),
            supervisor_id: e.supervisor_id,
            supervisor: sup.map(|s| s.name.clone()),
            supervisor_nip: sup.map(|s| s.nip.clone()),
        }
    }
}

/// One page of employees, by name.
pub async fn list_employees(
    db: &DatabaseConnection,
    ask: ListAsk,
    unit_id: Option<i64>,
) -> Result<EmployeesPage, AppError> {
    let q = tidy(&ask.q);
    let editing = editing::<employee::Entity>(db, ask.edit).await?;
    let units = all_units(db).await?;
    let query = employee_query(db, &q, unit_id, &units)
        .order_by_asc(employee::Column::Name)
        .order_by_asc(employee::Column::Id);
    let page = one_page(db, query, ask.page).await?;
    let positions = position::Entity::find()
        .order_by_asc(position::Column::Name)
        .all(db)
        .await?;
    let names = RowNames::new(db, &units, &positions, page.shown(editing.as_ref())).await?;
    Ok(EmployeesPage {
        list: page.listed(q, editing.as_ref(), |e| names.row(e)),
        unit_id,
        units: unit_choices(&units),
        positions: positions
            .iter()
            .map(|p| PositionChoice {
                id: p.id,
                name: p.name.clone(),
                kind: p.kind.clone(),
            })
            .collect(),
    })
}

/// Employees with an id above `after`, by id, at most `limit`, with the same
/// search and unit filter as [`list_employees`]: for clients that page by
/// key (the JSON API), where a page never shifts under inserts.
pub async fn employees_after(
    db: &DatabaseConnection,
    q: &str,
    unit_id: Option<i64>,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<EmployeeRow>, AppError> {
    let units = all_units(db).await?;
    let mut query = employee_query(db, &tidy(q), unit_id, &units);
    if let Some(after) = after {
        query = query.filter(employee::Column::Id.gt(after));
    }
    let found = query
        .order_by_asc(employee::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let positions = position::Entity::find()
        .filter(position::Column::Id.is_in(found.iter().filter_map(|e| e.position_id)))
        .all(db)
        .await?;
    let names = RowNames::new(db, &units, &positions, found.iter()).await?;
    Ok(found.iter().map(|e| names.row(e)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn form() -> EmployeeForm {
        EmployeeForm {
            asn_kind: Some("pns".into()),
            nip: Some("19860926 201505 1 001".into()),
            name: Some("  Rahmat   Hidayat, S.Kom. ".into()),
            golongan: Some("iii/b".into()),
            email: Some(" Rahmat@Medan.Example ".into()),
            language: Some("en".into()),
            unit_id: Some("3".into()),
            position_id: Some("".into()),
            supervisor_nip: Some(" ".into()),
        }
    }

    #[test]
    fn a_good_employee_form_is_tidied() {
        let c = employee_fields(form(), today()).unwrap();
        assert_eq!(c.nip.as_str(), "198609262015051001");
        assert_eq!(c.name, "Rahmat Hidayat, S.Kom.");
        assert_eq!(c.golongan.map(|g| g.code()), Some("III/b"));
        assert_eq!(c.email.as_deref(), Some("rahmat@medan.example"));
        assert_eq!(c.language, "en");
        assert_eq!(
            (c.unit_id, c.position_id, c.supervisor_nip),
            (3, None, None)
        );
    }

    #[test]
    fn each_bad_field_is_named() {
        let field = |f: EmployeeForm| {
            employee_fields(f, today())
                .unwrap_err()
                .field()
                .map(str::to_string)
        };
        let cases: Vec<(EmployeeForm, &str)> = vec![
            (
                EmployeeForm {
                    asn_kind: Some("honorer".into()),
                    ..form()
                },
                "asn_kind",
            ),
            (
                EmployeeForm {
                    nip: Some("1986".into()),
                    ..form()
                },
                "nip",
            ),
            (
                EmployeeForm {
                    name: Some("  ".into()),
                    ..form()
                },
                "name",
            ),
            (
                EmployeeForm {
                    golongan: Some("".into()),
                    ..form()
                },
                "golongan",
            ),
            (
                EmployeeForm {
                    golongan: Some("V/a".into()),
                    ..form()
                },
                "golongan",
            ),
            (
                EmployeeForm {
                    email: Some("bukan email".into()),
                    ..form()
                },
                "email",
            ),
            (
                EmployeeForm {
                    email: Some("a@b".into()),
                    ..form()
                },
                "email",
            ),
            (
                EmployeeForm {
                    language: Some("jv".into()),
                    ..form()
                },
                "language",
            ),
            (
                EmployeeForm {
                    unit_id: None,
                    ..form()
                },
                "unit_id",
            ),
            (
                EmployeeForm {
                    unit_id: Some("x".into()),
                    ..form()
                },
                "unit_id",
            ),
            (
                EmployeeForm {
                    position_id: Some("x".into()),
                    ..form()
                },
                "position_id",
            ),
            (
                EmployeeForm {
                    supervisor_nip: Some("19860926-2015".into()),
                    ..form()
                },
                "supervisor_nip",
            ),
            (
                EmployeeForm {
                    supervisor_nip: Some("198609262015051001".into()),
                    ..form()
                },
                "supervisor_nip",
            ),
        ];
        for (f, want) in cases {
            assert_eq!(field(f.clone()).as_deref(), Some(want), "{f:?}");
        }
        // A PPPK may have no golongan, and the PNS month rule does not apply.
        let pppk = EmployeeForm {
            asn_kind: Some("PPPK".into()),
            nip: Some("199609302023212001".into()),
            golongan: Some("".into()),
            ..form()
        };
        assert!(employee_fields(pppk, today()).unwrap().golongan.is_none());
    }

    #[test]
    fn the_nip_refusal_is_the_precise_one() {
        let e = employee_fields(
            EmployeeForm {
                nip: Some("19861326 201505 1 001".into()),
                ..form()
            },
            today(),
        )
        .unwrap_err();
        assert_eq!(
            e.message("id"),
            "Digit 1–8 NIP harus tanggal lahir yang valid (YYYYMMDD), bukan 19861326"
        );
    }

    #[test]
    fn positions_are_checked_and_competencies_listed_once() {
        let p = position_fields(PositionForm {
            name: Some(" Pranata  Komputer ".into()),
            kind: Some("Fungsional".into()),
            job_family: Some(" IT ".into()),
            competencies: Some("SPBE\n\n  Keamanan informasi \nspbe\n".into()),
        })
        .unwrap();
        assert_eq!(p.name, "Pranata Komputer");
        assert_eq!(p.kind, PositionKind::Fungsional);
        assert_eq!(p.job_family, "IT");
        assert_eq!(p.competencies, vec!["SPBE", "Keamanan informasi"]);
        let field = |n: &str, k: &str, f: &str, c: &str| {
            position_fields(PositionForm {
                name: Some(n.into()),
                kind: Some(k.into()),
                job_family: Some(f.into()),
                competencies: Some(c.into()),
            })
            .unwrap_err()
            .field()
            .map(str::to_string)
        };
        assert_eq!(field("", "jpt", "IT", "").as_deref(), Some("name"));
        assert_eq!(field("A", "", "IT", "").as_deref(), Some("kind"));
        assert_eq!(field("A", "raja", "IT", "").as_deref(), Some("kind"));
        assert_eq!(field("A", "jpt", " ", "").as_deref(), Some("job_family"));
        assert_eq!(
            field("A", "jpt", "IT", &"x".repeat(101)).as_deref(),
            Some("competencies")
        );
    }

    #[test]
    fn unit_fields_name_their_field() {
        let unit = |name, parent_id| unit_fields(UnitForm { name, parent_id });
        assert_eq!(
            unit(Some(" ".into()), None).unwrap_err().field(),
            Some("name")
        );
        assert_eq!(
            unit(Some("A".into()), Some("satu".into()))
                .unwrap_err()
                .field(),
            Some("parent_id")
        );
        assert_eq!(
            unit(Some(" Seksi  A ".into()), Some(" 4 ".into())).unwrap(),
            UnitChanges {
                name: "Seksi A".into(),
                parent_id: Some(4)
            }
        );
    }
}
