//! No one gets in with a token the server should not trust: a matrix of hostile tokens — no
//! algorithm, the wrong algorithm, the wrong key, an unknown or retired key id, expired, not yet
//! valid, each required claim missing, the wrong audience or issuer, numbers sent as strings, a
//! tampered payload — is refused at the WebSocket and at the API, and keys rotate with an overlap
//! window during which tokens signed with the previous key still work.

use std::process::Command as Process;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rostrum_tests::{rostrum_bin, segment, Client, Server};
use serde_json::{json, Value};
use sha2::Sha256;
use shared::api::TokenRequest;
use shared::{ErrorCode, MeetingId, Role};

const MEETING: &str = "m1";

fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// The claims the server itself would write for a secretariat officer, who may enter every meeting
/// and use the API: the most a forger could want.
fn claims(now: i64) -> Value {
    json!({
        "iss": "rostrum", "aud": "rostrum.v1", "sub": "sec-9", "iat": now, "exp": now + 3600, "jti": "t1",
        "name": "Forged officer", "role": "secretariat", "scope": {}
    })
}

/// Signs `header.payload` with HMAC-SHA256 and `secret`, whatever the header says.
fn hmac_token(header: &Value, claims: &Value, secret: &[u8]) -> String {
    let signing_input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(claims.to_string()));
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(mac.finalize().into_bytes()))
}

fn hs256(kid: Option<&str>, claims: &Value, secret: &[u8]) -> String {
    let mut header = json!({"alg": "HS256", "typ": "JWT"});
    if let Some(kid) = kid {
        header["kid"] = json!(kid);
    }
    hmac_token(&header, claims, secret)
}

fn without(claims: &Value, field: &str) -> Value {
    let mut claims = claims.clone();
    claims.as_object_mut().unwrap().remove(field);
    claims
}

fn with(claims: &Value, field: &str, value: Value) -> Value {
    let mut claims = claims.clone();
    claims[field] = value;
    claims
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

fn kid(token: &str) -> Option<String> {
    jsonwebtoken::decode_header(token).unwrap().kid
}

/// Whether the server lets `token` follow the meeting.
async fn admitted(server: &Server, token: &str) -> bool {
    Client::try_connect(server, MEETING, Some(token), None).await.is_ok()
}

/// Waits until the running server has picked up a rotation: it admits `token`, signed with the new key.
async fn until_admitted(server: &Server, token: &str) {
    for _ in 0..50 {
        if admitted(server, token).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server never accepted a token signed with the rotated key");
}

#[tokio::test]
async fn no_hostile_token_in_the_matrix_opens_a_meeting_or_the_api() {
    // Arrange: a closed meeting, so that even an anonymous observer would be refused
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "closed", &[segment("Informal consultations", "all", 180)]).await;
    let before = server.state(MEETING, &sec).await;
    let secret = server.secret();
    let now = now_secs();
    let good = claims(now);
    let genuine = server.secretariat();
    let signature_of_genuine = genuine.rsplit('.').next().unwrap().to_string();
    let mut matrix: Vec<(String, String)> = vec![
        (
            "alg none".into(),
            format!("{}.{}.", B64.encode(r#"{"alg":"none","typ":"JWT"}"#), B64.encode(good.to_string())),
        ),
        (
            "alg None, kid k0".into(),
            format!("{}.{}.", B64.encode(r#"{"alg":"None","kid":"k0"}"#), B64.encode(good.to_string())),
        ),
        ("HS384 with the real secret".into(), hmac_token_alg(Algorithm::HS384, &good, &secret)),
        ("HS512 with the real secret".into(), hmac_token_alg(Algorithm::HS512, &good, &secret)),
        (
            "RS256 header, HMAC signature (algorithm confusion)".into(),
            hmac_token(&json!({"alg": "RS256", "kid": "k0"}), &good, &secret),
        ),
        ("ES256 header, HMAC signature".into(), hmac_token(&json!({"alg": "ES256"}), &good, &secret)),
        ("wrong key, kid k0".into(), hs256(Some("k0"), &good, b"a different 32-byte secret......")),
        ("wrong key, no kid".into(), hs256(None, &good, b"a different 32-byte secret......")),
        ("empty key".into(), hs256(None, &good, b"")),
        ("unknown kid".into(), hs256(Some("k9"), &good, &secret)),
        ("kid that is a path".into(), hs256(Some("../secret.key"), &good, &secret)),
        (
            "expired".into(),
            hs256(None, &with(&with(&good, "iat", json!(now - 7200)), "exp", json!(now - 3600)), &secret),
        ),
        ("not yet valid (nbf)".into(), hs256(None, &with(&good, "nbf", json!(now + 3600)), &secret)),
        (
            "issued in the future".into(),
            hs256(None, &with(&with(&good, "iat", json!(now + 3600)), "exp", json!(now + 7200)), &secret),
        ),
        ("wrong audience".into(), hs256(None, &with(&good, "aud", json!("rostrum.organisation")), &secret)),
        ("audience of another service".into(), hs256(None, &with(&good, "aud", json!("grafana")), &secret)),
        ("wrong issuer".into(), hs256(None, &with(&good, "iss", json!("keycloak")), &secret)),
        ("exp as a string".into(), hs256(None, &with(&good, "exp", json!((now + 3600).to_string())), &secret)),
        ("iat as a string".into(), hs256(None, &with(&good, "iat", json!(now.to_string())), &secret)),
        ("nbf as a string".into(), hs256(None, &with(&good, "nbf", json!(now.to_string())), &secret)),
        ("exp as a float".into(), hs256(None, &with(&good, "exp", json!((now + 3600) as f64 + 0.5)), &secret)),
        ("unknown role".into(), hs256(None, &with(&good, "role", json!("admin")), &secret)),
        ("empty subject".into(), hs256(None, &with(&good, "sub", json!("")), &secret)),
        ("garbage".into(), "not-a-token".into()),
        ("empty".into(), String::new()),
        ("two parts".into(), genuine.rsplit_once('.').unwrap().0.to_string()),
        ("four parts".into(), format!("{genuine}.{signature_of_genuine}")),
        ("genuine without its signature".into(), format!("{}.", genuine.rsplit_once('.').unwrap().0)),
    ];
    for field in ["iss", "aud", "sub", "iat", "exp", "jti", "name", "role"] {
        matrix.push((format!("{field} missing"), hs256(None, &without(&good, field), &secret)));
    }
    // A genuine delegate's token whose payload is swapped for a secretariat's, signature kept.
    let delegate = server.delegate(MEETING, "del-1", "Chile");
    let parts: Vec<&str> = delegate.split('.').collect();
    matrix.push(("tampered payload".into(), format!("{}.{}.{}", parts[0], B64.encode(good.to_string()), parts[2])));
    // The same token with its header swapped for another key id.
    matrix.push((
        "tampered header".into(),
        format!("{}.{}.{}", B64.encode(r#"{"alg":"HS256","kid":"k1"}"#), parts[1], parts[2]),
    ));
    // Control: the same claims, signed properly, are accepted (so the refusals are the tokens').
    let control = hs256(Some("k0"), &good, &secret);

    // Act
    let mut accepted = Vec::new();
    for (what, token) in &matrix {
        if let Ok(client) = Client::try_connect(&server, MEETING, Some(token), None).await {
            accepted.push(format!("{what} (websocket, as {:?})", client.you.map(|p| p.role)));
        }
        let (status, body) = server.http("GET", &format!("/api/meetings/{MEETING}"), Some(token), None).await;
        if status != 401 {
            accepted.push(format!("{what} (api: {status} {body})"));
        }
    }
    let refusal = Client::try_connect(&server, MEETING, Some(&matrix[0].1), None).await.err().expect("refused");

    // Assert
    println!("hostile tokens: {} tried, {} accepted", matrix.len(), accepted.len());
    assert!(accepted.is_empty(), "accepted: {accepted:#?}");
    assert_eq!((refusal.code.as_deref(), refusal.close), (Some("bad_token"), Some(4001)));
    assert!(admitted(&server, &control).await, "the same claims signed with the deployment's key are accepted");
    assert_eq!(server.http("GET", &format!("/api/meetings/{MEETING}"), Some(&control), None).await.0, 200);
    assert_eq!(server.state(MEETING, &sec).await, before);
}

fn hmac_token_alg(algorithm: Algorithm, claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(&Header::new(algorithm), claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// An observer's token for the projector of the meeting.
fn display() -> TokenRequest {
    TokenRequest {
        id: None,
        name: "Display".into(),
        role: Role::Observer,
        delegation: None,
        organisation: None,
        meeting: Some(MeetingId::parse(MEETING).unwrap()),
        process: None,
        ttl_hours: None,
        constituency: None,
        country: None,
    }
}

#[tokio::test]
async fn tokens_name_their_key_and_a_rotation_keeps_old_tokens_working_until_the_overlap_ends() {
    // Arrange: tokens signed before the rotation, with the key id and without (as before key ids)
    let server = Server::in_process().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let before = server.delegate(MEETING, "del-1", "Chile");
    let legacy = hs256(None, &claims(now_secs()), &server.secret());
    assert_eq!(kid(&before).as_deref(), Some("k0"));

    // Act: rotate with one hour of overlap while the server runs
    rotate(&server, 1);
    let after = server.delegate(MEETING, "del-2", "Kenya");
    until_admitted(&server, &after).await;
    let by_a_delegate = server.mint(&after, &display()).await;

    // Assert: the new key signs; the old key still verifies during the overlap
    assert_eq!(kid(&after).as_deref(), Some("k1"));
    assert!(admitted(&server, &before).await, "a token of the previous key works during the overlap");
    assert!(admitted(&server, &legacy).await, "a token without a key id works while k0 is in force");
    let (status, refused) = by_a_delegate.expect_err("a delegate may not mint tokens");
    assert_eq!((status, refused.code), (403, ErrorCode::Forbidden), "{}", refused.message);
    let minted = server.mint(&server.secretariat(), &display()).await.expect("the secretariat mints");
    assert_eq!(kid(&minted.token).as_deref(), Some("k1"), "the running server signs with the new key");
}

#[tokio::test]
async fn once_the_overlap_ends_tokens_of_retired_keys_are_refused_and_new_ones_work() {
    // Arrange
    let server = Server::in_process().await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let first = server.delegate(MEETING, "del-1", "Chile");
    let legacy = hs256(None, &claims(now_secs()), &server.secret());
    rotate(&server, 1);
    let second = server.delegate(MEETING, "del-2", "Kenya");
    until_admitted(&server, &second).await;

    // Act: rotate again with no overlap: k0 and k1 retire at once
    rotate(&server, 0);
    let third = server.delegate(MEETING, "del-3", "Fiji");
    until_admitted(&server, &third).await;
    let refusals = [
        Client::try_connect(&server, MEETING, Some(&first), None).await.err(),
        Client::try_connect(&server, MEETING, Some(&second), None).await.err(),
        Client::try_connect(&server, MEETING, Some(&legacy), None).await.err(),
    ];

    // Assert
    assert_eq!(kid(&third).as_deref(), Some("k2"));
    for refused in refusals {
        let refused = refused.expect("a token of a retired key is refused");
        assert_eq!((refused.code.as_deref(), refused.close), (Some("bad_token"), Some(4001)));
    }
    let list = Process::new(rostrum_bin()).args(["keys", "list", "--data"]).arg(&server.data).output().unwrap();
    let list = String::from_utf8_lossy(&list.stdout);
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(!list.contains(&std::fs::read_to_string(server.data.join("secret.key")).unwrap().trim().to_string()));
}

#[tokio::test]
async fn the_key_ring_is_readable_by_its_owner_only() {
    // Arrange
    let server = Server::in_process().await;

    // Act
    rotate(&server, 1);

    // Assert
    use std::os::unix::fs::PermissionsExt;
    for file in ["secret.key", "keys.json"] {
        let mode = std::fs::metadata(server.data.join(file)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
}
