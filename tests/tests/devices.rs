//! The way in from the room (issue 16): a conference system, holding a device token the
//! secretariat issued, relays the request-to-speak buttons of the seats; each press joins the one
//! list as the delegation's own request, in the room. Over real sockets, on a real SQLite file.

use rostrum_tests::{command, segment, Client, Server, TEN_DELEGATIONS as TEN};
use serde_json::{json, Value};
use shared::api::{IssuedLink, LinksAnswer, SeatAnswer, SeatOutcome};
use shared::{EntryId, Presence};

const PROCESS: &str = "oewg";
const MEETING: &str = "s9-m3";

/// The links of a request, as issued.
async fn issue(server: &Server, sec: &str, body: Value) -> LinksAnswer {
    let (status, body) = server.http("POST", &format!("/api/processes/{PROCESS}/links"), Some(sec), Some(&body)).await;
    assert_eq!(status, 201, "{body}");
    serde_json::from_value(body).expect("the links")
}

/// A device token for `meeting` (the whole process when `None`).
async fn device(server: &Server, sec: &str, meeting: Option<&str>) -> String {
    let issued = issue(server, sec, json!({"meeting": meeting, "device": "Conference Room 2 microphones"})).await;
    issued.links[0].token.clone().expect("a device's token")
}

async fn press(server: &Server, device: &str, what: &str, body: Value) -> (u16, Value) {
    server.http("POST", &format!("/api/meetings/{MEETING}/device/{what}"), Some(device), Some(&body)).await
}

fn seat(reply: (u16, Value), status: u16) -> SeatAnswer {
    assert_eq!(reply.0, status, "{}", reply.1);
    serde_json::from_value(reply.1).expect("a seat answer")
}

fn token_of(link: &IssuedLink) -> String {
    link.link.as_deref().and_then(|a| a.split_once("#token=")).expect("a working link").1.to_string()
}

/// Reads `client`'s events until the active list has (or no longer has) `entry`.
async fn until_listed(client: &mut Client, entry: EntryId, listed: bool) {
    let has = |c: &Client| c.state().active().is_some_and(|s| s.entries.iter().any(|e| e.id == entry));
    while has(client) != listed {
        client.recv().await;
    }
}

async fn meeting(server: &Server) -> String {
    server.process_with_meeting(PROCESS, "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await
}

#[tokio::test]
async fn a_press_at_a_seat_adds_the_delegations_own_request_in_the_room_and_the_chair_sees_it() {
    // Arrange: Kenya has a link (its representative is named); the room's system a device token
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    let links = issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await;
    let kenya = links.links.iter().find(|l| l.participant.delegation.as_deref() == Some("Kenya")).unwrap();
    let device = device(&server, &sec, Some(MEETING)).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;

    // Act
    let added = seat(press(&server, &device, "requests", json!({"delegation": "kenya", "seat": "42"})).await, 201);
    until_listed(&mut chair, added.entry.unwrap(), true).await;

    // Assert: the chair's list has Kenya's own request, in the room, as its link names it
    assert_eq!(added.outcome, SeatOutcome::Added);
    assert_eq!((added.delegation.as_str(), added.seat.as_deref(), added.position), ("Kenya", Some("42"), Some(0)));
    assert_eq!(added.participant, kenya.participant.id, "the delegation's participant, as in its link");
    let entry = &chair.state().active().unwrap().entries[0];
    assert_eq!(entry.speaker.id, kenya.participant.id);
    assert_eq!(entry.speaker.name, kenya.participant.name);
    assert_eq!((entry.presence, entry.language.as_str()), (Presence::InRoom, "en"));

    // Act: the delegate withdraws from the phone the request their seat made
    let mut phone = Client::connect(&server, MEETING, Some(&token_of(kenya))).await;
    let withdrawn = phone.command(command(json!({"type": "withdraw"}))).await;

    // Assert: one request, whichever way it came
    assert!(withdrawn.is_ok(), "{withdrawn:?}");
    until_listed(&mut chair, added.entry.unwrap(), false).await;
}

#[tokio::test]
async fn a_press_sent_twice_changes_nothing_the_second_time_and_pressing_again_withdraws() {
    // Arrange: no links issued; a process-wide device token
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    let device = device(&server, &sec, None).await;
    let body = json!({"delegation": "Republic of Korea", "seat": "17", "kind": "right_of_reply", "language": "ko"});
    let before = server.state(MEETING, &sec).await.seq;

    // Act
    let first = seat(press(&server, &device, "requests", body.clone()).await, 201);
    let again = seat(press(&server, &device, "requests", body).await, 200);
    let off = seat(press(&server, &device, "withdrawals", json!({"delegation": "Korea, Republic of"})).await, 200);
    let off_again = seat(press(&server, &device, "withdrawals", json!({"delegation": "Republic of Korea"})).await, 200);

    // Assert
    assert_eq!((first.outcome, again.outcome), (SeatOutcome::Added, SeatOutcome::AlreadyWaiting));
    assert_eq!(first.entry, again.entry, "the same request, not a second one");
    assert_eq!((off.outcome, off.entry, off.position), (SeatOutcome::Withdrawn, first.entry, None));
    assert_eq!((off_again.outcome, off_again.entry), (SeatOutcome::NoneWaiting, None));
    let state = server.state(MEETING, &sec).await;
    assert!(state.active().unwrap().entries.is_empty());
    assert_eq!(state.seq.0, before.0 + 2, "one request added and one withdrawn, nothing else");
}

#[tokio::test]
async fn a_delegate_who_asked_from_a_phone_and_presses_at_the_seat_is_shown_in_the_room() {
    // Arrange: Chile asked remotely from its link
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    let links = issue(&server, &sec, json!({"meeting": MEETING, "list": TEN})).await;
    let mut phone = Client::connect(&server, MEETING, Some(&token_of(&links.links[0]))).await;
    let asked = phone.command(rostrum_tests::request("statement", "remote", "es")).await;
    assert!(asked.is_ok(), "{asked:?}");
    let device = device(&server, &sec, Some(MEETING)).await;

    // Act
    let pressed = seat(press(&server, &device, "requests", json!({"delegation": "Chile"})).await, 200);

    // Assert
    assert_eq!(pressed.outcome, SeatOutcome::AlreadyWaiting);
    let state = server.state(MEETING, &sec).await;
    let entries = &state.active().unwrap().entries;
    assert_eq!(entries.len(), 1);
    assert_eq!((entries[0].presence, entries[0].language.as_str()), (Presence::InRoom, "es"));
}

#[tokio::test]
async fn bad_presses_get_a_stable_code_and_change_nothing() {
    // Arrange
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    let device = device(&server, &sec, Some(MEETING)).await;
    let before = server.state(MEETING, &sec).await.seq;
    let close = json!({"type": "close_list"});
    let cases = [
        ("requests", json!({"delegation": "Atlantis"}), 400, "invalid_command"),
        ("requests", json!({"delegation": ""}), 400, "invalid_command"),
        ("requests", json!({"delegation": "Kenya", "seat": "x".repeat(41)}), 400, "invalid_command"),
        ("requests", json!({"delegation": "Kenya", "language": "not a language"}), 400, "bad_request"),
        ("requests", json!({"delegation": "Kenya", "colour": "red"}), 400, "bad_request"),
        ("requests", json!({"seat": "42"}), 400, "bad_request"),
        ("requests", json!({"delegation": "Kenya", "segment": 9}), 404, "unknown_segment"),
        ("withdrawals", json!({"delegation": "Kenya", "kind": "statement"}), 400, "invalid_command"),
    ];

    // Act
    let mut answers = Vec::new();
    for (what, body, _, _) in &cases {
        answers.push(press(&server, &device, what, body.clone()).await);
    }
    let (status, body) =
        server.http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(&sec), Some(&close)).await;
    assert_eq!(status, 201, "{body}");
    let closed = press(&server, &device, "requests", json!({"delegation": "Kenya"})).await;
    let elsewhere = server
        .http("POST", "/api/meetings/nowhere/device/requests", Some(&device), Some(&json!({"delegation": "Kenya"})))
        .await;

    // Assert
    for ((what, body, status, code), (got, answer)) in cases.iter().zip(&answers) {
        assert_eq!((*status, Some(*code)), (*got, answer["code"].as_str()), "{what} {body}: {answer}");
    }
    assert_eq!((closed.0, closed.1["code"].as_str()), (409, Some("list_closed")), "{}", closed.1);
    assert_eq!((elsewhere.0, elsewhere.1["code"].as_str()), (404, Some("unknown_meeting")), "{}", elsewhere.1);
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq.0, before.0 + 1, "only the chair's closing of the list");
    assert!(state.active().unwrap().entries.is_empty());
}

#[tokio::test]
async fn a_device_token_relays_buttons_and_opens_nothing_else() {
    // Arrange: a device for this meeting only, and another meeting of the process
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    server.meeting_in("s9-m4", PROCESS, "open", &[segment("General debate", "all", 180)]).await;
    let device = device(&server, &sec, Some(MEETING)).await;
    let kenya = json!({"delegation": "Kenya"});

    // Act
    let hello = Client::try_connect(&server, MEETING, Some(&device), None).await;
    let state = server.http("GET", &format!("/api/meetings/{MEETING}"), Some(&device), None).await;
    let commands = server
        .http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(&device), Some(&json!({"type": "close_list"})))
        .await;
    let other_meeting = server.http("POST", "/api/meetings/s9-m4/device/requests", Some(&device), Some(&kenya)).await;
    let delegate = server.delegate(MEETING, "ken-1", "Kenya");
    let by_a_delegate = press(&server, &delegate, "requests", kenya.clone()).await;
    let by_nobody = server.http("POST", &format!("/api/meetings/{MEETING}/device/requests"), None, Some(&kenya)).await;

    // Assert
    assert!(hello.is_err(), "a device token opens no WebSocket");
    assert_eq!((state.0, state.1["code"].as_str()), (403, Some("forbidden")), "{}", state.1);
    assert_eq!((commands.0, commands.1["code"].as_str()), (403, Some("forbidden")), "{}", commands.1);
    assert_eq!((other_meeting.0, other_meeting.1["code"].as_str()), (403, Some("forbidden")), "{}", other_meeting.1);
    assert_eq!((by_a_delegate.0, by_a_delegate.1["code"].as_str()), (403, Some("forbidden")));
    assert_eq!((by_nobody.0, by_nobody.1["code"].as_str()), (401, Some("unauthorized")));
    assert!(server.state(MEETING, &sec).await.active().unwrap().entries.is_empty());
}

#[tokio::test]
async fn the_secretariat_lists_a_device_with_its_token_and_a_reissued_one_replaces_it_at_once() {
    // Arrange
    let server = Server::in_process().await;
    let sec = meeting(&server).await;
    let first = issue(&server, &sec, json!({"meeting": MEETING, "device": "Conference Room 2 microphones"})).await;
    let again = issue(&server, &sec, json!({"meeting": MEETING, "device": "Conference Room 2 microphones"})).await;
    let old = first.links[0].clone();

    // Act
    let (status, body) = server.http("POST", &format!("/api/links/{}/reissue", old.id), Some(&sec), None).await;
    assert_eq!(status, 201, "{body}");
    let new: IssuedLink = serde_json::from_value(body).unwrap();
    let (status, body) =
        server.http("GET", &format!("/api/processes/{PROCESS}/links?meeting={MEETING}"), Some(&sec), None).await;
    assert_eq!(status, 200, "{body}");
    let by_old = press(&server, old.token.as_deref().unwrap(), "requests", json!({"delegation": "Kenya"})).await;
    let by_new = press(&server, new.token.as_deref().unwrap(), "requests", json!({"delegation": "Kenya"})).await;

    // Assert: a device, shown with its token rather than a screen's address, kept when asked twice
    assert!(old.device && old.link.is_none() && old.token.is_some());
    assert_eq!((again.issued, again.kept, &again.links[0].token), (0, 1, &old.token));
    assert_eq!(old.participant.name, "Conference Room 2 microphones");
    let listed: Vec<IssuedLink> = serde_json::from_value(body["items"].clone()).unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].device && listed[0].token == new.token && new.device);
    assert_eq!((by_old.0, by_old.1["code"].as_str()), (403, Some("revoked")), "{}", by_old.1);
    assert_eq!(by_new.0, 201, "{}", by_new.1);
}
