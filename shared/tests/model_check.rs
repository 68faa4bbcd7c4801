//! The queue against a simple reference model, with proptest-state-machine: long random sequences
//! of requests, withdrawals, moves, removals, closing and reopening, giving and ending the floor,
//! and after every step the real meeting's list and floor equal the model's, a refusal changed
//! nothing, and on success the events count up the sequence number. Shrinking yields the shortest
//! sequence that breaks a rule. (`properties.rs` checks many more properties over shorter sittings.)

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use proptest_state_machine::{prop_state_machine, ReferenceStateMachine, StateMachineTest};
use serde_json::{json, Value};
use shared::{Command, Meeting, MeetingInfo, Millis, Participant, RequestKind};

const PEOPLE: usize = 6;

/// One step of a sitting.
#[derive(Debug, Clone)]
enum Step {
    Request(usize, RequestKind),
    Withdraw(usize),
    CloseList,
    ReopenList,
    GiveFloor,
    /// Give the floor to the k-th waiting entry (or to an entry that is not there).
    GiveFloorTo(usize),
    EndFloor,
    Remove(usize),
    Move(usize, usize),
}

/// The reference: who waits in which order and for what, whether the list is open, who speaks.
#[derive(Debug, Clone, Default)]
struct Model {
    waiting: Vec<(usize, RequestKind)>,
    closed: bool,
    floor: Option<usize>,
    /// Whether the last step was taken (a correct queue refuses the others and changes nothing).
    accepted: bool,
}

fn band(kind: RequestKind) -> u8 {
    match kind {
        RequestKind::PointOfOrder => 0,
        RequestKind::Statement => 1,
        RequestKind::RightOfReply => 2,
    }
}

impl Model {
    /// Applies `step`; false when a correct queue refuses it.
    fn step(&mut self, step: &Step) -> bool {
        match *step {
            Step::Request(who, kind) => {
                if self.waiting.iter().any(|(w, _)| *w == who) || (self.closed && kind != RequestKind::PointOfOrder) {
                    return false;
                }
                let at = self.waiting.iter().position(|(_, k)| band(*k) > band(kind)).unwrap_or(self.waiting.len());
                self.waiting.insert(at, (who, kind));
                true
            }
            Step::Withdraw(who) => match self.waiting.iter().position(|(w, _)| *w == who) {
                Some(at) => {
                    self.waiting.remove(at);
                    true
                }
                None => false,
            },
            Step::CloseList => {
                self.closed = true;
                true
            }
            Step::ReopenList => {
                self.closed = false;
                true
            }
            Step::GiveFloor | Step::GiveFloorTo(_) => {
                let at = if let Step::GiveFloorTo(k) = *step { k } else { 0 };
                if at >= self.waiting.len() {
                    return false;
                }
                self.floor = Some(self.waiting.remove(at).0);
                true
            }
            Step::EndFloor => self.floor.take().is_some(),
            Step::Remove(k) => {
                if k >= self.waiting.len() {
                    return false;
                }
                self.waiting.remove(k);
                true
            }
            Step::Move(k, position) => {
                let Some(&(who, kind)) = self.waiting.get(k) else { return false };
                if kind == RequestKind::PointOfOrder {
                    return false;
                }
                self.waiting.remove(k);
                let start = self.waiting.iter().filter(|(_, x)| band(*x) < band(kind)).count();
                let end = start + self.waiting.iter().filter(|(_, x)| *x == kind).count();
                self.waiting.insert(position.clamp(start, end), (who, kind));
                true
            }
        }
    }
}

struct Reference;

impl ReferenceStateMachine for Reference {
    type State = Model;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<Model> {
        Just(Model::default()).boxed()
    }

    fn transitions(_: &Model) -> BoxedStrategy<Step> {
        let kind = prop_oneof![
            3 => Just(RequestKind::Statement),
            1 => Just(RequestKind::PointOfOrder),
            1 => Just(RequestKind::RightOfReply)
        ];
        prop_oneof![
            6 => (0..PEOPLE, kind).prop_map(|(who, kind)| Step::Request(who, kind)),
            2 => (0..PEOPLE).prop_map(Step::Withdraw),
            1 => Just(Step::CloseList),
            1 => Just(Step::ReopenList),
            2 => Just(Step::GiveFloor),
            1 => (0..PEOPLE + 1).prop_map(Step::GiveFloorTo),
            2 => Just(Step::EndFloor),
            1 => (0..PEOPLE + 1).prop_map(Step::Remove),
            2 => (0..PEOPLE + 1, 0..PEOPLE + 1).prop_map(|(k, p)| Step::Move(k, p)),
        ]
        .boxed()
    }

    fn apply(mut state: Model, step: &Step) -> Model {
        state.accepted = state.step(step);
        state
    }
}

fn value<T: serde::de::DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("valid JSON for a shared type")
}

fn person(n: usize) -> Participant {
    value(
        json!({"id": format!("del-{n}"), "name": format!("Delegate {n}"), "role": "delegate", "delegation": format!("State {n}")}),
    )
}

/// The real meeting, with the time and everyone in it.
struct Sitting {
    meeting: Meeting,
    now: Millis,
    chair: Participant,
}

impl Sitting {
    fn run(&mut self, actor: &Participant, command: Value) -> bool {
        self.now = Millis(self.now.0 + 1000);
        let command: Command = value(command);
        let before = self.meeting.clone();
        match self.meeting.execute(self.now, actor, command) {
            Ok(_) => true,
            Err(_) => {
                assert_eq!(self.meeting, before, "a refused command changed the meeting");
                false
            }
        }
    }

    /// The id of the k-th waiting entry, or one that waits nowhere.
    fn entry(&self, k: usize) -> u64 {
        self.meeting.active().and_then(|s| s.entries.get(k)).map_or(9_999, |e| e.id.0)
    }
}

struct Queue;

impl StateMachineTest for Queue {
    type SystemUnderTest = Sitting;
    type Reference = Reference;

    fn init_test(_: &Model) -> Sitting {
        let info: MeetingInfo = value(json!({"id": "m1", "title": "Model check", "process": "p1", "access": "open"}));
        let chair = value(json!({"id": "chair", "name": "Chair", "role": "chair"}));
        let mut sitting = Sitting { meeting: Meeting::new(info), now: Millis(1_767_225_600_000), chair };
        let chair = sitting.chair.clone();
        assert!(sitting.run(
            &chair,
            json!({"type": "create_segment", "spec": {"title": "Debate", "inscription": "all", "time_limit_secs": 180}})
        ));
        assert!(sitting.run(&chair, json!({"type": "activate_segment", "segment": 1})));
        sitting
    }

    fn apply(mut sitting: Sitting, model: &Model, step: Step) -> Sitting {
        let shown = format!("{step:?}");
        let chair = sitting.chair.clone();
        let kind = |k: RequestKind| serde_json::to_value(k).unwrap();
        let accepted = match step {
            Step::Request(who, k) => sitting.run(
                &person(who),
                json!({"type": "request_floor", "kind": kind(k), "presence": "remote", "language": "en"}),
            ),
            Step::Withdraw(who) => sitting.run(&person(who), json!({"type": "withdraw"})),
            Step::CloseList => sitting.run(&chair, json!({"type": "close_list"})),
            Step::ReopenList => sitting.run(&chair, json!({"type": "reopen_list"})),
            Step::GiveFloor => sitting.run(&chair, json!({"type": "give_floor"})),
            Step::GiveFloorTo(k) => {
                let entry = sitting.entry(k);
                sitting.run(&chair, json!({"type": "give_floor", "entry": entry}))
            }
            Step::EndFloor => sitting.run(&chair, json!({"type": "end_floor"})),
            Step::Remove(k) => {
                let entry = sitting.entry(k);
                sitting.run(&chair, json!({"type": "remove_entry", "entry": entry}))
            }
            Step::Move(k, position) => {
                let entry = sitting.entry(k);
                sitting.run(&chair, json!({"type": "move_entry", "entry": entry, "position": position}))
            }
        };
        // A command that changes nothing is accepted without an event (closing a closed list):
        // the model counts those as taken too.
        assert_eq!(accepted, model.accepted, "the queue and the model disagree on taking {shown}");
        let segment = sitting.meeting.active().expect("the debate is active");
        let waiting: Vec<(usize, RequestKind)> = segment
            .entries
            .iter()
            .map(|e| (e.speaker.id.as_str().trim_start_matches("del-").parse().expect("a delegate"), e.kind))
            .collect();
        assert_eq!(waiting, model.waiting, "the list differs from the model");
        assert_eq!(segment.list_open, !model.closed, "the list's openness differs from the model");
        let floor = sitting
            .meeting
            .floor
            .as_ref()
            .map(|f| f.speaker.id.as_str().trim_start_matches("del-").parse::<usize>().expect("a delegate"));
        assert_eq!(floor, model.floor, "the floor differs from the model");
        sitting
    }
}

prop_state_machine! {
    #![proptest_config(Config {
        cases: 100,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct("proptest-regressions/model_check.txt"))),
        source_file: Some(file!()),
        .. Config::default()
    })]

    #[test]
    fn the_queue_follows_the_reference_model_over_long_sittings(sequential 1..400 => Queue);
}
