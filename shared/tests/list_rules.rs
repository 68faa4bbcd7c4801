//! The UN's list rules a segment carries beside its ordering (issue 15): a time limit per kind of
//! intervention (a delegation's second right of reply on an item shorter than its first), a cap on
//! each delegation's statements on an agenda item, a list that opens at a scheduled time, and a
//! short note with each request.
//! The longest list is in `queue_rules.rs`.

use shared::{
    Access, AgendaItemId, Command, Event, EventRecord, ItemSpec, Language, Meeting, MeetingId, MeetingInfo, Millis,
    Participant, ParticipantId, Presence, ProcessId, Rejection, RejectionCode, RequestKind, Role, SegmentId,
    SegmentSpec,
};

use RequestKind::{PointOfOrder, RightOfReply, Statement};

fn person(id: &str, role: Role, delegation: Option<&str>, organisation: Option<&str>) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: format!("Person {id}"),
        role,
        delegation: delegation.map(Into::into),
        organisation: organisation.map(Into::into),
        profile: Default::default(),
    }
}

fn chair() -> Participant {
    person("chair", Role::Chair, None, None)
}

fn delegate(id: &str, state: &str) -> Participant {
    person(id, Role::Delegate, Some(state), None)
}

fn chile() -> Participant {
    delegate("del-chile", "Chile")
}

/// Seated on Chile's delegation: speaks for Chile.
fn chilean_expert() -> Participant {
    person("exp-chile", Role::Expert, Some("Chile"), Some("Derechos Digitales"))
}

fn kenya() -> Participant {
    delegate("del-kenya", "Kenya")
}

/// 10:00 on 1 January 2026, plus `secs`.
fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

/// Statements of 3 minutes; each test sets the rule it is about.
fn spec(title: &str) -> SegmentSpec {
    SegmentSpec::new(title, 180)
}

/// A meeting on item 5(b), whose lists are `specs` (all of them lists of 5(b)), the first active;
/// item 6 follows with a list of its own.
fn meeting(specs: &[SegmentSpec]) -> Meeting {
    let mut meeting = Meeting::new(MeetingInfo {
        id: MeetingId::parse("oewg-ict-s9-m3").unwrap(),
        title: "Open-ended working group, ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict-2021-2025").unwrap(),
        access: Access::Open,
        time_zone: None,
        starts_at: None,
        room: None,
    });
    for number in ["5(b)", "6"] {
        let spec = ItemSpec { number: number.into(), title: format!("Item {number}") };
        run(&mut meeting, at(0), &chair(), Command::AddAgendaItem { spec }).unwrap();
    }
    for spec in specs {
        let spec = SegmentSpec { item: Some(AgendaItemId(1)), ..spec.clone() };
        run(&mut meeting, at(0), &chair(), Command::CreateSegment { spec }).unwrap();
    }
    let other = SegmentSpec { item: Some(AgendaItemId(2)), ..specs[0].clone() };
    run(&mut meeting, at(0), &chair(), Command::CreateSegment { spec: other }).unwrap();
    run(&mut meeting, at(0), &chair(), Command::TakeUpItem { item: AgendaItemId(1) }).unwrap();
    meeting
}

fn run(meeting: &mut Meeting, now: Millis, actor: &Participant, cmd: Command) -> Result<Vec<EventRecord>, Rejection> {
    meeting.execute(now, actor, cmd)
}

fn ask(segment: Option<SegmentId>, kind: RequestKind) -> Command {
    let mut command = Command::request_floor(kind, Presence::InRoom, Language::parse("en").unwrap());
    if let Command::RequestFloor { segment: chosen, .. } = &mut command {
        *chosen = segment;
    }
    command
}

fn add(speaker: Participant, kind: RequestKind) -> Command {
    Command::add_speaker(speaker, kind, Presence::InRoom, Language::parse("en").unwrap())
}

/// The person asks, the chair gives them the floor at `secs` and ends it 10 s later; returns the
/// time the intervention was given.
fn speak(meeting: &mut Meeting, secs: i64, who: &Participant, segment: Option<SegmentId>, kind: RequestKind) -> i64 {
    run(meeting, at(secs), who, ask(segment, kind)).unwrap();
    if segment.is_some_and(|s| Some(s) != meeting.active_segment) {
        run(meeting, at(secs), &chair(), Command::ActivateSegment { segment: segment.unwrap() }).unwrap();
    }
    let given = run(meeting, at(secs), &chair(), Command::GiveFloor { entry: None }).unwrap();
    run(meeting, at(secs + 10), &chair(), Command::EndFloor).unwrap();
    match given.last().map(|r| &r.event) {
        Some(Event::FloorGiven { intervention }) => intervention.time_limit_ms,
        other => panic!("expected the floor given, got {other:?}"),
    }
}

fn refusal(meeting: &mut Meeting, now: Millis, actor: &Participant, cmd: Command) -> Rejection {
    let before = meeting.clone();
    let refused = run(meeting, now, actor, cmd).unwrap_err();
    assert_eq!(*meeting, before, "a refused command changes nothing");
    refused
}

#[test]
fn each_kind_of_intervention_is_given_its_own_time_limit() {
    // Arrange: statements 3 min, points of order 1 min, a first right of reply 2 min, a second 1 min.
    let rules = SegmentSpec {
        point_of_order_secs: Some(60),
        right_of_reply_secs: Some(120),
        second_reply_secs: Some(60),
        ..spec("General debate")
    };
    let mut meeting = meeting(&[rules]);

    // Act
    let statement = speak(&mut meeting, 0, &chile(), None, Statement);
    let point = speak(&mut meeting, 100, &kenya(), None, PointOfOrder);
    let first_reply = speak(&mut meeting, 200, &chile(), None, RightOfReply);
    let other_delegations_first = speak(&mut meeting, 300, &kenya(), None, RightOfReply);
    let second_reply = speak(&mut meeting, 400, &chile(), None, RightOfReply);

    // Assert
    assert_eq!(statement, 180_000);
    assert_eq!(point, 60_000);
    assert_eq!(first_reply, 120_000);
    assert_eq!(other_delegations_first, 120_000, "Kenya's first reply, after Chile's");
    assert_eq!(second_reply, 60_000);
}

#[test]
fn without_limits_of_their_own_every_kind_has_the_statements_limit_and_a_second_reply_the_first_one() {
    let mut plain = meeting(&[spec("General debate")]);
    assert_eq!(speak(&mut plain, 0, &chile(), None, PointOfOrder), 180_000);
    assert_eq!(speak(&mut plain, 100, &chile(), None, RightOfReply), 180_000);

    let mut first_only = meeting(&[SegmentSpec { right_of_reply_secs: Some(120), ..spec("General debate") }]);
    speak(&mut first_only, 0, &chile(), None, RightOfReply);
    assert_eq!(speak(&mut first_only, 100, &chile(), None, RightOfReply), 120_000);
}

#[test]
fn a_second_right_of_reply_counts_the_delegations_replies_across_the_items_lists_and_not_other_items() {
    // Arrange: two lists of 5(b) and one of item 6, all with 2 min then 1 min for replies.
    let rules = SegmentSpec { right_of_reply_secs: Some(120), second_reply_secs: Some(60), ..spec("Member states") };
    let mut meeting = meeting(&[rules.clone(), SegmentSpec { title: "Stakeholders".into(), ..rules }]);
    let item_six = SegmentId(3);

    // Act: Chile replies in 5(b)'s first list, then its expert in 5(b)'s second; then Chile on item 6.
    speak(&mut meeting, 0, &chile(), Some(SegmentId(1)), RightOfReply);
    let second_on_the_item = speak(&mut meeting, 100, &chilean_expert(), Some(SegmentId(2)), RightOfReply);
    run(&mut meeting, at(200), &chair(), Command::TakeUpItem { item: AgendaItemId(2) }).unwrap();
    let first_on_item_six = speak(&mut meeting, 200, &chile(), Some(item_six), RightOfReply);

    // Assert
    assert_eq!(second_on_the_item, 60_000, "the expert speaks for Chile, on the same item");
    assert_eq!(first_on_item_six, 120_000);
}

#[test]
fn a_delegation_with_its_statements_on_the_item_is_refused_another_in_any_of_its_lists() {
    // Arrange: one statement per delegation on 5(b); Chile made one, in the first list.
    let capped = SegmentSpec { statements_per_delegation: Some(1), ..spec("General debate") };
    let mut meeting = meeting(&[capped.clone(), SegmentSpec { title: "Informal".into(), ..capped }]);
    speak(&mut meeting, 0, &chile(), None, Statement);

    // Act
    let again = refusal(&mut meeting, at(100), &chilean_expert(), ask(Some(SegmentId(2)), Statement));

    // Assert: the refusal says why and what is still taken; a reply and a point of order are.
    assert_eq!(again.code, RejectionCode::StatementsLimitReached);
    assert!(again.message.starts_with("Chile has 1 statement on this agenda item"), "{}", again.message);
    run(&mut meeting, at(100), &chile(), ask(None, RightOfReply)).expect("a right of reply is taken");
    run(&mut meeting, at(100), &chilean_expert(), ask(None, PointOfOrder)).expect("a point of order is taken");
    run(&mut meeting, at(100), &kenya(), ask(None, Statement)).expect("Kenya has made none");
}

#[test]
fn a_waiting_statement_counts_towards_the_cap_and_frees_its_place_when_withdrawn() {
    let capped = SegmentSpec { statements_per_delegation: Some(1), ..spec("General debate") };
    let mut meeting = meeting(&[capped.clone(), SegmentSpec { title: "Informal".into(), ..capped }]);
    run(&mut meeting, at(0), &chile(), ask(Some(SegmentId(1)), Statement)).unwrap();

    let refused = refusal(&mut meeting, at(1), &chilean_expert(), ask(Some(SegmentId(2)), Statement));
    run(&mut meeting, at(2), &chile(), Command::Withdraw { segment: Some(SegmentId(1)) }).unwrap();

    assert_eq!(refused.code, RejectionCode::StatementsLimitReached);
    run(&mut meeting, at(3), &chilean_expert(), ask(Some(SegmentId(2)), Statement)).expect("the place freed");
}

#[test]
fn the_cap_is_per_item_and_the_chair_may_still_add_a_capped_delegation() {
    let capped = SegmentSpec { statements_per_delegation: Some(1), ..spec("General debate") };
    let mut meeting = meeting(&[capped]);
    speak(&mut meeting, 0, &chile(), None, Statement);

    run(&mut meeting, at(100), &chair(), add(chile(), Statement)).expect("the chair keeps the last word");
    run(&mut meeting, at(200), &chair(), Command::TakeUpItem { item: AgendaItemId(2) }).unwrap();
    // Item 6's list has the same cap, and Chile has made no statement on item 6.
    run(&mut meeting, at(200), &chile(), ask(None, Statement)).expect("another item, another count");
}

#[test]
fn a_list_that_opens_later_takes_points_of_order_and_the_chairs_additions_before_and_statements_from_then() {
    // Arrange: the list opens at 10:05.
    let scheduled = SegmentSpec { opens_at: Some(at(300)), ..spec("General debate") };
    let mut meeting = meeting(&[scheduled]);

    // Act
    let early = refusal(&mut meeting, at(299), &chile(), ask(None, Statement));
    let early_reply = refusal(&mut meeting, at(299), &chile(), ask(None, RightOfReply));
    let point = run(&mut meeting, at(10), &kenya(), ask(None, PointOfOrder));
    let added = run(&mut meeting, at(20), &chair(), add(delegate("del-fiji", "Fiji"), Statement));
    let on_time = run(&mut meeting, at(300), &chile(), ask(None, Statement));

    // Assert
    assert_eq!(early.code, RejectionCode::ListNotOpenYet);
    assert_eq!(
        early.message,
        "The list of speakers opens at 2026-01-01 10:05 UTC; only points of order are taken until then."
    );
    assert_eq!(early_reply.code, RejectionCode::ListNotOpenYet);
    point.expect("a point of order is taken before the opening");
    added.expect("the chair adds before the opening");
    on_time.expect("the list is open at its time");
}

#[test]
fn limits_and_caps_out_of_range_are_refused_and_create_nothing() {
    let mut meeting = meeting(&[spec("General debate")]);
    let spoiled = [
        SegmentSpec { point_of_order_secs: Some(4), ..spec("A") },
        SegmentSpec { right_of_reply_secs: Some(SegmentSpec::MAX_SECS + 1), ..spec("A") },
        SegmentSpec { second_reply_secs: Some(0), ..spec("A") },
        SegmentSpec { statements_per_delegation: Some(0), ..spec("A") },
        SegmentSpec { statements_per_delegation: Some(SegmentSpec::MAX_STATEMENTS_PER_DELEGATION + 1), ..spec("A") },
    ];
    for spec in spoiled {
        let refused = refusal(&mut meeting, at(0), &chair(), Command::CreateSegment { spec: spec.clone() });
        assert_eq!(refused.code, RejectionCode::InvalidCommand, "{spec:?}");
    }
}

fn with_note(mut command: Command, text: &str) -> Command {
    if let Command::RequestFloor { note, .. } | Command::AddSpeaker { note, .. } = &mut command {
        *note = Some(text.into());
    }
    command
}

#[test]
fn a_request_keeps_its_note_trimmed_and_the_floor_and_the_record_carry_it() {
    let mut meeting = meeting(&[spec("General debate")]);

    run(&mut meeting, at(0), &chile(), with_note(ask(None, Statement), "  on 5(b)  ")).unwrap();
    run(&mut meeting, at(0), &chair(), with_note(add(kenya(), RightOfReply), "reply to Chile")).unwrap();
    let notes: Vec<Option<String>> = meeting.active().unwrap().entries.iter().map(|e| e.note.clone()).collect();
    run(&mut meeting, at(1), &chair(), Command::GiveFloor { entry: None }).unwrap();
    let on_the_floor = meeting.floor.as_ref().and_then(|f| f.note.clone());
    run(&mut meeting, at(20), &chair(), Command::EndFloor).unwrap();

    assert_eq!(notes, [Some("on 5(b)".to_string()), Some("reply to Chile".to_string())]);
    assert_eq!(on_the_floor.as_deref(), Some("on 5(b)"));
    assert_eq!(meeting.record[0].note.as_deref(), Some("on 5(b)"));
}

#[test]
fn a_blank_note_is_no_note() {
    let mut meeting = meeting(&[spec("General debate")]);

    run(&mut meeting, at(0), &chile(), with_note(ask(None, Statement), "   ")).unwrap();

    assert_eq!(meeting.active().unwrap().entries[0].note, None);
}

#[test]
fn a_note_longer_than_100_characters_or_with_a_line_break_is_refused_and_nothing_changes() {
    let mut meeting = meeting(&[spec("General debate")]);
    let before = meeting.clone();

    let long = run(&mut meeting, at(0), &chile(), with_note(ask(None, Statement), &"x".repeat(101))).unwrap_err();
    let broken = run(&mut meeting, at(0), &chair(), with_note(add(kenya(), Statement), "on\n5(b)")).unwrap_err();

    assert_eq!((long.code, broken.code), (RejectionCode::InvalidCommand, RejectionCode::InvalidCommand));
    assert!(long.message.contains("note") && long.message.contains("100"), "{}", long.message);
    assert_eq!(meeting, before);
}

fn on_behalf_of(mut command: Command, id: &str) -> Command {
    if let Command::RequestFloor { group, .. } | Command::AddSpeaker { group, .. } = &mut command {
        *group = Some(id.into());
    }
    command
}

fn statements_in_order(meeting: &Meeting) -> Vec<String> {
    let entries = &meeting.active().unwrap().entries;
    entries.iter().map(|e| e.speaker.on_behalf_of().unwrap_or_default().to_string()).collect()
}

#[test]
fn in_a_list_that_takes_groups_first_group_statements_lead_in_the_order_asked() {
    let mut meeting = meeting(&[SegmentSpec { groups_first: true, ..spec("General debate") }]);
    run(&mut meeting, at(0), &chile(), ask(None, Statement)).unwrap();

    run(&mut meeting, at(1), &kenya(), on_behalf_of(ask(None, Statement), "african_group")).unwrap();
    run(&mut meeting, at(2), &chair(), on_behalf_of(add(delegate("del-cuba", "Cuba"), Statement), "g77_and_china"))
        .unwrap();
    run(&mut meeting, at(3), &delegate("del-fiji", "Fiji"), ask(None, Statement)).unwrap();

    assert_eq!(statements_in_order(&meeting), ["Kenya", "Cuba", "Chile", "Fiji"]);
    let groups: Vec<Option<&str>> = meeting.active().unwrap().entries.iter().map(|e| e.group.as_deref()).collect();
    assert_eq!(groups, [Some("african_group"), Some("g77_and_china"), None, None]);
}

#[test]
fn a_group_statement_takes_its_turn_in_a_list_that_does_not_take_groups_first_and_the_record_keeps_the_group() {
    let mut meeting = meeting(&[spec("General debate")]);
    run(&mut meeting, at(0), &chile(), ask(None, Statement)).unwrap();
    run(&mut meeting, at(1), &kenya(), on_behalf_of(ask(None, Statement), "african_group")).unwrap();
    let order = statements_in_order(&meeting);

    speak(&mut meeting, 10, &delegate("del-none", "Nobody"), None, PointOfOrder);
    run(&mut meeting, at(30), &chair(), Command::GiveFloor { entry: None }).unwrap();
    run(&mut meeting, at(40), &chair(), Command::EndFloor).unwrap();
    run(&mut meeting, at(41), &chair(), Command::GiveFloor { entry: None }).unwrap();
    run(&mut meeting, at(50), &chair(), Command::EndFloor).unwrap();

    assert_eq!(order, ["Chile", "Kenya"]);
    let groups: Vec<Option<&str>> = meeting.record.iter().map(|i| i.group.as_deref()).collect();
    assert_eq!(groups, [None, None, Some("african_group")]);
}

#[test]
fn only_a_delegate_s_statement_speaks_for_a_known_group_and_a_refusal_changes_nothing() {
    let mut meeting = meeting(&[SegmentSpec { groups_first: true, ..spec("General debate") }]);
    let before = meeting.clone();
    let ngo = person("ngo-1", Role::Stakeholder, None, Some("Derechos Digitales"));

    let refusals = [
        run(&mut meeting, at(0), &chile(), on_behalf_of(ask(None, Statement), "g8")),
        run(&mut meeting, at(0), &chilean_expert(), on_behalf_of(ask(None, Statement), "grulac")),
        run(&mut meeting, at(0), &ngo, on_behalf_of(ask(None, Statement), "grulac")),
        run(&mut meeting, at(0), &chile(), on_behalf_of(ask(None, RightOfReply), "grulac")),
        run(&mut meeting, at(0), &chair(), on_behalf_of(add(ngo.clone(), Statement), "grulac")),
    ];

    for refusal in refusals {
        assert_eq!(refusal.unwrap_err().code, RejectionCode::InvalidCommand);
    }
    assert_eq!(meeting, before);
}
