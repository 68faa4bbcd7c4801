//! A meeting's agenda: items numbered as the UN numbers them, reordered, renamed and removed by the
//! chair or the secretariat; each item with its own lists; the chair takes items up one at a time.

use shared::{
    Access, AgendaItemId, Command, Event, ItemSpec, Language, Meeting, MeetingId, MeetingInfo, Millis, Participant,
    ParticipantId, Presence, ProcessId, Rejection, RejectionCode, RequestKind, Role, SegmentId, SegmentSpec,
};

fn person(id: &str, role: Role, delegation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: format!("Person {id}"),
        role,
        delegation: delegation.map(Into::into),
        organisation: None,
        profile: Default::default(),
    }
}

fn chair() -> Participant {
    person("chair", Role::Chair, None)
}

fn secretariat() -> Participant {
    person("sec-officer", Role::Secretariat, None)
}

fn chile() -> Participant {
    person("del-chile", Role::Delegate, Some("Chile"))
}

fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

fn meeting() -> Meeting {
    Meeting::new(MeetingInfo {
        id: MeetingId::parse("oewg-ict-s9-m3").unwrap(),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict-2021-2025").unwrap(),
        access: Access::Open,
        time_zone: None,
        starts_at: None,
        room: None,
    })
}

fn run(meeting: &mut Meeting, actor: &Participant, cmd: Command) -> Result<Vec<Event>, Rejection> {
    Ok(meeting.execute(at(0), actor, cmd)?.into_iter().map(|r| r.event).collect())
}

fn add_item(meeting: &mut Meeting, number: &str, title: &str) -> AgendaItemId {
    let spec = ItemSpec { number: number.into(), title: title.into() };
    match run(meeting, &secretariat(), Command::AddAgendaItem { spec }).unwrap().as_slice() {
        [Event::AgendaItemAdded { item }] => item.id,
        other => panic!("expected one item added, got {other:?}"),
    }
}

fn add_list(meeting: &mut Meeting, title: &str, item: Option<AgendaItemId>) -> SegmentId {
    let spec = SegmentSpec { item, ..SegmentSpec::new(title, 180) };
    run(meeting, &secretariat(), Command::CreateSegment { spec }).unwrap();
    meeting.segments.last().unwrap().id
}

fn numbers(meeting: &Meeting) -> Vec<&str> {
    meeting.agenda.iter().map(|i| i.number.as_str()).collect()
}

fn refusal(meeting: &mut Meeting, actor: &Participant, cmd: Command) -> RejectionCode {
    let before = meeting.clone();
    let code = run(meeting, actor, cmd).unwrap_err().code;
    assert_eq!(*meeting, before, "a refused command changes nothing");
    code
}

#[test]
fn the_secretariat_builds_an_agenda_in_the_order_items_are_added() {
    let mut meeting = meeting();

    add_item(&mut meeting, "5(a)", "Existing and potential threats");
    add_item(&mut meeting, " 5(b) ", "Rules, norms and principles ");

    assert_eq!(numbers(&meeting), ["5(a)", "5(b)"]);
    assert_eq!(meeting.agenda[1].title, "Rules, norms and principles");
    assert_eq!(meeting.agenda[1].heading(), "Agenda item 5(b): Rules, norms and principles");
    assert_eq!(meeting.current_item, None, "adding items takes none up");
}

#[test]
fn two_items_cannot_have_one_number() {
    let mut meeting = meeting();
    add_item(&mut meeting, "5(b)", "Rules");

    let spec = ItemSpec { number: "5 (B)".into(), title: "Something else".into() };
    assert_eq!(refusal(&mut meeting, &secretariat(), Command::AddAgendaItem { spec }), RejectionCode::InvalidCommand);
}

#[test]
fn an_item_moves_to_any_place_and_a_place_past_the_end_is_the_last() {
    let mut meeting = meeting();
    let a = add_item(&mut meeting, "5(a)", "A");
    add_item(&mut meeting, "5(b)", "B");
    let c = add_item(&mut meeting, "6", "C");

    run(&mut meeting, &chair(), Command::MoveAgendaItem { item: c, position: 0 }).unwrap();
    assert_eq!(numbers(&meeting), ["6", "5(a)", "5(b)"]);
    run(&mut meeting, &chair(), Command::MoveAgendaItem { item: a, position: 99 }).unwrap();
    assert_eq!(numbers(&meeting), ["6", "5(b)", "5(a)"]);

    let unchanged = run(&mut meeting, &chair(), Command::MoveAgendaItem { item: a, position: 2 }).unwrap();
    assert!(unchanged.is_empty(), "an item already in its place moves nowhere");
}

#[test]
fn an_item_is_renumbered_and_renamed_and_keeps_its_id() {
    let mut meeting = meeting();
    let item = add_item(&mut meeting, "5", "Threats");

    let spec = ItemSpec { number: "5(a)".into(), title: "Existing and potential threats".into() };
    run(&mut meeting, &secretariat(), Command::UpdateAgendaItem { item, spec: spec.clone() }).unwrap();

    assert_eq!(meeting.item(item).unwrap().number, "5(a)");
    assert!(run(&mut meeting, &secretariat(), Command::UpdateAgendaItem { item, spec }).unwrap().is_empty());
}

#[test]
fn taking_up_an_item_makes_its_first_list_the_active_one() {
    let mut meeting = meeting();
    let first = add_item(&mut meeting, "5(a)", "Threats");
    let second = add_item(&mut meeting, "5(b)", "Rules");
    let general = add_list(&mut meeting, "General exchange", Some(first));
    let states = add_list(&mut meeting, "Member states", Some(second));
    add_list(&mut meeting, "Stakeholders", Some(second));

    run(&mut meeting, &chair(), Command::TakeUpItem { item: first }).unwrap();
    assert_eq!((meeting.current_item, meeting.active_segment), (Some(first), Some(general)));

    let events = run(&mut meeting, &chair(), Command::TakeUpItem { item: second }).unwrap();
    assert_eq!(events, [Event::ItemTakenUp { item: second, segment: Some(states) }]);
    assert_eq!(meeting.current().unwrap().number, "5(b)");
    assert_eq!(meeting.active().unwrap().id, states);
}

#[test]
fn an_item_without_a_list_leaves_no_list_active() {
    let mut meeting = meeting();
    let first = add_item(&mut meeting, "1", "Adoption of the agenda");
    let second = add_item(&mut meeting, "5", "Threats");
    add_list(&mut meeting, "General exchange", Some(second));
    run(&mut meeting, &chair(), Command::TakeUpItem { item: second }).unwrap();

    run(&mut meeting, &chair(), Command::TakeUpItem { item: first }).unwrap();

    assert_eq!(meeting.active_segment, None);
    let request = statement();
    assert_eq!(refusal(&mut meeting, &chile(), request), RejectionCode::NoActiveSegment);
}

#[test]
fn opening_an_item_s_list_takes_the_item_up() {
    let mut meeting = meeting();
    let item = add_item(&mut meeting, "5(b)", "Rules");
    let list = add_list(&mut meeting, "Member states", Some(item));

    run(&mut meeting, &chair(), Command::ActivateSegment { segment: list }).unwrap();

    assert_eq!(meeting.current_item, Some(item));
}

#[test]
fn the_chair_cannot_move_to_another_item_while_someone_has_the_floor() {
    let mut meeting = meeting();
    let first = add_item(&mut meeting, "5(a)", "Threats");
    let second = add_item(&mut meeting, "5(b)", "Rules");
    add_list(&mut meeting, "General exchange", Some(first));
    run(&mut meeting, &chair(), Command::TakeUpItem { item: first }).unwrap();
    let request = statement();
    run(&mut meeting, &chile(), request).unwrap();
    run(&mut meeting, &chair(), Command::GiveFloor { entry: None }).unwrap();

    assert_eq!(refusal(&mut meeting, &chair(), Command::TakeUpItem { item: second }), RejectionCode::FloorInUse);
}

#[test]
fn an_item_with_lists_or_under_way_is_not_removed_and_another_is() {
    let mut meeting = meeting();
    let current = add_item(&mut meeting, "5(a)", "Threats");
    let with_list = add_item(&mut meeting, "5(b)", "Rules");
    let spare = add_item(&mut meeting, "5(c)", "Spare");
    add_list(&mut meeting, "Member states", Some(with_list));
    run(&mut meeting, &chair(), Command::TakeUpItem { item: current }).unwrap();

    assert_eq!(
        refusal(&mut meeting, &secretariat(), Command::RemoveAgendaItem { item: current }),
        RejectionCode::InvalidCommand
    );
    assert_eq!(
        refusal(&mut meeting, &secretariat(), Command::RemoveAgendaItem { item: with_list }),
        RejectionCode::InvalidCommand
    );
    run(&mut meeting, &secretariat(), Command::RemoveAgendaItem { item: spare }).unwrap();
    assert_eq!(numbers(&meeting), ["5(a)", "5(b)"]);

    let next = add_item(&mut meeting, "5(c)", "Spare again");
    assert_ne!(next, spare, "an item's id is never given again");
}

#[test]
fn a_list_cannot_name_an_item_the_agenda_does_not_have() {
    let mut meeting = meeting();
    let spec = SegmentSpec { item: Some(AgendaItemId(7)), ..SegmentSpec::new("General exchange", 180) };

    assert_eq!(refusal(&mut meeting, &secretariat(), Command::CreateSegment { spec }), RejectionCode::UnknownItem);
    assert_eq!(
        refusal(&mut meeting, &chair(), Command::TakeUpItem { item: AgendaItemId(7) }),
        RejectionCode::UnknownItem
    );
}

#[test]
fn only_the_chair_and_the_secretariat_touch_the_agenda() {
    let mut meeting = meeting();
    let item = add_item(&mut meeting, "5", "Threats");

    let spec = ItemSpec { number: "6".into(), title: "Other".into() };
    assert_eq!(refusal(&mut meeting, &chile(), Command::AddAgendaItem { spec }), RejectionCode::NotAllowed);
    assert_eq!(refusal(&mut meeting, &chile(), Command::TakeUpItem { item }), RejectionCode::NotAllowed);
}

#[test]
fn an_agenda_holds_at_most_a_hundred_items() {
    let mut meeting = meeting();
    for n in 0..shared::MAX_AGENDA_ITEMS {
        add_item(&mut meeting, &n.to_string(), "Item");
    }

    let spec = ItemSpec { number: "one more".into(), title: "Item".into() };
    assert_eq!(refusal(&mut meeting, &secretariat(), Command::AddAgendaItem { spec }), RejectionCode::InvalidCommand);
}

/// A statement from the room, in English, on the active list.
fn statement() -> Command {
    Command::request_floor(RequestKind::Statement, Presence::InRoom, Language::parse("en").unwrap())
}
