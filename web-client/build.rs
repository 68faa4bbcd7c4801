//! Compiles the message catalogues in `locales/{language}/{namespace}.json` into the `i18n`
//! module (`leptos_i18n`): a key missing from a language, or a placeholder that differs, is a
//! warning here and an error in `tests::catalogues` (see src/language.rs).

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    let config = Config::new("en")?
        .add_locales(["ar", "zh", "fr", "ru", "es"])?
        .add_namespaces(["common", "errors", "live", "chair", "desk", "accreditation", "portal"])?
        // Messages with placeholders are also wanted as text (`tr!` → `td_string!`), not only views.
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.rerun_if_locales_changed();
    translations.generate_i18n_module(out)?;
    Ok(())
}
