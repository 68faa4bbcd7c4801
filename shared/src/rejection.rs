//! Why a command or a message was refused: a stable machine code and a sentence for a person.

use serde::{Deserialize, Serialize};

/// A refusal. The `code` is stable and documented in `docs/protocol.md`; the `message` is written
/// for the person who pressed the button and may change wording between versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Rejection {
    /// What went wrong, for programs.
    pub code: RejectionCode,
    /// What went wrong, for people.
    pub message: String,
}

impl Rejection {
    /// A refusal with its code and sentence.
    pub fn new(code: RejectionCode, message: impl Into<String>) -> Self {
        Rejection { code, message: message.into() }
    }
}

/// Every reason a rule of the domain refuses something: the queue, the policy, accreditation and
/// written input. Serialized in `snake_case`. What only a transport knows (a malformed frame, a bad
/// token, a full disk) is an [`crate::ErrorCode`], which includes every code here under the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectionCode {
    // ---- the queue's rules (returned by `Meeting::handle`)
    /// The person's role may not do this.
    NotAllowed,
    /// A stakeholder acted in a closed meeting.
    MeetingClosed,
    /// The segment does not take requests from this kind of participant.
    SegmentNotOpenToYou,
    /// The command needs an active segment and none is active.
    NoActiveSegment,
    /// No segment with that id.
    UnknownSegment,
    /// No waiting entry with that id.
    UnknownEntry,
    /// No agenda item with that id.
    UnknownItem,
    /// The person already has an entry in that list.
    AlreadyInscribed,
    /// The list of speakers is closed (points of order are still taken).
    ListClosed,
    /// The list of speakers holds as many requests as its segment allows (points of order are
    /// still taken).
    ListFull,
    /// The list opens to statements and rights of reply at a later time (points of order are
    /// still taken).
    ListNotOpenYet,
    /// The delegation (or organisation) has made, or is waiting to make, as many statements on
    /// the agenda item as the segment allows.
    StatementsLimitReached,
    /// The person has no entry to withdraw.
    NotInscribed,
    /// A chair or vice-chair who is not in the chair runs the meeting: the chair handed over, or a
    /// vice-chair acts before the chair handed over to them.
    NotPresiding,
    /// A ready check answered by someone who is not the next speaker of the list, or a pass over
    /// of a request that is not at its head.
    NotNext,
    /// Nobody has the floor.
    FloorEmpty,
    /// The intervention is already paused.
    AlreadyPaused,
    /// The intervention is not paused.
    NotPaused,
    /// The list of speakers is empty.
    ListEmpty,
    /// Someone has the floor; end the intervention first.
    FloorInUse,
    /// The segment's total speaking time is spent.
    BudgetExhausted,
    /// A field of the command is out of range or malformed.
    InvalidCommand,
    /// The segment takes one speaker per organisation, and this organisation already has one
    /// (waiting, speaking, a confirmed co-signer, or done).
    OrganisationAlreadyInscribed,
    /// A named co-signer is not an organisation accredited to the meeting's process (or, for a
    /// written statement, not a member state either).
    CoSignerNotAccredited,
    // ---- accreditation (returned by the server's API)
    /// A field of the application form is missing or malformed.
    InvalidApplication,
    /// The organisation already applied to this process.
    DuplicateApplication,
    /// The process no longer takes applications.
    DeadlinePassed,
    /// No process with that id.
    UnknownProcess,
    /// No organisation, representative or expert with that id.
    UnknownOrganisation,
    /// The organisation is not (or no longer) accredited to the process, or the person is tied to
    /// no accredited organisation.
    NotAccredited,
    /// The application was already decided: approved or refused twice, an accreditation revoked
    /// that is not in force, an objection after the decision.
    AlreadyDecided,
    /// The person's access was revoked.
    Revoked,
    // ---- who may (returned by the policy)
    /// The request needs an access token and came without one.
    Unauthorized,
    /// The token does not give access to this meeting.
    Forbidden,
}
