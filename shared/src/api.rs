//! The HTTP contract of the meeting, command, token and health endpoints: every request and
//! answer body, used by the server and by any Rust client (the tests' helpers, the web client).
//! The accreditation's and written input's bodies sit beside their domain types. Documented in
//! `docs/api.md`; errors are [`crate::Error`].

use serde::{Deserialize, Serialize};

use crate::accreditation::Constituency;
use crate::{Access, EventRecord, MeetingId, Millis, Participant, ParticipantId, ProcessId, Role};

/// Answer of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// How many meetings the server holds.
    pub meetings: usize,
}

/// Body of `POST /api/meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    pub id: MeetingId,
    pub title: String,
    pub process: ProcessId,
    pub access: Access,
    /// The IANA time zone of the venue, e.g. `America/New_York`.
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// Answer of a command run over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandOutcome {
    /// The records the command committed, in order.
    pub events: Vec<EventRecord>,
}

/// Body of `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Defaults to a fresh random id.
    #[serde(default)]
    pub id: Option<ParticipantId>,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub delegation: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub meeting: Option<MeetingId>,
    #[serde(default)]
    pub process: Option<ProcessId>,
    /// Hours the token is valid; 1 to 8760 (a year), default 168 (a week).
    #[serde(default)]
    pub ttl_hours: Option<u32>,
    /// For the parity figures: the organisation's constituency (`ngo`, `academia`,
    /// `private_sector`, `technical_community`).
    #[serde(default)]
    pub constituency: Option<Constituency>,
    /// For the parity figures: the organisation's country (its regional group is derived).
    #[serde(default)]
    pub country: Option<String>,
}

/// Answer of `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The token's id (`jti`), to revoke it by.
    pub id: String,
    pub token: String,
    pub participant: Participant,
    pub expires_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Body of `POST /api/tokens/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRevocation {
    /// Why, for the record (at most 2000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Answer of `POST /api/tokens/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedTokenAnswer {
    /// The token's id.
    pub id: String,
    /// When it was first revoked.
    pub revoked_at: Millis,
    /// Why, as first given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
