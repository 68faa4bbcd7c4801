//! The ready check and passing over: a remote speaker who is next in a list with a ready check
//! confirms they are ready; the chair sees it, and may give the floor anyway, pass them over (they
//! keep the head of the list) or wait. The record keeps the outcome, and the parity figures count
//! how often speakers in the room and remote were passed over.

use shared::report::Report;
use shared::{
    Access, Command, Event, Language, Meeting, MeetingId, MeetingInfo, Millis, Participant, ParticipantId, Presence,
    ProcessId, ReadyCheck, Rejection, RejectionCode, RequestKind, Role, SegmentSpec,
};

fn person(id: &str, name: &str, role: Role, delegation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: name.into(),
        role,
        delegation: delegation.map(Into::into),
        organisation: None,
        profile: Default::default(),
    }
}

fn chair() -> Participant {
    person("chair", "Amina Diallo", Role::Chair, None)
}

fn kenya() -> Participant {
    person("del-kenya", "Peter Otieno", Role::Delegate, Some("Kenya"))
}

fn chile() -> Participant {
    person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"))
}

fn brazil() -> Participant {
    person("del-brazil", "João Silva", Role::Delegate, Some("Brazil"))
}

fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

/// A meeting whose one active list has the ready check on (or off), where Kenya (remote), then
/// Chile (in the room), then Brazil (remote) wait.
fn meeting(ready_check: bool) -> Meeting {
    let mut meeting = Meeting::new(MeetingInfo {
        id: MeetingId::parse("oewg-s9-m3").unwrap(),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict").unwrap(),
        access: Access::Open,
        time_zone: None,
        starts_at: None,
        room: None,
    });
    let spec = SegmentSpec { ready_check, ..SegmentSpec::new("Stakeholder segment", 180) };
    run(&mut meeting, 0, &chair(), Command::CreateSegment { spec });
    run(&mut meeting, 0, &chair(), Command::ActivateSegment { segment: shared::SegmentId(1) });
    for (who, presence) in [(kenya(), Presence::Remote), (chile(), Presence::InRoom), (brazil(), Presence::Remote)] {
        let language = Language::parse("en").unwrap();
        run(&mut meeting, 1, &who, Command::request_floor(RequestKind::Statement, presence, language));
    }
    meeting
}

fn run(meeting: &mut Meeting, secs: i64, actor: &Participant, command: Command) -> Vec<Event> {
    let records = meeting.execute(at(secs), actor, command).expect("accepted");
    records.into_iter().map(|r| r.event).collect()
}

fn refused(meeting: &mut Meeting, actor: &Participant, command: Command) -> Rejection {
    let before = meeting.clone();
    let rejection = meeting.execute(at(99), actor, command).expect_err("refused");
    assert_eq!(*meeting, before, "a refused command changes nothing");
    rejection
}

fn head(meeting: &Meeting) -> &shared::Entry {
    meeting.active().unwrap().entries.first().unwrap()
}

const READY: Command = Command::ConfirmReady { segment: None };

#[test]
fn the_remote_speaker_who_is_next_confirms_and_the_floor_records_it() {
    // Arrange: Kenya, remote, heads a list with a ready check
    let mut meeting = meeting(true);

    // Act: Kenya confirms, twice, then the chair gives the floor
    let events = run(&mut meeting, 5, &kenya(), READY);
    let again = run(&mut meeting, 6, &kenya(), READY);
    run(&mut meeting, 10, &chair(), Command::GiveFloor { entry: None });

    // Assert: one event, the time it was said, and the floor's record of it
    assert!(matches!(events.as_slice(), [Event::ReadyConfirmed { .. }]));
    assert!(again.is_empty(), "saying it again changes nothing");
    let floor = meeting.floor.as_ref().unwrap();
    assert_eq!(floor.speaker.id, kenya().id);
    assert_eq!(floor.ready_check, Some(ReadyCheck::Confirmed));
}

#[test]
fn a_floor_given_without_the_confirmation_is_on_the_record_as_unconfirmed() {
    let mut meeting = meeting(true);

    run(&mut meeting, 10, &chair(), Command::GiveFloor { entry: None });

    assert_eq!(meeting.floor.as_ref().unwrap().ready_check, Some(ReadyCheck::Unconfirmed));
}

#[test]
fn no_ready_check_is_recorded_for_speakers_in_the_room_or_in_lists_without_one() {
    // In the room, in a list with the check: Chile is passed to directly
    let mut with_check = meeting(true);
    let chile_entry = head_after(&with_check, 1);
    run(&mut with_check, 10, &chair(), Command::GiveFloor { entry: Some(chile_entry) });
    assert_eq!(with_check.floor.as_ref().unwrap().ready_check, None);

    // Remote, in a list without the check
    let mut without = meeting(false);
    run(&mut without, 10, &chair(), Command::GiveFloor { entry: None });
    assert_eq!(without.floor.as_ref().unwrap().ready_check, None);
}

fn head_after(meeting: &Meeting, place: usize) -> shared::EntryId {
    meeting.active().unwrap().entries[place].id
}

#[test]
fn only_the_remote_speaker_at_the_head_of_a_list_with_a_check_confirms() {
    let mut meeting = meeting(true);
    let mut unchecked = self::meeting(false);

    let not_next = refused(&mut meeting, &brazil(), READY);
    let in_room = {
        let chile_entry = head_after(&meeting, 1);
        run(&mut meeting, 5, &chair(), Command::MoveEntry { entry: chile_entry, position: 0 });
        refused(&mut meeting, &chile(), READY)
    };
    let no_check = refused(&mut unchecked, &kenya(), READY);
    let nobody = refused(&mut unchecked, &chair(), READY);

    assert_eq!(not_next.code, RejectionCode::NotNext);
    assert_eq!(in_room.code, RejectionCode::InvalidCommand);
    assert_eq!(no_check.code, RejectionCode::InvalidCommand);
    assert_eq!(nobody.code, RejectionCode::NotInscribed);
}

#[test]
fn passing_over_the_head_gives_the_floor_to_the_next_and_keeps_their_place() {
    // Arrange: Kenya heads the list and has not confirmed
    let mut meeting = meeting(true);
    let kenya_entry = head(&meeting).id;

    // Act: the chair passes Kenya over, twice (Chile, then Brazil speak), then gives Kenya the floor
    let events = run(&mut meeting, 10, &chair(), Command::PassOver { entry: kenya_entry });
    run(&mut meeting, 200, &chair(), Command::PassOver { entry: kenya_entry });
    let kept = head(&meeting).clone();
    run(&mut meeting, 400, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 500, &chair(), Command::EndFloor);

    // Assert: the events say so, Kenya kept the head, and the record counts both passes
    assert!(matches!(events.as_slice(), [Event::EntryPassedOver { .. }, Event::FloorGiven { .. }]));
    assert_eq!((kept.id, kept.passed_over), (kenya_entry, 2));
    let spoke: Vec<(&str, u32)> = meeting.record.iter().map(|i| (i.speaker.id.as_str(), i.passed_over)).collect();
    assert_eq!(spoke, vec![("del-chile", 0), ("del-brazil", 0), ("del-kenya", 2)]);
    let by_moderator = meeting.record.iter().all(|i| i.given_by.as_ref().is_some_and(|m| m.id == chair().id));
    assert!(by_moderator, "a floor given by passing over names who gave it");
}

#[test]
fn only_the_head_is_passed_over_and_only_when_someone_else_waits() {
    let mut meeting = meeting(true);
    let second = head_after(&meeting, 1);
    let not_head = refused(&mut meeting, &chair(), Command::PassOver { entry: second });
    let first = head(&meeting).id;
    let by_a_delegate = refused(&mut meeting, &chile(), Command::PassOver { entry: first });

    let mut alone = self::meeting(true);
    run(&mut alone, 5, &chile(), Command::Withdraw { segment: None });
    run(&mut alone, 5, &brazil(), Command::Withdraw { segment: None });
    let only = head(&alone).id;
    let nobody_else = refused(&mut alone, &chair(), Command::PassOver { entry: only });

    assert_eq!(not_head.code, RejectionCode::NotNext);
    assert_eq!(by_a_delegate.code, RejectionCode::NotAllowed);
    assert_eq!(nobody_else.code, RejectionCode::ListEmpty);
}

#[test]
fn the_parity_figures_count_who_was_passed_over_in_the_room_and_remote() {
    // Arrange: Kenya (remote) passed over once; Chile (in the room) speaks; Kenya then speaks
    // unconfirmed; Brazil (remote) confirms and speaks
    let mut meeting = meeting(true);
    let kenya_entry = head(&meeting).id;
    run(&mut meeting, 10, &chair(), Command::PassOver { entry: kenya_entry });
    run(&mut meeting, 100, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 200, &brazil(), READY);
    run(&mut meeting, 210, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 300, &chair(), Command::EndFloor);

    // Act
    let report = Report::of_meeting(&meeting, at(400));

    // Assert
    let [room, remote] = report.parity.passed_over_by_presence.as_slice() else { panic!("both presences") };
    assert_eq!((room.group.as_str(), room.interventions, room.passed_over), ("in_room", 1, 0));
    assert_eq!((remote.group.as_str(), remote.interventions, remote.passed_over, remote.times), ("remote", 2, 1, 1));
    assert_eq!((remote.ready_confirmed, remote.ready_unconfirmed), (1, 1));
    assert_eq!(remote.share_passed_over, 0.5);
    let kenya = report.rows.iter().find(|r| r.speaker == "Peter Otieno").unwrap();
    assert_eq!((kenya.passed_over, kenya.ready_check), (1, Some(ReadyCheck::Unconfirmed)));
    assert!(report.to_csv().contains(",1,unconfirmed\r\n"), "{}", report.to_csv());
}
