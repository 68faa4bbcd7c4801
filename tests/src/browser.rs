//! The browser harness of the end-to-end tests (`tests/tests/e2e_*.rs`): a chromedriver and
//! headless Chromium windows of a set size, the built web client served by the real server, and
//! the few moves a person makes (click, type, press a key), each waiting for the screen.
//!
//! The tests are `#[ignore]`d so that `cargo test` alone needs no browser; `make test` builds the
//! web client, sets `ROSTRUM_WEB_DIR` and runs them with `--ignored`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::{command, Client, Server};

/// How long a screen may take to show what a test waits for.
pub const SCREEN_PATIENCE: Duration = Duration::from_secs(15);

pub const MEETING: &str = "oewg-s3";

/// The built web client, from `ROSTRUM_WEB_DIR`.
pub fn web_dir() -> PathBuf {
    let dir = std::env::var_os("ROSTRUM_WEB_DIR").map(PathBuf::from).expect(
        "ROSTRUM_WEB_DIR is not set: build the web client with `make web` and run these tests with `make test` \
         (or ROSTRUM_WEB_DIR=$PWD/web-client/dist cargo test -p rostrum-tests --test 'e2e_*' -- --ignored)",
    );
    // `make web` gives every file but the pages a hashed name (web-client/publish.sh).
    let names: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
        .unwrap_or_default();
    // One glue and one module per group of screens (web-client/Cargo.toml's features).
    let bundles = ["live", "chair", "desk", "pages"]
        .map(|g| [(format!("rostrum-{g}."), ".js"), (format!("rostrum-{g}_bg."), ".wasm")]);
    let files = [
        ("index", ".html"),
        ("live", ".html"),
        ("chair", ".html"),
        ("desk", ".html"),
        ("boot.", ".js"),
        ("style.", ".css"),
    ]
    .map(|(s, e)| (s.to_string(), e));
    for (start, end) in files.into_iter().chain(bundles.into_iter().flatten()) {
        assert!(
            names.iter().any(|n| n.starts_with(start.as_str()) && n.ends_with(end)),
            "{start}…{end} is missing from ROSTRUM_WEB_DIR ({}): run `make web` first",
            dir.display()
        );
    }
    dir
}

/// Where the README's screenshots go.
pub fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/screenshots");
    std::fs::create_dir_all(&dir).expect("docs/screenshots");
    dir.join(format!("{name}.png"))
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// A chromedriver process and the browser profiles, all removed when dropped.
pub struct Driver {
    child: Child,
    port: u16,
    profiles: tempfile::TempDir,
}

impl Driver {
    pub async fn start() -> Driver {
        let port = free_port();
        let child = Process::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver: install it with `make tools-browser` (Debian: chromium-driver)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 10 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Driver { child, port, profiles: tempfile::tempdir().expect("profiles dir") }
    }

    /// A fresh Chromium window of `width`×`height` CSS pixels, with its own profile.
    pub async fn browser(&self, name: &str, width: u32, height: u32) -> Browser {
        let profile = self.profiles.path().join(name);
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            "--force-device-scale-factor=1".into(),
            "--autoplay-policy=no-user-gesture-required".into(),
        ];
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={width},{height}"));
        let mut options = json!({ "args": args });
        if Path::new("/usr/bin/chromium").is_file() {
            options["binary"] = json!("/usr/bin/chromium");
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let browser = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a Chromium session from chromedriver");
        // Headless Chromium takes the window size as the viewport only approximately; set the
        // viewport exactly so that screenshots have the intended size.
        let script = "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];";
        if let Ok(Value::Array(extra)) = browser.execute(script, vec![]).await {
            let dw = extra.first().and_then(Value::as_u64).unwrap_or(0) as u32;
            let dh = extra.get(1).and_then(Value::as_u64).unwrap_or(0) as u32;
            let _ = browser.set_window_size(width + dw, height + dh).await;
        }
        browser
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // A test that failed before closing its sessions leaves Chromiums behind: find them by
        // their profile directory, which is this driver's alone, and end each by its id.
        let profiles = self.profiles.path().to_string_lossy().into_owned();
        let Ok(procs) = std::fs::read_dir("/proc") else { return };
        for entry in procs.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()).filter(|&p| p > 1) else {
                continue;
            };
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            if String::from_utf8_lossy(&cmdline).contains(&profiles) {
                // The shell's own `kill`, with one positive id: procps-ng 4.0.2's `kill` binary
                // here was seen to signal every process when given a negative (group) id.
                let _ = Process::new("bash").args(["-c", &format!("kill -KILL {pid}")]).status();
            }
        }
    }
}

/// Polls `script` (a JavaScript function body returning a value) until it returns something
/// truthy; fails with `what` and the page's text otherwise.
pub async fn until(browser: &Browser, what: &str, script: &str) -> Value {
    let deadline = Instant::now() + SCREEN_PATIENCE;
    loop {
        match browser.execute(script, vec![]).await {
            Ok(value) if !matches!(value, Value::Null | Value::Bool(false)) && value != json!("") => return value,
            Ok(_) => {}
            Err(error) => eprintln!("script failed while waiting for {what}: {error}"),
        }
        if Instant::now() > deadline {
            let text = browser.execute("return document.body.innerText", vec![]).await.unwrap_or(Value::Null);
            panic!("{what}: not seen within {SCREEN_PATIENCE:?}. The page says:\n{}", text.as_str().unwrap_or("?"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A command of Chromium's DevTools protocol (`Network.emulateNetworkConditions`, say), through
/// chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"cmd": self.cmd, "params": self.params}).to_string()))
    }
}

/// Sends `cmd` with `params` to the browser's DevTools and returns its answer.
pub async fn cdp(browser: &Browser, cmd: &'static str, params: Value) -> Value {
    browser.issue_cmd(Cdp { cmd, params }).await.unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

/// Whether an element matching `css` exists.
pub fn exists(css: &str) -> String {
    format!("return document.querySelector({}) !== null;", json!(css))
}

/// The text of the first element matching `css`, or null.
pub fn text_of(css: &str) -> String {
    format!("const e = document.querySelector({}); return e ? e.textContent : null;", json!(css))
}

/// Clicks the element matching `css` once it exists, scrolled to the middle of the window first,
/// as a person would: WebDriver alone scrolls it just into view, at the very bottom, where the
/// fixed notices bar can lie over it.
pub async fn click(browser: &Browser, css: &str) {
    until(browser, &format!("{css} to be clickable"), &exists(css)).await;
    let center = format!("document.querySelector({}).scrollIntoView({{block: 'center'}}); return true;", json!(css));
    browser.execute(&center, vec![]).await.unwrap_or_else(|e| panic!("scroll to {css}: {e}"));
    browser.find(Locator::Css(css)).await.expect(css).click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
}

/// Presses a key the way a person does (key down, key up), to reach the page's shortcuts.
pub async fn press(browser: &Browser, key: char) {
    let keys =
        KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    browser.perform_actions(keys).await.expect("key press");
}

pub async fn screenshot(browser: &Browser, name: &str, width: u32, height: u32) {
    let png = browser.screenshot().await.expect("screenshot");
    let size =
        (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert_eq!(size, (width, height), "the {name} screenshot has the wrong size");
    std::fs::write(screenshot_path(name), png).expect("write screenshot");
}

/// A server with the web client and a meeting of three segments, the first active.
pub async fn server_with_meeting(data: &Path) -> (Server, String) {
    let segments = [
        json!({"title": "General exchange of views", "inscription": "all", "time_limit_secs": 180}),
        json!({"title": "Stakeholder segment", "inscription": "stakeholders", "time_limit_secs": 120, "budget_secs": 1800}),
        json!({"title": "Member states: draft report", "inscription": "member_states", "time_limit_secs": 300}),
    ];
    server_with(data, None, &segments).await
}

/// A server with the web client and nothing else: no process, no meeting. Returns the server and
/// the secretariat's token.
pub async fn server_with_web_only(data: &Path) -> (Server, String) {
    let web = web_dir();
    let server = Server::start_with(data, &["--web-dir", web.to_str().expect("utf-8 path")]).await;
    let sec = server.secretariat();
    (server, sec)
}

/// Sets the value of the field matching `css` as a person choosing it would (a date or a time,
/// which typing enters in the browser's own format), and tells the page with an `input` event.
pub async fn set_value(browser: &Browser, css: &str, value: &str) {
    until(browser, &format!("the field {css}"), &exists(css)).await;
    let script = format!(
        "const e = document.querySelector({}); e.value = {}; e.dispatchEvent(new Event('input', {{bubbles: true}})); \
         e.dispatchEvent(new Event('change', {{bubbles: true}})); return true;",
        json!(css),
        json!(value)
    );
    browser.execute(&script, vec![]).await.unwrap_or_else(|e| panic!("set {css}: {e}"));
}

/// A server with the web client and the test's meeting (held in `time_zone` when given) with
/// `segments`, the first active. Returns the server and the secretariat's token.
async fn server_with(data: &Path, time_zone: Option<&str>, segments: &[Value]) -> (Server, String) {
    let web = web_dir();
    let server = Server::start_with(data, &["--web-dir", web.to_str().expect("utf-8 path")]).await;
    let sec = server.secretariat();
    let mut meeting = json!({
        "id": MEETING,
        "title": "Open-ended working group on ICT security — 3rd session",
        "process": "oewg",
        "access": "open",
    });
    if let Some(zone) = time_zone {
        meeting["time_zone"] = json!(zone);
    }
    let (status, body) = server.http("POST", "/api/meetings", Some(&sec), Some(&meeting)).await;
    assert_eq!(status, 201, "create meeting: {body}");
    for spec in segments {
        let (status, body) =
            server.http("POST", &format!("/api/meetings/{MEETING}/segments"), Some(&sec), Some(spec)).await;
        assert_eq!(status, 201, "create segment: {body}");
    }
    chair_command(&server, &sec, json!({"type": "activate_segment", "segment": 1})).await;
    (server, sec)
}

pub fn chair_token(server: &Server) -> String {
    server.token("chair", "chair-1", "H.E. Ms. Amina Diallo", &[], ("meeting", MEETING))
}

pub fn delegate_token(server: &Server, id: &str, name: &str, state: &str) -> String {
    server.token("delegate", id, name, &[("delegation", state)], ("meeting", MEETING))
}

pub async fn ngo_token(server: &Server) -> String {
    server.representative_for(MEETING, "ngo-1", "Dr. Kwame Mensah", "Global Digital Rights Network").await
}

/// A delegate asks for the floor over a plain WebSocket, as another screen would.
pub async fn request_floor(server: &Server, token: &str, kind: &str, presence: &str, language: &str) {
    let mut client = Client::connect(server, MEETING, Some(token)).await;
    let request = command(json!({"type": "request_floor", "kind": kind, "presence": presence, "language": language}));
    client.command(request).await.expect("request accepted");
}

pub fn link(server: &Server, view: &str, token: Option<&str>) -> String {
    match token {
        Some(token) => format!("{}/{view}?meeting={MEETING}#token={token}", server.url()),
        None => format!("{}/{view}?meeting={MEETING}", server.url()),
    }
}

/// Types `text` into the field matching `css`.
pub async fn fill(browser: &Browser, css: &str, text: &str) {
    until(browser, &format!("the field {css}"), &exists(css)).await;
    let field = browser.find(Locator::Css(css)).await.expect(css);
    field.send_keys(text).await.unwrap_or_else(|e| panic!("type into {css}: {e}"));
}

/// Fills the application form as an NGO without ECOSOC status.
pub async fn fill_application(browser: &Browser) {
    fill(browser, r#"input[name="name"]"#, "Global Digital Rights Network").await;
    fill(browser, r#"input[name="website"]"#, "https://gdrn.example.org").await;
    fill(browser, r#"input[name="country"]"#, "Ghana").await;
    fill(browser, r#"input[name="contact_name"]"#, "Kwame Mensah").await;
    fill(browser, r#"input[name="contact_email"]"#, "kwame@gdrn.example.org").await;
    fill(
        browser,
        r#"textarea[name="activities"]"#,
        "Research and advocacy on cyber norms and human rights since 2012.",
    )
    .await;
}

/// The fragment of an absolute link (`#token=…`), reopened on this test's server.
pub fn on_server(server: &Server, link: &Value, path: &str) -> String {
    let link = link.as_str().expect("a link");
    let fragment = &link[link.find('#').expect("a #token= fragment")..];
    format!("{}{path}{fragment}", server.url())
}

/// The value of the first input matching `css`, or null.
pub fn text_of_value(css: &str) -> String {
    format!("const e = document.querySelector({}); return e ? e.value : null;", json!(css))
}

/// Presses a named key (`Key::Space`, `Key::Enter`, `Key::Down`, `Key::Delete`, `Key::Tab`…) the
/// way a person does.
pub async fn press_key(browser: &Browser, key: fantoccini::key::Key) {
    press(browser, key.into()).await;
}

/// The chair adds `count` delegates to the active list over a WebSocket, as another console would:
/// `speaker-01` (Delegate 1, State 1), `speaker-02`, …
pub async fn add_speakers(server: &Server, count: usize) {
    let mut chair = Client::connect(server, MEETING, Some(&chair_token(server))).await;
    for i in 1..=count {
        let add = command(json!({
            "type": "add_speaker",
            "speaker": {"id": format!("speaker-{i:02}"), "name": format!("Delegate {i}"), "role": "delegate",
                        "delegation": format!("State {i}")},
            "kind": "statement", "presence": "in_room", "language": "en",
        }));
        chair.command(add).await.expect("speaker added");
    }
}

/// Whether the element matching `css` is wholly inside the window and inside its scrolling list
/// (`.list-scroll`), if it is in one.
pub fn in_view(css: &str) -> String {
    format!(
        "const e = document.querySelector({}); if (!e) return false; \
         const r = e.getBoundingClientRect(); \
         let seen = r.top >= 0 && r.bottom <= window.innerHeight; \
         const list = e.closest('.list-scroll'); \
         if (list) {{ const l = list.getBoundingClientRect(); seen = seen && r.top >= l.top - 1 && r.bottom <= l.bottom + 1; }} \
         return seen;",
        json!(css)
    )
}

/// [`server_with_meeting`] for a meeting held in `time_zone` (an IANA name), with one segment.
pub async fn server_with_meeting_in(data: &Path, time_zone: &str) -> (Server, String) {
    let segment = json!({"title": "General exchange of views", "inscription": "all", "time_limit_secs": 180});
    server_with(data, Some(time_zone), &[segment]).await
}

/// A command of the chair's (`{"type": "give_floor"}`…) sent over HTTP with `token`.
pub async fn chair_command(server: &Server, token: &str, command: Value) {
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(token), Some(&command)).await;
    assert_eq!(status, 201, "{command}: {body}");
}

/// A script returning the layout of the first element matching `css` (its bounding box, font
/// size, computed filter and whether it is `:disabled`), with the window's size and scroll, or
/// null.
pub fn layout_of(css: &str) -> String {
    format!(
        "const e = document.querySelector({}); if (!e) return null; const r = e.getBoundingClientRect(); \
         const s = getComputedStyle(e); return {{ top: r.top, bottom: r.bottom, left: r.left, right: r.right, \
         width: r.width, height: r.height, font: parseFloat(s.fontSize), filter: s.filter, \
         disabled: e.matches(':disabled'), text: e.textContent, innerWidth: innerWidth, innerHeight: innerHeight, \
         scrollY: scrollY, scrollWidth: document.documentElement.scrollWidth, \
         scrollHeight: document.documentElement.scrollHeight }};",
        json!(css)
    )
}

/// [`layout_of`] once the element exists.
pub async fn layout(browser: &Browser, css: &str) -> Value {
    until(browser, &format!("{css} to be laid out"), &layout_of(css)).await
}

// ---- Accessibility: axe-core in the page, and the measurements it cannot make alone.

/// axe-core's script (`axe.min.js`): `AXE_JS`, or where `make tools-browser` installs it.
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var_os("AXE_JS").map(PathBuf::from).unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../.tools/node_modules/axe-core/axe.min.js")
        });
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("axe-core is missing ({}: {e}): install it with `make tools-browser`", path.display())
        })
    })
}

/// Runs axe-core on the whole page as it is now and fails, listing each one, on any critical or
/// serious violation; `what` names the screen and state in the message. Moderate and minor
/// findings are printed, not failed on.
pub async fn axe(browser: &Browser, what: &str) {
    axe_except(browser, what, &[]).await;
}

/// [`axe`], with rules switched off for some elements: `(rule id, CSS selector)` pairs. Only for a
/// rule shown to be a false positive on that element; the caller says why.
pub async fn axe_except(browser: &Browser, what: &str, exceptions: &[(&str, &str)]) {
    let loaded = browser.execute("return typeof window.axe === 'object';", vec![]).await.expect("check for axe");
    if loaded != json!(true) {
        // Run as a script body, as WebDriver runs any script: axe-core defines `window.axe`.
        let source = format!("{}\nreturn typeof window.axe;", axe_source());
        let kind = browser.execute(&source, vec![]).await.expect("inject axe-core");
        assert_eq!(kind, json!("object"), "axe-core did not load into the page");
    }
    let script = r#"
        const [exceptions, done] = [arguments[0], arguments[arguments.length - 1]];
        axe.run(document, { resultTypes: ['violations'] }).then(results => done(results.violations.map(v => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes
                .filter(n => !exceptions.some(([rule, css]) =>
                    rule === v.id && n.target.length === 1 && document.querySelector(n.target[0])?.matches(css)))
                .map(n => n.target.join(' ') + (n.failureSummary ? ': ' + n.failureSummary.replace(/\s+/g, ' ') : '')),
        })).filter(v => v.nodes.length > 0)), error => done({ error: String(error) }));
    "#;
    let found = browser.execute_async(script, vec![json!(exceptions)]).await.expect("run axe-core");
    if let Some(error) = found.get("error") {
        panic!("axe-core failed on {what}: {error}");
    }
    let violations = found.as_array().expect("axe-core's violations");
    let mut failing = Vec::new();
    for v in violations {
        let impact = v["impact"].as_str().unwrap_or("?");
        let nodes = v["nodes"].as_array().map(Vec::as_slice).unwrap_or_default();
        let line = format!(
            "{} ({impact}, {} element{}): {}\n      {}",
            v["id"].as_str().unwrap_or("?"),
            nodes.len(),
            if nodes.len() == 1 { "" } else { "s" },
            v["help"].as_str().unwrap_or(""),
            nodes.iter().take(4).filter_map(Value::as_str).collect::<Vec<_>>().join("\n      "),
        );
        eprintln!("axe on {what}: {line}");
        if matches!(impact, "critical" | "serious") {
            failing.push(line);
        }
    }
    assert!(
        failing.is_empty(),
        "axe-core on {what}: {} critical or serious violations:\n  {}",
        failing.len(),
        failing.join("\n  ")
    );
}

/// JavaScript that defines `contrast(element)` (its text against what is behind it, opacity
/// included), `ringContrast(element)` (its outline against its parent's background) and
/// `background(element)`, for the checks WCAG asks for that axe-core leaves to people.
pub const CONTRAST_JS: &str = r#"
    const rgba = s => { const m = (s.match(/[\d.]+/g) || ['0', '0', '0', '0']).map(Number);
        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
    const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
    const luminance = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
    const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const background = el => { const chain = []; for (let e = el; e; e = e.parentElement) chain.unshift(e);
        return chain.reduce((bg, e) => { const c = rgba(getComputedStyle(e).backgroundColor); return c[3] > 0 ? over(c, bg) : bg; }, [255, 255, 255, 1]); };
    const opacity = el => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
    const contrast = el => { const fg = rgba(getComputedStyle(el).color); fg[3] *= opacity(el); const bg = background(el); return ratio(over(fg, bg), bg); };
    const ringContrast = el => { const bg = background(el.parentElement); return ratio(over(rgba(getComputedStyle(el).outlineColor), bg), bg); };
"#;

/// The text contrast of every element matching `css`, with its text: `[[text, ratio], …]`.
pub async fn contrasts(browser: &Browser, css: &str) -> Vec<(String, f64)> {
    let script = format!(
        "{CONTRAST_JS} return [...document.querySelectorAll({})].map(e => [e.textContent.trim(), contrast(e)]);",
        json!(css)
    );
    let found = browser.execute(&script, vec![]).await.expect("measure contrast");
    serde_json::from_value(found).expect("[[text, ratio], …]")
}

/// WebDriver's codes of the keys that type no character, for [`press`].
pub const TAB: char = '\u{E004}';
pub const ENTER: char = '\u{E007}';
