//! The test data of the benchmarks and load tests: `jejak-synth` (this
//! crate's binary, `jejak_tests::synthetic`) writes the large synthetic
//! organisation, run as a process the way `./dev.sh bench` runs it.

use std::process::Command;

fn jejak_synth() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_jejak-synth"));
    // Tests must not pick up a developer's configuration.
    c.env_remove("JEJAK_DATABASE_URL")
        .env_remove("JEJAK_ADDR")
        .env_remove("JEJAK_DATA_DIR")
        .env_remove("JEJAK_CONFIG");
    c.env("JEJAK_LOG", "warn");
    c
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("run jejak-synth");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `jejak-synth` on a fresh database (the data dir's SQLite file, or
/// `pg_url`), checked through the database: counts per state, valid NIPs, a
/// tree at least four deep, plans for the completed transfers, the logins
/// file; a second run is refused.
fn synthetic_seed_and_check(data: &std::path::Path, pg_url: Option<&str>) {
    let seed = || {
        let mut c = jejak_synth();
        c.arg("--data-dir")
            .arg(data)
            .args(["--employees", "2000", "--transfers", "2500"]);
        if let Some(url) = pg_url {
            c.env("JEJAK_DATABASE_URL", url);
        }
        run(&mut c)
    };
    let (code, out, err) = seed();
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("synthetic organisation loaded"), "{out}");
    let url = match pg_url {
        Some(u) => u.to_string(),
        None => format!("sqlite://{}?mode=ro", data.join("jejak.db").display()),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(check_synthetic_database(&url, data));
    let (code, _, err) = seed();
    assert_ne!(code, 0, "a second synthetic seed must be refused");
    assert!(
        err.contains("already holds a synthetic organisation"),
        "{err}"
    );
}

async fn check_synthetic_database(url: &str, data: &std::path::Path) {
    use app::backend::entities::{account, assignment, employee, plan, transfer, unit};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let db = sea_orm::Database::connect(url).await.unwrap();
    let logins: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data.join("synthetic-logins.json")).unwrap())
            .unwrap();

    // 2,000 synthetic employees on top of the demo's 200, every NIP valid.
    let people = employee::Entity::find().all(&db).await.unwrap();
    assert_eq!(people.len(), 2_200);
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    for e in &people {
        let kind = match e.asn_kind.as_str() {
            "pppk" => app::domain::nip::AsnKind::Pppk,
            _ => app::domain::nip::AsnKind::Pns,
        };
        assert!(
            app::domain::nip::Nip::parse(&e.nip, kind, tomorrow).is_ok(),
            "invalid NIP {}",
            e.nip
        );
    }

    // 2,500 synthetic transfers (and the demo's 30) in every state; each
    // completed one has its plan.
    let transfers = transfer::Entity::find().all(&db).await.unwrap();
    assert_eq!(transfers.len(), 2_530);
    let count = |state: &str| transfers.iter().filter(|t| t.state == state).count();
    for state in ["draft", "approved", "cancelled"] {
        assert!(count(state) >= 50, "{state}: {}", count(state));
    }
    assert!(count("completed") >= 2_000, "{}", count("completed"));
    assert_eq!(
        plan::Entity::find().count(&db).await.unwrap() as usize,
        count("completed")
    );
    let assignments = assignment::Entity::find().all(&db).await.unwrap();
    assert!(
        assignments.len() >= 4 * count("completed"),
        "{}",
        assignments.len()
    );
    let today = tomorrow - chrono::Days::new(1);
    let overdue = assignments
        .iter()
        .filter(|a| a.state == "assigned" && a.due_date < today)
        .count();
    let done = assignments
        .iter()
        .filter(|a| a.state == "completed")
        .count();
    assert!(
        overdue > 0 && done > 0,
        "overdue {overdue}, completed {done}"
    );

    // The tree: four levels or more under the province.
    let units = unit::Entity::find().all(&db).await.unwrap();
    let parent: std::collections::HashMap<i64, Option<i64>> =
        units.iter().map(|u| (u.id, u.parent_id)).collect();
    let depth = |mut id: i64| {
        let mut d = 1;
        while let Some(Some(p)) = parent.get(&id) {
            d += 1;
            id = *p;
        }
        d
    };
    assert!(units.iter().map(|u| depth(u.id)).max().unwrap() >= 4);

    // The logins: an administrator, the manager of the large unit, 50
    // employees with a plan; the large unit holds the people it says.
    let list = logins["logins"].as_array().unwrap();
    assert_eq!(list.len(), 52);
    assert_eq!(list[0]["role"], "admin");
    assert_eq!(list[1]["role"], "manager");
    let big = logins["manager_unit"]["id"].as_i64().unwrap();
    let under_big = |mut id: i64| loop {
        if id == big {
            return true;
        }
        match parent.get(&id) {
            Some(Some(p)) => id = *p,
            _ => return false,
        }
    };
    let in_big = people.iter().filter(|e| under_big(e.unit_id)).count();
    assert_eq!(
        logins["manager_unit"]["people"].as_u64().unwrap() as usize,
        in_big
    );
    assert!(in_big >= 150, "{in_big}");
    let with_plan = assignments
        .iter()
        .map(|a| a.employee_id)
        .collect::<std::collections::HashSet<_>>();
    for l in &list[2..] {
        assert!(
            with_plan.contains(&l["employee_id"].as_i64().unwrap()),
            "{l}"
        );
    }
    let manager = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(list[1]["employee_id"].as_i64().unwrap()))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        app::backend::access::password::verify(
            logins["password"].as_str().unwrap().to_string(),
            manager.password_hash
        )
        .await
    );
    db.close().await.unwrap();
}

#[test]
fn synthetic_organisation_is_deep_and_valid_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    synthetic_seed_and_check(&dir.path().join("data"), None);
}

#[test]
fn synthetic_organisation_is_deep_and_valid_on_postgres() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let pg = rt.block_on(jejak_tests::PgDatabase::create());
    let dir = tempfile::tempdir().unwrap();
    synthetic_seed_and_check(&dir.path().join("data"), Some(&pg.url));
}
