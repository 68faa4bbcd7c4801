//! One WebSocket connection: a reader task that decodes and forwards, and a writer task that drains
//! the connection's bounded queue and flushes once per burst. No queue rules live here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use shared::protocol::{close, ClientMessage, Resume, ServerMessage, PROTOCOL};
use shared::{Participant, Rejection, RejectionCode};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message, Utf8Bytes};
use tokio_tungstenite::WebSocketStream;
use tracing::Instrument;

use crate::auth::Claims;
use crate::meeting::{frame, Catchup, MeetingHandle, Outbound, Reply, Subscriber};
use crate::{App, Revocation};

/// Time a client has to say `hello`.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the server pings an idle connection.
const PING_EVERY: Duration = Duration::from_secs(20);
/// A connection silent this long (no frame, no pong) is dropped as dead.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// Frames queued for one connection before it counts as too slow.
pub const OUTBOX: usize = 512;
/// Sustained messages per second a client may send, and the burst above it.
const RATE_PER_SEC: f64 = 20.0;
const RATE_BURST: f64 = 50.0;
/// Messages refused for rate in a row before the connection is closed as a flood.
const FLOOD_STRIKES: u32 = 100;
/// Text messages above this size go out in fragments of it. tungstenite's write buffer keeps the
/// capacity of the largest frame it ever held for the life of the connection, so a snapshot sent
/// in one frame would cost an idle screen the snapshot's size for as long as it stays connected
/// (a long meeting's record makes snapshots of tens of KiB). WebSocket clients reassemble
/// fragments into one message.
pub const FRAGMENT: usize = 1024;

/// Who is on the other end, once `hello` is accepted.
struct Session {
    /// `None` for an anonymous observer of an open meeting.
    participant: Option<Participant>,
    /// The token's claims, to check the person's standing again when revocations were missed.
    /// Boxed: they are read rarely, and inline they would cost every connection their size.
    claims: Option<Box<Claims>>,
    meeting: MeetingHandle,
    resume: Option<Resume>,
}

/// A refusal of `hello`: what to tell the client, and the close code.
struct Refusal {
    rejection: Rejection,
    close: u16,
}

impl Refusal {
    fn new(code: RejectionCode, message: impl Into<String>, close: u16) -> Self {
        Refusal { rejection: Rejection::new(code, message), close }
    }
}

/// Runs a connection from the upgrade to the close.
pub async fn serve<S>(ws: WebSocketStream<S>, app: Arc<App>, peer: SocketAddr)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = app.next_connection_id();
    let span =
        tracing::info_span!("ws", conn, %peer, meeting = tracing::field::Empty, participant = tracing::field::Empty);
    run(ws, app, conn).instrument(span).await
}

async fn run<S>(ws: WebSocketStream<S>, app: Arc<App>, conn: u64)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = ws.split();
    // Listen before checking standing, so that a revocation in between is not missed.
    let revocations = app.revocations.subscribe();
    let session = match tokio::time::timeout(HELLO_TIMEOUT, stream.next()).await {
        Err(_) => {
            Err(Refusal::new(RejectionCode::NotAuthenticated, "No hello within 10 seconds.", close::PROTOCOL_ERROR))
        }
        Ok(None) | Ok(Some(Err(_))) => return,
        // Boxed here and below: the task keeps room for its largest state for as long as the
        // connection lives, so the rare, large steps (hello, standing checks, commands) live on
        // the heap only while they run. It halves what an idle screen costs.
        Ok(Some(Ok(message))) => Box::pin(hello(&app, message)).await,
    };
    let session = match session {
        Ok(session) => session,
        Err(refusal) => {
            tracing::info!(code = ?refusal.rejection.code, "hello refused");
            let text = frame(&ServerMessage::rejected(None, refusal.rejection.clone()));
            let _ = sink.send(Message::Text(text)).await;
            let _ = sink.send(close_message(refusal.close, &refusal.rejection.message)).await;
            return;
        }
    };
    let span = tracing::Span::current();
    span.record("meeting", tracing::field::display(&session.meeting.info.id));
    if let Some(p) = &session.participant {
        span.record("participant", tracing::field::display(&p.id));
    }

    let (outbox, queue) = mpsc::channel(OUTBOX);
    let (kick, kicked) = oneshot::channel();
    let subscriber = Subscriber { outbox: outbox.clone(), kick };
    let Some(catchup) = Box::pin(session.meeting.subscribe(conn, session.resume.clone(), subscriber)).await else {
        let _ = sink.send(close_message(close::GOING_AWAY, "meeting unavailable")).await;
        return;
    };
    tracing::info!(role = ?session.participant.as_ref().map(|p| p.role), seq = %catchup.seq, "connected");
    let welcome = frame(&ServerMessage::Welcome {
        protocol: PROTOCOL.into(),
        server_time: crate::clock::now(),
        meeting: session.meeting.info.id.clone(),
        epoch: session.meeting.epoch.to_string(),
        you: session.participant.clone(),
    });
    let writer =
        tokio::spawn(write_loop(sink, welcome, catchup, queue, kicked, app.shutdown.clone()).in_current_span());

    read_loop(&mut stream, &session, &outbox, &app, revocations).await;

    Box::pin(session.meeting.unsubscribe(conn)).await;
    drop(outbox);
    let _ = writer.await;
    tracing::info!("disconnected");
}

/// Checks the first message: protocol, meeting, token, and whether the person may attend.
async fn hello(app: &App, message: Message) -> Result<Session, Refusal> {
    let not_hello =
        || Refusal::new(RejectionCode::NotAuthenticated, "The first message must be a hello.", close::PROTOCOL_ERROR);
    let Message::Text(text) = message else { return Err(not_hello()) };
    let parsed: ClientMessage = serde_json::from_str(&text).map_err(|e| {
        Refusal::new(RejectionCode::BadMessage, format!("Not a Rostrum message: {e}."), close::PROTOCOL_ERROR)
    })?;
    let ClientMessage::Hello { protocol, token, meeting, resume } = parsed else { return Err(not_hello()) };
    if protocol != PROTOCOL {
        return Err(Refusal::new(
            RejectionCode::UnsupportedProtocol,
            format!("This server speaks {PROTOCOL}, not {protocol:?}."),
            close::PROTOCOL_ERROR,
        ));
    }
    let handle = app.registry.get(&meeting).ok_or_else(|| {
        Refusal::new(RejectionCode::UnknownMeeting, format!("There is no meeting {meeting}."), close::UNKNOWN_MEETING)
    })?;
    let (participant, claims) = match token {
        None if handle.info.access == shared::Access::Open => (None, None),
        None => {
            return Err(Refusal::new(
                RejectionCode::BadToken,
                "A closed meeting needs an access token.",
                close::UNAUTHORIZED,
            ))
        }
        Some(token) => {
            let now = crate::clock::now();
            let claims = app
                .keys
                .verify(&token, now)
                .map_err(|e| Refusal::new(RejectionCode::BadToken, capitalise(&e.to_string()), close::UNAUTHORIZED))?;
            if !claims.opens(&handle.info) {
                return Err(Refusal::new(
                    RejectionCode::Forbidden,
                    "Your access link is for another meeting or process.",
                    close::FORBIDDEN,
                ));
            }
            let participant = claims
                .participant()
                .map_err(|e| Refusal::new(RejectionCode::BadToken, e.to_string(), close::UNAUTHORIZED))?;
            app.standing(&claims).await.map_err(|rejection| {
                let close = if rejection.code == RejectionCode::Revoked { close::REVOKED } else { close::GOING_AWAY };
                Refusal { rejection, close }
            })?;
            (Some(participant), Some(Box::new(claims)))
        }
    };
    if let Some(p) = &participant {
        let probe = shared::Meeting::new((*handle.info).clone());
        probe.admits(p).map_err(|rejection| Refusal { rejection, close: close::FORBIDDEN })?;
    }
    Ok(Session { participant, claims, meeting: handle, resume })
}

async fn read_loop<S>(
    stream: &mut futures_util::stream::SplitStream<WebSocketStream<S>>,
    session: &Session,
    outbox: &mpsc::Sender<Outbound>,
    app: &App,
    mut revocations: broadcast::Receiver<Arc<Revocation>>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut shutdown = app.shutdown.clone();
    let mut bucket = TokenBucket::new();
    let mut strikes = 0;
    loop {
        let next = tokio::select! {
            next = tokio::time::timeout(IDLE_TIMEOUT, stream.next()) => next,
            _ = shutdown.changed() => return,
            revocation = revocations.recv() => {
                let reason = match (&revocation, &session.participant) {
                    (Ok(revocation), Some(p)) if revocation.people.contains(&p.id) => Some(revocation.reason),
                    // Missed some: ask the store whether this person still stands.
                    (Err(broadcast::error::RecvError::Lagged(_)), Some(_)) => match &session.claims {
                        Some(claims) => match Box::pin(app.standing(claims)).await {
                            Err(r) if r.code == RejectionCode::Revoked => Some("access revoked"),
                            _ => None,
                        },
                        None => None,
                    },
                    _ => None,
                };
                if let Some(reason) = reason {
                    tracing::info!(reason, "access revoked; closing");
                    let _ = outbox.try_send(Outbound::Close(close::REVOKED, reason));
                    return;
                }
                continue;
            }
        };
        let message = match next {
            Err(_) => {
                tracing::info!("no traffic within the idle timeout; dropping the connection");
                let _ = outbox.try_send(Outbound::Close(close::GOING_AWAY, "idle timeout"));
                return;
            }
            Ok(None) => return,
            Ok(Some(Err(WsError::Capacity(error)))) => {
                tracing::info!(%error, "oversized message");
                let _ = outbox.try_send(Outbound::Close(close::TOO_BIG, "message too big"));
                return;
            }
            Ok(Some(Err(error))) => {
                tracing::debug!(%error, "connection error");
                return;
            }
            Ok(Some(Ok(message))) => message,
        };
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => return,
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            Message::Binary(_) => {
                reject(
                    outbox,
                    None,
                    RejectionCode::BadMessage,
                    "Rostrum speaks JSON in text frames, not binary frames.",
                );
                continue;
            }
        };
        if !bucket.take() {
            strikes += 1;
            if strikes >= FLOOD_STRIKES {
                tracing::warn!("message flood; closing");
                let _ = outbox.try_send(Outbound::Close(close::RATE_LIMITED, "too many messages"));
                return;
            }
            reject(outbox, None, RejectionCode::RateLimited, "Too many messages; slow down.");
            continue;
        }
        strikes = 0;
        match serde_json::from_str::<ClientMessage>(&text) {
            Err(error) => reject(outbox, None, RejectionCode::BadMessage, &format!("Not a Rostrum message: {error}.")),
            Ok(ClientMessage::Hello { .. }) => {
                reject(outbox, None, RejectionCode::BadMessage, "This connection already said hello.")
            }
            Ok(ClientMessage::Command { id, command }) => match &session.participant {
                None => {
                    reject(outbox, Some(id), RejectionCode::NotAllowed, "Observers without a token can only watch.")
                }
                Some(participant) => {
                    let reply = Reply::Outbox(outbox.clone());
                    let sent = session.meeting.command(participant.clone(), Some(id.clone()), command, reply);
                    if !Box::pin(sent).await {
                        reject(outbox, Some(id), RejectionCode::Unavailable, "The meeting is not available right now.");
                    }
                }
            },
        }
    }
}

fn reject(outbox: &mpsc::Sender<Outbound>, id: Option<shared::CommandId>, code: RejectionCode, message: &str) {
    let text = frame(&ServerMessage::rejected(id, Rejection::new(code, message)));
    let _ = outbox.try_send(Outbound::Text(text));
}

/// Sends what the connection must see first, then drains the queue: every frame waiting is written
/// before one flush, so a burst costs one syscall, not one per frame.
async fn write_loop<S>(
    mut sink: futures_util::stream::SplitSink<WebSocketStream<S>, Message>,
    welcome: Utf8Bytes,
    catchup: Catchup,
    mut queue: mpsc::Receiver<Outbound>,
    mut kicked: oneshot::Receiver<u16>,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    for text in std::iter::once(welcome).chain(catchup.frames) {
        if feed_text(&mut sink, text).await.is_err() {
            return;
        }
    }
    if sink.flush().await.is_err() {
        return;
    }
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + PING_EVERY, PING_EVERY);
    // False once the actor has let go of the kick without using it (the connection unsubscribed):
    // a dropped oneshot stays ready forever, so polling it again would spin.
    let mut kick_armed = true;
    loop {
        let outbound = tokio::select! {
            biased;
            code = &mut kicked, if kick_armed => match code {
                Ok(code) => Outbound::Close(code, "too slow: reconnect and resume"),
                Err(_) => {
                    kick_armed = false;
                    continue;
                }
            },
            _ = shutdown.changed() => Outbound::Close(close::GOING_AWAY, "server shutting down"),
            outbound = queue.recv() => match outbound {
                Some(outbound) => outbound,
                None => break,
            },
            _ = ping.tick() => {
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    return;
                }
                continue;
            }
        };
        let mut next = Some(outbound);
        while let Some(outbound) = next.take() {
            match outbound {
                Outbound::Text(text) => {
                    if feed_text(&mut sink, text).await.is_err() {
                        return;
                    }
                }
                Outbound::Close(code, reason) => {
                    let _ = sink.send(close_message(code, reason)).await;
                    return;
                }
            }
            next = queue.try_recv().ok();
        }
        if sink.flush().await.is_err() {
            return;
        }
    }
    let _ = sink.close().await;
}

/// Queues a text message in the sink. A larger one than [`FRAGMENT`] goes out in fragments, each
/// written at once so that the write buffer never has to grow past one fragment.
async fn feed_text<S>(
    sink: &mut futures_util::stream::SplitSink<WebSocketStream<S>, Message>,
    text: Utf8Bytes,
) -> Result<(), WsError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    if text.len() <= FRAGMENT {
        return sink.feed(Message::Text(text)).await;
    }
    sink.flush().await?;
    let bytes = bytes::Bytes::from(text);
    let mut start = 0;
    while start < bytes.len() {
        let end = (start + FRAGMENT).min(bytes.len());
        let opcode = if start == 0 { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
        sink.send(Message::Frame(Frame::message(bytes.slice(start..end), opcode, end == bytes.len()))).await?;
        start = end;
    }
    Ok(())
}

fn close_message(code: u16, reason: &str) -> Message {
    let reason: String = reason.chars().take(100).collect();
    Message::Close(Some(CloseFrame { code: CloseCode::from(code), reason: reason.into() }))
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}

/// A token bucket: `RATE_PER_SEC` sustained, `RATE_BURST` at once.
struct TokenBucket {
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    fn new() -> Self {
        TokenBucket { tokens: RATE_BURST, last: Instant::now() }
    }

    fn take(&mut self) -> bool {
        let now = Instant::now();
        self.tokens = (self.tokens + now.duration_since(self.last).as_secs_f64() * RATE_PER_SEC).min(RATE_BURST);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}
