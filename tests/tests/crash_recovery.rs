//! Acknowledged means durable: the server killed with SIGKILL in the middle of a busy meeting comes
//! back with every acknowledged event, no gap in its log, and the state every screen had.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{Command, CommandId, Event, EventRecord, Meeting, Seq};

const MEETING: &str = "m1";
/// Speakers driving the meeting at once, and the commands each may send (below the per-connection
/// burst of 50, so that the rate limit never refuses one).
const SPEAKERS: usize = 8;
const COMMANDS_EACH: usize = 40;
/// The server is killed once this many commands have been acknowledged, with more in flight.
const KILL_AFTER_ACKS: usize = 120;

/// What a client learnt before the server died: each acknowledged command and its sequence number.
struct Acked {
    who: String,
    acks: Vec<(Command, Seq)>,
    /// Whether a command was sent and never answered: in flight when the server died.
    in_flight: bool,
}

/// A speaker asks for the floor and withdraws, again and again, one command in flight at a time;
/// the chair gives the floor, pauses, resumes, extends and ends. Runs until the connection dies.
async fn drive(
    mut client: Client,
    who: String,
    script: Vec<Command>,
    acked: Arc<AtomicUsize>,
    tick: Arc<tokio::sync::Notify>,
) -> Acked {
    let mut acks = Vec::new();
    let mut in_flight = false;
    for (n, cmd) in script.into_iter().enumerate() {
        let id = CommandId::parse(format!("{who}-{n}")).unwrap();
        match client.command_unless_gone(&id, &cmd).await {
            None => {
                in_flight = true;
                break;
            }
            Some(Ok(seq)) => {
                acks.push((cmd, seq));
                acked.fetch_add(1, Ordering::SeqCst);
                tick.notify_one();
            }
            Some(Err(_)) => continue,
        }
    }
    Acked { who, acks, in_flight }
}

fn chair_script() -> Vec<Command> {
    let cycle = ["give_floor", "pause_floor", "resume_floor", "extend_floor", "end_floor"];
    (0..COMMANDS_EACH)
        .map(|n| match cycle[n % cycle.len()] {
            "extend_floor" => command(json!({"type": "extend_floor", "secs": 10})),
            name => command(json!({ "type": name })),
        })
        .collect()
}

fn speaker_script(n: usize) -> Vec<Command> {
    let presence = if n.is_multiple_of(2) { "in_room" } else { "remote" };
    (0..COMMANDS_EACH)
        .map(|k| {
            if k.is_multiple_of(2) {
                request("statement", presence, "en")
            } else {
                command(json!({"type": "withdraw"}))
            }
        })
        .collect()
}

/// Every event of the meeting from the first, by resuming from sequence 0 of the meeting's epoch.
async fn whole_log(server: &Server, epoch: &str, info: &Meeting) -> Client {
    let empty = Meeting::new(info.info.clone());
    Client::reconnect(server, MEETING, None, epoch, empty).await.expect("replay from the start")
}

#[tokio::test]
async fn every_acknowledged_event_survives_a_sigkill_in_the_middle_of_a_busy_meeting() {
    // Arrange
    let mut server = Server::start().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 60)]).await;
    let display = Client::connect(&server, MEETING, None).await;
    let epoch = display.epoch.clone();
    let acked = Arc::new(AtomicUsize::new(0));
    let tick = Arc::new(tokio::sync::Notify::new());
    let mut drivers = Vec::new();
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    drivers.push(tokio::spawn(drive(chair, "chair-1".into(), chair_script(), acked.clone(), tick.clone())));
    for n in 0..SPEAKERS {
        let who = format!("del-{n}");
        let client =
            Client::connect(&server, MEETING, Some(&server.delegate(MEETING, &who, &format!("State {n}")))).await;
        drivers.push(tokio::spawn(drive(client, who, speaker_script(n), acked.clone(), tick.clone())));
    }
    let display_task = tokio::spawn(async move {
        let mut display = display;
        while display.try_recv().await.is_some() {}
        display
    });

    // Act: SIGKILL while commands are in flight, then restart on the same data directory
    while acked.load(Ordering::SeqCst) < KILL_AFTER_ACKS {
        tick.notified().await;
    }
    server.kill9();
    let mut results = Vec::new();
    for driver in drivers {
        results.push(driver.await.unwrap());
    }
    let display = display_task.await.unwrap();
    let restarted = Server::start_in(&server.data).await;
    let sec = restarted.secretariat();

    // Assert: the log has no gap (the harness checks each seq) and holds every acknowledged event
    let fresh = restarted.state(MEETING, &sec).await;
    let log = whole_log(&restarted, &epoch, &fresh).await;
    assert_eq!(log.state().seq, fresh.seq);
    let total: usize = results.iter().map(|r| r.acks.len()).sum();
    assert!(total >= KILL_AFTER_ACKS, "{total} acks");
    assert!(results.iter().any(|r| r.in_flight), "the kill came while commands were in flight");
    let max_acked = results.iter().flat_map(|r| r.acks.iter().map(|(_, s)| *s)).max().unwrap();
    assert!(fresh.seq >= max_acked, "acked up to {max_acked}, but the log ends at {}", fresh.seq);
    for result in &results {
        for (cmd, seq) in &result.acks {
            let record = &log.events[seq.0 as usize - 1];
            assert_eq!(record.seq, *seq);
            let caused_by_it = match (cmd, &record.event) {
                (Command::RequestFloor { .. }, Event::EntryAdded { entry, .. }) => {
                    entry.speaker.id.as_str() == result.who
                }
                (Command::Withdraw { .. }, Event::EntryWithdrawn { .. }) => true,
                (Command::GiveFloor { .. }, Event::FloorGiven { .. }) => true,
                (Command::PauseFloor, Event::FloorPaused) => true,
                (Command::ResumeFloor, Event::FloorResumed) => true,
                (Command::ExtendFloor { .. }, Event::FloorExtended { .. }) => true,
                (Command::EndFloor, Event::FloorEnded { .. }) => true,
                _ => false,
            };
            assert!(caused_by_it, "{} got an ack at {seq} for {cmd:?} but the log has {record:?}", result.who);
        }
    }

    // Assert: what the display saw is exactly the start of the log, and once it resumes it holds the
    // state the restarted server has
    let seen: &[EventRecord] = &display.events;
    let first = seen.first().expect("the display saw events").seq.0 as usize;
    let logged = &log.events[first - 1..first - 1 + seen.len()];
    assert!(seen == logged, "an event the display saw was changed or lost after the restart");
    let resumed = Client::reconnect(&restarted, MEETING, None, &epoch, display.state().clone()).await.expect("resumed");
    assert_eq!(resumed.state(), &fresh);
    assert_eq!(log.state(), &fresh);
    let floor_and_record = |m: &Meeting| (m.active().unwrap().entries.clone(), m.floor.clone(), m.record.clone());
    assert_eq!(floor_and_record(resumed.state()), floor_and_record(&fresh));
    assert!(!fresh.record.is_empty(), "the chair ended some interventions before the kill");
}

#[tokio::test]
async fn after_a_restart_a_snapshot_equals_replaying_the_log_from_the_start() {
    // Arrange: a meeting with some history — two segments, a list, a paused speaker, a record
    let mut server = Server::start().await;
    server
        .meeting(MEETING, "open", &[segment("General debate", "all", 120), segment("Stakeholders", "stakeholders", 90)])
        .await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let mut chile = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let mut ngo =
        Client::connect(&server, MEETING, Some(&server.stakeholder(MEETING, "ngo-1", "ICT4Peace").await)).await;
    chile.command(request("statement", "in_room", "es")).await.unwrap();
    ngo.command(request("statement", "remote", "en")).await.unwrap();
    ngo.command(command(
        json!({"type": "request_floor", "segment": 2, "kind": "statement", "presence": "remote", "language": "fr"}),
    ))
    .await
    .unwrap();
    for name in ["give_floor", "end_floor", "give_floor", "pause_floor"] {
        chair.command(command(json!({ "type": name }))).await.unwrap();
    }
    let epoch = chair.epoch.clone();
    server.kill9();

    // Act
    let restarted = Server::start_in(&server.data).await;
    let snapshot = Client::connect(&restarted, MEETING, None).await;

    // Assert
    let mut replayed = Meeting::new(snapshot.state().info.clone());
    let log = whole_log(&restarted, &epoch, &replayed).await;
    for record in &log.events {
        replayed.apply(record);
    }
    assert_eq!(snapshot.state(), &replayed);
    assert_eq!(snapshot.state(), chair.state(), "the chair's screen before the kill equals the state after it");
    assert!(snapshot.state().floor.as_ref().unwrap().is_paused());
    assert_eq!(log.snapshot, None, "resuming from sequence 0 replays the whole log");
    assert_eq!(log.events.first().map(|r| r.seq), Some(Seq(1)));
}

#[tokio::test]
async fn three_sigkills_at_random_moments_under_load_lose_no_acknowledged_event() {
    // Arrange, act: a chair and six delegates at a fixed pace, the server killed three times
    // (the soak runner does the same fifty times: `make soak`)
    let report = rostrum_tests::soak::kill_loop(3, 6).await;

    // Assert
    println!("{report:?}");
    assert_eq!(report.kills, 3);
    assert!(report.acked > 50, "the load generator got few acks: {report:?}");
    assert_eq!((report.lost, report.gaps, report.duplicates, report.state_mismatches), (0, 0, 0, 0), "{report:?}");
}
