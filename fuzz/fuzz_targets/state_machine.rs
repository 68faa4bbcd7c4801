//! Sequences of commands from several people through the queue's state machine, decoded from the
//! fuzzer's bytes. After every command: a refusal changed nothing; sequence numbers count up by
//! one; at most one person has the floor and they wait in no list; nobody is twice in a list; each
//! list keeps points of order, then statements, then rights of reply. At the end, replaying the
//! log rebuilds the meeting.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use shared::{Command, Meeting, MeetingInfo, Millis, Participant, RequestKind};

fn person(value: Value) -> Participant {
    serde_json::from_value(value).expect("a participant")
}

fn people() -> Vec<Participant> {
    vec![
        person(json!({"id": "chair", "name": "Chair", "role": "chair"})),
        person(json!({"id": "sec", "name": "Secretariat", "role": "secretariat"})),
        person(json!({"id": "chl", "name": "Chile", "role": "delegate", "delegation": "Chile"})),
        person(json!({"id": "ken", "name": "Kenya", "role": "delegate", "delegation": "Kenya"})),
        person(
            json!({"id": "exp", "name": "Expert", "role": "expert", "delegation": "Chile", "organisation": "ICT4Peace"}),
        ),
        person(json!({"id": "ngo1", "name": "NGO one", "role": "stakeholder", "organisation": "ICT4Peace"})),
        person(json!({"id": "ngo2", "name": "NGO two", "role": "stakeholder", "organisation": "APC"})),
        person(json!({"id": "pan", "name": "Panellist", "role": "panellist", "organisation": "Uni"})),
        person(json!({"id": "obs", "name": "Display", "role": "observer"})),
    ]
}

/// Reads the fuzzer's bytes as small numbers.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(*first)
    }
}

fn command(b: &mut Bytes<'_>, people: &[Participant]) -> Option<Value> {
    let op = b.byte()? % 20;
    let x = b.byte()?;
    let kinds = ["statement", "point_of_order", "right_of_reply"];
    let presences = ["in_room", "remote"];
    let inscriptions = ["all", "member_states", "stakeholders"];
    let segment = || json!(x % 4);
    Some(match op {
        0 | 1 | 2 => {
            json!({"type": "request_floor", "kind": kinds[x as usize % 3], "presence": presences[x as usize / 3 % 2], "language": "en"})
        }
        3 => {
            json!({"type": "request_floor", "segment": segment(), "kind": "statement", "presence": "remote", "language": "fr", "co_signers": if x % 2 == 0 { json!(["APC"]) } else { json!([]) }})
        }
        4 if x % 3 == 0 => json!({"type": "confirm_co_signing", "entry": x % 16}),
        4 if x % 3 == 1 => json!({"type": "decline_co_signing", "entry": x % 16}),
        4 => json!({"type": "withdraw"}),
        5 => json!({"type": "set_presence", "presence": presences[x as usize % 2]}),
        6 => {
            json!({"type": "add_speaker", "speaker": people[x as usize % people.len()], "kind": kinds[x as usize / 9 % 3], "presence": "in_room", "language": "es"})
        }
        7 => json!({"type": "move_entry", "entry": x % 16, "position": b.byte()? % 8}),
        8 => json!({"type": "remove_entry", "entry": x % 16}),
        9 => {
            json!({"type": "create_segment", "spec": {"title": format!("Segment {x}"), "inscription": inscriptions[x as usize % 3], "time_limit_secs": 5 + u32::from(x) * 7, "budget_secs": if x % 3 == 0 { json!(600) } else { Value::Null }, "one_per_organisation": x % 2 == 0}})
        }
        10 => {
            json!({"type": "update_segment", "segment": segment(), "spec": {"title": "Changed", "inscription": inscriptions[x as usize % 3], "time_limit_secs": 60}})
        }
        11 => json!({"type": "activate_segment", "segment": segment()}),
        12 => json!({"type": "close_list"}),
        13 => json!({"type": "reopen_list"}),
        14 => {
            if x % 2 == 0 {
                json!({"type": "give_floor"})
            } else {
                json!({"type": "give_floor", "entry": x % 16})
            }
        }
        15 => json!({"type": "give_floor_to_panellist", "speaker": people[7], "presence": "remote", "language": "en"}),
        16 => json!({"type": "pause_floor"}),
        17 => json!({"type": "resume_floor"}),
        18 => json!({"type": "extend_floor", "secs": u32::from(x) * 10}),
        _ => json!({"type": "end_floor"}),
    })
}

fn band(kind: RequestKind) -> u8 {
    match kind {
        RequestKind::PointOfOrder => 0,
        RequestKind::Statement => 1,
        RequestKind::RightOfReply => 2,
    }
}

fn check(meeting: &Meeting) {
    if let Some(floor) = &meeting.floor {
        assert!(floor.ended_at.is_none());
        if let Some(entry) = floor.entry {
            assert!(meeting.find_entry(entry).is_none(), "the speaker still waits in a list");
        }
    }
    for segment in &meeting.segments {
        let mut seen = std::collections::HashSet::new();
        for entry in &segment.entries {
            assert!(seen.insert(&entry.speaker.id), "{} twice in one list", entry.speaker.id);
        }
        let bands: Vec<u8> = segment.entries.iter().map(|e| band(e.kind)).collect();
        assert!(bands.windows(2).all(|w| w[0] <= w[1]), "bands out of order: {bands:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let people = people();
    let mut b = Bytes(data);
    let access = if b.byte().unwrap_or(0) % 2 == 0 { "open" } else { "closed" };
    let info: MeetingInfo =
        serde_json::from_value(json!({"id": "m1", "title": "Fuzzed", "process": "p1", "access": access}))
            .expect("info");
    let mut meeting = Meeting::new(info.clone());
    let mut log = Vec::new();
    let mut now = Millis(1_767_225_600_000);
    while let (Some(who), Some(value)) = (b.byte(), command(&mut b, &people)) {
        now = Millis(now.0 + i64::from(b.byte().unwrap_or(0)) * 1000);
        let actor = &people[who as usize % people.len()];
        let Ok(cmd) = serde_json::from_value::<Command>(value) else { continue };
        let before = meeting.clone();
        match meeting.execute(now, actor, cmd) {
            Ok(records) => log.extend(records),
            Err(_) => assert_eq!(meeting, before, "a refused command changed the meeting"),
        }
        assert_eq!(meeting.seq.0, log.len() as u64);
        check(&meeting);
    }
    let mut replayed = Meeting::new(info);
    for record in &log {
        replayed.apply(record);
    }
    assert_eq!(replayed, meeting, "replaying the log does not rebuild the meeting");
});
