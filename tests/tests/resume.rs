//! Reconnecting without losing the thread: a client that resumes from the last event it applied gets
//! exactly what it missed — replayed, or as a snapshot when a replay cannot be trusted — even across
//! a server restart.

use rostrum_tests::{command, participant, request, segment, Client, Server};
use serde_json::json;
use shared::protocol::{Resume, SnapshotReason};
use shared::{Command, Seq};

const MEETING: &str = "m1";

async fn meeting() -> (Server, String) {
    // Writers here drive the API as fast as it answers: no request budgets.
    let server = Server::start_flat_out().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    (server, sec)
}

/// The chair adds speaker `n` on a delegation's behalf: one event each.
fn add_speaker(n: usize) -> Command {
    let speaker =
        participant(&format!("del-{n}"), &format!("Delegate {n}"), "delegate", Some(&format!("State {n}")), None);
    command(
        json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "in_room", "language": "en"}),
    )
}

#[tokio::test]
async fn a_client_that_resumes_gets_exactly_the_missed_events_while_the_chair_keeps_working() {
    // Arrange: a delegate follows the meeting, then loses its connection
    let (server, sec) = meeting().await;
    let token = server.delegate(MEETING, "del-chile", "Chile");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;
    delegate.command(request("statement", "in_room", "es")).await.unwrap();
    let (epoch, replica) = (delegate.epoch.clone(), delegate.state().clone());
    delegate.cut();

    // Act: the chair keeps adding speakers while the delegate reconnects
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let (progress, mut progressed) = tokio::sync::watch::channel(0usize);
    let chair_task = tokio::spawn(async move {
        let mut last = Seq(0);
        for n in 0..40 {
            last = chair.command(add_speaker(n)).await.expect("speaker added");
            let _ = progress.send(n + 1);
        }
        last
    });
    progressed.wait_for(|n| *n >= 10).await.unwrap();
    let mut resumed =
        Client::reconnect(&server, MEETING, Some(&token), &epoch, replica.clone()).await.expect("resumed");
    let last = chair_task.await.unwrap();
    resumed.until(last).await;

    // Assert: no snapshot, every missed event once and in order (the harness checks each seq), and the
    // same state as the server
    assert_eq!(resumed.snapshot, None, "a resume within the window replays");
    let seqs: Vec<u64> = resumed.events.iter().map(|r| r.seq.0).collect();
    let expected: Vec<u64> = (replica.seq.0 + 1..=last.0).collect();
    assert_eq!(seqs, expected);
    assert_eq!(resumed.state(), &server.state(MEETING, &sec).await);
    assert_eq!(resumed.state().active().unwrap().entries.len(), 41);
    resumed.still_works().await;
}

#[tokio::test]
async fn a_client_that_resumes_at_the_head_gets_only_synced() {
    // Arrange
    let (server, sec) = meeting().await;
    let display = Client::connect(&server, MEETING, None).await;
    let (epoch, replica) = (display.epoch.clone(), display.state().clone());
    display.cut();

    // Act
    let resumed = Client::reconnect(&server, MEETING, None, &epoch, replica.clone()).await.expect("resumed");

    // Assert
    assert_eq!(resumed.snapshot, None);
    assert!(resumed.events.is_empty());
    assert_eq!(resumed.state(), &replica);
    assert_eq!(resumed.state(), &server.state(MEETING, &sec).await);
}

#[tokio::test]
async fn a_client_that_claims_events_the_log_does_not_have_gets_a_snapshot() {
    // Arrange
    let (server, sec) = meeting().await;
    let display = Client::connect(&server, MEETING, None).await;
    let ahead = Resume { epoch: display.epoch.clone(), seq: Seq(display.state().seq.0 + 5) };
    display.cut();

    // Act
    let resumed = Client::resume(&server, MEETING, None, ahead).await.expect("resumed");

    // Assert
    assert_eq!(resumed.snapshot, Some(SnapshotReason::AheadOfLog));
    assert_eq!(resumed.state(), &server.state(MEETING, &sec).await);
}

#[tokio::test]
async fn a_client_resuming_from_another_epoch_gets_a_snapshot() {
    // Arrange
    let (server, sec) = meeting().await;
    let display = Client::connect(&server, MEETING, None).await;
    let (mut replica, seq) = (display.state().clone(), display.state().seq);
    display.cut();
    replica.segments.clear();

    // Act
    let other_epoch = Resume { epoch: "0123456789abcdef0123456789abcdef".into(), seq };
    let resumed = Client::try_connect_with(&server, MEETING, None, Some(other_epoch), Some(replica)).await;

    // Assert
    let resumed = resumed.expect("resumed");
    assert_eq!(resumed.snapshot, Some(SnapshotReason::EpochChanged));
    assert_eq!(resumed.state(), &server.state(MEETING, &sec).await, "the snapshot replaced the stale replica");
    assert_ne!(resumed.epoch, "0123456789abcdef0123456789abcdef");
}

#[tokio::test]
async fn a_client_resumes_with_a_replay_after_the_server_is_killed_and_restarted() {
    // Arrange: a display at some point, more commands, then the server dies
    let (mut server, _) = meeting().await;
    let chair_token = server.chair(MEETING);
    let display = Client::connect(&server, MEETING, None).await;
    let (epoch, replica) = (display.epoch.clone(), display.state().clone());
    display.cut();
    let mut chair = Client::connect(&server, MEETING, Some(&chair_token)).await;
    for n in 0..5 {
        chair.command(add_speaker(n)).await.unwrap();
    }
    let head = chair.command(command(json!({"type": "give_floor"}))).await.unwrap();
    server.kill9();

    // Act
    let restarted = Server::start_in(&server.data).await;
    let resumed = Client::reconnect(&restarted, MEETING, None, &epoch, replica.clone()).await.expect("resumed");

    // Assert: the missed events were replayed from the reloaded log
    assert_eq!(resumed.snapshot, None, "the replay window survives a restart");
    assert_eq!(resumed.epoch, epoch);
    let seqs: Vec<u64> = resumed.events.iter().map(|r| r.seq.0).collect();
    assert_eq!(seqs, (replica.seq.0 + 1..=head.0).collect::<Vec<_>>());
    assert_eq!(resumed.events, chair.events[chair.events.len() - seqs.len()..]);
    assert_eq!(resumed.state(), &restarted.state(MEETING, &restarted.secretariat()).await);
}

#[tokio::test]
async fn a_client_that_drops_its_connection_leaves_the_server_idle() {
    // Arrange
    let (server, _) = meeting().await;
    for _ in 0..3 {
        Client::connect(&server, MEETING, None).await.cut();
    }
    // The server needs a moment to notice the cuts; after that it has nothing to do.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;

    // Act: measure what an idle second costs (there is no message to wait for: idleness takes time)
    let before = server.cpu_time();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let spent = server.cpu_time() - before;

    // Assert
    assert!(spent < std::time::Duration::from_millis(200), "an idle server used {spent:?} of CPU in one second");
}

/// The chair's toggle of the list over the API: one event each, as fast as the server takes them.
async fn toggle_list(server: &Server, sec: &str, n: usize) {
    let kind = if n.is_multiple_of(2) { "close_list" } else { "reopen_list" };
    let (status, body) = server
        .http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(sec), Some(&json!({"type": kind})))
        .await;
    assert_eq!(status, 201, "{body}");
}

/// The meeting as it stood at `seq`, rebuilt from what a display was first sent and every event
/// it saw since.
fn replica_at(first: &shared::Meeting, display: &Client, seq: Seq) -> shared::Meeting {
    let mut replica = first.clone();
    for record in display.events.iter().take_while(|r| r.seq <= seq) {
        replica.apply(record);
    }
    assert_eq!(replica.seq, seq);
    replica
}

#[tokio::test]
async fn a_client_behind_the_replay_window_gets_a_snapshot_and_one_just_inside_it_gets_every_event() {
    // Arrange: more than 4,096 events after the start, seen by a display that never left
    const WINDOW: u64 = 4096;
    let (server, sec) = meeting().await;
    let mut display = Client::connect(&server, MEETING, None).await;
    let epoch = display.epoch.clone();
    let first = display.state().clone();
    let start = first.seq;
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (addr, sec) = (server.addr, sec.clone());
            tokio::spawn(async move {
                // One event each: a speaker added, never the same person twice.
                for n in 0..(WINDOW as usize / 8 + 2) {
                    let body = json!({"type": "add_speaker", "speaker": {"id": format!("s-{w}-{n}"), "name": "Speaker", "role": "delegate", "delegation": "Chile"}, "kind": "statement", "presence": "remote", "language": "en"}).to_string();
                    let path = format!("/api/meetings/{MEETING}/commands");
                    rostrum_tests::http(addr, "POST", &path, Some(&sec), Some(&body), "application/json").await;
                }
            })
        })
        .collect();
    // The display keeps reading meanwhile, as a screen does: one that stopped would be closed as
    // too slow once its queue and its socket's 64 KiB send buffer filled.
    let mut written = tokio::spawn(async move {
        for writer in writers {
            writer.await.unwrap();
        }
    });
    loop {
        tokio::select! {
            finished = &mut written => {
                finished.unwrap();
                break;
            }
            _ = display.recv() => {}
        }
    }
    toggle_list(&server, &sec, 0).await;
    let head = server.state(MEETING, &sec).await.seq;
    display.until(head).await;
    assert!(head.0 > start.0 + WINDOW + 1, "{head} events are not enough");

    // Act
    let inside = Seq(head.0 - WINDOW);
    let outside = Seq(head.0 - WINDOW - 1);
    let replayed =
        Client::reconnect(&server, MEETING, None, &epoch, replica_at(&first, &display, inside)).await.expect("resumed");
    let behind = Client::reconnect(&server, MEETING, None, &epoch, replica_at(&first, &display, outside))
        .await
        .expect("resumed");

    // Assert
    assert_eq!(replayed.snapshot, None, "the last {WINDOW} events are replayed");
    assert_eq!(replayed.events.len() as u64, WINDOW);
    assert_eq!(replayed.events, display.events[display.events.len() - WINDOW as usize..]);
    assert_eq!(behind.snapshot, Some(SnapshotReason::TooFarBehind));
    for client in [&replayed, &behind] {
        assert!(client.state() == display.state(), "a resumed screen differs from one that never left");
    }
}

#[tokio::test]
async fn screens_that_cut_and_resume_while_writers_run_at_full_speed_lose_and_duplicate_nothing() {
    // Arrange: the secretariat toggles the list over the API as fast as it can, while delegates
    // inscribe and withdraw over their sockets
    let (server, sec) = meeting().await;
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut writers = Vec::new();
    for w in 0..3 {
        let (addr, sec, stopped) = (server.addr, sec.clone(), stopped.clone());
        writers.push(tokio::spawn(async move {
            let mut n = w;
            while !*stopped.borrow() {
                let kind = if n % 2 == 0 { "close_list" } else { "reopen_list" };
                let body = json!({"type": kind}).to_string();
                let path = format!("/api/meetings/{MEETING}/commands");
                rostrum_tests::http(addr, "POST", &path, Some(&sec), Some(&body), "application/json").await;
                n += 1;
            }
        }));
    }
    for d in 0..3 {
        let mut delegate =
            Client::connect(&server, MEETING, Some(&server.delegate(MEETING, &format!("del-{d}"), "Chile"))).await;
        let stopped = stopped.clone();
        writers.push(tokio::spawn(async move {
            while !*stopped.borrow() {
                let _ = delegate.command(command(json!({"type": "request_floor", "kind": "point_of_order", "presence": "remote", "language": "en"}))).await;
                let _ = delegate.command(command(json!({"type": "withdraw"}))).await;
                tokio::time::sleep(std::time::Duration::from_millis(60)).await;
            }
        }));
    }

    // Act: five screens each cut and resume from where they were, at least ten times and until they
    // have followed at least a hundred events, so the resumes overlap the writers however slow the
    // machine is
    let mut screens = Vec::new();
    for s in 0..5u64 {
        let addr_server = Client::connect(&server, MEETING, None).await;
        screens.push((s, addr_server));
    }
    let mut resumes = 0;
    let mut replayed = 0;
    let mut round = 0u64;
    let followed = |screens: &Vec<(u64, Client)>| screens.iter().map(|(_, c)| c.state().seq.0).min().unwrap_or(0);
    while round < 10 || followed(&screens) <= 100 {
        let mut next = Vec::new();
        for (s, mut screen) in screens {
            for _ in 0..(s + round) % 4 {
                screen.recv().await;
            }
            let (epoch, replica, seen) = (screen.epoch.clone(), screen.state().clone(), screen.events.clone());
            screen.cut();
            let mut again = Client::reconnect(&server, MEETING, None, &epoch, replica).await.expect("resumed");
            assert_eq!(again.snapshot, None, "a resume inside the window replays");
            replayed += again.events.len();
            resumes += 1;
            let mut all = seen;
            all.append(&mut again.events);
            again.events = all;
            next.push((s, again));
        }
        screens = next;
        round += 1;
    }
    stop.send(true).unwrap();
    for writer in writers {
        writer.await.unwrap();
    }
    let head = server.state(MEETING, &sec).await;
    for (_, screen) in &mut screens {
        screen.until(head.seq).await;
    }

    // Assert: every screen applied every event once, in order (the harness checks each seq), and
    // holds the server's state
    println!("{resumes} resumes under load, {replayed} events replayed, head at {}", head.seq);
    for (s, screen) in &screens {
        let seqs: Vec<u64> = screen.events.iter().map(|r| r.seq.0).collect();
        let first = seqs[0];
        assert_eq!(seqs, (first..=head.seq.0).collect::<Vec<_>>(), "screen {s}");
        assert_eq!(screen.state(), &head, "screen {s}");
    }
}
