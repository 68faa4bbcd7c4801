//! `twonodes`: what a second node costs (issue 18). Two figures, each beside its one-node
//! counterpart, on the release `rostrum` and the PostgreSQL `make postgres` starts:
//!
//! - **fan-out across nodes**: a delegate on the first node asks for the floor and withdraws, one
//!   command at a time, every 60 ms; screens on both nodes follow the meeting. For each event, the time from
//!   the command's send to its arrival at the last screen of each node: the first node's screens
//!   hear it from their own node, the second's through the database and a wake-up.
//! - **throughput of the shared log**: delegates in one meeting each ask and withdraw `--ops`
//!   times as fast as their acks come (within a connection's burst of 50 messages); durable
//!   commands per second with every delegate on one SQLite node, on one PostgreSQL node, and split
//!   over two PostgreSQL nodes (where the nodes race for each sequence number of the one meeting
//!   and the loser decides again).
//!
//! `make bench-nodes` runs it and it writes its section of `docs/benchmarks.md` between its
//! markers. Medians over `--repeat` runs. The clients run in this process, on the same two cores as
//! the servers and the database: compare the rows with each other, not with other machines.

#[allow(dead_code)]
#[path = "loadgen/stats.rs"]
mod stats;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use clap::Parser;
use rostrum_tests::{command, request, segment, Client, Nodes, Server};
use serde_json::json;
use shared::protocol::ServerMessage;

use crate::stats::{median, percentile, Sample};

const MEETING: &str = "bench";
const BEGIN: &str = "<!-- twonodes:begin -->";
const END: &str = "<!-- twonodes:end -->";
/// The servers log warnings only: the figures are not the logger's.
const QUIET: &[(&str, &str)] = &[("RUST_LOG", "warn")];
/// Every client here comes from loopback: the caps that keep one address from crowding out a venue
/// are lifted, as `loadgen` does.
const UNCAPPED: &[&str] =
    &["--no-rate-limits", "--max-connections-per-address", "1000000", "--address-messages-per-sec", "10000000"];

#[derive(Parser)]
#[command(about = "Two nodes on one PostgreSQL database: fan-out across nodes and the shared log's throughput")]
struct Args {
    /// Screens following the meeting on each node.
    #[arg(long, default_value_t = 100)]
    screens: usize,
    /// Events the delegate makes, one at a time, in the fan-out case.
    #[arg(long, default_value_t = 200)]
    events: usize,
    /// Delegates writing at once in the throughput case.
    #[arg(long, default_value_t = 64)]
    writers: usize,
    /// Commands each delegate sends in the throughput case (a connection's burst is 50).
    #[arg(long, default_value_t = 40)]
    ops: usize,
    /// Runs of each case; medians are reported.
    #[arg(long, default_value_t = 3)]
    repeat: usize,
    /// The Markdown file whose section is rewritten (printed only when absent).
    #[arg(long)]
    out: Option<PathBuf>,
    /// How the run was started, for the section's heading.
    #[arg(long, default_value = "make bench-nodes")]
    command: String,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(
        std::env::var_os("ROSTRUM_TEST_POSTGRES").is_some(),
        "ROSTRUM_TEST_POSTGRES is not set: run `make bench-nodes`, which starts PostgreSQL"
    );
    let mut samples = Vec::new();
    for run in 0..args.repeat {
        let mut sample = Sample::default();
        sample.merge(fan_out(&args).await);
        sample.merge(throughput(&args).await);
        eprintln!("run {}/{}: {sample:?}", run + 1, args.repeat);
        samples.push(sample);
    }
    let section = section(&args, &samples);
    match &args.out {
        Some(path) => rostrum_tests::report::write_section(path, BEGIN, END, &section)?,
        None => print!("{section}"),
    }
    Ok(())
}

/// The delegate's token and the meeting, on the first node.
async fn meeting(first: &Server) -> String {
    first.meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    first.delegate(MEETING, "del-writer", "State W")
}

/// A screen that records when each event arrived, until it has seen `last`.
async fn follow(mut screen: Client, last: u64) -> Vec<(u64, Instant)> {
    let mut arrivals = Vec::new();
    loop {
        if let ServerMessage::Event(record) = screen.recv().await {
            arrivals.push((record.seq.0, Instant::now()));
            if record.seq.0 >= last {
                return arrivals;
            }
        }
    }
}

/// The latest arrival of each event at any of `screens`.
fn last_arrivals(screens: Vec<Vec<(u64, Instant)>>) -> std::collections::HashMap<u64, Instant> {
    let mut last = std::collections::HashMap::new();
    for (seq, at) in screens.into_iter().flatten() {
        last.entry(seq).and_modify(|t: &mut Instant| *t = (*t).max(at)).or_insert(at);
    }
    last
}

async fn fan_out(args: &Args) -> Sample {
    let nodes = Nodes::start_env(2, UNCAPPED, QUIET).await;
    let token = meeting(&nodes[0]).await;
    nodes.until_everywhere(MEETING).await;
    let mut writer = Client::connect(&nodes[0], MEETING, Some(&token)).await;
    let head = writer.state().seq.0;
    let last = head + args.events as u64;
    let mut followers = [Vec::new(), Vec::new()];
    for (node, followers) in followers.iter_mut().enumerate() {
        for _ in 0..args.screens {
            let screen = Client::connect(&nodes[node], MEETING, None).await;
            followers.push(tokio::spawn(follow(screen, last)));
        }
    }
    let mut sent = std::collections::HashMap::new();
    // One command every 60 ms: within a connection's 20 messages a second, as a delegate is.
    let mut pace = tokio::time::interval(std::time::Duration::from_millis(60));
    for n in 0..args.events {
        pace.tick().await;
        let cmd = if n % 2 == 0 { request("statement", "remote", "en") } else { command(json!({"type": "withdraw"})) };
        let at = Instant::now();
        let seq = writer.command(cmd).await.expect("the delegate's command is taken");
        sent.insert(seq.0, at);
    }
    let mut sample = Sample::default();
    for (node, followers) in followers.into_iter().enumerate() {
        let mut screens = Vec::new();
        for follower in followers {
            screens.push(follower.await.expect("a screen follows to the end"));
        }
        let mut latencies: Vec<f64> = last_arrivals(screens)
            .into_iter()
            .filter_map(|(seq, at)| sent.get(&seq).map(|sent| at.duration_since(*sent).as_secs_f64() * 1000.0))
            .collect();
        let (p50, p99) = (percentile(&mut latencies, 50.0), percentile(&mut latencies, 99.0));
        let (p50_name, p99_name) = if node == 0 { ("same_p50", "same_p99") } else { ("other_p50", "other_p99") };
        sample.put(p50_name, p50);
        sample.put(p99_name, p99);
    }
    sample
}

/// Delegates on `servers` (in turn), connected first, then each asking and withdrawing `ops`
/// times as fast as its acks come; durable commands per second.
async fn commands_per_second(servers: &[&Server], args: &Args) -> f64 {
    let mut clients = Vec::new();
    for n in 0..args.writers {
        let server = servers[n % servers.len()];
        let token = server.delegate(MEETING, &format!("del-{n}"), &format!("State {n}"));
        clients.push(Client::connect(server, MEETING, Some(&token)).await);
    }
    let acked = Arc::new(AtomicU64::new(0));
    let start = Arc::new(tokio::sync::Barrier::new(args.writers + 1));
    let mut writers = Vec::new();
    for mut client in clients {
        let (acked, start, ops) = (acked.clone(), start.clone(), args.ops);
        writers.push(tokio::spawn(async move {
            start.wait().await;
            for k in 0..ops {
                let cmd = if k % 2 == 0 {
                    request("statement", "remote", "en")
                } else {
                    command(json!({"type": "withdraw"}))
                };
                client.command(cmd).await.expect("a writer's command is taken");
                acked.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    start.wait().await;
    let started = Instant::now();
    for writer in writers {
        writer.await.expect("a writer sends all its commands");
    }
    acked.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

async fn throughput(args: &Args) -> Sample {
    let mut sample = Sample::default();
    {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sqlite = Server::start_env(dir.path(), "127.0.0.1:0", UNCAPPED, QUIET).await;
        meeting(&sqlite).await;
        sample.put("sqlite_one", commands_per_second(&[&sqlite], args).await);
    }
    {
        let one = Nodes::start_env(1, UNCAPPED, QUIET).await;
        meeting(&one[0]).await;
        sample.put("pg_one", commands_per_second(&[&one[0]], args).await);
    }
    {
        let two = Nodes::start_env(2, UNCAPPED, QUIET).await;
        meeting(&two[0]).await;
        two.until_everywhere(MEETING).await;
        sample.put("pg_two", commands_per_second(&[&two[0], &two[1]], args).await);
    }
    sample
}

fn section(args: &Args, samples: &[Sample]) -> String {
    let m = |name: &str| median(samples, name);
    let ratio = |a: f64, b: f64| format!("{:.2}×", a / b);
    let mut s = String::new();
    s.push_str(&format!("{BEGIN}\n## Two nodes on one PostgreSQL database\n\n"));
    s.push_str(&format!(
        "`{}` (tests/src/bin/twonodes.rs): medians of {} runs; {} screens on each node; {} events one at a \
         time, every 60 ms, for the fan-out; {} delegates of one meeting sending {} commands each for the throughput. Clients, \
         servers and PostgreSQL share the machine's cores.\n\n",
        args.command, args.repeat, args.screens, args.events, args.writers, args.ops
    ));
    s.push_str("| measure | one node | two nodes | two ÷ one |\n| --- | ---: | ---: | ---: |\n");
    let (same50, other50, same99, other99) = (m("same_p50"), m("other_p50"), m("same_p99"), m("other_p99"));
    s.push_str(&format!(
        "| fan-out: command sent → last screen, p50 (ms); one node = screens on the writer's node, two = on the other | {same50:.2} | {other50:.2} | {} |\n",
        ratio(other50, same50)
    ));
    s.push_str(&format!("| fan-out: the same, p99 (ms) | {same99:.2} | {other99:.2} | {} |\n", ratio(other99, same99)));
    let (sqlite, one, two) = (m("sqlite_one"), m("pg_one"), m("pg_two"));
    s.push_str(&format!(
        "| shared log: durable commands per second, PostgreSQL; one node, or the delegates split over two | {one:.0} | {two:.0} | {} |\n",
        ratio(two, one)
    ));
    s.push_str(&format!(
        "| shared log: the same delegates on one SQLite node, for comparison; PostgreSQL one node ÷ SQLite | {sqlite:.0} | – | {} |\n",
        ratio(one, sqlite)
    ));
    s.push_str(&format!("{END}\n"));
    s
}
