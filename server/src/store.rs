//! The event log and the tables beside it, behind [`Store`] so that another backend (PostgreSQL for
//! several nodes) can take SQLite's place.
//!
//! The log is the source of truth: a meeting is its info plus its events, and every meeting is
//! rebuilt by replaying them on start. Appends are group-committed by one writer: a batch becomes
//! durable with one fsync, and the caller hears back only after the commit.

mod sqlite;

use std::future::Future;
use std::pin::Pin;

use shared::{CommandId, MeetingInfo, Millis, ParticipantId, Seq};

pub use sqlite::SqliteStore;

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("a meeting with id {0} already exists")]
    MeetingExists(String),
    #[error("the log of meeting {meeting} is corrupt at sequence {seq}: {reason}")]
    Corrupt { meeting: String, seq: u64, reason: String },
    #[error("the store's writer has stopped")]
    WriterGone,
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
}

/// A meeting as stored: its info and the epoch of its log.
#[derive(Debug, Clone)]
pub struct StoredMeeting {
    pub info: MeetingInfo,
    /// Changes when the log is reset or restored, so that clients resuming across it get a
    /// snapshot instead of a replay.
    pub epoch: String,
}

/// One row of the event log.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub seq: Seq,
    pub at: Millis,
    /// Who caused it (absent for events the system made).
    pub actor: Option<ParticipantId>,
    /// The client's command id, for idempotent retries.
    pub command: Option<CommandId>,
    /// The event, as JSON: serialized once, stored and sent as is.
    pub body: String,
}

/// Events of one meeting to append in one atomic step.
#[derive(Debug, Clone)]
pub struct Append {
    pub meeting: shared::MeetingId,
    pub events: Vec<StoredEvent>,
}

/// Resolves when an append is durable (or failed and left nothing behind).
pub type Commit = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

/// Where meetings and their events live.
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    /// Records a new meeting with an empty log.
    fn create_meeting(&self, meeting: StoredMeeting, now: Millis) -> Commit;
    /// Appends events; resolves once they are durable. Appends to one meeting must come in
    /// sequence order; a sequence number used twice fails the whole append.
    fn append(&self, append: Append) -> Commit;
    /// Every meeting, oldest first (blocking: call at start-up or from a blocking task).
    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError>;
    /// Every event of a meeting, in order (blocking).
    fn events(&self, meeting: &shared::MeetingId) -> Result<Vec<StoredEvent>, StoreError>;
}
