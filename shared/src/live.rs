//! Live presence: whether a participant has a screen connected to the meeting right now.
//!
//! Unlike [`crate::Presence`] (in the room or remote, which the participant says and the log
//! keeps), live presence is what the server sees of connections. It is ephemeral: never in the
//! log, rebuilt from reconnects after a restart, and sent on its own bounded channel
//! ([`crate::protocol::ServerMessage::Presence`]) to the screens that ask for it in their `hello`.

use serde::{Deserialize, Serialize};

use crate::ids::{Millis, ParticipantId};

/// Whether a participant has at least one screen connected to the meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiveState {
    /// At least one of their screens is connected.
    Connected,
    /// Their last screen disconnected.
    Disconnected,
}

/// One participant's live presence, and since when it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceMark {
    /// Who.
    pub participant: ParticipantId,
    /// Connected or not.
    pub state: LiveState,
    /// Server time since which the state holds: when their first screen connected, or their last
    /// one went.
    pub since: Millis,
}

impl PresenceMark {
    /// How the mark reads to a person at server time `now`: connected, disconnected for how long,
    /// or (for nobody in the marks) never connected.
    pub fn seen(mark: Option<&PresenceMark>, now: Millis) -> Seen {
        match mark {
            None => Seen::NeverConnected,
            Some(PresenceMark { state: LiveState::Connected, .. }) => Seen::Connected,
            Some(PresenceMark { state: LiveState::Disconnected, since, .. }) => {
                Seen::DisconnectedFor { secs: (now.since(*since).max(0) / 1000) as u64 }
            }
        }
    }
}

/// A participant's live presence as a screen shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seen {
    /// A screen of theirs is connected.
    Connected,
    /// Their last screen went this many seconds ago.
    DisconnectedFor { secs: u64 },
    /// No screen of theirs connected since the server started.
    NeverConnected,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(state: LiveState, since: i64) -> PresenceMark {
        PresenceMark { participant: ParticipantId::parse("p-1").unwrap(), state, since: Millis(since) }
    }

    #[test]
    fn a_mark_is_flat_json_with_its_state_in_snake_case() {
        let json = serde_json::to_string(&mark(LiveState::Disconnected, 5)).unwrap();
        assert_eq!(json, r#"{"participant":"p-1","state":"disconnected","since":5}"#);
    }

    #[test]
    fn a_disconnection_reads_as_whole_seconds_since_it_happened() {
        let gone = mark(LiveState::Disconnected, 1_000);
        assert_eq!(PresenceMark::seen(Some(&gone), Millis(41_999)), Seen::DisconnectedFor { secs: 40 });
        assert_eq!(PresenceMark::seen(Some(&mark(LiveState::Connected, 1)), Millis(9)), Seen::Connected);
        assert_eq!(PresenceMark::seen(None, Millis(9)), Seen::NeverConnected);
    }
}
