//! The wire protocol `rostrum.v1`: JSON text frames with a `"type"` tag, documented with examples
//! in `docs/protocol.md`.
//!
//! A connection starts with the client's [`ClientMessage::Hello`]. The server answers
//! [`ServerMessage::Welcome`], then either a [`ServerMessage::Snapshot`] or the events the client
//! missed, then [`ServerMessage::Synced`]; from then on it sends every event of the meeting as it
//! is committed. Commands carry a client-chosen id and are answered by [`ServerMessage::Ack`]
//! (after the events are durable and sent) or [`ServerMessage::Rejected`].

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::command::Command;
use crate::error::{Error, ErrorCode};
use crate::event::EventRecord;
use crate::ids::{CommandId, MeetingId, Millis, Seq};
use crate::live::PresenceMark;
use crate::meeting::Meeting;
use crate::participant::Participant;
use crate::principal::Standing;

/// The protocol version this crate speaks; also the `Sec-WebSocket-Protocol` value.
pub const PROTOCOL: &str = "rostrum.v1";

/// Largest text frame a client may send, in bytes.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 16 * 1024;

/// Where a client left off: the log's epoch and the last sequence number it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// Identifies one incarnation of the meeting's log; a restored or reset log has a new epoch.
    pub epoch: String,
    /// Last sequence number the client applied.
    pub seq: Seq,
}

/// Messages from a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    /// First message of every connection: who the client is and which meeting it follows.
    Hello {
        /// Must be [`PROTOCOL`].
        protocol: String,
        /// The access token. May be absent only for an anonymous observer of an open meeting.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
        /// The meeting to follow.
        meeting: MeetingId,
        /// Where the client left off after a reconnect.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<Resume>,
        /// Ask for live presence ([`ServerMessage::Presence`]): everyone's for those who may see
        /// it (the chair, vice-chairs, the secretariat), one's own for everyone else with a token.
        /// Ignored without a token.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        presence: bool,
    },
    /// A command, with a client-chosen id that makes retries safe.
    Command {
        /// Unique per participant; a retry reuses it.
        id: CommandId,
        /// What to do.
        command: Command,
    },
}

impl ClientMessage {
    /// Reads a client's text frame. A frame that is not a valid message but is recognisably a
    /// command (`"type": "command"` with a valid `id`) is refused with that id, so that a client
    /// matching answers by id is never left waiting: `invalid_command` when `command` names a
    /// known command whose fields are missing or malformed, `bad_message` when it names none.
    /// Anything else is refused with `bad_message` and no id.
    pub fn from_text(text: &str) -> Result<ClientMessage, Unreadable> {
        let error = match serde_json::from_str(text) {
            Ok(message) => return Ok(message),
            Err(error) => error,
        };
        let envelope = Envelope::read(text);
        let id = envelope.as_ref().and_then(Envelope::command_id);
        let known = envelope
            .as_ref()
            .and_then(|e| e.command.as_ref()?.get("type")?.as_str())
            .and_then(|name| Command::NAMES.iter().find(|known| **known == name));
        let rejection = match (&id, known) {
            (Some(_), Some(name)) => {
                Error::new(ErrorCode::InvalidCommand, format!("This {name} command is malformed: {error}."))
            }
            _ => Error::new(ErrorCode::BadMessage, format!("Not a Rostrum message: {error}.")),
        };
        Err(Unreadable { id, rejection })
    }
}

/// A client frame that is not a message Rostrum can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The command's id, when the frame was a command frame with a valid one.
    pub id: Option<CommandId>,
    /// Why it was refused.
    pub rejection: Error,
}

/// The id of a command frame (`"type": "command"` with a valid `id`), read without reading the
/// command itself: a frame refused before it is read (too many messages) is still answered by id.
pub fn command_id(text: &str) -> Option<CommandId> {
    Envelope::read(text)?.command_id()
}

/// The outside of a client frame, whatever its command holds.
#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
    id: Option<serde_json::Value>,
    command: Option<serde_json::Value>,
}

impl Envelope {
    fn read(text: &str) -> Option<Envelope> {
        serde_json::from_str(text).ok()
    }

    fn command_id(&self) -> Option<CommandId> {
        if self.kind.as_ref()?.as_str()? != "command" {
            return None;
        }
        CommandId::parse(self.id.as_ref()?.as_str()?).ok()
    }
}

/// Why the server sent a full snapshot rather than the missed events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SnapshotReason {
    /// The client did not ask to resume.
    Fresh,
    /// The missed events are older than what the server keeps for replay.
    TooFarBehind,
    /// The client claims events the log does not have.
    AheadOfLog,
    /// The meeting's log is a different incarnation (reset or restored).
    EpochChanged,
}

/// Messages from the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    /// Answer to `hello`: the session is open.
    Welcome {
        /// Always [`PROTOCOL`].
        protocol: String,
        /// The server's clock, to correct local countdowns.
        server_time: Millis,
        /// The meeting followed.
        meeting: MeetingId,
        /// The incarnation of the meeting's log, to send back when resuming.
        epoch: String,
        /// The authenticated person; absent for an anonymous observer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        you: Option<Participant>,
        /// The person's standing when it is not `good` (a stakeholder tied to no accredited
        /// organisation): screens grey out what the policy would refuse.
        #[serde(default, skip_serializing_if = "Standing::is_good")]
        standing: Standing,
    },
    /// The whole meeting at `meeting.seq`; replaces whatever the client held.
    Snapshot {
        /// Why a snapshot rather than a replay.
        reason: SnapshotReason,
        /// The state.
        meeting: Box<Meeting>,
    },
    /// One committed event.
    Event(EventRecord),
    /// The client now holds everything up to `seq`; live events follow.
    Synced {
        /// Last sequence number sent.
        seq: Seq,
        /// The server's clock.
        server_time: Millis,
    },
    /// Live presence, sent only to a connection whose `hello` asked for it: a snapshot right
    /// after `synced`, then the marks that changed, at most one message a second however many
    /// screens come and go. A participant without a mark never connected since the server
    /// started. Never part of the log: it does not advance `seq`.
    Presence {
        /// The whole picture (replaces what the client held) rather than changes.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        snapshot: bool,
        /// One mark per participant, latest state only.
        marks: Vec<PresenceMark>,
    },
    /// The command with this id took effect; its events (up to `seq`) were sent before this.
    Ack {
        /// The command's id.
        id: CommandId,
        /// Sequence number of the meeting after the command.
        seq: Seq,
    },
    /// The command with this id (or the message, when `id` is absent) was refused and changed
    /// nothing.
    Rejected {
        /// The command's id, whenever the refused frame was a command with a valid id (even one
        /// whose command could not be read).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<CommandId>,
        /// Stable reason, from the one vocabulary of `docs/protocol.md`.
        code: ErrorCode,
        /// Sentence for a person.
        message: String,
    },
}

impl ServerMessage {
    /// A `rejected` message for a refusal.
    pub fn rejected(id: Option<CommandId>, rejection: impl Into<Error>) -> Self {
        let Error { code, message } = rejection.into();
        ServerMessage::Rejected { id, code, message }
    }
}

/// A [`ServerMessage::Event`] or [`ServerMessage::Snapshot`] whose body is already JSON: the
/// server stores each event as JSON and sends those same bytes to every subscriber, and keeps a
/// snapshot's JSON until the meeting changes. Serializes to exactly the frame of the message it
/// stands for (a client reads it as a [`ServerMessage`]); the server never formats a frame by hand.
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Preserialized<'a> {
    /// [`ServerMessage::Event`] with its event as stored.
    Event {
        /// The event's sequence number.
        seq: Seq,
        /// When it was committed.
        at: Millis,
        /// The event, as JSON.
        event: &'a RawValue,
    },
    /// [`ServerMessage::Snapshot`] with the meeting as JSON.
    Snapshot {
        /// Why a snapshot rather than a replay.
        reason: SnapshotReason,
        /// The meeting, as JSON.
        meeting: &'a RawValue,
    },
}

impl Preserialized<'_> {
    /// The text of the frame.
    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("raw JSON and plain fields always serialize")
    }
}

/// WebSocket close codes Rostrum uses, with the reason each stands for.
pub mod close {
    /// The first message was not a valid `hello`, or came too late.
    pub const PROTOCOL_ERROR: u16 = 4000;
    /// The token is missing, malformed, tampered with or expired.
    pub const UNAUTHORIZED: u16 = 4001;
    /// The token does not admit this person to this meeting.
    pub const FORBIDDEN: u16 = 4003;
    /// No such meeting.
    pub const UNKNOWN_MEETING: u16 = 4004;
    /// The client did not read its messages fast enough; reconnect and resume.
    pub const TOO_SLOW: u16 = 4008;
    /// The person's access was revoked.
    pub const REVOKED: u16 = 4010;
    /// The token the session was opened with expired (with the clock skew a `hello` allows); a
    /// new token opens a new session.
    pub const TOKEN_EXPIRED: u16 = 4011;
    /// The key that signed the session's token retired (`rostrum keys rotate`); a token signed with
    /// a key in force opens a new session.
    pub const KEY_RETIRED: u16 = 4012;
    /// The person opened more connections than allowed; this, their oldest, was closed.
    pub const TOO_MANY_CONNECTIONS: u16 = 4013;
    /// Too many messages too fast.
    pub const RATE_LIMITED: u16 = 4029;
    /// A frame or message above the size limit (standard code).
    pub const TOO_BIG: u16 = 1009;
    /// The connection was idle too long, or its meeting went away (standard code); reconnect
    /// shortly.
    pub const GOING_AWAY: u16 = 1001;
    /// The server is shutting down gracefully, for a restart or to hand its clients to other nodes
    /// (standard code, "service restart"); reconnect and resume.
    pub const RESTARTING: u16 = 1012;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hello_reads_from_the_documented_json() {
        let text =
            r#"{"type":"hello","protocol":"rostrum.v1","token":"t","meeting":"m1","resume":{"epoch":"e","seq":4}}"#;
        let parsed: ClientMessage = serde_json::from_str(text).unwrap();
        assert!(matches!(parsed, ClientMessage::Hello { resume: Some(Resume { seq: Seq(4), .. }), .. }));
    }

    fn unreadable(text: &str) -> (Option<String>, ErrorCode) {
        let refused = ClientMessage::from_text(text).expect_err("refused");
        (refused.id.map(|id| id.as_str().to_string()), refused.rejection.code)
    }

    #[test]
    fn an_unknown_command_type_is_a_bad_message_answered_by_its_id() {
        let text = r#"{"type": "command", "id": "c1", "command": {"type": "seize_the_floor"}}"#;
        assert_eq!(unreadable(text), (Some("c1".into()), ErrorCode::BadMessage));
    }

    #[test]
    fn a_known_command_with_a_missing_or_malformed_field_is_invalid_and_answered_by_its_id() {
        let missing = r#"{"type": "command", "id": "c2", "command": {"type": "set_presence"}}"#;
        let malformed = r#"{"type": "command", "id": "c3", "command": {"type": "extend_floor", "secs": "ten"}}"#;
        assert_eq!(unreadable(missing), (Some("c2".into()), ErrorCode::InvalidCommand));
        assert_eq!(unreadable(malformed), (Some("c3".into()), ErrorCode::InvalidCommand));
    }

    #[test]
    fn a_frame_without_a_valid_command_id_is_a_bad_message_without_one() {
        for text in [
            r#"{"type": "command", "command": {"type": "pause_floor"}, "id": "not valid!"}"#,
            r#"{"type": "command", "id": 7, "command": {"type": "pause_floor"}}"#,
            r#"{"type": "subscribe", "id": "c4"}"#,
            r#"{"type": "command", "id": "c5", "#,
            r#"[1, 2]"#,
        ] {
            assert_eq!(unreadable(text), (None, ErrorCode::BadMessage), "{text}");
        }
    }

    #[test]
    fn a_command_frame_s_id_is_read_whatever_its_command() {
        let text = r#"{"type": "command", "id": "c6", "command": 42}"#;
        assert_eq!(command_id(text).map(|id| id.as_str().to_string()), Some("c6".into()));
        assert_eq!(command_id(r#"{"type": "hello", "id": "c7"}"#), None);
    }

    #[test]
    fn an_event_is_flat_with_its_sequence_number() {
        let message =
            ServerMessage::Event(EventRecord { seq: Seq(7), at: Millis(1), event: crate::Event::FloorPaused });
        assert_eq!(
            serde_json::to_string(&message).unwrap(),
            r#"{"type":"event","seq":7,"at":1,"event":{"type":"floor_paused"}}"#
        );
    }

    #[test]
    fn a_preserialized_event_is_byte_for_byte_the_event_message() {
        let record = EventRecord { seq: Seq(7), at: Millis(1), event: crate::Event::FloorPaused };
        let stored = serde_json::to_string(&record.event).unwrap();
        let raw: &RawValue = serde_json::from_str(&stored).unwrap();

        let frame = Preserialized::Event { seq: record.seq, at: record.at, event: raw }.to_text();

        assert_eq!(frame, serde_json::to_string(&ServerMessage::Event(record)).unwrap());
    }

    #[test]
    fn a_preserialized_snapshot_reads_back_as_the_snapshot_message() {
        let info = crate::MeetingInfo {
            id: MeetingId::parse("m1").unwrap(),
            title: "Plenary".into(),
            process: crate::ProcessId::parse("oewg").unwrap(),
            access: crate::Access::Open,
            time_zone: None,
            starts_at: None,
            room: None,
        };
        let meeting = Meeting::new(info);
        let json = serde_json::value::to_raw_value(&meeting).unwrap();

        let frame = Preserialized::Snapshot { reason: SnapshotReason::TooFarBehind, meeting: &json }.to_text();

        let expected = ServerMessage::Snapshot { reason: SnapshotReason::TooFarBehind, meeting: Box::new(meeting) };
        assert_eq!(serde_json::from_str::<ServerMessage>(&frame).unwrap(), expected);
        assert_eq!(frame, serde_json::to_string(&expected).unwrap());
    }
}
