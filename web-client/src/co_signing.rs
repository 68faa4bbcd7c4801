//! Requests to co-sign: which joint statements waiting in the meeting name the participant's
//! organisation as a co-signer, and whether it confirmed — what the participant's view asks them
//! to answer.

use shared::{EntryId, Meeting, Participant, Role};

use crate::browser::organisation_key;

/// A joint statement that names the participant's organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The waiting entry to confirm or decline.
    pub entry: EntryId,
    /// Who will speak, and for which organisation.
    pub speaker: String,
    pub speaker_organisation: String,
    /// The segment it waits in.
    pub segment: String,
    /// The organisation as the entry names it.
    pub organisation: String,
    /// Whether the organisation already confirmed.
    pub confirmed: bool,
}

impl Request {
    /// "Kwame Mensah (Global Digital Rights Network) asks your organisation to co-sign" and the like.
    pub fn sentence(&self) -> String {
        if self.confirmed {
            crate::tr!(
                portal.co_sign_confirmed_sentence,
                speaker = &self.speaker,
                organisation = &self.speaker_organisation
            )
        } else {
            crate::tr!(
                portal.co_sign_asked_sentence,
                speaker = &self.speaker,
                organisation = &self.speaker_organisation
            )
        }
    }
}

/// The waiting joint statements that name `me`'s organisation, in list order, the same way the
/// meeting matches them (`organisation_key`). Only an organisation's representatives answer.
pub fn requests(meeting: &Meeting, me: &Participant) -> Vec<Request> {
    let Some(mine) = me.organisation.as_deref().filter(|_| me.role == Role::Stakeholder).map(organisation_key) else {
        return Vec::new();
    };
    meeting
        .segments
        .iter()
        .flat_map(|s| s.entries.iter().map(move |e| (s, e)))
        .filter_map(|(segment, entry)| {
            let co_signer = entry.co_signers.iter().find(|c| organisation_key(&c.organisation) == mine)?;
            Some(Request {
                entry: entry.id,
                speaker: entry.speaker.name.clone(),
                speaker_organisation: entry.speaker.on_behalf_of().unwrap_or_default().to_string(),
                segment: segment.spec.title.clone(),
                organisation: co_signer.organisation.clone(),
                confirmed: co_signer.confirmed,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{person, Fixture};
    use shared::{Command, Language, Presence, RequestKind};

    fn joint(f: &mut Fixture, speaker: &Participant, co_signers: &[&str]) {
        let command = Command::RequestFloor {
            segment: None,
            kind: RequestKind::Statement,
            presence: Presence::Remote,
            language: Language::parse("en").unwrap(),
            co_signers: co_signers.iter().map(|c| c.to_string()).collect(),
            gender: None,
            note: None,
            group: None,
        };
        f.run_as(speaker, command, 0);
    }

    #[test]
    fn a_representative_sees_the_joint_statements_that_name_their_organisation() {
        let mut f = Fixture::new(180);
        let speaker = person("gdrn", Role::Stakeholder);
        joint(&mut f, &speaker, &["Access Now", "APC"]);
        let access_now = Participant { organisation: Some("ACCESS NOW".into()), ..person("an", Role::Stakeholder) };

        let asked = requests(&f.meeting, &access_now);

        assert_eq!(asked.len(), 1);
        assert_eq!(asked[0].organisation, "Access Now");
        assert!(!asked[0].confirmed);
        assert_eq!(asked[0].sentence(), "Name of gdrn (Org of gdrn) asks your organisation to co-sign");
    }

    #[test]
    fn once_confirmed_the_request_says_so_and_others_are_not_asked() {
        let mut f = Fixture::new(180);
        let speaker = person("gdrn", Role::Stakeholder);
        joint(&mut f, &speaker, &["Access Now"]);
        let access_now = Participant { organisation: Some("Access Now".into()), ..person("an", Role::Stakeholder) };
        let entry = f.meeting.active().unwrap().entries[0].id;
        f.run_as(&access_now, Command::ConfirmCoSigning { entry }, 1);

        let asked = requests(&f.meeting, &access_now);

        assert!(asked[0].confirmed);
        assert!(asked[0].sentence().starts_with("Your organisation co-signs"));
        assert!(requests(&f.meeting, &person("apc", Role::Stakeholder)).is_empty());
        assert!(requests(&f.meeting, &person("chile", Role::Delegate)).is_empty());
    }
}
