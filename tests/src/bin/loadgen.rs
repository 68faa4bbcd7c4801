//! `loadgen`: Rostrum's benchmark harness (`make bench`). It starts Rostrum, the ceiling (a bare
//! tokio-tungstenite broadcast server, `ceiling`) and a Node.js `ws` broadcast server on one core,
//! drives them from another with the same clients, and writes medians and ratios to
//! `docs/benchmarks.md`. Every goal is a ratio to a reference measured in the same run, so that the
//! figures hold on a noisy machine.
//!
//! `loadgen --help` lists the settings.

#[path = "loadgen/clients.rs"]
mod clients;
#[path = "loadgen/durable.rs"]
mod durable;
#[path = "loadgen/fanout.rs"]
mod fanout;
#[path = "loadgen/report.rs"]
mod report;
#[path = "loadgen/restart.rs"]
mod restart;
#[path = "loadgen/servers.rs"]
mod servers;
#[path = "loadgen/stats.rs"]
mod stats;

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::clients::Sources;
use crate::servers::{Kind, Programs};
use crate::stats::Sample;

const HELP: &str = "loadgen: Rostrum's benchmark harness

  --n LIST              observers per fan-out run, comma-separated (default 1000,10000)
  --repeat R            runs of every case; medians are reported (default 3)
  --out PATH            where to write the report (default: print only)
  --command TEXT        the command line to record in the report
  --chairs C            chair connections causing events (default 128)
  --rounds R            events sent one at a time for latency (default 40; 20 above 2,000 observers)
  --window W            events in flight when saturated, at most 256,000 / N (default 256)
  --saturate-secs S     length of the saturated phase (default 3)
  --overload-secs S     length of the 2x overload phase, Rostrum only, at the first N; 0 skips (default 4)
  --in-flight H         handshakes in flight while connecting (default 500)
  --durable-meetings K  meetings in the durable case (default 200)
  --durable-per P       participants per meeting (default 5)
  --durable-ops O       commands per participant, at most 50 (default 40)
  --events E            events in the restart case (default 1000000)
  --restart-meetings M  meetings they are spread over (default 100)
  --restart-dir PATH    keep the restart case's data directory there (reused when it holds one)
                        The restart case runs again on a new PostgreSQL database, dropped after,
                        when ROSTRUM_TEST_POSTGRES names a server (make bench starts one).
  --skip LIST           any of: fanout, node, durable, overload, restart, restart-postgres
";

/// Milliseconds since the Unix epoch.
pub fn unix_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub ns: Vec<usize>,
    pub repeat: usize,
    pub out: Option<PathBuf>,
    pub command: String,
    pub fanout: fanout::Plan,
    pub rounds_explicit: bool,
    pub durable: durable::Plan,
    pub events: usize,
    pub restart_meetings: usize,
    pub restart_dir: Option<PathBuf>,
    pub skip: Vec<String>,
}

fn settings() -> anyhow::Result<Settings> {
    let mut s = Settings {
        ns: vec![1000, 10_000],
        repeat: 3,
        out: None,
        command: "loadgen".into(),
        fanout: fanout::Plan {
            observers: 0,
            chairs: 128,
            rounds: 40,
            saturate_for: Duration::from_secs(3),
            window: 256,
            in_flight: 500,
            overload_for: Duration::from_secs(4),
        },
        rounds_explicit: false,
        durable: durable::Plan { meetings: 200, per_meeting: 5, ops: 40, in_flight: 500 },
        events: 1_000_000,
        restart_meetings: 100,
        restart_dir: None,
        skip: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            print!("{HELP}");
            std::process::exit(0);
        }
        let value = args.next().with_context(|| format!("{flag} needs a value\n\n{HELP}"))?;
        let number = || value.trim().parse::<usize>().with_context(|| format!("{flag}: not a number: {value}"));
        let secs =
            || value.trim().parse::<f64>().map(Duration::from_secs_f64).with_context(|| format!("{flag}: {value}"));
        match flag.as_str() {
            "--n" => {
                s.ns = value.split(',').map(|n| n.trim().parse()).collect::<Result<_, _>>().context("--n")?;
            }
            "--repeat" => s.repeat = number()?.max(1),
            "--out" => s.out = Some(value.into()),
            "--command" => s.command = value,
            "--chairs" => s.fanout.chairs = number()?.max(1),
            "--rounds" => {
                s.fanout.rounds = number()?.max(1);
                s.rounds_explicit = true;
            }
            "--window" => s.fanout.window = number()?.max(1),
            "--saturate-secs" => s.fanout.saturate_for = secs()?,
            "--overload-secs" => s.fanout.overload_for = secs()?,
            "--in-flight" => {
                s.fanout.in_flight = number()?.max(1);
                s.durable.in_flight = s.fanout.in_flight;
            }
            "--durable-meetings" => s.durable.meetings = number()?.max(1),
            "--durable-per" => s.durable.per_meeting = number()?.max(1),
            "--durable-ops" => s.durable.ops = number()?.clamp(1, 50),
            "--events" => s.events = number()?,
            "--restart-meetings" => s.restart_meetings = number()?.max(1),
            "--restart-dir" => s.restart_dir = Some(value.into()),
            "--skip" => s.skip = value.split(',').map(|v| v.trim().to_string()).collect(),
            other => anyhow::bail!("unknown flag {other}\n\n{HELP}"),
        }
    }
    Ok(s)
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn programs(core: Option<usize>) -> anyhow::Result<Programs> {
    let exe = std::env::current_exe()?;
    let dir = exe.parent().context("loadgen's directory")?;
    let rostrum = dir.join("rostrum");
    let ceiling = dir.join("ceiling");
    anyhow::ensure!(rostrum.is_file(), "{} is missing: cargo build --release -p rostrum-server", rostrum.display());
    anyhow::ensure!(ceiling.is_file(), "{} is missing: cargo build --release -p rostrum-tests", ceiling.display());
    let node_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/node-ws"));
    let has_node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let node = if !has_node {
        println!("node was not found: the Node ws column is skipped (install Node.js to measure it)");
        None
    } else if !node_dir.join("node_modules/ws").is_dir() {
        println!(
            "{} has no node_modules: run `npm install` there (make bench does); the Node ws column is skipped",
            node_dir.display()
        );
        None
    } else {
        Some(node_dir)
    };
    Ok(Programs { rostrum, ceiling, node, core })
}

/// Everything measured in one harness run.
#[derive(Default)]
pub struct Results {
    pub fanout: Vec<(usize, Kind, Vec<Sample>)>,
    pub durable: Vec<Sample>,
    pub disk: Vec<Sample>,
    pub restart: Vec<Sample>,
    pub restart_postgres: Vec<Sample>,
    pub notes: Vec<String>,
}

impl Results {
    fn fanout_mut(&mut self, n: usize, kind: Kind) -> &mut Vec<Sample> {
        if let Some(i) = self.fanout.iter().position(|(m, k, _)| *m == n && *k == kind) {
            return &mut self.fanout[i].2;
        }
        self.fanout.push((n, kind, Vec::new()));
        &mut self.fanout.last_mut().expect("just pushed").2
    }

    pub fn samples(&self, n: usize, kind: Kind) -> &[Sample] {
        self.fanout.iter().find(|(m, k, _)| *m == n && *k == kind).map(|(_, _, s)| s.as_slice()).unwrap_or(&[])
    }
}

fn main() -> anyhow::Result<()> {
    let settings = settings()?;
    // Two cores or more: the harness on core 0, the server under test on core 1. Threads made from
    // here on inherit the affinity.
    let core = if cores() >= 2 {
        let pinned = Command::new("taskset")
            .args(["-cp", "0", &std::process::id().to_string()])
            .output()
            .is_ok_and(|o| o.status.success());
        if !pinned {
            println!("taskset failed: the harness and the servers share cores");
        }
        pinned.then_some(1)
    } else {
        println!("one core: the harness and the servers share it (figures are less telling)");
        None
    };
    let programs = programs(core)?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let started = std::time::Instant::now();
    let results = runtime.block_on(run_all(&settings, &programs));
    let report = report::render(&settings, &programs, &results, started.elapsed());
    println!("\n{report}");
    if let Some(out) = &settings.out {
        // Only its own section: the first load's, the presence's and the notes written by hand stay.
        let section =
            format!("{}\n{report}{}{}\n", report::BEGIN, if report.ends_with('\n') { "" } else { "\n" }, report::END);
        rostrum_tests::report::write_section(out, report::BEGIN, report::END, &section)
            .with_context(|| format!("write {}", out.display()))?;
        println!("written to {}", out.display());
    }
    Ok(())
}

async fn run_all(settings: &Settings, programs: &Programs) -> Results {
    let mut results = Results::default();
    let sources = Arc::new(Sources::default());
    let skip = |case: &str| settings.skip.iter().any(|s| s == case);
    let mut kinds = vec![Kind::Ceiling, Kind::Rostrum];
    if programs.node.is_some() && !skip("node") {
        kinds.push(Kind::Node);
    }
    for rep in 0..settings.repeat {
        if !skip("fanout") {
            for (i, &n) in settings.ns.iter().enumerate() {
                for &kind in &kinds {
                    let mut plan = settings.fanout.clone();
                    plan.observers = n;
                    if !settings.rounds_explicit && n > 2000 {
                        plan.rounds = 20;
                    }
                    if i != 0 || skip("overload") {
                        plan.overload_for = Duration::ZERO;
                    }
                    println!("[{}/{}] fan-out, {} observers, {}", rep + 1, settings.repeat, n, kind.name());
                    match fanout::run(kind, programs, &plan, &sources).await {
                        Ok(sample) => {
                            println!("    {}", brief(&sample));
                            results.fanout_mut(n, kind).push(sample);
                        }
                        Err(error) => {
                            println!("    failed: {error:#}");
                            results.notes.push(format!(
                                "run {} of fan-out at N = {n} against {} failed: {error:#}",
                                rep + 1,
                                kind.name()
                            ));
                        }
                    }
                }
            }
        }
        if !skip("durable") {
            let batch = (settings.durable.meetings * settings.durable.per_meeting).min(1024);
            println!("[{}/{}] raw SQLite group commit on this disk, batches of {batch}", rep + 1, settings.repeat);
            match durable::raw_disk(batch, Duration::from_secs(2)) {
                Ok(sample) => {
                    println!("    {}", brief(&sample));
                    results.disk.push(sample);
                }
                Err(error) => results.notes.push(format!("raw disk reference failed: {error:#}")),
            }
            let plan = &settings.durable;
            println!(
                "[{}/{}] durable floor requests, {} meetings x {} participants x {} commands",
                rep + 1,
                settings.repeat,
                plan.meetings,
                plan.per_meeting,
                plan.ops
            );
            match durable::run(programs, plan, &sources).await {
                Ok(sample) => {
                    println!("    {}", brief(&sample));
                    results.durable.push(sample);
                }
                Err(error) => {
                    println!("    failed: {error:#}");
                    results.notes.push(format!("durable run {} failed: {error:#}", rep + 1));
                }
            }
        }
    }
    if !skip("restart") {
        println!(
            "restart on SQLite: {} events over {} meetings, written with the server's store",
            settings.events, settings.restart_meetings
        );
        match restart_case(settings, programs, &mut results).await {
            Ok(()) => {}
            Err(error) => {
                println!("    failed: {error:#}");
                results.notes.push(format!("restart case failed: {error:#}"));
            }
        }
    }
    results
}

async fn restart_case(settings: &Settings, programs: &Programs, results: &mut Results) -> anyhow::Result<()> {
    let temp;
    let dir = match &settings.restart_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::Builder::new().prefix("rostrum-bench-restart-").tempdir()?;
            temp.path().to_path_buf()
        }
    };
    std::fs::create_dir_all(&dir)?;
    results.restart = restart_runs(settings, programs, &restart::Target::Sqlite { dir }).await?;
    if settings.skip.iter().any(|s| s == "restart-postgres") {
        return Ok(());
    }
    let Ok(admin) = std::env::var("ROSTRUM_TEST_POSTGRES") else {
        results.notes.push(
            "ROSTRUM_TEST_POSTGRES is not set: the restart on PostgreSQL was not measured (make bench starts one)"
                .into(),
        );
        return Ok(());
    };
    println!("restart on PostgreSQL: a new database beside {}", rostrum::store::postgres::redacted(&admin));
    let keys = tempfile::Builder::new().prefix("rostrum-bench-restart-pg-").tempdir()?;
    let scratch = admin.clone();
    let (name, url) =
        tokio::task::spawn_blocking(move || rostrum::store::postgres::scratch::create(&scratch)).await??;
    let target = restart::Target::Postgres { dir: keys.path().to_path_buf(), url };
    let runs = restart_runs(settings, programs, &target).await;
    tokio::task::spawn_blocking(move || rostrum::store::postgres::scratch::drop(&admin, &name)).await??;
    results.restart_postgres = runs?;
    Ok(())
}

/// Seeds `target` unless an earlier run did, then starts the server on it `repeat` times from the
/// log alone and from the snapshots.
async fn restart_runs(
    settings: &Settings,
    programs: &Programs,
    target: &restart::Target,
) -> anyhow::Result<Vec<Sample>> {
    if target.seeded().await {
        println!("    reusing the events written before");
    } else {
        let seeded = std::time::Instant::now();
        target.seed(settings.restart_meetings, settings.events).await?;
        println!("    written in {:.1} s", seeded.elapsed().as_secs_f64());
    }
    let mut samples = Vec::new();
    for rep in 0..settings.repeat {
        println!("[{}/{}] restart on {} events, from the log alone", rep + 1, settings.repeat, settings.events);
        target.forget_snapshots().await?;
        let mut sample =
            restart::time_start(programs, target, ("log_only_s", "log_only_rss_mib"), settings.restart_meetings)
                .await?;
        println!("    {}", brief(&sample));
        println!("[{}/{}] restart on {} events, from the snapshots", rep + 1, settings.repeat, settings.events);
        let snapshots =
            restart::time_start(programs, target, ("restart_s", "restart_rss_mib"), settings.restart_meetings).await?;
        println!("    {}", brief(&snapshots));
        sample.merge(snapshots);
        samples.push(sample);
    }
    Ok(samples)
}

fn brief(sample: &Sample) -> String {
    format!("{sample:?}").trim_start_matches("Sample(").trim_end_matches(')').to_string()
}
