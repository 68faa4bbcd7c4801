//! The UN's list rules a segment carries, over real sockets and HTTP: a longest list, after which a
//! participant's statement or right of reply waits for a place while points of order and the
//! chair's additions are still taken.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::RejectionCode;

const MEETING: &str = "m1";

/// A meeting whose active list takes at most `max` waiting requests, with the chair and a client
/// per delegation connected.
async fn meeting_with_longest_list(max: u32, names: &[&str]) -> (Server, String, Client, Vec<Client>) {
    let server = Server::in_process().await;
    let mut spec = segment("General debate", "all", 180);
    spec["max_waiting"] = json!(max);
    let sec = server.meeting(MEETING, "open", &[spec]).await;
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let delegates = Client::delegates(&server, MEETING, names).await;
    (server, sec, chair, delegates)
}

fn waiting(server_state: &shared::Meeting) -> Vec<String> {
    let list = &server_state.active().expect("an active segment").entries;
    list.iter().map(|e| e.speaker.on_behalf_of().unwrap_or_default().to_string()).collect()
}

#[tokio::test]
async fn a_full_list_refuses_a_statement_with_list_full_and_takes_it_once_a_place_frees() {
    // Arrange: a list of at most two, full.
    let (server, sec, mut chair, mut d) = meeting_with_longest_list(2, &["Chile", "Kenya", "Fiji"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();
    d[1].command(request("statement", "remote", "en")).await.unwrap();

    // Act: Fiji asks while it is full, and again after the chair gives the floor.
    let refused = d[2].command(request("statement", "remote", "en")).await;
    let before = server.state(MEETING, &sec).await;
    chair.command(command(json!({"type": "give_floor"}))).await.expect("the floor to Chile");
    let taken = d[2].command(request("statement", "remote", "en")).await;

    // Assert: the refusal has its stable code and a sentence, and changed nothing.
    let refused = refused.expect_err("a full list refuses a statement");
    assert_eq!(refused.code, RejectionCode::ListFull);
    assert!(refused.message.contains("at most 2"), "{}", refused.message);
    assert_eq!(waiting(&before), ["Chile", "Kenya"]);
    taken.expect("a place freed");
    let seq = chair.command(command(json!({"type": "pause_floor"}))).await.unwrap();
    chair.until(seq).await;
    let state = server.state(MEETING, &sec).await;
    assert_eq!(waiting(&state), ["Kenya", "Fiji"]);
    assert_eq!(chair.state(), &state);
}

#[tokio::test]
async fn a_full_list_still_takes_a_point_of_order_and_the_chairs_addition() {
    // Arrange: a list of at most one, full.
    let (server, sec, mut chair, mut d) = meeting_with_longest_list(1, &["Chile", "Kenya"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();

    // Act
    let point = d[1].command(request("point_of_order", "remote", "en")).await;
    let added = chair
        .command(command(
            json!({"type": "add_speaker", "speaker": {"id": "del-fiji", "name": "Fiji", "role": "delegate",
            "delegation": "Fiji"}, "kind": "statement", "presence": "in_room", "language": "en"}),
        ))
        .await;

    // Assert
    point.expect("a point of order is taken");
    added.expect("the chair adds a speaker");
    assert_eq!(waiting(&server.state(MEETING, &sec).await), ["Kenya", "Chile", "Fiji"]);
}

#[tokio::test]
async fn a_segment_whose_longest_list_is_zero_is_refused_over_http_and_none_is_created() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut spec = segment("Stakeholder segment", "stakeholders", 180);
    spec["max_waiting"] = json!(0);

    // Act
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/segments"), Some(&sec), Some(&spec)).await;

    // Assert
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "invalid_command");
    assert!(body["message"].as_str().unwrap_or_default().contains("longest list"), "{body}");
    assert_eq!(server.state(MEETING, &sec).await.segments.len(), 1);
}
