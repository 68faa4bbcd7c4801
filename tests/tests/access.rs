//! Who may enter a meeting and what each role may do: closed meetings keep stakeholders out but admit
//! the experts on state delegations; tokens open only their own meeting or process; observers watch.

use rostrum_tests::{command, request, segment, Client, Server};
use serde_json::json;
use shared::{RejectionCode, Role};

#[tokio::test]
async fn a_stakeholder_is_refused_at_the_door_of_a_closed_meeting() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("closed-1", "closed", &[segment("Informal consultations", "all", 180)]).await;
    let before = server.state("closed-1", &sec).await;
    let ngo = server.stakeholder("closed-1", "ngo-1", "Global Digital Rights Network").await;

    // Act
    let refused = Client::try_connect(&server, "closed-1", Some(&ngo), None).await.err().expect("refused");

    // Assert
    assert_eq!(refused.code.as_deref(), Some("meeting_closed"));
    assert_eq!(refused.close, Some(4003));
    assert_eq!(server.state("closed-1", &sec).await, before);
}

#[tokio::test]
async fn a_stakeholder_cannot_inscribe_in_a_segment_reserved_for_member_states() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("open-1", "open", &[segment("Member states only", "member_states", 180)]).await;
    let mut ngo =
        Client::connect(&server, "open-1", Some(&server.stakeholder("open-1", "ngo-1", "ICT4Peace").await)).await;

    // Act
    let refused = ngo.command(request("statement", "remote", "en")).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::SegmentNotOpenToYou);
    assert!(!refused.message.is_empty());
    assert!(server.state("open-1", &sec).await.active().unwrap().entries.is_empty());
}

#[tokio::test]
async fn an_expert_on_a_delegation_enters_a_closed_meeting_and_speaks_for_the_state() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("closed-1", "closed", &[segment("General debate", "member_states", 180)]).await;
    let token = server.token(
        "expert",
        "expert-1",
        "Dr. Ana Souza",
        &[("delegation", "Brazil"), ("organisation", "Instituto Igarapé")],
        ("meeting", "closed-1"),
    );

    // Act
    let mut expert = Client::connect(&server, "closed-1", Some(&token)).await;
    let seq = expert.command(request("statement", "in_room", "pt-BR")).await.expect("the expert inscribes");

    // Assert
    assert_eq!(expert.you.as_ref().map(|p| p.role), Some(Role::Expert));
    let state = server.state("closed-1", &sec).await;
    assert_eq!(state.seq, seq);
    let entry = &state.active().unwrap().entries[0];
    assert_eq!(entry.speaker.id.as_str(), "expert-1");
    assert_eq!(entry.speaker.on_behalf_of(), Some("Brazil"), "the expert speaks for the state");
    assert_eq!(entry.speaker.organisation.as_deref(), Some("Instituto Igarapé"));
}

#[tokio::test]
async fn an_anonymous_observer_cannot_follow_a_closed_meeting() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting("closed-1", "closed", &[segment("General debate", "all", 180)]).await;

    // Act
    let refused = Client::try_connect(&server, "closed-1", None, None).await.err().expect("refused");

    // Assert
    assert_eq!(refused.code.as_deref(), Some("unauthorized"));
    assert_eq!(refused.close, Some(4001));
}

#[tokio::test]
async fn an_observer_with_a_token_may_follow_a_closed_meeting() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting("closed-1", "closed", &[segment("General debate", "all", 180)]).await;
    let token = server.token("observer", "screen-1", "Room display", &[], ("meeting", "closed-1"));

    // Act
    let display = Client::connect(&server, "closed-1", Some(&token)).await;

    // Assert
    assert_eq!(display.state().info.id.as_str(), "closed-1");
    assert_eq!(display.you.as_ref().map(|p| p.role), Some(Role::Observer));
}

#[tokio::test]
async fn a_token_for_another_meeting_or_another_process_is_refused() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    server.meeting("m2", "open", &[]).await;
    let other_meeting = server.delegate("m2", "del-1", "Chile");
    let other_process =
        server.token("delegate", "del-2", "Delegate", &[("delegation", "Kenya")], ("process", "another-process"));
    let this_process = server.token("delegate", "del-3", "Delegate", &[("delegation", "Fiji")], ("process", "oewg"));

    // Act
    let by_meeting = Client::try_connect(&server, "m1", Some(&other_meeting), None).await.err().expect("refused");
    let by_process = Client::try_connect(&server, "m1", Some(&other_process), None).await.err().expect("refused");
    let admitted = Client::try_connect(&server, "m1", Some(&this_process), None).await;

    // Assert
    assert_eq!((by_meeting.code.as_deref(), by_meeting.close), (Some("forbidden"), Some(4003)));
    assert_eq!((by_process.code.as_deref(), by_process.close), (Some("forbidden"), Some(4003)));
    assert!(admitted.is_ok(), "a token for the meeting's process opens it: {:?}", admitted.err());
}

#[tokio::test]
async fn observers_cannot_send_commands() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let before = server.state("m1", &sec).await;
    let mut anonymous = Client::connect(&server, "m1", None).await;
    let token = server.token("observer", "screen-1", "Room display", &[], ("meeting", "m1"));
    let mut with_token = Client::connect(&server, "m1", Some(&token)).await;

    // Act
    let anonymous_close = anonymous.command(command(json!({"type": "close_list"}))).await.expect_err("refused");
    let anonymous_request = anonymous.command(request("statement", "remote", "en")).await.expect_err("refused");
    let token_close = with_token.command(command(json!({"type": "close_list"}))).await.expect_err("refused");
    let token_request = with_token.command(request("statement", "remote", "en")).await.expect_err("refused");

    // Assert
    for refused in [anonymous_close, anonymous_request, token_close, token_request] {
        assert_eq!(refused.code, RejectionCode::NotAllowed);
    }
    assert_eq!(server.state("m1", &sec).await, before);
}

#[tokio::test]
async fn a_delegate_cannot_give_the_floor() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let mut delegate = Client::connect(&server, "m1", Some(&server.delegate("m1", "del-1", "Chile"))).await;
    delegate.command(request("statement", "in_room", "es")).await.unwrap();
    let before = server.state("m1", &sec).await;

    // Act
    let refused = delegate.command(command(json!({"type": "give_floor"}))).await.expect_err("refused");

    // Assert
    assert_eq!(refused.code, RejectionCode::NotAllowed);
    let after = server.state("m1", &sec).await;
    assert_eq!(after, before);
    assert!(after.floor.is_none());
}

#[tokio::test]
async fn a_panellist_is_given_the_floor_by_the_chair_and_cannot_inscribe() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("Panel", "all", 300)]).await;
    let token =
        server.token("panellist", "pan-1", "Prof. Lee", &[("organisation", "University of Seoul")], ("meeting", "m1"));
    let mut panellist = Client::connect(&server, "m1", Some(&token)).await;
    let mut chair = Client::connect(&server, "m1", Some(&server.chair("m1"))).await;
    let speaker = panellist.you.clone().expect("the panellist is named");

    // Act
    let refused = panellist.command(request("statement", "remote", "en")).await.expect_err("refused");
    let seq = chair
        .command(command(
            json!({"type": "give_floor_to_panellist", "speaker": speaker, "presence": "remote", "language": "ko"}),
        ))
        .await
        .expect("the chair gives the panellist the floor");

    // Assert
    assert_eq!(refused.code, RejectionCode::NotAllowed);
    let state = server.state("m1", &sec).await;
    assert_eq!(state.seq, seq);
    let floor = state.floor.expect("the panellist speaks");
    assert_eq!(floor.speaker.id.as_str(), "pan-1");
    assert_eq!(floor.entry, None);
}
