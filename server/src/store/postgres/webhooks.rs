//! PostgreSQL tables of the outgoing webhooks' endpoints and of their delivery attempts, as in the
//! SQLite store (`store/webhooks.rs`).

use postgres::Row;
use shared::api::{Cursor, Page, PageRequest};
use shared::webhooks::{Delivery, Paused};
use shared::{MeetingId, Seq};

use super::tokens::columns;
use super::PgStore;
use crate::store::accreditation::after;
use crate::store::webhooks::{delivery_from, webhook_from, COLUMNS, DELIVERY_COLUMNS, FROM};
use crate::store::{StoreError, StoredDelivery, StoredWebhook, WebhookStore};

/// `position` orders the endpoints added in one millisecond as SQLite's rowid does; an attempt's
/// `id` orders its endpoint's attempts, newest last.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS webhooks (
    id TEXT PRIMARY KEY,
    position BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    meeting TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT,
    list BOOLEAN NOT NULL,
    -- The signing secret as shown once (`whsec_…`): the server signs with it on every attempt, so
    -- it is kept, in the database, and never answered again nor logged.
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    paused_at BIGINT,
    paused_reason TEXT,
    -- The sequence number of the meeting's last event this endpoint is done with.
    cursor BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhooks_of_meeting ON webhooks (meeting, created_at, position);
-- Every attempt, newest last by id; at most `keep` per endpoint (pruned as attempts are added).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook TEXT NOT NULL,
    message_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    seq BIGINT NOT NULL,
    attempt BIGINT NOT NULL,
    at BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_newest ON webhook_deliveries (webhook, id);
CREATE INDEX IF NOT EXISTS webhook_deliveries_of_message ON webhook_deliveries (webhook, message_id);
";

/// Columns that do not read as an endpoint or an attempt: the database holds what this server did
/// not write.
fn unreadable((column, reason): (usize, String)) -> StoreError {
    StoreError::Database(format!("a stored webhook does not read at column {column}: {reason}").into())
}

/// The attempt in [`DELIVERY_COLUMNS`] from `first` on.
fn delivery_at(row: &Row, first: usize) -> Result<Delivery, StoreError> {
    let columns = columns!(row, first, first + 1, first + 2, first + 3, first + 4, first + 5, first + 6, first + 7);
    delivery_from(columns).map_err(|(i, e)| unreadable((first + i, e)))
}

/// An endpoint read with [`COLUMNS`] and then its position.
fn webhook_row(row: &Row) -> Result<(StoredWebhook, i64), StoreError> {
    let last_delivery = match row.try_get::<_, Option<String>>(11)? {
        Some(_) => Some(delivery_at(row, 11)?),
        None => None,
    };
    let columns = columns!(row, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    Ok((webhook_from(columns, last_delivery).map_err(unreadable)?, row.try_get(19)?))
}

impl WebhookStore for PgStore {
    fn create_webhook(&self, webhook: &StoredWebhook) -> Result<(), StoreError> {
        self.admin()?.execute(
            "INSERT INTO webhooks (id, meeting, url, description, list, secret, created_at, created_by, cursor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &webhook.id,
                &webhook.meeting.as_str(),
                &webhook.url,
                &webhook.description,
                &webhook.list,
                &webhook.secret,
                &webhook.created_at.0,
                &webhook.created_by,
                &(webhook.cursor.0 as i64),
            ],
        )?;
        Ok(())
    }

    fn webhook(&self, id: &str) -> Result<Option<StoredWebhook>, StoreError> {
        let found =
            self.admin()?.query_opt(&format!("SELECT {COLUMNS}, w.position FROM {FROM} WHERE w.id = $1"), &[&id])?;
        Ok(found.as_ref().map(webhook_row).transpose()?.map(|(w, _)| w))
    }

    fn webhooks(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<StoredWebhook>, StoreError> {
        let (at, key) = after(page);
        let rows = self.admin()?.query(
            &format!(
                "SELECT {COLUMNS}, w.position FROM {FROM}
                 WHERE w.meeting = $1 AND ($2::BIGINT IS NULL OR (w.created_at, w.position) > ($2, $3))
                 ORDER BY w.created_at, w.position LIMIT $4"
            ),
            &[&meeting.as_str(), &at, &key, &(i64::from(page.limit) + 1)],
        )?;
        let webhooks = rows.iter().map(webhook_row).collect::<Result<Vec<_>, _>>()?;
        let page = page.page(webhooks, |(w, position)| Cursor { at: w.created_at.0, key: position.to_string() });
        Ok(Page { items: page.items.into_iter().map(|(w, _)| w).collect(), next: page.next })
    }

    fn count_webhooks(&self, meeting: &MeetingId) -> Result<u64, StoreError> {
        let row = self.admin()?.query_one("SELECT COUNT(*) FROM webhooks WHERE meeting = $1", &[&meeting.as_str()])?;
        Ok(row.try_get::<_, i64>(0)?.max(0) as u64)
    }

    fn all_webhooks(&self) -> Result<Vec<StoredWebhook>, StoreError> {
        let rows = self
            .admin()?
            .query(&format!("SELECT {COLUMNS}, w.position FROM {FROM} ORDER BY w.created_at, w.position"), &[])?;
        rows.iter().map(|row| Ok(webhook_row(row)?.0)).collect()
    }

    fn set_webhook_paused(&self, id: &str, paused: Option<&Paused>) -> Result<bool, StoreError> {
        let changed = self.admin()?.execute(
            "UPDATE webhooks SET paused_at = $2, paused_reason = $3 WHERE id = $1",
            &[&id, &paused.map(|p| p.at.0), &paused.map(|p| p.reason.as_str())],
        )?;
        Ok(changed > 0)
    }

    fn delete_webhook(&self, id: &str) -> Result<bool, StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        tx.execute("DELETE FROM webhook_deliveries WHERE webhook = $1", &[&id])?;
        let deleted = tx.execute("DELETE FROM webhooks WHERE id = $1", &[&id])?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn advance_webhook(&self, id: &str, seq: Seq) -> Result<(), StoreError> {
        self.admin()?
            .execute("UPDATE webhooks SET cursor = GREATEST(cursor, $2) WHERE id = $1", &[&id, &(seq.0 as i64)])?;
        Ok(())
    }

    fn record_delivery(&self, stored: &StoredDelivery, keep: u32) -> Result<(), StoreError> {
        let d = &stored.delivery;
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO webhook_deliveries (webhook, message_id, event_type, seq, attempt, at, status, error, duration_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            &[
                &stored.webhook,
                &d.message_id,
                &d.kind.as_str(),
                &(d.seq.0 as i64),
                &i64::from(d.attempt),
                &d.at.0,
                &d.status.map(i64::from),
                &d.error,
                &(d.duration_ms as i64),
            ],
        )?;
        // The log stays bounded: what is older than the newest `keep` attempts goes.
        tx.execute(
            "DELETE FROM webhook_deliveries WHERE webhook = $1 AND id <= (
                 SELECT id FROM webhook_deliveries WHERE webhook = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
            &[&stored.webhook, &i64::from(keep)],
        )?;
        if d.ok {
            tx.execute(
                "UPDATE webhooks SET cursor = GREATEST(cursor, $2) WHERE id = $1",
                &[&stored.webhook, &(d.seq.0 as i64)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn deliveries(&self, webhook: &str, page: &PageRequest) -> Result<Page<Delivery>, StoreError> {
        let key: Option<i64> = page.after.as_ref().and_then(|c| c.key.parse().ok());
        let rows = self.admin()?.query(
            &format!(
                "SELECT {DELIVERY_COLUMNS}, id FROM webhook_deliveries
                 WHERE webhook = $1 AND ($2::BIGINT IS NULL OR id < $2)
                 ORDER BY id DESC LIMIT $3"
            ),
            &[&webhook, &key, &(i64::from(page.limit) + 1)],
        )?;
        let deliveries = rows
            .iter()
            .map(|row| Ok((delivery_at(row, 0)?, row.try_get::<_, i64>(8)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let page = page.page(deliveries, |(d, id)| Cursor { at: d.at.0.max(0), key: id.to_string() });
        Ok(Page { items: page.items.into_iter().map(|(d, _)| d).collect(), next: page.next })
    }

    fn last_attempt(&self, webhook: &str, message_id: &str) -> Result<u32, StoreError> {
        let row = self.admin()?.query_one(
            "SELECT MAX(attempt) FROM webhook_deliveries WHERE webhook = $1 AND message_id = $2",
            &[&webhook, &message_id],
        )?;
        let last: Option<i64> = row.try_get(0)?;
        last.map_or(Ok(0), |a| u32::try_from(a).map_err(|e| unreadable((0, e.to_string()))))
    }
}
