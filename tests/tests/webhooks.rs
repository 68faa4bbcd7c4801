//! Outgoing webhooks (issue 16, "the bridge"): floor events reach a real HTTP receiver started by
//! the test, signed as Standard Webhooks says, at least once and in order, through a receiver that
//! fails or is gone for a while and a Rostrum killed with SIGKILL in between. The receiver below
//! speaks just enough HTTP/1.1 to record what it is sent and answer as told.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rostrum_tests::{request, segment, Client, Server};
use serde_json::{json, Value};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

const MEETING: &str = "oewg-7";
/// Retries every 50 ms at first, at most every 400 ms: the tests wait for deliveries, not backoff.
const FAST_RETRIES: &[&str] = &["--webhook-backoff-ms", "50", "--webhook-backoff-cap-ms", "400"];
/// How long a test waits for what it expects before it fails.
const DEADLINE: Duration = Duration::from_secs(30);
const FLOOR: [&str; 5] = ["floor.given", "floor.paused", "floor.resumed", "floor.extended", "floor.ended"];

/// One request the receiver was sent, and what it answered.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: String,
    answered: u16,
}

impl Received {
    fn id(&self) -> &str {
        &self.headers["webhook-id"]
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }

    fn kind(&self) -> String {
        self.json()["type"].as_str().expect("a type").to_string()
    }

    fn seq(&self) -> u64 {
        self.json()["data"]["seq"].as_u64().expect("a seq")
    }

    fn ok(&self) -> bool {
        (200..300).contains(&self.answered)
    }
}

/// What the receiver holds between connections: what it was sent and how to answer.
#[derive(Debug, Default)]
struct Log {
    received: Vec<Received>,
    /// The next answers, in order; then `usual`.
    script: VecDeque<u16>,
    usual: u16,
}

/// A webhook receiver on a real socket, which can be told to fail, stopped, and started again on
/// the same address.
struct Receiver {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Receiver {
    async fn start() -> Receiver {
        let log = Arc::new(Mutex::new(Log { usual: 200, ..Log::default() }));
        let mut receiver = Receiver { addr: "127.0.0.1:0".parse().unwrap(), log, task: None };
        receiver.listen().await;
        receiver
    }

    async fn listen(&mut self) {
        let socket = TcpSocket::new_v4().expect("socket");
        socket.set_reuseaddr(true).expect("reuseaddr");
        socket.bind(self.addr).expect("the receiver's address");
        let listener = socket.listen(64).expect("listen");
        self.addr = listener.local_addr().unwrap();
        self.task = Some(tokio::spawn(serve(listener, self.log.clone())));
    }

    /// Stops listening: connections are refused until [`Receiver::restart`].
    async fn stop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
            let _ = task.await;
        }
    }

    async fn restart(&mut self) {
        self.listen().await;
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn answer(&self, status: u16) {
        self.log.lock().unwrap().usual = status;
    }

    fn answer_first(&self, statuses: &[u16]) {
        self.log.lock().unwrap().script.extend(statuses);
    }

    fn received(&self, path: &str) -> Vec<Received> {
        self.log.lock().unwrap().received.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Waits until what `path` was sent satisfies `done`.
    async fn wait(&self, path: &str, what: &str, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let start = tokio::time::Instant::now();
        loop {
            let received = self.received(path);
            if done(&received) {
                return received;
            }
            let kinds: Vec<(String, u16)> = received.iter().map(|r| (r.kind(), r.answered)).collect();
            assert!(start.elapsed() < DEADLINE, "{path}: waited {DEADLINE:?} for {what}; received {kinds:?}");
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

async fn serve(listener: TcpListener, log: Arc<Mutex<Log>>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else { return };
        tokio::spawn(exchange(stream, log.clone()));
    }
}

/// Reads one request, records it, answers as the log says, closes.
async fn exchange(mut stream: TcpStream, log: Arc<Mutex<Log>>) {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).to_string();
    let mut lines = head.lines();
    let path = lines.next().and_then(|l| l.split_whitespace().nth(1)).unwrap_or("").to_string();
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    while bytes.len() < head_end + 4 + length {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => bytes.extend_from_slice(&buffer[..n]),
        }
    }
    let body = String::from_utf8_lossy(&bytes[head_end + 4..head_end + 4 + length]).to_string();
    let answered = {
        let mut log = log.lock().unwrap();
        let answered = log.script.pop_front().unwrap_or(log.usual);
        log.received.push(Received { path, headers, body, answered });
        answered
    };
    let reply = format!("HTTP/1.1 {answered} Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(reply.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// Whether `headers` carry a Standard Webhooks signature of `body` by `secret`, made within five
/// minutes of now: the receiver's side of the scheme, written here from the specification.
fn verify(secret: &str, headers: &HashMap<String, String>, body: &str, now_secs: i64) -> bool {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").unwrap_or(secret)).expect("a base64 secret");
    let (Some(id), Some(timestamp), Some(signatures)) =
        (headers.get("webhook-id"), headers.get("webhook-timestamp"), headers.get("webhook-signature"))
    else {
        return false;
    };
    let Ok(sent_at) = timestamp.parse::<i64>() else { return false };
    if (now_secs - sent_at).abs() > 300 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    signatures.split(' ').any(|s| s == expected)
}

fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// A server (the real binary, fast retries) with a meeting whose general debate is open, and its
/// secretariat's token.
async fn meeting(data: &Path) -> (Server, String) {
    let server = Server::start_with(data, FAST_RETRIES).await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    (server, sec)
}

/// Adds an endpoint; returns its answer (with the secret).
async fn add(server: &Server, sec: &str, body: Value) -> Value {
    let (status, answer) =
        server.http("POST", &format!("/api/meetings/{MEETING}/webhooks"), Some(sec), Some(&body)).await;
    assert_eq!(status, 201, "{answer}");
    answer
}

/// Chile's delegate, connected and on the list.
async fn chile_asks(server: &Server) -> Client {
    let mut chile = Client::connect(server, MEETING, Some(&server.delegate(MEETING, "del-chile", "Chile"))).await;
    chile.command(request("statement", "remote", "es")).await.expect("on the list");
    chile
}

/// The chair's command over the API, with the chair's own token.
async fn chair(server: &Server, token: &str, body: Value) {
    let (status, answer) =
        server.http("POST", &format!("/api/meetings/{MEETING}/commands"), Some(token), Some(&body)).await;
    assert_eq!(status, 201, "{body}: {answer}");
}

async fn deliveries(server: &Server, sec: &str, webhook: &str) -> Vec<Value> {
    let (status, page) = server.http("GET", &format!("/api/webhooks/{webhook}/deliveries"), Some(sec), None).await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().expect("a page").clone()
}

async fn listed(server: &Server, sec: &str) -> Vec<Value> {
    let (status, page) = server.http("GET", &format!("/api/meetings/{MEETING}/webhooks"), Some(sec), None).await;
    assert_eq!(status, 200, "{page}");
    page["items"].as_array().expect("a page").clone()
}

fn kinds(received: &[Received]) -> Vec<String> {
    received.iter().map(Received::kind).collect()
}

#[tokio::test]
async fn floor_events_arrive_once_each_in_order_signed_as_standard_webhooks_says() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    let (server, sec) = meeting(dir.path()).await;
    let created = add(&server, &sec, json!({"url": receiver.url("/zoom"), "description": "Zoom bridge"})).await;
    let secret = created["secret"].as_str().expect("the secret, once").to_string();
    let mut chile = chile_asks(&server).await;
    let token = server.chair(MEETING);

    // Act
    for name in ["give_floor", "pause_floor", "resume_floor"] {
        chair(&server, &token, json!({"type": name})).await;
    }
    chair(&server, &token, json!({"type": "extend_floor", "secs": 30})).await;
    chair(&server, &token, json!({"type": "end_floor"})).await;

    // Assert
    let received = receiver.wait("/zoom", "the five floor events", |r| r.len() >= 5).await;
    assert_eq!(kinds(&received), FLOOR, "each once, in order");
    let now = now_secs();
    for message in &received {
        assert!(verify(&secret, &message.headers, &message.body, now), "signature of {}", message.kind());
        assert_eq!(message.headers["content-type"], "application/json");
        assert!(message.id().starts_with(&format!("msg_{}_{}_", MEETING, chile.epoch)), "{}", message.id());
        assert!(message.id().ends_with(&format!("_{}", message.seq())), "{}", message.id());
    }
    let seqs: Vec<u64> = received.iter().map(Received::seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    chile.until(shared::Seq(*seqs.last().unwrap())).await;
    for message in &received {
        let seen = chile.events.iter().find(|e| e.seq.0 == message.seq()).expect("the screen saw it");
        assert_eq!(
            message.json()["data"]["event"],
            serde_json::to_value(&seen.event).unwrap(),
            "as the WebSocket sends it"
        );
        assert_eq!(message.json()["data"]["meeting"], MEETING);
    }
    let given = &received[0].json()["data"]["floor"];
    assert_eq!(given["speaker"], "Delegate of Chile");
    assert_eq!(
        (given["delegation"].as_str(), given["presence"].as_str(), given["language"].as_str()),
        (Some("Chile"), Some("remote"), Some("es"))
    );
    assert_eq!(received[1].json()["data"]["floor"]["paused"], true);
    assert_eq!(received[3].json()["data"]["event"]["by_ms"], 30_000);
    let ended = &received[4].json()["data"]["floor"];
    assert_eq!(ended["speaker"], "Delegate of Chile", "an ended floor still says whose it was");
    assert!(ended["ended_at"].is_i64());
    let timestamp = received[0].json()["timestamp"].as_str().unwrap().to_string();
    assert!(timestamp.ends_with('Z') && timestamp.len() == 24, "{timestamp}");
    let shown = listed(&server, &sec).await;
    assert_eq!(shown.len(), 1);
    assert!(shown[0].get("secret").is_none(), "the secret is shown once: {}", shown[0]);
    assert_eq!(shown[0]["description"], "Zoom bridge");
}

#[tokio::test]
async fn the_test_verifier_accepts_the_published_standard_webhooks_vector() {
    // The `sign` test of the specification's reference libraries.
    let headers: HashMap<String, String> = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();

    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    assert!(verify(secret, &headers, r#"{"test": 2432232314}"#, 1614265330));
    assert!(!verify(secret, &headers, r#"{"test":2432232314}"#, 1614265330), "one byte less is another body");
    assert!(!verify(secret, &headers, r#"{"test": 2432232314}"#, 1614265330 + 301), "too old");
}

#[tokio::test]
async fn no_floor_event_is_lost_when_the_receiver_is_down_and_rostrum_is_killed_in_between() {
    // Arrange: the floor is given while the receiver is up.
    let dir = tempfile::tempdir().unwrap();
    let mut receiver = Receiver::start().await;
    let (mut server, sec) = meeting(dir.path()).await;
    let created = add(&server, &sec, json!({"url": receiver.url("/bridge")})).await;
    let (webhook, secret) =
        (created["id"].as_str().unwrap().to_string(), created["secret"].as_str().unwrap().to_string());
    let _chile = chile_asks(&server).await;
    let token = server.chair(MEETING);
    chair(&server, &token, json!({"type": "give_floor"})).await;
    receiver.wait("/bridge", "floor.given", |r| r.iter().any(Received::ok)).await;

    // Act: the receiver fails, then is gone, while the chair goes on; Rostrum is killed and
    // restarted; then the receiver comes back.
    receiver.answer(503);
    chair(&server, &token, json!({"type": "pause_floor"})).await;
    chair(&server, &token, json!({"type": "resume_floor"})).await;
    receiver.wait("/bridge", "two failed attempts", |r| r.iter().filter(|m| m.answered == 503).count() >= 2).await;
    receiver.stop().await;
    chair(&server, &token, json!({"type": "extend_floor", "secs": 60})).await;
    chair(&server, &token, json!({"type": "end_floor"})).await;
    let start = tokio::time::Instant::now();
    while !deliveries(&server, &sec, &webhook).await.iter().any(|d| d["error"].is_string()) {
        assert!(start.elapsed() < DEADLINE, "no attempt while the receiver was gone");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    server.kill9();
    let server = Server::start_with(dir.path(), FAST_RETRIES).await;
    receiver.answer(200);
    receiver.restart().await;

    // Assert
    let done = |r: &[Received]| FLOOR.iter().all(|kind| r.iter().any(|m| m.ok() && m.kind() == *kind));
    let received = receiver.wait("/bridge", "every floor event delivered", done).await;
    let mut bodies: HashMap<String, String> = HashMap::new();
    for message in &received {
        let first = bodies.entry(message.id().to_string()).or_insert_with(|| message.body.clone());
        assert_eq!(first, &message.body, "a repeat of {} carries the same body", message.id());
        assert!(verify(&secret, &message.headers, &message.body, now_secs()));
    }
    let seqs: Vec<u64> = received.iter().map(Received::seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] <= w[1]), "in order, repeats in place: {seqs:?}");
    let mut delivered: Vec<String> = Vec::new();
    for message in received.iter().filter(|m| m.ok()) {
        if delivered.last() != Some(&message.kind()) {
            delivered.push(message.kind());
        }
    }
    assert_eq!(delivered, FLOOR, "each floor event delivered, in order");
    let start = tokio::time::Instant::now();
    while listed(&server, &sec).await[0]["cursor"].as_u64() != seqs.last().copied() {
        assert!(start.elapsed() < DEADLINE, "the cursor reaches the last event delivered");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn the_delivery_log_lists_the_failed_attempts_and_the_success_newest_first() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    receiver.answer_first(&[503, 500]);
    let (server, sec) = meeting(dir.path()).await;
    let created = add(&server, &sec, json!({"url": receiver.url("/log")})).await;
    let webhook = created["id"].as_str().unwrap().to_string();
    let _chile = chile_asks(&server).await;

    // Act
    chair(&server, &server.chair(MEETING), json!({"type": "give_floor"})).await;

    // Assert
    let received = receiver.wait("/log", "three attempts", |r| r.len() >= 3).await;
    assert_eq!(received.iter().map(|r| r.answered).collect::<Vec<_>>(), [503, 500, 200]);
    assert!(received.iter().all(|r| r.id() == received[0].id() && r.body == received[0].body), "one message, retried");
    let start = tokio::time::Instant::now();
    let log = loop {
        let log = deliveries(&server, &sec, &webhook).await;
        if log.len() >= 3 {
            break log;
        }
        assert!(start.elapsed() < DEADLINE, "{log:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    let rows: Vec<(u64, Option<u64>, bool)> =
        log.iter().map(|d| (d["attempt"].as_u64().unwrap(), d["status"].as_u64(), d["ok"] == true)).collect();
    assert_eq!(rows, [(3, Some(200), true), (2, Some(500), false), (1, Some(503), false)]);
    assert!(log.iter().all(|d| d["type"] == "floor.given" && d["message_id"].as_str() == Some(received[0].id())));
    let shown = listed(&server, &sec).await;
    assert_eq!(shown[0]["last_delivery"]["ok"], true);
    assert_eq!(shown[0]["cursor"].as_u64(), Some(received[0].seq()));
}

#[tokio::test]
async fn list_events_go_only_to_an_endpoint_that_asks_for_them() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    let (server, sec) = meeting(dir.path()).await;
    add(&server, &sec, json!({"url": receiver.url("/floor")})).await;
    add(&server, &sec, json!({"url": receiver.url("/list"), "list": true})).await;

    // Act
    let _chile = chile_asks(&server).await;
    let token = server.chair(MEETING);
    chair(&server, &token, json!({"type": "give_floor"})).await;
    chair(&server, &token, json!({"type": "close_list"})).await;

    // Assert: in order, so once the last event is in, everything before it went through.
    let floor = receiver.wait("/floor", "floor.given", |r| !r.is_empty()).await;
    let list = receiver.wait("/list", "list.closed", |r| r.iter().any(|m| m.kind() == "list.closed")).await;
    assert_eq!(kinds(&list), ["list.entry_added", "floor.given", "list.closed"]);
    assert_eq!(kinds(&floor), ["floor.given"]);
    assert_eq!(floor[0].id(), list[1].id(), "one event, one id, whichever endpoint it goes to");
}

#[tokio::test]
async fn bad_input_is_refused_with_a_stable_code_and_adds_nothing() {
    // Arrange
    let server = Server::in_process().await;
    let sec = server.meeting(MEETING, "open", &[segment("General debate", "all", 180)]).await;
    let path = format!("/api/meetings/{MEETING}/webhooks");
    let long = format!("https://bridge.example.org/{}", "a".repeat(2000));

    // Act
    let mut answers = Vec::new();
    for url in [
        "ftp://files.example.org/hook",
        "not an address",
        "https://user:pass@bridge.example.org/",
        long.as_str(),
        "http://",
    ] {
        answers.push((
            url.chars().take(40).collect::<String>(),
            server.http("POST", &path, Some(&sec), Some(&json!({"url": url}))).await,
        ));
    }
    let unknown = server
        .http(
            "POST",
            "/api/meetings/no-such-meeting/webhooks",
            Some(&sec),
            Some(&json!({"url": "https://bridge.example.org/"})),
        )
        .await;
    let extra = server
        .http("POST", &path, Some(&sec), Some(&json!({"url": "https://bridge.example.org/", "secret": "mine"})))
        .await;
    let chair = server
        .http("POST", &path, Some(&server.chair(MEETING)), Some(&json!({"url": "https://bridge.example.org/"})))
        .await;
    let missing = server.http("POST", "/api/webhooks/wh_0123/pause", Some(&sec), None).await;

    // Assert
    for (url, (status, body)) in &answers {
        assert_eq!((*status, body["code"].as_str()), (400, Some("invalid_command")), "{url}: {body}");
    }
    assert_eq!((unknown.0, unknown.1["code"].as_str()), (404, Some("unknown_meeting")), "{}", unknown.1);
    assert_eq!((extra.0, extra.1["code"].as_str()), (400, Some("bad_request")), "{}", extra.1);
    assert_eq!(
        (chair.0, chair.1["code"].as_str()),
        (403, Some("forbidden")),
        "the chair gives the floor; the secretariat connects platforms"
    );
    assert_eq!((missing.0, missing.1["code"].as_str()), (404, Some("not_found")));
    assert!(listed(&server, &sec).await.is_empty(), "nothing was added");
}

#[tokio::test]
async fn a_paused_endpoint_is_sent_nothing_until_resumed_then_catches_up_in_order() {
    // Arrange: a witness endpoint, and one the secretariat pauses.
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    let (server, sec) = meeting(dir.path()).await;
    add(&server, &sec, json!({"url": receiver.url("/witness")})).await;
    let paused = add(&server, &sec, json!({"url": receiver.url("/paused")})).await;
    let paused = paused["id"].as_str().unwrap().to_string();
    let (status, answer) = server.http("POST", &format!("/api/webhooks/{paused}/pause"), Some(&sec), None).await;
    assert_eq!(status, 200, "{answer}");
    let cursor = answer["cursor"].clone();

    // Act
    let _chile = chile_asks(&server).await;
    let token = server.chair(MEETING);
    chair(&server, &token, json!({"type": "give_floor"})).await;
    chair(&server, &token, json!({"type": "end_floor"})).await;
    receiver.wait("/witness", "floor.ended", |r| r.iter().any(|m| m.kind() == "floor.ended")).await;
    let while_paused = receiver.received("/paused");
    let shown = listed(&server, &sec).await.into_iter().find(|w| w["id"] == paused.as_str()).unwrap();
    let (status, resumed) = server.http("POST", &format!("/api/webhooks/{paused}/resume"), Some(&sec), None).await;

    // Assert
    assert!(while_paused.is_empty(), "{while_paused:?}");
    assert_eq!(
        (shown["cursor"].clone(), shown["paused"]["reason"].as_str()),
        (cursor, Some("Paused by the secretariat."))
    );
    assert_eq!(status, 200, "{resumed}");
    assert!(resumed.get("paused").is_none(), "{resumed}");
    let caught_up = receiver.wait("/paused", "both floor events", |r| r.len() >= 2).await;
    assert_eq!(kinds(&caught_up), ["floor.given", "floor.ended"]);
}

#[tokio::test]
async fn a_deleted_endpoint_is_sent_nothing_more_and_a_receiver_that_answers_gone_pauses_its_own() {
    // Arrange
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::start().await;
    receiver.answer_first(&[410]);
    let (server, sec) = meeting(dir.path()).await;
    let gone = add(&server, &sec, json!({"url": receiver.url("/gone")})).await["id"].as_str().unwrap().to_string();
    let deleted =
        add(&server, &sec, json!({"url": receiver.url("/deleted")})).await["id"].as_str().unwrap().to_string();
    let (status, _) = server.http("DELETE", &format!("/api/webhooks/{deleted}"), Some(&sec), None).await;
    assert_eq!(status, 204);
    add(&server, &sec, json!({"url": receiver.url("/witness")})).await;

    // Act
    let _chile = chile_asks(&server).await;
    chair(&server, &server.chair(MEETING), json!({"type": "give_floor"})).await;

    // Assert
    receiver.wait("/witness", "floor.given", |r| !r.is_empty()).await;
    receiver.wait("/gone", "one attempt", |r| !r.is_empty()).await;
    let start = tokio::time::Instant::now();
    let shown = loop {
        let all = listed(&server, &sec).await;
        if all.iter().any(|w| w["id"] == gone.as_str() && w["paused"].is_object()) {
            break all;
        }
        assert!(start.elapsed() < DEADLINE, "{all:?}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    };
    assert!(receiver.received("/deleted").is_empty());
    assert!(shown.iter().all(|w| w["id"] != deleted.as_str()), "a deleted endpoint is not listed");
    let paused = shown.iter().find(|w| w["id"] == gone.as_str()).unwrap();
    assert_eq!(paused["paused"]["reason"], "The receiver answered 410 Gone.");
    assert_eq!(
        receiver.received("/gone").len(),
        1,
        "a receiver that answered 410 is not tried again: {:?}",
        receiver.received("/gone")
    );
    let again = server.http("DELETE", &format!("/api/webhooks/{deleted}"), Some(&sec), None).await;
    assert_eq!((again.0, again.1["code"].as_str()), (404, Some("not_found")));
}
