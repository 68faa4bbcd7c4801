//! Reconnecting without losing the thread: a client that resumes from the last event it applied gets
//! exactly what it missed — replayed, or as a snapshot when a replay cannot be trusted — even across
//! a server restart.

use rostrum_tests::{command, participant, request, segment, Client, Server};
use serde_json::json;
use shared::protocol::{Resume, SnapshotReason};
use shared::{Command, Seq};

const MEETING: &str = "m1";

async fn meeting() -> (Server, String) {
    let server = Server::start().await;
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
