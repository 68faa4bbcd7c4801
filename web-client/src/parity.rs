//! The parity figures as charts: which bars to draw, how long, with which words — for the chair's
//! live panel and the public report page alike — and the warning when remote speakers wait
//! clearly longer than those in the room.

use shared::report::{Parity, PassedOver, Tally, Waits};
use shared::Presence;

use crate::labels;
use crate::timing::duration_text;
use crate::tr;
use crate::trn;

/// A bar chart: one row per group, one bar per series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// What the chart shows, e.g. "By constituency".
    pub title: String,
    /// The names of the series, e.g. "Speaking time", "Interventions".
    pub series: Vec<&'static str>,
    pub rows: Vec<ChartRow>,
}

/// One group of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRow {
    /// The group's key in the report (`ngo`, `remote`, …), for tests and styles.
    pub key: String,
    pub label: String,
    /// One length per series, from 0 (no bar) to 1 (the full width).
    pub lengths: Vec<f64>,
    /// One text per series, e.g. "45 % · 4 min".
    pub texts: Vec<String>,
}

/// A bar's length made safe to draw: between 0 and 1, and 0 for anything that is not a number.
pub fn length(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// A share as a whole percentage in the page's language (`45%`, `45 %`), clamped to 0–100.
pub fn percent(share: f64) -> String {
    crate::number::percent(length(share))
}

/// The chart of one dimension: each group's share of speaking time and of interventions. A bar's
/// length is the share itself, so that bars of different groups compare as parts of one whole.
pub fn share_chart(title: &str, tallies: &[Tally]) -> Chart {
    let rows = tallies
        .iter()
        .map(|t| ChartRow {
            key: t.group.clone(),
            label: labels::group(&t.group),
            lengths: vec![length(t.share_of_time), length(t.share_of_interventions)],
            texts: vec![
                format!("{} · {}", percent(t.share_of_time), duration_text(t.speaking_ms)),
                format!("{} · {}", percent(t.share_of_interventions), interventions(t.interventions)),
            ],
        })
        .collect();
    Chart { title: title.to_string(), series: vec![tr!(chair.speaking_time), tr!(chair.interventions_series)], rows }
}

/// The wait from request to floor, in the room and remote: median, mean and longest, scaled to
/// the longest wait of all.
pub fn wait_chart(waits: &[Waits]) -> Chart {
    let longest = waits.iter().filter_map(|w| w.max_ms).max().unwrap_or(0);
    let scaled = |ms: Option<i64>| match (ms, longest) {
        (Some(ms), longest) if longest > 0 => length(ms as f64 / longest as f64),
        _ => 0.0,
    };
    let text = |ms: Option<i64>| ms.map(duration_text).unwrap_or_else(|| "—".to_string());
    let rows = waits
        .iter()
        .map(|w| ChartRow {
            key: w.group.clone(),
            label: tr!(chair.from_the_list, group = labels::group(&w.group), count = w.count),
            lengths: vec![scaled(w.median_ms), scaled(w.mean_ms), scaled(w.max_ms)],
            texts: vec![text(w.median_ms), text(w.mean_ms), text(w.max_ms)],
        })
        .collect();
    Chart {
        title: tr!(chair.wait_chart_title).to_string(),
        series: vec![tr!(chair.median), tr!(chair.mean), tr!(chair.longest)],
        rows,
    }
}

/// How often speakers in the room and remote were passed over at the head of the list, with how
/// their ready checks stood when they got the floor. Nothing for a record made before it was
/// counted.
pub fn passed_over_chart(groups: &[PassedOver]) -> Option<Chart> {
    if groups.is_empty() {
        return None;
    }
    let rows = groups
        .iter()
        .map(|g| {
            let group = labels::group(&g.group);
            let label = match (g.ready_confirmed, g.ready_unconfirmed) {
                (0, 0) => tr!(chair.passed_over_row, group = group, passed = g.passed_over, total = g.interventions),
                (yes, no) => tr!(
                    chair.passed_over_row_checks,
                    group = group,
                    passed = g.passed_over,
                    total = g.interventions,
                    confirmed = yes,
                    unconfirmed = no
                ),
            };
            ChartRow {
                key: g.group.clone(),
                label,
                lengths: vec![length(g.share_passed_over)],
                texts: vec![percent(g.share_passed_over)],
            }
        })
        .collect();
    Some(Chart {
        title: tr!(chair.passed_over_chart_title).to_string(),
        series: vec![tr!(chair.passed_over_series)],
        rows,
    })
}

/// Every chart of a report's figures, in the order screens show them.
pub fn charts(parity: &Parity) -> Vec<Chart> {
    vec![
        share_chart(tr!(chair.by_constituency), &parity.by_constituency),
        share_chart(tr!(chair.in_room_and_remote), &parity.by_presence),
        share_chart(tr!(chair.by_regional_group), &parity.by_region),
        share_chart(tr!(chair.by_declared_gender), &parity.by_gender),
        wait_chart(&parity.wait_by_presence),
    ]
    .into_iter()
    .chain(passed_over_chart(&parity.passed_over_by_presence))
    .collect()
}

/// What a screen reader says for a chart: its title, then every group with every series.
pub fn summary(chart: &Chart) -> String {
    let rows: Vec<String> = chart
        .rows
        .iter()
        .map(|row| {
            let values: Vec<String> =
                chart.series.iter().zip(&row.texts).map(|(series, text)| format!("{series} {text}")).collect();
            tr!(chair.chart_summary_row, label = &row.label, values = values.join(", "))
        })
        .collect();
    if rows.is_empty() {
        tr!(chair.chart_nothing, title = &chart.title)
    } else {
        tr!(chair.chart_summary, title = &chart.title, rows = rows.join("; "))
    }
}

/// "1 intervention", "3 interventions".
pub fn interventions(n: u32) -> String {
    trn!(chair.interventions_count, count = i32::try_from(n).unwrap_or(i32::MAX))
}

/// Remote speakers' median wait counts as clearly longer than the room's above this ratio…
pub const WAIT_RATIO: f64 = 1.5;
/// …and this many milliseconds more.
pub const WAIT_MARGIN_MS: i64 = 60_000;

/// A warning when the remote speakers' median wait is clearly longer than the in-room speakers':
/// more than [`WAIT_RATIO`] times as long and more than [`WAIT_MARGIN_MS`] longer. Nothing when
/// either side has no wait on record.
pub fn remote_wait_warning(waits: &[Waits]) -> Option<String> {
    let median = |presence: Presence| {
        let key = shared::report::key(&presence);
        waits.iter().find(|w| w.group == key).and_then(|w| w.median_ms)
    };
    let (room, remote) = (median(Presence::InRoom)?, median(Presence::Remote)?);
    let clearly_longer = remote as f64 > room as f64 * WAIT_RATIO && remote - room > WAIT_MARGIN_MS;
    clearly_longer.then(|| tr!(chair.remote_wait_warning, remote = duration_text(remote), room = duration_text(room)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(group: &str, interventions: u32, speaking_ms: i64, of_count: f64, of_time: f64) -> Tally {
        Tally {
            group: group.into(),
            interventions,
            speaking_ms,
            share_of_interventions: of_count,
            share_of_time: of_time,
        }
    }

    fn waits(group: &str, median_s: Option<i64>) -> Waits {
        let ms = median_s.map(|s| s * 1000);
        Waits { group: group.into(), count: u32::from(ms.is_some()), median_ms: ms, mean_ms: ms, max_ms: ms }
    }

    #[test]
    fn a_bar_is_as_long_as_the_groups_share_of_the_whole() {
        let chart = share_chart(
            "By presence",
            &[tally("in_room", 3, 90_000, 0.75, 0.6), tally("remote", 1, 60_000, 0.25, 0.4)],
        );
        assert_eq!(chart.rows[0].label, "In the room");
        assert_eq!(chart.rows[0].lengths, vec![0.6, 0.75]);
        assert_eq!(chart.rows[1].texts, vec!["40% · 1 min".to_string(), "25% · 1 intervention".to_string()]);
    }

    #[test]
    fn lengths_never_leave_the_chart() {
        assert_eq!(length(1.7), 1.0);
        assert_eq!(length(-0.2), 0.0);
        assert_eq!(length(f64::NAN), 0.0);
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.456), "46%");
    }

    #[test]
    fn waits_are_scaled_to_the_longest_and_missing_ones_draw_nothing() {
        let chart = wait_chart(&[waits("in_room", Some(30)), waits("remote", Some(120))]);
        assert_eq!(chart.rows[0].lengths, vec![0.25, 0.25, 0.25]);
        assert_eq!(chart.rows[1].lengths, vec![1.0, 1.0, 1.0]);
        let none = wait_chart(&[waits("in_room", None), waits("remote", None)]);
        assert_eq!(none.rows[0].lengths, vec![0.0, 0.0, 0.0]);
        assert_eq!(none.rows[0].texts[0], "—");
    }

    #[test]
    fn a_chart_is_summarised_for_screen_readers() {
        let chart = share_chart("By presence", &[tally("remote", 2, 120_000, 1.0, 1.0)]);
        assert_eq!(
            summary(&chart),
            "By presence. Remote: Speaking time 100% · 2 min, Interventions 100% · 2 interventions."
        );
        assert_eq!(summary(&share_chart(tr!(chair.by_declared_gender), &[])), "By declared gender: nothing to show.");
    }

    #[test]
    fn the_chair_is_warned_only_when_remote_speakers_wait_clearly_longer() {
        let warn = |room, remote| remote_wait_warning(&[waits("in_room", room), waits("remote", remote)]);
        assert!(warn(Some(60), Some(200)).unwrap().contains("Remote speakers wait longer"));
        assert_eq!(warn(Some(60), Some(110)), None, "less than a minute longer");
        assert_eq!(warn(Some(300), Some(400)), None, "not half as long again");
        assert_eq!(warn(Some(0), Some(50)), None, "under a minute");
        assert_eq!(warn(None, Some(600)), None, "nobody waited in the room");
        assert_eq!(warn(Some(600), Some(60)), None, "the room waits longer");
    }

    #[test]
    fn counts_take_each_languages_plural_forms() {
        use crate::language::{set, Locale};
        set(Locale::ru);
        let ru = [1, 3, 5, 21].map(interventions);
        set(Locale::ar);
        let ar = [1, 2, 3, 11].map(interventions);
        set(Locale::zh);
        let zh = interventions(4);
        set(Locale::en);
        assert_eq!(ru, ["1 выступление", "3 выступления", "5 выступлений", "21 выступление"]);
        assert_eq!(ar, ["مداخلة واحدة", "مداخلتان", "3 مداخلات", "11 مداخلة"]);
        assert_eq!(zh, "4 次发言");
        assert_eq!(interventions(1), "1 intervention");
    }

    #[test]
    fn the_passed_over_chart_says_how_many_of_each_side_and_how_their_ready_checks_stood() {
        let group = |group: &str, interventions, passed_over, share, (yes, no)| PassedOver {
            group: group.into(),
            interventions,
            passed_over,
            times: passed_over,
            share_passed_over: share,
            ready_confirmed: yes,
            ready_unconfirmed: no,
        };
        let chart = passed_over_chart(&[group("in_room", 4, 0, 0.0, (0, 0)), group("remote", 4, 2, 0.5, (3, 1))])
            .expect("a chart");
        assert_eq!(chart.rows[0].label, "In the room (0 of 4 from the list)");
        assert_eq!(chart.rows[1].label, "Remote (2 of 4 from the list; ready checks: 3 confirmed, 1 not)");
        assert_eq!(chart.rows[1].texts, vec![percent(0.5)]);
        assert!(passed_over_chart(&[]).is_none(), "records made before it was counted show no chart");
    }
}
