//! Rostrum's protocol and domain: the speaking queue of a meeting as a deterministic state machine.
//!
//! Nothing in this crate reads a clock, a socket or a random source. Time arrives as an argument
//! ([`Millis`]), the acting person arrives as a [`Participant`], and a [`Command`] yields [`Event`]s
//! or a [`Rejection`]. [`Meeting::apply`] is the only way the state changes, so replaying a
//! meeting's events rebuilds it exactly — on the server after a crash, and in every browser.
//!
//! The same types travel on the wire ([`protocol`]), so the server, the web client and the tests
//! share one definition of every message.

pub mod accreditation;
mod agenda;
pub mod api;
mod command;
pub mod delegations;
mod error;
mod event;
mod ids;
pub mod interning;
mod intervention;
pub mod live;
mod meeting;
mod participant;
pub mod policy;
pub mod principal;
pub mod proof;
pub mod protocol;
pub mod region;
mod rejection;
pub mod report;
mod segment;
#[cfg(feature = "proptest")]
pub mod strategies;
pub mod text;
pub mod webhooks;
pub mod written;

pub use agenda::{AgendaItem, ItemSpec, MAX_ITEM_NUMBER_CHARS, MAX_ITEM_TITLE_CHARS};
pub use command::Command;
pub use error::{Error, ErrorCode};
pub use event::{Event, EventRecord};
pub use ids::{
    AgendaItemId, CommandId, EntryId, InterventionId, Language, MeetingId, Millis, ParticipantId, ProcessId, SegmentId,
    Seq,
};
pub use intervention::{Intervention, Moderator, Pause, ReadyCheck};
pub use meeting::{
    removal_reason, Access, Chairing, Meeting, MeetingInfo, Removal, MAX_AGENDA_ITEMS, MAX_NOTE_CHARS,
    MAX_REMOVAL_REASON_CHARS, MAX_ROOM_CHARS,
};
pub use participant::{Gender, Participant, Presence, Profile, Role};
pub use principal::{Holder, Principal, Scope, Standing};
pub use region::Region;
pub use rejection::{Rejection, RejectionCode};
pub use segment::{CoSigner, Entry, Inscription, Ordering, RequestKind, Segment, SegmentSpec};
