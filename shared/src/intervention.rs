//! One turn on the floor: its real start, pauses, extensions and end.

use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize};
use smallvec::SmallVec;

use crate::ids::{EntryId, InterventionId, Language, Millis, ParticipantId, SegmentId};
use crate::participant::{Participant, Presence, Role};
use crate::segment::{CoSigner, RequestKind};

/// Who gave or ended a floor, as they were named then: the chair or a vice-chair.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Moderator {
    pub id: ParticipantId,
    pub name: String,
    pub role: Role,
}

impl From<&Participant> for Moderator {
    fn from(p: &Participant) -> Self {
        Moderator { id: p.id.clone(), name: p.name.clone(), role: p.role }
    }
}

/// A stretch of time during which the speaker's clock was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// When the chair paused.
    pub from: Millis,
    /// When the chair resumed (or the intervention ended); `None` while paused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Millis>,
}

/// One turn on the floor. The remaining time is derived from these times, never ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intervention {
    /// Id in the meeting.
    pub id: InterventionId,
    /// The segment it belongs to.
    pub segment: SegmentId,
    /// The list entry it came from; `None` when the chair gave a panellist the floor directly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<EntryId>,
    /// Who speaks, with their delegation or organisation. Shared with the speaker's other
    /// interventions when the meeting was read in [`crate::interning::sharing`].
    #[serde(deserialize_with = "crate::interning::shared")]
    pub speaker: Arc<Participant>,
    /// Statement, point of order or right of reply.
    pub kind: RequestKind,
    /// In the room or remote.
    pub presence: Presence,
    /// The language spoken.
    pub language: Language,
    /// When they asked for the floor, when they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<Millis>,
    /// When the floor was given.
    pub started_at: Millis,
    /// Time allowed when the floor was given, in milliseconds.
    pub time_limit_ms: i64,
    /// Time the chair added since, in milliseconds.
    pub extended_ms: i64,
    /// Every pause, in order.
    #[serde(deserialize_with = "exact")]
    pub pauses: Vec<Pause>,
    /// When the intervention ended; `None` while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Millis>,
    /// For a joint statement: the other organisations the speaker speaks for, as they stood when
    /// the floor was given (a co-signer that had not confirmed by then stays pending).
    #[serde(default, skip_serializing_if = "Vec::is_empty", deserialize_with = "exact")]
    pub co_signers: Vec<CoSigner>,
    /// The note the speaker's request carried ("on 5(b)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The group of states the statement was made on behalf of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Who gave the floor. Absent in logs written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::interning::shared_option")]
    pub given_by: Option<Arc<Moderator>>,
    /// Who ended it — by ending it, or by giving the floor to the next speaker; absent while it
    /// runs, and when the server ended it.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "crate::interning::shared_option")]
    pub ended_by: Option<Arc<Moderator>>,
    /// In a list with a ready check, for a remote speaker: whether they had confirmed they were
    /// ready when the floor was given. Absent when no check applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_check: Option<ReadyCheck>,
    /// How many times the chair passed over the request at the head of the list before giving it
    /// the floor.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub passed_over: u32,
}

/// Reads a list without spare room: a vector read by serde grows to four places for its first
/// item, and a record holds a pause or two in each of thousands of interventions.
fn exact<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    let read = SmallVec::<[T; 4]>::deserialize(deserializer)?;
    Ok(if read.spilled() {
        let mut read = read.into_vec();
        read.shrink_to_fit();
        read
    } else {
        // Not `collect()`: a vector collected from an iterator also starts at four places.
        let mut exact = Vec::with_capacity(read.len());
        exact.extend(read);
        exact
    })
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// How a ready check stood when the floor was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReadyCheck {
    /// The speaker had said they were ready.
    Confirmed,
    /// The chair gave the floor without the speaker's confirmation.
    Unconfirmed,
}

impl Intervention {
    /// Whether the speaker's clock is stopped.
    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.to.is_none())
    }

    /// Milliseconds actually spoken by `now` (or by the end): elapsed time less the pauses.
    pub fn spoken_ms(&self, now: Millis) -> i64 {
        let until = self.ended_at.unwrap_or(now).max(self.started_at);
        let paused: i64 = self.pauses.iter().map(|p| p.to.unwrap_or(until).min(until).since(p.from).max(0)).sum();
        (until.since(self.started_at) - paused).max(0)
    }

    /// Milliseconds left by `now`; negative when the speaker is over time.
    pub fn remaining_ms(&self, now: Millis) -> i64 {
        self.allowed_ms() - self.spoken_ms(now)
    }

    /// Total time allowed: the limit plus every extension.
    pub fn allowed_ms(&self) -> i64 {
        self.time_limit_ms + self.extended_ms
    }

    /// Milliseconds from request to floor, when the speaker asked.
    pub fn waited_ms(&self) -> Option<i64> {
        self.requested_at.map(|r| self.started_at.since(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ParticipantId;
    use crate::participant::Role;

    fn intervention() -> Intervention {
        Intervention {
            id: InterventionId(1),
            segment: SegmentId(1),
            entry: Some(EntryId(1)),
            speaker: Arc::new(Participant {
                id: ParticipantId::parse("p1").unwrap(),
                name: "A".into(),
                role: Role::Delegate,
                delegation: Some("Chile".into()),
                organisation: None,
                profile: Default::default(),
            }),
            kind: RequestKind::Statement,
            presence: Presence::Remote,
            language: Language::parse("es").unwrap(),
            requested_at: Some(Millis(500)),
            started_at: Millis(1_000),
            time_limit_ms: 180_000,
            extended_ms: 0,
            pauses: vec![],
            ended_at: None,
            co_signers: vec![],
            note: None,
            group: None,
            given_by: None,
            ended_by: None,
            ready_check: None,
            passed_over: 0,
        }
    }

    #[test]
    fn the_remaining_time_counts_down_from_the_start() {
        let i = intervention();
        assert_eq!(i.remaining_ms(Millis(61_000)), 120_000);
    }

    #[test]
    fn a_pause_stops_the_clock_and_a_resume_restarts_it() {
        let mut i = intervention();
        i.pauses.push(Pause { from: Millis(11_000), to: None });
        assert_eq!(i.spoken_ms(Millis(50_000)), 10_000);
        i.pauses[0].to = Some(Millis(21_000));
        assert_eq!(i.spoken_ms(Millis(31_000)), 20_000);
    }

    #[test]
    fn an_extension_adds_to_the_time_left_and_overtime_is_negative() {
        let mut i = intervention();
        i.extended_ms = 30_000;
        assert_eq!(i.remaining_ms(Millis(1_000 + 200_000)), 10_000);
        assert_eq!(i.remaining_ms(Millis(1_000 + 220_000)), -10_000);
    }

    #[test]
    fn an_ended_intervention_stops_counting() {
        let mut i = intervention();
        i.ended_at = Some(Millis(91_000));
        assert_eq!(i.spoken_ms(Millis(500_000)), 90_000);
        assert_eq!(i.waited_ms(), Some(500));
    }

    #[test]
    fn an_intervention_read_holds_its_pauses_without_spare_room() {
        // Arrange
        let with_pauses = |count: i64| {
            let mut written = intervention();
            written.pauses =
                (1..=count).map(|n| Pause { from: Millis(n * 10), to: Some(Millis(n * 10 + 5)) }).collect();
            (serde_json::to_string(&written).unwrap(), written)
        };
        let ((one_json, one), (six_json, six)) = (with_pauses(1), with_pauses(6));

        // Act
        let read_one: Intervention = serde_json::from_str(&one_json).unwrap();
        let read_six: Intervention = serde_json::from_str(&six_json).unwrap();

        // Assert
        assert_eq!((read_one.pauses.capacity(), read_six.pauses.capacity()), (1, 6));
        assert_eq!((read_one, read_six), (one, six));
    }
}
