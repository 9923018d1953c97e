//! Nothing personal is cached, cookies cannot be shadowed, and a signed-in
//! request from somewhere other than Jejak's own pages is refused
//! (issue 17).

use jejak_tests::{client_builder, demo, on_both_backends, spawn_app_with, Backend, TEST_PASSWORD};

on_both_backends!(
    pages_and_answers_about_people_are_never_cached,
    secure_cookies_carry_the_host_prefix,
    a_signed_in_post_without_origin_or_fetch_metadata_is_refused,
);

fn cache_control(res: &reqwest::Response) -> String {
    res.headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Shared office computers and the Back button after sign-out: every page
/// and every answer about people says `no-store`; only the client's own
/// versioned files may be kept.
async fn pages_and_answers_about_people_are_never_cached(backend: Backend) {
    let d = demo(backend).await;
    let app = &d.app;
    let employee = d.as_role("employee").await;
    use sea_orm::EntityTrait;
    let person = app::backend::entities::employee::Entity::find()
        .one(app.db())
        .await
        .unwrap()
        .unwrap();
    for (client, path) in [
        (&d.admin, "/".to_string()),
        (&d.admin, "/admin/akun".to_string()),
        (&d.admin, "/admin/mutasi".to_string()),
        (&d.admin, format!("/pegawai/{}", person.id)),
        (&d.admin, "/ekspor/progres-pegawai.csv".to_string()),
        (&employee, "/saya".to_string()),
        (&employee, "/masuk".to_string()),
    ] {
        let res = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(cache_control(&res), "no-store", "{path}");
    }
    for (endpoint, fields) in [
        ("person", vec![("employee_id", person.id.to_string())]),
        ("whoami", vec![]),
    ] {
        let res = d
            .admin
            .post(app.url(&format!("/fn/{endpoint}")))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{endpoint}");
        assert_eq!(cache_control(&res), "no-store", "/fn/{endpoint}");
    }
    // The API, with a token made on the page.
    let (status, body) = jejak_tests::call(
        app,
        &d.admin,
        "create_api_token",
        &[
            ("name", "uji cache".to_string()),
            ("expires_on", (d.today + chrono::Days::new(30)).to_string()),
            ("scopes[0]", "employees:read".to_string()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let secret = body["secret"].as_str().unwrap();
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/employees/{}", person.nip)))
        .bearer_auth(secret)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(cache_control(&res), "no-store", "the API");
    // After sign-out the Back button finds nothing kept: the page asks again.
    let own_name = d
        .logins
        .iter()
        .find(|l| l.role == "employee")
        .unwrap()
        .name
        .clone();
    let page = employee
        .get(app.url("/saya"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&own_name),
        "signed in: /saya names the person"
    );
    let res = employee.post(app.url("/fn/sign_out")).send().await.unwrap();
    assert!(res.status().is_success() || res.status().is_redirection());
    let page = employee
        .get(app.url("/saya"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains(&own_name),
        "signed out: /saya shows nothing of the person"
    );
    // The client's own files are cached (they are not about anyone).
    let css = app.state.assets.url("jejak.css");
    let res = reqwest::get(app.url(&css)).await.unwrap();
    assert!(
        cache_control(&res).contains("immutable"),
        "{css}: {}",
        cache_control(&res)
    );
}

/// Over HTTPS the session cookie is `__Host-jejak_sesi` (Secure, Path=/,
/// no Domain), and a plain `jejak_sesi` (which another host of the domain
/// could set) is not taken for a session.
async fn secure_cookies_carry_the_host_prefix(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.secure_cookies = Some(true)).await;
    app.admin_client().await; // the account
    let client = client_builder().build().unwrap();
    let res = client
        .post(app.url("/fn/sign_in"))
        .header("Accept", "text/html")
        .form(&[("login", "199001012015031002"), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 302);
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.contains("jejak_sesi="))
        .expect("a session cookie")
        .to_string();
    assert!(set.starts_with("__Host-jejak_sesi="), "{set}");
    assert!(set.contains("; Secure") && set.contains("Path=/"), "{set}");
    assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
    let token = set
        .trim_start_matches("__Host-jejak_sesi=")
        .split(';')
        .next()
        .unwrap();
    let whoami = |cookie: String| {
        client
            .post(app.url("/fn/whoami"))
            .header("Cookie", cookie)
            .send()
    };
    let me: serde_json::Value = whoami(format!("__Host-jejak_sesi={token}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["nip"], "199001012015031002", "{me}");
    let nobody: serde_json::Value = whoami(format!("jejak_sesi={token}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        nobody.is_null(),
        "a plain cookie is not a session over HTTPS: {nobody}"
    );
    app.stop().await;
}

/// Every browser in use sends `Origin` or `Sec-Fetch-Site` with a POST: a
/// request with a session cookie and neither did not come from Jejak's
/// pages, and is refused before anything runs. Without a session (a
/// script signing in) it is not. An `Origin` with the wrong scheme is
/// another site.
async fn a_signed_in_post_without_origin_or_fetch_metadata_is_refused(backend: Backend) {
    use sea_orm::{EntityTrait, PaginatorTrait};
    let app = spawn_app_with(backend, |_| {}).await;
    app.admin_client().await;
    // A client that sends only what it is told.
    let bare = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = bare
        .post(app.url("/fn/sign_in"))
        .header("Accept", "text/html")
        .form(&[("login", "199001012015031002"), ("password", TEST_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        302,
        "signing in needs no Origin (no session yet)"
    );
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("jejak_sesi="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let units = app::backend::entities::unit::Entity::find()
        .count(app.db())
        .await
        .unwrap();
    let own = app.base.clone();
    let https_own = own.replace("http://", "https://");
    for (origin, site, expected) in [
        (None, None, 403),
        (Some(https_own.as_str()), None, 403),
        (Some(https_own.as_str()), Some("same-origin"), 403),
        (None, Some("same-origin"), 200),
        (Some(own.as_str()), None, 200),
    ] {
        let mut req = bare
            .post(app.url("/fn/add_unit"))
            .header("Cookie", &cookie)
            .form(&[
                ("name", format!("Unit {origin:?} {site:?}")),
                ("parent_id", String::new()),
            ]);
        if let Some(o) = origin {
            req = req.header("Origin", o);
        }
        if let Some(s) = site {
            req = req.header("Sec-Fetch-Site", s);
        }
        let res = req.send().await.unwrap();
        assert_eq!(
            res.status().as_u16(),
            expected,
            "Origin {origin:?}, Sec-Fetch-Site {site:?}"
        );
    }
    let after = app::backend::entities::unit::Entity::find()
        .count(app.db())
        .await
        .unwrap();
    assert_eq!(after, units + 2, "only the two accepted requests wrote");
    app.stop().await;
}
