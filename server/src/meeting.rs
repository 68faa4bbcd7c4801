//! One actor (a tokio task) per meeting: it owns the meeting's state, so the queue's rules run with
//! no locks and every meeting has one total order of events.
//!
//! The actor takes commands in batches: it decides and applies each with `shared`, appends the
//! batch's events to the store in one step, and only once they are durable broadcasts them and
//! answers the senders. While a batch commits, new commands wait in the inbox and form the next
//! batch, so a busy meeting pays one fsync per batch, not per command. There is at most one append
//! in flight per meeting, so a failed append can never leave a gap behind a later one.
//!
//! Connections joining and leaving, and reads of the state, come on a second channel that the
//! actor empties before each batch: under a flood of commands a reconnecting screen gets its
//! catch-up after at most the batch in flight, not after the whole inbox.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::value::RawValue;
use shared::live::PresenceMark;
use shared::protocol::{close, Preserialized, Resume, ServerMessage, SnapshotReason};
use shared::{
    Command, CommandId, Error, ErrorCode, Event, EventRecord, Meeting, MeetingInfo, Millis, Participant, ParticipantId,
    Seq,
};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::clock;
use crate::fingerprint::{same_command, Fingerprint};
use crate::metrics::{metrics, Via};
use crate::presence::{Roster, Sight, COALESCE};
use crate::store::{Append, Recovery, Store, StoreError, StoredEvent, StoredMeeting, StoredSnapshot};

/// Events kept in memory for replay to reconnecting clients; older gaps get a snapshot.
const REPLAY_WINDOW: usize = 4096;
/// Events a rebuilt meeting keeps for replay, from before the restart: enough for the screens that
/// were live when the server stopped, whose gap is a few events; the window grows back to
/// [`REPLAY_WINDOW`] as the meeting goes on.
const REPLAY_AFTER_RESTART: usize = 256;
/// How long a command id is remembered for a retry, counted in events of its meeting since its
/// own: a retry after that many is decided as a new command (docs/protocol.md, "command").
pub const COMMAND_IDS_KEPT_EVENTS: u64 = 1_000;
/// How long a command id is remembered for a retry, in time: an hour.
pub const COMMAND_IDS_KEPT_FOR: Millis = Millis(60 * 60 * 1000);
/// Fewest events between two snapshots of a meeting's state. A snapshot is also never written
/// before the events since the last one hold as many bytes as it: a restart then reads at most
/// about twice the state's size, and the snapshots cost the disk no more than the log does.
const SNAPSHOT_EVERY: u64 = 1_000;
/// The shape of a meeting's state in this build: a stored snapshot is read only by builds of
/// the same shape (see `server/build.rs`).
pub const STATE_SHAPE: &str = env!("ROSTRUM_STATE_SHAPE");
/// Commands folded into one batch at most.
const MAX_BATCH: usize = 256;
/// Events read from the log per query when catching up with what other nodes appended.
const CATCH_UP_PAGE: u32 = 1_000;
/// How many times a batch is decided again after other nodes took its sequence numbers, before
/// its commands are refused as not saved.
const DECIDE_AGAIN: usize = 16;
/// Commands waiting for a meeting's actor before senders are made to wait.
const INBOX: usize = 1024;
/// Connections joining or leaving, and state reads, waiting for the actor. They go ahead of
/// commands: a screen that reconnects while the meeting is flooded with commands must not wait
/// behind a full inbox of them (and behind every sender already blocked on it) to get its catch-up.
const CONTROL: usize = 1024;

/// What a connection's writer sends: a text frame, a ping or a close.
///
/// No variant holds more than one pointer, so the enum takes 16 bytes: every connection's queue
/// allocates its first block of 32 slots when it is created, and with the frame's bytes inline
/// (32 bytes) an idle screen would pay 1 KiB for it instead of 512 bytes.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// The frame's bytes; an event's are shared by every subscriber.
    Text(Arc<Utf8Bytes>),
    /// A keepalive ping, when the peer has been silent for a while.
    Ping,
    /// Rare: boxed so it costs the queue no room.
    Close(Box<(u16, &'static str)>),
}

impl Outbound {
    pub fn text(text: Utf8Bytes) -> Self {
        Outbound::Text(Arc::new(text))
    }

    pub fn close(code: u16, reason: &'static str) -> Self {
        Outbound::Close(Box::new((code, reason)))
    }
}

/// A connection's bounded outbound queue, and the way to close it when it falls behind.
#[derive(Debug)]
pub struct Subscriber {
    pub outbox: mpsc::Sender<Outbound>,
    pub kick: oneshot::Sender<u16>,
    /// The person whose screen it is, counted in the meeting's live presence; `None` for an
    /// anonymous observer.
    pub person: Option<ParticipantId>,
    /// Whose live presence it is sent, when its `hello` asked for it.
    pub sight: Option<Sight>,
}

/// Where the answer to a command goes.
#[derive(Debug)]
pub enum Reply {
    /// Into a connection's outbound queue, after the command's events.
    Outbox(mpsc::Sender<Outbound>),
    /// To an in-process caller (the HTTP API), with the events the command committed.
    Direct(oneshot::Sender<Result<Vec<EventRecord>, Error>>),
}

/// The frames a newly subscribed connection must send before any live event.
#[derive(Debug)]
pub struct Catchup {
    pub frames: Vec<Utf8Bytes>,
    pub seq: Seq,
}

/// A command's client-chosen id, and the fingerprint of the command as the client sent it: a
/// retry under the id must carry the same command.
#[derive(Debug, Clone)]
pub struct Tag {
    pub id: CommandId,
    pub fingerprint: Fingerprint,
}

/// A command for the meeting's actor, and where its answer goes.
struct Order {
    actor: Participant,
    tag: Option<Tag>,
    command: Command,
    reply: Reply,
}

/// Everything else the actor does; it takes these before any waiting command.
enum Control {
    Subscribe {
        conn: u64,
        resume: Option<Resume>,
        subscriber: Subscriber,
        done: oneshot::Sender<Catchup>,
    },
    Unsubscribe {
        conn: u64,
    },
    Snapshot {
        done: oneshot::Sender<Meeting>,
    },
    /// Another node appended to the meeting's log, up to `seq`: read it and fan it out.
    CatchUp {
        seq: Seq,
    },
}

/// A cheap, clonable way to reach a meeting's actor.
#[derive(Debug, Clone)]
pub struct MeetingHandle {
    inbox: mpsc::Sender<Order>,
    control: mpsc::Sender<Control>,
    pub info: Arc<MeetingInfo>,
    pub epoch: Arc<str>,
    /// The sequence number of the last event made durable: what a copy of the state built from
    /// the log is as fresh as (the report's cache reads it without asking the actor).
    head: Arc<AtomicU64>,
    /// When the meeting's first and latest durable events happened, for the meeting chooser's dates
    /// and its "live now", read without asking the actor.
    activity: Arc<Activity>,
}

/// The times of a meeting's first and latest events; 0 while it has none.
#[derive(Debug, Default)]
struct Activity {
    first_at: AtomicI64,
    last_at: AtomicI64,
}

impl Activity {
    fn record(&self, at: Millis) {
        let _ = self.first_at.compare_exchange(0, at.0, Ordering::AcqRel, Ordering::Acquire);
        self.last_at.fetch_max(at.0, Ordering::AcqRel);
    }

    fn read(&self) -> (Option<Millis>, Option<Millis>) {
        let at = |time: &AtomicI64| Some(Millis(time.load(Ordering::Acquire))).filter(|t| t.0 > 0);
        (at(&self.first_at), at(&self.last_at))
    }
}

impl MeetingHandle {
    /// Sends a command; the answer goes to `reply`. Fails only when the actor has stopped.
    pub async fn command(&self, actor: Participant, tag: Option<Tag>, command: Command, reply: Reply) -> bool {
        self.inbox.send(Order { actor, tag, command, reply }).await.is_ok()
    }

    /// Runs a command and waits for the events it committed (for the HTTP API).
    pub async fn run(&self, actor: Participant, command: Command) -> Result<Vec<EventRecord>, Error> {
        let (done, outcome) = oneshot::channel();
        if !self.command(actor, None, command, Reply::Direct(done)).await {
            return Err(unavailable());
        }
        outcome.await.unwrap_or_else(|_| Err(unavailable()))
    }

    /// Registers a connection for live events; returns what it must send first.
    pub async fn subscribe(&self, conn: u64, resume: Option<Resume>, subscriber: Subscriber) -> Option<Catchup> {
        let (done, catchup) = oneshot::channel();
        self.control.send(Control::Subscribe { conn, resume, subscriber, done }).await.ok()?;
        catchup.await.ok()
    }

    /// Forgets a connection.
    pub async fn unsubscribe(&self, conn: u64) {
        let _ = self.control.send(Control::Unsubscribe { conn }).await;
    }

    /// The sequence number of the meeting's last durable event.
    pub fn head(&self) -> Seq {
        Seq(self.head.load(Ordering::Acquire))
    }

    /// When the meeting's first and latest durable events happened, if it has any.
    pub fn activity(&self) -> (Option<Millis>, Option<Millis>) {
        self.activity.read()
    }

    /// Tells the actor that another node appended events up to `seq` (several nodes on one
    /// database): it reads them from the log, unless it has them already. Never waits: a full
    /// control queue means the actor has a catch-up coming anyway, or will read on its next append.
    pub fn wake(&self, seq: Seq) {
        if seq > self.head() {
            let _ = self.control.try_send(Control::CatchUp { seq });
        }
    }

    /// The meeting's committed state.
    pub async fn snapshot(&self) -> Option<Meeting> {
        let (done, state) = oneshot::channel();
        self.control.send(Control::Snapshot { done }).await.ok()?;
        state.await.ok()
    }
}

fn id_reused() -> Error {
    Error::new(
        ErrorCode::IdReused,
        "You already used this command id for another command; that one stands and this one changed nothing.",
    )
}

fn unavailable() -> Error {
    Error::new(ErrorCode::Unavailable, "The meeting is not available right now; try again in a moment.")
}

/// Rebuilds a meeting from its log.
pub fn replay(stored: &StoredMeeting, events: &[StoredEvent]) -> Result<Meeting, StoreError> {
    replay_onto(Meeting::new(stored.info.clone()), events)
}

/// Applies the events after `meeting`'s sequence number; `events` may begin before it.
fn replay_onto(mut meeting: Meeting, events: &[StoredEvent]) -> Result<Meeting, StoreError> {
    let from = meeting.seq;
    for row in events.iter().skip_while(|row| row.seq <= from) {
        apply_row(&mut meeting, row)?;
    }
    Ok(meeting)
}

/// Applies the event of the log that comes next; refuses one that does not (left unchanged).
fn apply_row(meeting: &mut Meeting, row: &StoredEvent) -> Result<(), StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { meeting: meeting.info.id.to_string(), seq: row.seq.0, reason };
    if row.seq != meeting.seq.next() {
        return Err(corrupt(format!("expected sequence {}", meeting.seq.next())));
    }
    let event: Event = serde_json::from_str(&row.body).map_err(|e| corrupt(e.to_string()))?;
    meeting.apply(&EventRecord { seq: row.seq, at: row.at, event });
    Ok(())
}

/// A meeting rebuilt from the store, and the events read to rebuild it.
pub struct Rebuilt {
    pub state: Meeting,
    pub recovery: Recovery,
}

/// Rebuilds a meeting from its newest snapshot and the events after it (blocking). A snapshot
/// that does not read as this meeting's state is set aside with a warning, and the whole log
/// replayed: the log is the truth, a snapshot only saves time.
pub fn rebuild(stored: &StoredMeeting, store: &dyn Store) -> Result<Rebuilt, StoreError> {
    // The record names the same few people thousands of times: read in one `sharing` scope, they
    // are held once (docs/operations.md, "What a start reads").
    let mut rebuilt = shared::interning::sharing(|| read(stored, store))?;
    rebuilt.state.shrink_to_fit();
    Ok(rebuilt)
}

/// [`rebuild`]'s reading: the newest snapshot and the events after it, or the whole log.
fn read(stored: &StoredMeeting, store: &dyn Store) -> Result<Rebuilt, StoreError> {
    let id = &stored.info.id;
    let tail = COMMAND_IDS_KEPT_EVENTS.max(REPLAY_AFTER_RESTART as u64);
    let mut recovery = store.recover(id, STATE_SHAPE, tail)?;
    if let Some(snapshot) = &recovery.snapshot {
        match serde_json::from_str::<Meeting>(&snapshot.state) {
            Ok(mut state) if state.seq == snapshot.seq && state.info.id == *id => {
                state.info = stored.info.clone();
                return Ok(Rebuilt { state: replay_onto(state, &recovery.events)?, recovery });
            }
            Ok(_) => {
                tracing::warn!(meeting = %id, seq = %snapshot.seq, "a snapshot names another meeting or sequence number; replaying the whole log")
            }
            Err(error) => {
                tracing::warn!(meeting = %id, seq = %snapshot.seq, %error, "a snapshot does not read; replaying the whole log")
            }
        }
        recovery.snapshot = None;
        recovery.events = store.events(id)?;
    }
    Ok(Rebuilt { state: replay(stored, &recovery.events)?, recovery })
}

/// Starts the actor of a meeting rebuilt from the store. `now` decides which command ids are still
/// young enough to be kept for retries.
pub fn spawn(stored: StoredMeeting, rebuilt: Rebuilt, store: Arc<dyn Store>, now: Millis) -> MeetingHandle {
    let Rebuilt { state, recovery } = rebuilt;
    let events = recovery.events;
    let mut seen = Seen::default();
    for row in &events {
        if let (Some(actor), Some(command)) = (&row.actor, &row.command) {
            seen.insert(
                (actor.clone(), command.clone()),
                Applied { seq: row.seq, at: row.at, fingerprint: row.fingerprint },
            );
        }
    }
    seen.forget(state.seq, now);
    let recent = events.iter().rev().take(REPLAY_AFTER_RESTART).rev().map(|row| (row.seq, event_frame(row))).collect();
    let (inbox, orders) = mpsc::channel(INBOX);
    let (control, controls) = mpsc::channel(CONTROL);
    let head = Arc::new(AtomicU64::new(state.seq.0));
    let activity = Arc::new(Activity::default());
    if let Some(first) = recovery.first_at {
        activity.record(first);
    }
    if let Some(last) = events.last() {
        activity.record(last.at);
    }
    let snapshot_seq = recovery.snapshot.as_ref().map_or(Seq(0), |s| s.seq);
    let since_snapshot = Written {
        events: state.seq.0 - snapshot_seq.0,
        bytes: events.iter().filter(|row| row.seq > snapshot_seq).map(|row| row.body.len()).sum(),
        snapshot_bytes: recovery.snapshot.as_ref().map_or(0, |s| s.state.len()),
    };
    drop(events);
    let handle = MeetingHandle {
        inbox,
        control,
        info: Arc::new(stored.info.clone()),
        epoch: stored.epoch.clone().into(),
        head: head.clone(),
        activity: activity.clone(),
    };
    let actor = Actor {
        stored,
        state,
        store,
        seen,
        recent,
        subscribers: HashMap::new(),
        snapshot_cache: None,
        since_snapshot,
        head,
        activity,
        roster: Roster::default(),
        presence_due: None,
    };
    tokio::spawn(actor.run(orders, controls));
    handle
}

/// What the log gained since the meeting's last snapshot, and that snapshot's size.
#[derive(Debug, Default)]
struct Written {
    events: u64,
    bytes: usize,
    snapshot_bytes: usize,
}

impl Written {
    /// Whether enough was written to take a new snapshot.
    fn snapshot_due(&self) -> bool {
        self.events >= SNAPSHOT_EVERY && self.bytes >= self.snapshot_bytes
    }
}

/// The frame of a stored event, built without re-serializing the event.
fn event_frame(row: &StoredEvent) -> Utf8Bytes {
    let event: &RawValue = serde_json::from_str(&row.body).expect("stored events are JSON");
    Preserialized::Event { seq: row.seq, at: row.at, event }.to_text().into()
}

/// A server message as a text frame.
pub fn frame(message: &ServerMessage) -> Utf8Bytes {
    serde_json::to_string(message).expect("server messages always serialize").into()
}

/// A command applied under an id: the meeting's sequence number after it, when, and its
/// fingerprint (`None` when it was stored before fingerprints were kept).
#[derive(Debug, Clone, Copy)]
struct Applied {
    seq: Seq,
    at: Millis,
    fingerprint: Option<Fingerprint>,
}

/// The command ids remembered for retries, by person: those of the last
/// [`COMMAND_IDS_KEPT_EVENTS`] events and of the last [`COMMAND_IDS_KEPT_FOR`]. Older ones are
/// forgotten in sweeps, each once the map has grown by a quarter of the window since the last, so
/// the cost of sweeping is spread over the commands.
#[derive(Debug, Default)]
struct Seen {
    ids: HashMap<(ParticipantId, CommandId), Applied>,
    /// The size at which the next sweep runs.
    sweep_at: usize,
}

impl Seen {
    fn get(&self, key: &(ParticipantId, CommandId)) -> Option<&Applied> {
        self.ids.get(key)
    }

    fn insert(&mut self, key: (ParticipantId, CommandId), applied: Applied) {
        self.ids.insert(key, applied);
    }

    /// Records a command just applied, sweeping the old ones out when it is time.
    fn record(&mut self, key: (ParticipantId, CommandId), applied: Applied) {
        self.insert(key, applied);
        if self.ids.len() >= self.sweep_at {
            self.forget(applied.seq, applied.at);
        }
    }

    /// Forgets the ids older than the window, as of sequence number `head` at `now`.
    fn forget(&mut self, head: Seq, now: Millis) {
        self.ids.retain(|_, applied| {
            applied.seq.0 + COMMAND_IDS_KEPT_EVENTS > head.0 && applied.at.0 + COMMAND_IDS_KEPT_FOR.0 > now.0
        });
        self.sweep_at = self.ids.len() + (COMMAND_IDS_KEPT_EVENTS as usize / 4).max(1);
    }

    /// Forgets the ids of commands whose events were lost (after a failed append).
    fn forget_after(&mut self, head: Seq) {
        self.ids.retain(|_, applied| applied.seq <= head);
    }
}

struct Pending {
    id: Option<CommandId>,
    reply: Reply,
    /// The meeting's sequence number after the command, and its events.
    outcome: Result<(Seq, Vec<EventRecord>), Error>,
    /// The command as sent, to decide it again when another node took the batch's sequence
    /// numbers first.
    again: Again,
}

/// A command kept to be decided again.
struct Again {
    actor: Participant,
    tag: Option<Tag>,
    command: Command,
}

impl Pending {
    fn into_order(self) -> Order {
        let Again { actor, tag, command } = self.again;
        Order { actor, tag, command, reply: self.reply }
    }
}

/// What became of a batch's append.
enum Committed {
    /// Durable, fanned out and answered (or refused as not saved).
    Done,
    /// Another node appended first: nothing was written, nothing answered; the state is the log's
    /// again, and these are to be decided again.
    Taken(Vec<Order>),
}

struct Actor {
    stored: StoredMeeting,
    state: Meeting,
    store: Arc<dyn Store>,
    /// Command ids recently applied, by person: a retry is answered, not executed again. Commands
    /// that made no event are remembered here only until a restart: nothing of them is stored.
    seen: Seen,
    recent: VecDeque<(Seq, Utf8Bytes)>,
    subscribers: HashMap<u64, Subscriber>,
    snapshot_cache: Option<(Seq, Arc<RawValue>)>,
    /// What the log gained since the last stored snapshot of the state.
    since_snapshot: Written,
    /// Shared with the handles: the last durable sequence number.
    head: Arc<AtomicU64>,
    /// Shared with the handles: when the first and latest durable events happened.
    activity: Arc<Activity>,
    /// Who has a screen connected now; never stored.
    roster: Roster,
    /// When the roster's changes go out to the screens that watch it, once something changed.
    presence_due: Option<tokio::time::Instant>,
}

impl Actor {
    /// Between batches the actor takes every waiting control message first, then up to
    /// [`MAX_BATCH`] waiting commands as one batch. Both channels belong to the handles, so they
    /// close together.
    async fn run(mut self, mut inbox: mpsc::Receiver<Order>, mut controls: mpsc::Receiver<Control>) {
        let meeting = self.stored.info.id.to_string();
        tracing::debug!(%meeting, seq = %self.state.seq, "meeting actor started");
        if self.since_snapshot.snapshot_due() {
            // Rebuilt from a long log with no snapshot (say, the first start after an upgrade):
            // the next start need not replay it all again.
            self.save_snapshot();
        }
        loop {
            let order = tokio::select! {
                biased;
                Some(control) = controls.recv() => {
                    match control {
                        Control::CatchUp { seq } if seq > self.state.seq => self.catch_up().await,
                        Control::CatchUp { .. } => {}
                        control => {
                            if let Control::Subscribe { resume: Some(resume), .. } = &control {
                                if resume.seq > self.state.seq {
                                    // Another node may have acknowledged what the client holds
                                    // before its wake-up came here: read the log first.
                                    self.catch_up().await;
                                }
                            }
                            self.control(control)
                        }
                    }
                    continue;
                }
                _ = presence_due(self.presence_due) => {
                    self.send_presence();
                    continue;
                }
                order = inbox.recv() => match order {
                    Some(order) => order,
                    None => break,
                },
            };
            let mut orders = vec![order];
            while orders.len() < MAX_BATCH {
                match inbox.try_recv() {
                    Ok(order) => orders.push(order),
                    Err(_) => break,
                }
            }
            for attempt in 1.. {
                let mut batch = Vec::with_capacity(orders.len());
                let mut rows = Vec::new();
                for order in orders {
                    self.decide(order, &mut batch, &mut rows);
                }
                match self.commit(batch, rows, attempt < DECIDE_AGAIN).await {
                    Committed::Done => break,
                    Committed::Taken(again) => orders = again,
                }
            }
        }
        tracing::debug!(%meeting, "meeting actor stopped");
    }

    fn control(&mut self, control: Control) {
        match control {
            Control::CatchUp { .. } => unreachable!("the run loop catches up itself"),
            Control::Subscribe { conn, resume, subscriber, done } => {
                let mut catchup = self.catchup(resume);
                if let Some(person) = &subscriber.person {
                    self.roster.connect(person, clock::now());
                    self.presence_changed();
                }
                if let Some(sight) = subscriber.sight {
                    let marks = match (sight, &subscriber.person) {
                        (Sight::Everyone, _) => self.roster.everyone(),
                        (Sight::Own, Some(person)) => self.roster.mark(person).into_iter().collect(),
                        (Sight::Own, None) => Vec::new(),
                    };
                    catchup.frames.push(frame(&ServerMessage::Presence { snapshot: true, marks }));
                }
                match done.send(catchup) {
                    Ok(()) => {
                        self.subscribers.insert(conn, subscriber);
                    }
                    Err(_) => self.left(subscriber.person.as_ref()),
                }
            }
            Control::Unsubscribe { conn } => {
                if let Some(gone) = self.subscribers.remove(&conn) {
                    self.left(gone.person.as_ref());
                }
            }
            Control::Snapshot { done } => {
                let _ = done.send(self.state.clone());
            }
        }
    }

    /// Decides one command against the state including the batch so far, and applies its events.
    fn decide(&mut self, order: Order, batch: &mut Vec<Pending>, rows: &mut Vec<StoredEvent>) {
        let Order { actor, tag, command, reply } = order;
        let retried = tag.as_ref().and_then(|tag| {
            let seen = self.seen.get(&(actor.id.clone(), tag.id.clone()))?;
            Some((tag.id.clone(), same_command(seen.fingerprint, tag.fingerprint).then_some(seen.seq)))
        });
        if let Some((id, same)) = retried {
            let outcome = match same {
                Some(seq) => Ok((seq, Vec::new())),
                None => {
                    tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = command.name(), "command id reused");
                    Err(id_reused())
                }
            };
            batch.push(Pending { id: Some(id), reply, outcome, again: Again { actor, tag, command } });
            return;
        }
        let id = tag.as_ref().map(|t| t.id.clone());
        let fingerprint = tag.as_ref().map(|t| t.fingerprint);
        let name = command.name();
        let now = clock::now();
        let outcome = match self.state.execute(now, &actor, command.clone()) {
            Ok(records) => {
                rows.extend(records.iter().map(|record| StoredEvent {
                    seq: record.seq,
                    at: now,
                    actor: Some(actor.id.clone()),
                    command: id.clone(),
                    body: serde_json::to_string(&record.event).expect("events always serialize"),
                    fingerprint,
                }));
                if let Some(id) = &id {
                    let applied = Applied { seq: self.state.seq, at: now, fingerprint };
                    self.seen.record((actor.id.clone(), id.clone()), applied);
                }
                tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = name, seq = %self.state.seq, "command accepted");
                Ok((self.state.seq, records))
            }
            Err(rejection) => {
                tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = name, code = ?rejection.code, "command rejected");
                Err(rejection.into())
            }
        };
        batch.push(Pending { id, reply, outcome, again: Again { actor, tag, command } });
    }

    /// Makes the batch's events durable, then broadcasts them and answers every sender, in order.
    /// When another node appended first, the state is brought back to the log's and the batch
    /// handed back to be decided again (if `may_retry`; else its commands are refused as not
    /// saved).
    async fn commit(&mut self, batch: Vec<Pending>, rows: Vec<StoredEvent>, may_retry: bool) -> Committed {
        let mut frames = Vec::with_capacity(rows.len());
        let latest = rows.last().map(|row| row.at);
        let written = (rows.len() as u64, rows.iter().map(|row| row.body.len()).sum::<usize>());
        if !rows.is_empty() {
            let durable = Seq(rows[0].seq.0 - 1);
            frames = rows.iter().map(|row| (row.seq, event_frame(row))).collect::<Vec<_>>();
            let append = Append { meeting: self.stored.info.id.clone(), events: rows };
            if let Err(error) = self.store.append(append).await {
                let taken = matches!(error, StoreError::SeqTaken { .. });
                if taken {
                    tracing::debug!(meeting = %self.stored.info.id, %error, "another node appended first; catching up to decide again");
                } else {
                    tracing::error!(meeting = %self.stored.info.id, %error, "could not store events; reloading the meeting from its log");
                }
                self.rewind(durable).await;
                if taken && may_retry {
                    return Committed::Taken(batch.into_iter().map(Pending::into_order).collect());
                }
                let failed = Error::new(
                    ErrorCode::StorageFailed,
                    "The server could not save this change; nothing happened. Try again.",
                );
                for pending in batch {
                    let outcome = match pending.outcome {
                        Ok(_) => Err(failed.clone()),
                        Err(rejection) => Err(rejection),
                    };
                    answer(pending.id, pending.reply, outcome);
                }
                return Committed::Done;
            }
        }
        self.head.store(self.state.seq.0, Ordering::Release);
        if let Some(at) = latest {
            self.activity.record(at);
        }
        let fanning_out = (!frames.is_empty()).then(std::time::Instant::now);
        metrics().events(frames.len());
        for (seq, frame) in frames {
            self.broadcast(&frame);
            self.recent.push_back((seq, frame));
            if self.recent.len() > REPLAY_WINDOW {
                self.recent.pop_front();
            }
        }
        if let Some(started) = fanning_out {
            metrics().fanned_out(started.elapsed());
        }
        for pending in batch {
            answer(pending.id, pending.reply, pending.outcome);
        }
        self.since_snapshot.events += written.0;
        self.since_snapshot.bytes += written.1;
        if self.since_snapshot.snapshot_due() {
            self.save_snapshot();
        }
        Committed::Done
    }

    /// Reads what other nodes appended after this actor's head, page by page, and takes it in.
    async fn catch_up(&mut self) {
        loop {
            let (store, meeting, after) = (self.store.clone(), self.stored.info.id.clone(), self.state.seq);
            let read = tokio::task::spawn_blocking(move || store.events_after(&meeting, after, CATCH_UP_PAGE)).await;
            let rows = match read {
                Ok(Ok(rows)) => rows,
                Ok(Err(error)) => {
                    return tracing::error!(meeting = %self.stored.info.id, %error, "could not read the log to catch up")
                }
                Err(error) => {
                    return tracing::error!(meeting = %self.stored.info.id, %error, "could not read the log to catch up")
                }
            };
            let full = rows.len() == CATCH_UP_PAGE as usize;
            if let Err(error) = self.take_in(&rows) {
                tracing::error!(meeting = %self.stored.info.id, %error, "another node's events do not apply; reloading");
                self.reload().await;
                return;
            }
            if !full {
                return;
            }
        }
    }

    /// Takes in durable events another node appended: those after the state are applied; every
    /// one not fanned out yet goes to the screens and the replay window, and its command id is
    /// remembered for retries (a retry may come to this node).
    fn take_in(&mut self, rows: &[StoredEvent]) -> Result<(), StoreError> {
        let announced = self.recent.back().map_or(Seq(0), |(seq, _)| *seq);
        let fanning_out = std::time::Instant::now();
        let mut count = 0;
        for row in rows {
            if row.seq > self.state.seq {
                apply_row(&mut self.state, row)?;
                self.since_snapshot.events += 1;
                self.since_snapshot.bytes += row.body.len();
            }
            if row.seq <= announced {
                continue;
            }
            if let (Some(actor), Some(command)) = (&row.actor, &row.command) {
                self.seen.record(
                    (actor.clone(), command.clone()),
                    Applied { seq: row.seq, at: row.at, fingerprint: row.fingerprint },
                );
            }
            let frame = event_frame(row);
            self.broadcast(&frame);
            self.recent.push_back((row.seq, frame));
            if self.recent.len() > REPLAY_WINDOW {
                self.recent.pop_front();
            }
            self.activity.record(row.at);
            count += 1;
        }
        self.head.store(self.state.seq.0, Ordering::Release);
        if count > 0 {
            metrics().events(count);
            metrics().fanned_out(fanning_out.elapsed());
        }
        if self.since_snapshot.snapshot_due() {
            self.save_snapshot();
        }
        Ok(())
    }

    /// Writes the committed state as the meeting's snapshot, without waiting for it: a snapshot
    /// that fails to be written is only a slower restart, logged.
    fn save_snapshot(&mut self) {
        let state = self.state_json();
        self.since_snapshot = Written { snapshot_bytes: state.get().len(), ..Written::default() };
        let snapshot = StoredSnapshot { seq: self.state.seq, shape: STATE_SHAPE.into(), state: state.get().into() };
        let (store, meeting) = (self.store.clone(), self.stored.info.id.clone());
        tokio::spawn(async move {
            let seq = snapshot.seq;
            match store.save_snapshot(&meeting, snapshot).await {
                Ok(()) => tracing::debug!(%meeting, %seq, "snapshot written"),
                Err(error) => tracing::warn!(%meeting, %seq, %error, "could not write a snapshot"),
            }
        });
    }

    /// The committed state as JSON, serialized once per sequence number.
    fn state_json(&mut self) -> Arc<RawValue> {
        let head = self.state.seq;
        match &self.snapshot_cache {
            Some((seq, json)) if *seq == head => json.clone(),
            _ => {
                let json: Arc<RawValue> =
                    serde_json::value::to_raw_value(&self.state).expect("meetings always serialize").into();
                self.snapshot_cache = Some((head, json.clone()));
                json
            }
        }
    }

    /// Hands every subscriber the same bytes. One that cannot take them is closed as too slow:
    /// it reconnects and resumes, and the meeting never waits for it.
    fn broadcast(&mut self, frame: &Utf8Bytes) {
        let frame = Arc::new(frame.clone());
        self.send_each(|_| Some(frame.clone()));
    }

    /// Offers each subscriber the frame `pick` chooses for it (none: nothing), and drops those that
    /// cannot take it: one whose queue is full is closed as too slow.
    fn send_each(&mut self, mut pick: impl FnMut(&Subscriber) -> Option<Arc<Utf8Bytes>>) {
        let mut gone = Vec::new();
        self.subscribers.retain(|conn, subscriber| {
            let Some(frame) = pick(subscriber) else { return true };
            match subscriber.outbox.try_send(Outbound::Text(frame)) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    tracing::info!(conn, "closing a connection that fell behind");
                    metrics().closed_as_slow();
                    let (kick, _) = oneshot::channel();
                    let _ = std::mem::replace(&mut subscriber.kick, kick).send(close::TOO_SLOW);
                    gone.push(subscriber.person.take());
                    false
                }
                Err(mpsc::error::TrySendError::Closed(_)) => {
                    gone.push(subscriber.person.take());
                    false
                }
            }
        });
        for person in gone {
            self.left(person.as_ref());
        }
    }

    /// A screen of `person` (if it had one) left the meeting.
    fn left(&mut self, person: Option<&ParticipantId>) {
        if let Some(person) = person {
            self.roster.disconnect(person, clock::now());
            self.presence_changed();
        }
    }

    /// Schedules the roster's changes to go out, unless they are already due.
    fn presence_changed(&mut self) {
        if self.presence_due.is_none() && self.roster.has_changes() {
            self.presence_due = Some(tokio::time::Instant::now() + COALESCE);
        }
    }

    /// Sends the roster's changes: all of them to those who see everyone, each person's own to
    /// those who see their own.
    fn send_presence(&mut self) {
        self.presence_due = None;
        let marks = self.roster.take_changes();
        if marks.is_empty() {
            return;
        }
        let everyone = Arc::new(frame(&ServerMessage::Presence { snapshot: false, marks: marks.clone() }));
        let own: HashMap<&ParticipantId, &PresenceMark> = marks.iter().map(|m| (&m.participant, m)).collect();
        let own_frame = |mark: &PresenceMark| {
            Arc::new(frame(&ServerMessage::Presence { snapshot: false, marks: vec![mark.clone()] }))
        };
        self.send_each(|subscriber| match (subscriber.sight?, &subscriber.person) {
            (Sight::Everyone, _) => Some(everyone.clone()),
            (Sight::Own, Some(person)) => own.get(person).map(|mark| own_frame(mark)),
            (Sight::Own, None) => None,
        });
        // A screen dropped while sending is itself a change, for the next message.
        self.presence_changed();
    }

    /// What a connection that resumes from `resume` needs: the events it missed, or a snapshot.
    fn catchup(&mut self, resume: Option<Resume>) -> Catchup {
        let head = self.state.seq;
        let reason = match resume {
            None => SnapshotReason::Fresh,
            Some(r) if *r.epoch != *self.stored.epoch => SnapshotReason::EpochChanged,
            Some(r) if r.seq > head => SnapshotReason::AheadOfLog,
            Some(r) if r.seq == head => return self.synced(Vec::new()),
            Some(r) => match self.recent.front() {
                Some((first, _)) if *first <= r.seq.next() => {
                    let missed = self.recent.iter().filter(|(seq, _)| *seq > r.seq).map(|(_, f)| f.clone()).collect();
                    return self.synced(missed);
                }
                _ => SnapshotReason::TooFarBehind,
            },
        };
        let state = self.state_json();
        let snapshot = Preserialized::Snapshot { reason, meeting: &state }.to_text().into();
        self.synced(vec![snapshot])
    }

    fn synced(&self, mut frames: Vec<Utf8Bytes>) -> Catchup {
        frames.push(frame(&ServerMessage::Synced { seq: self.state.seq, server_time: clock::now() }));
        Catchup { frames, seq: self.state.seq }
    }

    /// After a failed append the in-memory state is ahead of the log (and, when another node
    /// appended, behind it): forget what the batch did after `durable`, rebuild the state from the
    /// log, and take in what other nodes appended after `durable`.
    async fn rewind(&mut self, durable: Seq) {
        self.seen.forget_after(durable);
        self.recent.retain(|(seq, _)| *seq <= durable);
        self.reload().await;
        self.catch_up_from(durable).await;
    }

    /// Takes in the events of the log after `from` that the state already holds (read by a
    /// reload) and any after them.
    async fn catch_up_from(&mut self, from: Seq) {
        let (store, meeting) = (self.store.clone(), self.stored.info.id.clone());
        let head = self.state.seq;
        if head > from {
            let read =
                tokio::task::spawn_blocking(move || store.events_after(&meeting, from, (head.0 - from.0) as u32)).await;
            match read {
                Ok(Ok(rows)) => {
                    if let Err(error) = self.take_in(&rows) {
                        tracing::error!(meeting = %self.stored.info.id, %error, "the log does not apply");
                    }
                }
                Ok(Err(error)) => tracing::error!(meeting = %self.stored.info.id, %error, "could not read the log"),
                Err(error) => tracing::error!(meeting = %self.stored.info.id, %error, "could not read the log"),
            }
        }
        self.catch_up().await;
    }

    /// Rebuilds the state from the log.
    async fn reload(&mut self) {
        let (store, stored) = (self.store.clone(), self.stored.clone());
        match tokio::task::spawn_blocking(move || rebuild(&stored, store.as_ref())).await {
            Ok(Ok(rebuilt)) => {
                self.state = rebuilt.state;
                self.seen.forget_after(self.state.seq);
                self.recent.retain(|(seq, _)| *seq <= self.state.seq);
                self.snapshot_cache = None;
                self.head.store(self.state.seq.0, Ordering::Release);
            }
            Ok(Err(error)) => tracing::error!(%error, "could not rebuild the meeting from its log"),
            Err(error) => tracing::error!(%error, "could not rebuild the meeting from its log"),
        }
    }
}

/// Waits until the roster's changes are due; for ever while none are.
async fn presence_due(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

fn answer(id: Option<CommandId>, reply: Reply, outcome: Result<(Seq, Vec<EventRecord>), Error>) {
    match reply {
        Reply::Direct(done) => {
            let _ = done.send(outcome.map(|(_, records)| records));
        }
        Reply::Outbox(outbox) => {
            let message = match (id, outcome) {
                (Some(id), Ok((seq, _))) => ServerMessage::Ack { id, seq },
                (id, Err(rejection)) => {
                    metrics().rejected(rejection.code, Via::WebSocket);
                    ServerMessage::rejected(id, rejection)
                }
                (None, Ok(_)) => return,
            };
            let _ = outbox.try_send(Outbound::text(frame(&message)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u64) -> (ParticipantId, CommandId) {
        (ParticipantId::parse("del-1").unwrap(), CommandId::parse(format!("c-{n}")).unwrap())
    }

    fn applied(seq: u64, at: i64) -> Applied {
        Applied { seq: Seq(seq), at: Millis(at), fingerprint: None }
    }

    #[test]
    fn a_command_id_is_kept_for_the_window_of_events_and_then_forgotten() {
        // Arrange
        let mut seen = Seen::default();
        seen.insert(key(1), applied(10, 0));

        // Act, assert
        seen.forget(Seq(10 + COMMAND_IDS_KEPT_EVENTS - 1), Millis(1));
        assert!(seen.get(&key(1)).is_some(), "one event short of the window: kept");
        seen.forget(Seq(10 + COMMAND_IDS_KEPT_EVENTS), Millis(1));
        assert!(seen.get(&key(1)).is_none(), "the window of events after it: forgotten");
    }

    #[test]
    fn a_command_id_is_kept_for_an_hour_and_then_forgotten() {
        // Arrange
        let mut seen = Seen::default();
        seen.insert(key(1), applied(10, 1_000));

        // Act, assert
        seen.forget(Seq(11), Millis(1_000 + COMMAND_IDS_KEPT_FOR.0 - 1));
        assert!(seen.get(&key(1)).is_some(), "a moment short of an hour: kept");
        seen.forget(Seq(11), Millis(1_000 + COMMAND_IDS_KEPT_FOR.0));
        assert!(seen.get(&key(1)).is_none(), "an hour later: forgotten");
    }

    /// A meeting in `dir`'s SQLite log in which one delegate was given the floor `turns` times.
    async fn a_delegate_spoke(dir: &std::path::Path, turns: usize) -> (crate::store::SqliteStore, StoredMeeting) {
        use crate::store::{Append, SqliteStore, Store};
        let info: shared::MeetingInfo = serde_json::from_value(
            serde_json::json!({"id": "m1", "title": "Memory", "process": "p", "access": "open"}),
        )
        .unwrap();
        let person = |value| -> Participant { serde_json::from_value(value).unwrap() };
        let chair = person(serde_json::json!({"id": "chair", "name": "Chair", "role": "chair"}));
        let delegate =
            person(serde_json::json!({"id": "d1", "name": "Delegate", "role": "delegate", "delegation": "Chile"}));
        let mut meeting = Meeting::new(info.clone());
        let mut commands = vec![
            (
                &chair,
                serde_json::json!({"type": "create_segment", "spec": {"title": "Debate", "inscription": "all", "time_limit_secs": 180}}),
            ),
            (&chair, serde_json::json!({"type": "activate_segment", "segment": 1})),
        ];
        for _ in 0..turns {
            commands.push((&delegate, serde_json::json!({"type": "request_floor", "kind": "statement", "presence": "remote", "language": "en"})));
            commands.push((&chair, serde_json::json!({"type": "give_floor"})));
            commands.push((&chair, serde_json::json!({"type": "end_floor"})));
        }
        let mut events = Vec::new();
        for (n, (actor, command)) in commands.into_iter().enumerate() {
            for record in
                meeting.execute(Millis(n as i64 * 1_000), actor, serde_json::from_value(command).unwrap()).unwrap()
            {
                events.push(StoredEvent {
                    seq: record.seq,
                    at: record.at,
                    actor: Some(actor.id.clone()),
                    command: Some(CommandId::parse(format!("c-{n}")).unwrap()),
                    fingerprint: None,
                    body: serde_json::to_string(&record.event).unwrap(),
                });
            }
        }
        let store = SqliteStore::open(dir).unwrap();
        let stored = StoredMeeting { info: info.clone(), epoch: "e1".into() };
        store.create_meeting(stored.clone(), Millis(0)).await.unwrap();
        store.append(Append { meeting: info.id, events }).await.unwrap();
        (store, stored)
    }

    #[tokio::test]
    async fn a_rebuilt_meeting_holds_each_person_once_however_often_they_spoke() {
        // Arrange
        let dir = tempfile::tempdir().unwrap();
        let (store, stored) = a_delegate_spoke(dir.path(), 3).await;

        // Act
        let record = rebuild(&stored, &store).unwrap().state.record;

        // Assert
        assert_eq!(record.len(), 3);
        assert!(Arc::ptr_eq(&record[0].speaker, &record[2].speaker), "one speaker, one allocation");
        let (given, ended) = (record[0].given_by.as_ref().unwrap(), record[2].ended_by.as_ref().unwrap());
        assert!(Arc::ptr_eq(given, ended), "the chair who gave and ended every floor, once");
        assert_eq!(record.capacity(), record.len(), "no room left over from reading");
    }

    #[tokio::test]
    async fn a_meeting_rebuilt_from_its_snapshot_holds_each_person_once() {
        // Arrange: the log's state saved as the meeting's snapshot
        let dir = tempfile::tempdir().unwrap();
        let (store, stored) = a_delegate_spoke(dir.path(), 3).await;
        let state = rebuild(&stored, &store).unwrap().state;
        let snapshot =
            StoredSnapshot { seq: state.seq, shape: STATE_SHAPE.into(), state: serde_json::to_string(&state).unwrap() };
        store.save_snapshot(&stored.info.id, snapshot).await.unwrap();

        // Act
        let rebuilt = rebuild(&stored, &store).unwrap();

        // Assert
        assert!(rebuilt.recovery.snapshot.is_some(), "read from the snapshot");
        let record = &rebuilt.state.record;
        assert_eq!(rebuilt.state, state);
        assert!(Arc::ptr_eq(&record[0].speaker, &record[2].speaker));
        assert!(Arc::ptr_eq(record[0].given_by.as_ref().unwrap(), record[2].ended_by.as_ref().unwrap()));
    }

    #[test]
    fn recording_commands_one_per_event_never_holds_many_more_ids_than_the_window() {
        // Arrange
        let mut seen = Seen::default();
        let mut most = 0;

        // Act: ten windows of commands, one event each, a second apart
        for n in 1..=10 * COMMAND_IDS_KEPT_EVENTS {
            seen.record(key(n), applied(n, n as i64 * 1_000));
            most = most.max(seen.ids.len());
        }

        // Assert: the window plus at most the quarter recorded between two sweeps
        let window = COMMAND_IDS_KEPT_EVENTS as usize;
        assert!(most <= window + window / 4, "{most} ids held at once");
        assert!(seen.get(&key(10 * COMMAND_IDS_KEPT_EVENTS)).is_some());
        assert!(seen.get(&key(1)).is_none());
    }
}
