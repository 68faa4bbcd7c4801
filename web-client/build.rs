//! Compiles the message catalogues in `locales/{language}/{namespace}.json` into the `i18n`
//! module (`leptos_i18n`): a key missing from a language, or a placeholder that differs, is a
//! warning here and an error in `tests::catalogues` (see src/language.rs).
//!
//! Plural messages are written the CLDR way in the catalogues (`waiting_one`, `waiting_few`, …,
//! only the forms the language has; a plain message in Chinese, which has one form). The browser
//! chooses the form (`Intl.PluralRules`, src/language.rs) rather than ICU4X compiled into the
//! bundle, which cost about 17 KB of the participant's first load: so this script hands
//! `leptos_i18n` each plural message as six plain messages (`waiting.zero` … `waiting.other`) in
//! every language, a form the language does not have written as its `other`, which is never shown.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use serde_json::{Map, Value};
use std::collections::BTreeSet;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

const LOCALES: [&str; 6] = ["en", "ar", "zh", "fr", "ru", "es"];
const NAMESPACES: [&str; 7] = ["common", "errors", "live", "chair", "desk", "accreditation", "portal"];
/// CLDR's cardinal plural categories, the subkeys of an expanded plural message.
const FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?);
    let source =
        Path::new(&std::env::var_os("CARGO_MANIFEST_DIR").ok_or("CARGO_MANIFEST_DIR is not set")?).join("locales");
    let expanded = out.join("locales");
    for namespace in NAMESPACES {
        expand_plurals(&source, &expanded, namespace)?;
    }
    let config = Config::new("en")?
        .add_locales(LOCALES.into_iter().filter(|l| *l != "en"))?
        .add_namespaces(NAMESPACES)?
        .locales_path(expanded.to_string_lossy().into_owned())
        // Messages with placeholders are also wanted as text (`tr!` → `td_string!`), not only views.
        .parse_options(ParseOptions::default().interpolate_display(true));
    let translations = TranslationsInfos::parse(config)?;
    translations.emit_diagnostics();
    translations.generate_i18n_module(out.join("i18n"))?;
    Ok(())
}

/// Reads `namespace` in every language from `source` and writes it to `target` with each plural
/// message (one whose key ends in a CLDR category in some language) as an object of the six
/// categories.
fn expand_plurals(source: &Path, target: &Path, namespace: &str) -> Result<(), Box<dyn Error>> {
    let mut catalogues = Vec::new();
    for locale in LOCALES {
        let path = source.join(locale).join(format!("{namespace}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let messages: Map<String, Value> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        catalogues.push((locale, messages));
    }
    let plurals: BTreeSet<String> = catalogues
        .iter()
        .flat_map(|(_, messages)| messages.keys())
        .filter_map(|key| plural_base(key))
        .map(String::from)
        .collect();
    for (locale, messages) in catalogues {
        let mut written = Map::new();
        for (key, text) in &messages {
            if plural_base(key).is_some_and(|base| plurals.contains(base)) || plurals.contains(key) {
                continue;
            }
            written.insert(key.clone(), text.clone());
        }
        for base in &plurals {
            let form = |category: &str| messages.get(&format!("{base}_{category}"));
            // Chinese writes a plural message as a plain one.
            let Some(other) = form("other").or_else(|| messages.get(base.as_str())) else {
                // Missing: leptos_i18n reports it, and the catalogue test names it.
                continue;
            };
            let forms = FORMS.iter().map(|c| (c.to_string(), form(c).unwrap_or(other).clone())).collect();
            written.insert(base.clone(), Value::Object(forms));
        }
        let dir = target.join(locale);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(format!("{namespace}.json")), serde_json::to_string_pretty(&written)?)?;
    }
    Ok(())
}

/// `waiting` for `waiting_few`; `None` for a key that names no plural form.
fn plural_base(key: &str) -> Option<&str> {
    key.rsplit_once('_').filter(|(_, form)| FORMS.contains(form)).map(|(base, _)| base)
}
