//! Snapshots of a meeting's state: a restart reads the newest one and replays only the events after
//! it, and a snapshot that cannot be trusted is set aside for the log, which stays the truth.

use std::path::Path;

use rostrum_tests::{segment, Server};
use serde_json::json;
use shared::Meeting;

const MEETING: &str = "m1";
/// Events driven into the meeting: more than the fewest between two snapshots (1,000).
const EVENTS: usize = 1_300;
/// Requests in flight at once.
const WRITERS: usize = 8;

/// A meeting with [`EVENTS`] events after its set-up: speakers added by the chair over the API,
/// one event each, as fast as it answers. Returns the server and a secretariat token.
async fn busy_meeting() -> (Server, String) {
    let server = Server::start_flat_out().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (addr, sec) = (server.addr, sec.clone());
            tokio::spawn(async move {
                for n in 0..EVENTS / WRITERS {
                    let speaker = json!({"id": format!("s-{w}-{n}"), "name": "Speaker", "role": "delegate", "delegation": "Chile"});
                    let body = json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "remote", "language": "en"});
                    let path = format!("/api/meetings/{MEETING}/commands");
                    let (status, answer) =
                        rostrum_tests::http(addr, "POST", &path, Some(&sec), Some(&body.to_string()), "application/json").await;
                    assert_eq!(status, 201, "{answer}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
    (server, sec)
}

fn database(data: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(data.join("rostrum.db")).unwrap()
}

/// The sequence number of the meeting's stored snapshot, once the server has written it.
async fn snapshot_seq(data: &Path) -> u64 {
    for _ in 0..200 {
        let seq: Option<i64> =
            database(data).query_row("SELECT seq FROM snapshots WHERE meeting = ?1", [MEETING], |row| row.get(0)).ok();
        if let Some(seq) = seq {
            return seq as u64;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no snapshot was written");
}

/// Makes the stored event `seq` unreadable: a server that replays it fails to start the meeting.
fn spoil_event(data: &Path, seq: u64) {
    let changed = database(data)
        .execute("UPDATE events SET body = 'not an event' WHERE meeting = ?1 AND seq = ?2", (MEETING, seq as i64))
        .unwrap();
    assert_eq!(changed, 1);
}

async fn restarted_state(server: &mut Server, sec: &str) -> (Server, Meeting) {
    server.kill9();
    let restarted = Server::start_in(&server.data).await;
    let state = restarted.state(MEETING, sec).await;
    (restarted, state)
}

#[tokio::test]
async fn a_restart_starts_from_the_snapshot_and_replays_only_the_events_after_it() {
    // Arrange: a busy meeting whose state was written as a snapshot, and whose first event was
    // then spoilt in the database: a server that replayed the whole log could not rebuild it
    let (mut server, sec) = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let snapshot = snapshot_seq(&server.data).await;
    assert!(snapshot >= 1_000 && snapshot <= before.seq.0, "snapshot at {snapshot}, head {}", before.seq);
    spoil_event(&server.data, 1);

    // Act
    let (restarted, after) = restarted_state(&mut server, &sec).await;

    // Assert
    assert_eq!(after, before);
    assert!(restarted.log().contains("meetings rebuilt from their snapshots and logs"), "{}", restarted.log());
}

#[tokio::test]
async fn a_snapshot_of_another_build_s_shape_is_set_aside_and_the_whole_log_replayed() {
    // Arrange: the snapshot as a build with other state types would have written it
    let (mut server, sec) = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    snapshot_seq(&server.data).await;
    database(&server.data)
        .execute("UPDATE snapshots SET shape = 'another-build', state = '{\"not\": \"this build''s\"}'", [])
        .unwrap();

    // Act
    let (restarted, after) = restarted_state(&mut server, &sec).await;

    // Assert: rebuilt from the log, and a snapshot of this build's shape written for next time
    assert_eq!(after, before);
    let shape: String = {
        let mut shape = String::new();
        for _ in 0..200 {
            shape = database(&restarted.data).query_row("SELECT shape FROM snapshots", [], |row| row.get(0)).unwrap();
            if shape != "another-build" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        shape
    };
    assert_ne!(shape, "another-build", "the next start need not replay the whole log again");
}

#[tokio::test]
async fn a_snapshot_that_does_not_read_is_set_aside_with_a_warning_and_the_whole_log_replayed() {
    // Arrange: a snapshot of the right shape whose state was damaged on disk
    let (mut server, sec) = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    snapshot_seq(&server.data).await;
    database(&server.data).execute("UPDATE snapshots SET state = substr(state, 1, 100)", []).unwrap();

    // Act
    let (restarted, after) = restarted_state(&mut server, &sec).await;

    // Assert
    assert_eq!(after, before);
    assert!(restarted.log().contains("a snapshot does not read; replaying the whole log"), "{}", restarted.log());
}
