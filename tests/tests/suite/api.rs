//! The JSON API (`/api/v1`) over HTTP, on SQLite and PostgreSQL, against the
//! demo data: a token made on the administrator's page (as a browser would,
//! with and without JavaScript) and every endpoint called with it, the
//! answers checked against the database and the pages; the refusals (no
//! token, a session cookie only, unknown, revoked, expired, a missing scope,
//! the policy, malformed bodies, invalid fields, unknown ids, routes and
//! methods, a body too large), each JSON with its stable code; and the
//! OpenAPI document checked against the running server: exactly the routes
//! served, every documented GET and the write calls answering with a
//! documented status and a body that validates against the documented
//! schema.

use std::collections::BTreeSet;

use jejak_tests::{call, demo, f, http_client, on_both_backends, Backend, Demo, TestApp};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};
use serde_json::{json, Value};

use app::backend::entities::{
    account, account_role, api_token, assignment, audit_entry, completion, employee, plan,
    position, transfer, unit,
};

const MISSING: i64 = 987_654_321;

on_both_backends!(
    a_token_made_on_the_page_reads_and_writes_real_data,
    refusals_are_json_with_a_stable_code,
    the_openapi_document_describes_exactly_what_is_served,
);

/// An answer: status, `WWW-Authenticate`, and the body as JSON (or a string).
struct Answer {
    status: u16,
    challenge: Option<String>,
    body: Value,
}

async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status().as_u16();
    let challenge = res
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = res.text().await.unwrap();
    Answer {
        status,
        challenge,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

async fn api_get(app: &TestApp, token: &str, path: &str) -> Answer {
    answer(
        http_client()
            .get(app.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> Answer {
    answer(
        http_client()
            .post(app.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await
}

/// 200 and the body.
async fn ok(app: &TestApp, token: &str, path: &str) -> Value {
    let a = api_get(app, token, path).await;
    assert_eq!(a.status, 200, "GET {path}: {}", a.body);
    a.body
}

/// An error answer with this status and code.
fn refused(a: &Answer, status: u16, code: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    let e = &a.body["error"];
    assert_eq!(e["code"], code, "{}", a.body);
    assert_eq!(e["status"], status, "{}", a.body);
    assert!(
        e["message"].as_str().is_some_and(|m| !m.is_empty())
            && e["message_en"].as_str().is_some_and(|m| !m.is_empty())
            && e["message"] != e["message_en"],
        "both languages: {}",
        a.body
    );
}

/// Makes a token on the page's server function, as the hydrated page posts
/// it; its id and secret.
async fn make_token(
    d: &Demo,
    client: &reqwest::Client,
    name: &str,
    scopes: &[&str],
    expires_on: &str,
) -> (i64, String) {
    let mut fields = vec![f("name", name), f("expires_on", expires_on)];
    let keys: Vec<String> = (0..scopes.len()).map(|i| format!("scopes[{i}]")).collect();
    for (k, s) in keys.iter().zip(scopes) {
        fields.push((k.as_str(), s.to_string()));
    }
    let (status, body) = call(&d.app, client, "create_api_token", &fields).await;
    assert_eq!(status, 200, "{body}");
    let secret = body["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("jjk_"), "{secret}");
    (body["id"].as_i64().unwrap(), secret)
}

const ALL_SCOPES: [&str; 6] = [
    "employees:read",
    "transfers:read",
    "transfers:write",
    "plans:read",
    "assignments:write",
    "reports:read",
];

fn admin_nip(d: &Demo) -> String {
    d.logins
        .iter()
        .find(|l| l.role == "admin")
        .unwrap()
        .nip
        .clone()
}

fn ids(items: &Value) -> Vec<i64> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

/// An employee with no open transfer and a unit to move them to.
async fn movable(app: &TestApp, not: &[i64]) -> (employee::Model, i64, i64) {
    let open: BTreeSet<i64> = transfer::Entity::find()
        .filter(transfer::Column::State.is_in(["draft", "approved"]))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.employee_id)
        .collect();
    let e = employee::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .find(|e| !open.contains(&e.id) && !not.contains(&e.id))
        .expect("someone without an open transfer");
    let to_unit = unit::Entity::find()
        .filter(unit::Column::Id.ne(e.unit_id))
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let to_position = position::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    (e, to_unit, to_position)
}

async fn a_token_made_on_the_page_reads_and_writes_real_data(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let (token_id, token) = make_token(&d, &d.admin, "sync-simpeg", &ALL_SCOPES, "").await;

    // The page lists it by its prefix, never the secret.
    let stored = api_token::Entity::find_by_id(token_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.prefix, &token[..12]);
    assert_ne!(stored.token_hash, token, "only the hash is stored");
    let page = d
        .admin
        .get(app.url("/admin/token"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(&stored.prefix), "the prefix is listed");
    assert!(html.contains("sync-simpeg"));
    assert!(!html.contains(&token), "the secret is not shown again");
    let created = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("api_token.create"))
        .one(app.db())
        .await
        .unwrap()
        .expect("creating a token is audited");
    assert!(
        created.actor.starts_with(&admin_nip(&d)),
        "{}",
        created.actor
    );
    let after = created.after.unwrap_or_default();
    assert!(after.contains("sync-simpeg") && !after.contains(&stored.token_hash));

    // Without JavaScript: the form posts, the page shows the secret once.
    let res = d
        .admin
        .post(app.url("/fn/create_api_token"))
        .header("Accept", "text/html")
        .form(&[
            ("name", "tanpa-js"),
            ("scopes[0]", "reports:read"),
            ("expires_on", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    let html = |c: reqwest::Client| async move {
        c.get(app.url("/admin/token"))
            .header("Accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let first = html(d.admin.clone()).await;
    let fresh = api_token::Entity::find()
        .filter(api_token::Column::Name.eq("tanpa-js"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let shown = jejak_tests::text_of_id(&first, "rahasia-token").expect("the secret is shown");
    assert!(shown.starts_with(&fresh.prefix), "{shown}");
    assert_eq!(
        app::backend::access::token::hash_token(&shown),
        fresh.token_hash
    );
    let second = html(d.admin.clone()).await;
    assert!(
        jejak_tests::text_of_id(&second, "rahasia-token").is_none(),
        "shown once"
    );

    // Employees: pages by key cover everyone exactly once.
    let mut seen = Vec::new();
    let mut after: Option<i64> = None;
    loop {
        let path = match after {
            Some(a) => format!("/employees?limit=37&after={a}"),
            None => "/employees?limit=37".to_string(),
        };
        let p = ok(app, &token, &path).await;
        let page_ids = ids(&p["items"]);
        assert!(page_ids.len() <= 37);
        seen.extend(page_ids.iter().copied());
        match p["next"].as_i64() {
            Some(n) => {
                assert_eq!(Some(&n), page_ids.last());
                after = Some(n);
            }
            None => break,
        }
    }
    let everyone = employee::Entity::find().count(app.db()).await.unwrap();
    assert_eq!(seen.len() as u64, everyone);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));

    // One by NIP (spaces allowed), and the unit filter.
    let maya = employee::Entity::find()
        .filter(employee::Column::Nip.eq(admin_nip(&d)))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let spaced = format!(
        "{}%20{}%20{}%20{}",
        &maya.nip[..8],
        &maya.nip[8..14],
        &maya.nip[14..15],
        &maya.nip[15..]
    );
    let one = ok(app, &token, &format!("/employees/{spaced}")).await;
    assert_eq!(one["id"], maya.id);
    assert_eq!(one["name"], maya.name);
    assert_eq!(one["unit_id"], maya.unit_id);
    let in_unit = ok(
        app,
        &token,
        &format!("/employees?unit={}&limit=200", maya.unit_id),
    )
    .await;
    assert!(ids(&in_unit["items"]).contains(&maya.id));
    let by_name = ok(
        app,
        &token,
        &format!(
            "/employees?q={}",
            maya.name.split_whitespace().next().unwrap()
        ),
    )
    .await;
    assert!(ids(&by_name["items"]).contains(&maya.id));

    // Transfers: the list by state, one with its stored plan.
    // Keyed pages (`after` = the previous page's `next`) give each one once.
    let completed = ok(app, &token, "/transfers?state=completed").await;
    let in_db = transfer::Entity::find()
        .filter(transfer::Column::State.eq("completed"))
        .count(app.db())
        .await
        .unwrap();
    assert!(in_db > 0);
    let mut seen = Vec::new();
    let mut page = completed.clone();
    loop {
        for t in page["items"].as_array().unwrap() {
            assert_eq!(t["state"], "completed");
            seen.push(t["id"].as_i64().unwrap());
        }
        match page["next"].as_i64() {
            Some(after) => {
                page = ok(
                    app,
                    &token,
                    &format!("/transfers?state=completed&after={after}"),
                )
                .await
            }
            None => break,
        }
    }
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first, no repeats"
    );
    assert_eq!(seen.len() as u64, in_db);
    let first_id = completed["items"][0]["id"].as_i64().unwrap();
    let detail = ok(app, &token, &format!("/transfers/{first_id}")).await;
    assert_eq!(detail["transfer"]["id"], first_id);
    assert_eq!(detail["plan_stored"], true);

    // Create, approve, complete (twice: the same plan, nothing new).
    let (who, to_unit, to_position) = movable(app, &[maya.id]).await;
    let today = d.today.to_string();
    let made = api_post(
        app,
        &token,
        "/transfers",
        json!({
            "nip": who.nip, "to_unit_id": to_unit, "to_position_id": to_position,
            "sk_number": "821/API/2026", "sk_date": today, "tmt": today,
            "transfer_type": "within_agency", "notes": "lewat API"
        }),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.body["transfer"]["state"], "draft");
    assert_eq!(made.body["transfer"]["employee_id"], who.id);
    assert_eq!(made.body["plan_stored"], false);
    let tid = made.body["transfer"]["id"].as_i64().unwrap();
    let approved = api_post(app, &token, &format!("/transfers/{tid}/approve"), json!({})).await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert_eq!(approved.body["transfer"]["state"], "approved");
    assert_eq!(approved.body["can_complete"], true);
    let done = api_post(
        app,
        &token,
        &format!("/transfers/{tid}/complete"),
        json!({}),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["newly_completed"], true);
    let plan_id = done.body["plan_id"].as_i64().unwrap();
    let again = api_post(
        app,
        &token,
        &format!("/transfers/{tid}/complete"),
        json!({}),
    )
    .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.body["newly_completed"], false);
    assert_eq!(again.body["plan_id"], plan_id);
    assert_eq!(
        plan::Entity::find()
            .filter(plan::Column::TransferId.eq(tid))
            .count(app.db())
            .await
            .unwrap(),
        1
    );
    let work = assignment::Entity::find()
        .filter(assignment::Column::PlanId.eq(plan_id))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(done.body["assignments"], work);
    let moved = employee::Entity::find_by_id(who.id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.unit_id, to_unit);
    // The audit trail names the owner and the token.
    let actors: BTreeSet<String> = audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("transfer"))
        .filter(audit_entry::Column::EntityId.eq(tid))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.actor)
        .collect();
    let expected = format!("{} ({}) via token sync-simpeg", maya.nip, maya.name);
    assert_eq!(actors, BTreeSet::from([expected.clone()]));

    // Plans: the new one, by employee and by id, with its assignments.
    let plans = ok(app, &token, &format!("/plans?employee={}", who.nip)).await;
    let listed = plans["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == plan_id)
        .expect("the new plan is listed")
        .clone();
    assert_eq!(listed["transfer_id"], tid);
    assert_eq!(listed["assignments"].as_array().unwrap().len() as u64, work);
    let by_id = ok(app, &token, &format!("/plans/{plan_id}")).await;
    assert_eq!(by_id, listed);

    // Assignments: overdue ones across everyone, paged, as the database says.
    let overdue_in_db = assignment::Entity::find()
        .filter(assignment::Column::State.is_in(["assigned", "in_progress"]))
        .filter(assignment::Column::DueDate.lt(d.today))
        .count(app.db())
        .await
        .unwrap();
    assert!(overdue_in_db > 0, "the demo has overdue work");
    let (mut n, mut after) = (0u64, None::<i64>);
    loop {
        let path = match after {
            Some(a) => format!("/assignments?overdue=true&limit=200&after={a}"),
            None => "/assignments?overdue=true&limit=200".into(),
        };
        let p = ok(app, &token, &path).await;
        for a in p["items"].as_array().unwrap() {
            assert_eq!(a["overdue"], true, "{a}");
            n += 1;
        }
        match p["next"].as_i64() {
            Some(x) => after = Some(x),
            None => break,
        }
    }
    assert_eq!(n, overdue_in_db);
    let open = assignment::Entity::find()
        .filter(assignment::Column::State.eq("assigned"))
        .filter(assignment::Column::PlanId.ne(plan_id))
        .one(app.db())
        .await
        .unwrap()
        .expect("open work");
    let owner = employee::Entity::find_by_id(open.employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let theirs = ok(
        app,
        &token,
        &format!("/assignments?employee={}&state=assigned", owner.nip),
    )
    .await;
    assert!(ids(&theirs["items"]).contains(&open.id));
    for a in theirs["items"].as_array().unwrap() {
        assert_eq!(a["state"], "assigned");
        assert_eq!(a["employee_id"], owner.id);
    }

    // Logging a completion: the trainer's checks, a record, once.
    let bad = api_post(
        app,
        &token,
        &format!("/assignments/{}/complete", open.id),
        json!({"completed_on": today, "score": 150}),
    )
    .await;
    refused(&bad, 422, "invalid");
    assert_eq!(bad.body["error"]["field"], "score");
    let logged = api_post(
        app,
        &token,
        &format!("/assignments/{}/complete", open.id),
        json!({"completed_on": today, "certificate_no": "SRT/API/7", "score": 88.5}),
    )
    .await;
    assert_eq!(logged.status, 200, "{}", logged.body);
    assert_eq!(logged.body["assignment"]["state"], "completed");
    let record = completion::Entity::find_by_id(logged.body["completion_id"].as_i64().unwrap())
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.certificate_no, "SRT/API/7");
    assert_eq!(record.score, Some(88.5));
    assert_eq!(record.employee_id, owner.id);
    assert_eq!(record.logged_by, expected);
    let twice = api_post(
        app,
        &token,
        &format!("/assignments/{}/complete", open.id),
        json!({"completed_on": today}),
    )
    .await;
    refused(&twice, 409, "conflict");

    // Reports: the same figures as the manager's dashboard.
    let (status, dash) = call(
        app,
        &d.admin,
        "dashboard",
        &[f("sort", "terlambat"), f("page", 1)],
    )
    .await;
    assert_eq!(status, 200, "{dash}");
    let bars: BTreeSet<(String, u64, u64)> = dash["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["unit"].as_str().unwrap().to_string(),
                b["done"].as_u64().unwrap(),
                b["total"].as_u64().unwrap(),
            )
        })
        .collect();
    let progress = ok(app, &token, "/reports/progress-by-unit").await;
    let api_bars: BTreeSet<(String, u64, u64)> = progress["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["unit"].as_str().unwrap().to_string(),
                b["done"].as_u64().unwrap(),
                b["total"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(!api_bars.is_empty());
    assert_eq!(api_bars, bars);
    let late_on_dashboard: BTreeSet<i64> = dash["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["overdue"].as_u64().unwrap() > 0)
        .map(|r| r["employee_id"].as_i64().unwrap())
        .collect();
    let overdue = ok(app, &token, "/reports/overdue").await;
    let items = overdue["items"].as_array().unwrap();
    let late: BTreeSet<i64> = items
        .iter()
        .map(|r| r["employee_id"].as_i64().unwrap())
        .collect();
    assert!(!late.is_empty());
    assert_eq!(late, late_on_dashboard);
    assert!(items
        .windows(2)
        .all(|w| w[0]["overdue"].as_u64() >= w[1]["overdue"].as_u64()));

    // Used: recorded on the token.
    let used = api_token::Entity::find_by_id(token_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert!(used.last_used_at.is_some());
    d.app.stop().await;
}

async fn refusals_are_json_with_a_stable_code(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let (_, token) = make_token(&d, &d.admin, "semua", &ALL_SCOPES, "").await;

    // No token, a session cookie only, an unknown token, another scheme.
    let none = answer(
        http_client()
            .get(app.url("/api/v1/employees"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(&none, 401, "unauthenticated");
    assert!(none.challenge.unwrap().starts_with("Bearer"));
    let cookie_only = answer(
        d.admin
            .get(app.url("/api/v1/employees"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(&cookie_only, 401, "unauthenticated");
    let unknown = api_get(app, "jjk_tidak-ada", "/employees").await;
    refused(&unknown, 401, "unauthenticated");
    assert!(unknown.challenge.unwrap().contains("invalid_token"));
    let basic = answer(
        http_client()
            .get(app.url("/api/v1/employees"))
            .basic_auth("admin", Some(&token))
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(&basic, 401, "unauthenticated");

    // A missing scope is named.
    let (_, narrow) = make_token(&d, &d.admin, "laporan", &["reports:read"], "").await;
    assert_eq!(api_get(app, &narrow, "/reports/overdue").await.status, 200);
    let no_scope = api_get(app, &narrow, "/employees").await;
    refused(&no_scope, 403, "insufficient_scope");
    assert_eq!(no_scope.body["error"]["scope"], "employees:read");
    assert!(no_scope.challenge.unwrap().contains("insufficient_scope"));
    let no_write = api_post(app, &narrow, "/transfers/1/approve", json!({})).await;
    refused(&no_write, 403, "insufficient_scope");
    assert_eq!(no_write.body["error"]["scope"], "transfers:write");

    // Revoked: 401 at once; revoking again is refused; both audited.
    let (rid, revoked) = make_token(&d, &d.admin, "dicabut", &ALL_SCOPES, "").await;
    assert_eq!(api_get(app, &revoked, "/employees").await.status, 200);
    let (status, body) = call(app, &d.admin, "revoke_api_token", &[f("id", rid)]).await;
    assert_eq!(status, 200, "{body}");
    refused(
        &api_get(app, &revoked, "/employees").await,
        401,
        "unauthenticated",
    );
    let (status, _) = call(app, &d.admin, "revoke_api_token", &[f("id", rid)]).await;
    assert_eq!(status, 409);
    let revocations = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("api_token.revoke"))
        .filter(audit_entry::Column::EntityId.eq(rid))
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(revocations, 1);

    // Expired: valid through its last day, 401 after.
    let today = d.today.to_string();
    let yesterday = (d.today - chrono::Days::new(1)).to_string();
    let (status, body) = call(
        app,
        &d.admin,
        "create_api_token",
        &[
            f("name", "kemarin"),
            f("scopes[0]", "reports:read"),
            f("expires_on", &yesterday),
        ],
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (eid, expiring) = make_token(&d, &d.admin, "hari-ini", &ALL_SCOPES, &today).await;
    assert_eq!(api_get(app, &expiring, "/employees").await.status, 200);
    let mut t = api_token::Entity::find_by_id(eid)
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    t.expires_at = Set(Some(chrono::Utc::now() - chrono::Duration::seconds(1)));
    t.update(app.db()).await.unwrap();
    refused(
        &api_get(app, &expiring, "/employees").await,
        401,
        "unauthenticated",
    );

    // Malformed bodies.
    let raw = |body: &'static str, content_type: &'static str| {
        let token = token.clone();
        async move {
            answer(
                http_client()
                    .post(app.url("/api/v1/transfers"))
                    .bearer_auth(token)
                    .header("content-type", content_type)
                    .body(body)
                    .send()
                    .await
                    .unwrap(),
            )
            .await
        }
    };
    refused(
        &raw("{\"nip\": ", "application/json").await,
        400,
        "bad_request",
    );
    let wrong_type = api_post(
        app,
        &token,
        "/transfers",
        json!({"nip": 5, "to_unit_id": "satu", "to_position_id": 1, "sk_number": "x",
               "sk_date": today, "tmt": today, "transfer_type": "within_agency"}),
    )
    .await;
    refused(&wrong_type, 400, "bad_request");
    refused(
        &raw("{}", "text/plain").await,
        415,
        "unsupported_media_type",
    );
    let huge = format!("{{\"notes\": \"{}\"}}", "x".repeat(1_100_000));
    let too_large = answer(
        http_client()
            .post(app.url("/api/v1/transfers"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(&too_large, 413, "payload_too_large");

    // Invalid fields name the field.
    let bad_nip = api_post(
        app,
        &token,
        "/transfers",
        json!({"nip": "1994 1005", "to_unit_id": 1, "to_position_id": 1, "sk_number": "x",
               "sk_date": today, "tmt": today, "transfer_type": "within_agency"}),
    )
    .await;
    refused(&bad_nip, 422, "invalid");
    assert_eq!(bad_nip.body["error"]["field"], "nip");
    let bad_nip = api_get(app, &token, "/employees/12345").await;
    refused(&bad_nip, 422, "invalid");
    assert_eq!(bad_nip.body["error"]["field"], "nip");
    let bad_state = api_get(app, &token, "/transfers?state=selesai").await;
    refused(&bad_state, 422, "invalid");
    assert_eq!(bad_state.body["error"]["field"], "state");
    let bad_limit = api_get(app, &token, "/employees?limit=0").await;
    assert_eq!(bad_limit.body["error"]["field"], "limit");
    refused(
        &api_get(app, &token, "/employees?after=satu").await,
        400,
        "bad_request",
    );
    refused(
        &api_get(app, &token, "/transfers/satu").await,
        400,
        "bad_request",
    );

    // Unknown ids, routes and methods.
    refused(
        &api_get(app, &token, &format!("/transfers/{MISSING}")).await,
        404,
        "not_found",
    );
    refused(
        &api_get(app, &token, &format!("/plans/{MISSING}")).await,
        404,
        "not_found",
    );
    refused(
        &api_post(
            app,
            &token,
            &format!("/assignments/{MISSING}/complete"),
            json!({"completed_on": today}),
        )
        .await,
        404,
        "not_found",
    );
    refused(
        &api_post(
            app,
            &token,
            &format!("/transfers/{MISSING}/complete"),
            json!({}),
        )
        .await,
        404,
        "not_found",
    );
    // A well-formed NIP nobody has.
    refused(
        &api_get(app, &token, "/employees/199001012015031099").await,
        404,
        "not_found",
    );
    refused(&api_get(app, &token, "/tidak-ada").await, 404, "not_found");
    let delete = answer(
        http_client()
            .delete(app.url("/api/v1/employees"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    refused(&delete, 405, "method_not_allowed");

    // The policy still decides: a token acts with its owner's roles of the
    // moment. An administrator who is no longer one cannot move anyone
    // (answered as for something that does not exist), sees themselves
    // but not others.
    let admin2 = app.admin_client().await;
    let (_, former) = make_token(&d, &admin2, "mantan-admin", &ALL_SCOPES, "").await;
    let me = employee::Entity::find()
        .filter(employee::Column::Nip.eq("199001012015031002"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let acc = account::Entity::find()
        .filter(account::Column::EmployeeId.eq(me.id))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let (who, to_unit, to_position) = movable(app, &[me.id]).await;
    let body = json!({
        "nip": who.nip, "to_unit_id": to_unit, "to_position_id": to_position,
        "sk_number": "822/API/2026", "sk_date": today, "tmt": today,
        "transfer_type": "within_agency"
    });
    account_role::Entity::delete_many()
        .filter(account_role::Column::AccountId.eq(acc.id))
        .exec(app.db())
        .await
        .unwrap();
    refused(
        &api_post(app, &former, "/transfers", body.clone()).await,
        404,
        "not_found",
    );
    let draft = transfer::Entity::find()
        .filter(transfer::Column::State.eq("draft"))
        .one(app.db())
        .await
        .unwrap()
        .expect("a demo draft");
    refused(
        &api_post(
            app,
            &former,
            &format!("/transfers/{}/approve", draft.id),
            json!({}),
        )
        .await,
        404,
        "not_found",
    );
    assert_eq!(
        transfer::Entity::find_by_id(draft.id)
            .one(app.db())
            .await
            .unwrap()
            .unwrap()
            .state,
        "draft"
    );
    assert_eq!(
        api_get(app, &former, &format!("/employees/{}", me.nip))
            .await
            .status,
        200
    );
    refused(
        &api_get(app, &former, &format!("/employees/{}", who.nip)).await,
        404,
        "not_found",
    );
    refused(&api_get(app, &former, "/employees").await, 404, "not_found");
    refused(
        &api_get(app, &former, "/reports/overdue").await,
        404,
        "not_found",
    );
    // The same request with the administrator's token is allowed.
    assert_eq!(api_post(app, &token, "/transfers", body).await.status, 201);
    // An owner whose account is switched off: every token of theirs stops.
    let mut off = acc.into_active_model();
    off.active = Set(false);
    off.update(app.db()).await.unwrap();
    refused(
        &api_get(app, &former, &format!("/employees/{}", me.nip)).await,
        401,
        "unauthenticated",
    );

    // The page and its functions are for administrators only.
    let employee = d.as_role("employee").await;
    let (status, _) = call(app, &employee, "api_tokens", &[]).await;
    assert_eq!(status, 404);
    d.app.stop().await;
}

/// Where in the document an operation's answer for `status` is described.
fn response_schema(doc: &Value, path: &str, method: &str, status: u16) -> Option<Value> {
    doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"]
        .as_object()
        .map(|o| Value::Object(o.clone()))
}

/// Validates `body` against `schema` with the document's components resolvable.
fn validate(doc: &Value, schema: &Value, body: &Value) -> Result<(), String> {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("urn:jejak:answer", root)
        .map_err(|e| e.to_string())?;
    let idx = compiler
        .compile("urn:jejak:answer", &mut schemas)
        .map_err(|e| e.to_string())?;
    schemas.validate(body, idx).map_err(|e| format!("{e:#}"))
}

/// The answer is documented for this operation and its body is valid.
fn documented(doc: &Value, path: &str, method: &str, a: &Answer) {
    let schema = response_schema(doc, path, method, a.status).unwrap_or_else(|| {
        panic!(
            "{method} {path} answered {} which is not documented: {}",
            a.status, a.body
        )
    });
    if let Err(e) = validate(doc, &schema, &a.body) {
        panic!(
            "{method} {path} ({}): the body does not match the schema: {e}\n{}",
            a.status, a.body
        );
    }
}

async fn the_openapi_document_describes_exactly_what_is_served(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    // Public: no token needed.
    let res = http_client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    let spec = oas3::from_json(&text).expect("a valid OpenAPI 3.1 document");
    assert!(spec.openapi.starts_with("3."), "{}", spec.openapi);
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["servers"][0]["url"], "/api/v1");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    // Exactly the routes the router serves.
    let methods = ["get", "post", "put", "patch", "delete", "head", "options"];
    let in_doc: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| {
            methods
                .iter()
                .filter(|m| ops.get(**m).is_some())
                .map(move |m| (m.to_string(), p.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = jejak::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(in_doc, served, "documented vs served");

    let (_, token) = make_token(&d, &d.admin, "openapi", &ALL_SCOPES, "").await;
    let some_transfer = transfer::Entity::find()
        .filter(transfer::Column::State.eq("completed"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let some_plan = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(some_transfer.id))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let person = employee::Entity::find_by_id(some_transfer.employee_id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    // A real call for every documented GET.
    let concrete = |path: &str| -> String {
        match path {
            "/employees/{nip}" => format!("/employees/{}", person.nip),
            "/transfers/{id}" => format!("/transfers/{}", some_transfer.id),
            "/plans/{id}" => format!("/plans/{}", some_plan.id),
            "/plans" => format!("/plans?employee={}", person.nip),
            "/assignments" => format!("/assignments?employee={}", person.nip),
            other => other.to_string(),
        }
    };
    let gets: Vec<String> = served
        .iter()
        .filter(|(m, _)| m == "get")
        .map(|(_, p)| p.clone())
        .collect();
    for path in &gets {
        assert!(
            !concrete(path).contains('{'),
            "no example call for the new route {path}: add one here"
        );
        let a = api_get(app, &token, &concrete(path)).await;
        assert_eq!(a.status, 200, "GET {path}: {}", a.body);
        documented(&doc, path, "get", &a);
        // And the refusals of the same route, where it has them.
        if path != "/openapi.json" {
            let none = answer(
                http_client()
                    .get(app.url(&format!("/api/v1{}", concrete(path))))
                    .send()
                    .await
                    .unwrap(),
            )
            .await;
            assert_eq!(none.status, 401);
            documented(&doc, path, "get", &none);
        }
    }
    documented(
        &doc,
        "/employees/{nip}",
        "get",
        &api_get(app, &token, "/employees/123").await,
    );
    documented(
        &doc,
        "/transfers/{id}",
        "get",
        &api_get(app, &token, &format!("/transfers/{MISSING}")).await,
    );

    // The write calls, in a scenario.
    let today = d.today.to_string();
    let (who, to_unit, to_position) = movable(app, &[]).await;
    let made = api_post(
        app,
        &token,
        "/transfers",
        json!({
            "nip": who.nip, "to_unit_id": to_unit, "to_position_id": to_position,
            "sk_number": "823/API/2026", "sk_date": today, "tmt": today,
            "transfer_type": "between_agencies"
        }),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    documented(&doc, "/transfers", "post", &made);
    let tid = made.body["transfer"]["id"].as_i64().unwrap();
    let early = api_post(
        app,
        &token,
        &format!("/transfers/{tid}/complete"),
        json!({}),
    )
    .await;
    assert_eq!(
        early.status, 409,
        "a draft cannot be completed: {}",
        early.body
    );
    documented(&doc, "/transfers/{id}/complete", "post", &early);
    let approved = api_post(app, &token, &format!("/transfers/{tid}/approve"), json!({})).await;
    documented(&doc, "/transfers/{id}/approve", "post", &approved);
    let done = api_post(
        app,
        &token,
        &format!("/transfers/{tid}/complete"),
        json!({}),
    )
    .await;
    assert_eq!(done.status, 200);
    documented(&doc, "/transfers/{id}/complete", "post", &done);
    let bad = api_post(
        app,
        &token,
        "/transfers",
        json!({"nip": "0", "to_unit_id": 1, "to_position_id": 1, "sk_number": "x",
               "sk_date": today, "tmt": today, "transfer_type": "within_agency"}),
    )
    .await;
    assert_eq!(bad.status, 422);
    documented(&doc, "/transfers", "post", &bad);
    let open = assignment::Entity::find()
        .filter(assignment::Column::State.eq("assigned"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let logged = api_post(
        app,
        &token,
        &format!("/assignments/{}/complete", open.id),
        json!({"completed_on": today, "certificate_no": "SRT-1", "score": 90}),
    )
    .await;
    assert_eq!(logged.status, 200, "{}", logged.body);
    documented(&doc, "/assignments/{id}/complete", "post", &logged);
    let twice = api_post(
        app,
        &token,
        &format!("/assignments/{}/complete", open.id),
        json!({"completed_on": today}),
    )
    .await;
    documented(&doc, "/assignments/{id}/complete", "post", &twice);

    // The check itself can fail: a body that is not what the schema says.
    let schema = response_schema(&doc, "/employees/{nip}", "get", 200).unwrap();
    assert!(validate(&doc, &schema, &json!({"id": "satu"})).is_err());
    d.app.stop().await;
}
