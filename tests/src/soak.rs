//! The long checks of issue 6 as functions with their counts as arguments: the soak runner
//! (`src/bin/soak.rs`, `make soak`) runs them long, and the fast tests run them short.
//!
//! Each returns a report of what it counted; a report is good when every failure count is 0.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use shared::protocol::ServerMessage;
use shared::{Command, CommandId, Event, EventRecord, Meeting, Millis, ParticipantId, Seq};

use crate::{command, request, segment, Client, Server};

const MEETING: &str = "soak";

/// A small deterministic random source (xorshift64*), so that a run can be repeated by its seed.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `low..high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low).max(1)
    }
}

/// The `p`th percentile (0..=1) of some durations.
pub fn percentile(durations: &[Duration], p: f64) -> Duration {
    let mut sorted = durations.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

// ---- Promise 1: SIGKILL at random moments under load.

/// What the kill loop counted.
#[derive(Debug, Default, Clone)]
pub struct KillReport {
    pub kills: usize,
    /// Commands acknowledged before some kill (all of them are checked after every restart).
    pub acked: usize,
    /// Commands in flight (sent, unanswered) when the server died: allowed to be lost.
    pub in_flight: usize,
    /// Events in the log at the end.
    pub events: u64,
    /// Acknowledged commands whose event is not in the log (or another event is at its place).
    pub lost: usize,
    /// Sequence numbers missing from the log, and sequence numbers present twice.
    pub gaps: usize,
    pub duplicates: usize,
    /// Restarts after which the state a screen held before the kill differed from the replayed
    /// log at the same point, or the restarted server's state differed from a replay of its log.
    pub state_mismatches: usize,
}

impl KillReport {
    pub fn failures(&self) -> usize {
        self.lost + self.gaps + self.duplicates + self.state_mismatches
    }
}

/// One acknowledged command: who sent it, its id, and the sequence number the ack named.
#[derive(Debug, Clone)]
struct Ack {
    who: String,
    id: CommandId,
    seq: Seq,
}

/// Sends `script` one command at a time at a fixed pace (under the rate limit) until the
/// connection dies; returns the acks, and whether a command was in flight at the end.
async fn drive(
    mut client: Client,
    who: String,
    round: usize,
    script: Vec<Command>,
    pace: Duration,
) -> (Vec<Ack>, bool) {
    let mut acks = Vec::new();
    for (n, cmd) in script.into_iter().cycle().enumerate() {
        let id = CommandId::parse(format!("{who}-{round}-{n}")).expect("command id");
        let message = shared::protocol::ClientMessage::Command { id: id.clone(), command: cmd };
        if client.send_message(serde_json::to_string(&message).unwrap().into()).await.is_err() {
            return (acks, false);
        }
        loop {
            match client.try_recv().await {
                None => return (acks, true),
                Some(ServerMessage::Ack { id: acked, seq }) if acked == id => {
                    acks.push(Ack { who: who.clone(), id: id.clone(), seq });
                    break;
                }
                Some(ServerMessage::Rejected { id: Some(rejected), .. }) if rejected == id => break,
                Some(_) => continue,
            }
        }
        tokio::time::sleep(pace).await;
    }
    (acks, false)
}

fn chair_script() -> Vec<Command> {
    ["give_floor", "pause_floor", "resume_floor", "extend_floor", "end_floor"]
        .iter()
        .map(|name| match *name {
            "extend_floor" => command(json!({"type": "extend_floor", "secs": 10})),
            name => command(json!({ "type": name })),
        })
        .collect()
}

fn speaker_script(n: usize) -> Vec<Command> {
    let presence = if n.is_multiple_of(2) { "in_room" } else { "remote" };
    vec![request("statement", presence, "en"), command(json!({"type": "withdraw"}))]
}

/// One row of the event log, read straight from the database file.
struct Row {
    seq: u64,
    at: i64,
    actor: Option<String>,
    command: Option<String>,
    body: String,
}

fn log_rows(data: &std::path::Path) -> Vec<Row> {
    let conn = rusqlite::Connection::open(data.join("rostrum.db")).expect("open the database");
    let mut stmt = conn
        .prepare("SELECT seq, at, actor, command_id, body FROM events WHERE meeting = ?1 ORDER BY seq")
        .expect("query");
    stmt.query_map([MEETING], |r| {
        Ok(Row {
            seq: r.get::<_, i64>(0)? as u64,
            at: r.get(1)?,
            actor: r.get(2)?,
            command: r.get(3)?,
            body: r.get(4)?,
        })
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn replay(first: &Meeting, rows: &[Row], upto: Seq) -> Meeting {
    let mut meeting = Meeting::new(first.info.clone());
    for row in rows.iter().take_while(|r| r.seq <= upto.0) {
        let event: Event = serde_json::from_str(&row.body).expect("a stored event");
        meeting.apply(&EventRecord { seq: Seq(row.seq), at: Millis(row.at), event });
    }
    meeting
}

/// Kills the server with SIGKILL `kills` times at random moments while a chair and six delegates
/// send commands at a fixed pace and a display follows; after each restart checks the log on
/// disk against every acknowledgement so far and the display's state against the replayed log.
pub async fn kill_loop(kills: usize, seed: u64) -> KillReport {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_path_buf();
    let mut server = Server::start_in(&data).await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    let chair = server.chair(MEETING);
    let delegates: Vec<(String, String)> = (0..6)
        .map(|n| {
            let who = format!("del-{n}");
            let token = server.delegate(MEETING, &who, &format!("State {n}"));
            (who, token)
        })
        .collect();
    let mut rng = Rng::new(seed);
    let mut report = KillReport::default();
    let mut acks: Vec<Ack> = Vec::new();
    let pace = Duration::from_millis(60);
    for round in 0..kills {
        // Load
        let display = Client::connect(&server, MEETING, None).await;
        let first = display.state().clone();
        let display = tokio::spawn(async move {
            let mut display = display;
            while display.try_recv().await.is_some() {}
            display
        });
        let mut drivers = Vec::new();
        let client = Client::connect(&server, MEETING, Some(&chair)).await;
        drivers.push(tokio::spawn(drive(client, "chair-1".into(), round, chair_script(), pace)));
        for (n, (who, token)) in delegates.iter().enumerate() {
            let client = Client::connect(&server, MEETING, Some(token)).await;
            drivers.push(tokio::spawn(drive(client, who.clone(), round, speaker_script(n), pace)));
        }

        // Kill at a random moment, restart on the same data directory
        tokio::time::sleep(Duration::from_millis(rng.between(200, 1500))).await;
        server.kill9();
        for driver in drivers {
            let (got, in_flight) = driver.await.expect("driver");
            acks.extend(got);
            report.in_flight += usize::from(in_flight);
        }
        let display = display.await.expect("display");
        server = Server::start_in(&data).await;
        report.kills += 1;

        // Check the log on disk
        let rows = log_rows(&data);
        let mut expected = 1;
        for row in &rows {
            if row.seq < expected {
                report.duplicates += 1;
            } else {
                report.gaps += (row.seq - expected) as usize;
                expected = row.seq + 1;
            }
        }
        for ack in &acks {
            let at = rows.get(ack.seq.0 as usize - 1).filter(|r| r.seq == ack.seq.0);
            let made_by_it = at.is_some_and(|row| {
                row.actor.as_deref() == Some(ack.who.as_str()) && row.command.as_deref() == Some(ack.id.as_str())
            });
            // A retry or a no-op is acked at an earlier seq made by another command: only a
            // command that made events must find itself there. Commands here all make events.
            if !made_by_it {
                report.lost += 1;
            }
        }
        // The display's state before the kill is the log replayed to the same point; the restarted
        // server's state is the whole log replayed.
        let before = display.state();
        if replay(&first, &rows, before.seq) != *before {
            report.state_mismatches += 1;
        }
        let restarted = server.state(MEETING, &server.secretariat()).await;
        if replay(&first, &rows, Seq(u64::MAX)) != restarted || restarted.seq.0 != rows.len() as u64 {
            report.state_mismatches += 1;
        }
    }
    report.acked = acks.len();
    report.events = log_rows(&data).len() as u64;
    report
}

// ---- Promise 3: a reconnect storm.

/// What the storm counted.
#[derive(Debug, Default, Clone)]
pub struct StormReport {
    pub clients: usize,
    pub reconnects: usize,
    /// Events in the meeting's log at the end.
    pub events: u64,
    pub gaps: usize,
    pub duplicates: usize,
    pub reorderings: usize,
    /// Clients whose screen at the end differed from the server's state.
    pub mismatches: usize,
    /// From opening the socket to `synced`, per reconnect.
    pub catch_up: Vec<Duration>,
}

impl StormReport {
    pub fn failures(&self) -> usize {
        self.gaps + self.duplicates + self.reorderings + self.mismatches
    }
}

/// Checks a client's stream of sequence numbers: each must be the one after the last.
fn count_order(seqs: &[u64], report: &mut StormReport) {
    for pair in seqs.windows(2) {
        let (last, next) = (pair[0], pair[1]);
        if next == last + 1 {
            continue;
        } else if next == last {
            report.duplicates += 1;
        } else if next < last {
            report.reorderings += 1;
        } else {
            report.gaps += 1;
        }
    }
}

/// `clients` screens follow a meeting that three writers change about forty times a second; each is cut
/// and reconnected (resuming) `rounds` times at random moments. At the end every screen must have
/// seen every event since it joined, once and in order, and hold the server's state.
pub async fn storm(clients: usize, rounds: usize, seed: u64) -> StormReport {
    // Each screen reconnects every second or so from one address, far above what one address may
    // open in normal use: no request budgets here (the attack phase measures those).
    let server = Arc::new(Server::start_flat_out().await);
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    let stop = Arc::new(AtomicBool::new(false));
    // Three writers on their own sockets add speakers at a steady pace (every command is an event),
    // whatever the storm does to the server's accept loop.
    let mut emitters = Vec::new();
    for w in 0..3 {
        let mut writer = Client::connect(&server, MEETING, Some(&sec)).await;
        let stop = stop.clone();
        emitters.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let speaker = json!({"id": format!("s-{w}-{n}"), "name": "Speaker", "role": "delegate", "delegation": "Chile"});
                let add = json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "remote", "language": "en"});
                writer.command(command(add)).await.expect("speaker added");
                n += 1;
                tokio::time::sleep(Duration::from_millis(70)).await;
            }
        }));
    }
    let mut tasks = Vec::new();
    for c in 0..clients {
        let server = server.clone();
        let mut rng = Rng::new(seed.wrapping_add(c as u64 * 7919));
        tasks.push(tokio::spawn(async move {
            let mut client = Client::connect(&server, MEETING, None).await;
            let mut seqs: Vec<u64> = Vec::new();
            let mut catch_up = Vec::new();
            for _ in 0..rounds {
                let until = Instant::now() + Duration::from_millis(rng.between(100, 1200));
                while let Ok(Some(_)) = tokio::time::timeout_at(until.into(), client.try_recv()).await {}
                seqs.extend(client.events.iter().map(|r| r.seq.0));
                let (epoch, replica) = (client.epoch.clone(), client.state().clone());
                client.cut();
                tokio::time::sleep(Duration::from_millis(rng.between(0, 100))).await;
                let start = Instant::now();
                client = Client::reconnect(&server, MEETING, None, &epoch, replica).await.expect("reconnect");
                catch_up.push(start.elapsed());
            }
            (client, seqs, catch_up)
        }));
    }
    let mut ended = Vec::new();
    for task in tasks {
        ended.push(task.await.expect("a storm client failed (a gap or duplicate panics the harness)"));
    }
    stop.store(true, Ordering::Relaxed);
    for emitter in emitters {
        emitter.await.expect("emitter");
    }
    let head = server.state(MEETING, &sec).await;
    let mut report = StormReport { clients, events: head.seq.0, ..StormReport::default() };
    for (mut client, mut seqs, catch_up) in ended {
        client.until(head.seq).await;
        seqs.extend(client.events.iter().map(|r| r.seq.0));
        count_order(&seqs, &mut report);
        if *client.state() != head {
            report.mismatches += 1;
        }
        report.reconnects += catch_up.len();
        report.catch_up.extend(catch_up);
    }
    report
}

// ---- Promise 4: acks lost after the commit.

/// What the lost-ack loop counted.
#[derive(Debug, Default, Clone)]
pub struct LostAckReport {
    pub losses: usize,
    /// Losses where the request had been committed before the socket went (the ack was lost).
    pub committed_before_retry: usize,
    /// Retries that made a second entry, and requests that made none after the retry's ack.
    pub duplicates: usize,
    pub missing: usize,
}

impl LostAckReport {
    pub fn failures(&self) -> usize {
        self.duplicates + self.missing
    }
}

fn entries_of(state: &Meeting, who: &str) -> usize {
    let who = ParticipantId::parse(who).expect("participant id");
    state.segments.iter().flat_map(|s| &s.entries).filter(|e| e.speaker.id == who).count()
}

/// `losses` times: a delegate asks for the floor and the socket drops before the ack can be read
/// (the server commits, then finds nobody to answer); the delegate reconnects and retries with the
/// same id. Each retry must be answered without a second entry.
pub async fn lost_acks(losses: usize) -> LostAckReport {
    // A thousand reconnects in a few seconds from one address: no request budgets here.
    let server = Server::start_flat_out().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    let people: Vec<(String, String)> = (0..10)
        .map(|n| {
            let who = format!("del-{n}");
            (who.clone(), server.delegate(MEETING, &who, &format!("State {n}")))
        })
        .collect();
    let mut report = LostAckReport { losses, ..LostAckReport::default() };
    for i in 0..losses {
        let (who, token) = &people[i % people.len()];
        // Each person from their own address, so that the address's rate limit never interferes.
        let source = std::net::IpAddr::from([127, 0, 0, 2 + (i % people.len()) as u8]);
        let id = CommandId::parse(format!("ask-{i}")).expect("id");
        let ask = request("statement", "remote", "en");
        let mut client = Client::connect_from(&server, source, MEETING, Some(token)).await;
        client.send(&id, &ask).await;
        client.cut();

        let mut again = Client::connect_from(&server, source, MEETING, Some(token)).await;
        if entries_of(again.state(), who) > 0 {
            report.committed_before_retry += 1;
        }
        let seq = again.command_with_id(&id, &ask).await;
        if let Ok(seq) = seq {
            again.until(seq).await;
        }
        match entries_of(again.state(), who) {
            1 => {}
            0 => report.missing += 1,
            _ => report.duplicates += 1,
        }
        // Leave the list for the next round of this person.
        let _ = again.command(command(json!({"type": "withdraw"}))).await;
    }
    report
}
