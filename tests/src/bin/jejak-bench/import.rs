//! Import of a 10,000-row transfer file (issue 7): preview, then the
//! confirmed import in one transaction, with every transfer in force
//! completed and its plan generated. Data per run: the demo organisation
//! and 10,000 employees (imported from a generated file, not timed); the
//! decree list moves each of them once (`jejak_tests::import_files`).

use app::{
    backend::data::import::{self, ImportFile, Options},
    domain::import::ImportKind,
};

use crate::{fresh_database, median, Args};

async fn run_once(backend: &str, n: usize) -> (f64, f64, usize) {
    let (db, _pg, _dir) = fresh_database(backend).await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Jakarta)
        .date_naive();
    jejak::seed::everything(&db, today, &[30, 60, 90])
        .await
        .expect("demo data");
    let (employees, transfers) = jejak_tests::import_files::over_the_demo(n);
    let file = |kind, bytes| ImportFile {
        kind,
        file_name: "bench.csv",
        bytes,
        options: Options::default(),
        today,
    };
    import::apply(
        &db,
        "bench",
        file(ImportKind::Employees, &employees),
        &[30, 60, 90],
        None,
    )
    .await
    .expect("employees");
    let f = file(ImportKind::Transfers, &transfers);
    let t0 = std::time::Instant::now();
    let preview = import::preview(&db, f).await.expect("preview");
    let preview_secs = t0.elapsed().as_secs_f64();
    assert!(preview.clean(), "the generated file is clean");
    let t1 = std::time::Instant::now();
    let (_, applied) = import::apply(&db, "bench", f, &[30, 60, 90], None)
        .await
        .expect("import");
    let import_secs = t1.elapsed().as_secs_f64();
    assert_eq!(applied.plans_created, n);
    (preview_secs, import_secs, applied.assignments_created)
}

pub async fn bench(args: &Args) {
    let n = args.transfers;
    for backend in &args.backends {
        let mut previews = Vec::new();
        let mut imports = Vec::new();
        let mut totals = Vec::new();
        let mut assignments = 0;
        for run in 1..=args.runs {
            let (p, i, a) = run_once(backend, n).await;
            println!(
                "import {backend} run {run}: {n} transfer rows, preview {p:.2} s, import {i:.2} s (one transaction, {a} assignments), together {:.2} s",
                p + i
            );
            previews.push(p);
            imports.push(i);
            totals.push(p + i);
            assignments = a;
        }
        let (pm, pmin, pmax) = median(&mut previews);
        let (im, imin, imax) = median(&mut imports);
        let (tm, tmin, tmax) = median(&mut totals);
        println!(
            "import {backend}: {n} rows, {assignments} assignments — preview median {pm:.2} s ({pmin:.2}–{pmax:.2}), import median {im:.2} s ({imin:.2}–{imax:.2}), preview + import median {tm:.2} s ({tmin:.2}–{tmax:.2}); target 10 s{}",
            crate::peak_rss_mib().map(|m| format!("; peak RSS {m:.0} MiB")).unwrap_or_default()
        );
    }
}
