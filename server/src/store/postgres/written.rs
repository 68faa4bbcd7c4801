//! PostgreSQL tables for the written input portal: statements, their PDFs and states' responses,
//! as in `store/written.rs`. A statement and its file are written in one transaction, so that a
//! failed submission leaves neither behind; an organisation's submission counts its quotas under
//! the lock its materials take too (see `accreditation.rs`).

use postgres::{GenericClient, Row};
use shared::api::{Page, PageRequest};
use shared::written::{Attachment, Response, Statement, Submitter, SubmitterKind};
use shared::{Language, MeetingId, Millis, ParticipantId, ProcessId};

use super::accreditation::{grouped, one_more, page_of, within_quota};
use super::PgStore;
use crate::store::accreditation::{after, corrupt};
use crate::store::written::{answered, STATEMENT_COLUMNS, STATEMENT_FROM};
use crate::store::{OrganisationQuota, StoreError, WrittenStore};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS statements (
    id TEXT PRIMARY KEY,
    -- The order rows were stored in (SQLite's rowid): orders statements of one millisecond.
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
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
    submitted_at BIGINT NOT NULL,
    CHECK ((submitter_kind = 'organisation') = (organisation IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS statements_by_process ON statements (process, submitted_at, ordinal);
CREATE INDEX IF NOT EXISTS statements_by_organisation ON statements (organisation);
CREATE TABLE IF NOT EXISTS statement_files (
    statement TEXT PRIMARY KEY REFERENCES statements(id),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    file BYTEA NOT NULL
);
CREATE TABLE IF NOT EXISTS responses (
    id TEXT PRIMARY KEY,
    ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
    statement TEXT NOT NULL REFERENCES statements(id),
    delegation TEXT NOT NULL,
    author TEXT NOT NULL,
    -- The delegate who wrote it (the token's subject), for the record; not published.
    written_by TEXT NOT NULL,
    text TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_by_statement ON responses (statement, at, ordinal);
";

/// A statement (`STATEMENT_COLUMNS`), without its responses.
fn statement_row(row: &Row) -> Result<Statement, StoreError> {
    let id: String = row.get(0);
    let bad = |reason: String| corrupt("statement", &id, reason);
    let kind: String = row.get(6);
    let co_signers: String = row.get(9);
    let content_type: Option<String> = row.get(12);
    let size: Option<i64> = row.get(13);
    Ok(Statement {
        process: ProcessId::parse(row.get::<_, String>(1)).map_err(|e| bad(e.message))?,
        meeting: row.get::<_, Option<String>>(2).map(MeetingId::parse).transpose().map_err(|e| bad(e.message))?,
        agenda_item: row.get(3),
        title: row.get(4),
        language: Language::parse(row.get::<_, String>(5)).map_err(|e| bad(e.message))?,
        submitter: Submitter {
            kind: kind.parse().unwrap_or(SubmitterKind::Organisation),
            name: row.get(7),
            organisation: row.get(8),
        },
        co_signers: serde_json::from_str(&co_signers).map_err(|e| bad(e.to_string()))?,
        text: row.get(10),
        submitted_at: Millis(row.get(11)),
        file: content_type.zip(size).map(|(content_type, size)| Attachment { content_type, size: size as u64 }),
        responses: Vec::new(),
        id,
    })
}

/// The statements of `rows`, each with its responses, oldest first, read in one query.
fn statements(conn: &mut impl GenericClient, rows: &[Row]) -> Result<Vec<Statement>, StoreError> {
    with_responses(conn, rows.iter().map(statement_row).collect::<Result<_, _>>()?)
}

/// Fills in each statement's responses, oldest first, read in one query.
fn with_responses(conn: &mut impl GenericClient, mut statements: Vec<Statement>) -> Result<Vec<Statement>, StoreError> {
    let ids: Vec<&str> = statements.iter().map(|s| s.id.as_str()).collect();
    let mut responses = grouped(
        conn,
        "SELECT statement, id, delegation, author, text, at FROM responses WHERE statement = ANY($1)
         ORDER BY at, ordinal",
        &ids,
        |r| Response { id: r.get(1), delegation: r.get(2), author: r.get(3), text: r.get(4), at: Millis(r.get(5)) },
    )?;
    for statement in &mut statements {
        statement.responses = responses.remove(&statement.id).unwrap_or_default();
    }
    Ok(statements)
}

impl WrittenStore for PgStore {
    fn submit_statement(
        &self,
        statement: &Statement,
        by: &ParticipantId,
        file: Option<&[u8]>,
        quota: Option<&OrganisationQuota>,
    ) -> Result<(), StoreError> {
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        if let Some(quota) = quota {
            let submitted = "SELECT COUNT(*) FROM statements WHERE process = $1 AND organisation = $2";
            within_quota(&mut tx, quota, submitted, &quota.organisation, file.map_or(0, |f| f.len() as u64))?;
        }
        let kind: &str = statement.submitter.kind.into();
        tx.execute(
            "INSERT INTO statements (id, process, meeting, agenda_item, title, language, submitter_kind,
                 submitter_name, organisation, submitted_by, co_signers, text, submitted_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            &[
                &statement.id,
                &statement.process.as_str(),
                &statement.meeting.as_ref().map(MeetingId::as_str),
                &statement.agenda_item,
                &statement.title,
                &statement.language.as_str(),
                &kind,
                &statement.submitter.name,
                &statement.submitter.organisation,
                &by.as_str(),
                &serde_json::to_string(&statement.co_signers).expect("names serialize"),
                &statement.text,
                &statement.submitted_at.0,
            ],
        )?;
        if let Some(bytes) = file {
            let content_type = statement.file.as_ref().map_or("application/pdf", |f| f.content_type.as_str());
            tx.execute(
                "INSERT INTO statement_files (statement, content_type, size, file) VALUES ($1, $2, $3, $4)",
                &[&statement.id, &content_type, &(bytes.len() as i64), &bytes],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn statements(&self, process: &ProcessId, meeting: Option<&MeetingId>) -> Result<Vec<Statement>, StoreError> {
        let mut conn = self.admin()?;
        let rows = conn.query(
            &format!(
                "SELECT {STATEMENT_COLUMNS} FROM {STATEMENT_FROM}
                 WHERE s.process = $1 AND ($2::TEXT IS NULL OR s.meeting = $2)
                 ORDER BY s.submitted_at DESC, s.ordinal DESC"
            ),
            &[&process.as_str(), &meeting.map(MeetingId::as_str)],
        )?;
        statements(&mut **conn, &rows)
    }

    fn statements_page(
        &self,
        process: &ProcessId,
        meeting: Option<&MeetingId>,
        readable: &[MeetingId],
        page: &PageRequest,
    ) -> Result<Page<Statement>, StoreError> {
        let mut conn = self.admin()?;
        let readable: Vec<&str> = readable.iter().map(MeetingId::as_str).collect();
        let (at, ordinal) = after(page);
        let rows = conn.query(
            &format!(
                "SELECT {STATEMENT_COLUMNS}, s.ordinal FROM {STATEMENT_FROM}
                 WHERE s.process = $1 AND ($2::TEXT IS NULL OR s.meeting = $2)
                   AND (s.meeting IS NULL OR s.meeting = ANY($3))
                   AND ($4::BIGINT IS NULL OR (s.submitted_at, s.ordinal) < ($4, $5))
                 ORDER BY s.submitted_at DESC, s.ordinal DESC LIMIT $6"
            ),
            &[&process.as_str(), &meeting.map(MeetingId::as_str), &readable, &at, &ordinal, &one_more(page)],
        )?;
        let page = page_of(page, &rows, 14, statement_row, |s| s.submitted_at)?;
        Ok(Page { items: with_responses(&mut **conn, page.items)?, next: page.next })
    }

    fn statement(&self, id: &str) -> Result<Option<Statement>, StoreError> {
        let mut conn = self.admin()?;
        let rows = conn.query(&format!("SELECT {STATEMENT_COLUMNS} FROM {STATEMENT_FROM} WHERE s.id = $1"), &[&id])?;
        Ok(statements(&mut **conn, &rows)?.pop())
    }

    fn statement_file(&self, id: &str) -> Result<Option<(Attachment, Vec<u8>)>, StoreError> {
        let found = self
            .admin()?
            .query_opt("SELECT content_type, size, file FROM statement_files WHERE statement = $1", &[&id])?;
        Ok(found.map(|r| (Attachment { content_type: r.get(0), size: r.get::<_, i64>(1) as u64 }, r.get(2))))
    }

    fn answer_co_signer(&self, statement: &str, name: &str, confirm: bool) -> Result<bool, StoreError> {
        // The row stays locked from the read to the write, so that two co-signers answering at
        // once, on one node or two, both count.
        let mut conn = self.admin()?;
        let mut tx = conn.transaction()?;
        let stored = tx.query_opt("SELECT co_signers FROM statements WHERE id = $1 FOR UPDATE", &[&statement])?;
        let Some(stored) = stored else { return Ok(false) };
        let Some(written) = answered(statement, stored.get(0), name, confirm)? else { return Ok(false) };
        tx.execute("UPDATE statements SET co_signers = $1 WHERE id = $2", &[&written, &statement])?;
        tx.commit()?;
        Ok(true)
    }

    fn add_response(&self, statement: &str, response: &Response, by: &ParticipantId) -> Result<(), StoreError> {
        self.admin()?.execute(
            "INSERT INTO responses (id, statement, delegation, author, written_by, text, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &response.id,
                &statement,
                &response.delegation,
                &response.author,
                &by.as_str(),
                &response.text,
                &response.at.0,
            ],
        )?;
        Ok(())
    }
}
