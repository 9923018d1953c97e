//! An adaptation check-in belongs to its transfer (issue 17), over HTTP on
//! the demo organisation, SQLite and PostgreSQL:
//!
//! - who may write it is decided by the unit its own transfer led to (that
//!   unit's managers: a manager role covers the unit it is granted on and
//!   everything below it), never by where the person works today;
//! - once written it is read-only: a second write answers 409 and changes
//!   nothing, whoever sends it;
//! - only an administrator corrects a written check-in, with a reason; the
//!   audit line keeps the old text beside the new one.

use app::backend::{
    entities::{audit_entry, checkin, employee, position, transfer, unit},
    {
        access::accounts::{RoleGrant, RoleKind},
        transfers::{self, NewTransfer},
    },
};
use app::domain::plan::TransferType;
use jejak::seed::accounts::DemoLogin;
use jejak_tests::{call, f, on_both_backends, Backend, Demo, TEST_PASSWORD};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

on_both_backends!(
    the_new_units_manager_cannot_write_the_earlier_transfers_check_ins,
    an_ancestor_units_manager_writes_only_check_ins_of_transfers_into_their_subtree,
    a_written_check_in_is_read_only,
    an_administrator_corrects_a_written_check_in_with_a_reason,
    only_administrators_use_the_correction_endpoint,
);

/// The demo, its employee (a newcomer in the camat's kecamatan) and the
/// completed transfer that brought them there.
struct World {
    d: Demo,
    me: DemoLogin,
    first: transfer::Model,
    /// The demo manager: the camat of Kecamatan Medan Belawan.
    camat: reqwest::Client,
}

async fn world(backend: Backend) -> World {
    let d = jejak_tests::demo(backend).await;
    let me = d
        .logins
        .iter()
        .find(|l| l.role == "employee")
        .unwrap()
        .clone();
    let first = transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(me.employee_id))
        .filter(transfer::Column::State.eq("completed"))
        .order_by_desc(transfer::Column::Tmt)
        .one(d.app.db())
        .await
        .unwrap()
        .expect("the demo employee's transfer");
    let camat = d.as_role("manager").await;
    World {
        d,
        me,
        first,
        camat,
    }
}

async fn unit_named(w: &World, name: &str) -> i64 {
    unit::Entity::find()
        .filter(unit::Column::Name.eq(name))
        .one(w.d.app.db())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("unit {name}"))
        .id
}

/// A new employee of `unit_id` who manages `unit_id`'s subtree, signed in.
async fn manager_of_unit(w: &World, nip: &str, name: &str, unit_id: i64) -> reqwest::Client {
    let e = employee::ActiveModel {
        nip: Set(nip.into()),
        asn_kind: Set("pns".into()),
        name: Set(name.into()),
        unit_id: Set(unit_id),
        created_at: Set(chrono::Utc::now()),
        language: Set("id".into()),
        ..Default::default()
    }
    .insert(w.d.app.db())
    .await
    .unwrap();
    w.d.app
        .account_for(
            e.id,
            &[RoleGrant {
                role: RoleKind::Manager,
                unit_id: Some(unit_id),
                course_id: None,
            }],
        )
        .await;
    w.d.app.sign_in(nip, TEST_PASSWORD).await
}

/// The demo employee moves on to `to_unit`: a second completed transfer.
async fn move_on(w: &World, to_unit: i64) -> transfer::Model {
    let db = w.d.app.db();
    let pos = position::Entity::find().one(db).await.unwrap().unwrap();
    let t = transfers::create_draft(
        db,
        "uji",
        NewTransfer {
            employee_id: w.me.employee_id,
            to_unit_id: to_unit,
            to_position_id: pos.id,
            sk_number: "800/CHECKIN/2026".into(),
            sk_date: w.d.today,
            tmt: w.d.today,
            transfer_type: TransferType::WithinAgency,
            notes: String::new(),
        },
    )
    .await
    .unwrap();
    transfers::approve(db, "uji", t.id).await.unwrap();
    let done = transfers::complete(db, "uji", t.id, w.d.today, &[30, 60, 90])
        .await
        .unwrap();
    assert!(done.newly_completed);
    done.transfer
}

/// The transfer's check-ins, earliest first.
async fn checkins_of(w: &World, transfer_id: i64) -> Vec<checkin::Model> {
    checkin::Entity::find()
        .filter(checkin::Column::TransferId.eq(transfer_id))
        .order_by_asc(checkin::Column::DayOffset)
        .all(w.d.app.db())
        .await
        .unwrap()
}

/// The transfer's check-ins nobody has written yet, earliest first.
async fn open_checkins(w: &World, transfer_id: i64) -> Vec<checkin::Model> {
    checkins_of(w, transfer_id)
        .await
        .into_iter()
        .filter(|c| c.written_at.is_none() && c.rating.is_none())
        .collect()
}

async fn reread(w: &World, id: i64) -> checkin::Model {
    checkin::Entity::find_by_id(id)
        .one(w.d.app.db())
        .await
        .unwrap()
        .unwrap()
}

async fn write(
    w: &World,
    client: &reqwest::Client,
    id: i64,
    rating: &str,
    notes: &str,
) -> (u16, serde_json::Value) {
    call(
        &w.d.app,
        client,
        "write_checkin",
        &[f("checkin_id", id), f("rating", rating), f("notes", notes)],
    )
    .await
}

async fn correct(
    w: &World,
    client: &reqwest::Client,
    id: i64,
    rating: &str,
    notes: &str,
    reason: Option<&str>,
) -> (u16, serde_json::Value) {
    let mut fields = vec![f("checkin_id", id), f("rating", rating), f("notes", notes)];
    if let Some(r) = reason {
        fields.push(f("reason", r));
    }
    call(&w.d.app, client, "correct_checkin", &fields).await
}

/// The audit lines about check-in `id` with this action.
async fn audit_lines(w: &World, action: &str, id: i64) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .filter(audit_entry::Column::Entity.eq("checkin"))
        .filter(audit_entry::Column::EntityId.eq(id))
        .all(w.d.app.db())
        .await
        .unwrap()
}

async fn person_html(w: &World, client: &reqwest::Client) -> String {
    let res = client
        .get(w.d.app.url(&format!("/pegawai/{}", w.me.employee_id)))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// (1) The employee moved on from the kecamatan to a Diskominfo section:
/// the section's manager writes the check-ins of the transfer into the
/// section, never those of the earlier transfer into the kecamatan, which
/// stay the kecamatan's.
async fn the_new_units_manager_cannot_write_the_earlier_transfers_check_ins(backend: Backend) {
    let w = world(backend).await;
    let earlier = open_checkins(&w, w.first.id).await;
    assert!(!earlier.is_empty(), "the demo newcomer has open check-ins");
    let section = unit_named(&w, "Sub Bagian Umum dan Perencanaan").await;
    let second = move_on(&w, section).await;
    let new_manager =
        manager_of_unit(&w, "198501012010011901", "Kepala Subbagian Uji", section).await;

    for c in &earlier {
        let (status, body) =
            write(&w, &new_manager, c.id, "kurang", "Ditulis oleh unit baru").await;
        assert_eq!(status, 404, "day {}: {body}", c.day_offset);
        assert_eq!(&reread(&w, c.id).await, c, "nothing changed");
    }
    assert!(audit_lines(&w, "checkin.write", earlier[0].id)
        .await
        .is_empty());

    // Their own newcomer's check-in: theirs to write, and the person page
    // (which lists the latest transfer's check-ins) offers the form.
    let theirs = open_checkins(&w, second.id).await;
    let (status, body) = write(&w, &new_manager, theirs[0].id, "baik", "Mulai menyesuaikan").await;
    assert_eq!(status, 200, "{body}");
    let (status, page) = call(
        &w.d.app,
        &new_manager,
        "person",
        &[f("employee_id", w.me.employee_id)],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["can_write_checkins"], true);
    assert!(page["checkins"].as_array().unwrap().iter().all(|c| c["id"]
        .as_i64()
        .is_some_and(|id| theirs.iter().any(|t| t.id == id))));

    // The earlier check-in still belongs to the kecamatan: its camat writes it.
    let (status, body) = write(
        &w,
        &w.camat,
        earlier[0].id,
        "baik",
        "Tentang masa di kecamatan",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    w.d.app.stop().await;
}

/// (2) Rule: a manager role covers the unit it is granted on and its
/// subtree, so the managers of a transfer's destination are those granted
/// on that unit or one of its ancestors (the demo camat writes the
/// check-ins of newcomers in the kecamatan's sections). What counts is
/// the check-in's own transfer: the manager of the Dinas above the
/// employee's new section is refused the check-ins of the earlier
/// transfer into the kecamatan, writes the open ones of the transfer into
/// the section, and cannot overwrite the one the section's own manager
/// already wrote.
async fn an_ancestor_units_manager_writes_only_check_ins_of_transfers_into_their_subtree(
    backend: Backend,
) {
    let w = world(backend).await;
    let earlier = open_checkins(&w, w.first.id).await;
    assert!(!earlier.is_empty());
    let dinas = unit_named(&w, "Dinas Komunikasi dan Informatika").await;
    let section = unit_named(&w, "Sub Bagian Umum dan Perencanaan").await;
    let second = move_on(&w, section).await;
    let head_of_dinas = manager_of_unit(&w, "198501012010011902", "Kepala Dinas Uji", dinas).await;
    let head_of_section =
        manager_of_unit(&w, "198501012010011903", "Kepala Subbagian Uji", section).await;

    // Above the new unit, not above the earlier transfer's destination.
    for c in &earlier {
        let (status, body) = write(&w, &head_of_dinas, c.id, "kurang", "Dari dinas").await;
        assert_eq!(status, 404, "day {}: {body}", c.day_offset);
        assert_eq!(&reread(&w, c.id).await, c);
    }

    // Above the destination of the transfer into the section.
    let theirs = open_checkins(&w, second.id).await;
    assert!(theirs.len() >= 2);
    let (status, body) = write(
        &w,
        &head_of_section,
        theirs[0].id,
        "baik",
        "Dari kepala subbagian",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = write(&w, &head_of_dinas, theirs[0].id, "kurang", "Ditimpa dinas").await;
    assert_eq!(
        status, 409,
        "the section head's check-in stays theirs: {body}"
    );
    let kept = reread(&w, theirs[0].id).await;
    assert_eq!(
        (kept.rating.as_deref(), kept.notes.as_str()),
        (Some("baik"), "Dari kepala subbagian")
    );
    assert!(kept.written_by.unwrap().contains("Kepala Subbagian Uji"));
    let (status, body) = write(&w, &head_of_dinas, theirs[1].id, "baik", "Dari dinas").await;
    assert_eq!(status, 200, "an open one in the Dinas' subtree: {body}");
    w.d.app.stop().await;
}

/// (3) A written check-in is read-only: a second write (by its writer, by
/// the administrator) answers 409 with a precise message and changes
/// nothing; the person page shows it without a form.
async fn a_written_check_in_is_read_only(backend: Backend) {
    let w = world(backend).await;
    let open = open_checkins(&w, w.first.id).await;
    assert!(open.len() >= 2, "two open check-ins in the demo");
    let (c, other) = (&open[0], &open[1]);
    let (status, body) = write(&w, &w.camat, c.id, "baik", "Teks pertama").await;
    assert_eq!(status, 200, "{body}");
    let first = reread(&w, c.id).await;

    let (status, body) = write(&w, &w.camat, c.id, "kurang", "Teks kedua").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["kind"], "conflict", "{body}");
    let err: app::error::AppError = serde_json::from_value(body.clone()).unwrap();
    let id_msg = err.message("id");
    assert!(
        id_msg.starts_with(&format!(
            "Check-in hari ke-{} sudah diisi oleh",
            c.day_offset
        )) && id_msg.contains("Hanya administrator"),
        "{id_msg}"
    );
    assert!(
        err.message("en").starts_with(&format!(
            "The day-{} check-in was already written by",
            c.day_offset
        )),
        "{}",
        err.message("en")
    );
    let (status, body) = write(&w, &w.d.admin, c.id, "sangat_kurang", "Teks admin").await;
    assert_eq!(
        status, 409,
        "administrators correct, they do not overwrite: {body}"
    );
    let now = reread(&w, c.id).await;
    assert_eq!(now, first, "the first text is unchanged");
    assert_eq!(
        (now.rating.as_deref(), now.notes.as_str()),
        (Some("baik"), "Teks pertama")
    );
    assert_eq!(audit_lines(&w, "checkin.write", c.id).await.len(), 1);

    // The page: the written one read-only, the open one with its form.
    let html = person_html(&w, &w.camat).await;
    assert!(
        !html.contains(&format!("id=\"form-checkin-{}\"", c.id)),
        "no form for a written check-in"
    );
    assert!(
        html.contains(&format!("id=\"form-checkin-{}\"", other.id)),
        "the open one has its form"
    );
    assert!(html.contains("Teks pertama"));
    assert!(
        !html.contains(&format!("id=\"form-koreksi-{}\"", c.id)),
        "corrections are not the camat's"
    );
    w.d.app.stop().await;
}

/// (4) An administrator corrects a written check-in: without a reason
/// (missing, blank, too long) it is refused with 422 on the field and
/// nothing changes; with one it is saved, and the audit line holds the old
/// and the new text and the reason.
async fn an_administrator_corrects_a_written_check_in_with_a_reason(backend: Backend) {
    let w = world(backend).await;
    let open = open_checkins(&w, w.first.id).await;
    assert!(open.len() >= 2);
    let (c, unwritten) = (&open[0], &open[1]);
    let (status, body) = write(&w, &w.camat, c.id, "baik", "Teks pertama").await;
    assert_eq!(status, 200, "{body}");
    let written = reread(&w, c.id).await;

    let too_long = "x".repeat(501);
    for reason in [None, Some(""), Some("   "), Some(too_long.as_str())] {
        let (status, body) =
            correct(&w, &w.d.admin, c.id, "sangat_baik", "Teks koreksi", reason).await;
        assert_eq!(status, 422, "{reason:?}: {body}");
        assert_eq!(body["field"], "reason", "{body}");
        assert_eq!(reread(&w, c.id).await, written, "nothing changed");
    }
    let err: app::error::AppError = serde_json::from_value(
        correct(&w, &w.d.admin, c.id, "sangat_baik", "x", None)
            .await
            .1,
    )
    .unwrap();
    assert_eq!(err.message("id"), "Alasan koreksi wajib diisi");
    // A rating outside the SKP words, even with a reason.
    let (status, body) =
        correct(&w, &w.d.admin, c.id, "luar_biasa", "x", Some("Salah ketik")).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("rating")),
        "{body}"
    );
    // Nothing written yet: nothing to correct.
    let (status, body) = correct(
        &w,
        &w.d.admin,
        unwritten.id,
        "baik",
        "x",
        Some("Salah ketik"),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(&reread(&w, unwritten.id).await, unwritten);
    assert!(audit_lines(&w, "checkin.correct", c.id).await.is_empty());

    // The administrator's page offers the correction form.
    let html = person_html(&w, &w.d.admin).await;
    assert!(
        html.contains(&format!("id=\"form-koreksi-{}\"", c.id)),
        "the correction form"
    );

    let reason = "Penilaian tertukar dengan pegawai lain; dikonfirmasi camat";
    let (status, body) = correct(
        &w,
        &w.d.admin,
        c.id,
        "sangat_baik",
        "Teks dikoreksi",
        Some(&format!("  {reason} ")),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let corrected = reread(&w, c.id).await;
    assert_eq!(
        (corrected.rating.as_deref(), corrected.notes.as_str()),
        (Some("sangat_baik"), "Teks dikoreksi")
    );
    let lines = audit_lines(&w, "checkin.correct", c.id).await;
    assert_eq!(lines.len(), 1);
    let before: serde_json::Value =
        serde_json::from_str(lines[0].before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value =
        serde_json::from_str(lines[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(before["rating"], "baik");
    assert_eq!(before["notes"], "Teks pertama");
    assert_eq!(
        before["written_by"],
        written.written_by.clone().unwrap().as_str()
    );
    assert_eq!(after["rating"], "sangat_baik");
    assert_eq!(after["notes"], "Teks dikoreksi");
    assert_eq!(after["reason"], reason);
    let admin = w.d.logins.iter().find(|l| l.role == "admin").unwrap();
    assert!(lines[0].actor.starts_with(&admin.nip), "{}", lines[0].actor);
    // Still read-only for the managers after the correction.
    let (status, _) = write(&w, &w.camat, c.id, "kurang", "Lagi").await;
    assert_eq!(status, 409);
    w.d.app.stop().await;
}

/// (5) The correction endpoint is the administrators': the camat who
/// wrote the check-in, the employee it is about and the trainer get "not
/// found", the anonymous 401, and nothing changes; the administrator's
/// same request is saved.
async fn only_administrators_use_the_correction_endpoint(backend: Backend) {
    let w = world(backend).await;
    let c = open_checkins(&w, w.first.id).await.remove(0);
    let (status, body) = write(&w, &w.camat, c.id, "baik", "Teks pertama").await;
    assert_eq!(status, 200, "{body}");
    let written = reread(&w, c.id).await;

    let employee = w.d.as_role("employee").await;
    let trainer = w.d.as_role("trainer").await;
    for (who, client) in [
        ("camat", &w.camat),
        ("employee", &employee),
        ("trainer", &trainer),
    ] {
        let (status, body) = correct(&w, client, c.id, "kurang", "Diubah", Some("Saya mau")).await;
        assert_eq!(status, 404, "{who}: {body}");
        assert_eq!(reread(&w, c.id).await, written, "{who}: nothing changed");
    }
    let anonymous = jejak_tests::http_client();
    let (status, _) = correct(&w, &anonymous, c.id, "kurang", "Diubah", Some("Saya mau")).await;
    assert_eq!(status, 401);
    assert_eq!(reread(&w, c.id).await, written);
    assert!(audit_lines(&w, "checkin.correct", c.id).await.is_empty());

    let (status, body) = correct(
        &w,
        &w.d.admin,
        c.id,
        "kurang",
        "Diubah",
        Some("Koreksi resmi"),
    )
    .await;
    assert_eq!(status, 200, "the administrator's same request: {body}");
    assert_eq!(reread(&w, c.id).await.rating.as_deref(), Some("kurang"));
    w.d.app.stop().await;
}
