//! `rostrum backup` copies the database while the server runs and writes; `rostrum restore` puts a
//! copy in place; a server started on it has the same meetings, and screens that resume across the
//! restore get a fresh snapshot because the restored log is a new incarnation (a new epoch).

use std::path::Path;
use std::process::Command as Process;

use rostrum_tests::{command, participant, segment, Client, Server};
use serde_json::json;
use shared::protocol::{Resume, SnapshotReason};
use shared::{Command, Meeting, Seq};

const MEETING: &str = "m1";
const QUIET: &str = "m2";

fn add_speaker(n: usize) -> Command {
    let speaker =
        participant(&format!("del-{n}"), &format!("Delegate {n}"), "delegate", Some(&format!("State {n}")), None);
    command(
        json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "in_room", "language": "en"}),
    )
}

fn rostrum(args: &[&str], data: &Path, file: &Path) -> std::process::Output {
    Process::new(rostrum_tests::rostrum_bin()).args(args).arg("--data").arg(data).arg(file).output().expect("rostrum")
}

/// Two meetings with some history: a busy one and a quiet one.
async fn two_meetings() -> (Server, String) {
    let server = Server::start().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    server.meeting(QUIET, "closed", &[segment("Informal consultations", "member_states", 120)]).await;
    (server, sec)
}

/// The meeting as it stood at `seq`, by replaying the live server's log from the start.
async fn state_at(server: &Server, epoch: &str, info: &Meeting, seq: Seq) -> Meeting {
    let log = Client::reconnect(server, MEETING, None, epoch, Meeting::new(info.info.clone())).await.expect("log");
    let mut state = Meeting::new(info.info.clone());
    for record in log.events.iter().take_while(|r| r.seq <= seq) {
        state.apply(record);
    }
    state
}

#[tokio::test]
async fn a_backup_taken_while_the_chair_is_busy_restores_to_a_consistent_meeting() {
    // Arrange: the chair keeps adding speakers (16 a second, under the rate limit) until told to stop
    let (server, sec) = two_meetings().await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let epoch = chair.epoch.clone();
    let (progress, mut progressed) = tokio::sync::watch::channel(0usize);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let writer = tokio::spawn(async move {
        let mut n = 0;
        while !*stopped.borrow() {
            chair.command(add_speaker(n)).await.expect("speaker added");
            n += 1;
            let _ = progress.send(n);
            tokio::time::sleep(std::time::Duration::from_millis(60)).await;
        }
        chair
    });
    progressed.wait_for(|n| *n >= 5).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("rostrum-backup.db");

    // Act: back up mid-stream, then restore into a fresh data directory and start there
    let out = rostrum(&["backup"], &server.data, &copy);
    let at_backup = *progressed.borrow();
    progressed.wait_for(|n| *n >= at_backup + 5).await.unwrap();
    stop.send(true).unwrap();
    let chair = writer.await.unwrap();
    let restored_dir = dir.path().join("restored");
    let restored = rostrum(&["restore"], &restored_dir, &copy);
    let second = Server::start_in(&restored_dir).await;
    let second_sec = second.secretariat();

    // Assert: the copy is some prefix of the log, exactly as it stood then
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let now = server.state(MEETING, &sec).await;
    let copied = second.state(MEETING, &second_sec).await;
    assert!(
        copied.seq > Seq(2) && copied.seq < now.seq,
        "the backup was taken mid-stream: {} of {}",
        copied.seq,
        now.seq
    );
    assert_eq!(copied, state_at(&server, &epoch, &now, copied.seq).await);
    assert_eq!(second.state(QUIET, &second_sec).await, server.state(QUIET, &sec).await);

    // Assert: a screen that resumes across the restore gets a snapshot, never a replay of other events
    let resumed = Client::resume(&second, MEETING, None, Resume { epoch: epoch.clone(), seq: copied.seq })
        .await
        .expect("resumed");
    assert_eq!(resumed.snapshot, Some(SnapshotReason::EpochChanged));
    assert_ne!(resumed.epoch, epoch);
    assert_eq!(resumed.state(), &copied);
    drop(chair);
}

#[tokio::test]
async fn a_backup_of_a_quiet_server_restores_the_same_meetings_exactly() {
    // Arrange
    let (server, sec) = two_meetings().await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    for n in 0..5 {
        chair.command(add_speaker(n)).await.unwrap();
    }
    chair.command(command(json!({"type": "give_floor"}))).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");

    // Act
    let out = rostrum(&["backup"], &server.data, &copy);
    let restored_dir = dir.path().join("restored");
    rostrum(&["restore"], &restored_dir, &copy);
    let second = Server::start_in(&restored_dir).await;
    let second_sec = second.secretariat();

    // Assert
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for meeting in [MEETING, QUIET] {
        assert_eq!(second.state(meeting, &second_sec).await, server.state(meeting, &sec).await, "{meeting}");
    }
    let display = Client::connect(&second, MEETING, None).await;
    assert_eq!(display.state(), chair.state());
}

#[tokio::test]
async fn backup_and_restore_never_overwrite_a_database() {
    // Arrange
    let (server, sec) = two_meetings().await;
    let before = server.state(MEETING, &sec).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    std::fs::write(&copy, b"an older file").unwrap();

    // Act
    let backup_over_a_file = rostrum(&["backup"], &server.data, &copy);
    std::fs::remove_file(&copy).unwrap();
    assert!(rostrum(&["backup"], &server.data, &copy).status.success());
    let restore_over_the_live_database = rostrum(&["restore"], &server.data, &copy);

    // Assert
    assert!(!backup_over_a_file.status.success());
    assert!(!restore_over_the_live_database.status.success());
    assert_eq!(server.state(MEETING, &sec).await, before);
}
