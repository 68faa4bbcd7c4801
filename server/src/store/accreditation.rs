//! SQLite tables for processes, organisations and their representatives, delegations' experts and
//! meeting documents. Low-rate writes: they run on their own connection (WAL lets them interleave
//! with the event writer), each in its own transaction.

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use shared::accreditation::quota::Limit;
use shared::accreditation::{Document, DocumentKind, Expert, Objection, Organisation, Process, Representative, Status};
use shared::api::{Cursor, Page, PageRequest};
use shared::text::organisation_key;
use shared::{MeetingId, Millis, ParticipantId, Presence, ProcessId};

use super::sqlite::SqliteStore;
use super::{AccreditationStore, OrganisationQuota, StoreError};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS processes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    applications_deadline INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS organisations (
    id TEXT PRIMARY KEY,
    process TEXT NOT NULL REFERENCES processes(id),
    name TEXT NOT NULL,
    -- The name as people read it (`shared::text::organisation_key`: NFKC, case folded, invisible
    -- characters dropped, spaces collapsed): one application per organisation and process, however
    -- the name is typed. `migrate` recomputes it when the folding changes.
    name_key TEXT NOT NULL,
    application TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'revoked')),
    reason TEXT,
    applied_at INTEGER NOT NULL,
    decided_at INTEGER,
    UNIQUE (process, name_key)
);
-- The review queue and the public list, read page by page in this order.
CREATE INDEX IF NOT EXISTS organisations_by_process ON organisations (process, applied_at);
CREATE TABLE IF NOT EXISTS objections (
    organisation TEXT NOT NULL REFERENCES organisations(id),
    delegation TEXT NOT NULL,
    reason TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS representatives (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    presence TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS experts (
    id TEXT PRIMARY KEY,
    process TEXT NOT NULL,
    delegation TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    meeting TEXT NOT NULL REFERENCES meetings(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('official', 'material')),
    provided_by TEXT NOT NULL,
    url TEXT,
    content_type TEXT,
    size INTEGER,
    file BLOB,
    added_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_meeting ON documents (meeting, added_at);
";

/// Brings the organisations' keys up to [`organisation_key`]. Keys were once only lower-cased with
/// spaces collapsed, which let "Global Digital Rights Network" and the same name with a zero-width
/// space, or in fullwidth letters, apply twice. Idempotent: rows whose key is current are left
/// alone, so it runs at every start.
///
/// Two rows that the old key told apart but the new one does not are two applications already made
/// by one organisation. Neither can be dropped (each may have representatives and statements), so
/// the earlier application keeps the key and the later one keeps a key of its own, suffixed with its
/// id; new applications under any spelling of the name are refused from now on. The secretariat
/// sees both in the list and refuses the duplicate; the log names them.
pub(super) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let rows: Vec<(String, String, String, String)> = {
        let mut stmt =
            conn.prepare("SELECT id, process, name, name_key FROM organisations ORDER BY applied_at, rowid")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let mut taken = std::collections::HashSet::new();
    let mut changes = Vec::new();
    for (id, process, name, old) in rows {
        let mut key = organisation_key(&name);
        if !taken.insert((process.clone(), key.clone())) {
            tracing::warn!(organisation = %id, %process, "two applications of one organisation: keeping both, refuse the duplicate");
            key = format!("{key} [{id}]");
            taken.insert((process, key.clone()));
        }
        if key != old {
            changes.push((id, key));
        }
    }
    if changes.is_empty() {
        return Ok(());
    }
    // In two steps, so that a row taking a key another row is about to give up never meets the
    // UNIQUE constraint on the way.
    let tx = conn.unchecked_transaction()?;
    for (id, _) in &changes {
        tx.execute("UPDATE organisations SET name_key = ?1 WHERE id = ?2", params![format!("\u{0}{id}"), id])?;
    }
    for (id, key) in &changes {
        tx.execute("UPDATE organisations SET name_key = ?1 WHERE id = ?2", params![key, id])?;
    }
    tx.commit()?;
    tracing::info!(organisations = changes.len(), "organisation keys brought up to date");
    Ok(())
}

/// A status as stored: its wire name.
pub(super) fn status_text(status: Status) -> &'static str {
    status.into()
}

/// A stored status; anything unknown is pending.
pub(super) fn status_of(text: &str) -> Status {
    text.parse().unwrap_or(Status::Pending)
}

pub(super) fn corrupt(what: &str, id: &str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { meeting: format!("{what} {id}"), seq: 0, reason: reason.to_string() }
}

fn organisation_row(conn: &Connection, row: &Row) -> Result<Organisation, StoreError> {
    let id: String = row.get(0)?;
    let process: String = row.get(1)?;
    let application: String = row.get(2)?;
    let status: String = row.get(3)?;
    let mut objections = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT delegation, reason, at FROM objections WHERE organisation = ?1 ORDER BY at")?;
    for objection in
        stmt.query_map([&id], |r| Ok(Objection { delegation: r.get(0)?, reason: r.get(1)?, at: Millis(r.get(2)?) }))?
    {
        objections.push(objection?);
    }
    Ok(Organisation {
        process: ProcessId::parse(process).map_err(|e| corrupt("organisation", &id, e))?,
        application: serde_json::from_str(&application).map_err(|e| corrupt("organisation", &id, e))?,
        status: status_of(&status),
        reason: row.get(4)?,
        applied_at: Millis(row.get(5)?),
        decided_at: row.get::<_, Option<i64>>(6)?.map(Millis),
        objections,
        id,
    })
}

/// One organisation by id, on any connection (the server's, or a read-only one beside it).
pub(super) fn read_organisation(conn: &Connection, id: &str) -> Result<Option<Organisation>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = ?1"))?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => Ok(Some(organisation_row(conn, row)?)),
        None => Ok(None),
    }
}

pub(super) const ORGANISATION_COLUMNS: &str = "id, process, application, status, reason, applied_at, decided_at";

/// A presence as stored: its wire name.
pub(super) fn presence_text(presence: Presence) -> &'static str {
    presence.into()
}

fn representative_row(row: &Row) -> rusqlite::Result<Representative> {
    let id: String = row.get(0)?;
    let presence: String = row.get(4)?;
    Ok(Representative {
        id: ParticipantId::parse(id).map_err(|e| rusqlite::Error::InvalidColumnName(e.message))?,
        organisation: row.get(1)?,
        name: row.get(2)?,
        email: row.get(3)?,
        presence: presence.parse().unwrap_or(Presence::Remote),
        created_at: Millis(row.get(5)?),
        revoked_at: row.get::<_, Option<i64>>(6)?.map(Millis),
    })
}

fn expert_row(row: &Row) -> rusqlite::Result<Expert> {
    let bad = |e: shared::Rejection| rusqlite::Error::InvalidColumnName(e.message);
    Ok(Expert {
        id: ParticipantId::parse(row.get::<_, String>(0)?).map_err(bad)?,
        process: ProcessId::parse(row.get::<_, String>(1)?).map_err(bad)?,
        delegation: row.get(2)?,
        name: row.get(3)?,
        organisation: row.get(4)?,
        email: row.get(5)?,
        created_at: Millis(row.get(6)?),
        revoked_at: row.get::<_, Option<i64>>(7)?.map(Millis),
    })
}

fn document_row(row: &Row) -> rusqlite::Result<Document> {
    let kind: String = row.get(3)?;
    Ok(Document {
        id: row.get(0)?,
        meeting: MeetingId::parse(row.get::<_, String>(1)?)
            .map_err(|e| rusqlite::Error::InvalidColumnName(e.message))?,
        title: row.get(2)?,
        kind: kind.parse().unwrap_or(DocumentKind::Official),
        provided_by: row.get(4)?,
        url: row.get(5)?,
        content_type: row.get(6)?,
        size: row.get::<_, Option<i64>>(7)?.map(|s| s as u64),
        added_at: Millis(row.get(8)?),
    })
}

/// The cursor a page starts after, as SQL parameters: both `NULL` on the first page. Pages are
/// cut at a row's time and then its `rowid`, which grows with each insert: rows of one millisecond
/// keep the order they were stored in, and a cursor that names no row (not a number) starts
/// before the first.
pub(super) fn after(page: &PageRequest) -> (Option<i64>, Option<i64>) {
    match &page.after {
        Some(cursor) => (Some(cursor.at), Some(cursor.key.parse().unwrap_or(0))),
        None => (None, None),
    }
}

/// A count of rows.
pub(super) fn count(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<u64, StoreError> {
    Ok(conn.query_row(sql, args, |r| r.get::<_, i64>(0))?.max(0) as u64)
}

/// `Quota` unless holding `used` and adding `adding` stays within `limit`.
pub(super) fn within(limit: Limit, used: u64, adding: u64) -> Result<(), StoreError> {
    if limit.allows(used, adding) {
        Ok(())
    } else {
        Err(StoreError::Quota(limit))
    }
}

/// The materials an organisation (`?2`, by name, unique in its process) provided to the meetings
/// of its process (`?1`).
const MATERIALS_OF: &str = "FROM documents d JOIN meetings m ON m.id = d.meeting
     WHERE m.process = ?1 AND d.kind = 'material' AND d.provided_by = ?2";

/// The bytes an organisation uploaded: its materials' files and its statements' PDFs.
pub(super) fn uploaded(conn: &Connection, quota: &OrganisationQuota) -> Result<u64, StoreError> {
    let materials = count(
        conn,
        &format!("SELECT COALESCE(SUM(d.size), 0) {MATERIALS_OF} AND d.file IS NOT NULL"),
        params![quota.process.as_str(), quota.name],
    )?;
    let statements = count(
        conn,
        "SELECT COALESCE(SUM(f.size), 0) FROM statement_files f JOIN statements s ON s.id = f.statement
         WHERE s.organisation = ?1",
        params![quota.organisation],
    )?;
    Ok(materials + statements)
}

pub(super) const DOCUMENT_COLUMNS: &str = "id, meeting, title, kind, provided_by, url, content_type, size, added_at";

impl AccreditationStore for SqliteStore {
    fn create_process(&self, process: &Process) -> Result<(), StoreError> {
        let conn = self.admin();
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO processes (id, title, applications_deadline) VALUES (?1, ?2, ?3)",
            params![process.id.as_str(), process.title, process.applications_deadline.0],
        )?;
        if inserted == 0 {
            return Err(StoreError::Exists(format!("process {}", process.id)));
        }
        Ok(())
    }

    fn process(&self, id: &ProcessId) -> Result<Option<Process>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row("SELECT title, applications_deadline FROM processes WHERE id = ?1", [id.as_str()], |r| {
                Ok(Process { id: id.clone(), title: r.get(0)?, applications_deadline: Millis(r.get(1)?) })
            })
            .optional()?;
        Ok(found)
    }

    fn processes(&self) -> Result<Vec<Process>, StoreError> {
        let conn = self.admin();
        let mut stmt = conn.prepare("SELECT id, title, applications_deadline FROM processes ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let id: String = r.get(0)?;
            Ok((id, r.get::<_, String>(1)?, r.get::<_, i64>(2)?))
        })?;
        rows.map(|row| {
            let (id, title, deadline) = row?;
            let id = ProcessId::parse(id.clone()).map_err(|e| corrupt("process", &id, e))?;
            Ok(Process { id, title, applications_deadline: Millis(deadline) })
        })
        .collect()
    }

    fn add_organisation(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let conn = self.admin();
        let application = serde_json::to_string(&organisation.application).expect("applications serialize");
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO organisations (id, process, name, name_key, application, status, reason, applied_at, decided_at)
             VALUES (?1, ?2, ?3, ?9, ?4, ?5, ?6, ?7, ?8)",
            params![
                organisation.id,
                organisation.process.as_str(),
                organisation.application.name.trim(),
                application,
                status_text(organisation.status),
                organisation.reason,
                organisation.applied_at.0,
                organisation.decided_at.map(|m| m.0),
                organisation_key(&organisation.application.name),
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::Exists(organisation.application.name.trim().to_string()));
        }
        Ok(())
    }

    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError> {
        read_organisation(&self.admin(), id)
    }

    fn organisations(&self, process: &ProcessId) -> Result<Vec<Organisation>, StoreError> {
        let conn = self.admin();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE process = ?1 ORDER BY applied_at, name"
        ))?;
        let mut rows = stmt.query([process.as_str()])?;
        let mut organisations = Vec::new();
        while let Some(row) = rows.next()? {
            organisations.push(organisation_row(&conn, row)?);
        }
        Ok(organisations)
    }

    fn organisations_page(&self, process: &ProcessId, page: &PageRequest) -> Result<Page<Organisation>, StoreError> {
        let conn = self.admin();
        let (at, id) = after(page);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {ORGANISATION_COLUMNS}, rowid FROM organisations
             WHERE process = ?1 AND (?2 IS NULL OR (applied_at, rowid) > (?2, ?3))
             ORDER BY applied_at, rowid LIMIT ?4"
        ))?;
        let mut rows = stmt.query(params![process.as_str(), at, id, page.limit + 1])?;
        let mut organisations = Vec::new();
        while let Some(row) = rows.next()? {
            organisations.push((organisation_row(&conn, row)?, row.get::<_, i64>(7)?));
        }
        let page = page.page(organisations, |(o, rowid)| Cursor { at: o.applied_at.0, key: rowid.to_string() });
        Ok(Page { items: page.items.into_iter().map(|(o, _)| o).collect(), next: page.next })
    }

    fn set_status(
        &self,
        id: &str,
        from: &[Status],
        to: Status,
        reason: Option<&str>,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let conn = self.admin();
        let allowed: Vec<&str> = from.iter().map(|s| status_text(*s)).collect();
        let changed = conn.execute(
            "UPDATE organisations SET status = ?2, reason = ?3, decided_at = ?4
             WHERE id = ?1 AND status IN (SELECT value FROM json_each(?5))",
            params![id, status_text(to), reason, at.0, serde_json::to_string(&allowed).expect("strings serialize")],
        )?;
        Ok(changed == 1)
    }

    fn refuse_pending(
        &self,
        process: &ProcessId,
        ids: &[String],
        reason: &str,
        at: Millis,
    ) -> Result<Vec<String>, StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut skipped = Vec::new();
        {
            let mut refuse = tx.prepare_cached(
                "UPDATE organisations SET status = 'refused', reason = ?3, decided_at = ?4
                 WHERE id = ?1 AND process = ?2 AND status = 'pending'",
            )?;
            for id in ids {
                if refuse.execute(params![id, process.as_str(), reason, at.0])? == 0 {
                    skipped.push(id.clone());
                }
            }
        }
        tx.commit()?;
        Ok(skipped)
    }

    fn add_objection(&self, organisation: &str, objection: &Objection, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let lodged = count(
            &tx,
            "SELECT COUNT(*) FROM objections o JOIN organisations g ON g.id = o.organisation
             WHERE o.delegation = ?2 AND g.process = (SELECT process FROM organisations WHERE id = ?1)",
            params![organisation, objection.delegation],
        )?;
        within(limit, lodged, 1)?;
        tx.execute(
            "INSERT INTO objections (organisation, delegation, reason, at) VALUES (?1, ?2, ?3, ?4)",
            params![organisation, objection.delegation, objection.reason, objection.at.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn add_representative(&self, representative: &Representative, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let active = count(
            &tx,
            "SELECT COUNT(*) FROM representatives WHERE organisation = ?1 AND revoked_at IS NULL",
            params![representative.organisation],
        )?;
        within(limit, active, 1)?;
        tx.execute(
            "INSERT INTO representatives (id, organisation, name, email, presence, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                representative.id.as_str(),
                representative.organisation,
                representative.name,
                representative.email,
                presence_text(representative.presence),
                representative.created_at.0,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn representatives(&self, organisation: &str) -> Result<Vec<Representative>, StoreError> {
        let conn = self.admin();
        let mut stmt = conn.prepare_cached(
            "SELECT id, organisation, name, email, presence, created_at, revoked_at FROM representatives
             WHERE organisation = ?1 ORDER BY created_at, name",
        )?;
        let rows = stmt.query_map([organisation], representative_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn representative(&self, id: &ParticipantId) -> Result<Option<Representative>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row(
                "SELECT id, organisation, name, email, presence, created_at, revoked_at FROM representatives WHERE id = ?1",
                [id.as_str()],
                representative_row,
            )
            .optional()?;
        Ok(found)
    }

    fn revoke_representative(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError> {
        let changed = self.admin().execute(
            "UPDATE representatives SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id.as_str(), at.0],
        )?;
        Ok(changed == 1)
    }

    fn add_expert(&self, expert: &Expert, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let active = count(
            &tx,
            "SELECT COUNT(*) FROM experts WHERE process = ?1 AND delegation = ?2 AND revoked_at IS NULL",
            params![expert.process.as_str(), expert.delegation],
        )?;
        within(limit, active, 1)?;
        tx.execute(
            "INSERT INTO experts (id, process, delegation, name, organisation, email, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                expert.id.as_str(),
                expert.process.as_str(),
                expert.delegation,
                expert.name,
                expert.organisation,
                expert.email,
                expert.created_at.0
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn experts(&self, process: &ProcessId, delegation: &str) -> Result<Vec<Expert>, StoreError> {
        let conn = self.admin();
        let mut stmt = conn.prepare_cached(
            "SELECT id, process, delegation, name, organisation, email, created_at, revoked_at FROM experts
             WHERE process = ?1 AND delegation = ?2 ORDER BY created_at, name",
        )?;
        let rows = stmt.query_map([process.as_str(), delegation], expert_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn expert(&self, id: &ParticipantId) -> Result<Option<Expert>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row(
                "SELECT id, process, delegation, name, organisation, email, created_at, revoked_at FROM experts WHERE id = ?1",
                [id.as_str()],
                expert_row,
            )
            .optional()?;
        Ok(found)
    }

    fn revoke_expert(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError> {
        let changed = self.admin().execute(
            "UPDATE experts SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
            params![id.as_str(), at.0],
        )?;
        Ok(changed == 1)
    }

    fn add_document(
        &self,
        document: &Document,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError> {
        let kind: &str = document.kind.into();
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(quota) = quota {
            let provided =
                count(&tx, &format!("SELECT COUNT(*) {MATERIALS_OF}"), params![quota.process.as_str(), quota.name])?;
            within(quota.items, provided, 1)?;
            within(quota.bytes, uploaded(&tx, quota)?, file.map_or(0, |f| f.len() as u64))?;
        }
        tx.execute(
            "INSERT INTO documents (id, meeting, title, kind, provided_by, url, content_type, size, file, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                document.id,
                document.meeting.as_str(),
                document.title,
                kind,
                document.provided_by,
                document.url,
                document.content_type,
                document.size.map(|s| s as i64),
                file,
                document.added_at.0
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn documents(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<Document>, StoreError> {
        let conn = self.admin();
        let (at, id) = after(page);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {DOCUMENT_COLUMNS}, rowid FROM documents
             WHERE meeting = ?1 AND (?2 IS NULL OR (added_at, rowid) > (?2, ?3))
             ORDER BY added_at, rowid LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![meeting.as_str(), at, id, page.limit + 1], |r| {
            Ok((document_row(r)?, r.get::<_, i64>(9)?))
        })?;
        let page = page.page(rows.collect::<Result<Vec<_>, _>>()?, |(d, rowid)| Cursor {
            at: d.added_at.0,
            key: rowid.to_string(),
        });
        Ok(Page { items: page.items.into_iter().map(|(d, _)| d).collect(), next: page.next })
    }

    fn document_file(&self, id: &str) -> Result<Option<(Document, Vec<u8>)>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row(
                &format!("SELECT {DOCUMENT_COLUMNS}, file FROM documents WHERE id = ?1 AND file IS NOT NULL"),
                [id],
                |r| Ok((document_row(r)?, r.get::<_, Vec<u8>>(9)?)),
            )
            .optional()?;
        Ok(found)
    }
}
