//! SQLite table of revoked token ids. The secretariat revokes a token minted directly (which names
//! no organisation whose accreditation could be withdrawn) by its id, over the API or with
//! `rostrum token revoke` beside the running server; the server polls the table for the latter.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use shared::api::{Cursor, Page, PageRequest};
use shared::{MeetingId, Millis, ParticipantId, ProcessId};

use super::sqlite::SqliteStore;
use super::{RevokedToken, StoreError, StoredLink, TokenStore};

/// A rowid table: the rowid orders revocations as they were committed (writers are serialised and
/// nothing is ever deleted), and is the cursor the server polls with.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    reason TEXT
);
-- The links the secretariat issued from its console: whom for and the token's claims (never the
-- token). `meeting` is '' for a link to the whole process, so that the unique index holds.
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY,
    process TEXT NOT NULL,
    meeting TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    participant TEXT NOT NULL,
    kind TEXT,
    claims TEXT NOT NULL,
    kid TEXT NOT NULL,
    issued_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    replaced_by TEXT
);
CREATE INDEX IF NOT EXISTS links_in_order ON links (process, meeting, issued_at);
CREATE UNIQUE INDEX IF NOT EXISTS one_current_link ON links (process, meeting, participant_id)
    WHERE replaced_by IS NULL;
-- Secrets drawn once and kept (the public forms' challenges are sealed with one).
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    secret BLOB NOT NULL
);
";

/// A link's columns; one revoked by its token's id alone (`rostrum token revoke` beside the server)
/// reads as revoked too. The same on both backends.
pub(super) const LINK_COLUMNS: &str = "id, process, meeting, participant, kind, claims, kid, issued_at, expires_at, \
     COALESCE(revoked_at, (SELECT r.revoked_at FROM revoked_tokens r WHERE r.jti = links.id)), replaced_by";

/// [`LINK_COLUMNS`] as either backend reads them: id, process, meeting (`''` for none), participant
/// (JSON), kind, claims, kid, issued at, expires at, revoked at, replaced by.
pub(super) type LinkColumns =
    (String, String, String, String, Option<String>, String, String, i64, i64, Option<i64>, Option<String>);

/// A link from its columns, or the column that does not read as one and why.
pub(super) fn link_from(columns: LinkColumns) -> Result<StoredLink, (usize, String)> {
    let (id, process, meeting, participant, kind, claims, kid, issued_at, expires_at, revoked_at, replaced_by) =
        columns;
    Ok(StoredLink {
        id,
        process: ProcessId::parse(process).map_err(|e| (1, e.to_string()))?,
        meeting: if meeting.is_empty() {
            None
        } else {
            Some(MeetingId::parse(meeting).map_err(|e| (2, e.to_string()))?)
        },
        participant: serde_json::from_str(&participant).map_err(|e| (3, e.to_string()))?,
        kind: kind.map(|k| k.parse().map_err(|_| (4, k))).transpose()?,
        claims,
        kid,
        issued_at: Millis(issued_at),
        expires_at: Millis(expires_at),
        revoked_at: revoked_at.map(Millis),
        replaced_by,
    })
}

fn link_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredLink> {
    link_from(r.try_into()?)
        .map_err(|(i, e)| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

fn insert_link(conn: &Connection, link: &StoredLink) -> Result<(), StoreError> {
    let participant = serde_json::to_string(&link.participant).expect("a participant serializes");
    let kind: Option<&'static str> = link.kind.map(Into::into);
    conn.execute(
        "INSERT INTO links (id, process, meeting, participant_id, participant, kind, claims, kid, issued_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            link.id,
            link.process.as_str(),
            link.meeting.as_ref().map_or("", |m| m.as_str()),
            link.participant.id.as_str(),
            participant,
            kind,
            link.claims,
            link.kid,
            link.issued_at.0,
            link.expires_at.0
        ],
    )?;
    Ok(())
}

fn revoke(conn: &Connection, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
    conn.execute(
        "INSERT OR IGNORE INTO revoked_tokens (jti, revoked_at, reason) VALUES (?1, ?2, ?3)",
        params![revocation.jti, revocation.revoked_at.0, revocation.reason],
    )?;
    let stored =
        conn.query_row("SELECT jti, revoked_at, reason FROM revoked_tokens WHERE jti = ?1", [&revocation.jti], |r| {
            Ok(RevokedToken { jti: r.get(0)?, revoked_at: Millis(r.get(1)?), reason: r.get(2)? })
        })?;
    Ok(stored)
}

impl TokenStore for SqliteStore {
    fn shared_secret(&self, name: &str, fresh: &[u8]) -> Result<Vec<u8>, StoreError> {
        let conn = self.admin();
        conn.execute(
            "INSERT INTO secrets (name, secret) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![name, fresh],
        )?;
        Ok(conn.query_row("SELECT secret FROM secrets WHERE name = ?1", [name], |r| r.get(0))?)
    }

    fn revoke_token(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
        revoke(&self.admin(), revocation)
    }

    fn token_revoked(&self, jti: &str) -> Result<bool, StoreError> {
        let found: Option<i64> =
            self.admin().query_row("SELECT 1 FROM revoked_tokens WHERE jti = ?1", [jti], |r| r.get(0)).optional()?;
        Ok(found.is_some())
    }

    fn revoked_tokens_after(&self, cursor: i64) -> Result<Vec<(i64, RevokedToken)>, StoreError> {
        let conn = self.admin();
        let mut stmt =
            conn.prepare("SELECT rowid, jti, revoked_at, reason FROM revoked_tokens WHERE rowid > ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([cursor], |r| {
            Ok((r.get(0)?, RevokedToken { jti: r.get(1)?, revoked_at: Millis(r.get(2)?), reason: r.get(3)? }))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn record_link(&self, link: &StoredLink) -> Result<(), StoreError> {
        insert_link(&self.admin(), link)
    }

    fn link(&self, id: &str) -> Result<Option<StoredLink>, StoreError> {
        let conn = self.admin();
        let found =
            conn.query_row(&format!("SELECT {LINK_COLUMNS} FROM links WHERE id = ?1"), [id], link_row).optional()?;
        Ok(found)
    }

    fn links(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        page: &PageRequest,
    ) -> Result<Page<StoredLink>, StoreError> {
        let conn = self.admin();
        let (at, key) = super::accreditation::after(page);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {LINK_COLUMNS}, rowid FROM links
             WHERE process = ?1 AND meeting = ?2 AND replaced_by IS NULL
               AND (?3 IS NULL OR (issued_at, rowid) > (?3, ?4))
             ORDER BY issued_at, rowid LIMIT ?5"
        ))?;
        let meeting = meeting.map_or("", |m| m.as_str());
        let rows = stmt.query_map(params![process.as_str(), meeting, at, key, page.limit + 1], |r| {
            Ok((link_row(r)?, r.get::<_, i64>(11)?))
        })?;
        let page = page.page(rows.collect::<Result<Vec<_>, _>>()?, |(l, rowid)| Cursor {
            at: l.issued_at.0,
            key: rowid.to_string(),
        });
        Ok(Page { items: page.items.into_iter().map(|(l, _)| l).collect(), next: page.next })
    }

    fn current_link(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        participant: &ParticipantId,
    ) -> Result<Option<StoredLink>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row(
                &format!(
                    "SELECT {LINK_COLUMNS} FROM links
                     WHERE process = ?1 AND meeting = ?2 AND participant_id = ?3 AND replaced_by IS NULL"
                ),
                params![process.as_str(), meeting.map_or("", |m| m.as_str()), participant.as_str()],
                link_row,
            )
            .optional()?;
        Ok(found)
    }

    fn replace_link(&self, old: &str, new: &StoredLink, revocation: &RevokedToken) -> Result<(), StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction()?;
        revoke(&tx, revocation)?;
        tx.execute(
            "UPDATE links SET revoked_at = COALESCE(revoked_at, ?2), replaced_by = ?3 WHERE id = ?1",
            params![old, revocation.revoked_at.0, new.id],
        )?;
        insert_link(&tx, new)?;
        tx.commit()?;
        Ok(())
    }

    fn revoke_link(&self, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction()?;
        let stored = revoke(&tx, revocation)?;
        tx.execute(
            "UPDATE links SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1",
            params![stored.jti, stored.revoked_at.0],
        )?;
        tx.commit()?;
        Ok(stored)
    }
}

/// Revokes a token id in the database of `data_dir` while a server may be running on it (the CLI):
/// a connection of its own, waiting its turn behind the server's writers. Returns the revocation
/// in force. Fails when the directory holds no database yet.
pub fn revoke_beside_server(data_dir: &Path, revocation: &RevokedToken) -> Result<RevokedToken, StoreError> {
    let path = data_dir.join(super::backup::DATABASE);
    if !path.is_file() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("there is no database in {}: start the server on it once first", data_dir.display()),
        )));
    }
    let conn = Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // As the server's own connections: WAL (already the file's mode) and durable commits.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A database written by a version before token revocation has no table yet.
    conn.execute_batch(SCHEMA)?;
    revoke(&conn, revocation)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revocation(jti: &str, at: i64) -> RevokedToken {
        RevokedToken { jti: jti.into(), revoked_at: Millis(at), reason: Some("lost laptop".into()) }
    }

    #[test]
    fn revoking_beside_the_server_is_seen_by_the_server_and_a_second_revocation_keeps_the_first() {
        // Arrange
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(dir.path()).unwrap();
        store.revoke_token(&revocation("t1", 1)).unwrap();
        let (cursor, _) = store.revoked_tokens_after(0).unwrap().pop().unwrap();

        // Act
        let first = revoke_beside_server(dir.path(), &revocation("t2", 2)).unwrap();
        let again = revoke_beside_server(dir.path(), &revocation("t2", 3)).unwrap();

        // Assert
        assert_eq!((first.revoked_at, again.revoked_at), (Millis(2), Millis(2)));
        assert!(store.token_revoked("t2").unwrap() && !store.token_revoked("t3").unwrap());
        let after: Vec<String> = store.revoked_tokens_after(cursor).unwrap().into_iter().map(|(_, r)| r.jti).collect();
        assert_eq!(after, ["t2"]);
    }

    #[test]
    fn revoking_beside_the_server_needs_a_database() {
        let dir = tempfile::tempdir().unwrap();
        assert!(revoke_beside_server(dir.path(), &revocation("t1", 1)).is_err());
        assert!(!dir.path().join(super::super::backup::DATABASE).exists());
    }
}
