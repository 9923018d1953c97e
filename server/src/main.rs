//! `jejak`: the server binary. See `jejak --help`.
//!
//! `main` reads the command line and the configuration, then hands the
//! command to its function below: one function per command, in the order
//! of the table in `main`.

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use tracing_subscriber::EnvFilter;

use app::backend::config::Config;
use jejak::{
    cli::{
        BackupArgs, Cli, Command, ImportArgs, PreviewArgs, PreviewFormat, RemindersCommand,
        RestoreArgs, RunOnceArgs, ServeArgs,
    },
    config, seed,
    startup::{open_database, shutdown_signal, Application},
};

/// mimalloc instead of glibc's malloc: see server/Cargo.toml and docs/BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve(ServeArgs::default()));
    let addr = match &command {
        Command::Serve(args) => args.addr,
        _ => None,
    };
    let (config, file) = match config::load(&cli.global, addr) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("jejak: {e}");
            return ExitCode::from(2);
        }
    };
    start_logging(&config);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("jejak: tidak dapat memulai runtime / cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match command {
            Command::Serve(args) => serve(config, file, args).await,
            Command::Migrate => migrate(&config).await,
            Command::Seed(_) => seed_demo(&config).await,
            Command::Reminders(RemindersCommand::Preview(args)) => {
                reminders_preview(&config, args).await
            }
            Command::Reminders(RemindersCommand::RunOnce(args)) => {
                reminders_run_once(&config, args).await
            }
            Command::Import(args) => import(&config, args).await,
            Command::Backup(args) => backup(&config, args).await,
            Command::Restore(args) => restore(&config, args).await,
        }
    });
    exit_code(result)
}

/// Logs go to stderr, filtered by `RUST_LOG` or else the `log` setting.
fn start_logging(config: &Config) {
    let filter =
        EnvFilter::try_from_env("RUST_LOG").unwrap_or_else(|_| EnvFilter::new(&config.log));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .init();
    for key in config::unknown_env_keys() {
        tracing::warn!("variabel lingkungan tidak dikenal / unknown environment variable: {key}");
    }
}

/// Success, or the error logged and printed, and exit code 1.
fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            eprintln!("jejak: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `jejak [serve]`: the web server until Ctrl-C or SIGTERM; with `--demo`,
/// the demo data on an empty database first.
async fn serve(config: Config, file: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<()> {
    tracing::info!(
        "konfigurasi / configuration ({}):\n{}",
        config::describe_source(file.as_deref()),
        config.redacted_toml()
    );
    // Held until the process ends: `jejak restore` refuses while it is.
    let _running = jejak::backup::hold_serve_lock(&config.data_dir)?;
    let app = Application::build(config).await?;
    if args.demo {
        let db = &app.state().db;
        if seed::is_empty(db).await? {
            let today = app.state().now_local().date_naive();
            let summary = seed::everything(db, today, &app.state().config.checkin_days).await?;
            println!("Data demo dimuat / demo data loaded: {summary}");
            let reviews = seed::reviews::demo(db, today).await?;
            println!("Check-in demo ditulis / demo check-ins written: {reviews}");
        } else {
            // Data exists (an earlier run): the demo accounts are still printed.
            let logins = seed::accounts::demo(db).await?;
            print!("{}", seed::accounts::describe(&logins));
        }
    }
    let url = format!("http://{}", app.addr());
    tracing::info!("Jejak siap di / listening on {url}");
    println!("Jejak berjalan di {url}  (Ctrl-C untuk berhenti)");
    app.run_until(shutdown_signal()).await?;
    tracing::info!("Jejak berhenti / stopped");
    Ok(())
}

/// `jejak migrate`: the database brought up to date, then exit.
async fn migrate(config: &Config) -> anyhow::Result<()> {
    open_database(config).await?;
    println!(
        "Migrasi selesai / migrations applied: {}",
        app::backend::config::redact_url(&config.effective_database_url())
    );
    Ok(())
}

/// `jejak seed --demo` (its one, required, choice): the demo data
/// (idempotent) and its check-ins.
async fn seed_demo(config: &Config) -> anyhow::Result<()> {
    let today = chrono::Utc::now().with_timezone(&config.tz()).date_naive();
    let db = open_database(config).await?;
    let summary = seed::everything(&db, today, &config.checkin_days).await?;
    println!("Data demo dimuat / demo data loaded: {summary}");
    let reviews = seed::reviews::demo(&db, today).await?;
    println!("Check-in demo ditulis / demo check-ins written: {reviews}");
    Ok(())
}

/// `jejak reminders preview --at …`: what would be sent then, sending nothing.
async fn reminders_preview(config: &Config, args: PreviewArgs) -> anyhow::Result<()> {
    let at = match jejak::cli::parse_local_date_time(&args.at) {
        Ok(t) => t,
        Err(e) => anyhow::bail!(e),
    };
    let db = open_database(config).await?;
    let due = jejak::reminders::preview(&db, config, at).await?;
    match args.format {
        PreviewFormat::Json => println!("{}", serde_json::to_string_pretty(&due)?),
        PreviewFormat::Text => {
            println!(
                "Pengingat yang akan diantrekan pada {at} / reminders due at {at}: {}",
                due.len()
            );
            for r in &due {
                println!(
                    "{}\t{}\te{}",
                    r.key,
                    r.kind.as_str(),
                    r.recipient_employee_id
                );
            }
        }
    }
    Ok(())
}

/// `jejak reminders run-once`: one tick (decide, queue, send), then exit;
/// fails while messages stay queued.
async fn reminders_run_once(config: &Config, args: RunOnceArgs) -> anyhow::Result<()> {
    let db = open_database(config).await?;
    let r = jejak::reminders::run_once(&db, config, args.digest).await?;
    match &r.tick {
        Some(t) => println!(
            "Pengingat jatuh tempo / reminders due: {}; baru diantrekan / newly queued: {}; tanpa alamat email / no email address: {}",
            t.decided, t.inserted, t.skipped_no_email
        ),
        None => println!(
            "Instans lain baru saja menjalankan putaran ini (lease); tidak ada yang diputuskan di sini / another instance holds the lease; nothing decided here"
        ),
    }
    if let Some(n) = r.digests_queued {
        println!("Ringkasan mingguan diantrekan / digests queued: {n}");
    }
    let d = r.delivery;
    println!(
        "Terkirim / sent: {}; dibatalkan (sudah tidak relevan) / cancelled: {}; dicoba lagi nanti / retry later: {}; gagal / failed: {}; server surel tak terjangkau, menunggu / mail server unreachable, waiting: {}",
        d.sent, d.cancelled, d.retry_later, d.failed, d.postponed
    );
    if d.postponed > 0 || d.errors > 0 {
        anyhow::bail!(
            "sebagian pesan belum terkirim dan tetap di antrean / some messages were not sent and stay queued"
        );
    }
    Ok(())
}

/// `jejak import KIND FILE`: a CSV file checked and imported (or previewed
/// with `--dry-run`); fails when rows or the file were rejected.
async fn import(config: &Config, args: ImportArgs) -> anyhow::Result<()> {
    let db = open_database(config).await?;
    let options = app::backend::data::import::Options {
        only_valid: args.only_valid,
        create_missing: args.create_missing,
    };
    let outcome =
        jejak::import::run_cli(&db, config, args.kind, &args.file, options, args.dry_run).await?;
    match args.format {
        PreviewFormat::Json => println!("{}", serde_json::to_string_pretty(&outcome)?),
        PreviewFormat::Text => print!(
            "{}",
            jejak::import::describe(&outcome, config.default_language == "en")
        ),
    }
    if outcome.failed() {
        anyhow::bail!(
            "ada baris yang ditolak atau berkas ditolak / rows or the file were rejected"
        );
    }
    Ok(())
}

/// `jejak backup FILE`: the SQLite database copied into a new file.
async fn backup(config: &Config, args: BackupArgs) -> anyhow::Result<()> {
    let r = jejak::backup::backup(config, &args.file).await?;
    println!(
        "Cadangan selesai / backup written: {} ({} bytes, {:.2} s)",
        r.path.display(),
        r.bytes,
        r.seconds
    );
    print!("{}", jejak::backup::describe(&r.contents));
    Ok(())
}

/// `jejak restore FILE`: the SQLite database replaced by a backup (the
/// previous one kept), while no server runs.
async fn restore(config: &Config, args: RestoreArgs) -> anyhow::Result<()> {
    let r = jejak::backup::restore(config, &args.file).await?;
    println!(
        "Pemulihan selesai / restored: {} from {}",
        r.database.display(),
        args.file.display()
    );
    if let Some(p) = &r.previous {
        println!(
            "Database sebelumnya disimpan sebagai / the previous database was kept as: {}",
            p.display()
        );
    }
    print!("{}", jejak::backup::describe(&r.contents));
    Ok(())
}
