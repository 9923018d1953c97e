//! The client's files under `/pkg` (issue 8): served straight from
//! `site_root/pkg`, the precompressed `.br`/`.gz` beside a file sent to a
//! client that accepts it, and `Cache-Control: no-cache` with
//! `Last-Modified`, because the names stay the same from one build to the
//! next (a browser keeps the files and gets a 304 while they are
//! unchanged). The page links exactly the files the server has; a file
//! that does not exist is a plain 404, never a page.

use std::path::{Path, PathBuf};

use jejak::http::PKG_CACHE_CONTROL;
use jejak_tests::{http_client, require_site, spawn_app, spawn_app_with, Backend};
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_links_the_files_the_server_serves_and_they_are_revalidated() {
    require_site();
    let app = spawn_app(Backend::Sqlite).await;
    let client = http_client();
    let html = client
        .get(app.url("/masuk"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let refs = pkg_references(&html);
    for ext in [".wasm", ".js", ".css"] {
        assert!(
            refs.iter().any(|r| r.ends_with(ext)),
            "the page links a {ext} file: {refs:?}"
        );
    }
    // The hydration script loads the same two files the page preloads.
    let wasm = refs.iter().find(|r| r.ends_with(".wasm")).unwrap();
    let js = refs.iter().find(|r| r.ends_with(".js")).unwrap();
    let stem = |p: &str| {
        Path::new(p)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    assert!(
        html.contains(&format!("{:?}, {:?}", stem(js), stem(wasm))),
        "the hydration script names {js} and {wasm}"
    );

    for path in &refs {
        let res = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        let on_disk = app
            .state
            .config
            .site_root
            .join(path.trim_start_matches('/'));
        let body = res.bytes().await.unwrap();
        assert_eq!(
            body.len() as u64,
            std::fs::metadata(&on_disk).unwrap().len(),
            "{path} is the file {}",
            on_disk.display()
        );
    }

    let res = client.get(app.url(wasm)).send().await.unwrap();
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(res.headers()[header::CACHE_CONTROL], PKG_CACHE_CONTROL);
    let last_modified = res.headers()[header::LAST_MODIFIED].clone();
    // Read to the end: a half-read answer keeps the connection (and the server) busy.
    res.bytes().await.unwrap();
    // Asking again with the date it gave: unchanged, nothing to download.
    let again = client
        .get(app.url(wasm))
        .header(header::IF_MODIFIED_SINCE, last_modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
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
        assert_eq!(h[header::CACHE_CONTROL], PKG_CACHE_CONTROL);
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
