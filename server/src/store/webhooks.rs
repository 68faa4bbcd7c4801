//! The outgoing webhooks' tables: each endpoint with its durable cursor into its meeting's log, and
//! the log of delivery attempts. The meeting's event log itself is the outbox (`docs/design.md`,
//! "The webhooks' outbox is the event log"): nothing is copied into a queue, an endpoint only
//! remembers how far it got.

use rusqlite::{params, Connection, OptionalExtension};
use shared::api::{Cursor, Page, PageRequest};
use shared::webhooks::{Delivery, EventType, Paused};
use shared::{MeetingId, Millis, Seq};

use super::sqlite::SqliteStore;
use super::StoreError;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    list INTEGER NOT NULL,
    -- The signing secret as shown once (`whsec_…`): the server signs with it on every attempt, so
    -- it is kept, in the private data directory, and never answered again nor logged.
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    paused_at INTEGER,
    paused_reason TEXT,
    -- The sequence number of the meeting's last event this endpoint is done with.
    cursor INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhooks_of_meeting ON webhooks (meeting, created_at);
-- Every attempt, newest last by id; at most `keep` per endpoint (pruned as attempts are added).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook TEXT NOT NULL,
    message_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    seq INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_newest ON webhook_deliveries (webhook, id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_of_message ON webhook_deliveries (webhook, message_id);
";

/// An endpoint as stored, with its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWebhook {
    pub id: String,
    pub meeting: MeetingId,
    pub url: String,
    pub description: Option<String>,
    /// Whether the list's events are sent too.
    pub list: bool,
    /// `whsec_…`.
    pub secret: String,
    pub created_at: Millis,
    /// The participant id of the secretariat officer who added it.
    pub created_by: String,
    pub paused: Option<Paused>,
    pub cursor: Seq,
    /// The latest attempt (filled in when read).
    pub last_delivery: Option<Delivery>,
}

/// An attempt to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDelivery {
    pub webhook: String,
    pub delivery: Delivery,
}

/// The outgoing webhooks' endpoints and their delivery log. Every method blocks; call from a
/// blocking task.
pub trait WebhookStore: Send + Sync + std::fmt::Debug + 'static {
    /// Records a new endpoint.
    fn create_webhook(&self, webhook: &StoredWebhook) -> Result<(), StoreError>;
    fn webhook(&self, id: &str) -> Result<Option<StoredWebhook>, StoreError>;
    /// One page of a meeting's endpoints, in the order they were added.
    fn webhooks(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<StoredWebhook>, StoreError>;
    /// How many endpoints a meeting has.
    fn count_webhooks(&self, meeting: &MeetingId) -> Result<u64, StoreError>;
    /// Every endpoint of every meeting, for the deliverer.
    fn all_webhooks(&self) -> Result<Vec<StoredWebhook>, StoreError>;
    /// Pauses (`Some`) or resumes (`None`) an endpoint; false when there is no such endpoint.
    fn set_webhook_paused(&self, id: &str, paused: Option<&Paused>) -> Result<bool, StoreError>;
    /// Deletes an endpoint and its delivery log; false when there is no such endpoint.
    fn delete_webhook(&self, id: &str) -> Result<bool, StoreError>;
    /// Moves an endpoint's cursor forward to `seq` (never back).
    fn advance_webhook(&self, id: &str, seq: Seq) -> Result<(), StoreError>;
    /// Records an attempt, keeping the newest `keep` of its endpoint; a successful one moves the
    /// endpoint's cursor to its event in the same transaction.
    fn record_delivery(&self, delivery: &StoredDelivery, keep: u32) -> Result<(), StoreError>;
    /// One page of an endpoint's attempts, newest first.
    fn deliveries(&self, webhook: &str, page: &PageRequest) -> Result<Page<Delivery>, StoreError>;
    /// The number of the latest attempt recorded at a message (0: none), so that attempts go on
    /// being numbered across restarts.
    fn last_attempt(&self, webhook: &str, message_id: &str) -> Result<u32, StoreError>;
}

/// An endpoint's columns and its latest attempt's (from the twelfth on), the same on both backends.
pub(super) const COLUMNS: &str =
    "w.id, w.meeting, w.url, w.description, w.list, w.secret, w.created_at, w.created_by, \
     w.paused_at, w.paused_reason, w.cursor, \
     d.message_id, d.event_type, d.seq, d.attempt, d.at, d.status, d.error, d.duration_ms";

/// The endpoints with their latest attempt.
pub(super) const FROM: &str = "webhooks w LEFT JOIN webhook_deliveries d
     ON d.id = (SELECT MAX(id) FROM webhook_deliveries WHERE webhook = w.id)";

/// An attempt's columns, the same on both backends.
pub(super) const DELIVERY_COLUMNS: &str = "message_id, event_type, seq, attempt, at, status, error, duration_ms";

/// An endpoint's own columns of [`COLUMNS`] as either backend reads them.
pub(super) type WebhookColumns =
    (String, String, String, Option<String>, bool, String, i64, String, Option<i64>, Option<String>, i64);

/// [`DELIVERY_COLUMNS`] as either backend reads them.
pub(super) type DeliveryColumns = (String, String, i64, i64, i64, Option<i64>, Option<String>, i64);

/// An endpoint from its columns and its latest attempt, or the column that does not read and why.
pub(super) fn webhook_from(
    columns: WebhookColumns,
    last_delivery: Option<Delivery>,
) -> Result<StoredWebhook, (usize, String)> {
    let (id, meeting, url, description, list, secret, created_at, created_by, paused_at, reason, cursor) = columns;
    Ok(StoredWebhook {
        id,
        meeting: MeetingId::parse(meeting).map_err(|e| (1, e.to_string()))?,
        url,
        description,
        list,
        secret,
        created_at: Millis(created_at),
        created_by,
        paused: paused_at.map(|at| Paused { at: Millis(at), reason: reason.unwrap_or_default() }),
        cursor: Seq(cursor as u64),
        last_delivery,
    })
}

/// An attempt from its columns, or the column that does not read and why.
pub(super) fn delivery_from(columns: DeliveryColumns) -> Result<Delivery, (usize, String)> {
    let (message_id, kind, seq, attempt, at, status, error, duration_ms) = columns;
    let status = status.map(u16::try_from).transpose().map_err(|e| (5, e.to_string()))?;
    Ok(Delivery {
        message_id,
        kind: kind.parse::<EventType>().map_err(|e| (1, e.to_string()))?,
        seq: Seq(seq as u64),
        attempt: u32::try_from(attempt).map_err(|e| (3, e.to_string()))?,
        at: Millis(at),
        status,
        ok: status.is_some_and(|s| (200..300).contains(&s)),
        error,
        duration_ms: duration_ms as u64,
    })
}

fn bad(i: usize, e: impl ToString) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.to_string().into())
}

fn delivery_at(r: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Delivery> {
    let columns = (
        r.get(first)?,
        r.get(first + 1)?,
        r.get(first + 2)?,
        r.get(first + 3)?,
        r.get(first + 4)?,
        r.get(first + 5)?,
        r.get(first + 6)?,
        r.get(first + 7)?,
    );
    delivery_from(columns).map_err(|(i, e)| bad(first + i, e))
}

/// An endpoint read with [`COLUMNS`] and then its rowid.
fn webhook_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(StoredWebhook, i64)> {
    let last_delivery = match r.get::<_, Option<String>>(11)? {
        Some(_) => Some(delivery_at(r, 11)?),
        None => None,
    };
    let webhook = webhook_from(r.try_into()?, last_delivery).map_err(|(i, e)| bad(i, e))?;
    Ok((webhook, r.get(19)?))
}

fn read_one(conn: &Connection, id: &str) -> Result<Option<StoredWebhook>, StoreError> {
    let found = conn
        .query_row(&format!("SELECT {COLUMNS}, w.rowid FROM {FROM} WHERE w.id = ?1"), [id], webhook_row)
        .optional()?;
    Ok(found.map(|(w, _)| w))
}

impl WebhookStore for SqliteStore {
    fn create_webhook(&self, webhook: &StoredWebhook) -> Result<(), StoreError> {
        self.admin().execute(
            "INSERT INTO webhooks (id, meeting, url, description, list, secret, created_at, created_by, cursor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                webhook.id,
                webhook.meeting.as_str(),
                webhook.url,
                webhook.description,
                webhook.list,
                webhook.secret,
                webhook.created_at.0,
                webhook.created_by,
                webhook.cursor.0 as i64
            ],
        )?;
        Ok(())
    }

    fn webhook(&self, id: &str) -> Result<Option<StoredWebhook>, StoreError> {
        read_one(&self.admin(), id)
    }

    fn webhooks(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<StoredWebhook>, StoreError> {
        let conn = self.admin();
        let (at, key) = super::accreditation::after(page);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, w.rowid FROM {FROM}
             WHERE w.meeting = ?1 AND (?2 IS NULL OR (w.created_at, w.rowid) > (?2, ?3))
             ORDER BY w.created_at, w.rowid LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![meeting.as_str(), at, key, page.limit + 1], webhook_row)?;
        let page = page.page(rows.collect::<Result<Vec<_>, _>>()?, |(w, rowid)| Cursor {
            at: w.created_at.0,
            key: rowid.to_string(),
        });
        Ok(Page { items: page.items.into_iter().map(|(w, _)| w).collect(), next: page.next })
    }

    fn count_webhooks(&self, meeting: &MeetingId) -> Result<u64, StoreError> {
        let count: i64 =
            self.admin()
                .query_row("SELECT COUNT(*) FROM webhooks WHERE meeting = ?1", [meeting.as_str()], |r| r.get(0))?;
        Ok(count as u64)
    }

    fn all_webhooks(&self) -> Result<Vec<StoredWebhook>, StoreError> {
        let conn = self.admin();
        let mut stmt =
            conn.prepare_cached(&format!("SELECT {COLUMNS}, w.rowid FROM {FROM} ORDER BY w.created_at, w.rowid"))?;
        let rows = stmt.query_map([], webhook_row)?;
        Ok(rows.map(|row| row.map(|(w, _)| w)).collect::<Result<_, _>>()?)
    }

    fn set_webhook_paused(&self, id: &str, paused: Option<&Paused>) -> Result<bool, StoreError> {
        let changed = self.admin().execute(
            "UPDATE webhooks SET paused_at = ?2, paused_reason = ?3 WHERE id = ?1",
            params![id, paused.map(|p| p.at.0), paused.map(|p| p.reason.as_str())],
        )?;
        Ok(changed > 0)
    }

    fn delete_webhook(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM webhook_deliveries WHERE webhook = ?1", [id])?;
        let deleted = tx.execute("DELETE FROM webhooks WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn advance_webhook(&self, id: &str, seq: Seq) -> Result<(), StoreError> {
        self.admin()
            .execute("UPDATE webhooks SET cursor = MAX(cursor, ?2) WHERE id = ?1", params![id, seq.0 as i64])?;
        Ok(())
    }

    fn record_delivery(&self, stored: &StoredDelivery, keep: u32) -> Result<(), StoreError> {
        let d = &stored.delivery;
        let mut conn = self.admin();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO webhook_deliveries (webhook, message_id, event_type, seq, attempt, at, status, error, duration_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                stored.webhook,
                d.message_id,
                d.kind.as_str(),
                d.seq.0 as i64,
                d.attempt,
                d.at.0,
                d.status,
                d.error,
                d.duration_ms as i64
            ],
        )?;
        // The log stays bounded: what is older than the newest `keep` attempts goes.
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE webhook = ?1 AND id <= (
                 SELECT id FROM webhook_deliveries WHERE webhook = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)",
            params![stored.webhook, keep],
        )?;
        if d.ok {
            tx.execute(
                "UPDATE webhooks SET cursor = MAX(cursor, ?2) WHERE id = ?1",
                params![stored.webhook, d.seq.0 as i64],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn deliveries(&self, webhook: &str, page: &PageRequest) -> Result<Page<Delivery>, StoreError> {
        let conn = self.admin();
        let key: Option<i64> = page.after.as_ref().and_then(|c| c.key.parse().ok());
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS}, id FROM webhook_deliveries WHERE webhook = ?1 AND (?2 IS NULL OR id < ?2)
             ORDER BY id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(params![webhook, key, page.limit + 1], |r| Ok((delivery_at(r, 0)?, r.get(8)?)))?;
        let page = page.page(rows.collect::<Result<Vec<(Delivery, i64)>, _>>()?, |(d, id)| Cursor {
            at: d.at.0.max(0),
            key: id.to_string(),
        });
        Ok(Page { items: page.items.into_iter().map(|(d, _)| d).collect(), next: page.next })
    }

    fn last_attempt(&self, webhook: &str, message_id: &str) -> Result<u32, StoreError> {
        let last: Option<u32> = self.admin().query_row(
            "SELECT MAX(attempt) FROM webhook_deliveries WHERE webhook = ?1 AND message_id = ?2",
            params![webhook, message_id],
            |r| r.get(0),
        )?;
        Ok(last.unwrap_or(0))
    }
}
