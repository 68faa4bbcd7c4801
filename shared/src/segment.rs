//! A segment of a meeting and its list of speakers.
//!
//! The list keeps three bands in this order: points of order (first come, first served among
//! themselves), statements, rights of reply. A new entry joins the end of its band, and a move stays
//! inside it, so the rules of procedure hold whatever the chair does; to let someone speak out of
//! turn the chair gives them the floor directly.

use serde::{Deserialize, Serialize};

use crate::ids::{EntryId, Language, Millis, SegmentId};
use crate::participant::{Participant, Presence, Role};
use crate::rejection::{Rejection, RejectionCode};

/// Who may ask for the floor in a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Inscription {
    /// Delegates and the experts on their delegations.
    MemberStates,
    /// Accredited organisations only: a stakeholder segment.
    Stakeholders,
    /// Everyone who may speak in the meeting.
    All,
}

impl Inscription {
    /// Whether a person of this role may inscribe themselves.
    pub fn admits(self, role: Role) -> bool {
        match self {
            Inscription::MemberStates => role.speaks_for_a_state(),
            Inscription::Stakeholders => role == Role::Stakeholder,
            Inscription::All => role.speaks_for_a_state() || role == Role::Stakeholder,
        }
    }
}

/// What a floor request is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum RequestKind {
    /// Goes ahead of all statements; first come, first served among points of order.
    PointOfOrder,
    /// An ordinary intervention.
    Statement,
    /// Taken after the statements of the segment are exhausted.
    RightOfReply,
}

/// How a segment orders its statements and rights of reply as they arrive. Points of order are
/// always first come, first served. The policy decides where a new request goes; the chair can
/// still move anyone afterwards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Ordering {
    /// In the order people asked.
    #[default]
    FirstComeFirstServed,
    /// People who have not yet spoken in this meeting go ahead of those who have; first come,
    /// first served within each group.
    FirstTimeFirst,
    /// Alternate in-room and remote speakers whenever both are waiting.
    AlternateInRoomAndRemote,
    /// Alternate member states and stakeholders whenever both are waiting.
    AlternateStatesAndStakeholders,
}

impl Ordering {
    fn is_default(&self) -> bool {
        *self == Ordering::FirstComeFirstServed
    }
}

/// How a segment is set up: its rules of inscription and timing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentSpec {
    /// Title shown on every screen, e.g. "Stakeholder segment: capacity building".
    pub title: String,
    /// Who may ask for the floor.
    pub inscription: Inscription,
    /// Time limit per intervention, in seconds.
    pub time_limit_secs: u32,
    /// Optional total speaking time for the whole segment, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_secs: Option<u32>,
    /// At most one speaker per organisation in this segment: an organisation that is waiting, has
    /// the floor, has spoken, or has confirmed it co-signs a joint statement cannot inscribe again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub one_per_organisation: bool,
    /// How new requests are placed in the list.
    #[serde(default, skip_serializing_if = "Ordering::is_default")]
    pub ordering: Ordering,
    /// The longest the list may be: once this many requests wait, only points of order are
    /// taken until one leaves it (the chair may still add speakers). `None`: no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_waiting: Option<u32>,
    /// The agenda item whose list this is. `None`: the meeting has no agenda, or the segment
    /// belongs to no item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<crate::ids::AgendaItemId>,
    /// Time limit of a point of order, in seconds. `None`: the statements' limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_of_order_secs: Option<u32>,
    /// Time limit of a delegation's first right of reply on the item, in seconds. `None`: the
    /// statements' limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub right_of_reply_secs: Option<u32>,
    /// Time limit of a delegation's second and later rights of reply on the item, in seconds.
    /// `None`: the first right of reply's limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_reply_secs: Option<u32>,
    /// The most statements one delegation (or organisation) makes on the item — waiting, speaking
    /// or made, across the item's lists (this list's alone when it has no item). `None`: no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statements_per_delegation: Option<u32>,
    /// When the list opens to participants' statements and rights of reply; points of order and
    /// the chair's additions are taken before. `None`: open from its creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<Millis>,
    /// Statements on behalf of groups of states lead the list's statements, as the UN's practice
    /// gives the floor to groups before single delegations.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub groups_first: bool,
    /// A remote speaker who is next is asked to confirm that they are ready (microphone on, in the
    /// call); the chair sees whether they did before giving the floor, and the record keeps it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ready_check: bool,
}

impl SegmentSpec {
    /// Longest allowed time limit or budget: twelve hours.
    pub const MAX_SECS: u32 = 12 * 3600;
    /// Largest limit on the length of a list.
    pub const MAX_WAITING: u32 = 1000;
    /// Largest cap on one delegation's statements on an item.
    pub const MAX_STATEMENTS_PER_DELEGATION: u32 = 20;

    /// A list titled `title` with `time_limit_secs` for every intervention, open to everyone in
    /// the order of asking, and no other rule; the others are set with struct update syntax.
    pub fn new(title: impl Into<String>, time_limit_secs: u32) -> Self {
        SegmentSpec {
            title: title.into(),
            inscription: Inscription::All,
            time_limit_secs,
            budget_secs: None,
            one_per_organisation: false,
            ordering: Ordering::default(),
            max_waiting: None,
            item: None,
            point_of_order_secs: None,
            right_of_reply_secs: None,
            second_reply_secs: None,
            statements_per_delegation: None,
            opens_at: None,
            groups_first: false,
            ready_check: false,
        }
    }

    /// The time allowed to an intervention of `kind`, in milliseconds; `replies_before` counts the
    /// rights of reply the same delegation already had on the item.
    pub fn time_limit_ms(&self, kind: RequestKind, replies_before: usize) -> i64 {
        let secs = match kind {
            RequestKind::Statement => None,
            RequestKind::PointOfOrder => self.point_of_order_secs,
            RequestKind::RightOfReply if replies_before > 0 => self.second_reply_secs.or(self.right_of_reply_secs),
            RequestKind::RightOfReply => self.right_of_reply_secs,
        };
        i64::from(secs.unwrap_or(self.time_limit_secs)) * 1000
    }

    /// Checks the fields: a title of 1 to 200 characters, a time limit of 5 s to 12 h, a budget
    /// (when given) of at least the time limit.
    pub fn validate(&self) -> Result<(), Rejection> {
        let invalid = |message: String| Err(Rejection::new(RejectionCode::InvalidCommand, message));
        crate::text::line("segment's title", &self.title, 200)?;
        if !(5..=Self::MAX_SECS).contains(&self.time_limit_secs) {
            return invalid(format!(
                "The time limit per intervention must be between 5 seconds and 12 hours; got {} s.",
                self.time_limit_secs
            ));
        }
        if let Some(budget) = self.budget_secs {
            if budget < self.time_limit_secs || budget > Self::MAX_SECS {
                return invalid(format!(
                    "The segment's budget must be at least one intervention ({} s) and at most 12 hours; got {budget} s.",
                    self.time_limit_secs
                ));
            }
        }
        for (what, secs) in [
            ("point of order", self.point_of_order_secs),
            ("right of reply", self.right_of_reply_secs),
            ("second right of reply", self.second_reply_secs),
        ] {
            if let Some(secs) = secs.filter(|s| !(5..=Self::MAX_SECS).contains(s)) {
                return invalid(format!(
                    "The time limit of a {what} must be between 5 seconds and 12 hours; got {secs} s."
                ));
            }
        }
        if let Some(cap) = self.statements_per_delegation {
            if !(1..=Self::MAX_STATEMENTS_PER_DELEGATION).contains(&cap) {
                return invalid(format!(
                    "The statements per delegation must be between 1 and {}; got {cap}.",
                    Self::MAX_STATEMENTS_PER_DELEGATION
                ));
            }
        }
        if let Some(max) = self.max_waiting {
            if !(1..=Self::MAX_WAITING).contains(&max) {
                return invalid(format!(
                    "The longest list must be between 1 and {} requests; got {max}.",
                    Self::MAX_WAITING
                ));
            }
        }
        Ok(())
    }
}

/// A time as "2026-12-02 15:00 UTC", for a sentence.
fn utc_minute(at: Millis) -> String {
    let t = crate::report::datetime(at);
    format!("{:04}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
}

/// One person's place in a segment's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Id of the request, unique in the meeting.
    pub id: EntryId,
    /// Who will speak, with their delegation or organisation.
    pub speaker: Participant,
    /// Statement, point of order or right of reply.
    pub kind: RequestKind,
    /// In the room or remote.
    pub presence: Presence,
    /// The language they will speak.
    pub language: Language,
    /// When they asked (or were added).
    pub requested_at: Millis,
    /// Set when the chair or secretariat added the entry on the speaker's behalf.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_by: Option<crate::ids::ParticipantId>,
    /// For a joint statement: the other organisations the speaker speaks for, each pending until
    /// one of its representatives confirms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_signers: Vec<CoSigner>,
    /// The speaker's short note for the chair and the list ("on 5(b)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The group of states a delegation's statement is made on behalf of (its id in
    /// [`crate::delegations::GROUPS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// When the speaker confirmed they are ready, in a list with a ready check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_at: Option<Millis>,
    /// How many times the chair passed over this request at the head of the list, keeping its
    /// place, to give the floor to the next one.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub passed_over: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Entry {
    /// Whether the speaker of this entry, in `segment`, is asked to confirm they are ready: a
    /// remote speaker, in a list with a ready check.
    pub fn asked_ready(&self, segment: &SegmentSpec) -> bool {
        segment.ready_check && self.presence == crate::participant::Presence::Remote
    }
}

/// An organisation a joint statement is made for, beside the speaker's own.
///
/// The speaker names it; it is *pending* until a representative of that organisation confirms
/// (`confirm_co_signing`). A pending co-signer is shown as such and does not count against one
/// speaker per organisation: naming an organisation never takes its turn away. Logs written before
/// co-signers confirmed hold bare names; those read as confirmed, as they were counted then.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "CoSignerWire")]
pub struct CoSigner {
    /// The organisation's name as accredited.
    pub organisation: String,
    /// Whether a representative of the organisation confirmed.
    pub confirmed: bool,
}

impl CoSigner {
    /// An organisation just named, waiting for its confirmation.
    pub fn pending(organisation: impl Into<String>) -> Self {
        CoSigner { organisation: organisation.into(), confirmed: false }
    }

    /// An organisation that confirmed.
    pub fn confirmed(organisation: impl Into<String>) -> Self {
        CoSigner { organisation: organisation.into(), confirmed: true }
    }
}

/// A co-signer as logs hold it: a bare name (before confirmation existed), or the full record.
#[derive(Deserialize)]
#[serde(untagged)]
enum CoSignerWire {
    Legacy(String),
    Full { organisation: String, confirmed: bool },
}

impl From<CoSignerWire> for CoSigner {
    fn from(wire: CoSignerWire) -> Self {
        match wire {
            CoSignerWire::Legacy(organisation) => CoSigner::confirmed(organisation),
            CoSignerWire::Full { organisation, confirmed } => CoSigner { organisation, confirmed },
        }
    }
}

/// A block of a meeting with its own list of speakers and rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    /// Id in the meeting.
    pub id: SegmentId,
    /// Rules of inscription and timing.
    pub spec: SegmentSpec,
    /// Whether new statements and rights of reply are taken (points of order always are).
    pub list_open: bool,
    /// Waiting speakers, in the order they will be called.
    pub entries: Vec<Entry>,
    /// Speaking time used by ended interventions of this segment, in milliseconds.
    pub used_ms: i64,
}

impl Segment {
    pub(crate) fn new(id: SegmentId, spec: SegmentSpec) -> Self {
        Segment { id, spec, list_open: true, entries: Vec::new(), used_ms: 0 }
    }

    /// Whether the list holds as many requests as its segment allows ([`SegmentSpec::max_waiting`]).
    pub fn is_full(&self) -> bool {
        self.spec.max_waiting.is_some_and(|max| self.entries.len() >= max as usize)
    }

    /// Why the list takes no participant's statement or right of reply at `now`, only points of
    /// order: it opens later (`list_not_open_yet`), the chair closed it (`list_closed`) or it holds
    /// as many requests as its segment allows (`list_full`). `None` when it takes them. The one sentence the server refuses with and the
    /// screens show beforehand.
    pub fn refuses_statements(&self, now: Millis) -> Option<Rejection> {
        if let Some(opens_at) = self.spec.opens_at.filter(|at| now < *at) {
            return Some(Rejection::new(
                RejectionCode::ListNotOpenYet,
                format!(
                    "The list of speakers opens at {}; only points of order are taken until then.",
                    utc_minute(opens_at)
                ),
            ));
        }
        if !self.list_open {
            return Some(Rejection::new(
                RejectionCode::ListClosed,
                "The chair has closed the list of speakers; only points of order are taken.",
            ));
        }
        let max = self.spec.max_waiting.filter(|_| self.is_full())?;
        Some(Rejection::new(
            RejectionCode::ListFull,
            format!("The list of speakers is full (at most {max} waiting); only points of order are taken until a place frees."),
        ))
    }

    /// Position of an entry in the list.
    pub fn position(&self, entry: EntryId) -> Option<usize> {
        self.entries.iter().position(|e| e.id == entry)
    }

    /// The entry of a person in the list, if they have one.
    pub fn entry_of(&self, participant: &crate::ids::ParticipantId) -> Option<&Entry> {
        self.entries.iter().find(|e| &e.speaker.id == participant)
    }

    /// Remaining budget in milliseconds, or `None` when the segment has no budget. Counts the
    /// running intervention's time when `running_ms` is given.
    pub fn budget_left_ms(&self, running_ms: i64) -> Option<i64> {
        self.spec.budget_secs.map(|b| i64::from(b) * 1000 - self.used_ms - running_ms)
    }

    /// The range of positions that entries of `kind` may occupy, ignoring `except`.
    pub(crate) fn band(&self, kind: RequestKind, except: Option<EntryId>) -> std::ops::Range<usize> {
        let mut before = 0;
        let mut within = 0;
        for entry in self.entries.iter().filter(|e| Some(e.id) != except) {
            if entry.kind < kind {
                before += 1;
            } else if entry.kind == kind {
                within += 1;
            }
        }
        before..before + within
    }
}
