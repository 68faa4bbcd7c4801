//! The record and its parity figures, from a scripted meeting whose every figure was worked out
//! by hand: four interventions, one paused, one over time, one given directly to a panellist.

use shared::accreditation::Constituency;
use shared::report::{Report, Tally, Waits};
use shared::{
    Access, Command, Gender, Language, Meeting, MeetingId, MeetingInfo, Millis, Participant, ParticipantId, Presence,
    ProcessId, Profile, RequestKind, Role, SegmentId, SegmentSpec,
};

/// The sitting starts at 10:00 UTC on 1 January 2026; `at(s)` is `s` seconds later.
fn at(secs: i64) -> Millis {
    Millis(1_767_261_600_000 + secs * 1000)
}

fn person(id: &str, name: &str, role: Role, delegation: Option<&str>, organisation: Option<&str>) -> Participant {
    Participant::new(
        ParticipantId::parse(id).unwrap(),
        name,
        role,
        delegation.map(Into::into),
        organisation.map(Into::into),
    )
}

fn chair() -> Participant {
    person("chair", "Chair", Role::Chair, None, None)
}

fn run(meeting: &mut Meeting, secs: i64, actor: &Participant, cmd: Command) {
    let now = at(secs);
    meeting.execute(now, actor, cmd).expect("the command is taken");
}

fn ask(meeting: &mut Meeting, secs: i64, who: &Participant, presence: Presence, gender: Option<Gender>) {
    let language = Language::parse("en").unwrap();
    let cmd = Command::RequestFloor {
        segment: None,
        kind: RequestKind::Statement,
        presence,
        language,
        co_signers: vec![],
        gender,
        note: None,
        group: None,
    };
    run(meeting, secs, who, cmd);
}

/// Chile (in the room, declared a woman) asks at 10 s and speaks from 30 s to 120 s with a 10 s
/// pause: 80 s, after a 20 s wait. The NGO (remote, Ghana) asks at 20 s and speaks from 130 s to
/// 340 s: 210 s against 180 s allowed, 30 s over, after 110 s. Kenya (remote) asks at 345 s and
/// speaks from 350 s to 410 s: 60 s after 5 s. A panellist from Geneva (in the room) is given the
/// floor at 420 s and speaks until 450 s: 30 s, no wait.
fn scripted_meeting() -> Meeting {
    let info = MeetingInfo {
        id: MeetingId::parse("oewg-s9-m3").unwrap(),
        title: "Ninth session, third meeting".into(),
        process: ProcessId::parse("oewg-ict").unwrap(),
        access: Access::Open,
        time_zone: Some("Europe/Zurich".into()),
        starts_at: None,
        room: None,
    };
    let mut meeting = Meeting::new(info);
    let spec = SegmentSpec::new("General debate", 180);
    run(&mut meeting, 0, &chair(), Command::CreateSegment { spec });
    run(&mut meeting, 0, &chair(), Command::ActivateSegment { segment: SegmentId(1) });
    let chile = person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"), None);
    let kenya = person("del-kenya", "Otieno Mwangi", Role::Delegate, Some("Kenya"), None);
    let ngo = Participant {
        profile: Profile { constituency: Some(Constituency::Ngo), country: Some("Ghana".into()), gender: None },
        ..person("ngo-gdrn", "Kwame Mensah", Role::Stakeholder, None, Some("Global Digital Rights Network"))
    };
    let panellist = Participant {
        profile: Profile {
            constituency: Some(Constituency::Academia),
            country: Some("Switzerland".into()),
            gender: None,
        },
        ..person("pan-geneva", "Mei Chen", Role::Panellist, None, Some("University of Geneva"))
    };

    ask(&mut meeting, 10, &chile, Presence::InRoom, Some(Gender::Woman));
    ask(&mut meeting, 20, &ngo, Presence::Remote, None);
    run(&mut meeting, 30, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 60, &chair(), Command::PauseFloor);
    run(&mut meeting, 70, &chair(), Command::ResumeFloor);
    run(&mut meeting, 120, &chair(), Command::EndFloor);
    run(&mut meeting, 130, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 340, &chair(), Command::EndFloor);
    ask(&mut meeting, 345, &kenya, Presence::Remote, None);
    run(&mut meeting, 350, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 410, &chair(), Command::EndFloor);
    let language = Language::parse("fr").unwrap();
    let direct = Command::GiveFloorToPanellist { speaker: panellist, presence: Presence::InRoom, language };
    run(&mut meeting, 420, &chair(), direct);
    run(&mut meeting, 450, &chair(), Command::EndFloor);
    meeting
}

fn tally(group: &str, interventions: u32, speaking_secs: i64) -> Tally {
    Tally {
        group: group.into(),
        interventions,
        speaking_ms: speaking_secs * 1000,
        share_of_interventions: f64::from(interventions) / 4.0,
        share_of_time: speaking_secs as f64 / 380.0,
    }
}

fn report() -> Report {
    Report::of_meeting(&scripted_meeting(), at(500))
}

#[test]
fn every_intervention_is_a_row_with_its_real_times() {
    let report = report();

    let rows: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.speaker.as_str(), r.spoken_ms, r.paused_ms, r.pauses, r.overrun_ms, r.waited_ms))
        .collect();
    assert_eq!(
        rows,
        [
            ("Camila Rojas", 80_000, 10_000, 1, 0, Some(20_000)),
            ("Kwame Mensah", 210_000, 0, 0, 30_000, Some(110_000)),
            ("Otieno Mwangi", 60_000, 0, 0, 0, Some(5_000)),
            ("Mei Chen", 30_000, 0, 0, 0, None),
        ]
    );
    assert_eq!(report.rows[0].started_at, at(30));
    assert_eq!(report.rows[0].ended_at, Some(at(120)));
    assert_eq!(report.rows[1].allowed_ms, 180_000);
    assert_eq!(report.rows[3].on_behalf_of, "University of Geneva");
    assert_eq!(report.time_zone.as_deref(), Some("Europe/Zurich"), "for the meeting's local times");
}

#[test]
fn speaking_time_and_interventions_are_counted_by_constituency() {
    let parity = report().parity;

    assert_eq!(parity.interventions, 4);
    assert_eq!(parity.speaking_ms, 380_000);
    assert_eq!(
        parity.by_constituency,
        [
            tally("member_states", 2, 140),
            tally("ngo", 1, 210),
            tally("academia", 1, 30),
            tally("private_sector", 0, 0),
            tally("technical_community", 0, 0),
        ]
    );
}

#[test]
fn speaking_time_is_counted_in_the_room_and_remote_and_by_regional_group() {
    let parity = report().parity;

    assert_eq!(parity.by_presence, [tally("in_room", 2, 110), tally("remote", 2, 270)]);
    assert_eq!(
        parity.by_region,
        [
            tally("african", 2, 270),
            tally("asia_pacific", 0, 0),
            tally("eastern_european", 0, 0),
            tally("latin_american_and_caribbean", 1, 80),
            tally("western_european_and_other", 1, 30),
        ]
    );
}

#[test]
fn genders_are_counted_only_as_declared() {
    let parity = report().parity;

    assert_eq!(parity.by_gender, [tally("woman", 1, 80), tally("not_declared", 3, 300)]);
}

#[test]
fn waits_from_request_to_floor_are_compared_between_the_room_and_remote() {
    let parity = report().parity;

    let waits = |group: &str, count, median, mean, max| Waits {
        group: group.into(),
        count,
        median_ms: Some(median),
        mean_ms: Some(mean),
        max_ms: Some(max),
    };
    assert_eq!(
        parity.wait_by_presence,
        [waits("in_room", 1, 20_000, 20_000, 20_000), waits("remote", 2, 57_500, 57_500, 110_000)]
    );
}

#[test]
fn a_running_intervention_counts_until_the_report_is_made() {
    let mut meeting = scripted_meeting();
    let chile = person("del-chile", "Camila Rojas", Role::Delegate, Some("Chile"), None);
    ask(&mut meeting, 460, &chile, Presence::InRoom, None);
    run(&mut meeting, 470, &chair(), Command::GiveFloor { entry: None });

    let report = Report::of_meeting(&meeting, at(495));

    let running = report.rows.last().unwrap();
    assert_eq!((running.ended_at, running.spoken_ms), (None, 25_000));
    assert_eq!(report.parity.speaking_ms, 405_000);
}

#[test]
fn the_csv_has_a_header_and_one_row_per_intervention_in_seconds_and_utc() {
    let csv = report().to_csv();

    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 5);
    assert!(lines[0].starts_with("meeting,meeting_title,segment,segment_title,intervention,speaker,"));
    assert_eq!(
        lines[2],
        "oewg-s9-m3,\"Ninth session, third meeting\",1,General debate,2,Kwame Mensah,Global Digital Rights Network,,\
         stakeholder,ngo,african,,remote,statement,en,2026-01-01T10:00:20.000Z,2026-01-01T10:02:10.000Z,\
         2026-01-01T10:05:40.000Z,210,0,0,180,30,110,,,Chair,Chair,0,"
    );
}

#[test]
fn a_joint_statement_is_on_the_record_with_its_confirmed_co_signers_only() {
    // Arrange: a joint statement naming two organisations, of which only APC confirmed.
    let mut meeting = scripted_meeting();
    let gdrn = person("ngo-gdrn-2", "Efua Owusu", Role::Stakeholder, None, Some("Global Digital Rights Network"));
    let apc = person("ngo-apc", "Valeria Betancourt", Role::Stakeholder, None, Some("APC"));
    let joint = Command::RequestFloor {
        segment: None,
        kind: RequestKind::Statement,
        presence: Presence::Remote,
        language: Language::parse("en").unwrap(),
        co_signers: vec!["Access Now".into(), "APC".into()],
        gender: None,
        note: None,
        group: None,
    };
    run(&mut meeting, 460, &gdrn, joint);
    let entry = meeting.active().unwrap().entries[0].id;
    run(&mut meeting, 461, &apc, Command::ConfirmCoSigning { entry });
    run(&mut meeting, 462, &chair(), Command::GiveFloor { entry: None });
    run(&mut meeting, 480, &chair(), Command::EndFloor);

    // Act
    let report = Report::of_meeting(&meeting, at(500));

    // Assert
    let row = report.rows.last().unwrap();
    assert_eq!(row.co_signers, ["APC"]);
    assert_eq!(row.pending_co_signers, ["Access Now"]);
    assert!(report.to_csv().lines().last().unwrap().contains(",APC,"), "{}", report.to_csv());
    assert!(!report.to_csv().contains("Access Now"), "a pending co-signer is not on the record");
}

#[test]
fn a_floor_ended_written_before_moderators_were_kept_reads_with_no_one_named() {
    let old: shared::Event = serde_json::from_str(r#"{"type": "floor_ended"}"#).expect("an old floor_ended");
    let new = serde_json::to_value(shared::Event::FloorEnded { by: None }).unwrap();

    assert_eq!(old, shared::Event::FloorEnded { by: None });
    assert_eq!(new, serde_json::json!({"type": "floor_ended"}));
}
