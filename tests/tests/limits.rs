//! Hostile sizes and rates: frames and messages above the limits close the connection without the
//! server's memory growing; a flood from one connection or one address is held back without
//! slowing clients elsewhere; and connections are capped per address and per person.

use std::net::IpAddr;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use rostrum_tests::{exchange, header, segment, Client, Server, Ws, PATIENCE};
use serde_json::Value;
use tokio::io::AsyncWriteExt;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::MaybeTlsStream;

const MEETING: &str = "m1";

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn server_with(args: &[&str]) -> (Server, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(dir.path(), args).await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    (server, dir)
}

/// A client frame written by hand: FIN and `opcode`, masked with a zero key, declaring `declared`
/// bytes of payload and carrying `payload`.
fn raw_frame(fin: bool, opcode: u8, declared: u64, payload: &[u8]) -> Vec<u8> {
    let mut frame = vec![if fin { 0x80 | opcode } else { opcode }];
    match declared {
        0..=125 => frame.push(0x80 | declared as u8),
        126..=65535 => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(declared as u16).to_be_bytes());
        }
        _ => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&declared.to_be_bytes());
        }
    }
    frame.extend_from_slice(&[0, 0, 0, 0]);
    frame.extend_from_slice(payload);
    frame
}

async fn write_raw(ws: &mut Ws, bytes: &[u8]) {
    let MaybeTlsStream::Plain(stream) = ws.get_mut() else { panic!("plain socket") };
    let _ = stream.write_all(bytes).await;
}

/// Reads until the close frame; its code.
async fn close_code(ws: &mut Ws) -> Option<u16> {
    loop {
        match tokio::time::timeout(PATIENCE, ws.next()).await.expect("no close within patience") {
            Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
            Some(Ok(_)) => continue,
            _ => return None,
        }
    }
}

/// The three ways to be too big: one frame over 16 KiB, a frame header that announces a gigabyte,
/// and a message of small fragments that adds up to more than 16 KiB.
async fn oversize(server: &Server, how: usize) -> Option<u16> {
    let mut client = Client::connect(server, MEETING, None).await;
    let ws = client.ws_mut();
    match how % 3 {
        0 => {
            let _ = ws.send(Message::Text("x".repeat(17 * 1024).into())).await;
        }
        1 => write_raw(ws, &raw_frame(true, 0x1, 1 << 30, b"{\"type\":")).await,
        _ => {
            let chunk = vec![b' '; 8 * 1024];
            let mut bytes = raw_frame(false, 0x1, chunk.len() as u64, &chunk);
            for n in 0..3 {
                bytes.extend(raw_frame(n == 2, 0x0, chunk.len() as u64, &chunk));
            }
            write_raw(ws, &bytes).await;
        }
    }
    close_code(ws).await
}

#[tokio::test]
async fn a_first_frame_over_16_kib_closes_with_1009_rather_than_a_bare_close() {
    // Arrange
    let (server, _dir) = server_with(&[]).await;
    let mut ws = Client::raw(&server).await;

    // Act: the frame that should have been `hello`
    let _ = ws.send(Message::Text("x".repeat(17 * 1024).into())).await;

    // Assert
    assert_eq!(close_code(&mut ws).await, Some(1009));
}

#[tokio::test]
async fn oversized_frames_and_messages_close_the_connection_and_memory_stays_flat() {
    // Arrange: warm up, so that the allocator's first growth is not counted (330 connections
    // from one address in a few seconds: more than its default budget)
    let (server, _dir) = server_with(&["--rate", "connect=500/s:1000", "--rate", "snapshot=500/s:1000"]).await;
    for how in 0..30 {
        oversize(&server, how).await;
    }
    let before = server.rss_kib();

    // Act
    let mut codes = Vec::new();
    for how in 0..300 {
        codes.push(oversize(&server, how).await);
    }
    let after = server.rss_kib();

    // Assert
    println!("oversized: {} attempts, memory {} KiB -> {} KiB", codes.len(), before, after);
    assert!(
        codes.iter().all(|c| *c == Some(1009)),
        "{:?}",
        codes.iter().filter(|c| **c != Some(1009)).collect::<Vec<_>>()
    );
    assert!(after < before + 16 * 1024, "the server grew from {before} KiB to {after} KiB");
    let mut display = Client::connect(&server, MEETING, None).await;
    display.still_works_as_observer().await;
}

#[tokio::test]
async fn connections_beyond_the_cap_for_one_address_are_refused_and_other_addresses_still_connect() {
    // Arrange
    let (server, _dir) = server_with(&["--max-connections-per-address", "4"]).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(Client::connect_from(&server, ip("127.0.0.1"), MEETING, None).await);
    }

    // Act
    let refused = Client::raw_from(&server, ip("127.0.0.1")).await.expect_err("refused");
    let elsewhere = Client::raw_from(&server, ip("127.0.0.2")).await;
    held.pop().unwrap().cut();
    let mut again = None;
    for _ in 0..50 {
        if let Ok(ws) = Client::raw_from(&server, ip("127.0.0.1")).await {
            again = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Assert
    let tokio_tungstenite::tungstenite::Error::Http(response) = refused else {
        panic!("not an HTTP refusal: {refused}")
    };
    let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or_default()).unwrap();
    assert_eq!((response.status().as_u16(), body["code"].as_str()), (429, Some("too_many_connections")));
    assert!(elsewhere.is_ok(), "another address is not counted against this one");
    assert!(again.is_some(), "a closed connection gives its place back");
}

#[tokio::test]
async fn a_person_who_opens_one_connection_too_many_loses_their_oldest() {
    // Arrange
    let (server, _dir) = server_with(&["--max-connections-per-person", "2"]).await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let other = server.delegate(MEETING, "del-2", "Kenya");
    let mut first = Client::connect(&server, MEETING, Some(&token)).await;
    let mut second = Client::connect(&server, MEETING, Some(&token)).await;
    let mut kenya = Client::connect(&server, MEETING, Some(&other)).await;

    // Act
    let mut third = Client::connect(&server, MEETING, Some(&token)).await;

    // Assert
    assert_eq!(first.close_code().await, Some(4013));
    second.still_works().await;
    third.still_works().await;
    kenya.still_works().await;
}

/// Sends `count` messages at once and reads one answer for each: how many were refused for rate.
async fn burst(client: &mut Client, count: usize) -> usize {
    for _ in 0..count {
        client.send_text(r#"{"type":"ping"}"#).await;
    }
    let mut limited = 0;
    for _ in 0..count {
        if client.message_rejection().await.code == shared::ErrorCode::RateLimited {
            limited += 1;
        }
    }
    limited
}

#[tokio::test]
async fn a_flood_over_many_connections_of_one_address_is_held_back_and_other_addresses_are_not() {
    // Arrange: an address may send 20 messages a second (50 at once), whatever its connections
    let (server, _dir) = server_with(&["--address-messages-per-sec", "20"]).await;
    let mut flooders = Vec::new();
    for _ in 0..5 {
        flooders.push(Client::connect_from(&server, ip("127.0.0.1"), MEETING, None).await);
    }
    let mut honest = Client::connect_from(&server, ip("127.0.0.3"), MEETING, None).await;

    // Act: each flooding connection stays under its own burst of 50; together they do not
    let mut limited = 0;
    for flooder in &mut flooders {
        limited += burst(flooder, 40).await;
    }
    let honest_limited = burst(&mut honest, 40).await;

    // Assert
    println!("address flood: {limited} of 200 refused; honest address: {honest_limited} of 40 refused");
    assert!(limited >= 100, "only {limited} of 200 messages from one address were refused");
    assert_eq!(honest_limited, 0);
}

#[tokio::test]
async fn a_flood_from_one_connection_is_closed_with_4029_while_a_client_elsewhere_keeps_its_pace() {
    // Arrange
    let (server, _dir) = server_with(&[]).await;
    let flooder = Client::connect_from(&server, ip("127.0.0.1"), MEETING, None).await;
    let token = server.delegate(MEETING, "del-1", "Chile");
    let mut honest = Client::connect_from(&server, ip("127.0.0.2"), MEETING, Some(&token)).await;
    let mut baseline = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        honest.still_works().await;
        baseline.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Act: the flooder sends as fast as it can while the honest client goes on at 10 a second
    let (mut sink, mut stream) = flooder.into_ws().split();
    let reader = tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            if let Message::Close(frame) = message {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    });
    let flood = tokio::spawn(async move {
        let mut sent = 0;
        while sent < 20_000 && sink.send(Message::Text(r#"{"type":"ping"}"#.into())).await.is_ok() {
            sent += 1;
        }
        sent
    });
    let mut during = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        honest.still_works().await;
        during.push(start.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let close = reader.await.unwrap();
    let sent = flood.await.unwrap();

    // Assert
    baseline.sort();
    during.sort();
    println!(
        "flood of {sent} messages closed with {close:?}; honest latency: max {:?} before, max {:?} during",
        baseline.last().unwrap(),
        during.last().unwrap()
    );
    assert_eq!(close, Some(4029));
    assert!(*during.last().unwrap() < Duration::from_secs(1), "an honest client waited {:?}", during.last().unwrap());
}

/// Reads until the server closes the socket; `true` when it did within `wait`.
async fn closed_by_the_server(socket: &mut tokio::net::TcpStream, wait: Duration) -> bool {
    use tokio::io::AsyncReadExt;
    let mut buffer = vec![0u8; 4096];
    let read = async {
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::time::timeout(wait, read).await.is_ok()
}

#[tokio::test]
async fn an_http_socket_that_sends_nothing_or_idles_after_an_answer_is_closed_after_the_header_timeout() {
    // Arrange
    let (server, _dir) = server_with(&["--header-timeout-secs", "1"]).await;
    let mut silent = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut kept_alive = tokio::net::TcpStream::connect(server.addr).await.unwrap();

    // Act: one says nothing; the other asks once and then idles on its kept-alive connection
    let request = format!("GET /healthz HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    kept_alive.write_all(request.as_bytes()).await.unwrap();

    // Assert
    assert!(closed_by_the_server(&mut silent, Duration::from_secs(5)).await, "a silent socket stays open");
    assert!(
        closed_by_the_server(&mut kept_alive, Duration::from_secs(5)).await,
        "an idle kept-alive socket stays open"
    );
    let (status, _) = server.http("GET", "/healthz", None, None).await;
    assert_eq!(status, 200);
}

/// A socket from `source` (any address of 127.0.0.0/8) to the server.
async fn socket_from(server: &Server, source: &str) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(server.addr).await.unwrap()
}

/// One request from `source` on a connection of its own: the status, the head and the body.
async fn request_from(
    server: &Server,
    source: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
) -> (u16, String, Value) {
    let authorization = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = authorization.iter().map(|a| ("Authorization", a.as_str())).collect();
    let body = if method == "POST" { "{}" } else { "" };
    let answer = exchange(server.addr, ip(source), method, path, &headers, body).await;
    (answer.status, answer.head, answer.body)
}

fn retry_after(head: &str) -> Option<u64> {
    header(head, "retry-after").and_then(|v| v.parse().ok())
}

#[tokio::test]
async fn an_address_holding_its_cap_of_idle_sockets_is_turned_away_while_healthz_and_a_meeting_answer_elsewhere() {
    // Arrange: 20 idle sockets from one address, its cap (HTTP sockets count, not only WebSockets)
    let (server, _dir) = server_with(&["--max-connections-per-address", "20"]).await;
    let mut idle = Vec::new();
    for _ in 0..20 {
        idle.push(socket_from(&server, "127.0.0.2").await);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Act
    let (turned_away, head, body) = request_from(&server, "127.0.0.2", "GET", "/healthz", None).await;
    let (health, _, _) = request_from(&server, "127.0.0.1", "GET", "/healthz", None).await;
    let mut display = Client::connect_from(&server, ip("127.0.0.3"), MEETING, None).await;

    // Assert
    assert_eq!((turned_away, body["code"].as_str()), (429, Some("too_many_connections")));
    assert!(retry_after(&head).is_some(), "{head}");
    assert!(head.contains("x-content-type-options: nosniff"), "a refusal carries the headers every answer has");
    assert_eq!(health, 200);
    display.still_works_as_observer().await;
    drop(idle);
}

#[tokio::test]
async fn the_server_holds_no_more_connections_than_it_may_and_says_so_with_503() {
    // Arrange: 10 in all, so at most 5 from one address
    let (server, _dir) = server_with(&["--max-connections", "10"]).await;
    let mut held = Vec::new();
    for source in ["127.0.0.2", "127.0.0.3"] {
        for _ in 0..5 {
            held.push(socket_from(&server, source).await);
        }
    }

    // Act: (on a loaded machine the server may take a moment to accept all ten, and a set-up
    // request's connection may still be closing when they come: it held a place, so one of the
    // ten was turned away, and the place it gives back is taken here by one more idle socket)
    let mut full = (0, String::new(), Value::Null);
    let mut more = 0;
    for _ in 0..50 {
        full = request_from(&server, "127.0.0.4", "GET", "/healthz", None).await;
        if full.0 != 200 {
            break;
        }
        if more < 3 {
            held.push(socket_from(&server, "127.0.0.5").await);
            more += 1;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (full, head, body) = full;
    drop(held);
    let mut health = 0;
    for _ in 0..50 {
        health = request_from(&server, "127.0.0.4", "GET", "/healthz", None).await.0;
        if health == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // Assert
    assert_eq!((full, body["code"].as_str()), (503, Some("unavailable")));
    assert!(retry_after(&head).is_some(), "{head}");
    assert_eq!(health, 200, "closed connections give their places back");
}

#[tokio::test]
async fn an_address_over_a_routes_budget_gets_429_with_retry_after_and_other_addresses_and_routes_do_not() {
    // Arrange: three reports at once, then one a minute
    let (server, _dir) = server_with(&["--rate", "report=1/min:3"]).await;
    let path = format!("/api/meetings/{MEETING}/report");
    for _ in 0..3 {
        assert_eq!(request_from(&server, "127.0.0.2", "GET", &path, None).await.0, 200);
    }

    // Act
    let (refused, head, body) = request_from(&server, "127.0.0.2", "GET", &path, None).await;
    let (elsewhere, _, _) = request_from(&server, "127.0.0.3", "GET", &path, None).await;
    let (other_route, _, _) = request_from(&server, "127.0.0.2", "GET", "/healthz", None).await;

    // Assert
    assert_eq!((refused, body["code"].as_str()), (429, Some("rate_limited")));
    let wait = retry_after(&head).expect("Retry-After");
    assert!((1..=60).contains(&wait), "one more report a minute: {wait} s to wait");
    assert_eq!((elsewhere, other_route), (200, 200));
}

#[tokio::test]
async fn a_person_over_their_budget_is_refused_from_any_address_and_others_are_not() {
    // Arrange: a burst of five changes per person (the secretariat's set-up spends its own)
    let (server, _dir) = server_with(&["--person-rate", "write=1/min:5"]).await;
    let chair = server.chair(MEETING);
    let path = format!("/api/meetings/{MEETING}/segments");
    let mut under = Vec::new();
    for source in ["127.0.0.2", "127.0.0.3", "127.0.0.2", "127.0.0.3", "127.0.0.2"] {
        under.push(request_from(&server, source, "POST", &path, Some(&chair)).await.0);
    }

    // Act
    let (third, head, body) = request_from(&server, "127.0.0.4", "POST", &path, Some(&chair)).await;
    let other = server.token("chair", "chair-2", "Chair", &[], ("meeting", MEETING));
    let (someone_else, _, _) = request_from(&server, "127.0.0.4", "POST", &path, Some(&other)).await;

    // Assert: the bodies are empty, so the five let through are refused as bad requests
    assert_eq!(under, [400; 5], "under the budget the request is read");
    assert_eq!((third, body["code"].as_str()), (429, Some("rate_limited")));
    assert!(body["message"].as_str().unwrap_or_default().contains("by you"), "{body}");
    assert!(retry_after(&head).is_some());
    assert_ne!(someone_else, 429);
}

#[tokio::test]
async fn anonymous_observers_over_their_addresses_snapshot_budget_are_refused_with_4029_and_token_holders_are_not() {
    // Arrange: two anonymous snapshots at once, then one a minute
    let (server, _dir) = server_with(&["--rate", "snapshot=1/min:2"]).await;
    let _first = Client::connect(&server, MEETING, None).await;
    let _second = Client::connect(&server, MEETING, None).await;

    // Act
    let third = Client::try_connect(&server, MEETING, None, None).await;
    let delegate = server.delegate(MEETING, "del-chile", "Chile");
    let with_token = Client::try_connect(&server, MEETING, Some(&delegate), None).await;

    // Assert
    let refused = third.err().expect("a third anonymous snapshot is refused");
    assert_eq!((refused.code.as_deref(), refused.close), (Some("rate_limited"), Some(4029)));
    assert!(with_token.is_ok(), "a token holder's hello is not an anonymous snapshot");
}
