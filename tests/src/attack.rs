//! Issue 12's attack phase for `make soak`: what one hostile address does to a meeting in
//! progress. A chair on 127.0.0.1 gives and ends the floor at a steady pace while 100 screens
//! follow and `/healthz` is polled; the same is measured quiet, then while 127.0.0.2 holds
//! thousands of idle sockets, then while reports are asked for hundreds of times a second. Then
//! each public or quota'd route is flooded and what it let in is counted against its limits.
//!
//! Every figure is printed by `soak attack`; `docs/reliability.md` keeps the last ones.

use std::net::IpAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::soak::percentile;
use crate::{command, exchange, segment, Client, Server};

const MEETING: &str = "attack";

/// Latencies measured while the meeting carries on.
#[derive(Debug, Default, Clone)]
pub struct Pace {
    /// From a chair's command to its acknowledgement.
    pub acks: Vec<Duration>,
    /// From a `/healthz` request to its answer, on a new connection each.
    pub health: Vec<Duration>,
    /// `/healthz` requests that got no 200.
    pub health_failures: usize,
}

impl Pace {
    pub fn ack_p99(&self) -> Duration {
        percentile(&self.acks, 0.99)
    }

    pub fn health_p99(&self) -> Duration {
        percentile(&self.health, 0.99)
    }
}

/// What a flood of one route let through.
#[derive(Debug, Clone)]
pub struct Flood {
    pub route: String,
    pub sent: usize,
    /// Answers with a 2xx status: what was stored.
    pub accepted: usize,
    /// 429 answers.
    pub limited: usize,
    /// Everything else (refusals such as `proof_required` or `quota_exceeded`).
    pub refused: usize,
    /// What the database and its journal grew by, in bytes.
    pub growth: i64,
}

/// Everything `soak attack` measures.
#[derive(Debug, Default)]
pub struct AttackReport {
    pub quiet: Pace,
    pub idle_sockets: Pace,
    /// Idle sockets opened from the attacking address, and how many the server still held open
    /// a second later (the rest were answered 429 and closed).
    pub sockets_opened: usize,
    pub sockets_held: usize,
    pub reports: Pace,
    /// Report requests sent and how they were answered (200, 304, 429).
    pub report_requests: usize,
    pub report_answers: [usize; 3],
    pub floods: Vec<Flood>,
    /// `accept failed` lines in the server's log.
    pub accept_errors: usize,
    /// Every file of the data directory and of a backup, with its mode.
    pub modes: Vec<(String, u32)>,
}

impl AttackReport {
    /// The promises: latencies within 2× (idle sockets) and 1.5× (reports) of quiet, no accept
    /// error, no private file readable by others.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        let within = |what: &str, loaded: Duration, quiet: Duration, factor: f64, failures: &mut Vec<String>| {
            // A floor of 5 ms: on a quiet loopback p99s of 1-2 ms double on noise alone.
            let allowed = quiet.max(Duration::from_millis(5)).mul_f64(factor);
            if loaded > allowed {
                failures.push(format!("{what}: p99 {loaded:?} over {factor} × quiet {quiet:?}"));
            }
        };
        within("ack under idle sockets", self.idle_sockets.ack_p99(), self.quiet.ack_p99(), 2.0, &mut failures);
        within(
            "healthz under idle sockets",
            self.idle_sockets.health_p99(),
            self.quiet.health_p99(),
            2.0,
            &mut failures,
        );
        within("ack under report requests", self.reports.ack_p99(), self.quiet.ack_p99(), 1.5, &mut failures);
        if self.idle_sockets.health_failures > 0 {
            failures.push(format!("{} /healthz failed under idle sockets", self.idle_sockets.health_failures));
        }
        if self.accept_errors > 0 {
            failures.push(format!("{} accept errors", self.accept_errors));
        }
        for (path, mode) in &self.modes {
            if mode & 0o077 != 0 {
                failures.push(format!("{path} is {mode:o}"));
            }
        }
        failures
    }
}

/// Runs the attack phase: `sockets` idle sockets, `report_rate` report requests a second, each
/// phase `phase` long.
pub async fn attack(sockets: usize, report_rate: usize, phase: Duration) -> AttackReport {
    // The server as `rostrum serve` starts it: every default limit, the public forms' proof of
    // work and limits included (the harness turns those off for other tests).
    let data = tempfile::tempdir().expect("temp dir");
    let defaults = [
        ("RUST_LOG", "info"),
        ("ROSTRUM_PROOF_BITS", "17"),
        ("ROSTRUM_APPLICATIONS_PER_ADDRESS", "10"),
        ("ROSTRUM_APPLICATIONS_PER_PROCESS", "200"),
        ("ROSTRUM_STATEMENTS_PER_ADDRESS", "30"),
        ("ROSTRUM_STATEMENTS_PER_PROCESS", "500"),
    ];
    let server = Arc::new(Server::start_env(data.path(), "127.0.0.1:0", &[], &defaults).await);
    eprintln!("attack: server on {}", server.url());
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 600)]).await;
    eprintln!("attack: meeting set up");
    let mut report = AttackReport::default();
    // A hundred screens, as a room's displays and remote observers: they read every event.
    let mut readers = Vec::new();
    for _ in 0..100 {
        let mut screen = Client::connect(&server, MEETING, None).await;
        readers
            .push(tokio::spawn(async move { while screen.next_within(Duration::from_secs(3600)).await.is_some() {} }));
    }
    eprintln!("attack: 100 screens follow the meeting; measuring it quiet");
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;

    report.quiet = carry_on(&server, &mut chair, phase).await;

    eprintln!("attack: opening {sockets} idle sockets from 127.0.0.2");
    // Idle sockets from another address: they send nothing at all.
    let mut idle = Vec::new();
    for _ in 0..sockets {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind("127.0.0.2:0".parse().expect("address")).expect("bind 127.0.0.2");
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_secs(2), socket.connect(server.addr)).await {
            idle.push(stream);
        }
    }
    report.sockets_opened = idle.len();
    tokio::time::sleep(Duration::from_secs(1)).await;
    report.sockets_held = idle.iter().filter(|s| still_open(s)).count();
    report.idle_sockets = carry_on(&server, &mut chair, phase).await;
    drop(idle);

    eprintln!("attack: asking for {report_rate} reports a second from 100 addresses");
    // Reports asked for from 100 addresses, each within its own budget.
    let stop = Arc::new(AtomicBool::new(false));
    let answers: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
    let mut askers = Vec::new();
    let per_address = report_rate.div_ceil(100).max(1);
    for n in 0..100u8 {
        let (stop, answers, addr) = (stop.clone(), answers.clone(), server.addr);
        askers.push(tokio::spawn(async move {
            let source: IpAddr = format!("127.0.1.{}", n + 1).parse().expect("address");
            let every = Duration::from_secs(1) / per_address as u32;
            let mut etag = String::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let headers: Vec<(&str, &str)> =
                    if etag.is_empty() { vec![] } else { vec![("If-None-Match", etag.as_str())] };
                let answer =
                    exchange(addr, source, "GET", "/api/meetings/attack/report?format=csv", &headers, "").await;
                let slot = match answer.status {
                    200 => 0,
                    304 => 1,
                    429 => 2,
                    _ => 3,
                };
                answers[slot].fetch_add(1, Ordering::Relaxed);
                if let Some(tag) = crate::header(&answer.head, "etag") {
                    etag = tag.to_string();
                }
                tokio::time::sleep(every.saturating_sub(started.elapsed())).await;
            }
        }));
    }
    report.reports = carry_on(&server, &mut chair, phase).await;
    stop.store(true, Ordering::Relaxed);
    for asker in askers {
        let _ = asker.await;
    }
    let counts: Vec<usize> = answers.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    report.report_requests = counts.iter().sum();
    report.report_answers = [counts[0], counts[1], counts[2]];
    for reader in readers {
        reader.abort();
    }

    eprintln!("attack: flooding the public and quota'd routes");
    report.floods = floods(&server, &sec, phase).await;
    report.accept_errors = server.log().matches("accept failed").count();
    report.modes = modes(&server, &sec);
    report
}

/// The chair gives and ends the floor five times a second while `/healthz` is asked ten times a
/// second on new connections, for `phase`.
async fn carry_on(server: &Server, chair: &mut Client, phase: Duration) -> Pace {
    let stop = Arc::new(AtomicBool::new(false));
    let addr = server.addr;
    let health = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let (mut times, mut failures) = (Vec::new(), 0);
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let answer = exchange(addr, "127.0.0.1".parse().expect("address"), "GET", "/healthz", &[], "").await;
                times.push(started.elapsed());
                failures += usize::from(answer.status != 200);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            (times, failures)
        })
    };
    let mut acks = Vec::new();
    let until = Instant::now() + phase;
    let mut n = 0usize;
    while Instant::now() < until {
        // A speaker added, given the floor and ended: three events, each acknowledged.
        let speaker = json!({"id": format!("a-{n}"), "name": "Speaker", "role": "delegate", "delegation": "Chile"});
        let steps = [
            json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "in_room", "language": "en"}),
            json!({"type": "give_floor"}),
            json!({"type": "end_floor"}),
        ];
        for step in steps {
            let started = Instant::now();
            chair.command(command(step)).await.expect("the chair's command");
            acks.push(started.elapsed());
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        n += 1;
    }
    stop.store(true, Ordering::Relaxed);
    let (health, health_failures) = health.await.expect("healthz poller");
    Pace { acks, health, health_failures }
}

fn still_open(stream: &tokio::net::TcpStream) -> bool {
    let mut byte = [0u8; 1];
    // Closed by the server: a read of 0 bytes (or a reset); open and silent: would block.
    matches!(stream.try_read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// The data directory's size: the database and its journal.
fn db_bytes(data: &Path) -> i64 {
    ["rostrum.db", "rostrum.db-wal"]
        .iter()
        .filter_map(|f| std::fs::metadata(data.join(f)).ok())
        .map(|m| m.len() as i64)
        .sum()
}

/// Floods each route from one address for `phase` and counts what got in.
async fn floods(server: &Server, sec: &str, phase: Duration) -> Vec<Flood> {
    let chair = server.chair(MEETING);
    let _ = server
        .http(
            "POST",
            "/api/processes",
            Some(sec),
            Some(&json!({"id": "attack-process", "title": "Attack process", "applications_deadline": "2099-12-31"})),
        )
        .await;
    // An accredited organisation, to flood a quota'd route (representatives, 20 at once).
    let ngo = server.accredited("attack-process", "Attack NGO").await;
    let routes: Vec<(&str, String, Option<String>, String)> = vec![
        (
            "POST /api/processes/{id}/applications (public)",
            "/api/processes/attack-process/applications".to_string(),
            None,
            json!({"name": "Flood Org {n}", "website": "https://flood.example.org", "country": "Ghana",
                   "contact_name": "Flood", "contact_email": "flood@example.org", "constituency": "ngo",
                   "ecosoc": false, "activities": "Sending as many applications as the server takes."})
            .to_string(),
        ),
        (
            "POST /api/meetings/{id}/segments (chair)",
            format!("/api/meetings/{MEETING}/segments"),
            Some(chair),
            segment("Flood", "all", 60).to_string(),
        ),
        (
            "POST /api/tokens (secretariat)",
            "/api/tokens".to_string(),
            Some(sec.to_string()),
            json!({"name": "Flood {n}", "role": "observer", "meeting": MEETING}).to_string(),
        ),
        (
            "POST /api/organisation/representatives (an organisation, quota 20)",
            "/api/organisation/representatives".to_string(),
            Some(ngo.token.clone()),
            json!({"name": "Representative {n}", "email": "rep@example.org", "presence": "remote"}).to_string(),
        ),
    ];
    let mut floods = Vec::new();
    for (route, path, token, body) in routes {
        let before = db_bytes(&server.data);
        let authorization = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = authorization.iter().map(|a| ("Authorization", a.as_str())).collect();
        let mut flood = Flood { route: route.to_string(), sent: 0, accepted: 0, limited: 0, refused: 0, growth: 0 };
        let until = Instant::now() + phase;
        let source: IpAddr = "127.0.0.3".parse().expect("address");
        while Instant::now() < until {
            let body = body.replace("{n}", &flood.sent.to_string());
            let answer = exchange(server.addr, source, "POST", &path, &headers, &body).await;
            flood.sent += 1;
            match answer.status {
                200..=299 => flood.accepted += 1,
                429 => flood.limited += 1,
                _ => flood.refused += 1,
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        flood.growth = db_bytes(&server.data) - before;
        floods.push(flood);
    }
    floods
}

/// Every file of the data directory, and of a backup taken with `rostrum backup`, with its mode.
fn modes(server: &Server, _sec: &str) -> Vec<(String, u32)> {
    let backup = server.data.join("attack-backup.db");
    let _ = std::process::Command::new(crate::rostrum_bin())
        .args(["backup", "--data"])
        .arg(&server.data)
        .arg(&backup)
        .output();
    let mut modes = Vec::new();
    let mut look = |path: &Path| {
        if let Ok(meta) = std::fs::metadata(path) {
            modes.push((path.display().to_string(), meta.permissions().mode() & 0o777));
        }
    };
    look(&server.data);
    if let Ok(entries) = std::fs::read_dir(&server.data) {
        for entry in entries.flatten() {
            // The test harness's own log is not the server's.
            if !entry.file_name().to_string_lossy().starts_with("server-") {
                look(&entry.path());
            }
        }
    }
    modes
}
