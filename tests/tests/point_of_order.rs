//! The rules of procedure in the list: a point of order goes ahead of every waiting statement (and is
//! taken even when the list is closed); a right of reply waits until the statements are exhausted.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{Meeting, RejectionCode, RequestKind};

const MEETING: &str = "m1";

async fn meeting_with_delegates(names: &[&str]) -> (Server, String, Client, Vec<Client>) {
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let delegates = Client::delegates(&server, MEETING, names).await;
    (server, sec, chair, delegates)
}

/// The waiting list as (delegation, kind).
fn list(state: &Meeting) -> Vec<(String, RequestKind)> {
    state
        .active()
        .expect("an active segment")
        .entries
        .iter()
        .map(|e| (e.speaker.on_behalf_of().unwrap_or_default().to_string(), e.kind))
        .collect()
}

fn owned(expected: &[(&str, RequestKind)]) -> Vec<(String, RequestKind)> {
    expected.iter().map(|(who, kind)| (who.to_string(), *kind)).collect()
}

#[tokio::test]
async fn a_point_of_order_goes_ahead_of_waiting_statements_and_is_called_first() {
    // Arrange
    let (server, sec, mut chair, mut d) = meeting_with_delegates(&["Chile", "Kenya", "Fiji", "Norway"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();
    d[1].command(request("statement", "remote", "en")).await.unwrap();

    // Act
    d[2].command(request("point_of_order", "in_room", "en")).await.expect("point of order raised");
    d[3].command(request("point_of_order", "remote", "en")).await.expect("second point of order raised");
    let seq = chair.command(command(json!({"type": "give_floor"}))).await.expect("next speaker");

    // Assert
    chair.until(seq).await;
    let state = server.state(MEETING, &sec).await;
    assert_eq!(chair.state(), &state);
    let floor = state.floor.as_ref().expect("someone speaks");
    assert_eq!(floor.speaker.on_behalf_of(), Some("Fiji"), "the first point of order is taken first");
    assert_eq!(floor.kind, RequestKind::PointOfOrder);
    assert_eq!(
        list(&state),
        owned(&[
            ("Norway", RequestKind::PointOfOrder),
            ("Chile", RequestKind::Statement),
            ("Kenya", RequestKind::Statement)
        ])
    );
}

#[tokio::test]
async fn a_point_of_order_is_still_taken_when_the_list_is_closed() {
    // Arrange
    let (server, sec, mut chair, mut d) = meeting_with_delegates(&["Chile", "Kenya", "Fiji"]).await;
    d[0].command(request("statement", "in_room", "es")).await.unwrap();
    chair.command(command(json!({"type": "close_list"}))).await.expect("list closed");

    // Act
    let statement = d[1].command(request("statement", "remote", "en")).await;
    let point = d[2].command(request("point_of_order", "in_room", "fr")).await;

    // Assert
    assert_eq!(statement.expect_err("the closed list refuses statements").code, RejectionCode::ListClosed);
    point.expect("the closed list takes points of order");
    let state = server.state(MEETING, &sec).await;
    assert!(!state.active().unwrap().list_open);
    assert_eq!(list(&state), owned(&[("Fiji", RequestKind::PointOfOrder), ("Chile", RequestKind::Statement)]));
}

#[tokio::test]
async fn a_right_of_reply_waits_behind_the_statements() {
    // Arrange
    let (server, sec, mut chair, mut d) = meeting_with_delegates(&["Chile", "Kenya", "Fiji"]).await;

    // Act: the right of reply is asked for first, statements follow
    d[0].command(request("right_of_reply", "in_room", "es")).await.expect("right of reply asked");
    d[1].command(request("statement", "remote", "en")).await.unwrap();
    d[2].command(request("statement", "in_room", "en")).await.unwrap();

    // Assert: it waits behind both statements, and is called only once they are exhausted
    let state = server.state(MEETING, &sec).await;
    assert_eq!(
        list(&state),
        owned(&[
            ("Kenya", RequestKind::Statement),
            ("Fiji", RequestKind::Statement),
            ("Chile", RequestKind::RightOfReply)
        ])
    );
    let mut called = Vec::new();
    for _ in 0..3 {
        let seq = chair.command(command(json!({"type": "give_floor"}))).await.expect("next speaker");
        chair.until(seq).await;
        let floor = chair.state().floor.as_ref().unwrap();
        called.push((floor.speaker.on_behalf_of().unwrap().to_string(), floor.kind));
    }
    assert_eq!(
        called,
        owned(&[
            ("Kenya", RequestKind::Statement),
            ("Fiji", RequestKind::Statement),
            ("Chile", RequestKind::RightOfReply)
        ])
    );
}

#[tokio::test]
async fn the_chair_cannot_move_a_statement_ahead_of_a_point_of_order() {
    // Arrange
    let (server, sec, mut chair, mut d) = meeting_with_delegates(&["Chile", "Kenya"]).await;
    d[0].command(request("point_of_order", "in_room", "es")).await.unwrap();
    d[1].command(request("statement", "remote", "en")).await.unwrap();
    let statement = server.state(MEETING, &sec).await.active().unwrap().entries[1].id;

    // Act
    chair.command(command(json!({"type": "move_entry", "entry": statement, "position": 0}))).await.expect("acked");

    // Assert
    let state = server.state(MEETING, &sec).await;
    assert_eq!(list(&state), owned(&[("Chile", RequestKind::PointOfOrder), ("Kenya", RequestKind::Statement)]));
}
