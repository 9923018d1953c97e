//! Compiles the translations in `locales/<lang>/<namespace>.json` into the
//! `i18n` module (leptos_i18n): a key missing from the code is a compile
//! error, and the strings ship inside the binary and the WebAssembly client.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::{error::Error, path::PathBuf};

/// One namespace per part of the interface; `common` holds what several share.
pub const NAMESPACES: [&str; 17] = [
    "common",
    "sign_in",
    "password",
    "home",
    "my_training",
    "trainer",
    "manager",
    "person",
    "transfers",
    "catalogue",
    "accounts",
    "organisation",
    "reminders_admin",
    "api_tokens",
    "exports",
    "import",
    "mail",
];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=locales");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?).join("i18n");
    // Indonesian first: it is the default, English the second language.
    let cfg = Config::new("id")?
        .add_locale("en")?
        .add_namespaces(NAMESPACES)?
        // td_string! with values ("{{ n }} hari lagi") for attributes, titles
        // and the text the server composes.
        .parse_options(ParseOptions::new().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
