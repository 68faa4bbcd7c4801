//! `GET /metrics` tells an operator what the server is doing, in the Prometheus text format:
//! connections by role, events, commit batches and their latency, fan-out latency and refusals
//! by code; only the secretariat of every meeting reads it. Each test runs the real binary, whose
//! counters are its own.

use rostrum_tests::{exchange, header, request, segment, Client, Server};

const MEETING: &str = "m1";

/// The value of the series named exactly `series` (with its labels), if the text has it.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.trim().parse().ok())
}

/// The metrics as the secretariat of every meeting reads them.
async fn scrape(server: &Server, token: &str) -> String {
    let (status, body) = server.http("GET", "/metrics", Some(token), None).await;
    assert_eq!(status, 200, "{body}");
    body.as_str().expect("the metrics are text").to_string()
}

#[tokio::test]
async fn the_metrics_count_connections_by_role_events_commits_fan_out_and_refusals() {
    // Arrange: a meeting with a delegate and an anonymous display connected
    let server = Server::start().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut delegate = Client::connect(&server, MEETING, Some(&server.delegate(MEETING, "del-chile", "Chile"))).await;
    let mut display = Client::connect(&server, MEETING, None).await;

    // Act: the delegate asks for the floor; the display tries to, and is refused
    let seq = delegate.command(request("statement", "remote", "es")).await.expect("the delegate inscribes");
    display.until(seq).await;
    let refused = display.command(request("statement", "remote", "en")).await.expect_err("observers only watch");
    let text = scrape(&server, &sec).await;

    // Assert
    assert_eq!(format!("{:?}", refused.code), "NotAllowed");
    assert_eq!(value(&text, r#"rostrum_connections{role="delegate"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, r#"rostrum_connections{role="anonymous"}"#), Some(1.0), "{text}");
    let events = value(&text, "rostrum_events_total").expect("events are counted");
    assert!(events >= 2.0, "the segment and the request at least: {text}");
    assert!(value(&text, "rostrum_commit_batch_size_count").unwrap() >= 1.0, "{text}");
    assert!(value(&text, "rostrum_commit_duration_seconds_count").unwrap() >= 1.0, "{text}");
    assert!(value(&text, "rostrum_fanout_duration_seconds_count").unwrap() >= 1.0, "{text}");
    assert_eq!(value(&text, r#"rostrum_rejections_total{code="not_allowed",via="websocket"}"#), Some(1.0), "{text}");
    assert_eq!(value(&text, "rostrum_slow_consumer_closes_total"), Some(0.0), "{text}");
}

#[tokio::test]
async fn a_screen_that_leaves_stops_counting_and_http_refusals_are_counted_by_code() {
    // Arrange
    let server = Server::start().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let display = Client::connect(&server, MEETING, None).await;
    let counted = value(&scrape(&server, &sec).await, r#"rostrum_connections{role="anonymous"}"#);

    // Act: the display goes; someone asks for a meeting that does not exist
    drop(display);
    let (status, _) = server.http("GET", "/api/meetings/nowhere", Some(&sec), None).await;
    let mut text = scrape(&server, &sec).await;
    for _ in 0..50 {
        if value(&text, r#"rostrum_connections{role="anonymous"}"#) == Some(0.0) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        text = scrape(&server, &sec).await;
    }

    // Assert
    assert_eq!(counted, Some(1.0));
    assert_eq!(value(&text, r#"rostrum_connections{role="anonymous"}"#), Some(0.0), "{text}");
    assert_eq!(status, 404);
    assert_eq!(value(&text, r#"rostrum_rejections_total{code="unknown_meeting",via="http"}"#), Some(1.0), "{text}");
}

#[tokio::test]
async fn the_metrics_are_prometheus_text_for_the_secretariat_of_every_meeting_only() {
    // Arrange
    let server = Server::start().await;
    let sec = server.secretariat();
    let chair = server.chair(MEETING);

    // Act
    let bearer = format!("Bearer {sec}");
    let answer =
        exchange(server.addr, "127.0.0.1".parse().unwrap(), "GET", "/metrics", &[("Authorization", &bearer)], "").await;
    let (anonymous, _) = server.http("GET", "/metrics", None, None).await;
    let (as_chair, _) = server.http("GET", "/metrics", Some(&chair), None).await;

    // Assert
    let body = answer.body.as_str().expect("text");
    assert_eq!(answer.status, 200);
    assert_eq!(header(&answer.head, "content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    assert!(body.contains("# TYPE rostrum_events_total counter"), "{body}");
    assert!(body.contains("# TYPE rostrum_commit_duration_seconds histogram"), "{body}");
    assert_eq!((anonymous, as_chair), (401, 403));
}
