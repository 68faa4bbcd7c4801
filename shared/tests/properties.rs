//! Properties of the speaking queue over random sequences of commands: whatever the participants
//! and the chair do, in whatever order, every list keeps the rules of procedure, at most one person
//! speaks, time is counted honestly, and the log rebuilds the state exactly.
//!
//! Each property walks a generated sitting step by step and checks itself after every step.
//! `the_lists_follow_a_reference_model` also runs a tiny independent model of the lists beside the
//! real meeting and compares them after every command.

use std::collections::{BTreeMap, HashSet};

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, RngAlgorithm, TestCaseError, TestError, TestRunner};
use shared::strategies::{self, Step};
use shared::text::organisation_key;
use shared::{
    Access, AgendaItemId, CoSigner, Command, EntryId, Event, EventRecord, Inscription, Meeting, MeetingInfo, Millis,
    Ordering, Participant, ParticipantId, Presence, Rejection, RequestKind, Role, SegmentId, Seq,
};

/// Cases per property: several hundred sittings of up to [`MAX_STEPS`] random commands each.
const CASES: u32 = 500;
/// Random commands per sitting, after the opening.
const MAX_STEPS: usize = 60;
/// 1 January 2026, when every generated sitting starts.
const START: Millis = strategies::SITTING_STARTS;

/// What one step of a sitting did.
struct Visit<'a> {
    before: &'a Meeting,
    after: &'a Meeting,
    /// Time of the previous step (the start for the first one).
    previous: Millis,
    now: Millis,
    step: &'a Step,
    outcome: &'a Result<Vec<EventRecord>, Rejection>,
    /// Every record so far, this step's included.
    log: &'a [EventRecord],
}

/// Plays `steps` on a new meeting as the server would, calling `check` after each.
fn walk(
    info: MeetingInfo,
    steps: &[Step],
    mut check: impl FnMut(&Visit<'_>) -> Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    let mut meeting = Meeting::new(info);
    let mut log = Vec::new();
    let mut now = START;
    for step in steps {
        let previous = now;
        now = Millis(now.0 + step.after_ms);
        let before = meeting.clone();
        let outcome = meeting.execute(now, &step.actor, step.command.clone());
        if let Ok(records) = &outcome {
            log.extend(records.iter().cloned());
        }
        check(&Visit { before: &before, after: &meeting, previous, now, step, outcome: &outcome, log: &log })?;
    }
    Ok(())
}

/// Failing cases go to `shared/proptest-regressions/properties.txt` (tests run in the package's
/// directory), which is committed so that every run replays them first. XorShift rather than the
/// default ChaCha because generation dominates the run time in debug builds, ninefold.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        rng_algorithm: RngAlgorithm::XorShift,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/properties.txt"))),
        source_file: Some(file!()),
        ..ProptestConfig::default()
    }
}

/// Runs `test` on [`CASES`] generated sittings. On failure proptest shrinks the sitting, and the
/// panic shows the smallest one that still fails as a transcript, one command a line.
fn for_every_sitting(test: impl Fn(MeetingInfo, &[Step]) -> Result<(), TestCaseError>) {
    let mut runner = TestRunner::new(config());
    let sittings = (strategies::meeting_info(), strategies::session(MAX_STEPS));
    match runner.run(&sittings, |(info, steps)| test(info, &steps)) {
        Ok(()) => {}
        Err(TestError::Fail(reason, (info, steps))) => {
            let transcript: String = steps.iter().map(|step| format!("\n    {step:?}")).collect();
            panic!("{reason}\nsmallest failing sitting ({:?} meeting):{transcript}", info.access);
        }
        Err(TestError::Abort(reason)) => panic!("proptest gave up: {reason}"),
    }
}

/// Runs `check` after every step of every generated sitting.
fn after_every_step(check: impl Fn(&Visit<'_>) -> Result<(), TestCaseError>) {
    for_every_sitting(|info, steps| walk(info, steps, &check));
}

#[test]
fn at_most_one_person_has_the_floor_and_they_wait_in_no_list() {
    after_every_step(|v| {
        if let Some(floor) = &v.after.floor {
            prop_assert_eq!(floor.ended_at, None, "the running intervention has no end");
            if let Some(entry) = floor.entry {
                prop_assert!(v.after.find_entry(entry).is_none(), "entry {:?} has the floor and still waits", entry);
            }
            prop_assert_eq!(Some(floor.segment), v.after.active_segment, "the floor belongs to the active segment");
        }
        prop_assert!(v.after.record.iter().all(|i| i.ended_at.is_some()), "the record holds ended interventions only");
        Ok(())
    });
}

#[test]
fn the_active_list_belongs_to_the_item_the_meeting_is_on() {
    after_every_step(|v| {
        if let Some(item) = v.after.active().and_then(|s| s.spec.item) {
            prop_assert_eq!(v.after.current_item, Some(item), "after {:?}", v.step);
        }
        if let Some(current) = v.after.current_item {
            prop_assert!(v.after.item(current).is_some(), "the current item is on the agenda");
        }
        Ok(())
    });
}

#[test]
fn nobody_is_ever_twice_in_one_list() {
    after_every_step(|v| {
        for segment in &v.after.segments {
            let mut seen = HashSet::new();
            for entry in &segment.entries {
                prop_assert!(seen.insert(&entry.speaker.id), "{} is twice in {:?}", entry.speaker.id, segment.id);
            }
        }
        Ok(())
    });
}

#[test]
fn every_list_keeps_points_of_order_then_statements_then_rights_of_reply() {
    after_every_step(|v| {
        for segment in &v.after.segments {
            let kinds: Vec<RequestKind> = segment.entries.iter().map(|e| e.kind).collect();
            prop_assert!(kinds.windows(2).all(|w| w[0] <= w[1]), "{:?} is out of band order: {:?}", segment.id, kinds);
        }
        Ok(())
    });
}

#[test]
fn points_of_order_stay_first_come_first_served() {
    after_every_step(|v| {
        for segment in &v.after.segments {
            let order: Vec<(Millis, EntryId)> = segment
                .entries
                .iter()
                .filter(|e| e.kind == RequestKind::PointOfOrder)
                .map(|e| (e.requested_at, e.id))
                .collect();
            prop_assert!(
                order.windows(2).all(|w| w[0] < w[1]),
                "{:?}: points of order out of turn: {:?}",
                segment.id,
                order
            );
        }
        Ok(())
    });
}

#[test]
fn entry_ids_are_never_reused_in_a_meeting() {
    after_every_step(|v| {
        let mut issued = HashSet::new();
        for record in v.log {
            if let Event::EntryAdded { entry, .. } = &record.event {
                prop_assert!(issued.insert(entry.id), "entry id {:?} issued twice", entry.id);
            }
        }
        let mut waiting = HashSet::new();
        for entry in v.after.segments.iter().flat_map(|s| &s.entries) {
            prop_assert!(issued.contains(&entry.id), "entry id {:?} waits but was never issued", entry.id);
            prop_assert!(waiting.insert(entry.id), "entry id {:?} waits in two places", entry.id);
        }
        Ok(())
    });
}

#[test]
fn sequence_numbers_count_up_by_one_without_gaps() {
    after_every_step(|v| {
        let mut expected = v.before.seq;
        for record in v.outcome.iter().flatten() {
            expected = expected.next();
            prop_assert_eq!(record.seq, expected);
            prop_assert_eq!(record.at, v.now);
        }
        prop_assert_eq!(v.after.seq, expected);
        prop_assert_eq!(v.after.seq, Seq(v.log.len() as u64));
        Ok(())
    });
}

#[test]
fn a_refused_or_empty_command_changes_nothing() {
    after_every_step(|v| {
        match v.outcome {
            Err(rejection) => {
                prop_assert_eq!(
                    v.before,
                    v.after,
                    "{:?} was refused ({:?}) yet changed the meeting",
                    v.step,
                    rejection.code
                )
            }
            Ok(records) if records.is_empty() => {
                prop_assert_eq!(v.before, v.after, "{:?} had no events yet changed the meeting", v.step)
            }
            Ok(_) => {}
        }
        Ok(())
    });
}

#[test]
fn replaying_the_log_rebuilds_the_live_meeting() {
    after_every_step(|v| {
        let mut replayed = Meeting::new(v.after.info.clone());
        for record in v.log {
            replayed.apply(record);
        }
        prop_assert_eq!(&replayed, v.after);
        Ok(())
    });
}

#[test]
fn a_snapshot_taken_at_any_step_and_the_events_after_it_rebuild_the_live_meeting() {
    // What a restart does: the state at some earlier step, through JSON as the store keeps it,
    // then the events that came after it.
    after_every_step(|v| {
        let at = v.log.len() / 2;
        let mut earlier = Meeting::new(v.after.info.clone());
        for record in &v.log[..at] {
            earlier.apply(record);
        }
        let json = serde_json::to_string(&earlier).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut rebuilt: Meeting = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for record in &v.log[at..] {
            rebuilt.apply(record);
        }
        prop_assert_eq!(&rebuilt, v.after);
        Ok(())
    });
}

#[test]
fn a_snapshot_round_trips_through_json() {
    fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> Result<T, TestCaseError> {
        let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))
    }
    after_every_step(|v| {
        prop_assert_eq!(&round_trip(v.after)?, v.after);
        for record in v.outcome.iter().flatten() {
            prop_assert_eq!(&round_trip(record)?, record);
        }
        Ok(())
    });
}

#[test]
fn the_floor_never_gains_time_except_by_an_extension() {
    after_every_step(|v| {
        if let Some(floor) = &v.before.floor {
            let (then, now) = (floor.remaining_ms(v.previous), floor.remaining_ms(v.now));
            if floor.is_paused() {
                prop_assert_eq!(now, then, "a paused clock does not move");
            } else {
                prop_assert!(now <= then, "the clock went backwards: {} ms left, then {} ms", then, now);
                prop_assert_eq!(then - now, v.now.since(v.previous), "a running clock counts real time");
            }
        }
        if let (Some(was), Some(is)) = (&v.before.floor, &v.after.floor) {
            if was.id == is.id {
                let extended: i64 = v
                    .outcome
                    .iter()
                    .flatten()
                    .map(|r| if let Event::FloorExtended { by_ms } = r.event { by_ms } else { 0 })
                    .sum();
                prop_assert_eq!(is.remaining_ms(v.now), was.remaining_ms(v.now) + extended);
            }
        }
        Ok(())
    });
}

#[test]
fn each_segment_has_used_exactly_what_its_interventions_spoke() {
    after_every_step(|v| {
        let from_the_log = spoken_per_segment(v.log);
        for segment in &v.after.segments {
            let in_the_record: i64 =
                v.after.record.iter().filter(|i| i.segment == segment.id).map(|i| i.spoken_ms(v.now)).sum();
            prop_assert_eq!(segment.used_ms, in_the_record, "{:?} against its record", segment.id);
            let logged = from_the_log.get(&segment.id).copied().unwrap_or(0);
            prop_assert_eq!(segment.used_ms, logged, "{:?} against the log's times", segment.id);
        }
        Ok(())
    });
}

#[test]
fn no_intervention_is_given_more_than_the_limit_or_the_budget_left() {
    after_every_step(|v| {
        for record in v.outcome.iter().flatten() {
            if let Event::FloorGiven { intervention } = &record.event {
                let segment = v.after.segment(intervention.segment).expect("the floor's segment exists");
                let given = intervention.time_limit_ms;
                prop_assert!(given > 0);
                // A delegation's second right of reply on an item has the second limit.
                let spec = &segment.spec;
                let on_item = |s: SegmentId| {
                    s == segment.id
                        || (spec.item.is_some() && v.before.segment(s).is_some_and(|s| s.spec.item == spec.item))
                };
                let own = voice(&intervention.speaker);
                let replies_before = v
                    .before
                    .record
                    .iter()
                    .chain(v.before.floor.iter())
                    .filter(|i| i.kind == RequestKind::RightOfReply && on_item(i.segment) && voice(&i.speaker) == own)
                    .count();
                let limit_secs = match intervention.kind {
                    RequestKind::Statement => None,
                    RequestKind::PointOfOrder => spec.point_of_order_secs,
                    RequestKind::RightOfReply if replies_before > 0 => {
                        spec.second_reply_secs.or(spec.right_of_reply_secs)
                    }
                    RequestKind::RightOfReply => spec.right_of_reply_secs,
                }
                .unwrap_or(spec.time_limit_secs);
                let limit_ms = i64::from(limit_secs) * 1000;
                prop_assert!(
                    given <= limit_ms,
                    "{} ms given, {} ms the limit of a {:?}",
                    given,
                    limit_ms,
                    intervention.kind
                );
                prop_assert!(given == limit_ms || spec.budget_secs.is_some(), "only a budget shortens the limit");
                if let Some(left) = segment.budget_left_ms(0) {
                    prop_assert!(given <= left, "{} ms given, {} ms left", given, left);
                }
            }
        }
        Ok(())
    });
}

#[test]
fn the_lists_follow_a_reference_model() {
    for_every_sitting(|info, steps| {
        let mut model = Model::new(info.access);
        walk(info, steps, |v| {
            if let Some(accepted) = model.accepts(&v.step.actor, &v.step.command, v.now) {
                prop_assert_eq!(v.outcome.is_ok(), accepted, "the model disagrees on {:?}: {:?}", v.step, v.outcome);
            }
            if v.outcome.is_ok() {
                model.apply(v.step, v.after);
            }
            prop_assert_eq!(model.active, v.after.active_segment);
            prop_assert_eq!(model.current, v.after.current_item);
            let agenda: Vec<AgendaItemId> = v.after.agenda.iter().map(|i| i.id).collect();
            prop_assert_eq!(model.items.iter().map(|(id, _)| *id).collect::<Vec<_>>(), agenda);
            prop_assert_eq!(model.floor, v.after.floor.is_some());
            prop_assert_eq!(model.lists.len(), v.after.segments.len());
            for (list, segment) in model.lists.iter().zip(&v.after.segments) {
                let real: Vec<Waiting> = segment.entries.iter().map(|e| (e.id, e.speaker.id.clone(), e.kind)).collect();
                prop_assert_eq!(&list.waiting(), &real, "{:?} after {:?}", segment.id, v.step);
                for (model, entry) in list.entries.iter().zip(&segment.entries) {
                    let real: Vec<(String, bool)> =
                        entry.co_signers.iter().map(|c| (organisation_key(&c.organisation), c.confirmed)).collect();
                    prop_assert_eq!(&model.co_signers, &real, "co-signers of {:?} after {:?}", entry.id, v.step);
                    prop_assert_eq!(&model.note, &entry.note, "note of {:?} after {:?}", entry.id, v.step);
                }
            }
            Ok(())
        })
    });
}

/// Speaking time per segment computed from the log's timestamps alone.
fn spoken_per_segment(log: &[EventRecord]) -> BTreeMap<SegmentId, i64> {
    let mut spoken = BTreeMap::new();
    // (segment, started_at, paused since, paused so far)
    let mut running: Option<(SegmentId, Millis, Option<Millis>, i64)> = None;
    for record in log {
        match (&record.event, &mut running) {
            (Event::FloorGiven { intervention }, _) => running = Some((intervention.segment, record.at, None, 0)),
            (Event::FloorPaused, Some((_, _, since, _))) => *since = Some(record.at),
            (Event::FloorResumed, Some((_, _, since, paused))) => {
                *paused += since.take().map_or(0, |s| record.at.since(s))
            }
            (Event::FloorEnded { .. }, Some((segment, started, since, paused))) => {
                let paused = *paused + since.map_or(0, |s| record.at.since(s));
                *spoken.entry(*segment).or_insert(0) += record.at.since(*started) - paused;
                running = None;
            }
            _ => {}
        }
    }
    spoken
}

/// A waiting entry as the model sees it: its id, who, and what for.
type Waiting = (EntryId, ParticipantId, RequestKind);

/// A waiting entry of the model, with what the ordering policies look at.
struct ModelEntry {
    id: EntryId,
    person: ParticipantId,
    /// Whom the person speaks for, as compared.
    voice: Option<String>,
    kind: RequestKind,
    presence: Presence,
    for_a_state: bool,
    /// Organisation keys of the co-signers, and whether each confirmed.
    co_signers: Vec<(String, bool)>,
    /// The request's note as kept: trimmed, none when blank.
    note: Option<String>,
    /// Whether it is a statement on behalf of a group of states.
    for_a_group: bool,
}

/// One list of the reference model.
struct ModelList {
    inscription: Inscription,
    open: bool,
    /// One speaker per organisation: the model does not follow organisations, so it only checks
    /// that such a list refuses whatever an ordinary list would.
    one_per_organisation: bool,
    ordering: Ordering,
    /// The longest the list may be for a participant's statement or right of reply.
    max_waiting: Option<u32>,
    /// The agenda item whose list this is.
    item: Option<AgendaItemId>,
    /// When participants' statements and rights of reply are first taken.
    opens_at: Option<Millis>,
    /// The most statements a delegation makes on the item.
    statements_per_delegation: Option<u32>,
    /// Statements on behalf of groups lead the statements.
    groups_first: bool,
    /// Remote speakers at the head confirm they are ready.
    ready_check: bool,
    /// Presence and side of the last statement given the floor in this segment.
    last_statement: Option<(Presence, bool)>,
    entries: Vec<ModelEntry>,
}

impl ModelList {
    fn waiting(&self) -> Vec<Waiting> {
        self.entries.iter().map(|e| (e.id, e.person.clone(), e.kind)).collect()
    }

    /// Whether a participant's statement or right of reply is taken: the list is open and not full.
    fn takes_statements(&self, now: Millis) -> bool {
        self.open
            && self.max_waiting.is_none_or(|max| self.entries.len() < max as usize)
            && self.opens_at.is_none_or(|at| now >= at)
    }
}

/// Who presides, as the model follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ModelChair {
    Chair,
    HandedOver,
    ViceChair(ParticipantId),
}

/// An independent model of the lists: which commands they take, and in what order people wait.
/// It knows nothing of time, so it leaves the floor's budget to the real meeting and follows its
/// decision there.
struct Model {
    access: Access,
    lists: Vec<ModelList>,
    active: Option<SegmentId>,
    floor: bool,
    next_entry: u64,
    /// Everyone who has had the floor in the meeting.
    spoken: HashSet<ParticipantId>,
    /// Every statement given the floor: its list and whom the speaker spoke for.
    statements: Vec<(SegmentId, Option<String>)>,
    /// The agenda in order: each item's id and its number as compared (no spaces, lower case).
    items: Vec<(AgendaItemId, String)>,
    /// The item the meeting is on.
    current: Option<AgendaItemId>,
    /// The highest item id given.
    last_item: u32,
    /// Who is in the chair.
    chairing: ModelChair,
}

/// Whom a person speaks for, as the model compares delegations and organisations.
fn voice(person: &Participant) -> Option<String> {
    person.on_behalf_of().map(organisation_key)
}

/// An item's number as the model compares numbers.
fn number_key(number: &str) -> String {
    number.split_whitespace().collect::<String>().to_lowercase()
}

impl Model {
    fn new(access: Access) -> Self {
        Model {
            access,
            lists: Vec::new(),
            active: None,
            floor: false,
            next_entry: 1,
            spoken: HashSet::new(),
            statements: Vec::new(),
            items: Vec::new(),
            current: None,
            last_item: 0,
            chairing: ModelChair::Chair,
        }
    }

    fn has_item(&self, item: AgendaItemId) -> bool {
        self.items.iter().any(|(id, _)| *id == item)
    }

    /// Whether an item may take this spec: a valid one, with a number no other item has.
    fn item_takes(&self, spec: &shared::ItemSpec, except: Option<AgendaItemId>) -> bool {
        let key = number_key(&spec.number);
        spec.validate().is_ok() && !self.items.iter().any(|(id, k)| Some(*id) != except && *k == key)
    }

    fn list(&self, segment: Option<SegmentId>) -> Option<&ModelList> {
        let id = segment.or(self.active)?;
        self.lists.get(id.0 as usize - 1)
    }

    fn list_mut(&mut self, segment: Option<SegmentId>) -> &mut ModelList {
        let id = segment.or(self.active).expect("an accepted command found its segment");
        &mut self.lists[id.0 as usize - 1]
    }

    /// Whether `person` is in the chair: the chair until they hand over, the vice-chair who took it.
    fn presides(&self, person: &Participant) -> bool {
        match (&self.chairing, person.role) {
            (ModelChair::Chair, Role::Chair) => true,
            (ModelChair::ViceChair(id), Role::ViceChair) => *id == person.id,
            _ => false,
        }
    }

    fn attends(&self, person: &Participant) -> bool {
        self.access == Access::Open || !matches!(person.role, Role::Stakeholder | Role::Panellist)
    }

    fn waiting(&self, entry: EntryId) -> bool {
        self.kind_of(entry).is_some()
    }

    fn kind_of(&self, entry: EntryId) -> Option<RequestKind> {
        self.entry(entry).map(|e| e.kind)
    }

    fn entry(&self, entry: EntryId) -> Option<&ModelEntry> {
        self.lists.iter().flat_map(|l| &l.entries).find(|e| e.id == entry)
    }

    /// The list an entry waits in.
    fn list_of(&self, entry: EntryId) -> Option<&ModelList> {
        self.lists.iter().find(|l| l.entries.iter().any(|e| e.id == entry))
    }

    /// Whether `actor` represents an organisation named as a co-signer of `entry`, and whether it
    /// already confirmed.
    fn co_signer(&self, actor: &Participant, entry: EntryId) -> Option<bool> {
        let key = actor.organisation.as_deref().filter(|_| actor.role == Role::Stakeholder).map(organisation_key)?;
        self.entry(entry)?.co_signers.iter().find(|(k, _)| *k == key).map(|(_, confirmed)| *confirmed)
    }

    fn may_join(&self, segment: Option<SegmentId>, person: &Participant) -> bool {
        self.attends(person)
            && self.list(segment).is_some_and(|l| {
                let admitted = match l.inscription {
                    Inscription::MemberStates => matches!(person.role, Role::Delegate | Role::Expert),
                    Inscription::Stakeholders => person.role == Role::Stakeholder,
                    Inscription::All => matches!(person.role, Role::Delegate | Role::Expert | Role::Stakeholder),
                };
                admitted && !l.entries.iter().any(|e| e.person == person.id)
            })
    }

    /// Whether the meeting should take the command, or `None` where the model does not judge
    /// (giving the floor depends on time and budgets).
    /// The ids of the lists of the item `segment` is a list of (itself alone when it has none).
    fn same_item(&self, segment: SegmentId) -> Vec<SegmentId> {
        let item = self.lists[segment.0 as usize - 1].item;
        (1..=self.lists.len() as u32)
            .map(SegmentId)
            .filter(|s| *s == segment || (item.is_some() && self.lists[s.0 as usize - 1].item == item))
            .collect()
    }

    /// Whether a statement by `person` in `segment` stays within its cap on the item.
    fn under_cap(&self, segment: Option<SegmentId>, person: &Participant) -> bool {
        let Some(id) = segment.or(self.active) else { return true };
        let (Some(cap), Some(own)) = (self.lists[id.0 as usize - 1].statements_per_delegation, voice(person)) else {
            return true;
        };
        let lists = self.same_item(id);
        let made = self.statements.iter().filter(|(s, v)| lists.contains(s) && v.as_ref() == Some(&own)).count();
        let waiting = lists
            .iter()
            .flat_map(|s| &self.lists[s.0 as usize - 1].entries)
            .filter(|e| e.kind == RequestKind::Statement && e.voice.as_ref() == Some(&own))
            .count();
        made + waiting < cap as usize
    }

    fn accepts(&self, actor: &Participant, command: &Command, now: Millis) -> Option<bool> {
        // Setting up: the chair, a vice-chair, the secretariat, whoever presides.
        let sets_up = actor.role.moderates();
        // Keeping the lists: the secretariat, and the chair or a vice-chair while presiding.
        let chair = sets_up && (actor.role == Role::Secretariat || self.presides(actor));
        // The floor: whoever presides, and nobody else.
        let floor = self.presides(actor);
        // A note of more than 100 characters is refused, whoever sends it.
        if let Command::RequestFloor { note: Some(note), .. } | Command::AddSpeaker { note: Some(note), .. } = command {
            if note.trim().chars().count() > shared::MAX_NOTE_CHARS {
                return Some(false);
            }
        }
        // A group must be known, and spoken for by a delegate, in a statement.
        let group = match command {
            Command::RequestFloor { group: Some(group), kind, .. } => Some((group, actor, kind)),
            Command::AddSpeaker { group: Some(group), speaker, kind, .. } => Some((group, speaker, kind)),
            _ => None,
        };
        if let Some((group, speaker, kind)) = group {
            if shared::delegations::group(group).is_none()
                || speaker.role != Role::Delegate
                || *kind != RequestKind::Statement
            {
                return Some(false);
            }
        }
        let accepted = self.attends(actor)
            && match command {
                Command::RequestFloor { segment, kind, .. } => {
                    self.may_join(*segment, actor)
                        && (*kind == RequestKind::PointOfOrder
                            || self.list(*segment).is_some_and(|l| l.takes_statements(now)))
                        && (*kind != RequestKind::Statement || self.under_cap(*segment, actor))
                }
                Command::Withdraw { segment } => {
                    self.list(*segment).is_some_and(|l| l.entries.iter().any(|e| e.person == actor.id))
                }
                Command::SetPresence { .. } => true,
                // Only the remote speaker at the head of a list with a ready check confirms.
                Command::ConfirmReady { segment } => self.list(*segment).is_some_and(|l| {
                    l.ready_check
                        && l.entries.iter().any(|e| e.person == actor.id)
                        && l.entries.first().is_some_and(|e| e.person == actor.id && e.presence == Presence::Remote)
                }),
                Command::ConfirmCoSigning { entry } => match self.co_signer(actor, *entry) {
                    // Confirming counts the organisation against the cap, which the model does not
                    // follow.
                    Some(false) if self.list_of(*entry).is_some_and(|l| l.one_per_organisation) => return None,
                    found => found.is_some(),
                },
                Command::DeclineCoSigning { entry } => self.co_signer(actor, *entry).is_some(),
                Command::AddSpeaker { segment, speaker, .. } => chair && self.may_join(*segment, speaker),
                Command::MoveEntry { entry, .. } => {
                    chair && self.waiting(*entry) && self.kind_of(*entry) != Some(RequestKind::PointOfOrder)
                }
                Command::RemoveEntry { entry, reason } => {
                    chair && self.waiting(*entry) && reason.as_deref().is_none_or(|r| shared::removal_reason(r).is_ok())
                }
                Command::CreateSegment { spec } => {
                    sets_up && spec.validate().is_ok() && spec.item.is_none_or(|i| self.has_item(i))
                }
                Command::UpdateSegment { segment, spec } => {
                    sets_up
                        && spec.validate().is_ok()
                        && spec.item.is_none_or(|i| self.has_item(i))
                        && self.list(Some(*segment)).is_some()
                }
                Command::AddAgendaItem { spec } => {
                    sets_up && self.item_takes(spec, None) && self.items.len() < shared::MAX_AGENDA_ITEMS
                }
                Command::UpdateAgendaItem { item, spec } => {
                    sets_up && self.has_item(*item) && self.item_takes(spec, Some(*item))
                }
                Command::MoveAgendaItem { item, .. } => sets_up && self.has_item(*item),
                Command::RemoveAgendaItem { item } => {
                    sets_up
                        && self.has_item(*item)
                        && self.current != Some(*item)
                        && !self.lists.iter().any(|l| l.item == Some(*item))
                }
                Command::TakeUpItem { item } => {
                    chair && self.has_item(*item) && (self.current == Some(*item) || !self.floor)
                }
                Command::ActivateSegment { segment } => {
                    chair && self.list(Some(*segment)).is_some() && (self.active == Some(*segment) || !self.floor)
                }
                Command::CloseList { segment } | Command::ReopenList { segment } => {
                    chair && self.list(*segment).is_some()
                }
                Command::GiveFloor { .. } | Command::GiveFloorToPanellist { .. } if !floor => false,
                // Passing over needs the head of the active list and someone after it; the floor
                // then goes as `give_floor` gives it (its budget is not the model's business).
                Command::PassOver { entry } => {
                    let head = self.list(None).is_some_and(|l| l.entries.len() >= 2 && l.entries[0].id == *entry);
                    if !(floor && head) {
                        return Some(false);
                    }
                    return None;
                }
                Command::PauseFloor | Command::ResumeFloor if !floor => false,
                Command::GiveFloor { .. } | Command::GiveFloorToPanellist { .. } => return None,
                Command::PauseFloor | Command::ResumeFloor => return None,
                Command::ExtendFloor { secs } => floor && self.floor && (1..=1800).contains(secs),
                Command::EndFloor => floor && self.floor,
                Command::HandOverChair => floor,
                // The chair takes the chair back at any time; a vice-chair once it was handed over.
                Command::TakeChair => match actor.role {
                    Role::Chair => true,
                    Role::ViceChair => self.chairing != ModelChair::Chair,
                    _ => false,
                },
            };
        // Organisations (co-signers, one speaker per organisation) only add refusals.
        let organisations = match command {
            Command::RequestFloor { segment, co_signers, .. } | Command::AddSpeaker { segment, co_signers, .. } => {
                !co_signers.is_empty() || self.list(*segment).is_some_and(|l| l.one_per_organisation)
            }
            _ => false,
        };
        if organisations && accepted {
            return None;
        }
        Some(accepted)
    }

    /// Follows an accepted command. `after` is consulted only for what the model cannot know: the
    /// entry the floor went to when the chair named none is checked, not copied.
    fn apply(&mut self, step: &Step, after: &Meeting) {
        match &step.command {
            Command::RequestFloor { segment, kind, presence, co_signers, note, group, .. } => {
                self.join(*segment, &step.actor, (*kind, *presence), co_signers, (note, group.is_some()))
            }
            Command::AddSpeaker { segment, speaker, kind, presence, co_signers, note, group, .. } => {
                self.join(*segment, speaker, (*kind, *presence), co_signers, (note, group.is_some()))
            }
            Command::ConfirmCoSigning { entry } | Command::DeclineCoSigning { entry } => {
                let confirm = matches!(step.command, Command::ConfirmCoSigning { .. });
                let key = step.actor.organisation.as_deref().map(organisation_key).expect("a representative");
                let found = self.lists.iter_mut().flat_map(|l| &mut l.entries).find(|e| e.id == *entry);
                let entry = found.expect("the entry waits");
                if confirm {
                    entry.co_signers.iter_mut().filter(|(k, _)| *k == key).for_each(|(_, c)| *c = true);
                } else {
                    entry.co_signers.retain(|(k, _)| *k != key);
                }
            }
            Command::Withdraw { segment } => self.list_mut(*segment).entries.retain(|e| e.person != step.actor.id),
            Command::RemoveEntry { entry, .. } => {
                self.lists.iter_mut().for_each(|l| l.entries.retain(|e| e.id != *entry))
            }
            Command::MoveEntry { entry, position } => {
                let list = self.lists.iter_mut().find(|l| l.entries.iter().any(|e| e.id == *entry)).expect("waiting");
                let from = list.entries.iter().position(|e| e.id == *entry).expect("waiting");
                let kind = list.entries[from].kind;
                // Points of order are first come, first served: the chair cannot reorder them.
                if kind != RequestKind::PointOfOrder {
                    let moved = list.entries.remove(from);
                    let start = list.entries.iter().filter(|e| e.kind < kind).count();
                    let end = start + list.entries.iter().filter(|e| e.kind == kind).count();
                    list.entries.insert((*position).clamp(start, end), moved);
                }
            }
            Command::SetPresence { presence } => {
                for entry in self.lists.iter_mut().flat_map(|l| &mut l.entries) {
                    if entry.person == step.actor.id {
                        entry.presence = *presence;
                    }
                }
            }
            Command::CreateSegment { spec } => {
                self.lists.push(ModelList {
                    inscription: spec.inscription,
                    open: true,
                    one_per_organisation: spec.one_per_organisation,
                    ordering: spec.ordering,
                    max_waiting: spec.max_waiting,
                    opens_at: spec.opens_at,
                    statements_per_delegation: spec.statements_per_delegation,
                    groups_first: spec.groups_first,
                    ready_check: spec.ready_check,
                    item: spec.item,
                    last_statement: None,
                    entries: Vec::new(),
                });
            }
            Command::UpdateSegment { segment, spec } => {
                let list = self.list_mut(Some(*segment));
                list.inscription = spec.inscription;
                list.one_per_organisation = spec.one_per_organisation;
                list.ordering = spec.ordering;
                list.max_waiting = spec.max_waiting;
                list.opens_at = spec.opens_at;
                list.statements_per_delegation = spec.statements_per_delegation;
                list.groups_first = spec.groups_first;
                list.ready_check = spec.ready_check;
                list.item = spec.item;
                if self.active == Some(*segment) && spec.item.is_some() {
                    self.current = spec.item;
                }
            }
            Command::ActivateSegment { segment } => {
                self.active = Some(*segment);
                if let Some(item) = self.list(Some(*segment)).and_then(|l| l.item) {
                    self.current = Some(item);
                }
            }
            Command::AddAgendaItem { spec } => {
                self.last_item += 1;
                self.items.push((AgendaItemId(self.last_item), number_key(&spec.number)));
            }
            Command::UpdateAgendaItem { item, spec } => {
                let found = self.items.iter_mut().find(|(id, _)| id == item).expect("the item exists");
                found.1 = number_key(&spec.number);
            }
            Command::MoveAgendaItem { item, position } => {
                let from = self.items.iter().position(|(id, _)| id == item).expect("the item exists");
                let moved = self.items.remove(from);
                let position = (*position).min(self.items.len());
                self.items.insert(position, moved);
            }
            Command::RemoveAgendaItem { item } => self.items.retain(|(id, _)| id != item),
            Command::TakeUpItem { item } => {
                if self.current != Some(*item) {
                    let first = self.lists.iter().position(|l| l.item == Some(*item));
                    self.active = first.map(|at| SegmentId(at as u32 + 1));
                    self.current = Some(*item);
                }
            }
            Command::HandOverChair => self.chairing = ModelChair::HandedOver,
            Command::TakeChair => {
                self.chairing = match step.actor.role {
                    Role::ViceChair => ModelChair::ViceChair(step.actor.id.clone()),
                    _ => ModelChair::Chair,
                }
            }
            Command::CloseList { segment } => self.list_mut(*segment).open = false,
            Command::ReopenList { segment } => self.list_mut(*segment).open = true,
            Command::GiveFloor { .. } | Command::PassOver { .. } => {
                let list = self.list_mut(None);
                let chosen = match &step.command {
                    // The head keeps its place; the one after it is called.
                    Command::PassOver { .. } => list.entries.get(1).map(|e| e.id),
                    Command::GiveFloor { entry } => entry.or_else(|| list.entries.first().map(|e| e.id)),
                    _ => unreachable!(),
                }
                .expect("an entry was called");
                let at = list.entries.iter().position(|e| e.id == chosen).expect("the called entry waits");
                let called = list.entries.remove(at);
                if called.kind == RequestKind::Statement {
                    list.last_statement = Some((called.presence, called.for_a_state));
                }
                if called.kind == RequestKind::Statement {
                    self.statements.push((self.active.expect("a list is active"), called.voice.clone()));
                }
                self.spoken.insert(called.person);
                assert_eq!(
                    after.floor.as_ref().and_then(|f| f.entry),
                    Some(chosen),
                    "the floor went to the wrong entry"
                );
                self.floor = true;
            }
            Command::GiveFloorToPanellist { speaker, presence, .. } => {
                self.list_mut(None).last_statement = Some((*presence, false));
                self.statements.push((self.active.expect("a list is active"), voice(speaker)));
                self.spoken.insert(speaker.id.clone());
                self.floor = true;
            }
            Command::EndFloor => self.floor = false,
            Command::PauseFloor | Command::ResumeFloor | Command::ExtendFloor { .. } | Command::ConfirmReady { .. } => {
            }
        }
    }

    /// A new entry joins the end of its band; under a policy, a statement then moves up, one place
    /// at a time, past whoever it should go ahead of.
    fn join(
        &mut self,
        segment: Option<SegmentId>,
        person: &Participant,
        (kind, presence): (RequestKind, Presence),
        co_signers: &[String],
        (note, for_a_group): (&Option<String>, bool),
    ) {
        let id = EntryId(self.next_entry);
        self.next_entry += 1;
        let spoken = &self.spoken;
        let id_of = segment.or(self.active).expect("an accepted request found its segment");
        let list = &mut self.lists[id_of.0 as usize - 1];
        let mut at = list.entries.iter().filter(|e| e.kind <= kind).count();
        let entry = ModelEntry {
            id,
            person: person.id.clone(),
            voice: voice(person),
            kind,
            presence,
            for_a_state: person.role.speaks_for_a_state(),
            co_signers: co_signers.iter().map(|c| (organisation_key(c), false)).collect(),
            note: note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(String::from),
            for_a_group,
        };
        if kind == RequestKind::Statement {
            let mut first = list.entries.iter().filter(|e| e.kind < kind).count();
            if list.groups_first {
                // Group statements lead, first come, first served; the others are ordered behind
                // them, as if the group statements were part of what came before the list.
                let groups = list.entries[first..].iter().take_while(|e| e.for_a_group).count();
                if for_a_group {
                    list.entries.insert(first + groups, entry);
                    return;
                }
                first += groups;
            }
            let side = |presence: Presence, for_a_state: bool| match list.ordering {
                Ordering::AlternateInRoomAndRemote => presence == Presence::InRoom,
                _ => for_a_state,
            };
            let mine = side(entry.presence, entry.for_a_state);
            let side_at = |i: usize| {
                if i >= first {
                    let e = &list.entries[i];
                    Some(side(e.presence, e.for_a_state))
                } else {
                    None
                }
            };
            match list.ordering {
                Ordering::FirstComeFirstServed => {}
                Ordering::FirstTimeFirst if spoken.contains(&entry.person) => {}
                Ordering::FirstTimeFirst => {
                    while at > first && spoken.contains(&list.entries[at - 1].person) {
                        at -= 1;
                    }
                }
                Ordering::AlternateInRoomAndRemote | Ordering::AlternateStatesAndStakeholders => {
                    // Move up past an entry of the other side while the one before it is of the
                    // other side too (the last statement given the floor stands before the first).
                    while let Some(passed) = at.checked_sub(1).and_then(side_at) {
                        let before = match at.checked_sub(2).filter(|&i| i >= first) {
                            Some(i) => side_at(i),
                            // The last group statement waiting stands before the first other one.
                            None if first > 0 && list.entries[first - 1].for_a_group && list.groups_first => {
                                let e = &list.entries[first - 1];
                                Some(side(e.presence, e.for_a_state))
                            }
                            None => list.last_statement.map(|(p, s)| side(p, s)),
                        };
                        if passed == mine || before != Some(passed) {
                            break;
                        }
                        at -= 1;
                    }
                }
            }
        }
        list.entries.insert(at, entry);
    }
}

/// The organisations that have their turn through an entry or intervention: the speaker's own and
/// the co-signers that confirmed, as organisation keys.
fn counted(speaker: &Participant, co_signers: &[CoSigner]) -> Vec<String> {
    let own = speaker.organisation.as_deref().filter(|_| speaker.role == Role::Stakeholder);
    let confirmed = co_signers.iter().filter(|c| c.confirmed).map(|c| c.organisation.as_str());
    own.into_iter().chain(confirmed).map(organisation_key).collect()
}

#[test]
fn a_segment_with_one_speaker_per_organisation_never_gives_an_organisation_a_second_turn() {
    after_every_step(|v| {
        let Ok(records) = v.outcome else { return Ok(()) };
        for record in records {
            // The organisations this event gives a turn to, in which segment.
            let (segment, wanted) = match &record.event {
                Event::EntryAdded { segment, entry, .. } => {
                    let own = entry.speaker.organisation.as_deref().filter(|_| entry.speaker.role == Role::Stakeholder);
                    let named = entry.co_signers.iter().map(|c| c.organisation.as_str());
                    (*segment, own.into_iter().chain(named).map(organisation_key).collect::<Vec<_>>())
                }
                Event::CoSigningConfirmed { segment, organisation, .. } => {
                    (*segment, vec![organisation_key(organisation)])
                }
                _ => continue,
            };
            let Some(before) = v.before.segment(segment) else { continue };
            if !before.spec.one_per_organisation {
                continue;
            }
            let floor = v.before.floor.iter().filter(|f| f.segment == segment).map(|f| (&*f.speaker, &f.co_signers));
            let spoken = v.before.record.iter().filter(|f| f.segment == segment).map(|f| (&*f.speaker, &f.co_signers));
            let waiting = before.entries.iter().map(|e| (&e.speaker, &e.co_signers));
            let taken: HashSet<String> = floor.chain(spoken).chain(waiting).flat_map(|(s, c)| counted(s, c)).collect();
            for organisation in wanted {
                prop_assert!(!taken.contains(&organisation), "{} got a second turn in {:?}", organisation, segment);
            }
        }
        Ok(())
    });
}

/// Segments whose statements have been reordered by something other than their policy placing a
/// new request and the chair calling the first speaker: a move, a withdrawal, a removal, a
/// presence change, the floor given out of turn or to a panellist, a changed policy. The policies
/// place requests as they arrive and never undo what the chair did, so their invariants are stated
/// for lists that nothing else has reordered.
#[derive(Default)]
struct Undisturbed {
    disturbed: HashSet<SegmentId>,
}

impl Undisturbed {
    fn follow(&mut self, v: &Visit<'_>) {
        let Ok(records) = v.outcome else { return };
        for record in records {
            let segment = match &record.event {
                Event::EntryMoved { segment, .. }
                | Event::EntryWithdrawn { segment, .. }
                | Event::EntryRemoved { segment, .. }
                | Event::SegmentUpdated { segment, .. } => Some(*segment),
                Event::PresenceChanged { participant, .. } => {
                    for s in &v.before.segments {
                        if s.entry_of(participant).is_some() {
                            self.disturbed.insert(s.id);
                        }
                    }
                    None
                }
                Event::FloorGiven { intervention } => {
                    let segment = v.before.segment(intervention.segment);
                    let head =
                        segment.and_then(|s| s.entries.iter().find(|e| e.kind == RequestKind::Statement)).map(|e| e.id);
                    let in_turn = intervention.entry.is_some()
                        && (intervention.kind != RequestKind::Statement || intervention.entry == head);
                    (!in_turn).then_some(intervention.segment)
                }
                _ => None,
            };
            if let Some(segment) = segment {
                self.disturbed.insert(segment);
            }
        }
    }

    /// The statements of each undisturbed list with `ordering`, placed by it: in a list that takes
    /// groups first, those behind the leading group statements, with the last of these (which
    /// stands before them).
    #[allow(clippy::type_complexity)]
    fn statements<'m>(
        &self,
        meeting: &'m Meeting,
        ordering: Ordering,
    ) -> Vec<(SegmentId, Option<&'m shared::Entry>, Vec<&'m shared::Entry>)> {
        meeting
            .segments
            .iter()
            .filter(|s| s.spec.ordering == ordering && !self.disturbed.contains(&s.id))
            .map(|s| {
                let mut statements: Vec<_> = s.entries.iter().filter(|e| e.kind == RequestKind::Statement).collect();
                let groups =
                    if s.spec.groups_first { statements.iter().take_while(|e| e.group.is_some()).count() } else { 0 };
                let rest = statements.split_off(groups);
                (s.id, statements.last().copied(), rest)
            })
            .collect()
    }
}

#[test]
fn in_a_first_time_first_list_nobody_who_had_spoken_when_they_asked_waits_ahead_of_someone_who_had_not() {
    for_every_sitting(|info, steps| {
        let mut undisturbed = Undisturbed::default();
        // Whether each request's speaker had already spoken in the meeting when it was made.
        let mut had_spoken: BTreeMap<EntryId, bool> = BTreeMap::new();
        walk(info, steps, |v| {
            undisturbed.follow(v);
            for record in v.outcome.iter().flatten() {
                if let Event::EntryAdded { entry, .. } = &record.event {
                    had_spoken.insert(entry.id, v.before.has_spoken(&entry.speaker.id));
                }
            }
            for (segment, _, waiting) in undisturbed.statements(v.after, Ordering::FirstTimeFirst) {
                let flags: Vec<bool> = waiting.iter().map(|e| had_spoken[&e.id]).collect();
                prop_assert!(
                    flags.windows(2).all(|w| w[0] <= w[1]),
                    "in {:?} someone who had spoken waits ahead of a first-time speaker: {:?}",
                    segment,
                    waiting.iter().map(|e| (&e.speaker.id, had_spoken[&e.id])).collect::<Vec<_>>()
                );
            }
            Ok(())
        })
    });
}

#[test]
fn in_an_alternating_list_two_of_one_side_follow_each_other_only_when_nobody_of_the_other_side_waits() {
    for ordering in [Ordering::AlternateInRoomAndRemote, Ordering::AlternateStatesAndStakeholders] {
        let side = move |presence: Presence, speaker: &Participant| match ordering {
            Ordering::AlternateInRoomAndRemote => presence == Presence::InRoom,
            _ => speaker.role.speaks_for_a_state(),
        };
        for_every_sitting(|info, steps| {
            let mut undisturbed = Undisturbed::default();
            walk(info, steps, |v| {
                undisturbed.follow(v);
                for (segment, lead, waiting) in undisturbed.statements(v.after, ordering) {
                    // The last statement given the floor in the segment stands before the list.
                    // Behind group statements leading it, nothing does: a group statement asked
                    // later goes ahead of the others and moves that boundary, as a chair's move
                    // would.
                    let last = match lead {
                        Some(_) => None,
                        None => v
                            .after
                            .floor
                            .iter()
                            .chain(v.after.record.iter().rev())
                            .find(|i| i.segment == segment && i.kind == RequestKind::Statement)
                            .map(|i| side(i.presence, &i.speaker)),
                    };
                    let sides: Vec<bool> =
                        last.into_iter().chain(waiting.iter().map(|e| side(e.presence, &e.speaker))).collect();
                    for (i, pair) in sides.windows(2).enumerate() {
                        if pair[0] == pair[1] {
                            prop_assert!(
                                sides[i + 2..].iter().all(|s| *s == pair[0]),
                                "{:?} in {:?}: two of one side in a row while the other side waits: {:?}",
                                ordering,
                                segment,
                                sides
                            );
                        }
                    }
                }
                Ok(())
            })
        });
    }
}

#[test]
fn in_a_list_that_takes_groups_first_no_group_statement_waits_behind_another_statement() {
    for_every_sitting(|info, steps| {
        let mut undisturbed = Undisturbed::default();
        walk(info, steps, |v| {
            undisturbed.follow(v);
            for segment in
                v.after.segments.iter().filter(|s| s.spec.groups_first && !undisturbed.disturbed.contains(&s.id))
            {
                let groups: Vec<bool> = segment
                    .entries
                    .iter()
                    .filter(|e| e.kind == RequestKind::Statement)
                    .map(|e| e.group.is_some())
                    .collect();
                prop_assert!(
                    groups.windows(2).all(|pair| pair[0] || !pair[1]),
                    "{:?}: a group statement behind another statement: {:?}",
                    segment.id,
                    groups
                );
            }
            Ok(())
        })
    });
}

#[test]
fn the_record_names_who_gave_and_who_ended_every_floor() {
    for_every_sitting(|info, steps| {
        walk(info, steps, |v| {
            for i in v.after.record.iter().chain(v.after.floor.iter()) {
                prop_assert!(i.given_by.is_some(), "{:?} has no giver", i.id);
            }
            for i in &v.after.record {
                prop_assert!(i.ended_by.is_some(), "{:?} has no one who ended it", i.id);
            }
            // A floor this step ended was ended by this step's actor.
            if v.after.record.len() > v.before.record.len() {
                let ended = v.after.record.last().and_then(|i| i.ended_by.as_ref()).map(|m| &m.id);
                prop_assert_eq!(ended, Some(&v.step.actor.id), "after {:?}", v.step);
            }
            Ok(())
        })
    });
}
