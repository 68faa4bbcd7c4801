//! The rules of the speaking queue, one behaviour per test: who may ask for the floor where, in
//! which order people speak, what the chair may do to the list and the floor, how time is counted,
//! and that every refusal carries its stable code and changes nothing.
//!
//! Every test plays commands on a [`Meeting`] the way the server does: handle, stamp, apply.

use shared::{
    Access, CoSigner, Command, EntryId, Event, EventRecord, Inscription, Language, Meeting, MeetingId, MeetingInfo,
    Millis, Participant, ParticipantId, Pause, Presence, ProcessId, Rejection, RejectionCode, RequestKind, Role,
    SegmentId, SegmentSpec,
};

use Presence::{InRoom, Remote};
use RequestKind::{PointOfOrder, RightOfReply, Statement};

// ---- people

fn person(id: &str, name: &str, role: Role, delegation: Option<&str>, organisation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: name.into(),
        role,
        delegation: delegation.map(Into::into),
        organisation: organisation.map(Into::into),
        profile: Default::default(),
    }
}

fn chile() -> Participant {
    person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"), None)
}

fn kenya() -> Participant {
    person("del-kenya", "Otieno Mwangi", Role::Delegate, Some("Kenya"), None)
}

fn norway() -> Participant {
    person("del-norway", "Ingrid Berg", Role::Delegate, Some("Norway"), None)
}

/// From an organisation, seated on Kenya's delegation.
fn expert() -> Participant {
    person("exp-kenya", "Amina Hassan", Role::Expert, Some("Kenya"), Some("Digital Rights Foundation"))
}

fn ngo() -> Participant {
    person("ngo-open-networks", "Lucia Fernandez", Role::Stakeholder, None, Some("Open Networks Alliance"))
}

fn panellist() -> Participant {
    person("pan-geneva", "Mei Chen", Role::Panellist, None, Some("University of Geneva"))
}

fn observer() -> Participant {
    person("obs-display", "Room display", Role::Observer, None, None)
}

fn chair() -> Participant {
    person("chair", "Presiding officer", Role::Chair, None, None)
}

fn secretariat() -> Participant {
    person("sec-officer", "Secretariat officer", Role::Secretariat, None, None)
}

// ---- meetings

/// The sitting starts at 10:00 on 1 January 2026; `at(s)` is `s` seconds later.
fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

fn spec(inscription: Inscription, time_limit_secs: u32, budget_secs: Option<u32>) -> SegmentSpec {
    SegmentSpec { inscription, budget_secs, ..SegmentSpec::new("General debate", time_limit_secs) }
}

fn info(access: Access) -> MeetingInfo {
    MeetingInfo {
        id: MeetingId::parse("oewg-ict-s9-m3").unwrap(),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict-2021-2025").unwrap(),
        access,
        time_zone: None,
        starts_at: None,
        room: None,
    }
}

/// A meeting with one segment, created and opened by the chair.
fn meeting_with(access: Access, segment: SegmentSpec) -> Meeting {
    let mut meeting = Meeting::new(info(access));
    run(&mut meeting, at(0), &chair(), Command::CreateSegment { spec: segment }).unwrap();
    run(&mut meeting, at(0), &chair(), Command::ActivateSegment { segment: SegmentId(1) }).unwrap();
    meeting
}

/// An open meeting whose active segment takes everyone, with three minutes per intervention.
fn open_meeting() -> Meeting {
    meeting_with(Access::Open, spec(Inscription::All, 180, None))
}

fn closed_meeting() -> Meeting {
    meeting_with(Access::Closed, spec(Inscription::MemberStates, 180, None))
}

/// Adds a second segment (not active) with the given inscription.
fn with_second_segment(meeting: &mut Meeting, inscription: Inscription) {
    let spec = SegmentSpec { title: "Stakeholder segment: capacity building".into(), ..spec(inscription, 120, None) };
    run(meeting, at(0), &chair(), Command::CreateSegment { spec }).unwrap();
}

// ---- acting

/// What the server does with a command: handle it, stamp the events, apply them.
fn run(meeting: &mut Meeting, now: Millis, actor: &Participant, cmd: Command) -> Result<Vec<EventRecord>, Rejection> {
    meeting.execute(now, actor, cmd)
}

fn events(records: Vec<EventRecord>) -> Vec<Event> {
    records.into_iter().map(|r| r.event).collect()
}

fn english() -> Language {
    Language::parse("en").unwrap()
}

fn request(kind: RequestKind, presence: Presence) -> Command {
    Command::request_floor(kind, presence, english())
}

fn add(speaker: Participant, kind: RequestKind) -> Command {
    Command::add_speaker(speaker, kind, InRoom, english())
}

/// `who` asks for the floor in the active list at `now`; returns the new entry's id.
fn ask(meeting: &mut Meeting, now: Millis, who: &Participant, kind: RequestKind) -> EntryId {
    let records = run(meeting, now, who, request(kind, InRoom)).expect("the request is taken");
    match &records[..] {
        [EventRecord { event: Event::EntryAdded { entry, .. }, .. }] => entry.id,
        other => panic!("expected one entry_added, got {other:?}"),
    }
}

fn give_floor(meeting: &mut Meeting, now: Millis) -> Result<Vec<EventRecord>, Rejection> {
    run(meeting, now, &chair(), Command::GiveFloor { entry: None })
}

/// The code of a refusal; panics when the command was taken.
fn refused(outcome: Result<Vec<EventRecord>, Rejection>) -> RejectionCode {
    outcome.expect_err("the command should be refused").code
}

/// Who waits in the active list, in order.
fn waiting(meeting: &Meeting) -> Vec<String> {
    meeting.active().unwrap().entries.iter().map(|e| e.speaker.id.to_string()).collect()
}

/// Who has the floor.
fn speaking(meeting: &Meeting) -> String {
    meeting.floor.as_ref().expect("someone has the floor").speaker.id.to_string()
}

// ---- one queue for everyone

#[test]
fn a_remote_ngo_and_an_in_room_delegate_share_one_queue() {
    let mut meeting = open_meeting();

    run(&mut meeting, at(1), &chile(), request(Statement, InRoom)).unwrap();
    run(&mut meeting, at(2), &ngo(), request(Statement, Remote)).unwrap();

    assert_eq!(waiting(&meeting), ["del-chile", "ngo-open-networks"]);
    let presences: Vec<Presence> = meeting.active().unwrap().entries.iter().map(|e| e.presence).collect();
    assert_eq!(presences, [InRoom, Remote]);
    give_floor(&mut meeting, at(10)).unwrap();
    give_floor(&mut meeting, at(100)).unwrap();
    assert_eq!(speaking(&meeting), "ngo-open-networks");
    assert_eq!(meeting.floor.as_ref().unwrap().presence, Remote);
}

#[test]
fn a_point_of_order_goes_ahead_of_statements() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);

    ask(&mut meeting, at(3), &norway(), PointOfOrder);

    assert_eq!(waiting(&meeting), ["del-norway", "del-chile", "del-kenya"]);
    give_floor(&mut meeting, at(4)).unwrap();
    assert_eq!(speaking(&meeting), "del-norway");
    assert_eq!(meeting.floor.as_ref().unwrap().kind, PointOfOrder);
}

#[test]
fn points_of_order_are_first_come_first_served_among_themselves() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);

    ask(&mut meeting, at(2), &norway(), PointOfOrder);
    ask(&mut meeting, at(3), &kenya(), PointOfOrder);

    assert_eq!(waiting(&meeting), ["del-norway", "del-kenya", "del-chile"]);
}

#[test]
fn the_chair_cannot_move_a_point_of_order_ahead_of_an_earlier_one() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &norway(), PointOfOrder);
    let later = ask(&mut meeting, at(2), &kenya(), PointOfOrder);
    let before = meeting.clone();

    let outcome = run(&mut meeting, at(3), &chair(), Command::MoveEntry { entry: later, position: 0 });

    assert_eq!(outcome.unwrap_err().code, RejectionCode::InvalidCommand);
    assert_eq!(meeting, before);
    assert_eq!(waiting(&meeting), ["del-norway", "del-kenya"]);
}

#[test]
fn a_right_of_reply_waits_until_the_statements_are_exhausted() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), RightOfReply);

    ask(&mut meeting, at(2), &kenya(), Statement);
    ask(&mut meeting, at(3), &norway(), Statement);

    assert_eq!(waiting(&meeting), ["del-kenya", "del-norway", "del-chile"]);
    give_floor(&mut meeting, at(10)).unwrap();
    give_floor(&mut meeting, at(20)).unwrap();
    give_floor(&mut meeting, at(30)).unwrap();
    assert_eq!(speaking(&meeting), "del-chile");
    assert_eq!(meeting.floor.as_ref().unwrap().kind, RightOfReply);
}

// ---- who may ask where

#[test]
fn a_stakeholder_cannot_inscribe_in_a_closed_meeting() {
    let mut meeting = meeting_with(Access::Closed, spec(Inscription::All, 180, None));

    let by_themselves = run(&mut meeting, at(1), &ngo(), request(Statement, Remote));
    let by_the_chair = run(&mut meeting, at(2), &chair(), add(ngo(), Statement));

    assert_eq!(refused(by_themselves), RejectionCode::MeetingClosed);
    assert_eq!(refused(by_the_chair), RejectionCode::MeetingClosed);
    assert!(waiting(&meeting).is_empty());
}

#[test]
fn a_stakeholder_cannot_inscribe_in_a_member_states_segment() {
    let mut meeting = meeting_with(Access::Open, spec(Inscription::MemberStates, 180, None));

    let outcome = run(&mut meeting, at(1), &ngo(), request(Statement, Remote));

    assert_eq!(refused(outcome), RejectionCode::SegmentNotOpenToYou);
    assert!(waiting(&meeting).is_empty());
}

#[test]
fn a_stakeholder_segment_is_reserved_for_accredited_organisations() {
    let mut meeting = meeting_with(Access::Open, spec(Inscription::Stakeholders, 180, None));

    let delegate = run(&mut meeting, at(1), &chile(), request(Statement, InRoom));
    let expert = run(&mut meeting, at(2), &expert(), request(Statement, InRoom));
    ask(&mut meeting, at(3), &ngo(), Statement);

    assert_eq!(refused(delegate), RejectionCode::SegmentNotOpenToYou);
    assert_eq!(refused(expert), RejectionCode::SegmentNotOpenToYou);
    assert_eq!(waiting(&meeting), ["ngo-open-networks"]);
}

#[test]
fn an_expert_speaks_for_the_state_and_may_inscribe_in_a_closed_meeting() {
    let mut meeting = closed_meeting();

    ask(&mut meeting, at(1), &expert(), Statement);

    let entry = &meeting.active().unwrap().entries[0];
    assert_eq!(entry.speaker.id, expert().id);
    assert_eq!(entry.speaker.on_behalf_of(), Some("Kenya"));
}

#[test]
fn the_chair_and_the_secretariat_add_speakers_rather_than_ask() {
    let mut meeting = open_meeting();

    let chair_asks = run(&mut meeting, at(1), &chair(), request(Statement, InRoom));
    let secretariat_asks = run(&mut meeting, at(1), &secretariat(), request(Statement, InRoom));

    assert_eq!(refused(chair_asks), RejectionCode::NotAllowed);
    assert_eq!(refused(secretariat_asks), RejectionCode::NotAllowed);
}

#[test]
fn nothing_can_be_asked_before_a_segment_is_active_but_a_list_may_be_joined_in_advance() {
    let mut meeting = open_meeting();
    with_second_segment(&mut meeting, Inscription::All);
    let mut no_segment = Meeting::new(info(Access::Open));

    let too_early = run(&mut no_segment, at(1), &chile(), request(Statement, InRoom));
    let in_advance = run(
        &mut meeting,
        at(1),
        &chile(),
        Command::RequestFloor {
            segment: Some(SegmentId(2)),
            kind: Statement,
            presence: InRoom,
            language: english(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        },
    );

    assert_eq!(refused(too_early), RejectionCode::NoActiveSegment);
    assert!(in_advance.is_ok());
    assert_eq!(meeting.segment(SegmentId(2)).unwrap().entries.len(), 1);
    assert!(waiting(&meeting).is_empty());
}

#[test]
fn a_list_of_a_segment_that_does_not_exist_cannot_be_joined() {
    let mut meeting = open_meeting();

    let outcome = run(
        &mut meeting,
        at(1),
        &chile(),
        Command::RequestFloor {
            segment: Some(SegmentId(7)),
            kind: Statement,
            presence: InRoom,
            language: english(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        },
    );

    assert_eq!(refused(outcome), RejectionCode::UnknownSegment);
}

// ---- panellists

#[test]
fn a_panellist_is_given_the_floor_directly() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);

    let asks = run(&mut meeting, at(2), &panellist(), request(Statement, Remote));
    let given = run(
        &mut meeting,
        at(3),
        &chair(),
        Command::GiveFloorToPanellist { speaker: panellist(), presence: Remote, language: english() },
    );

    assert_eq!(refused(asks), RejectionCode::NotAllowed);
    assert!(given.is_ok());
    let floor = meeting.floor.as_ref().unwrap();
    assert_eq!((floor.speaker.id.as_str(), floor.entry, floor.requested_at), ("pan-geneva", None, None));
    assert_eq!(waiting(&meeting), ["del-chile"], "the list is left as it was");
}

#[test]
fn only_a_panellist_is_given_the_floor_without_inscribing() {
    let mut meeting = open_meeting();

    let outcome = run(
        &mut meeting,
        at(1),
        &chair(),
        Command::GiveFloorToPanellist { speaker: chile(), presence: InRoom, language: english() },
    );

    assert_eq!(refused(outcome), RejectionCode::InvalidCommand);
    assert!(meeting.floor.is_none());
}

#[test]
fn a_panellist_does_not_speak_in_a_closed_meeting() {
    let mut meeting = closed_meeting();

    let outcome = run(
        &mut meeting,
        at(1),
        &chair(),
        Command::GiveFloorToPanellist { speaker: panellist(), presence: InRoom, language: english() },
    );

    assert_eq!(refused(outcome), RejectionCode::MeetingClosed);
}

// ---- closing the list

#[test]
fn a_closed_list_still_takes_points_of_order() {
    let mut meeting = open_meeting();
    run(&mut meeting, at(1), &chair(), Command::CloseList { segment: None }).unwrap();

    let statement = run(&mut meeting, at(2), &chile(), request(Statement, InRoom));
    let reply = run(&mut meeting, at(3), &kenya(), request(RightOfReply, InRoom));
    ask(&mut meeting, at(4), &norway(), PointOfOrder);

    assert_eq!(refused(statement), RejectionCode::ListClosed);
    assert_eq!(refused(reply), RejectionCode::ListClosed);
    assert_eq!(waiting(&meeting), ["del-norway"]);
}

#[test]
fn a_reopened_list_takes_statements_again() {
    let mut meeting = open_meeting();
    run(&mut meeting, at(1), &chair(), Command::CloseList { segment: None }).unwrap();

    run(&mut meeting, at(2), &chair(), Command::ReopenList { segment: None }).unwrap();
    ask(&mut meeting, at(3), &chile(), Statement);

    assert!(meeting.active().unwrap().list_open);
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

#[test]
fn closing_a_closed_list_or_reopening_an_open_one_records_nothing() {
    let mut meeting = open_meeting();

    let reopened = run(&mut meeting, at(1), &chair(), Command::ReopenList { segment: None }).unwrap();
    run(&mut meeting, at(2), &chair(), Command::CloseList { segment: None }).unwrap();
    let closed_again = run(&mut meeting, at(3), &chair(), Command::CloseList { segment: None }).unwrap();

    assert_eq!(reopened, []);
    assert_eq!(closed_again, []);
}

// ---- the longest list

/// An open meeting whose list takes at most `max` requests.
fn meeting_with_longest_list(max: u32) -> Meeting {
    meeting_with(Access::Open, SegmentSpec { max_waiting: Some(max), ..spec(Inscription::All, 180, None) })
}

#[test]
fn a_full_list_refuses_statements_and_rights_of_reply_until_a_place_frees() {
    let mut meeting = meeting_with_longest_list(2);
    ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);

    let statement = run(&mut meeting, at(3), &norway(), request(Statement, InRoom));
    let reply = run(&mut meeting, at(4), &norway(), request(RightOfReply, InRoom));
    run(&mut meeting, at(5), &kenya(), Command::Withdraw { segment: None }).unwrap();
    ask(&mut meeting, at(6), &norway(), Statement);

    assert_eq!(refused(statement), RejectionCode::ListFull);
    assert_eq!(refused(reply), RejectionCode::ListFull);
    assert!(meeting.active().unwrap().is_full());
    assert_eq!(waiting(&meeting), ["del-chile", "del-norway"]);
}

#[test]
fn a_full_list_still_takes_points_of_order_and_the_chairs_additions() {
    let mut meeting = meeting_with_longest_list(1);
    ask(&mut meeting, at(1), &chile(), Statement);

    ask(&mut meeting, at(2), &norway(), PointOfOrder);
    run(&mut meeting, at(3), &chair(), add(kenya(), Statement)).unwrap();

    assert_eq!(waiting(&meeting).len(), 3);
}

#[test]
fn a_longest_list_of_no_request_or_of_more_than_a_thousand_is_refused() {
    let mut meeting = open_meeting();

    let none = SegmentSpec { max_waiting: Some(0), ..spec(Inscription::All, 180, None) };
    let too_many = SegmentSpec { max_waiting: Some(1001), ..spec(Inscription::All, 180, None) };
    let refusals =
        [none, too_many].map(|spec| refused(run(&mut meeting, at(1), &chair(), Command::CreateSegment { spec })));

    assert_eq!(refusals, [RejectionCode::InvalidCommand, RejectionCode::InvalidCommand]);
    assert_eq!(meeting.segments.len(), 1);
}

// ---- one place per person

#[test]
fn nobody_is_twice_in_one_list() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);

    let again = run(&mut meeting, at(2), &chile(), request(PointOfOrder, InRoom));
    let added_by_the_chair = run(&mut meeting, at(3), &chair(), add(chile(), Statement));

    assert_eq!(refused(again), RejectionCode::AlreadyInscribed);
    assert_eq!(refused(added_by_the_chair), RejectionCode::AlreadyInscribed);
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

#[test]
fn one_person_may_wait_in_the_lists_of_two_segments() {
    let mut meeting = open_meeting();
    with_second_segment(&mut meeting, Inscription::All);

    ask(&mut meeting, at(1), &chile(), Statement);
    let second = run(
        &mut meeting,
        at(2),
        &chile(),
        Command::RequestFloor {
            segment: Some(SegmentId(2)),
            kind: Statement,
            presence: InRoom,
            language: english(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        },
    );

    assert!(second.is_ok());
    assert!(meeting.segments.iter().all(|s| s.entry_of(&chile().id).is_some()));
}

#[test]
fn a_speaker_may_ask_again_once_they_have_spoken() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);
    give_floor(&mut meeting, at(2)).unwrap();

    ask(&mut meeting, at(3), &chile(), RightOfReply);

    assert_eq!(speaking(&meeting), "del-chile");
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

// ---- the chair and the list

#[test]
fn the_chair_adds_a_speaker_on_their_behalf() {
    let mut meeting = open_meeting();

    let records = run(
        &mut meeting,
        at(1),
        &chair(),
        Command::AddSpeaker {
            segment: None,
            speaker: ngo(),
            kind: Statement,
            presence: Remote,
            language: english(),
            co_signers: Vec::new(),
            note: None,
            group: None,
        },
    )
    .unwrap();

    assert!(matches!(events(records)[..], [Event::EntryAdded { .. }]));
    let entry = &meeting.active().unwrap().entries[0];
    assert_eq!((entry.speaker.id.as_str(), entry.presence), ("ngo-open-networks", Remote));
    assert_eq!(entry.added_by, Some(chair().id));
}

#[test]
fn a_speaker_added_by_the_chair_needs_a_name_and_whom_they_speak_for() {
    let mut meeting = open_meeting();
    let nameless = Participant { name: "  ".into(), ..chile() };
    let stateless = Participant { delegation: None, ..chile() };

    let without_name = run(&mut meeting, at(1), &chair(), add(nameless, Statement));
    let without_state = run(&mut meeting, at(2), &chair(), add(stateless, Statement));

    assert_eq!(refused(without_name), RejectionCode::InvalidCommand);
    assert_eq!(refused(without_state), RejectionCode::InvalidCommand);
}

#[test]
fn a_chair_move_stays_within_the_band() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &norway(), PointOfOrder);
    ask(&mut meeting, at(2), &chile(), Statement);
    let kenya_id = ask(&mut meeting, at(3), &kenya(), Statement);
    let ngo_id = ask(&mut meeting, at(4), &ngo(), RightOfReply);

    run(&mut meeting, at(5), &chair(), Command::MoveEntry { entry: kenya_id, position: 0 }).unwrap();
    assert_eq!(waiting(&meeting), ["del-norway", "del-kenya", "del-chile", "ngo-open-networks"]);

    run(&mut meeting, at(6), &chair(), Command::MoveEntry { entry: kenya_id, position: 99 }).unwrap();
    assert_eq!(waiting(&meeting), ["del-norway", "del-chile", "del-kenya", "ngo-open-networks"]);

    run(&mut meeting, at(7), &chair(), Command::MoveEntry { entry: ngo_id, position: 0 }).unwrap();
    assert_eq!(waiting(&meeting), ["del-norway", "del-chile", "del-kenya", "ngo-open-networks"]);
}

#[test]
fn a_move_to_where_the_entry_already_is_records_nothing() {
    let mut meeting = open_meeting();
    let first = ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);

    let records = run(&mut meeting, at(3), &chair(), Command::MoveEntry { entry: first, position: 0 }).unwrap();

    assert_eq!(records, []);
}

#[test]
fn a_speaker_withdraws_their_own_request() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);

    let records = run(&mut meeting, at(3), &chile(), Command::Withdraw { segment: None }).unwrap();

    assert_eq!(events(records), [Event::EntryWithdrawn { segment: SegmentId(1), entry }]);
    assert_eq!(waiting(&meeting), ["del-kenya"]);
}

#[test]
fn withdrawing_without_a_request_is_refused() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);

    let outcome = run(&mut meeting, at(2), &kenya(), Command::Withdraw { segment: None });

    assert_eq!(refused(outcome), RejectionCode::NotInscribed);
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

#[test]
fn the_chair_removes_a_waiting_entry_once() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);

    let first = run(&mut meeting, at(2), &chair(), Command::RemoveEntry { entry, reason: None }).unwrap();
    let second = run(&mut meeting, at(3), &chair(), Command::RemoveEntry { entry, reason: None });

    assert_eq!(events(first), [Event::EntryRemoved { segment: SegmentId(1), entry, reason: None }]);
    assert_eq!(refused(second), RejectionCode::UnknownEntry);
    assert!(waiting(&meeting).is_empty());
}

#[test]
fn a_called_entry_can_no_longer_be_moved_or_removed() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    give_floor(&mut meeting, at(2)).unwrap();

    let moved = run(&mut meeting, at(3), &chair(), Command::MoveEntry { entry, position: 0 });
    let removed = run(&mut meeting, at(3), &chair(), Command::RemoveEntry { entry, reason: None });

    assert_eq!(refused(moved), RejectionCode::UnknownEntry);
    assert_eq!(refused(removed), RejectionCode::UnknownEntry);
}

#[test]
fn set_presence_changes_where_every_waiting_entry_follows_from() {
    let mut meeting = open_meeting();
    with_second_segment(&mut meeting, Inscription::All);
    ask(&mut meeting, at(1), &chile(), Statement);
    run(
        &mut meeting,
        at(1),
        &chile(),
        Command::RequestFloor {
            segment: Some(SegmentId(2)),
            kind: Statement,
            presence: InRoom,
            language: english(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        },
    )
    .unwrap();

    let records = run(&mut meeting, at(2), &chile(), Command::SetPresence { presence: Remote }).unwrap();
    let again = run(&mut meeting, at(3), &chile(), Command::SetPresence { presence: Remote }).unwrap();

    assert_eq!(events(records), [Event::PresenceChanged { participant: chile().id, presence: Remote }]);
    assert!(meeting.segments.iter().flat_map(|s| &s.entries).all(|e| e.presence == Remote));
    assert_eq!(again, [], "nothing changed the second time");
}

#[test]
fn set_presence_with_nothing_waiting_records_nothing() {
    let mut meeting = open_meeting();

    let records = run(&mut meeting, at(1), &kenya(), Command::SetPresence { presence: Remote }).unwrap();

    assert_eq!(records, []);
}

// ---- segments

#[test]
fn segments_are_numbered_in_the_order_they_were_created() {
    let mut meeting = open_meeting();

    with_second_segment(&mut meeting, Inscription::Stakeholders);
    with_second_segment(&mut meeting, Inscription::MemberStates);

    let ids: Vec<SegmentId> = meeting.segments.iter().map(|s| s.id).collect();
    assert_eq!(ids, [SegmentId(1), SegmentId(2), SegmentId(3)]);
}

#[test]
fn an_invalid_segment_is_refused() {
    let mut meeting = open_meeting();
    let blank = SegmentSpec { title: "  ".into(), ..spec(Inscription::All, 180, None) };
    let too_short = spec(Inscription::All, 4, None);
    let budget_below_one_turn = spec(Inscription::All, 180, Some(179));
    let too_long = spec(Inscription::All, SegmentSpec::MAX_SECS + 1, None);

    for spec in [blank, too_short, budget_below_one_turn, too_long] {
        let created = run(&mut meeting, at(1), &chair(), Command::CreateSegment { spec: spec.clone() });
        let updated = run(&mut meeting, at(1), &chair(), Command::UpdateSegment { segment: SegmentId(1), spec });

        assert_eq!(refused(created), RejectionCode::InvalidCommand);
        assert_eq!(refused(updated), RejectionCode::InvalidCommand);
    }
    assert_eq!(meeting.segments.len(), 1);
}

#[test]
fn updating_a_segment_changes_its_rules_but_keeps_its_list() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);
    let new_rules = spec(Inscription::MemberStates, 120, Some(600));

    run(&mut meeting, at(2), &chair(), Command::UpdateSegment { segment: SegmentId(1), spec: new_rules.clone() })
        .unwrap();

    assert_eq!(meeting.active().unwrap().spec, new_rules);
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

#[test]
fn activate_is_refused_while_someone_has_the_floor() {
    let mut meeting = open_meeting();
    with_second_segment(&mut meeting, Inscription::All);
    ask(&mut meeting, at(1), &chile(), Statement);
    give_floor(&mut meeting, at(2)).unwrap();

    let while_speaking = run(&mut meeting, at(3), &chair(), Command::ActivateSegment { segment: SegmentId(2) });
    let same_segment = run(&mut meeting, at(3), &chair(), Command::ActivateSegment { segment: SegmentId(1) });
    run(&mut meeting, at(4), &chair(), Command::EndFloor).unwrap();
    let after_the_end = run(&mut meeting, at(5), &chair(), Command::ActivateSegment { segment: SegmentId(2) });

    assert_eq!(refused(while_speaking), RejectionCode::FloorInUse);
    assert_eq!(same_segment.unwrap(), [], "the active segment stays active");
    assert!(after_the_end.is_ok());
    assert_eq!(meeting.active_segment, Some(SegmentId(2)));
}

#[test]
fn activating_a_segment_that_does_not_exist_is_refused() {
    let mut meeting = open_meeting();

    let outcome = run(&mut meeting, at(1), &chair(), Command::ActivateSegment { segment: SegmentId(9) });

    assert_eq!(refused(outcome), RejectionCode::UnknownSegment);
}

// ---- the floor

#[test]
fn giving_the_floor_calls_the_first_in_the_list() {
    let mut meeting = open_meeting();
    let first = ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);

    give_floor(&mut meeting, at(3)).unwrap();

    let floor = meeting.floor.as_ref().unwrap();
    assert_eq!((floor.entry, floor.started_at, floor.waited_ms()), (Some(first), at(3), Some(2_000)));
    assert_eq!(waiting(&meeting), ["del-kenya"]);
}

#[test]
fn the_chair_may_call_a_waiting_speaker_out_of_turn() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);
    let second = ask(&mut meeting, at(2), &kenya(), Statement);

    run(&mut meeting, at(3), &chair(), Command::GiveFloor { entry: Some(second) }).unwrap();

    assert_eq!(speaking(&meeting), "del-kenya");
    assert_eq!(waiting(&meeting), ["del-chile"]);
}

#[test]
fn the_floor_is_given_only_from_the_active_list() {
    let mut meeting = open_meeting();
    with_second_segment(&mut meeting, Inscription::All);
    let elsewhere = run(
        &mut meeting,
        at(1),
        &chile(),
        Command::RequestFloor {
            segment: Some(SegmentId(2)),
            kind: Statement,
            presence: InRoom,
            language: english(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        },
    )
    .unwrap();
    let Event::EntryAdded { entry, .. } = &elsewhere[0].event else { panic!("an entry was added") };

    let named = run(&mut meeting, at(2), &chair(), Command::GiveFloor { entry: Some(entry.id) });
    let first = give_floor(&mut meeting, at(3));

    assert_eq!(refused(named), RejectionCode::UnknownEntry);
    assert_eq!(refused(first), RejectionCode::ListEmpty);
}

#[test]
fn giving_the_floor_while_someone_speaks_ends_their_intervention() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(1), &chile(), Statement);
    ask(&mut meeting, at(2), &kenya(), Statement);
    give_floor(&mut meeting, at(10)).unwrap();

    let records = give_floor(&mut meeting, at(70)).unwrap();

    assert!(matches!(events(records)[..], [Event::FloorEnded { .. }, Event::FloorGiven { .. }]));
    assert_eq!(speaking(&meeting), "del-kenya");
    let ended = &meeting.record[0];
    assert_eq!((ended.speaker.id.as_str(), ended.ended_at), ("del-chile", Some(at(70))));
    assert_eq!(ended.spoken_ms(at(500)), 60_000);
    assert_eq!(meeting.active().unwrap().used_ms, 60_000);
}

#[test]
fn pause_resume_and_extend_change_the_remaining_time() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(0), &chile(), Statement);
    give_floor(&mut meeting, at(0)).unwrap();
    let remaining = |m: &Meeting, secs| m.floor.as_ref().unwrap().remaining_ms(at(secs));
    assert_eq!(remaining(&meeting, 60), 120_000);

    run(&mut meeting, at(60), &chair(), Command::PauseFloor).unwrap();
    assert_eq!(remaining(&meeting, 100), 120_000, "a paused clock stands still");

    run(&mut meeting, at(100), &chair(), Command::ResumeFloor).unwrap();
    assert_eq!(remaining(&meeting, 130), 90_000);

    run(&mut meeting, at(130), &chair(), Command::ExtendFloor { secs: 30 }).unwrap();
    assert_eq!(remaining(&meeting, 130), 120_000);

    run(&mut meeting, at(150), &chair(), Command::EndFloor).unwrap();
    let ended = &meeting.record[0];
    assert_eq!(ended.pauses, [Pause { from: at(60), to: Some(at(100)) }]);
    assert_eq!((ended.extended_ms, ended.spoken_ms(at(999))), (30_000, 110_000));
    assert_eq!(meeting.active().unwrap().used_ms, 110_000);
}

#[test]
fn the_clock_cannot_be_paused_twice_nor_resumed_while_it_runs() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(0), &chile(), Statement);
    give_floor(&mut meeting, at(0)).unwrap();

    let resumed_while_running = run(&mut meeting, at(1), &chair(), Command::ResumeFloor);
    run(&mut meeting, at(2), &chair(), Command::PauseFloor).unwrap();
    let paused_twice = run(&mut meeting, at(3), &chair(), Command::PauseFloor);

    assert_eq!(refused(resumed_while_running), RejectionCode::NotPaused);
    assert_eq!(refused(paused_twice), RejectionCode::AlreadyPaused);
}

#[test]
fn ending_a_paused_intervention_closes_the_pause() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(0), &chile(), Statement);
    give_floor(&mut meeting, at(0)).unwrap();
    run(&mut meeting, at(20), &chair(), Command::PauseFloor).unwrap();

    run(&mut meeting, at(50), &chair(), Command::EndFloor).unwrap();

    assert_eq!(meeting.record[0].pauses, [Pause { from: at(20), to: Some(at(50)) }]);
    assert_eq!(meeting.active().unwrap().used_ms, 20_000);
}

#[test]
fn timing_the_floor_needs_someone_on_it() {
    let mut meeting = open_meeting();

    for command in [Command::PauseFloor, Command::ResumeFloor, Command::ExtendFloor { secs: 30 }, Command::EndFloor] {
        let outcome = run(&mut meeting, at(1), &chair(), command);

        assert_eq!(refused(outcome), RejectionCode::FloorEmpty);
    }
}

#[test]
fn an_extension_is_one_second_to_thirty_minutes() {
    let mut meeting = open_meeting();
    ask(&mut meeting, at(0), &chile(), Statement);
    give_floor(&mut meeting, at(0)).unwrap();

    let none = run(&mut meeting, at(1), &chair(), Command::ExtendFloor { secs: 0 });
    let too_much = run(&mut meeting, at(1), &chair(), Command::ExtendFloor { secs: 1801 });
    let most = run(&mut meeting, at(1), &chair(), Command::ExtendFloor { secs: 1800 });

    assert_eq!(refused(none), RejectionCode::InvalidCommand);
    assert_eq!(refused(too_much), RejectionCode::InvalidCommand);
    assert_eq!(events(most.unwrap()), [Event::FloorExtended { by_ms: 1_800_000 }]);
}

#[test]
fn a_segment_budget_caps_the_time_and_then_refuses_the_floor() {
    let mut meeting = meeting_with(Access::Open, spec(Inscription::All, 180, Some(300)));
    ask(&mut meeting, at(0), &chile(), Statement);
    ask(&mut meeting, at(0), &kenya(), Statement);
    ask(&mut meeting, at(0), &norway(), Statement);

    give_floor(&mut meeting, at(0)).unwrap();
    assert_eq!(meeting.floor.as_ref().unwrap().time_limit_ms, 180_000, "a full turn fits the budget");

    give_floor(&mut meeting, at(180)).unwrap();
    assert_eq!(meeting.floor.as_ref().unwrap().time_limit_ms, 120_000, "only what is left of the budget");

    let spent = give_floor(&mut meeting, at(300));
    assert_eq!(refused(spent), RejectionCode::BudgetExhausted);
    assert_eq!(speaking(&meeting), "del-kenya", "the speaker keeps the floor");
    assert_eq!(waiting(&meeting), ["del-norway"]);

    run(&mut meeting, at(300), &chair(), Command::EndFloor).unwrap();
    assert_eq!(meeting.active().unwrap().used_ms, 300_000);
    assert_eq!(refused(give_floor(&mut meeting, at(301))), RejectionCode::BudgetExhausted);
}

#[test]
fn the_record_keeps_who_spoke_for_how_long_and_from_where() {
    let mut meeting = open_meeting();
    run(&mut meeting, at(5), &ngo(), request(Statement, Remote)).unwrap();
    give_floor(&mut meeting, at(65)).unwrap();

    run(&mut meeting, at(155), &chair(), Command::EndFloor).unwrap();

    assert!(meeting.floor.is_none());
    let spoke = &meeting.record[0];
    assert_eq!(spoke.speaker.on_behalf_of(), Some("Open Networks Alliance"));
    assert_eq!((spoke.presence, spoke.waited_ms(), spoke.spoken_ms(at(999))), (Remote, Some(60_000), 90_000));
}

// ---- roles

#[test]
fn an_observer_can_do_nothing() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    let before = meeting.clone();
    let commands = [
        request(Statement, InRoom),
        Command::Withdraw { segment: None },
        Command::SetPresence { presence: Remote },
        add(kenya(), Statement),
        Command::MoveEntry { entry, position: 0 },
        Command::RemoveEntry { entry, reason: None },
        Command::CreateSegment { spec: spec(Inscription::All, 60, None) },
        Command::UpdateSegment { segment: SegmentId(1), spec: spec(Inscription::All, 60, None) },
        Command::ActivateSegment { segment: SegmentId(1) },
        Command::CloseList { segment: None },
        Command::ReopenList { segment: None },
        Command::GiveFloor { entry: None },
        Command::GiveFloorToPanellist { speaker: panellist(), presence: InRoom, language: english() },
        Command::PauseFloor,
        Command::ResumeFloor,
        Command::ExtendFloor { secs: 30 },
        Command::EndFloor,
    ];

    for command in commands {
        let name = command.name();
        let outcome = run(&mut meeting, at(2), &observer(), command);

        match outcome {
            Err(rejection) => assert!(
                matches!(rejection.code, RejectionCode::NotAllowed | RejectionCode::NotInscribed),
                "{name}: {rejection}"
            ),
            Ok(records) => assert_eq!(records, [], "{name} recorded something"),
        }
        assert_eq!(meeting, before, "{name} changed the meeting");
    }
}

#[test]
fn only_the_chair_or_the_secretariat_runs_the_list_and_the_floor() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    let chairs_business = [
        add(kenya(), Statement),
        Command::MoveEntry { entry, position: 0 },
        Command::RemoveEntry { entry, reason: None },
        Command::CreateSegment { spec: spec(Inscription::All, 60, None) },
        Command::UpdateSegment { segment: SegmentId(1), spec: spec(Inscription::All, 60, None) },
        Command::ActivateSegment { segment: SegmentId(1) },
        Command::CloseList { segment: None },
        Command::ReopenList { segment: None },
        Command::GiveFloor { entry: None },
        Command::GiveFloorToPanellist { speaker: panellist(), presence: InRoom, language: english() },
        Command::PauseFloor,
        Command::ResumeFloor,
        Command::ExtendFloor { secs: 30 },
        Command::EndFloor,
    ];

    for who in [chile(), expert(), ngo(), panellist()] {
        for command in chairs_business.clone() {
            let name = command.name();
            let outcome = run(&mut meeting, at(2), &who, command);

            assert_eq!(refused(outcome), RejectionCode::NotAllowed, "{} may not {name}", who.id);
        }
    }
}

#[test]
fn the_secretariat_keeps_the_list_but_the_chair_gives_the_floor() {
    let mut meeting = open_meeting();

    run(&mut meeting, at(1), &secretariat(), add(chile(), Statement)).unwrap();
    let refused_floor = run(&mut meeting, at(2), &secretariat(), Command::GiveFloor { entry: None });
    run(&mut meeting, at(3), &chair(), Command::GiveFloor { entry: None }).unwrap();

    assert_eq!(refused(refused_floor), RejectionCode::NotAllowed);
    assert_eq!(speaking(&meeting), "del-chile");
    assert!(meeting.record.is_empty());
}

// ---- refusals and the log

/// A meeting in full swing: Chile speaks since 0 s in a segment with a 60 s limit and a 120 s
/// budget, Kenya waits, the list is closed, and a second segment is reserved for member states.
fn in_full_swing() -> Meeting {
    let mut meeting = meeting_with(Access::Open, spec(Inscription::All, 60, Some(120)));
    with_second_segment(&mut meeting, Inscription::MemberStates);
    ask(&mut meeting, at(0), &chile(), Statement);
    ask(&mut meeting, at(0), &kenya(), Statement);
    give_floor(&mut meeting, at(0)).unwrap();
    run(&mut meeting, at(0), &chair(), Command::CloseList { segment: None }).unwrap();
    meeting
}

fn paused() -> Meeting {
    let mut meeting = in_full_swing();
    run(&mut meeting, at(1), &chair(), Command::PauseFloor).unwrap();
    meeting
}

/// A segment exists but none is active yet.
fn idle() -> Meeting {
    let mut meeting = Meeting::new(info(Access::Open));
    run(&mut meeting, at(0), &chair(), Command::CreateSegment { spec: spec(Inscription::All, 60, None) }).unwrap();
    meeting
}

fn empty_list() -> Meeting {
    open_meeting()
}

fn closed() -> Meeting {
    closed_meeting()
}

#[test]
fn every_rejection_leaves_the_meeting_unchanged() {
    type Case = (fn() -> Meeting, i64, Participant, Command, RejectionCode);
    let in_segment_2 = |kind| Command::RequestFloor {
        segment: Some(SegmentId(2)),
        kind,
        presence: InRoom,
        language: english(),
        co_signers: Vec::new(),
        gender: None,
        note: None,
        group: None,
    };
    let cases: Vec<Case> = vec![
        (in_full_swing, 1, kenya(), Command::MoveEntry { entry: EntryId(2), position: 0 }, RejectionCode::NotAllowed),
        (closed, 1, ngo(), Command::SetPresence { presence: Remote }, RejectionCode::MeetingClosed),
        (in_full_swing, 1, ngo(), in_segment_2(Statement), RejectionCode::SegmentNotOpenToYou),
        (idle, 1, chile(), request(PointOfOrder, InRoom), RejectionCode::NoActiveSegment),
        (in_full_swing, 1, chile(), Command::Withdraw { segment: Some(SegmentId(5)) }, RejectionCode::UnknownSegment),
        (
            in_full_swing,
            1,
            chair(),
            Command::RemoveEntry { entry: EntryId(20), reason: None },
            RejectionCode::UnknownEntry,
        ),
        (in_full_swing, 1, kenya(), request(PointOfOrder, InRoom), RejectionCode::AlreadyInscribed),
        (in_full_swing, 1, norway(), request(Statement, InRoom), RejectionCode::ListClosed),
        (in_full_swing, 1, norway(), Command::Withdraw { segment: None }, RejectionCode::NotInscribed),
        (idle, 1, chair(), Command::EndFloor, RejectionCode::FloorEmpty),
        (paused, 2, chair(), Command::PauseFloor, RejectionCode::AlreadyPaused),
        (in_full_swing, 1, chair(), Command::ResumeFloor, RejectionCode::NotPaused),
        (empty_list, 1, chair(), Command::GiveFloor { entry: None }, RejectionCode::ListEmpty),
        (in_full_swing, 1, chair(), Command::ActivateSegment { segment: SegmentId(2) }, RejectionCode::FloorInUse),
        (in_full_swing, 120, chair(), Command::GiveFloor { entry: None }, RejectionCode::BudgetExhausted),
        (in_full_swing, 1, chair(), Command::ExtendFloor { secs: 0 }, RejectionCode::InvalidCommand),
    ];

    for (state, secs, actor, command, code) in cases {
        let mut meeting = state();
        let before = meeting.clone();
        let name = command.name();

        let outcome = run(&mut meeting, at(secs), &actor, command);

        assert_eq!(refused(outcome), code, "{name} by {}", actor.id);
        assert_eq!(meeting, before, "{name} by {} was refused but changed the meeting", actor.id);
    }
}

#[test]
fn replaying_the_log_rebuilds_the_meeting() {
    let mut meeting = Meeting::new(info(Access::Open));
    let mut log = Vec::new();
    let mut play =
        |m: &mut Meeting, secs, actor: &Participant, command| log.extend(run(m, at(secs), actor, command).unwrap());
    play(&mut meeting, 0, &chair(), Command::CreateSegment { spec: spec(Inscription::All, 60, Some(600)) });
    play(&mut meeting, 0, &chair(), Command::ActivateSegment { segment: SegmentId(1) });
    play(&mut meeting, 1, &chile(), request(Statement, InRoom));
    play(&mut meeting, 2, &ngo(), request(RightOfReply, Remote));
    play(&mut meeting, 3, &kenya(), request(PointOfOrder, InRoom));
    play(&mut meeting, 4, &chair(), Command::GiveFloor { entry: None });
    play(&mut meeting, 20, &chair(), Command::PauseFloor);
    play(&mut meeting, 30, &chair(), Command::ResumeFloor);
    play(&mut meeting, 40, &chair(), Command::GiveFloor { entry: None });
    play(&mut meeting, 50, &ngo(), Command::SetPresence { presence: InRoom });

    let mut replayed = Meeting::new(info(Access::Open));
    for record in &log {
        replayed.apply(record);
    }

    assert_eq!(replayed, meeting);
    let seqs: Vec<u64> = log.iter().map(|r| r.seq.0).collect();
    assert_eq!(seqs, (1..=log.len() as u64).collect::<Vec<_>>());
}

fn stakeholder(id: &str, organisation: &str) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: id.into(),
        role: Role::Stakeholder,
        delegation: None,
        organisation: Some(organisation.into()),
        profile: Default::default(),
    }
}

fn stakeholder_meeting(one_per_organisation: bool) -> Meeting {
    let mut meeting = Meeting::new(info(Access::Open));
    let spec = SegmentSpec {
        inscription: Inscription::Stakeholders,
        one_per_organisation,
        ..SegmentSpec::new("Stakeholder segment", 180)
    };
    run(&mut meeting, at(0), &chair(), Command::CreateSegment { spec }).unwrap();
    run(&mut meeting, at(0), &chair(), Command::ActivateSegment { segment: SegmentId(1) }).unwrap();
    meeting
}

fn joint(co_signers: &[&str]) -> Command {
    Command::RequestFloor {
        segment: None,
        kind: Statement,
        presence: Remote,
        language: Language::parse("en").unwrap(),
        co_signers: co_signers.iter().map(|c| c.to_string()).collect(),
        gender: None,
        note: None,
        group: None,
    }
}

#[test]
fn a_segment_with_one_speaker_per_organisation_refuses_a_second_representative() {
    let mut meeting = stakeholder_meeting(true);
    run(&mut meeting, at(1), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();

    let second = run(&mut meeting, at(2), &stakeholder("a2", "access now"), joint(&[]));

    assert_eq!(refused(second), RejectionCode::OrganisationAlreadyInscribed);
}

/// The id of the entry `who` just added with `command`.
fn added(meeting: &mut Meeting, now: Millis, who: &Participant, command: Command) -> EntryId {
    match &run(meeting, now, who, command).expect("the request is taken")[..] {
        [EventRecord { event: Event::EntryAdded { entry, .. }, .. }] => entry.id,
        other => panic!("expected one entry_added, got {other:?}"),
    }
}

fn confirm(entry: EntryId) -> Command {
    Command::ConfirmCoSigning { entry }
}

fn decline(entry: EntryId) -> Command {
    Command::DeclineCoSigning { entry }
}

#[test]
fn a_co_signer_named_in_a_joint_statement_is_pending_until_it_confirms() {
    let mut meeting = stakeholder_meeting(true);

    run(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now", "APC"]))
        .unwrap();

    let entry = &meeting.active().unwrap().entries[0];
    assert_eq!(entry.co_signers, [CoSigner::pending("Access Now"), CoSigner::pending("APC")]);
}

#[test]
fn a_pending_co_signer_does_not_count_against_one_speaker_per_organisation() {
    // The Access Now case of issue 11: being named by another organisation took Access Now's turn.
    let mut meeting = stakeholder_meeting(true);
    run(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"])).unwrap();

    let own = run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), joint(&[]));

    assert!(own.is_ok(), "Access Now's representative inscribes: {own:?}");
    assert_eq!(meeting.active().unwrap().entries.len(), 2);
}

#[test]
fn a_co_signer_that_confirmed_has_had_its_turn() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));

    let confirmed = run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), confirm(joint_entry));
    let own = run(&mut meeting, at(3), &stakeholder("a2", "Access Now"), joint(&[]));

    assert_eq!(
        events(confirmed.unwrap()),
        [Event::CoSigningConfirmed { segment: SegmentId(1), entry: joint_entry, organisation: "Access Now".into() }]
    );
    assert_eq!(meeting.active().unwrap().entries[0].co_signers, [CoSigner::confirmed("Access Now")]);
    assert_eq!(refused(own), RejectionCode::OrganisationAlreadyInscribed);
}

#[test]
fn confirming_is_refused_when_the_organisation_already_has_its_turn_in_the_segment() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));
    run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();
    let before = meeting.clone();

    let confirmed = run(&mut meeting, at(3), &stakeholder("a2", "Access Now"), confirm(joint_entry));

    let refusal = confirmed.expect_err("refused");
    assert_eq!(refusal.code, RejectionCode::OrganisationAlreadyInscribed);
    assert!(refusal.message.contains("Access Now"), "{}", refusal.message);
    assert_eq!(meeting, before, "still pending");
}

#[test]
fn without_the_cap_a_co_signer_confirms_while_it_waits_to_speak_itself() {
    let mut meeting = stakeholder_meeting(false);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));
    run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();

    let confirmed = run(&mut meeting, at(3), &stakeholder("a1", "Access Now"), confirm(joint_entry));

    assert!(confirmed.is_ok(), "{confirmed:?}");
}

#[test]
fn only_a_representative_of_the_named_organisation_may_confirm_or_decline() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));
    let before = meeting.clone();

    let by_another = run(&mut meeting, at(2), &stakeholder("p1", "APC"), confirm(joint_entry));
    let by_the_speaker =
        run(&mut meeting, at(2), &stakeholder("g1", "Global Digital Rights Network"), confirm(joint_entry));
    let by_the_chair = run(&mut meeting, at(2), &chair(), confirm(joint_entry));
    let by_a_delegate = run(&mut meeting, at(2), &chile(), decline(joint_entry));
    let unknown = run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), confirm(EntryId(99)));

    assert_eq!(refused(by_another), RejectionCode::NotAllowed);
    assert_eq!(refused(by_the_speaker), RejectionCode::NotAllowed);
    assert_eq!(refused(by_the_chair), RejectionCode::NotAllowed);
    assert_eq!(refused(by_a_delegate), RejectionCode::NotAllowed);
    assert_eq!(refused(unknown), RejectionCode::UnknownEntry);
    assert_eq!(meeting, before, "nothing changed");
}

#[test]
fn a_representative_confirms_whatever_the_case_of_the_organisations_name() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));

    let confirmed = run(&mut meeting, at(2), &stakeholder("a1", "ACCESS NOW"), confirm(joint_entry));

    assert!(confirmed.is_ok(), "{confirmed:?}");
    assert_eq!(meeting.active().unwrap().entries[0].co_signers, [CoSigner::confirmed("Access Now")]);
}

#[test]
fn confirming_twice_changes_nothing() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now"]));
    run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), confirm(joint_entry)).unwrap();

    let again = run(&mut meeting, at(3), &stakeholder("a1", "Access Now"), confirm(joint_entry));

    assert_eq!(again, Ok(vec![]));
}

#[test]
fn a_co_signer_that_declines_is_taken_off_the_entry_and_keeps_its_turn() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now", "APC"]));
    run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), confirm(joint_entry)).unwrap();

    let declined = run(&mut meeting, at(3), &stakeholder("a1", "Access Now"), decline(joint_entry));
    let own = run(&mut meeting, at(4), &stakeholder("a2", "Access Now"), joint(&[]));

    assert!(declined.is_ok(), "{declined:?}");
    assert_eq!(meeting.active().unwrap().entries[0].co_signers, [CoSigner::pending("APC")]);
    assert!(own.is_ok(), "a confirmation withdrawn frees the turn: {own:?}");
}

#[test]
fn naming_a_co_signer_that_already_has_its_turn_is_refused() {
    let mut meeting = stakeholder_meeting(true);
    run(&mut meeting, at(1), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();

    let named = run(&mut meeting, at(2), &stakeholder("g1", "Global Digital Rights Network"), joint(&["access NOW"]));

    assert_eq!(refused(named), RejectionCode::OrganisationAlreadyInscribed);
}

#[test]
fn a_co_signer_still_pending_when_the_floor_is_given_stays_pending_in_the_record() {
    let mut meeting = stakeholder_meeting(true);
    let joint_entry =
        added(&mut meeting, at(1), &stakeholder("g1", "Global Digital Rights Network"), joint(&["Access Now", "APC"]));
    run(&mut meeting, at(2), &stakeholder("p1", "APC"), confirm(joint_entry)).unwrap();

    give_floor(&mut meeting, at(3)).unwrap();
    run(&mut meeting, at(60), &chair(), Command::EndFloor).unwrap();
    let too_late = run(&mut meeting, at(61), &stakeholder("a1", "Access Now"), confirm(joint_entry));

    assert_eq!(meeting.record[0].co_signers, [CoSigner::pending("Access Now"), CoSigner::confirmed("APC")]);
    assert_eq!(refused(too_late), RejectionCode::UnknownEntry, "only a waiting entry is confirmed");
}

#[test]
fn a_log_written_before_confirmation_replays_its_co_signers_as_confirmed() {
    // An `entry_added` as the server stored it before co-signers confirmed: bare names.
    let old: EventRecord = serde_json::from_value(serde_json::json!({
        "seq": 3, "at": 1_767_261_601_000_i64,
        "event": {"type": "entry_added", "segment": 1, "position": 0, "entry": {
            "id": 1, "kind": "statement", "presence": "remote", "language": "en", "requested_at": 1_767_261_601_000_i64,
            "speaker": {"id": "g1", "name": "g1", "role": "stakeholder", "organisation": "Global Digital Rights Network"},
            "co_signers": ["Access Now"]}}
    }))
    .expect("an old record reads");
    let mut meeting = stakeholder_meeting(true);

    meeting.apply(&old);
    let own = run(&mut meeting, at(2), &stakeholder("a1", "Access Now"), joint(&[]));

    assert_eq!(meeting.active().unwrap().entries[0].co_signers, [CoSigner::confirmed("Access Now")]);
    assert_eq!(refused(own), RejectionCode::OrganisationAlreadyInscribed, "counted, as it was when written");
}

#[test]
fn a_co_signer_is_written_with_its_confirmation() {
    let json = serde_json::to_value(CoSigner::pending("Access Now")).unwrap();

    assert_eq!(json, serde_json::json!({"organisation": "Access Now", "confirmed": false}));
    assert_eq!(serde_json::from_value::<CoSigner>(json).unwrap(), CoSigner::pending("Access Now"));
}

#[test]
fn an_organisation_that_has_spoken_cannot_inscribe_again_in_that_segment() {
    let mut meeting = stakeholder_meeting(true);
    run(&mut meeting, at(1), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();
    give_floor(&mut meeting, at(2)).unwrap();
    run(&mut meeting, at(60), &chair(), Command::EndFloor).unwrap();

    let again = run(&mut meeting, at(61), &stakeholder("a2", "Access Now"), joint(&[]));

    assert_eq!(refused(again), RejectionCode::OrganisationAlreadyInscribed);
    assert!(meeting.record[0].co_signers.is_empty());
}

#[test]
fn without_the_cap_two_representatives_of_one_organisation_may_inscribe() {
    let mut meeting = stakeholder_meeting(false);
    run(&mut meeting, at(1), &stakeholder("a1", "Access Now"), joint(&[])).unwrap();

    let second = run(&mut meeting, at(2), &stakeholder("a2", "Access Now"), joint(&[]));

    assert!(second.is_ok());
}

#[test]
fn only_an_organisation_makes_a_joint_statement() {
    let mut meeting = open_meeting();

    let refused_joint = run(&mut meeting, at(1), &chile(), joint(&["Access Now"]));

    assert_eq!(refused(refused_joint), RejectionCode::InvalidCommand);
}

// ---- ordering policies and declared genders

fn meeting_ordered(ordering: shared::Ordering) -> Meeting {
    meeting_with(Access::Open, SegmentSpec { ordering, ..spec(Inscription::All, 180, None) })
}

/// Who waits, in order, by delegation or organisation.
fn waiting_for(meeting: &Meeting) -> Vec<&str> {
    meeting.active().unwrap().entries.iter().map(|e| e.speaker.on_behalf_of().unwrap()).collect()
}

fn ask_from(meeting: &mut Meeting, now: Millis, who: &Participant, presence: Presence) {
    run(meeting, now, who, request(Statement, presence)).expect("the request is taken");
}

#[test]
fn under_first_time_first_someone_who_has_not_spoken_goes_ahead_of_those_who_have() {
    let mut meeting = meeting_ordered(shared::Ordering::FirstTimeFirst);
    ask(&mut meeting, at(1), &chile(), Statement);
    give_floor(&mut meeting, at(2)).unwrap();
    run(&mut meeting, at(60), &chair(), Command::EndFloor).unwrap();

    ask(&mut meeting, at(61), &chile(), Statement);
    ask(&mut meeting, at(62), &kenya(), Statement);
    ask(&mut meeting, at(63), &norway(), Statement);

    assert_eq!(waiting_for(&meeting), ["Kenya", "Norway", "Chile"], "first-time speakers in the order they asked");
}

#[test]
fn under_first_time_first_the_chair_can_still_move_anyone() {
    let mut meeting = meeting_ordered(shared::Ordering::FirstTimeFirst);
    ask(&mut meeting, at(1), &chile(), Statement);
    give_floor(&mut meeting, at(2)).unwrap();
    run(&mut meeting, at(60), &chair(), Command::EndFloor).unwrap();
    let chile_again = ask(&mut meeting, at(61), &chile(), Statement);
    ask(&mut meeting, at(62), &kenya(), Statement);

    run(&mut meeting, at(63), &chair(), Command::MoveEntry { entry: chile_again, position: 0 }).unwrap();

    assert_eq!(waiting_for(&meeting), ["Chile", "Kenya"]);
}

#[test]
fn an_alternating_list_takes_turns_between_the_room_and_remote_whenever_both_wait() {
    let mut meeting = meeting_ordered(shared::Ordering::AlternateInRoomAndRemote);
    ask_from(&mut meeting, at(1), &chile(), Remote);
    ask_from(&mut meeting, at(2), &kenya(), Remote);
    ask_from(&mut meeting, at(3), &ngo(), Remote);
    ask_from(&mut meeting, at(4), &norway(), InRoom);

    assert_eq!(waiting_for(&meeting), ["Chile", "Norway", "Kenya", "Open Networks Alliance"]);
}

#[test]
fn an_alternating_list_counts_the_last_speaker_before_the_first_in_line() {
    let mut meeting = meeting_ordered(shared::Ordering::AlternateInRoomAndRemote);
    ask_from(&mut meeting, at(1), &chile(), Remote);
    give_floor(&mut meeting, at(2)).unwrap();
    ask_from(&mut meeting, at(3), &kenya(), Remote);

    ask_from(&mut meeting, at(4), &norway(), InRoom);

    assert_eq!(waiting_for(&meeting), ["Norway", "Kenya"], "a remote speaker has the floor, so the room goes next");
}

#[test]
fn an_alternating_list_takes_turns_between_states_and_stakeholders() {
    let mut meeting = meeting_ordered(shared::Ordering::AlternateStatesAndStakeholders);
    ask_from(&mut meeting, at(1), &chile(), InRoom);
    ask_from(&mut meeting, at(2), &kenya(), InRoom);
    ask_from(&mut meeting, at(3), &ngo(), Remote);

    assert_eq!(waiting_for(&meeting), ["Chile", "Open Networks Alliance", "Kenya"]);
}

#[test]
fn points_of_order_and_rights_of_reply_stay_first_come_first_served_under_any_policy() {
    let mut meeting = meeting_ordered(shared::Ordering::AlternateInRoomAndRemote);
    run(&mut meeting, at(1), &chile(), request(PointOfOrder, Remote)).unwrap();
    run(&mut meeting, at(2), &kenya(), request(PointOfOrder, Remote)).unwrap();
    run(&mut meeting, at(3), &norway(), request(PointOfOrder, InRoom)).unwrap();

    assert_eq!(waiting_for(&meeting), ["Chile", "Kenya", "Norway"]);
}

#[test]
fn a_gender_is_recorded_only_as_the_speakers_own_declaration() {
    let mut meeting = open_meeting();
    let declared = Command::RequestFloor {
        segment: None,
        kind: Statement,
        presence: Remote,
        language: english(),
        co_signers: Vec::new(),
        gender: Some(shared::Gender::Woman),
        note: None,
        group: None,
    };
    run(&mut meeting, at(1), &chile(), declared).unwrap();
    let mut said_by_the_chair = kenya();
    said_by_the_chair.profile.gender = Some(shared::Gender::Man);
    run(&mut meeting, at(2), &chair(), add(said_by_the_chair, Statement)).unwrap();

    let genders: Vec<_> = meeting.active().unwrap().entries.iter().map(|e| e.speaker.profile.gender).collect();
    assert_eq!(genders, [Some(shared::Gender::Woman), None]);
}

// ---- the chair's reasons for a removal

#[test]
fn the_chair_s_reason_for_a_removal_is_kept_trimmed_until_the_person_asks_again() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    let reason = Some("  Already spoke in this segment ".to_string());

    let removed = run(&mut meeting, at(2), &chair(), Command::RemoveEntry { entry, reason }).unwrap();

    let told = Some("Already spoke in this segment".to_string());
    assert_eq!(events(removed), [Event::EntryRemoved { segment: SegmentId(1), entry, reason: told.clone() }]);
    assert_eq!(meeting.removals.len(), 1);
    assert_eq!((&meeting.removals[0].speaker, &meeting.removals[0].reason), (&chile().id, &told));
    ask(&mut meeting, at(3), &chile(), Statement);
    assert!(meeting.removals.is_empty(), "asking again clears the old removal");
}

#[test]
fn a_blank_or_over_long_reason_for_a_removal_is_refused_and_changes_nothing() {
    let mut meeting = open_meeting();
    let entry = ask(&mut meeting, at(1), &chile(), Statement);
    let before = meeting.clone();
    let too_long = "x".repeat(shared::MAX_REMOVAL_REASON_CHARS + 1);

    for reason in ["   ".to_string(), too_long, "two\nlines".to_string()] {
        let outcome = run(&mut meeting, at(2), &chair(), Command::RemoveEntry { entry, reason: Some(reason) });

        assert_eq!(refused(outcome), RejectionCode::InvalidCommand);
        assert_eq!(meeting, before);
    }
}

#[test]
fn a_removal_logged_before_reasons_existed_still_loads_and_one_without_a_reason_stays_without() {
    let old = r#"{"type": "entry_removed", "segment": 1, "entry": 3}"#;

    let event: Event = serde_json::from_str(old).unwrap();

    assert_eq!(event, Event::EntryRemoved { segment: SegmentId(1), entry: EntryId(3), reason: None });
    assert_eq!(serde_json::to_value(&event).unwrap(), serde_json::from_str::<serde_json::Value>(old).unwrap());
    let command: Command = serde_json::from_str(r#"{"type": "remove_entry", "entry": 7}"#).unwrap();
    assert_eq!(command, Command::RemoveEntry { entry: EntryId(7), reason: None });
}
