//! A speaker the chair adds on their behalf: someone without a token of their own (a delegate who
//! raised their flag in the room, a panellist). Their participant id is derived from their
//! affiliation and name, so adding the same person twice finds their existing request.

use shared::{Participant, ParticipantId, Role};

use crate::tr;

/// What the chair typed into the "add a speaker" form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIn {
    pub name: String,
    pub role: Role,
    /// Delegation for delegates and experts, organisation for stakeholders and panellists.
    pub affiliation: String,
}

impl WalkIn {
    /// The participant the form describes, or a sentence saying what is missing.
    pub fn participant(&self) -> Result<Participant, String> {
        let name = self.name.trim();
        let affiliation = self.affiliation.trim();
        if name.is_empty() {
            return Err(tr!(chair.type_name).into());
        }
        if affiliation.is_empty() && self.role != Role::Panellist {
            return Err(match self.role {
                Role::Delegate | Role::Expert => tr!(chair.type_delegation).into(),
                _ => tr!(chair.type_organisation).into(),
            });
        }
        let id = ParticipantId::parse(id_for(affiliation, name)).map_err(|r| r.message)?;
        let affiliation = (!affiliation.is_empty()).then(|| affiliation.to_string());
        let (delegation, organisation) =
            if self.role.speaks_for_a_state() { (affiliation, None) } else { (None, affiliation) };
        Ok(Participant {
            id,
            name: name.to_string(),
            role: self.role,
            delegation,
            organisation,
            profile: Default::default(),
        })
    }
}

/// `added:<affiliation>:<name>-<hash>`: readable where the text is ASCII, and the hash of the
/// full name keeps two people whose names do not fit in ASCII apart. At most 64 characters.
fn id_for(affiliation: &str, name: &str) -> String {
    let slug = |text: &str, max: usize| {
        let mut out = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        let mut out = out.trim_matches('-').to_string();
        out.truncate(max);
        out.trim_end_matches('-').to_string()
    };
    // FNV-1a: stable across builds and browsers, unlike the standard library's hasher.
    let hash = name.to_lowercase().bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("added:{}:{}-{hash:08x}", slug(affiliation, 24), slug(name, 24))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegate_added_by_the_chair_speaks_for_their_delegation() {
        let walk_in = WalkIn { name: "Ana Rojas".into(), role: Role::Delegate, affiliation: "Chile".into() };
        let p = walk_in.participant().unwrap();
        assert!(p.id.as_str().starts_with("added:chile:ana-rojas-"), "{}", p.id);
        assert_eq!(p.delegation.as_deref(), Some("Chile"));
        assert_eq!(p.on_behalf_of(), Some("Chile"));
    }

    #[test]
    fn names_outside_ascii_still_give_a_valid_id() {
        let walk_in =
            WalkIn {
                name: "Лукас Перес".into(), role: Role::Stakeholder, affiliation: "Derechos Digitales".into()
            };
        let p = walk_in.participant().unwrap();
        assert!(p.id.as_str().starts_with("added:derechos-digitales:"));
        assert_eq!(p.organisation.as_deref(), Some("Derechos Digitales"));
    }

    #[test]
    fn a_missing_affiliation_is_explained_except_for_panellists() {
        let mut walk_in = WalkIn { name: "Ana".into(), role: Role::Delegate, affiliation: " ".into() };
        assert!(walk_in.participant().unwrap_err().contains("delegation"));
        walk_in.role = Role::Panellist;
        assert!(walk_in.participant().is_ok());
    }

    #[test]
    fn a_very_long_name_is_cut_to_a_valid_id() {
        let walk_in = WalkIn { name: "a ".repeat(80), role: Role::Stakeholder, affiliation: "Org".into() };
        let p = walk_in.participant().unwrap();
        assert!(p.id.as_str().len() <= 64);
    }

    #[test]
    fn two_names_outside_ascii_get_different_ids() {
        let one = WalkIn { name: "李明".into(), role: Role::Delegate, affiliation: "China".into() };
        let two = WalkIn { name: "王芳".into(), ..one.clone() };
        assert_ne!(one.participant().unwrap().id, two.participant().unwrap().id);
    }
}
