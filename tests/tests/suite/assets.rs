//! The client's files under `/pkg` (issue 8): served straight from
//! `site_root/pkg`, the precompressed `.br`/`.gz` beside a file sent to a
//! client that accepts it. The page links each file with its version
//! (`?v=<hash of the content>`): that address is cached for a year, any
//! other address of the same file (plain, or an older version) is
//! revalidated (`no-cache`, `Last-Modified`, a 304 while unchanged). The
//! page links exactly the files the server has; a file that does not exist
//! is a plain 404, never a page.

use std::path::PathBuf;

use app::backend::client_assets::{CACHE_UNVERSIONED, CACHE_VERSIONED};
use jejak_tests::{http_client, require_site, spawn_app, spawn_app_with, Backend, TestApp};
use reqwest::header;

/// Every `/pkg/…` address in the page's HTML, without duplicates.
fn pkg_references(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, _) in html.match_indices("\"/pkg/") {
        let rest = &html[i + 1..];
        let end = rest.find('"').expect("a closing quote");
        let path = rest[..end].to_string();
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// The sign-in page's HTML (no session needed).
async fn sign_in_page(app: &TestApp) -> String {
    http_client()
        .get(app.url("/masuk"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_links_versioned_files_cached_for_a_year_and_other_addresses_are_revalidated() {
    require_site();
    let app = spawn_app(Backend::Sqlite).await;
    let client = http_client();
    let html = sign_in_page(&app).await;
    let refs = pkg_references(&html);
    let linked = |file: &str| -> String {
        let found: Vec<&String> = refs
            .iter()
            .filter(|r| r.starts_with(&format!("/pkg/{file}?v=")))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "the page links {file} once, versioned: {refs:?}"
        );
        found[0].clone()
    };
    let (css, js, wasm) = (
        linked("jejak.css"),
        linked("jejak.js"),
        linked("jejak.wasm"),
    );
    assert_eq!(refs.len(), 3, "nothing else under /pkg: {refs:?}");
    // The hydration script loads the same two addresses the page preloads.
    assert!(
        html.contains(&format!("import({js:?})"))
            && html.contains(&format!("module_or_path: {wasm:?}")),
        "the hydration script names {js} and {wasm}: {html}"
    );

    for path in [&css, &js, &wasm] {
        let (file_path, version) = path.split_once("?v=").unwrap();
        let on_disk = app
            .state
            .config
            .site_root
            .join(file_path.trim_start_matches('/'));
        let bytes = std::fs::read(&on_disk).unwrap();
        // The version is the content's: the first 16 hex digits of its SHA-256.
        let digest = sha256_hex(&bytes);
        assert_eq!(version, &digest[..16], "{path}");

        let res = client
            .get(app.url(path))
            .header(header::ACCEPT_ENCODING, "identity")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            res.headers()[header::CACHE_CONTROL],
            CACHE_VERSIONED,
            "{path}"
        );
        let body = res.bytes().await.unwrap();
        assert!(
            body.as_ref() == bytes.as_slice(),
            "{path} is the file {}",
            on_disk.display()
        );

        // The same file under its plain address or an older version: revalidated.
        for other in [
            file_path.to_string(),
            format!("{file_path}?v=0123456789abcdef"),
        ] {
            let res = client.get(app.url(&other)).send().await.unwrap();
            assert_eq!(res.status(), 200, "{other}");
            assert_eq!(
                res.headers()[header::CACHE_CONTROL],
                CACHE_UNVERSIONED,
                "{other}"
            );
            res.bytes().await.unwrap();
        }
    }

    let res = client.get(app.url(&wasm)).send().await.unwrap();
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/wasm");
    let last_modified = res.headers()[header::LAST_MODIFIED].clone();
    // Read to the end: a half-read answer keeps the connection (and the server) busy.
    res.bytes().await.unwrap();
    // Asking again with the date it gave: unchanged, nothing to download.
    let plain = wasm.split_once('?').unwrap().0;
    let again = client
        .get(app.url(plain))
        .header(header::IF_MODIFIED_SINCE, last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    app.stop().await;
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_rebuilt_while_the_server_runs_gets_a_new_version() {
    let site = precompressed_site("jejak.wasm");
    let root = site.path().to_path_buf();
    // A real copy of the stylesheet (not a link), to be rewritten below.
    let css = root.join("pkg/jejak.css");
    let content = std::fs::read(&css).unwrap();
    std::fs::remove_file(&css).unwrap();
    std::fs::write(&css, &content).unwrap();
    let app = spawn_app_with(Backend::Sqlite, |c| c.site_root = root.clone()).await;
    let client = http_client();
    let linked_css = |html: String| {
        pkg_references(&html)
            .into_iter()
            .find(|r| r.starts_with("/pkg/jejak.css?v="))
            .expect("the stylesheet is linked with a version")
    };
    let page = || async {
        client
            .get(app.url("/masuk"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    let before = linked_css(page().await);

    let mut rebuilt = content.clone();
    rebuilt.extend_from_slice(b"\n/* rebuilt */\n");
    std::fs::write(&css, &rebuilt).unwrap();
    let after = linked_css(page().await);
    assert_ne!(before, after, "a new build is linked under a new address");
    let res = client.get(app.url(&before)).send().await.unwrap();
    assert_eq!(
        res.headers()[header::CACHE_CONTROL],
        CACHE_UNVERSIONED,
        "the old address now names old content"
    );
    assert!(res.bytes().await.unwrap().as_ref() == rebuilt.as_slice());
    let res = client.get(app.url(&after)).send().await.unwrap();
    assert_eq!(res.headers()[header::CACHE_CONTROL], CACHE_VERSIONED);
    res.bytes().await.unwrap();
    app.stop().await;
}

/// A site root whose `pkg/` holds the built client (links to it) and,
/// when the build did not precompress (debug), `.br` and `.gz` of the
/// WebAssembly file made here with the same tools.
fn precompressed_site(wasm_name: &str) -> tempfile::TempDir {
    let real = require_site().join("pkg");
    let dir = tempfile::tempdir().unwrap();
    let pkg = dir.path().join("pkg");
    std::fs::create_dir(&pkg).unwrap();
    for entry in std::fs::read_dir(&real).unwrap() {
        let entry = entry.unwrap();
        std::os::unix::fs::symlink(entry.path(), pkg.join(entry.file_name())).unwrap();
    }
    let wasm = real.join(wasm_name);
    for (ext, tool, args) in [("br", "brotli", ["-q", "1"]), ("gz", "gzip", ["-1", "-n"])] {
        let target: PathBuf = pkg.join(format!("{wasm_name}.{ext}"));
        if target.exists() {
            continue;
        }
        let out = std::process::Command::new(tool)
            .args(args)
            .arg("-c")
            .arg(&wasm)
            .output()
            .unwrap_or_else(|e| {
                panic!("`{tool}` is needed for this test (Debian package {tool}): {e}")
            });
        assert!(out.status.success(), "{tool} failed");
        std::fs::write(&target, out.stdout).unwrap();
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn precompressed_files_go_to_clients_that_accept_them_and_a_missing_file_is_a_404() {
    let site = precompressed_site("jejak.wasm");
    let root = site.path().to_path_buf();
    let app = spawn_app_with(Backend::Sqlite, |c| c.site_root = root.clone()).await;
    let client = http_client();
    let pkg = root.join("pkg");

    for (accept, encoding, file) in [
        ("br", Some("br"), "jejak.wasm.br"),
        ("gzip, deflate, br", Some("br"), "jejak.wasm.br"),
        ("gzip", Some("gzip"), "jejak.wasm.gz"),
        ("identity", None, "jejak.wasm"),
    ] {
        let res = client
            .get(app.url("/pkg/jejak.wasm"))
            .header(header::ACCEPT_ENCODING, accept)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "Accept-Encoding: {accept}");
        let h = res.headers().clone();
        assert_eq!(
            h.get(header::CONTENT_ENCODING).map(|v| v.to_str().unwrap()),
            encoding,
            "Accept-Encoding: {accept}"
        );
        assert_eq!(h[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(
            h[header::CACHE_CONTROL],
            CACHE_UNVERSIONED,
            "a plain address is revalidated"
        );
        assert!(
            h.get_all(header::VARY).iter().any(|v| v
                .to_str()
                .unwrap()
                .to_ascii_lowercase()
                .contains("accept-encoding")),
            "Vary: Accept-Encoding, so a shared cache keeps the variants apart: {h:?}"
        );
        let body = res.bytes().await.unwrap();
        assert!(
            body.as_ref() == std::fs::read(pkg.join(file)).unwrap().as_slice(),
            "Accept-Encoding: {accept} gets {file} as it is on disk"
        );
    }

    // No fallback page for the client's files: a plain 404.
    for path in ["/pkg/tidak-ada.wasm", "/pkg/jejak.wasm.zst", "/pkg/"] {
        let res = client
            .get(app.url(path))
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404, "{path}");
        let body = res.text().await.unwrap();
        assert!(
            !body.to_ascii_lowercase().contains("<html"),
            "{path} answers a page: {body}"
        );
    }
    app.stop().await;
}

/// Issue 19: "Penugasan saya" has nothing interactive, so it carries no
/// island and no serialised data (what it shows is in its HTML once), and a
/// browser downloads no client for it. The pages that do have islands make
/// the browser download the WebAssembly client and its JavaScript: under
/// 250 KB compressed as served (a size check, not a timing one; it needs
/// the release client `./dev.sh test` builds).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn penugasan_saya_ships_no_client_and_the_client_of_interactive_pages_is_under_250_kb() {
    require_site();
    let demo = jejak_tests::demo(Backend::Sqlite).await;
    let page = |client: reqwest::Client, path: &'static str| {
        let url = demo.app.url(path);
        async move {
            let res = client.get(url).send().await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            res.text().await.unwrap()
        }
    };
    let saya = page(demo.as_role("employee").await, "/saya").await;
    assert!(saya.contains("Penugasan saya"), "the employee's page");
    assert!(
        !saya.contains("<leptos-island"),
        "nothing on \"Penugasan saya\" is interactive"
    );
    assert!(
        !saya.contains("__RESOLVED_RESOURCES=[") || saya.contains("__RESOLVED_RESOURCES=[];"),
        "no data serialised a second time"
    );

    // The administrator's home page has the live unit filter (an island).
    let home = page(demo.admin.clone(), "/").await;
    assert!(home.contains("<leptos-island"), "the unit filter is an island");
    assert!(home.contains("__RESOLVED_RESOURCES=[];"), "no data serialised a second time");
    let refs = pkg_references(&home);
    let mut total = 0u64;
    let mut sizes = Vec::new();
    for file in ["jejak.js", "jejak.wasm"] {
        let path = refs
            .iter()
            .find(|r| r.starts_with(&format!("/pkg/{file}?v=")))
            .unwrap_or_else(|| panic!("{file} is linked: {refs:?}"));
        let res = http_client()
            .get(demo.app.url(path))
            .header(header::ACCEPT_ENCODING, "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let encoding = res
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_else(|| "identity".into());
        let bytes = res.bytes().await.unwrap().len() as u64;
        sizes.push(format!("{file}: {bytes} bytes ({encoding})"));
        total += bytes;
    }
    assert!(
        total < 250_000,
        "the client a browser downloads for an interactive page is {total} bytes \
         (target under 250,000): {sizes:?}; a debug client is far larger, \
         build the release client as `./dev.sh test` does"
    );
    demo.app.stop().await;
}

/// The script every page starts (`app/src/client.js`, built into the
/// server): linked under its content's version and cached for a year
/// there, revalidated under any other address; no session needed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_script_is_served_versioned_from_the_binary() {
    require_site();
    let app = spawn_app(Backend::Sqlite).await;
    let client = http_client();
    let html = sign_in_page(&app).await;
    let start = html.find("import(\"/client.js?v=").expect("the page imports /client.js") + 8;
    let linked = &html[start..start + html[start..].find('"').unwrap()];
    let res = client.get(app.url(linked)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/javascript; charset=utf-8"
    );
    assert_eq!(res.headers()[header::CACHE_CONTROL], CACHE_VERSIONED);
    let script = res.text().await.unwrap();
    assert!(script.contains("export function start(load)"), "{script}");
    assert!(!script.contains("\n//"), "comments are left out");
    let version = linked.rsplit("v=").next().unwrap();
    assert_eq!(version, &sha256_hex(script.as_bytes())[..16]);
    let old = client
        .get(app.url("/client.js?v=0000000000000000"))
        .send()
        .await
        .unwrap();
    assert_eq!(old.headers()[header::CACHE_CONTROL], CACHE_UNVERSIONED);
    app.stop().await;
}
