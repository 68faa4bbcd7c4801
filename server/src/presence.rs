//! Live presence of one meeting, kept by its actor: who has a screen connected now, and since
//! when. Nothing here is stored: after a restart the roster fills again as screens reconnect.
//!
//! Changes are coalesced. The actor marks what changed and, at most once per [`COALESCE`], takes
//! the marks that differ from what watchers last saw ([`Roster::take_changes`]): a screen that
//! drops and comes back within that time changes nothing for anyone, and a thousand flapping
//! screens cost a watcher one message per [`COALESCE`] however many of them flap.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use shared::live::{LiveState, PresenceMark};
use shared::{Millis, ParticipantId};

/// The shortest time between two presence messages to one screen.
pub const COALESCE: Duration = Duration::from_secs(1);
/// The most participants one meeting's roster keeps; beyond it, those who left longest ago are
/// forgotten first (they read as never connected).
pub const MAX_TRACKED: usize = 20_000;

/// Whose presence a screen that asked for it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Its own person's only.
    Own,
    /// Everyone's: the chair, vice-chairs and the secretariat.
    Everyone,
}

/// One participant's connections and what watchers last saw of them.
#[derive(Debug, Clone)]
struct Live {
    /// Open connections of theirs to this meeting.
    connections: u32,
    /// The state now, and since when.
    state: LiveState,
    since: Millis,
    /// What the last change message (or nothing yet) said of them.
    sent: Option<(LiveState, Millis)>,
}

/// Who is connected to one meeting.
#[derive(Debug)]
pub struct Roster {
    people: HashMap<ParticipantId, Live>,
    changed: HashSet<ParticipantId>,
    cap: usize,
}

impl Default for Roster {
    fn default() -> Self {
        Roster::with_cap(MAX_TRACKED)
    }
}

impl Roster {
    /// A roster that keeps at most `cap` participants.
    pub fn with_cap(cap: usize) -> Self {
        Roster { people: HashMap::new(), changed: HashSet::new(), cap: cap.max(1) }
    }

    /// A screen of `who` connected at `now`.
    pub fn connect(&mut self, who: &ParticipantId, now: Millis) {
        if !self.people.contains_key(who) && self.people.len() >= self.cap {
            self.forget_oldest_gone();
        }
        let live = self.people.entry(who.clone()).or_insert(Live {
            connections: 0,
            state: LiveState::Disconnected,
            since: now,
            sent: None,
        });
        live.connections += 1;
        if live.connections == 1 {
            live.state = LiveState::Connected;
            // Back before watchers were told it went: for them it never did.
            live.since = match live.sent {
                Some((LiveState::Connected, since)) => since,
                _ => now,
            };
            self.changed.insert(who.clone());
        }
    }

    /// A screen of `who` disconnected at `now`.
    pub fn disconnect(&mut self, who: &ParticipantId, now: Millis) {
        let Some(live) = self.people.get_mut(who) else { return };
        live.connections = live.connections.saturating_sub(1);
        if live.connections == 0 && live.state == LiveState::Connected {
            live.state = LiveState::Disconnected;
            live.since = now;
            self.changed.insert(who.clone());
        }
    }

    /// Whether anything changed since the last [`Roster::take_changes`].
    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty()
    }

    /// The marks that differ from what watchers were last told, which from now on is what they
    /// were told; empty when every change was undone in the meantime.
    pub fn take_changes(&mut self) -> Vec<PresenceMark> {
        let mut marks = Vec::new();
        for who in self.changed.drain() {
            let Some(live) = self.people.get_mut(&who) else { continue };
            let now = (live.state, live.since);
            if live.sent != Some(now) {
                live.sent = Some(now);
                marks.push(PresenceMark { participant: who, state: live.state, since: live.since });
            }
        }
        marks.sort_by(|a, b| a.participant.cmp(&b.participant));
        marks
    }

    /// Everyone's mark, as it stands now.
    pub fn everyone(&self) -> Vec<PresenceMark> {
        let mut marks: Vec<_> = self.people.keys().filter_map(|who| self.mark(who)).collect();
        marks.sort_by(|a, b| a.participant.cmp(&b.participant));
        marks
    }

    /// One participant's mark as it stands now; `None` when no screen of theirs connected since
    /// the server started (or they were forgotten).
    pub fn mark(&self, who: &ParticipantId) -> Option<PresenceMark> {
        let live = self.people.get(who)?;
        Some(PresenceMark { participant: who.clone(), state: live.state, since: live.since })
    }

    /// How many participants the roster holds.
    pub fn len(&self) -> usize {
        self.people.len()
    }

    /// Whether the roster holds nobody.
    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    fn forget_oldest_gone(&mut self) {
        let oldest = self
            .people
            .iter()
            .filter(|(_, live)| live.connections == 0)
            .min_by_key(|(_, live)| live.since)
            .map(|(who, _)| who.clone());
        if let Some(who) = oldest {
            self.people.remove(&who);
            self.changed.remove(&who);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> ParticipantId {
        ParticipantId::parse(name).unwrap()
    }

    #[test]
    fn a_first_screen_connecting_is_one_change_and_a_second_screen_none() {
        let mut roster = Roster::default();

        roster.connect(&id("p-ng"), Millis(10));
        roster.connect(&id("p-ng"), Millis(20));

        let marks = roster.take_changes();
        assert_eq!(
            marks,
            vec![PresenceMark { participant: id("p-ng"), state: LiveState::Connected, since: Millis(10) }]
        );
        assert!(roster.take_changes().is_empty());
    }

    #[test]
    fn a_participant_stays_connected_until_their_last_screen_goes() {
        let mut roster = Roster::default();
        roster.connect(&id("p-ng"), Millis(10));
        roster.connect(&id("p-ng"), Millis(11));
        roster.take_changes();

        roster.disconnect(&id("p-ng"), Millis(20));
        assert!(roster.take_changes().is_empty());
        roster.disconnect(&id("p-ng"), Millis(30));

        let marks = roster.take_changes();
        assert_eq!(marks[0].state, LiveState::Disconnected);
        assert_eq!(marks[0].since, Millis(30));
    }

    #[test]
    fn a_screen_that_drops_and_returns_between_two_messages_changes_nothing_for_watchers() {
        let mut roster = Roster::default();
        roster.connect(&id("p-ng"), Millis(10));
        roster.take_changes();

        roster.disconnect(&id("p-ng"), Millis(500));
        roster.connect(&id("p-ng"), Millis(700));

        assert!(roster.has_changes());
        assert!(roster.take_changes().is_empty());
        assert_eq!(roster.mark(&id("p-ng")).unwrap().since, Millis(10), "connected since the first time");
    }

    #[test]
    fn a_thousand_flapping_participants_make_at_most_one_mark_each_per_message() {
        let mut roster = Roster::default();
        let people: Vec<_> = (0..1000).map(|i| id(&format!("p-{i}"))).collect();
        for (i, who) in people.iter().enumerate() {
            for flap in 0..5 {
                roster.connect(who, Millis(i as i64 + flap));
                roster.disconnect(who, Millis(i as i64 + flap + 1));
            }
        }

        let marks = roster.take_changes();

        assert_eq!(marks.len(), 1000);
        assert!(marks.iter().all(|m| m.state == LiveState::Disconnected));
    }

    #[test]
    fn a_full_roster_forgets_who_left_longest_ago_and_never_who_is_connected() {
        let mut roster = Roster::with_cap(2);
        roster.connect(&id("p-a"), Millis(1));
        roster.connect(&id("p-b"), Millis(2));
        roster.disconnect(&id("p-b"), Millis(3));

        roster.connect(&id("p-c"), Millis(4));

        assert_eq!(roster.len(), 2);
        assert!(roster.mark(&id("p-a")).is_some());
        assert!(roster.mark(&id("p-b")).is_none());
        assert_eq!(roster.everyone().len(), 2);
    }

    #[test]
    fn a_disconnection_of_someone_never_seen_is_ignored() {
        let mut roster = Roster::default();
        roster.disconnect(&id("p-x"), Millis(1));
        assert!(!roster.has_changes());
        assert!(roster.is_empty());
    }
}
