//! Outgoing webhooks: what a call platform (or any receiver) is sent when the floor changes hands,
//! and the API's view of the endpoints and their delivery log. Documented in `docs/api.md`
//! ("Webhooks").
//!
//! Which events go out, under which type, and what their payload says are decided here, from the
//! event and the meeting's state after it, so that the payload of an event is the same however
//! many times it is sent: the server only signs and posts it.

use serde::{Deserialize, Serialize};

use crate::event::{Event, EventRecord};
use crate::ids::{EntryId, InterventionId, Language, MeetingId, Millis, SegmentId, Seq};
use crate::intervention::Intervention;
use crate::meeting::Meeting;
use crate::participant::{Presence, Role};
use crate::segment::RequestKind;

/// The type of a webhook message (Standard Webhooks' `type`): the floor's five, and the list's
/// six for endpoints that ask for them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum EventType {
    /// `floor_given`: someone has the floor.
    #[serde(rename = "floor.given")]
    #[strum(serialize = "floor.given")]
    FloorGiven,
    /// `floor_paused`: the speaker's clock stopped.
    #[serde(rename = "floor.paused")]
    #[strum(serialize = "floor.paused")]
    FloorPaused,
    /// `floor_resumed`: the speaker's clock restarted.
    #[serde(rename = "floor.resumed")]
    #[strum(serialize = "floor.resumed")]
    FloorResumed,
    /// `floor_extended`: the speaker got more time.
    #[serde(rename = "floor.extended")]
    #[strum(serialize = "floor.extended")]
    FloorExtended,
    /// `floor_ended`: the intervention ended.
    #[serde(rename = "floor.ended")]
    #[strum(serialize = "floor.ended")]
    FloorEnded,
    /// `entry_added`: someone joined a list.
    #[serde(rename = "list.entry_added")]
    #[strum(serialize = "list.entry_added")]
    ListEntryAdded,
    /// `entry_withdrawn`: a speaker withdrew their request.
    #[serde(rename = "list.entry_withdrawn")]
    #[strum(serialize = "list.entry_withdrawn")]
    ListEntryWithdrawn,
    /// `entry_removed`: the chair removed an entry.
    #[serde(rename = "list.entry_removed")]
    #[strum(serialize = "list.entry_removed")]
    ListEntryRemoved,
    /// `entry_moved`: the chair moved an entry.
    #[serde(rename = "list.entry_moved")]
    #[strum(serialize = "list.entry_moved")]
    ListEntryMoved,
    /// `list_closed`: a list stopped taking statements.
    #[serde(rename = "list.closed")]
    #[strum(serialize = "list.closed")]
    ListClosed,
    /// `list_reopened`: a list takes requests again.
    #[serde(rename = "list.reopened")]
    #[strum(serialize = "list.reopened")]
    ListReopened,
    /// `entry_passed_over`: the chair passed over the head of a list, which keeps its place.
    #[serde(rename = "list.entry_passed_over")]
    #[strum(serialize = "list.entry_passed_over")]
    ListEntryPassedOver,
    /// `ready_confirmed`: the remote speaker who is next said they are ready.
    #[serde(rename = "list.ready_confirmed")]
    #[strum(serialize = "list.ready_confirmed")]
    ListReadyConfirmed,
}

impl EventType {
    /// The type an event goes out under, if it goes out at all.
    pub fn of(event: &Event) -> Option<EventType> {
        Some(match event {
            Event::FloorGiven { .. } => EventType::FloorGiven,
            Event::FloorPaused => EventType::FloorPaused,
            Event::FloorResumed => EventType::FloorResumed,
            Event::FloorExtended { .. } => EventType::FloorExtended,
            Event::FloorEnded { .. } => EventType::FloorEnded,
            Event::EntryAdded { .. } => EventType::ListEntryAdded,
            Event::EntryWithdrawn { .. } => EventType::ListEntryWithdrawn,
            Event::EntryRemoved { .. } => EventType::ListEntryRemoved,
            Event::EntryMoved { .. } => EventType::ListEntryMoved,
            Event::ListClosed { .. } => EventType::ListClosed,
            Event::ListReopened { .. } => EventType::ListReopened,
            Event::EntryPassedOver { .. } => EventType::ListEntryPassedOver,
            Event::ReadyConfirmed { .. } => EventType::ListReadyConfirmed,
            _ => return None,
        })
    }

    /// Whether it is one of the list's types, sent only to endpoints with `list: true`.
    pub fn is_list(self) -> bool {
        !matches!(
            self,
            EventType::FloorGiven
                | EventType::FloorPaused
                | EventType::FloorResumed
                | EventType::FloorExtended
                | EventType::FloorEnded
        )
    }

    /// The type as sent: `floor.given`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The type `event` goes out under to an endpoint that does (`list: true`) or does not want the
/// list's events; `None` when that endpoint is not sent it.
pub fn sent_as(event: &Event, list: bool) -> Option<EventType> {
    EventType::of(event).filter(|t| list || !t.is_list())
}

/// A message's id (`webhook-id`): the same for every attempt to deliver one event, across restarts,
/// and for every endpoint of the meeting. The meeting's log epoch makes it unique when a log is
/// restored; a `.` (allowed in meeting ids, not in Standard Webhooks' signed content) is written `_`.
pub fn message_id(meeting: &MeetingId, epoch: &str, seq: Seq) -> String {
    format!("msg_{}_{}_{}", meeting.as_str().replace('.', "_"), epoch, seq.0)
}

/// The body of a webhook message (Standard Webhooks' recommended shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    /// `floor.given`, `floor.paused`, …
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When the event happened (not when it was sent), ISO 8601 UTC with milliseconds.
    pub timestamp: String,
    pub data: PayloadData,
}

/// What a message says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayloadData {
    /// The meeting's id.
    pub meeting: MeetingId,
    /// The event's place in the meeting's log.
    pub seq: Seq,
    /// When it happened, in milliseconds since 1970 (UTC).
    pub at: Millis,
    /// The event exactly as the WebSocket protocol sends it.
    pub event: Event,
    /// The intervention the event is about, as it stands after the event: the one on the floor,
    /// or for `floor.ended` the one that just ended. `null` when nobody has the floor (list events).
    pub floor: Option<Floor>,
}

/// The intervention a message is about, in the terms a call platform acts on: who speaks, for whom,
/// from where, in which language, for how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Floor {
    /// The intervention's id in the meeting.
    pub intervention: InterventionId,
    /// The list entry it came from (absent for a panellist given the floor directly).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryId>,
    pub segment: SegmentId,
    /// The speaker's participant id: the same across meetings for a person's link.
    pub speaker_id: String,
    /// The speaker's name, as screens show it.
    pub speaker: String,
    pub role: Role,
    /// The member state they speak for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<String>,
    /// Their organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// `in_room` or `remote`: a call platform acts only on remote speakers.
    pub presence: Presence,
    pub language: Language,
    pub kind: RequestKind,
    /// When the floor was given.
    pub started_at: Millis,
    /// Time allowed: the limit plus every extension, in milliseconds.
    pub allowed_ms: i64,
    /// Whether the speaker's clock is stopped.
    pub paused: bool,
    /// When it ended (`floor.ended`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
}

impl Floor {
    /// The intervention as a message describes it.
    pub fn of(intervention: &Intervention) -> Floor {
        Floor {
            intervention: intervention.id,
            entry: intervention.entry,
            segment: intervention.segment,
            speaker_id: intervention.speaker.id.to_string(),
            speaker: intervention.speaker.name.clone(),
            role: intervention.speaker.role,
            delegation: intervention.speaker.delegation.clone(),
            organisation: intervention.speaker.organisation.clone(),
            presence: intervention.presence,
            language: intervention.language.clone(),
            kind: intervention.kind,
            started_at: intervention.started_at,
            allowed_ms: intervention.allowed_ms(),
            paused: intervention.is_paused(),
            ended_at: intervention.ended_at,
        }
    }
}

/// Applies `record` to `meeting` (a replica at the sequence before it) and says what an endpoint
/// that does (`list: true`) or does not want the list's events is sent for it, if anything. The
/// replica advances whether or not the event is sent.
pub fn advance(meeting: &mut Meeting, record: &EventRecord, list: bool) -> Option<Payload> {
    meeting.apply(record);
    let kind = sent_as(&record.event, list)?;
    let floor = match &record.event {
        Event::FloorEnded { .. } => meeting.record.last(),
        _ => meeting.floor.as_ref(),
    };
    Some(Payload {
        kind,
        timestamp: crate::report::utc(record.at),
        data: PayloadData {
            meeting: meeting.info.id.clone(),
            seq: record.seq,
            at: record.at,
            event: record.event.clone(),
            floor: floor.map(Floor::of),
        },
    })
}

/// Body of `POST /api/meetings/{id}/webhooks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where to post: an `http://` or `https://` address, at most 2000 characters.
    pub url: String,
    /// Whether the list's events are sent too (`list.*`); by default only the floor's.
    #[serde(default)]
    pub list: bool,
    /// What it is for ("Zoom bridge"), at most 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// An endpoint, as the API lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    /// Its id: `wh_…`.
    pub id: String,
    pub meeting: MeetingId,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether the list's events are sent too.
    pub list: bool,
    pub created_at: Millis,
    /// Whether delivery is paused, and since when and why (by the secretariat, or the receiver
    /// answered `410 Gone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<Paused>,
    /// The sequence number of the meeting's last event this endpoint is done with: delivered, or
    /// not of a type it is sent.
    pub cursor: Seq,
    /// The latest attempt, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_delivery: Option<Delivery>,
    /// The signing secret, `whsec_…`: in the answer that creates the endpoint, and never again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// Why and since when an endpoint is paused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paused {
    pub at: Millis,
    pub reason: String,
}

/// One attempt to deliver a message, as the delivery log lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The message's `webhook-id`.
    pub message_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The event's place in the meeting's log.
    pub seq: Seq,
    /// 1 for the first attempt at this message, 2 for the first retry…
    pub attempt: u32,
    /// When the attempt started.
    pub at: Millis,
    /// Whether the receiver answered 2xx.
    pub ok: bool,
    /// The receiver's HTTP status, when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// What went wrong when it did not answer (refused, timed out…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long the attempt took, in milliseconds.
    pub duration_ms: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProcessId;
    use crate::meeting::{Access, MeetingInfo};

    fn meeting() -> Meeting {
        Meeting::new(MeetingInfo {
            id: MeetingId::parse("oewg.7").unwrap(),
            title: "OEWG".into(),
            process: ProcessId::parse("oewg").unwrap(),
            access: Access::Open,
            time_zone: None,
            starts_at: None,
            room: None,
        })
    }

    fn record(seq: u64, event: serde_json::Value) -> EventRecord {
        EventRecord { seq: Seq(seq), at: Millis(1_796_289_302_120), event: serde_json::from_value(event).unwrap() }
    }

    fn given() -> serde_json::Value {
        serde_json::json!({"type": "floor_given", "intervention": {
            "id": 1, "segment": 1, "entry": 4, "kind": "statement", "presence": "remote", "language": "es",
            "speaker": {"id": "del-cl", "name": "Ana Rojas", "role": "delegate", "delegation": "Chile"},
            "started_at": 1_796_289_302_120_i64, "time_limit_ms": 180_000, "extended_ms": 0, "pauses": []}})
    }

    #[test]
    fn an_ended_floor_still_says_whose_it_was() {
        // Arrange
        let mut replica = meeting();
        advance(&mut replica, &record(1, given()), false);

        // Act
        let ended = advance(&mut replica, &record(2, serde_json::json!({"type": "floor_ended"})), false).unwrap();

        // Assert
        assert_eq!(ended.kind, EventType::FloorEnded);
        let floor = ended.data.floor.expect("the intervention that ended");
        assert_eq!((floor.speaker.as_str(), floor.delegation.as_deref()), ("Ana Rojas", Some("Chile")));
        assert_eq!(floor.ended_at, Some(Millis(1_796_289_302_120)));
        assert_eq!(ended.timestamp, "2026-12-03T09:15:02.120Z");
    }

    #[test]
    fn list_events_go_only_to_endpoints_that_ask_for_them() {
        let added = record(1, serde_json::json!({"type": "list_closed", "segment": 1}));
        assert_eq!(advance(&mut meeting(), &added, false), None);
        assert_eq!(advance(&mut meeting(), &added, true).map(|p| p.kind), Some(EventType::ListClosed));
        let other = record(1, serde_json::json!({"type": "segment_activated", "segment": 1}));
        assert_eq!(advance(&mut meeting(), &other, true), None, "not every event is sent");
    }

    #[test]
    fn a_message_id_holds_no_full_stop_and_names_the_event() {
        let id = message_id(&MeetingId::parse("oewg.7").unwrap(), "e1f2", Seq(42));
        assert_eq!(id, "msg_oewg_7_e1f2_42");
    }

    #[test]
    fn every_type_is_spelt_the_same_by_serde_and_by_name() {
        use strum::VariantArray;
        for kind in EventType::VARIANTS {
            assert_eq!(serde_json::to_value(kind).unwrap(), serde_json::json!(kind.as_str()));
            assert_eq!(kind.as_str().parse::<EventType>().ok(), Some(*kind));
            assert_eq!(kind.is_list(), kind.as_str().starts_with("list."));
        }
    }
}
