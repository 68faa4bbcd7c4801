//! A session keeps its promises to the client and ends when its credentials do: every refusal of a
//! command frame names the command's id; an id reused for another command is refused and changes
//! nothing, before and after a restart; a session closes when its token expires (4011), when its
//! signing key retires (4012), or when its token is revoked (4010).

use std::collections::HashMap;

use rostrum_tests::{command, segment, Client, Server};
use serde_json::json;
use shared::protocol::ServerMessage;
use shared::{CommandId, RejectionCode};

const MEETING: &str = "m1";

/// A meeting with one active segment open to everyone; returns the secretariat's token.
async fn meeting(server: &Server) -> String {
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await
}

fn id(text: &str) -> CommandId {
    CommandId::parse(text).unwrap()
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
