//! Import (issue 7) against real databases: the corpus of awkward and
//! malformed files with the outcome each must have, the one-transaction
//! confirmation (all or nothing, idempotent), plans generated for imported
//! transfers, the 10,000-row file, and the upload → preview → confirm path
//! over HTTP.

use std::path::PathBuf;

use app::{
    backend::{
        data::import::{self, ImportFile, Options},
        entities::{assignment, audit_entry, completion, employee, plan, position, transfer, unit},
    },
    domain::import::{ImportKind, Preview, RowAction},
};
use jejak_tests::{spawn_app, Backend, TestApp};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

fn corpus_file(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn file<'a>(
    kind: ImportKind,
    name: &'a str,
    bytes: &'a [u8],
    options: Options,
    today: chrono::NaiveDate,
) -> ImportFile<'a> {
    ImportFile {
        kind,
        file_name: name,
        bytes,
        options,
        today,
    }
}

/// Row counts of everything an import can write.
async fn counts(app: &TestApp) -> [u64; 8] {
    let db = app.db();
    [
        employee::Entity::find().count(db).await.unwrap(),
        transfer::Entity::find().count(db).await.unwrap(),
        plan::Entity::find().count(db).await.unwrap(),
        assignment::Entity::find().count(db).await.unwrap(),
        completion::Entity::find().count(db).await.unwrap(),
        unit::Entity::find().count(db).await.unwrap(),
        position::Entity::find().count(db).await.unwrap(),
        audit_entry::Entity::find().count(db).await.unwrap(),
    ]
}

/// The demo organisation plus the corpus's four employees.
async fn world(backend: Backend) -> (TestApp, chrono::NaiveDate) {
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let bytes = corpus_file("pegawai-siasn-bom-titikkoma.csv");
    let (p, applied) = import::apply(
        app.db(),
        "uji",
        file(
            ImportKind::Employees,
            "pegawai-siasn-bom-titikkoma.csv",
            &bytes,
            Options::default(),
            today,
        ),
        &[30, 60, 90],
        None,
    )
    .await
    .unwrap();
    assert!(p.clean(), "{:#?}", p);
    assert_eq!(applied.created, 4);
    (app, today)
}

/// What one corpus file must come to.
struct Case {
    file: &'static str,
    kind: ImportKind,
    create_missing: bool,
    /// The file is refused with this code.
    refused: Option<&'static str>,
    /// create, update, unchanged, rejected
    rows: [usize; 4],
    /// Every finding: (line, column as headed in the file, code).
    findings: &'static [(u64, Option<&'static str>, &'static str)],
}

const fn case(
    file: &'static str,
    kind: ImportKind,
    rows: [usize; 4],
    findings: &'static [(u64, Option<&'static str>, &'static str)],
) -> Case {
    Case {
        file,
        kind,
        create_missing: false,
        refused: None,
        rows,
        findings,
    }
}

const fn refused(file: &'static str, kind: ImportKind, code: &'static str) -> Case {
    Case {
        file,
        kind,
        create_missing: false,
        refused: Some(code),
        rows: [0; 4],
        findings: &[],
    }
}

fn corpus() -> Vec<Case> {
    use ImportKind::*;
    vec![
        // Importing the same file twice changes nothing the second time.
        case(
            "pegawai-siasn-bom-titikkoma.csv",
            Employees,
            [0, 0, 4, 0],
            &[(1, None, "unknown_column")],
        ),
        case(
            "pegawai-perubahan-koma.csv",
            Employees,
            [1, 1, 1, 0],
            &[(3, Some("unorNama"), "place_differs")],
        ),
        case(
            "pegawai-nip-salah.csv",
            Employees,
            [0, 0, 0, 4],
            &[
                (2, Some("nipBaru"), "invalid_nip"),
                (3, Some("nipBaru"), "invalid_nip"),
                (4, Some("nipBaru"), "invalid_nip"),
                (5, Some("nipBaru"), "invalid_nip"),
            ],
        ),
        refused("pegawai-kolom-hilang.csv", Employees, "missing_column"),
        case(
            "pegawai-duplikat.csv",
            Employees,
            [1, 0, 0, 1],
            &[(3, Some("nipBaru"), "duplicate_row")],
        ),
        case(
            "mutasi-siasn.csv",
            Transfers,
            [3, 0, 0, 0],
            &[(4, Some("nama"), "name_differs")],
        ),
        case(
            "mutasi-tanggal-mustahil.csv",
            Transfers,
            [0, 0, 0, 4],
            &[
                (2, Some("tanggalSk"), "invalid_date"),
                (3, Some("tmtJabatan"), "invalid_date"),
                (4, Some("tanggalSk"), "invalid_date"),
                (5, Some("tmtJabatan"), "missing_value"),
            ],
        ),
        case(
            "mutasi-kutip-rusak.csv",
            Transfers,
            [1, 0, 0, 1],
            &[(3, None, "unclosed_quote")],
        ),
        refused("mutasi-pemisah-salah.csv", Transfers, "missing_column"),
        case(
            "mutasi-unit-tidak-dikenal.csv",
            Transfers,
            [0, 0, 0, 1],
            &[
                (2, Some("unorNama"), "unknown_unit"),
                (2, Some("jabatanNama"), "unknown_position"),
            ],
        ),
        Case {
            create_missing: true,
            ..case(
                "mutasi-unit-tidak-dikenal.csv",
                Transfers,
                [1, 0, 0, 0],
                &[],
            )
        },
        case(
            "mutasi-duplikat.csv",
            Transfers,
            [1, 0, 0, 1],
            &[(3, Some("nomorSk"), "duplicate_row")],
        ),
        case(
            "riwayat-siasn.csv",
            History,
            [3, 0, 0, 0],
            &[(3, Some("tahunKursus"), "year_differs")],
        ),
        case(
            "riwayat-salah.csv",
            History,
            [0, 0, 0, 5],
            &[
                (2, Some("kodeKursus"), "unknown_course"),
                (3, Some("tanggalKursus"), "invalid_date"),
                (4, Some("jumlahJam"), "invalid_number"),
                (5, Some("nilai"), "invalid_number"),
                (6, Some("nipBaru"), "invalid_nip"),
            ],
        ),
        refused("kosong.csv", Employees, "empty_file"),
        refused("hanya-judul.csv", Employees, "no_rows"),
        refused("utf16.csv", Employees, "not_utf8"),
        refused("latin1.csv", Employees, "not_utf8"),
    ]
}

fn outcome(p: &Preview) -> ([usize; 4], Vec<(u64, Option<String>, String)>) {
    let c = &p.counts;
    let mut findings: Vec<(u64, Option<String>, String)> = p
        .file_issues
        .iter()
        .chain(p.rows.iter().flat_map(|r| r.issues.iter()))
        .map(|i| (i.line, i.column.clone(), i.code.clone()))
        .collect();
    findings.sort();
    ([c.create, c.update, c.unchanged, c.rejected], findings)
}

async fn the_corpus_comes_out_as_expected(backend: Backend) {
    let (app, today) = world(backend).await;
    for case in corpus() {
        let bytes = corpus_file(case.file);
        let options = Options {
            only_valid: false,
            create_missing: case.create_missing,
        };
        let p = import::preview(app.db(), file(case.kind, case.file, &bytes, options, today))
            .await
            .unwrap();
        let what = format!("{} (create_missing {})", case.file, case.create_missing);
        match case.refused {
            Some(code) => {
                assert!(p.refused(), "{what} must be refused: {p:#?}");
                assert!(
                    p.file_issues.iter().any(|i| i.code == code),
                    "{what}: expected {code}, got {:?}",
                    p.file_issues
                );
            }
            None => {
                let (rows, findings) = outcome(&p);
                let mut want: Vec<(u64, Option<String>, String)> = case
                    .findings
                    .iter()
                    .map(|(l, c, code)| (*l, c.map(str::to_string), code.to_string()))
                    .collect();
                want.sort();
                assert_eq!(rows, case.rows, "{what}: rows {:#?}", p.rows);
                assert_eq!(findings, want, "{what}");
            }
        }
        // Every finding speaks both languages and points somewhere.
        for i in p
            .file_issues
            .iter()
            .chain(p.rows.iter().flat_map(|r| r.issues.iter()))
        {
            assert!(
                !i.message.id.is_empty() && !i.message.en.is_empty(),
                "{what}: {i:?}"
            );
        }
        // Confirming a refused file, or one with rejected rows, writes nothing.
        if case.refused.is_some() || case.rows[3] > 0 {
            let before = counts(&app).await;
            let err = import::apply(
                app.db(),
                "uji",
                file(case.kind, case.file, &bytes, options, today),
                &[30, 60, 90],
                None,
            )
            .await
            .unwrap_err();
            assert_eq!(err.status_code(), 422, "{what}: {err:?}");
            assert_eq!(
                counts(&app).await,
                before,
                "{what}: a refused import wrote something"
            );
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_corpus_comes_out_as_expected_on_sqlite() {
    the_corpus_comes_out_as_expected(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_corpus_comes_out_as_expected_on_postgres() {
    the_corpus_comes_out_as_expected(Backend::Postgres).await;
}

async fn transfers_become_plans_once(backend: Backend) {
    let (app, today) = world(backend).await;
    let bytes = corpus_file("mutasi-siasn.csv");
    let f = file(
        ImportKind::Transfers,
        "mutasi-siasn.csv",
        &bytes,
        Options::default(),
        today,
    );
    let preview = import::preview(app.db(), f).await.unwrap();
    assert_eq!(
        preview.plans_to_generate, 2,
        "the decree with TMT 2099 is not in force"
    );
    let (_, applied) = import::apply(app.db(), "uji", f, &[30, 60, 90], None)
        .await
        .unwrap();
    assert_eq!((applied.created, applied.plans_created), (3, 2));
    let rina = employee::Entity::find()
        .filter(employee::Column::Nip.eq("199905052023031001"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let t = transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(rina.id))
        .filter(transfer::Column::SkNumber.eq("800/101/BKPSDM/2026"))
        .one(app.db())
        .await
        .unwrap()
        .expect("the imported transfer");
    assert_eq!(t.state, "completed");
    assert_eq!(t.tmt, chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap());
    let unit_name = unit::Entity::find_by_id(rina.unit_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .name;
    assert_eq!(
        unit_name, "Bidang Aplikasi Informatika",
        "the employee moved"
    );
    let p = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(t.id))
        .one(app.db())
        .await
        .unwrap()
        .expect("a plan for the completed transfer");
    let n = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(p.id))
        .count(app.db())
        .await
        .unwrap();
    assert!(n > 0, "an IT move gets IT courses");
    let imported: Vec<i64> = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.is_in(["800/101/BKPSDM/2026", "800/102/BKPSDM/2026"]))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    let plans: Vec<i64> = plan::Entity::find()
        .filter(plan::Column::TransferId.is_in(imported))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    let total = assignment::Entity::find()
        .filter(assignment::Column::PlanId.is_in(plans))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(applied.assignments_created as u64, total);
    let sari = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.eq("800/103/BKPSDM/2026"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        sari.state, "approved",
        "not in force yet: approved, no plan"
    );

    // The same file again: nothing changes.
    let before = counts(&app).await;
    let again = import::preview(app.db(), f).await.unwrap();
    assert_eq!(again.counts.unchanged, 3, "{:#?}", again.rows);
    let (_, applied) = import::apply(app.db(), "uji", f, &[30, 60, 90], None)
        .await
        .unwrap();
    assert_eq!((applied.created, applied.unchanged), (0, 3));
    let after = counts(&app).await;
    assert_eq!(
        before[..7],
        after[..7],
        "only the import's own audit line is new"
    );
    assert_eq!(after[7], before[7] + 1);

    // History: the course the plan assigned is completed by the record.
    let open = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(p.id))
        .filter(assignment::Column::State.eq("assigned"))
        .one(app.db())
        .await
        .unwrap()
        .expect("open work in the new plan");
    let course = app::backend::entities::course::Entity::find_by_id(open.course_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let history = format!(
        "nipBaru;kodeKursus;tanggalKursus;jumlahJam;nomorSertipikat\n199905052023031001;{};{};;SERT/UJI/1\n",
        course.code,
        today.format("%d-%m-%Y")
    );
    let h = file(
        ImportKind::History,
        "riwayat.csv",
        history.as_bytes(),
        Options::default(),
        today,
    );
    let hp = import::preview(app.db(), h).await.unwrap();
    assert_eq!(hp.rows[0].action, RowAction::Create);
    assert_eq!(hp.rows[0].changes, vec!["penugasan".to_string()]);
    import::apply(app.db(), "uji", h, &[30, 60, 90], None)
        .await
        .unwrap();
    let done = assignment::Entity::find_by_id(open.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(done.state, "completed");
    let record = completion::Entity::find_by_id(done.completion_id.expect("linked record"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (record.source.as_str(), record.certificate_no.as_str()),
        ("import", "SERT/UJI/1")
    );
    app.stop().await;
}

#[tokio::test]
async fn transfers_become_plans_once_on_sqlite() {
    transfers_become_plans_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn transfers_become_plans_once_on_postgres() {
    transfers_become_plans_once(Backend::Postgres).await;
}

/// Only the valid rows, when asked; units and positions created when asked.
async fn choices_are_honoured(backend: Backend) {
    let (app, today) = world(backend).await;
    let bytes = corpus_file("mutasi-kutip-rusak.csv");
    let only_valid = Options {
        only_valid: true,
        create_missing: false,
    };
    let (_, applied) = import::apply(
        app.db(),
        "uji",
        file(ImportKind::Transfers, "k.csv", &bytes, only_valid, today),
        &[30, 60, 90],
        None,
    )
    .await
    .unwrap();
    assert_eq!((applied.created, applied.skipped), (1, 1));
    assert!(transfer::Entity::find()
        .filter(transfer::Column::SkNumber.eq("800/201/BKPSDM/2026"))
        .one(app.db())
        .await
        .unwrap()
        .is_some());
    assert!(transfer::Entity::find()
        .filter(transfer::Column::SkNumber.contains("800/202"))
        .one(app.db())
        .await
        .unwrap()
        .is_none());

    let bytes = corpus_file("mutasi-unit-tidak-dikenal.csv");
    let create = Options {
        only_valid: false,
        create_missing: true,
    };
    let f = file(ImportKind::Transfers, "u.csv", &bytes, create, today);
    let p = import::preview(app.db(), f).await.unwrap();
    assert_eq!(p.new_units, vec!["Bidang Persandian".to_string()]);
    assert_eq!(p.new_positions, vec!["Sandiman Ahli Pertama".to_string()]);
    // Andi moved with the previous file: from his new place now.
    let (_, applied) = import::apply(app.db(), "uji", f, &[30, 60, 90], None)
        .await
        .unwrap();
    assert_eq!(
        (
            applied.units_created,
            applied.positions_created,
            applied.created
        ),
        (1, 1, 1)
    );
    let u = unit::Entity::find()
        .filter(unit::Column::Name.eq("Bidang Persandian"))
        .one(app.db())
        .await
        .unwrap()
        .expect("created unit");
    let andi = employee::Entity::find()
        .filter(employee::Column::Nip.eq("199812302022121003"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(andi.unit_id, u.id);

    // A name two units share must be written as a path.
    let parent = unit::Entity::find()
        .filter(unit::Column::Name.eq("Dinas Komunikasi dan Informatika"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    app::backend::people::organisation::create_unit(
        app.db(),
        "uji",
        app::backend::people::organisation::UnitChanges {
            name: "Seksi Pemerintahan".into(),
            parent_id: Some(parent.id),
        },
    )
    .await
    .unwrap();
    let ambiguous = "nipBaru;nomorSk;tanggalSk;tmtJabatan;unorNama;jabatanNama\n\
        200001152024012002;800/601/BKPSDM/2026;05-01-2026;01-02-2026;Seksi Pemerintahan;Analis Keuangan\n\
        200001152024012002;800/602/BKPSDM/2026;05-01-2026;01-02-2026;Kecamatan Medan Belawan / Seksi Pemerintahan;Analis Keuangan\n";
    let p = import::preview(
        app.db(),
        file(
            ImportKind::Transfers,
            "a.csv",
            ambiguous.as_bytes(),
            Options::default(),
            today,
        ),
    )
    .await
    .unwrap();
    assert_eq!(p.rows[0].issues[0].code, "ambiguous_unit", "{:#?}", p.rows);
    assert_eq!(p.rows[1].action, RowAction::Create, "{:#?}", p.rows[1]);
    app.stop().await;
}

#[tokio::test]
async fn choices_are_honoured_on_sqlite() {
    choices_are_honoured(Backend::Sqlite).await;
}

#[tokio::test]
async fn choices_are_honoured_on_postgres() {
    choices_are_honoured(Backend::Postgres).await;
}

/// The 10,000-row files (generated, see `jejak_tests::import_files`):
/// employees, then their transfers with plans, each in one transaction.
async fn ten_thousand_rows(backend: Backend) {
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak::seed::everything(app.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let units: Vec<String> = [
        "Seksi Pemerintahan",
        "Bidang Aplikasi Informatika",
        "Bidang Akuntansi",
        "Kelurahan Belawan I",
    ]
    .map(String::from)
    .to_vec();
    let positions: Vec<String> = [
        "Pengadministrasi Umum",
        "Pranata Komputer Ahli Pertama",
        "Analis Keuangan",
    ]
    .map(String::from)
    .to_vec();
    let n = 10_000;
    let emp = jejak_tests::import_files::employees(n, &units, &positions);
    let (_, applied) = import::apply(
        app.db(),
        "uji",
        file(
            ImportKind::Employees,
            "e.csv",
            &emp,
            Options::default(),
            today,
        ),
        &[30, 60, 90],
        None,
    )
    .await
    .unwrap();
    assert_eq!(applied.created, n);
    let tr = jejak_tests::import_files::transfers(n, &units, &positions);
    let f = file(
        ImportKind::Transfers,
        "t.csv",
        &tr,
        Options::default(),
        today,
    );
    let p = import::preview(app.db(), f).await.unwrap();
    assert!(
        p.clean(),
        "{:?}",
        p.rows.iter().find(|r| !r.issues.is_empty())
    );
    assert_eq!(p.plans_to_generate, n);
    let (_, applied) = import::apply(app.db(), "uji", f, &[30, 60, 90], None)
        .await
        .unwrap();
    assert_eq!((applied.created, applied.plans_created), (n, n));
    let completed = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.contains("/BKPSDM/2026"))
        .filter(transfer::Column::SkNumber.starts_with("821.2/"))
        .filter(transfer::Column::State.eq("completed"))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(completed as usize, n);
    app.stop().await;
}

#[tokio::test]
async fn ten_thousand_rows_on_sqlite() {
    ten_thousand_rows(Backend::Sqlite).await;
}

#[tokio::test]
async fn ten_thousand_rows_on_postgres() {
    ten_thousand_rows(Backend::Postgres).await;
}

/// Any file at all, checked against a real database: never a panic, and
/// the preview is consistent with itself (a row is rejected exactly when
/// it has an error; counts add up; findings point at lines of the file).
#[test]
fn any_file_is_checked_without_panic() {
    use proptest::prelude::*;
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (app, today) = rt.block_on(world(Backend::Sqlite));
    let cell = prop_oneof![
        Just(String::new()),
        Just("199905052023031001".to_string()),
        Just("19990505 202303 1 001".to_string()),
        Just("19900101201503100X".to_string()),
        Just("31-02-2026".to_string()),
        Just("01-01-0001".to_string()),
        Just("2026-01-05".to_string()),
        Just("Seksi Pemerintahan".to_string()),
        Just("Kecamatan Medan Belawan / Seksi Pemerintahan".to_string()),
        Just("Analis Keuangan".to_string()),
        Just("SPBE-01".to_string()),
        Just("III/a".to_string()),
        Just("2,5".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("\"".to_string()),
        "[^\u{0}]{0,20}",
    ];
    let header = prop_oneof![
        Just("nipBaru"),
        Just("nama"),
        Just("golongan"),
        Just("unorNama"),
        Just("jabatanNama"),
        Just("nomorSk"),
        Just("tanggalSk"),
        Just("tmtJabatan"),
        Just("kodeKursus"),
        Just("tanggalKursus"),
        Just("jumlahJam"),
        Just("nilai"),
        Just("email"),
        Just("lain"),
    ];
    let kind = prop_oneof![
        Just(ImportKind::Employees),
        Just(ImportKind::Transfers),
        Just(ImportKind::History)
    ];
    let strategy = (
        kind,
        proptest::collection::vec(header, 1..9),
        proptest::collection::vec(proptest::collection::vec(cell, 0..10), 0..8),
        prop_oneof![Just(";"), Just(","), Just("\t")],
        any::<bool>(),
    );
    let mut runner = proptest::test_runner::TestRunner::new(proptest::test_runner::Config {
        cases: 200,
        ..Default::default()
    });
    runner
        .run(&strategy, |(kind, headers, rows, sep, bom)| {
            let mut text = if bom {
                "\u{feff}".to_string()
            } else {
                String::new()
            };
            text.push_str(&headers.join(sep));
            text.push('\n');
            for r in &rows {
                text.push_str(&r.join(sep));
                text.push('\n');
            }
            for create_missing in [false, true] {
                let options = Options {
                    only_valid: false,
                    create_missing,
                };
                let p = rt
                    .block_on(import::preview(
                        app.db(),
                        file(kind, "x.csv", text.as_bytes(), options, today),
                    ))
                    .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                let c = &p.counts;
                prop_assert_eq!(c.rows, p.rows.len());
                prop_assert_eq!(c.create + c.update + c.unchanged + c.rejected, c.rows);
                for r in &p.rows {
                    let has_error = r.issues.iter().any(|i| i.is_error());
                    prop_assert_eq!(has_error, r.action == RowAction::Rejected, "{:?}", r);
                    prop_assert!(r.issues.iter().all(|i| i.line == r.line));
                }
            }
            Ok(())
        })
        .unwrap();
    rt.block_on(app.stop());
}

/// Upload (multipart, as a browser without JavaScript sends it), preview
/// and confirmation over HTTP, with the refusals people meet.
async fn upload_preview_confirm_over_http(backend: Backend) {
    use app::backend::entities::import_upload;
    use jejak_tests::{call, demo, f};
    use reqwest::multipart::{Form, Part};
    let demo = demo(backend).await;
    let app = &demo.app;
    let form = |kind: &str, name: &str, bytes: Vec<u8>| {
        Form::new().text("jenis", kind.to_string()).part(
            "berkas",
            Part::bytes(bytes)
                .file_name(name.to_string())
                .mime_str("text/csv")
                .unwrap(),
        )
    };
    let upload = |client: reqwest::Client, form: Form| async move {
        let res = client
            .post(app.url("/admin/impor/unggah"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let location = res
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (res.status().as_u16(), location)
    };
    let uploads = || async { import_upload::Entity::find().count(app.db()).await.unwrap() };

    let bytes = corpus_file("pegawai-siasn-bom-titikkoma.csv");
    let (status, location) = upload(
        demo.admin.clone(),
        form("pegawai", "pegawai.csv", bytes.clone()),
    )
    .await;
    assert_eq!(status, 303);
    let id: i64 = location
        .strip_prefix("/admin/impor/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the preview, got {location:?}"));
    let (status, v) = demo
        .call("import_preview", &[f("id", id), f("create_missing", false)])
        .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["preview"]["counts"]["create"], 4, "{v}");
    assert_eq!(v["upload"]["file_name"], "pegawai.csv");
    let page = demo
        .admin
        .get(app.url(&format!("/admin/impor/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("pegawai.csv"));

    let (status, v) = demo.call("import_confirm", &[f("id", id)]).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["created"], 4, "{v}");
    let (status, v) = demo.call("import_confirm", &[f("id", id)]).await;
    assert_eq!(status, 409, "a file is confirmed once: {v}");

    // A file with rejected rows: confirming writes nothing and says why.
    let (_, location) = upload(
        demo.admin.clone(),
        form("pegawai", "salah.csv", corpus_file("pegawai-nip-salah.csv")),
    )
    .await;
    let bad: i64 = location.rsplit('/').next().unwrap().parse().unwrap();
    let before = counts(app).await;
    let (status, v) = demo.call("import_confirm", &[f("id", bad)]).await;
    assert_eq!(status, 422, "{v}");
    assert!(v.to_string().contains("4 baris berisi kesalahan"), "{v}");
    assert_eq!(counts(app).await, before);
    let (status, v) = demo
        .call("import_confirm", &[f("id", bad), f("only_valid", "on")])
        .await;
    assert_eq!(
        (status, v["created"].as_u64(), v["skipped"].as_u64()),
        (200, Some(0), Some(4)),
        "{v}"
    );

    // Refusals: too large, empty, no kind; nothing stored.
    let n = uploads().await;
    let big = vec![b'a'; import::reader::MAX_BYTES + 10];
    assert_eq!(
        upload(demo.admin.clone(), form("mutasi", "besar.csv", big)).await,
        (303, "/admin/impor?galat=besar".into())
    );
    assert_eq!(
        upload(demo.admin.clone(), form("mutasi", "kosong.csv", vec![])).await,
        (303, "/admin/impor?galat=kosong".into())
    );
    assert_eq!(
        upload(demo.admin.clone(), form("gaji", "x.csv", bytes.clone())).await,
        (303, "/admin/impor?galat=jenis".into())
    );
    assert_eq!(uploads().await, n, "a refused upload stores nothing");

    // Who may: the anonymous are sent to sign in, others see nothing.
    let (status, location) = upload(
        jejak_tests::http_client(),
        form("pegawai", "p.csv", bytes.clone()),
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/masuk"));
    let employee = demo.as_role("employee").await;
    let (status, _) = upload(employee.clone(), form("pegawai", "p.csv", bytes.clone())).await;
    assert_eq!(status, 404);
    let (status, _) = call(
        app,
        &employee,
        "import_preview",
        &[f("id", id), f("create_missing", false)],
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(uploads().await, n);

    // The template: Jejak's columns, `;` with a BOM.
    let res = jejak_tests::http_client()
        .get(app.url("/admin/impor/templat/mutasi.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.unwrap();
    assert!(
        body.starts_with(b"\xef\xbb\xbfnipBaru;nama;nomorSk;tanggalSk;tmtJabatan"),
        "{body:?}"
    );
    // Dropping the demo stops its server.
}

#[tokio::test]
async fn upload_preview_confirm_over_http_on_sqlite() {
    upload_preview_confirm_over_http(Backend::Sqlite).await;
}

#[tokio::test]
async fn upload_preview_confirm_over_http_on_postgres() {
    upload_preview_confirm_over_http(Backend::Postgres).await;
}

/// What Jejak exports for SIASN imports back as it was: every record of
/// the training-history export is found unchanged, in both separators.
async fn the_history_export_imports_back_unchanged(backend: Backend) {
    let demo = jejak_tests::demo(backend).await;
    let app = &demo.app;
    for query in ["", "?pemisah=titikkoma"] {
        let res = demo
            .admin
            .get(app.url(&format!("/ekspor/riwayat-pelatihan.csv{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap().to_vec();
        let p = import::preview(
            app.db(),
            file(
                ImportKind::History,
                "riwayat.csv",
                &bytes,
                Options::default(),
                demo.today,
            ),
        )
        .await
        .unwrap();
        let records = completion::Entity::find().count(app.db()).await.unwrap() as usize;
        assert!(records > 10, "the demo has training history");
        assert!(!p.refused(), "{query}: {:?}", p.file_issues);
        assert_eq!(p.counts.rows, records, "{query}");
        assert_eq!(
            p.counts.unchanged,
            records,
            "{query}: {:?}",
            p.rows.iter().find(|r| r.action != RowAction::Unchanged)
        );
    }
}

#[tokio::test]
async fn the_history_export_imports_back_unchanged_on_sqlite() {
    the_history_export_imports_back_unchanged(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_history_export_imports_back_unchanged_on_postgres() {
    the_history_export_imports_back_unchanged(Backend::Postgres).await;
}
