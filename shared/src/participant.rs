//! Who takes part in a meeting, in which capacity, and from where.

use serde::{Deserialize, Serialize};

use crate::accreditation::Constituency;
use crate::ids::ParticipantId;
use crate::region::{region_of, Region};

/// The capacity in which a person takes part. The role decides what each command may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// The presiding officer: opens segments, gives the floor, reorders, times, closes the list.
    Chair,
    /// A vice-chair of the bureau: presides, with the chair's powers, once the chair hands over and
    /// they take the chair.
    ViceChair,
    /// A secretariat officer: sets the meeting up (agenda, lists, speakers added from the floor or
    /// on paper) but does not give the floor.
    Secretariat,
    /// Speaks for a member state.
    Delegate,
    /// Speaks for an accredited organisation, in segments open to stakeholders.
    Stakeholder,
    /// A person from an organisation invited onto a member state's delegation: speaks for the state
    /// and may sit in closed meetings.
    Expert,
    /// An invited speaker of an open consultation: the chair gives them the floor directly.
    Panellist,
    /// Watches only.
    Observer,
    /// An interpreter in a booth: follows the meeting (closed ones too) to see who speaks next and
    /// in which language; sends nothing.
    Interpreter,
}

impl Role {
    /// The chair, a vice-chair and the secretariat set the meeting up and run its lists.
    pub fn moderates(self) -> bool {
        matches!(self, Role::Chair | Role::ViceChair | Role::Secretariat)
    }

    /// The chair and the vice-chairs preside: they give the floor, when they are in the chair (see
    /// [`crate::Chairing`]).
    pub fn presides(self) -> bool {
        matches!(self, Role::Chair | Role::ViceChair)
    }

    /// Delegates and the experts on their delegations speak for member states.
    pub fn speaks_for_a_state(self) -> bool {
        matches!(self, Role::Delegate | Role::Expert)
    }
}

/// Where a participant is: in the meeting room or connected remotely. Both join the same queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Presence {
    /// In the meeting room.
    InRoom,
    /// Joining from elsewhere.
    Remote,
}

/// A person as their access token describes them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Participant {
    /// Stable id of the person (the token's `sub`).
    pub id: ParticipantId,
    /// Name as shown on screens and in the record.
    pub name: String,
    /// The capacity in which they take part.
    pub role: Role,
    /// The member state they speak for (delegates and experts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
    /// Their organisation (stakeholders, panellists, and the home organisation of an expert).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// What the record needs beyond the name, for the parity figures.
    #[serde(default, skip_serializing_if = "Profile::is_empty")]
    pub profile: Profile,
}

/// A gender, only ever as the speaker declared it for the parity figures. Not declaring is always
/// possible and is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Gender {
    Woman,
    Man,
    /// Another gender identity.
    Another,
}

/// Facts about a speaker that the parity figures group by. The server fills the organisation's
/// constituency and country from its accreditation; the gender comes only from the speaker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    /// The accredited organisation's constituency (stakeholders, panellists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constituency: Option<Constituency>,
    /// The organisation's country, for its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Declared by the speaker, never by anyone else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
}

impl Profile {
    /// Nothing is known: the profile is left out of the JSON.
    pub fn is_empty(&self) -> bool {
        self == &Profile::default()
    }
}

impl Participant {
    /// A person with no profile yet.
    pub fn new(
        id: ParticipantId,
        name: impl Into<String>,
        role: Role,
        delegation: Option<String>,
        organisation: Option<String>,
    ) -> Self {
        Participant { id, name: name.into(), role, delegation, organisation, profile: Profile::default() }
    }

    /// The constituency the person speaks for: member states for delegates and experts, else their
    /// organisation's, when known.
    pub fn constituency(&self) -> Option<Constituency> {
        if self.role.speaks_for_a_state() {
            Some(Constituency::MemberStates)
        } else {
            self.profile.constituency
        }
    }

    /// The United Nations regional group of the state spoken for, or of the organisation's
    /// country, when known.
    pub fn region(&self) -> Option<Region> {
        if self.role.speaks_for_a_state() {
            self.delegation.as_deref().and_then(region_of)
        } else {
            self.profile.country.as_deref().and_then(region_of)
        }
    }

    /// Whom the person speaks for: the delegation for delegates and experts, otherwise the
    /// organisation.
    pub fn on_behalf_of(&self) -> Option<&str> {
        if self.role.speaks_for_a_state() {
            self.delegation.as_deref().or(self.organisation.as_deref())
        } else {
            self.organisation.as_deref().or(self.delegation.as_deref())
        }
    }
}
