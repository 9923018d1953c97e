//! `jejak-synth`: writes the large synthetic organisation of the benchmarks
//! and load tests (`jejak_tests::synthetic`) into Jejak's database. Test
//! data, so it lives here and not in the production `jejak` binary.
//!
//!     jejak-synth [--data-dir DIR] [--config FILE] [--employees N]
//!                 [--transfers N] [--seed S]
//!
//! The database is found as `jejak` finds it (`--data-dir`, `--config`,
//! `jejak.toml`, `JEJAK_*`); it gets the demo data first.

use std::process::ExitCode;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use jejak::{cli::GlobalArgs, config};
use jejak_tests::synthetic;

/// The server's allocator, so the seed's timings match `jejak`'s (docs/BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "jejak-synth",
    about = "Organisasi sintetis besar untuk uji skala, di atas data demo; menolak database yang sudah memilikinya / a large synthetic organisation for scale tests, on top of the demo data; refuses a database that has one",
    long_about = None,
)]
struct Args {
    #[command(flatten)]
    global: GlobalArgs,
    /// Jumlah pegawai sintetis / synthetic employees
    #[arg(long, default_value_t = 100_000)]
    employees: usize,
    /// Jumlah mutasi / transfers [default: 2 per employee: 100,000 employees give about 1,000,000 assignments]
    #[arg(long)]
    transfers: Option<usize>,
    /// Benih acak: data yang sama untuk benih dan hari yang sama / random seed: the same data for the same seed and day
    #[arg(long, default_value_t = 2026)]
    seed: u64,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = synthetic::Options {
        employees: args.employees,
        transfers: args
            .transfers
            .unwrap_or_else(|| synthetic::default_transfers(args.employees)),
        seed: args.seed,
    };
    let (config, _file) = match config::load(&args.global, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jejak-synth: {e}");
            return ExitCode::from(2);
        }
    };
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&config.log));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jejak-synth: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let today = chrono::Utc::now().with_timezone(&config.tz()).date_naive();
    match runtime.block_on(synthetic::run(&config, today, options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("jejak-synth: {e:#}");
            ExitCode::FAILURE
        }
    }
}
