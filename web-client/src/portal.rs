//! Written input, the plain logic: the portal's API paths and links, what the submission form
//! sends (checked with `shared`'s own rules, and a PDF's type and size before it is uploaded),
//! and a statement's text as paragraphs.

use shared::region::state_named;
use shared::written::{CoSigner, NewStatement, Statement, SubmitterKind, MAX_FILE_BYTES};
use shared::{Language, MeetingId};

use crate::browser::organisation_key;
use crate::http::encode;

/// `GET` (the public list, newest first) and `POST` (submit) of a process's statements.
pub fn statements_path(process: &str, meeting: Option<&str>) -> String {
    let path = format!("/api/processes/{}/statements", encode(process));
    match meeting.filter(|m| !m.is_empty()) {
        Some(meeting) => format!("{path}?meeting={}", encode(meeting)),
        None => path,
    }
}

/// One statement, with its responses.
pub fn statement_path(id: &str) -> String {
    format!("/api/statements/{}", encode(id))
}

/// A statement's PDF.
pub fn file_path(id: &str) -> String {
    format!("/api/statements/{}/file", encode(id))
}

/// Where a delegation posts its response.
pub fn responses_path(id: &str) -> String {
    format!("/api/statements/{}/responses", encode(id))
}

/// Where a co-signer confirms (`confirm`) or declines.
pub fn co_signing_path(id: &str, confirm: bool) -> String {
    format!("/api/statements/{}/co-signers/{}", encode(id), if confirm { "confirm" } else { "decline" })
}

/// Who a token on a statement's page speaks for, as far as the page can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// A delegate of this member state.
    Delegation(String),
    /// An accredited organisation's own page: its id.
    Organisation(String),
    /// Someone else with a token (a representative, say): the server tells whom it speaks for.
    Unknown,
}

/// The co-signer of `statement` that `signer` answers for, when the page can tell: the state a
/// delegate speaks for (by its United Nations name), or the organisation of its own page.
pub fn own_co_signer<'a>(statement: &'a Statement, signer: &Signer) -> Option<&'a CoSigner> {
    match signer {
        Signer::Delegation(delegation) => {
            let state = state_named(delegation).unwrap_or(delegation);
            let key = organisation_key(state);
            statement
                .co_signers
                .iter()
                .find(|c| c.kind != Some(SubmitterKind::Organisation) && organisation_key(&c.name) == key)
        }
        Signer::Organisation(id) => statement.co_signers.iter().find(|c| c.organisation.as_deref() == Some(id)),
        Signer::Unknown => None,
    }
}

/// The statement's page; with a delegate's token in the fragment, it offers to respond.
pub fn statement_href(id: &str, token: Option<&str>) -> String {
    match token {
        Some(token) => format!("/statement?id={}#token={token}", encode(id)),
        None => format!("/statement?id={}", encode(id)),
    }
}

/// The portal of a process, optionally filtered by meeting.
pub fn portal_href(process: &str, meeting: Option<&str>) -> String {
    match meeting.filter(|m| !m.is_empty()) {
        Some(meeting) => format!("/portal?process={}&meeting={}", encode(process), encode(meeting)),
        None => format!("/portal?process={}", encode(process)),
    }
}

/// What the form knows of a chosen file before reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFacts {
    /// The browser's media type (often empty for unknown types).
    pub media_type: String,
    pub name: String,
    pub size: u64,
}

/// A statement ready to send: its fields, and whether its body is a PDF rather than the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub statement: NewStatement,
    pub pdf: bool,
}

/// The form's fields as a statement, or the sentence that says what to fix. `meeting` is a
/// meeting's id or empty; `agenda_item` may be empty; a file, when chosen, must be a PDF of at
/// most 10 MiB and replaces the text.
pub fn draft(
    title: &str,
    meeting: &str,
    agenda_item: &str,
    language: &str,
    co_signers: &str,
    text: &str,
    file: Option<&FileFacts>,
) -> Result<Draft, String> {
    let language =
        Language::parse(language.trim()).map_err(|_| crate::tr!(portal.choose_statement_language).to_string())?;
    let meeting = match meeting.trim() {
        "" => None,
        id => Some(MeetingId::parse(id).map_err(|_| crate::tr!(portal.not_a_meeting, id = id))?),
    };
    let agenda_item = Some(agenda_item.trim().to_string()).filter(|a| !a.is_empty());
    if let Some(file) = file {
        let pdf = file.media_type == "application/pdf"
            || (file.media_type.trim().is_empty() && file.name.to_ascii_lowercase().ends_with(".pdf"));
        if !pdf {
            return Err(crate::tr!(portal.not_a_pdf, name = &file.name));
        }
        if file.size == 0 {
            return Err(crate::tr!(portal.file_empty, name = &file.name));
        }
        if file.size > MAX_FILE_BYTES {
            let size = crate::documents::size_text(file.size);
            return Err(crate::tr!(portal.pdf_too_large, name = &file.name, size = size));
        }
    }
    let text = text.trim();
    let statement = NewStatement {
        meeting,
        agenda_item,
        title: title.trim().to_string(),
        language,
        co_signers: crate::accreditation::co_signers(co_signers),
        text: (!text.is_empty()).then(|| text.to_string()),
    };
    statement.validate(file.is_some()).map_err(|r| crate::labels::refusal_text(r.code.into(), r.message))?;
    Ok(Draft { statement, pdf: file.is_some() })
}

/// The query string that carries a PDF statement's fields (the body is the file itself).
pub fn upload_query(statement: &NewStatement) -> String {
    let mut query = format!("title={}&language={}", encode(&statement.title), encode(statement.language.as_str()));
    if let Some(meeting) = &statement.meeting {
        query.push_str(&format!("&meeting={}", encode(meeting.as_str())));
    }
    if let Some(item) = &statement.agenda_item {
        query.push_str(&format!("&agenda_item={}", encode(item)));
    }
    if !statement.co_signers.is_empty() {
        query.push_str(&format!("&co_signers={}", encode(&statement.co_signers.join(","))));
    }
    query
}

/// A statement's text as paragraphs: split at blank lines, each trimmed; line breaks within a
/// paragraph stay (the page shows them as they are).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

/// The statements a submitter sent: those of that kind and name.
pub fn own(statements: &[Statement], kind: SubmitterKind, name: &str) -> Vec<Statement> {
    statements.iter().filter(|s| s.submitter.kind == kind && s.submitter.name == name).cloned().collect()
}

/// "3 responses", "1 response", "No response yet".
pub fn responses_text(n: usize) -> String {
    match n {
        0 => crate::tr!(portal.no_response_yet).to_string(),
        n => crate::trn!(portal.responses_count, count = i32::try_from(n).unwrap_or(i32::MAX)),
    }
}

/// Where a statement is addressed: "Meeting title · Agenda item", as far as known.
pub fn addressed(statement: &Statement, meeting_title: Option<&str>) -> Option<String> {
    let meeting = statement.meeting.as_ref().map(|m| meeting_title.unwrap_or(m.as_str()).to_string());
    match (meeting, &statement.agenda_item) {
        (Some(m), Some(a)) => Some(format!("{m} · {a}")),
        (Some(m), None) => Some(m),
        (None, Some(a)) => Some(a.clone()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf(size: u64) -> FileFacts {
        FileFacts { media_type: "application/pdf".into(), name: "input.pdf".into(), size }
    }

    #[test]
    fn a_delegate_or_an_organisations_page_finds_its_own_co_signature() {
        let co_signer = |name: &str, kind, organisation: Option<&str>| CoSigner {
            name: name.into(),
            kind: Some(kind),
            organisation: organisation.map(Into::into),
            confirmed: false,
        };
        let statement: Statement = serde_json::from_value(serde_json::json!({
            "id": "s1", "process": "p1", "title": "T", "language": "en", "submitted_at": 0,
            "submitter": {"kind": "organisation", "name": "GDRN", "organisation": "o1"},
            "co_signers": [
                co_signer("Access Now", SubmitterKind::Organisation, Some("o2")),
                co_signer("Türkiye", SubmitterKind::Delegation, None),
            ],
        }))
        .unwrap();

        let by_state = own_co_signer(&statement, &Signer::Delegation("Turkey".into()));
        let by_page = own_co_signer(&statement, &Signer::Organisation("o2".into()));

        assert_eq!(by_state.map(|c| c.name.as_str()), Some("Türkiye"));
        assert_eq!(by_page.map(|c| c.name.as_str()), Some("Access Now"));
        assert_eq!(own_co_signer(&statement, &Signer::Organisation("o1".into())), None);
        assert_eq!(own_co_signer(&statement, &Signer::Unknown), None);
        assert_eq!(co_signing_path("s 1", true), "/api/statements/s%201/co-signers/confirm");
    }

    #[test]
    fn a_written_statement_needs_a_title_and_its_text() {
        let ok = draft(" Our input ", "demo", "", "en", "Access Now, ", " We propose… ", None).unwrap();
        assert!(!ok.pdf);
        assert_eq!(ok.statement.title, "Our input");
        assert_eq!(ok.statement.meeting.unwrap().as_str(), "demo");
        assert_eq!(ok.statement.co_signers, ["Access Now"]);
        assert_eq!(ok.statement.text.as_deref(), Some("We propose…"));
        assert!(draft("", "", "", "en", "", "text", None).unwrap_err().contains("title"));
        assert!(draft("T", "", "", "en", "", "  ", None).unwrap_err().contains("text"));
        assert!(draft("T", "", "", "", "", "text", None).unwrap_err().contains("language"));
    }

    #[test]
    fn a_pdf_is_checked_for_its_type_and_size_before_it_is_sent() {
        assert!(draft("T", "", "Item 5", "fr", "", "", Some(&pdf(2_000))).unwrap().pdf);
        let unnamed = FileFacts { media_type: String::new(), name: "INPUT.PDF".into(), size: 10 };
        assert!(draft("T", "", "", "en", "", "", Some(&unnamed)).is_ok(), "known by its extension");
        let word = FileFacts { media_type: "application/msword".into(), name: "input.doc".into(), size: 10 };
        assert!(draft("T", "", "", "en", "", "", Some(&word)).unwrap_err().contains("not a PDF"));
        assert!(draft("T", "", "", "en", "", "", Some(&pdf(MAX_FILE_BYTES + 1))).unwrap_err().contains("10 MiB"));
        assert!(draft("T", "", "", "en", "", "", Some(&pdf(0))).unwrap_err().contains("empty"));
        assert!(draft("T", "", "", "en", "", "text too", Some(&pdf(10))).unwrap_err().contains("not both"));
    }

    #[test]
    fn a_pdfs_fields_travel_in_the_query_string() {
        let d = draft("Input & views", "demo", "Item 5", "en", "A, B", "", Some(&pdf(10))).unwrap();
        assert_eq!(
            upload_query(&d.statement),
            "title=Input%20%26%20views&language=en&meeting=demo&agenda_item=Item%205&co_signers=A%2CB"
        );
    }

    #[test]
    fn paragraphs_are_split_at_blank_lines_and_keep_their_line_breaks() {
        assert_eq!(paragraphs("One\nstill one\n\n\n  \nTwo  \n"), vec!["One\nstill one", "Two"]);
        assert!(paragraphs("  \n").is_empty());
    }

    #[test]
    fn links_carry_the_token_only_in_the_fragment() {
        assert_eq!(statement_href("st 1", Some("tok")), "/statement?id=st%201#token=tok");
        assert_eq!(statements_path("oewg", Some("demo")), "/api/processes/oewg/statements?meeting=demo");
        assert_eq!(statements_path("oewg", Some("")), "/api/processes/oewg/statements");
        assert_eq!(portal_href("oewg", None), "/portal?process=oewg");
        assert_eq!(responses_text(0), "No response yet");
    }

    #[test]
    fn responses_are_counted_in_the_pages_language() {
        assert_eq!(responses_text(1), "1 response");
        assert_eq!(responses_text(12), "12 responses");
        crate::language::set(crate::language::Locale::ru);
        assert_eq!(responses_text(3), "3 ответа");
        assert_eq!(responses_text(5), "5 ответов");
        crate::language::set(crate::language::Locale::en);
    }

    #[test]
    fn the_sentence_around_the_portals_link_keeps_its_spaces() {
        assert_eq!(crate::tr!(portal.submit_intro_after_link), " as soon as it is submitted.");
        assert!(crate::tr!(portal.submit_intro_before_link).ends_with("public on "));
    }
}
