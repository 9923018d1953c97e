//! Two Jejak instances on one PostgreSQL, as behind a reverse proxy
//! (issue 8, docs/DEPLOY.md): any request may reach any instance.
//!
//! - Sessions live in the database: a cookie from signing in on A is
//!   signed in on B; signing out on B ends it on A too.
//! - A write through A is read through B at once, and the same transfer
//!   completed on A and B at the same moment gives one plan.
//! - With the schedules and the worker on both, one instance ticks (the
//!   lease never changes hands) and the plan completed through B gets its
//!   email once. Exactly-once delivery of many messages while new work
//!   keeps arriving is
//!   `delivery::two_instances_on_one_postgres_send_every_message_exactly_once`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use app::backend::{
    config::Config,
    entities::{audit_entry, employee, plan, position, scheduler_lease, transfer, unit},
    {reminders::REMINDERS_JOB, transfers},
};
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{
    call, demo, f, smtp::SmtpServer, spawn_app_with, spawn_instance, wait_until, Backend, TestApp,
};
use reqwest::header;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::Value;

/// Signs in on `app` through the form and returns the session cookie
/// (`jejak_sesi=…`), to be sent by hand: a cookie store would drop it on
/// sign-out, and the point is that the server no longer accepts it.
async fn session_cookie(app: &TestApp, login: &str) -> String {
    let res = plain_client()
        .post(app.url("/fn/sign_in"))
        .header(header::ACCEPT, "text/html")
        .form(&[("login", login), ("password", DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302, "sign-in as {login}");
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("jejak_sesi="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// No cookie store, no redirects: every request carries what it is given.
fn plain_client() -> reqwest::Client {
    jejak_tests::client_builder().build().unwrap()
}

async fn whoami(app: &TestApp, cookie: &str) -> Value {
    plain_client()
        .post(app.url("/fn/whoami"))
        .header(header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A server function called with this session cookie (the project's `call`
/// with a client that sends the cookie by hand, as a load balancer would
/// pass it to either instance).
async fn fn_call(
    app: &TestApp,
    cookie: &str,
    endpoint: &str,
    form: &[(&str, String)],
) -> (u16, Value) {
    let mut headers = header::HeaderMap::new();
    headers.insert(header::COOKIE, cookie.parse().unwrap());
    let client = jejak_tests::client_builder()
        .default_headers(headers)
        .build()
        .unwrap();
    call(app, &client, endpoint, form).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sessions_and_writes_go_through_either_instance() {
    let d = demo(Backend::Postgres).await;
    let a = &d.app;
    let b = spawn_instance(a, |_| {}).await;
    assert_ne!(a.addr, b.addr);
    let login = |role: &str| {
        d.logins
            .iter()
            .find(|l| l.role == role)
            .unwrap()
            .nip
            .clone()
    };

    // Sessions: signed in on A, the same cookie is signed in on B.
    let admin = session_cookie(a, &login("admin")).await;
    let employee = session_cookie(a, &login("employee")).await;
    assert_eq!(whoami(&b, &employee).await["nip"], login("employee"));
    assert_eq!(whoami(&b, &admin).await["nip"], login("admin"));
    // Signing out on B ends the session for A as well (and only that one).
    let res = plain_client()
        .post(b.url("/fn/sign_out"))
        .header(header::ACCEPT, "text/html")
        .header(header::COOKIE, &employee)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert!(
        whoami(a, &employee).await.is_null(),
        "A still knows a session ended on B"
    );
    assert!(whoami(&b, &employee).await.is_null());
    assert_eq!(whoami(a, &admin).await["nip"], login("admin"));

    // Writes: a draft recorded through A is in B's list at once.
    let busy: BTreeSet<i64> = transfer::Entity::find()
        .all(a.db())
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.employee_id)
        .collect();
    let person = employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(a.db())
        .await
        .unwrap()
        .into_iter()
        .find(|e| !busy.contains(&e.id))
        .expect("someone without a transfer");
    let to_unit = unit::Entity::find()
        .filter(unit::Column::Id.ne(person.unit_id))
        .one(a.db())
        .await
        .unwrap()
        .unwrap();
    let to_position = position::Entity::find().one(a.db()).await.unwrap().unwrap();
    let sk = "800/8001/BKPSDM/2026";
    let (status, id) = fn_call(
        a,
        &admin,
        "create_transfer",
        &[
            f("nip", &person.nip),
            f("to_unit_id", to_unit.id),
            f("to_position_id", to_position.id),
            f("sk_number", sk),
            f("sk_date", d.today),
            f("tmt", d.today),
            f("transfer_type", "within_agency"),
            f("notes", ""),
        ],
    )
    .await;
    assert_eq!(status, 200, "{id}");
    let id = id.as_i64().unwrap();
    let (status, page) = fn_call(&b, &admin, "transfers", &[f("q", sk)]).await;
    assert_eq!(status, 200, "{page}");
    let listed: Vec<&Value> = page["rows"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), 1, "{page}");
    assert_eq!(listed[0]["id"], id);

    // Approved through B; completed through A and B at the same moment.
    let (status, body) = fn_call(&b, &admin, "approve_transfer", &[f("id", id)]).await;
    assert_eq!(status, 200, "{body}");
    let expected_items = transfers::preview_plan(a.db(), id, d.today)
        .await
        .unwrap()
        .len();
    let complete = [f("id", id)];
    let ((sa, on_a), (sb, on_b)) = tokio::join!(
        fn_call(a, &admin, "complete_transfer", &complete),
        fn_call(&b, &admin, "complete_transfer", &complete),
    );
    assert_eq!((sa, sb), (200, 200), "A: {on_a}, B: {on_b}");
    assert_eq!(
        on_a["plan_id"], on_b["plan_id"],
        "one plan for both answers"
    );
    let newly: Vec<bool> = [&on_a, &on_b]
        .iter()
        .map(|r| r["newly_completed"].as_bool().unwrap())
        .collect();
    assert_eq!(
        newly.iter().filter(|n| **n).count(),
        1,
        "exactly one instance completed it: A {on_a}, B {on_b}"
    );
    let plans = plan::Entity::find()
        .filter(plan::Column::TransferId.eq(id))
        .all(a.db())
        .await
        .unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(on_a["items"], expected_items);
    assert_eq!(on_b["items"], expected_items);
    let plan_lines = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("plan.create"))
        .filter(audit_entry::Column::EntityId.eq(plans[0].id))
        .count(a.db())
        .await
        .unwrap();
    assert_eq!(plan_lines, 1, "the losing completion left no trace");
    b.stop().await;
}

async fn lease_holder(app: &TestApp) -> Option<String> {
    scheduler_lease::Entity::find_by_id(REMINDERS_JOB.to_string())
        .one(app.db())
        .await
        .unwrap()
        .map(|l| l.holder)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn with_jobs_on_both_one_instance_ticks_and_each_email_goes_once() {
    let smtp = SmtpServer::start();
    let jobs = |c: &mut Config| {
        c.smtp_url = smtp.url();
        c.background_jobs = true;
        c.reminder_schedule = "* * * * * *".into();
    };
    let a = spawn_app_with(Backend::Postgres, jobs).await;
    let b = spawn_instance(&a, jobs).await;
    let today = a.state.now_local().date_naive();
    jejak::seed::everything(a.db(), today, &[30, 60, 90])
        .await
        .unwrap();
    let logins = jejak::seed::accounts::demo(a.db()).await.unwrap();
    let admin_nip = &logins.iter().find(|l| l.role == "admin").unwrap().nip;
    let admin = b.sign_in(admin_nip, DEMO_PASSWORD).await;

    // An approved demo transfer of someone with an email whose plan has work.
    let mut chosen = None;
    for t in transfer::Entity::find()
        .filter(transfer::Column::State.eq("approved"))
        .order_by_asc(transfer::Column::Id)
        .all(a.db())
        .await
        .unwrap()
    {
        let e = employee::Entity::find_by_id(t.employee_id)
            .one(a.db())
            .await
            .unwrap()
            .unwrap();
        let items = transfers::preview_plan(a.db(), t.id, today).await.unwrap();
        if e.email.is_some() && !items.is_empty() {
            chosen = Some((t, e));
            break;
        }
    }
    let (t, e) = chosen.expect("an approved demo transfer with work, to someone with an email");

    let holder = wait_until(Duration::from_secs(60), || lease_holder(&a)).await;
    // Completed through B while both tick every second.
    let (status, done) = call(&b, &admin, "complete_transfer", &[f("id", t.id)]).await;
    assert_eq!(status, 200, "{done}");
    let key = format!("new_plan/p{}/once/e{}", done["plan_id"], e.id);
    wait_until(Duration::from_secs(120), || async {
        smtp.messages()
            .iter()
            .any(|m| m.outbox_key() == key)
            .then_some(())
    })
    .await;
    // A few more slots on both, then count.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        lease_holder(&a).await.as_deref(),
        Some(holder.as_str()),
        "the reminders lease changed hands while both instances were running"
    );
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for m in smtp.messages() {
        *count.entry(m.outbox_key()).or_default() += 1;
    }
    assert_eq!(count.get(&key), Some(&1), "the new plan's email, once");
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "sent more than once: {twice:?}");
    b.stop().await;
    a.stop().await;
}
