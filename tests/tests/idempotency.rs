//! Retrying is always safe: a command sent again with the same id — because its ack was lost, on the
//! same connection or a new one, even after a restart — is answered with the original sequence
//! number and never acts twice.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{CommandId, Event, Meeting, ParticipantId};

const MEETING: &str = "m1";

async fn meeting() -> (Server, String) {
    let server = Server::start().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    (server, sec)
}

fn entries_of(state: &Meeting, who: &str) -> usize {
    let who = ParticipantId::parse(who).unwrap();
    state.segments.iter().flat_map(|s| &s.entries).filter(|e| e.speaker.id == who).count()
}

#[tokio::test]
async fn a_request_retried_on_the_same_connection_is_acked_with_the_same_seq_and_not_repeated() {
    // Arrange
    let (server, sec) = meeting().await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let id = CommandId::parse("ask-1").unwrap();
    let first = delegate.command_with_id(&id, &request("statement", "in_room", "es")).await.expect("acked");

    // Act
    let retry = delegate.command_with_id(&id, &request("statement", "in_room", "es")).await;

    // Assert
    assert_eq!(retry, Ok(first));
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq, first, "the retry made no event");
    assert_eq!(entries_of(&state, "del-1"), 1);
}

#[tokio::test]
async fn a_retry_after_a_withdrawal_does_not_inscribe_the_speaker_again() {
    // Arrange: the request took effect, then the delegate withdrew it
    let (server, sec) = meeting().await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let id = CommandId::parse("ask-1").unwrap();
    let first = delegate.command_with_id(&id, &request("statement", "in_room", "es")).await.unwrap();
    let withdrawn = delegate.command(command(json!({"type": "withdraw"}))).await.unwrap();

    // Act: a late retry of the original request (which, run again, would succeed)
    let retry = delegate.command_with_id(&id, &request("statement", "in_room", "es")).await;

    // Assert
    assert_eq!(retry, Ok(first));
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq, withdrawn);
    assert_eq!(entries_of(&state, "del-1"), 0);
}

#[tokio::test]
async fn an_extension_retried_by_the_chair_extends_only_once() {
    // Arrange
    let (server, sec) = meeting().await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    delegate.command(request("statement", "in_room", "es")).await.unwrap();
    chair.command(command(json!({"type": "give_floor"}))).await.unwrap();
    let id = CommandId::parse("extend-1").unwrap();
    let extend = command(json!({"type": "extend_floor", "secs": 60}));
    let first = chair.command_with_id(&id, &extend).await.unwrap();

    // Act
    let retries = [chair.command_with_id(&id, &extend).await, chair.command_with_id(&id, &extend).await];

    // Assert
    assert_eq!(retries, [Ok(first), Ok(first)]);
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.floor.unwrap().extended_ms, 60_000);
}

#[tokio::test]
async fn a_request_whose_ack_was_lost_is_retried_on_a_new_connection_without_a_second_entry() {
    // Arrange: the request is sent and the connection cut before its ack could be read
    let (server, sec) = meeting().await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;
    let (epoch, replica) = (delegate.epoch.clone(), delegate.state().clone());
    let id = CommandId::parse("ask-1").unwrap();
    delegate.send(&id, &request("statement", "remote", "es")).await;
    delegate.cut();

    // Act: reconnect, resume, retry with the same id
    let mut again = Client::reconnect(&server, MEETING, Some(&token), &epoch, replica).await.expect("resumed");
    let seq = again.command_with_id(&id, &request("statement", "remote", "es")).await.expect("acked");

    // Assert: exactly one entry, and the ack names the event that made it
    again.until(seq).await;
    let state = server.state(MEETING, &sec).await;
    assert_eq!(again.state(), &state);
    assert_eq!(entries_of(&state, "del-1"), 1);
    let made = again.events.iter().find(|r| r.seq == seq).expect("the acked event was seen");
    assert!(matches!(&made.event, Event::EntryAdded { entry, .. } if entry.speaker.id.as_str() == "del-1"), "{made:?}");
}

#[tokio::test]
async fn a_request_acked_before_a_cut_is_acked_again_with_the_same_seq_on_a_new_connection() {
    // Arrange
    let (server, sec) = meeting().await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;
    let id = CommandId::parse("ask-1").unwrap();
    let first = delegate.command_with_id(&id, &request("statement", "remote", "es")).await.unwrap();
    delegate.cut();

    // Act
    let mut again = Client::connect(&server, MEETING, Some(&token)).await;
    let retry = again.command_with_id(&id, &request("statement", "remote", "es")).await;

    // Assert
    assert_eq!(retry, Ok(first));
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq, first);
    assert_eq!(entries_of(&state, "del-1"), 1);
}

#[tokio::test]
async fn a_retry_after_a_server_restart_is_still_recognised() {
    // Arrange
    let (mut server, _) = meeting().await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;
    let id = CommandId::parse("ask-1").unwrap();
    let first = delegate.command_with_id(&id, &request("statement", "remote", "es")).await.unwrap();
    delegate.command(command(json!({"type": "withdraw"}))).await.unwrap();
    server.kill9();
    let restarted = Server::start_in(&server.data).await;

    // Act
    let mut again = Client::connect(&restarted, MEETING, Some(&token)).await;
    let retry = again.command_with_id(&id, &request("statement", "remote", "es")).await;

    // Assert
    assert_eq!(retry, Ok(first));
    let state = restarted.state(MEETING, &restarted.secretariat()).await;
    assert_eq!(entries_of(&state, "del-1"), 0);
}

#[tokio::test]
async fn the_same_command_id_from_two_people_is_two_commands() {
    // Arrange
    let (server, sec) = meeting().await;
    let mut chile = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let mut kenya = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-2", "Kenya"))).await;
    let id = CommandId::parse("ask-1").unwrap();

    // Act
    let a = chile.command_with_id(&id, &request("statement", "remote", "es")).await.unwrap();
    let b = kenya.command_with_id(&id, &request("statement", "remote", "en")).await.unwrap();

    // Assert
    assert_ne!(a, b);
    let state = server.state(MEETING, &sec).await;
    assert_eq!((entries_of(&state, "del-1"), entries_of(&state, "del-2")), (1, 1));
}

#[tokio::test]
async fn forty_requests_whose_acks_were_lost_after_the_commit_each_make_exactly_one_entry() {
    // Arrange, act: the socket drops right after each request, before its ack can be read; the
    // delegate reconnects and retries with the same id (`make soak` does it a thousand times)
    let report = rostrum_tests::soak::lost_acks(40).await;

    // Assert
    println!("{report:?}");
    assert!(report.committed_before_retry > 0, "no ack was lost after a commit: {report:?}");
    assert_eq!((report.duplicates, report.missing), (0, 0), "{report:?}");
}
