//! `jejak-bench`: the benchmarks of docs/BENCHMARKS.md, each on a fresh
//! SQLite file and a fresh PostgreSQL database. Run it through
//! `./dev.sh bench` (release build, throw-away PostgreSQL cluster); the
//! figures go into docs/BENCHMARKS.md by hand, with the machine and date.
//!
//!     jejak-bench [--suite transfers|reminders|delivery|import|http|all] [--runs R]
//!                 [--backend sqlite|postgres|both]
//!                 [--transfers N] [--assignments N] [--messages N]
//!                 [--employees N] [--data-dir DIR] [--connections C] [--seconds S]

mod http;
mod import;
mod reminders;
mod transfers;

pub struct Args {
    pub suites: Vec<&'static str>,
    pub runs: usize,
    pub backends: Vec<&'static str>,
    /// `transfers`: approved transfers completed in bulk; `import`: rows of the decree list.
    pub transfers: usize,
    /// `reminders`: open assignments the tick decides over.
    pub assignments: usize,
    /// `delivery`: messages sent to the loopback SMTP server.
    pub messages: usize,
    /// `http`: employees of the synthetic organisation.
    pub employees: usize,
    /// `http`: a data directory with a synthetic organisation to reuse (SQLite).
    pub data_dir: Option<std::path::PathBuf>,
    /// `http`: a seeded PostgreSQL to reuse (its logins in `data_dir`).
    pub database_url: Option<String>,
    /// `http`: wrk connections and seconds per run.
    pub connections: usize,
    pub seconds: u64,
}

fn parse_args() -> Args {
    let mut a = Args {
        suites: vec!["transfers", "reminders", "delivery", "import", "http"],
        runs: 3,
        backends: vec!["sqlite", "postgres"],
        transfers: 10_000,
        assignments: 1_000_000,
        messages: 2_000,
        employees: 100_000,
        data_dir: None,
        database_url: None,
        connections: 64,
        seconds: 10,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < argv.len() {
        let val = argv.get(i + 1).cloned().unwrap_or_default();
        match argv[i].as_str() {
            "--suite" => {
                a.suites = match val.as_str() {
                    "transfers" => vec!["transfers"],
                    "reminders" => vec!["reminders"],
                    "delivery" => vec!["delivery"],
                    "import" => vec!["import"],
                    "http" => vec!["http"],
                    "all" => vec!["transfers", "reminders", "delivery", "import", "http"],
                    other => panic!(
                        "unknown suite {other} (transfers, reminders, delivery, import, http, all)"
                    ),
                }
            }
            "--transfers" => a.transfers = val.parse().expect("--transfers N"),
            "--assignments" => a.assignments = val.parse().expect("--assignments N"),
            "--messages" => a.messages = val.parse().expect("--messages N"),
            "--employees" => a.employees = val.parse().expect("--employees N"),
            "--data-dir" => a.data_dir = Some(val.clone().into()),
            "--database-url" => a.database_url = Some(val.clone()),
            "--connections" => a.connections = val.parse().expect("--connections N"),
            "--seconds" => a.seconds = val.parse().expect("--seconds S"),
            "--runs" => a.runs = val.parse().expect("--runs R"),
            "--backend" => {
                a.backends = match val.as_str() {
                    "sqlite" => vec!["sqlite"],
                    "postgres" => vec!["postgres"],
                    _ => vec!["sqlite", "postgres"],
                }
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

/// A fresh, migrated database: a SQLite file in a temporary directory, or a
/// new PostgreSQL database (dropped with the guard).
pub async fn fresh_database(
    backend: &str,
) -> (
    sea_orm::DatabaseConnection,
    Option<jejak_tests::PgDatabase>,
    tempfile::TempDir,
) {
    let dir = tempfile::tempdir().unwrap();
    let pg = if backend == "postgres" {
        Some(jejak_tests::PgDatabase::create().await)
    } else {
        None
    };
    let config = app::backend::config::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: pg.as_ref().map(|p| p.url.clone()).unwrap_or_default(),
        ..Default::default()
    };
    let db = jejak::startup::open_database(&config)
        .await
        .expect("database");
    (db, pg, dir)
}

/// Sorts `times` and returns (median, min, max).
pub fn median(times: &mut [f64]) -> (f64, f64, f64) {
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

/// User + system CPU seconds of this process (Linux), to tell Jejak's own
/// work apart from time spent waiting for the database.
pub fn own_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Peak resident memory of this process so far, in MiB (Linux `VmHWM`).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    println!(
        "jejak-bench: suites {:?}, backends {:?}, {} runs, {} cores",
        args.suites,
        args.backends,
        args.runs,
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    for suite in args.suites.clone() {
        match suite {
            "transfers" => transfers::bench(&args).await,
            "reminders" => reminders::bench_tick(&args).await,
            "delivery" => reminders::bench_delivery(&args).await,
            "import" => import::bench(&args).await,
            "http" => http::bench(&args).await,
            _ => unreachable!(),
        }
    }
}
