//! Countdowns and estimates, computed locally from the meeting replica and the server's clock: no
//! clock ticks travel on the wire.

use shared::{EntryId, Intervention, Meeting, Millis, SegmentId};

/// How a countdown looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    /// Plenty of time left.
    Normal,
    /// Near the end: amber.
    Near,
    /// Time is up or over: red.
    Over,
}

impl Urgency {
    /// The CSS class of a countdown with this urgency.
    pub fn class(self) -> &'static str {
        match self {
            Urgency::Normal => "normal",
            Urgency::Near => "near",
            Urgency::Over => "over",
        }
    }
}

/// Amber from this many milliseconds before the end (or a quarter of the allowed time, when that
/// is shorter).
const NEAR_MS: i64 = 30_000;

/// The urgency of an intervention with `remaining_ms` left out of `allowed_ms`.
pub fn urgency(remaining_ms: i64, allowed_ms: i64) -> Urgency {
    if remaining_ms <= 0 {
        Urgency::Over
    } else if remaining_ms <= NEAR_MS.min(allowed_ms / 4) {
        Urgency::Near
    } else {
        Urgency::Normal
    }
}

/// A countdown as a speaker reads it: `2:05` left, `0:00` at the end, `+0:12 over` over time.
pub fn countdown_text(remaining_ms: i64) -> String {
    match countdown_figure(remaining_ms) {
        (figure, true) => crate::tr!(common.over_time, figure = figure),
        (figure, false) => figure,
    }
}

/// The figure of a countdown and whether it counts time over: (`2:05`, false), (`+0:12`, true).
/// Time left is rounded up, so `0:00` appears exactly when the time is up; overtime is rounded
/// down, so the first second over still reads `0:00` rather than a signed zero.
pub fn countdown_figure(remaining_ms: i64) -> (String, bool) {
    if remaining_ms >= 0 {
        return (clock_text((remaining_ms + 999) / 1000), false);
    }
    match -remaining_ms / 1000 {
        0 => (clock_text(0), false),
        over => (format!("+{}", clock_text(over)), true),
    }
}

/// A duration in whole seconds as `m:ss` or `h:mm:ss`.
pub fn clock_text(secs: i64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A duration for people: "45 s", "3 min", "1 h 20 min".
pub fn duration_text(ms: i64) -> String {
    let secs = (ms.max(0) + 500) / 1000;
    if secs < 60 {
        seconds(secs)
    } else if secs < 3600 {
        minutes((secs + 30) / 60)
    } else {
        let mins = (secs + 30) / 60;
        format!("{} {}", hours(mins / 60), minutes_02(mins % 60))
    }
}

/// A duration to the second, for figures a chair checks against the rules: "45 s", "3 min",
/// "3 min 30 s", "1 h 05 min 30 s". Never rounded, so 3 min plus a 30 s extension is not "4 min".
pub fn exact_duration_text(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => seconds(s),
        (0, m, 0) => minutes(m),
        (0, m, s) => format!("{} {}", minutes(m), seconds(s)),
        (h, m, 0) => format!("{} {}", hours(h), minutes_02(m)),
        (h, m, s) => format!("{} {} {}", hours(h), minutes_02(m), seconds(s)),
    }
}

/// How long ago something happened, counting up each second: "12 s", "1 min 05 s", "1 h 02 min".
pub fn elapsed_text(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{} {}", hours(h), minutes_02(m))
    } else if m > 0 {
        format!("{} {}", minutes(m), crate::tr!(common.unit_s, n = format!("{s:02}")))
    } else {
        seconds(s)
    }
}

/// "45 s", "3 min", "1 h" in the page's language ("45 ث", "3分", "1 ч").
fn seconds(n: i64) -> String {
    crate::tr!(common.unit_s, n = n)
}

fn minutes(n: i64) -> String {
    crate::tr!(common.unit_min, n = n)
}

/// Minutes after hours, on two digits: "1 h 05 min".
fn minutes_02(n: i64) -> String {
    crate::tr!(common.unit_min, n = format!("{n:02}"))
}

fn hours(n: i64) -> String {
    crate::tr!(common.unit_h, n = n)
}

/// The countdown of the floor at `now`: remaining milliseconds and urgency.
pub fn floor_clock(floor: &Intervention, now: Millis) -> (i64, Urgency) {
    let remaining = floor.remaining_ms(now);
    (remaining, urgency(remaining, floor.allowed_ms()))
}

/// How long one turn in a segment is likely to take: the average of the segment's ended
/// interventions when there are some (speakers often stop early), never more than the limit.
pub fn expected_turn_ms(meeting: &Meeting, segment: SegmentId) -> i64 {
    let limit = meeting.segment(segment).map_or(0, |s| i64::from(s.spec.time_limit_secs) * 1000);
    let spoken: Vec<i64> = meeting
        .record
        .iter()
        .filter(|i| i.segment == segment)
        .filter_map(|i| i.ended_at.map(|end| i.spoken_ms(end)))
        .collect();
    if spoken.is_empty() {
        limit
    } else {
        (spoken.iter().sum::<i64>() / spoken.len() as i64).min(limit)
    }
}

/// Milliseconds from `now` until the entry is likely to get the floor, when it waits in the active
/// segment: what is left of the current turn plus an expected turn per entry ahead.
pub fn wait_estimate_ms(meeting: &Meeting, entry: EntryId, now: Millis) -> Option<i64> {
    let segment = meeting.active()?;
    let ahead = segment.position(entry)?;
    let current = meeting.floor.as_ref().map_or(0, |f| f.remaining_ms(now).max(0));
    Some(current + ahead as i64 * expected_turn_ms(meeting, segment.id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use shared::{Command, Role};

    #[test]
    fn the_countdown_turns_amber_near_the_end_and_red_when_time_is_up() {
        assert_eq!(urgency(120_000, 180_000), Urgency::Normal);
        assert_eq!(urgency(30_000, 180_000), Urgency::Near);
        assert_eq!(urgency(1, 180_000), Urgency::Near);
        assert_eq!(urgency(0, 180_000), Urgency::Over);
        assert_eq!(urgency(-5_000, 180_000), Urgency::Over);
        assert_eq!(urgency(15_000, 40_000), Urgency::Normal, "a short turn turns amber in its last quarter");
        assert_eq!(urgency(10_000, 40_000), Urgency::Near);
    }

    #[test]
    fn the_countdown_rounds_time_left_up_and_overtime_down() {
        assert_eq!(countdown_text(180_000), "3:00");
        assert_eq!(countdown_text(179_001), "3:00");
        assert_eq!(countdown_text(59_000), "0:59");
        assert_eq!(countdown_text(0), "0:00");
        assert_eq!(countdown_text(-999), "0:00", "no signed zero in the first second over");
        assert_eq!(countdown_text(-5_000), "+0:05 over");
        assert_eq!(countdown_text(-12_400), "+0:12 over");
        assert_eq!(countdown_text(-3_726_000), "+1:02:06 over");
        assert_eq!(countdown_figure(-5_000), ("+0:05".to_string(), true));
        assert_eq!(countdown_text(3_726_000), "1:02:06");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(44_600), "45 s");
        assert_eq!(duration_text(150_000), "3 min");
        assert_eq!(duration_text(4_800_000), "1 h 20 min");
    }

    #[test]
    fn an_allowance_with_an_extension_is_shown_to_the_second() {
        assert_eq!(exact_duration_text(210_000), "3 min 30 s");
        assert_eq!(exact_duration_text(180_000), "3 min");
        assert_eq!(exact_duration_text(30_000), "30 s");
        assert_eq!(exact_duration_text(3_930_000), "1 h 05 min 30 s");
        assert_eq!(exact_duration_text(3_600_000), "1 h 00 min");
    }

    #[test]
    fn the_time_since_a_loss_counts_whole_seconds() {
        assert_eq!(elapsed_text(0), "0 s");
        assert_eq!(elapsed_text(12_999), "12 s");
        assert_eq!(elapsed_text(65_000), "1 min 05 s");
        assert_eq!(elapsed_text(3_720_000), "1 h 02 min");
        assert_eq!(elapsed_text(-50), "0 s", "a clock that steps back does not count down");
    }

    #[test]
    fn the_wait_is_the_rest_of_the_current_turn_plus_a_turn_per_speaker_ahead() {
        let mut f = Fixture::new(180);
        let chile = f.request("chile", Role::Delegate);
        f.request("kenya", Role::Delegate);
        let ngo = f.request("ngo", Role::Stakeholder);
        f.give_floor(chile, 10_000);
        // 60 s into Chile's 180 s; Kenya is ahead of the NGO.
        assert_eq!(wait_estimate_ms(&f.meeting, ngo, Millis(70_000)), Some(120_000 + 180_000));
    }

    #[test]
    fn speakers_who_stop_early_shorten_the_expected_turn() {
        let mut f = Fixture::new(180);
        let chile = f.request("chile", Role::Delegate);
        let kenya = f.request("kenya", Role::Delegate);
        f.give_floor(chile, 0);
        f.run(Command::EndFloor, 60_000);
        assert_eq!(expected_turn_ms(&f.meeting, SegmentId(1)), 60_000);
        assert_eq!(wait_estimate_ms(&f.meeting, kenya, Millis(61_000)), Some(0));
    }
}
