//! Proptest strategies for the speaking queue: people of every role, meetings, segment specs and
//! timed sequences of commands, played with [`crate::Meeting::execute`] as the server plays them.
//!
//! People come from a small fixed pool ([`people`]) so that collisions happen often: the same
//! delegate asking twice, a stakeholder in a closed meeting, the chair moving an entry that was
//! just called. Ids come from small ranges (entries 1–20, segments 1–4) so that unknown ids come up
//! as well as known ones. Commands that only the chair may give are mostly given by the chair or
//! the secretariat, and requests mostly by people who may inscribe, so that most sequences get past
//! the role checks and reach the rules of the list; the rest exercise the refusals.

use std::fmt;

use proptest::prelude::*;
use proptest::sample::select;

use crate::{
    Access, AgendaItemId, Command, EntryId, Gender, Inscription, ItemSpec, Language, MeetingId, MeetingInfo, Millis,
    Ordering, Participant, ParticipantId, Presence, ProcessId, RequestKind, Role, SegmentId, SegmentSpec,
};

/// One command of a generated sequence: how long after the previous one it comes, who gives it,
/// and what it is.
#[derive(Clone, PartialEq, Eq)]
pub struct Step {
    /// Milliseconds since the previous step (0 for commands in the same millisecond).
    pub after_ms: i64,
    /// Who gives the command.
    pub actor: Participant,
    /// What the actor asks for.
    pub command: Command,
}

/// One line per step, so that a shrunk failing sequence reads like a transcript of the meeting.
impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}ms {} ({:?}): {:?}", self.after_ms, self.actor.id, self.actor.role, self.command)
    }
}

fn person(id: &str, name: &str, role: Role, delegation: Option<&str>, organisation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).expect("the pool's ids are valid"),
        name: name.into(),
        role,
        delegation: delegation.map(Into::into),
        organisation: organisation.map(Into::into),
        profile: Default::default(),
    }
}

/// The fixed pool every strategy draws people from: delegates of three states, an expert on one of
/// their delegations, two stakeholders, a panellist, an observer, an interpreter, the chair, a
/// vice-chair and a secretariat officer.
pub fn people() -> Vec<Participant> {
    vec![
        person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"), None),
        person("del-kenya", "Otieno Mwangi", Role::Delegate, Some("Kenya"), None),
        person("del-norway", "Ingrid Berg", Role::Delegate, Some("Norway"), None),
        person("exp-kenya", "Amina Hassan", Role::Expert, Some("Kenya"), Some("Digital Rights Foundation")),
        person("ngo-open-networks", "Lucia Fernandez", Role::Stakeholder, None, Some("Open Networks Alliance")),
        person("ngo-youth", "Kwame Boateng", Role::Stakeholder, None, Some("Youth for Cyber Peace")),
        person("pan-geneva", "Mei Chen", Role::Panellist, None, Some("University of Geneva")),
        person("obs-display", "Room display", Role::Observer, None, None),
        person("booth-fr", "French booth", Role::Interpreter, None, None),
        person("chair", "Presiding officer", Role::Chair, None, None),
        person("vice-chair", "Lena Novak", Role::ViceChair, None, None),
        person("sec-officer", "Secretariat officer", Role::Secretariat, None, None),
    ]
}

fn people_who(keep: impl Fn(Role) -> bool) -> Vec<Participant> {
    people().into_iter().filter(|p| keep(p.role)).collect()
}

/// Anyone from the pool, whatever their role.
pub fn participant() -> impl Strategy<Value = Participant> {
    select(people())
}

/// The chair most often, else the vice-chair or the secretariat officer.
pub fn moderator() -> impl Strategy<Value = Participant> {
    prop_oneof![
        3 => select(people_who(|role| role == Role::Chair)),
        1 => select(people_who(|role| role == Role::ViceChair)),
        1 => select(people_who(|role| role == Role::Secretariat)),
    ]
}

/// The chair.
pub fn chair() -> impl Strategy<Value = Participant> {
    select(people_who(|role| role == Role::Chair))
}

/// Someone who may ask for the floor somewhere: a delegate, the expert or a stakeholder.
pub fn speaker() -> impl Strategy<Value = Participant> {
    select(people_who(|role| matches!(role, Role::Delegate | Role::Expert | Role::Stakeholder)))
}

/// The pool's panellist.
pub fn panellist() -> impl Strategy<Value = Participant> {
    select(people_who(|role| role == Role::Panellist))
}

/// In the room or remote.
pub fn presence() -> impl Strategy<Value = Presence> {
    prop_oneof![Just(Presence::InRoom), Just(Presence::Remote)]
}

/// A statement most of the time, otherwise a point of order or a right of reply.
pub fn request_kind() -> impl Strategy<Value = RequestKind> {
    prop_oneof![
        3 => Just(RequestKind::Statement),
        1 => Just(RequestKind::PointOfOrder),
        1 => Just(RequestKind::RightOfReply),
    ]
}

/// One of the six official languages of the United Nations, or Brazilian Portuguese.
pub fn language() -> impl Strategy<Value = Language> {
    select(vec!["en", "fr", "es", "ar", "zh", "ru", "pt-BR"])
        .prop_map(|tag| Language::parse(tag).expect("the tags are valid"))
}

/// Who may inscribe in a segment: everyone half of the time, otherwise member states or
/// stakeholders only.
pub fn inscription() -> impl Strategy<Value = Inscription> {
    prop_oneof![2 => Just(Inscription::All), 1 => Just(Inscription::MemberStates), 1 => Just(Inscription::Stakeholders)]
}

/// An open meeting three times out of four, otherwise a closed one.
pub fn meeting_info() -> impl Strategy<Value = MeetingInfo> {
    prop_oneof![3 => Just(Access::Open), 1 => Just(Access::Closed)].prop_map(|access| MeetingInfo {
        id: MeetingId::parse("oewg-ict-s9-m3").expect("valid id"),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict-2021-2025").expect("valid id"),
        access,
        time_zone: None,
        starts_at: None,
        room: None,
    })
}

const TITLES: [&str; 4] = [
    "General debate",
    "Stakeholder segment: capacity building",
    "Existing and potential threats",
    "Rules, norms and principles",
];

/// An ordering policy: first come, first served half of the time, each of the others otherwise.
pub fn ordering() -> impl Strategy<Value = Ordering> {
    prop_oneof![
        3 => Just(Ordering::FirstComeFirstServed),
        1 => Just(Ordering::FirstTimeFirst),
        1 => Just(Ordering::AlternateInRoomAndRemote),
        1 => Just(Ordering::AlternateStatesAndStakeholders),
    ]
}

/// A gender declared one time in two.
pub fn gender() -> impl Strategy<Value = Option<Gender>> {
    prop::option::of(select(vec![Gender::Woman, Gender::Man, Gender::Another]))
}

/// A segment spec that [`SegmentSpec::validate`] accepts: a time limit of 5 s to 5 min, half of
/// the time a budget of one to six interventions, and one time in four a list of at most one to
/// four requests — small enough that budgets run out and lists fill.
pub fn valid_segment_spec() -> impl Strategy<Value = SegmentSpec> {
    (
        select(TITLES.to_vec()),
        inscription(),
        5..=300u32,
        prop::option::of(1..=6u32),
        prop::bool::weighted(0.3),
        ordering(),
        prop::option::weighted(0.25, 1..=4u32),
        prop::option::weighted(0.3, item_id()),
        list_rules(),
        prop::bool::weighted(0.4),
        prop::bool::weighted(0.4),
    )
        .prop_map(
            |(
                title,
                inscription,
                time_limit_secs,
                interventions,
                one_per_organisation,
                ordering,
                max_waiting,
                item,
                rules,
                groups_first,
                ready_check,
            )| {
                let (point_of_order_secs, right_of_reply_secs, second_reply_secs, statements_per_delegation, opens_at) =
                    rules;
                SegmentSpec {
                    title: title.into(),
                    inscription,
                    time_limit_secs,
                    budget_secs: interventions.map(|n| n * time_limit_secs),
                    one_per_organisation,
                    ordering,
                    max_waiting,
                    item,
                    point_of_order_secs,
                    right_of_reply_secs,
                    second_reply_secs,
                    statements_per_delegation,
                    opens_at,
                    groups_first,
                    ready_check,
                }
            },
        )
}

/// When generated sittings start (1 January 2026), for lists that open later.
pub const SITTING_STARTS: Millis = Millis(1_767_225_600_000);

/// The list rules of a segment beside its time limit, each now and then: time limits of points of
/// order and of first and second rights of reply (5 s to 4 min), a cap of one to three statements
/// per delegation on the item, and an opening up to five minutes into the sitting.
#[allow(clippy::type_complexity)]
fn list_rules() -> impl Strategy<Value = (Option<u32>, Option<u32>, Option<u32>, Option<u32>, Option<Millis>)> {
    let limit = || prop::option::weighted(0.3, 5..=240u32);
    let opens_at = (0..=300_000i64).prop_map(|ms| Millis(SITTING_STARTS.0 + ms));
    (limit(), limit(), limit(), prop::option::weighted(0.25, 1..=3u32), prop::option::weighted(0.15, opens_at))
}

/// A segment spec, invalid one time in ten (blank or overlong title, time limit out of range,
/// budget shorter than one intervention or longer than twelve hours, a list of at most no request
/// or of more than [`SegmentSpec::MAX_WAITING`], a right of reply's limit out of range, a cap of
/// no statement or of too many).
pub fn segment_spec() -> impl Strategy<Value = SegmentSpec> {
    let spoiled = (valid_segment_spec(), 0..12u8).prop_map(|(mut spec, how)| {
        match how {
            0 => spec.title = "   ".into(),
            1 => spec.title = "x".repeat(201),
            2 => spec.time_limit_secs = 4,
            3 => spec.time_limit_secs = SegmentSpec::MAX_SECS + 1,
            4 => spec.budget_secs = Some(spec.time_limit_secs - 1),
            5 => spec.budget_secs = Some(SegmentSpec::MAX_SECS + 1),
            6 => spec.max_waiting = Some(0),
            7 => spec.max_waiting = Some(SegmentSpec::MAX_WAITING + 1),
            8 => spec.right_of_reply_secs = Some(4),
            9 => spec.second_reply_secs = Some(SegmentSpec::MAX_SECS + 1),
            10 => spec.statements_per_delegation = Some(0),
            _ => spec.statements_per_delegation = Some(SegmentSpec::MAX_STATEMENTS_PER_DELEGATION + 1),
        }
        spec
    });
    prop_oneof![9 => valid_segment_spec(), 1 => spoiled]
}

/// An agenda item id from 1 to 3: sequences add a few items, so some ids are unknown.
pub fn item_id() -> impl Strategy<Value = AgendaItemId> {
    (1..=3u32).prop_map(AgendaItemId)
}

/// An agenda item as the secretariat types it: numbers from a small set, so that two items
/// sometimes share one ("5(b)" and "5 (B)"), and one time in eight a number or title refused.
pub fn item_spec() -> impl Strategy<Value = ItemSpec> {
    let number = prop_oneof![7 => select(vec!["5(a)", "5(b)", "5 (B)", "6", "1"]), 1 => select(vec!["5;", ""])];
    let title = prop_oneof![
        7 => select(vec!["Existing and potential threats", "Rules, norms and principles", "Adoption of the agenda"]),
        1 => Just("  "),
    ];
    (number, title).prop_map(|(number, title)| ItemSpec { number: number.into(), title: title.into() })
}

/// A segment id from 1 to 4: sequences create a few segments, so some ids are unknown.
pub fn segment_id() -> impl Strategy<Value = SegmentId> {
    (1..=4u32).prop_map(SegmentId)
}

/// The active segment (`None`) three times out of four, otherwise a segment id.
pub fn segment_choice() -> impl Strategy<Value = Option<SegmentId>> {
    prop_oneof![3 => Just(None), 1 => segment_id().prop_map(Some)]
}

/// An entry id from 1 to 20, more often a low one: some are waiting, some were called or
/// withdrawn, some never existed.
pub fn entry_id() -> impl Strategy<Value = EntryId> {
    prop_oneof![3 => 1..=8u64, 1 => 9..=20u64].prop_map(EntryId)
}

/// Co-signers of a joint statement: usually none, sometimes one or two organisations of the pool
/// (which collide with the pool's stakeholders), so that the one-per-organisation rule is exercised.
pub fn co_signers() -> impl Strategy<Value = Vec<String>> {
    let names = vec!["Youth for Cyber Peace", "Open Networks Alliance", "Internet Society"];
    prop_oneof![8 => Just(Vec::new()), 2 => prop::sample::subsequence(names, 1..=2).prop_map(|v| v.into_iter().map(String::from).collect())]
}

/// Seconds of extension: mostly valid (1 s to 2 min), sometimes 0 or above the 30 min maximum.
pub fn extension_secs() -> impl Strategy<Value = u32> {
    prop_oneof![8 => 1..=120u32, 1 => Just(0u32), 1 => 1801..=4000u32]
}

/// The reason of a removal: mostly none or a short one, sometimes blank or too long.
pub fn removal_reason() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        3 => "[A-Za-z ]{1,40}".prop_map(Some),
        1 => Just(Some("   ".to_string())),
        1 => Just(Some("x".repeat(crate::MAX_REMOVAL_REASON_CHARS + 1))),
    ]
}

/// A request's note: mostly none, some short, some blank (kept as none), some too long.
pub fn note() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => Just(None),
        3 => " ?on [1-9]\\([a-e]\\) ?".prop_map(Some),
        1 => Just(Some("  ".to_string())),
        1 => Just(Some("x".repeat(crate::MAX_NOTE_CHARS + 1))),
    ]
}

/// The group of states a request speaks for: mostly none, often a known group, now and then an
/// id no group has.
pub fn group() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => Just(None),
        3 => select(vec!["african_group", "g77_and_china", "eu"]).prop_map(|id| Some(id.to_string())),
        1 => Just(Some("g8".to_string())),
    ]
}

/// Any command, every variant included, weighted towards the ones a meeting sees most.
pub fn command() -> impl Strategy<Value = Command> {
    prop_oneof![
        10 => (segment_choice(), request_kind(), presence(), language(), co_signers(), gender(), note(), group())
            .prop_map(|(segment, kind, presence, language, co_signers, gender, note, group)| {
                Command::RequestFloor { segment, kind, presence, language, co_signers, gender, note, group }
            }),
        2 => segment_choice().prop_map(|segment| Command::Withdraw { segment }),
        1 => presence().prop_map(|presence| Command::SetPresence { presence }),
        4 => (segment_choice(), prop_oneof![4 => speaker(), 1 => participant()], request_kind(), presence(), language(), note(), group())
            .prop_map(|(segment, speaker, kind, presence, language, note, group)| {
                Command::AddSpeaker { segment, speaker, kind, presence, language, co_signers: Vec::new(), note, group }
            }),
        2 => entry_id().prop_map(|entry| Command::ConfirmCoSigning { entry }),
        1 => entry_id().prop_map(|entry| Command::DeclineCoSigning { entry }),
        4 => (entry_id(), 0..8usize).prop_map(|(entry, position)| Command::MoveEntry { entry, position }),
        1 => (entry_id(), removal_reason()).prop_map(|(entry, reason)| Command::RemoveEntry { entry, reason }),
        2 => segment_spec().prop_map(|spec| Command::CreateSegment { spec }),
        1 => (segment_id(), segment_spec()).prop_map(|(segment, spec)| Command::UpdateSegment { segment, spec }),
        2 => segment_id().prop_map(|segment| Command::ActivateSegment { segment }),
        2 => item_spec().prop_map(|spec| Command::AddAgendaItem { spec }),
        1 => (item_id(), item_spec()).prop_map(|(item, spec)| Command::UpdateAgendaItem { item, spec }),
        1 => (item_id(), 0..4usize).prop_map(|(item, position)| Command::MoveAgendaItem { item, position }),
        1 => item_id().prop_map(|item| Command::RemoveAgendaItem { item }),
        2 => item_id().prop_map(|item| Command::TakeUpItem { item }),
        1 => segment_choice().prop_map(|segment| Command::CloseList { segment }),
        1 => segment_choice().prop_map(|segment| Command::ReopenList { segment }),
        3 => prop::option::weighted(0.3, entry_id()).prop_map(|entry| Command::GiveFloor { entry }),
        1 => entry_id().prop_map(|entry| Command::PassOver { entry }),
        2 => segment_choice().prop_map(|segment| Command::ConfirmReady { segment }),
        1 => (prop_oneof![4 => panellist(), 1 => participant()], presence(), language())
            .prop_map(|(speaker, presence, language)| Command::GiveFloorToPanellist { speaker, presence, language }),
        1 => Just(Command::PauseFloor),
        1 => Just(Command::ResumeFloor),
        1 => extension_secs().prop_map(|secs| Command::ExtendFloor { secs }),
        2 => Just(Command::EndFloor),
        1 => Just(Command::HandOverChair),
        1 => Just(Command::TakeChair),
    ]
}

/// Milliseconds between two commands: sometimes none, often seconds, sometimes minutes.
pub fn time_step() -> impl Strategy<Value = i64> {
    prop_oneof![1 => Just(0i64), 3 => 1..=10_000i64, 2 => 10_000..=240_000i64]
}

/// Whether a command is one the chair gives (everything but asking, withdrawing, presence and
/// answering a request to co-sign).
fn chair_business(command: &Command) -> bool {
    !matches!(
        command,
        Command::RequestFloor { .. }
            | Command::Withdraw { .. }
            | Command::SetPresence { .. }
            | Command::ConfirmCoSigning { .. }
            | Command::DeclineCoSigning { .. }
            | Command::ConfirmReady { .. }
    )
}

/// A step: any command, given four times out of five by someone whose role fits it (the chair or
/// secretariat for the chair's business, a delegate, expert or stakeholder for the rest), otherwise
/// by anyone.
pub fn step() -> impl Strategy<Value = Step> {
    (time_step(), command(), 0..5u8, participant(), moderator(), speaker()).prop_map(
        |(after_ms, command, pick, anyone, moderator, speaker)| {
            let actor = match pick {
                0 => anyone,
                _ if chair_business(&command) => moderator,
                _ => speaker,
            };
            Step { after_ms, actor, command }
        },
    )
}

/// The start of a sitting: the chair, a vice-chair or the secretariat adds two agenda items ("5(a)"
/// and "5(b)") and creates one to three segments (some of them lists of those items), the chair
/// opens the first, then up to eight people
/// ask for the floor in it, so that lists are long enough to reorder and call from.
pub fn opening() -> impl Strategy<Value = Vec<Step>> {
    let request = (time_step(), speaker(), request_kind(), presence(), language()).prop_map(
        |(after_ms, actor, kind, presence, language)| Step {
            after_ms,
            actor,
            command: Command::request_floor(kind, presence, language),
        },
    );
    let setting_up = (moderator(), chair());
    (setting_up, prop::collection::vec(valid_segment_spec(), 1..=3), prop::collection::vec(request, 0..=8)).prop_map(
        |((officer, chair), specs, requests)| {
            let items = ["5(a)", "5(b)"].map(|number| Step {
                after_ms: 0,
                actor: officer.clone(),
                command: Command::AddAgendaItem {
                    spec: ItemSpec { number: number.into(), title: "Existing and potential threats".into() },
                },
            });
            let created = specs.into_iter().map(|mut spec| {
                spec.item = spec.item.filter(|item| item.0 <= 2);
                Step { after_ms: 0, actor: officer.clone(), command: Command::CreateSegment { spec } }
            });
            let opened = Step {
                after_ms: 1_000,
                actor: chair.clone(),
                command: Command::ActivateSegment { segment: SegmentId(1) },
            };
            items.into_iter().chain(created).chain(std::iter::once(opened)).chain(requests).collect()
        },
    )
}

/// Up to `max_len` random steps.
pub fn steps(max_len: usize) -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 0..=max_len)
}

/// A sitting: three times out of four an [`opening`] followed by up to `max_len` random steps,
/// otherwise random steps alone (which also covers a meeting with no active segment).
pub fn session(max_len: usize) -> impl Strategy<Value = Vec<Step>> {
    let opened = (opening(), steps(max_len)).prop_map(|(mut opening, rest)| {
        opening.extend(rest);
        opening
    });
    prop_oneof![3 => opened, 1 => steps(max_len)]
}
