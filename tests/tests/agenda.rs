//! A meeting's agenda over real sockets, HTTP and a real SQLite file: the secretariat builds it,
//! the chair takes items up, every screen follows the current item, and it survives a SIGKILL.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{AgendaItemId, RejectionCode};

const MEETING: &str = "m1";

#[tokio::test]
async fn the_chair_takes_up_an_item_and_every_screen_shows_it_with_its_list() {
    // Arrange: a meeting with two items, one list each, and a delegate and the room display
    // connected.
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[]).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    for (number, title) in [("5(a)", "Existing and potential threats"), ("5(b)", "Rules, norms and principles")] {
        chair
            .command(command(json!({"type": "add_agenda_item", "spec": {"number": number, "title": title}})))
            .await
            .unwrap();
    }
    for (title, item) in [("General exchange", 1), ("Member states", 2)] {
        let mut spec = segment(title, "all", 180);
        spec["item"] = json!(item);
        chair.command(command(json!({"type": "create_segment", "spec": spec}))).await.unwrap();
    }
    let mut delegates = Client::delegates(&server, MEETING, &["Chile"]).await;
    let mut display = Client::connect(&server, MEETING, None).await;

    // Act: the chair takes up 5(b), and Chile asks for the floor there.
    let seq = chair.command(command(json!({"type": "take_up_item", "item": 2}))).await.unwrap();
    delegates[0].until(seq).await;
    let asked = delegates[0].command(request("statement", "in_room", "es")).await.unwrap();
    display.until(asked).await;

    // Assert: the display and the server agree, and the request went to 5(b)'s list.
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.current().map(|i| i.number.as_str()), Some("5(b)"));
    assert_eq!(state.active().map(|s| s.spec.title.as_str()), Some("Member states"));
    assert_eq!(state.active().unwrap().entries.len(), 1);
    assert_eq!(display.state(), &state);
}

#[tokio::test]
async fn the_agenda_survives_a_sigkill_as_it_was_reordered() {
    // Arrange: a server on a data directory; three items, the last moved first, 5(b) taken up.
    let data = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(data.path()).await;
    let sec = server.meeting(MEETING, "open", &[]).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    for number in ["5(a)", "5(b)", "6"] {
        let spec = json!({"number": number, "title": format!("Item {number}")});
        chair.command(command(json!({"type": "add_agenda_item", "spec": spec}))).await.unwrap();
    }
    chair.command(command(json!({"type": "move_agenda_item", "item": 3, "position": 0}))).await.unwrap();
    chair.command(command(json!({"type": "take_up_item", "item": 2}))).await.unwrap();
    let before = server.state(MEETING, &sec).await;

    // Act
    server.kill9();
    let server = Server::start_in(data.path()).await;

    // Assert
    let after = server.state(MEETING, &sec).await;
    let numbers: Vec<&str> = after.agenda.iter().map(|i| i.number.as_str()).collect();
    assert_eq!(numbers, ["6", "5(a)", "5(b)"]);
    assert_eq!(after.current_item, Some(AgendaItemId(2)));
    assert_eq!(after, before);
}

#[tokio::test]
async fn bad_agenda_commands_get_their_stable_codes_and_change_nothing() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[]).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    chair
        .command(command(json!({"type": "add_agenda_item", "spec": {"number": "5(b)", "title": "Rules"}})))
        .await
        .unwrap();
    let mut delegates = Client::delegates(&server, MEETING, &["Chile"]).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let twice =
        chair.command(command(json!({"type": "add_agenda_item", "spec": {"number": "5 (B)", "title": "Again"}}))).await;
    let bad_number =
        chair.command(command(json!({"type": "add_agenda_item", "spec": {"number": "<5>", "title": "Rules"}}))).await;
    let unknown = chair.command(command(json!({"type": "take_up_item", "item": 9}))).await;
    let by_a_delegate = delegates[0].command(command(json!({"type": "take_up_item", "item": 1}))).await;
    let list_of_nothing = {
        let mut spec = segment("General exchange", "all", 180);
        spec["item"] = json!(9);
        chair.command(command(json!({"type": "create_segment", "spec": spec}))).await
    };

    // Assert
    assert_eq!(twice.unwrap_err().code, RejectionCode::InvalidCommand);
    assert_eq!(bad_number.unwrap_err().code, RejectionCode::InvalidCommand);
    assert_eq!(unknown.unwrap_err().code, RejectionCode::UnknownItem);
    assert_eq!(by_a_delegate.unwrap_err().code, RejectionCode::NotAllowed);
    assert_eq!(list_of_nothing.unwrap_err().code, RejectionCode::UnknownItem);
    assert_eq!(server.state(MEETING, &sec).await, before);
}

#[tokio::test]
async fn the_secretariat_adds_an_item_over_http_and_an_unknown_one_is_a_404() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[]).await;
    let path = format!("/api/meetings/{MEETING}/commands");

    // Act
    let added = json!({"type": "add_agenda_item", "spec": {"number": "5(b)", "title": "Rules"}});
    let (added, _) = server.http("POST", &path, Some(&sec), Some(&added)).await;
    let unknown = json!({"type": "take_up_item", "item": 9});
    let (status, body) = server.http("POST", &path, Some(&sec), Some(&unknown)).await;

    // Assert
    assert_eq!(added, 201);
    assert_eq!((status, body["code"].as_str()), (404, Some("unknown_item")));
    assert_eq!(server.state(MEETING, &sec).await.agenda.len(), 1);
}
