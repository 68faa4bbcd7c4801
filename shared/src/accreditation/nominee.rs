//! The people an accredited party sends with a personal link: an organisation's representatives
//! and a member state delegation's experts, nominated and withdrawn without I/O.
//!
//! They are one concept for the rules — a named person with an email address whom a party hands a
//! link capped at its own (`policy::capped_grant`), and whom only that party withdraws — so they
//! are nominated through one [`Nomination`] and withdrawn through one [`Nominee::withdrawn`]. They
//! stay two records because the link gives different rights: a representative speaks for an
//! organisation as a stakeholder and never enters a closed meeting; an expert speaks for the state
//! and enters its closed meetings. The records, their tables and their JSON are as before.

use serde::{Deserialize, Serialize};

use super::{check_email, Expert, Representative};
use crate::ids::{Millis, ParticipantId, ProcessId};
use crate::participant::Presence;
use crate::rejection::{Rejection, RejectionCode};
use crate::text::line;

/// Who hands out personal links.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Party {
    /// An accredited organisation (its id), for its representatives.
    Organisation {
        /// The organisation's id.
        organisation: String,
    },
    /// A member state's delegation in a process, for its experts.
    Delegation {
        /// The process the delegation's experts are invited to.
        process: ProcessId,
        /// The member state.
        delegation: String,
    },
}

/// A person nominated by a party: their name and email address, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nomination {
    /// The person's name, trimmed.
    pub name: String,
    /// Their email address, trimmed.
    pub email: String,
}

impl Nomination {
    /// Checks a nominee's name (1 to 120 characters) and email address.
    pub fn new(name: &str, email: &str) -> Result<Nomination, Rejection> {
        let name = line("name", name, 120)?;
        check_email("email", email)?;
        Ok(Nomination { name, email: email.trim().to_string() })
    }

    /// An organisation's representative, who usually follows from `presence`.
    pub fn representative(
        self,
        organisation: &str,
        id: ParticipantId,
        presence: Presence,
        now: Millis,
    ) -> Representative {
        Representative {
            id,
            organisation: organisation.to_string(),
            name: self.name,
            email: self.email,
            presence,
            created_at: now,
            revoked_at: None,
        }
    }

    /// An expert on `delegation`'s delegation to `process`, from their home organisation (1 to 200
    /// characters), which the record keeps beside the state.
    pub fn expert(
        self,
        process: &ProcessId,
        delegation: &str,
        home_organisation: &str,
        id: ParticipantId,
        now: Millis,
    ) -> Result<Expert, Rejection> {
        let organisation = line("expert's home organisation", home_organisation, 200)?;
        Ok(Expert {
            id,
            process: process.clone(),
            delegation: delegation.to_string(),
            name: self.name,
            organisation,
            email: self.email,
            created_at: now,
            revoked_at: None,
        })
    }
}

/// A person a party sent: a representative or an expert.
pub trait Nominee: Clone {
    /// The party that sent them, and alone withdraws them.
    fn party(&self) -> Party;
    /// When they were withdrawn, if they were.
    fn revoked_at(&self) -> Option<Millis>;
    /// Marks them withdrawn at `at`.
    fn set_revoked_at(&mut self, at: Millis);

    /// Decides `by`'s withdrawal of this person: only the party that sent them withdraws them (to
    /// anyone else they do not exist: `unknown_organisation`); withdrawing twice keeps the first
    /// time. Returns the record as withdrawn.
    fn withdrawn(&self, by: &Party, now: Millis) -> Result<Self, Rejection> {
        if &self.party() != by {
            return Err(Rejection::new(RejectionCode::UnknownOrganisation, not_yours(by)));
        }
        let mut withdrawn = self.clone();
        if withdrawn.revoked_at().is_none() {
            withdrawn.set_revoked_at(now);
        }
        Ok(withdrawn)
    }
}

/// The refusal of a withdrawal of someone `by` did not send (or of nobody).
pub fn not_yours(by: &Party) -> String {
    match by {
        Party::Organisation { .. } => "No such representative in your organisation.".into(),
        Party::Delegation { .. } => "No such expert on your delegation.".into(),
    }
}

impl Nominee for Representative {
    fn party(&self) -> Party {
        Party::Organisation { organisation: self.organisation.clone() }
    }
    fn revoked_at(&self) -> Option<Millis> {
        self.revoked_at
    }
    fn set_revoked_at(&mut self, at: Millis) {
        self.revoked_at = Some(at);
    }
}

impl Nominee for Expert {
    fn party(&self) -> Party {
        Party::Delegation { process: self.process.clone(), delegation: self.delegation.clone() }
    }
    fn revoked_at(&self) -> Option<Millis> {
        self.revoked_at
    }
    fn set_revoked_at(&mut self, at: Millis) {
        self.revoked_at = Some(at);
    }
}
