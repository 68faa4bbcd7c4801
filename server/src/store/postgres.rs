//! PostgreSQL backend, for several nodes on one database (`--store postgres://…`).
//!
//! Built as the SQLite store is: one writer thread group-commits the event log (one transaction, so
//! one WAL flush, for every append waiting), one connection reads the log, and one more serves the
//! low-rate records (accreditation, written input, links, webhooks), each method in its own
//! transaction. Connections that drop are opened again on their next use.
//!
//! Sequence numbers are decided by the meeting's actor and checked here: `(meeting, seq)` is the
//! events table's primary key, so when two nodes decide the same number, the second append fails
//! whole with [`StoreError::SeqTaken`] and its node catches up from the table.

mod accreditation;
mod tokens;
mod webhooks;
mod written;

use std::sync::mpsc as std_mpsc;
use std::sync::{Mutex, MutexGuard};
use std::thread;

use postgres::error::SqlState;
use postgres::{Client, NoTls, Row, Transaction};
use shared::{Access, CommandId, MeetingId, MeetingInfo, Millis, ParticipantId, ProcessId, Seq};
use tokio::sync::oneshot;

use super::{Append, Change, Commit, Recovery, Store, StoreError, StoredEvent, StoredMeeting, StoredSnapshot};
use crate::fingerprint::Fingerprint;

/// Most writes folded into one transaction, as in the SQLite store.
const MAX_BATCH: usize = 1024;

/// Taken (for the transaction) by a node bringing the schema up to date, so that two nodes starting
/// together do not create the same table twice.
const SCHEMA_LOCK: i64 = 0x526f_7374_7275_6d00; // "Rostrum\0"

/// The channel of the nodes' wake-ups. A payload is `<node> e <meeting> <seq>` (events appended up
/// to `seq`), `<node> m <meeting>` (a meeting created) or `<node> r` (revocations recorded); a node
/// ignores its own.
const CHANNEL: &str = "rostrum";

/// Wake-ups a node holds for its meetings before the slowest listener loses some (and every
/// meeting reads its log again).
const CHANGES: usize = 4096;

/// How long the listener waits before connecting again after its connection dropped.
const LISTEN_RETRY: std::time::Duration = std::time::Duration::from_secs(1);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    process TEXT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('open', 'closed')),
    epoch TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    time_zone TEXT,
    starts_at BIGINT,
    room TEXT
);
CREATE TABLE IF NOT EXISTS events (
    meeting TEXT NOT NULL REFERENCES meetings(id),
    seq BIGINT NOT NULL CHECK (seq > 0),
    at BIGINT NOT NULL,
    actor TEXT,
    command_id TEXT,
    body TEXT NOT NULL,
    command_fingerprint TEXT,
    PRIMARY KEY (meeting, seq)
);
CREATE TABLE IF NOT EXISTS snapshots (
    meeting TEXT PRIMARY KEY REFERENCES meetings(id),
    seq BIGINT NOT NULL CHECK (seq > 0),
    shape TEXT NOT NULL,
    state TEXT NOT NULL
);
";

enum Write {
    Meeting(StoredMeeting, Millis),
    Events(Append),
    Snapshot(MeetingId, StoredSnapshot),
    /// Writes nothing: answered once the writes before it are durable.
    Barrier,
}

struct Job {
    write: Write,
    done: oneshot::Sender<Result<(), StoreError>>,
}

/// The store of several nodes: every table in one PostgreSQL database.
pub struct PgStore {
    url: String,
    /// This node's name in the wake-ups, so that it ignores its own.
    node: String,
    changes: tokio::sync::broadcast::Sender<Change>,
    writer: std_mpsc::Sender<Job>,
    reader: Mutex<Conn>,
    /// For the low-rate records (see `accreditation.rs`, `written.rs`, `tokens.rs`, `webhooks.rs`).
    admin: Mutex<Conn>,
}

/// A client whose drop never blocks a thread of the async runtime. `postgres::Client`'s drop
/// waits for its connection to close, which panics there, and the last `Arc` of the store may go
/// on any task (a meeting's actor at shutdown): the client is then closed on a thread of its own.
pub(super) struct Conn(Option<Client>);

impl std::ops::Deref for Conn {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.0.as_ref().expect("a connection is there until it is dropped")
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut Client {
        self.0.as_mut().expect("a connection is there until it is dropped")
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let Some(client) = self.0.take() else { return };
        if tokio::runtime::Handle::try_current().is_ok() {
            let closing = thread::Builder::new().name("rostrum-pg-close".into()).spawn(move || drop(client));
            if let Err(error) = closing {
                tracing::warn!(%error, "could not close a PostgreSQL connection in the background");
            }
        }
    }
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PgStore")
    }
}

/// PostgreSQL's errors are this store's business: the rest of the server sees a [`StoreError`].
impl From<postgres::Error> for StoreError {
    fn from(error: postgres::Error) -> Self {
        StoreError::Database(Box::new(error))
    }
}

/// Whether the error is a unique constraint refusing a row.
pub(super) fn unique_violation(error: &postgres::Error) -> bool {
    error.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

/// Opens a connection. The synchronous client runs its own small runtime: call from a blocking
/// task or a thread of its own, never from an async one.
fn connect(url: &str) -> Result<Client, StoreError> {
    Ok(Client::connect(url, NoTls)?)
}

/// A database URL (or `key=value` connection string) without its password, for logs and
/// `rostrum config check`.
pub fn redacted(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, tail) = rest.split_once('/').map_or((rest, None), |(a, t)| (a, Some(t)));
        let authority = match authority.rsplit_once('@') {
            Some((user, host)) => match user.split_once(':') {
                Some((name, _password)) => format!("{name}:***@{host}"),
                None => authority.to_string(),
            },
            None => authority.to_string(),
        };
        // A password may also come as a query parameter.
        let tail = tail.map(|t| match t.split_once('?') {
            Some((path, query)) if query.contains("password=") => format!("{path}?***"),
            _ => t.to_string(),
        });
        return match tail {
            Some(tail) => format!("{scheme}://{authority}/{tail}"),
            None => format!("{scheme}://{authority}"),
        };
    }
    url.split_whitespace()
        .map(|pair| if pair.starts_with("password=") { "password=***" } else { pair })
        .collect::<Vec<_>>()
        .join(" ")
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/database`), brings
    /// its schema up to date and starts the writer thread. Blocks.
    pub fn open(url: &str) -> Result<Self, StoreError> {
        let mut writer_conn = connect(url)?;
        let mut tx = writer_conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])?;
        // `CREATE … IF NOT EXISTS` says NOTICE for each table there already: not news at a start.
        tx.batch_execute("SET LOCAL client_min_messages = warning")?;
        tx.batch_execute(SCHEMA)?;
        tx.batch_execute(accreditation::SCHEMA)?;
        tx.batch_execute(written::SCHEMA)?;
        tx.batch_execute(tokens::SCHEMA)?;
        tx.batch_execute(webhooks::SCHEMA)?;
        tx.commit()?;
        let reader = connect(url)?;
        let admin = connect(url)?;
        let node = crate::auth::random_id()[..12].to_string();
        // Listening before anything is read: a change made after the first read is heard.
        let mut listener = connect(url)?;
        listener.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        let (changes, _) = tokio::sync::broadcast::channel(CHANGES);
        let (writer, jobs) = std_mpsc::channel();
        let (writer_url, writer_node) = (url.to_string(), node.clone());
        thread::Builder::new()
            .name("rostrum-pg-writer".into())
            .spawn(move || write_loop(writer_url, writer_node, writer_conn, jobs))?;
        let (listen_url, listen_node, heard) = (url.to_string(), node.clone(), changes.clone());
        thread::Builder::new()
            .name("rostrum-pg-listener".into())
            .spawn(move || listen_loop(listen_url, listen_node, listener, heard))?;
        Ok(PgStore {
            url: url.into(),
            node,
            changes,
            writer,
            reader: Mutex::new(Conn(Some(reader))),
            admin: Mutex::new(Conn(Some(admin))),
        })
    }

    /// The connection for the low-rate records, opened again if it dropped.
    pub(super) fn admin(&self) -> Result<MutexGuard<'_, Conn>, StoreError> {
        self.live(&self.admin)
    }

    fn reader(&self) -> Result<MutexGuard<'_, Conn>, StoreError> {
        self.live(&self.reader)
    }

    fn live<'a>(&self, client: &'a Mutex<Conn>) -> Result<MutexGuard<'a, Conn>, StoreError> {
        let mut guard = client.lock().unwrap_or_else(|e| e.into_inner());
        if guard.is_closed() {
            tracing::warn!("the connection to PostgreSQL was closed; connecting again");
            *guard = Conn(Some(connect(&self.url)?));
        }
        Ok(guard)
    }

    fn submit(&self, write: Write) -> Commit {
        let (done, result) = oneshot::channel();
        let sent = self.writer.send(Job { write, done });
        Box::pin(async move {
            sent.map_err(|_| StoreError::WriterGone)?;
            result.await.map_err(|_| StoreError::WriterGone)?
        })
    }
}

impl super::Records for PgStore {
    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError> {
        Store::meetings(self)
    }

    fn events(&self, meeting: &MeetingId) -> Result<Vec<StoredEvent>, StoreError> {
        Store::events(self, meeting)
    }

    fn organisation(&self, id: &str) -> Result<Option<shared::accreditation::Organisation>, StoreError> {
        super::AccreditationStore::organisation(self, id)
    }

    fn process_title(&self, id: &ProcessId) -> Result<Option<String>, StoreError> {
        Ok(super::AccreditationStore::process(self, id)?.map(|process| process.title))
    }
}

impl Store for PgStore {
    fn create_meeting(&self, meeting: StoredMeeting, now: Millis) -> Commit {
        self.submit(Write::Meeting(meeting, now))
    }

    fn append(&self, append: Append) -> Commit {
        self.submit(Write::Events(append))
    }

    fn flush(&self) -> Commit {
        self.submit(Write::Barrier)
    }

    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError> {
        let rows = self.reader()?.query(
            "SELECT id, title, process, access, epoch, time_zone, starts_at, room FROM meetings ORDER BY created_at, id",
            &[],
        )?;
        rows.iter().map(meeting_row).collect()
    }

    fn events(&self, meeting: &MeetingId) -> Result<Vec<StoredEvent>, StoreError> {
        self.events_after(meeting, Seq(0), u32::MAX)
    }

    fn events_after(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
        let rows = self.reader()?.query(
            "SELECT seq, at, actor, command_id, body, command_fingerprint FROM events
             WHERE meeting = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&meeting.as_str(), &(after.0 as i64), &i64::from(limit)],
        )?;
        Ok(rows.iter().map(event_row).collect())
    }

    fn save_snapshot(&self, meeting: &MeetingId, snapshot: StoredSnapshot) -> Commit {
        self.submit(Write::Snapshot(meeting.clone(), snapshot))
    }

    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        Some(self.changes.subscribe())
    }

    fn announce(&self, change: Change) {
        let payload = match change {
            Change::Revoked => format!("{} r", self.node),
            other => return tracing::warn!(change = ?other, "only revocations are announced by hand"),
        };
        let sent = self.admin().and_then(|mut admin| {
            admin.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
            Ok(())
        });
        if let Err(error) = sent {
            // The other nodes still poll the revocations, once a second.
            tracing::warn!(%error, "could not wake the other nodes");
        }
    }

    fn recover(&self, meeting: &MeetingId, shape: &str, tail: u64) -> Result<Recovery, StoreError> {
        let mut reader = self.reader()?;
        // One snapshot of the database for the three reads: REPEATABLE READ.
        let mut tx = reader.build_transaction().isolation_level(postgres::IsolationLevel::RepeatableRead).start()?;
        let snapshot = tx
            .query_opt(
                "SELECT seq, shape, state FROM snapshots WHERE meeting = $1 AND shape = $2",
                &[&meeting.as_str(), &shape],
            )?
            .map(|row| StoredSnapshot { seq: Seq(row.get::<_, i64>(0) as u64), shape: row.get(1), state: row.get(2) });
        let row = tx.query_one(
            "SELECT (SELECT at FROM events WHERE meeting = $1 ORDER BY seq LIMIT 1),
                    (SELECT MAX(seq) FROM events WHERE meeting = $1)",
            &[&meeting.as_str()],
        )?;
        let (first_at, head): (Option<i64>, Option<i64>) = (row.get(0), row.get(1));
        let head = head.unwrap_or(0) as u64;
        let snapshot = snapshot.filter(|s| s.seq.0 <= head);
        let after = snapshot.as_ref().map_or(0, |s| s.seq.0.min(head.saturating_sub(tail)));
        let rows = tx.query(
            "SELECT seq, at, actor, command_id, body, command_fingerprint FROM events
             WHERE meeting = $1 AND seq > $2 ORDER BY seq",
            &[&meeting.as_str(), &(after as i64)],
        )?;
        tx.commit()?;
        Ok(Recovery { snapshot, first_at: first_at.map(Millis), events: rows.iter().map(event_row).collect() })
    }
}

fn meeting_row(row: &Row) -> Result<StoredMeeting, StoreError> {
    let id: String = row.get(0);
    let corrupt = |reason: &str| StoreError::Corrupt { meeting: id.clone(), seq: 0, reason: reason.into() };
    let info = MeetingInfo {
        id: MeetingId::parse(id.clone()).map_err(|_| corrupt("bad meeting id"))?,
        title: row.get(1),
        process: ProcessId::parse(row.get::<_, String>(2)).map_err(|_| corrupt("bad process id"))?,
        access: row.get::<_, String>(3).parse().unwrap_or(Access::Open),
        time_zone: row.get(5),
        starts_at: row.get::<_, Option<i64>>(6).map(Millis),
        room: row.get(7),
    };
    Ok(StoredMeeting { info, epoch: row.get(4) })
}

/// One row of the log, as `seq, at, actor, command_id, body, fingerprint`.
fn event_row(row: &Row) -> StoredEvent {
    StoredEvent {
        seq: Seq(row.get::<_, i64>(0) as u64),
        at: Millis(row.get(1)),
        actor: row.get::<_, Option<String>>(2).and_then(|a| ParticipantId::parse(a).ok()),
        command: row.get::<_, Option<String>>(3).and_then(|c| CommandId::parse(c).ok()),
        body: row.get(4),
        fingerprint: row.get::<_, Option<String>>(5).and_then(|f| Fingerprint::from_hex(&f)),
    }
}

/// Takes every job waiting and commits them in one transaction, each under a savepoint: an append
/// whose sequence number another node took fails alone ([`StoreError::SeqTaken`]) and its
/// neighbours commit. Any other failure fails the batch, and each job is tried again alone.
fn write_loop(url: String, node: String, mut conn: Client, jobs: std_mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if conn.is_closed() {
            tracing::warn!("the writer's connection to PostgreSQL was closed; connecting again");
            match connect(&url) {
                Ok(fresh) => conn = fresh,
                Err(error) => {
                    tracing::error!(%error, "could not connect to PostgreSQL; the batch failed");
                    for job in batch {
                        let _ = job.done.send(Err(StoreError::WriterGone));
                    }
                    continue;
                }
            }
        }
        let started = std::time::Instant::now();
        let committed = commit(&mut conn, &node, &batch);
        crate::metrics::metrics().committed(batch.len(), started.elapsed());
        match committed {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    let _ = job.done.send(result);
                }
            }
            Err(error) => {
                tracing::warn!(%error, jobs = batch.len(), "group commit failed; committing each job alone");
                for job in batch {
                    let result = commit(&mut conn, &node, std::slice::from_ref(&job)).and_then(|mut r| r.remove(0));
                    let _ = job.done.send(result);
                }
            }
        }
    }
    tracing::debug!("store writer stopped");
}

/// Commits the jobs' writes in one transaction; each job's own refusal (a meeting that exists, a
/// sequence number taken) is its result, and rolls back only its own writes.
fn commit(conn: &mut Client, node: &str, jobs: &[Job]) -> Result<Vec<Result<(), StoreError>>, StoreError> {
    let mut tx = conn.transaction()?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        let result = match &job.write {
            Write::Barrier => Ok(()),
            write => {
                let mut savepoint = tx.savepoint("job")?;
                match write_one(&mut savepoint, node, write) {
                    Ok(()) => {
                        savepoint.commit()?;
                        Ok(())
                    }
                    Err(refused @ (StoreError::MeetingExists(_) | StoreError::SeqTaken { .. })) => {
                        savepoint.rollback()?;
                        Err(refused)
                    }
                    Err(error) => return Err(error),
                }
            }
        };
        results.push(result);
    }
    tx.commit()?;
    Ok(results)
}

/// Writes one job; an append or a new meeting also wakes the other nodes, on commit.
fn write_one(tx: &mut Transaction<'_>, node: &str, write: &Write) -> Result<(), StoreError> {
    match write {
        Write::Barrier => {}
        Write::Meeting(meeting, now) => {
            let access: &str = meeting.info.access.into();
            let inserted = tx.execute(
                "INSERT INTO meetings (id, title, process, access, epoch, created_at, time_zone, starts_at, room)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                &[
                    &meeting.info.id.as_str(),
                    &meeting.info.title,
                    &meeting.info.process.as_str(),
                    &access,
                    &meeting.epoch,
                    &now.0,
                    &meeting.info.time_zone,
                    &meeting.info.starts_at.map(|at| at.0),
                    &meeting.info.room,
                ],
            )?;
            if inserted == 0 {
                return Err(StoreError::MeetingExists(meeting.info.id.to_string()));
            }
            notify(tx, &format!("{node} m {}", meeting.info.id))?;
        }
        Write::Snapshot(meeting, snapshot) => {
            tx.execute(
                "INSERT INTO snapshots (meeting, seq, shape, state) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (meeting) DO UPDATE SET seq = excluded.seq, shape = excluded.shape, state = excluded.state
                 WHERE excluded.seq >= snapshots.seq",
                &[&meeting.as_str(), &(snapshot.seq.0 as i64), &snapshot.shape, &snapshot.state],
            )?;
        }
        Write::Events(append) => {
            // One statement for the whole append, however many events: arrays, unnested.
            let events = &append.events;
            let seqs: Vec<i64> = events.iter().map(|e| e.seq.0 as i64).collect();
            let ats: Vec<i64> = events.iter().map(|e| e.at.0).collect();
            let actors: Vec<Option<&str>> = events.iter().map(|e| e.actor.as_ref().map(|a| a.as_str())).collect();
            let commands: Vec<Option<&str>> = events.iter().map(|e| e.command.as_ref().map(|c| c.as_str())).collect();
            let bodies: Vec<&str> = events.iter().map(|e| e.body.as_str()).collect();
            let fingerprints: Vec<Option<String>> =
                events.iter().map(|e| e.fingerprint.map(Fingerprint::to_hex)).collect();
            let inserted = tx.execute(
                "INSERT INTO events (meeting, seq, at, actor, command_id, body, command_fingerprint)
                 SELECT $1, * FROM UNNEST($2::BIGINT[], $3::BIGINT[], $4::TEXT[], $5::TEXT[], $6::TEXT[], $7::TEXT[])",
                &[&append.meeting.as_str(), &seqs, &ats, &actors, &commands, &bodies, &fingerprints],
            );
            match inserted {
                Ok(_) => {
                    if let Some(last) = events.last() {
                        notify(tx, &format!("{node} e {} {}", append.meeting, last.seq.0))?;
                    }
                }
                Err(error) if unique_violation(&error) => {
                    return Err(StoreError::SeqTaken {
                        meeting: append.meeting.to_string(),
                        seq: events.first().map_or(0, |e| e.seq.0),
                    })
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    Ok(())
}

/// Queues a wake-up for the other nodes; PostgreSQL delivers it when the transaction commits.
fn notify(tx: &mut Transaction<'_>, payload: &str) -> Result<(), StoreError> {
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload])?;
    Ok(())
}

/// Hears the other nodes' wake-ups and hands them to the node. When the connection drops it
/// connects again, listens again, and says that wake-ups were missed.
fn listen_loop(url: String, node: String, mut client: Client, heard: tokio::sync::broadcast::Sender<Change>) {
    loop {
        {
            let mut notifications = client.notifications();
            let mut iter = notifications.blocking_iter();
            loop {
                use postgres::fallible_iterator::FallibleIterator;
                match iter.next() {
                    Ok(Some(notification)) => {
                        if let Some(change) = parse_change(&node, notification.payload()) {
                            let _ = heard.send(change);
                        }
                    }
                    Ok(None) => break,
                    Err(error) => {
                        tracing::warn!(%error, "the connection that hears the other nodes dropped; listening again");
                        break;
                    }
                }
            }
        }
        client = loop {
            thread::sleep(LISTEN_RETRY);
            match connect(&url).and_then(|mut c| {
                c.batch_execute(&format!("LISTEN {CHANNEL}"))?;
                Ok(c)
            }) {
                Ok(fresh) => break fresh,
                Err(error) => tracing::warn!(%error, "could not listen to the other nodes; trying again"),
            }
        };
        let _ = heard.send(Change::Missed);
    }
}

/// A wake-up's payload as a change; `None` for this node's own and for one it cannot read.
fn parse_change(node: &str, payload: &str) -> Option<Change> {
    let mut words = payload.split(' ');
    if words.next()? == node {
        return None;
    }
    match (words.next()?, words.next(), words.next()) {
        ("e", Some(meeting), Some(seq)) => {
            Some(Change::Events { meeting: MeetingId::parse(meeting).ok()?, seq: Seq(seq.parse().ok()?) })
        }
        ("m", Some(meeting), None) => Some(Change::Meeting(MeetingId::parse(meeting).ok()?)),
        ("r", None, None) => Some(Change::Revoked),
        _ => None,
    }
}

/// Scratch databases for tests, on a server whose user may create databases: each test, and each
/// node group of a test, gets its own.
pub mod scratch {
    use super::{Client, NoTls, StoreError};

    /// A new, empty database beside the one `admin` names; returns its name and URL. Blocks.
    pub fn create(admin: &str) -> Result<(String, String), StoreError> {
        let name = format!("rostrum_test_{}", crate::auth::random_id());
        Client::connect(admin, NoTls)?.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let server = admin.rsplit_once('/').map_or(admin, |(server, _)| server);
        Ok((name.clone(), format!("{server}/{name}")))
    }

    /// Drops a database `create` made, ending the connections still open to it. Blocks.
    pub fn drop(admin: &str, name: &str) -> Result<(), StoreError> {
        Client::connect(admin, NoTls)?.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn a_wake_up_names_its_change_and_a_node_ignores_its_own() {
        use super::{parse_change, Change};
        use shared::{MeetingId, Seq};
        let meeting = MeetingId::parse("m1").unwrap();
        assert_eq!(parse_change("a", "b e m1 7"), Some(Change::Events { meeting: meeting.clone(), seq: Seq(7) }));
        assert_eq!(parse_change("a", "b m m1"), Some(Change::Meeting(meeting)));
        assert_eq!(parse_change("a", "b r"), Some(Change::Revoked));
        assert_eq!(parse_change("a", "a e m1 7"), None, "its own");
        assert_eq!(parse_change("a", "b e m1 seven"), None);
    }

    #[test]
    fn a_database_url_is_shown_without_its_password() {
        assert_eq!(redacted("postgres://rostrum:s3cret@db:5432/rostrum"), "postgres://rostrum:***@db:5432/rostrum");
        assert_eq!(redacted("postgres://rostrum@db/rostrum"), "postgres://rostrum@db/rostrum");
        assert_eq!(redacted("postgres://db/rostrum?user=r&password=s3cret"), "postgres://db/rostrum?***");
        assert_eq!(redacted("host=db user=r password=s3cret"), "host=db user=r password=***");
    }
}
