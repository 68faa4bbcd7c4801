//! What a participant asks the meeting to do. Each command is checked by [`crate::Meeting::handle`]
//! against the actor's role and the meeting's state, and yields events or a rejection.

use serde::{Deserialize, Serialize};

use crate::ids::{EntryId, Language, SegmentId};
use crate::participant::{Gender, Participant, Presence};
use crate::segment::{RequestKind, SegmentSpec};

/// A request to change the meeting. Serialized with a `"type"` tag in `snake_case`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    /// Chair: take a waiting entry off its list.
    RemoveEntry { entry: EntryId },
    /// Chair or secretariat: add a segment to the meeting.
    CreateSegment { spec: SegmentSpec },
    /// Chair or secretariat: change a segment's title, inscription or timing.
    UpdateSegment { segment: SegmentId, spec: SegmentSpec },
    /// Chair: make a segment the active one.
    ActivateSegment { segment: SegmentId },
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
}

impl Command {
    /// The command's name as it appears on the wire, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Command::RequestFloor { .. } => "request_floor",
            Command::Withdraw { .. } => "withdraw",
            Command::SetPresence { .. } => "set_presence",
            Command::AddSpeaker { .. } => "add_speaker",
            Command::ConfirmCoSigning { .. } => "confirm_co_signing",
            Command::DeclineCoSigning { .. } => "decline_co_signing",
            Command::MoveEntry { .. } => "move_entry",
            Command::RemoveEntry { .. } => "remove_entry",
            Command::CreateSegment { .. } => "create_segment",
            Command::UpdateSegment { .. } => "update_segment",
            Command::ActivateSegment { .. } => "activate_segment",
            Command::CloseList { .. } => "close_list",
            Command::ReopenList { .. } => "reopen_list",
            Command::GiveFloor { .. } => "give_floor",
            Command::GiveFloorToPanellist { .. } => "give_floor_to_panellist",
            Command::PauseFloor => "pause_floor",
            Command::ResumeFloor => "resume_floor",
            Command::ExtendFloor { .. } => "extend_floor",
            Command::EndFloor => "end_floor",
        }
    }
}
