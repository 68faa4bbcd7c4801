//! SQLite backend: WAL, `synchronous=FULL`, one writer thread that group-commits.

use std::path::Path;
use std::sync::mpsc as std_mpsc;
use std::sync::Mutex;
use std::thread;

use rusqlite::{params, Connection, OptionalExtension};
use shared::{Access, CommandId, MeetingId, MeetingInfo, Millis, ParticipantId, ProcessId, Seq};
use tokio::sync::oneshot;

use super::{Append, Commit, Recovery, Store, StoreError, StoredEvent, StoredMeeting, StoredSnapshot};
use crate::fingerprint::Fingerprint;

/// Most appends folded into one transaction. Bounds the latency of the first one in the batch.
const MAX_BATCH: usize = 1024;

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

/// The embedded store: one file, `rostrum.db`, in the data directory.
pub struct SqliteStore {
    writer: std_mpsc::Sender<Job>,
    reader: Mutex<Connection>,
    /// For the low-rate records: accreditation (see `accreditation.rs`) and written input
    /// (`written.rs`).
    admin: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SqliteStore")
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    process TEXT NOT NULL,
    access TEXT NOT NULL CHECK (access IN ('open', 'closed')),
    epoch TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    time_zone TEXT,
    starts_at INTEGER,
    room TEXT
);
CREATE TABLE IF NOT EXISTS events (
    meeting TEXT NOT NULL REFERENCES meetings(id),
    seq INTEGER NOT NULL CHECK (seq > 0),
    at INTEGER NOT NULL,
    actor TEXT,
    command_id TEXT,
    body TEXT NOT NULL,
    command_fingerprint TEXT,
    PRIMARY KEY (meeting, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS snapshots (
    meeting TEXT PRIMARY KEY REFERENCES meetings(id),
    seq INTEGER NOT NULL CHECK (seq > 0),
    shape TEXT NOT NULL,
    state TEXT NOT NULL
);
";

/// Brings a database made by an earlier version up to this schema.
fn migrate(conn: &Connection) -> Result<(), StoreError> {
    if !has_column(conn, "meetings", "time_zone")? {
        conn.execute_batch("ALTER TABLE meetings ADD COLUMN time_zone TEXT")?;
    }
    if !has_column(conn, "meetings", "starts_at")? {
        conn.execute_batch(
            "ALTER TABLE meetings ADD COLUMN starts_at INTEGER; ALTER TABLE meetings ADD COLUMN room TEXT",
        )?;
    }
    // Rows written before have no fingerprint, and their retries are taken as the same command.
    if !has_column(conn, "events", "command_fingerprint")? {
        conn.execute_batch("ALTER TABLE events ADD COLUMN command_fingerprint TEXT")?;
    }
    Ok(())
}

fn has_column(conn: &Connection, table: &str, column: &str) -> Result<bool, StoreError> {
    let count: i64 =
        conn.query_row("SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2", params![table, column], |r| {
            r.get(0)
        })?;
    Ok(count > 0)
}

fn open(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// SQLite's errors are this store's business: the rest of the server sees a [`StoreError`].
impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(Box::new(error))
    }
}

impl SqliteStore {
    /// Opens (or creates) `rostrum.db` in `data_dir` and starts the writer thread.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join("rostrum.db");
        let writer_conn = open(&path)?;
        writer_conn.execute_batch(SCHEMA)?;
        migrate(&writer_conn)?;
        writer_conn.execute_batch(super::accreditation::SCHEMA)?;
        super::accreditation::migrate(&writer_conn)?;
        writer_conn.execute_batch(super::written::SCHEMA)?;
        writer_conn.execute_batch(super::tokens::SCHEMA)?;
        writer_conn.execute_batch(super::webhooks::SCHEMA)?;
        super::written::migrate(&writer_conn)?;
        let reader = open(&path)?;
        let admin = open(&path)?;
        let (writer, jobs) = std_mpsc::channel();
        thread::Builder::new().name("rostrum-store-writer".into()).spawn(move || write_loop(writer_conn, jobs))?;
        Ok(SqliteStore { writer, reader: Mutex::new(reader), admin: Mutex::new(admin) })
    }

    pub(super) fn admin(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.admin.lock().unwrap_or_else(|e| e.into_inner())
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

impl Store for SqliteStore {
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
        read_meetings(&self.reader.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn events(&self, meeting: &MeetingId) -> Result<Vec<StoredEvent>, StoreError> {
        read_events(&self.reader.lock().unwrap_or_else(|e| e.into_inner()), meeting, true)
    }

    fn events_after(&self, meeting: &MeetingId, after: Seq, limit: u32) -> Result<Vec<StoredEvent>, StoreError> {
        let conn = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        let mut stmt = conn.prepare_cached(
            "SELECT seq, at, actor, command_id, body, command_fingerprint FROM events
             WHERE meeting = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![meeting.as_str(), after.0 as i64, limit], event_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn save_snapshot(&self, meeting: &MeetingId, snapshot: StoredSnapshot) -> Commit {
        self.submit(Write::Snapshot(meeting.clone(), snapshot))
    }

    fn recover(&self, meeting: &MeetingId, shape: &str, tail: u64) -> Result<Recovery, StoreError> {
        let conn = self.reader.lock().unwrap_or_else(|e| e.into_inner());
        let tx = conn.unchecked_transaction()?;
        let snapshot = tx
            .query_row(
                "SELECT seq, shape, state FROM snapshots WHERE meeting = ?1 AND shape = ?2",
                params![meeting.as_str(), shape],
                |row| {
                    Ok(StoredSnapshot {
                        seq: Seq(row.get::<_, i64>(0)? as u64),
                        shape: row.get(1)?,
                        state: row.get(2)?,
                    })
                },
            )
            .optional()?;
        let (first_at, head): (Option<i64>, Option<i64>) = tx.query_row(
            "SELECT (SELECT at FROM events WHERE meeting = ?1 ORDER BY seq LIMIT 1),
                    (SELECT MAX(seq) FROM events WHERE meeting = ?1)",
            [meeting.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        let head = head.unwrap_or(0) as u64;
        let snapshot = snapshot.filter(|s| s.seq.0 <= head);
        let after = snapshot.as_ref().map_or(0, |s| s.seq.0.min(head.saturating_sub(tail)));
        let events = {
            let mut stmt = tx.prepare_cached(
                "SELECT seq, at, actor, command_id, body, command_fingerprint FROM events
                 WHERE meeting = ?1 AND seq > ?2 ORDER BY seq",
            )?;
            let rows = stmt.query_map(params![meeting.as_str(), after as i64], event_row)?;
            rows.collect::<Result<_, _>>()?
        };
        Ok(Recovery { snapshot, first_at: first_at.map(Millis), events })
    }
}

fn read_meetings(conn: &Connection) -> Result<Vec<StoredMeeting>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, title, process, access, epoch, time_zone, starts_at, room FROM meetings ORDER BY created_at, id",
    )?;
    let rows = stmt.query_map([], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get(4)?,
            row.get::<_, Option<String>>(5)?,
            (row.get::<_, Option<i64>>(6)?, row.get::<_, Option<String>>(7)?),
        ))
    })?;
    rows.map(|row| {
        let (id, title, process, access, epoch, time_zone, (starts_at, room)) = row?;
        let corrupt = |reason: &str| StoreError::Corrupt { meeting: id.clone(), seq: 0, reason: reason.into() };
        let info = MeetingInfo {
            id: MeetingId::parse(id.clone()).map_err(|_| corrupt("bad meeting id"))?,
            title,
            process: ProcessId::parse(process).map_err(|_| corrupt("bad process id"))?,
            access: access.parse().unwrap_or(Access::Open),
            time_zone,
            starts_at: starts_at.map(Millis),
            room,
        };
        Ok(StoredMeeting { info, epoch })
    })
    .collect()
}

/// A meeting's log. `fingerprints` is false for a database an earlier version wrote and no server
/// has migrated since (read beside it, read-only).
fn read_events(conn: &Connection, meeting: &MeetingId, fingerprints: bool) -> Result<Vec<StoredEvent>, StoreError> {
    let fingerprint = if fingerprints { "command_fingerprint" } else { "NULL" };
    let mut stmt = conn.prepare(&format!(
        "SELECT seq, at, actor, command_id, body, {fingerprint} FROM events WHERE meeting = ?1 ORDER BY seq"
    ))?;
    let rows = stmt.query_map([meeting.as_str()], event_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One row of the log, as `seq, at, actor, command_id, body, fingerprint`.
fn event_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredEvent> {
    Ok(StoredEvent {
        seq: Seq(row.get::<_, i64>(0)? as u64),
        at: Millis(row.get(1)?),
        actor: row.get::<_, Option<String>>(2)?.and_then(|a| ParticipantId::parse(a).ok()),
        command: row.get::<_, Option<String>>(3)?.and_then(|c| CommandId::parse(c).ok()),
        body: row.get(4)?,
        fingerprint: row.get::<_, Option<String>>(5)?.and_then(|f| Fingerprint::from_hex(&f)),
    })
}

/// A read-only view of a data directory's database, for commands that run beside the server
/// (`rostrum report`): it never writes, so it needs no lock on the data directory.
pub struct ReadOnlyStore {
    conn: Connection,
}

impl std::fmt::Debug for ReadOnlyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReadOnlyStore")
    }
}

impl ReadOnlyStore {
    /// Opens `rostrum.db` in `data_dir` for reading; fails when there is none.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join("rostrum.db");
        if !path.exists() {
            return Err(StoreError::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("there is no database in {}", data_dir.display()),
            )));
        }
        let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        Ok(ReadOnlyStore { conn })
    }
}

impl super::Records for ReadOnlyStore {
    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError> {
        read_meetings(&self.conn)
    }

    fn events(&self, meeting: &MeetingId) -> Result<Vec<StoredEvent>, StoreError> {
        read_events(&self.conn, meeting, has_column(&self.conn, "events", "command_fingerprint")?)
    }

    fn organisation(&self, id: &str) -> Result<Option<shared::accreditation::Organisation>, StoreError> {
        super::accreditation::read_organisation(&self.conn, id)
    }

    fn process_title(&self, id: &ProcessId) -> Result<Option<String>, StoreError> {
        let title = self.conn.query_row("SELECT title FROM processes WHERE id = ?1", [id.as_str()], |r| r.get(0));
        match title {
            Ok(title) => Ok(Some(title)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// Takes every job waiting, commits them in one transaction, answers each. When the batch fails,
/// each job is retried alone so that one bad append cannot fail its neighbours.
fn write_loop(mut conn: Connection, jobs: std_mpsc::Receiver<Job>) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let started = std::time::Instant::now();
        let committed = commit(&mut conn, batch.iter().map(|j| &j.write));
        crate::metrics::metrics().committed(batch.len(), started.elapsed());
        match committed {
            Ok(()) => {
                for job in batch {
                    let _ = job.done.send(Ok(()));
                }
            }
            Err(error) => {
                tracing::warn!(%error, jobs = batch.len(), "group commit failed; committing each job alone");
                for job in batch {
                    let result = commit(&mut conn, std::iter::once(&job.write));
                    let _ = job.done.send(result);
                }
            }
        }
    }
    tracing::debug!("store writer stopped");
}

fn commit<'a>(conn: &mut Connection, writes: impl Iterator<Item = &'a Write>) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    for write in writes {
        match write {
            Write::Meeting(meeting, now) => {
                let exists: Option<i64> = tx
                    .query_row("SELECT 1 FROM meetings WHERE id = ?1", [meeting.info.id.as_str()], |r| r.get(0))
                    .optional()?;
                if exists.is_some() {
                    return Err(StoreError::MeetingExists(meeting.info.id.to_string()));
                }
                let access: &str = meeting.info.access.into();
                tx.execute(
                    "INSERT INTO meetings (id, title, process, access, epoch, created_at, time_zone, starts_at, room) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        meeting.info.id.as_str(),
                        meeting.info.title,
                        meeting.info.process.as_str(),
                        access,
                        meeting.epoch,
                        now.0,
                        meeting.info.time_zone,
                        meeting.info.starts_at.map(|at| at.0),
                        meeting.info.room
                    ],
                )?;
            }
            Write::Barrier => {}
            Write::Snapshot(meeting, snapshot) => {
                tx.prepare_cached(
                    "INSERT INTO snapshots (meeting, seq, shape, state) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (meeting) DO UPDATE SET seq = excluded.seq, shape = excluded.shape, state = excluded.state
                     WHERE excluded.seq >= snapshots.seq",
                )?
                .execute(params![meeting.as_str(), snapshot.seq.0 as i64, snapshot.shape, snapshot.state])?;
            }
            Write::Events(append) => {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO events (meeting, seq, at, actor, command_id, body, command_fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for event in &append.events {
                    insert.execute(params![
                        append.meeting.as_str(),
                        event.seq.0 as i64,
                        event.at.0,
                        event.actor.as_ref().map(|a| a.as_str()),
                        event.command.as_ref().map(|c| c.as_str()),
                        event.body,
                        event.fingerprint.map(Fingerprint::to_hex),
                    ])?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fingerprint::Fingerprint;

    /// The log as versions before command fingerprints wrote it, with one retried command's event.
    fn old_database(dir: &Path) {
        let conn = Connection::open(dir.join("rostrum.db")).unwrap();
        conn.execute_batch(
            "CREATE TABLE meetings (id TEXT PRIMARY KEY, title TEXT NOT NULL, process TEXT NOT NULL,
                 access TEXT NOT NULL, epoch TEXT NOT NULL, created_at INTEGER NOT NULL, time_zone TEXT);
             CREATE TABLE events (meeting TEXT NOT NULL REFERENCES meetings(id), seq INTEGER NOT NULL,
                 at INTEGER NOT NULL, actor TEXT, command_id TEXT, body TEXT NOT NULL,
                 PRIMARY KEY (meeting, seq)) WITHOUT ROWID;
             INSERT INTO meetings VALUES ('m1', 'Meeting', 'oewg', 'open', 'e1', 0, NULL);
             INSERT INTO events VALUES ('m1', 1, 5, 'del-1', 'c-1', '{\"type\":\"floor_paused\"}');",
        )
        .unwrap();
    }

    fn event(seq: u64, fingerprint: Option<Fingerprint>) -> StoredEvent {
        StoredEvent {
            seq: Seq(seq),
            at: Millis(6),
            actor: Some(ParticipantId::parse("del-1").unwrap()),
            command: Some(CommandId::parse("c-2").unwrap()),
            body: r#"{"type":"floor_resumed"}"#.into(),
            fingerprint,
        }
    }

    #[tokio::test]
    async fn an_earlier_version_s_log_gains_fingerprints_and_its_rows_keep_none() {
        // Arrange
        let dir = tempfile::tempdir().unwrap();
        old_database(dir.path());
        let meeting = MeetingId::parse("m1").unwrap();
        let beside = super::super::Records::events(&ReadOnlyStore::open(dir.path()).unwrap(), &meeting).unwrap();

        // Act
        let store = SqliteStore::open(dir.path()).unwrap();
        let fingerprint = Fingerprint::of(&shared::Command::ResumeFloor);
        store.append(Append { meeting: meeting.clone(), events: vec![event(2, Some(fingerprint))] }).await.unwrap();
        let events = store.events(&meeting).unwrap();

        // Assert
        assert_eq!(beside.len(), 1, "read beside the server before any migration");
        assert_eq!(events.iter().map(|e| e.fingerprint).collect::<Vec<_>>(), [None, Some(fingerprint)]);
        drop(store);
        assert!(SqliteStore::open(dir.path()).is_ok(), "the migration runs once");
    }
}
