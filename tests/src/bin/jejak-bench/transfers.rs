//! Completing transfers in bulk (issue 3): `backend::transfers::complete_many`
//! over N approved transfers, with plan generation.

use std::time::Instant;

use app::backend::{
    entities::{employee, position, transfer, unit},
    transfers,
};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{fresh_database, median, own_cpu_seconds, Args};

/// Demo organisation, rules and catalogue, then `n` employees with `n` approved transfers.
async fn prepare(db: &DatabaseConnection, n: usize, today: NaiveDate) {
    jejak::seed::everything(db, today, &[30, 60, 90])
        .await
        .expect("demo data");
    let units = unit::Entity::find().all(db).await.unwrap();
    let positions = position::Entity::find().all(db).await.unwrap();
    let it = positions.iter().find(|p| p.job_family == "IT").unwrap().id;
    let finance = positions
        .iter()
        .find(|p| p.job_family == "Keuangan")
        .unwrap()
        .id;
    let clerk = positions
        .iter()
        .find(|p| p.job_family == "Administrasi Umum")
        .unwrap()
        .id;
    let leaf: Vec<i64> = units
        .iter()
        .filter(|u| u.parent_id.is_some())
        .map(|u| u.id)
        .collect();
    let now = chrono::Utc::now();
    let base = NaiveDate::from_ymd_opt(1975, 1, 1).unwrap();
    let mut employees = Vec::with_capacity(n);
    for i in 0..n {
        let birth = base + chrono::Days::new((i / 999) as u64);
        employees.push(employee::ActiveModel {
            nip: Set(format!(
                "{}2005011{:03}",
                birth.format("%Y%m%d"),
                i % 999 + 1
            )),
            asn_kind: Set("pns".into()),
            name: Set(format!("Pegawai Uji {i}")),
            email: Set(None),
            unit_id: Set(leaf[i % leaf.len()]),
            created_at: Set(now),
            golongan: Set(Some("III/a".into())),
            language: Set("id".into()),
            position_id: Set(Some(clerk)),
            supervisor_id: Set(None),
            ..Default::default()
        });
    }
    for batch in employees.chunks(500) {
        employee::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
    let people = employee::Entity::find()
        .filter(employee::Column::Name.starts_with("Pegawai Uji "))
        .all(db)
        .await
        .unwrap();
    let tmt = today - chrono::Days::new(7);
    let rows: Vec<transfer::ActiveModel> = people
        .iter()
        .enumerate()
        .map(|(i, e)| transfer::ActiveModel {
            employee_id: Set(e.id),
            from_unit_id: Set(Some(e.unit_id)),
            from_position_id: Set(e.position_id),
            to_unit_id: Set(leaf[(i + 3) % leaf.len()]),
            to_position_id: Set(if i % 2 == 0 { it } else { finance }),
            sk_number: Set(format!("800/{i}/BENCH/2026")),
            sk_date: Set(tmt - chrono::Days::new(10)),
            tmt: Set(tmt),
            transfer_type: Set("within_agency".into()),
            notes: Set(String::new()),
            state: Set("approved".into()),
            cancel_reason: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    for batch in rows.chunks(500) {
        transfer::Entity::insert_many(batch.to_vec())
            .exec_without_returning(db)
            .await
            .unwrap();
    }
}

async fn run_once(backend: &str, n: usize) -> (f64, u64) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    let (db, _pg, _dir) = fresh_database(backend).await;
    prepare(&db, n, today).await;
    let ids: Vec<i64> = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.ends_with("/BENCH/2026"))
        .all(&db)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(ids.len(), n);
    let cpu_before = own_cpu_seconds();
    let started = Instant::now();
    let report = transfers::complete_many(&db, "bench", &ids, today, 1000, &[30, 60, 90])
        .await
        .expect("complete_many");
    let secs = started.elapsed().as_secs_f64();
    if let (Some(a), Some(b)) = (cpu_before, own_cpu_seconds()) {
        eprintln!("    (jejak's own CPU time in that period: {:.2} s)", b - a);
    }
    assert_eq!(report.completed, n);
    let assignments = app::backend::entities::assignment::Entity::find()
        .count(&db)
        .await
        .unwrap();
    db.close().await.ok();
    (secs, assignments)
}

/// `--suite transfers`: N transfers (`--transfers`, default 10,000), `--runs` times per backend.
pub async fn bench(args: &Args) {
    println!(
        "transfers: completing {} approved transfers in bulk (plan generation, assignments, check-ins, audit), {} runs",
        args.transfers, args.runs,
    );
    for backend in &args.backends {
        let mut times = Vec::new();
        let mut assignments = 0;
        for _ in 0..args.runs {
            let (secs, a) = run_once(backend, args.transfers).await;
            println!("  {backend}: {secs:.2} s ({a} assignments in the database)");
            times.push(secs);
            assignments = a;
        }
        let (med, min, max) = median(&mut times);
        println!(
            "RESULT transfers {backend}: median {med:.2} s, min {min:.2} s, max {max:.2} s, {:.0} transfers/s, {assignments} assignments",
            args.transfers as f64 / med
        );
    }
}
