//! Passwords cannot be guessed at scale (issue 17), over HTTP against the
//! real server, on SQLite and PostgreSQL: parallel guesses queue on the
//! sign-in counters (the check and the count are one step), an IPv6 /64 is
//! one address, the wait on one login grows to hours without the window
//! resetting it and its owner gets one email per episode, `change_password`
//! is throttled too, refused attempts are counted rather than written to
//! the audit trail, and old authentication lines are pruned while lines of
//! data changes stay.

use chrono::{DateTime, Duration, Utc};
use jejak_tests::{
    http_client, on_both_backends, smtp::parse_mail, spawn_app_with, Backend, TestApp,
    TEST_PASSWORD,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use app::backend::{
    access::throttle,
    entities::{audit_entry, login_throttle, outbox},
    reminders::mail::Mailer,
    {audit, reminders::delivery::Deliverer},
};

const NIP: &str = "199001012020121001";
const EMAIL: &str = "Dewi.Lestari@Medan.example";

/// One person with an account (password [`TEST_PASSWORD`]) and an email address.
async fn person(app: &TestApp) -> (i64, i64) {
    let e = app
        .employee_in_new_unit("Dinas Kominfo", NIP, "Dewi Lestari, S.E.", Some(EMAIL))
        .await;
    let account = app.account_for(e, &[]).await;
    (e, account)
}

async fn app_behind_proxy(backend: Backend) -> TestApp {
    spawn_app_with(backend, |c| c.trust_forwarded_for = true).await
}

/// One sign-in attempt from `from`: its status and Retry-After (if any).
async fn sign_in(app: &TestApp, login: &str, password: &str, from: &str) -> (u16, Option<u64>) {
    post_sign_in(app.url("/fn/sign_in"), login, password, from).await
}

async fn post_sign_in(url: String, login: &str, password: &str, from: &str) -> (u16, Option<u64>) {
    let res = http_client()
        .post(url)
        .header("X-Forwarded-For", from)
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .unwrap();
    let retry = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    (res.status().as_u16(), retry)
}

/// These attempts (login, address) all at once: their statuses.
async fn at_once(app: &TestApp, tries: Vec<(String, String)>, password: &str) -> Vec<u16> {
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(tries.len()));
    let tasks: Vec<_> = tries
        .into_iter()
        .map(|(login, from)| {
            let (url, password, start) =
                (app.url("/fn/sign_in"), password.to_string(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                post_sign_in(url, &login, &password, &from).await.0
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses
}

async fn counter(app: &TestApp, key: &str) -> login_throttle::Model {
    login_throttle::Entity::find_by_id(key.to_string())
        .one(app.db())
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no counter {key}"))
}

/// Sets a counter as if it had counted `failures` failures from `first` to
/// `last`, blocked until `blocked_until`.
async fn set_counter(
    app: &TestApp,
    key: &str,
    failures: i32,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
    blocked_until: Option<DateTime<Utc>>,
) {
    let row = login_throttle::ActiveModel {
        key: Set(key.into()),
        failures: Set(failures),
        first_failure_at: Set(first),
        blocked_until: Set(blocked_until),
        last_failure_at: Set(Some(last)),
        refused: Set(0),
    };
    if login_throttle::Entity::find_by_id(key.to_string())
        .one(app.db())
        .await
        .unwrap()
        .is_some()
    {
        row.update(app.db()).await.unwrap();
    } else {
        row.insert(app.db()).await.unwrap();
    }
}

/// Lifts a counter's block by hand (instead of waiting it out), keeping its history.
async fn lift_block(app: &TestApp, key: &str) {
    let mut am = counter(app, key).await.into_active_model();
    am.blocked_until = Set(Some(Utc::now() - Duration::seconds(1)));
    am.update(app.db()).await.unwrap();
}

async fn audit_count(app: &TestApp, action: &str) -> u64 {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq(action))
        .count(app.db())
        .await
        .unwrap()
}

async fn audit_total(app: &TestApp) -> u64 {
    audit_entry::Entity::find().count(app.db()).await.unwrap()
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

on_both_backends!(
    eight_parallel_guesses_count_eight_and_the_rule_holds_after_them,
    parallel_guesses_past_the_free_ones_are_refused_and_only_counted,
    an_ipv6_slash_64_is_one_address,
    the_wait_on_one_login_grows_to_hours_and_its_owner_is_told_once,
    a_wrong_current_password_counts_as_a_failed_sign_in,
    old_authentication_lines_are_pruned_never_data_changes,
);

async fn eight_parallel_guesses_count_eight_and_the_rule_holds_after_them(backend: Backend) {
    let app = app_behind_proxy(backend).await;
    person(&app).await;

    // Eight wrong guesses at once, from eight addresses: each is counted.
    let tries = (1..=8)
        .map(|i| (NIP.to_string(), format!("198.51.100.{i}")))
        .collect();
    let statuses = at_once(&app, tries, "tebakan-paralel").await;
    assert_eq!(statuses, vec![401; 8]);
    let login = format!("l:{NIP}");
    let row = counter(&app, &login).await;
    assert_eq!(row.failures, 8, "eight parallel guesses count eight");
    assert_eq!(row.blocked_until, None, "still within the free ten");
    for i in 1..=8 {
        let per_address = counter(&app, &format!("la:{NIP}|198.51.100.{i}")).await;
        assert_eq!(per_address.failures, 1);
    }

    // Two more are free; the 11th is checked and starts the login's block.
    for i in 9..=10 {
        let (status, _) = sign_in(&app, NIP, "tebakan", &format!("198.51.100.{i}")).await;
        assert_eq!(status, 401);
    }
    assert_eq!(counter(&app, &login).await.blocked_until, None);
    let before = Utc::now();
    let (status, _) = sign_in(&app, NIP, "tebakan", "198.51.100.11").await;
    assert_eq!(status, 401);
    let row = counter(&app, &login).await;
    assert_eq!(row.failures, 11);
    assert!(row.blocked_until.unwrap() >= before + Duration::seconds(1));
    // Keep that block in force while the owner tries, from anywhere.
    let mut am = row.into_active_model();
    am.blocked_until = Set(Some(Utc::now() + Duration::seconds(60)));
    am.update(app.db()).await.unwrap();
    let (status, retry) = sign_in(&app, NIP, TEST_PASSWORD, "192.0.2.50").await;
    assert_eq!(status, 429, "every address waits for a blocked login");
    assert!((1..=60).contains(&retry.unwrap()));
    let row = counter(&app, &login).await;
    assert_eq!((row.failures, row.refused), (11, 1));
    app.stop().await;
}

async fn parallel_guesses_past_the_free_ones_are_refused_and_only_counted(backend: Backend) {
    let app = app_behind_proxy(backend).await;
    person(&app).await;
    let now = Utc::now();

    // One address that has used up its free guesses on this login (8
    // failures; its last block just ended): of eight guesses at once, one
    // is checked and earns a 32 s block, the other seven wait.
    let attacker = "203.0.113.66";
    let key = format!("la:{NIP}|{attacker}");
    set_counter(
        &app,
        &key,
        8,
        now - Duration::minutes(5),
        now - Duration::seconds(20),
        Some(now - Duration::seconds(1)),
    )
    .await;
    let audit_before = audit_total(&app).await;
    let tries = vec![(NIP.to_string(), attacker.to_string()); 8];
    let statuses = at_once(&app, tries, "tebakan-paralel").await;
    assert_eq!(
        (count(&statuses, 401), count(&statuses, 429)),
        (1, 7),
        "{statuses:?}"
    );
    let row = counter(&app, &key).await;
    assert_eq!((row.failures, row.refused), (9, 7));
    let block = row.blocked_until.unwrap() - row.last_failure_at.unwrap();
    assert_eq!(block, Duration::seconds(32));

    // A login guessed from many addresses (an unknown one: counted all the
    // same): past its free failures, one guess of eight gets through.
    let unknown = "tidak.ada@medan.example";
    let login_key = format!("l:{unknown}");
    set_counter(
        &app,
        &login_key,
        20,
        now - Duration::hours(2),
        now - Duration::seconds(30),
        Some(now - Duration::seconds(1)),
    )
    .await;
    let tries = (1..=8)
        .map(|i| (unknown.to_string(), format!("192.0.2.{i}")))
        .collect();
    let statuses = at_once(&app, tries, "tebakan-paralel").await;
    assert_eq!(
        (count(&statuses, 401), count(&statuses, 429)),
        (1, 7),
        "{statuses:?}"
    );
    let row = counter(&app, &login_key).await;
    assert_eq!((row.failures, row.refused), (21, 7));
    assert_eq!(
        row.blocked_until.unwrap() - row.last_failure_at.unwrap(),
        Duration::seconds(1024)
    );

    // Hammering a blocked counter writes nothing to the audit trail: the
    // refusals are counted in the counter.
    let audit_after_bursts = audit_total(&app).await;
    for _ in 0..30 {
        let (status, _) = sign_in(&app, NIP, "tebakan", attacker).await;
        assert_eq!(status, 429);
    }
    assert_eq!(audit_total(&app).await, audit_after_bursts);
    assert_eq!(counter(&app, &key).await.refused, 37);
    // The two bursts wrote nothing either: their checked guesses were past
    // the free ones, their counters already blocking before.
    assert_eq!(audit_after_bursts, audit_before);
    assert_eq!(audit_count(&app, "auth.sign_in_throttled").await, 0);
    app.stop().await;
}

async fn an_ipv6_slash_64_is_one_address(backend: Backend) {
    let app = app_behind_proxy(backend).await;
    person(&app).await;

    // Four guesses from four addresses of one /64: one counter, blocked.
    for from in [
        "2001:db8:7:8::1",
        "2001:db8:7:8::2",
        "2001:db8:7:8:abcd:ef01:2345:6789",
        "2001:0db8:0007:0008:ffff:ffff:ffff:fffe",
    ] {
        let (status, _) = sign_in(&app, NIP, "tebakan", from).await;
        assert_eq!(status, 401);
    }
    let key = format!("la:{NIP}|2001:db8:7:8::/64");
    let row = counter(&app, &key).await;
    assert_eq!(row.failures, 4);
    assert!(row.blocked_until.is_some());
    let mut am = row.into_active_model();
    am.blocked_until = Set(Some(Utc::now() + Duration::seconds(60)));
    am.update(app.db()).await.unwrap();
    let (status, _) = sign_in(&app, NIP, TEST_PASSWORD, "2001:db8:7:8:1:2:3:4").await;
    assert_eq!(status, 429, "another address of the same /64 waits");
    assert_eq!(counter(&app, "a:2001:db8:7:8::/64").await.failures, 4);
    // The next /64 is someone else.
    let (status, _) = sign_in(&app, NIP, "tebakan", "2001:db8:7:9::1").await;
    assert_eq!(status, 401);
    // An IPv4-mapped address is the IPv4 address.
    let (status, _) = sign_in(&app, NIP, "tebakan", "::ffff:203.0.113.7").await;
    assert_eq!(status, 401);
    assert_eq!(counter(&app, "a:203.0.113.7").await.failures, 1);
    let (status, _) = sign_in(&app, NIP, "tebakan", "203.0.113.7").await;
    assert_eq!(status, 401);
    assert_eq!(
        counter(&app, &format!("la:{NIP}|203.0.113.7"))
            .await
            .failures,
        2
    );
    app.stop().await;
}

async fn the_wait_on_one_login_grows_to_hours_and_its_owner_is_told_once(backend: Backend) {
    let app = app_behind_proxy(backend).await;
    let (employee_id, account_id) = person(&app).await;
    let login = format!("l:{NIP}");
    let failed_sign_ins = || {
        outbox::Entity::find()
            .filter(outbox::Column::Kind.eq("failed_sign_ins"))
            .order_by_asc(outbox::Column::Id)
            .all(app.db())
    };

    // Ten free failures from ten addresses (by NIP and by email: one
    // account, one counter); nobody is told yet.
    for i in 1..=10 {
        let by = if i % 2 == 0 { NIP } else { EMAIL };
        let (status, _) = sign_in(&app, by, "tebakan", &format!("198.51.100.{i}")).await;
        assert_eq!(status, 401);
    }
    assert_eq!(counter(&app, &login).await.failures, 10);
    assert!(failed_sign_ins().await.unwrap().is_empty());

    // From the 11th failure on, each failure doubles the wait, up to four
    // hours, and the episode goes on: the attacker tries again as soon as
    // each block ends (lifted by hand here).
    let first = counter(&app, &login).await.first_failure_at;
    let mut waits = Vec::new();
    for i in 11..=26 {
        let (status, _) = sign_in(&app, NIP, "tebakan", &format!("198.51.100.{i}")).await;
        assert_eq!(status, 401, "failure {i}");
        let row = counter(&app, &login).await;
        assert_eq!(row.failures, i);
        assert_eq!(row.first_failure_at, first, "the episode goes on");
        waits.push((row.blocked_until.unwrap() - row.last_failure_at.unwrap()).num_seconds());
        lift_block(&app, &login).await;
    }
    let expected: Vec<i64> = (0..16).map(|n: u32| (1i64 << n).min(4 * 3600)).collect();
    assert_eq!(waits, expected);
    assert_eq!(
        *waits.last().unwrap(),
        4 * 3600,
        "capped at hours, not 30 s"
    );

    // An episode that began two days ago and never stopped keeps its wait:
    // no window resets it while failures go on.
    set_counter(
        &app,
        &login,
        30,
        Utc::now() - Duration::days(2),
        Utc::now() - Duration::hours(4),
        Some(Utc::now() - Duration::seconds(1)),
    )
    .await;
    let (status, _) = sign_in(&app, NIP, "tebakan", "198.51.100.200").await;
    assert_eq!(status, 401);
    let row = counter(&app, &login).await;
    assert_eq!(row.failures, 31);
    assert_eq!(
        row.blocked_until.unwrap() - row.last_failure_at.unwrap(),
        Duration::hours(4)
    );

    // The owner was told once, when the login started blocking.
    let notices = failed_sign_ins().await.unwrap();
    assert_eq!(notices.len(), 1, "once per episode, not per attempt");
    let notice = &notices[0];
    assert_eq!(notice.recipient_employee_id, employee_id);
    assert_eq!(notice.to_address, EMAIL);
    assert_eq!(notice.subject_kind, "account");
    assert_eq!(notice.subject_id, Some(account_id));
    assert_eq!(notice.language, "id");
    // One audit line per failure while free, one when the block started.
    assert_eq!(audit_count(&app, "auth.sign_in_failed").await, 10);
    assert_eq!(audit_count(&app, "auth.sign_in_throttled").await, 1);

    // The email goes out through the outbox, in the owner's language.
    let mailer = Mailer::from_config(&app.state.config).unwrap();
    let mail_dir = mailer.mail_dir().unwrap().to_path_buf();
    let report = Deliverer::new(app.db().clone(), mailer, &app.state.config)
        .deliver_due(Utc::now(), Duration::minutes(1))
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "{report:?}");
    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let mail = parse_mail(&std::fs::read_to_string(&files[0]).unwrap());
    assert_eq!(
        mail.decoded("Subject").unwrap(),
        "Banyak percobaan masuk yang gagal ke akun Jejak Anda"
    );
    assert!(
        mail.header("To").unwrap().contains(EMAIL),
        "{:?}",
        mail.header("To")
    );
    let text = &mail.part("text/plain").unwrap().text;
    assert!(text.contains("Yth. Dewi Lestari, S.E.,"), "{text}");
    assert!(text.contains("ganti kata sandi"), "{text}");
    assert!(text.contains("/sandi"), "{text}");

    // Never locked out for good: once the block is over, the right
    // password gets in and clears the login's counters.
    lift_block(&app, &login).await;
    let (status, _) = sign_in(&app, EMAIL, TEST_PASSWORD, "192.0.2.10").await;
    assert_eq!(status, 200);
    assert!(login_throttle::Entity::find_by_id(login.clone())
        .one(app.db())
        .await
        .unwrap()
        .is_none());

    // A new episode tells the owner again.
    for i in 1..=11 {
        let (status, _) = sign_in(&app, NIP, "tebakan", &format!("192.0.2.{}", 100 + i)).await;
        assert_eq!(status, 401);
    }
    assert_eq!(failed_sign_ins().await.unwrap().len(), 2);
    app.stop().await;
}

async fn a_wrong_current_password_counts_as_a_failed_sign_in(backend: Backend) {
    let app = app_behind_proxy(backend).await;
    let (_, account_id) = person(&app).await;
    let office = "198.51.100.77";
    let client = http_client();
    let res = client
        .post(app.url("/fn/sign_in"))
        .header("X-Forwarded-For", office)
        .form(&[("login", NIP), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let change = |current: &'static str| {
        client
            .post(app.url("/fn/change_password"))
            .header("X-Forwarded-For", office)
            .form(&[
                ("current_password", current),
                ("new_password", "sandi-baru-yang-panjang-2026"),
                ("confirm", "sandi-baru-yang-panjang-2026"),
            ])
            .send()
    };

    // A stolen session guessing the current password: three free guesses,
    // the fourth starts the block.
    for _ in 0..4 {
        let res = change("tebakan-sandi").await.unwrap();
        assert_eq!(res.status(), 422);
        let err: serde_json::Value = res.json().await.unwrap();
        assert_eq!(err["field"], "current_password");
    }
    let key = format!("la:{NIP}|{office}");
    let row = counter(&app, &key).await;
    assert_eq!(row.failures, 4);
    assert_eq!(counter(&app, &format!("l:{NIP}")).await.failures, 4);
    let mut am = row.into_active_model();
    am.blocked_until = Set(Some(Utc::now() + Duration::seconds(60)));
    am.update(app.db()).await.unwrap();
    let res = change(TEST_PASSWORD).await.unwrap();
    assert_eq!(res.status(), 429, "even the right password waits");
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    assert_eq!(audit_count(&app, "auth.password_change_failed").await, 3);
    let throttled = audit_entry::Entity::find()
        .filter(audit_entry::Column::Action.eq("auth.password_change_throttled"))
        .all(app.db())
        .await
        .unwrap();
    assert_eq!(throttled.len(), 1);
    assert_eq!(throttled[0].entity_id, account_id);
    let after: serde_json::Value =
        serde_json::from_str(throttled[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(after["started_blocking"][0]["counter"], "login_and_address");
    assert_eq!(after["started_blocking"][0]["failures"], 4);

    // Once the block is over, the right password changes it and clears
    // the login's counters.
    lift_block(&app, &key).await;
    let res = change(TEST_PASSWORD).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(login_throttle::Entity::find_by_id(key)
        .one(app.db())
        .await
        .unwrap()
        .is_none());
    assert_eq!(audit_count(&app, "account.password_changed").await, 1);
    app.stop().await;
}

async fn old_authentication_lines_are_pruned_never_data_changes(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let now = Utc::now();
    let line = |action: &str, days_ago: i64| {
        audit::row(
            "uji",
            action,
            "account",
            1,
            None::<&()>,
            Some(&serde_json::json!({ "login": NIP })),
            now - Duration::days(days_ago),
        )
    };
    // Old noise, more than one batch of it.
    let mut old_noise = Vec::new();
    for i in 0..5_003 {
        let action = audit::AUTH_ACTIONS[i % audit::AUTH_ACTIONS.len()];
        old_noise.push(line(action, 181 + (i % 400) as i64));
    }
    for chunk in old_noise.chunks(1_000) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(app.db())
            .await
            .unwrap();
    }
    // Kept: recent authentication lines, and data changes however old.
    let kept = vec![
        line("auth.sign_in_failed", 179),
        line("auth.sign_in", 2),
        line("auth.sign_out", 0),
        line("account.password_changed", 900),
        line("account.created", 2_000),
        line("role.granted", 365),
        line("transfer.created", 181),
    ];
    audit_entry::Entity::insert_many(kept)
        .exec_without_returning(app.db())
        .await
        .unwrap();

    let deleted = audit::prune_auth_noise(app.db(), now, 180).await.unwrap();
    assert_eq!(deleted, 5_003);
    let mut left: Vec<String> = audit_entry::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "account.created",
            "account.password_changed",
            "auth.sign_in",
            "auth.sign_in_failed",
            "auth.sign_out",
            "role.granted",
            "transfer.created",
        ]
    );
    // A shorter retention takes the recent noise too, still no data change.
    assert_eq!(audit::prune_auth_noise(app.db(), now, 1).await.unwrap(), 2);
    assert_eq!(audit_total(&app).await, 5);
    assert_eq!(audit::prune_auth_noise(app.db(), now, 1).await.unwrap(), 0);

    // Counters whose episodes are long over go as well; live ones stay.
    set_counter(
        &app,
        "l:lama",
        30,
        now - Duration::days(3),
        now - Duration::days(2),
        Some(now - Duration::days(2) + Duration::hours(4)),
    )
    .await;
    set_counter(
        &app,
        "l:baru",
        30,
        now - Duration::days(3),
        now - Duration::hours(1),
        Some(now + Duration::hours(3)),
    )
    .await;
    assert_eq!(throttle::forget_stale(app.db(), now).await.unwrap(), 1);
    let left: Vec<String> = login_throttle::Entity::find()
        .all(app.db())
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.key)
        .collect();
    assert_eq!(left, ["l:baru"]);
    app.stop().await;
}
