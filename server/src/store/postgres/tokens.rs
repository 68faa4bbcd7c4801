//! PostgreSQL tables of revoked token ids and of the links the secretariat issued, as in the SQLite
//! store (`store/tokens.rs`).

use postgres::{GenericClient, Row, Transaction};
use shared::api::{Cursor, Page, PageRequest};
use shared::{MeetingId, Millis, ParticipantId, ProcessId};

use super::PgStore;
use crate::store::accreditation::after;
use crate::store::tokens::{link_from, LINK_COLUMNS};
use crate::store::{RevokedToken, StoreError, StoredLink, TokenStore};

/// `position` orders the rows as SQLite's rowid does: revocations as they were committed (the cursor
/// every node polls with), links issued in one millisecond as they were added.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti TEXT PRIMARY KEY,
    position BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    revoked_at BIGINT NOT NULL,
    reason TEXT
);
-- The links the secretariat issued from its console: whom for and the token's claims (never the
-- token). `meeting` is '' for a link to the whole process, so that the unique index holds.
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    secret BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    position BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    process TEXT NOT NULL,
    meeting TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    participant TEXT NOT NULL,
    kind TEXT,
    claims TEXT NOT NULL,
    kid TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    replaced_by TEXT
);
CREATE INDEX IF NOT EXISTS links_in_order ON links (process, meeting, issued_at, position);
CREATE UNIQUE INDEX IF NOT EXISTS one_current_link ON links (process, meeting, participant_id)
    WHERE replaced_by IS NULL;
";

/// Taken (for the transaction) by every revocation before it draws its position. A position is
/// drawn before its transaction commits, so two revocations drawn 5 and 6 could commit 6 first: a
/// node polling in between would move its cursor to 6 and never see 5. Under the lock, positions
/// commit in the order they are drawn.
const REVOCATION_LOCK: i64 = 0x7265_766f_6b65_6400; // "revoked\0"

/// A link's columns that do not read as a link: the database holds what this server did not write.
fn unreadable((column, reason): (usize, String)) -> StoreError {
    StoreError::Database(format!("a stored link does not read at column {column}: {reason}").into())
}

/// The columns at these indices of a row, read into a tuple; `?` on the first that does not read.
macro_rules! columns {
    ($row:expr, $($index:expr),+ $(,)?) => {
        ($($row.try_get($index)?,)+)
    };
}
pub(super) use columns;

fn link_row(row: &Row) -> Result<StoredLink, StoreError> {
    link_from(columns!(row, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)).map_err(unreadable)
}

fn insert_link(conn: &mut impl GenericClient, link: &StoredLink) -> Result<(), StoreError> {
    let participant = serde_json::to_string(&link.participant).expect("a participant serializes");
    let kind: Option<&'static str> = link.kind.map(Into::into);
    conn.execute(
        "INSERT INTO links (id, process, meeting, participant_id, participant, kind, claims, kid, issued_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &link.id,
            &link.process.as_str(),
            &link.meeting.as_ref().map_or("", |m| m.as_str()),
            &link.participant.id.as_str(),
            &participant,
            &kind,
            &link.claims,
            &link.kid,
            &link.issued_at.0,
            &link.expires_at.0,
        ],
    )?;
    Ok(())
}

/// Records a revocation unless its token id is revoked already, and returns the one in force.
fn revoke(tx: &mut Transaction<'_>, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&REVOCATION_LOCK])?;
    tx.execute(
        "INSERT INTO revoked_tokens (jti, revoked_at, reason) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING",
        &[&revocation.jti, &revocation.revoked_at.0, &revocation.reason],
    )?;
    let row = tx.query_one("SELECT jti, revoked_at, reason FROM revoked_tokens WHERE jti = $1", &[&revocation.jti])?;
    Ok(revoked_token(&row, 0))
}

/// The revocation in the columns `jti, revoked_at, reason` from `first` on.
fn revoked_token(row: &Row, first: usize) -> RevokedToken {
    RevokedToken { jti: row.get(first), revoked_at: Millis(row.get(first + 1)), reason: row.get(first + 2) }
}

impl TokenStore for PgStore {
    fn shared_secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut conn = self.admin()?;
        conn.execute(
            "INSERT INTO secrets (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
            &[&name, &fresh],
        )?;
        Ok(conn.query_one("SELECT secret FROM secrets WHERE name = $1", &[&name])?.get(0))
    }

    fn revoke_token(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        let stored = revoke(&mut tx, revocation)?;
        tx.commit()?;
        Ok(stored)
    }

    fn token_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        let found = self.admin()?.query_opt("SELECT 1 FROM revoked_tokens WHERE jti = $1", &[&jti])?;
        Ok(found.is_some())
    }

    fn revoked_tokens_after(&self, cursor: i64) -> Result<Vec<(i64, RevokedToken)>, StoreError> {
        let rows = self.admin()?.query(
            "SELECT position, jti, revoked_at, reason FROM revoked_tokens WHERE position > $1 ORDER BY position",
            &[&cursor],
        )?;
        Ok(rows.iter().map(|row| (row.get(0), revoked_token(row, 1))).collect())
    }

    fn record_link(&self, link: &StoredLink) -> Result<(), StoreError> {
        insert_link(&mut **self.admin()?, link)
    }

    fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError> {
        let found = self.admin()?.query_opt(&format!("SELECT {LINK_COLUMNS} FROM links WHERE id = $1"), &[&id])?;
        found.as_ref().map(link_row).transpose()
    }

    fn links(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        page: &PageRequest,
    ) -> Result<Page<StoredLink>, StoreError> {
        let (at, key) = after(page);
        let rows = self.admin()?.query(
            &format!(
                "SELECT {LINK_COLUMNS}, position FROM links
                 WHERE process = $1 AND meeting = $2 AND replaced_by IS NULL
                   AND ($3::BIGINT IS NULL OR (issued_at, position) > ($3, $4))
                 ORDER BY issued_at, position LIMIT $5"
            ),
            &[&process.as_str(), &meeting.map_or("", |m| m.as_str()), &at, &key, &(i64::from(page.limit) + 1)],
        )?;
        let links = rows
            .iter()
            .map(|row| Ok((link_row(row)?, row.try_get::<_, i64>(11)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        let page = page.page(links, |(l, position)| Cursor { at: l.issued_at.0, key: position.to_string() });
        Ok(Page { items: page.items.into_iter().map(|(l, _)| l).collect(), next: page.next })
    }

    fn current_link(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        participant: &ParticipantId,
    ) -> Result<Option<StoredLink>, StoreError> {
        let found = self.admin()?.query_opt(
            &format!(
                "SELECT {LINK_COLUMNS} FROM links
                 WHERE process = $1 AND meeting = $2 AND participant_id = $3 AND replaced_by IS NULL"
            ),
            &[&process.as_str(), &meeting.map_or("", |m| m.as_str()), &participant.as_str()],
        )?;
        found.as_ref().map(link_row).transpose()
    }

    fn replace_link(&self, old: &str, new: &StoredLink, revocation: &RevokedToken) -> Result<(), StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        revoke(&mut tx, revocation)?;
        // Marked replaced before the new one goes in, so that the unique index lets it.
        tx.execute(
            "UPDATE links SET revoked_at = COALESCE(revoked_at, $2), replaced_by = $3 WHERE id = $1",
            &[&old, &revocation.revoked_at.0, &new.id],
        )?;
        insert_link(&mut tx, new)?;
        tx.commit()?;
        Ok(())
    }

    fn revoke_link(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        let stored = revoke(&mut tx, revocation)?;
        tx.execute(
            "UPDATE links SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1",
            &[&stored.jti, &stored.revoked_at.0],
        )?;
        tx.commit()?;
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use postgres::{Client, NoTls};

    use super::*;
    use crate::store::postgres::scratch;
    use crate::store::suite::postgres_url;

    fn revocation(jti: &str) -> RevokedToken {
        RevokedToken { jti: jti.into(), revoked_at: Millis(1), reason: None }
    }

    #[test]
    fn a_revocation_commits_only_after_the_one_another_node_began_before_it() {
        // Arrange: two nodes and a poller on one database; the other node has drawn t1's position
        // and not committed yet.
        let admin = postgres_url();
        let (name, url) = scratch::create(&admin).unwrap();
        let node = Arc::new(PgStore::open(&url).unwrap());
        let poller = PgStore::open(&url).unwrap();
        let mut other = Client::connect(&url, NoTls).unwrap();
        let mut other_revoking = other.transaction().unwrap();
        revoke(&mut other_revoking, &revocation("t1")).unwrap();

        // Act
        let revoking = std::thread::spawn({
            let node = node.clone();
            move || node.revoke_token(&revocation("t2"))
        });
        std::thread::sleep(Duration::from_millis(300));
        let meanwhile = poller.revoked_tokens_after(0).unwrap();
        other_revoking.commit().unwrap();
        revoking.join().unwrap().unwrap();
        let after = poller.revoked_tokens_after(0).unwrap();
        drop((node, poller, other));
        scratch::drop(&admin, &name).unwrap();

        // Assert
        assert!(meanwhile.is_empty(), "t2 waits for t1, so no poller moves past t1 unseen: {meanwhile:?}");
        assert_eq!(after.iter().map(|(_, r)| r.jti.as_str()).collect::<Vec<_>>(), ["t1", "t2"]);
    }
}
