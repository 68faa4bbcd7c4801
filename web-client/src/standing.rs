//! Where a participant stands in the meeting: not inscribed, waiting at a position, next, or on the
//! floor — what their screen announces.

use shared::{Entry, Meeting, ParticipantId, Segment};

/// A participant's place in the active segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No request in the active list.
    NotInscribed,
    /// Waiting, with `ahead` people before them (the first has 0 ahead and is [`Standing::Next`]).
    Waiting { ahead: usize },
    /// First in the list: the chair will call them next.
    Next,
    /// They have the floor.
    OnTheFloor,
}

impl Standing {
    /// What the banner says, if anything.
    pub fn banner(self) -> Option<&'static str> {
        match self {
            Standing::Next => Some(crate::tr!(common.standing_next)),
            Standing::OnTheFloor => Some(crate::tr!(common.standing_on_the_floor)),
            _ => None,
        }
    }

    /// Whether a change to this standing deserves a sound.
    pub fn alerts(self) -> bool {
        matches!(self, Standing::Next | Standing::OnTheFloor)
    }
}

/// Where `me` stands in the meeting's active segment.
pub fn standing(meeting: &Meeting, me: &ParticipantId) -> Standing {
    if meeting.floor.as_ref().is_some_and(|f| &f.speaker.id == me) {
        return Standing::OnTheFloor;
    }
    match meeting.active().and_then(|s| s.entries.iter().position(|e| &e.speaker.id == me)) {
        None => Standing::NotInscribed,
        Some(0) => Standing::Next,
        Some(ahead) => Standing::Waiting { ahead },
    }
}

/// `me`'s entry in a segment, with its 1-based position.
pub fn my_entry<'a>(segment: &'a Segment, me: &ParticipantId) -> Option<(usize, &'a Entry)> {
    segment.entries.iter().enumerate().find(|(_, e)| &e.speaker.id == me).map(|(i, e)| (i + 1, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{person, Fixture};
    use shared::{Command, Role};

    #[test]
    fn the_first_in_the_list_is_next_and_the_speaker_has_the_floor() {
        let mut f = Fixture::new(180);
        let chile = f.request("chile", Role::Delegate);
        f.request("kenya", Role::Delegate);
        f.request("ngo", Role::Stakeholder);
        let id = |name: &str| person(name, Role::Delegate).id;
        assert_eq!(standing(&f.meeting, &id("chile")), Standing::Next);
        assert_eq!(standing(&f.meeting, &id("ngo")), Standing::Waiting { ahead: 2 });
        assert_eq!(standing(&f.meeting, &id("nobody")), Standing::NotInscribed);
        f.give_floor(chile, 0);
        assert_eq!(standing(&f.meeting, &id("chile")), Standing::OnTheFloor);
        assert_eq!(standing(&f.meeting, &id("kenya")), Standing::Next);
        assert_eq!(Standing::Next.banner(), Some("You are next"));
        f.run(Command::EndFloor, 1_000);
        assert_eq!(standing(&f.meeting, &id("chile")), Standing::NotInscribed);
    }

    #[test]
    fn my_entry_gives_a_position_counted_from_one() {
        let mut f = Fixture::new(180);
        f.request("chile", Role::Delegate);
        f.request("kenya", Role::Delegate);
        let segment = f.meeting.active().unwrap();
        assert_eq!(my_entry(segment, &person("kenya", Role::Delegate).id).map(|(p, _)| p), Some(2));
    }
}
