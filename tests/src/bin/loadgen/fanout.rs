//! One fan-out run against one server: N observers of one meeting, then (a) the time from a chair's
//! command to the last observer, one event at a time; (b) server CPU per delivered frame, paced and
//! saturated; (c) resident memory per idle connection; (e) every observer dropped and reconnected
//! at once (Rostrum resumes from `{epoch, seq}`); and, for Rostrum, 2× overload.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use serde_json::json;

use crate::clients::{Chair, Crowd, Observer, Sources, Tracker};
use crate::servers::{self, Kind, Programs, Server};
use crate::stats::{percentile, Sample};

/// Settings of a fan-out run.
#[derive(Debug, Clone)]
pub struct Plan {
    pub observers: usize,
    pub chairs: usize,
    /// Events sent one at a time for the latency figures.
    pub rounds: usize,
    /// How long the saturated phase runs.
    pub saturate_for: Duration,
    /// Events in flight during the saturated phase.
    pub window: usize,
    /// Handshakes in flight during connects and the reconnect storm.
    pub in_flight: usize,
    /// Rostrum only: run 2× the saturated rate for this long (zero: skip).
    pub overload_for: Duration,
}

/// Clients that stop reading during the overload phase.
pub const LAGGARDS: usize = 10;
/// Rostrum takes 20 commands a second from one connection: a chair sends at most this often.
const CHAIR_GAP: Duration = Duration::from_millis(55);
const EVENT_PATIENCE: Duration = Duration::from_secs(15);

pub async fn run(kind: Kind, programs: &Programs, plan: &Plan, sources: &Arc<Sources>) -> anyhow::Result<Sample> {
    let server = Server::start(kind, programs, None)?;
    let mut sample = Sample::default();
    let meeting = "bench";
    if kind == Kind::Rostrum {
        servers::create_meeting(server.addr, meeting, 1).await?;
    }
    let (tracker, mut completions) = Tracker::new();
    let crowd = Arc::new(Crowd {
        kind,
        addr: server.addr,
        meeting: meeting.into(),
        tracker: tracker.clone(),
        sources: sources.clone(),
        kicked: AtomicU64::new(0),
        lost: AtomicU64::new(0),
        resyncs: Mutex::new(Vec::new()),
        quiet: AtomicBool::new(false),
    });
    let mut chairs = Vec::new();
    for i in 0..plan.chairs {
        let token =
            servers::token(&format!("bench-chair-{i}"), "Bench chair", "chair", None, json!({"meeting": meeting}));
        chairs.push(Chair::connect(&crowd, i, Some(&token)).await.context("chair")?);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = server.rss_kib();

    // (c) memory per idle connection, and the first connect storm.
    let started = Instant::now();
    let (observers, failed) = crowd.connect(plan.observers, plan.in_flight, None).await;
    sample.put("connect_s", started.elapsed().as_secs_f64());
    sample.put("connect_failed", failed as f64);
    anyhow::ensure!(failed == 0, "{failed} of {} observers could not connect to {}", plan.observers, kind.name());
    tracker.expected.store(observers.len() as u32, Ordering::Relaxed);
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_idle = server.rss_kib();
    sample.put("rss_before_kib", rss_before as f64);
    sample.put("kib_per_conn", (rss_idle.saturating_sub(rss_before)) as f64 / observers.len() as f64);

    let next_seq = AtomicU64::new(1);
    let receivers = (observers.len() + chairs.len()) as f64;

    // (a) latency, one event at a time, and CPU per delivery at that pace.
    let cpu = server.cpu();
    let mut latencies = Vec::with_capacity(plan.rounds);
    for round in 0..plan.rounds {
        let chair = &mut chairs[round % plan.chairs];
        pace(chair, kind).await;
        chair.send(&tracker, &next_seq).await?;
        let (_, latency) = tokio::time::timeout(EVENT_PATIENCE, completions.recv())
            .await
            .context("an event did not reach every observer")?
            .context("tracker gone")?;
        latencies.push(latency.as_secs_f64() * 1e3);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let cpu_paced = server.cpu() - cpu;
    sample.put("lat_p50_ms", percentile(&mut latencies, 50.0));
    sample.put("lat_p99_ms", percentile(&mut latencies, 99.0));
    sample.put("cpu_paced_us", cpu_paced.as_secs_f64() * 1e6 / (plan.rounds as f64 * receivers));

    // (b) saturated: a window of events in flight for a while.
    let cpu = server.cpu();
    let started = Instant::now();
    // A quarter of a million frames in flight at most, so that the slowest server drains them in
    // seconds and no connection's queue (512 frames in Rostrum) comes near full.
    let window = plan.window.min(256_000 / plan.observers).max(4);
    sample.put("window", window as f64);
    let (mut in_flight, mut completed, mut next_chair) = (0usize, 0u64, 0usize);
    while started.elapsed() < plan.saturate_for {
        while in_flight < window {
            let chair = &mut chairs[next_chair % plan.chairs];
            next_chair += 1;
            pace(chair, kind).await;
            chair.send(&tracker, &next_seq).await?;
            in_flight += 1;
        }
        tokio::time::timeout(EVENT_PATIENCE, completions.recv())
            .await
            .context("an event did not reach every observer while saturated")?;
        in_flight -= 1;
        completed += 1;
    }
    for _ in 0..in_flight {
        if tokio::time::timeout(EVENT_PATIENCE, completions.recv()).await.is_ok() {
            completed += 1;
        }
    }
    let elapsed = started.elapsed();
    let cpu_saturated = server.cpu() - cpu;
    sample.put("cpu_sat_us", cpu_saturated.as_secs_f64() * 1e6 / (completed as f64 * receivers));
    sample.put("sat_events_per_s", completed as f64 / elapsed.as_secs_f64());
    sample.put("sat_deliveries_per_s", completed as f64 * receivers / elapsed.as_secs_f64());
    sample.put("server_busy", cpu_saturated.as_secs_f64() / elapsed.as_secs_f64());
    // Idle again after bursts: what the connections kept (write buffers grown in the bursts).
    tokio::time::sleep(Duration::from_secs(1)).await;
    sample.put("kib_per_conn_after", (server.rss_kib().saturating_sub(rss_before)) as f64 / observers.len() as f64);
    let rejected: u64 = chairs.iter().map(|c| c.rejected.load(Ordering::Relaxed)).sum();
    sample.put("chair_rejected", rejected as f64);

    // (e) the reconnect storm: every observer drops and comes back at once.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let positions: Vec<_> = observers.iter().map(|o| o.position.lock().unwrap().clone()).collect();
    drop_all(observers).await;
    let started = Instant::now();
    let (observers, failed) = crowd.connect(positions.len(), plan.in_flight, Some(positions)).await;
    sample.put("storm_s", started.elapsed().as_secs_f64());
    sample.put("storm_failed", failed as f64);
    tracker.expected.store(observers.len() as u32, Ordering::Relaxed);

    if kind == Kind::Rostrum && !plan.overload_for.is_zero() {
        let rate = 2.0 * sample.get("sat_events_per_s");
        if let Err(error) = overload(&server, &crowd, &mut chairs, rate, plan.overload_for, &mut sample).await {
            println!("    the overload phase failed: {error:#}");
        }
    }
    drop_all(observers).await;
    drop(chairs);
    Ok(sample)
}

/// A Rostrum chair waits out its rate limit; the references have none.
async fn pace(chair: &Chair, kind: Kind) {
    if kind != Kind::Rostrum {
        return;
    }
    if let Some(last) = chair.last_sent {
        let ready = last + CHAIR_GAP;
        if ready > Instant::now() {
            tokio::time::sleep_until(ready.into()).await;
        }
    }
}

async fn drop_all(observers: Vec<Observer>) {
    for observer in &observers {
        observer.task.abort();
    }
    for observer in observers {
        let _ = observer.task.await;
    }
}

/// Twice the rate the server delivered when saturated, open loop: per-connection queues must stay
/// capped (too-slow clients are closed with 4008, reconnect and resume), memory must stay flat.
async fn overload(
    server: &Server,
    crowd: &Arc<Crowd>,
    chairs: &mut [Chair],
    rate: f64,
    length: Duration,
    sample: &mut Sample,
) -> anyhow::Result<()> {
    // Nobody waits for completions any more: stop counting towards them.
    crowd.tracker.expected.store(u32::MAX, Ordering::Relaxed);
    let rate = rate.min(chairs.len() as f64 / CHAIR_GAP.as_secs_f64());
    let gap = Duration::from_secs_f64(1.0 / rate);
    let rss_start = server.rss_kib();
    let mut rss_peak = rss_start;
    let started = Instant::now();
    // Clients on slow links that stop reading for most of the phase: each must be closed as too
    // slow, and be back in sync within a second of reading again.
    let laggards: Vec<_> = (0..LAGGARDS)
        .map(|_| tokio::spawn(crowd.clone().laggard(length * 3 / 4, started + length + Duration::from_secs(3))))
        .collect();
    let mut next = started;
    let mut sent = 0usize;
    let next_seq = AtomicU64::new(0);
    let delivered = crowd.tracker.delivered.load(Ordering::Relaxed);
    let cpu = server.cpu();
    let mut closed = vec![false; chairs.len()];
    let mut turn = 0;
    while started.elapsed() < length {
        // Chairs are screens too: one the server closed as too slow is left out.
        let Some(i) = (0..chairs.len()).map(|k| (turn + k) % chairs.len()).find(|&i| !closed[i]) else {
            anyhow::bail!("every chair was closed");
        };
        turn = i + 1;
        let chair = &mut chairs[i];
        pace(chair, Kind::Rostrum).await;
        if chair.send(&crowd.tracker, &next_seq).await.is_err() {
            closed[i] = true;
            continue;
        }
        sent += 1;
        next += gap;
        tokio::time::sleep_until(next.into()).await;
        if sent.is_multiple_of(16) {
            rss_peak = rss_peak.max(server.rss_kib());
        }
    }
    let elapsed = started.elapsed();
    let cpu = server.cpu() - cpu;
    // Let the kicked reconnect and the queues drain.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mut laggards_closed = 0;
    for laggard in laggards {
        match laggard.await {
            Ok(Ok(closed)) => laggards_closed += closed as usize,
            Ok(Err(error)) => eprintln!("    a lagging client failed: {error:#}"),
            Err(_) => {}
        }
    }
    sample.put("over_laggards_closed", laggards_closed as f64);
    sample.put("over_chairs_closed", closed.iter().filter(|c| **c).count() as f64);
    let rss_end = server.rss_kib();
    let mut resyncs: Vec<f64> = crowd.resyncs.lock().unwrap().iter().map(|d| d.as_secs_f64() * 1e3).collect();
    sample.put("over_offered_per_s", sent as f64 / elapsed.as_secs_f64());
    sample.put(
        "over_delivered_per_s",
        (crowd.tracker.delivered.load(Ordering::Relaxed) - delivered) as f64 / elapsed.as_secs_f64(),
    );
    sample.put("over_busy", cpu.as_secs_f64() / elapsed.as_secs_f64());
    sample.put("over_kicked", crowd.kicked.load(Ordering::Relaxed) as f64);
    sample.put("over_lost", crowd.lost.load(Ordering::Relaxed) as f64);
    sample.put("over_resync_p99_ms", if resyncs.is_empty() { 0.0 } else { percentile(&mut resyncs, 99.0) });
    sample.put("over_resync_max_ms", resyncs.iter().cloned().fold(0.0, f64::max));
    sample.put("over_rss_start_mib", rss_start as f64 / 1024.0);
    sample.put("over_rss_peak_mib", rss_peak.max(rss_end) as f64 / 1024.0);
    sample.put("over_rss_end_mib", rss_end as f64 / 1024.0);
    Ok(())
}
