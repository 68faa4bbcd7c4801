//! SQLite table of revoked token ids. The secretariat revokes a token minted directly (which names
//! no organisation whose accreditation could be withdrawn) by its id, over the API or with
//! `rostrum token revoke` beside the running server; the server polls the table for the latter.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use shared::Millis;

use super::sqlite::SqliteStore;
use super::{RevokedToken, StoreError, TokenStore};

/// A rowid table: the rowid orders revocations as they were committed (writers are serialised and
/// nothing is ever deleted), and is the cursor the server polls with.
pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS revoked_tokens (
    jti TEXT PRIMARY KEY,
    revoked_at INTEGER NOT NULL,
    reason TEXT
);
";

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
