//! What a participant asks the meeting to do. Each command is checked by [`crate::Meeting::handle`]
//! against the actor's role and the meeting's state, and yields events or a rejection.

use serde::{Deserialize, Serialize};

use crate::agenda::ItemSpec;
use crate::ids::{AgendaItemId, EntryId, Language, SegmentId};
use crate::participant::{Gender, Participant, Presence};
use crate::segment::{RequestKind, SegmentSpec};

/// A request to change the meeting. Serialized with a `"type"` tag in `snake_case`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    /// Ask for the floor for oneself (delegates, experts, stakeholders). `segment` defaults to the
    /// active one; lists of other segments may be joined in advance.
    RequestFloor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
        kind: RequestKind,
        presence: Presence,
        language: Language,
        /// For a joint statement of organisations: the others the speaker speaks for.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        co_signers: Vec<String>,
        /// The speaker's gender, only if they choose to declare it for the parity figures.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gender: Option<Gender>,
        /// A short note for the chair and the list ("on 5(b)"), up to 100 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// A delegation's statement on behalf of a group of states: the group's id in
        /// [`crate::delegations::GROUPS`] (`"g77_and_china"`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    /// Withdraw one's own request from a list (the active segment's by default).
    Withdraw {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    },
    /// Say whether one is in the room or remote; waiting entries follow.
    SetPresence { presence: Presence },
    /// Chair: add someone to a list on their behalf.
    AddSpeaker {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
        speaker: Participant,
        kind: RequestKind,
        presence: Presence,
        language: Language,
        /// For a joint statement of organisations: the others the speaker speaks for.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        co_signers: Vec<String>,
        /// A short note for the chair and the list ("on 5(b)"), up to 100 characters.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// A delegation's statement on behalf of a group of states: the group's id in
        /// [`crate::delegations::GROUPS`] (`"g77_and_china"`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
    },
    /// A representative of an organisation named as a co-signer of a waiting entry confirms that
    /// the organisation co-signs it. Until then the co-signer is pending.
    ConfirmCoSigning { entry: EntryId },
    /// A representative of an organisation named as a co-signer of a waiting entry declines (or
    /// withdraws a confirmation): the organisation is taken off the entry.
    DeclineCoSigning { entry: EntryId },
    /// Chair: move a waiting statement or right of reply to a position (0 is first). The entry
    /// stays within its band: points of order ahead of statements, rights of reply after them.
    /// Points of order keep the order in which they were raised and cannot be moved.
    MoveEntry { entry: EntryId, position: usize },
    /// Chair: take a waiting entry off its list, saying why if `reason` is given (one line of
    /// 1 to [`crate::MAX_REMOVAL_REASON_CHARS`] characters once trimmed). The reason is
    /// shown to the person whose request it was.
    RemoveEntry {
        entry: EntryId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Chair or secretariat: add a segment to the meeting.
    CreateSegment { spec: SegmentSpec },
    /// Chair or secretariat: change a segment's title, inscription or timing.
    UpdateSegment { segment: SegmentId, spec: SegmentSpec },
    /// Chair: make a segment the active one. When the segment belongs to an agenda item, the
    /// meeting is on that item from then on.
    ActivateSegment { segment: SegmentId },
    /// Chair or secretariat: add an item at the end of the agenda.
    AddAgendaItem { spec: ItemSpec },
    /// Chair or secretariat: change an item's number or title.
    UpdateAgendaItem { item: AgendaItemId, spec: ItemSpec },
    /// Chair or secretariat: move an item to a place in the agenda (0 is first).
    MoveAgendaItem { item: AgendaItemId, position: usize },
    /// Chair or secretariat: take an item off the agenda. Only an item with no list of speakers
    /// that the meeting is not on.
    RemoveAgendaItem { item: AgendaItemId },
    /// Chair: take up an agenda item: its first list becomes the active one (none when it has no
    /// list). Refused while someone has the floor.
    TakeUpItem { item: AgendaItemId },
    /// Chair: close a list to new statements and rights of reply (the active one by default).
    CloseList {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    },
    /// Chair: reopen a closed list (the active one by default).
    ReopenList {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    },
    /// Chair: give the floor to a chosen entry of the active list, or to the first one when `entry`
    /// is absent. Ends the running intervention, if any.
    GiveFloor {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<EntryId>,
    },
    /// Chair: pass over the request at the head of the active list, which keeps its place there,
    /// and give the floor to the next one (a remote speaker not yet ready, say). Ends the running
    /// intervention, if any.
    PassOver { entry: EntryId },
    /// The speaker who is next in a list with a ready check says they are ready: microphone on, in
    /// the call (the active list by default).
    ConfirmReady {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    },
    /// Chair: give the floor directly to a panellist, who does not inscribe. Ends the running
    /// intervention, if any.
    GiveFloorToPanellist { speaker: Participant, presence: Presence, language: Language },
    /// Chair: stop the speaker's clock.
    PauseFloor,
    /// Chair: restart the speaker's clock.
    ResumeFloor,
    /// Chair: give the speaker more time (1 s to 30 min).
    ExtendFloor { secs: u32 },
    /// Chair: end the running intervention.
    EndFloor,
    /// The presiding officer (the chair, or the vice-chair in the chair) hands over: a vice-chair
    /// may then take the chair. Until one does, nobody gives the floor.
    HandOverChair,
    /// Take the chair: the chair takes it back at any time; a vice-chair takes it once it was
    /// handed over. Whoever is in the chair presides (gives the floor and runs the list).
    TakeChair,
}

impl Command {
    /// Every command's name as it appears on the wire (its `"type"`), in declaration order: a frame
    /// naming one of these is a known command even when its fields are wrong.
    pub const NAMES: &'static [&'static str] = <Command as strum::VariantNames>::VARIANTS;

    /// The command's name as it appears on the wire, for logs.
    pub fn name(&self) -> &'static str {
        self.into()
    }

    /// A request for the floor on the active list with no co-signer, declared gender, note or
    /// group; set those on the value when wanted (`if let Command::RequestFloor { note, .. } = …`).
    pub fn request_floor(kind: RequestKind, presence: Presence, language: Language) -> Command {
        Command::RequestFloor {
            segment: None,
            kind,
            presence,
            language,
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        }
    }

    /// The chair's addition of `speaker` to the active list, with no co-signer, note or group.
    pub fn add_speaker(speaker: Participant, kind: RequestKind, presence: Presence, language: Language) -> Command {
        Command::AddSpeaker {
            segment: None,
            speaker,
            kind,
            presence,
            language,
            co_signers: Vec::new(),
            note: None,
            group: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_of_names_is_every_command_serde_knows() {
        // serde names every variant it accepts when it refuses an unknown one.
        let error = serde_json::from_str::<Command>(r#"{"type": "seize_the_floor"}"#).unwrap_err().to_string();
        let expected = error.split("expected one of ").nth(1).expect("serde lists the variants");
        let known: Vec<&str> =
            expected.split(", ").map(|name| name.split('`').nth(1).expect("a quoted name")).collect();
        assert_eq!(known, Command::NAMES);
    }

    #[test]
    fn a_command_s_name_is_its_wire_type() {
        let commands = [Command::PauseFloor, Command::Withdraw { segment: None }, Command::ExtendFloor { secs: 5 }];
        for command in commands {
            let wire = serde_json::to_value(&command).unwrap();
            assert_eq!(wire["type"], command.name());
            assert!(Command::NAMES.contains(&command.name()));
        }
    }
}
