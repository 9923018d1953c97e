//! The core domain services against a real SQLite file and PostgreSQL:
//! transfers through their states, plan generation on completion, recognition
//! of earlier training, idempotency, cancelling, rule versions, audit.

use chrono::NaiveDate;
use jejak_tests::{on_both_backends, spawn_app, Backend, TestApp};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use app::{
    backend::{
        entities::{
            assignment, audit_entry, checkin, completion, employee, plan, plan_rule_version,
            transfer, unit,
        },
        {
            training::assignments::{self, CompletionInput},
            training::catalogue::{self, NewCourse},
            transfers::{self, NewTransfer},
        },
    },
    domain::plan::{Criteria, Disposition, PositionKind, RuleItem, TransferType},
};

const CHECKINS: [u32; 3] = [30, 60, 90];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A small organisation: an IT unit under the city, one employee, three courses, two rules.
struct World {
    app: TestApp,
    employee_id: i64,
    it_unit: i64,
    it_position: i64,
    courses: [i64; 3], // orientasi, keamanan informasi (24 months), SPBE
    spbe_record: i64,
}

async fn world(backend: Backend) -> World {
    let app = spawn_app(backend).await;
    let db = app.db().clone();
    let now = chrono::Utc::now();
    let city = unit::ActiveModel {
        parent_id: Set(None),
        name: Set("Pemerintah Kota Medan".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let kominfo = unit::ActiveModel {
        parent_id: Set(Some(city.id)),
        name: Set("Dinas Kominfo".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let it_unit = unit::ActiveModel {
        parent_id: Set(Some(kominfo.id)),
        name: Set("Bidang Aplikasi Informatika".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    let clerk = catalogue::create_position(
        &db,
        "Pengadministrasi Umum",
        PositionKind::Pelaksana,
        "Administrasi Umum",
        &[],
    )
    .await
    .unwrap();
    let it_position = catalogue::create_position(
        &db,
        "Pranata Komputer Ahli Pertama",
        PositionKind::Fungsional,
        "IT",
        &["Keamanan informasi"],
    )
    .await
    .unwrap()
    .id;
    let emp = employee::ActiveModel {
        nip: Set("198609262015051001".into()),
        asn_kind: Set("pns".into()),
        name: Set("Rahmat Hidayat Siregar, S.Kom.".into()),
        email: Set(None),
        unit_id: Set(city.id),
        created_at: Set(now),
        golongan: Set(Some("III/a".into())),
        language: Set("id".into()),
        position_id: Set(Some(clerk.id)),
        supervisor_id: Set(None),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap();
    let course = |code: &str, title: &str, validity| NewCourse {
        code: code.into(),
        title_id: title.into(),
        title_en: title.into(),
        competency: "teknis".into(),
        jp: 8.0,
        method: "klasikal".into(),
        provider: "BKPSDM Kota Medan".into(),
        validity_months: validity,
    };
    let orientasi =
        catalogue::create_course(&db, "admin", course("ORI-01", "Orientasi unit kerja", None))
            .await
            .unwrap()
            .id;
    let keamanan = catalogue::create_course(
        &db,
        "admin",
        course("KAMINFO-01", "Keamanan informasi", Some(24)),
    )
    .await
    .unwrap()
    .id;
    let spbe = catalogue::create_course(&db, "admin", course("SPBE-01", "Dasar SPBE", None))
        .await
        .unwrap()
        .id;
    let item = |course_id, days, order| RuleItem {
        course_id,
        due_offset_days: days,
        required: true,
        order,
        prerequisites: vec![],
    };
    catalogue::save_rule(
        &db,
        "admin",
        None,
        "Setiap jabatan baru",
        true,
        Criteria::default(),
        vec![item(orientasi, 30, 1)],
    )
    .await
    .unwrap();
    catalogue::save_rule(
        &db,
        "admin",
        None,
        "Jabatan IT",
        true,
        Criteria {
            job_families: vec!["IT".into()],
            unit_subtrees: vec![kominfo.id],
            ..Default::default()
        },
        vec![
            item(keamanan, 60, 2),
            item(spbe, 90, 3),
            item(orientasi, 45, 1),
        ],
    )
    .await
    .unwrap();
    let spbe_record = completion::ActiveModel {
        employee_id: Set(emp.id),
        course_id: Set(spbe),
        completed_on: Set(d(2024, 5, 2)),
        jp: Set(8.0),
        score: Set(Some(85.0)),
        certificate_no: Set("SPBE/2024/117".into()),
        organiser: Set("Kementerian PANRB".into()),
        evidence_note: Set(String::new()),
        logged_by: Set("admin".into()),
        verified_by: Set(Some("admin".into())),
        source: Set("import".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&db)
    .await
    .unwrap()
    .id;
    World {
        app,
        employee_id: emp.id,
        it_unit,
        it_position,
        courses: [orientasi, keamanan, spbe],
        spbe_record,
    }
}

fn new_transfer(w: &World) -> NewTransfer {
    NewTransfer {
        employee_id: w.employee_id,
        to_unit_id: w.it_unit,
        to_position_id: w.it_position,
        sk_number: "B/91/KPTS/IV.05/2026".into(),
        sk_date: d(2026, 6, 20),
        tmt: d(2026, 7, 1),
        transfer_type: TransferType::WithinAgency,
        notes: String::new(),
    }
}

on_both_backends!(
    a_completed_transfer_produces_its_plan_once,
    transfers_refuse_wrong_moves_and_write_nothing,
    cancelling_a_completed_transfer_cancels_open_work_and_keeps_history,
    rule_changes_do_not_rewrite_open_plans,
    concurrent_completion_creates_one_plan,
    trainers_log_completions_that_count_towards_the_yearly_jp,
    expiring_certificates_get_one_renewal,
    bulk_completion_gives_the_same_plan_as_one_by_one,
    bulk_completion_in_parallel_chunks_completes_each_transfer_once,
);

async fn a_completed_transfer_produces_its_plan_once(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let today = d(2026, 7, 2);
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    assert_eq!(t.state, "draft");
    transfers::approve(db, "admin", t.id).await.unwrap();

    let preview = transfers::preview_plan(db, t.id, today).await.unwrap();
    assert_eq!(
        preview.iter().map(|p| p.course_id).collect::<Vec<_>>(),
        w.courses.to_vec()
    );
    assert_eq!(
        preview[0].due,
        d(2026, 7, 31),
        "earliest due date of the two rules"
    );
    assert_eq!(preview[0].reasons.len(), 2);
    assert!(
        matches!(preview[2].disposition, Disposition::Recognised { record_id, .. } if record_id == w.spbe_record)
    );
    assert_eq!(
        plan::Entity::find().count(db).await.unwrap(),
        0,
        "preview writes nothing"
    );

    let done = transfers::complete(db, "admin", t.id, today, &CHECKINS)
        .await
        .unwrap();
    assert!(done.newly_completed);
    assert_eq!(done.transfer.state, "completed");
    assert_eq!(done.assignments.len(), 3);
    let states: Vec<&str> = done.assignments.iter().map(|a| a.state.as_str()).collect();
    assert_eq!(states, vec!["assigned", "assigned", "completed"]);
    assert_eq!(
        done.assignments[2].recognised_record_id,
        Some(w.spbe_record)
    );
    assert_eq!(done.assignments[1].due_date, d(2026, 8, 30));

    let emp = employee::Entity::find_by_id(w.employee_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (emp.unit_id, emp.position_id),
        (w.it_unit, Some(w.it_position)),
        "the employee moved"
    );
    let checkins = checkin::Entity::find()
        .filter(checkin::Column::TransferId.eq(t.id))
        .all(db)
        .await
        .unwrap();
    let mut due: Vec<NaiveDate> = checkins.iter().map(|c| c.due_date).collect();
    due.sort();
    assert_eq!(due, vec![d(2026, 7, 31), d(2026, 8, 30), d(2026, 9, 29)]);

    // Again: nothing new.
    let again = transfers::complete(db, "admin", t.id, today, &CHECKINS)
        .await
        .unwrap();
    assert!(!again.newly_completed);
    assert_eq!(again.plan.id, done.plan.id);
    assert_eq!(plan::Entity::find().count(db).await.unwrap(), 1);
    assert_eq!(assignment::Entity::find().count(db).await.unwrap(), 3);

    // The audit trail tells the story, in order.
    let actions: Vec<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.is_in(["transfer", "plan", "employee"]))
        .order_by_asc(audit_entry::Column::Id)
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        vec![
            "transfer.create",
            "transfer.approved",
            "employee.move",
            "transfer.completed",
            "plan.create"
        ]
    );
    let plan_audit = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("plan.create"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let after: serde_json::Value =
        serde_json::from_str(plan_audit.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["assignments"].as_array().unwrap().len(),
        3,
        "the plan's audit line lists its assignments"
    );
    w.app.stop().await;
}

async fn transfers_refuse_wrong_moves_and_write_nothing(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    let e = transfers::complete(db, "admin", t.id, d(2026, 7, 2), &CHECKINS)
        .await
        .unwrap_err();
    assert_eq!(e.status_code(), 409);
    assert_eq!(
        e.message("id"),
        "Mutasi berstatus Draf tidak dapat diselesaikan"
    );
    let e = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap_err();
    assert_eq!(e.status_code(), 409, "one open transfer per employee");
    let e = transfers::create_draft(
        db,
        "admin",
        NewTransfer {
            employee_id: 999_999,
            ..new_transfer(&w)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("employee_id"));
    let e = transfers::create_draft(
        db,
        "admin",
        NewTransfer {
            sk_number: "  ".into(),
            ..new_transfer(&w)
        },
    )
    .await
    .unwrap_err();
    assert_eq!(e.message("id"), "Nomor SK wajib diisi");
    let e = transfers::cancel(db, "admin", t.id, " ").await.unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    assert_eq!(
        transfers::approve(db, "admin", 424242)
            .await
            .unwrap_err()
            .status_code(),
        404
    );
    assert_eq!(transfer::Entity::find().count(db).await.unwrap(), 1);
    let t = transfer::Entity::find_by_id(t.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.state, "draft");
    w.app.stop().await;
}

async fn cancelling_a_completed_transfer_cancels_open_work_and_keeps_history(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    transfers::approve(db, "admin", t.id).await.unwrap();
    transfers::complete(db, "admin", t.id, d(2026, 7, 2), &CHECKINS)
        .await
        .unwrap();
    let c = transfers::cancel(db, "admin", t.id, "SK dibatalkan oleh PPK")
        .await
        .unwrap();
    assert_eq!(c.state, "cancelled");
    assert_eq!(c.cancel_reason.as_deref(), Some("SK dibatalkan oleh PPK"));
    let states: Vec<String> = assignment::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.state)
        .collect();
    assert_eq!(states.iter().filter(|s| *s == "cancelled").count(), 2);
    assert_eq!(
        states.iter().filter(|s| *s == "completed").count(),
        1,
        "recognised work stays"
    );
    assert_eq!(
        completion::Entity::find().count(db).await.unwrap(),
        1,
        "history is never deleted"
    );
    let p = plan::Entity::find().one(db).await.unwrap().unwrap();
    assert_eq!(p.state, "cancelled");
    assert!(transfers::cancel(db, "admin", t.id, "lagi").await.is_err());
    w.app.stop().await;
}

async fn rule_changes_do_not_rewrite_open_plans(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    transfers::approve(db, "admin", t.id).await.unwrap();
    let done = transfers::complete(db, "admin", t.id, d(2026, 7, 2), &CHECKINS)
        .await
        .unwrap();
    let rule_id = plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::Name.eq("Jabatan IT"))
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .rule_id;
    let v2 = catalogue::save_rule(
        db,
        "admin",
        Some(rule_id),
        "Jabatan IT",
        true,
        Criteria {
            job_families: vec!["IT".into()],
            ..Default::default()
        },
        vec![RuleItem {
            course_id: w.courses[1],
            due_offset_days: 10,
            required: true,
            order: 1,
            prerequisites: vec![],
        }],
    )
    .await
    .unwrap();
    assert_eq!(v2.version, 2);
    let versions = plan_rule_version::Entity::find()
        .filter(plan_rule_version::Column::RuleId.eq(rule_id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(versions, 2, "the old version is kept");
    let now = assignment::Entity::find().all(db).await.unwrap();
    assert_eq!(
        now, done.assignments,
        "open plans are untouched by a rule change"
    );
    let rules = transfers::active_rules(db).await.unwrap();
    assert!(rules
        .iter()
        .any(|r| r.id == rule_id && r.version == 2 && r.items.len() == 1));

    // Re-applying is explicit: first a preview of exactly what would change.
    let today = d(2026, 7, 3);
    let preview = transfers::reapply_preview(db, today).await.unwrap();
    assert_eq!(preview.len(), 1);
    let diff = &preview[0].diff;
    let keamanan = done
        .assignments
        .iter()
        .find(|a| a.course_id == w.courses[1])
        .unwrap();
    assert_eq!(
        diff.move_due,
        vec![(keamanan.id, d(2026, 8, 30), d(2026, 7, 11))]
    );
    assert!(diff.add.is_empty() && diff.cancel.is_empty(), "{diff:?}");
    assert_eq!(
        assignment::Entity::find().all(db).await.unwrap(),
        done.assignments,
        "a preview writes nothing"
    );
    assert_eq!(transfers::reapply(db, "admin", &preview).await.unwrap(), 1);
    let moved = assignment::Entity::find_by_id(keamanan.id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.due_date, d(2026, 7, 11));
    assert!(transfers::reapply_preview(db, today)
        .await
        .unwrap()
        .is_empty());
    // A stale preview is refused, not half-applied.
    assert_eq!(
        transfers::reapply(db, "admin", &preview)
            .await
            .unwrap_err()
            .status_code(),
        409
    );
    w.app.stop().await;
}

async fn concurrent_completion_creates_one_plan(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db().clone();
    let t = transfers::create_draft(&db, "admin", new_transfer(&w))
        .await
        .unwrap();
    transfers::approve(&db, "admin", t.id).await.unwrap();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move {
                transfers::complete(&db, "admin", t.id, d(2026, 7, 2), &CHECKINS).await
            })
        })
        .collect();
    let mut fresh = 0;
    for r in runs {
        // Losers either see the completed transfer or (SQLite) a busy database; none may create a plan.
        if let Ok(Ok(c)) = r.await {
            fresh += c.newly_completed as usize;
        }
    }
    assert_eq!(fresh, 1, "exactly one completion creates the plan");
    assert_eq!(plan::Entity::find().count(&db).await.unwrap(), 1);
    assert_eq!(assignment::Entity::find().count(&db).await.unwrap(), 3);
    w.app.stop().await;
}

async fn trainers_log_completions_that_count_towards_the_yearly_jp(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let today = d(2026, 9, 15);
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    transfers::approve(db, "admin", t.id).await.unwrap();
    let done = transfers::complete(db, "admin", t.id, d(2026, 7, 2), &CHECKINS)
        .await
        .unwrap();
    let [orientasi, keamanan, _recognised] = [
        done.assignments[0].id,
        done.assignments[1].id,
        done.assignments[2].id,
    ];

    let input = |on: NaiveDate| CompletionInput {
        completed_on: on,
        jp: None,
        score: Some(88.5),
        certificate_no: "ORI/2026/014".into(),
        organiser: "BKPSDM Kota Medan".into(),
        evidence_note: String::new(),
    };
    // Rejected input writes nothing.
    let e = assignments::log_completion(db, "pelatih", orientasi, input(d(2026, 9, 16)), today)
        .await
        .unwrap_err();
    assert_eq!(e.message("id"), "Tanggal selesai tidak boleh di masa depan");
    let e = assignments::log_completion(
        db,
        "pelatih",
        orientasi,
        CompletionInput {
            score: Some(101.0),
            ..input(d(2026, 8, 1))
        },
        today,
    )
    .await
    .unwrap_err();
    assert_eq!(e.field(), Some("score"));
    assert_eq!(completion::Entity::find().count(db).await.unwrap(), 1);

    assignments::start(db, "pelatih", orientasi).await.unwrap();
    let (a, record) =
        assignments::log_completion(db, "pelatih", orientasi, input(d(2026, 8, 1)), today)
            .await
            .unwrap();
    assert_eq!(a.state, "completed");
    assert_eq!(a.completion_id, Some(record.id));
    assert_eq!(
        (record.jp, record.source.as_str(), record.logged_by.as_str()),
        (8.0, "trainer_log", "pelatih")
    );
    let again = assignments::log_completion(db, "pelatih", orientasi, input(d(2026, 8, 1)), today)
        .await
        .unwrap_err();
    assert_eq!(
        again.status_code(),
        409,
        "a completed assignment cannot be completed twice"
    );

    let e = assignments::waive(db, "admin", keamanan, "  ")
        .await
        .unwrap_err();
    assert_eq!(e.field(), Some("reason"));
    let waived = assignments::waive(db, "admin", keamanan, "Sudah bersertifikat BSSN")
        .await
        .unwrap();
    assert_eq!(
        (waived.state.as_str(), waived.waived_by.as_deref()),
        ("waived", Some("admin"))
    );

    // 8 JP this year (the 2024 SPBE record does not count for 2026).
    let ledger = assignments::jp_ledger(db, w.employee_id, 2026, 20.0)
        .await
        .unwrap();
    assert_eq!((ledger.done, ledger.shortfall), (8.0, 12.0));
    let ledger = assignments::jp_ledger(db, w.employee_id, 2024, 20.0)
        .await
        .unwrap();
    assert_eq!(ledger.done, 8.0);

    let first = checkin::Entity::find()
        .filter(checkin::Column::DayOffset.eq(30))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let e = assignments::write_checkin(db, "atasan", first.id, "luar_biasa", "")
        .await
        .unwrap_err();
    assert!(
        e.message("id").contains("Sangat Baik"),
        "{}",
        e.message("id")
    );
    let c = assignments::write_checkin(
        db,
        "atasan",
        first.id,
        "baik",
        "Cepat beradaptasi dengan SRIKANDI.",
    )
    .await
    .unwrap();
    assert_eq!(
        (c.rating.as_deref(), c.written_by.as_deref()),
        (Some("baik"), Some("atasan"))
    );
    let audited = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("checkin.write"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    w.app.stop().await;
}

async fn expiring_certificates_get_one_renewal(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let record = completion::ActiveModel {
        employee_id: Set(w.employee_id),
        course_id: Set(w.courses[1]), // keamanan informasi, valid 24 months
        completed_on: Set(d(2024, 12, 15)),
        jp: Set(8.0),
        score: Set(None),
        certificate_no: Set("BSSN/2024/88".into()),
        organiser: Set("BSSN".into()),
        evidence_note: Set(String::new()),
        logged_by: Set("admin".into()),
        verified_by: Set(Some("admin".into())),
        source: Set("import".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let today = d(2026, 11, 28);
    assert_eq!(
        assignments::create_renewals(db, "sistem", today, 10)
            .await
            .unwrap(),
        0,
        "expires in 17 days: outside a 10-day window"
    );
    assert_eq!(
        assignments::create_renewals(db, "sistem", d(2026, 10, 1), 30)
            .await
            .unwrap(),
        0,
        "outside the window"
    );
    assert_eq!(
        assignments::create_renewals(db, "sistem", today, 60)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        assignments::create_renewals(db, "sistem", today, 60)
            .await
            .unwrap(),
        0,
        "idempotent"
    );
    let a = assignment::Entity::find()
        .filter(assignment::Column::RenewalOfRecordId.eq(record.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (a.due_date, a.state.as_str(), a.course_id),
        (d(2026, 12, 15), "assigned", w.courses[1])
    );
    let p = plan::Entity::find_by_id(a.plan_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((p.kind.as_str(), p.transfer_id), ("renewal", None));
    w.app.stop().await;
}

async fn bulk_completion_gives_the_same_plan_as_one_by_one(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    let t = transfers::create_draft(db, "admin", new_transfer(&w))
        .await
        .unwrap();
    transfers::approve(db, "admin", t.id).await.unwrap();
    let expected = transfers::preview_plan(db, t.id, d(2026, 7, 2))
        .await
        .unwrap();

    let r = transfers::complete_many(db, "admin", &[t.id], d(2026, 7, 2), 100, &[14, 45])
        .await
        .unwrap();
    assert_eq!((r.completed, r.already_completed), (1, 0));
    let p = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(t.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let mut got = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(p.id))
        .all(db)
        .await
        .unwrap();
    got.sort_by_key(|a| (a.sort_order, a.due_date, a.course_id));
    let summary: Vec<(i64, NaiveDate, &str, Option<i64>)> = got
        .iter()
        .map(|a| {
            (
                a.course_id,
                a.due_date,
                a.state.as_str(),
                a.recognised_record_id,
            )
        })
        .collect();
    let want: Vec<(i64, NaiveDate, &str, Option<i64>)> = expected
        .iter()
        .map(|i| match i.disposition {
            Disposition::Assign => (i.course_id, i.due, "assigned", None),
            Disposition::Recognised { record_id, .. } => {
                (i.course_id, i.due, "completed", Some(record_id))
            }
        })
        .collect();
    assert_eq!(summary, want);
    let emp = employee::Entity::find_by_id(w.employee_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(emp.unit_id, w.it_unit);
    // Check-in days come from configuration (here 14 and 45 days after the TMT).
    let mut days: Vec<(i32, NaiveDate)> = checkin::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.day_offset, c.due_date))
        .collect();
    days.sort();
    assert_eq!(days, vec![(14, d(2026, 7, 15)), (45, d(2026, 8, 15))]);
    let plan_audit = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("plan.create"))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let after: serde_json::Value =
        serde_json::from_str(plan_audit.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["assignments"].as_array().unwrap().len(),
        3,
        "the plan's audit line lists its assignments"
    );

    // Again: recognised as done, nothing written.
    let r = transfers::complete_many(db, "admin", &[t.id], d(2026, 7, 2), 100, &CHECKINS)
        .await
        .unwrap();
    assert_eq!((r.completed, r.already_completed), (0, 1));
    assert_eq!(plan::Entity::find().count(db).await.unwrap(), 1);
    // A draft in the batch fails the batch and writes nothing.
    let other = employee::ActiveModel {
        nip: Set("199103142019032007".into()),
        asn_kind: Set("pns".into()),
        name: Set("Nurul Aini Lubis, S.E.".into()),
        email: Set(None),
        unit_id: Set(w.it_unit),
        created_at: Set(chrono::Utc::now()),
        golongan: Set(None),
        language: Set("id".into()),
        position_id: Set(None),
        supervisor_id: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let draft = transfers::create_draft(
        db,
        "admin",
        NewTransfer {
            employee_id: other.id,
            ..new_transfer(&w)
        },
    )
    .await
    .unwrap();
    let e = transfers::complete_many(db, "admin", &[draft.id], d(2026, 7, 2), 100, &CHECKINS)
        .await
        .unwrap_err();
    assert_eq!(e.status_code(), 409);
    assert_eq!(plan::Entity::find().count(db).await.unwrap(), 1);
    w.app.stop().await;
}

async fn bulk_completion_in_parallel_chunks_completes_each_transfer_once(backend: Backend) {
    let w = world(backend).await;
    let db = w.app.db();
    // Seven people with an approved transfer each; the first is completed already.
    let nips = [
        "198609262015051001", // the world's employee
        "199103142019032007",
        "199001012015031002",
        "198805052010012003",
        "199512122020121004",
        "198707072012031005",
        "199202022018022006",
    ];
    let mut ids = Vec::new();
    for (i, nip) in nips.iter().enumerate() {
        let employee_id = if i == 0 {
            w.employee_id
        } else {
            employee::ActiveModel {
                nip: Set((*nip).into()),
                asn_kind: Set("pns".into()),
                name: Set(format!("Pegawai {i}")),
                email: Set(None),
                unit_id: Set(w.it_unit),
                created_at: Set(chrono::Utc::now()),
                golongan: Set(None),
                language: Set("id".into()),
                position_id: Set(None),
                supervisor_id: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap()
            .id
        };
        let t = transfers::create_draft(
            db,
            "admin",
            NewTransfer {
                employee_id,
                sk_number: format!("B/{i}/KPTS/2026"),
                ..new_transfer(&w)
            },
        )
        .await
        .unwrap();
        transfers::approve(db, "admin", t.id).await.unwrap();
        ids.push(t.id);
    }
    transfers::complete(db, "admin", ids[0], d(2026, 7, 2), &CHECKINS)
        .await
        .unwrap();

    // An unknown id: refused before anything is written.
    let e = transfers::complete_many(db, "admin", &[ids[1], 999_999], d(2026, 7, 2), 1, &CHECKINS)
        .await
        .unwrap_err();
    assert_eq!(e.status_code(), 404);
    assert_eq!(plan::Entity::find().count(db).await.unwrap(), 1);

    // Chunks of two: on PostgreSQL two run at once.
    let r = transfers::complete_many(db, "admin", &ids, d(2026, 7, 2), 2, &CHECKINS)
        .await
        .unwrap();
    assert_eq!((r.completed, r.already_completed), (6, 1));
    assert_eq!(plan::Entity::find().count(db).await.unwrap(), 7);
    assert_eq!(
        transfer::Entity::find()
            .filter(transfer::Column::State.eq("completed"))
            .count(db)
            .await
            .unwrap(),
        7
    );
    assert_eq!(
        checkin::Entity::find().count(db).await.unwrap(),
        7 * CHECKINS.len() as u64
    );
    assert_eq!(
        employee::Entity::find()
            .filter(employee::Column::PositionId.eq(w.it_position))
            .count(db)
            .await
            .unwrap(),
        7,
        "everyone moved to the new position"
    );
    w.app.stop().await;
}
