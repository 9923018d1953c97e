//! Signing in and out, sessions, throttling, passwords, set-password links,
//! roles, the audit of all of it, security headers and cross-site refusal:
//! over HTTP against the real server, on SQLite and PostgreSQL.

use chrono::{Duration, Utc};
use jejak_tests::{
    http_client, on_both_backends, spawn_app, spawn_app_with, Backend, TestApp, TEST_PASSWORD,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};

use app::backend::entities::{audit_entry, login_throttle, password_link, session, unit};

const NIP: &str = "198609262015051001";
const EMAIL: &str = "Rahmat.Siregar@Medan.example";

/// One person with an account (password [`TEST_PASSWORD`]) in a unit.
async fn person(app: &TestApp) -> (i64, i64) {
    let e = app
        .employee_in_new_unit(
            "Dinas Kominfo",
            NIP,
            "Rahmat Hidayat Siregar, S.Kom.",
            Some(EMAIL),
        )
        .await;
    let account = app.account_for(e, &[]).await;
    (e, account)
}

/// An administrator issues a set-password link for an account whose person
/// has an email address: the answer holds no link, the outbox sends it (to
/// a real SMTP server on loopback), and the link is read from the email.
async fn emailed_password_link(app: &TestApp, admin: &reqwest::Client, account_id: i64) -> String {
    use app::backend::{config::Config, reminders::delivery::Deliverer, reminders::mail::Mailer};
    let res = admin
        .post(app.url("/fn/issue_password_link"))
        .form(&[("account_id", account_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let issued: serde_json::Value = res.json().await.unwrap();
    assert_eq!(issued["emailed_to"], EMAIL, "{issued}");
    assert!(issued["link"].is_null(), "{issued}");
    let smtp = jejak_tests::smtp::SmtpServer::start();
    let config = Config {
        smtp_url: smtp.url(),
        ..(*app.state.config).clone()
    };
    let report = Deliverer::new(
        app.db().clone(),
        Mailer::from_config(&config).unwrap(),
        &config,
    )
    .deliver_due(Utc::now(), Duration::seconds(5))
    .await
    .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let got = smtp.wait_for(1, std::time::Duration::from_secs(60)).await;
    let text = got[0].parse().parts[0].text.clone();
    let start = text.find("http://").expect("a link in the email");
    text[start..].split_whitespace().next().unwrap().to_string()
}

async fn whoami(client: &reqwest::Client, app: &TestApp) -> serde_json::Value {
    client
        .post(app.url("/fn/whoami"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn try_sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    login: &str,
    password: &str,
    from: &str,
) -> reqwest::Response {
    client
        .post(app.url("/fn/sign_in"))
        .header("X-Forwarded-For", from)
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .count(app.db())
        .await
        .unwrap()
}

on_both_backends!(
    sessions_are_http_only_and_end_when_idle_expired_or_signed_out,
    repeated_failures_slow_down_one_address_without_locking_the_owner_out,
    changing_a_password_ends_other_sessions_and_links_work_once,
    role_changes_are_audited_and_apply_on_the_next_request,
    pages_carry_security_headers_and_a_csp_naming_their_script_nonce,
    cross_site_posts_are_rejected_before_anything_runs,
);

async fn sessions_are_http_only_and_end_when_idle_expired_or_signed_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let (employee_id, _) = person(&app).await;

    // By NIP with spaces, and by email in any case.
    let client = http_client();
    let res = client
        .post(app.url("/fn/sign_in"))
        .header("Accept", "text/html")
        .form(&[
            ("login", "19860926 201505 1 001"),
            ("password", TEST_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/");
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("jejak_sesi="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
    assert_eq!(whoami(&client, &app).await["employee_id"], employee_id);
    let by_email = app.sign_in(&EMAIL.to_uppercase(), TEST_PASSWORD).await;
    assert_eq!(whoami(&by_email, &app).await["nip"], NIP);

    // The token is stored only as a hash.
    let token = cookie
        .trim_start_matches("jejak_sesi=")
        .split(';')
        .next()
        .unwrap()
        .to_string();
    assert!(session::Entity::find_by_id(token.clone())
        .one(app.db())
        .await
        .unwrap()
        .is_none());
    let stored = session::Entity::find_by_id(app::backend::access::token::hash_token(&token))
        .one(app.db())
        .await
        .unwrap()
        .expect("the session is stored by the token's hash");

    // Idle for longer than allowed: gone.
    let mut s = stored.clone().into_active_model();
    s.last_seen_at = Set(Utc::now() - Duration::minutes(61));
    s.update(app.db()).await.unwrap();
    assert!(whoami(&client, &app).await.is_null());
    assert!(session::Entity::find_by_id(stored.token_hash.clone())
        .one(app.db())
        .await
        .unwrap()
        .is_none());

    // Past its absolute end: gone, however recent the last request.
    let client = app.sign_in(NIP, TEST_PASSWORD).await;
    let mut s = session::Entity::find()
        .filter(session::Column::AccountId.eq(stored.account_id))
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .max_by_key(|s| s.created_at)
        .unwrap()
        .into_active_model();
    s.expires_at = Set(Utc::now() - Duration::seconds(1));
    s.update(app.db()).await.unwrap();
    assert!(whoami(&client, &app).await.is_null());

    // Signing out ends the session and clears the cookie.
    let client = app.sign_in(NIP, TEST_PASSWORD).await;
    let before = session::Entity::find().count(app.db()).await.unwrap();
    let res = client
        .post(app.url("/fn/sign_out"))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/masuk");
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        session::Entity::find().count(app.db()).await.unwrap(),
        before - 1
    );
    assert!(whoami(&client, &app).await.is_null());
    assert_eq!(audit_count(&app, "auth.sign_in").await, 4);
    assert_eq!(audit_count(&app, "auth.sign_out").await, 1);
    app.stop().await;

    // Under HTTPS the cookie is Secure.
    let app = spawn_app_with(backend, |c| {
        c.public_url = "https://jejak.medan.go.id".into()
    })
    .await;
    person(&app).await;
    let res = http_client()
        .post(app.url("/fn/sign_in"))
        .form(&[("login", NIP), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("; Secure"));
    app.stop().await;
}

async fn repeated_failures_slow_down_one_address_without_locking_the_owner_out(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.trust_forwarded_for = true).await;
    person(&app).await;
    let client = http_client();
    let attacker = "203.0.113.9";

    // Three free failures, then each failure blocks this address for this login.
    let key = format!("la:{NIP}|{attacker}");
    let mut before_fourth = Utc::now();
    for _ in 0..4 {
        before_fourth = Utc::now();
        let res = try_sign_in(&client, &app, NIP, "tebak-tebakan", attacker).await;
        assert_eq!(res.status(), 401);
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["kind"], "bad_credentials");
    }
    // The 4th failure blocked for 1 s (a lower bound from the clock read
    // before the request: no assumption about how fast the machine is).
    let row = login_throttle::Entity::find_by_id(key.clone())
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert!(row.blocked_until.unwrap() >= before_fourth + Duration::seconds(1));
    // Keep the block in force while the owner's password is tried from here.
    let mut am = row.into_active_model();
    am.blocked_until = Set(Some(Utc::now() + Duration::seconds(60)));
    am.update(app.db()).await.unwrap();
    let res = try_sign_in(&client, &app, NIP, TEST_PASSWORD, attacker).await;
    assert_eq!(
        res.status(),
        429,
        "even the right password waits while blocked"
    );
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "too_many_attempts");
    let id = format!(
        "{}",
        app::error::AppError::TooManyAttempts {
            retry_after_secs: retry
        }
        .message("id")
    );
    assert!(
        id.starts_with("Terlalu banyak percobaan masuk. Coba lagi dalam"),
        "{id}"
    );
    assert!(client.get(app.url("/")).send().await.is_ok());

    // The delay grows with each further failure (the block is lifted by hand here, not waited out).
    let row = login_throttle::Entity::find_by_id(key.clone())
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.failures, 4);
    let mut am = row.into_active_model();
    am.blocked_until = Set(Some(Utc::now() - Duration::seconds(1)));
    am.update(app.db()).await.unwrap();
    let before_fifth = Utc::now();
    try_sign_in(&client, &app, NIP, "tebak-lagi", attacker).await;
    let row = login_throttle::Entity::find_by_id(key)
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.failures, 5);
    assert!(
        row.blocked_until.unwrap() >= before_fifth + Duration::seconds(2),
        "5th failure: 2 s, longer than the 4th's 1 s"
    );

    // The owner, from their own office, is not locked out.
    let res = try_sign_in(&client, &app, NIP, TEST_PASSWORD, "198.51.100.20").await;
    assert_eq!(res.status(), 200);
    // One audit line per failure within the free ones (3); one when the
    // counter started blocking (the 4th failure); the 5th failure and the
    // refused attempt are only counted in the counter (issue 17: the audit
    // trail cannot be filled by guessing).
    assert_eq!(audit_count(&app, "auth.sign_in_failed").await, 3);
    assert_eq!(audit_count(&app, "auth.sign_in_throttled").await, 1);
    let row = login_throttle::Entity::find_by_id(format!("la:{NIP}|{attacker}"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.failures, row.refused), (5, 1));
    assert_eq!(audit_count(&app, "auth.sign_in").await, 1);
    let failed = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("auth.sign_in_failed"))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let after: serde_json::Value = serde_json::from_str(failed.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["login"], NIP);
    assert_eq!(after["addr"], attacker);

    // An unknown login is refused exactly like a wrong password.
    let res = try_sign_in(
        &client,
        &app,
        "orang.lain@medan.example",
        "apa-saja-123",
        "198.51.100.30",
    )
    .await;
    assert_eq!(res.status(), 401);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["kind"], "bad_credentials");
    app.stop().await;
}

async fn changing_a_password_ends_other_sessions_and_links_work_once(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, account_id) = person(&app).await;
    let phone = app.sign_in(NIP, TEST_PASSWORD).await;
    let laptop = app.sign_in(NIP, TEST_PASSWORD).await;
    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        laptop
            .post(app.url("/fn/change_password"))
            .form(&[
                ("current_password", current),
                ("new_password", new),
                ("confirm", confirm),
            ])
            .send()
    };
    let err: serde_json::Value = change("salah", "sandi-baru-2026!", "sandi-baru-2026!")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(err["field"], "current_password");
    let res = change(TEST_PASSWORD, "pendek", "pendek").await.unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "password");
    assert_eq!(err["message"]["id"], "Kata sandi minimal 10 karakter");
    let res = change(TEST_PASSWORD, "sandi-baru-2026!", "sandi-lain-2026!")
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        change(TEST_PASSWORD, "sandi-baru-2026!", "sandi-baru-2026!")
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(
        whoami(&phone, &app).await.is_null(),
        "the other session ended"
    );
    assert_eq!(whoami(&laptop, &app).await["nip"], NIP, "this one goes on");
    assert_eq!(
        try_sign_in(&http_client(), &app, NIP, TEST_PASSWORD, "")
            .await
            .status(),
        401
    );
    assert_eq!(
        try_sign_in(&http_client(), &app, NIP, "sandi-baru-2026!", "")
            .await
            .status(),
        200
    );

    // An administrator issues a one-time link; it sets the password once.
    // Rahmat has an email address: the link goes there, not to the
    // administrator (issue 17).
    let admin = app.admin_client().await;
    let url = emailed_password_link(&app, &admin, account_id).await;
    let token = url.rsplit('/').next().unwrap().to_string();
    assert!(
        url.starts_with("http://127.0.0.1:3000/atur-sandi/"),
        "{url}"
    );
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
        .contains("Rahmat Hidayat Siregar"));
    let set = |token: String| {
        http_client()
            .post(app.url("/fn/set_password"))
            .header("Accept", "text/html")
            .header("Referer", app.url("/atur-sandi/formulir"))
            .form(&[
                ("token", token),
                ("new_password", "dari-tautan-2026".to_string()),
                ("confirm", "dari-tautan-2026".to_string()),
            ])
            .send()
    };
    let res = set(token.clone()).await.unwrap();
    assert_eq!(res.status(), 302);
    assert_eq!(res.headers()["location"], "/masuk?sandi=baru");
    assert!(
        whoami(&laptop, &app).await.is_null(),
        "a link ends every session"
    );
    assert_eq!(
        try_sign_in(&http_client(), &app, NIP, "dari-tautan-2026", "")
            .await
            .status(),
        200
    );
    // Used once only: the form comes back with the error (no JavaScript).
    let again = set(token.clone()).await.unwrap();
    assert_eq!(again.status(), 302);
    let location = again.headers()["location"].to_str().unwrap();
    assert!(
        location.contains("/atur-sandi/formulir") && location.contains("__err="),
        "{location}"
    );

    // An expired link is refused with the same message.
    let url = emailed_password_link(&app, &admin, account_id).await;
    let token = url.rsplit('/').next().unwrap().to_string();
    let link = password_link::Entity::find_by_id(app::backend::access::token::hash_token(&token))
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    let mut am = link.into_active_model();
    am.expires_at = Set(Utc::now() - Duration::minutes(1));
    am.update(app.db()).await.unwrap();
    let res = http_client()
        .post(app.url("/fn/set_password"))
        .form(&[
            ("token", token.as_str()),
            ("new_password", "dari-tautan-2027"),
            ("confirm", "dari-tautan-2027"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert!(err["message"]["id"]
        .as_str()
        .unwrap()
        .starts_with("Tautan ini tidak berlaku"));

    assert_eq!(audit_count(&app, "account.password_changed").await, 1);
    assert_eq!(audit_count(&app, "account.password_link_issued").await, 2);
    assert_eq!(audit_count(&app, "account.password_set").await, 1);
    // No secret ever reaches the audit trail.
    for row in audit_entry::Entity::find().all(app.db()).await.unwrap() {
        let text = format!("{:?} {:?}", row.before, row.after);
        assert!(
            !text.contains(&token) && !text.contains("dari-tautan") && !text.contains("argon2"),
            "{text}"
        );
    }
    app.stop().await;
}

async fn role_changes_are_audited_and_apply_on_the_next_request(backend: Backend) {
    let app = spawn_app(backend).await;
    let (_, account_id) = person(&app).await;
    let unit_id = unit::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap()
        .id;
    let user = app.sign_in(NIP, TEST_PASSWORD).await;
    assert_eq!(whoami(&user, &app).await["manager"], false);
    let admin = app.admin_client().await;
    let res = admin
        .post(app.url("/fn/grant_role"))
        .form(&[
            ("account_id", account_id.to_string()),
            ("role", "manager".into()),
            ("unit_id", unit_id.to_string()),
            ("course_id", String::new()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        whoami(&user, &app).await["manager"],
        true,
        "no new sign-in needed"
    );
    // A manager without a unit is refused precisely.
    let res = admin
        .post(app.url("/fn/grant_role"))
        .form(&[
            ("account_id", account_id.to_string()),
            ("role", "manager".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err["field"], "unit_id");

    let page: serde_json::Value = admin
        .post(app.url("/fn/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let accounts = page["accounts"].as_array().unwrap();
    let mine = accounts.iter().find(|a| a["nip"] == NIP).unwrap();
    let role_id = mine["roles"][0]["id"].as_i64().unwrap();
    assert_eq!(mine["roles"][0]["scope"], "Dinas Kominfo");
    let res = admin
        .post(app.url("/fn/revoke_role"))
        .form(&[("role_id", role_id.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(whoami(&user, &app).await["manager"], false);
    // Administrators cannot remove their own administrator role.
    let admin_row = accounts
        .iter()
        .find(|a| a["nip"] == "199001012015031002")
        .unwrap();
    let res = admin
        .post(app.url("/fn/revoke_role"))
        .form(&[("role_id", admin_row["roles"][0]["id"].to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(
        audit_count(&app, "account.role_granted").await,
        2,
        "admin's own, then manager"
    );
    assert_eq!(audit_count(&app, "account.role_revoked").await, 1);
    app.stop().await;
}

async fn pages_carry_security_headers_and_a_csp_naming_their_script_nonce(backend: Backend) {
    jejak_tests::require_site();
    let app = spawn_app(backend).await;
    let res = http_client().get(app.url("/masuk")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|r| r.split('\'').next())
        .expect("a nonce in the policy")
        .to_string();
    let html = res.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries it"
    );
    // A fresh nonce per response.
    let again = http_client().get(app.url("/masuk")).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains(&nonce));
    // The policy allows no inline styles, so pages must not use any.
    let admin = app.admin_client().await;
    for path in [
        "/",
        "/admin/akun",
        "/admin/mutasi",
        "/admin/pelatihan",
        "/admin/aturan",
        "/sandi",
    ] {
        let html = admin
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains(" style=\""),
            "{path} has an inline style the CSP would block"
        );
    }
    // Non-pages allow nothing at all.
    let res = http_client()
        .post(app.url("/fn/whoami"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    app.stop().await;
}

async fn cross_site_posts_are_rejected_before_anything_runs(backend: Backend) {
    let app = spawn_app(backend).await;
    let admin = app.admin_client().await;
    let units = unit::Entity::find().count(app.db()).await.unwrap();
    let own = app.base.clone();
    for (origin, site, expected) in [
        (Some("https://penipu.example"), Some("cross-site"), 403),
        (Some("http://127.0.0.1:1"), Some("same-site"), 403),
        (Some("https://penipu.example"), None, 403),
        (Some("null"), None, 403),
        (None, Some("cross-site"), 403),
        (Some(own.as_str()), Some("same-origin"), 200),
    ] {
        let mut req = admin.post(app.url("/fn/add_unit")).form(&[
            ("name", format!("Unit dari {origin:?} {site:?}")),
            ("parent_id", String::new()),
        ]);
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        if let Some(s) = site {
            req = req.header("Sec-Fetch-Site", s);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), expected, "origin {origin:?}, site {site:?}");
        if expected == 403 {
            let text = res.text().await.unwrap();
            assert!(
                text.starts_with("Permintaan lintas situs ditolak"),
                "{text}"
            );
        }
    }
    assert_eq!(
        unit::Entity::find().count(app.db()).await.unwrap(),
        units + 1
    );
    // Signing in from another site (login CSRF) is refused too.
    let res = http_client()
        .post(app.url("/fn/sign_in"))
        .header("Origin", "https://penipu.example")
        .form(&[("login", "199001012015031002"), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    app.stop().await;
}
