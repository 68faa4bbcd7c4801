//! Every HTTP answer carries the headers that keep Rostrum's pages to themselves in a browser
//! (issue 12): a Content-Security-Policy the client runs under (the browser tests run under it),
//! no framing unless configured, `nosniff`, no referrer, and HSTS behind TLS.

use rostrum_tests::{http_bytes, segment, RawResponse, Server};

async fn get(server: &Server, path: &str, token: Option<&str>) -> RawResponse {
    http_bytes(server.addr, "GET", path, token, b"", None).await
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_policy_nosniff_and_no_referrer() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting("m1", "open", &[segment("General debate", "all", 180)]).await;
    let document = server.upload(&sec, "m1").await;

    // Act
    let answers = [
        ("a screen", get(&server, "/chair", None).await),
        ("the health check", get(&server, "/healthz", None).await),
        ("a JSON answer", get(&server, "/api/meetings/m1", Some(&sec)).await),
        ("an error", get(&server, "/api/meetings/nowhere", Some(&sec)).await),
        ("nothing at all", get(&server, "/no/such/page", None).await),
        ("an uploaded document", get(&server, &format!("/api/documents/{document}"), Some(&sec)).await),
    ];

    // Assert
    for (what, answer) in &answers {
        let policy = answer.header("content-security-policy").unwrap_or_else(|| panic!("{what}: no policy"));
        for directive in ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'"] {
            assert!(policy.contains(directive), "{what}: {directive} missing from {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{what}: {policy}");
        assert_eq!(answer.header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
        assert_eq!(answer.header("referrer-policy").as_deref(), Some("no-referrer"), "{what}");
        assert_eq!(answer.header("strict-transport-security"), None, "{what}: no HSTS over plain HTTP");
    }
}

#[tokio::test]
async fn behind_tls_answers_ask_for_https_and_a_configured_page_may_frame_the_display() {
    // Arrange
    let data = tempfile::tempdir().unwrap();
    let args = ["--public-url", "https://rostrum.example.org", "--frame-ancestor", "https://webcast.example.org"];
    let server = Server::start_with(data.path(), &args).await;

    // Act
    let display = get(&server, "/display", None).await;

    // Assert
    let policy = display.header("content-security-policy").expect("a policy");
    assert!(policy.contains("frame-ancestors https://webcast.example.org"), "{policy}");
    assert_eq!(display.header("strict-transport-security").as_deref(), Some("max-age=31536000"));
}

#[test]
fn an_ancestor_that_is_not_an_origin_stops_the_server_with_a_sentence() {
    // Arrange
    let data = tempfile::tempdir().unwrap();

    // Act
    let out = std::process::Command::new(rostrum_tests::rostrum_bin())
        .args(["serve", "--addr", "127.0.0.1:0", "--frame-ancestor", "'none'; script-src *", "--data"])
        .arg(data.path())
        .output()
        .unwrap();

    // Assert
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not an origin"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
