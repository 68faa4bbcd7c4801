//! `firstload`: how long a phone on a slow link waits for its first screen (issue 14), measured in
//! headless Chromium through its DevTools protocol: a cold cache (a fresh profile per load), the
//! CPU slowed 4×, the network emulated. The time runs from the start of the navigation to the
//! first meaningful content — the participant's "Ask for the floor", the room display's stage —
//! seen by a `MutationObserver` the browser injects before the page's own scripts; the bytes are
//! what Resource Timing says crossed the network. A repeat visit is measured too.
//!
//! `make bench` runs it after the server benchmarks, and it writes its rows into
//! `docs/benchmarks.md` between the markers of its section (appended when they are missing).
//! Needs `ROSTRUM_WEB_DIR` (the built client) and chromedriver, as the browser tests do.
//!
//! To see where a load's time goes: `--timeline` prints when each file started and finished, and
//! `--cpu-profile DIR` writes each load's CPU profile, e.g.
//! `ROSTRUM_WEB_DIR=web-client/dist target/release/firstload --repeat 1 --timeline --cpu-profile /tmp/profiles`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use rostrum_tests::browser::{cdp, delegate_token, link, server_with_meeting, Driver};
use serde_json::{json, Value};

#[derive(Parser)]
#[command(about = "First load of the participant's view and the display on emulated slow links")]
struct Args {
    /// Loads per screen and network; the median is reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The Markdown file whose first-load section is rewritten (printed only when absent).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The command to name in the section, to run it again.
    #[arg(long, default_value = "make bench")]
    command: String,
    /// Print when each file of every load started and finished, to see where the time goes.
    #[arg(long)]
    timeline: bool,
    /// Write each load's CPU profile into this directory, as `<load>.cpuprofile` (Chromium's
    /// DevTools open it in their Performance panel); names show in it with a module built to keep
    /// them (`wasm-bindgen --keep-debug`, `wasm-opt -g`).
    #[arg(long)]
    cpu_profile: Option<PathBuf>,
}

/// An emulated network, and the goal for the first content on it.
struct Network {
    name: &'static str,
    latency_ms: u32,
    kbit_per_s: u32,
    goal_s: f64,
}

const NETWORKS: [Network; 2] = [
    Network { name: "slow 4G (1.6 Mbit/s, 150 ms RTT)", latency_ms: 150, kbit_per_s: 1_600, goal_s: 2.5 },
    Network { name: "400 kbit/s, 400 ms RTT", latency_ms: 400, kbit_per_s: 400, goal_s: 8.0 },
];

/// A screen and the element that is its first meaningful content.
struct Screen {
    name: &'static str,
    view: &'static str,
    content: &'static str,
    with_token: bool,
}

const SCREENS: [Screen; 2] = [
    Screen { name: "participant", view: "speak", content: r#"button[data-action="ask"]"#, with_token: true },
    Screen { name: "display", view: "display", content: "main.display .stage", with_token: false },
];

/// The participant's view may transfer this much on its first load (issue 14).
const PARTICIPANT_GOAL_BYTES: u64 = 200 * 1000;
/// A repeat visit when nothing changed may transfer this much.
const REPEAT_GOAL_BYTES: u64 = 5 * 1024;
/// How long one throttled load may take before the run gives up.
const PATIENCE: Duration = Duration::from_secs(120);

const BEGIN: &str = "<!-- firstload:begin -->";
const END: &str = "<!-- firstload:end -->";

/// Records when an element matching `CSS` first exists, on `window.__firstContent`.
const OBSERVER: &str = "(() => { const css = CSS; const seen = () => { \
    if (window.__firstContent === undefined && document.querySelector(css)) { window.__firstContent = performance.now(); } }; \
    new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true }); })();";

/// Bytes every file of the page took on the network (the API's answers aside).
const TRANSFERRED: &str =
    "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
    .filter(e => !new URL(e.name).pathname.startsWith('/api/')).reduce((sum, e) => sum + e.transferSize, 0);";

/// When each file of the page started and finished, in seconds from the navigation.
const TIMELINE: &str = "return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]\
    .map(e => [new URL(e.name).pathname, +(e.startTime / 1000).toFixed(2), +(e.responseEnd / 1000).toFixed(2), e.transferSize]);";

/// One load: seconds to the first content, and bytes transferred.
struct Load {
    seconds: f64,
    bytes: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let data = tempfile::tempdir().expect("a data directory");
    let (server, _secretariat) = server_with_meeting(data.path()).await;
    let delegate = delegate_token(&server, "chile-1", "Ana Rojas", "Chile");
    let driver = Driver::start().await;

    let mut rows = Vec::new();
    for network in &NETWORKS {
        for screen in &SCREENS {
            let url = link(&server, screen.view, screen.with_token.then_some(delegate.as_str()));
            let mut loads = Vec::new();
            for i in 0..args.repeat {
                let name = format!("{}-{}-{i}", screen.view, network.kbit_per_s);
                loads.push(throttled_load(&driver, &args, &name, network, screen, &url).await);
            }
            let seconds = median(loads.iter().map(|l| l.seconds).collect());
            let bytes = median(loads.iter().map(|l| l.bytes as f64).collect()) as u64;
            eprintln!("{} on {}: {seconds:.2} s, {bytes} bytes", screen.name, network.name);
            rows.push((screen, network, seconds, bytes));
        }
    }
    let repeat = repeat_visit(&driver, &link(&server, "speak", Some(&delegate))).await;
    eprintln!("repeat visit: {repeat} bytes");

    let section = section(&args, &rows, repeat);
    match &args.out {
        Some(out) => rostrum_tests::report::write_section(out, BEGIN, END, &section).expect("write the benchmarks"),
        None => println!("{section}"),
    }
}

/// A cold load of `url` in a fresh browser on `network` with the CPU slowed 4×.
async fn throttled_load(
    driver: &Driver,
    args: &Args,
    name: &str,
    network: &Network,
    screen: &Screen,
    url: &str,
) -> Load {
    let browser = driver.browser(name, 390, 844).await;
    cdp(&browser, "Network.enable", json!({})).await;
    let bytes_per_s = f64::from(network.kbit_per_s) * 1000.0 / 8.0;
    let conditions = json!({
        "offline": false,
        "latency": network.latency_ms,
        "downloadThroughput": bytes_per_s,
        "uploadThroughput": bytes_per_s,
    });
    cdp(&browser, "Network.emulateNetworkConditions", conditions).await;
    cdp(&browser, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    let observer = OBSERVER.replace("CSS", &json!(screen.content).to_string());
    cdp(&browser, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": observer })).await;

    if args.cpu_profile.is_some() {
        cdp(&browser, "Profiler.enable", json!({})).await;
        cdp(&browser, "Profiler.setSamplingInterval", json!({ "interval": 200 })).await;
        cdp(&browser, "Profiler.start", json!({})).await;
    }
    browser.goto(url).await.expect("navigate");
    let deadline = Instant::now() + PATIENCE;
    let seconds = loop {
        let seen = browser.execute("return window.__firstContent ?? null;", vec![]).await.unwrap_or(Value::Null);
        if let Some(ms) = seen.as_f64() {
            break ms / 1000.0;
        }
        assert!(Instant::now() < deadline, "{name}: no {} within {PATIENCE:?}", screen.content);
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let bytes = browser.execute(TRANSFERRED, vec![]).await.expect("resource timing").as_u64().unwrap_or(0);
    if let Some(dir) = &args.cpu_profile {
        let profile = cdp(&browser, "Profiler.stop", json!({})).await;
        let path = dir.join(format!("{name}.cpuprofile"));
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, profile["profile"].to_string()))
            .expect("the profile written");
    }
    if args.timeline {
        let files = browser.execute(TIMELINE, vec![]).await.expect("resource timing");
        eprintln!("{name}: first content at {seconds:.2} s; [file, start (s), end (s), bytes]:");
        for file in files.as_array().into_iter().flatten() {
            eprintln!("  {file}");
        }
    }
    browser.close().await.expect("close the browser");
    Load { seconds, bytes }
}

/// Bytes moved by a second visit to `url`, after another page, with nothing changed.
async fn repeat_visit(driver: &Driver, url: &str) -> u64 {
    let browser = driver.browser("repeat", 390, 844).await;
    browser.goto(url).await.expect("first visit");
    wait_for_content(&browser).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    browser.goto("about:blank").await.expect("another page");
    browser.goto(url).await.expect("second visit");
    wait_for_content(&browser).await;
    let bytes = browser.execute(TRANSFERRED, vec![]).await.expect("resource timing").as_u64().unwrap_or(0);
    browser.close().await.expect("close the browser");
    bytes
}

async fn wait_for_content(browser: &fantoccini::Client) {
    let script = format!("return document.querySelector({}) !== null;", json!(SCREENS[0].content));
    let deadline = Instant::now() + PATIENCE;
    while browser.execute(&script, vec![]).await.ok() != Some(Value::Bool(true)) {
        assert!(Instant::now() < deadline, "the participant's view did not show");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

/// The section of `docs/benchmarks.md`, between its markers.
fn section(args: &Args, rows: &[(&Screen, &Network, f64, u64)], repeat: u64) -> String {
    let mut out = format!(
        "{BEGIN}\n## First load on a slow link\n\n\
         Measured by `firstload` (`{}`): headless Chromium through its DevTools protocol, a cold cache, \
         the CPU slowed 4×, the network emulated; the median of {} loads. First content is the \
         participant's \"Ask for the floor\" or the display's stage, timed from the start of the \
         navigation; bytes are what crossed the network for the page's files.\n\n\
         | screen | network | first content (s) | transferred (KB) | goal | |\n\
         | --- | --- | ---: | ---: | --- | --- |\n",
        args.command, args.repeat
    );
    for (screen, network, seconds, bytes) in rows {
        out += &format!(
            "| {} | {} | {seconds:.2} | {:.0} | ≤ {} s | {} |\n",
            screen.name,
            network.name,
            *bytes as f64 / 1000.0,
            network.goal_s,
            met(*seconds <= network.goal_s)
        );
    }
    let participant = rows.iter().find(|(s, ..)| s.name == "participant").map_or(0, |r| r.3);
    out += &format!(
        "| participant, transferred on the first load | any | – | {:.0} | ≤ {} KB | {} |\n",
        participant as f64 / 1000.0,
        PARTICIPANT_GOAL_BYTES / 1000,
        met(participant <= PARTICIPANT_GOAL_BYTES)
    );
    out += &format!(
        "| participant, a repeat visit with nothing changed | unthrottled | – | {:.1} | ≤ 5 KB | {} |\n{END}\n",
        repeat as f64 / 1000.0,
        met(repeat <= REPEAT_GOAL_BYTES)
    );
    out
}
