//! A session keeps its promises to the client and ends when its credentials do: every refusal of a
//! command frame names the command's id; an id reused for another command is refused and changes
//! nothing, before and after a restart; a session closes when its token expires (4011), when its
//! signing key retires (4012), or when its token is revoked (4010).

use std::collections::HashMap;

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::protocol::ServerMessage;
use shared::{CommandId, Meeting, ParticipantId, RejectionCode};

const MEETING: &str = "m1";

/// A meeting with one active segment open to everyone; returns the secretariat's token.
async fn meeting(server: &Server) -> String {
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await
}

fn id(text: &str) -> CommandId {
    CommandId::parse(text).unwrap()
}

fn entries_of(state: &Meeting, who: &str) -> usize {
    let who = ParticipantId::parse(who).unwrap();
    state.segments.iter().flat_map(|s| &s.entries).filter(|e| e.speaker.id == who).count()
}

#[tokio::test]
async fn a_rejected_unknown_command_type_carries_the_command_s_id() {
    // Arrange
    let server = Server::start().await;
    meeting(&server).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;

    // Act
    delegate.send_text(r#"{"type": "command", "id": "seize-1", "command": {"type": "seize_the_floor"}}"#).await;
    let answer = delegate.answer(&id("seize-1")).await;

    // Assert
    assert_eq!(answer.expect_err("refused").code, RejectionCode::BadMessage);
}

#[tokio::test]
async fn a_rejected_command_with_a_missing_field_carries_its_id() {
    // Arrange
    let server = Server::start().await;
    meeting(&server).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;

    // Act: `request_floor` without its `language`
    let frame = json!({"type": "command", "id": "ask-1",
        "command": {"type": "request_floor", "kind": "statement", "presence": "in_room"}});
    delegate.send_text(&frame.to_string()).await;
    let answer = delegate.answer(&id("ask-1")).await;

    // Assert
    assert_eq!(answer.expect_err("refused").code, RejectionCode::InvalidCommand);
    assert_eq!(delegate.still_works().await, delegate.state().seq);
}

#[tokio::test]
async fn a_command_refused_for_rate_carries_its_id() {
    // Arrange: a connection may send 50 messages at once
    let server = Server::start().await;
    meeting(&server).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let ids: Vec<CommandId> = (0..70).map(|n| id(&format!("burst-{n}"))).collect();

    // Act
    let noop = command(json!({"type": "set_presence", "presence": "remote"}));
    for id in &ids {
        delegate.send(id, &noop).await;
    }
    let mut answers = HashMap::new();
    while answers.len() < ids.len() {
        match delegate.recv().await {
            ServerMessage::Ack { id, .. } => answers.insert(id, None),
            ServerMessage::Rejected { id: Some(id), code, .. } => answers.insert(id, Some(code)),
            ServerMessage::Rejected { id: None, code, .. } => panic!("a refusal without an id: {code:?}"),
            _ => continue,
        };
    }

    // Assert: every command is answered by its id, some of them refused for rate
    assert!(ids.iter().all(|id| answers.contains_key(id)));
    let limited = answers.values().filter(|code| **code == Some(RejectionCode::RateLimited)).count();
    assert!(limited >= 10, "only {limited} of 70 commands were refused for rate");
}

#[tokio::test]
async fn a_reused_id_with_a_different_command_is_rejected_as_id_reused_and_changes_nothing() {
    // Arrange
    let server = Server::start().await;
    let sec = meeting(&server).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let asked = delegate.command_with_id(&id("c-1"), &request("statement", "in_room", "es")).await.expect("acked");

    // Act: the same id, another command
    let reused = delegate.command_with_id(&id("c-1"), &command(json!({"type": "withdraw"}))).await;

    // Assert
    assert_eq!(reused.expect_err("refused").code, RejectionCode::IdReused);
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq, asked, "nothing changed");
    assert_eq!(entries_of(&state, "del-1"), 1);
}

#[tokio::test]
async fn the_same_id_with_the_same_command_is_acknowledged_again_without_a_second_entry() {
    // Arrange
    let server = Server::start().await;
    let sec = meeting(&server).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-1", "Chile"))).await;
    let ask = request("statement", "in_room", "es");
    let first = delegate.command_with_id(&id("c-1"), &ask).await.expect("acked");

    // Act
    let again = delegate.command_with_id(&id("c-1"), &ask).await;

    // Assert
    assert_eq!(again, Ok(first));
    let state = server.state(MEETING, &sec).await;
    assert_eq!((state.seq, entries_of(&state, "del-1")), (first, 1));
}

#[tokio::test]
async fn after_a_restart_a_reused_id_is_still_told_apart_from_a_retry() {
    // Arrange: a request acknowledged, then the server killed and started again on its data
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(dir.path()).await;
    meeting(&server).await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let ask = request("statement", "in_room", "es");
    let first = {
        let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;
        delegate.command_with_id(&id("c-1"), &ask).await.expect("acked")
    };
    server.kill9();
    let server = Server::start_in(dir.path()).await;
    let sec = server.secretariat();
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;

    // Act
    let retry = delegate.command_with_id(&id("c-1"), &ask).await;
    let reused = delegate.command_with_id(&id("c-1"), &command(json!({"type": "withdraw"}))).await;

    // Assert
    assert_eq!(retry, Ok(first));
    assert_eq!(reused.expect_err("refused").code, RejectionCode::IdReused);
    let state = server.state(MEETING, &sec).await;
    assert_eq!((state.seq, entries_of(&state, "del-1")), (first, 1));
}
