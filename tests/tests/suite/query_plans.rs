//! The hot reads at scale (issue 8): every statement a busy page runs is
//! captured from the database connection itself, then
//! - counted, for a small case and a large one: the count must not grow
//!   with the data (no N+1 queries);
//! - explained on the database it ran on: no statement may read a large
//!   table whole when an index could answer (SQLite: a plain `SCAN` of
//!   the table; PostgreSQL: a `Seq Scan` even with `enable_seqscan = off`,
//!   which only happens when no index applies).
//!
//! The data is the synthetic organisation (`jejak_tests::synthetic`, what
//! `jejak-synth` writes) at a small size on top of the demo data, so the
//! small case (a demo person, the demo manager) and the large one (a
//! synthetic person, the manager of the big synthetic dinas) sit in one
//! database.

use std::sync::{Arc, Mutex};

use app::{
    backend::{
        access::{session, Principal},
        db,
        {adaptation, training::my_training, transfers::list},
    },
    i18n::Locale,
};
use chrono::NaiveDate;
use jejak_tests::{on_both_backends, spawn_app, Backend, TestApp};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

on_both_backends!(hot_pages_run_a_fixed_number_of_indexed_statements);

/// Tables that grow with the organisation; reading one whole is a defect
/// unless listed in [`ACCEPTED_SCANS`].
const LARGE: &[&str] = &[
    "units",
    "employees",
    "transfers",
    "plans",
    "assignments",
    "completions",
    "checkins",
    "self_reports",
    "sessions",
    "accounts",
    "account_roles",
    "audit_log",
    "outbox",
];

/// Whole-table reads that are the point of the statement, with the reason.
const ACCEPTED_SCANS: &[(&str, &str)] = &[
    // (Names and decree numbers are searched through trigram indexes.)
    (
        "units",
        "unit picker: name contains the text (LIKE '%…%'), 20 offered",
    ),
];

struct Captured {
    db: DatabaseConnection,
    log: Arc<Mutex<Vec<Statement>>>,
}

impl Captured {
    async fn open(app: &TestApp) -> Captured {
        let mut conn = db::connect(&app.state.config).await.expect("second pool");
        let log: Arc<Mutex<Vec<Statement>>> = Arc::default();
        let sink = log.clone();
        conn.set_metric_callback(move |info| sink.lock().unwrap().push(info.statement.clone()));
        Captured { db: conn, log }
    }

    fn take(&self) -> Vec<Statement> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

fn principal(account_id: i64, employee_id: i64, admin: bool, managed: Vec<i64>) -> Principal {
    Principal {
        account_id,
        employee_id,
        name: "Uji".into(),
        nip: String::new(),
        language: "id".into(),
        admin,
        managed_units: managed,
        taught_courses: vec![],
        session_hash: String::new(),
    }
}

/// The statements of one page load: the session lookup, then the page.
async fn employee_page(
    c: &Captured,
    app: &TestApp,
    p: &Principal,
    today: NaiveDate,
) -> Vec<Statement> {
    let token = session::create(&c.db, p.account_id, chrono::Utc::now(), &app.state.config)
        .await
        .expect("session");
    c.take();
    let me = session::authenticate(&c.db, &token, chrono::Utc::now(), &app.state.config)
        .await
        .expect("lookup")
        .expect("alive");
    assert_eq!(me.employee_id, p.employee_id);
    let page = my_training::load(&c.db, p, today, 20.0, Locale::id)
        .await
        .expect("my training");
    assert!(!page.plans.is_empty(), "the person has a plan to show");
    c.take()
}

async fn manager_page(c: &Captured, p: &Principal, today: NaiveDate) -> (Vec<Statement>, u64) {
    c.take();
    let page = adaptation::dashboard(
        &c.db,
        p,
        adaptation::Query {
            q: String::new(),
            sort: "terlambat".into(),
            page: 1,
        },
        today,
        180,
        Locale::id,
    )
    .await
    .expect("dashboard");
    (c.take(), page.total)
}

async fn transfer_page(
    c: &Captured,
    q: &str,
    unit: list::UnitScope,
    cursor: Option<list::Cursor>,
    today: NaiveDate,
) -> Vec<Statement> {
    c.take();
    list::list(
        &c.db,
        list::ListFilter {
            q: q.into(),
            state: None,
            unit,
            cursor,
        },
        today,
        Locale::id,
    )
    .await
    .expect("transfer list");
    c.take()
}

/// The plan lines of one statement, as the database gives them. On
/// PostgreSQL with sequential scans priced out, in one transaction so the
/// setting and the EXPLAIN share a connection of the pool.
async fn explain(c: &Captured, s: &Statement) -> Vec<String> {
    use sea_orm::TransactionTrait;
    let backend = c.db.get_database_backend();
    let (prefix, column) = match backend {
        DbBackend::Postgres => ("EXPLAIN ", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN ", "detail"),
    };
    let stmt = Statement {
        sql: format!("{prefix}{}", s.sql),
        ..s.clone()
    };
    let txn = c.db.begin().await.expect("transaction");
    if backend == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
    }
    let rows = txn.query_all_raw(stmt).await.expect("explain");
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|r| r.try_get::<String>("", column).expect("plan line"))
        .collect()
}

/// The large table a plan line reads whole, if it does.
fn whole_table_read(line: &str, backend: DbBackend) -> Option<&'static str> {
    let line = line.trim().trim_start_matches("->").trim();
    let table = match backend {
        // "SCAN assignments" / "SCAN a" is a full read; "SCAN a USING
        // INDEX …" walks an index in order, "SEARCH …" seeks.
        DbBackend::Postgres => line
            .strip_prefix("Seq Scan on ")?
            .split_whitespace()
            .next()?,
        _ => {
            let rest = line.strip_prefix("SCAN ")?;
            if rest.contains("USING") {
                return None;
            }
            rest.split_whitespace().next()?
        }
    };
    LARGE.iter().copied().find(|t| *t == table)
}

async fn assert_indexed(c: &Captured, page: &str, statements: &[Statement]) {
    let backend = c.db.get_database_backend();
    for s in statements.iter().filter(|s| {
        s.sql
            .trim_start()
            .to_uppercase()
            .starts_with(|ch| ch == 'S' || ch == 'W')
    }) {
        let plan = explain(c, s).await;
        for line in &plan {
            if let Some(table) = whole_table_read(line, backend) {
                let accepted = ACCEPTED_SCANS.iter().any(|(t, _)| *t == table)
                    && s.sql.to_uppercase().contains("LIKE");
                assert!(
                    accepted,
                    "{page}: `{}` reads the whole table {table}:\n{}",
                    s.sql,
                    plan.join("\n")
                );
            }
        }
    }
}

/// The statements, shortened, one a line (for the messages).
fn summary(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| s.sql.chars().take(90).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n  ")
}

async fn hot_pages_run_a_fixed_number_of_indexed_statements(backend: Backend) {
    let app = spawn_app(backend).await;
    let today = app.state.now_local().date_naive();
    jejak_tests::synthetic::run(
        &app.state.config,
        today,
        jejak_tests::synthetic::Options {
            employees: 2_000,
            transfers: 4_000,
            seed: 8,
        },
    )
    .await
    .expect("synthetic organisation");
    let logins: serde_json::Value = serde_json::from_slice(
        &std::fs::read(app.state.config.data_dir.join("synthetic-logins.json")).unwrap(),
    )
    .unwrap();
    let c = Captured::open(&app).await;
    let account_of = |employee_id: i64| {
        let db = c.db.clone();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(
                    db.get_database_backend(),
                    format!("SELECT id FROM accounts WHERE employee_id = {employee_id}"),
                ))
                .await
                .unwrap()
                .expect("an account");
            row.try_get::<i64>("", "id").unwrap()
        }
    };
    let by_role = |role: &str| -> Vec<i64> {
        logins["logins"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["role"] == role)
            .map(|l| l["employee_id"].as_i64().unwrap())
            .collect()
    };

    // Employee page: a demo person with one plan, a synthetic one with
    // several plans and a long history.
    let demo_person: i64 =
        c.db.query_one_raw(Statement::from_string(
            c.db.get_database_backend(),
            "SELECT MIN(employee_id) AS id FROM plans".to_string(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let busiest: i64 =
        c.db.query_one_raw(Statement::from_string(
            c.db.get_database_backend(),
            format!(
                "SELECT employee_id AS id FROM assignments WHERE employee_id IN ({}) \
                 GROUP BY employee_id ORDER BY COUNT(*) DESC, employee_id LIMIT 1",
                by_role("employee")
                    .iter()
                    .map(i64::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let small = principal(account_of(demo_person).await, demo_person, false, vec![]);
    let small_stmts = employee_page(&c, &app, &small, today).await;
    let large = principal(account_of(busiest).await, busiest, false, vec![]);
    let large_stmts = employee_page(&c, &app, &large, today).await;
    assert_eq!(
        small_stmts.len(),
        large_stmts.len(),
        "the employee page runs as many statements for a long record as for a short one:\n  {}\nagainst\n  {}",
        summary(&small_stmts),
        summary(&large_stmts)
    );
    assert!(
        large_stmts.len() <= 6,
        "the employee page (with its session) stays within six statements:\n  {}",
        summary(&large_stmts)
    );
    assert_indexed(&c, "employee page", &large_stmts).await;

    // Manager dashboard: the demo manager's small unit and the big dinas.
    let demo_unit: i64 =
        c.db.query_one_raw(Statement::from_string(
            c.db.get_database_backend(),
            "SELECT MIN(unit_id) AS id FROM account_roles WHERE role = 'manager'".to_string(),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get("", "id")
        .unwrap();
    let big_unit = logins["manager_unit"]["id"].as_i64().unwrap();
    let (small_stmts, small_total) =
        manager_page(&c, &principal(0, 0, false, vec![demo_unit]), today).await;
    let (large_stmts, large_total) =
        manager_page(&c, &principal(0, 0, false, vec![big_unit]), today).await;
    assert!(
        large_total > small_total && large_total >= 20,
        "the big dinas has many newcomers ({large_total} against {small_total})"
    );
    assert_eq!(
        small_stmts.len(),
        large_stmts.len(),
        "the dashboard runs as many statements for {large_total} newcomers as for {small_total}:\n  {}",
        summary(&large_stmts)
    );
    assert_indexed(&c, "manager dashboard", &large_stmts).await;

    // Administrator's transfer list: first page, a later page, a search.
    use list::{Cursor, UnitScope::All};
    let first = transfer_page(&c, "", All, None, today).await;
    let later = transfer_page(&c, "", All, Some(Cursor::Older(1_000)), today).await;
    let newer = transfer_page(&c, "", All, Some(Cursor::Newer(1_000)), today).await;
    let search = transfer_page(&c, "siti", All, Some(Cursor::Older(3_000)), today).await;
    let by_nip = transfer_page(&c, "1985", All, None, today).await;
    let in_unit = transfer_page(&c, "", list::UnitScope::Subtree(big_unit), None, today).await;
    assert_eq!(first.len(), in_unit.len(), "{}", summary(&in_unit));
    assert_indexed(&c, "transfer list, one unit's subtree", &in_unit).await;

    // The unit picker: finding units as typed, and reading back a path.
    use app::backend::people::unit_lookup;
    c.take();
    let offered = unit_lookup::search(&c.db, "seksi").await.unwrap();
    assert!(!offered.is_empty());
    let picker = c.take();
    assert_eq!(picker.len(), 2, "{}", summary(&picker));
    assert_indexed(&c, "unit picker", &picker).await;
    c.take();
    let resolved = unit_lookup::resolve(&c.db, &offered[0].path).await.unwrap();
    assert_eq!(resolved.map(|h| h.id), Ok(offered[0].id));
    let resolving = c.take();
    assert_eq!(resolving.len(), 2, "{}", summary(&resolving));
    assert_indexed(&c, "unit resolution", &resolving).await;
    assert_eq!(first.len(), later.len(), "{}", summary(&later));
    assert_indexed(&c, "transfer list", &first).await;
    assert_indexed(&c, "transfer list, later page", &later).await;
    assert_indexed(&c, "transfer list, newer page", &newer).await;
    assert_indexed(&c, "transfer list, search", &search).await;
    assert_indexed(&c, "transfer list, NIP search", &by_nip).await;
    app.stop().await;
}
