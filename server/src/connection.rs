//! One WebSocket connection: a reader task that decodes and forwards, and a writer task that drains
//! the connection's bounded queue and flushes once per burst. No queue rules live here, and the
//! connection's own rules (hello timeout, rate, keepalive, the ways a session ends) live in
//! [`rules`], decided without I/O; the reader feeds them events and carries out what they decide.

mod rules;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{FutureExt, SinkExt, StreamExt};
use shared::policy::{self, Action};
use shared::protocol::{close, ClientMessage, Resume, ServerMessage, PROTOCOL};
use shared::{Error, ErrorCode, Participant, Principal, RejectionCode, Standing};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{broadcast, mpsc, oneshot, watch};
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error as WsError, Message, Utf8Bytes};
use tokio_tungstenite::WebSocketStream;
use tracing::Instrument;

use crate::auth::Deadline;
use crate::fingerprint::Fingerprint;
use crate::limits::{AddressSlot, PersonSlot, Route};
use crate::meeting::{frame, Catchup, MeetingHandle, Outbound, Reply, Subscriber, Tag};
use crate::metrics::{metrics, Via};
use crate::presence::Sight;
use crate::{App, Revocation};
use rules::{Config, Input, Output, Rules, TokenDeadline};

/// How long a write may wait for a socket that takes nothing before the peer counts as dead.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the close frame may wait for room in the socket.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);
/// How long a closed connection's incoming frames are still read and dropped.
const LINGER: Duration = Duration::from_secs(1);
/// Frames queued for one connection before it counts as too slow.
pub const OUTBOX: usize = 512;
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
    /// The token's holder, for the policy's every decision and to check the person's standing
    /// again when revocations were missed. Boxed: inline it would cost every connection its size.
    principal: Option<Box<Principal>>,
    /// The principal's standing at `hello`. A revocation closes the connection, so it holds for
    /// the connection's life; commands are decided with it rather than a store read each.
    standing: Standing,
    meeting: MeetingHandle,
    resume: Option<Resume>,
    /// Whose live presence the screen is sent, when its `hello` asked for it.
    sight: Option<Sight>,
}

impl Session {
    /// Whether the policy lets this session run `command` in its meeting.
    fn may(&self, command: &shared::Command) -> Result<(), shared::Rejection> {
        let asker = self.principal.as_deref().map(|p| (p, self.standing));
        policy::decide(asker, Action::Command(&self.meeting.info, command)).map(|_| ())
    }
}

/// A refusal of `hello`: what to tell the client, and the close code.
struct Refusal {
    rejection: Error,
    close: u16,
}

impl Refusal {
    fn new(code: ErrorCode, message: impl Into<String>, close: u16) -> Self {
        Refusal { rejection: Error::new(code, message), close }
    }
}

/// Runs a connection from the upgrade to the close.
///
/// The stream comes boxed: a future keeps its arguments for as long as it lives, so a stream
/// passed by value would stay in the connection's task, unused after the split, at every level of
/// calls that passed it on (about 300 bytes each for every connection).
pub async fn serve<S>(ws: Box<WebSocketStream<S>>, app: Arc<App>, peer: SocketAddr, address: AddressSlot)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = app.next_connection_id();
    let span =
        tracing::info_span!("ws", conn, %peer, meeting = tracing::field::Empty, participant = tracing::field::Empty);
    run(ws, app, conn, address).instrument(span).await
}

async fn run<S>(ws: Box<WebSocketStream<S>>, app: Arc<App>, conn: u64, address: AddressSlot)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let _open = app.socket_opened();
    let (mut sink, mut stream) = (*ws).split();
    // Listen before checking standing, so that a revocation in between is not missed.
    let revocations = app.revocations.subscribe();
    let mut rules = Rules::new(now(), Config::new(app.gate.limits()));
    let first = loop {
        tokio::select! {
            first = stream.next() => break Ok(first),
            _ = sleep_until(rules.poll_timeout()) => {
                if let Some(Output::Close { code, reason }) = rules.handle_timeout(now()) {
                    break Err(Refusal::new(ErrorCode::NotAuthenticated, reason, code));
                }
            }
        }
    };
    let session = match first {
        Err(refusal) => Err(refusal),
        Ok(Some(Err(WsError::Capacity(error)))) => {
            tracing::info!(%error, "first message too big");
            let _ = sink.send(close_message(close::TOO_BIG, "message too big")).await;
            linger(&mut stream).await;
            return;
        }
        Ok(None) | Ok(Some(Err(_))) => return,
        // Boxed here and below: the task keeps room for its largest state for as long as the
        // connection lives, so the rare, large steps (hello, standing checks, commands) live on
        // the heap only while they run. It halves what an idle screen costs.
        Ok(Some(Ok(message))) => Box::pin(hello(&app, message, address.ip())).await,
    };
    let session = match session {
        Ok(session) => session,
        Err(refusal) => {
            tracing::info!(code = ?refusal.rejection.code, "hello refused");
            metrics().rejected(refusal.rejection.code, Via::WebSocket);
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
    // Counted for the person from here on; a newer connection over the cap closes this one.
    let (_person, evicted) = match &session.participant {
        Some(p) => {
            let (slot, evicted) = app.gate.admit_person(&p.id, conn);
            (Some(slot), Some(evicted))
        }
        None => (None::<PersonSlot>, None),
    };

    let (outbox, queue) = mpsc::channel(OUTBOX);
    let (kick, kicked) = oneshot::channel();
    let person = session.participant.as_ref().map(|p| p.id.clone());
    let subscriber = Subscriber { outbox: outbox.clone(), kick, person, sight: session.sight };
    let Some(catchup) = Box::pin(session.meeting.subscribe(conn, session.resume.clone(), subscriber)).await else {
        let _ = sink.send(close_message(close::GOING_AWAY, "meeting unavailable")).await;
        return;
    };
    tracing::info!(role = ?session.participant.as_ref().map(|p| p.role), seq = %catchup.seq, "connected");
    let _counted = metrics().connected(session.participant.as_ref().map(|p| p.role));
    let welcome = frame(&ServerMessage::Welcome {
        protocol: PROTOCOL.into(),
        server_time: crate::clock::now(),
        meeting: session.meeting.info.id.clone(),
        epoch: session.meeting.epoch.to_string(),
        you: session.participant.clone(),
        standing: session.standing,
    });
    let sending = Writer { sink, kicked, kick_armed: true, span: tracing::Span::current() };
    let mut writer = tokio::spawn(write_loop(sending, welcome, catchup, queue, app.shutdown.clone()));

    let limits = Limits { address: &address, evicted };
    // The writer stops by itself when the connection is kicked as too slow or its peer is dead:
    // then there is nothing left to read for.
    let writer_done = tokio::select! {
        _ = read_loop(&mut stream, &session, &outbox, &app, revocations, limits, &mut rules) => false,
        _ = &mut writer => true,
    };

    Box::pin(session.meeting.unsubscribe(conn)).await;
    drop(outbox);
    if !writer_done {
        let _ = writer.await;
    }
    linger(&mut stream).await;
    tracing::info!("disconnected");
}

/// Reads what the client still sends (a flooder, say) for a moment before the socket goes:
/// closing a socket with unread data makes the kernel answer with a reset, and the client would
/// lose the close frame that says why.
async fn linger<S: futures_util::Stream<Item = Result<Message, WsError>> + Unpin>(stream: &mut S) {
    let _ = Box::pin(tokio::time::timeout(LINGER, async { while let Some(Ok(_)) = stream.next().await {} })).await;
}

/// Checks the first message: protocol, meeting, token, and whether the person may attend.
async fn hello(app: &App, message: Message, ip: std::net::IpAddr) -> Result<Session, Refusal> {
    let not_hello =
        || Refusal::new(ErrorCode::NotAuthenticated, "The first message must be a hello.", close::PROTOCOL_ERROR);
    let Message::Text(text) = message else { return Err(not_hello()) };
    let parsed: ClientMessage = serde_json::from_str(&text).map_err(|e| {
        Refusal::new(ErrorCode::BadMessage, format!("Not a Rostrum message: {e}."), close::PROTOCOL_ERROR)
    })?;
    let ClientMessage::Hello { protocol, token, meeting, resume, presence } = parsed else { return Err(not_hello()) };
    if protocol != PROTOCOL {
        return Err(Refusal::new(
            ErrorCode::UnsupportedProtocol,
            format!("This server speaks {PROTOCOL}, not {protocol:?}."),
            close::PROTOCOL_ERROR,
        ));
    }
    let handle = app.registry.get(&meeting).ok_or_else(|| {
        Refusal::new(ErrorCode::UnknownMeeting, format!("There is no meeting {meeting}."), close::UNKNOWN_MEETING)
    })?;
    let principal = match token {
        // An anonymous observer costs a snapshot and holds no budget of its own: its address's
        // `snapshot` budget bounds how often one address may have one.
        None => match app.gate.rates.check_address(Route::Snapshot, ip) {
            Ok(()) => None,
            Err(slow) => {
                return Err(Refusal::new(
                    ErrorCode::RateLimited,
                    format!(
                        "Too many observers from this address opened the meeting; try again in {} s.",
                        slow.retry_after_secs()
                    ),
                    close::RATE_LIMITED,
                ))
            }
        },
        Some(token) => {
            let now = crate::clock::now();
            let claims = app
                .keys
                .verify(&token, now)
                .map_err(|e| Refusal::new(ErrorCode::BadToken, capitalise(&e.to_string()), close::UNAUTHORIZED))?;
            let principal = app
                .principal(&claims)
                .map_err(|e| Refusal::new(ErrorCode::BadToken, capitalise(&e.to_string()), close::UNAUTHORIZED))?;
            Some(Box::new(principal))
        }
    };
    let standing = match &principal {
        Some(principal) => {
            app.standing(principal).await.map_err(|rejection| Refusal { rejection, close: close::GOING_AWAY })?
        }
        None => Standing::Good,
    };
    let asker = principal.as_deref().map(|p| (p, standing));
    policy::decide(asker, Action::Attend(&handle.info)).map_err(|rejection| {
        let close = match rejection.code {
            RejectionCode::Revoked => close::REVOKED,
            RejectionCode::Unauthorized => close::UNAUTHORIZED,
            _ => close::FORBIDDEN,
        };
        Refusal { rejection: rejection.into(), close }
    })?;
    let participant = match &principal {
        Some(principal) => {
            let mut person = principal.person.clone();
            person.profile = app.profile(principal).await;
            Some(person)
        }
        None => None,
    };
    // Live presence goes to those with a token who ask: everyone's where the policy allows it,
    // one's own otherwise.
    let sight = match (&principal, presence) {
        (Some(principal), true) => match policy::decide(Some((principal, standing)), Action::SeePresence(&handle.info))
        {
            Ok(_) => Some(Sight::Everyone),
            Err(_) => Some(Sight::Own),
        },
        _ => None,
    };
    Ok(Session { participant, principal, standing, meeting: handle, resume, sight })
}

/// What the read loop checks beside the connection's own rate.
struct Limits<'a> {
    /// The address's count and its shared message bucket.
    address: &'a AddressSlot,
    /// Fires when the person opened one connection too many and this one is the oldest.
    evicted: Option<oneshot::Receiver<()>>,
}

async fn read_loop<S>(
    stream: &mut futures_util::stream::SplitStream<WebSocketStream<S>>,
    session: &Session,
    outbox: &mpsc::Sender<Outbound>,
    app: &App,
    mut revocations: broadcast::Receiver<Arc<Revocation>>,
    limits: Limits<'_>,
    rules: &mut Rules,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut shutdown = app.shutdown.clone();
    let (mut evicted, mut eviction_armed) = match limits.evicted {
        Some(evicted) => (evicted, true),
        None => (oneshot::channel().1, false),
    };
    // A session opened with a token ends when the token would no longer open one. Listen for key
    // rotations before reading the ring, so that none falls in between.
    let (mut key_changes, mut keys_armed) = match &session.principal {
        Some(_) => (app.keys.changes(), true),
        None => (watch::channel(0).1, false),
    };
    let deadline = |now| session.principal.as_deref().map(|principal| instant_of(app.keys.deadline_of(principal), now));
    let opened = now();
    if let Some(Output::Close { code, reason }) =
        rules.handle_input(opened, Input::Hello { deadline: deadline(opened) })
    {
        let _ = outbox.try_send(Outbound::close(code, reason));
        return;
    }
    loop {
        // What the rules decided, and the text message it concerns if any.
        let (decided, text) = tokio::select! {
            // What ends or changes the session before the next frame: once any task has heard
            // of a rotation, a revocation or an eviction, no frame read after it may act.
            biased;
            _ = shutdown.changed() => return,
            changed = key_changes.changed(), if keys_armed => {
                keys_armed = changed.is_ok();
                let now = now();
                (rules.handle_input(now, Input::DeadlineMoved { deadline: deadline(now) }), None)
            }
            replaced = &mut evicted, if eviction_armed => {
                eviction_armed = false;
                if replaced.is_err() {
                    continue;
                }
                (rules.handle_input(now(), Input::Evicted), None)
            }
            revocation = revocations.recv() => {
                let reason = match (&revocation, &session.participant) {
                    (Ok(revocation), Some(_)) if session.principal.as_deref().is_some_and(|p| revocation.concerns(p)) => {
                        Some(revocation.reason)
                    }
                    // Missed some: ask the store whether this person still stands.
                    (Err(broadcast::error::RecvError::Lagged(_)), Some(_)) => match &session.principal {
                        Some(principal) => match Box::pin(app.standing(principal)).await {
                            Ok(Standing::Revoked) => Some("access revoked"),
                            _ => None,
                        },
                        None => None,
                    },
                    _ => None,
                };
                let Some(reason) = reason else { continue };
                (rules.handle_input(now(), Input::Revoked { reason }), None)
            }
            next = stream.next() => match next {
                None | Some(Ok(Message::Close(_))) => return,
                Some(Err(WsError::Capacity(error))) => {
                    tracing::info!(%error, "oversized message");
                    let _ = outbox.try_send(Outbound::close(close::TOO_BIG, "message too big"));
                    return;
                }
                Some(Err(error)) => {
                    tracing::debug!(%error, "connection error");
                    return;
                }
                Some(Ok(Message::Text(text))) => (rules.handle_text(now(), || limits.address.take()), Some(text)),
                Some(Ok(Message::Binary(_))) => (rules.handle_input(now(), Input::Binary), None),
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {
                    (rules.handle_input(now(), Input::Frame), None)
                }
            },
            // The reader pings rather than the writer, so the writer, woken for every event, has
            // no timer of its own to poll.
            _ = sleep_until(rules.poll_timeout()) => (rules.handle_timeout(now()), None),
        };
        let text = match (decided, text) {
            (Some(Output::Forward), Some(text)) => text,
            (Some(Output::Reject { code, message }), text) => {
                reject(outbox, text.as_deref().and_then(shared::protocol::command_id), code, message);
                continue;
            }
            (Some(Output::Ping), _) => {
                let _ = outbox.try_send(Outbound::Ping);
                continue;
            }
            (Some(Output::Close { code, reason }), _) => {
                let _ = outbox.try_send(Outbound::close(code, reason));
                return;
            }
            (None | Some(Output::Forward), _) => continue,
        };
        match ClientMessage::from_text(&text) {
            Err(unreadable) => reject(outbox, unreadable.id, unreadable.rejection.code, &unreadable.rejection.message),
            Ok(ClientMessage::Hello { .. }) => {
                reject(outbox, None, ErrorCode::BadMessage, "This connection already said hello.")
            }
            Ok(ClientMessage::Command { id, command }) => match (session.may(&command), &session.participant) {
                (Err(rejection), _) => reject(outbox, Some(id), rejection.code.into(), &rejection.message),
                (Ok(()), None) => {
                    reject(outbox, Some(id), ErrorCode::NotAllowed, "Observers without a token can only watch.")
                }
                (Ok(()), Some(participant)) => {
                    // Of the command as sent: completing it may differ between a command and its retry.
                    let tag = Tag { id: id.clone(), fingerprint: Fingerprint::of(&command) };
                    let command = match Box::pin(app.complete(&session.meeting.info.process, command)).await {
                        Ok(command) => command,
                        Err(error) => {
                            reject(outbox, Some(id), error.code, &error.message);
                            continue;
                        }
                    };
                    let reply = Reply::Outbox(outbox.clone());
                    let sent = session.meeting.command(participant.clone(), Some(tag), command, reply);
                    if !Box::pin(sent).await {
                        reject(outbox, Some(id), ErrorCode::Unavailable, "The meeting is not available right now.");
                    }
                }
            },
        }
    }
}

/// Now, by the clock the rules are given: tokio's, so that tests with paused time still hold.
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Sleeps until `at`, or for ever for `None`.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

/// A token's deadline (by the server's wall clock) on the monotonic clock the rules go by, read
/// at `now`.
fn instant_of(deadline: Deadline, now: Instant) -> TokenDeadline {
    let left = deadline.at.0.saturating_sub(crate::clock::now().0).max(0);
    TokenDeadline { at: now + Duration::from_millis(left as u64), cause: deadline.cause }
}

fn reject(outbox: &mpsc::Sender<Outbound>, id: Option<shared::CommandId>, code: ErrorCode, message: &str) {
    metrics().rejected(code, Via::WebSocket);
    let text = frame(&ServerMessage::rejected(id, Error::new(code, message)));
    let _ = outbox.try_send(Outbound::text(text));
}

/// Sends what the connection must see first, then drains the queue: every frame waiting is written
/// before one flush, so a burst costs one syscall, not one per frame.
async fn write_loop<S>(
    mut writer: Writer<S>,
    welcome: Utf8Bytes,
    catchup: Catchup,
    mut queue: mpsc::Receiver<Outbound>,
    mut shutdown: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    for text in std::iter::once(welcome).chain(catchup.frames) {
        if let Err(stop) = writer.put_text(text).await {
            return Box::pin(writer.stop(stop)).await;
        }
    }
    if let Err(stop) = writer.put(None).await {
        return Box::pin(writer.stop(stop)).await;
    }
    // One future for the whole loop: making a new one on every wake-up cost a lock on the shared
    // channel to register and another to deregister. It completes once; the loop then ends.
    let shutting_down = shutdown.changed();
    tokio::pin!(shutting_down);
    loop {
        let outbound = tokio::select! {
            biased;
            code = &mut writer.kicked, if writer.kick_armed => match code {
                Ok(code) => Outbound::close(code, "too slow: reconnect and resume"),
                Err(_) => {
                    writer.kick_armed = false;
                    continue;
                }
            },
            _ = &mut shutting_down => Outbound::close(close::RESTARTING, "server restarting: reconnect"),
            outbound = queue.recv() => match outbound {
                Some(outbound) => outbound,
                None => break,
            },
        };
        let mut next = Some(outbound);
        while let Some(outbound) = next.take() {
            match outbound {
                Outbound::Text(text) => {
                    if let Err(stop) = writer.put_text(Arc::unwrap_or_clone(text)).await {
                        return Box::pin(writer.stop(stop)).await;
                    }
                }
                Outbound::Ping => {
                    if let Err(stop) = writer.put(Some(Message::Ping(Default::default()))).await {
                        return Box::pin(writer.stop(stop)).await;
                    }
                }
                Outbound::Close(closing) => {
                    let (code, reason) = *closing;
                    return Box::pin(writer.stop(Stop::Close(code, reason))).await;
                }
            }
            next = queue.try_recv().ok();
        }
        if let Err(stop) = writer.put(None).await {
            return Box::pin(writer.stop(stop)).await;
        }
    }
    let _ = Box::pin(tokio::time::timeout(CLOSE_TIMEOUT, writer.sink.close())).await;
}

/// Queues `message`, or flushes for `None`.
async fn write<S>(
    sink: &mut futures_util::stream::SplitSink<WebSocketStream<S>, Message>,
    message: Option<Message>,
) -> Result<(), WsError>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    match message {
        Some(message) => sink.feed(message).await,
        None => sink.flush().await,
    }
}

fn written_or_stop(
    written: Result<Result<(), WsError>, tokio::time::error::Elapsed>,
    span: &tracing::Span,
) -> Result<(), Stop> {
    match written {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(Stop::Dead),
        Err(_) => {
            tracing::info!(parent: span, "the socket took nothing for {SEND_TIMEOUT:?}; dropping the connection");
            Err(Stop::Dead)
        }
    }
}

/// Why a writer stops.
enum Stop {
    /// Send this close frame (if the socket takes it), then stop.
    Close(u16, &'static str),
    /// The socket failed or stayed full too long: stop at once.
    Dead,
}

/// A connection's sending half, with the ways it can be told to stop while a write waits.
struct Writer<S> {
    sink: futures_util::stream::SplitSink<WebSocketStream<S>, Message>,
    kicked: oneshot::Receiver<u16>,
    /// False once the actor has let go of the kick without using it (the connection unsubscribed):
    /// a dropped oneshot stays ready forever, so polling it again would spin.
    kick_armed: bool,
    /// The connection's span, for the writer's rare log lines. The writer's task is not
    /// instrumented with it: entering a span on every poll cost a saturated broadcast about a
    /// tenth of its CPU.
    span: tracing::Span,
}

impl<S> Writer<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    /// Queues `message` (or flushes, for `None`). Most writes complete at once and cost no timer;
    /// one that must wait for the socket goes the slow way, [`Writer::wait_for_socket`].
    async fn put(&mut self, message: Option<Message>) -> Result<(), Stop> {
        // A pending `feed` has not taken its message yet (it hands it over in the same poll that
        // finds room), so dropping it here loses nothing: the slow way sends the original.
        if let Some(written) = write(&mut self.sink, message.clone()).now_or_never() {
            return written.map_err(|_| Stop::Dead);
        }
        // Boxed: rare, and it keeps every idle connection's task small.
        Box::pin(self.wait_for_socket(message)).await
    }

    /// A write that waits for the socket; it gives up when the meeting kicks the connection
    /// meanwhile (its queue overflowed: a peer that stopped reading is never waited for) or when
    /// the socket takes nothing for [`SEND_TIMEOUT`] (a dead peer whose window stays shut would
    /// otherwise hold the connection forever).
    async fn wait_for_socket(&mut self, message: Option<Message>) -> Result<(), Stop> {
        if self.kick_armed {
            // A text frame's clone shares its bytes. `feed` hands the message over in the same
            // poll that finds room, so when the kick wins nothing was half sent.
            let write = tokio::time::timeout(SEND_TIMEOUT, write(&mut self.sink, message.clone()));
            tokio::select! {
                biased;
                code = &mut self.kicked => match code {
                    Ok(code) => return Err(Stop::Close(code, "too slow: reconnect and resume")),
                    // The actor let go of the kick (the connection unsubscribed): write unraced.
                    Err(_) => self.kick_armed = false,
                },
                written = write => return written_or_stop(written, &self.span),
            }
        }
        written_or_stop(tokio::time::timeout(SEND_TIMEOUT, write(&mut self.sink, message)).await, &self.span)
    }

    /// Queues a text message. One larger than [`FRAGMENT`] goes out in fragments, each written at
    /// once, so that tungstenite's write buffer (which keeps its largest size for the life of the
    /// connection) never has to grow past one fragment. Each fragment races the kick and the send
    /// timeout like any write; a close frame may follow a half-sent message, as RFC 6455 allows.
    async fn put_text(&mut self, text: Utf8Bytes) -> Result<(), Stop> {
        if text.len() <= FRAGMENT {
            return self.put(Some(Message::Text(text))).await;
        }
        self.put(None).await?;
        let bytes = bytes::Bytes::from(text);
        let mut start = 0;
        while start < bytes.len() {
            let end = (start + FRAGMENT).min(bytes.len());
            let opcode = if start == 0 { OpCode::Data(Data::Text) } else { OpCode::Data(Data::Continue) };
            self.put(Some(Message::Frame(Frame::message(bytes.slice(start..end), opcode, end == bytes.len())))).await?;
            self.put(None).await?;
            start = end;
        }
        Ok(())
    }

    /// Sends the close frame if the socket takes it soon; the connection ends either way.
    async fn stop(mut self, stop: Stop) {
        if let Stop::Close(code, reason) = stop {
            let _ = tokio::time::timeout(CLOSE_TIMEOUT, self.sink.send(close_message(code, reason))).await;
        }
    }
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
