//! The command line: `jejak [serve|migrate|seed|reminders|import|backup|restore]`.
//! Product commands only: test data (the synthetic organisation) is the
//! test crate's `jejak-synth`.

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "jejak",
    version,
    about = "Jejak — pelatihan dan adaptasi pegawai setelah mutasi / training and onboarding after a civil-servant transfer",
    long_about = None,
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Direktori data (database SQLite dan berkas) / data directory [env: JEJAK_DATA_DIR] [default: data]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Berkas konfigurasi / configuration file [env: JEJAK_CONFIG] [default: ./jejak.toml if present]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Menjalankan server web (bawaan) / run the web server (the default)
    Serve(ServeArgs),
    /// Menjalankan migrasi database lalu keluar / apply database migrations and exit
    Migrate,
    /// Mengisi database dengan data / load data into the database
    Seed(SeedArgs),
    /// Pengingat email / reminder emails
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Impor berkas CSV (pegawai, mutasi, riwayat) / import a CSV file (employees, transfers, history)
    Import(ImportArgs),
    /// Cadangkan database SQLite ke berkas baru, juga saat Jejak berjalan / back up the SQLite database into a new file, also while Jejak runs
    Backup(BackupArgs),
    /// Pulihkan database SQLite dari cadangan (Jejak harus berhenti) / restore the SQLite database from a backup (Jejak must be stopped)
    Restore(RestoreArgs),
}

#[derive(Debug, Args, Clone)]
pub struct BackupArgs {
    /// Berkas cadangan yang akan dibuat (tidak boleh sudah ada) / the backup file to create (must not exist)
    pub file: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct RestoreArgs {
    /// Berkas cadangan dari `jejak backup` / a backup file from `jejak backup`
    pub file: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct ImportArgs {
    /// Jenis isi berkas: pegawai|mutasi|riwayat (atau employees|transfers|history) / what the file holds
    #[arg(value_parser = parse_import_kind)]
    pub kind: app::domain::import::ImportKind,
    /// Berkas CSV (UTF-8, pemisah , atau ;) / the CSV file
    pub file: PathBuf,
    /// Hanya pratinjau: periksa dan tampilkan, tidak menyimpan apa pun / preview only, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Impor baris yang sah saja; baris yang ditolak dilewati / import the valid rows, leave out rejected ones
    #[arg(long)]
    pub only_valid: bool,
    /// Buat unit dan jabatan yang belum ada / create units and positions that do not exist yet
    #[arg(long)]
    pub create_missing: bool,
    /// Keluaran: text atau json / output format
    #[arg(long, value_enum, default_value_t = PreviewFormat::Text)]
    pub format: PreviewFormat,
}

fn parse_import_kind(raw: &str) -> Result<app::domain::import::ImportKind, String> {
    app::domain::import::ImportKind::parse(raw).ok_or_else(|| {
        format!("jenis tidak dikenal / unknown kind {raw:?}: pegawai|mutasi|riwayat (employees|transfers|history)")
    })
}

#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Apa yang akan dikirim pada waktu itu, tanpa mengirim apa pun / what would be sent at that moment, sending nothing
    Preview(PreviewArgs),
    /// Satu putaran sekarang: putuskan, antrekan, kirim semua yang jatuh tempo, lalu keluar / one tick now: decide, queue, send everything due, then exit
    RunOnce(RunOnceArgs),
}

#[derive(Debug, Args, Clone, Default)]
pub struct RunOnceArgs {
    /// Antrekan juga ringkasan mingguan manajer minggu ini / also queue this week's manager digest
    #[arg(long)]
    pub digest: bool,
}

#[derive(Debug, Args, Clone)]
pub struct PreviewArgs {
    /// Waktu setempat (zona `timezone`): "2026-12-01 07:00", "2026-12-01T07:00" atau "2026-12-01" / local date-time
    #[arg(long, value_name = "DATE-TIME")]
    pub at: String,
    /// Keluaran: text atau json / output format
    #[arg(long, value_enum, default_value_t = PreviewFormat::Text)]
    pub format: PreviewFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PreviewFormat {
    Text,
    Json,
}

/// A local date-time as people type it: `2026-12-01 07:00`, `2026-12-01T07:00`
/// (seconds allowed) or a bare date (07:00, when reminders go out by default).
pub fn parse_local_date_time(raw: &str) -> Result<chrono::NaiveDateTime, String> {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    let raw = raw.trim();
    for fmt in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(raw, fmt) {
            return Ok(t);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Ok(d.and_time(NaiveTime::from_hms_opt(7, 0, 0).expect("07:00")));
    }
    Err(format!(
        "waktu tidak valid / invalid date-time: {raw:?} (contoh / example: \"2026-12-01 07:00\")"
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_local_date_time;

    #[test]
    fn date_times_in_the_usual_shapes_and_impossible_ones_refused() {
        let want = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(7, 0, 0)
            .unwrap();
        for raw in [
            "2026-12-01 07:00",
            "2026-12-01T07:00",
            "2026-12-01T07:00:00",
            "2026-12-01",
        ] {
            assert_eq!(parse_local_date_time(raw).unwrap(), want, "{raw}");
        }
        for raw in ["2026-02-30", "besok", "2026-12-01 25:00", ""] {
            assert!(
                parse_local_date_time(raw).unwrap_err().contains("invalid"),
                "{raw}"
            );
        }
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    /// Alamat HOST:PORT untuk mendengarkan / address to listen on [env: JEJAK_ADDR] [default: 127.0.0.1:3000]
    #[arg(long, value_name = "HOST:PORT")]
    pub addr: Option<SocketAddr>,
    /// Muat data demo bila database masih kosong / load demo data when the database is empty
    #[arg(long)]
    pub demo: bool,
}

#[derive(Debug, Args, Clone)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["demo"])))]
pub struct SeedArgs {
    /// Data demo: unit kerja Kota Medan dan pegawai contoh (aman diulang) / demo data (idempotent)
    #[arg(long)]
    pub demo: bool,
}
