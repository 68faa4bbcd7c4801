//! Meetings for the unit tests, built with `shared`'s own rules: every change goes through
//! `Meeting::handle` and `Meeting::apply`, as on the server.

use shared::{
    Access, Command, EntryId, Inscription, Language, Meeting, MeetingId, MeetingInfo, Millis, Participant,
    ParticipantId, Presence, ProcessId, RequestKind, Role, SegmentSpec,
};

/// A meeting with one active segment open to all, and a chair to run it.
pub struct Fixture {
    pub meeting: Meeting,
    pub chair: Participant,
}

/// A person of `role`, with an affiliation that fits it.
pub fn person(id: &str, role: Role) -> Participant {
    Participant {
        id: ParticipantId::parse(id).unwrap(),
        name: format!("Name of {id}"),
        role,
        delegation: role.speaks_for_a_state().then(|| format!("State of {id}")),
        organisation: (role == Role::Stakeholder).then(|| format!("Org of {id}")),
        profile: Default::default(),
    }
}

impl Fixture {
    /// A meeting whose first segment (active) allows `time_limit_secs` per intervention.
    pub fn new(time_limit_secs: u32) -> Fixture {
        let meeting = Meeting::new(MeetingInfo {
            id: MeetingId::parse("m").unwrap(),
            title: "Meeting".into(),
            process: ProcessId::parse("p").unwrap(),
            access: Access::Open,
            time_zone: None,
            starts_at: None,
            room: None,
        });
        let mut f = Fixture { meeting, chair: person("chair", Role::Chair) };
        let spec = SegmentSpec::new("General", time_limit_secs);
        f.run(Command::CreateSegment { spec }, 0);
        f.run(Command::ActivateSegment { segment: shared::SegmentId(1) }, 0);
        f
    }

    /// Adds a segment with this inscription; returns nothing (its id is the next number).
    pub fn segment(&mut self, title: &str, inscription: Inscription) {
        let spec = SegmentSpec { inscription, ..SegmentSpec::new(title, 120) };
        self.run(Command::CreateSegment { spec }, 0);
    }

    /// Runs a command as the chair at `at`; panics on a rejection.
    pub fn run(&mut self, command: Command, at: i64) {
        let chair = self.chair.clone();
        self.run_as(&chair, command, at);
    }

    /// Runs a command as `actor` at `at`; panics on a rejection.
    pub fn run_as(&mut self, actor: &Participant, command: Command, at: i64) {
        self.meeting.execute(Millis(at), actor, command).expect("command accepted");
    }

    /// `id` (a new person of `role`) asks for the floor remotely; returns the entry.
    pub fn request(&mut self, id: &str, role: Role) -> EntryId {
        let who = person(id, role);
        let command = Command::RequestFloor {
            segment: None,
            kind: RequestKind::Statement,
            presence: Presence::Remote,
            language: Language::parse("en").unwrap(),
            co_signers: Vec::new(),
            gender: None,
            note: None,
            group: None,
        };
        self.run_as(&who, command, 0);
        self.meeting.active().unwrap().entry_of(&who.id).unwrap().id
    }

    /// The chair gives the floor to `entry` at `at`.
    pub fn give_floor(&mut self, entry: EntryId, at: i64) {
        self.run(Command::GiveFloor { entry: Some(entry) }, at);
    }
}
