//! HTTP under load (issue 8): the release `jejak` binary serving a large
//! organisation (`jejak-synth`, this crate's test data), driven from outside by `wrk`
//! (Debian's package) on loopback. Each target is measured side by side
//! with the framework's own ceiling in the same run: `../shared/bench/ceiling`,
//! a plain Leptos 0.8 app whose sign-in form is served with async SSR (built
//! by `./dev.sh bench` into the same `target/release`). Every page's figure is
//! also given as a share of the ceiling's, and checked against issue 19's
//! targets.
//!
//! Figures: requests/s and latency percentiles (wrk `--latency`) as the
//! median over the runs, the server's peak resident memory under the load
//! (`VmHWM` of its process), and the time from starting the process to
//! its first healthy answer.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use crate::Args;

/// What the synthetic seed writes for benchmarks to sign in with.
#[derive(Debug, Clone)]
pub struct Logins {
    pub password: String,
    pub admin: String,
    pub manager: String,
    pub employees: Vec<String>,
}

impl Logins {
    /// `synthetic-logins.json`: `{"password", "manager_unit", "logins": [{"role", "nip", …}]}`.
    fn read(path: &Path) -> Logins {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).expect("logins file"))
                .expect("logins JSON");
        let with_role = |role: &str| -> Vec<String> {
            v["logins"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|l| l["role"] == role)
                        .filter_map(|l| l["nip"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        let first = |role: &str| {
            with_role(role)
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("a {role} in {}", path.display()))
        };
        Logins {
            password: v["password"].as_str().expect("password").to_string(),
            admin: first("admin"),
            manager: first("manager"),
            employees: with_role("employee"),
        }
    }
}

/// A binary next to this one: `jejak` (built by `cargo leptos build
/// --release`) or `jejak-synth` (built by `./dev.sh bench`).
fn sibling_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("own path");
    let path = exe.with_file_name(name);
    assert!(
        path.is_file(),
        "{} is missing: `cargo leptos build --release` builds jejak, \
         `./dev.sh bench` builds jejak-synth and the plain Leptos page (ceiling)",
        path.display()
    );
    path
}

fn jejak(data_dir: &Path, database_url: &str) -> Command {
    program("jejak", data_dir, database_url)
}

/// `name --data-dir data_dir`, on `database_url` (or the data dir's SQLite file).
fn program(name: &str, data_dir: &Path, database_url: &str) -> Command {
    let mut c = Command::new(sibling_binary(name));
    c.arg("--data-dir").arg(data_dir);
    c.env("JEJAK_LOG", "warn");
    c.env("JEJAK_BACKGROUND_JOBS", "false");
    // wrk's 64 connections come from one address: as 64 people would, not
    // as one client (whose requests at once Jejak caps, `jejak::limits`).
    c.env("JEJAK_MAX_REQUESTS_PER_CLIENT", "1000");
    if !database_url.is_empty() {
        c.env("JEJAK_DATABASE_URL", database_url);
    } else {
        c.env_remove("JEJAK_DATABASE_URL");
    }
    c
}

/// Seeds the synthetic organisation (timed) unless `data_dir` has one.
fn prepare(data_dir: &Path, database_url: &str, employees: usize) -> f64 {
    if data_dir.join("synthetic-logins.json").is_file() {
        println!("http: reusing the organisation in {}", data_dir.display());
        return 0.0;
    }
    std::fs::create_dir_all(data_dir).expect("data dir");
    let t = Instant::now();
    let status = program("jejak-synth", data_dir, database_url)
        .args(["--employees", &employees.to_string()])
        .status()
        .expect("run jejak-synth");
    assert!(status.success(), "jejak-synth failed");
    t.elapsed().as_secs_f64()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    child: Child,
    base: String,
    started_in: f64,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &Path, database_url: &str, site_root: &Path) -> Server {
    let port = free_port();
    let mut jejak = jejak(data_dir, database_url);
    jejak
        .env("JEJAK_SITE_ROOT", site_root)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")]);
    serve(jejak, port, "/healthz")
}

/// The plain Leptos page (`ceiling`, next to this binary) on a free port.
fn start_ceiling() -> Server {
    let port = free_port();
    let mut ceiling = Command::new(sibling_binary("ceiling"));
    ceiling.arg(format!("127.0.0.1:{port}")).stderr(Stdio::null());
    serve(ceiling, port, "/plain")
}

/// Starts `program` listening on `port` and waits (a minute at most) for
/// its first 200 on `health`, timed.
fn serve(mut program: Command, port: u16, health: &str) -> Server {
    let t = Instant::now();
    let child = program
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {program:?}: {e}"));
    let base = format!("http://127.0.0.1:{port}");
    while !healthy(&format!("{base}{health}")) {
        assert!(t.elapsed() < Duration::from_secs(60), "{program:?} did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
    Server {
        child,
        base,
        started_in: t.elapsed().as_secs_f64(),
    }
}

/// A bare HTTP GET answering "was it 200?" (a raw socket keeps the
/// start-up measurement free of an HTTP client's own start-up).
fn healthy(url: &str) -> bool {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap_or(url);
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Ok(mut s) = std::net::TcpStream::connect(host) else {
        return false;
    };
    if write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .is_err()
    {
        return false;
    }
    let mut out = String::new();
    s.read_to_string(&mut out).is_ok() && out.starts_with("HTTP/1.1 200")
}

/// The session cookie of a person signed in through the sign-in form.
async fn sign_in(base: &str, login: &str, password: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let res = client
        .post(format!("{base}/fn/sign_in"))
        .header("Accept", "text/html")
        .form(&[("login", login), ("password", password)])
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), 302, "sign-in as {login}");
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A page measured under load, with what issue 19 asks of it.
struct Target {
    name: &'static str,
    path: String,
    headers: Vec<String>,
    /// At least this share of the plain Leptos page's requests per second.
    min_share: Option<f64>,
    /// A 99th percentile latency under this many milliseconds.
    max_p99_ms: Option<f64>,
}

impl Target {
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = self.min_share {
            parts.push(format!("≥ {:.0} %", s * 100.0));
        }
        if let Some(p) = self.max_p99_ms {
            parts.push(format!("p99 < {p:.0} ms"));
        }
        parts.join(", ")
    }

    fn verdict(&self, share: f64, run: &Run) -> &'static str {
        if self.min_share.is_none() && self.max_p99_ms.is_none() {
            return "";
        }
        let share_ok = self.min_share.is_none_or(|s| share >= s);
        let p99_ok = self.max_p99_ms.is_none_or(|p| run.p99 < p);
        if share_ok && p99_ok && run.errors == 0 {
            "yes"
        } else {
            "no"
        }
    }
}

/// One wrk run: requests/s and latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default)]
struct Run {
    rps: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    errors: u64,
}

fn millis(raw: &str) -> f64 {
    let raw = raw.trim();
    let (num, factor) = if let Some(n) = raw.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = raw.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (raw, 1.0)
    };
    num.parse::<f64>().unwrap_or(f64::NAN) * factor
}

fn wrk(url: &str, headers: &[String], connections: usize, seconds: u64) -> Run {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
        "--timeout",
        "10s",
    ]);
    for h in headers {
        cmd.args(["-H", h]);
    }
    let out = cmd.arg(url).output().expect("run wrk (Debian package wrk)");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut run = Run::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", v] => run.p50 = millis(v),
            ["90%", v] => run.p90 = millis(v),
            ["99%", v] => run.p99 = millis(v),
            ["Requests/sec:", v] => run.rps = v.parse().unwrap_or(0.0),
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                run.errors += n.parse::<u64>().unwrap_or(0)
            }
            _ if line.trim_start().starts_with("Socket errors:") => {
                run.errors += line
                    .split(',')
                    .filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok())
                    .sum::<u64>()
            }
            _ => {}
        }
    }
    if run.rps == 0.0 {
        // Not one answer within the run: reported as such, the suite goes on.
        println!("wrk: no request to {url} finished within the run");
    }
    run
}

fn median_run(mut runs: Vec<Run>) -> Run {
    let pick = |f: fn(&Run) -> f64, runs: &mut Vec<Run>| {
        let mut v: Vec<f64> = runs.iter().map(f).collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        v[v.len() / 2]
    };
    Run {
        rps: pick(|r| r.rps, &mut runs),
        p50: pick(|r| r.p50, &mut runs),
        p90: pick(|r| r.p90, &mut runs),
        p99: pick(|r| r.p99, &mut runs),
        errors: runs.iter().map(|r| r.errors).sum(),
    }
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

/// "Intel(R) Xeon(R) … , 2 cores, 24 GiB" from /proc.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpu
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    let mem_kb: f64 = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    format!(
        "{model}, {cores} cores, {:.0} GiB",
        mem_kb / 1024.0 / 1024.0
    )
}

/// Replaces the text between `<!-- bench: NAME -->` and `<!-- /bench: NAME -->`
/// in docs/BENCHMARKS.md (the analysis around it is written by people).
fn write_section(name: &str, body: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/BENCHMARKS.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let (open, close) = (
        format!("<!-- bench: {name} -->"),
        format!("<!-- /bench: {name} -->"),
    );
    let section = format!("{open}\n{body}{close}");
    let updated = match (doc.find(&open), doc.find(&close)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{section}{}", &doc[..a], &doc[b + close.len()..])
        }
        _ => format!("{}\n{section}\n", doc.trim_end()),
    };
    match std::fs::write(&path, updated) {
        Ok(()) => println!("http: wrote the figures into {} ({name})", path.display()),
        Err(e) => println!("http: could not write {}: {e}", path.display()),
    }
}

fn rss_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> f64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub async fn bench(args: &Args) {
    // A release site (`cargo leptos build --release`), kept apart from the
    // tests' debug one when JEJAK_SITE_ROOT names it.
    let site_root = std::env::var_os("JEJAK_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"));
    for backend in &args.backends {
        let (data_dir, database_url, _pg) = match *backend {
            "postgres" if args.database_url.is_some() => (
                args.data_dir
                    .clone()
                    .expect("--data-dir with the logins of --database-url"),
                args.database_url.clone().unwrap_or_default(),
                None,
            ),
            "postgres" => {
                let pg = jejak_tests::PgDatabase::create().await;
                let dir =
                    std::env::temp_dir().join(format!("jejak-http-pg-{}", std::process::id()));
                (dir, pg.url.clone(), Some(pg))
            }
            _ => (
                args.data_dir.clone().unwrap_or_else(|| {
                    std::env::temp_dir().join(format!("jejak-http-{}", std::process::id()))
                }),
                String::new(),
                None,
            ),
        };
        let seeded_in = prepare(&data_dir, &database_url, args.employees);
        let logins = Logins::read(&data_dir.join("synthetic-logins.json"));
        let server = start(&data_dir, &database_url, &site_root);
        println!(
            "http {backend}: seeded in {seeded_in:.1} s; start-up to first healthy answer {:.3} s",
            server.started_in
        );
        let base = server.base.clone();
        let employee = sign_in(&base, &logins.employees[0], &logins.password).await;
        let manager = sign_in(&base, &logins.manager, &logins.password).await;
        let admin = sign_in(&base, &logins.admin, &logins.password).await;
        let cookie = |c: &str| vec![format!("Cookie: {c}")];
        let page = |name, path: &str, headers| Target {
            name,
            path: path.into(),
            headers,
            min_share: None,
            max_p99_ms: None,
        };
        // Issue 19's targets: a share of the plain page's req/s, a p99.
        let targets = vec![
            Target {
                min_share: Some(0.60),
                ..page("sign-in page /masuk (no database)", "/masuk", vec![])
            },
            Target {
                min_share: Some(0.25),
                max_p99_ms: Some(25.0),
                ..page("employee page /saya", "/saya", cookie(&employee))
            },
            Target {
                max_p99_ms: Some(100.0),
                ..page("manager dashboard /manajer", "/manajer", cookie(&manager))
            },
            // A common first name: thousands of matching transfers, so the
            // page is full and the count reaches its cap.
            Target {
                max_p99_ms: Some(50.0),
                ..page(
                    "transfer list with search (\"Siti\")",
                    "/admin/mutasi?q=Siti",
                    cookie(&admin),
                )
            },
            page(
                "static /pkg/jejak.wasm (gzip)",
                "/pkg/jejak.wasm",
                vec!["Accept-Encoding: gzip, br".into()],
            ),
        ];
        let measure = |base: &str, path: &str, headers: &[String]| {
            // A short warm-up, then the measured runs.
            wrk(&format!("{base}{path}"), headers, args.connections, 2);
            median_run(
                (0..args.runs)
                    .map(|_| wrk(&format!("{base}{path}"), headers, args.connections, args.seconds))
                    .collect(),
            )
        };
        // The plain Leptos page, in this run, on this machine: the yardstick.
        let ceiling = start_ceiling();
        let plain = measure(&ceiling.base, "/masuk", &[]);
        drop(ceiling);
        println!(
            "http {backend}: plain Leptos page (ceiling /masuk): {:.0} req/s, p99 {:.2} ms",
            plain.rps, plain.p99
        );
        let mut table = format!(
            "{} on {}, {backend}, {} employees (`{}`); {} runs of {} s at {} connections, \
             median of the runs; start-up to first healthy answer {:.3} s. \
             Share: the page's req/s as a share of the plain Leptos page's \
             (`../shared/bench/ceiling`, `/masuk`) measured in this run.\n\n\
             | page | req/s | share | p50 ms | p90 ms | p99 ms | errors | target | met |\n\
             | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n\
             | plain Leptos page (ceiling) | {:.0} | 100 % | {:.1} | {:.1} | {:.1} | {} | | |\n",
            today(),
            machine(),
            args.employees,
            data_dir.display(),
            args.runs,
            args.seconds,
            args.connections,
            server.started_in,
            plain.rps,
            plain.p50,
            plain.p90,
            plain.p99,
            plain.errors,
        );
        for t in targets {
            let m = measure(&base, &t.path, &t.headers);
            let share = if plain.rps > 0.0 { m.rps / plain.rps } else { 0.0 };
            println!(
                "http {backend}: {}: {:.0} req/s ({:.1} % of the plain page), p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, errors {}",
                t.name, m.rps, share * 100.0, m.p50, m.p90, m.p99, m.errors
            );
            table.push_str(&if m.rps == 0.0 {
                format!(
                    "| {} | 0 | 0 % | no answer within wrk's 10 s timeout | | | | {} | no |\n",
                    t.name,
                    t.describe()
                )
            } else {
                format!(
                    "| {} | {:.0} | {:.1} % | {:.1} | {:.1} | {:.1} | {} | {} | {} |\n",
                    t.name,
                    m.rps,
                    share * 100.0,
                    m.p50,
                    m.p90,
                    m.p99,
                    m.errors,
                    t.describe(),
                    t.verdict(share, &m)
                )
            });
        }
        let (rss, peak) = rss_mib(server.child.id());
        println!("http {backend}: server resident memory now {rss:.0} MiB, peak {peak:.0} MiB");
        table.push_str(&format!(
            "\nServer resident memory after the load: {rss:.0} MiB (peak {peak:.0} MiB; \
             target under 250 MB: {}).\n",
            if peak * 1.048_576 < 250.0 { "met" } else { "missed" }
        ));
        write_section(&format!("http {backend}"), &table);
        drop(server);
    }
}
