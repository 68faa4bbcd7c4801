//! A server asked to stop (SIGTERM, as systemd, a container runtime or a rolling restart asks)
//! stops accepting, tells every screen to reconnect (close 1012), waits for its store, and exits
//! cleanly; started again on the same data, it has every event it acknowledged, and the screens
//! resume where they were.

use rostrum_tests::{segment, Client, Server};
use serde_json::json;
use shared::protocol::close;

const MEETING: &str = "m1";

/// Adds speakers over the API until the server stops answering; returns the ids it acknowledged.
async fn add_speakers_until_stopped(addr: std::net::SocketAddr, sec: String, writer: usize) -> Vec<String> {
    let mut acknowledged = Vec::new();
    for n in 0.. {
        let id = format!("s-{writer}-{n}");
        let speaker = json!({"id": id, "name": "Speaker", "role": "delegate", "delegation": "Chile"});
        let add = json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "remote", "language": "en"});
        let body = add.to_string();
        let (path, token) = (format!("/api/meetings/{MEETING}/commands"), sec.clone());
        // On a task of its own: the harness's request panics when the connection is refused.
        let answered = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            tokio::spawn(async move {
                rostrum_tests::http(addr, "POST", &path, Some(&token), Some(&body), "application/json").await
            }),
        )
        .await;
        match answered {
            Ok(Ok((201, _))) => acknowledged.push(id),
            // Refused, cut, or no answer at all: the server is going.
            _ => break,
        }
        if n > 5_000 {
            break;
        }
    }
    acknowledged
}

#[tokio::test]
async fn a_server_asked_to_stop_closes_screens_with_1012_and_loses_no_acknowledged_event() {
    // Arrange: a display following a meeting, and two writers adding speakers flat out
    let dir = tempfile::tempdir().unwrap();
    let mut first = Server::start_with(dir.path(), &["--no-rate-limits"]).await;
    let sec = first.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut display = Client::connect(&first, MEETING, None).await;
    let writers: Vec<_> =
        (0..2).map(|w| tokio::spawn(add_speakers_until_stopped(first.addr, sec.clone(), w))).collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // Act: SIGTERM while the writers write; then the same server again, on the same data and port
    let status = first.terminate().await;
    let code = display.close_code().await;
    let mut acknowledged = Vec::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    let (epoch, replica) = (display.epoch.clone(), display.state().clone());
    let second = Server::start_at(dir.path(), &first.addr.to_string(), &["--no-rate-limits"]).await;
    let state = second.state(MEETING, &sec).await;
    let resumed = Client::reconnect(&second, MEETING, None, &epoch, replica).await.expect("the display resumes");

    // Assert
    assert!(status.success(), "the server exited with {status}");
    assert_eq!(code, Some(close::RESTARTING), "the display was told to reconnect");
    assert!(first.log().contains("stopped: sockets closed, store flushed"), "{}", first.log());
    assert!(acknowledged.len() > 10, "the writers wrote before the stop: {}", acknowledged.len());
    let held: std::collections::HashSet<String> = state
        .segments
        .iter()
        .flat_map(|segment| segment.entries.iter().map(|entry| entry.speaker.id.to_string()))
        .collect();
    let lost: Vec<&String> = acknowledged.iter().filter(|id| !held.contains(*id)).collect();
    assert!(lost.is_empty(), "{} acknowledged speakers are missing after the restart: {lost:?}", lost.len());
    assert!(resumed.state() == &state, "the display resumed to the server's state");
}
