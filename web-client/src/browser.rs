//! The few things the screens ask of the browser: the local clock, the address, randomness, time
//! of day in a time zone, Unicode normalisation, and a short sound. Everything else is plain Rust.

use std::cell::RefCell;

use shared::Millis;
use wasm_bindgen::prelude::*;
use web_sys::{AudioContext, OscillatorType};

use crate::link::Link;

/// The local clock, in milliseconds since the Unix epoch.
pub fn local_now() -> i64 {
    js_sys::Date::now() as i64
}

/// A random number in `[0, 1)`.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Two organisation names compare equal when their keys do: `shared::text::organisation_key`, with
/// the browser's own NFKC (`String.prototype.normalize`) in place of ICU4X's normalisation tables,
/// which would add 60 KB to the module a phone loads (see `shared::text::organisation_key_with`).
/// Off the browser (the unit tests), ICU4X's.
pub fn organisation_key(name: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    let key = shared::text::organisation_key_with(name, |text| js_sys::JsString::from(text).normalize("NFKC").into());
    #[cfg(not(target_arch = "wasm32"))]
    let key = shared::text::organisation_key(name);
    key
}

/// A few random hex digits that tell this page load's command ids apart from any other's.
pub fn random_tag() -> String {
    format!("w{:08x}{:04x}", (random() * f64::from(u32::MAX)) as u32, (random() * 65_535.0) as u32)
}

/// The link at `path`, `query` and `fragment` (the router's location). A `#token=` is read once: it
/// moves to this tab's `sessionStorage` (for reloads of the same screen; gone with the tab) and
/// leaves the address bar and the history, so that it is not shown on a projector, caught in a
/// screenshot or left in the browser's history. The router is not told: its location keeps the
/// fragment, so the screen keeps its token.
pub fn link(path: &str, query: &str, fragment: &str) -> Link {
    let window = web_sys::window().expect("a window");
    let query = if query.is_empty() || query.starts_with('?') { query.to_string() } else { format!("?{query}") };
    let mut link = Link::parse(&query, fragment);
    let key = format!("rostrum.token {path}{query}");
    let storage = window.session_storage().ok().flatten();
    match (&link.token, &storage) {
        (Some(token), Some(storage)) => {
            let _ = storage.set_item(&key, token);
        }
        (None, Some(storage)) if came_back(&window) => {
            link.token = storage.get_item(&key).ok().flatten().filter(|t| !t.is_empty())
        }
        _ => {}
    }
    if fragment.contains("token=") {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{query}")));
        }
    }
    link
}

/// Whether this page load is a reload, or a step back or forward through the history, rather than
/// a link followed: only then is the token this screen was opened with still meant.
fn came_back(window: &web_sys::Window) -> bool {
    let get = |object: &JsValue, key: &str| js_sys::Reflect::get(object, &JsValue::from_str(key)).ok();
    let Some(performance) = get(window.as_ref(), "performance") else { return false };
    let entries = get(&performance, "getEntriesByType")
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&performance, &JsValue::from_str("navigation")).ok());
    let kind = entries.and_then(|entries| get(&entries, "0")).and_then(|entry| get(&entry, "type"));
    matches!(kind.and_then(|k| k.as_string()).as_deref(), Some("reload" | "back_forward"))
}

/// The path the page was loaded at (before any link followed inside the client).
#[cfg(not(all(feature = "live", feature = "chair", feature = "pages")))]
pub fn loaded_at() -> String {
    let window = web_sys::window().expect("a window");
    let get = |object: &JsValue, key: &str| js_sys::Reflect::get(object, &JsValue::from_str(key)).ok();
    let entries = get(window.as_ref(), "performance")
        .and_then(|performance| {
            let f = get(&performance, "getEntriesByType")?.dyn_into::<js_sys::Function>().ok()?;
            f.call1(&performance, &JsValue::from_str("navigation")).ok()
        })
        .and_then(|entries| get(&entries, "0"))
        .and_then(|entry| get(&entry, "name"))
        .and_then(|name| name.as_string());
    entries.and_then(|url| web_sys::Url::new(&url).ok()).map(|url| url.pathname()).unwrap_or_default()
}

/// Loads the page again at the address the router shows.
#[cfg(not(all(feature = "live", feature = "chair", feature = "pages")))]
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// `ws://host/ws`, or `wss://` when the page came over HTTPS.
pub fn websocket_url() -> String {
    let location = web_sys::window().expect("a window").location();
    let scheme = if location.protocol().unwrap_or_default() == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{}/ws", location.host().unwrap_or_default())
}

/// The WebSocket `boot.js` opened while the module downloaded, and what came on it since.
pub struct Preopened {
    pub ws: web_sys::WebSocket,
    /// What the server sent before the client took the socket over, with the local time each
    /// message arrived, oldest first.
    pub received: Vec<(i64, String)>,
}

/// Takes over, once, the WebSocket `boot.js` opened while the module downloaded, if it is still
/// opening or open and the `hello` it says on opening is `hello`, the one the client would send:
/// the screen's first connection then reads what the server already answered instead of waiting a
/// round trip for it. Any other is closed. `None` also when there was none. The caller must set the
/// socket's own `onmessage` before the browser runs another task, or a message may be missed.
pub fn preopened_socket(hello: &str) -> Option<Preopened> {
    let ws = take_preopened()?;
    let field = |name: &str| js_sys::Reflect::get(&ws, &JsValue::from_str(name)).ok();
    let same_hello = field("hello").and_then(|h| h.as_string()).is_some_and(|h| h == hello);
    if !(same_hello && ws.url() == websocket_url() && ws.ready_state() <= web_sys::WebSocket::OPEN) {
        let _ = ws.close();
        return None;
    }
    let received = field("received")
        .and_then(|r| r.dyn_into::<js_sys::Array>().ok())
        .map(|messages| {
            messages
                .iter()
                .filter_map(|m| {
                    let m = m.dyn_into::<js_sys::Array>().ok()?;
                    Some((m.get(0).as_f64()? as i64, m.get(1).as_string()?))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Preopened { ws, received })
}

/// Closes the WebSocket `boot.js` opened, if any, when no screen will take it over.
pub fn close_preopened_socket() {
    if let Some(ws) = take_preopened() {
        let _ = ws.close();
    }
}

/// The WebSocket `boot.js` left on `window.rostrumSocket`, taken off it so that only one caller
/// ever has it.
fn take_preopened() -> Option<web_sys::WebSocket> {
    let window = web_sys::window()?;
    let key = JsValue::from_str("rostrumSocket");
    let found = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    found.dyn_into::<web_sys::WebSocket>().ok()
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `Intl.DateTimeFormat`, in the page's language; made through [`date_time_format`].
    #[wasm_bindgen(js_namespace = Intl, js_name = DateTimeFormat)]
    #[derive(Clone)]
    pub type DateTimeFormat;

    /// Throws a `RangeError` for an unknown time zone, hence `catch`.
    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "DateTimeFormat")]
    fn new(locales: &JsValue, options: &JsValue) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method)]
    pub fn format(this: &DateTimeFormat, date: &js_sys::Date) -> String;

    #[wasm_bindgen(method, js_name = formatToParts)]
    pub fn format_to_parts(this: &DateTimeFormat, date: &js_sys::Date) -> js_sys::Array;
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `Intl.NumberFormat`, in the page's language; made through [`number_format`].
    #[wasm_bindgen(js_namespace = Intl, js_name = NumberFormat)]
    #[derive(Clone)]
    pub type NumberFormat;

    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "NumberFormat")]
    fn new(locales: &JsValue, options: &JsValue) -> Result<NumberFormat, JsValue>;

    #[wasm_bindgen(method)]
    pub fn format(this: &NumberFormat, number: f64) -> String;
}

#[wasm_bindgen]
extern "C" {
    /// The browser's `Intl.PluralRules`, in the page's language; made through [`plural_rules`].
    #[wasm_bindgen(js_namespace = Intl, js_name = PluralRules)]
    #[derive(Clone)]
    pub type PluralRules;

    #[wasm_bindgen(constructor, catch, js_namespace = Intl, js_class = "PluralRules")]
    fn new(locales: &JsValue, options: &JsValue) -> Result<PluralRules, JsValue>;

    /// CLDR's cardinal category of `number`: `"zero"`, `"one"`, `"two"`, `"few"`, `"many"` or
    /// `"other"`.
    #[wasm_bindgen(method)]
    pub fn select(this: &PluralRules, number: f64) -> String;
}

/// Formats made so far, by their options, `None` where the browser refused them.
type Made<T> = RefCell<Vec<(String, Option<T>)>>;

thread_local! {
    static FORMATS: Made<DateTimeFormat> = const { RefCell::new(Vec::new()) };
    static NUMBER_FORMATS: Made<NumberFormat> = const { RefCell::new(Vec::new()) };
    static PLURAL_RULES: Made<PluralRules> = const { RefCell::new(Vec::new()) };
}

/// The browser's cardinal plural rules of the page's language, made once and kept. Only the
/// browser has them: natively `language::plural` asks ICU4X.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn plural_rules() -> Option<PluralRules> {
    kept(&PLURAL_RULES, &[], PluralRules::new)
}

/// The format of `made` for `options`, made by `make` (with the page's language and the options
/// as an object) the first time and kept.
fn kept<T: Clone>(
    made: &'static std::thread::LocalKey<Made<T>>,
    options: &[(&str, &str)],
    make: fn(&JsValue, &JsValue) -> Result<T, JsValue>,
) -> Option<T> {
    let key: String = options.iter().map(|(k, v)| format!("{k}={v};")).collect();
    made.with(|formats| {
        if let Some((_, known)) = formats.borrow().iter().find(|(k, _)| *k == key) {
            return known.clone();
        }
        let object = js_sys::Object::new();
        let set = options
            .iter()
            .all(|(k, v)| js_sys::Reflect::set(&object, &JsValue::from_str(k), &JsValue::from_str(v)).is_ok());
        let format = if set { make(&crate::language::js_tag(), &object).ok() } else { None };
        formats.borrow_mut().push((key, format.clone()));
        format
    })
}

/// The browser's number format with `options` (`Intl.NumberFormat`'s, as strings), made once and
/// kept; `None` when the browser refuses them. Only the browser has it: natively `number` writes
/// numbers itself.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn number_format(options: &[(&str, &str)]) -> Option<NumberFormat> {
    kept(&NUMBER_FORMATS, options, NumberFormat::new)
}

/// The browser's date and time format with `options`, made once per set of options and kept: the
/// browser loads its locale and zone data for a new one (the first took 120 ms of a throttled
/// phone's first screen, `firstload`'s profile), and the clocks made theirs anew at every tick.
/// `None` when the browser refuses the options (an unknown time zone).
pub fn date_time_format(options: &[(&str, &str)]) -> Option<DateTimeFormat> {
    kept(&FORMATS, options, DateTimeFormat::new)
}

/// A [`Millis`] as a JavaScript `Date`.
pub fn js_date(at: Millis) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(at.0 as f64))
}

/// The time of day of `at` in `time_zone` (the browser's own when `None`), on the 24-hour clock; `None` when the time zone is unknown.
pub fn time_of_day(at: Millis, time_zone: Option<&str>, seconds: bool) -> Option<String> {
    // Meetings run on the 24-hour clock, whatever the browser's language.
    let mut options = vec![("hour", "2-digit"), ("minute", "2-digit"), ("hourCycle", "h23")];
    if seconds {
        options.push(("second", "2-digit"));
    }
    if let Some(zone) = time_zone {
        options.push(("timeZone", zone));
    }
    Some(date_time_format(&options)?.format(&js_date(at)))
}

thread_local! {
    static AUDIO: RefCell<Option<AudioContext>> = const { RefCell::new(None) };
}

/// Browsers let a page make sound only after the person interacted with it: call this from a
/// click or key press so that later alerts can be heard.
pub fn unlock_audio() {
    AUDIO.with(|audio| {
        let mut audio = audio.borrow_mut();
        if audio.is_none() {
            *audio = AudioContext::new().ok();
        }
        if let Some(context) = audio.as_ref() {
            let _ = context.resume();
        }
    });
}

/// A short chime: one tone for "you are next", two rising tones for "you have the floor". Silent
/// when the browser does not allow sound yet.
pub fn chime(twice: bool) {
    AUDIO.with(|audio| {
        let audio = audio.borrow();
        let Some(context) = audio.as_ref() else { return };
        let start = context.current_time();
        let tones: &[(f32, f64)] = if twice { &[(660.0, 0.0), (880.0, 0.22)] } else { &[(880.0, 0.0)] };
        for &(frequency, offset) in tones {
            let _ = tone(context, frequency, start + offset);
        }
    });
}

fn tone(context: &AudioContext, frequency: f32, at: f64) -> Result<(), JsValue> {
    let oscillator = context.create_oscillator()?;
    oscillator.set_type(OscillatorType::Sine);
    oscillator.frequency().set_value(frequency);
    let gain = context.create_gain()?;
    gain.gain().set_value_at_time(0.0001, at)?;
    gain.gain().exponential_ramp_to_value_at_time(0.4, at + 0.02)?;
    gain.gain().exponential_ramp_to_value_at_time(0.0001, at + 0.2)?;
    oscillator.connect_with_audio_node(&gain)?;
    gain.connect_with_audio_node(&context.destination())?;
    oscillator.start_with_when(at)?;
    oscillator.stop_with_when(at + 0.21)?;
    Ok(())
}

/// Copies `text` to the clipboard, when the browser allows it.
pub fn copy_to_clipboard(text: &str) {
    let Some(window) = web_sys::window() else { return };
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
    let Some(clipboard) = get(&window, "navigator").and_then(|n| get(&n, "clipboard")) else { return };
    if let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = write.call1(&clipboard, &text.into());
    }
}

/// Opens the browser's print dialog for the page.
pub fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Asks the person to confirm `question` (OK / Cancel).
pub fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Saves `blob` as `file_name` through a temporary Blob URL, as a download the browser shows (or
/// opens, for PDFs, depending on its settings).
pub fn save_blob(blob: &web_sys::Blob, file_name: &str) -> Result<(), String> {
    let failed = |_| "The file could not be opened.".to_string();
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(failed)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or("No document.")?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(failed)?.dyn_into().map_err(|_| "No link.".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_target("_blank");
    anchor.set_rel("noopener");
    anchor.click();
    // The URL must outlive the click's navigation; it is released a minute later.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// What this browser remembers under `key` (`localStorage`), if anything.
pub fn remembered(key: &str) -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Remembers `value` under `key` in this browser; forgets it when `value` is empty.
pub fn remember(key: &str, value: &str) {
    let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) else { return };
    let _ = if value.is_empty() { storage.remove_item(key) } else { storage.set_item(key, value) };
}

/// The file chosen in a file input, if any.
pub fn chosen_file(input: &leptos::prelude::NodeRef<leptos::html::Input>) -> Option<web_sys::File> {
    use leptos::prelude::GetUntracked;
    input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0))
}

/// Empties a file input after its file was sent.
pub fn clear_file(input: &leptos::prelude::NodeRef<leptos::html::Input>) {
    use leptos::prelude::GetUntracked;
    if let Some(input) = input.get_untracked() {
        input.set_value("");
    }
}
