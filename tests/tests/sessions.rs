//! A session keeps its promises to the client and ends when its credentials do: every refusal of a
//! command frame names the command's id; an id reused for another command is refused and changes
//! nothing, before and after a restart; a session closes when its token expires (4011), when its
//! signing key retires (4012), or when its token is revoked (4010).

use std::collections::HashMap;
use std::process::Command as Process;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{EncodingKey, Header};
use rostrum_tests::{command, request, rostrum_bin, segment, Client, Server, PATIENCE};
use serde_json::json;
use shared::protocol::ServerMessage;
use shared::{CommandId, Meeting, ParticipantId, RejectionCode};
use tokio_tungstenite::tungstenite::Message;

const MEETING: &str = "m1";

/// A meeting with one active segment open to everyone; returns the secretariat's token.
async fn meeting(server: &Server) -> String {
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await
}

fn id(text: &str) -> CommandId {
    CommandId::parse(text).unwrap()
}

fn now_secs() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A chair's token for `MEETING` expiring at `exp`, signed with the deployment's first key as the
/// server would sign it (no `kid`: the key `k0`).
fn chair_token_expiring(server: &Server, exp: i64) -> String {
    let claims = json!({
        "iss": "rostrum", "aud": "rostrum.v1", "sub": "chair-9", "iat": exp - 3600, "exp": exp, "jti": "t-short",
        "name": "Madam Chair", "role": "chair", "scope": {"meeting": MEETING}
    });
    jsonwebtoken::encode(&Header::default(), &claims, &EncodingKey::from_secret(&server.secret())).unwrap()
}

/// A command frame, written by hand so that sending it on a socket the server is closing may fail.
fn frame(id: &str, command: serde_json::Value) -> Message {
    Message::Text(json!({"type": "command", "id": id, "command": command}).to_string().into())
}

/// Reads until the close frame: the messages before it, and its code.
async fn until_close(client: &mut Client) -> (Vec<ServerMessage>, Option<u16>) {
    let mut messages = Vec::new();
    loop {
        match client.next_within(PATIENCE).await {
            Some(Message::Text(text)) => messages.push(serde_json::from_str(&text).expect("server message")),
            Some(Message::Close(frame)) => return (messages, frame.map(|f| u16::from(f.code))),
            Some(_) => continue,
            None => return (messages, None),
        }
    }
}

fn acks(messages: &[ServerMessage]) -> Vec<&CommandId> {
    messages.iter().filter_map(|m| if let ServerMessage::Ack { id, .. } = m { Some(id) } else { None }).collect()
}

/// Runs `rostrum keys rotate` on the server's data directory, with the server running.
fn rotate(server: &Server, overlap_hours: u32) {
    let out = Process::new(rostrum_bin())
        .args(["keys", "rotate", "--data"])
        .arg(&server.data)
        .args(["--overlap-hours", &overlap_hours.to_string()])
        .output()
        .expect("rostrum keys rotate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// Mints a delegate's token for `MEETING` with the CLI; returns the token and the id it printed.
fn mint(server: &Server, who: &str) -> (String, String) {
    let out = server
        .cli()
        .args(["token", "--data"])
        .arg(&server.data)
        .args(["--role", "delegate", "--id", who, "--name", "Delegate of Chile", "--delegation", "Chile"])
        .args(["--meeting", MEETING])
        .output()
        .expect("rostrum token");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let id = stderr.lines().find_map(|l| l.strip_prefix("token id: ")).expect("the token id on stderr");
    (String::from_utf8(out.stdout).unwrap().trim().to_string(), id.trim().to_string())
}

/// Runs `rostrum token revoke` on the server's data directory, with the server running.
fn revoke(server: &Server, token_or_id: &str) {
    let out = server
        .cli()
        .args(["token", "revoke", token_or_id, "--data"])
        .arg(&server.data)
        .args(["--reason", "Laptop left in the conference room"])
        .output()
        .expect("rostrum token revoke");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
    assert_eq!(answer.expect_err("refused").code, shared::ErrorCode::BadMessage);
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
    let limited = answers.values().filter(|code| **code == Some(shared::ErrorCode::RateLimited)).count();
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
    assert_eq!(reused.expect_err("refused").code, shared::ErrorCode::IdReused);
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
    assert_eq!(reused.expect_err("refused").code, shared::ErrorCode::IdReused);
    let state = server.state(MEETING, &sec).await;
    assert_eq!((state.seq, entries_of(&state, "del-1")), (first, 1));
}

#[tokio::test]
async fn a_session_closes_with_4011_when_its_token_expires_and_a_command_sent_after_is_not_acknowledged() {
    // Arrange: a hello allows 30 s of clock skew past `exp`, and so does the session: a token that
    // expired 28 s ago opens a session that has 2 to 3 s left
    let server = Server::start().await;
    let sec = meeting(&server).await;
    let exp = now_secs() - 28;
    let mut chair = Client::connect(&server, MEETING, Some(&chair_token_expiring(&server, exp))).await;
    let deadline = UNIX_EPOCH + Duration::from_secs((exp + 31) as u64);

    // Act: a command once the token has lapsed
    tokio::time::sleep(deadline.duration_since(SystemTime::now()).unwrap_or_default()).await;
    let _ = chair.send_message(frame("late-1", json!({"type": "close_list"}))).await;
    let (messages, code) = until_close(&mut chair).await;

    // Assert
    assert_eq!(code, Some(4011));
    assert_eq!(acks(&messages), Vec::<&CommandId>::new());
    assert!(server.state(MEETING, &sec).await.segments[0].list_open, "the late command changed nothing");
}

#[tokio::test]
async fn after_a_rotation_without_overlap_a_chair_s_session_closes_with_4012_and_its_close_list_is_not_acknowledged() {
    // Arrange: two chairs following the meeting with tokens of the first key
    let server = Server::start().await;
    meeting(&server).await;
    let mut watching = Client::connect(&server, MEETING, Some(&server.chair(MEETING))).await;
    let mut acting = Client::connect(
        &server,
        MEETING,
        Some(&server.token("chair", "chair-2", "Vice-Chair", &[], ("meeting", MEETING))),
    )
    .await;

    // Act: the key retires at once; one chair reads, the other sends `close_list` once the
    // server has had the time to notice
    let rotated = Instant::now();
    rotate(&server, 0);
    let (_, watching_code) = until_close(&mut watching).await;
    let noticed = rotated.elapsed();
    let _ = acting.send_message(frame("close-1", json!({"type": "close_list"}))).await;
    let (messages, acting_code) = until_close(&mut acting).await;

    // Assert
    assert_eq!(watching_code, Some(4012));
    assert!(noticed < Duration::from_secs(5), "the session closed {noticed:?} after the rotation");
    assert_eq!(acting_code, Some(4012));
    assert_eq!(acks(&messages), Vec::<&CommandId>::new());
    let state = server.state(MEETING, &server.secretariat()).await;
    assert!(state.segments[0].list_open, "the list is still open");
}

#[tokio::test]
async fn rostrum_token_revoke_closes_a_live_session_with_4010_and_the_token_is_refused_at_the_next_hello() {
    // Arrange
    let server = Server::start().await;
    meeting(&server).await;
    let (token, token_id) = mint(&server, "del-1");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;

    // Act
    revoke(&server, &token_id);
    let code = delegate.close_code().await;
    let again = Client::try_connect(&server, MEETING, Some(&token), None).await;

    // Assert
    assert_eq!(code, Some(4010));
    let refused = again.err().expect("the revoked token is refused");
    assert_eq!((refused.code.as_deref(), refused.close), (Some("revoked"), Some(4010)));
}

#[tokio::test]
async fn rostrum_token_revoke_finds_the_data_directory_in_the_environment_as_a_container_sets_it() {
    // Arrange: ROSTRUM_DATA set, as deploy/Containerfile does, and no --data
    let server = Server::start().await;
    meeting(&server).await;
    let (token, token_id) = mint(&server, "del-1");
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;

    // Act
    let out = server.cli().args(["token", "revoke", &token_id]).env("ROSTRUM_DATA", &server.data).output().unwrap();

    // Assert
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(delegate.close_code().await, Some(4010));
}

#[tokio::test]
async fn a_token_revoked_over_the_api_closes_its_session_with_4010_and_is_refused_at_the_next_hello() {
    // Arrange
    let server = Server::start().await;
    let sec = meeting(&server).await;
    let request = json!({"role": "delegate", "name": "Delegate of Kenya", "delegation": "Kenya", "meeting": MEETING});
    let (status, issued) = server.http("POST", "/api/tokens", Some(&sec), Some(&request)).await;
    assert_eq!(status, 201, "{issued}");
    let token = issued["token"].as_str().unwrap().to_string();
    let mut delegate = Client::connect(&server, MEETING, Some(&token)).await;

    // Act
    let path = format!("/api/tokens/{}/revoke", issued["id"].as_str().expect("the token's id"));
    let (status, revoked) =
        server.http("POST", &path, Some(&sec), Some(&json!({"reason": "Sent to the wrong person"}))).await;
    let code = delegate.close_code().await;
    let again = Client::try_connect(&server, MEETING, Some(&token), None).await;

    // Assert
    assert_eq!((status, &revoked["id"]), (200, &issued["id"]), "{revoked}");
    assert_eq!(revoked["reason"], "Sent to the wrong person");
    assert_eq!(code, Some(4010));
    let refused = again.err().expect("the revoked token is refused");
    assert_eq!((refused.code.as_deref(), refused.close), (Some("revoked"), Some(4010)));
}

#[tokio::test]
async fn revoking_a_token_does_not_affect_another_token_of_the_same_person() {
    // Arrange: one person, two tokens, a session with each
    let server = Server::start().await;
    meeting(&server).await;
    let (lost, _) = mint(&server, "del-1");
    let (kept, _) = mint(&server, "del-1");
    let mut on_lost = Client::connect(&server, MEETING, Some(&lost)).await;
    let mut on_kept = Client::connect(&server, MEETING, Some(&kept)).await;

    // Act: revoke the first, named by the whole token
    revoke(&server, &lost);
    let code = on_lost.close_code().await;

    // Assert
    assert_eq!(code, Some(4010));
    on_kept.still_works().await;
    let mut again = Client::connect(&server, MEETING, Some(&kept)).await;
    again.still_works().await;
}

#[tokio::test]
async fn a_revoked_secretariat_token_is_refused_by_the_api() {
    // Arrange: a second secretariat token, minted over the API
    let server = Server::start().await;
    let sec = meeting(&server).await;
    let request = json!({"role": "secretariat", "name": "Temporary officer", "ttl_hours": 24});
    let (status, issued) = server.http("POST", "/api/tokens", Some(&sec), Some(&request)).await;
    assert_eq!(status, 201, "{issued}");
    let temporary = issued["token"].as_str().unwrap().to_string();
    let path = format!("/api/tokens/{}/revoke", issued["id"].as_str().unwrap());

    // Act
    let (status, _) = server.http("POST", &path, Some(&sec), Some(&json!({}))).await;
    let (refused, body) = server.http("GET", "/api/meetings", Some(&temporary), None).await;

    // Assert
    assert_eq!(status, 200);
    assert_eq!((refused, body["code"].as_str()), (403, Some("revoked")), "{body}");
    let (still, _) = server.http("GET", "/api/meetings", Some(&sec), None).await;
    assert_eq!(still, 200, "the other secretariat token still works");
}
