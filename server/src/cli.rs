//! The command line: `jejak [serve|migrate|seed]`.

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
pub struct SeedArgs {
    /// Data demo: unit kerja Kota Medan dan pegawai contoh (aman diulang) / demo data (idempotent)
    #[arg(long, required = true)]
    pub demo: bool,
}
