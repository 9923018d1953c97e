//! The administrator's transfers (mutasi) over HTTP, on SQLite and
//! PostgreSQL, against the demo organisation: the list's search, filters
//! and pages; recording a draft (every field checked, nothing written on a
//! refusal); approving; the plan preview; completing (the plan and its
//! assignments, once); cancelling with a reason; and everyone but an
//! administrator answered "not found".

use std::collections::BTreeSet;

use jejak_tests::{call, demo, f, on_both_backends, text_of_id, Backend, Demo, TestApp};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::Value;

use app::backend::{
    entities::{assignment, audit_entry, checkin, employee, plan, position, transfer, unit},
    transfers::{self, NewTransfer},
};
use app::domain::plan::TransferType;

const MISSING: i64 = 987_654_321;

async fn list(d: &Demo, fields: &[(&str, String)]) -> Value {
    let (status, body) = call(&d.app, &d.admin, "transfers", fields).await;
    assert_eq!(status, 200, "{fields:?}: {body}");
    body
}

fn row_ids(page: &Value) -> Vec<i64> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn count_transfers(app: &TestApp) -> u64 {
    transfer::Entity::find().count(app.db()).await.unwrap()
}

/// Audit lines about transfers and what completing one touches (signing
/// in is audited too, and does not count here).
async fn count_audit(app: &TestApp) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.is_in(["transfer", "plan", "assignment", "employee"]))
        .count(app.db())
        .await
        .unwrap()
}

/// Employees without any transfer, in id order.
async fn employees_without_transfers(app: &TestApp) -> Vec<employee::Model> {
    let busy: BTreeSet<i64> = transfer::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.employee_id)
        .collect();
    employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| !busy.contains(&e.id))
        .collect()
}

/// A new unit "Bidang Uji Mutasi" under the first root, with a child
/// "Subbidang Uji Mutasi"; 30 drafts into the parent and 5 into the child,
/// with SK numbers UJI/0001 … UJI/0035.
async fn more_transfers(d: &Demo) -> (i64, i64, Vec<i64>) {
    let db = d.app.db();
    let now = chrono::Utc::now();
    let root = unit::Entity::find()
        .filter(unit::Column::ParentId.is_null())
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let parent = unit::ActiveModel {
        parent_id: Set(Some(root.id)),
        name: Set("Bidang Uji Mutasi".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let child = unit::ActiveModel {
        parent_id: Set(Some(parent.id)),
        name: Set("Subbidang Uji Mutasi".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let pos = position::Entity::find().one(db).await.unwrap().unwrap();
    let people = employees_without_transfers(&d.app).await;
    assert!(people.len() >= 35, "enough people without a transfer");
    let mut ids = Vec::new();
    for (i, e) in people.iter().take(35).enumerate() {
        let t = transfers::create_draft(
            db,
            "test",
            NewTransfer {
                employee_id: e.id,
                to_unit_id: if i < 30 { parent.id } else { child.id },
                to_position_id: pos.id,
                sk_number: format!("UJI/{:04}", i + 1),
                sk_date: d.today,
                tmt: d.today + chrono::Days::new(30),
                transfer_type: TransferType::WithinAgency,
                notes: String::new(),
            },
        )
        .await
        .unwrap();
        ids.push(t.id);
    }
    (parent.id, child.id, ids)
}

on_both_backends!(
    the_list_searches_filters_and_pages,
    a_draft_is_checked_field_by_field_and_nothing_is_written_on_refusal,
    approve_preview_complete_once_and_cancel_with_a_reason,
    the_page_shows_the_list_and_the_preview_without_javascript,
    only_administrators_get_past_the_door,
    a_draft_can_be_edited_until_it_is_approved,
    units_are_written_by_name_or_path_and_never_listed_whole,
);

async fn the_list_searches_filters_and_pages(backend: Backend) {
    let d = demo(backend).await;
    let (parent, child, mine) = more_transfers(&d).await;
    let all = count_transfers(&d.app).await;
    assert!(all > 50, "more than one page: {all}");

    // Keyset paging: 50 newest first, then the rest; together every
    // transfer once; back again to the same first page.
    let p1 = list(&d, &[]).await;
    assert_eq!(p1["total"], all);
    assert_eq!(p1["total_capped"], false);
    assert_eq!(p1["newer_than"], serde_json::Value::Null, "the first page");
    let ids1 = row_ids(&p1);
    assert_eq!(ids1.len(), 50);
    assert!(ids1.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(p1["older_than"], ids1[49]);
    let p2 = list(&d, &[f("older_than", ids1[49])]).await;
    let ids2 = row_ids(&p2);
    assert_eq!(ids2.len() as u64, all - 50);
    assert!(ids2.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(p2["older_than"], serde_json::Value::Null, "the last page");
    assert_eq!(p2["newer_than"], ids2[0]);
    let seen: BTreeSet<i64> = ids1.iter().chain(ids2.iter()).copied().collect();
    let stored: BTreeSet<i64> = transfer::Entity::find()
        .all(d.app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(seen, stored);
    let back = list(&d, &[f("newer_than", ids2[0])]).await;
    assert_eq!(row_ids(&back), ids1, "the newer page is the first again");
    assert_eq!(back["newer_than"], serde_json::Value::Null);
    // A page in the middle: newer and older both exist.
    let mid = list(&d, &[f("older_than", ids1[9])]).await;
    assert_eq!(row_ids(&mid)[0], ids1[10]);
    assert_eq!(mid["newer_than"], ids1[10]);
    // Past the end: an empty page that leads back.
    let past = list(&d, &[f("older_than", *ids2.last().unwrap())]).await;
    assert!(row_ids(&past).is_empty());
    assert_eq!(past["older_than"], serde_json::Value::Null);
    let back = list(&d, &[f("newer_than", past["newer_than"].as_i64().unwrap())]).await;
    assert_eq!(row_ids(&back).last(), ids2.last(), "back to the last rows");
    // A row says who, from where to where, the SK and the TMT.
    let r = &p1["rows"][0];
    for key in [
        "name",
        "nip",
        "from_unit",
        "to_unit",
        "to_position",
        "sk_number",
        "sk_date",
        "tmt",
        "state_label",
    ] {
        assert!(!r[key].as_str().unwrap().is_empty(), "{key}: {r}");
    }

    // By state.
    for state in ["draft", "approved", "completed", "cancelled"] {
        let expected = transfer::Entity::find()
            .filter(transfer::Column::State.eq(state))
            .count(d.app.db())
            .await
            .unwrap();
        assert!(expected > 0, "the demo has {state} transfers");
        let page = list(&d, &[f("state", state)]).await;
        assert_eq!(page["total"], expected, "{state}");
        assert!(page["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["state"] == state));
    }
    let (status, body) = call(&d.app, &d.admin, "transfers", &[f("state", "hilang")]).await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "state");

    // By target unit: the unit and everything below it.
    let page = list(&d, &[f("unit_id", parent)]).await;
    assert_eq!(page["total"], 35);
    let page = list(&d, &[f("unit_id", child)]).await;
    assert_eq!(page["total"], 5);
    assert!(row_ids(&page).iter().all(|id| mine[30..].contains(id)));

    // By SK number, case-insensitive; with the unit filter too.
    let page = list(&d, &[f("q", "uji/0007")]).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["sk_number"], "UJI/0007");
    assert_eq!(row_ids(&page), vec![mine[6]]);
    let page = list(&d, &[f("q", "UJI/"), f("unit_id", child)]).await;
    assert_eq!(page["total"], 5);
    // Wildcards are taken literally.
    let page = list(&d, &[f("q", "%")]).await;
    assert_eq!(page["total"], 0);
    let page = list(&d, &[f("q", "UJI_00")]).await;
    assert_eq!(page["total"], 0);

    // By name: part of it, in another case.
    let seeded = transfer::Entity::find()
        .filter(transfer::Column::SkNumber.starts_with("800/"))
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    let person = employee::Entity::find_by_id(seeded.employee_id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    let part: String = person
        .name
        .split(' ')
        .nth(1)
        .unwrap_or(&person.name)
        .to_uppercase();
    let page = list(&d, &[f("q", &part)]).await;
    assert!(row_ids(&page).contains(&seeded.id), "{part}: {page}");
    for r in page["rows"].as_array().unwrap() {
        let hit = r["name"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains(&part.to_lowercase())
            || r["sk_number"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains(&part.to_lowercase());
        assert!(hit, "{part}: {r}");
    }

    // By NIP: the leading digits, spaces as people type them.
    let nip = &person.nip;
    let spaced = format!("{} {}", &nip[..8], &nip[8..14]);
    let page = list(&d, &[f("q", &spaced)]).await;
    assert!(row_ids(&page).contains(&seeded.id));
    for r in page["rows"].as_array().unwrap() {
        assert!(r["nip"].as_str().unwrap().starts_with(&nip[..14]), "{r}");
    }
    let page = list(&d, &[f("q", nip)]).await;
    let expected = transfer::Entity::find()
        .filter(transfer::Column::EmployeeId.eq(person.id))
        .count(d.app.db())
        .await
        .unwrap();
    assert_eq!(page["total"], expected);

    // Nothing matches: an empty page, not an error.
    let page = list(&d, &[f("q", "tidak ada yang bernama begini")]).await;
    assert_eq!(page["total"], 0);
    assert_eq!(page["older_than"], serde_json::Value::Null);
    d.app.stop().await;
}

/// A valid draft form for `e`, into a unit and position other than theirs.
async fn valid_form(d: &Demo, e: &employee::Model) -> Vec<(&'static str, String)> {
    let u = unit::Entity::find()
        .filter(unit::Column::Id.ne(e.unit_id))
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    let p = position::Entity::find()
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    vec![
        (
            "nip",
            format!(
                "{} {} {} {}",
                &e.nip[..8],
                &e.nip[8..14],
                &e.nip[14..15],
                &e.nip[15..]
            ),
        ),
        ("to_unit_id", u.id.to_string()),
        ("to_position_id", p.id.to_string()),
        ("sk_number", "800/9001/BKPSDM/2026".into()),
        ("sk_date", d.today.to_string()),
        ("tmt", (d.today + chrono::Days::new(14)).to_string()),
        ("transfer_type", "between_agencies".into()),
        ("notes", "Pindahan dari Pemprov".into()),
    ]
}

fn with(
    form: &[(&'static str, String)],
    key: &str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut out: Vec<_> = form.iter().filter(|(k, _)| *k != key).cloned().collect();
    if let Some(v) = value {
        out.push((
            form.iter()
                .find(|(k, _)| *k == key)
                .map(|(k, _)| *k)
                .unwrap(),
            v.to_string(),
        ));
    }
    out
}

async fn a_draft_is_checked_field_by_field_and_nothing_is_written_on_refusal(backend: Backend) {
    let d = demo(backend).await;
    let e = employees_without_transfers(&d.app).await.remove(0);
    let form = valid_form(&d, &e).await;
    let (transfers_before, audit_before) =
        (count_transfers(&d.app).await, count_audit(&d.app).await);
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("nip", Some("12345"), "nip"),
        ("nip", Some("19850312x"), "nip"),
        // Well-formed, but nobody has it.
        ("nip", Some("199001012015031999"), "nip"),
        ("nip", None, "nip"),
        // Neither the picker's text nor an id: the refusal is for the
        // field the form shows.
        ("to_unit_id", Some(""), "to_unit"),
        ("to_unit_id", Some("satu"), "to_unit_id"),
        ("to_unit_id", Some("987654321"), "to_unit_id"),
        ("to_position_id", None, "to_position_id"),
        ("to_position_id", Some("987654321"), "to_position_id"),
        ("sk_number", Some("   "), "sk_number"),
        ("sk_date", Some("2026-02-30"), "sk_date"),
        ("sk_date", Some("31/04/2026"), "sk_date"),
        ("tmt", Some(""), "tmt"),
        ("tmt", None, "tmt"),
        ("tmt", Some("besok"), "tmt"),
        ("transfer_type", Some("antar_planet"), "transfer_type"),
    ];
    for (key, value, field) in cases {
        let (status, body) = call(
            &d.app,
            &d.admin,
            "create_transfer",
            &with(&form, key, value),
        )
        .await;
        assert_eq!(status, 422, "{key}={value:?}: {body}");
        assert_eq!(body["field"], field, "{key}={value:?}: {body}");
        assert!(!body["message"]["id"].as_str().unwrap().is_empty());
        assert!(!body["message"]["en"].as_str().unwrap().is_empty());
    }
    // The TMT more than a year before the SK: the service's own check.
    let early = (d.today - chrono::Days::new(400)).to_string();
    let (status, body) = call(
        &d.app,
        &d.admin,
        "create_transfer",
        &with(&form, "tmt", Some(&early)),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("tmt")),
        "{body}"
    );
    assert_eq!(
        count_transfers(&d.app).await,
        transfers_before,
        "nothing written"
    );
    assert_eq!(count_audit(&d.app).await, audit_before, "nothing audited");

    // The valid form: a draft from the employee's current place.
    let (status, body) = call(&d.app, &d.admin, "create_transfer", &form).await;
    assert_eq!(status, 200, "{body}");
    let id = body.as_i64().unwrap();
    let t = transfer::Entity::find_by_id(id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.state, "draft");
    assert_eq!(t.employee_id, e.id);
    assert_eq!(t.from_unit_id, Some(e.unit_id));
    assert_eq!(t.from_position_id, e.position_id);
    assert_eq!(t.sk_number, "800/9001/BKPSDM/2026");
    assert_eq!(t.transfer_type, "between_agencies");
    assert_eq!(t.tmt, d.today + chrono::Days::new(14));
    assert_eq!(count_transfers(&d.app).await, transfers_before + 1);
    // A second open transfer for the same person is refused.
    let (status, _) = call(&d.app, &d.admin, "create_transfer", &form).await;
    assert_eq!(status, 409);
    assert_eq!(count_transfers(&d.app).await, transfers_before + 1);
    d.app.stop().await;
}

/// The approved demo transfer whose preview has the most items.
async fn approved_with_a_plan(d: &Demo) -> (transfer::Model, usize) {
    let mut best: Option<(transfer::Model, usize)> = None;
    for t in transfer::Entity::find()
        .filter(transfer::Column::State.eq("approved"))
        .order_by_asc(transfer::Column::Id)
        .all(d.app.db())
        .await
        .unwrap()
    {
        let n = transfers::preview_plan(d.app.db(), t.id, d.today)
            .await
            .unwrap()
            .len();
        if best.as_ref().is_none_or(|(_, m)| n > *m) {
            best = Some((t, n));
        }
    }
    let (t, n) = best.expect("an approved demo transfer");
    assert!(n > 0, "an approved demo transfer whose plan has courses");
    (t, n)
}

async fn state_of(app: &TestApp, id: i64) -> String {
    transfer::Entity::find_by_id(id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .state
}

async fn approve_preview_complete_once_and_cancel_with_a_reason(backend: Backend) {
    let d = demo(backend).await;
    let (app, admin) = (&d.app, &d.admin);
    let id_of = |id: i64| vec![f("id", id)];

    // Approving a draft; twice is refused.
    let draft = transfer::Entity::find()
        .filter(transfer::Column::State.eq("draft"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let (status, body) = call(app, admin, "approve_transfer", &id_of(draft.id)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(state_of(app, draft.id).await, "approved");
    let (status, _) = call(app, admin, "approve_transfer", &id_of(draft.id)).await;
    assert_eq!(status, 409);
    // A draft cannot be completed.
    let other_draft = transfer::Entity::find()
        .filter(transfer::Column::State.eq("draft"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let (status, _) = call(app, admin, "complete_transfer", &id_of(other_draft.id)).await;
    assert_eq!(status, 409);
    assert_eq!(state_of(app, other_draft.id).await, "draft");

    // The preview: what the plan generator says, in words; nothing written.
    let (t, n) = approved_with_a_plan(&d).await;
    let audit_before = count_audit(app).await;
    let (status, pv) = call(app, admin, "preview_transfer", &id_of(t.id)).await;
    assert_eq!(status, 200, "{pv}");
    assert_eq!(pv["stored"], false);
    assert_eq!(pv["can_complete"], true);
    assert_eq!(pv["transfer"]["id"], t.id);
    let expected = transfers::preview_plan(app.db(), t.id, d.today)
        .await
        .unwrap();
    let items = pv["items"].as_array().unwrap();
    assert_eq!(items.len(), n);
    for (item, want) in items.iter().zip(&expected) {
        assert_eq!(item["course_id"], want.course_id);
        assert_eq!(item["due_iso"], want.due.to_string());
        assert_eq!(item["due"], app::domain::dates::long_date(want.due));
        assert_eq!(item["required"], want.required);
        assert!(!item["code"].as_str().unwrap().is_empty());
        assert!(!item["title"].as_str().unwrap().is_empty());
        assert!(!item["reasons"].as_array().unwrap().is_empty(), "{item}");
        let recognised = matches!(
            want.disposition,
            app::domain::plan::Disposition::Recognised { .. }
        );
        assert_eq!(item["recognised"], recognised);
        if recognised {
            assert!(item["recognised_note"]
                .as_str()
                .unwrap()
                .starts_with("Diakui"));
        }
    }
    assert_eq!(
        count_audit(app).await,
        audit_before,
        "a preview writes nothing"
    );
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::TransferId.eq(t.id))
            .count(app.db())
            .await
            .unwrap(),
        0
    );

    // Completing: the employee moves, the plan, its assignments and check-ins exist.
    let (status, done) = call(app, admin, "complete_transfer", &id_of(t.id)).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["newly_completed"], true);
    assert_eq!(done["items"], n);
    assert_eq!(state_of(app, t.id).await, "completed");
    let plans = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(t.id))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].id, done["plan_id"].as_i64().unwrap());
    assert_eq!(plans[0].employee_id, t.employee_id);
    let rows = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(plans[0].id))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(rows.len(), n);
    let courses: BTreeSet<i64> = rows.iter().map(|a| a.course_id).collect();
    assert_eq!(courses, expected.iter().map(|i| i.course_id).collect());
    let moved = employee::Entity::find_by_id(t.employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (moved.unit_id, moved.position_id),
        (t.to_unit_id, Some(t.to_position_id))
    );
    let checkins = checkin::Entity::find()
        .filter(checkin::Column::TransferId.eq(t.id))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(checkins, 3);

    // Twice: the same plan, nothing new.
    let (status, again) = call(app, admin, "complete_transfer", &id_of(t.id)).await;
    assert_eq!(status, 200);
    assert_eq!(again["newly_completed"], false);
    assert_eq!(again["plan_id"], done["plan_id"]);
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::TransferId.eq(t.id))
            .count(app.db())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        assignment::Entity::find()
            .filter(assignment::Column::PlanId.eq(plans[0].id))
            .count(app.db())
            .await
            .unwrap() as usize,
        n
    );
    // Its preview is now the stored plan.
    let (status, pv) = call(app, admin, "preview_transfer", &id_of(t.id)).await;
    assert_eq!(status, 200);
    assert_eq!(pv["stored"], true);
    assert_eq!(pv["can_complete"], false);
    assert_eq!(pv["items"].as_array().unwrap().len(), n);
    assert!(pv["items"][0]["status"].is_string());

    // Cancelling needs a reason.
    let approved = transfer::Entity::find()
        .filter(transfer::Column::State.eq("approved"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    for fields in [
        vec![f("id", approved.id)],
        vec![f("id", approved.id), f("reason", "   ")],
    ] {
        let (status, body) = call(app, admin, "cancel_transfer", &fields).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["field"], "reason");
        assert_eq!(state_of(app, approved.id).await, "approved");
    }
    let (status, body) = call(
        app,
        admin,
        "cancel_transfer",
        &[f("id", approved.id), f("reason", "SK dicabut")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let c = transfer::Entity::find_by_id(approved.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.state, "cancelled");
    assert_eq!(c.cancel_reason.as_deref(), Some("SK dicabut"));
    let (status, _) = call(
        app,
        admin,
        "cancel_transfer",
        &[f("id", approved.id), f("reason", "lagi")],
    )
    .await;
    assert_eq!(status, 409);
    // A cancelled transfer's preview: no plan.
    let (status, pv) = call(app, admin, "preview_transfer", &id_of(approved.id)).await;
    assert_eq!(status, 200);
    assert_eq!(pv["items"].as_array().unwrap().len(), 0);
    assert_eq!(pv["can_complete"], false);

    // Ids nobody has.
    for endpoint in ["approve_transfer", "preview_transfer", "complete_transfer"] {
        let (status, _) = call(app, admin, endpoint, &id_of(MISSING)).await;
        assert_eq!(status, 404, "{endpoint}");
    }
    let (status, _) = call(
        app,
        admin,
        "cancel_transfer",
        &[f("id", MISSING), f("reason", "x")],
    )
    .await;
    assert_eq!(status, 404);
    // The reason is checked first (what the authorisation matrix relies on).
    let (status, body) = call(
        app,
        admin,
        "cancel_transfer",
        &[f("id", MISSING), f("reason", "")],
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("reason")));
    d.app.stop().await;
}

async fn the_page_shows_the_list_and_the_preview_without_javascript(backend: Backend) {
    let d = demo(backend).await;
    let (t, _) = approved_with_a_plan(&d).await;
    let res = d
        .admin
        .get(
            d.app
                .url(&format!("/admin/mutasi?status=approved&pratinjau={}", t.id)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains(&format!("data-transfer-id=\"{}\"", t.id)));
    assert!(html.contains("id=\"daftar-mutasi\""));
    assert!(html.contains("id=\"form-mutasi-baru\""));
    let preview = text_of_id(&html, "pratinjau-rencana").unwrap();
    assert!(preview.contains("Pratinjau rencana"), "{preview}");
    assert!(html.contains("id=\"selesaikan-mutasi\""));
    let count = text_of_id(&html, "jumlah-mutasi").unwrap();
    let approved = transfer::Entity::find()
        .filter(transfer::Column::State.eq("approved"))
        .count(d.app.db())
        .await
        .unwrap();
    assert!(count.starts_with(&format!("{approved} mutasi")), "{count}");

    // The completing form posts and comes back to the same address.
    let back = d.app.url(&format!("/admin/mutasi?pratinjau={}", t.id));
    let res = d
        .admin
        .post(d.app.url("/fn/complete_transfer"))
        .header("Accept", "text/html")
        .header("Referer", &back)
        .form(&[("id", t.id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location.trim_end_matches('?'), back);
    assert_eq!(state_of(&d.app, t.id).await, "completed");
    let html = d
        .admin
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"rencana-tersimpan\""));
    assert!(!html.contains("id=\"selesaikan-mutasi\""));

    // A refused draft comes back with the message next to the field.
    let res = d
        .admin
        .post(d.app.url("/fn/create_transfer"))
        .header("Accept", "text/html")
        .header("Referer", d.app.url("/admin/mutasi"))
        .form(&[
            ("nip", "12345"),
            ("to_unit_id", ""),
            ("to_position_id", ""),
            ("sk_number", ""),
            ("sk_date", ""),
            ("tmt", ""),
            ("transfer_type", "within_agency"),
            ("notes", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");
    let html = d
        .admin
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("NIP harus 18 digit"),
        "the message on the page"
    );
    d.app.stop().await;
}

async fn only_administrators_get_past_the_door(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let draft = transfer::Entity::find()
        .filter(transfer::Column::State.eq("draft"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let (approved, _) = approved_with_a_plan(&d).await;
    let e = employees_without_transfers(app).await.remove(0);
    let form = valid_form(&d, &e).await;
    let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
        ("transfers", vec![]),
        ("create_transfer", form.clone()),
        ("approve_transfer", vec![f("id", draft.id)]),
        (
            "cancel_transfer",
            vec![f("id", draft.id), f("reason", "coba")],
        ),
        ("preview_transfer", vec![f("id", approved.id)]),
        ("complete_transfer", vec![f("id", approved.id)]),
    ];
    let (transfers_before, audit_before) = (count_transfers(app).await, count_audit(app).await);
    let mut bodies = BTreeSet::new();
    for role in ["manager", "trainer", "employee"] {
        let client = d.as_role(role).await;
        for (endpoint, fields) in &calls {
            let (status, body) = call(app, &client, endpoint, fields).await;
            assert_eq!(status, 404, "{role} on {endpoint}: {body}");
            bodies.insert(body.to_string());
            // Whatever is sent: the same answer.
            let (status, body) = call(app, &client, endpoint, &[f("id", "bukan-angka")]).await;
            assert!(
                status == 404 || status == 400,
                "{role} on {endpoint} garbage: {status}"
            );
            if status == 404 {
                bodies.insert(body.to_string());
            }
        }
        let res = client.get(app.url("/admin/mutasi")).send().await.unwrap();
        assert_eq!(res.status(), 404, "{role} on the page");
        let html = res.text().await.unwrap();
        assert!(!html.contains("daftar-mutasi"));
    }
    assert_eq!(bodies.len(), 1, "one way of saying not found: {bodies:?}");
    let anonymous = jejak_tests::http_client();
    for (endpoint, fields) in &calls {
        let (status, _) = call(app, &anonymous, endpoint, fields).await;
        assert_eq!(status, 401, "anonymous on {endpoint}");
    }
    let res = anonymous
        .get(app.url("/admin/mutasi"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection());
    assert_eq!(res.headers()["location"], "/masuk");
    assert_eq!(count_transfers(app).await, transfers_before);
    assert_eq!(count_audit(app).await, audit_before);
    assert_eq!(state_of(app, draft.id).await, "draft");
    assert_eq!(state_of(app, approved.id).await, "approved");
    // The administrator is let in.
    let res = d.admin.get(app.url("/admin/mutasi")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    d.app.stop().await;
}

async fn a_draft_can_be_edited_until_it_is_approved(backend: Backend) {
    let d = demo(backend).await;
    let e = employees_without_transfers(&d.app).await.remove(0);
    let form = valid_form(&d, &e).await;
    let (status, id) = call(&d.app, &d.admin, "create_transfer", &form).await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap();
    // The same fields as a draft, without the person.
    let edit = |tmt: &str, sk: &str| {
        let mut fields: Vec<(&str, String)> = form
            .iter()
            .filter(|(k, _)| *k != "nip" && *k != "tmt" && *k != "sk_number")
            .cloned()
            .collect();
        fields.push(("id", id.to_string()));
        fields.push(("tmt", tmt.to_string()));
        fields.push(("sk_number", sk.to_string()));
        fields
    };
    let before = transfer::Entity::find_by_id(id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    let (status, err) = call(
        &d.app,
        &d.admin,
        "update_transfer",
        &edit("31-02-2026", "800/1/X"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(err["field"], "tmt");
    let unchanged = transfer::Entity::find_by_id(id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, before, "nothing written on refusal");

    let new_tmt = d.today + chrono::Days::new(30);
    let (status, body) = call(
        &d.app,
        &d.admin,
        "update_transfer",
        &edit(&new_tmt.to_string(), "800/9002/BKPSDM/2026"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let after = transfer::Entity::find_by_id(id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (after.tmt, after.sk_number.as_str()),
        (new_tmt, "800/9002/BKPSDM/2026")
    );
    assert_eq!(after.employee_id, before.employee_id);
    assert_eq!(
        audit_entry::Entity::find()
            .filter(audit_entry::Column::Action.eq("transfer.edited"))
            .filter(audit_entry::Column::EntityId.eq(id))
            .count(d.app.db())
            .await
            .unwrap(),
        1
    );
    // Approved: final.
    assert_eq!(
        call(&d.app, &d.admin, "approve_transfer", &[f("id", id)])
            .await
            .0,
        200
    );
    let (status, _) = call(
        &d.app,
        &d.admin,
        "update_transfer",
        &edit(&new_tmt.to_string(), "800/9003/X"),
    )
    .await;
    assert_eq!(status, 409);
    // Others: as if it did not exist.
    let manager = d.as_role("manager").await;
    let (status, _) = call(
        &d.app,
        &manager,
        "update_transfer",
        &edit(&new_tmt.to_string(), "x"),
    )
    .await;
    assert_eq!(status, 404);
    d.app.stop().await;
}

async fn add_unit(d: &Demo, parent: Option<i64>, name: &str) -> i64 {
    unit::ActiveModel {
        parent_id: Set(parent),
        name: Set(name.into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(d.app.db())
    .await
    .unwrap()
    .id
}

/// The transfer pages take a unit as text (its name, or the end of its
/// path) instead of a `<select>` of every unit: the picker's search, the
/// list's filter, and the draft forms, each refusing an unknown or
/// ambiguous unit for that field with nothing written; and the page's size
/// does not grow with the number of units.
async fn units_are_written_by_name_or_path_and_never_listed_whole(backend: Backend) {
    let d = demo(backend).await;
    let (parent, child, mine) = more_transfers(&d).await;
    let root = unit::Entity::find_by_id(parent)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap()
        .parent_id
        .unwrap();
    let root_name = unit::Entity::find_by_id(root)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap()
        .name;
    // A second "Subbidang Uji Mutasi" elsewhere, and a name holding a slash.
    let twin = add_unit(&d, Some(root), "Subbidang Uji Mutasi").await;
    let slashed = add_unit(&d, Some(parent), "Subbagian Umum/Kepegawaian").await;
    let child_path = format!("{root_name} / Bidang Uji Mutasi / Subbidang Uji Mutasi");

    // The picker: paths from the top, names starting with the text first.
    let (status, hits) = call(
        &d.app,
        &d.admin,
        "transfer_units",
        &[f("q", "subbidang uji")],
    )
    .await;
    assert_eq!(status, 200, "{hits}");
    let labels: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&child_path.as_str()), "{labels:?}");
    assert!(
        labels.contains(&format!("{root_name} / Subbidang Uji Mutasi").as_str()),
        "{labels:?}"
    );
    assert!(labels.len() <= 20);
    // Earlier parts narrow by the units above.
    let (_, hits) = call(
        &d.app,
        &d.admin,
        "transfer_units",
        &[f("q", "bidang uji / subbidang")],
    )
    .await;
    let ids: Vec<i64> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![child], "{hits}");
    // Wildcards are literal; an over-long search is refused.
    let (_, hits) = call(&d.app, &d.admin, "transfer_units", &[f("q", "%_%")]).await;
    assert_eq!(hits, serde_json::json!([]));
    let (status, body) = call(
        &d.app,
        &d.admin,
        "transfer_units",
        &[f("q", "x".repeat(301))],
    )
    .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("q")), "{body}");
    let manager = d.as_role("manager").await;
    let (status, _) = call(&d.app, &manager, "transfer_units", &[f("q", "uji")]).await;
    assert_eq!(status, 404, "administrators only");

    // The list's filter: a name, a path, an id from a link; rows carry paths.
    let page = list(&d, &[f("unit", "bidang uji  MUTASI")]).await;
    assert_eq!(page["total"], 35, "{page}");
    assert_eq!(page["unit_id"], parent);
    assert_eq!(
        page["unit_text"],
        format!("{root_name} / Bidang Uji Mutasi")
    );
    assert_eq!(page["unit_error"], Value::Null);
    let page = list(&d, &[f("unit", "Bidang Uji Mutasi > Subbidang Uji Mutasi")]).await;
    assert_eq!(page["total"], 5);
    assert_eq!(page["rows"][0]["to_unit_path"], child_path.as_str());
    assert_eq!(page["rows"][0]["to_unit"], "Subbidang Uji Mutasi");
    let page = list(&d, &[f("unit", child)]).await;
    assert_eq!(
        (page["total"].as_u64(), page["unit_text"].as_str()),
        (Some(5), Some(child_path.as_str()))
    );
    // Ambiguous or unknown: no rows, the text kept, the reason given.
    let page = list(&d, &[f("unit", "Subbidang Uji Mutasi")]).await;
    assert_eq!(page["total"], 0);
    assert_eq!(page["unit_text"], "Subbidang Uji Mutasi");
    let why = page["unit_error"].as_str().unwrap();
    assert!(
        why.starts_with("Ada 2 unit \"Subbidang Uji Mutasi\""),
        "{why}"
    );
    assert!(why.contains(&child_path), "{why}");
    let page = list(&d, &[f("unit", "Bidang Yang Tidak Ada")]).await;
    assert_eq!(page["total"], 0);
    assert!(
        page["unit_error"]
            .as_str()
            .unwrap()
            .contains("tidak ada di Jejak"),
        "{page}"
    );

    // The draft form: the unit as text, refused for its own field.
    let people = employees_without_transfers(&d.app).await;
    let form = valid_form(&d, &people[0]).await;
    let before = (count_transfers(&d.app).await, count_audit(&d.app).await);
    for (written, says) in [
        ("", "wajib"),
        ("Subbidang Uji Mutasi", "Ada 2 unit"),
        (
            "Kecamatan Antah Berantah / Subbidang Uji Mutasi",
            "tidak ada di Jejak",
        ),
    ] {
        let mut sent = with(&form, "to_unit_id", None);
        sent.push(("to_unit", written.to_string()));
        let (status, body) = call(&d.app, &d.admin, "create_transfer", &sent).await;
        assert_eq!(
            (status, body["field"].as_str()),
            (422, Some("to_unit")),
            "{written}: {body}"
        );
        assert!(
            body["message"]["id"].as_str().unwrap().contains(says),
            "{written}: {body}"
        );
    }
    assert_eq!(
        (count_transfers(&d.app).await, count_audit(&d.app).await),
        before,
        "nothing written"
    );
    let mut sent = with(&form, "to_unit_id", None);
    sent.push((
        "to_unit",
        "bidang uji mutasi / subbagian umum/kepegawaian".into(),
    ));
    let (status, id) = call(&d.app, &d.admin, "create_transfer", &sent).await;
    assert_eq!(status, 200, "{id}");
    let t = transfer::Entity::find_by_id(id.as_i64().unwrap())
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.to_unit_id, slashed, "a name holding a slash");
    // Editing the draft: the whole path from the picker, as offered.
    let mut edit: Vec<(&str, String)> = with(&form, "to_unit_id", None)
        .into_iter()
        .filter(|(k, _)| *k != "nip")
        .collect();
    edit.push(("id", t.id.to_string()));
    edit.push(("to_unit", format!("{root_name} / Subbidang Uji Mutasi")));
    let (status, body) = call(&d.app, &d.admin, "update_transfer", &edit).await;
    assert_eq!(status, 200, "{body}");
    let t = transfer::Entity::find_by_id(t.id)
        .one(d.app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.to_unit_id, twin);

    // The page: the filter shows the path; units nobody moves to are not in it.
    for i in 0..40 {
        add_unit(&d, Some(root), &format!("Unit Sepi Nomor {i:02}")).await;
    }
    let html = d
        .admin
        .get(d.app.url("/admin/mutasi?unit=Bidang%20Uji%20Mutasi"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("value=\"{root_name} / Bidang Uji Mutasi\"")),
        "the filter keeps the unit"
    );
    assert!(html.contains(&format!("data-transfer-id=\"{}\"", mine[0])));
    assert!(
        !html.contains("Unit Sepi Nomor"),
        "no unit is listed that nothing refers to"
    );
    let html = d
        .admin
        .get(d.app.url("/admin/mutasi?unit=Subbidang%20Uji%20Mutasi"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let why = text_of_id(&html, "unit-mutasi-salah").unwrap();
    assert!(why.starts_with("Ada 2 unit"), "{why}");
    d.app.stop().await;
}
