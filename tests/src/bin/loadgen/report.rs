//! The report: the machine, the command, the date, and a table of medians, ratios and goals.

use std::fmt::Write;
use std::process::Command;
use std::time::Duration;

use crate::servers::{Kind, Programs};
use crate::stats::median;
use crate::{Results, Settings};

/// A goal's outcome: met, not met, or not measured.
fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "**not met**",
        None => "not measured",
    }
}

fn num(value: f64, digits: usize) -> String {
    if value.is_nan() {
        "–".into()
    } else {
        format!("{value:.digits$}")
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() || b == 0.0 {
        f64::NAN
    } else {
        a / b
    }
}

fn x(value: f64) -> String {
    if value.is_nan() {
        "–".into()
    } else {
        format!("{value:.2}×")
    }
}

/// `Some(check(v))` when `v` was measured.
fn when(v: f64, check: impl Fn(f64) -> bool) -> Option<bool> {
    (!v.is_nan()).then(|| check(v))
}

fn both(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a && b),
        (Some(a), None) | (None, Some(a)) => Some(a),
        (None, None) => None,
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
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| kib / 1024.0 / 1024.0)
        .unwrap_or(f64::NAN);
    let files = shell("sh", &["-c", "ulimit -n"]);
    format!(
        "{model}, {} cores (nproc), {mem_gib:.1} GiB RAM, Linux {}, open-file limit {files}",
        shell("nproc", &["--all"]),
        shell("uname", &["-r"])
    )
}

/// One row of the main table.
struct Row {
    measure: String,
    rostrum: String,
    ceiling: String,
    node: String,
    vs_ceiling: String,
    vs_node: String,
    goal: String,
    met: Option<bool>,
}

/// The markers of `make bench`'s section of docs/benchmarks.md.
pub const BEGIN: &str = "<!-- loadgen:begin -->";
pub const END: &str = "<!-- loadgen:end -->";

pub fn render(settings: &Settings, programs: &Programs, results: &Results, took: Duration) -> String {
    let mut rows = Vec::new();
    let mut goals: Vec<(String, Option<bool>, String)> = Vec::new();
    for &n in &settings.ns {
        let m = |kind: Kind, name: &str| median(results.samples(n, kind), name);
        let fig = |name: &str| (m(Kind::Rostrum, name), m(Kind::Ceiling, name), m(Kind::Node, name));
        let row = |measure: String, name: &str, digits: usize, goal: String, met: Option<bool>| {
            let (r, c, nd) = fig(name);
            Row {
                measure,
                rostrum: num(r, digits),
                ceiling: num(c, digits),
                node: num(nd, digits),
                vs_ceiling: x(ratio(r, c)),
                vs_node: x(ratio(r, nd)),
                goal,
                met,
            }
        };
        let n_text = group(n);

        let (r, c, _) = fig("cpu_paced_us");
        let met = when(ratio(r, c), |v| v <= 1.25);
        rows.push(row(
            format!("server CPU per delivered event, one at a time (µs), N = {n_text}"),
            "cpu_paced_us",
            2,
            "≤ 1.25 × ceiling".into(),
            met,
        ));
        goals.push((
            format!("CPU per delivered event, one at a time, N = {n_text}: ≤ 1.25 × ceiling"),
            met,
            x(ratio(r, c)),
        ));

        let (r, c, nd) = fig("cpu_sat_us");
        let vs_c = when(ratio(r, c), |v| v <= 1.25);
        let vs_n = when(ratio(nd, r), |v| v >= 3.0);
        rows.push(row(
            format!("server CPU per delivered event, saturated (µs), N = {n_text}"),
            "cpu_sat_us",
            2,
            "≤ 1.25 × ceiling; Node ≥ 3 × Rostrum".into(),
            both(vs_c, vs_n),
        ));
        goals.push((
            format!("CPU per delivered event, saturated, N = {n_text}: ≤ 1.25 × ceiling"),
            vs_c,
            x(ratio(r, c)),
        ));
        goals.push((
            format!("CPU per delivered event, saturated, N = {n_text}: ≥ 3 × better than Node ws"),
            vs_n,
            format!("Node uses {} Rostrum's CPU per event", x(ratio(nd, r))),
        ));
        let mut last = row(
            format!("deliveries per second, saturated (thousands), N = {n_text}"),
            "sat_deliveries_per_s",
            0,
            "–".into(),
            None,
        );
        let (r, c, nd) = fig("sat_deliveries_per_s");
        last.rostrum = num(r / 1e3, 1);
        last.ceiling = num(c / 1e3, 1);
        last.node = num(nd / 1e3, 1);
        rows.push(last);
        rows.push(row(
            format!("server core busy while saturated (fraction), N = {n_text}"),
            "server_busy",
            2,
            "–".into(),
            None,
        ));
        rows.push(row(format!("last-observer latency p50 (ms), N = {n_text}"), "lat_p50_ms", 2, "–".into(), None));
        let (r, c, nd) = fig("lat_p99_ms");
        let vs_c = when(ratio(r, c), |v| v <= 1.5);
        let vs_n = when(ratio(r, nd), |v| v < 1.0);
        rows.push(row(
            format!("last-observer latency p99 (ms), N = {n_text}"),
            "lat_p99_ms",
            2,
            "≤ 1.5 × ceiling, < Node".into(),
            both(vs_c, vs_n),
        ));
        goals.push((format!("last-observer latency p99, N = {n_text}: ≤ 1.5 × ceiling"), vs_c, x(ratio(r, c))));
        goals.push((format!("last-observer latency p99, N = {n_text}: below Node ws"), vs_n, x(ratio(r, nd))));

        let r = fig("kib_per_conn").0;
        let met = when(r, |v| v <= 10.0);
        rows.push(row(
            format!("memory per idle observer connection (KiB), N = {n_text}"),
            "kib_per_conn",
            1,
            "≤ 10 KiB".into(),
            met,
        ));
        goals.push((format!("memory per idle connection, N = {n_text}: ≤ 10 KiB"), met, format!("{} KiB", num(r, 1))));

        rows.push(row(
            format!("memory per observer connection, idle again after the saturated phase (KiB), N = {n_text}"),
            "kib_per_conn_after",
            1,
            "–".into(),
            None,
        ));
        rows.push(row(format!("first connect of all observers (s), N = {n_text}"), "connect_s", 2, "–".into(), None));
        let (r, c, _) = fig("storm_s");
        let failed = fig("storm_failed").0;
        let met = both(when(ratio(r, c), |v| v <= 2.0), when(failed, |f| f == 0.0));
        rows.push(row(
            format!("reconnect storm, all at once, Rostrum with resume (s), N = {n_text}"),
            "storm_s",
            2,
            "≤ 2 × ceiling, 0 failures".into(),
            met,
        ));
        rows.push(row(
            format!("reconnect storm failures, N = {n_text}"),
            "storm_failed",
            0,
            "0".into(),
            when(failed, |f| f == 0.0),
        ));
        goals.push((
            format!("reconnect storm, N = {n_text}: ≤ 2 × the ceiling's, 0 failures"),
            met,
            format!("{}, {} failures", x(ratio(r, c)), num(failed, 0)),
        ));
    }

    // The durable case: Rostrum against the raw group-commit rate of the same disk.
    let rate = median(&results.durable, "durable_per_s");
    let raw = median(&results.disk, "raw_per_s");
    let fsync = median(&results.disk, "fsync_ms");
    let ack_p99 = median(&results.durable, "ack_p99_ms");
    let batch = median(&results.disk, "raw_batch");
    let met_rate = when(ratio(rate, raw), |v| v >= 0.5);
    let met_ack = when(ratio(ack_p99, fsync), |v| v <= 3.0);
    let durable_rows = vec![
        Row {
            measure: format!(
                "durable floor requests and withdrawals per second (Rostrum) vs raw SQLite group commit, batches of {}",
                num(batch, 0)
            ),
            rostrum: num(rate, 0),
            ceiling: num(raw, 0),
            node: "–".into(),
            vs_ceiling: x(ratio(rate, raw)),
            vs_node: "–".into(),
            goal: "≥ 0.5 × raw".into(),
            met: met_rate,
        },
        Row {
            measure: "ack latency p50 (ms) vs one single-row commit (≈ one fsync)".into(),
            rostrum: num(median(&results.durable, "ack_p50_ms"), 2),
            ceiling: num(fsync, 2),
            node: "–".into(),
            vs_ceiling: x(ratio(median(&results.durable, "ack_p50_ms"), fsync)),
            vs_node: "–".into(),
            goal: "–".into(),
            met: None,
        },
        Row {
            measure: "ack latency p99 (ms) vs one single-row commit (≈ one fsync)".into(),
            rostrum: num(ack_p99, 2),
            ceiling: num(fsync, 2),
            node: "–".into(),
            vs_ceiling: x(ratio(ack_p99, fsync)),
            vs_node: "–".into(),
            goal: "≤ 3 fsyncs".into(),
            met: met_ack,
        },
        Row {
            measure: "ack latency p99 under light load, one request at a time (ms) vs one single-row commit".into(),
            rostrum: num(median(&results.durable, "light_ack_p99_ms"), 2),
            ceiling: num(fsync, 2),
            node: "–".into(),
            vs_ceiling: x(ratio(median(&results.durable, "light_ack_p99_ms"), fsync)),
            vs_node: "–".into(),
            goal: "–".into(),
            met: None,
        },
        Row {
            measure: "server CPU per durable command (µs); server core busy (fraction)".into(),
            rostrum: format!(
                "{}; {}",
                num(median(&results.durable, "durable_cpu_us"), 1),
                num(median(&results.durable, "durable_busy"), 2)
            ),
            ceiling: "–".into(),
            node: "–".into(),
            vs_ceiling: "–".into(),
            vs_node: "–".into(),
            goal: "–".into(),
            met: None,
        },
    ];
    goals.push((
        "durable floor requests: ≥ 50 % of the disk's raw group-commit rate".into(),
        met_rate,
        x(ratio(rate, raw)),
    ));
    goals.push(("durable ack p99: ≤ 3 fsyncs".into(), met_ack, format!("{} fsyncs", num(ratio(ack_p99, fsync), 1))));

    // 2× overload (Rostrum, first N).
    let n0 = settings.ns.first().copied().unwrap_or(0);
    let over = results.samples(n0, Kind::Rostrum);
    let om = |name: &str| median(over, name);
    let resync_max = om("over_resync_max_ms");
    let kicked = om("over_kicked");
    let rss_start = om("over_rss_start_mib");
    let rss_end = om("over_rss_end_mib");
    let rss_peak = om("over_rss_peak_mib");
    let met_resync = when(resync_max, |v| v <= 1000.0);
    let met_rss = when(ratio(rss_peak, rss_start), |v| v <= 1.25);
    let overload_rows = if om("over_offered_per_s").is_nan() {
        Vec::new()
    } else {
        let text = |name: &str, digits| num(om(name), digits);
        vec![
            Row {
                measure: format!(
                    "2 × overload, N = {}: events offered / s; frames delivered / s; server core busy",
                    group(n0)
                ),
                rostrum: format!(
                    "{}; {}; {}",
                    text("over_offered_per_s", 0),
                    text("over_delivered_per_s", 0),
                    text("over_busy", 2)
                ),
                ceiling: "–".into(),
                node: "–".into(),
                vs_ceiling: "–".into(),
                vs_node: "–".into(),
                goal: "2 × the saturated rate".into(),
                met: None,
            },
            Row {
                measure: format!(
                    "2 × overload: connections closed as too slow (4008, queue of 512 frames), of which lagging \
                     clients (of {}); lost",
                    crate::fanout::LAGGARDS
                ),
                rostrum: format!("{}, {}; {}", num(kicked, 0), text("over_laggards_closed", 0), text("over_lost", 0)),
                ceiling: "–".into(),
                node: "–".into(),
                vs_ceiling: "–".into(),
                vs_node: "–".into(),
                goal: "queue capped".into(),
                met: when(om("over_lost"), |l| l == 0.0),
            },
            Row {
                measure:
                    "2 × overload: resync of a client closed as too slow, from the close to `synced`, p99 / max (ms)"
                        .into(),
                rostrum: format!("{} / {}", text("over_resync_p99_ms", 0), num(resync_max, 0)),
                ceiling: "–".into(),
                node: "–".into(),
                vs_ceiling: "–".into(),
                vs_node: "–".into(),
                goal: "≤ 1 s".into(),
                met: if kicked == 0.0 { None } else { met_resync },
            },
            Row {
                measure: "2 × overload: server RSS at start / peak / 2 s after (MiB)".into(),
                rostrum: format!("{} / {} / {}", num(rss_start, 1), num(rss_peak, 1), num(rss_end, 1)),
                ceiling: "–".into(),
                node: "–".into(),
                vs_ceiling: x(ratio(rss_peak, rss_start)),
                vs_node: "–".into(),
                goal: "flat (peak ≤ 1.25 × start)".into(),
                met: met_rss,
            },
        ]
    };
    if !overload_rows.is_empty() {
        goals.push((
            "2 × overload: a lagging client resynced within 1 s".into(),
            if kicked == 0.0 { None } else { met_resync },
            if kicked == 0.0 { "no client fell behind".into() } else { format!("max {} ms", num(resync_max, 0)) },
        ));
        goals.push(("2 × overload: RSS flat".into(), met_rss, format!("peak {} start", x(ratio(rss_peak, rss_start)))));
    }

    let mut restart_rows = Vec::new();
    for (backend, samples) in [("SQLite", &results.restart), ("PostgreSQL", &results.restart_postgres)] {
        if samples.is_empty() {
            continue;
        }
        let restart = median(samples, "restart_s");
        let restart_rss = median(samples, "restart_rss_mib");
        let met_restart = when(restart, |v| v < 2.0);
        let met_restart_rss = when(restart_rss, |v| v < 100.0);
        let restart_row = |how: &str, key: &str, goal: &str, met: Option<bool>| Row {
            measure: format!(
                "restart on {backend} {how}: start to /healthz with {} events in {} meetings (s); RSS after (MiB)",
                group(settings.events),
                settings.restart_meetings
            ),
            rostrum: format!(
                "{}; {}",
                num(median(samples, &format!("{key}_s")), 2),
                num(median(samples, &format!("{key}_rss_mib")), 0)
            ),
            ceiling: "–".into(),
            node: "–".into(),
            vs_ceiling: "–".into(),
            vs_node: "–".into(),
            goal: goal.into(),
            met,
        };
        restart_rows.push(restart_row(
            "from the snapshots",
            "restart",
            "< 2 s, < 100 MiB",
            met_restart.zip(met_restart_rss).map(|(a, b)| a && b),
        ));
        restart_rows.push(restart_row("from the log alone (the first after an upgrade)", "log_only", "–", None));
        goals.push((
            format!("restart on {backend}: 1,000,000 events rebuilt in under 2 s"),
            met_restart,
            format!("{} s", num(restart, 2)),
        ));
        goals.push((
            format!("restart on {backend}: 1,000,000 events rebuilt in under 100 MiB"),
            met_restart_rss,
            format!("{} MiB", num(restart_rss, 0)),
        ));
    }

    let mut out = String::new();
    let _ = writeln!(out, "# Benchmarks\n");
    let _ = writeln!(
        out,
        "Written by `make bench` (the harness is `tests/src/bin/loadgen.rs`). Every figure is the median of {} runs; \
         every goal is a ratio to a reference measured in the same run: **the ceiling** (`tests/src/bin/ceiling.rs`, a bare \
         tokio-tungstenite broadcast server: 4 KiB read buffer, split reader and writer tasks, one flush per burst) and \
         **Node ws** (`tests/bench/node-ws`, `ws` 8 on Node.js), and for durability the raw SQLite group-commit rate of the \
         same disk.\n",
        settings.repeat
    );
    let _ = writeln!(out, "- **date**: {}", shell("date", &["-u", "+%Y-%m-%d %H:%M UTC"]));
    let _ = writeln!(out, "- **machine**: {}", machine());
    let _ = writeln!(
        out,
        "- **placement**: {}",
        match programs.core {
            Some(core) => format!("servers pinned to core {core}, the harness to core 0 (`taskset`)"),
            None => "harness and servers share the cores".into(),
        }
    );
    let _ = writeln!(out, "- **command**: `{}`", settings.command);
    let node = if programs.node.is_some() { shell("node", &["--version"]) } else { "not available".into() };
    let _ =
        writeln!(out, "- **versions**: Rostrum {}, Node.js {node}", shell("git", &["rev-parse", "--short", "HEAD"]));
    let _ = writeln!(
        out,
        "- **settings**: N = {}; {} chair connections; {} events one at a time ({} above 2,000 observers), then {} s with {} \
         events in flight (at most 256,000 frames); handshakes {} in flight; durable: {} meetings × {} participants × {} commands; overload {} s at N = {}",
        settings.ns.iter().map(|n| group(*n)).collect::<Vec<_>>().join(", "),
        settings.fanout.chairs,
        settings.fanout.rounds,
        if settings.rounds_explicit { settings.fanout.rounds } else { 20 },
        settings.fanout.saturate_for.as_secs_f64(),
        settings.fanout.window,
        settings.fanout.in_flight,
        settings.durable.meetings,
        settings.durable.per_meeting,
        settings.durable.ops,
        settings.fanout.overload_for.as_secs_f64(),
        group(n0),
    );
    let _ = writeln!(out, "- **run took**: {:.1} min", took.as_secs_f64() / 60.0);
    let _ = writeln!(
        out,
        "\nThis machine is shared with other engineers' builds: single figures are noisy, which is why every case \
         is repeated and every goal is a ratio to a reference run moments apart.\n"
    );
    let _ = writeln!(out, "## Figures\n");
    let _ = writeln!(out, "| measure | Rostrum | ceiling | Node ws | Rostrum ÷ ceiling | Rostrum ÷ Node | goal | |");
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    for row in rows.iter().chain(&durable_rows).chain(&overload_rows).chain(&restart_rows) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            row.measure,
            row.rostrum,
            row.ceiling,
            row.node,
            row.vs_ceiling,
            row.vs_node,
            row.goal,
            if row.met.is_none() && row.goal == "–" { "" } else { verdict(row.met) }
        );
    }
    let _ =
        writeln!(out, "\nIn the durable rows the \"ceiling\" column is the raw SQLite reference on the same disk.\n");
    let _ = writeln!(out, "## Goals\n");
    let _ = writeln!(out, "| goal | measured | |");
    let _ = writeln!(out, "| --- | --- | --- |");
    for (goal, met, measured) in &goals {
        let _ = writeln!(out, "| {goal} | {measured} | {} |", verdict(*met));
    }
    if !results.notes.is_empty() {
        let _ = writeln!(out, "\n## Runs that failed\n");
        for note in &results.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    out
}

/// `10000` → `10,000`.
fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
