//! Live presence: the chair sees which participants have a screen connected to the meeting, and
//! since when; each participant sees their own. Presence is never in the log, reaches only the
//! screens that ask for it, coalesces changes, and fills again from reconnects after a restart.

use std::time::Duration;

use rostrum_tests::{segment, Client, Server};
use shared::live::LiveState;
use shared::protocol::ServerMessage;

const MEETING: &str = "m1";

async fn meeting(server: &Server) {
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
}

fn state_of(client: &Client, participant: &str) -> Option<LiveState> {
    client.marks.get(participant).map(|mark| mark.state)
}

#[tokio::test]
async fn the_chair_sees_a_delegate_connect_and_then_disconnect_with_the_time_it_happened() {
    // Arrange: the chair's console follows presence
    let server = Server::in_process().await;
    meeting(&server).await;
    let mut chair = Client::watching_presence(&server, MEETING, &server.chair(MEETING)).await;
    let seq = chair.state().seq;

    // Act: a delegate's screen connects, then drops
    let token = server.delegate(MEETING, "del-chile", "Chile");
    let delegate = Client::connect(&server, MEETING, Some(&token)).await;
    chair.until_marks(|marks| marks.get("del-chile").is_some_and(|m| m.state == LiveState::Connected)).await;
    let connected_since = chair.marks["del-chile"].since;
    delegate.cut();
    chair.until_marks(|marks| marks.get("del-chile").is_some_and(|m| m.state == LiveState::Disconnected)).await;

    // Assert: the disconnection is dated after the connection, and nothing went into the log
    assert!(chair.marks["del-chile"].since >= connected_since);
    assert_eq!(state_of(&chair, "chair-1"), Some(LiveState::Connected), "the chair's own screen counts too");
    assert_eq!(chair.state().seq, seq, "presence is not an event");
}

#[tokio::test]
async fn a_delegate_who_asks_for_presence_sees_their_own_and_nobody_else_s() {
    // Arrange: a delegate's screen asks for presence
    let server = Server::in_process().await;
    meeting(&server).await;
    let mut chile = Client::watching_presence(&server, MEETING, &server.delegate(MEETING, "del-chile", "Chile")).await;

    // Act: another delegate and the chair connect; the chair watches until it has seen them
    let _kenya = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-kenya", "Kenya"))).await;
    let mut chair = Client::watching_presence(&server, MEETING, &server.chair(MEETING)).await;
    chair.until_marks(|marks| marks.contains_key("del-kenya") && marks.contains_key("del-chile")).await;
    while let Some(message) = chile.next_within(Duration::from_millis(2500)).await {
        if let tokio_tungstenite::tungstenite::Message::Text(text) = message {
            if let ServerMessage::Presence { marks, .. } = serde_json::from_str(&text).unwrap() {
                assert!(marks.iter().all(|m| m.participant.as_str() == "del-chile"), "only their own: {marks:?}");
            }
        }
    }

    // Assert: the delegate's snapshot held only their own mark
    assert_eq!(chile.marks.keys().collect::<Vec<_>>(), vec!["del-chile"]);
    assert_eq!(state_of(&chile, "del-chile"), Some(LiveState::Connected));
}

#[tokio::test]
async fn a_screen_that_does_not_ask_for_presence_is_sent_none() {
    // Arrange: the chair's screen without presence in its hello
    let server = Server::in_process().await;
    meeting(&server).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;

    // Act: a delegate comes and goes
    Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-chile", "Chile"))).await.cut();
    let mut messages = Vec::new();
    while let Some(message) = chair.next_within(Duration::from_millis(2500)).await {
        messages.push(message);
    }

    // Assert: nothing was sent
    assert!(messages.is_empty(), "{messages:?}");
}

#[tokio::test]
async fn a_participant_with_two_screens_stays_connected_until_the_last_one_closes() {
    // Arrange: a delegate on a laptop and a phone
    let server = Server::in_process().await;
    meeting(&server).await;
    let mut chair = Client::watching_presence(&server, MEETING, &server.chair(MEETING)).await;
    let token = server.delegate(MEETING, "del-chile", "Chile");
    let laptop = Client::connect(&server, MEETING, Some(&token)).await;
    let phone = Client::connect(&server, MEETING, Some(&token)).await;
    chair.until_marks(|marks| marks.contains_key("del-chile")).await;

    // Act: the laptop closes, then (after a presence message could have gone out) the phone
    laptop.cut();
    let quiet = chair.next_within(Duration::from_millis(2500)).await;
    let still = state_of(&chair, "del-chile");
    phone.cut();
    chair.until_marks(|marks| marks.get("del-chile").is_some_and(|m| m.state == LiveState::Disconnected)).await;

    // Assert: the laptop's going changed nothing the chair was told
    assert!(quiet.is_none(), "no presence message while the phone stayed: {quiet:?}");
    assert_eq!(still, Some(LiveState::Connected));
}

#[tokio::test]
async fn presence_fills_again_from_reconnects_after_a_restart() {
    // Arrange: two delegates connected, then the server is killed
    let mut server = Server::start().await;
    meeting(&server).await;
    let (chile, kenya) =
        (server.delegate(MEETING, "del-chile", "Chile"), server.delegate(MEETING, "del-kenya", "Kenya"));
    let chair_token = server.chair(MEETING);
    let mut chair = Client::watching_presence(&server, MEETING, &chair_token).await;
    let _screens =
        (Client::connect(&server, MEETING, Some(&chile)).await, Client::connect(&server, MEETING, Some(&kenya)).await);
    chair.until_marks(|marks| marks.contains_key("del-chile") && marks.contains_key("del-kenya")).await;
    server.kill9();

    // Act: the server comes back; the chair reconnects first, then only Chile
    let restarted = Server::start_at(&server.data, &server.addr.to_string(), &[]).await;
    let mut chair = Client::watching_presence(&restarted, MEETING, &chair_token).await;
    let before = chair.marks.clone();
    let _chile = Client::connect(&restarted, MEETING, Some(&chile)).await;
    chair.until_marks(|marks| marks.contains_key("del-chile")).await;

    // Assert: nobody but the chair was known right after the restart, and Kenya, who has not
    // reconnected, reads as never connected since
    assert_eq!(before.keys().collect::<Vec<_>>(), vec!["chair-1"]);
    assert_eq!(state_of(&chair, "del-chile"), Some(LiveState::Connected));
    assert_eq!(state_of(&chair, "del-kenya"), None);
}

#[tokio::test]
async fn many_flapping_screens_reach_the_chair_as_at_most_one_presence_message_a_second() {
    // Arrange: the chair watches; twenty delegates' tokens
    let server = Server::in_process().await;
    meeting(&server).await;
    let mut chair = Client::watching_presence(&server, MEETING, &server.chair(MEETING)).await;
    let tokens: Vec<String> =
        (0..20).map(|i| server.delegate(MEETING, &format!("del-{i}"), &format!("State {i}"))).collect();

    // Act: each screen connects and drops five times, as fast as it can
    let started = std::time::Instant::now();
    let mut changes = 0;
    for _ in 0..5 {
        for token in &tokens {
            Client::connect(&server, MEETING, Some(token)).await.cut();
            changes += 2;
        }
    }
    chair.until_marks(|marks| (0..20).all(|i| marks.contains_key(&format!("del-{i}")))).await;
    let elapsed = started.elapsed();

    // Assert: far fewer messages than changes, and no more than one per second of flapping
    let bound = elapsed.as_secs() as usize + 2;
    assert!(chair.presence_messages - 1 <= bound, "{} messages in {elapsed:?}", chair.presence_messages - 1);
    assert!(chair.presence_messages < changes / 4, "{} messages for {changes} changes", chair.presence_messages);
}
