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

use serde_json::{json, Value};

use crate::soak::percentile;
use crate::{command, exchange, exchange_bytes, segment, Applicant, Client, Server};

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
    /// What the data directory grew by, in bytes.
    pub growth: i64,
    /// What the limits let in at most over the flood.
    pub allowed: usize,
    /// How many answers carried each error code (`""` for the accepted).
    pub codes: std::collections::BTreeMap<String, usize>,
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
        for flood in &self.floods {
            if flood.accepted > flood.allowed {
                failures.push(format!(
                    "{}: {} accepted, over the {} its limits allow",
                    flood.route, flood.accepted, flood.allowed
                ));
            }
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

/// What the data directory holds, in bytes: the database, its journal and anything else the
/// server keeps there (the harness's own log and backups left out).
fn db_bytes(data: &Path) -> i64 {
    std::fs::read_dir(data)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    !name.starts_with("server-") && !name.starts_with("attack-backup")
                })
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len() as i64)
                .sum()
        })
        .unwrap_or(0)
}

/// A challenge for `form` asked for from `source` and solved: a `Rostrum-Proof` header's value.
/// The solving runs on a blocking thread, as an attacker's would, beside the server.
async fn solved_proof(server: &Server, source: IpAddr, form: &str) -> Option<String> {
    let path = format!("/api/challenge?form={form}");
    let answer = exchange(server.addr, source, "GET", &path, &[], "").await;
    let challenge: shared::proof::ChallengeAnswer = serde_json::from_value(answer.body).ok()?;
    let nonce = tokio::task::spawn_blocking({
        let (sealed, bits) = (challenge.challenge.clone(), challenge.difficulty);
        move || shared::proof::solve(&sealed, bits)
    })
    .await
    .ok()?;
    Some(shared::proof::Proof { challenge: challenge.challenge, nonce }.to_string())
}

/// An application from `source` on the public form, with a solved proof as the form asks.
async fn apply_from(server: &Server, source: &str, process: &str, name: &str) -> Applicant {
    let source: IpAddr = source.parse().expect("address");
    let proof = solved_proof(server, source, "application").await.expect("a challenge");
    let path = format!("/api/processes/{process}/applications");
    let body = crate::application(name, false).to_string();
    let answer = exchange(server.addr, source, "POST", &path, &[("Rostrum-Proof", proof.as_str())], &body).await;
    assert_eq!(answer.status, 201, "apply: {}", answer.body);
    Applicant {
        id: answer.body["organisation"]["id"].as_str().expect("organisation id").to_string(),
        token: answer.body["token"].as_str().expect("organisation token").to_string(),
    }
}

/// [`apply_from`], approved by the secretariat.
async fn accredited_from(server: &Server, sec: &str, source: &str, process: &str, name: &str) -> Applicant {
    let applicant = apply_from(server, source, process, name).await;
    let approve = json!({"decision": "approve"});
    let path = format!("/api/organisations/{}/decision", applicant.id);
    let (status, body) = server.http("POST", &path, Some(sec), Some(&approve)).await;
    assert_eq!(status, 200, "approve: {body}");
    applicant
}

/// One route to flood: who sends what, and how many of them the limits let in at most.
struct Target {
    route: String,
    path: String,
    token: Option<String>,
    /// The body; `{n}` is replaced by the request's number.
    body: Vec<u8>,
    content_type: &'static str,
    /// A solved proof of work for this form goes with every request.
    proof: Option<&'static str>,
    /// Requests come from this many addresses in turn (127.0.3.1 …) rather than 127.0.0.3 alone.
    addresses: u8,
    /// What the limits let in at most over the flood.
    allowed: usize,
}

/// Over `secs` seconds, what a limit of `per_hour` with bursts of `burst` lets in at most.
fn over_hours(burst: usize, per_hour: usize, secs: f64) -> usize {
    burst + (per_hour as f64 * secs / 3600.0).ceil() as usize
}

/// Floods each route for `phase` and counts what got in. The limits are the defaults
/// `rostrum serve` starts with (docs/api.md, "Limits").
async fn floods(server: &Server, sec: &str, phase: Duration) -> Vec<Flood> {
    const PROCESS: &str = "attack-process";
    let secs = phase.as_secs_f64();
    let chair = server.chair(MEETING);
    server.process(PROCESS, "2099-12-31").await;
    server.meeting_in("attack-session", PROCESS, "open", &[]).await;
    // Accredited organisations, one per quota'd route so that one quota does not hide another,
    // each applied for from an address of its own (the form allows three an address at once).
    let mut orgs = Vec::new();
    for n in 0..4 {
        orgs.push(
            accredited_from(server, sec, &format!("127.0.2.{}", n + 1), PROCESS, &format!("Attack NGO {n}")).await,
        );
    }
    // Objections are to applications still pending.
    let pending = apply_from(server, "127.0.2.5", PROCESS, "Pending NGO").await.id;
    let chile = server.token("delegate", "chile-1", "Ana Rojas", &[("delegation", "Chile")], ("process", PROCESS));
    let json_of = |v: Value| v.to_string().into_bytes();
    let application = json_of(json!({"name": "Flood Org {n}", "website": "https://flood.example.org",
        "country": "Ghana", "contact_name": "Flood", "contact_email": "flood@example.org", "constituency": "ngo",
        "ecosoc": false, "activities": "Sending as many applications as the server takes."}));
    // Four MiB a file: the organisation's 100 MiB of uploads hold 25 of them.
    let mut pdf = b"%PDF-1.4\n".to_vec();
    pdf.resize(4 << 20, b' ');
    let target = |route: &str, path: String, token: Option<&str>, body: Vec<u8>, allowed: usize| Target {
        route: route.to_string(),
        path,
        token: token.map(str::to_string),
        body,
        content_type: "application/json",
        proof: None,
        addresses: 1,
        allowed,
    };
    // The person's `write` budget: bursts of 100, 20 a second.
    let writes = 100 + (20.0 * secs).ceil() as usize;
    let targets = vec![
        target(
            "POST /api/processes/{id}/applications (public, no proof)",
            format!("/api/processes/{PROCESS}/applications"),
            None,
            application.clone(),
            0,
        ),
        Target {
            proof: Some("application"),
            // Ten an hour from an address, in bursts of three.
            ..target(
                "POST /api/processes/{id}/applications (public, proofs solved)",
                format!("/api/processes/{PROCESS}/applications"),
                None,
                application.clone(),
                over_hours(3, 10, secs),
            )
        },
        Target {
            proof: Some("application"),
            addresses: 100,
            // From 100 addresses the process's own limit holds: 200 an hour.
            ..target(
                "POST /api/processes/{id}/applications (public, proofs solved, 100 addresses)",
                format!("/api/processes/{PROCESS}/applications"),
                None,
                application,
                over_hours(200, 200, secs),
            )
        },
        Target {
            proof: Some("statement"),
            // Thirty an hour from an address in bursts of ten, under the quota of 20.
            ..target(
                "POST /api/processes/{id}/statements (an organisation, proofs solved)",
                format!("/api/processes/{PROCESS}/statements"),
                Some(&orgs[3].token),
                json_of(
                    json!({"title": "Statement {n}", "language": "en", "text": "We propose a fund for capacity building."}),
                ),
                over_hours(10, 30, secs).min(20),
            )
        },
        target(
            "POST /api/meetings/{id}/segments (chair)",
            format!("/api/meetings/{MEETING}/segments"),
            Some(&chair),
            segment("Flood", "all", 60).to_string().into_bytes(),
            writes,
        ),
        target(
            "POST /api/tokens (secretariat)",
            "/api/tokens".to_string(),
            Some(sec),
            json_of(json!({"name": "Flood {n}", "role": "observer", "meeting": MEETING})),
            writes,
        ),
        target(
            "POST /api/organisation/representatives (an organisation, quota 20)",
            "/api/organisation/representatives".to_string(),
            Some(&orgs[0].token),
            json_of(json!({"name": "Representative {n}", "email": "rep@example.org", "presence": "remote"})),
            20,
        ),
        target(
            "POST /api/meetings/{id}/documents (an organisation, quota 50)",
            "/api/meetings/attack-session/documents".to_string(),
            Some(&orgs[1].token),
            json_of(json!({"title": "Material {n}", "url": "https://example.org/material.pdf"})),
            50,
        ),
        Target {
            content_type: "application/pdf",
            // 100 MiB of uploads: 25 files of 4 MiB.
            ..target(
                "POST /api/meetings/{id}/documents/upload (an organisation, 4 MiB files, quota 100 MiB)",
                "/api/meetings/attack-session/documents/upload?title=Annex".to_string(),
                Some(&orgs[2].token),
                pdf,
                25,
            )
        },
        target(
            "POST /api/organisations/{id}/objections (a delegation, quota 50)",
            format!("/api/organisations/{pending}/objections"),
            Some(&chile),
            json_of(json!({"reason": "The organisation's funding is not disclosed ({n})."})),
            50,
        ),
        target(
            "POST /api/delegation/experts (a delegation, quota 20)",
            "/api/delegation/experts".to_string(),
            Some(&chile),
            json_of(json!({"name": "Dr Expert {n}", "organisation": "FLACSO", "email": "e@example.cl"})),
            20,
        ),
    ];
    let mut floods = Vec::new();
    for target in targets {
        eprintln!("attack: flooding {}", target.route);
        floods.push(flood(server, target, phase).await);
    }
    floods
}

/// Numbers the flooding requests' bodies.
static SERIAL: AtomicUsize = AtomicUsize::new(0);

/// Sends `target`'s request, one after another, for `phase`.
async fn flood(server: &Server, target: Target, phase: Duration) -> Flood {
    let before = db_bytes(&server.data);
    let authorization = target.token.as_ref().map(|t| format!("Bearer {t}"));
    let mut flood = Flood {
        route: target.route.clone(),
        sent: 0,
        accepted: 0,
        limited: 0,
        refused: 0,
        growth: 0,
        allowed: target.allowed,
        codes: Default::default(),
    };
    let templated = target.body.windows(3).any(|w| w == b"{n}");
    let until = Instant::now() + phase;
    while Instant::now() < until {
        let source: IpAddr = if target.addresses > 1 {
            IpAddr::from([127, 0, 3, (flood.sent % usize::from(target.addresses)) as u8 + 1])
        } else {
            IpAddr::from([127, 0, 0, 3])
        };
        let proof = match target.proof {
            Some(form) => solved_proof(server, source, form).await,
            None => None,
        };
        let mut headers: Vec<(&str, &str)> = vec![("Content-Type", target.content_type)];
        headers.extend(authorization.iter().map(|a| ("Authorization", a.as_str())));
        headers.extend(proof.iter().map(|p| ("Rostrum-Proof", p.as_str())));
        let body = if templated {
            // Numbered across floods, so that no two applications share a name.
            let n = SERIAL.fetch_add(1, Ordering::Relaxed);
            String::from_utf8_lossy(&target.body).replace("{n}", &n.to_string()).into_bytes()
        } else {
            target.body.clone()
        };
        let answer = exchange_bytes(server.addr, source, "POST", &target.path, &headers, &body).await;
        flood.sent += 1;
        match answer.status {
            200..=299 => flood.accepted += 1,
            429 => flood.limited += 1,
            _ => flood.refused += 1,
        }
        *flood.codes.entry(answer.body["code"].as_str().unwrap_or("").to_string()).or_default() += 1;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    flood.growth = db_bytes(&server.data) - before;
    flood
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
