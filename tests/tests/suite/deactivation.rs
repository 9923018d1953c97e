//! People who leave lose access (issue 17), over HTTP on SQLite and
//! PostgreSQL against the demo data: an administrator deactivates an
//! account with a reason and at once its open browser session is signed
//! out, its API token answers 401, its calendar feed 404, a reminder tick
//! queues nothing for the person (or about them), sign-in is refused
//! exactly as a wrong password is, a session row that somehow survived is
//! refused too, and the accounts list and page show it inactive with the
//! reason and the day; after reactivation sign-in works again while the old
//! API token and calendar link stay dead. Set-password links go to the
//! person by email (read back from a real SMTP server) and the
//! administrator sees the link only for a person without an address. Only
//! administrators reach the two new endpoints.

use chrono::{Duration, Utc};
use jejak::seed::accounts::DEMO_PASSWORD;
use jejak_tests::{
    call, demo, f, http_client, on_both_backends, smtp::SmtpServer, spawn_app, Backend, Demo,
    TestApp,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::Value;

use app::backend::{
    access::{session, token::hash_token},
    config::Config,
    entities::{
        account, account_role, api_token, assignment, audit_entry, calendar_link, employee, outbox,
        password_link,
    },
    reminders::mail::Mailer,
    {access::accounts, access::api_tokens, reminders, reminders::delivery::Deliverer},
};
use app::domain::reminders::ReminderPolicy;

on_both_backends!(
    a_deactivated_account_loses_every_way_in_until_reactivated,
    set_password_links_are_emailed_and_shown_only_without_an_address,
    only_administrators_deactivate_and_reactivate,
);

async fn whoami(app: &TestApp, client: &reqwest::Client) -> Value {
    client
        .post(app.url("/fn/whoami"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn sign_in_answer(app: &TestApp, login: &str, password: &str) -> (u16, Value) {
    let res = http_client()
        .post(app.url("/fn/sign_in"))
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn status_of(req: reqwest::RequestBuilder) -> u16 {
    req.send().await.unwrap().status().as_u16()
}

async fn account_of(app: &TestApp, employee_id: i64) -> account::Model {
    account::Entity::find()
        .filter(account::Column::EmployeeId.eq(employee_id))
        .one(app.db())
        .await
        .unwrap()
        .expect("an account")
}

async fn audit_lines(app: &TestApp, action: &str, account_id: i64) -> Vec<audit_entry::Model> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .filter(audit_entry::Column::EntityId.eq(account_id))
        .all(app.db())
        .await
        .unwrap()
}

/// The row of one account in the administrator's list (searched by NIP).
async fn listed(d: &Demo, nip: &str) -> Value {
    let page = d.list("accounts", &[f("q", nip)]).await;
    let rows = page["accounts"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{page}");
    rows[0].clone()
}

/// "7 Desember 2026".
fn chrono_day_id(d: chrono::NaiveDate) -> String {
    app::domain::dates::long_date_in(d, app::i18n::Locale::id)
}

async fn a_deactivated_account_loses_every_way_in_until_reactivated(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let db = app.db();
    let person = d
        .logins
        .iter()
        .find(|l| l.role == "employee")
        .unwrap()
        .clone();
    let acc = account_of(app, person.employee_id).await;

    // Everything the person can reach, working before.
    // An administrator role, so that their API token reads employees.
    accounts::grant_role(
        db,
        "test",
        acc.id,
        accounts::RoleGrant {
            role: accounts::RoleKind::Admin,
            unit_id: None,
            course_id: None,
        },
        Utc::now(),
    )
    .await
    .unwrap();
    let browser = app.sign_in(&person.nip, DEMO_PASSWORD).await;
    assert_eq!(whoami(app, &browser).await["nip"], person.nip.as_str());
    let mut emp = employee::Entity::find_by_id(person.employee_id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    if emp.email.is_none() {
        let mut am = emp.clone().into_active_model();
        am.email = Set(Some("pegawai.uji@medan.example".into()));
        emp = am.update(db).await.unwrap();
    }
    let roles = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(acc.id))
        .all(db)
        .await
        .unwrap();
    let owner = session::principal_of(&acc, &emp, &roles, "test".into());
    let (_, secret) = api_tokens::create(
        db,
        &owner,
        "sinkron-uji",
        &["employees:read"],
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    let api = |secret: String| {
        http_client()
            .get(app.url("/api/v1/employees"))
            .bearer_auth(secret)
    };
    assert_eq!(status_of(api(secret.clone())).await, 200);
    let feed: Option<String> = browser
        .post(app.url("/fn/calendar_link"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let feed = feed.unwrap();
    let feed_path = feed.trim_start_matches("http://127.0.0.1:3000").to_string();
    assert!(feed_path.starts_with("/kalender/"), "{feed}");
    let feed_status = || status_of(http_client().get(app.url(&feed_path)));
    assert_eq!(feed_status().await, 200);

    // A reminder due tomorrow for the person, queued by a tick.
    let now = app.state.now_local();
    let today = now.date_naive();
    let open = assignment::Entity::find()
        .filter(assignment::Column::EmployeeId.eq(person.employee_id))
        .filter(assignment::Column::State.is_in(assignment::OPEN_STATES))
        .order_by_asc(assignment::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(!open.is_empty(), "the demo employee has open work");
    for a in &open {
        let mut am = a.clone().into_active_model();
        am.due_date = Set(today + chrono::Days::new(1));
        am.update(db).await.unwrap();
    }
    let policy = ReminderPolicy::default();
    reminders::tick(db, &policy, "uji", now)
        .await
        .unwrap()
        .unwrap();
    let for_person = || async {
        outbox::Entity::find()
            .filter(outbox::Column::RecipientEmployeeId.eq(person.employee_id))
            .all(db)
            .await
            .unwrap()
    };
    let queued = for_person().await;
    assert!(
        queued.iter().any(|m| m.state == outbox::PENDING),
        "before: a reminder waits for the person: {queued:?}"
    );
    let wrong_password = sign_in_answer(app, &person.nip, "bukan-sandinya-2026").await;
    assert_eq!(wrong_password.0, 401);

    // The administrator deactivates the account: the person retired.
    let (status, body) = d
        .call(
            "deactivate_account",
            &[
                f("account_id", acc.id),
                f("reason", "retired"),
                f("reason_other", ""),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // The open browser is signed out at once; its session row is gone.
    assert!(whoami(app, &browser).await.is_null());
    let page = browser
        .get(app.url("/saya"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 302);
    assert!(page.headers()["location"]
        .to_str()
        .unwrap()
        .starts_with("/masuk"));
    let sessions = app::backend::entities::session::Entity::find()
        .filter(app::backend::entities::session::Column::AccountId.eq(acc.id))
        .count(db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    // The API token: 401, and revoked in the list.
    assert_eq!(status_of(api(secret.clone())).await, 401);
    let token_row = api_token::Entity::find()
        .filter(api_token::Column::AccountId.eq(acc.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(token_row.revoked_at.is_some());
    // The calendar feed: 404, the link deleted.
    assert_eq!(feed_status().await, 404);
    assert_eq!(
        calendar_link::Entity::find_by_id(acc.id)
            .one(db)
            .await
            .unwrap(),
        None
    );
    // No more email: what waited is cancelled, the next day's tick queues
    // nothing for the person and nothing about them (no escalation to the
    // supervisor of someone who left).
    assert!(for_person()
        .await
        .iter()
        .all(|m| m.state == outbox::CANCELLED));
    let before_next = outbox::Entity::find().count(db).await.unwrap();
    let tomorrow = now + Duration::days(2);
    reminders::tick(db, &policy, "uji", tomorrow)
        .await
        .unwrap()
        .unwrap();
    assert!(for_person()
        .await
        .iter()
        .all(|m| m.state == outbox::CANCELLED));
    let open_ids: Vec<i64> = open.iter().map(|a| a.id).collect();
    let about_person = outbox::Entity::find()
        .filter(outbox::Column::SubjectKind.eq("assignment"))
        .filter(outbox::Column::SubjectId.is_in(open_ids))
        .filter(outbox::Column::State.eq(outbox::PENDING))
        .count(db)
        .await
        .unwrap();
    assert_eq!(about_person, 0, "nothing about the person is queued");
    assert!(outbox::Entity::find().count(db).await.unwrap() >= before_next);
    let snap = reminders::snapshot(db, &policy, tomorrow.date_naive(), &tomorrow.timezone())
        .await
        .unwrap();
    assert!(snap
        .assignments
        .iter()
        .all(|a| a.employee_id != person.employee_id));

    // Sign-in: refused with the very answer of a wrong password, though the
    // password is right.
    let right_password = sign_in_answer(app, &person.nip, DEMO_PASSWORD).await;
    assert_eq!(right_password, wrong_password);
    // A session row that somehow survived (a restored backup) is refused
    // too, and deleted when met.
    let survivor = session::create(db, acc.id, Utc::now(), &app.state.config)
        .await
        .unwrap();
    let res = http_client()
        .post(app.url("/fn/whoami"))
        .header("Cookie", format!("{}={survivor}", session::COOKIE))
        .send()
        .await
        .unwrap();
    assert!(res.json::<Value>().await.unwrap().is_null());
    assert_eq!(
        app::backend::entities::session::Entity::find_by_id(hash_token(&survivor))
            .one(db)
            .await
            .unwrap(),
        None
    );

    // Shown inactive, with the reason and the day, in the list and on the page.
    let row = listed(&d, &person.nip).await;
    assert_eq!(row["active"], false);
    assert_eq!(row["deactivated_reason"], "retired");
    assert_eq!(row["deactivated_on"], today.to_string());
    let page_text = || async {
        d.admin
            .get(app.url(&format!("/admin/akun?q={}", person.nip)))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let html = page_text().await;
    assert!(html.contains("data-active=\"false\""), "{html}");
    assert!(
        html.contains("Nonaktif") && html.contains("pensiun"),
        "{html}"
    );
    assert!(
        html.contains(&chrono_day_id(today)),
        "the day, in Indonesian: {html}"
    );
    assert_eq!(d.call("set_language", &[f("lang", "en")]).await.0, 200);
    let html = page_text().await;
    assert!(
        html.contains("Inactive") && html.contains("retired"),
        "{html}"
    );
    assert_eq!(d.call("set_language", &[f("lang", "id")]).await.0, 200);
    // Audited, in the transaction of the change.
    let lines = audit_lines(app, "account.deactivated", acc.id).await;
    assert_eq!(lines.len(), 1);
    let after: Value = serde_json::from_str(lines[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["reason"], "retired");
    assert_eq!(after["api_tokens_revoked"], 1);
    assert_eq!(after["sessions_ended"], 1);
    // Twice is refused; so is one's own account.
    let (status, _) = d
        .call(
            "deactivate_account",
            &[f("account_id", acc.id), f("reason", "left")],
        )
        .await;
    assert_eq!(status, 409);
    let admin_nip = &d.logins.iter().find(|l| l.role == "admin").unwrap().nip;
    let admin_acc = account_of(
        app,
        d.logins
            .iter()
            .find(|l| l.role == "admin")
            .unwrap()
            .employee_id,
    )
    .await;
    let (status, body) = d
        .call(
            "deactivate_account",
            &[f("account_id", admin_acc.id), f("reason", "left")],
        )
        .await;
    assert_eq!(status, 409, "{admin_nip}: {body}");
    // "Other" needs its words.
    let (status, body) = d
        .call(
            "deactivate_account",
            &[
                f("account_id", admin_acc.id),
                f("reason", "other"),
                f("reason_other", " "),
            ],
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (422, Some("reason_other"))
    );

    // Reactivated: sign-in works again with the same password; the old
    // API token and calendar link stay dead.
    let (status, body) = d
        .call("reactivate_account", &[f("account_id", acc.id)])
        .await;
    assert_eq!(status, 200, "{body}");
    let back = app.sign_in(&person.nip, DEMO_PASSWORD).await;
    assert_eq!(whoami(app, &back).await["nip"], person.nip.as_str());
    assert_eq!(status_of(api(secret.clone())).await, 401);
    assert_eq!(feed_status().await, 404);
    let row = listed(&d, &person.nip).await;
    assert_eq!(row["active"], true);
    assert_eq!(row["deactivated_reason"], Value::Null);
    assert_eq!(
        audit_lines(app, "account.reactivated", acc.id).await.len(),
        1
    );
    let (status, _) = d
        .call("reactivate_account", &[f("account_id", acc.id)])
        .await;
    assert_eq!(status, 409, "reactivating an active account");

    // The demo data shows one deactivated account.
    let moved = listed(&d, jejak::seed::accounts::DEACTIVATED_NIP).await;
    assert_eq!(moved["active"], false);
    assert_eq!(moved["deactivated_reason"], "moved_out");
    d.app.stop().await;
}

/// A new employee of a new unit, with or without an address, with an
/// account that has no password yet.
async fn newcomer(app: &TestApp, nip: &str, email: Option<&str>) -> (i64, i64) {
    let e = app
        .employee_in_new_unit(
            &format!("Unit {nip}"),
            nip,
            &format!("Pegawai Baru {nip}"),
            email,
        )
        .await;
    let acc = accounts::create_account(app.db(), "test", e, Utc::now())
        .await
        .unwrap();
    (e, acc.id)
}

async fn set_password_links_are_emailed_and_shown_only_without_an_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin_client().await;
    let (_, with_mail) = newcomer(&app, "199202022020121001", Some("baru@medan.example")).await;
    let (_, without) = newcomer(&app, "199303032021121002", None).await;

    // With an address: the answer names it and holds no link.
    let (status, issued) = call(
        &app,
        &admin,
        "issue_password_link",
        &[f("account_id", with_mail)],
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["emailed_to"], "baru@medan.example");
    assert_eq!(issued["link"], Value::Null);
    assert!(!issued.to_string().contains("atur-sandi"));
    // Queued in the outbox, with no secret in it (minted when it is sent).
    let queued = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("password_link"))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].to_address, "baru@medan.example");
    assert_eq!(queued[0].subject_id, Some(with_mail));
    assert_eq!(
        password_link::Entity::find()
            .filter(password_link::Column::AccountId.eq(with_mail))
            .count(app.db())
            .await
            .unwrap(),
        0
    );

    // Delivered through SMTP: the email carries the link, in Indonesian.
    let smtp = SmtpServer::start();
    let config = Config {
        smtp_url: smtp.url(),
        ..(*app.state.config).clone()
    };
    let worker = Deliverer::new(
        app.db().clone(),
        Mailer::from_config(&config).unwrap(),
        &config,
    );
    let report = worker
        .deliver_due(Utc::now(), Duration::seconds(5))
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let got = smtp.wait_for(1, std::time::Duration::from_secs(60)).await;
    assert_eq!(got[0].to, vec!["baru@medan.example".to_string()]);
    let mail = got[0].parse();
    let text = &mail.parts[0].text;
    assert!(text.contains("Atur kata sandi"), "{text}");
    let prefix = "http://127.0.0.1:3000/atur-sandi/";
    let start = text.find(prefix).expect("the link is in the email") + prefix.len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    assert!(token.len() > 20, "{token}");
    // Stored hashed only.
    assert!(password_link::Entity::find_by_id(hash_token(&token))
        .one(app.db())
        .await
        .unwrap()
        .is_some());
    let page = http_client()
        .get(app.url(&format!("/atur-sandi/{token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Pegawai Baru 199202022020121001"));
    let res = http_client()
        .post(app.url("/fn/set_password"))
        .form(&[
            ("token", token.as_str()),
            ("new_password", "sandi-dari-email-2026"),
            ("confirm", "sandi-dari-email-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    app.sign_in("199202022020121001", "sandi-dari-email-2026")
        .await;

    // The administrator's page never shows a link for a person with an address.
    let html = admin
        .get(app.url("/admin/akun"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&token));
    assert!(!html.contains("/atur-sandi/"));

    // Without an address: the link is shown to the administrator, not queued.
    let (status, issued) = call(
        &app,
        &admin,
        "issue_password_link",
        &[f("account_id", without)],
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    assert_eq!(issued["emailed_to"], Value::Null);
    let link = issued["link"].as_str().unwrap();
    assert!(link.starts_with(prefix), "{link}");
    assert_eq!(
        outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("password_link"))
            .count(app.db())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        http_client()
            .get(app.url(link.trim_start_matches("http://127.0.0.1:3000")))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // A deactivated account gets no link; an emailed one still waiting is
    // cancelled, and its link stops working.
    let (status, issued) = call(
        &app,
        &admin,
        "issue_password_link",
        &[f("account_id", with_mail)],
    )
    .await;
    assert_eq!(status, 200, "{issued}");
    let (status, body) = call(
        &app,
        &admin,
        "deactivate_account",
        &[
            f("account_id", with_mail),
            f("reason", "other"),
            f("reason_other", "Diberhentikan dengan hormat"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let waiting = outbox::Entity::find()
        .filter(outbox::Column::Kind.eq("password_link"))
        .order_by_desc(outbox::Column::Id)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(waiting.state, outbox::CANCELLED);
    let (status, _) = call(
        &app,
        &admin,
        "issue_password_link",
        &[f("account_id", with_mail)],
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(
        &app,
        &admin,
        "issue_password_link",
        &[f("account_id", without)],
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = call(
        &app,
        &admin,
        "deactivate_account",
        &[f("account_id", without), f("reason", "left")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let res = http_client()
        .post(app.url("/fn/password_link"))
        .form(&[("token", link.rsplit('/').next().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        422,
        "a deactivated account's link stops working"
    );

    // The audit trail names the address, never a secret.
    for row in audit_entry::Entity::find().all(app.db()).await.unwrap() {
        let text = format!("{:?} {:?}", row.before, row.after);
        assert!(!text.contains(&token), "{text}");
    }
    app.stop().await;
}

async fn only_administrators_deactivate_and_reactivate(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let target = d.logins.iter().find(|l| l.role == "employee").unwrap();
    let acc = account_of(app, target.employee_id).await;
    for role in ["employee", "trainer", "manager"] {
        let client = d.as_role(role).await;
        for (endpoint, fields) in [
            (
                "deactivate_account",
                vec![f("account_id", acc.id), f("reason", "left")],
            ),
            ("reactivate_account", vec![f("account_id", acc.id)]),
        ] {
            let (status, body) = call(app, &client, endpoint, &fields).await;
            assert_eq!(status, 404, "{role} {endpoint}: {body}");
        }
    }
    for endpoint in ["deactivate_account", "reactivate_account"] {
        let fields = [f("account_id", acc.id), f("reason", "left")];
        let fields = if endpoint == "deactivate_account" {
            &fields[..]
        } else {
            &fields[..1]
        };
        let (status, _) = call(app, &http_client(), endpoint, fields).await;
        assert_eq!(status, 401, "anonymous {endpoint}");
    }
    assert!(account_of(app, target.employee_id).await.is_usable());
    assert!(audit_lines(app, "account.deactivated", acc.id)
        .await
        .is_empty());
    d.app.stop().await;
}
