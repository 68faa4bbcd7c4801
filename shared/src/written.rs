//! Written input: statements that accredited organisations and member states' delegations submit
//! to a meeting or an agenda item of a process, and the responses states attach to them, with the
//! rules that decide them ([`submission`]): pure, with `now` passed in. A statement is public once
//! submitted, unless it is tied to a closed meeting: then it goes to those the meeting admits.

use serde::{Deserialize, Serialize};

use crate::ids::{Language, MeetingId, Millis, ProcessId};
use crate::rejection::{Rejection, RejectionCode};
use crate::text::{line, paragraph};

pub mod submission;

pub use submission::{co_signers, Answer, Answerer, CoSigning, Submission};

/// Largest statement written in the form, in characters.
pub const MAX_TEXT_CHARS: usize = 50_000;
/// Largest response, in characters.
pub const MAX_RESPONSE_CHARS: usize = 10_000;
/// Largest PDF attached to a statement, in bytes.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Who submitted a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum SubmitterKind {
    /// An accredited organisation (its own page or one of its representatives).
    Organisation,
    /// A member state's delegation.
    Delegation,
}

/// The organisation or delegation a statement comes from, and the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitter {
    pub kind: SubmitterKind,
    /// The organisation's or the state's name, as shown.
    pub name: String,
    /// The accredited organisation's id, for organisations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
}

/// An accredited organisation or a member state named as a co-signer of a written statement.
///
/// The submitter names it; it is pending until the organisation (its own page or one of its
/// representatives) or a delegate of the state confirms, and it is taken off the statement if it
/// declines. Statements stored before co-signers confirmed hold bare names: those read as confirmed,
/// with no kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "CoSignerWire")]
pub struct CoSigner {
    /// The organisation's name as accredited, or the state's United Nations short name.
    pub name: String,
    /// Organisation or delegation; absent for a co-signer named before they were checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SubmitterKind>,
    /// The accredited organisation's id, for organisations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Whether the co-signer confirmed.
    pub confirmed: bool,
}

/// A co-signer as stored: a bare name (before confirmation existed), or the full record.
#[derive(Deserialize)]
#[serde(untagged)]
enum CoSignerWire {
    Legacy(String),
    Full {
        name: String,
        #[serde(default)]
        kind: Option<SubmitterKind>,
        #[serde(default)]
        organisation: Option<String>,
        confirmed: bool,
    },
}

impl From<CoSignerWire> for CoSigner {
    fn from(wire: CoSignerWire) -> Self {
        match wire {
            CoSignerWire::Legacy(name) => CoSigner { name, kind: None, organisation: None, confirmed: true },
            CoSignerWire::Full { name, kind, organisation, confirmed } => {
                CoSigner { name, kind, organisation, confirmed }
            }
        }
    }
}

/// A PDF attached to a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Always `application/pdf`.
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
}

/// A state's response to a statement: what it did with the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    /// The member state responding.
    pub delegation: String,
    /// The delegate who wrote it.
    pub author: String,
    pub text: String,
    pub at: Millis,
}

/// A written statement, with the responses attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub id: String,
    pub process: ProcessId,
    /// The meeting it is submitted to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// The agenda item it addresses, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    pub title: String,
    pub language: Language,
    pub submitter: Submitter,
    /// For a joint statement: the other organisations or states that sign it, each pending until
    /// it confirms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_signers: Vec<CoSigner>,
    /// The text, for a statement written in the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The PDF, for a statement uploaded as a file (`GET /api/statements/{id}/file`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Attachment>,
    pub submitted_at: Millis,
    /// Responses of member states, oldest first.
    #[serde(default)]
    pub responses: Vec<Response>,
}

/// What a submitter sends: the statement's details, and its text unless a PDF comes instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewStatement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    pub title: String,
    pub language: Language,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_signers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::new(RejectionCode::InvalidCommand, message)
}

impl NewStatement {
    /// Checks the fields. `with_file` says whether a PDF comes with it, in which case there is no
    /// text; otherwise the text is required.
    pub fn validate(&self, with_file: bool) -> Result<(), Rejection> {
        line("statement's title", &self.title, 200)?;
        if let Some(agenda_item) = &self.agenda_item {
            if agenda_item.trim().is_empty() {
                return Err(invalid("The agenda item is 1 to 200 characters, or left out."));
            }
            line("agenda item", agenda_item, 200)?;
        }
        if self.co_signers.len() > 50 {
            return Err(invalid("A statement has at most 50 co-signers."));
        }
        for co_signer in &self.co_signers {
            line("co-signer's name", co_signer, 200)?;
        }
        let text = match self.text.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(text) => paragraph("statement's text", text, usize::MAX)?.chars().count(),
            None => 0,
        };
        match (with_file, text) {
            (true, 0) => Ok(()),
            (true, _) => Err(invalid("Send either the text or a PDF, not both.")),
            (false, 0) => Err(invalid("Write the statement's text, or upload it as a PDF.")),
            (false, n) if n > MAX_TEXT_CHARS => Err(invalid(format!(
                "A statement's text is at most {MAX_TEXT_CHARS} characters; upload a PDF instead."
            ))),
            (false, _) => Ok(()),
        }
    }
}

/// What a delegation sends to respond to a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    pub text: String,
}

impl NewResponse {
    /// A response of 1 to [`MAX_RESPONSE_CHARS`] characters.
    pub fn validate(&self) -> Result<(), Rejection> {
        paragraph("response", &self.text, MAX_RESPONSE_CHARS)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement() -> NewStatement {
        NewStatement {
            meeting: None,
            agenda_item: Some("Capacity building".into()),
            title: "Our input".into(),
            language: Language::parse("en").unwrap(),
            co_signers: vec![],
            text: Some("We propose…".into()),
        }
    }

    #[test]
    fn a_statement_has_either_its_text_or_a_pdf() {
        assert!(statement().validate(false).is_ok());
        assert!(statement().validate(true).is_err(), "text and a file");
        let no_text = NewStatement { text: None, ..statement() };
        assert!(no_text.validate(true).is_ok());
        assert!(no_text.validate(false).is_err(), "neither");
    }

    #[test]
    fn titles_and_co_signers_are_checked() {
        assert!(NewStatement { title: " ".into(), ..statement() }.validate(false).is_err());
        assert!(NewStatement { co_signers: vec!["".into()], ..statement() }.validate(false).is_err());
        assert!(NewResponse { text: "  ".into() }.validate().is_err());
        assert!(NewResponse { text: "We took it up in paragraph 12.".into() }.validate().is_ok());
    }
}
