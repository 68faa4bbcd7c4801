//! The secretariat's HTTP API: health, authentication, meetings, and the access links it mints.

use rostrum_tests::{http, request, segment, Client, Server};
use serde_json::{json, Value};
use shared::{Presence, Role};

const MEETING: &str = "m1";

fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
    let (got, body) = answer;
    assert_eq!(*got, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "a sentence for a person: {body}");
}

#[tokio::test]
async fn healthz_answers_without_a_token_and_counts_the_meetings() {
    // Arrange
    let server = Server::in_process().await;

    // Act
    let empty = server.http("GET", "/healthz", None, None).await;
    server.meeting(MEETING, "open", &[]).await;
    let one = server.http("GET", "/healthz", None, None).await;

    // Assert
    assert_eq!(empty, (200, json!({"status": "ok", "meetings": 0})));
    assert_eq!(one, (200, json!({"status": "ok", "meetings": 1})));
}

#[tokio::test]
async fn the_api_wants_the_secretariats_token() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting(MEETING, "open", &[]).await;
    let delegate = server.delegate(MEETING, "del-1", "Chile");
    let chair = server.chair(MEETING);
    let path = format!("/api/meetings/{MEETING}");

    // Act
    let without = server.http("GET", &path, None, None).await;
    let garbage = server.http("GET", &path, Some("not-a-token"), None).await;
    let as_delegate = server.http("GET", &path, Some(&delegate), None).await;
    let as_chair = server
        .http(
            "POST",
            "/api/meetings",
            Some(&chair),
            Some(&json!({"id": "m2", "title": "T", "process": "p", "access": "open"})),
        )
        .await;

    // Assert
    assert_error(&without, 401, "unauthorized");
    assert_error(&garbage, 401, "bad_token");
    assert_error(&as_delegate, 403, "forbidden");
    assert_error(&as_chair, 403, "forbidden");
    assert_eq!(server.http("GET", "/healthz", None, None).await.1["meetings"], 1, "the chair created nothing");
}

#[tokio::test]
async fn creating_a_meeting_twice_is_a_conflict_and_keeps_the_first() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let again = server
        .http(
            "POST",
            "/api/meetings",
            Some(&sec),
            Some(&json!({"id": MEETING, "title": "Impostor", "process": "other", "access": "closed"})),
        )
        .await;

    // Assert
    assert_error(&again, 409, "meeting_exists");
    assert_eq!(server.state(MEETING, &sec).await, before);
    let (status, list) = server.http("GET", "/api/meetings", Some(&sec), None).await;
    assert_eq!(status, 200);
    assert_eq!(list, json!([{"id": MEETING, "title": "Meeting m1", "process": "oewg", "access": "open"}]));
}

#[tokio::test]
async fn a_body_that_is_not_valid_json_is_a_400_with_a_code_and_a_message() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.secretariat();

    // Act
    let broken =
        http(server.addr, "POST", "/api/meetings", Some(&sec), Some("{\"id\": \"m1\","), "application/json").await;
    let missing = server.http("POST", "/api/meetings", Some(&sec), Some(&json!({"id": "m1"}))).await;
    let bad_id = server
        .http(
            "POST",
            "/api/meetings",
            Some(&sec),
            Some(&json!({"id": "m 1", "title": "T", "process": "p", "access": "open"})),
        )
        .await;
    let unknown_field = server
        .http(
            "POST",
            "/api/meetings",
            Some(&sec),
            Some(&json!({"id": "m1", "title": "T", "process": "p", "access": "open", "colour": "blue"})),
        )
        .await;
    let empty_title = server
        .http(
            "POST",
            "/api/meetings",
            Some(&sec),
            Some(&json!({"id": "m1", "title": "  ", "process": "p", "access": "open"})),
        )
        .await;

    // Assert
    for answer in [&broken, &missing, &bad_id, &unknown_field] {
        assert_error(answer, 400, "bad_request");
    }
    assert_error(&empty_title, 400, "invalid_command");
    assert_eq!(server.http("GET", "/healthz", None, None).await.1["meetings"], 0, "nothing was created");
}

#[tokio::test]
async fn a_token_request_missing_what_the_role_needs_is_a_400() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[]).await;
    let requests = [
        json!({"role": "delegate", "name": "Ana", "meeting": MEETING}),
        json!({"role": "expert", "name": "Ana", "delegation": "Brazil", "meeting": MEETING}),
        json!({"role": "expert", "name": "Ana", "organisation": "Igarapé", "meeting": MEETING}),
        json!({"role": "stakeholder", "name": "Kwame", "meeting": MEETING}),
        json!({"role": "stakeholder", "name": "Kwame", "organisation": "   ", "meeting": MEETING}),
        json!({"role": "chair", "name": "Madam Chair"}),
        json!({"role": "observer", "name": "", "meeting": MEETING}),
        json!({"role": "observer", "name": "Display", "meeting": MEETING, "ttl_hours": 0}),
        json!({"role": "observer", "name": "Display", "meeting": MEETING, "ttl_hours": 9000}),
    ];

    // Act
    let mut answers = Vec::new();
    for body in &requests {
        answers.push(server.http("POST", "/api/tokens", Some(&sec), Some(body)).await);
    }
    let unknown_role = server
        .http("POST", "/api/tokens", Some(&sec), Some(&json!({"role": "king", "name": "X", "meeting": MEETING})))
        .await;
    let unknown_meeting = server
        .http("POST", "/api/tokens", Some(&sec), Some(&json!({"role": "observer", "name": "X", "meeting": "nope"})))
        .await;

    // Assert
    for (answer, body) in answers.iter().zip(&requests) {
        assert_eq!(answer.0, 400, "{body} got {}", answer.1);
        assert_error(answer, 400, "invalid_command");
    }
    assert_error(&unknown_role, 400, "bad_request");
    assert_error(&unknown_meeting, 404, "unknown_meeting");
}

#[tokio::test]
async fn a_minted_link_carries_a_token_that_opens_the_meeting_over_the_websocket() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let body =
        json!({"role": "delegate", "name": "Ana Rojas", "delegation": "Chile", "meeting": MEETING, "ttl_hours": 720});

    // Act
    let (status, issued) = server.http("POST", "/api/tokens", Some(&sec), Some(&body)).await;
    let link = issued["link"].as_str().expect("a link").to_string();
    let (page, fragment) = link.split_once('#').expect("the token is in the fragment");
    let token = fragment.strip_prefix("token=").expect("#token=");
    let mut delegate = Client::connect(&server, MEETING, Some(token)).await;
    let seq = delegate.command(request("statement", "remote", "en")).await.expect("the delegate inscribes");

    // Assert
    assert_eq!(status, 201, "{issued}");
    assert_eq!(page, format!("{}/speak?meeting={MEETING}", server.url()));
    assert_eq!(token, issued["token"].as_str().unwrap());
    assert!(!page.contains(token), "the token stays out of the part of the URL a server sees");
    let you = delegate.you.clone().expect("named");
    assert_eq!(serde_json::to_value(&you).unwrap(), issued["participant"]);
    assert_eq!((you.role, you.delegation.as_deref()), (Role::Delegate, Some("Chile")));
    let expected_expiry =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64 + 720 * 3600;
    assert!((issued["expires_at"].as_i64().unwrap() - expected_expiry).abs() < 60, "{issued}");
    let state = server.state(MEETING, &sec).await;
    assert_eq!(state.seq, seq);
    let entry = &state.active().unwrap().entries[0];
    assert_eq!((entry.speaker.id.clone(), entry.presence), (you.id, Presence::Remote));
}

#[tokio::test]
async fn the_chairs_link_opens_the_chair_screen_and_the_displays_the_display() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[]).await;

    // Act
    let mut links = Vec::new();
    for role in ["chair", "observer", "delegate"] {
        let body = json!({"role": role, "name": "Someone", "delegation": "Chile", "meeting": MEETING});
        let (status, issued) = server.http("POST", "/api/tokens", Some(&sec), Some(&body)).await;
        assert_eq!(status, 201, "{issued}");
        links.push(issued["link"].as_str().unwrap().split('#').next().unwrap().to_string());
    }

    // Assert
    let base = server.url();
    assert_eq!(
        links,
        [
            format!("{base}/chair?meeting={MEETING}"),
            format!("{base}/display?meeting={MEETING}"),
            format!("{base}/speak?meeting={MEETING}")
        ]
    );
}

#[tokio::test]
async fn commands_over_the_api_answer_with_their_events_or_the_queues_rejection() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let path = format!("/api/meetings/{MEETING}/commands");

    // Act
    let closed = server.http("POST", &path, Some(&sec), Some(&json!({"type": "close_list"}))).await;
    let chair = server.chair(MEETING);
    let empty = server.http("POST", &path, Some(&chair), Some(&json!({"type": "give_floor"}))).await;
    let not_the_secretariats = server.http("POST", &path, Some(&sec), Some(&json!({"type": "give_floor"}))).await;
    let unknown_segment =
        server.http("POST", &path, Some(&sec), Some(&json!({"type": "activate_segment", "segment": 9}))).await;
    let unknown_meeting =
        server.http("POST", "/api/meetings/nope/commands", Some(&sec), Some(&json!({"type": "close_list"}))).await;

    // Assert
    assert_eq!(closed.0, 201, "{}", closed.1);
    assert_eq!(closed.1["events"][0]["event"], json!({"type": "list_closed", "segment": 1}));
    assert_eq!(closed.1["events"][0]["seq"], 3);
    assert_error(&empty, 409, "list_empty");
    assert_error(&not_the_secretariats, 403, "not_allowed");
    assert_error(&unknown_segment, 404, "unknown_segment");
    assert_error(&unknown_meeting, 404, "unknown_meeting");
    assert_eq!(server.state(MEETING, &sec).await.seq.0, 3);
}
