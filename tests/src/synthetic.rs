//! Test data, not product data: a large, realistic organisation for scale
//! tests, benchmarks and load tests (issue 8), on top of the demo data (its
//! positions, courses and rules). Run as `jejak-synth` (this crate's binary)
//! or called from tests; the production `jejak` binary does not hold it.
//!
//! A province (Pemerintah Provinsi Sumatera Utara) with its agencies, one
//! large Dinas Pendidikan (about 2,000 people, for the manager's dashboard)
//! and up to 32 cities and regencies, each with agencies (bidang, seksi) and
//! kecamatan (seksi, kelurahan): depth 4–5. Every unit has a head (while the
//! people last), who supervises its staff. Transfers in every state; the
//! completed ones get their plans from the real generator through the bulk
//! path (`transfers::complete_many`), after some imported training history
//! (so some assignments are recognised). Then part of the work is completed,
//! started or waived, and older check-ins written.
//!
//! Deterministic for a given `--seed` and day (dates are relative to today).
//! Units, employees and transfers are written with ids chosen here, so
//! nothing has to be read back; PostgreSQL's identity sequences are moved
//! past them afterwards. Refuses a database that already holds a synthetic
//! organisation (the province's unit is the mark).

use std::{
    collections::{HashMap, HashSet},
    path::Path,
    time::Instant,
};

use chrono::{Datelike, Days, NaiveDate, Utc};
use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;

use app::{
    backend::{
        access::password,
        config::Config,
        entities::{
            account, assignment, checkin, completion, course, employee, plan, position, transfer,
            unit,
        },
        {
            access::accounts::{self, RoleGrant, RoleKind},
            audit,
            bulk::insert_all,
            training::catalogue,
            transfers,
        },
    },
    domain::{
        nip::{AsnKind, Nip},
        plan::PositionKind,
    },
};

use jejak::seed::accounts::DEMO_PASSWORD;

const ACTOR: &str = "seed";
pub const PROVINCE: &str = "Pemerintah Provinsi Sumatera Utara";
pub const BIG_UNIT: &str = "Dinas Pendidikan";
pub const LOGINS_FILE: &str = "synthetic-logins.json";
/// Transfers completed per transaction by `complete_many`.
const COMPLETE_CHUNK: usize = 2_000;
/// Rows per write transaction for the plain inserts.
const TXN_ROWS: usize = 50_000;
/// Employees with a plan who get an account (the load test's sign-ins).
const PLAN_ACCOUNTS: usize = 50;

/// What `jejak-synth` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub employees: usize,
    pub transfers: usize,
    pub seed: u64,
}

/// The default number of transfers: two per employee, which with the demo's
/// rules gives about ten assignments per employee (100,000 → ~1,000,000).
pub fn default_transfers(employees: usize) -> usize {
    employees * 2
}

// ---------------------------------------------------------------- running

/// Opens the database for the seed (SQLite: one connection, so the speed
/// settings apply to every statement), seeds, and prints the summary.
pub async fn run(config: &Config, today: NaiveDate, opts: Options) -> anyhow::Result<()> {
    let started = Instant::now();
    let sqlite = config.effective_database_url().starts_with("sqlite:");
    let mut config = config.clone();
    if sqlite {
        config.database_max_connections = 1;
    }
    let db = jejak::startup::open_database(&config).await?;
    refuse_if_seeded(&db).await?;
    let progress = Progress(started);
    let summary = jejak::seed::everything(&db, today, &config.checkin_days).await?;
    progress.step(&format!("data demo / demo data: {}", first_line(&summary)));
    if sqlite {
        sqlite_fast_writes(&db, true).await?;
    }
    let result = seed(&db, &config, today, opts, &progress).await;
    if sqlite {
        sqlite_fast_writes(&db, false).await?;
    }
    let report = result?;
    let counts = Counts::read(&db).await?;
    print!(
        "{}",
        report.describe(&counts, started.elapsed().as_secs_f64())
    );
    db.close().await?;
    Ok(())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

async fn refuse_if_seeded(db: &DatabaseConnection) -> anyhow::Result<()> {
    let seeded = unit::Entity::find()
        .filter(unit::Column::Name.eq(PROVINCE))
        .filter(unit::Column::ParentId.is_null())
        .count(db)
        .await?
        > 0;
    if seeded {
        anyhow::bail!(
            "database ini sudah berisi organisasi sintetis ({PROVINCE}); gunakan database baru / \
             this database already holds a synthetic organisation; use a fresh one"
        );
    }
    Ok(())
}

/// SQLite only, for the seed's duration: no fsync (a crash mid-seed means
/// seeding again anyway) and a 256 MiB page cache; back to the server's
/// settings afterwards.
async fn sqlite_fast_writes(db: &DatabaseConnection, on: bool) -> anyhow::Result<()> {
    let sql = if on {
        "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
    } else {
        "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000;"
    };
    db.execute_unprepared(sql).await?;
    Ok(())
}

/// Elapsed time in front of each line.
struct Progress(Instant);

impl Progress {
    fn step(&self, what: &str) {
        println!("[{:6.1} s] {what}", self.0.elapsed().as_secs_f64());
    }
}

/// The whole synthetic organisation, written in stages.
async fn seed(
    db: &DatabaseConnection,
    config: &Config,
    today: NaiveDate,
    opts: Options,
    progress: &Progress,
) -> anyhow::Result<Report> {
    let mut rng = Rng::new(opts.seed);
    let ids = NextIds::read(db).await?;
    let positions = Positions::ensure(db).await?;
    let org = Org::build(ids.unit, opts.employees);
    let people =
        People::generate(db, &org, &positions, &mut rng, opts, ids.employee, today).await?;
    progress.step(&format!(
        "rencana / planned: {} unit, {} pegawai, {} mutasi",
        org.units.len(),
        people.people.len(),
        people.transfer_count()
    ));
    write_units(db, &org).await?;
    write_employees(db, &people).await?;
    progress.step("unit dan pegawai ditulis / units and employees written");
    let to_complete = write_transfers(db, &people, ids.transfer).await?;
    sync_sequences(db).await?;
    let courses = Courses::read(db).await?;
    let history = write_history(db, &people, &courses, &mut rng, today).await?;
    progress.step(&format!(
        "mutasi dan riwayat pelatihan ditulis / transfers and {history} history records written"
    ));
    let bulk = transfers::complete_many(
        db,
        ACTOR,
        &to_complete,
        today,
        COMPLETE_CHUNK,
        &config.checkin_days,
    )
    .await?;
    progress.step(&format!(
        "{} mutasi diselesaikan, {} penugasan dari generator rencana / transfers completed, assignments generated",
        bulk.completed, bulk.assignments
    ));
    let work = progress_work(db, &courses, ids.employee, opts.seed, today).await?;
    let written = write_checkins(db, ids.transfer, today).await?;
    progress.step(&format!(
        "penugasan: {} selesai, {} berjalan, {} dibebaskan; {written} check-in ditulis / work done",
        work.completed, work.in_progress, work.waived
    ));
    let logins = open_accounts(db, &org, &people, today).await?;
    let file = write_logins(&config.data_dir, &logins)?;
    progress.step(&format!("akun dan {} / accounts", file.display()));
    // A bulk load leaves the planner without statistics (SQLite has none
    // until ANALYZE; PostgreSQL's autovacuum comes later): the first
    // queries would plan as for empty tables.
    db.execute_unprepared("ANALYZE").await?;
    progress.step("statistik diperbarui (ANALYZE) / statistics refreshed");
    Ok(Report { logins })
}

// ---------------------------------------------------------------- randomness

/// SplitMix64: small, fast, the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x6a65_6a61_6b5f_7379)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).unwrap_or(d)
}

fn days_after(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

// ---------------------------------------------------------------- ids

/// The first free id of the tables written with explicit ids.
struct NextIds {
    unit: i64,
    employee: i64,
    transfer: i64,
}

impl NextIds {
    async fn read(db: &DatabaseConnection) -> anyhow::Result<Self> {
        Ok(NextIds {
            unit: max_id::<unit::Entity, _>(db, unit::Column::Id).await? + 1,
            employee: max_id::<employee::Entity, _>(db, employee::Column::Id).await? + 1,
            transfer: max_id::<transfer::Entity, _>(db, transfer::Column::Id).await? + 1,
        })
    }
}

async fn max_id<E: EntityTrait, C: ColumnTrait>(
    db: &DatabaseConnection,
    col: C,
) -> anyhow::Result<i64> {
    use sea_orm::ExprTrait;
    let max: Option<Option<i64>> = E::find()
        .select_only()
        .column_as(Expr::col(col).max(), "m")
        .into_tuple()
        .one(db)
        .await?;
    Ok(max.flatten().unwrap_or(0))
}

/// PostgreSQL: move the identity sequences past the ids written here.
async fn sync_sequences(db: &DatabaseConnection) -> anyhow::Result<()> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in ["units", "employees", "transfers", "completions"] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
             (SELECT COALESCE(MAX(id), 1) FROM {table}))"
        ))
        .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------- positions

/// The managerial positions added to the demo's (the demo has only the
/// kecamatan's): (name, kind, job family).
const HEAD_POSITIONS: &[(&str, PositionKind, &str)] = &[
    ("Sekretaris Daerah", PositionKind::Jpt, "Pemerintahan"),
    ("Kepala Dinas", PositionKind::Jpt, "Administrasi Umum"),
    (
        "Sekretaris Dinas",
        PositionKind::Administrator,
        "Administrasi Umum",
    ),
    (
        "Kepala Bidang",
        PositionKind::Administrator,
        "Administrasi Umum",
    ),
    (
        "Kepala Cabang Dinas",
        PositionKind::Administrator,
        "Pendidikan",
    ),
    ("Kepala Seksi", PositionKind::Pengawas, "Administrasi Umum"),
    (
        "Kepala Sub Bagian",
        PositionKind::Pengawas,
        "Administrasi Umum",
    ),
    ("Lurah", PositionKind::Pengawas, "Pemerintahan"),
];

/// The demo's staff positions with how common each is (out of 100).
const STAFF_POSITIONS: &[(&str, usize)] = &[
    ("Pranata Komputer Ahli Pertama", 12),
    ("Pranata Komputer Terampil", 10),
    ("Pengelola Sistem dan Jaringan", 10),
    ("Analis Keuangan", 12),
    ("Bendahara Pengeluaran", 10),
    ("Pengadministrasi Keuangan", 14),
    ("Pengadministrasi Umum", 14),
    ("Pengolah Data Kependudukan", 10),
    ("Analis Kepegawaian Ahli Pertama", 8),
];

struct Positions {
    by_name: HashMap<String, i64>,
    /// Staff position ids, each repeated by its weight.
    staff: Vec<i64>,
}

impl Positions {
    async fn ensure(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let mut by_name: HashMap<String, i64> = position::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|p| (p.name, p.id))
            .collect();
        for (name, kind, family) in HEAD_POSITIONS {
            if !by_name.contains_key(*name) {
                let p = catalogue::create_position(db, name, *kind, family, &[]).await?;
                by_name.insert(p.name, p.id);
            }
        }
        let mut staff = Vec::new();
        for (name, weight) in STAFF_POSITIONS {
            let id = *by_name
                .get(*name)
                .ok_or_else(|| anyhow::anyhow!("demo position missing: {name}"))?;
            staff.extend(std::iter::repeat_n(id, *weight));
        }
        Ok(Positions { by_name, staff })
    }

    fn id(&self, name: &str) -> i64 {
        // Every name asked for is a demo or HEAD_POSITIONS name, ensured above.
        self.by_name.get(name).copied().unwrap_or(self.staff[0])
    }

    /// The position of the head of a unit of this kind.
    fn head(&self, u: &UnitPlan) -> i64 {
        self.id(match u.kind {
            Kind::Government => "Sekretaris Daerah",
            Kind::Agency => "Kepala Dinas",
            Kind::Secretariat => "Sekretaris Dinas",
            Kind::Bidang => "Kepala Bidang",
            Kind::Cabang => "Kepala Cabang Dinas",
            Kind::Seksi if u.name == "Seksi Pemerintahan" => "Kepala Seksi Pemerintahan",
            Kind::Seksi => "Kepala Seksi",
            Kind::SubBagian => "Kepala Sub Bagian",
            Kind::Kecamatan => "Camat",
            Kind::KecamatanSecretariat => "Sekretaris Kecamatan",
            Kind::Kelurahan => "Lurah",
        })
    }
}

// ---------------------------------------------------------------- the unit tree

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Government,
    Agency,
    Secretariat,
    Bidang,
    Cabang,
    Seksi,
    SubBagian,
    Kecamatan,
    KecamatanSecretariat,
    Kelurahan,
}

struct UnitPlan {
    id: i64,
    parent: Option<i64>,
    name: String,
    kind: Kind,
}

/// The unit tree, parents before children.
struct Org {
    units: Vec<UnitPlan>,
    /// The large dinas and every unit under it.
    big: i64,
    big_subtree: HashSet<i64>,
    /// The province's personnel agency (the administrator works there).
    personnel: i64,
}

impl Org {
    fn build(first_id: i64, employees: usize) -> Org {
        let mut b = TreeBuilder {
            next: first_id,
            units: Vec::new(),
        };
        let root = b.add(None, PROVINCE, Kind::Government);
        let personnel = b.agencies(root, true);
        let big = b.big_dinas(root);
        let regencies = (employees / 3_000).clamp(2, REGENCIES.len());
        for (r, name) in REGENCIES.iter().take(regencies).enumerate() {
            let gov = b.add(Some(root), &format!("Pemerintah {name}"), Kind::Government);
            b.agencies(gov, false);
            b.kecamatan(gov, r);
        }
        let big_subtree = subtree(&b.units, big);
        Org {
            units: b.units,
            big,
            big_subtree,
            personnel,
        }
    }

    fn get(&self, id: i64) -> Option<&UnitPlan> {
        let first = self.units.first()?.id;
        self.units.get(usize::try_from(id - first).ok()?)
    }
}

fn subtree(units: &[UnitPlan], top: i64) -> HashSet<i64> {
    let mut set = HashSet::from([top]);
    // Parents come before children, so one pass finds every descendant.
    for u in units {
        if u.parent.is_some_and(|p| set.contains(&p)) {
            set.insert(u.id);
        }
    }
    set
}

struct TreeBuilder {
    next: i64,
    units: Vec<UnitPlan>,
}

impl TreeBuilder {
    fn add(&mut self, parent: Option<i64>, name: &str, kind: Kind) -> i64 {
        let id = self.next;
        self.next += 1;
        self.units.push(UnitPlan {
            id,
            parent,
            name: name.to_string(),
            kind,
        });
        id
    }

    /// A government's agencies; returns the personnel agency's id. The
    /// province's education agency is the large one, added separately.
    fn agencies(&mut self, gov: i64, province: bool) -> i64 {
        let mut personnel = gov;
        for (name, bidang) in AGENCIES {
            if province && *name == BIG_UNIT {
                continue;
            }
            let agency = self.agency(gov, name, bidang);
            if name.starts_with("Badan Kepegawaian") {
                personnel = agency;
            }
        }
        personnel
    }

    fn agency(&mut self, parent: i64, name: &str, bidang: &[&str]) -> i64 {
        let agency = self.add(Some(parent), name, Kind::Agency);
        let sekretariat = self.add(Some(agency), "Sekretariat", Kind::Secretariat);
        for sub in SUB_BAGIAN {
            self.add(Some(sekretariat), sub, Kind::SubBagian);
        }
        for b in bidang {
            let bid = self.add(Some(agency), b, Kind::Bidang);
            for s in SEKSI {
                self.add(Some(bid), s, Kind::Seksi);
            }
        }
        agency
    }

    /// The province's education agency with its regional branches: the
    /// ~2,000-person unit of the manager's dashboard.
    fn big_dinas(&mut self, root: i64) -> i64 {
        let dinas = self.agency(root, BIG_UNIT, BIG_BIDANG);
        for roman in ROMAN {
            let cabang = self.add(
                Some(dinas),
                &format!("Cabang Dinas Pendidikan Wilayah {roman}"),
                Kind::Cabang,
            );
            for s in ["Seksi SMA", "Seksi SMK", "Seksi Pendidikan Khusus"] {
                self.add(Some(cabang), s, Kind::Seksi);
            }
        }
        dinas
    }

    fn kecamatan(&mut self, gov: i64, regency: usize) {
        for k in 0..KECAMATAN_PER_REGENCY {
            let stem = PLACES[(regency * KECAMATAN_PER_REGENCY + k) % PLACES.len()];
            let kec = self.add(Some(gov), &format!("Kecamatan {stem}"), Kind::Kecamatan);
            self.add(
                Some(kec),
                "Sekretariat Kecamatan",
                Kind::KecamatanSecretariat,
            );
            for s in KECAMATAN_SEKSI {
                self.add(Some(kec), s, Kind::Seksi);
            }
            for j in 0..KELURAHAN_PER_KECAMATAN {
                let at = (regency * 31 + k * KELURAHAN_PER_KECAMATAN + j) % KELURAHAN.len();
                self.add(
                    Some(kec),
                    &format!("Kelurahan {}", KELURAHAN[at]),
                    Kind::Kelurahan,
                );
            }
        }
    }
}

// ---------------------------------------------------------------- people

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    unit: i64,
    position: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MoveState {
    /// Written as approved, then completed by `complete_many`.
    Completed,
    Cancelled,
    Draft,
    Approved,
}

struct Move {
    to: Place,
    tmt: NaiveDate,
    state: MoveState,
}

struct Person {
    id: i64,
    nip: String,
    kind: AsnKind,
    name: String,
    email: String,
    golongan: Option<String>,
    language: &'static str,
    start: Place,
    supervisor: Option<i64>,
    head: bool,
    /// Completed moves in TMT order, then a cancelled one, then an open one.
    moves: Vec<Move>,
}

impl Person {
    fn final_place(&self) -> Place {
        self.last_completed().map(|m| m.to).unwrap_or(self.start)
    }

    fn last_completed(&self) -> Option<&Move> {
        self.moves
            .iter()
            .rev()
            .find(|m| m.state == MoveState::Completed)
    }

    /// The TMT of the last completed move (a newcomer has a recent one).
    fn last_tmt(&self) -> Option<NaiveDate> {
        self.last_completed().map(|m| m.tmt)
    }
}

struct People {
    people: Vec<Person>,
}

/// How many transfers of each kind each person gets.
#[derive(Default, Clone, Copy)]
struct Quota {
    completed: u32,
    cancelled: bool,
    open: Option<MoveState>,
}

impl People {
    async fn generate(
        db: &DatabaseConnection,
        org: &Org,
        positions: &Positions,
        rng: &mut Rng,
        opts: Options,
        first_id: i64,
        today: NaiveDate,
    ) -> anyhow::Result<People> {
        let mut nips: HashSet<String> = employee::Entity::find()
            .select_only()
            .column(employee::Column::Nip)
            .into_tuple::<String>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let finals = place_people(org, positions, rng, opts.employees);
        let quotas = quotas(rng, opts.employees, opts.transfers);
        let staff_units = staff_units(org);
        let mut people = Vec::with_capacity(finals.len());
        for (i, ((final_place, head), quota)) in finals.into_iter().zip(quotas).enumerate() {
            let (start, moves) = moves_for(rng, final_place, quota, &staff_units, positions, today);
            let id = first_id + i as i64;
            let first_tmt = moves.iter().map(|m| m.tmt).min().unwrap_or(today);
            people.push(person(
                rng, id, start, head, moves, first_tmt, today, &mut nips,
            ));
        }
        assign_supervisors(org, &mut people);
        Ok(People { people })
    }

    fn transfer_count(&self) -> usize {
        self.people.iter().map(|p| p.moves.len()).sum()
    }
}

/// Units where staff work (not the governments themselves).
fn staff_units(org: &Org) -> Vec<i64> {
    org.units
        .iter()
        .filter(|u| u.kind != Kind::Government)
        .map(|u| u.id)
        .collect()
}

/// Where each person ends up, and whether as the unit's head: heads first
/// (one per unit, in tree order, up to a third of the people), then the
/// large dinas filled to its size, then everyone else spread over the rest.
fn place_people(org: &Org, positions: &Positions, rng: &mut Rng, n: usize) -> Vec<(Place, bool)> {
    let mut out = Vec::with_capacity(n);
    for u in org.units.iter().take(n / 3) {
        out.push((
            Place {
                unit: u.id,
                position: positions.head(u),
            },
            true,
        ));
    }
    let big_size = (n / 10).min(2_000);
    let in_big = out
        .iter()
        .filter(|(p, _)| org.big_subtree.contains(&p.unit))
        .count();
    let mut big_units: Vec<i64> = org.big_subtree.iter().copied().collect();
    big_units.sort_unstable();
    let others: Vec<i64> = staff_units(org)
        .into_iter()
        .filter(|u| !org.big_subtree.contains(u))
        .collect();
    let mut big_left = big_size.saturating_sub(in_big);
    while out.len() < n {
        let pool = if big_left > 0 { &big_units } else { &others };
        big_left = big_left.saturating_sub(1);
        out.push((
            Place {
                unit: *rng.pick(pool),
                position: *rng.pick(&positions.staff),
            },
            false,
        ));
    }
    out
}

/// Exactly `transfers` transfers over `n` people: 4 % drafts, 4 % approved
/// and 5 % cancelled (at most one of each kind per person, on distinct
/// people), the rest completed, spread at random (some people never moved,
/// some moved several times).
fn quotas(rng: &mut Rng, n: usize, transfers: usize) -> Vec<Quota> {
    let mut q = vec![Quota::default(); n];
    if n == 0 {
        return q;
    }
    let drafts = (transfers * 4 / 100).min(n / 3);
    let approved = (transfers * 4 / 100).min(n / 3);
    let cancelled = (transfers * 5 / 100).min(n / 3);
    let completed = transfers - drafts - approved - cancelled;
    let mut order: Vec<usize> = (0..n).collect();
    shuffle(rng, &mut order);
    for (k, &i) in order.iter().take(drafts + approved).enumerate() {
        q[i].open = Some(if k < drafts {
            MoveState::Draft
        } else {
            MoveState::Approved
        });
    }
    shuffle(rng, &mut order);
    for &i in order.iter().take(cancelled) {
        q[i].cancelled = true;
    }
    for _ in 0..completed {
        q[rng.below(n as u64) as usize].completed += 1;
    }
    q
}

fn shuffle<T>(rng: &mut Rng, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        xs.swap(i, rng.below(i as u64 + 1) as usize);
    }
}

fn random_place(rng: &mut Rng, units: &[i64], positions: &Positions, not: Place) -> Place {
    loop {
        let p = Place {
            unit: *rng.pick(units),
            position: *rng.pick(&positions.staff),
        };
        if p.unit != not.unit {
            return p;
        }
    }
}

/// A person's first place and moves: completed ones ending at
/// `final_place` (for a third of the people who moved, within the last 180
/// days), each posting 1–4 years before the next; then a cancelled and an
/// open one, both from the final place.
fn moves_for(
    rng: &mut Rng,
    final_place: Place,
    quota: Quota,
    units: &[i64],
    positions: &Positions,
    today: NaiveDate,
) -> (Place, Vec<Move>) {
    let mut moves = Vec::new();
    let mut to = final_place;
    let mut tmt = if rng.percent(35) {
        days_before(today, rng.range(5, 180))
    } else {
        days_before(today, rng.range(181, 1_800))
    };
    let last_tmt = tmt;
    for _ in 0..quota.completed {
        moves.push(Move {
            to,
            tmt,
            state: MoveState::Completed,
        });
        // Where this move started from: the previous posting.
        to = random_place(rng, units, positions, to);
        tmt = days_before(tmt, rng.range(365, 1_460));
    }
    let start = to;
    moves.reverse();
    if quota.cancelled {
        let after = if quota.completed > 0 {
            last_tmt
        } else {
            days_before(today, 400)
        };
        let span = (today - after).num_days().max(2) as u64;
        moves.push(Move {
            to: random_place(rng, units, positions, final_place),
            tmt: days_after(after, rng.range(1, span)),
            state: MoveState::Cancelled,
        });
    }
    if let Some(state) = quota.open {
        let tmt = match state {
            MoveState::Draft => days_after(today, rng.range(7, 60)),
            _ => days_after(days_before(today, 3), rng.range(0, 33)),
        };
        moves.push(Move {
            to: random_place(rng, units, positions, final_place),
            tmt,
            state,
        });
    }
    (start, moves)
}

#[allow(clippy::too_many_arguments)]
fn person(
    rng: &mut Rng,
    id: i64,
    start: Place,
    head: bool,
    moves: Vec<Move>,
    first_tmt: NaiveDate,
    today: NaiveDate,
    nips: &mut HashSet<String>,
) -> Person {
    let kind = if !head && rng.percent(8) {
        AsnKind::Pppk
    } else {
        AsnKind::Pns
    };
    let (nip, appointed, female) = unique_nip(rng, first_tmt.min(today), today, kind, nips);
    let first = *rng.pick(if female { FIRST_F } else { FIRST_M });
    let last = *rng.pick(LAST);
    let name = match last {
        "" => format!("{first}{}", rng.pick(TITLES)),
        l => format!("{first} {l}{}", rng.pick(TITLES)),
    };
    let email = format!(
        "{}.{}{id}@sumutprov.example",
        first.to_lowercase(),
        last.to_lowercase()
    );
    Person {
        id,
        nip,
        kind,
        name,
        email,
        golongan: (kind == AsnKind::Pns).then(|| golongan(appointed, today, head)),
        language: if rng.percent(5) { "en" } else { "id" },
        start,
        supervisor: None,
        head,
        moves,
    }
}

/// A valid NIP not used yet: appointed at least a year before `before`,
/// at 22–35 years of age, born 1966 or later. Returns it with the
/// appointment date and whether the person is a woman.
fn unique_nip(
    rng: &mut Rng,
    before: NaiveDate,
    today: NaiveDate,
    kind: AsnKind,
    nips: &mut HashSet<String>,
) -> (String, NaiveDate, bool) {
    let cap = days_before(before, 365);
    loop {
        let birth_year = rng.range(1966, (cap.year() - 22).max(1966) as u64) as i32;
        let latest = (birth_year + 35).min(cap.year());
        let year = rng.range((birth_year + 22) as u64, latest.max(birth_year + 22) as u64) as i32;
        let months = if year == cap.year() { cap.month() } else { 12 };
        let month = rng.range(1, months as u64) as u32;
        let female = rng.percent(45);
        let nip = format!(
            "{birth_year:04}{:02}{:02}{year:04}{month:02}{}{:03}",
            rng.range(1, 12),
            rng.range(1, 28),
            if female { 2 } else { 1 },
            rng.range(1, 999)
        );
        if nips.contains(&nip) || Nip::parse(&nip, kind, today).is_err() {
            continue;
        }
        nips.insert(nip.clone());
        let appointed = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(cap);
        return (nip, appointed, female);
    }
}

/// The rank that usually goes with the years of service (heads a step up).
fn golongan(appointed: NaiveDate, today: NaiveDate, head: bool) -> String {
    let years = (today - appointed).num_days() / 365 + if head { 6 } else { 0 };
    match years {
        0..=3 => "III/a",
        4..=7 => "III/b",
        8..=11 => "III/c",
        12..=15 => "III/d",
        16..=19 => "IV/a",
        20..=25 => "IV/b",
        _ => "IV/c",
    }
    .into()
}

/// Each person's supervisor: the head of their final unit, or of the
/// nearest unit above it with a head (a head's is the head above).
fn assign_supervisors(org: &Org, people: &mut [Person]) {
    let heads: HashMap<i64, i64> = people
        .iter()
        .filter(|p| p.head)
        .map(|p| (p.final_place().unit, p.id))
        .collect();
    for p in people.iter_mut() {
        let mut unit = Some(p.final_place().unit);
        if p.head {
            unit = unit.and_then(|u| org.get(u)).and_then(|u| u.parent);
        }
        while let Some(u) = unit {
            if let Some(&h) = heads.get(&u) {
                p.supervisor = (h != p.id).then_some(h);
                break;
            }
            unit = org.get(u).and_then(|x| x.parent);
        }
    }
}

// ---------------------------------------------------------------- writing

/// Inserts rows in transactions of `TXN_ROWS`, each as few statements as
/// the database allows.
async fn insert_in_transactions<A>(db: &DatabaseConnection, rows: Vec<A>) -> anyhow::Result<()>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(TXN_ROWS).collect();
        let txn = app::backend::db::begin_write(db).await?;
        insert_all(&txn, part).await?;
        txn.commit().await?;
    }
    Ok(())
}

async fn write_units(db: &DatabaseConnection, org: &Org) -> anyhow::Result<()> {
    let now = Utc::now();
    let rows = org
        .units
        .iter()
        .map(|u| unit::ActiveModel {
            id: Set(u.id),
            parent_id: Set(u.parent),
            name: Set(u.name.clone()),
            created_at: Set(now),
        })
        .collect();
    insert_in_transactions(db, rows).await
}

async fn write_employees(db: &DatabaseConnection, people: &People) -> anyhow::Result<()> {
    let now = Utc::now();
    let rows = people
        .people
        .iter()
        .map(|p| employee::ActiveModel {
            id: Set(p.id),
            nip: Set(p.nip.clone()),
            asn_kind: Set(match p.kind {
                AsnKind::Pns => "pns".into(),
                AsnKind::Pppk => "pppk".into(),
            }),
            name: Set(p.name.clone()),
            email: Set(Some(p.email.clone())),
            unit_id: Set(p.start.unit),
            created_at: Set(now),
            golongan: Set(p.golongan.clone()),
            language: Set(p.language.into()),
            position_id: Set(Some(p.start.position)),
            supervisor_id: Set(p.supervisor),
        })
        .collect();
    insert_in_transactions(db, rows).await
}

/// Writes every person's transfers (the ones to complete as approved);
/// returns the ids to complete.
async fn write_transfers(
    db: &DatabaseConnection,
    people: &People,
    first_id: i64,
) -> anyhow::Result<Vec<i64>> {
    let now = Utc::now();
    let mut rows = Vec::with_capacity(people.transfer_count());
    let mut to_complete = Vec::new();
    let mut id = first_id;
    for p in &people.people {
        let mut at = p.start;
        for (k, m) in p.moves.iter().enumerate() {
            rows.push(transfer_row(id, p, at, m, k, now));
            if m.state == MoveState::Completed {
                to_complete.push(id);
                at = m.to;
            }
            id += 1;
        }
    }
    insert_in_transactions(db, rows).await?;
    Ok(to_complete)
}

fn transfer_row(
    id: i64,
    p: &Person,
    from: Place,
    m: &Move,
    k: usize,
    now: chrono::DateTime<Utc>,
) -> transfer::ActiveModel {
    let sk_date = days_before(m.tmt, 7 + (id as u64 % 24));
    let (state, cancel_reason) = match m.state {
        MoveState::Completed | MoveState::Approved => ("approved", None),
        MoveState::Draft => ("draft", None),
        MoveState::Cancelled => (
            "cancelled",
            Some("SK ditarik kembali untuk perbaikan".to_string()),
        ),
    };
    let transfer_type = match (p.id + k as i64) % 20 {
        0 => "central_regional",
        1..=3 => "between_agencies",
        _ => "within_agency",
    };
    transfer::ActiveModel {
        id: Set(id),
        employee_id: Set(p.id),
        from_unit_id: Set(Some(from.unit)),
        from_position_id: Set(Some(from.position)),
        to_unit_id: Set(m.to.unit),
        to_position_id: Set(m.to.position),
        sk_number: Set(format!("821.2/{id}/BKD/{}", sk_date.year())),
        sk_date: Set(sk_date),
        tmt: Set(m.tmt),
        transfer_type: Set(transfer_type.into()),
        notes: Set(String::new()),
        state: Set(state.into()),
        cancel_reason: Set(cancel_reason),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

/// Course facts used when writing completions.
struct Courses {
    all: Vec<course::Model>,
    by_id: HashMap<i64, course::Model>,
}

impl Courses {
    async fn read(db: &DatabaseConnection) -> anyhow::Result<Self> {
        let all = course::Entity::find()
            .filter(course::Column::Active.eq(true))
            .order_by_asc(course::Column::Id)
            .all(db)
            .await?;
        let by_id = all.iter().map(|c| (c.id, c.clone())).collect();
        Ok(Courses { all, by_id })
    }
}

/// Imported training history (SIASN) for about a quarter of the people,
/// 1–3 courses each within the last four years, before any plan exists:
/// the plan generator then recognises some of it.
async fn write_history(
    db: &DatabaseConnection,
    people: &People,
    courses: &Courses,
    rng: &mut Rng,
    today: NaiveDate,
) -> anyhow::Result<usize> {
    let now = Utc::now();
    let mut rows = Vec::new();
    for p in &people.people {
        if courses.all.is_empty() || !rng.percent(25) {
            continue;
        }
        for _ in 0..rng.range(1, 3) {
            let c = rng.pick(&courses.all);
            let on = days_before(today, rng.range(30, 1_460));
            rows.push(completion_row(p.id, c, on, "import", now));
        }
    }
    let n = rows.len();
    insert_in_transactions(db, rows).await?;
    Ok(n)
}

fn completion_row(
    employee_id: i64,
    c: &course::Model,
    on: NaiveDate,
    source: &str,
    now: chrono::DateTime<Utc>,
) -> completion::ActiveModel {
    completion::ActiveModel {
        employee_id: Set(employee_id),
        course_id: Set(c.id),
        completed_on: Set(on),
        jp: Set(c.jp),
        score: Set(Some(70.0 + ((employee_id + c.id) % 30) as f64)),
        certificate_no: Set(format!("SERT/{}/{employee_id}-{}", on.year(), c.id)),
        organiser: Set(c.provider.clone()),
        evidence_note: Set(String::new()),
        logged_by: Set(ACTOR.into()),
        verified_by: Set(Some(ACTOR.into())),
        source: Set(source.into()),
        created_at: Set(now),
        ..Default::default()
    }
}

// ---------------------------------------------------------------- progress on the work

#[derive(Default)]
struct WorkDone {
    completed: usize,
    in_progress: usize,
    waived: usize,
}

/// What happened to one open assignment.
enum Outcome {
    Completed(NaiveDate),
    InProgress,
    Waived,
    Open,
}

/// Decided from the assignment itself (not the order rows come in): old
/// work mostly done, recent work partly, future work sometimes started;
/// what is left past its due date is overdue.
fn outcome(seed: u64, a: &OpenWork, today: NaiveDate) -> Outcome {
    // Not the ids the database chose: on PostgreSQL those depend on which
    // of two connections commits first.
    let key = ((a.employee_id as u64) << 32)
        ^ ((a.course_id as u64) << 20)
        ^ (a.due.num_days_from_ce() as u64);
    let roll = mix(seed ^ key) % 100;
    let late = (today - a.due).num_days();
    let done_on = || days_before(a.due, roll % 10).min(today);
    match late {
        61.. if roll < 80 => Outcome::Completed(done_on()),
        1..=60 if roll < 45 => Outcome::Completed(done_on()),
        ..=0 if roll < 12 => Outcome::Completed(today),
        ..=0 if roll < 32 => Outcome::InProgress,
        _ if roll >= 98 => Outcome::Waived,
        _ => Outcome::Open,
    }
}

struct OpenWork {
    id: i64,
    employee_id: i64,
    course_id: i64,
    due: NaiveDate,
}

/// Completes, starts or waives part of the synthetic people's open work,
/// page by page: each completion is a training record whose id is the
/// assignment's plus a fixed offset, so the assignments are updated by id
/// lists without reading anything back.
async fn progress_work(
    db: &DatabaseConnection,
    courses: &Courses,
    first_employee: i64,
    seed: u64,
    today: NaiveDate,
) -> anyhow::Result<WorkDone> {
    let offset = max_id::<completion::Entity, _>(db, completion::Column::Id).await?;
    let mut done = WorkDone::default();
    let mut after = 0i64;
    loop {
        let (last, page) = open_work_page(db, first_employee, after).await?;
        let Some(last) = last else { break };
        after = last;
        let txn = app::backend::db::begin_write(db).await?;
        apply_outcomes(&txn, &page, courses, offset, seed, today, &mut done).await?;
        txn.commit().await?;
    }
    if db.get_database_backend() == DbBackend::Postgres {
        sync_sequences(db).await?;
    }
    Ok(done)
}

/// The next page of the synthetic people's assignments, in id order. The
/// state is checked here, not in SQL: with it there, SQLite walks the
/// (state, due date) index and sorts every page instead of reading a range
/// of the table.
async fn open_work_page(
    db: &DatabaseConnection,
    first_employee: i64,
    after: i64,
) -> anyhow::Result<(Option<i64>, Vec<OpenWork>)> {
    let rows: Vec<(i64, i64, i64, NaiveDate, String)> = assignment::Entity::find()
        .select_only()
        .column(assignment::Column::Id)
        .column(assignment::Column::EmployeeId)
        .column(assignment::Column::CourseId)
        .column(assignment::Column::DueDate)
        .column(assignment::Column::State)
        .filter(assignment::Column::Id.gt(after))
        .order_by_asc(assignment::Column::Id)
        .limit(100_000)
        .into_tuple()
        .all(db)
        .await?;
    let last = rows.last().map(|r| r.0);
    let open = rows
        .into_iter()
        .filter(|r| r.1 >= first_employee && r.4 == "assigned")
        .map(|(id, employee_id, course_id, due, _)| OpenWork {
            id,
            employee_id,
            course_id,
            due,
        })
        .collect();
    Ok((last, open))
}

async fn apply_outcomes<C: ConnectionTrait>(
    txn: &C,
    page: &[OpenWork],
    courses: &Courses,
    offset: i64,
    seed: u64,
    today: NaiveDate,
    done: &mut WorkDone,
) -> anyhow::Result<()> {
    use sea_orm::ExprTrait;
    let now = Utc::now();
    let (mut records, mut completed, mut started, mut waived) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for a in page {
        match outcome(seed, a, today) {
            Outcome::Completed(on) => {
                let Some(c) = courses.by_id.get(&a.course_id) else {
                    continue;
                };
                let mut row = completion_row(a.employee_id, c, on, "trainer_log", now);
                row.id = Set(a.id + offset);
                records.push(row);
                completed.push(a.id);
            }
            Outcome::InProgress => started.push(a.id),
            Outcome::Waived => waived.push(a.id),
            Outcome::Open => {}
        }
    }
    done.completed += completed.len();
    done.in_progress += started.len();
    done.waived += waived.len();
    insert_all(txn, records).await?;
    for ids in completed.chunks(20_000) {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::State, Expr::value("completed"))
            .col_expr(
                assignment::Column::CompletionId,
                Expr::col(assignment::Column::Id).add(offset),
            )
            .col_expr(assignment::Column::UpdatedAt, Expr::value(now))
            .filter(assignment::Column::Id.is_in(ids.to_vec()))
            .exec(txn)
            .await?;
    }
    for ids in started.chunks(20_000) {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::State, Expr::value("in_progress"))
            .col_expr(assignment::Column::UpdatedAt, Expr::value(now))
            .filter(assignment::Column::Id.is_in(ids.to_vec()))
            .exec(txn)
            .await?;
    }
    for ids in waived.chunks(20_000) {
        assignment::Entity::update_many()
            .col_expr(assignment::Column::State, Expr::value("waived"))
            .col_expr(
                assignment::Column::WaivedReason,
                Expr::value("Sudah menguasai materi (penilaian atasan)"),
            )
            .col_expr(assignment::Column::WaivedBy, Expr::value(ACTOR))
            .col_expr(assignment::Column::UpdatedAt, Expr::value(now))
            .filter(assignment::Column::Id.is_in(ids.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// Supervisors wrote four in five of the check-ins already due, in the
/// SKP words (mostly "baik").
async fn write_checkins(
    db: &DatabaseConnection,
    first_transfer: i64,
    today: NaiveDate,
) -> anyhow::Result<u64> {
    let rating = Expr::cust(
        "CASE id % 10 WHEN 0 THEN 'sangat_baik' WHEN 1 THEN 'sangat_baik' \
         WHEN 2 THEN 'butuh_perbaikan' WHEN 3 THEN 'kurang' ELSE 'baik' END",
    );
    let txn = app::backend::db::begin_write(db).await?;
    let r = checkin::Entity::update_many()
        .col_expr(checkin::Column::Rating, rating)
        .col_expr(
            checkin::Column::Notes,
            Expr::value("Beradaptasi dengan baik di unit baru"),
        )
        .col_expr(checkin::Column::WrittenBy, Expr::value(ACTOR))
        .col_expr(checkin::Column::WrittenAt, Expr::value(Utc::now()))
        .filter(checkin::Column::TransferId.gte(first_transfer))
        .filter(checkin::Column::DueDate.lt(today))
        .filter(Expr::cust("id % 5 <> 4"))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(r.rows_affected)
}

// ---------------------------------------------------------------- accounts

/// One sign-in of the synthetic organisation.
#[derive(Debug, Clone, Serialize)]
pub struct Login {
    /// "admin", "manager" or "employee".
    pub role: &'static str,
    pub nip: String,
    pub email: String,
    pub name: String,
    pub employee_id: i64,
}

/// What `<data_dir>/synthetic-logins.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct Logins {
    pub password: &'static str,
    /// The unit the manager manages: the ~2,000-person dinas.
    pub manager_unit: ManagerUnit,
    pub logins: Vec<Login>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManagerUnit {
    pub id: i64,
    pub name: String,
    pub path: String,
    /// People whose unit is this one or below it.
    pub people: usize,
}

/// An administrator (the head of the province's personnel agency), the
/// manager of the large dinas (its head) and employees with a recent plan,
/// half of them in that dinas. One password hash for all: argon2 is slow
/// on purpose and the password is the same anyway.
async fn open_accounts(
    db: &DatabaseConnection,
    org: &Org,
    people: &People,
    today: NaiveDate,
) -> anyhow::Result<Logins> {
    let head_of = |unit: i64| {
        people
            .people
            .iter()
            .find(|p| p.head && p.final_place().unit == unit)
    };
    let admin =
        head_of(org.personnel).ok_or_else(|| anyhow::anyhow!("no synthetic administrator"))?;
    let manager = head_of(org.big).ok_or_else(|| anyhow::anyhow!("no head of {BIG_UNIT}"))?;
    let mut chosen = vec![("admin", admin), ("manager", manager)];
    chosen.extend(
        newcomers(org, people, today)
            .into_iter()
            .map(|p| ("employee", p)),
    );
    let hash = password::hash(DEMO_PASSWORD.to_string()).await?;
    let ids = insert_accounts(db, chosen.iter().map(|(_, p)| p.id), &hash).await?;
    let now = Utc::now();
    let grant = |role, unit_id| RoleGrant {
        role,
        unit_id,
        course_id: None,
    };
    let account_of = |e: &Person| {
        ids.get(&e.id)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("account of {} missing", e.nip))
    };
    accounts::grant_role(
        db,
        ACTOR,
        account_of(admin)?,
        grant(RoleKind::Admin, None),
        now,
    )
    .await?;
    let managed = grant(RoleKind::Manager, Some(org.big));
    accounts::grant_role(db, ACTOR, account_of(manager)?, managed, now).await?;
    Ok(Logins {
        password: DEMO_PASSWORD,
        manager_unit: ManagerUnit {
            id: org.big,
            name: BIG_UNIT.into(),
            path: format!("{PROVINCE} / {BIG_UNIT}"),
            people: people
                .people
                .iter()
                .filter(|p| org.big_subtree.contains(&p.final_place().unit))
                .count(),
        },
        logins: chosen
            .into_iter()
            .map(|(role, p)| Login {
                role,
                nip: p.nip.clone(),
                email: p.email.clone(),
                name: p.name.clone(),
                employee_id: p.id,
            })
            .collect(),
    })
}

/// Staff whose last completed transfer is within 180 days (so their plan
/// is current): half in the large dinas, half elsewhere.
fn newcomers<'a>(org: &Org, people: &'a People, today: NaiveDate) -> Vec<&'a Person> {
    let recent =
        |p: &&Person| !p.head && p.last_tmt().is_some_and(|t| (today - t).num_days() <= 180);
    let in_big = |p: &&Person| org.big_subtree.contains(&p.final_place().unit);
    let half = PLAN_ACCOUNTS / 2;
    let mut out: Vec<&Person> = people
        .people
        .iter()
        .filter(recent)
        .filter(in_big)
        .take(half)
        .collect();
    let rest = PLAN_ACCOUNTS - out.len();
    out.extend(
        people
            .people
            .iter()
            .filter(recent)
            .filter(|p| !in_big(p))
            .take(rest),
    );
    out
}

/// Accounts with the given password hash; returns employee id → account id.
async fn insert_accounts(
    db: &DatabaseConnection,
    employees: impl Iterator<Item = i64>,
    hash: &str,
) -> anyhow::Result<HashMap<i64, i64>> {
    let now = Utc::now();
    let employees: Vec<i64> = employees.collect();
    let txn = app::backend::db::begin_write(db).await?;
    let rows: Vec<account::ActiveModel> = employees
        .iter()
        .map(|&e| account::ActiveModel {
            employee_id: Set(e),
            password_hash: Set(Some(hash.to_string())),
            active: Set(true),
            password_changed_at: Set(Some(now)),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    insert_all(&txn, rows).await?;
    let ids: HashMap<i64, i64> = account::Entity::find()
        .filter(account::Column::EmployeeId.is_in(employees))
        .all(&txn)
        .await?
        .into_iter()
        .map(|a| (a.employee_id, a.id))
        .collect();
    let audits = ids
        .iter()
        .map(|(&e, &a)| {
            audit::row(
                ACTOR,
                "account.created",
                "account",
                a,
                None::<&()>,
                Some(&e),
                now,
            )
        })
        .collect();
    insert_all(&txn, audits).await?;
    txn.commit().await?;
    Ok(ids)
}

fn write_logins(data_dir: &Path, logins: &Logins) -> anyhow::Result<std::path::PathBuf> {
    std::fs::create_dir_all(data_dir)?;
    let path = data_dir.join(LOGINS_FILE);
    std::fs::write(&path, serde_json::to_string_pretty(logins)?)?;
    Ok(path)
}

// ---------------------------------------------------------------- summary

struct Report {
    logins: Logins,
}

/// Rows in the database after the seed (demo data included).
struct Counts {
    units: u64,
    employees: u64,
    transfers: Vec<(String, i64)>,
    plans: u64,
    assignments: Vec<(String, i64)>,
    completions: u64,
    checkins: u64,
}

impl Counts {
    async fn read(db: &DatabaseConnection) -> anyhow::Result<Self> {
        Ok(Counts {
            units: unit::Entity::find().count(db).await?,
            employees: employee::Entity::find().count(db).await?,
            transfers: by_state::<transfer::Entity, _>(db, transfer::Column::State).await?,
            plans: plan::Entity::find().count(db).await?,
            assignments: by_state::<assignment::Entity, _>(db, assignment::Column::State).await?,
            completions: completion::Entity::find().count(db).await?,
            checkins: checkin::Entity::find().count(db).await?,
        })
    }
}

async fn by_state<E: EntityTrait, C: ColumnTrait>(
    db: &DatabaseConnection,
    col: C,
) -> anyhow::Result<Vec<(String, i64)>> {
    use sea_orm::ExprTrait;
    Ok(E::find()
        .select_only()
        .column(col)
        .column_as(Expr::col(col).count(), "n")
        .group_by(col)
        .order_by_asc(col)
        .into_tuple()
        .all(db)
        .await?)
}

fn list(xs: &[(String, i64)]) -> String {
    let total: i64 = xs.iter().map(|(_, n)| n).sum();
    let parts: Vec<String> = xs.iter().map(|(s, n)| format!("{s} {n}")).collect();
    format!("{total} ({})", parts.join(", "))
}

impl Report {
    fn describe(&self, c: &Counts, secs: f64) -> String {
        let u = &self.logins.manager_unit;
        let mut out = format!(
            "Organisasi sintetis dimuat / synthetic organisation loaded in {secs:.1} s \
             (isi database / database now holds):\n  unit {}\n  pegawai / employees {}\n  \
             mutasi / transfers {}\n  rencana / plans {}\n  penugasan / assignments {}\n  \
             riwayat pelatihan / completions {}\n  check-in {}\n\
             Unit besar untuk dasbor manajer / the large unit for the manager's dashboard: \
             id {} \"{}\" ({} pegawai / people)\n\
             Akun / accounts (kata sandi / password: {}), juga di / also in {LOGINS_FILE}:\n",
            c.units,
            c.employees,
            list(&c.transfers),
            c.plans,
            list(&c.assignments),
            c.completions,
            c.checkins,
            u.id,
            u.path,
            u.people,
            self.logins.password,
        );
        for l in &self.logins.logins {
            out.push_str(&format!("  {:<9} {}  {}\n", l.role, l.nip, l.name));
        }
        out
    }
}

// ---------------------------------------------------------------- names

/// North Sumatra's regencies and cities (Kota Medan is the demo's own tree).
const REGENCIES: &[&str] = &[
    "Kabupaten Deli Serdang",
    "Kabupaten Langkat",
    "Kabupaten Karo",
    "Kabupaten Simalungun",
    "Kabupaten Asahan",
    "Kabupaten Labuhanbatu",
    "Kabupaten Tapanuli Utara",
    "Kabupaten Tapanuli Tengah",
    "Kabupaten Tapanuli Selatan",
    "Kabupaten Nias",
    "Kabupaten Mandailing Natal",
    "Kabupaten Toba",
    "Kabupaten Dairi",
    "Kabupaten Serdang Bedagai",
    "Kabupaten Batu Bara",
    "Kabupaten Samosir",
    "Kabupaten Humbang Hasundutan",
    "Kabupaten Pakpak Bharat",
    "Kabupaten Nias Selatan",
    "Kabupaten Nias Utara",
    "Kabupaten Nias Barat",
    "Kabupaten Labuhanbatu Selatan",
    "Kabupaten Labuhanbatu Utara",
    "Kabupaten Padang Lawas",
    "Kabupaten Padang Lawas Utara",
    "Kota Binjai",
    "Kota Pematangsiantar",
    "Kota Tebing Tinggi",
    "Kota Tanjungbalai",
    "Kota Sibolga",
    "Kota Padangsidimpuan",
    "Kota Gunungsitoli",
];

/// A government's agencies and their bidang.
const AGENCIES: &[(&str, &[&str])] = &[
    (
        "Dinas Pendidikan",
        &[
            "Bidang Pembinaan SD",
            "Bidang Pembinaan SMP",
            "Bidang Ketenagaan",
        ],
    ),
    (
        "Dinas Kesehatan",
        &[
            "Bidang Kesehatan Masyarakat",
            "Bidang Pencegahan dan Pengendalian Penyakit",
            "Bidang Pelayanan Kesehatan",
        ],
    ),
    (
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        &[
            "Bidang Bina Marga",
            "Bidang Sumber Daya Air",
            "Bidang Penataan Ruang",
        ],
    ),
    (
        "Dinas Komunikasi dan Informatika",
        &[
            "Bidang Aplikasi Informatika",
            "Bidang Infrastruktur TIK",
            "Bidang Statistik dan Persandian",
        ],
    ),
    (
        "Dinas Kependudukan dan Pencatatan Sipil",
        &[
            "Bidang Pelayanan Pendaftaran Penduduk",
            "Bidang Pelayanan Pencatatan Sipil",
            "Bidang Pengelolaan Informasi Administrasi Kependudukan",
        ],
    ),
    (
        "Dinas Sosial",
        &[
            "Bidang Rehabilitasi Sosial",
            "Bidang Perlindungan dan Jaminan Sosial",
            "Bidang Pemberdayaan Sosial",
        ],
    ),
    (
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        &[
            "Bidang Anggaran",
            "Bidang Perbendaharaan",
            "Bidang Akuntansi",
            "Bidang Aset",
        ],
    ),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        &[
            "Bidang Mutasi dan Promosi",
            "Bidang Pengembangan Kompetensi",
            "Bidang Informasi Kepegawaian",
        ],
    ),
    (
        "Badan Perencanaan Pembangunan Daerah",
        &[
            "Bidang Perencanaan Pemerintahan dan Pembangunan Manusia",
            "Bidang Perekonomian dan Sumber Daya Alam",
            "Bidang Infrastruktur dan Kewilayahan",
        ],
    ),
    (
        "Inspektorat",
        &[
            "Inspektur Pembantu Wilayah I",
            "Inspektur Pembantu Wilayah II",
            "Inspektur Pembantu Wilayah III",
        ],
    ),
    (
        "Satuan Polisi Pamong Praja",
        &[
            "Bidang Penegakan Peraturan Daerah",
            "Bidang Ketertiban Umum dan Ketenteraman Masyarakat",
        ],
    ),
];

const BIG_BIDANG: &[&str] = &[
    "Bidang Pembinaan SMA",
    "Bidang Pembinaan SMK",
    "Bidang Pembinaan Pendidikan Khusus",
    "Bidang Ketenagaan",
];

const ROMAN: &[&str] = &[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
];

const SUB_BAGIAN: &[&str] = &[
    "Sub Bagian Umum dan Kepegawaian",
    "Sub Bagian Keuangan",
    "Sub Bagian Perencanaan",
];

const SEKSI: &[&str] = &[
    "Seksi Perencanaan dan Program",
    "Seksi Pelaksanaan",
    "Seksi Evaluasi dan Pelaporan",
];

const KECAMATAN_SEKSI: &[&str] = &[
    "Seksi Pemerintahan",
    "Seksi Pelayanan Umum",
    "Seksi Ketenteraman dan Ketertiban Umum",
    "Seksi Pemberdayaan Masyarakat",
];

const KECAMATAN_PER_REGENCY: usize = 12;
const KELURAHAN_PER_KECAMATAN: usize = 6;

/// Kecamatan names (at least KECAMATAN_PER_REGENCY distinct in a row).
const PLACES: &[&str] = &[
    "Batang Kuis",
    "Pagar Merbau",
    "Tanjung Morawa",
    "Sibolangit",
    "Lubuk Pakam",
    "Percut Sei Tuan",
    "Hamparan Perak",
    "Sunggal",
    "Pancur Batu",
    "Namorambe",
    "Kutalimbaru",
    "Patumbak",
    "Galang",
    "Bangun Purba",
    "Stabat",
    "Tanjung Pura",
    "Kabanjahe",
    "Berastagi",
    "Tiga Panah",
    "Simpang Empat",
    "Tanah Jawa",
    "Sidamanik",
    "Pematang Bandar",
    "Raya",
    "Air Batu",
    "Kisaran Barat",
    "Kisaran Timur",
    "Meranti",
    "Rantau Utara",
    "Rantau Selatan",
    "Bilah Hulu",
    "Panai Tengah",
    "Tarutung",
    "Siborongborong",
    "Pandan",
    "Sorkam",
    "Sipirok",
    "Batang Toru",
    "Gido",
    "Panyabungan",
    "Kotanopan",
    "Balige",
    "Laguboti",
    "Sidikalang",
    "Sumbul",
    "Sei Rampah",
    "Perbaungan",
    "Lima Puluh",
    "Pangururan",
    "Doloksanggul",
    "Salak",
    "Teluk Dalam",
    "Lotu",
    "Lahomi",
    "Kotapinang",
    "Aek Kanopan",
    "Sibuhuan",
    "Gunung Tua",
    "Binjai Kota",
    "Siantar Barat",
];

/// Kelurahan names (at least KELURAHAN_PER_KECAMATAN distinct in a row).
const KELURAHAN: &[&str] = &[
    "Pasar Baru",
    "Sukamaju",
    "Sukadamai",
    "Tanjung Sari",
    "Sei Sikambing",
    "Bandar Selamat",
    "Sidorejo",
    "Kampung Baru",
    "Pulo Brayan",
    "Lalang",
    "Simpang Tiga",
    "Pasar Merah",
    "Teladan",
    "Sei Agul",
    "Karang Berombak",
    "Mabar",
    "Tegal Sari",
    "Suka Ramai",
    "Pekan Labuhan",
    "Martubung",
    "Tanjung Gusta",
    "Padang Bulan",
    "Helvetia",
    "Cinta Damai",
    "Dwikora",
    "Sei Kambing",
    "Aur",
    "Kota Matsum",
    "Sitirejo",
    "Harjosari",
    "Binjai",
    "Timbang Deli",
    "Amplas",
    "Bangun Mulia",
    "Siti Rejo",
    "Pangkalan Masyhur",
    "Gedung Johor",
];

const FIRST_M: &[&str] = &[
    "Ahmad",
    "Budi",
    "Hadi",
    "Joko",
    "Rizki",
    "Taufik",
    "Wahyu",
    "Yusuf",
    "Zulfikar",
    "Agus",
    "Andi",
    "Bambang",
    "Darwin",
    "Edi",
    "Fajar",
    "Gunawan",
    "Hendra",
    "Irfan",
    "Jhonson",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nasrul",
    "Parlindungan",
    "Rahmat",
    "Samuel",
    "Tigor",
    "Umar",
    "Victor",
    "Yohanes",
    "Arif",
    "Dedi",
    "Ferry",
    "Herman",
    "Iwan",
    "Maruli",
    "Poltak",
    "Ridwan",
    "Syahrial",
    "Togar",
];

const FIRST_F: &[&str] = &[
    "Citra",
    "Dian",
    "Eka",
    "Fitri",
    "Gita",
    "Indah",
    "Kartika",
    "Lestari",
    "Maya",
    "Nanda",
    "Oktavia",
    "Putri",
    "Sari",
    "Utami",
    "Rina",
    "Nurhayati",
    "Ayu",
    "Butet",
    "Dewi",
    "Elvi",
    "Friska",
    "Hotmaida",
    "Intan",
    "Juliana",
    "Khairunnisa",
    "Lina",
    "Mega",
    "Nurul",
    "Ratna",
    "Rosmawati",
    "Siti",
    "Tiurma",
    "Wulan",
    "Yanti",
    "Yuni",
    "Desi",
    "Fauziah",
    "Melati",
    "Novita",
    "Sri",
];

/// Family names (marga and others); "" for people with a single name part.
const LAST: &[&str] = &[
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Tarigan",
    "Sitorus",
    "Simanjuntak",
    "Batubara",
    "Daulay",
    "Pohan",
    "Purba",
    "Ginting",
    "Sembiring",
    "Hasibuan",
    "Rangkuti",
    "Matondang",
    "Saragih",
    "Manurung",
    "Pane",
    "Situmorang",
    "Sinaga",
    "Pardede",
    "Hutapea",
    "Panjaitan",
    "Simatupang",
    "Sihombing",
    "Napitupulu",
    "Marpaung",
    "Damanik",
    "Pasaribu",
    "Zebua",
    "Gulo",
    "Telaumbanua",
    "Harefa",
    "Rambe",
    "Ritonga",
    "Pulungan",
    "Tanjung",
    "Putra",
    "Wijaya",
    "Santoso",
    "",
];

const TITLES: &[&str] = &[
    ", S.Kom.", ", S.E.", ", S.Sos.", ", S.AP.", ", A.Md.", ", S.H.", ", S.T.", ", M.Si.",
    ", S.Pd.", ", S.Ak.", "", "",
];
