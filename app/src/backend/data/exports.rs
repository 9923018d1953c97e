//! The CSV downloads of `/ekspor/…`: progress per person and per unit, the
//! training history in SIASN's columns, the overdue list and the audit
//! trail. All are written by the one writer ([`crate::backend::data::csv_out`]).
//!
//! Large data: every export reads its main table in keyed batches (`id >
//! last ORDER BY id LIMIT n`, never OFFSET) and hands each batch to the
//! client before reading the next, so memory stays at about one batch
//! (plus the small tables: units, positions, courses; and for the unit
//! export one counter per unit).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate, TimeZone};
use futures::{Stream, StreamExt};
use sea_orm::{
    sea_query::{IntoCondition, Query},
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, TryGetableMany,
};
use serde::Deserialize;
use tokio::sync::mpsc;

use crate::backend::data::csv_out::{headers, Cell, CsvOut, Format};
use crate::{
    backend::{
        access::{policy, Principal},
        entities::{
            assignment, audit_entry, completion, course, employee, position, transfer, unit,
        },
        state::AppState,
    },
    domain::{dates::parse_form_date, progress::jp_ledger},
    error::AppError,
    i18n::{td_string, Locale},
};

/// Rows read per query.
pub const BATCH: u64 = 500;

/// The SIASN history's columns, fixed in this order (our importer reads
/// them back).
pub const SIASN_HEADERS: [&str; 10] = [
    "nipBaru",
    "nama",
    "kodeKursus",
    "namaKursus",
    "tanggalKursus",
    "tahunKursus",
    "jumlahJam",
    "institusiPenyelenggara",
    "nomorSertipikat",
    "nilai",
];

/// What can be exported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    PersonProgress,
    UnitProgress,
    History,
    Overdue,
    Audit,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::PersonProgress,
        Kind::UnitProgress,
        Kind::History,
        Kind::Overdue,
        Kind::Audit,
    ];

    /// Where it is downloaded.
    pub fn path(self) -> &'static str {
        use crate::model::exports::paths;
        match self {
            Kind::PersonProgress => paths::PERSON_PROGRESS,
            Kind::UnitProgress => paths::UNIT_PROGRESS,
            Kind::History => paths::HISTORY,
            Kind::Overdue => paths::OVERDUE,
            Kind::Audit => paths::AUDIT,
        }
    }

    pub fn action(self) -> policy::Action<'static> {
        match self {
            Kind::Audit => policy::Action::ExportAudit,
            _ => policy::Action::Export,
        }
    }

    /// "progres-pegawai-2026-11-28.csv" (in the language).
    pub fn file_name(self, today: NaiveDate, l: Locale) -> String {
        match self {
            Kind::PersonProgress => {
                td_string!(l, exports.person.file_name, date = today).to_string()
            }
            Kind::UnitProgress => {
                td_string!(l, exports.unit_progress.file_name, date = today).to_string()
            }
            Kind::History => td_string!(l, exports.history.file_name, date = today).to_string(),
            Kind::Overdue => td_string!(l, exports.overdue.file_name, date = today).to_string(),
            Kind::Audit => td_string!(l, exports.audit.file_name, date = today).to_string(),
        }
    }

    fn format(self, semicolon: bool, l: Locale) -> Format {
        match self {
            Kind::History => Format::siasn(semicolon),
            _ => Format::for_people(semicolon, l),
        }
    }
}

/// The query string, in Indonesian as people see it in the address.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RawFilters {
    /// A unit id: that unit and everything below it.
    #[serde(default)]
    pub unit: String,
    /// From this date (completion date for the history, local day for the audit).
    #[serde(default)]
    pub dari: String,
    /// Until this date, inclusive.
    #[serde(default)]
    pub sampai: String,
    /// `titikkoma`: `;` with a byte-order mark.
    #[serde(default)]
    pub pemisah: String,
    /// Audit: the actor contains this (any case).
    #[serde(default)]
    pub aktor: String,
    /// Audit: exactly this entity.
    #[serde(default)]
    pub entitas: String,
    /// Audit: exactly this action.
    #[serde(default)]
    pub aksi: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Filters {
    pub unit: Option<i64>,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub semicolon: bool,
    pub actor: String,
    pub entity: String,
    pub action: String,
}

impl RawFilters {
    pub fn parse(&self) -> Result<Filters, AppError> {
        let unit = match self.unit.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().map_err(|_| {
                AppError::invalid(
                    "unit",
                    format!("Unit tidak valid: {raw:?}"),
                    format!("Invalid unit: {raw:?}"),
                )
            })?),
        };
        let date = |field: &str, raw: &str| -> Result<Option<NaiveDate>, AppError> {
            if raw.trim().is_empty() {
                Ok(None)
            } else {
                parse_form_date(field, raw).map(Some)
            }
        };
        let from = date("dari", &self.dari)?;
        let until = date("sampai", &self.sampai)?;
        if let (Some(f), Some(u)) = (from, until) {
            if f > u {
                return Err(AppError::invalid(
                    "sampai",
                    "Tanggal awal sesudah tanggal akhir",
                    "The start date is after the end date",
                ));
            }
        }
        Ok(Filters {
            unit,
            from,
            until,
            semicolon: crate::backend::data::csv_out::semicolon_requested(&self.pemisah),
            actor: self.aktor.trim().to_lowercase(),
            entity: self.entitas.trim().to_string(),
            action: self.aksi.trim().to_string(),
        })
    }
}

/// What an export runs with.
#[derive(Clone)]
pub struct Ctx {
    pub db: DatabaseConnection,
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
    pub locale: Locale,
    pub jp_target: f64,
    pub newcomer_days: u32,
    /// Rows read per query ([`BATCH`]; tests use small ones).
    pub batch: u64,
}

impl Ctx {
    pub fn new(state: &AppState, locale: Locale) -> Self {
        Ctx {
            db: state.db.clone(),
            today: state.now_local().date_naive(),
            tz: state.config.tz(),
            locale,
            jp_target: state.config.jp_target_per_year,
            newcomer_days: state.config.newcomer_days,
            batch: BATCH,
        }
    }
}

/// Whose data an export covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Everyone,
    /// People whose unit is one of these.
    Units(HashSet<i64>),
}

impl Scope {
    fn has(&self, unit_id: i64) -> bool {
        match self {
            Scope::Everyone => true,
            Scope::Units(u) => u.contains(&unit_id),
        }
    }

    /// `q` narrowed to the rows about people in scope (`person` is `E`'s
    /// employee column), by a subquery on the employees.
    fn narrow<E: EntityTrait>(&self, q: Select<E>, person: E::Column) -> Select<E> {
        match self {
            Scope::Everyone => q,
            Scope::Units(u) => q.filter(
                person.in_subquery(
                    Query::select()
                        .column(employee::Column::Id)
                        .from(employee::Entity)
                        .cond_where(
                            Condition::all().add(employee::Column::UnitId.is_in(u.iter().copied())),
                        )
                        .to_owned(),
                ),
            ),
        }
    }
}

/// Every unit (a small table).
async fn unit_tree(db: &DatabaseConnection) -> Result<Vec<unit::Model>, AppError> {
    Ok(unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?)
}

/// A small table's rows (those `q` selects) by id; `entry` gives the id
/// and what to keep of the row.
async fn by_id<E: EntityTrait, V>(
    db: &DatabaseConnection,
    q: Select<E>,
    entry: impl FnMut(E::Model) -> (i64, V),
) -> Result<HashMap<i64, V>, AppError> {
    Ok(q.all(db).await?.into_iter().map(entry).collect())
}

/// The units in scope, as the nodes of a tree.
fn tree_nodes(units: &[unit::Model], scope: &Scope) -> Vec<crate::domain::org::TreeNode> {
    units
        .iter()
        .filter(|u| scope.has(u.id))
        .map(|u| crate::domain::org::TreeNode {
            id: u.id,
            parent_id: u.parent_id,
            name: u.name.clone(),
        })
        .collect()
}

/// The unit and its ancestors (a cycle cannot hang this).
fn path_of(units: &HashMap<i64, Option<i64>>, id: i64) -> Vec<i64> {
    crate::domain::org::ancestors(id, |u| units.get(&u).copied().flatten())
}

/// The people `p` may export, narrowed to `unit`'s subtree when asked. A
/// unit they may not see is answered as one that does not exist.
pub async fn scope(
    db: &DatabaseConnection,
    p: &Principal,
    unit: Option<i64>,
) -> Result<Scope, AppError> {
    let units = unit_tree(db).await?;
    let parents: HashMap<i64, Option<i64>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let pairs: Vec<(i64, Option<i64>)> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    match unit {
        Some(id) => {
            if !parents.contains_key(&id) {
                return Err(AppError::NotFound);
            }
            let path = path_of(&parents, id);
            policy::authorize(
                Some(p.clone()),
                &policy::Action::ExportUnit { unit_path: &path },
            )?;
            Ok(Scope::Units(crate::domain::org::subtree(&pairs, &[id])))
        }
        None => Ok(match policy::export_roots(p) {
            None => Scope::Everyone,
            Some(roots) => Scope::Units(crate::domain::org::subtree(&pairs, roots)),
        }),
    }
}

/// The units `p` may choose from (depth first, with their depth), for the
/// page's filter.
pub async fn unit_choices(
    db: &DatabaseConnection,
    p: &Principal,
) -> Result<Vec<(i64, String, u32)>, AppError> {
    let units = unit_tree(db).await?;
    let nodes = tree_nodes(&units, &scope(db, p, None).await?);
    Ok(crate::domain::org::depth_first(&nodes)
        .into_iter()
        .map(|(i, depth)| (nodes[i].id, nodes[i].name.clone(), depth))
        .collect())
}

type Chunk = Result<Vec<u8>, AppError>;

/// The writer and where its batches go.
struct Output {
    csv: CsvOut,
    tx: mpsc::Sender<Chunk>,
}

/// The client went away: stop reading.
fn cancelled() -> AppError {
    AppError::Internal {
        reference: "export-cancelled".into(),
    }
}

impl Output {
    /// Hands what was written to the client; waits while it is two
    /// batches behind (so a slow client holds back the reading).
    async fn batch_done(&mut self) -> Result<(), AppError> {
        let bytes = self.csv.take()?;
        if !bytes.is_empty() {
            self.tx.send(Ok(bytes)).await.map_err(|_| cancelled())?;
        }
        Ok(())
    }
}

/// Checks the request (permission, filters, unit) and starts the export on
/// its own task. A refusal, a bad filter or a failure in the first batch
/// is the error; later failures end the stream with an error (the client
/// sees an incomplete download, never a silently short file).
pub async fn start(
    ctx: Ctx,
    p: &Principal,
    kind: Kind,
    raw: &RawFilters,
) -> Result<impl Stream<Item = Chunk> + Send + 'static, AppError> {
    policy::authorize(Some(p.clone()), &kind.action())?;
    let f = raw.parse()?;
    let who = if kind == Kind::Audit {
        Scope::Everyone
    } else {
        scope(&ctx.db, p, f.unit).await?
    };
    let (tx, mut rx) = mpsc::channel::<Chunk>(2);
    tokio::spawn(async move {
        let mut out = Output {
            csv: CsvOut::new(kind.format(f.semicolon, ctx.locale)),
            tx: tx.clone(),
        };
        let done = match kind {
            Kind::PersonProgress => person_progress(&ctx, &who, &mut out).await,
            Kind::UnitProgress => unit_progress(&ctx, &who, &mut out).await,
            Kind::History => history(&ctx, &who, &f, &mut out).await,
            Kind::Overdue => overdue(&ctx, &who, &mut out).await,
            Kind::Audit => audit(&ctx, &f, &mut out).await,
        };
        let last = done.and_then(|()| out.csv.take());
        match &last {
            Err(AppError::Internal { reference }) if reference == "export-cancelled" => return,
            Err(e) => tracing::error!(?kind, error = %e, "ekspor gagal / export failed"),
            Ok(_) => {}
        }
        let _ = tx.send(last).await;
    });
    let first = rx.recv().await.unwrap_or_else(|| Err(cancelled()))?;
    let rest = futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    });
    Ok(futures::stream::once(async move { Ok::<_, AppError>(first) }).chain(rest))
}

/// The whole export in memory (tests, small uses).
pub async fn bytes(
    ctx: Ctx,
    p: &Principal,
    kind: Kind,
    raw: &RawFilters,
) -> Result<Vec<u8>, AppError> {
    let stream = start(ctx, p, kind, raw).await?;
    futures::pin_mut!(stream);
    let mut all = Vec::new();
    while let Some(chunk) = stream.next().await {
        all.extend(chunk?);
    }
    Ok(all)
}

/// One person with what the progress exports need.
struct Person {
    e: employee::Model,
    latest_tmt: Option<NaiveDate>,
    completed: i64,
    open: i64,
    overdue: i64,
    jp: f64,
}

impl Person {
    fn total(&self) -> i64 {
        self.completed + self.open
    }
}

/// Completed share in whole percent; None without assignments.
fn percent(completed: i64, total: i64) -> Option<i64> {
    (total > 0).then(|| (completed as f64 * 100.0 / total as f64).round() as i64)
}

fn year_bounds(today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    let y = today.year();
    NaiveDate::from_ymd_opt(y, 1, 1)
        .zip(NaiveDate::from_ymd_opt(y, 12, 31))
        .ok_or_else(|| AppError::Internal {
            reference: format!("export: year {y}"),
        })
}

/// The batch of `q`'s rows after id `after` (`id` is `E`'s id column), in
/// id order: the one reader of every export's main table.
async fn rows_after<E: EntityTrait>(
    ctx: &Ctx,
    q: Select<E>,
    id: E::Column,
    after: i64,
) -> Result<Vec<E::Model>, AppError> {
    Ok(q.filter(id.gt(after))
        .order_by_asc(id)
        .limit(ctx.batch)
        .all(&ctx.db)
        .await?)
}

/// The people of one batch, for reading what other tables hold about them.
struct Batch<'a> {
    db: &'a DatabaseConnection,
    ids: &'a [i64],
}

impl Batch<'_> {
    /// Three columns of the rows about these people that meet `cond`, as
    /// tuples; the first column names the person.
    async fn rows<C, T>(
        &self,
        columns: [C; 3],
        cond: impl IntoCondition,
    ) -> Result<Vec<T>, AppError>
    where
        C: ColumnTrait,
        C::EntityName: EntityTrait<Column = C>,
        T: TryGetableMany,
    {
        let [person, ..] = columns;
        Ok(<C::EntityName as EntityTrait>::find()
            .select_only()
            .columns(columns)
            .filter(person.is_in(self.ids.iter().copied()))
            .filter(cond)
            .into_tuple()
            .all(self.db)
            .await?)
    }
}

/// The next batch of people in scope after `after`, with their facts.
async fn people_after(ctx: &Ctx, scope: &Scope, after: i64) -> Result<Vec<Person>, AppError> {
    use assignment::Column as A;
    use completion::Column as C;
    use transfer::Column as T;
    let mut q = employee::Entity::find();
    if let Scope::Units(u) = scope {
        q = q.filter(employee::Column::UnitId.is_in(u.iter().copied()));
    }
    let people = rows_after(ctx, q, employee::Column::Id, after).await?;
    if people.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = people.iter().map(|e| e.id).collect();
    let batch = Batch {
        db: &ctx.db,
        ids: &ids,
    };
    let transfers: Vec<(i64, NaiveDate, i64)> = batch
        .rows([T::EmployeeId, T::Tmt, T::Id], T::State.eq("completed"))
        .await?;
    let mut latest: HashMap<i64, (NaiveDate, i64)> = HashMap::new();
    for (e, tmt, id) in transfers {
        let slot = latest.entry(e).or_insert((tmt, id));
        if (tmt, id) > *slot {
            *slot = (tmt, id);
        }
    }
    let work: Vec<(i64, String, NaiveDate)> = batch
        .rows(
            [A::EmployeeId, A::State, A::DueDate],
            A::State.ne("cancelled"),
        )
        .await?;
    let mut counts: HashMap<i64, (i64, i64, i64)> = HashMap::new();
    for (e, state, due) in work {
        let c = counts.entry(e).or_default();
        if assignment::OPEN_STATES.contains(&state.as_str()) {
            c.1 += 1;
            if due < ctx.today {
                c.2 += 1;
            }
        } else {
            // Completed or waived: done with, as on the manager's dashboard.
            c.0 += 1;
        }
    }
    let (first, last) = year_bounds(ctx.today)?;
    let cond = C::CompletedOn.between(first, last);
    let done: Vec<(i64, NaiveDate, f64)> = batch
        .rows([C::EmployeeId, C::CompletedOn, C::Jp], cond)
        .await?;
    let mut jp: HashMap<i64, Vec<(NaiveDate, f64)>> = HashMap::new();
    for (e, d, hours) in done {
        jp.entry(e).or_default().push((d, hours));
    }
    Ok(people
        .into_iter()
        .map(|e| {
            let (completed, open, overdue) = counts.get(&e.id).copied().unwrap_or_default();
            let ledger = jp_ledger(
                jp.get(&e.id).map_or(&[][..], Vec::as_slice),
                ctx.today.year(),
                ctx.jp_target,
            );
            Person {
                latest_tmt: latest.get(&e.id).map(|(t, _)| *t),
                completed,
                open,
                overdue,
                jp: ledger.done,
                e,
            }
        })
        .collect())
}

/// A row of an export's main table: the id its batches are keyed by.
trait Keyed {
    fn key(&self) -> i64;
}

impl Keyed for Person {
    fn key(&self) -> i64 {
        self.e.id
    }
}

/// Tables keyed by their own id.
macro_rules! keyed_by_id {
    ($($model:ty),*) => {
        $(impl Keyed for $model {
            fn key(&self) -> i64 {
                self.id
            }
        })*
    };
}

keyed_by_id!(completion::Model, assignment::Model, audit_entry::Model);

/// Runs the body over each batch that `$next(after)` reads, `after`
/// being the last key of the batch before.
macro_rules! for_each_batch {
    ($ctx:expr, $next:expr, |$batch:ident| $body:block) => {{
        let mut after = i64::MIN;
        loop {
            let $batch = $next(after).await?;
            let Some(last) = $batch.last().map(Keyed::key) else {
                break;
            };
            let full = $batch.len() as u64 >= $ctx.batch;
            $body
            if !full {
                break;
            }
            after = last;
        }
    }};
}

async fn unit_names(db: &DatabaseConnection) -> Result<HashMap<i64, String>, AppError> {
    by_id(db, unit::Entity::find(), |u| (u.id, u.name)).await
}

async fn courses(db: &DatabaseConnection) -> Result<HashMap<i64, course::Model>, AppError> {
    by_id(db, course::Entity::find(), |c| (c.id, c)).await
}

async fn person_progress(ctx: &Ctx, scope: &Scope, out: &mut Output) -> Result<(), AppError> {
    let l = ctx.locale;
    let units = unit_names(&ctx.db).await?;
    let positions = by_id(&ctx.db, position::Entity::find(), |p| (p.id, p.name)).await?;
    out.csv.header(&headers!(l, exports.person: [
        nip, name, unit, position, tmt, total, completed, open, overdue, percent, jp, jp_target,
    ]))?;
    for_each_batch!(ctx, |after| people_after(ctx, scope, after), |batch| {
        for p in &batch {
            let unit = units.get(&p.e.unit_id).map_or("", String::as_str);
            let position =
                p.e.position_id
                    .and_then(|id| positions.get(&id))
                    .map_or("", String::as_str);
            out.csv.row(&[
                Cell::Text(&p.e.nip),
                Cell::Text(&p.e.name),
                Cell::Text(unit),
                Cell::Text(position),
                p.latest_tmt.map_or(Cell::Empty, Cell::Date),
                Cell::Int(p.total()),
                Cell::Int(p.completed),
                Cell::Int(p.open),
                Cell::Int(p.overdue),
                percent(p.completed, p.total()).map_or(Cell::Empty, Cell::Int),
                Cell::Num(p.jp),
                Cell::Num(ctx.jp_target),
            ])?;
        }
        out.batch_done().await?;
    });
    Ok(())
}

#[derive(Default)]
struct UnitTotals {
    people: i64,
    newcomers: i64,
    open: i64,
    completed: i64,
    overdue: i64,
    meeting_target: i64,
}

async fn unit_progress(ctx: &Ctx, scope: &Scope, out: &mut Output) -> Result<(), AppError> {
    let l = ctx.locale;
    let units = unit_tree(&ctx.db).await?;
    let parents: HashMap<i64, Option<i64>> = units.iter().map(|u| (u.id, u.parent_id)).collect();
    let unit_names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let since = ctx.today - chrono::Days::new(u64::from(ctx.newcomer_days));
    // One counter per unit, filled batch by batch.
    let mut totals: HashMap<i64, UnitTotals> = HashMap::new();
    for_each_batch!(ctx, |after| people_after(ctx, scope, after), |batch| {
        for p in &batch {
            let t = totals.entry(p.e.unit_id).or_default();
            t.people += 1;
            if p.latest_tmt
                .is_some_and(|tmt| tmt >= since && tmt <= ctx.today)
            {
                t.newcomers += 1;
            }
            t.open += p.open;
            t.completed += p.completed;
            t.overdue += p.overdue;
            if p.jp >= ctx.jp_target {
                t.meeting_target += 1;
            }
        }
    });
    out.csv.header(&headers!(l, exports.unit_progress: [
        id, name, path, people, newcomers, open, completed, overdue, percent, meeting_target,
    ]))?;
    let nodes = tree_nodes(&units, scope);
    let empty = UnitTotals::default();
    for (i, _) in crate::domain::org::depth_first(&nodes) {
        let u = &nodes[i];
        let path: Vec<&str> = path_of(&parents, u.id)
            .iter()
            .rev()
            .filter_map(|id| unit_names.get(id).copied())
            .collect();
        let path = path.join(" / ");
        let t = totals.get(&u.id).unwrap_or(&empty);
        out.csv.row(&[
            Cell::Int(u.id),
            Cell::Text(&u.name),
            Cell::Text(&path),
            Cell::Int(t.people),
            Cell::Int(t.newcomers),
            Cell::Int(t.open),
            Cell::Int(t.completed),
            Cell::Int(t.overdue),
            percent(t.completed, t.completed + t.open).map_or(Cell::Empty, Cell::Int),
            Cell::Int(t.meeting_target),
        ])?;
    }
    Ok(())
}

/// People by id, for a batch of rows about them.
async fn people_by_id(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, employee::Model>, AppError> {
    let ids: HashSet<i64> = ids.into_iter().collect();
    let q = employee::Entity::find().filter(employee::Column::Id.is_in(ids));
    by_id(db, q, |e| (e.id, e)).await
}

async fn history(ctx: &Ctx, scope: &Scope, f: &Filters, out: &mut Output) -> Result<(), AppError> {
    let courses = courses(&ctx.db).await?;
    out.csv.header(&SIASN_HEADERS)?;
    let mut q = scope.narrow(completion::Entity::find(), completion::Column::EmployeeId);
    if let Some(d) = f.from {
        q = q.filter(completion::Column::CompletedOn.gte(d));
    }
    if let Some(d) = f.until {
        q = q.filter(completion::Column::CompletedOn.lte(d));
    }
    let next = |after| rows_after(ctx, q.clone(), completion::Column::Id, after);
    for_each_batch!(ctx, next, |batch| {
        let who = people_by_id(&ctx.db, batch.iter().map(|c| c.employee_id)).await?;
        for c in &batch {
            let e = who.get(&c.employee_id);
            let course = courses.get(&c.course_id);
            let organiser = if c.organiser.trim().is_empty() {
                course.map_or("", |k| k.provider.as_str())
            } else {
                c.organiser.as_str()
            };
            out.csv.row(&[
                Cell::Text(e.map_or("", |e| e.nip.as_str())),
                Cell::Text(e.map_or("", |e| e.name.as_str())),
                Cell::Text(course.map_or("", |k| k.code.as_str())),
                Cell::Text(course.map_or("", |k| k.title_id.as_str())),
                Cell::Date(c.completed_on),
                Cell::Int(c.completed_on.year().into()),
                Cell::Num(c.jp),
                Cell::Text(organiser),
                Cell::Text(&c.certificate_no),
                c.score.map_or(Cell::Empty, Cell::Num),
            ])?;
        }
        out.batch_done().await?;
    });
    Ok(())
}

async fn overdue(ctx: &Ctx, scope: &Scope, out: &mut Output) -> Result<(), AppError> {
    let l = ctx.locale;
    let units = unit_names(&ctx.db).await?;
    let courses = courses(&ctx.db).await?;
    out.csv.header(&headers!(l, exports.overdue: [
        nip, name, unit, course_code, course, due, days, supervisor, supervisor_nip,
    ]))?;
    let q = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
        .filter(assignment::Column::DueDate.lt(ctx.today));
    let q = scope.narrow(q, assignment::Column::EmployeeId);
    let next = |after| rows_after(ctx, q.clone(), assignment::Column::Id, after);
    for_each_batch!(ctx, next, |batch| {
        let who = people_by_id(&ctx.db, batch.iter().map(|a| a.employee_id)).await?;
        let bosses = people_by_id(&ctx.db, who.values().filter_map(|e| e.supervisor_id)).await?;
        for a in &batch {
            let e = who.get(&a.employee_id);
            let boss = e.and_then(|e| e.supervisor_id).and_then(|s| bosses.get(&s));
            let course = courses.get(&a.course_id);
            let title = course.map_or("", |k| k.title_in(l));
            out.csv.row(&[
                Cell::Text(e.map_or("", |e| e.nip.as_str())),
                Cell::Text(e.map_or("", |e| e.name.as_str())),
                Cell::Text(
                    e.and_then(|e| units.get(&e.unit_id))
                        .map_or("", String::as_str),
                ),
                Cell::Text(course.map_or("", |k| k.code.as_str())),
                Cell::Text(title),
                Cell::Date(a.due_date),
                Cell::Int((ctx.today - a.due_date).num_days()),
                Cell::Text(boss.map_or("", |b| b.name.as_str())),
                Cell::Text(boss.map_or("", |b| b.nip.as_str())),
            ])?;
        }
        out.batch_done().await?;
    });
    Ok(())
}

/// The first instant of a local day, in UTC.
fn start_of_day(d: NaiveDate, tz: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    let naive = d.and_time(chrono::NaiveTime::MIN);
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| naive.and_utc())
}

async fn audit(ctx: &Ctx, f: &Filters, out: &mut Output) -> Result<(), AppError> {
    let l = ctx.locale;
    let at = td_string!(l, exports.audit.at, zone = ctx.tz.name()).to_string();
    let mut names = vec![at.as_str()];
    names.extend(headers!(l, exports.audit: [actor, action, entity, entity_id, before, after]));
    out.csv.header(&names)?;
    let mut q = audit_entry::Entity::find();
    if let Some(d) = f.from {
        q = q.filter(audit_entry::Column::At.gte(start_of_day(d, ctx.tz)));
    }
    if let Some(d) = f.until {
        let before = start_of_day(d + chrono::Days::new(1), ctx.tz);
        q = q.filter(audit_entry::Column::At.lt(before));
    }
    if !f.actor.is_empty() {
        q = q.filter(crate::backend::people::search::lower_contains(
            (audit_entry::Entity, audit_entry::Column::Actor),
            &f.actor,
        ));
    }
    if !f.entity.is_empty() {
        q = q.filter(audit_entry::Column::Entity.eq(f.entity.as_str()));
    }
    if !f.action.is_empty() {
        q = q.filter(audit_entry::Column::Action.eq(f.action.as_str()));
    }
    let next = |after| rows_after(ctx, q.clone(), audit_entry::Column::Id, after);
    for_each_batch!(ctx, next, |batch| {
        for a in &batch {
            out.csv.row(&[
                Cell::DateTime(a.at.with_timezone(&ctx.tz).naive_local()),
                Cell::Text(&a.actor),
                Cell::Text(&a.action),
                Cell::Text(&a.entity),
                Cell::Int(a.entity_id),
                Cell::Text(a.before.as_deref().unwrap_or("")),
                Cell::Text(a.after.as_deref().unwrap_or("")),
            ])?;
        }
        out.batch_done().await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_read_and_checked() {
        let raw = RawFilters {
            unit: " 12 ".into(),
            dari: "2026-01-01".into(),
            sampai: "31-01-2026".into(),
            pemisah: "titikkoma".into(),
            aktor: " Maya ".into(),
            ..Default::default()
        };
        let f = raw.parse().unwrap();
        assert_eq!(f.unit, Some(12));
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(f.until, NaiveDate::from_ymd_opt(2026, 1, 31));
        assert!(f.semicolon);
        assert_eq!(f.actor, "maya");
        let bad_unit = RawFilters {
            unit: "satu".into(),
            ..Default::default()
        };
        assert_eq!(bad_unit.parse().unwrap_err().field(), Some("unit"));
        let backwards = RawFilters {
            dari: "2026-02-01".into(),
            sampai: "2026-01-01".into(),
            ..Default::default()
        };
        assert_eq!(backwards.parse().unwrap_err().field(), Some("sampai"));
        let empty = RawFilters::default().parse().unwrap();
        assert_eq!(
            (empty.unit, empty.from, empty.semicolon),
            (None, None, false)
        );
    }

    #[test]
    fn a_local_day_starts_at_midnight_in_the_office() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        assert_eq!(
            start_of_day(d, chrono_tz::Asia::Jakarta).to_rfc3339(),
            "2026-01-09T17:00:00+00:00"
        );
    }

    #[test]
    fn percent_is_whole_and_absent_without_work() {
        assert_eq!(percent(2, 3), Some(67));
        assert_eq!(percent(0, 0), None);
        assert_eq!(percent(5, 5), Some(100));
    }

    #[test]
    fn paths_stop_at_a_cycle() {
        let units = crate::domain::org::tree_with_a_cycle();
        assert_eq!(path_of(&units, 3), vec![3, 2, 1]);
        assert_eq!(path_of(&units, 4), vec![4, 5]);
    }
}
