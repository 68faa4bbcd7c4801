//! SQLite tables for the written input portal: statements, their PDFs and states' responses. A
//! statement and its file are written in one transaction, so that a failed submission leaves
//! neither behind.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use shared::api::{Cursor, Page, PageRequest};
use shared::written::{Attachment, CoSigner, Response, Statement, Submitter, SubmitterKind};
use shared::{Language, MeetingId, Millis, ParticipantId, ProcessId};

use super::accreditation::{count, uploaded, within};
use super::sqlite::SqliteStore;
use super::{OrganisationQuota, StoreError, WrittenStore};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS statements (
    id TEXT PRIMARY KEY,
    process TEXT NOT NULL REFERENCES processes(id),
    meeting TEXT REFERENCES meetings(id),
    agenda_item TEXT,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    submitter_kind TEXT NOT NULL CHECK (submitter_kind IN ('organisation', 'delegation')),
    submitter_name TEXT NOT NULL,
    organisation TEXT REFERENCES organisations(id),
    -- The person who sent it (the token's subject), for the record; not published.
    submitted_by TEXT NOT NULL,
    -- JSON: one object per co-signer with name, kind, organisation and confirmed (`shared::written::CoSigner`).
    co_signers TEXT NOT NULL,
    text TEXT,
    submitted_at INTEGER NOT NULL,
    CHECK ((submitter_kind = 'organisation') = (organisation IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS statements_by_process ON statements (process, submitted_at);
CREATE TABLE IF NOT EXISTS statement_files (
    statement TEXT PRIMARY KEY REFERENCES statements(id),
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    file BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS responses (
    id TEXT PRIMARY KEY,
    statement TEXT NOT NULL REFERENCES statements(id),
    delegation TEXT NOT NULL,
    author TEXT NOT NULL,
    -- The delegate who wrote it (the token's subject), for the record; not published.
    written_by TEXT NOT NULL,
    text TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_statement ON responses (statement, at);
";

/// Brings statements stored before co-signers confirmed up to date: their co-signers were bare
/// names, counted as co-signing, and are written out as confirmed co-signers of no known kind.
/// Idempotent: it rewrites only rows that still hold a bare name, so it runs at every start.
pub(super) fn migrate(conn: &Connection) -> Result<(), StoreError> {
    let legacy: Vec<(String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT id, co_signers FROM statements
             WHERE EXISTS (SELECT 1 FROM json_each(statements.co_signers) WHERE type = 'text')",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    if legacy.is_empty() {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    for (id, co_signers) in &legacy {
        let read: Vec<CoSigner> = serde_json::from_str(co_signers).map_err(|e| StoreError::Corrupt {
            meeting: format!("statement {id}"),
            seq: 0,
            reason: e.to_string(),
        })?;
        let written = serde_json::to_string(&read).expect("co-signers serialize");
        tx.execute("UPDATE statements SET co_signers = ?1 WHERE id = ?2", params![written, id])?;
    }
    tx.commit()?;
    tracing::info!(statements = legacy.len(), "co-signers of earlier statements recorded as confirmed");
    Ok(())
}

fn bad(message: impl ToString) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnName(message.to_string())
}

pub(super) const STATEMENT_COLUMNS: &str =
    "s.id, s.process, s.meeting, s.agenda_item, s.title, s.language, s.submitter_kind,
     s.submitter_name, s.organisation, s.co_signers, s.text, s.submitted_at, f.content_type, f.size";
pub(super) const STATEMENT_FROM: &str = "statements s LEFT JOIN statement_files f ON f.statement = s.id";

/// A statement row, without its responses.
fn statement_row(row: &Row) -> rusqlite::Result<Statement> {
    let kind: String = row.get(6)?;
    let co_signers: String = row.get(9)?;
    let content_type: Option<String> = row.get(12)?;
    let size: Option<i64> = row.get(13)?;
    Ok(Statement {
        id: row.get(0)?,
        process: ProcessId::parse(row.get::<_, String>(1)?).map_err(|e| bad(e.message))?,
        meeting: row.get::<_, Option<String>>(2)?.map(MeetingId::parse).transpose().map_err(|e| bad(e.message))?,
        agenda_item: row.get(3)?,
        title: row.get(4)?,
        language: Language::parse(row.get::<_, String>(5)?).map_err(|e| bad(e.message))?,
        submitter: Submitter {
            kind: kind.parse().unwrap_or(SubmitterKind::Organisation),
            name: row.get(7)?,
            organisation: row.get(8)?,
        },
        co_signers: serde_json::from_str(&co_signers).map_err(bad)?,
        text: row.get(10)?,
        submitted_at: Millis(row.get(11)?),
        file: content_type.zip(size).map(|(content_type, size)| Attachment { content_type, size: size as u64 }),
        responses: Vec::new(),
    })
}

fn response_row(row: &Row) -> rusqlite::Result<(String, Response)> {
    Ok((
        row.get(0)?,
        Response {
            id: row.get(1)?,
            delegation: row.get(2)?,
            author: row.get(3)?,
            text: row.get(4)?,
            at: Millis(row.get(5)?),
        },
    ))
}

/// Attaches to each statement its responses, oldest first. `filter` selects the responses' rows
/// through the statements they belong to (`s`), with `args` for its parameters.
fn with_responses(
    conn: &Connection,
    mut statements: Vec<Statement>,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Statement>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.statement, r.id, r.delegation, r.author, r.text, r.at
         FROM responses r JOIN statements s ON s.id = r.statement
         WHERE {filter} ORDER BY r.at, r.rowid"
    ))?;
    let mut responses: HashMap<String, Vec<Response>> = HashMap::new();
    for row in stmt.query_map(args, response_row)? {
        let (statement, response) = row?;
        responses.entry(statement).or_default().push(response);
    }
    for statement in &mut statements {
        statement.responses = responses.remove(&statement.id).unwrap_or_default();
    }
    Ok(statements)
}

/// The co-signers of `statement`, stored as `co_signers` (JSON), once the one named `name` confirmed
/// (kept, confirmed) or declined (taken off), as JSON to store; `None` when none is named so.
pub(super) fn answered(
    statement: &str,
    co_signers: &str,
    name: &str,
    confirm: bool,
) -> Result<Option<String>, StoreError> {
    let mut co_signers: Vec<CoSigner> = serde_json::from_str(co_signers).map_err(|e| StoreError::Corrupt {
        meeting: format!("statement {statement}"),
        seq: 0,
        reason: e.to_string(),
    })?;
    let Some(at) = co_signers.iter().position(|c| c.name == name) else { return Ok(None) };
    if confirm {
        co_signers[at].confirmed = true;
    } else {
        co_signers.remove(at);
    }
    Ok(Some(serde_json::to_string(&co_signers).expect("co-signers serialize")))
}

impl WrittenStore for SqliteStore {
    fn submit_statement(
        &self,
        statement: &Statement,
        by: &ParticipantId,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError> {
        let mut conn = self.admin();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(quota) = quota {
            let submitted = count(
                &tx,
                "SELECT COUNT(*) FROM statements WHERE process = ?1 AND organisation = ?2",
                params![quota.process.as_str(), quota.organisation],
            )?;
            within(quota.items, submitted, 1)?;
            within(quota.bytes, uploaded(&tx, quota)?, file.map_or(0, |f| f.len() as u64))?;
        }
        let kind: &str = statement.submitter.kind.into();
        tx.execute(
            "INSERT INTO statements (id, process, meeting, agenda_item, title, language, submitter_kind,
                 submitter_name, organisation, submitted_by, co_signers, text, submitted_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                statement.id,
                statement.process.as_str(),
                statement.meeting.as_ref().map(MeetingId::as_str),
                statement.agenda_item,
                statement.title,
                statement.language.as_str(),
                kind,
                statement.submitter.name,
                statement.submitter.organisation,
                by.as_str(),
                serde_json::to_string(&statement.co_signers).expect("names serialize"),
                statement.text,
                statement.submitted_at.0,
            ],
        )?;
        if let Some(bytes) = file {
            let content_type = statement.file.as_ref().map_or("application/pdf", |f| f.content_type.as_str());
            tx.execute(
                "INSERT INTO statement_files (statement, content_type, size, file) VALUES (?1, ?2, ?3, ?4)",
                params![statement.id, content_type, bytes.len() as i64, bytes],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn statements(&self, process: &ProcessId, meeting: Option<&MeetingId>) -> Result<Vec<Statement>, StoreError> {
        let conn = self.admin();
        let meeting = meeting.map(MeetingId::as_str);
        let filter = "s.process = ?1 AND (?2 IS NULL OR s.meeting = ?2)";
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {STATEMENT_COLUMNS} FROM {STATEMENT_FROM} WHERE {filter}
             ORDER BY s.submitted_at DESC, s.rowid DESC"
        ))?;
        let statements = stmt.query_map(params![process.as_str(), meeting], statement_row)?;
        let statements = statements.collect::<Result<Vec<_>, _>>()?;
        with_responses(&conn, statements, filter, &[&process.as_str(), &meeting])
    }

    fn statements_page(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        readable: &[MeetingId],
        page: &PageRequest,
    ) -> Result<Page<Statement>, StoreError> {
        let conn = self.admin();
        let meeting = meeting.map(MeetingId::as_str);
        let readable: Vec<&str> = readable.iter().map(MeetingId::as_str).collect();
        let readable = serde_json::to_string(&readable).expect("ids serialize");
        let (at, id) = super::accreditation::after(page);
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {STATEMENT_COLUMNS}, s.rowid FROM {STATEMENT_FROM}
             WHERE s.process = ?1 AND (?2 IS NULL OR s.meeting = ?2)
               AND (s.meeting IS NULL OR s.meeting IN (SELECT value FROM json_each(?3)))
               AND (?4 IS NULL OR (s.submitted_at, s.rowid) < (?4, ?5))
             ORDER BY s.submitted_at DESC, s.rowid DESC LIMIT ?6"
        ))?;
        let rows = stmt.query_map(params![process.as_str(), meeting, readable, at, id, page.limit + 1], |r| {
            Ok((statement_row(r)?, r.get::<_, i64>(14)?))
        })?;
        let page = page.page(rows.collect::<Result<Vec<_>, _>>()?, |(s, rowid)| Cursor {
            at: s.submitted_at.0,
            key: rowid.to_string(),
        });
        let page = Page { items: page.items.into_iter().map(|(s, _)| s).collect::<Vec<_>>(), next: page.next };
        let ids: Vec<&str> = page.items.iter().map(|s| s.id.as_str()).collect();
        let ids = serde_json::to_string(&ids).expect("ids serialize");
        let filter = "s.id IN (SELECT value FROM json_each(?1))";
        let items = with_responses(&conn, page.items, filter, &[&ids])?;
        Ok(Page { items, next: page.next })
    }

    fn statement(&self, id: &str) -> Result<Option<Statement>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row(
                &format!("SELECT {STATEMENT_COLUMNS} FROM {STATEMENT_FROM} WHERE s.id = ?1"),
                [id],
                statement_row,
            )
            .optional()?;
        match found {
            Some(statement) => Ok(with_responses(&conn, vec![statement], "s.id = ?1", &[&id])?.pop()),
            None => Ok(None),
        }
    }

    fn statement_file(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let conn = self.admin();
        let found = conn
            .query_row("SELECT content_type, size, file FROM statement_files WHERE statement = ?1", [id], |r| {
                Ok((Attachment { content_type: r.get(0)?, size: r.get::<_, i64>(1)? as u64 }, r.get(2)?))
            })
            .optional()?;
        Ok(found)
    }

    fn answer_co_signer(&self, statement: &str, name: &str, confirm: bool) -> Result<bool, StoreError> {
        // Read, change and write in one transaction on the one admin connection, so that two
        // co-signers answering at once both count.
        let mut conn = self.admin();
        let tx = conn.transaction()?;
        let stored: Option<String> =
            tx.query_row("SELECT co_signers FROM statements WHERE id = ?1", [statement], |r| r.get(0)).optional()?;
        let Some(stored) = stored else { return Ok(false) };
        let Some(written) = answered(statement, &stored, name, confirm)? else { return Ok(false) };
        tx.execute("UPDATE statements SET co_signers = ?1 WHERE id = ?2", params![written, statement])?;
        tx.commit()?;
        Ok(true)
    }

    fn add_response(&self, statement: &str, response: &Response, by: &ParticipantId) -> Result<(), StoreError> {
        self.admin().execute(
            "INSERT INTO responses (id, statement, delegation, author, written_by, text, at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                response.id,
                statement,
                response.delegation,
                response.author,
                by.as_str(),
                response.text,
                response.at.0
            ],
        )?;
        Ok(())
    }
}
