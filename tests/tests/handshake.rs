//! The door of the WebSocket: a page from a foreign origin is refused at the upgrade, and no token
//! or signing secret ever reaches a log line — not even with every log level turned on.

use rostrum_tests::{command, segment, Client, Server};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Error as WsError;

const MEETING: &str = "m1";

/// Opens a WebSocket with `origin`; the HTTP status and body when the upgrade is refused.
async fn upgrade_from(server: &Server, origin: Option<&str>) -> Result<(), (u16, Value)> {
    let mut request = format!("ws://{}/ws", server.addr).into_client_request().unwrap();
    if let Some(origin) = origin {
        request.headers_mut().insert("Origin", HeaderValue::from_str(origin).unwrap());
    }
    match tokio_tungstenite::connect_async(request).await {
        Ok(_) => Ok(()),
        Err(WsError::Http(response)) => {
            let body = response.body().as_deref().unwrap_or_default();
            Err((response.status().as_u16(), serde_json::from_slice(body).unwrap_or(Value::Null)))
        }
        Err(other) => panic!("the upgrade failed otherwise: {other}"),
    }
}

#[tokio::test]
async fn a_websocket_from_a_foreign_origin_is_refused_at_the_upgrade() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let port = server.addr.port();
    let foreign = [
        "https://evil.example".to_string(),
        "null".to_string(),
        format!("http://127.0.0.1:{}", port + 1),
        format!("http://127.0.0.1:{port}.evil.example"),
        format!("http://evil.example/127.0.0.1:{port}"),
    ];

    // Act
    let mut answers = Vec::new();
    for origin in &foreign {
        answers.push((origin, upgrade_from(&server, Some(origin)).await));
    }

    // Assert
    for (origin, answer) in answers {
        let (status, body) = answer.expect_err(origin);
        assert_eq!((status, body["code"].as_str()), (403, Some("forbidden_origin")), "{origin}");
    }
}

#[tokio::test]
async fn the_servers_own_pages_an_allowed_origin_and_clients_without_an_origin_are_let_in() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), &["--allow-origin", "https://rostrum.example.org"]).await;
    let own = server.url();

    // Act
    let answers = [
        upgrade_from(&server, Some(&own)).await,
        upgrade_from(&server, Some("https://rostrum.example.org")).await,
        upgrade_from(&server, None).await,
        upgrade_from(&server, Some("https://other.example.org")).await,
    ];

    // Assert
    assert!(answers[..3].iter().all(Result::is_ok), "{answers:?}");
    assert_eq!(answers[3].as_ref().unwrap_err().0, 403);
}

/// Every secret of the data directory's key ring, hex.
fn secrets(server: &Server) -> Vec<String> {
    let mut secrets = vec![std::fs::read_to_string(server.data.join("secret.key")).unwrap().trim().to_string()];
    if let Ok(text) = std::fs::read_to_string(server.data.join("keys.json")) {
        let ring: Value = serde_json::from_str(&text).unwrap();
        secrets.extend(ring["keys"].as_array().unwrap().iter().map(|k| k["secret"].as_str().unwrap().to_string()));
    }
    secrets
}

#[tokio::test]
async fn no_token_or_secret_appears_in_any_log_line_even_at_trace_level() {
    // Arrange: a server logging everything, with an accredited organisation and its representative
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_env(dir.path(), "127.0.0.1:0", &[], &[("RUST_LOG", "trace")]).await;
    let sec = server.process_with_meeting("p1", "2099-12-31", MEETING, &[segment("General debate", "all", 180)]).await;
    let organisation = server.accredited("p1", "Global Digital Rights Network").await;
    let representative = server.representative(&organisation, "Dr. Kwame Mensah", "remote").await;
    let chair = server.chair(MEETING);
    let other = server.delegate("m2", "del-4", "Peru");
    let mut tokens =
        vec![sec.clone(), chair.clone(), other.clone(), organisation.token.clone(), representative.token.clone()];

    // Act: use every token every way a client might — right, wrong, and carelessly
    let mut chair_client = Client::connect(&server, MEETING, Some(&chair)).await;
    chair_client.command(command(json!({"type": "close_list"}))).await.unwrap();
    chair_client
        .send_text(&json!({"type": "hello", "protocol": "rostrum.v1", "token": chair, "meeting": MEETING}).to_string())
        .await;
    chair_client.message_rejection().await;
    let mut ngo = Client::connect(&server, MEETING, Some(&representative.token)).await;
    ngo.still_works().await;
    Client::try_connect(&server, MEETING, Some(&other), None).await.err().expect("refused");
    Client::try_connect(&server, MEETING, Some(&format!("{chair}x")), None).await.err().expect("refused");
    for token in &tokens {
        server.http("GET", &format!("/api/meetings/{MEETING}"), Some(token), None).await;
        server.http("GET", &format!("/api/meetings/{MEETING}?token={token}"), None, None).await;
        server.http("GET", "/api/organisation", Some(token), None).await;
        let _ = upgrade_from(&server, Some(&format!("https://{token}.example"))).await;
        let _ = tokio_tungstenite::connect_async(format!("ws://{}/ws?token={token}", server.addr)).await;
    }
    let out = std::process::Command::new(rostrum_tests::rostrum_bin())
        .args(["keys", "rotate", "--data"])
        .arg(&server.data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rotated = server.chair(MEETING);
    for _ in 0..50 {
        if Client::try_connect(&server, MEETING, Some(&rotated), None).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    tokens.push(rotated);
    let revoke = format!("/api/organisation/representatives/{}/revoke", representative.id);
    let (status, _) = server.http("POST", &revoke, Some(&organisation.token), None).await;
    assert_eq!(status, 200);
    // The connection logs its revocation as it closes, after the answer above: wait for the close.
    assert_eq!(ngo.close_code().await, Some(4010));

    // Assert
    let log = server.log();
    assert!(log.contains("TRACE"), "the server logged at trace level");
    assert!(
        log.contains("hello refused") && log.contains("access revoked"),
        "the refusals and the revocation are in the log"
    );
    let leaks = |needle: &str| -> Vec<String> {
        log.lines().filter(|line| line.contains(needle)).map(|line| line.replace(needle, "<HERE>")).collect()
    };
    for token in &tokens {
        let signature = token.rsplit('.').next().unwrap();
        let payload = token.split('.').nth(1).unwrap();
        assert_eq!(leaks(signature), Vec::<String>::new(), "a token's signature is in the log");
        assert_eq!(leaks(payload), Vec::<String>::new(), "a token's payload is in the log");
    }
    for secret in secrets(&server) {
        assert_eq!(leaks(&secret), Vec::<String>::new(), "a signing secret is in the log");
    }
}
