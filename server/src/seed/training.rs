//! Demo data, second part: positions, about 200 employees, the course
//! catalogue, plan rules and some 30 transfers in every state, with
//! completions, overdue work and check-ins, so every screen has something
//! true to show. Deterministic (a fixed pseudo-random sequence) and
//! idempotent: what exists (by name, code or NIP) is left alone, and the
//! transfers are only created while there are none.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use app::{
    backend::{
        entities::{course, employee, plan_rule, position, transfer, unit},
        {
            training::assignments::{self, CompletionInput},
            training::catalogue::{self, NewCourse},
            transfers::{self, NewTransfer},
        },
    },
    domain::{
        nip::{AsnKind, Nip},
        plan::{Criteria, PositionKind, RuleItem, TransferType},
    },
    error::AppError,
};

const ACTOR: &str = "seed";

#[derive(Debug, Default, PartialEq, Eq)]
pub struct TrainingReport {
    pub positions: usize,
    pub employees: usize,
    pub courses: usize,
    pub rules: usize,
    pub transfers: usize,
}

/// A small deterministic generator (no dependency, same data on every machine).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const POSITIONS: &[(&str, PositionKind, &str)] = &[
    ("Camat", PositionKind::Administrator, "Pemerintahan"),
    (
        "Sekretaris Kecamatan",
        PositionKind::Pengawas,
        "Administrasi Umum",
    ),
    (
        "Kepala Seksi Pemerintahan",
        PositionKind::Pengawas,
        "Pemerintahan",
    ),
    (
        "Pranata Komputer Ahli Pertama",
        PositionKind::Fungsional,
        "IT",
    ),
    ("Pranata Komputer Terampil", PositionKind::Fungsional, "IT"),
    (
        "Pengelola Sistem dan Jaringan",
        PositionKind::Pelaksana,
        "IT",
    ),
    ("Analis Keuangan", PositionKind::Fungsional, "Keuangan"),
    ("Bendahara Pengeluaran", PositionKind::Pelaksana, "Keuangan"),
    (
        "Pengadministrasi Keuangan",
        PositionKind::Pelaksana,
        "Keuangan",
    ),
    (
        "Pengadministrasi Umum",
        PositionKind::Pelaksana,
        "Administrasi Umum",
    ),
    (
        "Pengolah Data Kependudukan",
        PositionKind::Pelaksana,
        "Pelayanan",
    ),
    (
        "Analis Kepegawaian Ahli Pertama",
        PositionKind::Fungsional,
        "Kepegawaian",
    ),
];

/// (code, title id, title en, competency, JP, method, provider, validity months)
type CourseRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    f64,
    &'static str,
    &'static str,
    Option<i32>,
);

const COURSES: &[CourseRow] = &[
    (
        "ORI-UNIT",
        "Orientasi unit kerja",
        "Orientation to the work unit",
        "sosial_kultural",
        4.0,
        "nonklasikal",
        "Unit kerja",
        None,
    ),
    (
        "BERAKHLAK",
        "Aktualisasi nilai BerAKHLAK",
        "Living the BerAKHLAK values",
        "manajerial",
        8.0,
        "klasikal",
        "BKPSDM Kota Medan",
        None,
    ),
    (
        "SKP-01",
        "Penyusunan SKP",
        "Writing the SKP",
        "manajerial",
        4.0,
        "nonklasikal",
        "BKPSDM Kota Medan",
        None,
    ),
    (
        "SPBE-01",
        "Dasar-dasar SPBE (Perpres 95/2018)",
        "E-government (SPBE) fundamentals",
        "teknis",
        16.0,
        "klasikal",
        "Dinas Kominfo Kota Medan",
        None,
    ),
    (
        "SRIKANDI-01",
        "Aplikasi SRIKANDI untuk tata naskah dinas",
        "SRIKANDI e-office",
        "teknis",
        8.0,
        "klasikal",
        "ANRI",
        None,
    ),
    (
        "KAMINFO-01",
        "Keamanan informasi untuk ASN",
        "Information security for civil servants",
        "teknis",
        12.0,
        "klasikal",
        "BSSN",
        Some(24),
    ),
    (
        "SATUDATA-01",
        "Satu Data Indonesia",
        "One Data Indonesia",
        "teknis",
        8.0,
        "nonklasikal",
        "Bappeda Kota Medan",
        None,
    ),
    (
        "PDP-01",
        "Pelindungan data pribadi (UU 27/2022)",
        "Personal data protection",
        "teknis",
        6.0,
        "nonklasikal",
        "Dinas Kominfo Kota Medan",
        Some(36),
    ),
    (
        "SIPD-PENATA",
        "SIPD: penatausahaan keuangan daerah",
        "SIPD: regional finance administration",
        "teknis",
        24.0,
        "klasikal",
        "BPKAD Kota Medan",
        None,
    ),
    (
        "SIPD-AKUNT",
        "SIPD: akuntansi dan pelaporan",
        "SIPD: accounting and reporting",
        "teknis",
        24.0,
        "klasikal",
        "BPKAD Kota Medan",
        None,
    ),
    (
        "SPP-SPM",
        "Penyusunan SPP, SPM dan SP2D",
        "Payment requests and orders (SPP/SPM/SP2D)",
        "teknis",
        12.0,
        "klasikal",
        "BPKAD Kota Medan",
        Some(24),
    ),
];

const FIRST: &[&str] = &[
    "Ahmad",
    "Budi",
    "Citra",
    "Dian",
    "Eka",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Maya",
    "Nanda",
    "Oktavia",
    "Putri",
    "Rizki",
    "Sari",
    "Taufik",
    "Utami",
    "Wahyu",
    "Yusuf",
    "Zulfikar",
    "Rina",
    "Agus",
    "Nurhayati",
];
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
];
const TITLES: &[&str] = &[
    ", S.Kom.", ", S.E.", ", S.Sos.", ", S.AP.", ", A.Md.", ", S.H.", ", S.T.", ", M.Si.", "",
];
const GOLONGAN: &[&str] = &[
    "II/a", "II/b", "II/c", "II/d", "III/a", "III/a", "III/b", "III/b", "III/c", "III/d", "IV/a",
];

fn make_nip(rng: &mut Lcg, today: NaiveDate, serial: u32) -> (String, AsnKind) {
    loop {
        let year = 1970 + rng.below(28) as i32;
        let birth =
            NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                .unwrap_or(today);
        let appointed_year = (year + 22 + rng.below(12) as i32).min(today.year());
        let month = 1 + rng.below(12) as u32;
        let gender = 1 + rng.below(2);
        let s = format!(
            "{}{appointed_year:04}{month:02}{gender}{:03}",
            birth.format("%Y%m%d"),
            serial % 999 + 1
        );
        if let Ok(n) = Nip::parse(&s, AsnKind::Pns, today) {
            return (n.as_str().to_string(), AsnKind::Pns);
        }
    }
}

pub async fn demo(
    db: &DatabaseConnection,
    today: NaiveDate,
    checkin_days: &[u32],
) -> Result<TrainingReport, AppError> {
    let mut report = TrainingReport::default();
    let mut rng = Lcg(20261128);

    // Positions by name.
    let mut positions: HashMap<&str, i64> = HashMap::new();
    for (name, kind, family) in POSITIONS {
        let existing = position::Entity::find()
            .filter(position::Column::Name.eq(*name))
            .one(db)
            .await?;
        let id = match existing {
            Some(p) => p.id,
            None => {
                report.positions += 1;
                catalogue::create_position(db, name, *kind, family, &[])
                    .await?
                    .id
            }
        };
        positions.insert(*name, id);
    }

    // Courses by code.
    let mut courses: HashMap<&str, i64> = HashMap::new();
    for (code, title_id, title_en, competency, jp, method, provider, validity) in COURSES {
        let existing = course::Entity::find()
            .filter(course::Column::Code.eq(*code))
            .one(db)
            .await?;
        let id = match existing {
            Some(c) => c.id,
            None => {
                report.courses += 1;
                catalogue::create_course(
                    db,
                    ACTOR,
                    NewCourse {
                        code: code.to_string(),
                        title_id: title_id.to_string(),
                        title_en: title_en.to_string(),
                        competency: competency.to_string(),
                        jp: *jp,
                        method: method.to_string(),
                        provider: provider.to_string(),
                        validity_months: *validity,
                    },
                )
                .await?
                .id
            }
        };
        courses.insert(*code, id);
    }

    // Rules by name.
    let item = |code: &str, days: u32, order: u32, required: bool| RuleItem {
        course_id: courses[code],
        due_offset_days: days,
        required,
        order,
        prerequisites: vec![],
    };
    let rules: Vec<(&str, Criteria, Vec<RuleItem>)> = vec![
        (
            "Setiap jabatan baru",
            Criteria::default(),
            vec![
                item("ORI-UNIT", 14, 1, true),
                item("BERAKHLAK", 60, 2, true),
                item("SKP-01", 30, 3, true),
            ],
        ),
        (
            "Jabatan bidang IT",
            Criteria {
                job_families: vec!["IT".into()],
                ..Default::default()
            },
            vec![
                item("SPBE-01", 60, 10, true),
                item("SRIKANDI-01", 45, 11, true),
                item("KAMINFO-01", 90, 12, true),
                item("SATUDATA-01", 120, 13, false),
                item("PDP-01", 90, 14, true),
            ],
        ),
        (
            "Jabatan bidang keuangan",
            Criteria {
                job_families: vec!["Keuangan".into()],
                ..Default::default()
            },
            vec![
                item("SIPD-PENATA", 60, 10, true),
                item("SIPD-AKUNT", 90, 11, true),
                item("SPP-SPM", 45, 12, true),
            ],
        ),
        (
            "Pejabat pengawas dan administrator",
            Criteria {
                position_kinds: vec![PositionKind::Pengawas, PositionKind::Administrator],
                ..Default::default()
            },
            vec![
                item("SRIKANDI-01", 30, 5, true),
                item("PDP-01", 60, 6, true),
            ],
        ),
    ];
    for (name, criteria, items) in rules {
        if plan_rule::Entity::find()
            .filter(plan_rule::Column::Name.eq(name))
            .one(db)
            .await?
            .is_none()
        {
            catalogue::save_rule(db, ACTOR, None, name, true, criteria, items).await?;
            report.rules += 1;
        }
    }

    // Employees up to about 200, spread over the units.
    let units: Vec<unit::Model> = unit::Entity::find()
        .order_by_asc(unit::Column::Id)
        .all(db)
        .await?;
    let leaf_units: Vec<i64> = units
        .iter()
        .filter(|u| u.parent_id.is_some())
        .map(|u| u.id)
        .collect();
    // In POSITIONS order: a HashMap's order changes from run to run, and the
    // demo data must be the same every time.
    let pos_ids: Vec<i64> = POSITIONS
        .iter()
        .map(|(name, _, _)| positions[name])
        .collect();
    let have = employee::Entity::find().count(db).await? as u32;
    let now = chrono::Utc::now();
    for serial in have..200 {
        let (nip, kind) = make_nip(&mut rng, today, serial);
        if employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.clone()))
            .one(db)
            .await?
            .is_some()
        {
            continue;
        }
        let name = format!("{} {}{}", rng.pick(FIRST), rng.pick(LAST), rng.pick(TITLES));
        let email = format!(
            "{}.{}@medan.example",
            name.split(' ').next().unwrap_or("pegawai").to_lowercase(),
            serial
        );
        employee::ActiveModel {
            nip: Set(nip),
            asn_kind: Set(if kind == AsnKind::Pns {
                "pns".into()
            } else {
                "pppk".into()
            }),
            name: Set(name),
            email: Set(Some(email)),
            unit_id: Set(*rng.pick(&leaf_units)),
            created_at: Set(now),
            golongan: Set(Some(rng.pick(GOLONGAN).to_string())),
            language: Set(if serial % 10 == 0 {
                "en".into()
            } else {
                "id".into()
            }),
            position_id: Set(Some(*rng.pick(&pos_ids))),
            supervisor_id: Set(None),
            ..Default::default()
        }
        .insert(db)
        .await?;
        report.employees += 1;
    }

    // About 30 transfers in every state, only on a database without transfers.
    if transfer::Entity::find().count(db).await? == 0 {
        let people: Vec<employee::Model> = employee::Entity::find()
            .order_by_asc(employee::Column::Id)
            .all(db)
            .await?;
        let targets: Vec<(i64, &str)> = vec![
            (
                positions["Pranata Komputer Ahli Pertama"],
                "Bidang Aplikasi Informatika",
            ),
            (
                positions["Pengelola Sistem dan Jaringan"],
                "Dinas Komunikasi dan Informatika",
            ),
            (positions["Analis Keuangan"], "Bidang Akuntansi"),
            (positions["Bendahara Pengeluaran"], "Sekretariat Kecamatan"),
            (positions["Pengadministrasi Umum"], "Seksi Pelayanan Umum"),
            (positions["Kepala Seksi Pemerintahan"], "Seksi Pemerintahan"),
        ];
        let unit_id = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id);
        for (i, person) in people.iter().enumerate().skip(3).step_by(6).take(30) {
            let (pos, unit_name) = targets[i % targets.len()];
            let Some(to_unit) = unit_id(unit_name) else {
                continue;
            };
            if person.unit_id == to_unit && person.position_id == Some(pos) {
                continue;
            }
            // TMTs spread over the last 200 days (and a few in the coming weeks for drafts).
            let back = 5 + rng.below(195);
            let tmt = today - chrono::Days::new(back);
            let t = transfers::create_draft(
                db,
                ACTOR,
                NewTransfer {
                    employee_id: person.id,
                    to_unit_id: to_unit,
                    to_position_id: pos,
                    sk_number: format!("800/{}/BKPSDM/{}", 1000 + i, tmt.year()),
                    sk_date: tmt - chrono::Days::new(10),
                    tmt,
                    transfer_type: TransferType::WithinAgency,
                    notes: String::new(),
                },
            )
            .await?;
            report.transfers += 1;
            match report.transfers % 10 {
                0 | 1 => {} // draft
                2 | 3 => {
                    transfers::approve(db, ACTOR, t.id).await?;
                }
                4 => {
                    transfers::cancel(db, ACTOR, t.id, "SK ditarik kembali untuk perbaikan")
                        .await?;
                }
                _ => {
                    transfers::approve(db, ACTOR, t.id).await?;
                    let done = transfers::complete(db, ACTOR, t.id, tmt, checkin_days).await?;
                    // Some work done, the rest open (and some of it overdue by now).
                    for (k, a) in done.assignments.iter().enumerate() {
                        if a.state == "assigned" && (k + i) % 3 == 0 && a.due_date <= today {
                            let on = a.due_date - chrono::Days::new(2);
                            assignments::log_completion(
                                db,
                                "pelatih.demo",
                                a.id,
                                CompletionInput {
                                    completed_on: on.min(today),
                                    jp: None,
                                    score: Some(70.0 + rng.below(30) as f64),
                                    certificate_no: format!("SERT/{}/{:04}", on.year(), a.id),
                                    organiser: "BKPSDM Kota Medan".into(),
                                    evidence_note: String::new(),
                                },
                                today,
                            )
                            .await?;
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}
