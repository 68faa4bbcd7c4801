//! Who presides: the chair, until they hand over and a vice-chair takes the chair. One presiding
//! officer at a time gives the floor and runs the list; the secretariat sets up and keeps the lists
//! but never gives the floor; an interpreter follows and sends nothing that changes the meeting.

use shared::{
    Access, Chairing, Command, Event, Language, Meeting, MeetingId, MeetingInfo, Millis, Participant, ParticipantId,
    Presence, ProcessId, Rejection, RejectionCode, RequestKind, Role, SegmentSpec,
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

fn vice_chair() -> Participant {
    person("vice-1", "Lena Novak", Role::ViceChair, None)
}

fn other_vice_chair() -> Participant {
    person("vice-2", "Carlos Mendes", Role::ViceChair, None)
}

fn secretariat() -> Participant {
    person("sec-officer", "Secretariat officer", Role::Secretariat, None)
}

fn interpreter() -> Participant {
    person("booth-fr", "French booth", Role::Interpreter, None)
}

fn chile() -> Participant {
    person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"))
}

fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

/// An open meeting with one active list on which Chile waits.
fn meeting(access: Access) -> Meeting {
    let mut meeting = Meeting::new(MeetingInfo {
        id: MeetingId::parse("oewg-s9-m3").unwrap(),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict").unwrap(),
        access,
        time_zone: None,
        starts_at: None,
        room: None,
    });
    let spec = SegmentSpec::new("General debate", 180);
    run(&mut meeting, &secretariat(), Command::CreateSegment { spec }).unwrap();
    run(&mut meeting, &chair(), Command::ActivateSegment { segment: shared::SegmentId(1) }).unwrap();
    let english = Language::parse("en").unwrap();
    run(&mut meeting, &chile(), Command::request_floor(RequestKind::Statement, Presence::InRoom, english)).unwrap();
    meeting
}

fn run(meeting: &mut Meeting, actor: &Participant, cmd: Command) -> Result<Vec<Event>, Rejection> {
    Ok(meeting.execute(at(1), actor, cmd)?.into_iter().map(|r| r.event).collect())
}

fn refusal(meeting: &mut Meeting, actor: &Participant, cmd: Command) -> Rejection {
    let before = meeting.clone();
    let rejection = run(meeting, actor, cmd).unwrap_err();
    assert_eq!(*meeting, before, "a refused command changes nothing");
    rejection
}

fn hand_over_to(meeting: &mut Meeting, vice_chair: &Participant) {
    run(meeting, &chair(), Command::HandOverChair).unwrap();
    run(meeting, vice_chair, Command::TakeChair).unwrap();
}

#[test]
fn a_vice_chair_gives_the_floor_only_after_the_chair_hands_over_and_they_take_the_chair() {
    // Arrange
    let mut meeting = meeting(Access::Open);
    let before = refusal(&mut meeting, &vice_chair(), Command::GiveFloor { entry: None });
    let too_early = refusal(&mut meeting, &vice_chair(), Command::TakeChair);

    // Act
    hand_over_to(&mut meeting, &vice_chair());
    run(&mut meeting, &vice_chair(), Command::GiveFloor { entry: None }).unwrap();

    // Assert
    assert_eq!(before.code, RejectionCode::NotPresiding);
    assert_eq!(too_early.code, RejectionCode::NotPresiding);
    let floor = meeting.floor.as_ref().expect("Chile speaks");
    let given_by = floor.given_by.as_ref().expect("the record names who gave the floor");
    assert_eq!((given_by.name.as_str(), given_by.role), ("Lena Novak", Role::ViceChair));
    assert!(matches!(&meeting.chairing, Chairing::ViceChair { vice_chair } if vice_chair.name == "Lena Novak"));
}

#[test]
fn while_a_vice_chair_presides_the_chair_takes_the_chair_back_before_acting() {
    // Arrange
    let mut meeting = meeting(Access::Open);
    hand_over_to(&mut meeting, &vice_chair());

    // Act
    let refused = refusal(&mut meeting, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, &chair(), Command::TakeChair).unwrap();
    let vice_refused = refusal(&mut meeting, &vice_chair(), Command::CloseList { segment: None });
    run(&mut meeting, &chair(), Command::GiveFloor { entry: None }).unwrap();

    // Assert
    assert_eq!(refused.code, RejectionCode::NotPresiding);
    assert!(refused.message.contains("Lena Novak"), "{}", refused.message);
    assert_eq!(vice_refused.code, RejectionCode::NotPresiding);
    assert_eq!(meeting.chairing, Chairing::Chair);
    assert_eq!(meeting.floor.unwrap().given_by.unwrap().role, Role::Chair);
}

#[test]
fn a_second_vice_chair_takes_the_chair_only_when_the_first_hands_over() {
    // Arrange
    let mut meeting = meeting(Access::Open);
    hand_over_to(&mut meeting, &vice_chair());

    // Act
    let while_presided = refusal(&mut meeting, &other_vice_chair(), Command::TakeChair);
    run(&mut meeting, &vice_chair(), Command::HandOverChair).unwrap();
    let nobody = refusal(&mut meeting, &vice_chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, &other_vice_chair(), Command::TakeChair).unwrap();

    // Assert
    assert_eq!(while_presided.code, RejectionCode::NotPresiding);
    assert_eq!(nobody.code, RejectionCode::NotPresiding, "nobody presides between a hand-over and a taking");
    assert!(matches!(&meeting.chairing, Chairing::ViceChair { vice_chair } if vice_chair.name == "Carlos Mendes"));
}

#[test]
fn taking_the_chair_one_already_holds_changes_nothing() {
    let mut meeting = meeting(Access::Open);

    let chair_again = run(&mut meeting, &chair(), Command::TakeChair).unwrap();
    hand_over_to(&mut meeting, &vice_chair());
    let vice_again = run(&mut meeting, &vice_chair(), Command::TakeChair).unwrap();

    assert!(chair_again.is_empty() && vice_again.is_empty());
}

#[test]
fn only_the_one_presiding_hands_over() {
    let mut meeting = meeting(Access::Open);

    let vice = refusal(&mut meeting, &vice_chair(), Command::HandOverChair);
    let secretariat = refusal(&mut meeting, &secretariat(), Command::HandOverChair);
    run(&mut meeting, &chair(), Command::HandOverChair).unwrap();
    let twice = refusal(&mut meeting, &chair(), Command::HandOverChair);

    assert_eq!(vice.code, RejectionCode::NotPresiding);
    assert_eq!(secretariat.code, RejectionCode::NotAllowed);
    assert_eq!(twice.code, RejectionCode::NotPresiding);
}

#[test]
fn the_secretariat_sets_up_and_keeps_the_lists_whoever_presides_but_never_gives_the_floor() {
    // Arrange
    let mut meeting = meeting(Access::Open);
    run(&mut meeting, &chair(), Command::HandOverChair).unwrap();

    // Act: nobody presides, and the secretariat's set-up goes on.
    let spec = SegmentSpec::new("Stakeholder segment", 180);
    run(&mut meeting, &secretariat(), Command::CreateSegment { spec }).unwrap();
    let entry = meeting.segments[0].entries[0].id;
    run(&mut meeting, &secretariat(), Command::MoveEntry { entry, position: 0 }).unwrap();
    let floor = refusal(&mut meeting, &secretariat(), Command::GiveFloor { entry: None });
    let chair = refusal(&mut meeting, &secretariat(), Command::TakeChair);

    // Assert
    assert_eq!(meeting.segments.len(), 2);
    assert_eq!((floor.code, chair.code), (RejectionCode::NotAllowed, RejectionCode::NotAllowed));
}

#[test]
fn an_interpreter_attends_a_closed_meeting_and_changes_nothing() {
    let mut meeting = meeting(Access::Closed);
    let english = Language::parse("en").unwrap();

    meeting.admits(&interpreter()).unwrap();
    let ask = refusal(
        &mut meeting,
        &interpreter(),
        Command::request_floor(RequestKind::Statement, Presence::Remote, english),
    );
    let give = refusal(&mut meeting, &interpreter(), Command::GiveFloor { entry: None });

    assert_eq!((ask.code, give.code), (RejectionCode::NotAllowed, RejectionCode::NotAllowed));
}

#[test]
fn a_hand_over_survives_a_replay_of_the_log() {
    // Arrange
    let mut meeting = meeting(Access::Open);
    let mut log = Vec::new();
    for (actor, cmd) in [(chair(), Command::HandOverChair), (vice_chair(), Command::TakeChair)] {
        log.extend(meeting.execute(at(2), &actor, cmd).unwrap());
    }

    // Act
    let mut replayed = meeting.clone();
    replayed.chairing = Chairing::Chair;
    for record in &log {
        replayed.apply(record);
    }

    // Assert
    assert_eq!(replayed, meeting);
    let wire = serde_json::to_value(&meeting).unwrap();
    assert_eq!(wire["chairing"]["state"], "vice_chair");
    assert_eq!(wire["chairing"]["vice_chair"]["name"], "Lena Novak");
}
