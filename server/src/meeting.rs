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
use crate::store::{Append, Store, StoreError, StoredEvent, StoredMeeting};

/// Events kept in memory for replay to reconnecting clients; older gaps get a snapshot.
const REPLAY_WINDOW: usize = 4096;
/// Commands folded into one batch at most.
const MAX_BATCH: usize = 256;
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
    Subscribe { conn: u64, resume: Option<Resume>, subscriber: Subscriber, done: oneshot::Sender<Catchup> },
    Unsubscribe { conn: u64 },
    Snapshot { done: oneshot::Sender<Meeting> },
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
    let mut meeting = Meeting::new(stored.info.clone());
    for row in events {
        let corrupt =
            |reason: String| StoreError::Corrupt { meeting: stored.info.id.to_string(), seq: row.seq.0, reason };
        if row.seq != meeting.seq.next() {
            return Err(corrupt(format!("expected sequence {}", meeting.seq.next())));
        }
        let event: Event = serde_json::from_str(&row.body).map_err(|e| corrupt(e.to_string()))?;
        meeting.apply(&EventRecord { seq: row.seq, at: row.at, event });
    }
    Ok(meeting)
}

/// Starts the actor of a meeting rebuilt from `events`.
pub fn spawn(
    stored: StoredMeeting,
    events: Vec<StoredEvent>,
    store: Arc<dyn Store>,
) -> Result<MeetingHandle, StoreError> {
    let state = replay(&stored, &events)?;
    let mut seen = HashMap::new();
    for row in &events {
        if let (Some(actor), Some(command)) = (&row.actor, &row.command) {
            seen.insert((actor.clone(), command.clone()), Seen { seq: row.seq, fingerprint: row.fingerprint });
        }
    }
    let recent = events.iter().rev().take(REPLAY_WINDOW).rev().map(|row| (row.seq, event_frame(row))).collect();
    let (inbox, orders) = mpsc::channel(INBOX);
    let (control, controls) = mpsc::channel(CONTROL);
    let head = Arc::new(AtomicU64::new(state.seq.0));
    let activity = Arc::new(Activity::default());
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        activity.record(first.at);
        activity.record(last.at);
    }
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
        head,
        activity,
        roster: Roster::default(),
        presence_due: None,
    };
    tokio::spawn(actor.run(orders, controls));
    Ok(handle)
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

/// A command applied under an id: the meeting's sequence number after it, and its fingerprint
/// (`None` when it was stored before fingerprints were kept).
#[derive(Debug, Clone, Copy)]
struct Seen {
    seq: Seq,
    fingerprint: Option<Fingerprint>,
}

struct Pending {
    id: Option<CommandId>,
    reply: Reply,
    /// The meeting's sequence number after the command, and its events.
    outcome: Result<(Seq, Vec<EventRecord>), Error>,
}

struct Actor {
    stored: StoredMeeting,
    state: Meeting,
    store: Arc<dyn Store>,
    /// Command ids already applied, by person: a retry is answered, not executed again. Commands
    /// that made no event are remembered here only until a restart: nothing of them is stored.
    seen: HashMap<(ParticipantId, CommandId), Seen>,
    recent: VecDeque<(Seq, Utf8Bytes)>,
    subscribers: HashMap<u64, Subscriber>,
    snapshot_cache: Option<(Seq, Arc<RawValue>)>,
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
        loop {
            let order = tokio::select! {
                biased;
                Some(control) = controls.recv() => {
                    self.control(control);
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
            let mut batch = Vec::new();
            let mut rows = Vec::new();
            self.decide(order, &mut batch, &mut rows);
            while batch.len() < MAX_BATCH {
                match inbox.try_recv() {
                    Ok(order) => self.decide(order, &mut batch, &mut rows),
                    Err(_) => break,
                }
            }
            self.commit(batch, rows).await;
        }
        tracing::debug!(%meeting, "meeting actor stopped");
    }

    fn control(&mut self, control: Control) {
        match control {
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
        if let Some(tag) = &tag {
            if let Some(seen) = self.seen.get(&(actor.id.clone(), tag.id.clone())) {
                let outcome = if same_command(seen.fingerprint, tag.fingerprint) {
                    Ok((seen.seq, Vec::new()))
                } else {
                    tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = command.name(), "command id reused");
                    Err(id_reused())
                };
                batch.push(Pending { id: Some(tag.id.clone()), reply, outcome });
                return;
            }
        }
        let id = tag.as_ref().map(|t| t.id.clone());
        let fingerprint = tag.as_ref().map(|t| t.fingerprint);
        let name = command.name();
        let now = clock::now();
        let outcome = match self.state.execute(now, &actor, command) {
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
                    self.seen.insert((actor.id.clone(), id.clone()), Seen { seq: self.state.seq, fingerprint });
                }
                tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = name, seq = %self.state.seq, "command accepted");
                Ok((self.state.seq, records))
            }
            Err(rejection) => {
                tracing::debug!(meeting = %self.stored.info.id, participant = %actor.id, command = name, code = ?rejection.code, "command rejected");
                Err(rejection.into())
            }
        };
        batch.push(Pending { id, reply, outcome });
    }

    /// Makes the batch's events durable, then broadcasts them and answers every sender, in order.
    async fn commit(&mut self, batch: Vec<Pending>, rows: Vec<StoredEvent>) {
        let mut frames = Vec::with_capacity(rows.len());
        let latest = rows.last().map(|row| row.at);
        if !rows.is_empty() {
            frames = rows.iter().map(|row| (row.seq, event_frame(row))).collect::<Vec<_>>();
            let append = Append { meeting: self.stored.info.id.clone(), events: rows };
            if let Err(error) = self.store.append(append).await {
                tracing::error!(meeting = %self.stored.info.id, %error, "could not store events; reloading the meeting from its log");
                self.reload().await;
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
                return;
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
        let state = match &self.snapshot_cache {
            Some((seq, json)) if *seq == head => json.clone(),
            _ => {
                let json: Arc<RawValue> =
                    serde_json::value::to_raw_value(&self.state).expect("meetings always serialize").into();
                self.snapshot_cache = Some((head, json.clone()));
                json
            }
        };
        let snapshot = Preserialized::Snapshot { reason, meeting: &state }.to_text().into();
        self.synced(vec![snapshot])
    }

    fn synced(&self, mut frames: Vec<Utf8Bytes>) -> Catchup {
        frames.push(frame(&ServerMessage::Synced { seq: self.state.seq, server_time: clock::now() }));
        Catchup { frames, seq: self.state.seq }
    }

    /// After a failed append the in-memory state is ahead of the log: rebuild it from the log.
    async fn reload(&mut self) {
        let store = self.store.clone();
        let id = self.stored.info.id.clone();
        let loaded = tokio::task::spawn_blocking(move || store.events(&id)).await;
        match loaded {
            Ok(Ok(events)) => match replay(&self.stored, &events) {
                Ok(state) => {
                    self.state = state;
                    self.seen.retain(|_, seen| seen.seq <= self.state.seq);
                    self.recent.retain(|(seq, _)| *seq <= self.state.seq);
                    self.snapshot_cache = None;
                    self.head.store(self.state.seq.0, Ordering::Release);
                }
                Err(error) => tracing::error!(%error, "could not rebuild the meeting"),
            },
            Ok(Err(error)) => tracing::error!(%error, "could not read the meeting's log"),
            Err(error) => tracing::error!(%error, "could not read the meeting's log"),
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
