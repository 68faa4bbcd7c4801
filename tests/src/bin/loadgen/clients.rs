//! The load generator's clients: WebSockets from many loopback source addresses, observers that
//! timestamp every event they receive, and chairs that cause events.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::{mpsc, Semaphore};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::servers::Kind;

pub type Ws = WebSocketStream<TcpStream>;

/// How long a client waits for the server during setup before it counts as a failure.
const PATIENCE: Duration = Duration::from_secs(15);
/// Connections one source address takes before the next address is used (one address gives
/// about 28,000 ephemeral ports; closed sockets linger in TIME_WAIT for a minute).
const PER_SOURCE: u32 = 5_000;

/// Hands out loopback source addresses (127.0.0.2, .3, …) so that many clients fit past the port
/// limit. Each harness process starts at its own place, away from the sockets an earlier run left
/// in TIME_WAIT.
#[derive(Debug)]
pub struct Sources {
    used: AtomicU32,
}

impl Default for Sources {
    fn default() -> Self {
        Sources { used: AtomicU32::new((std::process::id() % 200) * 40 * PER_SOURCE) }
    }
}

impl Sources {
    pub fn next(&self) -> Ipv4Addr {
        let n = self.used.fetch_add(1, Ordering::Relaxed) / PER_SOURCE;
        Ipv4Addr::new(127, (n / 62_500 % 250) as u8, (n / 250 % 250) as u8, 2 + (n % 250) as u8)
    }
}

/// Opens a WebSocket to `addr` from `source` with a small read buffer, as a lean client would.
pub async fn open(addr: SocketAddr, source: Ipv4Addr) -> anyhow::Result<Ws> {
    open_with(addr, source, None).await
}

/// Opens a WebSocket, optionally with a small kernel receive buffer (a client on a slow link).
pub async fn open_with(addr: SocketAddr, source: Ipv4Addr, receive_buffer: Option<u32>) -> anyhow::Result<Ws> {
    let socket = TcpSocket::new_v4()?;
    if let Some(size) = receive_buffer {
        socket.set_recv_buffer_size(size)?;
    }
    socket.bind(SocketAddr::new(source.into(), 0)).with_context(|| format!("bind {source}"))?;
    let stream = socket.connect(addr).await.context("connect")?;
    stream.set_nodelay(true)?;
    let config = WebSocketConfig::default().read_buffer_size(4 * 1024);
    let (ws, _) = tokio_tungstenite::client_async_with_config(format!("ws://{addr}/ws"), stream, Some(config))
        .await
        .context("websocket handshake")?;
    Ok(ws)
}

/// Where a Rostrum client resumes from.
#[derive(Debug, Clone, Default)]
pub struct Position {
    pub epoch: String,
    pub seq: u64,
}

/// Says hello to Rostrum and reads until `synced`. Returns where the client stands.
pub async fn hello(
    ws: &mut Ws,
    meeting: &str,
    token: Option<&str>,
    resume: Option<&Position>,
) -> anyhow::Result<Position> {
    let mut hello = json!({"type": "hello", "protocol": "rostrum.v1", "meeting": meeting});
    if let Some(token) = token {
        hello["token"] = json!(token);
    }
    if let Some(resume) = resume {
        hello["resume"] = json!({"epoch": resume.epoch, "seq": resume.seq});
    }
    ws.send(Message::Text(hello.to_string().into())).await?;
    let mut position = Position::default();
    loop {
        let message = tokio::time::timeout(PATIENCE, ws.next()).await.context("no synced in time")?;
        let Some(Ok(Message::Text(text))) = message else { bail!("connection ended before synced: {message:?}") };
        let value: Value = serde_json::from_str(&text)?;
        match value["type"].as_str() {
            Some("welcome") => position.epoch = value["epoch"].as_str().unwrap_or_default().to_string(),
            Some("synced") => {
                position.seq = value["seq"].as_u64().unwrap_or_default();
                return Ok(position);
            }
            Some("rejected") => bail!("hello refused: {text}"),
            _ => {}
        }
    }
}

/// The `seq` of an event frame, found without parsing the whole frame.
pub fn event_seq(text: &str) -> Option<u64> {
    let rest = text.strip_prefix(r#"{"type":"event","seq":"#)?;
    let end = rest.find(|c: char| !c.is_ascii_digit())?;
    rest[..end].parse().ok()
}

const RING: usize = 1 << 14;
const ARRIVED: u8 = 1;
const SENT: u8 = 2;

#[derive(Default)]
struct Slot {
    count: AtomicU32,
    last: AtomicU64,
    sent: AtomicU64,
    state: AtomicU8,
}

/// Counts every event's arrivals and knows when the last observer has it. Events are known by
/// their `seq`; a slot is reused `RING` events later.
pub struct Tracker {
    start: Instant,
    slots: Vec<Slot>,
    /// Observers that must receive an event before it counts as delivered.
    pub expected: AtomicU32,
    pub delivered: AtomicU64,
    done: mpsc::UnboundedSender<(u64, Duration)>,
}

impl Tracker {
    pub fn new() -> (Arc<Tracker>, mpsc::UnboundedReceiver<(u64, Duration)>) {
        let (done, completions) = mpsc::unbounded_channel();
        let tracker = Tracker {
            start: Instant::now(),
            slots: (0..RING).map(|_| Slot::default()).collect(),
            expected: AtomicU32::new(u32::MAX),
            delivered: AtomicU64::new(0),
            done,
        };
        (Arc::new(tracker), completions)
    }

    fn now(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64
    }

    /// An observer received event `seq`.
    pub fn arrive(&self, seq: u64) {
        self.delivered.fetch_add(1, Ordering::Relaxed);
        let slot = &self.slots[seq as usize % RING];
        slot.last.fetch_max(self.now(), Ordering::Relaxed);
        if slot.count.fetch_add(1, Ordering::Relaxed) + 1 == self.expected.load(Ordering::Relaxed) {
            self.mark(seq, ARRIVED);
        }
    }

    /// A chair sent the command that became event `seq` at `at` (known at once for the references,
    /// from the ack for Rostrum).
    pub fn sent(&self, seq: u64, at: Instant) {
        let slot = &self.slots[seq as usize % RING];
        slot.sent.store(at.duration_since(self.start).as_nanos() as u64, Ordering::Relaxed);
        self.mark(seq, SENT);
    }

    fn mark(&self, seq: u64, bit: u8) {
        let slot = &self.slots[seq as usize % RING];
        if slot.state.fetch_or(bit, Ordering::Relaxed) | bit == ARRIVED | SENT {
            let latency = slot.last.load(Ordering::Relaxed).saturating_sub(slot.sent.load(Ordering::Relaxed));
            let _ = self.done.send((seq, Duration::from_nanos(latency)));
            // Ready for the event `RING` later.
            slot.count.store(0, Ordering::Relaxed);
            slot.last.store(0, Ordering::Relaxed);
            slot.state.store(0, Ordering::Relaxed);
        }
    }
}

/// An observer: reads everything, timestamps events, remembers where it is. A Rostrum observer
/// closed as too slow (4008) reconnects and resumes at once, and records how long that took.
pub struct Observer {
    pub position: Arc<Mutex<Position>>,
    pub task: tokio::task::JoinHandle<()>,
}

/// What every observer of one run shares.
pub struct Crowd {
    pub kind: Kind,
    pub addr: SocketAddr,
    pub meeting: String,
    pub tracker: Arc<Tracker>,
    pub sources: Arc<Sources>,
    /// Connections closed by the server as too slow (4008).
    pub kicked: AtomicU64,
    /// Connections that ended for any other reason while they should have lived.
    pub lost: AtomicU64,
    /// Time from a too-slow close to `synced` again, per resync.
    pub resyncs: Mutex<Vec<Duration>>,
    pub quiet: AtomicBool,
}

impl Crowd {
    /// Opens one observer's connection (Rostrum: hello as an anonymous observer, or resume).
    pub async fn join(&self, resume: Option<&Position>) -> anyhow::Result<(Ws, Position)> {
        let mut ws = open(self.addr, self.sources.next()).await?;
        let position = match self.kind {
            Kind::Rostrum => hello(&mut ws, &self.meeting, None, resume).await?,
            _ => Position::default(),
        };
        Ok((ws, position))
    }

    /// Connects `n` observers, at most `in_flight` handshakes at a time. Returns them and how many
    /// failed.
    pub async fn connect(
        self: &Arc<Self>,
        n: usize,
        in_flight: usize,
        resume: Option<Vec<Position>>,
    ) -> (Vec<Observer>, usize) {
        let gate = Arc::new(Semaphore::new(in_flight));
        let mut pending = Vec::with_capacity(n);
        for i in 0..n {
            let crowd = self.clone();
            let gate = gate.clone();
            let resume = resume.as_ref().map(|r| r[i].clone());
            pending.push(tokio::spawn(async move {
                let _permit = gate.acquire_owned().await.ok()?;
                let joined = tokio::time::timeout(PATIENCE, crowd.join(resume.as_ref())).await;
                match joined {
                    Ok(Ok((ws, position))) => Some((ws, position)),
                    Ok(Err(error)) => {
                        if !crowd.quiet.swap(true, Ordering::Relaxed) {
                            eprintln!("    a connection failed: {error:#}");
                        }
                        None
                    }
                    Err(_) => None,
                }
            }));
        }
        let mut observers = Vec::with_capacity(n);
        let mut failed = 0;
        for joined in pending {
            match joined.await.ok().flatten() {
                Some((ws, position)) => observers.push(self.clone().watch(ws, position)),
                None => failed += 1,
            }
        }
        (observers, failed)
    }

    fn watch(self: Arc<Self>, ws: Ws, position: Position) -> Observer {
        let position = Arc::new(Mutex::new(position));
        let shared = position.clone();
        let task = tokio::spawn(async move {
            let mut ws = ws;
            loop {
                let code = self.read(&mut ws, &shared).await;
                if code != Some(4008) || self.kind != Kind::Rostrum {
                    self.lost.fetch_add(1, Ordering::Relaxed);
                    return;
                }
                self.kicked.fetch_add(1, Ordering::Relaxed);
                let since = Instant::now();
                let resume = shared.lock().unwrap().clone();
                match self.join(Some(&resume)).await {
                    Ok((fresh, at)) => {
                        self.resyncs.lock().unwrap().push(since.elapsed());
                        *shared.lock().unwrap() = at;
                        ws = fresh;
                    }
                    Err(_) => {
                        self.lost.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
        });
        Observer { position, task }
    }

    /// Reads until the connection ends; returns the close code, if any.
    async fn read(&self, ws: &mut Ws, position: &Mutex<Position>) -> Option<u16> {
        while let Some(message) = ws.next().await {
            match message {
                Ok(Message::Text(text)) => {
                    if let Some(seq) = event_seq(&text) {
                        self.tracker.arrive(seq);
                        position.lock().unwrap().seq = seq;
                    }
                }
                Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    }
}

/// A connection that causes events: a Rostrum chair renaming the list, or, for the references, a
/// client sending the same event's frame for the server to fan out.
pub struct Chair {
    sink: SplitSink<Ws, Message>,
    kind: Kind,
    index: usize,
    sent: u64,
    /// Rostrum: command ids waiting for their ack, with the time they were sent.
    waiting: Arc<Mutex<std::collections::HashMap<String, Instant>>>,
    pub last_sent: Option<Instant>,
    pub rejected: Arc<AtomicU64>,
    reader: tokio::task::JoinHandle<()>,
}

impl Drop for Chair {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl Chair {
    /// Connects chair number `index`.
    pub async fn connect(crowd: &Crowd, index: usize, token: Option<&str>) -> anyhow::Result<Chair> {
        let mut ws = open(crowd.addr, crowd.sources.next()).await?;
        if crowd.kind == Kind::Rostrum {
            hello(&mut ws, &crowd.meeting, token, None).await?;
        }
        let (sink, stream) = ws.split();
        let waiting = Arc::new(Mutex::new(std::collections::HashMap::new()));
        let rejected = Arc::new(AtomicU64::new(0));
        let reader = tokio::spawn(chair_reader(stream, crowd.tracker.clone(), waiting.clone(), rejected.clone()));
        Ok(Chair { sink, kind: crowd.kind, index, sent: 0, waiting, last_sent: None, rejected, reader })
    }

    /// Causes one event: the chair renames the meeting's list (every rename is an event). The
    /// references are told its `seq` (`next_seq`); Rostrum assigns it.
    pub async fn send(&mut self, tracker: &Tracker, next_seq: &AtomicU64) -> anyhow::Result<()> {
        self.sent += 1;
        let now = Instant::now();
        self.last_sent = Some(now);
        let title = format!("List of speakers {}-{}", self.index, self.sent);
        let text = match self.kind {
            Kind::Rostrum => {
                let id = format!("c{}-{}", self.index, self.sent);
                self.waiting.lock().unwrap().insert(id.clone(), now);
                let spec = json!({"title": title, "inscription": "all", "time_limit_secs": 180});
                json!({"type": "command", "id": id, "command": {"type": "update_segment", "segment": 1, "spec": spec}})
                    .to_string()
            }
            _ => {
                let seq = next_seq.fetch_add(1, Ordering::Relaxed);
                tracker.sent(seq, now);
                // Rostrum's frame for the same event, byte for byte but for the numbers.
                format!(
                    r#"{{"type":"event","seq":{seq},"at":{},"event":{{"type":"segment_updated","segment":1,"spec":{{"title":"{title}","inscription":"all","time_limit_secs":180}}}}}}"#,
                    crate::unix_millis(),
                )
            }
        };
        self.sink.send(Message::Text(text.into())).await?;
        Ok(())
    }
}

async fn chair_reader(
    mut stream: SplitStream<Ws>,
    tracker: Arc<Tracker>,
    waiting: Arc<Mutex<std::collections::HashMap<String, Instant>>>,
    rejected: Arc<AtomicU64>,
) {
    while let Some(Ok(message)) = stream.next().await {
        let Message::Text(text) = message else { continue };
        if text.starts_with(r#"{"type":"ack""#) {
            let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
            let id = value["id"].as_str().unwrap_or_default();
            if let Some(at) = waiting.lock().unwrap().remove(id) {
                tracker.sent(value["seq"].as_u64().unwrap_or_default(), at);
            }
        } else if text.starts_with(r#"{"type":"rejected""#) && rejected.fetch_add(1, Ordering::Relaxed) == 0 {
            eprintln!("    a chair's command was refused: {text}");
        }
    }
}

impl Crowd {
    /// A client on a slow link that stops reading for `stall`, then reads on. If the server closed
    /// it as too slow meanwhile (4008, or a dropped connection when even the close frame did not
    /// fit), it reconnects and resumes; the time from reading the close (after what was buffered
    /// before it) to `synced` counts as a resync. Returns whether it was closed.
    pub async fn laggard(self: Arc<Self>, stall: Duration, give_up: Instant) -> anyhow::Result<bool> {
        let mut ws = open_with(self.addr, self.sources.next(), Some(4096)).await?;
        let mut position = hello(&mut ws, &self.meeting, None, None).await?;
        tokio::time::sleep(stall).await;
        loop {
            let left = give_up.saturating_duration_since(Instant::now());
            match tokio::time::timeout(left, ws.next()).await {
                Err(_) => return Ok(false),
                Ok(Some(Ok(Message::Text(text)))) => {
                    if let Some(seq) = event_seq(&text) {
                        position.seq = seq;
                    }
                }
                Ok(Some(Ok(Message::Close(frame)))) => {
                    let code = frame.map(|f| u16::from(f.code));
                    anyhow::ensure!(code == Some(4008), "closed with {code:?}, not as too slow");
                    break;
                }
                Ok(Some(Ok(_))) => {}
                // A server that could not even write the close frame into a full socket drops the
                // connection; a screen takes that as a close and resumes all the same.
                Ok(Some(Err(_))) | Ok(None) => break,
            }
        }
        let closed = Instant::now();
        self.kicked.fetch_add(1, Ordering::Relaxed);
        self.join(Some(&position)).await?;
        self.resyncs.lock().unwrap().push(closed.elapsed());
        Ok(true)
    }
}
