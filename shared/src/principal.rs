//! Who is asking: a verified access token, parsed once into a [`Principal`].
//!
//! The server verifies a token's signature and times, then describes its holder here: the person,
//! the capacity they act in, the organisation they were accredited through, which meetings the token
//! opens ([`Scope`]), the key that signed it and when it expires. Everything that decides "may this
//! person do that" reads a `Principal` (see [`crate::policy`]); nothing reads the raw claims.

use serde::{Deserialize, Serialize};

use crate::ids::{MeetingId, Millis, ProcessId};
use crate::meeting::MeetingInfo;
use crate::participant::{Participant, Role};

/// Which meetings a token opens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// One meeting. `process` is the meeting's process when the meeting exists.
    Meeting {
        /// The meeting.
        meeting: MeetingId,
        /// Its process, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        process: Option<ProcessId>,
    },
    /// Every meeting of one process.
    Process {
        /// The process.
        process: ProcessId,
    },
    /// Every meeting of every process (the secretariat's own tokens).
    Everything,
}

impl Scope {
    /// Whether the token opens this meeting.
    pub fn covers_meeting(&self, meeting: &MeetingInfo) -> bool {
        match self {
            Scope::Meeting { meeting: id, .. } => *id == meeting.id,
            Scope::Process { process } => *process == meeting.process,
            Scope::Everything => true,
        }
    }

    /// Whether the token opens the whole of this process (every meeting of it).
    pub fn covers_process(&self, process: &ProcessId) -> bool {
        match self {
            Scope::Meeting { .. } => false,
            Scope::Process { process: own } => own == process,
            Scope::Everything => true,
        }
    }

    /// Whether the token belongs to this process: it opens the process, or one meeting of it. A
    /// delegate's one-meeting link still speaks for the delegation in that meeting's process.
    pub fn touches_process(&self, process: &ProcessId) -> bool {
        match self {
            Scope::Meeting { process: own, .. } => own.as_ref() == Some(process),
            Scope::Process { process: own } => own == process,
            Scope::Everything => true,
        }
    }

    /// The one process the token belongs to, if it belongs to exactly one.
    pub fn process(&self) -> Option<&ProcessId> {
        match self {
            Scope::Meeting { process, .. } => process.as_ref(),
            Scope::Process { process } => Some(process),
            Scope::Everything => None,
        }
    }

    /// Whether every meeting `self` opens is one that `wider` opens too.
    pub fn within(&self, wider: &Scope) -> bool {
        match (self, wider) {
            (_, Scope::Everything) => true,
            (Scope::Everything, _) => false,
            (Scope::Process { process }, Scope::Process { process: other }) => process == other,
            (Scope::Process { .. }, Scope::Meeting { .. }) => false,
            (Scope::Meeting { process, .. }, Scope::Process { process: other }) => process.as_ref() == Some(other),
            (Scope::Meeting { meeting, .. }, Scope::Meeting { meeting: other, .. }) => meeting == other,
        }
    }
}

/// What kind of token it is: a person's, which opens meetings; an organisation's own, which opens
/// only the organisation's page (and never a meeting); or a device's, which relays a conference
/// system's request-to-speak buttons (and opens nothing else).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// A person taking part in meetings.
    Person,
    /// An organisation acting as itself: its page, its representatives, its written statements.
    Organisation,
    /// A room's conference system: it adds and withdraws the requests of delegates pressing the
    /// request-to-speak button at their seats, and does nothing else.
    Device,
}

/// The verified holder of an access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The person (for an organisation's own token: its contact, with the id `org:<id>`).
    pub person: Participant,
    /// A person's token or an organisation's own.
    pub holder: Holder,
    /// The accredited organisation the token was issued through (its id), if any: an organisation's
    /// own token and its representatives' tokens name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accredited: Option<String>,
    /// Which meetings the token opens.
    pub scope: Scope,
    /// The id of the key that signed the token.
    pub key: String,
    /// The token's own id, for revocation.
    pub token: String,
    /// When the token stops working.
    pub expires_at: Millis,
}

impl Principal {
    /// The capacity the person acts in.
    pub fn role(&self) -> Role {
        self.person.role
    }

    /// The member state the person speaks for, for delegates and experts.
    pub fn delegation(&self) -> Option<&str> {
        self.person.delegation.as_deref()
    }
}

/// Whether the holder of a token is still in good standing, as the server's records say. The
/// policy takes it as an argument: it reads no store.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Nothing was withdrawn; for a stakeholder, the organisation is accredited.
    #[default]
    Good,
    /// A stakeholder tied to no organisation accredited to the process (never accredited, or
    /// pending, or refused): they may follow open meetings but not speak or act for one.
    NotAccredited,
    /// Access was withdrawn: the organisation's accreditation, the representative, the expert's
    /// invitation, or the token itself.
    Revoked,
}

impl Standing {
    /// Whether nothing stands in the way (left out of the `welcome` message).
    pub fn is_good(&self) -> bool {
        *self == Standing::Good
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Access;

    fn meeting(id: &str, process: &str) -> MeetingInfo {
        MeetingInfo {
            id: MeetingId::parse(id).unwrap(),
            title: id.into(),
            process: ProcessId::parse(process).unwrap(),
            access: Access::Open,
            time_zone: None,
            starts_at: None,
            room: None,
        }
    }

    fn one(meeting: &str, process: &str) -> Scope {
        Scope::Meeting {
            meeting: MeetingId::parse(meeting).unwrap(),
            process: Some(ProcessId::parse(process).unwrap()),
        }
    }

    fn all_of(process: &str) -> Scope {
        Scope::Process { process: ProcessId::parse(process).unwrap() }
    }

    #[test]
    fn a_meeting_scope_opens_its_meeting_only() {
        assert!(one("m1", "p").covers_meeting(&meeting("m1", "p")));
        assert!(!one("m1", "p").covers_meeting(&meeting("m2", "p")));
        assert!(!one("m1", "p").covers_process(&ProcessId::parse("p").unwrap()));
        assert!(one("m1", "p").touches_process(&ProcessId::parse("p").unwrap()));
    }

    #[test]
    fn a_process_scope_opens_every_meeting_of_its_process() {
        assert!(all_of("p").covers_meeting(&meeting("m1", "p")));
        assert!(!all_of("p").covers_meeting(&meeting("m1", "q")));
    }

    #[test]
    fn narrower_scopes_are_within_wider_ones_and_never_the_other_way() {
        assert!(one("m1", "p").within(&all_of("p")));
        assert!(one("m1", "p").within(&Scope::Everything));
        assert!(all_of("p").within(&Scope::Everything));
        assert!(!all_of("p").within(&one("m1", "p")));
        assert!(!Scope::Everything.within(&all_of("p")));
        assert!(!one("m1", "p").within(&all_of("q")));
        assert!(!one("m1", "p").within(&one("m2", "p")));
    }
}
