//! A meeting's state and its rules: [`Meeting::handle`] decides, [`Meeting::apply`] changes.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::agenda::{number_key, AgendaItem, ItemSpec};
use crate::command::Command;
use crate::event::{Event, EventRecord};
use crate::ids::{
    AgendaItemId, EntryId, InterventionId, Language, MeetingId, Millis, ParticipantId, ProcessId, SegmentId, Seq,
};
use crate::intervention::{Intervention, Moderator, Pause, ReadyCheck};
use crate::participant::{Participant, Presence, Role};
use crate::rejection::{Rejection, RejectionCode};
use crate::segment::{CoSigner, Entry, Inscription, Ordering, RequestKind, Segment};
use crate::text::{organisation_key, TextError};

/// Whether stakeholders may attend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr, strum::EnumString, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum Access {
    /// Stakeholders may attend, and speak where a segment allows.
    Open,
    /// Member states and the experts on their delegations only.
    Closed,
}

/// What a meeting is: fixed when the secretariat creates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingInfo {
    /// The meeting's id.
    pub id: MeetingId,
    /// Title shown on every screen.
    pub title: String,
    /// The process the meeting belongs to.
    pub process: ProcessId,
    /// Open or closed.
    pub access: Access,
    /// The IANA time zone of the meeting's venue (e.g. `America/New_York`), for "meeting time".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// When the meeting is scheduled to start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<Millis>,
    /// Where it sits: "Conference Room 4", "Palais des Nations, Room XX".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub room: Option<String>,
}

/// The most characters of a meeting's room.
pub const MAX_ROOM_CHARS: usize = 100;

/// Who presides over a meeting: the chair, unless the chair handed over to a vice-chair. Whoever
/// presides gives the floor; the other presiding officers wait until the chair is theirs again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Chairing {
    /// The chair presides.
    #[default]
    Chair,
    /// The chair (or the vice-chair presiding) handed over, and no vice-chair has taken the chair
    /// yet: the first to take it presides.
    HandedOver {
        /// Who handed over.
        by: Moderator,
    },
    /// A vice-chair presides.
    ViceChair {
        /// The vice-chair in the chair.
        vice_chair: Moderator,
    },
}

impl Chairing {
    /// Whether the chair presides (the state of a meeting that never handed over).
    pub fn is_chair(&self) -> bool {
        *self == Chairing::Chair
    }

    /// Whether `person` may give the floor and run the list now: the chair while the chair
    /// presides, the vice-chair who took the chair while they do. The secretariat never presides.
    pub fn presiding(&self, person: &Participant) -> bool {
        match (self, person.role) {
            (Chairing::Chair, Role::Chair) => true,
            (Chairing::ViceChair { vice_chair }, Role::ViceChair) => vice_chair.id == person.id,
            _ => false,
        }
    }
}

/// The most items an agenda holds.
pub const MAX_AGENDA_ITEMS: usize = 100;

/// The most characters of the reason the chair gives for taking a request off a list.
pub const MAX_REMOVAL_REASON_CHARS: usize = 200;

/// The reason the chair gives for taking a request off a list, as it is kept: one line of 1 to
/// [`MAX_REMOVAL_REASON_CHARS`] characters once trimmed (see [`crate::text::line`]). Clients check
/// with it before sending; the meeting refuses what it refuses with `invalid_command`.
///
/// ```
/// use shared::removal_reason;
/// assert_eq!(removal_reason("  Already spoke ").unwrap(), "Already spoke");
/// assert!(removal_reason("   ").is_err());
/// ```
pub fn removal_reason(reason: &str) -> Result<String, TextError> {
    crate::text::line("reason for the removal", reason, MAX_REMOVAL_REASON_CHARS)
}

/// A request the chair took off a list, kept so that the person whose request it was can be told
/// why, on any screen and after a reload, until they ask again in that list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The list it was in.
    pub segment: SegmentId,
    /// Whose request it was.
    pub speaker: ParticipantId,
    /// What the chair said, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When the chair removed it (the event's time).
    pub at: Millis,
}

/// The state of one meeting: its segments and lists, the floor, and the record of interventions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// What the meeting is.
    pub info: MeetingInfo,
    /// Sequence number of the last event applied.
    pub seq: Seq,
    /// Segments in the order they were created.
    pub segments: Vec<Segment>,
    /// The segment whose list the chair is working through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_segment: Option<SegmentId>,
    /// The running intervention, if someone has the floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<Intervention>,
    /// Ended interventions, in order: the meeting's record of who spoke.
    pub record: Vec<Intervention>,
    /// The chair's latest removal of each person from each list, until they ask again there: at
    /// most one per person and list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals: Vec<Removal>,
    /// The agenda, in the order the meeting takes its items up. Empty for a meeting without one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<AgendaItem>,
    /// The item the meeting is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_item: Option<AgendaItemId>,
    /// Who presides: the chair, or a vice-chair once the chair handed over.
    #[serde(default, skip_serializing_if = "Chairing::is_chair")]
    pub chairing: Chairing,
    next_entry: u64,
    next_intervention: u64,
    /// The highest item id given so far (ids are never reused, even after a removal).
    #[serde(default)]
    last_item: u32,
}

type Decision = Result<Vec<Event>, Rejection>;

/// What a floor request asks for, whoever makes it.
struct Request {
    kind: RequestKind,
    presence: Presence,
    language: Language,
    co_signers: Vec<String>,
    note: Option<String>,
    group: Option<String>,
}

/// The most characters in a request's note.
pub const MAX_NOTE_CHARS: usize = 100;

/// Names `actor` as who gave and who ended the floors in `events`.
fn moderated_by(mut events: Vec<Event>, actor: &Participant) -> Vec<Event> {
    let moderator = Arc::new(Moderator::from(actor));
    for event in &mut events {
        match event {
            Event::FloorGiven { intervention } => intervention.given_by = Some(moderator.clone()),
            Event::FloorEnded { by } => *by = Some(moderator.clone()),
            _ => {}
        }
    }
    events
}

/// A statement on behalf of a group of states is a member state's: a delegate's, naming a group
/// the shipped data knows, and a statement (a point of order or a reply is the delegation's own).
fn check_group(group: Option<&str>, speaker: &Participant, kind: RequestKind) -> Result<(), Rejection> {
    let Some(id) = group else { return Ok(()) };
    if crate::delegations::group(id).is_none() {
        return reject(
            RejectionCode::InvalidCommand,
            format!("There is no group of states \"{id}\"; the groups and their ids are in docs/protocol.md."),
        );
    }
    if speaker.role != Role::Delegate {
        return reject(
            RejectionCode::InvalidCommand,
            "Only a member state's delegate speaks on behalf of a group of states.",
        );
    }
    if kind != RequestKind::Statement {
        return reject(
            RejectionCode::InvalidCommand,
            "A statement is made on behalf of a group of states; a point of order or a right of reply is the delegation's own.",
        );
    }
    Ok(())
}

/// A request's note, checked as one line of text; an empty or blank note is none.
fn checked_note(note: Option<String>) -> Result<Option<String>, Rejection> {
    match note.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(note) => crate::text::line("note", note, MAX_NOTE_CHARS).map(Some).map_err(Rejection::from),
    }
}

/// Which of the two sides an alternating segment takes turns between a waiting speaker is on.
fn side(ordering: Ordering, speaker: &Participant, presence: Presence) -> Option<bool> {
    match ordering {
        Ordering::AlternateInRoomAndRemote => Some(presence == Presence::InRoom),
        Ordering::AlternateStatesAndStakeholders => Some(speaker.role.speaks_for_a_state()),
        Ordering::FirstComeFirstServed | Ordering::FirstTimeFirst => None,
    }
}

/// The organisations a request names, as [`organisation_key`]s: the speaker's own (for a
/// stakeholder) and every co-signer's, sorted and without repeats.
fn organisations<'a>(speaker: &'a Participant, co_signers: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let own = speaker.organisation.as_deref().filter(|_| speaker.role == Role::Stakeholder);
    let mut all: Vec<String> = own.into_iter().chain(co_signers).map(organisation_key).collect();
    all.sort();
    all.dedup();
    all
}

/// The organisations that have their turn through an entry or an intervention: the speaker's own
/// and the co-signers that confirmed. A pending co-signer takes nobody's turn.
fn counted<'a>(speaker: &'a Participant, co_signers: &'a [CoSigner]) -> Vec<String> {
    organisations(speaker, co_signers.iter().filter(|c| c.confirmed).map(|c| c.organisation.as_str()))
}

/// Whether a chair's or a vice-chair's command needs them to preside: everything that runs the
/// meeting, as against setting it up (agenda items and segments) or handing over.
fn presiding_business(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::AddSpeaker { .. }
            | Command::MoveEntry { .. }
            | Command::RemoveEntry { .. }
            | Command::ActivateSegment { .. }
            | Command::TakeUpItem { .. }
            | Command::CloseList { .. }
            | Command::ReopenList { .. }
            | Command::GiveFloor { .. }
            | Command::PassOver { .. }
            | Command::GiveFloorToPanellist { .. }
            | Command::PauseFloor
            | Command::ResumeFloor
            | Command::ExtendFloor { .. }
            | Command::EndFloor
            | Command::HandOverChair
    )
}

fn reject<T>(code: RejectionCode, message: impl Into<String>) -> Result<T, Rejection> {
    Err(Rejection::new(code, message))
}

impl Meeting {
    /// A meeting with no segments, at sequence 0.
    pub fn new(info: MeetingInfo) -> Self {
        Meeting {
            info,
            seq: Seq(0),
            segments: Vec::new(),
            active_segment: None,
            floor: None,
            record: Vec::new(),
            removals: Vec::new(),
            agenda: Vec::new(),
            current_item: None,
            chairing: Chairing::Chair,
            next_entry: 1,
            next_intervention: 1,
            last_item: 0,
        }
    }

    /// Gives back the room the record grew into while it was read: a vector that doubles as it
    /// is read holds up to twice what it needs, and a rebuilt meeting keeps its record for as long
    /// as it runs.
    pub fn shrink_to_fit(&mut self) {
        self.record.shrink_to_fit();
    }

    /// An agenda item by id.
    pub fn item(&self, id: AgendaItemId) -> Option<&AgendaItem> {
        self.agenda.iter().find(|i| i.id == id)
    }

    /// The item the meeting is on, if any.
    pub fn current(&self) -> Option<&AgendaItem> {
        self.current_item.and_then(|id| self.item(id))
    }

    /// The lists of an agenda item, in the order they were created.
    pub fn lists_of(&self, item: AgendaItemId) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(move |s| s.spec.item == Some(item))
    }

    /// A segment by id.
    pub fn segment(&self, id: SegmentId) -> Option<&Segment> {
        self.segments.iter().find(|s| s.id == id)
    }

    /// The active segment, if any.
    pub fn active(&self) -> Option<&Segment> {
        self.active_segment.and_then(|id| self.segment(id))
    }

    /// The waiting entry with this id and the segment it is in.
    pub fn find_entry(&self, entry: EntryId) -> Option<(&Segment, &Entry)> {
        self.segments.iter().find_map(|s| s.entries.iter().find(|e| e.id == entry).map(|e| (s, e)))
    }

    /// Whether this person may attend the meeting at all. Closed meetings admit member states, the
    /// experts on their delegations, the chair, the secretariat and observers holding a token.
    pub fn admits(&self, person: &Participant) -> Result<(), Rejection> {
        crate::policy::admits(person.role, self.info.access)
    }

    /// Decides what `cmd` by `actor` at `now` does: the events to apply, or why not. Never changes
    /// the meeting.
    pub fn handle(&self, now: Millis, actor: &Participant, cmd: Command) -> Decision {
        self.admits(actor)?;
        crate::policy::command_by_role(actor.role, &cmd)?;
        self.check_presiding(actor, &cmd)?;
        match cmd {
            Command::RequestFloor { segment, kind, presence, language, co_signers, gender, note, group } => {
                let mut speaker = actor.clone();
                speaker.profile.gender = gender;
                let note = checked_note(note)?;
                check_group(group.as_deref(), &speaker, kind)?;
                let request = Request { kind, presence, language, co_signers, note, group };
                self.request_floor(now, &speaker, segment, request)
            }
            Command::Withdraw { segment } => {
                let segment = self.resolve(segment)?;
                match segment.entry_of(&actor.id) {
                    Some(entry) => Ok(vec![Event::EntryWithdrawn { segment: segment.id, entry: entry.id }]),
                    None => reject(RejectionCode::NotInscribed, "You have no request in this list to withdraw."),
                }
            }
            Command::SetPresence { presence } => {
                let waiting = self
                    .segments
                    .iter()
                    .any(|s| s.entries.iter().any(|e| e.speaker.id == actor.id && e.presence != presence));
                Ok(if waiting {
                    vec![Event::PresenceChanged { participant: actor.id.clone(), presence }]
                } else {
                    vec![]
                })
            }
            Command::AddSpeaker { segment, mut speaker, kind, presence, language, co_signers, note, group } => {
                // A gender is only ever the speaker's own declaration, never the chair's.
                speaker.profile.gender = None;
                let note = checked_note(note)?;
                check_group(group.as_deref(), &speaker, kind)?;
                let request = Request { kind, presence, language, co_signers, note, group };
                self.add_speaker(now, actor, segment, speaker, request)
            }
            Command::ConfirmCoSigning { entry } => self.co_signing(actor, entry, true),
            Command::ConfirmReady { segment } => self.confirm_ready(actor, segment),
            Command::PassOver { entry } => self.pass_over(now, entry).map(|events| moderated_by(events, actor)),
            Command::DeclineCoSigning { entry } => self.co_signing(actor, entry, false),
            Command::MoveEntry { entry, position } => {
                let (segment, found) = self.entry(entry)?;
                // Points of order are first come, first served among themselves, so each has
                // exactly one place; say so rather than ignore the chair.
                if found.kind == RequestKind::PointOfOrder {
                    return reject(
                        RejectionCode::InvalidCommand,
                        "Points of order are taken in the order they were raised and cannot be moved; give the floor to one directly instead.",
                    );
                }
                let band = segment.band(found.kind, Some(entry));
                let position = position.clamp(band.start, band.end);
                if segment.position(entry) == Some(position) {
                    return Ok(vec![]);
                }
                Ok(vec![Event::EntryMoved { segment: segment.id, entry, position }])
            }
            Command::RemoveEntry { entry, reason } => {
                let reason = reason.as_deref().map(removal_reason).transpose()?;
                let (segment, _) = self.entry(entry)?;
                Ok(vec![Event::EntryRemoved { segment: segment.id, entry, reason }])
            }
            Command::CreateSegment { spec } => {
                spec.validate()?;
                self.check_item(spec.item)?;
                let segment = SegmentId(self.segments.len() as u32 + 1);
                Ok(vec![Event::SegmentCreated { segment, spec }])
            }
            Command::UpdateSegment { segment, spec } => {
                spec.validate()?;
                self.check_item(spec.item)?;
                let segment = self.resolve(Some(segment))?.id;
                Ok(vec![Event::SegmentUpdated { segment, spec }])
            }
            Command::ActivateSegment { segment } => {
                let segment = self.resolve(Some(segment))?.id;
                if self.active_segment == Some(segment) {
                    return Ok(vec![]);
                }
                if self.floor.is_some() {
                    return reject(
                        RejectionCode::FloorInUse,
                        "Someone has the floor: end the intervention before changing segment.",
                    );
                }
                Ok(vec![Event::SegmentActivated { segment }])
            }
            Command::AddAgendaItem { spec } => {
                let spec = self.check_number(spec, None)?;
                let item = AgendaItem { id: AgendaItemId(self.last_item + 1), number: spec.number, title: spec.title };
                Ok(vec![Event::AgendaItemAdded { item }])
            }
            Command::UpdateAgendaItem { item, spec } => {
                let id = self.agenda_item(item)?.id;
                let spec = self.check_number(spec, Some(id))?;
                let item = AgendaItem { id, number: spec.number, title: spec.title };
                Ok(if self.item(id) == Some(&item) { vec![] } else { vec![Event::AgendaItemUpdated { item }] })
            }
            Command::MoveAgendaItem { item, position } => {
                self.agenda_item(item)?;
                let position = position.min(self.agenda.len() - 1);
                if self.agenda.iter().position(|i| i.id == item) == Some(position) {
                    return Ok(vec![]);
                }
                Ok(vec![Event::AgendaItemMoved { item, position }])
            }
            Command::RemoveAgendaItem { item } => {
                let found = self.agenda_item(item)?;
                if self.current_item == Some(item) {
                    return reject(
                        RejectionCode::InvalidCommand,
                        format!("The meeting is on item {}: take up another item before removing it.", found.number),
                    );
                }
                if self.lists_of(item).next().is_some() {
                    return reject(
                        RejectionCode::InvalidCommand,
                        format!(
                            "Item {} has lists of speakers: move them to another item before removing it.",
                            found.number
                        ),
                    );
                }
                Ok(vec![Event::AgendaItemRemoved { item }])
            }
            Command::TakeUpItem { item } => {
                self.agenda_item(item)?;
                if self.current_item == Some(item) {
                    return Ok(vec![]);
                }
                if self.floor.is_some() {
                    return reject(
                        RejectionCode::FloorInUse,
                        "Someone has the floor: end the intervention before taking up another item.",
                    );
                }
                let segment = self.lists_of(item).next().map(|s| s.id);
                Ok(vec![Event::ItemTakenUp { item, segment }])
            }
            Command::CloseList { segment } => {
                let segment = self.resolve(segment)?;
                Ok(if segment.list_open { vec![Event::ListClosed { segment: segment.id }] } else { vec![] })
            }
            Command::ReopenList { segment } => {
                let segment = self.resolve(segment)?;
                Ok(if segment.list_open { vec![] } else { vec![Event::ListReopened { segment: segment.id }] })
            }
            Command::GiveFloor { entry } => self.give_floor(now, entry).map(|events| moderated_by(events, actor)),
            Command::GiveFloorToPanellist { speaker, presence, language } => {
                self.give_floor_to_panellist(now, speaker, presence, language).map(|events| moderated_by(events, actor))
            }
            Command::PauseFloor => {
                if self.speaking()?.is_paused() {
                    return reject(RejectionCode::AlreadyPaused, "The speaker's time is already paused.");
                }
                Ok(vec![Event::FloorPaused])
            }
            Command::ResumeFloor => {
                if !self.speaking()?.is_paused() {
                    return reject(
                        RejectionCode::NotPaused,
                        "The speaker's time is running; there is nothing to resume.",
                    );
                }
                Ok(vec![Event::FloorResumed])
            }
            Command::ExtendFloor { secs } => {
                self.speaking()?;
                if !(1..=1800).contains(&secs) {
                    return reject(
                        RejectionCode::InvalidCommand,
                        format!("An extension is 1 second to 30 minutes; got {secs} s."),
                    );
                }
                Ok(vec![Event::FloorExtended { by_ms: i64::from(secs) * 1000 }])
            }
            Command::EndFloor => {
                self.speaking()?;
                Ok(vec![Event::FloorEnded { by: Some(Arc::new(Moderator::from(actor))) }])
            }
            // Only the one presiding hands over (checked above).
            Command::HandOverChair => Ok(vec![Event::ChairHandedOver { by: Moderator::from(actor) }]),
            Command::TakeChair => self.take_chair(actor),
        }
    }

    /// A chair or vice-chair's command that runs the meeting, refused unless they preside: one
    /// presiding officer at a time gives the floor, so two consoles never call two speakers. The
    /// secretariat's setting up and list keeping go on whoever presides.
    fn check_presiding(&self, actor: &Participant, cmd: &Command) -> Result<(), Rejection> {
        if !actor.role.presides() || !presiding_business(cmd) || self.chairing.presiding(actor) {
            return Ok(());
        }
        let message = match (&self.chairing, actor.role) {
            (Chairing::ViceChair { vice_chair }, Role::Chair) => {
                format!("Vice-Chair {} presides: take the chair back first.", vice_chair.name)
            }
            (Chairing::HandedOver { .. }, Role::Chair) => {
                "You handed over the chair: take the chair back first.".to_string()
            }
            (Chairing::ViceChair { vice_chair }, _) => {
                format!("Vice-Chair {} presides; take the chair once they hand over.", vice_chair.name)
            }
            (Chairing::HandedOver { .. }, _) => "The chair was handed over: take the chair first.".to_string(),
            (Chairing::Chair, _) => {
                "The chair presides; a vice-chair runs the list once the chair hands over and they take the chair."
                    .to_string()
            }
        };
        reject(RejectionCode::NotPresiding, message)
    }

    fn take_chair(&self, actor: &Participant) -> Decision {
        if self.chairing.presiding(actor) {
            return Ok(vec![]);
        }
        match (&self.chairing, actor.role) {
            // The chair takes the chair back at any time.
            (_, Role::Chair) => Ok(vec![Event::ChairTaken { by: Moderator::from(actor) }]),
            (Chairing::Chair, _) => reject(
                RejectionCode::NotPresiding,
                "The chair presides: a vice-chair takes the chair once the chair hands over.",
            ),
            (Chairing::ViceChair { vice_chair }, _) => reject(
                RejectionCode::NotPresiding,
                format!("Vice-Chair {} presides; take the chair once they hand over.", vice_chair.name),
            ),
            (Chairing::HandedOver { .. }, _) => Ok(vec![Event::ChairTaken { by: Moderator::from(actor) }]),
        }
    }

    fn request_floor(
        &self,
        now: Millis,
        actor: &Participant,
        segment: Option<SegmentId>,
        request: Request,
    ) -> Decision {
        let segment = self.resolve(segment)?;
        check_inscription(segment, actor)?;
        if segment.entry_of(&actor.id).is_some() {
            return reject(
                RejectionCode::AlreadyInscribed,
                "You already have a request in this list; withdraw it first to make another.",
            );
        }
        if let Some(refusal) = segment.refuses_statements(now).filter(|_| request.kind != RequestKind::PointOfOrder) {
            return Err(refusal);
        }
        if request.kind == RequestKind::Statement {
            self.check_statements_per_delegation(segment, actor)?;
        }
        self.check_organisations(segment, actor, &request.co_signers)?;
        Ok(vec![self.entry_added(now, segment, actor.clone(), request, None)])
    }

    fn add_speaker(
        &self,
        now: Millis,
        actor: &Participant,
        segment: Option<SegmentId>,
        speaker: Participant,
        request: Request,
    ) -> Decision {
        validate_speaker(&speaker)?;
        self.admits(&speaker)?;
        let segment = self.resolve(segment)?;
        check_inscription(segment, &speaker)?;
        if segment.entry_of(&speaker.id).is_some() {
            return reject(
                RejectionCode::AlreadyInscribed,
                format!("{} already has a request in this list.", speaker.name),
            );
        }
        self.check_organisations(segment, &speaker, &request.co_signers)?;
        Ok(vec![self.entry_added(now, segment, speaker, request, Some(actor.id.clone()))])
    }

    /// The lists of the agenda item `segment` belongs to, or `segment` alone when it names none.
    fn same_item<'a>(&'a self, segment: &'a Segment) -> impl Iterator<Item = &'a Segment> + 'a {
        let item = segment.spec.item;
        self.segments.iter().filter(move |s| s.id == segment.id || (item.is_some() && s.spec.item == item))
    }

    /// The interventions made or running in the lists of `segment`'s item.
    fn interventions_on_item<'a>(&'a self, segment: &'a Segment) -> impl Iterator<Item = &'a Intervention> + 'a {
        let lists: Vec<SegmentId> = self.same_item(segment).map(|s| s.id).collect();
        self.record.iter().chain(self.floor.iter()).filter(move |i| lists.contains(&i.segment))
    }

    /// A segment capping each delegation's statements on its item refuses one more from a
    /// delegation (or organisation) that has as many waiting, speaking or made there.
    fn check_statements_per_delegation(&self, segment: &Segment, speaker: &Participant) -> Result<(), Rejection> {
        let (Some(cap), Some(own)) = (segment.spec.statements_per_delegation, voice(speaker)) else {
            return Ok(());
        };
        let same = |kind: RequestKind, who: &Participant| {
            kind == RequestKind::Statement && voice(who).as_deref() == Some(own.as_str())
        };
        let made = self.interventions_on_item(segment).filter(|i| same(i.kind, &i.speaker)).count();
        let waiting = self.same_item(segment).flat_map(|s| &s.entries).filter(|e| same(e.kind, &e.speaker)).count();
        if made + waiting < cap as usize {
            return Ok(());
        }
        let name = speaker.on_behalf_of().unwrap_or_default();
        let statements = if cap == 1 { "1 statement".to_string() } else { format!("{cap} statements") };
        reject(
            RejectionCode::StatementsLimitReached,
            format!(
                "{name} has {statements} on this agenda item, made or waiting, which is as many as each delegation has; a right of reply or a point of order is still taken."
            ),
        )
    }

    /// Co-signers make a joint statement of organisations; a segment with one speaker per
    /// organisation refuses an organisation that already has its turn there.
    fn check_organisations(
        &self,
        segment: &Segment,
        speaker: &Participant,
        co_signers: &[String],
    ) -> Result<(), Rejection> {
        if !co_signers.is_empty() && speaker.role != Role::Stakeholder {
            return reject(
                RejectionCode::InvalidCommand,
                "Only an organisation's representative makes a joint statement with co-signers.",
            );
        }
        if co_signers.len() > 50 {
            return reject(RejectionCode::InvalidCommand, "A joint statement has at most 50 co-signers.");
        }
        for co_signer in co_signers {
            crate::text::line("co-signer's name", co_signer, 200)?;
        }
        let wanted = organisations(speaker, co_signers.iter().map(String::as_str));
        if wanted.len()
            != co_signers.len() + usize::from(speaker.role == Role::Stakeholder && speaker.organisation.is_some())
        {
            return reject(
                RejectionCode::InvalidCommand,
                "An organisation is named twice among the speaker's and the co-signers.",
            );
        }
        // A co-signer that already has its turn could never confirm: say so now, to the speaker.
        let names = std::iter::once(speaker.organisation.as_deref().unwrap_or_default())
            .chain(co_signers.iter().map(String::as_str));
        self.check_turns(segment, &wanted, names)
    }

    /// In a segment with one speaker per organisation, refuses any of `wanted` (organisation keys)
    /// that already has its turn there: waiting, speaking, spoken, or a confirmed co-signer.
    /// `names` are the names as given, for the message.
    fn check_turns<'a>(
        &self,
        segment: &Segment,
        wanted: &[String],
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<(), Rejection> {
        if !segment.spec.one_per_organisation {
            return Ok(());
        }
        let floor = self.floor.iter().filter(|f| f.segment == segment.id).map(|f| counted(&f.speaker, &f.co_signers));
        let spoken = self.record.iter().filter(|f| f.segment == segment.id).map(|f| counted(&f.speaker, &f.co_signers));
        let waiting = segment.entries.iter().map(|e| counted(&e.speaker, &e.co_signers));
        let taken: Vec<String> = floor.chain(spoken).chain(waiting).flatten().collect();
        if let Some(clash) = wanted.iter().find(|w| taken.contains(w)) {
            let name = names.into_iter().find(|n| organisation_key(n) == **clash).unwrap_or(clash);
            return reject(
                RejectionCode::OrganisationAlreadyInscribed,
                format!("This segment takes one speaker per organisation, and {name} already has its turn here."),
            );
        }
        Ok(())
    }

    /// A representative of a co-signer of a waiting entry confirms (`confirm`) or declines.
    fn co_signing(&self, actor: &Participant, entry: EntryId, confirm: bool) -> Decision {
        let organisation = match (actor.role, actor.organisation.as_deref()) {
            (Role::Stakeholder, Some(organisation)) => organisation,
            _ => {
                return reject(
                    RejectionCode::NotAllowed,
                    "Only a representative of the organisation asked to co-sign can confirm or decline.",
                )
            }
        };
        let (segment, found) = self.entry(entry)?;
        let key = organisation_key(organisation);
        let Some(co_signer) = found.co_signers.iter().find(|c| organisation_key(&c.organisation) == key) else {
            return reject(
                RejectionCode::NotAllowed,
                format!("{organisation} is not asked to co-sign request {}.", entry.0),
            );
        };
        let organisation = co_signer.organisation.clone();
        if !confirm {
            return Ok(vec![Event::CoSigningDeclined { segment: segment.id, entry, organisation }]);
        }
        if co_signer.confirmed {
            return Ok(vec![]);
        }
        self.check_turns(segment, &[key], [organisation.as_str()])?;
        Ok(vec![Event::CoSigningConfirmed { segment: segment.id, entry, organisation }])
    }

    fn entry_added(
        &self,
        now: Millis,
        segment: &Segment,
        speaker: Participant,
        request: Request,
        added_by: Option<ParticipantId>,
    ) -> Event {
        let Request { kind, presence, language, co_signers, note, group } = request;
        let co_signers = co_signers.into_iter().map(|c| CoSigner::pending(c.trim())).collect();
        let entry = Entry {
            id: EntryId(self.next_entry),
            speaker,
            kind,
            presence,
            language,
            requested_at: now,
            added_by,
            co_signers,
            note,
            group,
            ready_at: None,
            passed_over: 0,
        };
        Event::EntryAdded { segment: segment.id, position: self.placement(segment, &entry), entry }
    }

    /// Where a new entry goes under the segment's ordering policy. Points of order and rights of
    /// reply join the end of their band; statements go where the policy puts them, and never
    /// displace anyone but by being placed ahead of them.
    fn placement(&self, segment: &Segment, entry: &Entry) -> usize {
        let band = segment.band(entry.kind, None);
        if entry.kind != RequestKind::Statement {
            return band.end;
        }
        let waiting = &segment.entries[band.clone()];
        // In a list that takes groups first, statements on behalf of groups of states lead the
        // statements, first come, first served among them; the others are placed behind them by
        // the list's ordering, the last group statement standing before the first of them.
        let groups =
            if segment.spec.groups_first { waiting.iter().take_while(|e| e.group.is_some()).count() } else { 0 };
        if segment.spec.groups_first && entry.group.is_some() {
            return band.start + groups;
        }
        let (band, waiting) = (band.start + groups..band.end, &waiting[groups..]);
        let last_group = groups.checked_sub(1).map(|i| &segment.entries[band.start - groups + i]);
        let ordering = segment.spec.ordering;
        let offset = match ordering {
            Ordering::FirstComeFirstServed => waiting.len(),
            Ordering::FirstTimeFirst if self.has_spoken(&entry.speaker.id) => waiting.len(),
            Ordering::FirstTimeFirst => {
                waiting.iter().rposition(|e| !self.has_spoken(&e.speaker.id)).map_or(0, |last| last + 1)
            }
            Ordering::AlternateInRoomAndRemote | Ordering::AlternateStatesAndStakeholders => {
                let of = |speaker: &Participant, presence| side(ordering, speaker, presence);
                let mine = of(&entry.speaker, entry.presence);
                let sides: Vec<Option<bool>> = waiting.iter().map(|e| of(&e.speaker, e.presence)).collect();
                // Before the first waiting statement came the last group statement waiting, or
                // else the last statement of the segment.
                let before = match last_group {
                    Some(e) => Some(of(&e.speaker, e.presence)),
                    None => self
                        .floor
                        .iter()
                        .chain(self.record.iter().rev())
                        .find(|i| i.segment == segment.id && i.kind == RequestKind::Statement)
                        .map(|i| of(&i.speaker, i.presence)),
                };
                // Behind everyone of the same side (first come, first served among them), at the
                // first place where two of the other side would otherwise follow each other.
                let from = sides.iter().rposition(|s| *s == mine).map_or(0, |last| last + 1);
                (from..sides.len())
                    .find(|&p| {
                        let previous = if p == 0 { before.flatten() } else { sides[p - 1] };
                        previous.is_some() && previous != mine && sides[p] == previous
                    })
                    .unwrap_or(sides.len())
            }
        };
        band.start + offset
    }

    /// Whether the person has had the floor in this meeting, or has it now.
    pub fn has_spoken(&self, participant: &ParticipantId) -> bool {
        self.floor.iter().chain(self.record.iter()).any(|i| &i.speaker.id == participant)
    }

    /// The speaker at the head of a list with a ready check says they are ready.
    fn confirm_ready(&self, actor: &Participant, segment: Option<SegmentId>) -> Decision {
        let segment = self.resolve(segment)?;
        let Some(entry) = segment.entry_of(&actor.id) else {
            return reject(RejectionCode::NotInscribed, "You have no request in this list.");
        };
        if !entry.asked_ready(&segment.spec) {
            return reject(
                RejectionCode::InvalidCommand,
                "This list asks no ready check of you: only remote speakers in a list with a ready check confirm.",
            );
        }
        if segment.entries.first().map(|e| e.id) != Some(entry.id) {
            return reject(RejectionCode::NotNext, "You are not next yet: your screen will ask when you are.");
        }
        if entry.ready_at.is_some() {
            return Ok(vec![]);
        }
        Ok(vec![Event::ReadyConfirmed { segment: segment.id, entry: entry.id }])
    }

    /// Passes over the request at the head of the active list, which keeps its place, and gives
    /// the floor to the next one.
    fn pass_over(&self, now: Millis, entry: EntryId) -> Decision {
        let segment = self.active().ok_or_else(no_active_segment)?;
        let Some(position) = segment.position(entry) else {
            return reject(
                RejectionCode::UnknownEntry,
                format!("Request {} is not waiting in the active segment's list.", entry.0),
            );
        };
        if position != 0 {
            return reject(RejectionCode::NotNext, "Only the request at the head of the list can be passed over.");
        }
        let Some(next) = segment.entries.get(1) else {
            return reject(
                RejectionCode::ListEmpty,
                "Nobody else is waiting: give this speaker the floor, or wait for them.",
            );
        };
        let mut events = vec![Event::EntryPassedOver { segment: segment.id, entry }];
        events.extend(self.give_floor(now, Some(next.id))?);
        Ok(events)
    }

    fn give_floor(&self, now: Millis, entry: Option<EntryId>) -> Decision {
        let segment = self.active().ok_or_else(no_active_segment)?;
        let chosen = match entry {
            None => segment
                .entries
                .first()
                .ok_or_else(|| Rejection::new(RejectionCode::ListEmpty, "The list of speakers is empty."))?,
            Some(id) => segment.entries.iter().find(|e| e.id == id).ok_or_else(|| {
                Rejection::new(
                    RejectionCode::UnknownEntry,
                    format!("Request {} is not waiting in the active segment's list.", id.0),
                )
            })?,
        };
        let start = Intervention {
            entry: Some(chosen.id),
            kind: chosen.kind,
            requested_at: Some(chosen.requested_at),
            co_signers: chosen.co_signers.clone(),
            note: chosen.note.clone(),
            group: chosen.group.clone(),
            ready_check: chosen.asked_ready(&segment.spec).then_some(if chosen.ready_at.is_some() {
                ReadyCheck::Confirmed
            } else {
                ReadyCheck::Unconfirmed
            }),
            passed_over: chosen.passed_over,
            ..self.intervention(now, segment, chosen.speaker.clone(), chosen.presence, chosen.language.clone())
        };
        self.start(now, segment, start)
    }

    fn give_floor_to_panellist(
        &self,
        now: Millis,
        speaker: Participant,
        presence: Presence,
        language: Language,
    ) -> Decision {
        validate_speaker(&speaker)?;
        if speaker.role != Role::Panellist {
            return reject(
                RejectionCode::InvalidCommand,
                "Only panellists are given the floor without inscribing; add other speakers to the list.",
            );
        }
        self.admits(&speaker)?;
        let segment = self.active().ok_or_else(no_active_segment)?;
        let start = self.intervention(now, segment, speaker, presence, language);
        self.start(now, segment, start)
    }

    /// A statement starting `now` with no list entry behind it; `start` sets its time limit.
    fn intervention(
        &self,
        now: Millis,
        segment: &Segment,
        speaker: Participant,
        presence: Presence,
        language: Language,
    ) -> Intervention {
        Intervention {
            id: InterventionId(self.next_intervention),
            segment: segment.id,
            entry: None,
            speaker: Arc::new(speaker),
            kind: RequestKind::Statement,
            presence,
            language,
            requested_at: None,
            started_at: now,
            time_limit_ms: 0,
            extended_ms: 0,
            pauses: Vec::new(),
            ended_at: None,
            co_signers: Vec::new(),
            note: None,
            group: None,
            given_by: None,
            ended_by: None,
            ready_check: None,
            passed_over: 0,
        }
    }

    /// Ends the running intervention (if any) and starts `intervention`, timed by the segment's
    /// limit and what is left of its budget.
    fn start(&self, now: Millis, segment: &Segment, mut intervention: Intervention) -> Decision {
        let running_ms = self.floor.as_ref().filter(|f| f.segment == segment.id).map_or(0, |f| f.spoken_ms(now));
        let replies_before = self
            .interventions_on_item(segment)
            .filter(|i| i.kind == RequestKind::RightOfReply && voice(&i.speaker) == voice(&intervention.speaker))
            .count();
        let limit_ms = segment.spec.time_limit_ms(intervention.kind, replies_before);
        intervention.time_limit_ms = match segment.budget_left_ms(running_ms) {
            Some(left) if left <= 0 => {
                return reject(
                    RejectionCode::BudgetExhausted,
                    "This segment's speaking time is used up: raise its budget or move to another segment.",
                )
            }
            Some(left) => limit_ms.min(left),
            None => limit_ms,
        };
        let mut events = Vec::with_capacity(2);
        if self.floor.is_some() {
            events.push(Event::FloorEnded { by: None });
        }
        events.push(Event::FloorGiven { intervention: Box::new(intervention) });
        Ok(events)
    }

    fn resolve(&self, segment: Option<SegmentId>) -> Result<&Segment, Rejection> {
        match segment {
            None => self.active().ok_or_else(no_active_segment),
            Some(id) => self.segment(id).ok_or_else(|| {
                Rejection::new(RejectionCode::UnknownSegment, format!("There is no segment {} in this meeting.", id.0))
            }),
        }
    }

    fn agenda_item(&self, item: AgendaItemId) -> Result<&AgendaItem, Rejection> {
        self.item(item).ok_or_else(|| {
            Rejection::new(RejectionCode::UnknownItem, format!("There is no agenda item {} in this meeting.", item.0))
        })
    }

    /// A segment may name an item of the agenda, or none.
    fn check_item(&self, item: Option<AgendaItemId>) -> Result<(), Rejection> {
        item.map_or(Ok(()), |item| self.agenda_item(item).map(|_| ()))
    }

    /// The spec, valid and with a number no other item of the agenda has (`except` is the item
    /// being changed).
    fn check_number(&self, spec: ItemSpec, except: Option<AgendaItemId>) -> Result<ItemSpec, Rejection> {
        let spec = spec.validate()?;
        let key = number_key(&spec.number);
        if self.agenda.iter().any(|i| Some(i.id) != except && number_key(&i.number) == key) {
            return reject(
                RejectionCode::InvalidCommand,
                format!("The agenda already has an item {}: give this one another number.", spec.number),
            );
        }
        if except.is_none() && self.agenda.len() >= MAX_AGENDA_ITEMS {
            return reject(RejectionCode::InvalidCommand, format!("An agenda holds at most {MAX_AGENDA_ITEMS} items."));
        }
        Ok(spec)
    }

    fn entry(&self, entry: EntryId) -> Result<(&Segment, &Entry), Rejection> {
        self.find_entry(entry).ok_or_else(|| {
            Rejection::new(
                RejectionCode::UnknownEntry,
                format!("Request {} is not waiting in any list (it may have been called or withdrawn).", entry.0),
            )
        })
    }

    fn speaking(&self) -> Result<&Intervention, Rejection> {
        self.floor.as_ref().ok_or_else(|| Rejection::new(RejectionCode::FloorEmpty, "Nobody has the floor."))
    }

    /// Runs a command as the server does: [`Meeting::handle`] decides, each event is stamped with
    /// the next sequence number and `now`, and [`Meeting::apply`] applies it. Returns the records
    /// to store and broadcast; a rejection leaves the meeting as it was. The one place the three
    /// steps are written: the server's meeting actor, the client's fixtures, the tests, the fuzz
    /// target and the load generator all run commands through it.
    pub fn execute(&mut self, now: Millis, actor: &Participant, cmd: Command) -> Result<Vec<EventRecord>, Rejection> {
        let events = self.handle(now, actor, cmd)?;
        let mut records = Vec::with_capacity(events.len());
        for event in events {
            let record = EventRecord { seq: self.seq.next(), at: now, event };
            self.apply(&record);
            records.push(record);
        }
        Ok(records)
    }

    /// Applies one recorded event. The only way the meeting changes; replaying a meeting's records
    /// from [`Meeting::new`] rebuilds it exactly.
    pub fn apply(&mut self, record: &EventRecord) {
        self.seq = record.seq;
        let at = record.at;
        match &record.event {
            Event::SegmentCreated { segment, spec } => self.segments.push(Segment::new(*segment, spec.clone())),
            Event::SegmentUpdated { segment, spec } => {
                if let Some(s) = self.segment_mut(*segment) {
                    s.spec = spec.clone();
                }
                // The active list moved to another item: the meeting is on that item.
                if self.active_segment == Some(*segment) && spec.item.is_some() {
                    self.current_item = spec.item;
                }
            }
            Event::SegmentActivated { segment } => {
                self.active_segment = Some(*segment);
                if let Some(item) = self.segment(*segment).and_then(|s| s.spec.item) {
                    self.current_item = Some(item);
                }
            }
            Event::AgendaItemAdded { item } => {
                self.last_item = self.last_item.max(item.id.0);
                self.agenda.push(item.clone());
            }
            Event::AgendaItemUpdated { item } => {
                if let Some(found) = self.agenda.iter_mut().find(|i| i.id == item.id) {
                    *found = item.clone();
                }
            }
            Event::AgendaItemMoved { item, position } => {
                if let Some(from) = self.agenda.iter().position(|i| i.id == *item) {
                    let moved = self.agenda.remove(from);
                    let position = (*position).min(self.agenda.len());
                    self.agenda.insert(position, moved);
                }
            }
            Event::AgendaItemRemoved { item } => self.agenda.retain(|i| i.id != *item),
            Event::ChairHandedOver { by } => self.chairing = Chairing::HandedOver { by: by.clone() },
            Event::ChairTaken { by } => {
                self.chairing = match by.role {
                    Role::ViceChair => Chairing::ViceChair { vice_chair: by.clone() },
                    _ => Chairing::Chair,
                };
            }
            Event::ItemTakenUp { item, segment } => {
                self.current_item = Some(*item);
                self.active_segment = *segment;
            }
            Event::ListClosed { segment } | Event::ListReopened { segment } => {
                let open = matches!(record.event, Event::ListReopened { .. });
                if let Some(s) = self.segment_mut(*segment) {
                    s.list_open = open;
                }
            }
            Event::EntryAdded { segment, entry, position } => {
                self.next_entry = self.next_entry.max(entry.id.0 + 1);
                self.removals.retain(|r| !(r.segment == *segment && r.speaker == entry.speaker.id));
                if let Some(s) = self.segment_mut(*segment) {
                    let position = (*position).min(s.entries.len());
                    s.entries.insert(position, entry.clone());
                }
            }
            Event::EntryWithdrawn { segment, entry } => {
                if let Some(s) = self.segment_mut(*segment) {
                    s.entries.retain(|e| e.id != *entry);
                }
            }
            Event::EntryRemoved { segment, entry, reason } => {
                let speaker = self.segment(*segment).and_then(|s| s.entries.iter().find(|e| e.id == *entry));
                if let Some(speaker) = speaker.map(|e| e.speaker.id.clone()) {
                    self.removals.retain(|r| !(r.segment == *segment && r.speaker == speaker));
                    self.removals.push(Removal { segment: *segment, speaker, reason: reason.clone(), at });
                }
                if let Some(s) = self.segment_mut(*segment) {
                    s.entries.retain(|e| e.id != *entry);
                }
            }
            Event::EntryMoved { segment, entry, position } => {
                if let Some(s) = self.segment_mut(*segment) {
                    if let Some(from) = s.position(*entry) {
                        let moved = s.entries.remove(from);
                        let position = (*position).min(s.entries.len());
                        s.entries.insert(position, moved);
                    }
                }
            }
            Event::CoSigningConfirmed { segment, entry, organisation } => {
                let entry = self.segment_mut(*segment).and_then(|s| s.entries.iter_mut().find(|e| e.id == *entry));
                for co_signer in entry.into_iter().flat_map(|e| &mut e.co_signers) {
                    if &co_signer.organisation == organisation {
                        co_signer.confirmed = true;
                    }
                }
            }
            Event::CoSigningDeclined { segment, entry, organisation } => {
                let entry = self.segment_mut(*segment).and_then(|s| s.entries.iter_mut().find(|e| e.id == *entry));
                if let Some(entry) = entry {
                    entry.co_signers.retain(|c| &c.organisation != organisation);
                }
            }
            Event::PresenceChanged { participant, presence } => {
                for entry in self.segments.iter_mut().flat_map(|s| s.entries.iter_mut()) {
                    if &entry.speaker.id == participant {
                        entry.presence = *presence;
                    }
                }
            }
            Event::FloorGiven { intervention } => {
                if let Some(entry) = intervention.entry {
                    for s in &mut self.segments {
                        s.entries.retain(|e| e.id != entry);
                    }
                }
                self.next_intervention = self.next_intervention.max(intervention.id.0 + 1);
                self.floor = Some(intervention.as_ref().clone());
            }
            Event::ReadyConfirmed { segment, entry } => {
                let entry = self.segment_mut(*segment).and_then(|s| s.entries.iter_mut().find(|e| e.id == *entry));
                if let Some(entry) = entry {
                    entry.ready_at = Some(at);
                }
            }
            Event::EntryPassedOver { segment, entry } => {
                let entry = self.segment_mut(*segment).and_then(|s| s.entries.iter_mut().find(|e| e.id == *entry));
                if let Some(entry) = entry {
                    entry.passed_over += 1;
                }
            }
            Event::FloorPaused => {
                if let Some(floor) = &mut self.floor {
                    floor.pauses.push(Pause { from: at, to: None });
                }
            }
            Event::FloorResumed => {
                if let Some(pause) = self.floor.as_mut().and_then(|f| f.pauses.last_mut()) {
                    pause.to.get_or_insert(at);
                }
            }
            Event::FloorExtended { by_ms } => {
                if let Some(floor) = &mut self.floor {
                    floor.extended_ms += by_ms;
                }
            }
            Event::FloorEnded { by } => {
                if let Some(mut ended) = self.floor.take() {
                    ended.ended_by = by.clone();
                    if let Some(pause) = ended.pauses.last_mut() {
                        pause.to.get_or_insert(at);
                    }
                    ended.ended_at = Some(at);
                    let spoken = ended.spoken_ms(at);
                    if let Some(s) = self.segment_mut(ended.segment) {
                        s.used_ms += spoken;
                    }
                    self.record.push(ended);
                }
            }
        }
    }

    fn segment_mut(&mut self, id: SegmentId) -> Option<&mut Segment> {
        self.segments.iter_mut().find(|s| s.id == id)
    }
}

/// Whom a speaker speaks for, as delegations and organisations are compared: the delegation of a
/// delegate or expert, the organisation of a stakeholder or panellist. `None` for anyone else.
fn voice(speaker: &Participant) -> Option<String> {
    speaker.on_behalf_of().map(organisation_key)
}

fn no_active_segment() -> Rejection {
    Rejection::new(RejectionCode::NoActiveSegment, "No segment is active yet: the chair opens one first.")
}

fn check_inscription(segment: &Segment, speaker: &Participant) -> Result<(), Rejection> {
    if segment.spec.inscription.admits(speaker.role) {
        return Ok(());
    }
    let why = match segment.spec.inscription {
        Inscription::MemberStates => "is reserved for member states and the experts on their delegations",
        Inscription::Stakeholders => "is a stakeholder segment, reserved for accredited organisations",
        Inscription::All => "takes requests from delegations and accredited organisations only",
    };
    reject(RejectionCode::SegmentNotOpenToYou, format!("The segment \"{}\" {why}.", segment.spec.title))
}

fn validate_speaker(speaker: &Participant) -> Result<(), Rejection> {
    crate::text::line("speaker's name", &speaker.name, 120)?;
    if let Some(delegation) = &speaker.delegation {
        crate::text::line("speaker's delegation", delegation, 200)?;
    }
    if let Some(organisation) = &speaker.organisation {
        crate::text::line("speaker's organisation", organisation, 200)?;
    }
    if let Some(country) = &speaker.profile.country {
        crate::text::line("speaker's country", country, 100)?;
    }
    if speaker.on_behalf_of().is_none() && speaker.role != Role::Panellist {
        return reject(RejectionCode::InvalidCommand, "A speaker needs the delegation or organisation they speak for.");
    }
    Ok(())
}
