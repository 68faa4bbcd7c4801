//! Written input decided without I/O: submitting a statement (its co-signers resolved against the
//! process's accreditation), a state's response, and a co-signer's confirmation or refusal.
//!
//! The server asks the policy who submits as whom (its `Permit`), loads the records these rules
//! read (the process's organisations, the statement), calls them with `now`, and stores what they
//! return; it decides nothing itself.

use serde::{Deserialize, Serialize};

use super::{Attachment, CoSigner, NewResponse, NewStatement, Response, Statement, Submitter, SubmitterKind};
use crate::accreditation::{named, Organisation, Status};
use crate::ids::{Millis, ProcessId};
use crate::region::state_named;
use crate::rejection::{Rejection, RejectionCode};
use crate::text::{self, organisation_key};

/// What a statement is submitted with, once the server has read the body and asked the policy.
#[derive(Debug, Clone)]
pub struct Submission<'a> {
    /// The process it is submitted to.
    pub process: &'a ProcessId,
    /// Who submits it, as the policy's permit says (an accredited organisation or a delegation).
    pub submitter: Submitter,
    /// The statement's details and text. Its meeting, if any, is one of the process's that the
    /// policy let the submitter write to.
    pub new: NewStatement,
    /// The PDF that came instead of the text, if any.
    pub file: Option<Attachment>,
    /// The organisations that applied to the process, to resolve co-signers against.
    pub organisations: &'a [Organisation],
}

impl Statement {
    /// Decides a submission: the details must be valid, and each co-signer an organisation
    /// accredited to the process or a member state (see [`co_signers`]). The statement is
    /// submitted at `now` under `id`, with every co-signer pending and no response yet.
    pub fn submit(id: String, submission: Submission<'_>, now: Millis) -> Result<Statement, Rejection> {
        let Submission { process, submitter, new, file, organisations } = submission;
        new.validate(file.is_some())?;
        let co_signers = co_signers(&new.co_signers, organisations, &submitter)?;
        Ok(Statement {
            id,
            process: process.clone(),
            meeting: new.meeting,
            agenda_item: new.agenda_item.map(|a| a.trim().to_string()),
            title: new.title.trim().to_string(),
            language: new.language,
            submitter,
            co_signers,
            text: new.text.map(|t| t.trim().to_string()),
            file,
            submitted_at: now,
            responses: Vec::new(),
        })
    }

    /// Decides a member state's response to this statement, written by `author` for `delegation`.
    pub fn respond(
        &self,
        delegation: &str,
        author: &str,
        new: &NewResponse,
        id: String,
        now: Millis,
    ) -> Result<Response, Rejection> {
        new.validate()?;
        Ok(Response {
            id,
            delegation: delegation.to_string(),
            author: author.to_string(),
            text: new.text.trim().to_string(),
            at: now,
        })
    }

    /// Decides a co-signer's answer: `by` must be named as a co-signer of this statement. Returns
    /// the co-signer's name as recorded, with the answer.
    pub fn answer(&self, by: &Answerer, answer: Answer) -> Result<CoSigning, Rejection> {
        match self.co_signers.iter().find(|c| by.answers_for(c)) {
            Some(co_signer) => Ok(CoSigning { name: co_signer.name.clone(), answer }),
            None => Err(Rejection::new(
                RejectionCode::NotAllowed,
                format!("{} is not named as a co-signer of this statement.", by.name()),
            )),
        }
    }

    /// Makes a co-signer's answer to the statement: a confirmation shows it as co-signing, a
    /// refusal takes it off.
    pub fn apply_answer(&mut self, co_signing: &CoSigning) {
        let named = |c: &CoSigner| c.name == co_signing.name;
        match co_signing.answer {
            Answer::Confirm => self.co_signers.iter_mut().filter(|c| named(c)).for_each(|c| c.confirmed = true),
            Answer::Decline => self.co_signers.retain(|c| !named(c)),
        }
    }
}

/// What a co-signer answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// It co-signs.
    Confirm,
    /// It does not: it is taken off the statement.
    Decline,
}

/// A co-signer's decided answer: its name as recorded on the statement, and what it said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoSigning {
    /// The co-signer's name as recorded.
    pub name: String,
    /// Confirm or decline.
    pub answer: Answer,
}

/// Who answers for a co-signer: an accredited organisation, or a member state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answerer {
    /// An organisation accredited to the statement's process.
    Organisation {
        /// Its id.
        id: String,
        /// Its name as accredited.
        name: String,
    },
    /// A member state, under its United Nations short name when it has one.
    State {
        /// The state's name.
        name: String,
    },
}

impl Answerer {
    /// The organisation the policy let answer (its record, if it exists), for a statement of
    /// `process`: it must be accredited to that process.
    pub fn organisation(found: Option<&Organisation>, process: &ProcessId) -> Result<Answerer, Rejection> {
        match found.filter(|o| o.status == Status::Approved && &o.process == process) {
            Some(o) => Ok(Answerer::Organisation { id: o.id.clone(), name: o.application.name.trim().to_string() }),
            None => Err(Rejection::new(
                RejectionCode::NotAccredited,
                "Your organisation is not accredited to this process: only organisations accredited to it co-sign.",
            )),
        }
    }

    /// The member state a delegate answers for.
    pub fn state(delegation: &str) -> Answerer {
        Answerer::State { name: state_named(delegation).map_or_else(|| delegation.trim().to_string(), String::from) }
    }

    /// The organisation's or the state's name.
    pub fn name(&self) -> &str {
        match self {
            Answerer::Organisation { name, .. } | Answerer::State { name } => name,
        }
    }

    /// Whether this is the co-signer the answerer speaks for. Co-signers of statements submitted
    /// before they confirmed are bare names, and are matched by name.
    fn answers_for(&self, co_signer: &CoSigner) -> bool {
        let same_name = || organisation_key(&co_signer.name) == organisation_key(self.name());
        match (self, co_signer.kind) {
            (_, None) => same_name(),
            (Answerer::Organisation { id, .. }, Some(_)) => co_signer.organisation.as_deref() == Some(id.as_str()),
            (Answerer::State { .. }, Some(kind)) => kind == SubmitterKind::Delegation && same_name(),
        }
    }
}

fn not_accredited(name: &str) -> Rejection {
    Rejection::new(
        RejectionCode::CoSignerNotAccredited,
        format!(
            "{} is not an organisation accredited to this process or a member state: only they co-sign a joint statement.",
            name.trim()
        ),
    )
}

/// The co-signers of a written statement: each an organisation accredited to the process (among
/// `organisations`, only the approved count) or a member state, under its registered or United
/// Nations name, pending until it confirms. The submitter does not co-sign its own statement, and
/// nobody is named twice. A name with a hostile character is refused as such (`invalid_command`).
pub fn co_signers(
    names: &[String],
    organisations: &[Organisation],
    submitter: &Submitter,
) -> Result<Vec<CoSigner>, Rejection> {
    let accredited = |name: &str| named(name, organisations).filter(|o| o.status == Status::Approved);
    let mut co_signers: Vec<CoSigner> = Vec::with_capacity(names.len());
    for name in names {
        text::line("co-signer's name", name, 200)?;
        let co_signer = match (accredited(name), state_named(name)) {
            (Some(organisation), _) => CoSigner {
                name: organisation.application.name.trim().to_string(),
                kind: Some(SubmitterKind::Organisation),
                organisation: Some(organisation.id.clone()),
                confirmed: false,
            },
            (None, Some(state)) => CoSigner {
                name: state.to_string(),
                kind: Some(SubmitterKind::Delegation),
                organisation: None,
                confirmed: false,
            },
            (None, None) => return Err(not_accredited(name)),
        };
        let invalid = |message: String| Err(Rejection::new(RejectionCode::InvalidCommand, message));
        if is_submitter(&co_signer, submitter) {
            return invalid(format!("{} submits the statement and does not co-sign it too.", co_signer.name));
        }
        if co_signers.iter().any(|c| c.name == co_signer.name) {
            return invalid(format!("{} is named twice among the co-signers.", co_signer.name));
        }
        co_signers.push(co_signer);
    }
    Ok(co_signers)
}

fn is_submitter(co_signer: &CoSigner, submitter: &Submitter) -> bool {
    match submitter.kind {
        SubmitterKind::Organisation => {
            co_signer.organisation.is_some() && co_signer.organisation == submitter.organisation
        }
        SubmitterKind::Delegation => {
            co_signer.kind == Some(SubmitterKind::Delegation)
                && state_named(&submitter.name)
                    .map_or(organisation_key(&submitter.name) == organisation_key(&co_signer.name), |s| {
                        s == co_signer.name
                    })
        }
    }
}
