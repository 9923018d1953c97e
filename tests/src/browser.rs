//! Headless Chromium through chromedriver (Debian's `chromium` and
//! `chromium-driver`), with JavaScript on or off.

use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// At most two browsers at once in one test process: each brings a
/// Chromium and a server, and on a 2-core machine more of them at a time
/// make pages time out (renderer timeouts), not tests faster.
fn browser_slots() -> std::sync::Arc<tokio::sync::Semaphore> {
    static SLOTS: std::sync::OnceLock<std::sync::Arc<tokio::sync::Semaphore>> =
        std::sync::OnceLock::new();
    SLOTS
        .get_or_init(|| std::sync::Arc::new(tokio::sync::Semaphore::new(2)))
        .clone()
}

pub struct Browser {
    _slot: tokio::sync::OwnedSemaphorePermit,
    pub client: Client,
    /// Whether this browser runs JavaScript.
    pub javascript: bool,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find(env: &str, default: &str, what: &str) -> String {
    let path = std::env::var(env).unwrap_or_else(|_| default.to_string());
    assert!(
        std::path::Path::new(&path).exists(),
        "{what} tidak ditemukan / not found at {path} (set {env}). Install Debian's `chromium` and \
         `chromium-driver`; the README's test command does this."
    );
    path
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Browser {
    /// Starts chromedriver and a fresh headless Chromium profile.
    pub async fn start(javascript: bool) -> Browser {
        let slot = browser_slots()
            .acquire_owned()
            .await
            .expect("browser slots are never closed");
        // Several TLS back ends are linked in; rustls needs to be told which to use.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let chromium = find("CHROMIUM", "/usr/bin/chromium", "Chromium");
        let driver_path = find("CHROMEDRIVER", "/usr/bin/chromedriver", "chromedriver");
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}"));
        let profile = tempfile::tempdir().expect("profile dir");
        let mut prefs = json!({});
        if !javascript {
            prefs = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-quic", "--no-first-run", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::rustls()
                .expect("rustls")
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("Chromium did not start through chromedriver: {e}"),
            }
        };
        Browser {
            _slot: slot,
            client,
            javascript,
            driver,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .expect("text")
    }

    /// Like `text`, but `None` while the element is absent (e.g. during a navigation).
    pub async fn try_text(&self, css: &str) -> Option<String> {
        let el = self.client.find(Locator::Css(css)).await.ok()?;
        el.text().await.ok()
    }

    /// An attribute, or None while the element is not (yet) on the page or
    /// the page is being replaced (for use inside `wait_for`).
    pub async fn try_attr(&self, css: &str, name: &str) -> Option<String> {
        let el = self.client.find(Locator::Css(css)).await.ok()?;
        el.attr(name).await.ok().flatten()
    }

    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .attr(name)
            .await
            .expect("attr")
    }

    /// Waits until `check` returns true (polling), or fails with `what`.
    pub async fn wait_for<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if check().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("timed out waiting for: {what}");
    }

    /// Number of elements matching `css` that are displayed.
    pub async fn count_visible(&self, css: &str) -> usize {
        let mut n = 0;
        for e in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            if e.is_displayed().await.unwrap_or(false) {
                n += 1;
            }
        }
        n
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Waits until the client has taken over the page (JavaScript on).
    pub async fn wait_hydrated(&self) {
        self.wait_for("hydration", || async {
            self.client
                .find(Locator::Css(".page[data-hydrated=true]"))
                .await
                .is_ok()
        })
        .await;
    }

    /// Whether the page fits the window's width (no sideways scrolling of
    /// the page itself; wide tables may scroll inside their own box).
    pub async fn fits_width(&self) -> bool {
        self.client
            .execute(
                "return document.documentElement.scrollWidth <= window.innerWidth + 1;",
                vec![],
            )
            .await
            .expect("measure the page")
            == serde_json::json!(true)
    }

    /// Form controls the browser finds no label for (`<label for>`, a
    /// wrapping label, aria-label or aria-labelledby), as HTML snippets.
    pub async fn unlabelled_controls(&self) -> Vec<String> {
        let found = self
            .client
            .execute(
                "return [...document.querySelectorAll(\
                   'input:not([type=hidden]):not([type=submit]), select, textarea')]\
                 .filter(e => !(e.labels && e.labels.length)\
                   && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))\
                 .map(e => e.outerHTML.slice(0, 120));",
                vec![],
            )
            .await
            .expect("look for unlabelled controls");
        serde_json::from_value(found).expect("a list of strings")
    }

    /// Signs in through the form on /masuk, as a person would.
    pub async fn sign_in(&self, base_url: &str, login: &str, password: &str) {
        self.goto(&format!("{base_url}/masuk")).await;
        if self.javascript {
            self.wait_hydrated().await;
        }
        let form = self.client.form(Locator::Id("form-masuk")).await.unwrap();
        form.set_by_name("login", login).await.unwrap();
        form.set_by_name("password", password).await.unwrap();
        self.click("#form-masuk button[type=submit]").await;
        self.wait_for("signed in", || async {
            self.try_text("#nama-pengguna").await.is_some()
        })
        .await;
    }

    /// Signs out with the menu's button and waits for the sign-in page.
    pub async fn sign_out(&self) {
        self.click("#keluar").await;
        self.wait_for("signed out, on the sign-in page", || async {
            self.client.find(Locator::Id("form-masuk")).await.is_ok()
                && self.try_text("#nama-pengguna").await.is_none()
        })
        .await;
    }

    /// Saves what the browser shows as `<dir>/screenshots/<name>.png`; tests
    /// pass their `CARGO_TARGET_TMPDIR` (not committed) so that a reviewer
    /// can look at every page.
    pub async fn screenshot(&self, dir: &str, name: &str) {
        let dir = std::path::Path::new(dir).join("screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
