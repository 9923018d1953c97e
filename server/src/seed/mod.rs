//! Demo data: part of the Kota Medan organisation and a few named employees
//! (here), then positions, courses, rules, more employees and transfers
//! (`training`). Idempotent: running it again adds only what is missing.
//! Product data (`serve --demo`, `seed --demo`); the synthetic organisation
//! of the benchmarks is test data and lives in the test crate
//! (`jejak_tests::synthetic`, the `jejak-synth` binary).

pub mod accounts;
pub mod reviews;
pub mod training;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use app::{
    backend::entities::{employee, unit},
    domain::nip::{AsnKind, Nip},
};

/// (path of unit names from the root, ...)
const UNITS: &[&[&str]] = &[
    &["Pemerintah Kota Medan"],
    &["Pemerintah Kota Medan", "Kecamatan Medan Belawan"],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Sekretariat Kecamatan",
    ],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Seksi Pemerintahan",
    ],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Seksi Pelayanan Umum",
    ],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Seksi Ketenteraman dan Ketertiban Umum",
    ],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Kelurahan Belawan I",
    ],
    &[
        "Pemerintah Kota Medan",
        "Kecamatan Medan Belawan",
        "Kelurahan Bagan Deli",
    ],
    &["Pemerintah Kota Medan", "Dinas Komunikasi dan Informatika"],
    &[
        "Pemerintah Kota Medan",
        "Dinas Komunikasi dan Informatika",
        "Sub Bagian Umum dan Perencanaan",
    ],
    &[
        "Pemerintah Kota Medan",
        "Dinas Komunikasi dan Informatika",
        "Bidang Aplikasi Informatika",
    ],
    &[
        "Pemerintah Kota Medan",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
    ],
    &[
        "Pemerintah Kota Medan",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "Bidang Akuntansi",
    ],
    &[
        "Pemerintah Kota Medan",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    ],
];

/// (NIP, kind, name, email, unit name)
const EMPLOYEES: &[(&str, AsnKind, &str, &str, &str)] = &[
    (
        "198609262015051001",
        AsnKind::Pns,
        "Rahmat Hidayat Siregar, S.Kom.",
        "rahmat.siregar@medan.example",
        "Bidang Aplikasi Informatika",
    ),
    (
        "199103142019032007",
        AsnKind::Pns,
        "Nurul Aini Lubis, S.E.",
        "nurul.lubis@medan.example",
        "Bidang Akuntansi",
    ),
    (
        "197805122005011003",
        AsnKind::Pns,
        "Drs. Bambang Sitorus, M.Si.",
        "bambang.sitorus@medan.example",
        "Kecamatan Medan Belawan",
    ),
    (
        "198211202009022004",
        AsnKind::Pns,
        "Siti Rahmah Nasution, S.Sos.",
        "siti.nasution@medan.example",
        "Sekretariat Kecamatan",
    ),
    (
        "199507082020121002",
        AsnKind::Pns,
        "Andi Pratama Harahap, A.Md.",
        "andi.harahap@medan.example",
        "Seksi Pemerintahan",
    ),
    (
        "199312252022032001",
        AsnKind::Pns,
        "Dewi Lestari Purba, S.AP.",
        "dewi.purba@medan.example",
        "Seksi Pelayanan Umum",
    ),
    (
        "198004172006041005",
        AsnKind::Pns,
        "Hendra Gunawan Tarigan, S.H.",
        "hendra.tarigan@medan.example",
        "Seksi Ketenteraman dan Ketertiban Umum",
    ),
    (
        "199609302023212001",
        AsnKind::Pppk,
        "Fitri Handayani, S.Kom.",
        "fitri.handayani@medan.example",
        "Sub Bagian Umum dan Perencanaan",
    ),
    (
        "198812012014031002",
        AsnKind::Pns,
        "Yusuf Maulana Daulay, S.T.",
        "yusuf.daulay@medan.example",
        "Dinas Komunikasi dan Informatika",
    ),
    (
        "197902282003122001",
        AsnKind::Pns,
        "Hj. Ratna Sari Batubara, S.E., M.M.",
        "ratna.batubara@medan.example",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
    ),
    (
        "199204102018011001",
        AsnKind::Pns,
        "Fajar Ramadhan Pohan, S.Kom.",
        "fajar.pohan@medan.example",
        "Kelurahan Belawan I",
    ),
    (
        "199410052019022003",
        AsnKind::Pns,
        "Maya Sari Simanjuntak, S.IP.",
        "maya.simanjuntak@medan.example",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    ),
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub units_created: usize,
    pub employees_created: usize,
}

async fn find_or_create_unit<C: ConnectionTrait>(
    db: &C,
    parent: Option<i64>,
    name: &str,
    report: &mut SeedReport,
) -> Result<i64, DbErr> {
    let existing = unit::Entity::find()
        .filter(unit::Column::Name.eq(name))
        .filter(match parent {
            Some(p) => unit::Column::ParentId.eq(p),
            None => unit::Column::ParentId.is_null(),
        })
        .one(db)
        .await?;
    if let Some(u) = existing {
        return Ok(u.id);
    }
    report.units_created += 1;
    let u = unit::ActiveModel {
        parent_id: Set(parent),
        name: Set(name.to_string()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(u.id)
}

/// Loads the demo organisation in one transaction.
pub async fn demo(db: &DatabaseConnection, today: chrono::NaiveDate) -> Result<SeedReport, DbErr> {
    let txn = app::backend::db::begin_write(db).await?;
    let mut report = SeedReport::default();
    let mut ids = std::collections::HashMap::new();
    for path in UNITS {
        let mut parent = None;
        for name in path.iter() {
            let id = find_or_create_unit(&txn, parent, name, &mut report).await?;
            ids.insert(name.to_string(), id);
            parent = Some(id);
        }
    }
    for (nip, kind, name, email, unit_name) in EMPLOYEES {
        let nip = Nip::parse(nip, *kind, today)
            .map_err(|e| DbErr::Custom(format!("demo NIP {nip}: {}", e.message().en)))?;
        let exists = employee::Entity::find()
            .filter(employee::Column::Nip.eq(nip.as_str()))
            .count(&txn)
            .await?
            > 0;
        if exists {
            continue;
        }
        let unit_id = *ids
            .get(*unit_name)
            .ok_or_else(|| DbErr::Custom(format!("demo unit missing: {unit_name}")))?;
        employee::ActiveModel {
            nip: Set(nip.as_str().to_string()),
            asn_kind: Set(match kind {
                AsnKind::Pns => "pns".into(),
                AsnKind::Pppk => "pppk".into(),
            }),
            name: Set(name.to_string()),
            email: Set(Some(email.to_string())),
            unit_id: Set(unit_id),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        report.employees_created += 1;
    }
    txn.commit().await?;
    Ok(report)
}

/// True when there is nothing in the database yet (first run).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(
        unit::Entity::find().count(db).await? == 0
            && employee::Entity::find().count(db).await? == 0,
    )
}

/// Both stages, with a one-line summary for the command line and the log.
pub async fn everything(
    db: &DatabaseConnection,
    today: chrono::NaiveDate,
    checkin_days: &[u32],
) -> anyhow::Result<String> {
    let org = demo(db, today).await?;
    let t = training::demo(db, today, checkin_days).await?;
    let logins = accounts::demo(db).await?;
    Ok(format!(
        "{} unit baru, {} pegawai baru, {} jabatan, {} pelatihan, {} aturan, {} mutasi\n{}",
        org.units_created,
        org.employees_created + t.employees,
        t.positions,
        t.courses,
        t.rules,
        t.transfers,
        accounts::describe(&logins).trim_end()
    ))
}
