//! One vocabulary of error codes for the WebSocket and the HTTP API, each code with its HTTP status.
//!
//! The pure cores (the queue, the policy, accreditation and written input) refuse with a
//! [`RejectionCode`]: a rule of the domain. The server adds what only a transport knows — a frame
//! that is not JSON, a token that does not verify, a full disk, a body too large — and every refusal
//! a client ever sees, in a `rejected` frame or an HTTP error body, is an [`Error`] whose code is an
//! [`ErrorCode`]. `docs/protocol.md` lists them all, once, with their statuses.

use serde::{Deserialize, Serialize};

use crate::rejection::{Rejection, RejectionCode};

/// Every code Rostrum answers a refusal with. Serialized in `snake_case`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::IntoStaticStr, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ErrorCode {
    // ---- the domain's rules: every `RejectionCode`, under the same name
    /// See [`RejectionCode::NotAllowed`].
    NotAllowed,
    /// See [`RejectionCode::MeetingClosed`].
    MeetingClosed,
    /// See [`RejectionCode::SegmentNotOpenToYou`].
    SegmentNotOpenToYou,
    /// See [`RejectionCode::NoActiveSegment`].
    NoActiveSegment,
    /// See [`RejectionCode::UnknownSegment`].
    UnknownSegment,
    /// See [`RejectionCode::UnknownEntry`].
    UnknownEntry,
    /// See [`RejectionCode::UnknownItem`].
    UnknownItem,
    /// See [`RejectionCode::AlreadyInscribed`].
    AlreadyInscribed,
    /// See [`RejectionCode::ListClosed`].
    ListClosed,
    /// See [`RejectionCode::ListFull`].
    ListFull,
    /// See [`RejectionCode::ListNotOpenYet`].
    ListNotOpenYet,
    /// See [`RejectionCode::StatementsLimitReached`].
    StatementsLimitReached,
    /// See [`RejectionCode::NotInscribed`].
    NotInscribed,
    /// See [`RejectionCode::NotPresiding`].
    NotPresiding,
    /// See [`RejectionCode::NotNext`].
    NotNext,
    /// See [`RejectionCode::FloorEmpty`].
    FloorEmpty,
    /// See [`RejectionCode::AlreadyPaused`].
    AlreadyPaused,
    /// See [`RejectionCode::NotPaused`].
    NotPaused,
    /// See [`RejectionCode::ListEmpty`].
    ListEmpty,
    /// See [`RejectionCode::FloorInUse`].
    FloorInUse,
    /// See [`RejectionCode::BudgetExhausted`].
    BudgetExhausted,
    /// See [`RejectionCode::InvalidCommand`].
    InvalidCommand,
    /// See [`RejectionCode::OrganisationAlreadyInscribed`].
    OrganisationAlreadyInscribed,
    /// See [`RejectionCode::CoSignerNotAccredited`].
    CoSignerNotAccredited,
    /// See [`RejectionCode::InvalidApplication`].
    InvalidApplication,
    /// See [`RejectionCode::DuplicateApplication`].
    DuplicateApplication,
    /// See [`RejectionCode::DeadlinePassed`].
    DeadlinePassed,
    /// See [`RejectionCode::UnknownProcess`].
    UnknownProcess,
    /// See [`RejectionCode::UnknownOrganisation`].
    UnknownOrganisation,
    /// See [`RejectionCode::NotAccredited`].
    NotAccredited,
    /// See [`RejectionCode::AlreadyDecided`].
    AlreadyDecided,
    /// See [`RejectionCode::Revoked`].
    Revoked,
    /// See [`RejectionCode::Unauthorized`].
    Unauthorized,
    /// See [`RejectionCode::Forbidden`].
    Forbidden,
    // ---- what only the transport knows
    /// The text frame is not JSON, or not a message Rostrum knows.
    BadMessage,
    /// The first message must be `hello`.
    NotAuthenticated,
    /// The token is malformed, tampered with, expired, signed with a retired key, or not for this
    /// server.
    BadToken,
    /// No meeting with that id.
    UnknownMeeting,
    /// No written statement with that id.
    UnknownStatement,
    /// The protocol version is not one this server speaks.
    UnsupportedProtocol,
    /// Too many messages or requests too fast.
    RateLimited,
    /// The organisation or delegation holds as much of something as its quota allows
    /// (`shared::accreditation::quota`); the message names the quota and its number, and nothing
    /// was stored.
    QuotaExceeded,
    /// The person already used this command id for another command; the first stands, and this
    /// one changed nothing.
    IdReused,
    /// The server could not store the change; nothing happened.
    StorageFailed,
    /// The server is shutting down or the meeting is unavailable; retry shortly.
    Unavailable,
    // ---- HTTP
    /// The body is not valid JSON for this endpoint, or a header is malformed.
    BadRequest,
    /// Nothing at this address.
    NotFound,
    /// A meeting with this id already exists.
    MeetingExists,
    /// A process with this id already exists.
    ProcessExists,
    /// A report was asked for in a format other than JSON or CSV.
    InvalidFormat,
    /// The body is larger than the endpoint takes.
    TooLarge,
    /// The body's media type is not one the endpoint takes.
    UnsupportedMediaType,
    /// The request needs a `Content-Length`.
    LengthRequired,
    /// The method is not allowed at this address.
    MethodNotAllowed,
    /// The WebSocket upgrade request is malformed.
    BadHandshake,
    /// The WebSocket upgrade came from an origin this server does not serve.
    ForbiddenOrigin,
    /// The address holds as many connections as it may.
    TooManyConnections,
    /// Something went wrong on the server.
    Internal,
    // ---- the public forms' proof of work (`shared::proof`)
    /// A public form sent without a `Rostrum-Proof` header while the server asks for one.
    ProofRequired,
    /// The proof is malformed, was not made by this server, is for another form, or its hash does
    /// not start with enough zero bits.
    ProofInvalid,
    /// The proof's challenge has expired.
    ProofExpired,
    /// The proof was already used once.
    ProofReused,
}

impl ErrorCode {
    /// The HTTP status an answer with this code carries.
    pub fn http_status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidCommand | InvalidApplication | BadMessage | BadRequest | InvalidFormat | BadHandshake
            | UnsupportedProtocol | NotAuthenticated | ProofInvalid | ProofExpired | ProofReused => 400,
            Unauthorized | BadToken => 401,
            NotAllowed | Forbidden | MeetingClosed | NotAccredited | Revoked | ForbiddenOrigin => 403,
            UnknownMeeting | UnknownSegment | UnknownEntry | UnknownItem | UnknownProcess | UnknownOrganisation
            | UnknownStatement | NotFound => 404,
            MethodNotAllowed => 405,
            SegmentNotOpenToYou
            | NoActiveSegment
            | AlreadyInscribed
            | ListClosed
            | ListFull
            | ListNotOpenYet
            | StatementsLimitReached
            | NotInscribed
            | NotPresiding
            | NotNext
            | FloorEmpty
            | AlreadyPaused
            | NotPaused
            | ListEmpty
            | FloorInUse
            | BudgetExhausted
            | OrganisationAlreadyInscribed
            | CoSignerNotAccredited
            | DuplicateApplication
            | DeadlinePassed
            | AlreadyDecided
            | MeetingExists
            | ProcessExists
            | IdReused
            | QuotaExceeded => 409,
            LengthRequired => 411,
            ProofRequired => 428,
            TooLarge => 413,
            UnsupportedMediaType => 415,
            RateLimited | TooManyConnections => 429,
            Internal => 500,
            StorageFailed | Unavailable => 503,
        }
    }
}

impl From<RejectionCode> for ErrorCode {
    fn from(code: RejectionCode) -> Self {
        use RejectionCode as R;
        match code {
            R::NotAllowed => ErrorCode::NotAllowed,
            R::MeetingClosed => ErrorCode::MeetingClosed,
            R::SegmentNotOpenToYou => ErrorCode::SegmentNotOpenToYou,
            R::NoActiveSegment => ErrorCode::NoActiveSegment,
            R::UnknownSegment => ErrorCode::UnknownSegment,
            R::UnknownEntry => ErrorCode::UnknownEntry,
            R::UnknownItem => ErrorCode::UnknownItem,
            R::AlreadyInscribed => ErrorCode::AlreadyInscribed,
            R::ListClosed => ErrorCode::ListClosed,
            R::ListFull => ErrorCode::ListFull,
            R::ListNotOpenYet => ErrorCode::ListNotOpenYet,
            R::StatementsLimitReached => ErrorCode::StatementsLimitReached,
            R::NotInscribed => ErrorCode::NotInscribed,
            R::NotPresiding => ErrorCode::NotPresiding,
            R::NotNext => ErrorCode::NotNext,
            R::FloorEmpty => ErrorCode::FloorEmpty,
            R::AlreadyPaused => ErrorCode::AlreadyPaused,
            R::NotPaused => ErrorCode::NotPaused,
            R::ListEmpty => ErrorCode::ListEmpty,
            R::FloorInUse => ErrorCode::FloorInUse,
            R::BudgetExhausted => ErrorCode::BudgetExhausted,
            R::InvalidCommand => ErrorCode::InvalidCommand,
            R::OrganisationAlreadyInscribed => ErrorCode::OrganisationAlreadyInscribed,
            R::CoSignerNotAccredited => ErrorCode::CoSignerNotAccredited,
            R::InvalidApplication => ErrorCode::InvalidApplication,
            R::DuplicateApplication => ErrorCode::DuplicateApplication,
            R::DeadlinePassed => ErrorCode::DeadlinePassed,
            R::UnknownProcess => ErrorCode::UnknownProcess,
            R::UnknownOrganisation => ErrorCode::UnknownOrganisation,
            R::NotAccredited => ErrorCode::NotAccredited,
            R::AlreadyDecided => ErrorCode::AlreadyDecided,
            R::Revoked => ErrorCode::Revoked,
            R::Unauthorized => ErrorCode::Unauthorized,
            R::Forbidden => ErrorCode::Forbidden,
        }
    }
}

impl PartialEq<RejectionCode> for ErrorCode {
    fn eq(&self, other: &RejectionCode) -> bool {
        *self == ErrorCode::from(*other)
    }
}

/// A refusal as a client sees it: a stable code and a sentence for a person. The body of every
/// HTTP error, and the `code` and `message` of a `rejected` frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people; may be reworded between versions.
    pub message: String,
}

impl Error {
    /// A refusal with its code and sentence.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into() }
    }
}

impl From<Rejection> for Error {
    fn from(rejection: Rejection) -> Self {
        Error { code: rejection.code.into(), message: rejection.message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn every_code_has_the_same_name_in_metrics_as_on_the_wire() {
        for code in ErrorCode::VARIANTS {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire.as_str(), Some(<&str>::from(*code)), "{code:?}");
        }
    }
}
