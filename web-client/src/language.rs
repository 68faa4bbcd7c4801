//! The language every screen speaks: one of the six official languages of the United Nations,
//! chosen once when the page loads and kept for its life.
//!
//! The words come from the message catalogues in `locales/{language}/{namespace}.json`, compiled
//! in by `leptos_i18n` (build.rs): a key that does not exist does not compile, and `tests` below
//! fail when a language lacks a key, a placeholder, or a plural form its grammar needs.
//!
//! The language is, in this order: `?lang=` in the link (not remembered: a shared link does not
//! change anyone's choice), the one the person picked before on this browser (local storage), the
//! first of the browser's languages that is one of the six, and English. The room display keeps a
//! choice of its own, so that a display per booth can show its language while the laptop driving
//! it keeps the chair's. Changing the language loads the page again: every screen is drawn once in
//! one language, and nothing half-translated stays on the screen.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use crate::i18n::Locale;

/// A message of the catalogue in the page's language, as a `&'static str`; with arguments
/// (`tr!(live.chair_sees, seen = …)`) something that displays, for `format!` or `.to_string()`.
/// A plural message goes through `trn!` instead.
#[macro_export]
macro_rules! tr {
    ($($key:tt)*) => {
        $crate::i18n::td_string!($crate::language::locale(), $($key)*)
    };
}

/// A plural message of the catalogue in the page's language, in the form its grammar uses for
/// `count` (CLDR's rules, through [`plural`]), as a `String`: `trn!(live.people_waiting, count =
/// n)`, with `count` first and any other arguments after it. The catalogues write only the forms a
/// language has (`people_waiting_one`, `people_waiting_few`, …); build.rs makes the six.
#[macro_export]
macro_rules! trn {
    ($ns:ident . $key:ident, count = $count:expr $(, $arg:ident = $value:expr)* $(,)?) => {{
        let count = $count;
        match $crate::language::plural(i64::try_from(count).unwrap_or(i64::MAX)) {
            $crate::language::Plural::Zero => $crate::tr!($ns.$key.zero, count = count $(, $arg = $value)*).to_string(),
            $crate::language::Plural::One => $crate::tr!($ns.$key.one, count = count $(, $arg = $value)*).to_string(),
            $crate::language::Plural::Two => $crate::tr!($ns.$key.two, count = count $(, $arg = $value)*).to_string(),
            $crate::language::Plural::Few => $crate::tr!($ns.$key.few, count = count $(, $arg = $value)*).to_string(),
            $crate::language::Plural::Many => $crate::tr!($ns.$key.many, count = count $(, $arg = $value)*).to_string(),
            $crate::language::Plural::Other => $crate::tr!($ns.$key.other, count = count $(, $arg = $value)*).to_string(),
        }
    }};
}

/// CLDR's cardinal plural categories: which form of a plural message a number takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

impl Plural {
    /// The category CLDR names `name` (`"few"`); `Other` for anything else.
    fn named(name: &str) -> Plural {
        match name {
            "zero" => Plural::Zero,
            "one" => Plural::One,
            "two" => Plural::Two,
            "few" => Plural::Few,
            "many" => Plural::Many,
            _ => Plural::Other,
        }
    }
}

/// The plural category of `count` in the page's language: the browser's `Intl.PluralRules`
/// (nothing in the bundle), `Other` if the browser has none.
#[cfg(target_arch = "wasm32")]
pub fn plural(count: i64) -> Plural {
    crate::browser::plural_rules().map_or(Plural::Other, |rules| Plural::named(&rules.select(count as f64)))
}

/// Natively (the tests), the same CLDR rules from ICU4X.
#[cfg(not(target_arch = "wasm32"))]
pub fn plural(count: i64) -> Plural {
    let locale: icu_locale_core::Locale = tag(locale()).parse().expect("a language tag");
    let rules = icu_plurals::PluralRules::try_new_cardinal((&locale).into()).expect("compiled plural rules");
    Plural::named(category_name(rules.category_for(count)))
}

#[cfg(not(target_arch = "wasm32"))]
fn category_name(category: icu_plurals::PluralCategory) -> &'static str {
    use icu_plurals::PluralCategory;
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// The six languages in the order the UN lists them, each with its name in itself: the picker's
/// options, which a reader of that language finds whatever the page's language.
pub const LANGUAGES: [(Locale, &str); 6] = [
    (Locale::ar, "العربية"),
    (Locale::zh, "中文"),
    (Locale::en, "English"),
    (Locale::fr, "Français"),
    (Locale::ru, "Русский"),
    (Locale::es, "Español"),
];

/// Where a screen's choice is remembered: the room display on its own, every other screen together.
const SITE_KEY: &str = "rostrum.language";
const DISPLAY_KEY: &str = "rostrum.display-language";

thread_local! {
    static CURRENT: Cell<Locale> = const { Cell::new(Locale::en) };
}

/// The page's language.
pub fn locale() -> Locale {
    CURRENT.with(Cell::get)
}

/// Sets the page's language (tests set it to check a catalogue's sentences).
pub fn set(locale: Locale) {
    CURRENT.with(|current| current.set(locale));
}

/// A language from a tag the way browsers and links write it (`fr`, `fr-CA`, `zh-Hans-CN`,
/// `AR`); `None` when it is not one of the six.
pub fn parse(tag: &str) -> Option<Locale> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    LANGUAGES.iter().map(|(l, _)| *l).find(|l| leptos_i18n::Locale::as_str(*l) == primary)
}

/// The language of a page at `path` whose link asks for `asked` (`?lang=`), whose browser
/// remembers `remembered` for that screen, and whose browser's languages are `preferred`.
pub fn choose(asked: Option<&str>, remembered: Option<&str>, preferred: &[String]) -> Locale {
    asked
        .and_then(parse)
        .or_else(|| remembered.and_then(parse))
        .or_else(|| preferred.iter().find_map(|tag| parse(tag)))
        .unwrap_or(Locale::en)
}

/// Which key remembers the choice of the screen at `path`.
fn memory_key(path: &str) -> &'static str {
    if path.trim_end_matches('/') == "/display" {
        DISPLAY_KEY
    } else {
        SITE_KEY
    }
}

/// The language's tag (`ar`) and writing direction (`rtl`), for `lang` and `dir`.
pub fn tag(locale: Locale) -> &'static str {
    leptos_i18n::Locale::as_str(locale)
}

pub fn direction(locale: Locale) -> &'static str {
    match locale {
        Locale::ar => "rtl",
        _ => "ltr",
    }
}

/// Chooses the page's language from its address, the browser's memory and its languages, and
/// sets `lang` and `dir` on the document; before anything is drawn.
pub fn start() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let asked = crate::link::param(&search, "lang");
    let remembered = crate::browser::remembered(memory_key(&path));
    let preferred: Vec<String> = window.navigator().languages().iter().filter_map(|v| v.as_string()).collect();
    let chosen = choose(asked.as_deref(), remembered.as_deref(), &preferred);
    set(chosen);
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", tag(chosen));
        let _ = root.set_attribute("dir", direction(chosen));
    }
}

/// Remembers `locale` for this screen and loads the page again in it, without the link's
/// `?lang=` (which would win over the choice).
fn switch_to(locale: Locale) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    crate::browser::remember(memory_key(&path), tag(locale));
    let search = location.search().unwrap_or_default();
    let kept = crate::link::without_param(&search, "lang");
    let hash = location.hash().unwrap_or_default();
    let _ = location.replace(&format!("{path}{kept}{hash}"));
}

/// The language picker: the six languages, each named in itself, the page's own selected.
/// Choosing one loads the page again in it and remembers it on this browser.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let current = locale();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(chosen) = parse(&event_target_value(&ev)) {
            if chosen != current {
                switch_to(chosen);
            }
        }
    };
    view! {
        <nav class="language-picker" aria-label=tr!(common.language)>
            <label>
                <span class="language-label">{tr!(common.language)}</span>
                " "
                <select class="language" on:change=on_change>
                    {LANGUAGES
                        .iter()
                        .map(|(l, name)| {
                            view! {
                                <option value=tag(*l) lang=tag(*l) selected=*l == current>
                                    {*name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        </nav>
    }
}

/// `JsValue` of the page's language, for the browser's `Intl` formats.
pub fn js_tag() -> JsValue {
    JsValue::from_str(tag(locale()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn a_link_asking_for_a_language_wins_over_memory_and_browser() {
        let browser = ["fr-CA".to_string()];
        assert_eq!(choose(Some("ar"), Some("zh"), &browser), Locale::ar);
        assert_eq!(choose(Some("de"), Some("zh"), &browser), Locale::zh);
        assert_eq!(choose(None, None, &browser), Locale::fr);
    }

    #[test]
    fn the_first_of_the_browsers_languages_that_is_one_of_the_six_is_taken() {
        let browser = ["de-CH".to_string(), "zh-Hans-CN".to_string(), "en".to_string()];
        assert_eq!(choose(None, None, &browser), Locale::zh);
        assert_eq!(choose(None, None, &["pt-BR".to_string()]), Locale::en);
        assert_eq!(choose(None, Some("nonsense"), &[]), Locale::en);
    }

    #[test]
    fn tags_are_read_the_way_browsers_and_people_write_them() {
        assert_eq!(parse("RU"), Some(Locale::ru));
        assert_eq!(parse("es-419"), Some(Locale::es));
        assert_eq!(parse("zh_TW"), Some(Locale::zh));
        assert_eq!(parse(""), None);
        assert_eq!(direction(Locale::ar), "rtl");
        assert_eq!(direction(Locale::zh), "ltr");
    }

    /// Every catalogue, as language → namespace → key (plural forms merged) → the forms, each with
    /// its text.
    type Catalogues = BTreeMap<String, BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>>;

    const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

    fn catalogues() -> Catalogues {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut all = Catalogues::new();
        for (locale, _) in LANGUAGES {
            for entry in std::fs::read_dir(root.join(tag(locale))).unwrap() {
                let path = entry.unwrap().path();
                let namespace = path.file_stem().unwrap().to_string_lossy().to_string();
                let text = std::fs::read_to_string(&path).unwrap();
                let messages: BTreeMap<String, String> =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let keys = all.entry(tag(locale).to_string()).or_default().entry(namespace).or_default();
                for (key, text) in messages {
                    let (base, form) = match key.rsplit_once('_') {
                        Some((base, form)) if PLURAL_FORMS.contains(&form) => (base.to_string(), form.to_string()),
                        _ => (key.clone(), String::new()),
                    };
                    keys.entry(base).or_default().insert(form, text);
                }
            }
        }
        all
    }

    /// The names inside `{{ }}` in a message's forms, without the plural count.
    fn placeholders(forms: &BTreeMap<String, String>) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for text in forms.values() {
            for part in text.split("{{").skip(1) {
                let name = part.split("}}").next().unwrap_or("").trim();
                if name != "count" {
                    names.insert(name.to_string());
                }
            }
        }
        names
    }

    /// The plural forms (CLDR's cardinal categories) the language's grammar distinguishes.
    fn plural_forms(locale: Locale) -> BTreeSet<String> {
        let language: icu_locale_core::Locale = tag(locale).parse().unwrap();
        let rules = icu_plurals::PluralRules::try_new_cardinal((&language).into()).unwrap();
        rules.categories().map(category_name).map(String::from).collect()
    }

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders_and_its_own_plural_forms() {
        let all = catalogues();
        let english = &all["en"];
        let mut problems = Vec::new();
        for (locale, _) in LANGUAGES {
            let language = &all[tag(locale)];
            let forms_needed = plural_forms(locale);
            for (namespace, keys) in english {
                let theirs = language.get(namespace).cloned().unwrap_or_default();
                for (key, forms) in keys {
                    let Some(their_forms) = theirs.get(key) else {
                        problems.push(format!("{}: {namespace}.{key} is missing", tag(locale)));
                        continue;
                    };
                    if placeholders(forms) != placeholders(their_forms) {
                        problems.push(format!(
                            "{}: {namespace}.{key} has placeholders {:?}, English {:?}",
                            tag(locale),
                            placeholders(their_forms),
                            placeholders(forms)
                        ));
                    }
                    // A language with one form (Chinese) writes a plural message as a plain one,
                    // with `{{ count }}` where the number goes (build.rs makes the six forms of
                    // `trn!` from it).
                    let one_form = forms_needed.len() == 1;
                    let plural = !forms.contains_key("");
                    let theirs_plural = !their_forms.contains_key("");
                    let written: BTreeSet<String> = their_forms.keys().cloned().collect();
                    let right = match (plural, theirs_plural) {
                        (false, false) => true,
                        (true, true) => written == forms_needed && !one_form,
                        (true, false) => one_form,
                        (false, true) => false,
                    };
                    if !right {
                        problems.push(format!(
                            "{}: {namespace}.{key} has the forms {written:?}, the language needs {forms_needed:?} (one form: a plain message)",
                            tag(locale)
                        ));
                    }
                    let empty = their_forms.values().any(|t| t.trim().is_empty());
                    if empty {
                        problems.push(format!("{}: {namespace}.{key} is empty", tag(locale)));
                    }
                }
                for key in theirs.keys().filter(|k| !keys.contains_key(*k)) {
                    problems.push(format!("{}: {namespace}.{key} is not in English", tag(locale)));
                }
            }
        }
        assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    }

    #[test]
    fn the_check_of_the_catalogues_knows_each_languages_plural_forms() {
        let forms = |l| plural_forms(l).into_iter().collect::<Vec<_>>().join(" ");
        assert_eq!(forms(Locale::en), "one other");
        assert_eq!(forms(Locale::ru), "few many one other");
        assert_eq!(forms(Locale::ar), "few many one other two zero");
        assert_eq!(forms(Locale::zh), "other");
    }

    #[test]
    fn the_room_display_remembers_its_language_apart_from_the_other_screens() {
        assert_eq!(memory_key("/display"), DISPLAY_KEY);
        assert_eq!(memory_key("/speak"), SITE_KEY);
        assert_eq!(memory_key("/chair"), SITE_KEY);
    }
}
