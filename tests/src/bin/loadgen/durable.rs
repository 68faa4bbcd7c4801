//! (d) Durable floor requests: many distinct participants in K meetings ask for the floor and
//! withdraw, each waiting for its ack (acknowledged means committed: SQLite WAL, synchronous=FULL,
//! group commit). The reference is the raw group-commit rate of the same disk, measured here with
//! SQLite alone and batches as large as the number of participants in flight.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use futures_util::{SinkExt, StreamExt};
use rusqlite::{params, Connection};
use serde_json::json;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

use crate::clients::{self, Sources, Ws};
use crate::servers::{self, Kind, Programs, Server};
use crate::stats::{percentile, Sample};

#[derive(Debug, Clone)]
pub struct Plan {
    pub meetings: usize,
    pub per_meeting: usize,
    /// Commands per participant: request_floor and withdraw in turn (within Rostrum's burst of 50).
    pub ops: usize,
    pub in_flight: usize,
}

/// Participants, one at a time, in the light-load phase.
const LIGHT: usize = 20;

/// An `entry_added` body of the usual size, for the raw reference.
const BODY: &str = r#"{"type":"entry_added","segment":1,"position":3,"entry":{"id":412,"speaker":{"id":"d7-p12","name":"Delegate 12","role":"delegate","delegation":"State 12"},"kind":"statement","presence":"remote","language":"en","requested_at":1795938271000}}"#;

pub async fn run(programs: &Programs, plan: &Plan, sources: &Arc<Sources>) -> anyhow::Result<Sample> {
    let server = Server::start(Kind::Rostrum, programs, None)?;
    for k in 0..plan.meetings {
        servers::create_meeting(server.addr, &format!("d{k}"), 1).await?;
    }
    let gate = Arc::new(Semaphore::new(plan.in_flight));
    let mut joining = Vec::new();
    for k in 0..plan.meetings {
        for p in 0..plan.per_meeting {
            let (gate, sources, addr) = (gate.clone(), sources.clone(), server.addr);
            joining.push(tokio::spawn(async move {
                let _permit = gate.acquire_owned().await?;
                let sub = format!("d{k}-p{p}");
                let delegation = format!("State {p}");
                let token = servers::token(
                    &sub,
                    &format!("Delegate {p}"),
                    "delegate",
                    Some(&delegation),
                    json!({"meeting": format!("d{k}")}),
                );
                let mut ws = clients::open(addr, sources.next()).await?;
                clients::hello(&mut ws, &format!("d{k}"), Some(&token), None).await?;
                anyhow::Ok(ws)
            }));
        }
    }
    let mut participants = Vec::new();
    for joined in joining {
        participants.push(joined.await?.context("a participant could not join")?);
    }
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(participants.len() * plan.ops)));
    let refused = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let start = Arc::new(tokio::sync::Barrier::new(participants.len() + 1));
    let mut running = Vec::new();
    for (i, ws) in participants.into_iter().enumerate() {
        let (latencies, refused, start, ops) = (latencies.clone(), refused.clone(), start.clone(), plan.ops);
        running.push(tokio::spawn(async move {
            start.wait().await;
            let mut ws = ws;
            for op in 0..ops {
                let id = format!("p{i}-{op}");
                let command = if op % 2 == 0 {
                    json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en"})
                } else {
                    json!({"type": "withdraw"})
                };
                let sent = Instant::now();
                let text = json!({"type": "command", "id": id, "command": command}).to_string();
                if ws.send(Message::Text(text.into())).await.is_err() {
                    return None;
                }
                match answer(&mut ws, &id).await {
                    Some(true) => latencies.lock().unwrap().push(sent.elapsed().as_secs_f64() * 1e3),
                    Some(false) => {
                        refused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    None => return None,
                }
            }
            Some(ws)
        }));
    }
    let cpu = server.cpu();
    start.wait().await;
    let started = Instant::now();
    let mut idle = Vec::new();
    for task in running {
        if let Ok(Some(ws)) = task.await {
            idle.push(ws);
        }
    }
    let elapsed = started.elapsed();
    let cpu = server.cpu() - cpu;
    // Light load: one participant in each of a few meetings asks and withdraws in turn, so that
    // what is measured is the durable path itself, not a queue of a thousand requests.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut light = Vec::new();
    for (i, ws) in idle.iter_mut().enumerate().step_by(plan.per_meeting).take(LIGHT) {
        for op in 0..8 {
            let id = format!("light-{i}-{op}");
            let command = if op % 2 == 0 {
                json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en"})
            } else {
                json!({"type": "withdraw"})
            };
            let sent = Instant::now();
            ws.send(Message::Text(json!({"type": "command", "id": id, "command": command}).to_string().into())).await?;
            if answer(ws, &id).await == Some(true) {
                light.push(sent.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    let mut latencies = latencies.lock().unwrap().clone();
    let mut sample = Sample::default();
    sample.put("durable_per_s", latencies.len() as f64 / elapsed.as_secs_f64());
    sample.put("durable_acked", latencies.len() as f64);
    sample.put("durable_refused", refused.load(std::sync::atomic::Ordering::Relaxed) as f64);
    sample.put("durable_cpu_us", cpu.as_secs_f64() * 1e6 / latencies.len().max(1) as f64);
    sample.put("durable_busy", cpu.as_secs_f64() / elapsed.as_secs_f64());
    sample.put("ack_p50_ms", percentile(&mut latencies, 50.0));
    sample.put("ack_p99_ms", percentile(&mut latencies, 99.0));
    sample.put("light_ack_p50_ms", percentile(&mut light, 50.0));
    sample.put("light_ack_p99_ms", percentile(&mut light, 99.0));
    Ok(sample)
}

/// Reads until the answer to command `id`: `Some(true)` for an ack, `Some(false)` for a refusal.
async fn answer(ws: &mut Ws, id: &str) -> Option<bool> {
    let needle = format!(r#""id":"{id}""#);
    loop {
        let message = tokio::time::timeout(Duration::from_secs(30), ws.next()).await.ok()??.ok()?;
        let Message::Text(text) = message else { continue };
        if text.starts_with(r#"{"type":"ack""#) && text.contains(&needle) {
            return Some(true);
        }
        if text.starts_with(r#"{"type":"rejected""#) && text.contains(&needle) {
            return Some(false);
        }
    }
}

/// The disk's raw rates with SQLite as the server uses it (WAL, synchronous=FULL, the same table):
/// the time of one single-row commit (≈ one fsync), and rows per second in batches of `batch`.
pub fn raw_disk(batch: usize, run_for: Duration) -> anyhow::Result<Sample> {
    let dir = tempfile::Builder::new().prefix("rostrum-bench-disk-").tempdir()?;
    let mut conn = Connection::open(dir.path().join("raw.db"))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(
        "CREATE TABLE events (meeting TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, actor TEXT,
         command_id TEXT, body TEXT NOT NULL, PRIMARY KEY (meeting, seq)) WITHOUT ROWID;",
    )?;
    let mut seq = 0i64;
    let mut commit = |conn: &mut Connection, rows: usize| -> anyhow::Result<()> {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO events (meeting, seq, at, actor, command_id, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for _ in 0..rows {
                seq += 1;
                let meeting = format!("d{}", seq % 50);
                insert.execute(params![meeting, seq, 1_795_938_271_000i64, "d7-p12", format!("p{seq}"), BODY])?;
            }
        }
        tx.commit()?;
        Ok(())
    };
    let mut singles = Vec::new();
    for _ in 0..100 {
        let t = Instant::now();
        commit(&mut conn, 1)?;
        singles.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let started = Instant::now();
    let mut rows = 0;
    while started.elapsed() < run_for || rows < 20 * batch {
        commit(&mut conn, batch)?;
        rows += batch;
    }
    let mut sample = Sample::default();
    sample.put("fsync_ms", percentile(&mut singles, 50.0));
    sample.put("raw_per_s", rows as f64 / started.elapsed().as_secs_f64());
    sample.put("raw_batch", batch as f64);
    Ok(sample)
}
