//! A slow screen never slows the meeting: a display that stops reading is closed at its queue's cap
//! (4008) while every other screen keeps its latency, and comes back by resuming; a frozen client
//! that answers no ping is dropped after the keepalive timeout, and its place is given back, while
//! a quiet client that answers pings stays.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rostrum_tests::soak::percentile;
use rostrum_tests::{segment, Client, Server};
use serde_json::json;
use shared::protocol::ServerMessage;
use tokio_tungstenite::MaybeTlsStream;

const MEETING: &str = "m1";

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

/// A display whose socket takes at most 4 KiB before the server must wait: one that stops reading
/// fills up after a few frames rather than after megabytes of kernel buffers.
async fn display_with_small_buffer(server: &Server) -> Client {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(server.addr).await.unwrap();
    let url = format!("ws://{}/ws", server.addr);
    let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream)).await.unwrap();
    Client::hello_on(ws, MEETING, None, None, None).await.expect("connected")
}

/// Writers that add speakers over the API as fast as it answers, `count` events in all.
async fn add_speakers(server: &Arc<Server>, sec: &str, count: usize) {
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (server, sec) = (server.clone(), sec.to_string());
            tokio::spawn(async move {
                for n in 0..count / 3 {
                    let speaker = json!({"id": format!("s-{w}-{n}"), "name": "Speaker", "role": "delegate", "delegation": "Chile"});
                    let add = json!({"type": "add_speaker", "speaker": speaker, "kind": "statement", "presence": "remote", "language": "en"});
                    let (status, body) =
                        server.http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(&sec), Some(&add)).await;
                    assert_eq!(status, 201, "{body}");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap();
    }
}

#[tokio::test]
async fn a_display_that_stops_reading_is_closed_at_its_queues_cap_and_the_others_keep_their_latency() {
    // Arrange: a display that will never read again, and one that reads and times every event
    // (a 16 KiB send buffer per socket: the kernel's own sizing holds megabytes on loopback;
    // no request budgets, since the chair writes as fast as the server answers)
    let dir = tempfile::tempdir().unwrap();
    let server = Arc::new(Server::start_with(dir.path(), &["--send-buffer-bytes", "16384", "--no-rate-limits"]).await);
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let mut stalled = display_with_small_buffer(&server).await;
    let (epoch, replica) = (stalled.epoch.clone(), stalled.state().clone());
    let mut reader = Client::connect(&server, MEETING, None).await;
    let (head_tx, head_rx) = tokio::sync::watch::channel(0u64);
    let timing = tokio::spawn(async move {
        let mut head_rx = head_rx;
        let mut latencies = Vec::new();
        loop {
            let target = *head_rx.borrow_and_update();
            if target > 0 && reader.state().seq.0 >= target {
                return (reader, latencies);
            }
            tokio::select! {
                message = reader.recv() => if let ServerMessage::Event(record) = message {
                    latencies.push(Duration::from_millis((now_ms() - record.at.0).max(0) as u64));
                },
                _ = head_rx.changed() => {}
            }
        }
    });

    // Act: more events than the stalled display's queue of 512 frames and its socket can hold
    add_speakers(&server, &sec, 900).await;
    let head = server.state(MEETING, &sec).await;
    head_tx.send(head.seq.0).unwrap();
    let (reader, latencies) = timing.await.unwrap();
    let close = stalled.close_code().await;
    let resumed = Client::reconnect(&server, MEETING, None, &epoch, replica).await.expect("resumed");
    let (_, metrics) = server.http("GET", "/metrics", Some(&sec), None).await;

    // Assert
    let p99 = percentile(&latencies, 0.99);
    println!(
        "a reading display's latency while another stalled: p50 {:?}, p99 {p99:?}; the stalled one closed with {close:?}",
        percentile(&latencies, 0.5)
    );
    // It is closed with 4008 when the socket takes the close frame; a display that never reads
    // again finds its stream cut instead, after what its socket held.
    assert!(matches!(close, Some(4008) | None), "closed with {close:?}");
    assert!(server.log().contains("closing a connection that fell behind"), "the server cut the stalled display loose");
    let closes = metrics.as_str().and_then(|text| {
        text.lines().find_map(|l| l.strip_prefix("rostrum_slow_consumer_closes_total ")?.parse::<f64>().ok())
    });
    assert!(closes >= Some(1.0), "/metrics counts the close: {metrics}");
    assert_eq!(latencies.len() as u64, head.seq.0 - 2, "the reading display saw every event");
    assert!(p99 < Duration::from_secs(1), "the reading display waited {p99:?}");
    assert!(reader.state() == &head, "the reading display holds the server's state");
    assert!(resumed.state() == &head, "the stalled display came back whole by resuming");
}

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

#[tokio::test]
async fn a_frozen_client_is_dropped_after_the_keepalive_timeout_and_gives_its_place_back() {
    // Arrange: two seconds of silence is death here; the address may hold two connections
    let dir = tempfile::tempdir().unwrap();
    let server =
        Server::start_with(dir.path(), &["--idle-timeout-secs", "2", "--max-connections-per-address", "2"]).await;
    server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let frozen = Client::connect_from(&server, ip("127.0.0.5"), MEETING, None).await;
    let mut quiet = Client::connect_from(&server, ip("127.0.0.5"), MEETING, None).await;
    let full = Client::raw_from(&server, ip("127.0.0.5")).await;

    // Act: the frozen client never reads (so never answers a ping); the quiet one reads and
    // answers pings but sends nothing of its own
    let listen = tokio::spawn(async move {
        let until = tokio::time::Instant::now() + Duration::from_secs(4);
        while tokio::time::timeout_at(until, quiet.try_recv()).await.is_ok_and(|m| m.is_some()) {}
        quiet
    });
    let mut again = None;
    for _ in 0..100 {
        if let Ok(ws) = Client::raw_from(&server, ip("127.0.0.5")).await {
            again = Some(ws);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut quiet = listen.await.unwrap();
    let mut frozen = frozen;

    // Assert
    assert!(full.is_err(), "the address was at its cap of two");
    assert!(again.is_some(), "the frozen client's place was given back");
    let close = frozen.close_code().await;
    assert!(matches!(close, Some(1001) | None), "the frozen client's connection ended: {close:?}");
    assert!(server.log().contains("no traffic within the idle timeout"));
    quiet.still_works_as_observer().await;
}
