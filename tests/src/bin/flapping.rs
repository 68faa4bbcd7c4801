//! `flapping`: what a thousand flapping screens cost the chair's console (live presence). It starts
//! the release `rostrum` on its own core, creates a meeting, opens the chair's console with
//! `"presence": true`, and runs a thousand delegates' screens that each connect (hello with their
//! own token), stay a random 0.2–2 s, disconnect and connect again, for a fixed window. At the chair
//! it counts `presence` messages per one-second bin, the marks in each and the bytes; at the server
//! it counts the screens' connects and disconnects and the CPU it used. A second case has each
//! screen stay away a random 0.2–2 s before it connects again (`--away-min-ms`, `--away-max-ms`; 0
//! skips it), so that the messages are full. A control run is the first case with the chair not
//! watching presence: whatever the chair receives then is not presence.
//!
//! The server coalesces presence changes (`server/src/presence.rs`, `COALESCE` = 1 s): the goal is
//! at most one message a second at the chair, however many screens flap.
//!
//! `make bench-presence` runs it and it writes its section of `docs/benchmarks.md` between its
//! markers (appended when they are missing). Tokens are signed here with the secret the server is
//! given (`ROSTRUM_SECRET`), as `loadgen` does; its server and client code is shared with it.

#[allow(dead_code)]
#[path = "loadgen/clients.rs"]
mod clients;
#[allow(dead_code)]
#[path = "loadgen/servers.rs"]
mod servers;
#[allow(dead_code)]
#[path = "loadgen/stats.rs"]
mod stats;

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use shared::protocol::{ServerMessage, PROTOCOL};
use tokio_tungstenite::tungstenite::Message;

use crate::clients::Sources;
use crate::servers::{Kind, Programs};
use crate::stats::Sample;

/// Milliseconds since the Unix epoch (the shared loadgen code signs tokens with it).
pub fn unix_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[derive(Parser)]
#[command(about = "Live presence: what a thousand flapping screens cost the chair's console")]
struct Args {
    /// Delegates' screens that flap.
    #[arg(long, default_value_t = 1000)]
    screens: usize,
    /// The measured window, in seconds (after the warm-up).
    #[arg(long, default_value_t = 20)]
    secs: u64,
    /// Seconds of flapping before the window opens, so that every screen is flapping by then.
    #[arg(long, default_value_t = 3)]
    warmup_secs: u64,
    /// Shortest stay of a screen between its connect and its disconnect, in milliseconds.
    #[arg(long, default_value_t = 200)]
    stay_min_ms: u64,
    /// Longest stay, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    stay_max_ms: u64,
    /// The second case: a screen stays away at least this long between a disconnect and its next
    /// connect, in milliseconds (in the first, it connects again at once).
    #[arg(long, default_value_t = 200)]
    away_min_ms: u64,
    /// The longest time away in the second case, in milliseconds; 0 skips that case.
    #[arg(long, default_value_t = 2000)]
    away_max_ms: u64,
    /// Runs of each case (at once, away, control); medians are reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The Markdown file whose section is rewritten (printed only when absent).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The command to name in the section, to run it again.
    #[arg(long, default_value = "make bench-presence")]
    command: String,
}

const MEETING: &str = "flap";
const CHAIR: &str = "chair-1";
/// How long a screen waits for `synced` before its attempt counts as failed.
const PATIENCE: Duration = Duration::from_secs(10);
/// The server's coalescing interval (`server/src/presence.rs`), for the goals.
const COALESCE_SECS: f64 = 1.0;

const BEGIN: &str = "<!-- flapping:begin -->";
const END: &str = "<!-- flapping:end -->";

// The figures of one run.
const MESSAGES_MEDIAN: &str = "presence messages per 1 s bin, median";
const MESSAGES_MAX: &str = "presence messages per 1 s bin, max";
const MARKS_MEDIAN: &str = "marks per message, median";
const MARKS_MAX: &str = "marks per message, max";
const SHORTEST_GAP: &str = "shortest gap between presence messages (ms)";
const MESSAGES_PER_SEC: &str = "messages (text frames) per second at the chair";
const BYTES_PER_SEC: &str = "bytes per second at the chair";
const FLAPS_PER_SEC: &str = "connects + disconnects per second";
const FAILURES: &str = "failed connects";
const CPU: &str = "server CPU (fraction of a core)";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.stay_min_ms <= args.stay_max_ms, "--stay-min-ms exceeds --stay-max-ms");
    anyhow::ensure!(args.away_min_ms <= args.away_max_ms, "--away-min-ms exceeds --away-max-ms");
    anyhow::ensure!(args.secs > 0 && args.repeat > 0, "--secs and --repeat must be positive");
    // Two cores or more: the harness on core 0, the server on core 1 (as loadgen does).
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let core = (cores >= 2
        && Command::new("taskset")
            .args(["-cp", "0", &std::process::id().to_string()])
            .output()
            .is_ok_and(|o| o.status.success()))
    .then_some(1);
    if core.is_none() {
        eprintln!("the harness and the server share the cores (one core, or taskset failed)");
    }
    let exe = std::env::current_exe()?;
    let rostrum = exe.parent().context("flapping's directory")?.join("rostrum");
    anyhow::ensure!(rostrum.is_file(), "{} is missing: cargo build --release -p rostrum-server", rostrum.display());
    let programs = Programs { rostrum, ceiling: PathBuf::new(), node: None, core };

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let sources = Arc::new(Sources::default());
    let started = Instant::now();
    let cases: Vec<Case> = [Case::AtOnce, Case::Away, Case::Control]
        .into_iter()
        .filter(|&c| c != Case::Away || args.away_max_ms > 0)
        .collect();
    let mut samples: Vec<(Case, Vec<Sample>)> = cases.iter().map(|&case| (case, Vec::new())).collect();
    for rep in 1..=args.repeat {
        for (case, runs) in &mut samples {
            let sample = runtime.block_on(run(&args, &programs, &sources, *case))?;
            eprintln!(
                "run {rep}/{} {:<8}: {:.0} presence messages/s (median bin), {:.0} max; marks/message {:.0} median, \
                 {:.0} max; {:.2} messages/s and {:.0} B/s at the chair; {:.0} flaps/s, {:.0} failed; server CPU {:.0}%",
                args.repeat,
                case.name(),
                sample.get(MESSAGES_MEDIAN),
                sample.get(MESSAGES_MAX),
                sample.get(MARKS_MEDIAN),
                sample.get(MARKS_MAX),
                sample.get(MESSAGES_PER_SEC),
                sample.get(BYTES_PER_SEC),
                sample.get(FLAPS_PER_SEC),
                sample.get(FAILURES),
                sample.get(CPU) * 100.0,
            );
            runs.push(sample);
        }
    }
    let section = section(&args, core.is_some(), &samples, started.elapsed());
    match &args.out {
        Some(out) => {
            rostrum_tests::report::write_section(out, BEGIN, END, &section)
                .with_context(|| format!("write {}", out.display()))?;
            println!("{section}\nwritten to {}", out.display());
        }
        None => println!("{section}"),
    }
    Ok(())
}

/// What one run measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// The chair watches presence; a screen that disconnects connects again at once.
    AtOnce,
    /// The chair watches presence; a screen stays away a random time before it connects again.
    Away,
    /// As [`Case::AtOnce`], with the chair not watching presence.
    Control,
}

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::AtOnce => "at once",
            Case::Away => "away",
            Case::Control => "control",
        }
    }
}

/// Counts of the flapping screens, all together.
#[derive(Default)]
struct Flaps {
    connects: AtomicU64,
    disconnects: AtomicU64,
    failures: AtomicU64,
}

impl Flaps {
    fn now(&self) -> [u64; 3] {
        [&self.connects, &self.disconnects, &self.failures].map(|c| c.load(Ordering::Relaxed))
    }
}

/// One frame the chair received.
struct Frame {
    at: Instant,
    bytes: usize,
    /// A text frame (a message), rather than a ping.
    text: bool,
    /// The marks of a `presence` message (a change, not the snapshot).
    marks: Option<usize>,
}

/// One run of `case` on a fresh server.
async fn run(args: &Args, programs: &Programs, sources: &Arc<Sources>, case: Case) -> anyhow::Result<Sample> {
    let watching = case != Case::Control;
    let away = if case == Case::Away { (args.away_min_ms, args.away_max_ms) } else { (0, 0) };
    let server = servers::Server::start(Kind::Rostrum, programs, None)?;
    let addr = server.addr;
    servers::create_meeting(addr, MEETING, 1).await?;
    let scope = json!({"meeting": MEETING});

    let chair_token = servers::token(CHAIR, "Bench chair", "chair", None, scope.clone());
    let mut chair = clients::open(addr, sources.next()).await?;
    hello(&mut chair, &chair_token, watching).await?;
    if watching {
        match next_text(&mut chair).await?.as_deref().map(serde_json::from_str::<ServerMessage>) {
            Some(Ok(ServerMessage::Presence { snapshot: true, .. })) => {}
            other => bail!("expected the presence snapshot after synced, got {other:?}"),
        }
    }

    let flaps = Arc::new(Flaps::default());
    let begin = Instant::now();
    let open = begin + Duration::from_secs(args.warmup_secs);
    let close = open + Duration::from_secs(args.secs);
    let reader = tokio::spawn(chair_reader(chair, close));
    let mut screens = Vec::with_capacity(args.screens);
    for i in 0..args.screens {
        let sub = format!("del-{i}");
        let token =
            servers::token(&sub, &format!("Delegate {i}"), "delegate", Some(&format!("State {i}")), scope.clone());
        let times = Times { stay: (args.stay_min_ms, args.stay_max_ms), away };
        let seed = 0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        screens.push(tokio::spawn(screen(addr, sources.clone(), token, seed, times, flaps.clone(), close)));
    }

    tokio::time::sleep_until(open.into()).await;
    let (cpu_open, flaps_open) = (server.cpu(), flaps.now());
    tokio::time::sleep_until(close.into()).await;
    let (cpu_close, flaps_close) = (server.cpu(), flaps.now());
    let window = close - open;

    for screen in screens {
        screen.await?;
    }
    let frames = reader.await??;

    let secs = window.as_secs_f64();
    let mut sample = Sample::default();
    let in_window: Vec<&Frame> = frames.iter().filter(|f| f.at >= open && f.at < close).collect();
    let mut bins = vec![0.0; args.secs as usize];
    for frame in in_window.iter().filter(|f| f.marks.is_some()) {
        let bin = ((frame.at - open).as_secs_f64() as usize).min(bins.len() - 1);
        bins[bin] += 1.0;
    }
    sample.put(MESSAGES_MEDIAN, median(bins.clone()));
    sample.put(MESSAGES_MAX, bins.iter().copied().fold(0.0, f64::max));
    let marks: Vec<f64> = in_window.iter().filter_map(|f| f.marks).map(|m| m as f64).collect();
    if !marks.is_empty() {
        sample.put(MARKS_MEDIAN, median(marks.clone()));
        sample.put(MARKS_MAX, marks.iter().copied().fold(0.0, f64::max));
    }
    let presence: Vec<Instant> = frames.iter().filter(|f| f.marks.is_some()).map(|f| f.at).collect();
    if let Some(gap) = presence.windows(2).map(|w| w[1] - w[0]).min() {
        sample.put(SHORTEST_GAP, gap.as_secs_f64() * 1000.0);
    }
    sample.put(MESSAGES_PER_SEC, in_window.iter().filter(|f| f.text).count() as f64 / secs);
    sample.put(BYTES_PER_SEC, in_window.iter().map(|f| f.bytes).sum::<usize>() as f64 / secs);
    let flapped = (flaps_close[0] - flaps_open[0]) + (flaps_close[1] - flaps_open[1]);
    sample.put(FLAPS_PER_SEC, flapped as f64 / secs);
    sample.put(FAILURES, flaps_close[2] as f64);
    sample.put(CPU, (cpu_close - cpu_open).as_secs_f64() / secs);
    drop(server);
    Ok(sample)
}

/// Says hello (asking for presence when `presence`) and reads until `synced`.
async fn hello(ws: &mut clients::Ws, token: &str, presence: bool) -> anyhow::Result<()> {
    let hello =
        json!({"type": "hello", "protocol": PROTOCOL, "meeting": MEETING, "token": token, "presence": presence});
    ws.send(Message::Text(hello.to_string().into())).await?;
    loop {
        let Some(text) = next_text(ws).await? else { bail!("the connection ended before synced") };
        if text.starts_with(r#"{"type":"synced""#) {
            return Ok(());
        }
        if text.starts_with(r#"{"type":"rejected""#) {
            bail!("hello refused: {text}");
        }
    }
}

/// The next text frame, or `None` when the connection ended.
async fn next_text(ws: &mut clients::Ws) -> anyhow::Result<Option<String>> {
    loop {
        match tokio::time::timeout(PATIENCE, ws.next()).await.context("nothing from the server in time")? {
            Some(Ok(Message::Text(text))) => return Ok(Some(text.to_string())),
            Some(Ok(Message::Close(_))) | None => return Ok(None),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(e.into()),
        }
    }
}

/// Everything the chair receives until `until`, each frame with when it arrived.
async fn chair_reader(mut ws: clients::Ws, until: Instant) -> anyhow::Result<Vec<Frame>> {
    let mut frames = Vec::new();
    loop {
        let message = tokio::select! {
            message = ws.next() => message,
            () = tokio::time::sleep_until(until.into()) => break,
        };
        let at = Instant::now();
        let (bytes, text, marks) = match message {
            Some(Ok(Message::Text(text))) => {
                let marks = match serde_json::from_str::<ServerMessage>(&text) {
                    Ok(ServerMessage::Presence { snapshot: false, marks }) => Some(marks.len()),
                    _ => None,
                };
                (text.len(), true, marks)
            }
            Some(Ok(Message::Close(frame))) => bail!("the server closed the chair's console: {frame:?}"),
            Some(Ok(other)) => (other.len(), false, None),
            Some(Err(e)) => return Err(e.into()),
            None => bail!("the chair's console was cut"),
        };
        frames.push(Frame { at, bytes, text, marks });
    }
    let _ = ws.close(None).await;
    Ok(frames)
}

/// How long a screen stays connected, and away, in milliseconds: a random time in each range.
#[derive(Clone, Copy)]
struct Times {
    stay: (u64, u64),
    away: (u64, u64),
}

/// One delegate's screen: connects, stays a random time, disconnects, stays away a random time (or
/// none) and connects again, until `until`.
async fn screen(
    addr: std::net::SocketAddr,
    sources: Arc<Sources>,
    token: String,
    mut seed: u64,
    times: Times,
    flaps: Arc<Flaps>,
    until: Instant,
) {
    let mut pick = move |(min, max): (u64, u64)| {
        seed = splitmix(seed);
        Duration::from_millis(min + seed % (max - min + 1))
    };
    // Spread the first connects over one stay, so that the screens do not flap in step.
    tokio::time::sleep(pick(times.stay)).await;
    while Instant::now() < until {
        let connected = async {
            let mut ws = clients::open(addr, sources.next()).await?;
            hello(&mut ws, &token, false).await?;
            anyhow::Ok(ws)
        };
        match connected.await {
            Ok(mut ws) => {
                flaps.connects.fetch_add(1, Ordering::Relaxed);
                tokio::time::sleep(pick(times.stay)).await;
                // A tab closed: the close frame, then the socket goes without waiting for the reply.
                let _ = ws.send(Message::Close(None)).await;
                drop(ws);
                flaps.disconnects.fetch_add(1, Ordering::Relaxed);
                if times.away.1 > 0 {
                    tokio::time::sleep(pick(times.away)).await;
                }
            }
            Err(e) => {
                if flaps.failures.fetch_add(1, Ordering::Relaxed) == 0 {
                    eprintln!("    a screen could not connect: {e:#}");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The highest value of a figure over the runs.
fn worst(samples: &[Sample], name: &str) -> f64 {
    samples.iter().map(|s| s.get(name)).filter(|v| !v.is_nan()).fold(f64::NAN, f64::max)
}

fn num(value: f64, digits: usize) -> String {
    if value.is_nan() {
        "–".into()
    } else {
        format!("{value:.digits$}")
    }
}

/// `1000` as `1,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**not met**"
    }
}

fn shell(command: &str, args: &[&str]) -> String {
    Command::new(command)
        .args(args)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|r| r.split_once(':')).map(|(_, m)| m.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{model}, {} cores (nproc), Linux {}", shell("nproc", &["--all"]), shell("uname", &["-r"]))
}

/// The section of `docs/benchmarks.md`, between its markers.
fn section(args: &Args, pinned: bool, samples: &[(Case, Vec<Sample>)], took: Duration) -> String {
    let runs = |case: Case| samples.iter().find(|(c, _)| *c == case).map_or(&[][..], |(_, runs)| runs.as_slice());
    let placement = if pinned {
        "the server pinned to core 1, the harness (chair and screens) to core 0 (`taskset`)"
    } else {
        "the harness and the server share the cores"
    };
    let away = if args.away_max_ms > 0 {
        format!(
            " A second case (**away**) has each screen stay away a random {}–{} ms before it connects again, so \
             that most changes are still standing when the next message goes: full messages every second.",
            args.away_min_ms, args.away_max_ms
        )
    } else {
        String::new()
    };
    let mut out = format!(
        "{BEGIN}\n## Live presence: a thousand flapping screens\n\n\
         Measured by `flapping` (`tests/src/bin/flapping.rs`); run it again with `{command}`. A fresh \
         release server per run; the chair's console says `hello` with `\"presence\": true`; {screens} \
         delegates' screens, each with its own token, connect, stay a random {min}–{max} ms, send a close \
         frame and connect again at once (**at once**), for {warmup} s of warm-up and then a measured window \
         of {secs} s.{away} The **control** is the at-once case with the chair's `hello` not asking for \
         presence. The chair's frames are counted in 1-second bins from the window's start. Every figure is \
         the median of {repeat} runs of each case, except the max per bin and the max marks, which are the \
         worst of any run.\n\n\
         - **date**: {date}\n\
         - **machine**: {machine}; {placement}. The machine is shared with other engineers' builds: \
         single figures are noisy, hence medians\n\
         - **run took**: {took:.1} min\n\n\
         | measure | value | goal | met |\n\
         | --- | ---: | --- | --- |\n",
        command = args.command,
        screens = thousands(args.screens),
        min = args.stay_min_ms,
        max = args.stay_max_ms,
        warmup = args.warmup_secs,
        secs = args.secs,
        repeat = args.repeat,
        date = shell("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        machine = machine(),
        took = took.as_secs_f64() / 60.0,
    );
    let row = |out: &mut String, measure: &str, value: String, goal: &str, ok: Option<bool>| {
        *out += &format!("| {measure} | {value} | {goal} | {} |\n", ok.map_or("", met));
    };
    for case in [Case::AtOnce, Case::Away] {
        let runs = runs(case);
        if runs.is_empty() {
            continue;
        }
        let m = |name: &str| stats::median(runs, name);
        let name = case.name();
        let median_bin = m(MESSAGES_MEDIAN);
        let max_bin = worst(runs, MESSAGES_MAX);
        let marks_max = worst(runs, MARKS_MAX);
        row(
            &mut out,
            &format!("{name}: presence messages per second at the chair, median of the 1 s bins"),
            num(median_bin, 1),
            "≤ 1 (the coalescing interval)",
            Some(median_bin <= 1.0 / COALESCE_SECS),
        );
        row(
            &mut out,
            &format!("{name}: presence messages per second at the chair, max of the 1 s bins (worst run)"),
            num(max_bin, 0),
            "≤ 2 (bins and the server's timer are not aligned)",
            Some(max_bin <= 2.0 / COALESCE_SECS),
        );
        row(
            &mut out,
            &format!("{name}: messages (text frames) per second at the chair, mean"),
            num(m(MESSAGES_PER_SEC), 2),
            "–",
            None,
        );
        row(
            &mut out,
            &format!("{name}: shortest gap between two presence messages at the chair (ms)"),
            num(m(SHORTEST_GAP), 0),
            "–",
            None,
        );
        row(&mut out, &format!("{name}: marks per presence message, median"), num(m(MARKS_MEDIAN), 0), "–", None);
        row(
            &mut out,
            &format!("{name}: marks per presence message, max (worst run)"),
            num(marks_max, 0),
            &format!("≤ {} (each screen at most once)", thousands(args.screens)),
            Some(marks_max.is_nan() || marks_max <= args.screens as f64),
        );
        row(
            &mut out,
            &format!("{name}: bytes per second at the chair (WebSocket payload)"),
            num(m(BYTES_PER_SEC), 0),
            "–",
            None,
        );
        row(
            &mut out,
            &format!("{name}: connects + disconnects per second by the screens"),
            num(m(FLAPS_PER_SEC), 0),
            "–",
            None,
        );
        row(&mut out, &format!("{name}: server CPU (% of one core)"), num(m(CPU) * 100.0, 0), "–", None);
    }
    let control = runs(Case::Control);
    let c = |name: &str| stats::median(control, name);
    let quiet = worst(control, MESSAGES_PER_SEC);
    row(
        &mut out,
        "control, chair not watching presence: messages per second at the chair (worst run)",
        num(quiet, 2),
        "0 (flapping screens send the chair nothing else)",
        Some(quiet == 0.0),
    );
    row(&mut out, "control: connects + disconnects per second by the screens", num(c(FLAPS_PER_SEC), 0), "–", None);
    row(&mut out, "control: server CPU (% of one core)", num(c(CPU) * 100.0, 0), "–", None);
    let failures = samples.iter().map(|(_, runs)| worst(runs, FAILURES)).fold(0.0, f64::max);
    row(
        &mut out,
        "screens' connects that failed (worst run of any case)",
        num(failures, 0),
        "0",
        Some(failures == 0.0),
    );
    out += &format!(
        "\nWhy the max may be 2: the server sends a presence message at most once per {COALESCE_SECS:.0} s, \
         {COALESCE_SECS:.0} s after the first change it holds, on its own timer, while the bins start when the \
         window opens. Messages sent {COALESCE_SECS:.0} s apart arrive with a few milliseconds of varying \
         delay (the harness shares its core with a thousand screens), so two of them can land in one bin when \
         the second is delayed less than the first; the shortest gap as the chair received them shows how \
         close to the interval they come. In the at-once case many seconds carry no message at all: a screen \
         that drops and comes back before the next message changes nothing anyone sees, so only the screens \
         caught in the milliseconds between their disconnect and their next `hello` make marks.\n{END}\n"
    );
    out
}
