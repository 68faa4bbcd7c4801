//! The record of who spoke, for how long and from where, and the parity figures drawn from it.
//!
//! A [`Report`] is computed from meetings' states alone — the server, the CLI and the chair's
//! browser all call [`Report::of_meetings`] on the same data and get the same figures. Durations are
//! whole milliseconds; shares are fractions of the total; a median of an even number of waits is
//! the mean of the two middle ones, rounded down, as is every mean.

use serde::{Deserialize, Serialize};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::accreditation::Constituency;
use crate::ids::{InterventionId, Language, MeetingId, Millis, ProcessId, SegmentId};
use crate::intervention::{Intervention, ReadyCheck};
use crate::meeting::Meeting;
use crate::participant::{Gender, Presence, Role};
use crate::region::Region;
use crate::segment::{CoSigner, RequestKind};

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    /// One meeting.
    Meeting(MeetingId),
    /// Every meeting of a process that the report was given.
    Process(ProcessId),
}

/// One intervention of the record: a row of the CSV export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    pub meeting: MeetingId,
    pub meeting_title: String,
    pub segment: SegmentId,
    pub segment_title: String,
    pub intervention: InterventionId,
    /// The speaker's name.
    pub speaker: String,
    /// The delegation or organisation they spoke for.
    pub on_behalf_of: String,
    /// For a joint statement: the other organisations, those that confirmed. Only these are on
    /// the record (and in the CSV export) as having made the statement.
    pub co_signers: Vec<String>,
    /// Organisations the speaker named that had not confirmed when the floor was given: shown as
    /// pending on screen, never counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending_co_signers: Vec<String>,
    pub role: Role,
    /// Member states for delegations; the organisation's otherwise, when known.
    pub constituency: Option<Constituency>,
    /// The regional group of the state, or of the organisation's country, when known.
    pub region: Option<Region>,
    /// Only when the speaker declared it.
    pub gender: Option<Gender>,
    pub presence: Presence,
    pub kind: RequestKind,
    pub language: Language,
    /// When they asked for the floor; none when the chair gave it directly.
    pub requested_at: Option<Millis>,
    pub started_at: Millis,
    /// None while the intervention runs.
    pub ended_at: Option<Millis>,
    /// Time actually spoken: from start to end, less the pauses.
    pub spoken_ms: i64,
    /// Time the clock stood still.
    pub paused_ms: i64,
    /// How many times the chair paused the clock.
    pub pauses: usize,
    /// Time allowed: the limit and every extension.
    pub allowed_ms: i64,
    /// Time spoken beyond what was allowed.
    pub overrun_ms: i64,
    /// From request to floor.
    pub waited_ms: Option<i64>,
    /// The group of states the statement was made on behalf of (its id), when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The note the request carried.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who gave the floor, by name; none in logs written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_by: Option<String>,
    /// Who ended it, by name; none while it runs, when the server ended it, and in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<String>,
    /// Whether a remote speaker in a list with a ready check had said they were ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_check: Option<ReadyCheck>,
    /// How many times the chair passed over the request at the head of the list first.
    #[serde(default)]
    pub passed_over: u32,
}

/// The names of the co-signers that did (`confirmed`) or did not confirm.
fn names(co_signers: &[CoSigner], confirmed: bool) -> Vec<String> {
    co_signers.iter().filter(|c| c.confirmed == confirmed).map(|c| c.organisation.clone()).collect()
}

impl Row {
    fn of(meeting: &Meeting, intervention: &Intervention, now: Millis) -> Row {
        let speaker = &intervention.speaker;
        let until = intervention.ended_at.unwrap_or(now).max(intervention.started_at);
        let spoken_ms = intervention.spoken_ms(now);
        let allowed_ms = intervention.allowed_ms();
        Row {
            meeting: meeting.info.id.clone(),
            meeting_title: meeting.info.title.clone(),
            segment: intervention.segment,
            segment_title: meeting.segment(intervention.segment).map(|s| s.spec.title.clone()).unwrap_or_default(),
            intervention: intervention.id,
            speaker: speaker.name.clone(),
            on_behalf_of: speaker.on_behalf_of().unwrap_or_default().to_string(),
            co_signers: names(&intervention.co_signers, true),
            pending_co_signers: names(&intervention.co_signers, false),
            role: speaker.role,
            constituency: speaker.constituency(),
            region: speaker.region(),
            gender: speaker.profile.gender,
            presence: intervention.presence,
            kind: intervention.kind,
            language: intervention.language.clone(),
            requested_at: intervention.requested_at,
            started_at: intervention.started_at,
            ended_at: intervention.ended_at,
            spoken_ms,
            paused_ms: until.since(intervention.started_at) - spoken_ms,
            pauses: intervention.pauses.len(),
            allowed_ms,
            overrun_ms: (spoken_ms - allowed_ms).max(0),
            waited_ms: intervention.waited_ms(),
            group: intervention.group.clone(),
            note: intervention.note.clone(),
            given_by: intervention.given_by.as_ref().map(|m| m.name.clone()),
            ended_by: intervention.ended_by.as_ref().map(|m| m.name.clone()),
            ready_check: intervention.ready_check,
            passed_over: intervention.passed_over,
        }
    }
}

/// Interventions and speaking time of one group, with its shares of the whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    /// The group's key: `member_states`, `ngo`, `remote`, `african`, `woman`, … or `unspecified`
    /// (`not_declared` for gender) when the record does not say.
    pub group: String,
    pub interventions: u32,
    pub speaking_ms: i64,
    /// Of all interventions, 0 to 1.
    pub share_of_interventions: f64,
    /// Of all speaking time, 0 to 1.
    pub share_of_time: f64,
}

/// How long the speakers of one group waited from request to floor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waits {
    pub group: String,
    /// Interventions that came from the list (those the chair gave directly had no wait).
    pub count: u32,
    pub median_ms: Option<i64>,
    pub mean_ms: Option<i64>,
    pub max_ms: Option<i64>,
}

/// The parity figures of a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Parity {
    pub interventions: u32,
    pub speaking_ms: i64,
    /// Member states and the four stakeholder constituencies, always all five.
    pub by_constituency: Vec<Tally>,
    /// In the room and remote, always both.
    pub by_presence: Vec<Tally>,
    /// The five regional groups, always all five.
    pub by_region: Vec<Tally>,
    /// Only declared genders, and how many did not declare.
    pub by_gender: Vec<Tally>,
    /// In the room and remote, always both: a remote voice must not wait longer for being remote.
    pub wait_by_presence: Vec<Waits>,
    /// In the room and remote, always both: a remote voice must not be passed over more often for
    /// being remote. Absent in reports made before it was counted.
    #[serde(default)]
    pub passed_over_by_presence: Vec<PassedOver>,
}

/// How often the speakers of one group were passed over at the head of the list, and how their
/// ready checks stood when they got the floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassedOver {
    pub group: String,
    /// Interventions that came from the list.
    pub interventions: u32,
    /// Of those, the ones whose request was passed over at least once first.
    pub passed_over: u32,
    /// Every time a request of the group was passed over.
    pub times: u32,
    /// `passed_over` of `interventions`, 0 to 1.
    pub share_passed_over: f64,
    /// Floors given after a ready check the speaker had answered.
    pub ready_confirmed: u32,
    /// Floors given after a ready check the speaker had not answered.
    pub ready_unconfirmed: u32,
}

/// The record and its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub scope: Scope,
    pub title: String,
    /// Server time the report was made; a running intervention counts until then.
    pub generated_at: Millis,
    /// The meetings' IANA time zone, when they share one, for "meeting time".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// One row per intervention, in the order they started.
    pub rows: Vec<Row>,
    pub parity: Parity,
}

/// The key of an enum as it is written in JSON (`"private_sector"`).
pub fn key<T: Copy + Into<&'static str>>(value: &T) -> String {
    let key: &'static str = (*value).into();
    key.to_string()
}

impl Report {
    /// The report of one meeting at `now`.
    pub fn of_meeting(meeting: &Meeting, now: Millis) -> Report {
        Report::of_meetings(Scope::Meeting(meeting.info.id.clone()), meeting.info.title.clone(), &[meeting], now)
    }

    /// The report of several meetings (a process's) at `now`: their interventions, ended and
    /// running, and the figures over all of them.
    pub fn of_meetings(scope: Scope, title: String, meetings: &[&Meeting], now: Millis) -> Report {
        let mut rows: Vec<Row> = meetings
            .iter()
            .flat_map(|m| m.record.iter().chain(m.floor.iter()).map(move |i| Row::of(m, i, now)))
            .collect();
        // Several meetings' records interleave in the order the interventions started.
        rows.sort_by_key(|r| r.started_at);
        let parity = Parity::of(&rows);
        let zones: Vec<&Option<String>> = meetings.iter().map(|m| &m.info.time_zone).collect();
        let time_zone =
            zones.first().and_then(|z| (*z).clone()).filter(|z| zones.iter().all(|o| o.as_ref() == Some(z)));
        Report { scope, title, generated_at: now, time_zone, rows, parity }
    }
}

impl Parity {
    /// The figures of these rows.
    pub fn of(rows: &[Row]) -> Parity {
        let constituencies = [
            Constituency::MemberStates,
            Constituency::Ngo,
            Constituency::Academia,
            Constituency::PrivateSector,
            Constituency::TechnicalCommunity,
        ];
        let presences = [Presence::InRoom, Presence::Remote];
        let genders = [Gender::Woman, Gender::Man, Gender::Another];
        let by_gender = tally(rows, genders.iter().map(key), "not_declared", |r| r.gender.as_ref().map(key))
            .into_iter()
            .filter(|t| t.interventions > 0)
            .collect();
        Parity {
            interventions: rows.len() as u32,
            speaking_ms: rows.iter().map(|r| r.spoken_ms).sum(),
            by_constituency: tally(rows, constituencies.iter().map(key), "unspecified", |r| {
                r.constituency.as_ref().map(key)
            }),
            by_presence: tally(rows, presences.iter().map(key), "unspecified", |r| Some(key(&r.presence))),
            by_region: tally(rows, Region::ALL.iter().map(key), "unspecified", |r| r.region.as_ref().map(key)),
            by_gender,
            wait_by_presence: presences.iter().map(|p| waits(rows, *p)).collect(),
            passed_over_by_presence: presences.iter().map(|p| passed_over(rows, *p)).collect(),
        }
    }
}

/// One tally per group in `groups`, in that order, then one for the rows in none of them (`other`)
/// when there are any.
fn tally(
    rows: &[Row],
    groups: impl Iterator<Item = String>,
    other: &str,
    group_of: impl Fn(&Row) -> Option<String>,
) -> Vec<Tally> {
    let total_count = rows.len() as f64;
    let total_ms: i64 = rows.iter().map(|r| r.spoken_ms).sum();
    let mut tallies: Vec<Tally> = groups
        .map(|group| Tally { group, interventions: 0, speaking_ms: 0, share_of_interventions: 0.0, share_of_time: 0.0 })
        .collect();
    for row in rows {
        let group = group_of(row).unwrap_or_else(|| other.to_string());
        let index = match tallies.iter().position(|t| t.group == group) {
            Some(index) => index,
            None => {
                tallies.push(Tally {
                    group,
                    interventions: 0,
                    speaking_ms: 0,
                    share_of_interventions: 0.0,
                    share_of_time: 0.0,
                });
                tallies.len() - 1
            }
        };
        tallies[index].interventions += 1;
        tallies[index].speaking_ms += row.spoken_ms;
    }
    for t in &mut tallies {
        if total_count > 0.0 {
            t.share_of_interventions = f64::from(t.interventions) / total_count;
        }
        if total_ms > 0 {
            t.share_of_time = t.speaking_ms as f64 / total_ms as f64;
        }
    }
    tallies
}

fn passed_over(rows: &[Row], presence: Presence) -> PassedOver {
    let listed: Vec<&Row> = rows.iter().filter(|r| r.presence == presence && r.requested_at.is_some()).collect();
    let count = |f: &dyn Fn(&Row) -> bool| listed.iter().filter(|r| f(r)).count() as u32;
    let interventions = listed.len() as u32;
    let passed = count(&|r| r.passed_over > 0);
    PassedOver {
        group: key(&presence),
        interventions,
        passed_over: passed,
        times: listed.iter().map(|r| r.passed_over).sum(),
        share_passed_over: if interventions > 0 { f64::from(passed) / f64::from(interventions) } else { 0.0 },
        ready_confirmed: count(&|r| r.ready_check == Some(ReadyCheck::Confirmed)),
        ready_unconfirmed: count(&|r| r.ready_check == Some(ReadyCheck::Unconfirmed)),
    }
}

fn waits(rows: &[Row], presence: Presence) -> Waits {
    let mut waited: Vec<i64> = rows.iter().filter(|r| r.presence == presence).filter_map(|r| r.waited_ms).collect();
    waited.sort_unstable();
    let n = waited.len();
    let median_ms = match n {
        0 => None,
        _ if n % 2 == 1 => Some(waited[n / 2]),
        _ => Some((waited[n / 2 - 1] + waited[n / 2]).div_euclid(2)),
    };
    Waits {
        group: key(&presence),
        count: n as u32,
        median_ms,
        mean_ms: (n > 0).then(|| waited.iter().sum::<i64>().div_euclid(n as i64)),
        max_ms: waited.last().copied(),
    }
}

/// The columns of the CSV export, in order.
pub const CSV_COLUMNS: [&str; 30] = [
    "meeting",
    "meeting_title",
    "segment",
    "segment_title",
    "intervention",
    "speaker",
    "on_behalf_of",
    "co_signers",
    "role",
    "constituency",
    "region",
    "gender",
    "presence",
    "kind",
    "language",
    "requested_at",
    "started_at",
    "ended_at",
    "spoken_s",
    "paused_s",
    "pauses",
    "allowed_s",
    "overrun_s",
    "waited_s",
    "group",
    "note",
    "given_by",
    "ended_by",
    "passed_over",
    "ready_check",
];

impl Report {
    /// The record as CSV (RFC 4180, CRLF line ends): a header, then one row per intervention.
    /// Times are UTC in ISO 8601; durations are seconds with up to three decimals. Text that a
    /// spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is prefixed with `'`.
    pub fn to_csv(&self) -> String {
        let mut out = csv_writer();
        out.write_record(CSV_COLUMNS).expect("a CSV writer into memory does not fail");
        for r in &self.rows {
            let opt = |o: Option<String>| o.unwrap_or_default();
            out.write_record([
                text(r.meeting.as_str()),
                text(&r.meeting_title),
                r.segment.0.to_string(),
                text(&r.segment_title),
                r.intervention.0.to_string(),
                text(&r.speaker),
                text(&r.on_behalf_of),
                text(&r.co_signers.join("; ")),
                key(&r.role),
                opt(r.constituency.as_ref().map(key)),
                opt(r.region.as_ref().map(key)),
                opt(r.gender.as_ref().map(key)),
                key(&r.presence),
                key(&r.kind),
                text(r.language.as_str()),
                opt(r.requested_at.map(utc)),
                utc(r.started_at),
                opt(r.ended_at.map(utc)),
                seconds(r.spoken_ms),
                seconds(r.paused_ms),
                r.pauses.to_string(),
                seconds(r.allowed_ms),
                seconds(r.overrun_ms),
                opt(r.waited_ms.map(seconds)),
                opt(r.group.clone()),
                opt(r.note.as_deref().map(text)),
                opt(r.given_by.as_deref().map(text)),
                opt(r.ended_by.as_deref().map(text)),
                r.passed_over.to_string(),
                opt(r.ready_check.as_ref().map(key)),
            ])
            .expect("a CSV writer into memory does not fail");
        }
        csv_text(out)
    }
}

/// A CSV writer into memory: RFC 4180 with CRLF line ends, fields quoted only when they hold a
/// comma, a quote or a line break.
pub(crate) fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new())
}

/// What a [`csv_writer`] wrote. The fields were all `String`s, so it is UTF-8.
pub(crate) fn csv_text(out: csv::Writer<Vec<u8>>) -> String {
    let bytes = out.into_inner().expect("a CSV writer into memory does not fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// Free text, defused for spreadsheets.
fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    }
}

/// Milliseconds as seconds with up to three decimals: `92.5`, `180`, `0.001`.
pub fn seconds(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let (whole, frac) = (ms / 1000, ms % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// A server time as ISO 8601 UTC with milliseconds: `2026-11-29T10:04:27.123Z`.
pub fn utc(at: Millis) -> String {
    let t = datetime(at);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// A server time as a UTC date and time. `time` covers the years -9999 to 9999; a time beyond
/// them (no clock gives one) is taken as the nearest end.
pub fn datetime(at: Millis) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.0) * 1_000_000)
        .unwrap_or_else(|_| if at.0 < 0 { PrimitiveDateTime::MIN } else { PrimitiveDateTime::MAX }.assume_utc())
}

/// A wall-clock reading "YYYY-MM-DDTHH:MM" (an HTML `datetime-local` field's value; seconds
/// allowed) taken as if it were UTC, in milliseconds; `None` when it is no such time. The screens
/// correct it by the meeting's time zone.
pub fn wall_clock(text: &str) -> Option<Millis> {
    let (date, time) = text.trim().split_once('T')?;
    let mut d = date.split('-');
    let year: i32 = d.next()?.parse().ok()?;
    let month: u8 = d.next()?.parse().ok()?;
    let day: u8 = d.next()?.parse().ok()?;
    let mut t = time.split(':');
    let hour: u8 = t.next()?.parse().ok()?;
    let minute: u8 = t.next()?.parse().ok()?;
    let second: u8 = t.next().map_or(Some(0), |s| s.parse().ok())?;
    if d.next().is_some() || t.next().is_some() {
        return None;
    }
    civil(year, month, day, hour, minute, second)
}

/// The UTC instant of a calendar date and time of day, in milliseconds; `None` when there is no
/// such date or time, or the year is outside 1970–9999.
pub fn civil(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Millis> {
    if !(1970..=9999).contains(&year) {
        return None;
    }
    let date = time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(Millis(PrimitiveDateTime::new(date, time).assume_utc().unix_timestamp() * 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_datetime_local_value_reads_as_utc() {
        let at = wall_clock("2026-12-02T15:04").expect("a time");
        assert_eq!(utc(at), "2026-12-02T15:04:00.000Z");
        assert_eq!(wall_clock("2026-12-02T15:04:30").map(|m| m.0 - at.0), Some(30_000));
    }

    #[test]
    fn a_wall_clock_reading_that_is_no_time_is_refused() {
        for bad in [
            "",
            "2026-12-02",
            "2026-02-30T10:00",
            "2026-12-02T24:00",
            "2026-12-02 10:00",
            "1969-12-31T23:59",
            "2026-12-02T10:00:00:00",
        ] {
            assert_eq!(wall_clock(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_are_written_in_utc_to_the_millisecond() {
        assert_eq!(utc(Millis(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc(Millis(1_767_225_600_000)), "2026-01-01T00:00:00.000Z");
        assert_eq!(utc(Millis(1_709_210_096_789)), "2024-02-29T12:34:56.789Z");
        assert_eq!(utc(Millis(-1)), "1969-12-31T23:59:59.999Z");
        assert_eq!(utc(Millis(253_402_300_799_999)), "9999-12-31T23:59:59.999Z");
        assert_eq!(utc(Millis(i64::MAX)), "9999-12-31T23:59:59.999Z", "beyond the year 9999: its end");
    }

    #[test]
    fn durations_are_written_as_seconds_without_trailing_zeros() {
        assert_eq!(seconds(92_500), "92.5");
        assert_eq!(seconds(180_000), "180");
        assert_eq!(seconds(1), "0.001");
        assert_eq!(seconds(0), "0");
    }

    #[test]
    fn csv_fields_are_quoted_when_needed_and_formulas_are_defused() {
        let mut out = csv_writer();
        out.write_record(["a,b".to_string(), "say \"hi\"".to_string(), text("=1+1"), "plain".into()]).unwrap();
        out.write_record(["two\nlines", "", "-3", "@SUM(A1)"].map(text)).unwrap();
        assert_eq!(csv_text(out), "\"a,b\",\"say \"\"hi\"\"\",'=1+1,plain\r\n\"two\nlines\",,'-3,'@SUM(A1)\r\n");
    }

    #[test]
    fn spaces_at_the_ends_of_a_field_are_written_as_they_are() {
        // RFC 4180: spaces are part of a field. (Before the `csv` crate such a field was quoted too.)
        let mut out = csv_writer();
        out.write_record([" padded ", "x"]).unwrap();
        assert_eq!(csv_text(out), " padded ,x\r\n");
    }
}
