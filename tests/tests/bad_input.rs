//! Bad input of every kind gets a clear code (or a close code when it is hostile or the session
//! cannot start) and changes nothing: the meeting's state is the same before and after, and a
//! connection that stays open still works. Tokens never reach the server's log.

use futures_util::SinkExt;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rostrum_tests::{command, refusal, request, segment, Client, Refused, Server};
use serde_json::{json, Value};
use shared::{CommandId, Meeting, RejectionCode};
use tokio_tungstenite::tungstenite::Message;

const MEETING: &str = "m1";

/// An open meeting with one segment, a waiting speaker and the floor given: something to leave
/// unchanged. The screens that made it stay connected for the whole test.
struct Busy {
    server: Server,
    sec: String,
    _screens: Vec<Client>,
}

async fn busy_meeting() -> Busy {
    busy(Server::in_process().await).await
}

/// A busy meeting on `server`.
async fn busy(server: Server) -> Busy {
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let mut screens = Vec::new();
    for (id, state) in [("del-1", "Chile"), ("del-2", "Kenya")] {
        let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, id, state))).await;
        delegate.command(request("statement", "in_room", "en")).await.unwrap();
        screens.push(delegate);
    }
    chair.command(command(json!({"type": "give_floor"}))).await.unwrap();
    screens.push(chair);
    Busy { server, sec, _screens: screens }
}

/// Opens a socket, sends `first` as the first frame, and reads the refusal.
async fn first_frame_refused(server: &Server, first: Message) -> Refused {
    let mut ws = Client::raw(server).await;
    ws.send(first).await.expect("send");
    refusal(&mut ws).await
}

fn hello(token: Option<&str>, meeting: &str) -> Message {
    let mut hello = json!({"type": "hello", "protocol": "rostrum.v1", "meeting": meeting});
    if let Some(token) = token {
        hello["token"] = json!(token);
    }
    Message::Text(hello.to_string().into())
}

/// Claims as the server writes them, for a delegate of Chile in `MEETING`, issued at `iat`.
fn claims(iat: i64, exp: i64, role: &str) -> Value {
    json!({
        "iss": "rostrum", "aud": "rostrum.v1", "sub": "del-9", "iat": iat, "exp": exp, "jti": "t1",
        "name": "Delegate of Chile", "role": role, "delegation": "Chile", "scope": {"meeting": MEETING}
    })
}

fn sign(claims: &Value, algorithm: Algorithm, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::new(algorithm), claims, &EncodingKey::from_secret(secret)).expect("sign")
}

fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A connected delegate who stays on to prove the connection survives.
async fn delegate(server: &Server) -> Client {
    Client::connect(server, MEETING, Some(&server.delegate(MEETING, "del-3", "Fiji"))).await
}

async fn assert_unchanged(server: &Server, sec: &str, before: &Meeting) {
    assert_eq!(&server.state(MEETING, sec).await, before, "bad input changed the meeting");
}

#[tokio::test]
async fn malformed_json_is_rejected_and_the_connection_still_works() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    client.send_text("{\"type\": \"command\", \"id\": ").await;
    let rejection = client.message_rejection().await;

    // Assert
    assert_eq!(rejection.code, shared::ErrorCode::BadMessage);
    assert!(!rejection.message.is_empty());
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn an_unknown_message_type_or_command_type_is_rejected_and_the_connection_still_works() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    client.send_text(r#"{"type": "subscribe", "meeting": "m1"}"#).await;
    let unknown_message = client.message_rejection().await;
    client.send_text(r#"{"type": "command", "id": "c1", "command": {"type": "seize_the_floor"}}"#).await;
    let unknown_command = client.answer(&CommandId::parse("c1").unwrap()).await;
    client.send_text(r#"{"type": "command", "id": "c2", "command": {"type": "request_floor", "kind": "statement", "presence": "in_room", "language": "english please"}}"#).await;
    let bad_field = client.answer(&CommandId::parse("c2").unwrap()).await;

    // Assert: a command frame is answered by its id (see also `sessions.rs`)
    assert_eq!(unknown_message.code, shared::ErrorCode::BadMessage);
    assert_eq!(unknown_command.expect_err("refused").code, shared::ErrorCode::BadMessage);
    assert_eq!(bad_field.expect_err("refused").code, RejectionCode::InvalidCommand);
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn a_command_before_hello_is_refused_and_the_connection_closed() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let command = json!({"type": "command", "id": "c1", "command": {"type": "give_floor"}});

    // Act
    let refused = first_frame_refused(&server, Message::Text(command.to_string().into())).await;

    // Assert
    assert_eq!(refused.code.as_deref(), Some("not_authenticated"));
    assert_eq!(refused.close, Some(4000));
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn a_first_frame_that_is_not_json_or_is_binary_is_refused_and_the_connection_closed() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let not_json = first_frame_refused(&server, Message::Text("hello?".into())).await;
    let binary = first_frame_refused(&server, Message::Binary(vec![1, 2, 3].into())).await;

    // Assert
    assert_eq!((not_json.code.as_deref(), not_json.close), (Some("bad_message"), Some(4000)));
    assert_eq!((binary.code.as_deref(), binary.close), (Some("not_authenticated"), Some(4000)));
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn a_second_hello_is_rejected_and_the_connection_still_works() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let chair_token = server.chair(MEETING);
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;

    // Act: a delegate's connection tries to become the chair's
    client.send_message(hello(Some(&chair_token), MEETING)).await.unwrap();
    let rejection = client.message_rejection().await;
    let give_floor = client.command(command(json!({"type": "end_floor"}))).await;

    // Assert
    assert_eq!(rejection.code, shared::ErrorCode::BadMessage);
    assert_eq!(give_floor.expect_err("still a delegate").code, RejectionCode::NotAllowed);
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn a_binary_frame_is_rejected_and_the_connection_still_works() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let payload = serde_json::to_vec(&json!({"type": "command", "id": "c1", "command": {"type": "withdraw"}})).unwrap();
    client.send_message(Message::Binary(payload.into())).await.unwrap();
    let rejection = client.message_rejection().await;

    // Assert
    assert_eq!(rejection.code, shared::ErrorCode::BadMessage);
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn a_hello_for_an_unknown_meeting_is_refused_with_4004() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let token = server.delegate("no-such-meeting", "del-1", "Chile");

    // Act
    let anonymous = Client::try_connect(&server, "no-such-meeting", None, None).await.err().expect("refused");
    let with_token = Client::try_connect(&server, "no-such-meeting", Some(&token), None).await.err().expect("refused");

    // Assert
    for refused in [anonymous, with_token] {
        assert_eq!((refused.code.as_deref(), refused.close), (Some("unknown_meeting"), Some(4004)));
    }
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn commands_about_an_unknown_entry_are_rejected_and_change_nothing() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let refusals = [
        chair.command(command(json!({"type": "give_floor", "entry": 999}))).await,
        chair.command(command(json!({"type": "move_entry", "entry": 999, "position": 0}))).await,
        chair.command(command(json!({"type": "remove_entry", "entry": 999}))).await,
        // entry 1 was called to the floor: it no longer waits in any list
        chair.command(command(json!({"type": "remove_entry", "entry": 1}))).await,
    ];

    // Assert
    for refused in refusals {
        assert_eq!(refused.expect_err("refused").code, RejectionCode::UnknownEntry);
    }
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(chair.still_works().await, before.seq);
}

#[tokio::test]
async fn commands_beyond_ones_role_are_rejected_and_change_nothing() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let refusals = [
        client.command(command(json!({"type": "close_list"}))).await,
        client.command(command(json!({"type": "end_floor"}))).await,
        client.command(command(json!({"type": "remove_entry", "entry": 2}))).await,
        client.command(command(json!({"type": "extend_floor", "secs": 600}))).await,
    ];

    // Assert
    for refused in refusals {
        assert_eq!(refused.expect_err("refused").code, RejectionCode::NotAllowed);
    }
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn an_out_of_range_field_is_rejected_as_an_invalid_command() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut chair = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let before = server.state(MEETING, &sec).await;

    // Act
    let refusals = [
        chair.command(command(json!({"type": "extend_floor", "secs": 0}))).await,
        chair.command(command(json!({"type": "extend_floor", "secs": 7200}))).await,
        chair
            .command(command(
                json!({"type": "create_segment", "spec": {"title": "", "inscription": "all", "time_limit_secs": 60}}),
            ))
            .await,
    ];

    // Assert
    for refused in refusals {
        assert_eq!(refused.expect_err("refused").code, RejectionCode::InvalidCommand);
    }
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn an_invalid_segment_spec_over_the_api_is_a_400_and_changes_nothing() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let path = format!("/api/meetings/{MEETING}/segments");
    let specs = [
        json!({"title": "Too short", "inscription": "all", "time_limit_secs": 1}),
        json!({"title": "Too long", "inscription": "all", "time_limit_secs": 13 * 3600}),
        json!({"title": "Budget below one intervention", "inscription": "all", "time_limit_secs": 180, "budget_secs": 60}),
        json!({"title": "   ", "inscription": "all", "time_limit_secs": 180}),
        json!({"title": "Unknown inscription", "inscription": "everyone", "time_limit_secs": 180}),
        json!({"title": "No limit", "inscription": "all"}),
    ];

    // Act
    let mut answers = Vec::new();
    for spec in &specs {
        answers.push(server.http("POST", &path, Some(&sec), Some(spec)).await);
    }

    // Assert
    for ((status, body), spec) in answers.iter().zip(&specs) {
        assert_eq!(*status, 400, "{spec} got {body}");
        assert!(body["code"].is_string() && body["message"].is_string(), "{body}");
    }
    assert_eq!(answers[0].1["code"], "invalid_command");
    assert_eq!(answers[4].1["code"], "bad_request");
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn an_oversized_frame_closes_the_connection_with_1009() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;
    let padding = "x".repeat(17 * 1024);
    let oversized = json!({"type": "command", "id": "c1", "command": {"type": "request_floor", "kind": "statement", "presence": "in_room", "language": "en"}, "padding": padding});

    // Act
    client.send_text(&oversized.to_string()).await;
    let close = client.close_code().await;

    // Assert
    assert_eq!(close, Some(1009));
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn a_frame_just_under_the_limit_is_read_and_answered() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let mut client = delegate(&server).await;
    let before = server.state(MEETING, &sec).await;
    let padding = "x".repeat(15 * 1024);

    // Act
    client.send_text(&json!({"type": "ping", "padding": padding}).to_string()).await;
    let rejection = client.message_rejection().await;

    // Assert
    assert_eq!(rejection.code, shared::ErrorCode::BadMessage);
    assert_unchanged(&server, &sec, &before).await;
    assert_eq!(client.still_works().await, before.seq);
}

#[tokio::test]
async fn invalid_tampered_and_expired_tokens_are_refused_with_4001() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let secret = server.secret();
    let now = now_secs();
    let minted = server.delegate(MEETING, "del-9", "Chile");
    let parts: Vec<&str> = minted.split('.').collect();
    let escalated = sign(&claims(now, now + 3600, "chair"), Algorithm::HS256, b"not the secret");
    let tampered = format!("{}.{}.{}", parts[0], escalated.split('.').nth(1).unwrap(), parts[2]);
    let bad_tokens = [
        ("garbage", "not-a-token".to_string()),
        ("truncated", format!("{}.{}", parts[0], parts[1])),
        ("tampered payload", tampered),
        (
            "foreign secret",
            sign(&claims(now, now + 3600, "delegate"), Algorithm::HS256, b"a different 32-byte secret......"),
        ),
        ("expired", sign(&claims(now - 7200, now - 3600, "delegate"), Algorithm::HS256, &secret)),
        ("another algorithm", sign(&claims(now, now + 3600, "delegate"), Algorithm::HS512, &secret)),
        ("issued in the future", sign(&claims(now + 3600, now + 7200, "delegate"), Algorithm::HS256, &secret)),
    ];

    // Act
    let mut refusals = Vec::new();
    for (what, token) in &bad_tokens {
        refusals.push((what, Client::try_connect(&server, MEETING, Some(token), None).await.err()));
    }
    let control = Client::try_connect(
        &server,
        MEETING,
        Some(&sign(&claims(now, now + 3600, "delegate"), Algorithm::HS256, &secret)),
        None,
    )
    .await;

    // Assert
    for (what, refused) in refusals {
        let refused = refused.unwrap_or_else(|| panic!("a {what} token was accepted"));
        assert_eq!((refused.code.as_deref(), refused.close), (Some("bad_token"), Some(4001)), "{what}");
    }
    assert!(control.is_ok(), "the same claims, signed properly, are accepted: {:?}", control.err());
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn a_wrong_protocol_version_is_refused_with_4000() {
    // Arrange
    let Busy { server, sec, _screens } = busy_meeting().await;
    let before = server.state(MEETING, &sec).await;
    let hello = json!({"type": "hello", "protocol": "rostrum.v0", "meeting": MEETING});

    // Act
    let refused = first_frame_refused(&server, Message::Text(hello.to_string().into())).await;

    // Assert
    assert_eq!((refused.code.as_deref(), refused.close), (Some("unsupported_protocol"), Some(4000)));
    assert_unchanged(&server, &sec, &before).await;
}

#[tokio::test]
async fn no_token_used_ever_appears_in_the_servers_log() {
    // Arrange: tokens used every way — good and bad, over the WebSocket and the API; the binary,
    // whose log is what an operator reads
    let Busy { server, sec, _screens } = busy(Server::start().await).await;
    let now = now_secs();
    let secret = server.secret();
    let chair = server.chair(MEETING);
    let delegate = server.delegate(MEETING, "del-3", "Fiji");
    let expired = sign(&claims(now - 7200, now - 3600, "delegate"), Algorithm::HS256, &secret);
    let forged = sign(&claims(now, now + 3600, "chair"), Algorithm::HS256, b"a different 32-byte secret......");
    let other_meeting = server.delegate("m2", "del-4", "Peru");

    // Act
    let mut chair_client = Client::connect(&server, MEETING, Some(&chair)).await;
    chair_client.command(command(json!({"type": "pause_floor"}))).await.unwrap();
    let mut delegate_client = Client::connect(&server, MEETING, Some(&delegate)).await;
    delegate_client.send_text("{broken").await;
    delegate_client.message_rejection().await;
    delegate_client.send_message(hello(Some(&chair), MEETING)).await.unwrap();
    delegate_client.message_rejection().await;
    for token in [&expired, &forged, &other_meeting] {
        Client::try_connect(&server, MEETING, Some(token), None).await.err().expect("refused");
    }
    for token in [&sec, &delegate, &expired, &forged] {
        server.http("GET", &format!("/api/meetings/{MEETING}"), Some(token), None).await;
    }
    let (_, minted) = server
        .http(
            "POST",
            "/api/tokens",
            Some(&sec),
            Some(&json!({"role": "observer", "name": "Display", "meeting": MEETING})),
        )
        .await;
    let minted = minted["token"].as_str().expect("minted").to_string();
    Client::connect(&server, MEETING, Some(&minted)).await;

    // Assert
    let log = server.log();
    assert!(log.contains("hello refused"), "the log has the refusals in it (debug level)");
    for token in [&sec, &chair, &delegate, &expired, &forged, &other_meeting, &minted] {
        let signature = token.rsplit('.').next().unwrap();
        assert!(!log.contains(token.as_str()), "a token is in the server's log");
        assert!(!log.contains(signature), "a token's signature is in the server's log");
    }
}
