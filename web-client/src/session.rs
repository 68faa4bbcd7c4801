//! The client's side of `rostrum.v1` as a plain state machine, with no socket and no clock: the
//! browser glue feeds it what arrives and the local time, and sends what it returns. It keeps the
//! meeting replica with `shared`'s own `apply`, the offset between the local and the server clock,
//! and the commands waiting for an answer.

use shared::protocol::{close, ClientMessage, Resume, ServerMessage, PROTOCOL};
use shared::{Command, CommandId, Meeting, MeetingId, Millis, Participant, Seq, Standing};

/// Where the connection stands. Screens show the meeting while [`Status::Live`], and hold its last
/// known state, greyed and without commands, while [`Status::Reconnecting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// First connection, before `synced`.
    Connecting,
    /// The connection dropped; retry number `attempt` is under way or scheduled.
    Reconnecting { attempt: u32 },
    /// Everything up to the server's latest event is applied; live events follow.
    Live,
    /// The server refused this link for good (bad token, no such meeting, revoked…).
    Refused { message: String },
}

/// What the glue does after a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Keep reading.
    Continue,
    /// The event stream has a gap: drop the socket and resume from the last applied event.
    Resync,
}

/// What the glue does after the socket closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterClose {
    /// Reconnect after a backoff for retry number `attempt`.
    Retry { attempt: u32 },
    /// Do not reconnect: the status says why.
    Stop,
}

/// A message for the person at the screen, about one of their commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Unique within the session, to dismiss it.
    pub id: u64,
    /// The sentence shown.
    pub text: String,
}

/// Most notices kept; older ones give way.
const MAX_NOTICES: usize = 4;

#[derive(Debug, Clone)]
struct Pending {
    id: CommandId,
    what: String,
}

/// One screen's session with the server, across reconnections.
#[derive(Debug, Clone)]
pub struct Session {
    pub status: Status,
    /// The replica; kept while reconnecting to resume from, and shown greyed meanwhile.
    pub meeting: Option<Meeting>,
    /// When (on the server's clock, as estimated here) the live connection was lost; `None` while
    /// live or before the first sync.
    pub lost_at: Option<Millis>,
    /// The person the token names; `None` for an anonymous display.
    pub you: Option<Participant>,
    /// The person's standing as the server's records say (a stakeholder may be tied to no
    /// accredited organisation).
    pub standing: Standing,
    epoch: Option<String>,
    /// Server clock minus local clock, in milliseconds.
    offset_ms: i64,
    attempt: u32,
    pending: Vec<Pending>,
    /// Prefix of this screen's command ids, random per page load.
    tag: String,
    next_command: u64,
    pub notices: Vec<Notice>,
    next_notice: u64,
    /// The sentence of the last refused `hello`, shown if the close says the refusal is final.
    refusal: Option<String>,
}

impl Session {
    /// A session whose command ids start with `tag` (a few random letters or digits).
    pub fn new(tag: impl Into<String>) -> Session {
        Session {
            status: Status::Connecting,
            meeting: None,
            lost_at: None,
            you: None,
            standing: Standing::Good,
            epoch: None,
            offset_ms: 0,
            attempt: 0,
            pending: Vec::new(),
            tag: tag.into(),
            next_command: 0,
            notices: Vec::new(),
            next_notice: 0,
            refusal: None,
        }
    }

    /// Whether the screen may show the meeting: synced and connected.
    pub fn is_live(&self) -> bool {
        self.status == Status::Live
    }

    /// The meeting, only while live: what commands may be decided on.
    pub fn live_meeting(&self) -> Option<&Meeting> {
        self.meeting.as_ref().filter(|_| self.is_live())
    }

    /// The meeting a screen shows: live, or its last known state while reconnecting (then
    /// [`Session::held`] is true), so that an outage does not blank the list and the timer.
    pub fn shown_meeting(&self) -> Option<&Meeting> {
        self.meeting.as_ref().filter(|_| matches!(self.status, Status::Live | Status::Reconnecting { .. }))
    }

    /// Whether the screen shows a state that may be out of date: the connection is down and the
    /// last known state is held.
    pub fn held(&self) -> bool {
        matches!(self.status, Status::Reconnecting { .. }) && self.meeting.is_some()
    }

    /// The first message on a new socket; resumes from the replica when there is one.
    pub fn hello(&self, meeting: &MeetingId, token: Option<&str>) -> ClientMessage {
        let resume = match (&self.epoch, &self.meeting) {
            (Some(epoch), Some(replica)) => Some(Resume { epoch: epoch.clone(), seq: replica.seq }),
            _ => None,
        };
        ClientMessage::Hello {
            protocol: PROTOCOL.into(),
            token: token.map(String::from),
            meeting: meeting.clone(),
            resume,
            // Everyone's for the chair's console, one's own elsewhere: the server decides which.
            presence: token.is_some(),
        }
    }

    /// The server's clock now, given the local clock.
    pub fn server_now(&self, local_now: i64) -> Millis {
        Millis(local_now + self.offset_ms)
    }

    /// Takes in one server message received at `local_now`.
    pub fn receive(&mut self, message: ServerMessage, local_now: i64) -> Step {
        match message {
            ServerMessage::Welcome { server_time, epoch, you, standing, .. } => {
                self.offset_ms = server_time.0 - local_now;
                self.epoch = Some(epoch);
                self.you = you;
                self.standing = standing;
                self.refusal = None;
            }
            ServerMessage::Snapshot { meeting, .. } => self.meeting = Some(*meeting),
            ServerMessage::Event(record) => {
                // A message cannot arrive before it was sent, so `at - local_now` is a lower bound
                // of the offset; the largest bound seen is the best estimate.
                self.offset_ms = self.offset_ms.max(record.at.0 - local_now);
                let Some(meeting) = self.meeting.as_mut() else { return Step::Resync };
                if record.seq <= meeting.seq {
                    return Step::Continue;
                }
                if record.seq != meeting.seq.next() {
                    return Step::Resync;
                }
                meeting.apply(&record);
            }
            ServerMessage::Synced { seq, server_time } => {
                self.offset_ms = self.offset_ms.max(server_time.0 - local_now);
                let held = self.meeting.as_ref().map_or(Seq(0), |m| m.seq);
                if self.meeting.is_none() || held != seq {
                    // Something is off with the replica: start again from a fresh snapshot.
                    self.meeting = None;
                    self.epoch = None;
                    return Step::Resync;
                }
                self.status = Status::Live;
                self.lost_at = None;
                self.attempt = 0;
            }
            ServerMessage::Ack { id, .. } => self.pending.retain(|p| p.id != id),
            ServerMessage::Rejected { id: Some(id), code, message } => {
                let message = crate::labels::refusal_text(code, message);
                let what = self.pending.iter().find(|p| p.id == id).map(|p| p.what.clone());
                self.pending.retain(|p| p.id != id);
                let text = match what {
                    Some(what) => format!("{what}: {message}"),
                    None => message,
                };
                self.notify(text);
            }
            // Kept apart, in [`crate::live::Live::presence`]: a change of who is connected must not
            // redraw everything that reads the meeting.
            ServerMessage::Presence { .. } => {}
            ServerMessage::Rejected { id: None, code, message } => {
                let message = crate::labels::refusal_text(code, message);
                if self.is_live() {
                    self.notify(message);
                } else {
                    self.refusal = Some(message);
                }
            }
        }
        Step::Continue
    }

    /// Prepares a command described as `what` ("Give the floor", …) for sending; `None` with a
    /// notice when the screen is not live, since a command sent blind might act on a list the
    /// person cannot see.
    pub fn command(&mut self, command: Command, what: &str) -> Option<ClientMessage> {
        if !self.is_live() {
            self.notify(crate::tr!(common.command_not_sent, what = what));
            return None;
        }
        self.next_command += 1;
        let id = CommandId::parse(format!("{}-{}", self.tag, self.next_command)).ok()?;
        self.pending.push(Pending { id: id.clone(), what: what.to_string() });
        Some(ClientMessage::Command { id, command })
    }

    /// Whether a command is waiting for its answer.
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// The socket closed with `code` at `local_now`. Decides whether to reconnect.
    pub fn closed(&mut self, code: u16, local_now: i64) -> AfterClose {
        if self.is_live() {
            self.lost_at = Some(self.server_now(local_now));
        }
        for lost in std::mem::take(&mut self.pending) {
            self.notify(crate::tr!(common.command_lost, what = &lost.what));
        }
        let fatal = match code {
            close::UNAUTHORIZED => Some(crate::tr!(errors.bad_token)),
            close::FORBIDDEN => Some(crate::tr!(common.close_forbidden)),
            close::UNKNOWN_MEETING => Some(crate::tr!(errors.unknown_meeting)),
            close::REVOKED => Some(crate::tr!(common.close_revoked)),
            close::TOKEN_EXPIRED => Some(crate::tr!(common.close_expired)),
            close::KEY_RETIRED => Some(crate::tr!(common.close_retired_key)),
            close::PROTOCOL_ERROR => Some(crate::tr!(common.close_protocol_error)),
            _ => None,
        };
        if let Some(default) = fatal {
            let message = self.refusal.take().unwrap_or_else(|| default.to_string());
            self.lost_at = None;
            self.status = Status::Refused { message };
            return AfterClose::Stop;
        }
        self.attempt = self.attempt.saturating_add(1);
        self.status = Status::Reconnecting { attempt: self.attempt };
        AfterClose::Retry { attempt: self.attempt }
    }

    /// Adds a notice for the person at the screen.
    pub fn notify(&mut self, text: String) {
        self.next_notice += 1;
        self.notices.push(Notice { id: self.next_notice, text });
        if self.notices.len() > MAX_NOTICES {
            self.notices.remove(0);
        }
    }

    /// Removes a notice the person dismissed.
    pub fn dismiss(&mut self, id: u64) {
        self.notices.retain(|n| n.id != id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::protocol::SnapshotReason;
    use shared::{Access, ErrorCode, Event, EventRecord, MeetingInfo, ProcessId};

    fn meeting() -> Meeting {
        Meeting::new(MeetingInfo {
            id: MeetingId::parse("m1").unwrap(),
            title: "Meeting".into(),
            process: ProcessId::parse("p").unwrap(),
            access: Access::Open,
            time_zone: None,
            starts_at: None,
            room: None,
        })
    }

    fn welcome(server_time: i64) -> ServerMessage {
        ServerMessage::Welcome {
            protocol: PROTOCOL.into(),
            server_time: Millis(server_time),
            meeting: MeetingId::parse("m1").unwrap(),
            epoch: "e1".into(),
            you: None,
            standing: Standing::Good,
        }
    }

    fn event(seq: u64, at: i64) -> ServerMessage {
        ServerMessage::Event(EventRecord { seq: Seq(seq), at: Millis(at), event: Event::FloorPaused })
    }

    fn live() -> Session {
        let mut s = Session::new("t");
        s.receive(welcome(1_000), 1_000);
        s.receive(ServerMessage::Snapshot { reason: SnapshotReason::Fresh, meeting: Box::new(meeting()) }, 1_000);
        s.receive(ServerMessage::Synced { seq: Seq(0), server_time: Millis(1_000) }, 1_000);
        s
    }

    #[test]
    fn a_screen_is_live_only_after_synced() {
        let mut s = Session::new("t");
        s.receive(welcome(1_000), 1_000);
        s.receive(ServerMessage::Snapshot { reason: SnapshotReason::Fresh, meeting: Box::new(meeting()) }, 1_000);
        assert!(s.live_meeting().is_none());
        s.receive(ServerMessage::Synced { seq: Seq(0), server_time: Millis(1_000) }, 1_000);
        assert!(s.live_meeting().is_some());
    }

    #[test]
    fn events_in_order_are_applied_and_a_gap_asks_for_a_resync() {
        let mut s = live();
        assert_eq!(s.receive(event(1, 1_000), 1_000), Step::Continue);
        assert_eq!(s.meeting.as_ref().unwrap().seq, Seq(1));
        assert_eq!(s.receive(event(1, 1_000), 1_000), Step::Continue, "a duplicate is ignored");
        assert_eq!(s.receive(event(3, 1_000), 1_000), Step::Resync);
        assert_eq!(s.meeting.as_ref().unwrap().seq, Seq(1));
    }

    #[test]
    fn after_a_drop_the_hello_resumes_from_the_last_event_and_the_last_state_is_held() {
        let mut s = live();
        s.receive(event(1, 1_000), 1_000);
        assert_eq!(s.closed(1006, 2_000), AfterClose::Retry { attempt: 1 });
        assert!(s.live_meeting().is_none(), "no command is decided on a held state");
        assert_eq!(s.shown_meeting().map(|m| m.seq), Some(Seq(1)), "the last known state stays on screen");
        assert!(s.held());
        assert_eq!(s.lost_at, Some(Millis(2_000)));
        let hello = s.hello(&MeetingId::parse("m1").unwrap(), Some("tok"));
        let ClientMessage::Hello { resume: Some(resume), token, .. } = hello else { panic!("no resume") };
        assert_eq!(resume, Resume { epoch: "e1".into(), seq: Seq(1) });
        assert_eq!(token.as_deref(), Some("tok"));
        assert_eq!(s.closed(1006, 5_000), AfterClose::Retry { attempt: 2 });
        assert_eq!(s.lost_at, Some(Millis(2_000)), "a failed retry does not restart the count");
        s.receive(welcome(1_000), 1_000);
        s.receive(ServerMessage::Synced { seq: Seq(1), server_time: Millis(1_000) }, 1_000);
        assert!(s.is_live());
        assert!(!s.held() && s.lost_at.is_none());
        assert_eq!(s.closed(1006, 2_000), AfterClose::Retry { attempt: 1 }, "a successful sync resets the backoff");
    }

    #[test]
    fn the_clock_offset_comes_from_the_server_time() {
        let mut s = Session::new("t");
        s.receive(welcome(10_000), 4_000);
        assert_eq!(s.server_now(5_000), Millis(11_000));
        s.receive(ServerMessage::Synced { seq: Seq(0), server_time: Millis(10_500) }, 4_100);
        assert_eq!(s.server_now(5_000), Millis(11_400), "a later bound raises the estimate");
    }

    #[test]
    fn a_rejection_is_shown_with_what_the_person_tried() {
        let mut s = live();
        let Some(ClientMessage::Command { id, .. }) = s.command(Command::EndFloor, "End the intervention") else {
            panic!("no command")
        };
        assert!(s.busy());
        s.receive(
            ServerMessage::Rejected {
                id: Some(id),
                code: ErrorCode::FloorEmpty,
                message: "Nobody has the floor.".into(),
            },
            1_000,
        );
        assert!(!s.busy());
        assert_eq!(s.notices[0].text, "End the intervention: Nobody has the floor.");
    }

    #[test]
    fn an_ack_clears_the_pending_command_and_ids_are_unique() {
        let mut s = live();
        let Some(ClientMessage::Command { id: first, .. }) = s.command(Command::PauseFloor, "Pause") else { panic!() };
        let Some(ClientMessage::Command { id: second, .. }) = s.command(Command::ResumeFloor, "Resume") else {
            panic!()
        };
        assert_ne!(first, second);
        s.receive(ServerMessage::Ack { id: first, seq: Seq(1) }, 1_000);
        s.receive(ServerMessage::Ack { id: second, seq: Seq(2) }, 1_000);
        assert!(!s.busy());
        assert!(s.notices.is_empty());
    }

    #[test]
    fn a_command_is_not_sent_while_reconnecting_and_says_why() {
        let mut s = live();
        s.closed(1006, 2_000);
        assert!(s.command(Command::EndFloor, "End").is_none());
        assert!(s.notices[0].text.contains("connection is down"));
    }

    #[test]
    fn a_screen_that_never_synced_holds_nothing_while_it_retries() {
        let mut s = Session::new("t");
        s.closed(1006, 2_000);
        assert!(s.shown_meeting().is_none() && !s.held() && s.lost_at.is_none());
    }

    #[test]
    fn a_refused_token_stops_retrying_with_the_servers_sentence() {
        let mut s = Session::new("t");
        s.receive(ServerMessage::Rejected { id: None, code: ErrorCode::BadToken, message: "Token expired.".into() }, 0);
        assert_eq!(s.closed(close::UNAUTHORIZED, 0), AfterClose::Stop);
        assert_eq!(s.status, Status::Refused { message: "Token expired.".into() });
    }

    #[test]
    fn a_session_whose_token_expired_or_whose_key_retired_stops_and_says_why() {
        for (code, words) in [(close::TOKEN_EXPIRED, "has expired"), (close::KEY_RETIRED, "retired")] {
            let mut s = live();

            let after = s.closed(code, 2_000);

            assert_eq!(after, AfterClose::Stop, "close code {code}");
            assert!(matches!(&s.status, Status::Refused { message } if message.contains(words)), "{:?}", s.status);
        }
    }

    #[test]
    fn a_command_lost_in_a_drop_is_reported() {
        let mut s = live();
        s.command(Command::GiveFloor { entry: None }, "Next speaker");
        s.closed(1006, 2_000);
        assert!(!s.busy());
        assert!(s.notices[0].text.starts_with("Next speaker: the connection dropped"));
    }

    #[test]
    fn a_resumed_stream_that_does_not_reach_synced_seq_resyncs() {
        let mut s = live();
        s.closed(1006, 2_000);
        s.receive(welcome(1_000), 1_000);
        assert_eq!(s.receive(ServerMessage::Synced { seq: Seq(4), server_time: Millis(1_000) }, 1_000), Step::Resync);
        assert!(!s.is_live());
    }
}
