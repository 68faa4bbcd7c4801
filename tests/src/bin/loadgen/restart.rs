//! Restart: a data directory holding a million events, written with the server's own store code
//! from commands decided by `shared`, then the time from starting the server to `/healthz`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rostrum::store::{Append, PgStore, SqliteStore, Store, StoredEvent, StoredMeeting};
use serde_json::{json, Value};
use shared::{Access, Command, CommandId, Meeting, MeetingId, MeetingInfo, Millis, Participant, ProcessId};

use crate::servers::{self, Kind, Programs, Server};
use crate::stats::Sample;

/// A realistic log: delegates inscribe, the chair gives the floor, pauses, resumes, extends, ends.
fn log_of(id: &str, events: usize) -> (MeetingInfo, Vec<StoredEvent>) {
    let info = MeetingInfo {
        id: MeetingId::parse(id).expect("meeting id"),
        title: format!("Restart bench {id}"),
        process: ProcessId::parse("bench").expect("process id"),
        access: Access::Open,
        time_zone: None,
        starts_at: None,
        room: None,
    };
    let person = |value: Value| -> Participant { serde_json::from_value(value).expect("participant") };
    let chair = person(json!({"id": format!("{id}-chair"), "name": "Madam Chair", "role": "chair"}));
    let delegates: Vec<Participant> = (0..8)
        .map(|i| person(json!({"id": format!("{id}-d{i}"), "name": format!("Delegate {i}"), "role": "delegate", "delegation": format!("State {i}")})))
        .collect();
    let mut meeting = Meeting::new(info.clone());
    let mut rows = Vec::with_capacity(events + 64);
    // A second apart, up to now: a restart in the middle of a busy week, when every meeting's
    // latest command ids are still young enough to be kept for retries.
    let mut now = now_millis() - events as i64 * 1_000;
    let mut n = 0u64;
    let mut step = |meeting: &mut Meeting, rows: &mut Vec<StoredEvent>, actor: &Participant, command: Value| {
        now += 1_000;
        n += 1;
        let command: Command = serde_json::from_value(command).expect("command");
        let Ok(records) = meeting.execute(Millis(now), actor, command) else { return };
        for record in records {
            rows.push(StoredEvent {
                seq: record.seq,
                at: record.at,
                actor: Some(actor.id.clone()),
                command: Some(CommandId::parse(format!("c-{n}")).expect("command id")),
                fingerprint: None,
                body: serde_json::to_string(&record.event).expect("event"),
            });
        }
    };
    let spec = json!({"title": "General exchange of views", "inscription": "all", "time_limit_secs": 180});
    step(&mut meeting, &mut rows, &chair, json!({"type": "create_segment", "spec": spec}));
    step(&mut meeting, &mut rows, &chair, json!({"type": "activate_segment", "segment": 1}));
    while rows.len() < events {
        for (i, delegate) in delegates.iter().enumerate() {
            let presence = if i % 2 == 0 { "in_room" } else { "remote" };
            step(
                &mut meeting,
                &mut rows,
                delegate,
                json!({"type": "request_floor", "kind": "statement", "presence": presence, "language": "en"}),
            );
        }
        for _ in &delegates {
            step(&mut meeting, &mut rows, &chair, json!({"type": "give_floor"}));
            step(&mut meeting, &mut rows, &chair, json!({"type": "pause_floor"}));
            step(&mut meeting, &mut rows, &chair, json!({"type": "resume_floor"}));
            step(&mut meeting, &mut rows, &chair, json!({"type": "extend_floor", "secs": 30}));
        }
        step(&mut meeting, &mut rows, &chair, json!({"type": "end_floor"}));
    }
    rows.truncate(events);
    (info, rows)
}

/// The time now, in milliseconds since the epoch.
fn now_millis() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("after 1970");
    since.as_millis() as i64
}

/// Where the restart case keeps its million events: the data directory's SQLite file, or a
/// PostgreSQL database (with the data directory for the server's keys).
pub enum Target {
    Sqlite { dir: PathBuf },
    Postgres { dir: PathBuf, url: String },
}

impl Target {
    fn dir(&self) -> &Path {
        match self {
            Target::Sqlite { dir } | Target::Postgres { dir, .. } => dir,
        }
    }

    fn store_url(&self) -> Option<&str> {
        match self {
            Target::Sqlite { .. } => None,
            Target::Postgres { url, .. } => Some(url),
        }
    }

    /// Runs `sql` (blocking, on a thread of its own for PostgreSQL's client) and returns the first
    /// column of its one row, or the number of rows it changed.
    async fn sql(&self, sql: &'static str) -> anyhow::Result<i64> {
        match self {
            Target::Sqlite { dir } => {
                let conn = rusqlite::Connection::open(dir.join("rostrum.db"))?;
                if sql.starts_with("SELECT") {
                    Ok(conn.query_row(sql, [], |row| row.get::<_, i64>(0))?)
                } else {
                    Ok(conn.execute(sql, [])? as i64)
                }
            }
            Target::Postgres { url, .. } => {
                let url = url.clone();
                tokio::task::spawn_blocking(move || -> anyhow::Result<i64> {
                    let mut client = postgres::Client::connect(&url, postgres::NoTls)?;
                    if sql.starts_with("SELECT") {
                        Ok(client.query_one(sql, &[])?.get::<_, i64>(0))
                    } else {
                        Ok(client.execute(sql, &[])? as i64)
                    }
                })
                .await?
            }
        }
    }

    /// Whether an earlier run left its events here.
    pub async fn seeded(&self) -> bool {
        match self {
            Target::Sqlite { dir } => dir.join("rostrum.db").is_file(),
            Target::Postgres { .. } => self.sql("SELECT COUNT(*) FROM meetings").await.is_ok_and(|n| n > 0),
        }
    }

    /// Writes `events` events spread over `meetings` meetings through the server's own store.
    pub async fn seed(&self, meetings: usize, events: usize) -> anyhow::Result<()> {
        let store: Arc<dyn Store> = match self {
            Target::Sqlite { dir } => Arc::new(SqliteStore::open(dir)?),
            Target::Postgres { url, .. } => {
                let url = url.clone();
                Arc::new(tokio::task::spawn_blocking(move || PgStore::open(&url)).await??)
            }
        };
        for m in 0..meetings {
            let (info, rows) = log_of(&format!("r{m}"), events / meetings);
            let stored = StoredMeeting { info: info.clone(), epoch: format!("{:032x}", m + 1) };
            store.create_meeting(stored, Millis(now_millis())).await?;
            for chunk in rows.chunks(1000) {
                store.append(Append { meeting: info.id.clone(), events: chunk.to_vec() }).await?;
            }
        }
        // PostgreSQL's client is closed off the runtime's threads.
        tokio::task::spawn_blocking(move || drop(store)).await?;
        if let Target::Sqlite { dir } = self {
            // Fold the write-ahead log into the database, as a long-running server's checkpoints
            // would.
            tokio::time::sleep(Duration::from_millis(200)).await;
            let conn = rusqlite::Connection::open(dir.join("rostrum.db"))?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    /// Deletes the meetings' snapshots: the next start rebuilds them from the log alone, as the
    /// first start after an upgrade that changed the state's types does.
    pub async fn forget_snapshots(&self) -> anyhow::Result<()> {
        self.sql("DELETE FROM snapshots").await?;
        Ok(())
    }

    async fn snapshots(&self) -> anyhow::Result<usize> {
        Ok(self.sql("SELECT COUNT(*) FROM snapshots").await? as usize)
    }
}

/// Starts Rostrum on `target` and waits for `/healthz`; the sample names the time and the
/// resident memory after it by `keys`. Before stopping the server, waits until every one of the
/// `meetings` has a snapshot, so that the next start can use them.
pub async fn time_start(
    programs: &Programs,
    target: &Target,
    keys: (&'static str, &'static str),
    meetings: usize,
) -> anyhow::Result<Sample> {
    let started = Instant::now();
    let server = Server::start_on(Kind::Rostrum, programs, Some(target.dir().to_path_buf()), target.store_url())?;
    while !servers::healthy(server.addr).await {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let mut sample = Sample::default();
    sample.put(keys.0, started.elapsed().as_secs_f64());
    sample.put(keys.1, server.rss_kib() as f64 / 1024.0);
    let waiting = Instant::now();
    while target.snapshots().await? < meetings {
        anyhow::ensure!(waiting.elapsed() < Duration::from_secs(60), "the server wrote no snapshot of every meeting");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(sample)
}
