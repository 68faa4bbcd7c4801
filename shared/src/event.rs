//! What happened to a meeting. Events are the meeting's log and the only input of
//! [`crate::Meeting::apply`].

use serde::{Deserialize, Serialize};

use crate::agenda::AgendaItem;
use crate::ids::{AgendaItemId, EntryId, Millis, ParticipantId, SegmentId, Seq};
use crate::intervention::Intervention;
use crate::participant::Presence;
use crate::segment::{Entry, SegmentSpec};

/// One change to a meeting. Serialized with a `"type"` tag in `snake_case`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A segment was added (its id is the next segment number).
    SegmentCreated { segment: SegmentId, spec: SegmentSpec },
    /// A segment's rules changed.
    SegmentUpdated { segment: SegmentId, spec: SegmentSpec },
    /// A segment became the active one (and its agenda item, if it has one, the current item).
    SegmentActivated { segment: SegmentId },
    /// An item joined the end of the agenda.
    AgendaItemAdded { item: AgendaItem },
    /// An item's number or title changed.
    AgendaItemUpdated { item: AgendaItem },
    /// An item moved to `position` in the agenda.
    AgendaItemMoved { item: AgendaItemId, position: usize },
    /// An item left the agenda.
    AgendaItemRemoved { item: AgendaItemId },
    /// The meeting took up an item; `segment` is the list active from then on (none when the
    /// item has no list).
    ItemTakenUp {
        item: AgendaItemId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        segment: Option<SegmentId>,
    },
    /// A list stopped taking statements and rights of reply.
    ListClosed { segment: SegmentId },
    /// A list takes requests again.
    ListReopened { segment: SegmentId },
    /// An entry joined a list at `position`.
    EntryAdded { segment: SegmentId, entry: Entry, position: usize },
    /// The speaker withdrew their own entry.
    EntryWithdrawn { segment: SegmentId, entry: EntryId },
    /// The chair removed an entry, with the reason the chair gave, if any. Logs written before
    /// reasons existed have none.
    EntryRemoved {
        segment: SegmentId,
        entry: EntryId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The chair moved an entry to `position`.
    EntryMoved { segment: SegmentId, entry: EntryId, position: usize },
    /// A co-signer of a waiting entry confirmed; `organisation` is its name as the entry holds it.
    CoSigningConfirmed { segment: SegmentId, entry: EntryId, organisation: String },
    /// A co-signer of a waiting entry declined, and is no longer on it.
    CoSigningDeclined { segment: SegmentId, entry: EntryId, organisation: String },
    /// A participant now follows from the room or remotely; their waiting entries follow.
    PresenceChanged { participant: ParticipantId, presence: Presence },
    /// The floor was given; the entry it came from, if any, left its list. `started_at` is the
    /// event's time.
    /// Boxed: an intervention is the largest thing an event carries, and every event in a
    /// meeting's replay window would otherwise be as large.
    FloorGiven { intervention: Box<Intervention> },
    /// The speaker who is next said they are ready (a list with a ready check).
    ReadyConfirmed { segment: SegmentId, entry: EntryId },
    /// The chair passed over the request at the head of the list; it keeps its place, and the
    /// floor goes to the next one (the `floor_given` that follows).
    EntryPassedOver { segment: SegmentId, entry: EntryId },
    /// The speaker's clock stopped at the event's time.
    FloorPaused,
    /// The speaker's clock restarted at the event's time.
    FloorResumed,
    /// The speaker got more time.
    FloorExtended { by_ms: i64 },
    /// The intervention ended at the event's time and went into the record; `by` ended it (absent
    /// in logs written before it was recorded, and when the server ended it).
    FloorEnded {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::interning::shared_option"
        )]
        by: Option<std::sync::Arc<crate::intervention::Moderator>>,
    },
    /// The presiding officer (the chair, or the vice-chair in the chair) handed over: a vice-chair
    /// may take the chair.
    ChairHandedOver { by: crate::intervention::Moderator },
    /// `by` took the chair: the chair taking it back, or a vice-chair after a hand-over.
    ChairTaken { by: crate::intervention::Moderator },
}

/// An event as stored and sent: its place in the meeting's log and the server time it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Position in the meeting's log: 1, 2, 3, … without gaps.
    pub seq: Seq,
    /// Server time of the event.
    pub at: Millis,
    /// What happened.
    pub event: Event,
}
