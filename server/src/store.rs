//! The event log and the tables beside it, behind [`Store`] so that another backend (PostgreSQL for
//! several nodes) can take SQLite's place.
//!
//! The log is the source of truth: a meeting is its info plus its events, and every meeting is
//! rebuilt by replaying them on start. Appends are group-committed by one writer: a batch becomes
//! durable with one fsync, and the caller hears back only after the commit.

mod accreditation;
pub mod backup;
pub mod postgres;
pub mod sqlite;
#[cfg(test)]
mod suite;
pub mod tokens;
pub mod webhooks;
mod written;

use std::future::Future;
use std::pin::Pin;

use shared::accreditation::quota::Limit;
use shared::accreditation::{Document, Expert, Objection, Organisation, Process, Representative, Status};
use shared::api::{Page, PageRequest};
use shared::written::{Attachment, Response, Statement};
use shared::{CommandId, MeetingId, MeetingInfo, Millis, ParticipantId, ProcessId, Seq};

pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use webhooks::{StoredDelivery, StoredWebhook, WebhookStore};

/// Why the store could not do something.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed; the backend's own error, kept for the logs (the SQLite store's, a
    /// PostgreSQL one's later): callers only need to know that nothing was saved.
    #[error("database error: {0}")]
    Database(Box<dyn std::error::Error + Send + Sync>),
    #[error("a meeting with id {0} already exists")]
    MeetingExists(String),
    #[error("{0} already exists")]
    Exists(String),
    #[error("the log of meeting {meeting} is corrupt at sequence {seq}: {reason}")]
    Corrupt { meeting: String, seq: u64, reason: String },
    /// Another node appended the sequence number first (PostgreSQL): nothing of the append was
    /// written, and the meeting catches up from the log before it decides the commands again.
    #[error("sequence number {seq} of meeting {meeting} was taken by another node")]
    SeqTaken { meeting: String, seq: u64 },
    #[error("the store's writer has stopped")]
    WriterGone,
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The write would take its owner over a quota; nothing was written.
    #[error("over the {:?} quota of {}", .0.quota, .0.max)]
    Quota(Limit),
}

/// What a material or a statement of an organisation counts against: the quota of its kind
/// (materials, statements) and the organisation's bytes across uploads.
#[derive(Debug, Clone)]
pub struct OrganisationQuota {
    /// The organisation's id.
    pub organisation: String,
    /// Its name, as its materials give it (`provided_by`).
    pub name: String,
    /// The process it is accredited to.
    pub process: ProcessId,
    /// The limit of the kind of item written.
    pub items: Limit,
    /// The limit of its bytes.
    pub bytes: Limit,
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
    /// The fingerprint of the command under that id, to refuse the id reused for another command.
    /// `None` for rows written before fingerprints were kept.
    pub fingerprint: Option<crate::fingerprint::Fingerprint>,
    /// The event, as JSON: serialized once, stored and sent as is.
    pub body: String,
}

/// A meeting's state as of one sequence number, written now and then so that a restart replays only
/// the events after it. A cache of the log, never the truth: one that cannot be read is ignored and
/// the log replayed from the start.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    /// The sequence number of the last event it includes.
    pub seq: Seq,
    /// The shape of the state it was written in: the build's [`crate::meeting::STATE_SHAPE`]. A
    /// store hands back only snapshots of the shape asked for.
    pub shape: String,
    /// The meeting's state, as JSON.
    pub state: String,
}

/// What rebuilding a meeting needs from its log.
#[derive(Debug, Clone, Default)]
pub struct Recovery {
    /// The newest snapshot of the shape asked for, if there is one.
    pub snapshot: Option<StoredSnapshot>,
    /// When the meeting's first event happened, if it has any.
    pub first_at: Option<Millis>,
    /// The events after the snapshot, and before it as many as the `tail` asked for, in order:
    /// every event when there is no snapshot.
    pub events: Vec<StoredEvent>,
}

/// Events of one meeting to append in one atomic step.
#[derive(Debug, Clone)]
pub struct Append {
    pub meeting: shared::MeetingId,
    pub events: Vec<StoredEvent>,
}

/// Resolves when an append is durable (or failed and left nothing behind).
pub type Commit = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send>>;

/// What another node changed in a store several nodes share: a wake-up only, the tables hold the
/// truth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Events were appended to a meeting's log, up to `seq`.
    Events { meeting: MeetingId, seq: Seq },
    /// A meeting was created.
    Meeting(MeetingId),
    /// Tokens or people were revoked: read the revocations.
    Revoked,
    /// Wake-ups may have been lost (the connection that hears them dropped, or a listener fell
    /// behind): anything may have changed.
    Missed,
}

/// Where meetings and their events live.
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    /// Records a new meeting with an empty log.
    fn create_meeting(&self, meeting: StoredMeeting, now: Millis) -> Commit;
    /// Appends events; resolves once they are durable. Appends to one meeting must come in
    /// sequence order; a sequence number used twice fails the whole append.
    fn append(&self, append: Append) -> Commit;
    /// Resolves once every write submitted before it is durable: what a graceful shutdown waits
    /// for before the process exits.
    fn flush(&self) -> Commit;
    /// Every meeting, oldest first (blocking: call at start-up or from a blocking task).
    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError>;
    /// Every event of a meeting, in order (blocking).
    fn events(&self, meeting: &shared::MeetingId) -> Result<Vec<StoredEvent>, StoreError>;
    /// The durable events of a meeting after `after`, in order, at most `limit` (blocking): what
    /// the outgoing webhooks read their meeting's log with.
    fn events_after(&self, meeting: &shared::MeetingId, after: Seq, limit: u32)
        -> Result<Vec<StoredEvent>, StoreError>;
    /// Replaces the meeting's snapshot; resolves once it is durable. Its events must be durable
    /// already.
    fn save_snapshot(&self, meeting: &shared::MeetingId, snapshot: StoredSnapshot) -> Commit;
    /// What a restart reads of a meeting (blocking): its newest snapshot of `shape`, the events
    /// after it, and the `tail` events before the log's head even when the snapshot covers them
    /// (for the ids of retried commands and the replay window).
    fn recover(&self, meeting: &shared::MeetingId, shape: &str, tail: u64) -> Result<Recovery, StoreError>;
    /// What other nodes change, from now on, when several nodes share the store; `None` for a
    /// store only one node uses (SQLite). Subscribe before reading what it wakes you up for.
    fn changes(&self) -> Option<tokio::sync::broadcast::Receiver<Change>> {
        None
    }
    /// Tells the other nodes that something changed that they cannot hear of through the event
    /// log (a revocation); nothing for a store only one node uses.
    fn announce(&self, _change: Change) {}
}

/// What the commands run beside the server read (`rostrum report`, `rostrum token --accredited`):
/// the data directory's SQLite file read-only, or the nodes' PostgreSQL database. Blocking.
pub trait Records {
    /// Every meeting, oldest first.
    fn meetings(&self) -> Result<Vec<StoredMeeting>, StoreError>;
    /// A meeting's log, in order.
    fn events(&self, meeting: &shared::MeetingId) -> Result<Vec<StoredEvent>, StoreError>;
    /// An organisation's application and accreditation, by id.
    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError>;
    /// A process's title, when the store holds the process.
    fn process_title(&self, id: &ProcessId) -> Result<Option<String>, StoreError>;
}

/// The records of the PostgreSQL database at `store` when given, else of the SQLite file in
/// `data` (which must exist). Blocking: call from a blocking task.
pub fn records(data: &std::path::Path, store: Option<&str>) -> Result<Box<dyn Records>, StoreError> {
    Ok(match store {
        Some(url) => Box::new(postgres::PgStore::open(url)?),
        None => Box::new(sqlite::ReadOnlyStore::open(data)?),
    })
}

/// Processes, accreditation, experts and documents: low-rate records beside the event log. Every
/// method blocks; call from a blocking task.
pub trait AccreditationStore: Send + Sync + std::fmt::Debug + 'static {
    /// Records a process; `Exists` when the id is taken.
    fn create_process(&self, process: &Process) -> Result<(), StoreError>;
    fn process(&self, id: &ProcessId) -> Result<Option<Process>, StoreError>;
    fn processes(&self) -> Result<Vec<Process>, StoreError>;
    /// Records an application; `Exists` when an organisation of that name (any case) already
    /// applied to the process.
    fn add_organisation(&self, organisation: &Organisation) -> Result<(), StoreError>;
    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError>;
    fn organisations(&self, process: &ProcessId) -> Result<Vec<Organisation>, StoreError>;
    /// One page of a process's organisations, in the order they applied.
    fn organisations_page(&self, process: &ProcessId, page: &PageRequest) -> Result<Page<Organisation>, StoreError>;
    /// Moves an organisation from one of `from` to `to`; false when it was in another status.
    fn set_status(
        &self,
        id: &str,
        from: &[Status],
        to: Status,
        reason: Option<&str>,
        at: Millis,
    ) -> Result<bool, StoreError>;
    /// Refuses with `reason`, in one transaction, each of `ids` that is a pending application to
    /// `process`; returns the others (decided, unknown, or of another process) in the order given.
    fn refuse_pending(
        &self,
        process: &ProcessId,
        ids: &[String],
        reason: &str,
        at: Millis,
    ) -> Result<Vec<String>, StoreError>;
    /// Records an objection, unless the delegation already lodged `limit` in the organisation's
    /// process (`Quota`).
    fn add_objection(&self, organisation: &str, objection: &Objection, limit: Limit) -> Result<(), StoreError>;
    /// Records a representative, unless the organisation already has `limit` active (`Quota`).
    fn add_representative(&self, representative: &Representative, limit: Limit) -> Result<(), StoreError>;
    fn representatives(&self, organisation: &str) -> Result<Vec<Representative>, StoreError>;
    fn representative(&self, id: &ParticipantId) -> Result<Option<Representative>, StoreError>;
    /// False when already revoked or unknown.
    fn revoke_representative(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError>;
    /// Records an expert, unless the delegation already has `limit` active in the process (`Quota`).
    fn add_expert(&self, expert: &Expert, limit: Limit) -> Result<(), StoreError>;
    fn experts(&self, process: &ProcessId, delegation: &str) -> Result<Vec<Expert>, StoreError>;
    fn expert(&self, id: &ParticipantId) -> Result<Option<Expert>, StoreError>;
    /// False when already revoked or unknown.
    fn revoke_expert(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError>;
    /// Records a document and its file; an organisation's material within its quotas (`Quota`).
    fn add_document(
        &self,
        document: &Document,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError>;
    /// One page of a meeting's documents, in the order they were added.
    fn documents(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<Document>, StoreError>;
    /// An uploaded document and its bytes.
    fn document_file(&self, id: &str) -> Result<Option<(Document, Vec<u8>)>, StoreError>;
}

/// A token id revoked before the token expired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedToken {
    /// The token's id (its `jti` claim).
    pub jti: String,
    pub revoked_at: Millis,
    /// Why, for the record.
    pub reason: Option<String>,
}

/// Token ids revoked one by one: tokens minted directly name no organisation whose accreditation
/// could be withdrawn. Every method blocks; call from a blocking task.
pub trait TokenStore: Send + Sync + std::fmt::Debug + 'static {
    /// Records that a token id is revoked. Returns the revocation in force: the first one, when the
    /// id was already revoked.
    fn revoke_token(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError>;
    /// Whether a token id was revoked.
    fn token_revoked(&self, jti: &str) -> Result<bool, StoreError>;
    /// The revocations recorded after `cursor` (0: all of them), in the order they were recorded,
    /// each with its own cursor: polling with the last one returns only those recorded since.
    fn revoked_tokens_after(&self, cursor: i64) -> Result<Vec<(i64, RevokedToken)>, StoreError>;

    /// Records a link the secretariat issued.
    fn record_link(&self, link: &StoredLink) -> Result<(), StoreError>;
    /// A link by the id of its token.
    fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError>;
    /// One page of the links of a process (of one meeting, or those opening the whole process when
    /// `meeting` is `None`) that were not replaced, in the order they were issued.
    fn links(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        page: &PageRequest,
    ) -> Result<Page<StoredLink>, StoreError>;
    /// The link not replaced for this delegation (or officer) in this scope, if any.
    fn current_link(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        participant: &ParticipantId,
    ) -> Result<Option<StoredLink>, StoreError>;
    /// Revokes the link `old` and records `new` in its place, in one transaction.
    fn replace_link(&self, old: &str, new: &StoredLink, revocation: &RevokedToken) -> Result<(), StoreError>;
    /// Revokes a link: its token, and the link as listed. Returns the revocation in force.
    fn revoke_link(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError>;
    /// The secret named `name` that every node shares: the one stored, or else `fresh`, stored
    /// now. Two nodes asking at once both get the one that was stored first.
    fn shared_secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError>;
}

/// A link the secretariat issued: whom for, and the claims of its token, so that the console can
/// show the same link again (signed again with the same key, never kept as a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLink {
    /// The token's id.
    pub id: String,
    pub process: ProcessId,
    pub meeting: Option<MeetingId>,
    pub participant: shared::Participant,
    pub kind: Option<shared::delegations::DelegationKind>,
    /// The token's claims as JSON.
    pub claims: String,
    /// The key that signed it.
    pub kid: String,
    pub issued_at: Millis,
    pub expires_at: Millis,
    pub revoked_at: Option<Millis>,
    /// The link that replaced this one, when it was re-issued.
    pub replaced_by: Option<String>,
}

/// The written input portal: statements submitted to a process, their PDFs, and states' responses.
/// Every method blocks; call from a blocking task.
pub trait WrittenStore: Send + Sync + std::fmt::Debug + 'static {
    /// Records a statement sent by `by` and, in the same transaction, its PDF: either both are
    /// stored or neither is.
    fn add_statement(&self, statement: &Statement, by: &ParticipantId, file: Option<&[u8]>) -> Result<(), StoreError> {
        self.submit_statement(statement, by, file, None)
    }
    /// The same, for an organisation within its quotas (`Quota`): counted in the same transaction.
    fn submit_statement(
        &self,
        statement: &Statement,
        by: &ParticipantId,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError>;
    /// A process's statements (or one meeting's), newest first, each with its responses.
    fn statements(&self, process: &ProcessId, meeting: Option<&MeetingId>) -> Result<Vec<Statement>, StoreError>;
    /// One page of the same, newest first, of the statements tied to no meeting or to one of
    /// `readable` (the meetings whose record the reader may read).
    fn statements_page(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        readable: &[MeetingId],
        page: &PageRequest,
    ) -> Result<Page<Statement>, StoreError>;
    /// A statement with its responses.
    fn statement(&self, id: &str) -> Result<Option<Statement>, StoreError>;
    /// A statement's PDF and its bytes.
    fn statement_file(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError>;
    /// A co-signer of a statement, named as recorded, confirms (`true`: it is then shown as
    /// co-signing) or declines (`false`: it is taken off). False when the statement has no such
    /// co-signer.
    fn answer_co_signer(&self, statement: &str, name: &str, confirm: bool) -> Result<bool, StoreError>;
    /// Records a response written by `by` to a statement (which must exist).
    fn add_response(&self, statement: &str, response: &Response, by: &ParticipantId) -> Result<(), StoreError>;
}
