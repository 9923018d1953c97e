//! Loading the configuration: built-in defaults, then `jejak.toml`, then
//! `JEJAK_*` environment variables, then command-line flags.

use std::path::{Path, PathBuf};

use figment::{
    providers::{Env, Format, Serialized, Toml},
    Figment,
};

use crate::cli::GlobalArgs;
use app::backend::config::Config;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("berkas konfigurasi tidak ditemukan / configuration file not found: {0}")]
    Missing(PathBuf),
    #[error("konfigurasi tidak valid / invalid configuration: {0}")]
    Invalid(String),
}

/// Where the configuration file is: `--config`, else `JEJAK_CONFIG`, else `./jejak.toml` if present.
fn config_file(global: &GlobalArgs) -> Result<Option<PathBuf>, ConfigError> {
    let explicit = global
        .config
        .clone()
        .or_else(|| std::env::var_os("JEJAK_CONFIG").map(PathBuf::from));
    match explicit {
        Some(p) if p.is_file() => Ok(Some(p)),
        Some(p) => Err(ConfigError::Missing(p)),
        None => Ok(Some(PathBuf::from("jejak.toml")).filter(|p| p.is_file())),
    }
}

pub fn load(
    global: &GlobalArgs,
    addr: Option<std::net::SocketAddr>,
) -> Result<(Config, Option<PathBuf>), ConfigError> {
    let file = config_file(global)?;
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    if let Some(f) = &file {
        figment = figment.merge(Toml::file(f));
    }
    // Only known keys come from the environment: other JEJAK_* variables
    // (used by scripts and tests) are not configuration. Unknown ones are
    // reported by `unknown_env_keys` so a typo does not go unnoticed.
    let known = known_keys();
    figment = figment.merge(
        Env::prefixed("JEJAK_")
            .filter(move |k| known.iter().any(|n| k.as_str().eq_ignore_ascii_case(n))),
    );
    let mut config: Config = figment
        .extract()
        .map_err(|e| ConfigError::Invalid(e.to_string()))?;
    if let Some(dir) = &global.data_dir {
        config.data_dir = dir.clone();
    }
    if let Some(addr) = addr {
        config.addr = addr;
    }
    config.validate().map_err(ConfigError::Invalid)?;
    Ok((config, file))
}

fn known_keys() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// `JEJAK_*` variables that are not configuration keys (nor the config file), for a start-up warning.
pub fn unknown_env_keys() -> Vec<String> {
    let known = known_keys();
    std::env::vars()
        .filter_map(|(k, _)| k.strip_prefix("JEJAK_").map(str::to_lowercase))
        .filter(|k| k != "config" && !k.starts_with("test") && !known.contains(k))
        .map(|k| format!("JEJAK_{}", k.to_uppercase()))
        .collect()
}

pub fn describe_source(file: Option<&Path>) -> String {
    match file {
        Some(f) => format!("bawaan + {} + JEJAK_* + argumen", f.display()),
        None => "bawaan + JEJAK_* + argumen (tanpa jejak.toml)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // figment::Jail isolates env and cwd, so these tests do not race each other.
    #[test]
    fn layers_apply_in_order_defaults_file_env_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "jejak.toml",
                "addr = \"127.0.0.1:4000\"\ntimezone = \"Asia/Makassar\"\nlog = \"debug\"",
            )?;
            jail.set_env("JEJAK_TIMEZONE", "Asia/Jayapura");
            let (c, file) = load(&GlobalArgs::default(), None).map_err(|e| e.to_string())?;
            assert_eq!(file, Some(PathBuf::from("jejak.toml")));
            assert_eq!(c.addr.port(), 4000); // file beats default
            assert_eq!(c.timezone, "Asia/Jayapura"); // env beats file
            assert_eq!(c.log, "debug");
            assert_eq!(c.default_language, "id"); // default kept
            let flags = GlobalArgs {
                data_dir: Some("/tmp/x".into()),
                config: None,
            };
            let (c, _) =
                load(&flags, Some("127.0.0.1:5000".parse().unwrap())).map_err(|e| e.to_string())?;
            assert_eq!(c.addr.port(), 5000); // flag beats file
            assert_eq!(c.data_dir, PathBuf::from("/tmp/x"));
            Ok(())
        });
    }

    #[test]
    fn env_alone_chooses_addr_and_data_dir() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("JEJAK_ADDR", "0.0.0.0:8080");
            jail.set_env("JEJAK_DATA_DIR", "/var/lib/jejak");
            let (c, _) = load(&GlobalArgs::default(), None).map_err(|e| e.to_string())?;
            assert_eq!(c.addr.to_string(), "0.0.0.0:8080");
            assert_eq!(c.data_dir, PathBuf::from("/var/lib/jejak"));
            Ok(())
        });
    }

    #[test]
    fn bad_values_are_named() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("JEJAK_ADDR", "not-an-address");
            let err = load(&GlobalArgs::default(), None).unwrap_err().to_string();
            assert!(err.contains("addr"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|jail| {
            jail.create_file("jejak.toml", "colour = \"green\"")?;
            let err = load(&GlobalArgs::default(), None).unwrap_err().to_string();
            assert!(err.contains("colour"), "{err}");
            Ok(())
        });
        figment::Jail::expect_with(|_jail| {
            let flags = GlobalArgs {
                data_dir: None,
                config: Some("/nonexistent/jejak.toml".into()),
            };
            let err = load(&flags, None).unwrap_err().to_string();
            assert!(err.contains("/nonexistent/jejak.toml"), "{err}");
            Ok(())
        });
    }
}
