//! PostgreSQL tables for processes, organisations and their representatives, delegations' experts
//! and meeting documents: the SQLite tables of `store/accreditation.rs`, on the database the nodes
//! share.
//!
//! Where SQLite orders rows of one millisecond by their `rowid`, an `ordinal` identity column does
//! here, and page cursors carry it. A write within a quota counts and inserts in one transaction
//! under an advisory lock on what the quota belongs to: READ COMMITTED would let two nodes both
//! count below the limit and both insert, where SQLite's IMMEDIATE transaction lets one writer in
//! at a time. Names sort byte by byte (`COLLATE "C"`), as SQLite's BINARY collation sorts them,
//! whatever the database's locale.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{GenericClient, Row, Transaction};
use shared::accreditation::quota::Limit;
use shared::accreditation::{Document, DocumentKind, Expert, Objection, Organisation, Process, Representative, Status};
use shared::api::{Cursor, Page, PageRequest};
use shared::text::organisation_key;
use shared::{MeetingId, Millis, ParticipantId, Presence, ProcessId};

use super::PgStore;
use crate::store::accreditation::{
    after, corrupt, presence_text, status_of, status_text, within, DOCUMENT_COLUMNS, ORGANISATION_COLUMNS,
};
use crate::store::{AccreditationStore, OrganisationQuota, StoreError};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS processes (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    applications_deadline BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS organisations (
    id TEXT PRIMARY KEY,
    -- The order rows were stored in (SQLite's rowid): orders applications of one millisecond.
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
    process TEXT NOT NULL REFERENCES processes(id),
    name TEXT NOT NULL,
    -- The name as people read it (`shared::text::organisation_key`): one application per
    -- organisation and process, however the name is typed.
    name_key TEXT NOT NULL,
    application TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'refused', 'revoked')),
    reason TEXT,
    applied_at BIGINT NOT NULL,
    decided_at BIGINT,
    UNIQUE (process, name_key)
);
-- The review queue and the public list, read page by page in this order.
CREATE INDEX IF NOT EXISTS organisations_by_process ON organisations (process, applied_at, ordinal);
CREATE TABLE IF NOT EXISTS objections (
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    delegation TEXT NOT NULL,
    reason TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS objections_by_organisation ON objections (organisation);
CREATE TABLE IF NOT EXISTS representatives (
    id TEXT PRIMARY KEY,
    organisation TEXT NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    presence TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX IF NOT EXISTS representatives_by_organisation ON representatives (organisation);
CREATE TABLE IF NOT EXISTS experts (
    id TEXT PRIMARY KEY,
    process TEXT NOT NULL,
    delegation TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX IF NOT EXISTS experts_by_delegation ON experts (process, delegation);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
    meeting TEXT NOT NULL REFERENCES meetings(id),
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('official', 'material')),
    provided_by TEXT NOT NULL,
    url TEXT,
    content_type TEXT,
    size BIGINT,
    file BYTEA,
    added_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_meeting ON documents (meeting, added_at, ordinal);
";

/// Statement parameters, as the client takes them.
pub(super) type Params<'a> = [&'a (dyn ToSql + Sync)];

/// Holds, until the transaction ends, the lock of what a quota belongs to (`key`: its kind and
/// owner), so that counting and inserting are one step for every node. Keys are hashed to 32 bits:
/// two owners sharing a hash only wait for each other.
pub(super) fn lock(tx: &mut Transaction<'_>, key: &str) -> Result<(), StoreError> {
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&key])?;
    Ok(())
}

/// A count of rows (or a sum), as the first column of the one row `sql` returns.
pub(super) fn count(tx: &mut Transaction<'_>, sql: &str, params: &Params<'_>) -> Result<u64, StoreError> {
    Ok(tx.query_one(sql, params)?.get::<_, i64>(0).max(0) as u64)
}

/// The materials an organisation (`$2`, by name, unique in its process) provided to the meetings
/// of its process (`$1`).
const MATERIALS_OF: &str = "FROM documents d JOIN meetings m ON m.id = d.meeting
     WHERE m.process = $1 AND d.kind = 'material' AND d.provided_by = $2";

/// The bytes an organisation uploaded: its materials' files and its statements' PDFs.
fn uploaded(tx: &mut Transaction<'_>, quota: &OrganisationQuota) -> Result<u64, StoreError> {
    let materials = count(
        tx,
        &format!("SELECT COALESCE(SUM(d.size), 0)::BIGINT {MATERIALS_OF} AND d.file IS NOT NULL"),
        &[&quota.process.as_str(), &quota.name],
    )?;
    let statements = count(
        tx,
        "SELECT COALESCE(SUM(f.size), 0)::BIGINT FROM statement_files f JOIN statements s ON s.id = f.statement
         WHERE s.organisation = $1",
        &[&quota.organisation],
    )?;
    Ok(materials + statements)
}

/// `Quota` unless the organisation may add one more item and `bytes` more: `items` counts what it
/// holds of the item's kind, with `$1` its process and `$2` `owner`. Under the lock of the
/// organisation's uploads, which its materials and statements share.
pub(super) fn within_quota(
    tx: &mut Transaction<'_>,
    quota: &OrganisationQuota,
    items: &str,
    owner: &str,
    bytes: u64,
) -> Result<(), StoreError> {
    lock(tx, &format!("uploads {}", quota.organisation))?;
    let held = count(tx, items, &[&quota.process.as_str(), &owner])?;
    within(quota.items, held, 1)?;
    within(quota.bytes, uploaded(tx, quota)?, bytes)
}

/// The rows of `sql` (`$1` the owners' ids, the owner's id in the first column) made into items,
/// grouped by owner in the rows' order.
pub(super) fn grouped<T>(
    conn: &mut impl GenericClient,
    sql: &str,
    owners: &[&str],
    item: impl Fn(&Row) -> T,
) -> Result<HashMap<String, Vec<T>>, StoreError> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in conn.query(sql, &[&owners])? {
        groups.entry(row.get(0)).or_default().push(item(&row));
    }
    Ok(groups)
}

/// An organisation (`ORGANISATION_COLUMNS`), without its objections.
fn organisation_row(row: &Row) -> Result<Organisation, StoreError> {
    let id: String = row.get(0);
    let application: String = row.get(2);
    Ok(Organisation {
        process: ProcessId::parse(row.get::<_, String>(1)).map_err(|e| corrupt("organisation", &id, e))?,
        application: serde_json::from_str(&application).map_err(|e| corrupt("organisation", &id, e))?,
        status: status_of(row.get(3)),
        reason: row.get(4),
        applied_at: Millis(row.get(5)),
        decided_at: row.get::<_, Option<i64>>(6).map(Millis),
        objections: Vec::new(),
        id,
    })
}

/// The organisations of `rows`, each with its objections.
fn organisations(conn: &mut impl GenericClient, rows: &[Row]) -> Result<Vec<Organisation>, StoreError> {
    with_objections(conn, rows.iter().map(organisation_row).collect::<Result<_, _>>()?)
}

/// Fills in each organisation's objections, oldest first, read in one query.
fn with_objections(
    conn: &mut impl GenericClient,
    mut organisations: Vec<Organisation>,
) -> Result<Vec<Organisation>, StoreError> {
    let ids: Vec<&str> = organisations.iter().map(|o| o.id.as_str()).collect();
    let mut objections = grouped(
        conn,
        "SELECT organisation, delegation, reason, at FROM objections WHERE organisation = ANY($1) ORDER BY at, ordinal",
        &ids,
        |r| Objection { delegation: r.get(1), reason: r.get(2), at: Millis(r.get(3)) },
    )?;
    for organisation in &mut organisations {
        organisation.objections = objections.remove(&organisation.id).unwrap_or_default();
    }
    Ok(organisations)
}

const REPRESENTATIVE_COLUMNS: &str = "id, organisation, name, email, presence, created_at, revoked_at";

fn representative_row(row: &Row) -> Result<Representative, StoreError> {
    let id: String = row.get(0);
    Ok(Representative {
        id: ParticipantId::parse(id.clone()).map_err(|e| corrupt("representative", &id, e))?,
        organisation: row.get(1),
        name: row.get(2),
        email: row.get(3),
        presence: row.get::<_, String>(4).parse().unwrap_or(Presence::Remote),
        created_at: Millis(row.get(5)),
        revoked_at: row.get::<_, Option<i64>>(6).map(Millis),
    })
}

const EXPERT_COLUMNS: &str = "id, process, delegation, name, organisation, email, created_at, revoked_at";

fn expert_row(row: &Row) -> Result<Expert, StoreError> {
    let id: String = row.get(0);
    Ok(Expert {
        id: ParticipantId::parse(id.clone()).map_err(|e| corrupt("expert", &id, e))?,
        process: ProcessId::parse(row.get::<_, String>(1)).map_err(|e| corrupt("expert", &id, e))?,
        delegation: row.get(2),
        name: row.get(3),
        organisation: row.get(4),
        email: row.get(5),
        created_at: Millis(row.get(6)),
        revoked_at: row.get::<_, Option<i64>>(7).map(Millis),
    })
}

fn document_row(row: &Row) -> Result<Document, StoreError> {
    let id: String = row.get(0);
    Ok(Document {
        meeting: MeetingId::parse(row.get::<_, String>(1)).map_err(|e| corrupt("document", &id, e))?,
        title: row.get(2),
        kind: row.get::<_, String>(3).parse().unwrap_or(DocumentKind::Official),
        provided_by: row.get(4),
        url: row.get(5),
        content_type: row.get(6),
        size: row.get::<_, Option<i64>>(7).map(|s| s as u64),
        added_at: Millis(row.get(8)),
        id,
    })
}

/// The page of `rows` read with a limit one above the request's, each with its `ordinal` in column
/// `ordinal`; the next page starts after the last row's time (`at`) and ordinal.
pub(super) fn page_of<T>(
    page: &PageRequest,
    rows: &[Row],
    ordinal: usize,
    item: impl Fn(&Row) -> Result<T, StoreError>,
    at: impl Fn(&T) -> Millis,
) -> Result<Page<T>, StoreError> {
    let items =
        rows.iter().map(|r| Ok((item(r)?, r.get::<_, i64>(ordinal)))).collect::<Result<Vec<_>, StoreError>>()?;
    let page = page.page(items, |(item, ordinal)| Cursor { at: at(item).0, key: ordinal.to_string() });
    Ok(Page { items: page.items.into_iter().map(|(item, _)| item).collect(), next: page.next })
}

/// The limit of a page's query: one row more than the page, to tell whether another follows.
pub(super) fn one_more(page: &PageRequest) -> i64 {
    i64::from(page.limit) + 1
}

impl PgStore {
    /// Revokes the representative or expert `id` (of `table`) at `at`; false when already revoked
    /// or unknown.
    fn revoke(&self, table: &str, id: &ParticipantId, at: Millis) -> Result<bool, StoreError> {
        let changed = self.admin()?.execute(
            &format!("UPDATE {table} SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"),
            &[&id.as_str(), &at.0],
        )?;
        Ok(changed == 1)
    }
}

impl AccreditationStore for PgStore {
    fn create_process(&self, process: &Process) -> Result<(), StoreError> {
        let inserted = self.admin()?.execute(
            "INSERT INTO processes (id, title, applications_deadline) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&process.id.as_str(), &process.title, &process.applications_deadline.0],
        )?;
        if inserted == 0 {
            return Err(StoreError::Exists(format!("process {}", process.id)));
        }
        Ok(())
    }

    fn process(&self, id: &ProcessId) -> Result<Option<Process>, StoreError> {
        let found = self
            .admin()?
            .query_opt("SELECT title, applications_deadline FROM processes WHERE id = $1", &[&id.as_str()])?;
        Ok(found.map(|r| Process { id: id.clone(), title: r.get(0), applications_deadline: Millis(r.get(1)) }))
    }

    fn processes(&self) -> Result<Vec<Process>, StoreError> {
        let rows = self
            .admin()?
            .query("SELECT id, title, applications_deadline FROM processes ORDER BY id COLLATE \"C\"", &[])?;
        rows.iter()
            .map(|r| {
                let id: String = r.get(0);
                let id = ProcessId::parse(id.clone()).map_err(|e| corrupt("process", &id, e))?;
                Ok(Process { id, title: r.get(1), applications_deadline: Millis(r.get(2)) })
            })
            .collect()
    }

    fn add_organisation(&self, organisation: &Organisation) -> Result<(), StoreError> {
        let application = serde_json::to_string(&organisation.application).expect("applications serialize");
        let name = organisation.application.name.trim();
        let inserted = self.admin()?.execute(
            "INSERT INTO organisations (id, process, name, name_key, application, status, reason, applied_at, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING",
            &[
                &organisation.id,
                &organisation.process.as_str(),
                &name,
                &organisation_key(&organisation.application.name),
                &application,
                &status_text(organisation.status),
                &organisation.reason,
                &organisation.applied_at.0,
                &organisation.decided_at.map(|m| m.0),
            ],
        )?;
        if inserted == 0 {
            return Err(StoreError::Exists(name.to_string()));
        }
        Ok(())
    }

    fn organisation(&self, id: &str) -> Result<Option<Organisation>, StoreError> {
        let mut conn = self.admin()?;
        let rows = conn.query(&format!("SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE id = $1"), &[&id])?;
        Ok(organisations(&mut **conn, &rows)?.pop())
    }

    fn organisations(&self, process: &ProcessId) -> Result<Vec<Organisation>, StoreError> {
        let mut conn = self.admin()?;
        let rows = conn.query(
            &format!(
                "SELECT {ORGANISATION_COLUMNS} FROM organisations WHERE process = $1
                 ORDER BY applied_at, name COLLATE \"C\""
            ),
            &[&process.as_str()],
        )?;
        organisations(&mut **conn, &rows)
    }

    fn organisations_page(&self, process: &ProcessId, page: &PageRequest) -> Result<Page<Organisation>, StoreError> {
        let mut conn = self.admin()?;
        let (at, ordinal) = after(page);
        let rows = conn.query(
            &format!(
                "SELECT {ORGANISATION_COLUMNS}, ordinal FROM organisations
                 WHERE process = $1 AND ($2::BIGINT IS NULL OR (applied_at, ordinal) > ($2, $3))
                 ORDER BY applied_at, ordinal LIMIT $4"
            ),
            &[&process.as_str(), &at, &ordinal, &one_more(page)],
        )?;
        let page = page_of(page, &rows, 7, organisation_row, |o| o.applied_at)?;
        Ok(Page { items: with_objections(&mut **conn, page.items)?, next: page.next })
    }

    fn set_status(
        &self,
        id: &str,
        from: &[Status],
        to: Status,
        reason: Option<&str>,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let allowed: Vec<&str> = from.iter().map(|s| status_text(*s)).collect();
        let changed = self.admin()?.execute(
            "UPDATE organisations SET status = $2, reason = $3, decided_at = $4 WHERE id = $1 AND status = ANY($5)",
            &[&id, &status_text(to), &reason, &at.0, &allowed],
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
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        let refuse = tx.prepare(
            "UPDATE organisations SET status = 'refused', reason = $3, decided_at = $4
             WHERE id = $1 AND process = $2 AND status = 'pending'",
        )?;
        let mut skipped = Vec::new();
        for id in ids {
            if tx.execute(&refuse, &[id, &process.as_str(), &reason, &at.0])? == 0 {
                skipped.push(id.clone());
            }
        }
        tx.commit()?;
        Ok(skipped)
    }

    fn add_objection(&self, organisation: &str, objection: &Objection, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        // The delegation's objections in every process: they are few, and the process is the
        // organisation's, known only in the query.
        lock(&mut tx, &format!("objections {}", objection.delegation))?;
        let lodged = count(
            &mut tx,
            "SELECT COUNT(*) FROM objections o JOIN organisations g ON g.id = o.organisation
             WHERE o.delegation = $2 AND g.process = (SELECT process FROM organisations WHERE id = $1)",
            &[&organisation, &objection.delegation],
        )?;
        within(limit, lodged, 1)?;
        tx.execute(
            "INSERT INTO objections (organisation, delegation, reason, at) VALUES ($1, $2, $3, $4)",
            &[&organisation, &objection.delegation, &objection.reason, &objection.at.0],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn add_representative(&self, representative: &Representative, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        lock(&mut tx, &format!("representatives {}", representative.organisation))?;
        let active = count(
            &mut tx,
            "SELECT COUNT(*) FROM representatives WHERE organisation = $1 AND revoked_at IS NULL",
            &[&representative.organisation],
        )?;
        within(limit, active, 1)?;
        tx.execute(
            &format!("INSERT INTO representatives ({REPRESENTATIVE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL)"),
            &[
                &representative.id.as_str(),
                &representative.organisation,
                &representative.name,
                &representative.email,
                &presence_text(representative.presence),
                &representative.created_at.0,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn representatives(&self, organisation: &str) -> Result<Vec<Representative>, StoreError> {
        let rows = self.admin()?.query(
            &format!(
                "SELECT {REPRESENTATIVE_COLUMNS} FROM representatives WHERE organisation = $1
                 ORDER BY created_at, name COLLATE \"C\""
            ),
            &[&organisation],
        )?;
        rows.iter().map(representative_row).collect()
    }

    fn representative(&self, id: &ParticipantId) -> Result<Option<Representative>, StoreError> {
        let found = self.admin()?.query_opt(
            &format!("SELECT {REPRESENTATIVE_COLUMNS} FROM representatives WHERE id = $1"),
            &[&id.as_str()],
        )?;
        found.as_ref().map(representative_row).transpose()
    }

    fn revoke_representative(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError> {
        self.revoke("representatives", id, at)
    }

    fn add_expert(&self, expert: &Expert, limit: Limit) -> Result<(), StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        lock(&mut tx, &format!("experts {} {}", expert.process, expert.delegation))?;
        let active = count(
            &mut tx,
            "SELECT COUNT(*) FROM experts WHERE process = $1 AND delegation = $2 AND revoked_at IS NULL",
            &[&expert.process.as_str(), &expert.delegation],
        )?;
        within(limit, active, 1)?;
        tx.execute(
            &format!("INSERT INTO experts ({EXPERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)"),
            &[
                &expert.id.as_str(),
                &expert.process.as_str(),
                &expert.delegation,
                &expert.name,
                &expert.organisation,
                &expert.email,
                &expert.created_at.0,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn experts(&self, process: &ProcessId, delegation: &str) -> Result<Vec<Expert>, StoreError> {
        let rows = self.admin()?.query(
            &format!(
                "SELECT {EXPERT_COLUMNS} FROM experts WHERE process = $1 AND delegation = $2
                 ORDER BY created_at, name COLLATE \"C\""
            ),
            &[&process.as_str(), &delegation],
        )?;
        rows.iter().map(expert_row).collect()
    }

    fn expert(&self, id: &ParticipantId) -> Result<Option<Expert>, StoreError> {
        let found =
            self.admin()?.query_opt(&format!("SELECT {EXPERT_COLUMNS} FROM experts WHERE id = $1"), &[&id.as_str()])?;
        found.as_ref().map(expert_row).transpose()
    }

    fn revoke_expert(&self, id: &ParticipantId, at: Millis) -> Result<bool, StoreError> {
        self.revoke("experts", id, at)
    }

    fn add_document(
        &self,
        document: &Document,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError> {
        let kind: &str = document.kind.into();
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        if let Some(quota) = quota {
            let bytes = file.map_or(0, |f| f.len() as u64);
            within_quota(&mut tx, quota, &format!("SELECT COUNT(*) {MATERIALS_OF}"), &quota.name, bytes)?;
        }
        tx.execute(
            &format!(
                "INSERT INTO documents ({DOCUMENT_COLUMNS}, file) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ),
            &[
                &document.id,
                &document.meeting.as_str(),
                &document.title,
                &kind,
                &document.provided_by,
                &document.url,
                &document.content_type,
                &document.size.map(|s| s as i64),
                &document.added_at.0,
                &file,
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn documents(&self, meeting: &MeetingId, page: &PageRequest) -> Result<Page<Document>, StoreError> {
        let (at, ordinal) = after(page);
        let rows = self.admin()?.query(
            &format!(
                "SELECT {DOCUMENT_COLUMNS}, ordinal FROM documents
                 WHERE meeting = $1 AND ($2::BIGINT IS NULL OR (added_at, ordinal) > ($2, $3))
                 ORDER BY added_at, ordinal LIMIT $4"
            ),
            &[&meeting.as_str(), &at, &ordinal, &one_more(page)],
        )?;
        page_of(page, &rows, 9, document_row, |d| d.added_at)
    }

    fn document_file(&self, id: &str) -> Result<Option<(Document, Vec<u8>)>, StoreError> {
        let found = self.admin()?.query_opt(
            &format!("SELECT {DOCUMENT_COLUMNS}, file FROM documents WHERE id = $1 AND file IS NOT NULL"),
            &[&id],
        )?;
        found.map(|r| Ok((document_row(&r)?, r.get(9)))).transpose()
    }
}
