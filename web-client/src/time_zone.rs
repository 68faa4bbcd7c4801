//! One time convention on every screen: times of day are the meeting's, in the venue's time zone,
//! labelled ("14:05 New York time (EST)"), with the viewer's own beside them when it differs.
//!
//! The zone rules come from the browser's `Intl` (its time zone database is kept up to date with
//! the browser), not from a crate: a tz database compiled into the client would weigh hundreds of
//! kilobytes and age with each release. The wording is plain Rust, tested natively.

use shared::{MeetingInfo, Millis};
use wasm_bindgen::prelude::*;

use crate::browser::{date_time_format, js_date, time_of_day};

/// The zone of meetings that name none: every screen then agrees on UTC, and says so.
pub const DEFAULT_ZONE: &str = "UTC";

/// The meeting's time zone: the link's `?tz=` when it names one, else the meeting's own, else UTC.
pub fn meeting_zone(info: &MeetingInfo, link: Option<&str>) -> String {
    fn named(zone: Option<&str>) -> Option<&str> {
        zone.map(str::trim).filter(|z| !z.is_empty())
    }
    named(link).or(named(info.time_zone.as_deref())).unwrap_or(DEFAULT_ZONE).to_string()
}

/// The place an IANA zone is named after, for people: `America/New_York` → "New York",
/// `America/Argentina/Buenos_Aires` → "Buenos Aires", `Etc/UTC` → "UTC".
pub fn place(zone: &str) -> String {
    zone.rsplit('/').next().unwrap_or(zone).replace('_', " ")
}

/// "New York time (EST)", "Geneva time (GMT+1)", or "UTC"; the abbreviation is left out when it
/// says nothing more than the place.
pub fn label_text(zone: &str, abbreviation: Option<&str>) -> String {
    let place = place(zone);
    if matches!(place.as_str(), "UTC" | "GMT" | "UCT" | "Universal" | "Zulu") {
        return "UTC".to_string();
    }
    match abbreviation.filter(|a| !a.is_empty() && *a != place) {
        Some(abbreviation) => crate::tr!(common.zone_time_abbr, place = &place, abbreviation = abbreviation),
        None => crate::tr!(common.zone_time, place = &place),
    }
}

/// The label of `zone` at `at` (abbreviations change with daylight saving time).
pub fn label(zone: &str, at: Millis) -> String {
    label_text(zone, abbreviation(zone, at).as_deref())
}

/// The viewer's own time of day at `at`, when it reads differently from the meeting's.
pub fn own_time_if_different(at: Millis, zone: &str, seconds: bool) -> Option<String> {
    let own = time_of_day(at, None, seconds)?;
    (time_of_day(at, Some(zone), seconds).as_ref() != Some(&own)).then_some(own)
}

/// The calendar day of `at` in `zone` ("4 Mar 2027" in the browser's language).
pub fn day(at: Millis, zone: &str) -> Option<String> {
    let format = date_time_format(&[("timeZone", zone), ("day", "numeric"), ("month", "short"), ("year", "numeric")])?;
    Some(format.format(&js_date(at)))
}

/// The days a meeting sat, from its first and latest: "4 Mar 2027", "3 Mar 2027 – 5 Mar 2027", or
/// "Not started yet".
pub fn days_text(first: Option<String>, last: Option<String>) -> String {
    match (first, last) {
        (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
        (Some(day), _) | (None, Some(day)) => day,
        (None, None) => crate::tr!(common.not_started_yet).to_string(),
    }
}

/// When a meeting starts, in its venue's time: "4 Mar 2027, 10:00 Geneva time (GMT+1)".
pub fn meeting_time(at: Millis, zone: Option<&str>) -> String {
    let zone = zone.map(str::trim).filter(|z| !z.is_empty()).unwrap_or(DEFAULT_ZONE);
    let day = day(at, zone).unwrap_or_default();
    let time = time_of_day(at, Some(zone), false).unwrap_or_default();
    format!("{day}, {time} {}", label(zone, at))
}

/// Every IANA time zone the browser knows (`Intl.supportedValuesOf("timeZone")`), for a field's
/// suggestions; empty in a browser that cannot say.
pub fn known_zones() -> Vec<String> {
    let Ok(intl) = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()) else { return Vec::new() };
    let Ok(supported) = js_sys::Reflect::get(&intl, &"supportedValuesOf".into()) else { return Vec::new() };
    let Some(supported) = supported.dyn_ref::<js_sys::Function>() else { return Vec::new() };
    match supported.call1(&intl, &"timeZone".into()) {
        Ok(zones) => js_sys::Array::from(&zones).iter().filter_map(|z| z.as_string()).collect(),
        Err(_) => Vec::new(),
    }
}

/// The short name of `zone` at `at` as the browser writes it ("EST", "GMT+1").
fn abbreviation(zone: &str, at: Millis) -> Option<String> {
    let format = date_time_format(&[("timeZone", zone), ("timeZoneName", "short")])?;
    let get = |part: &JsValue, key: &str| js_sys::Reflect::get(part, &key.into()).ok()?.as_string();
    format
        .format_to_parts(&js_date(at))
        .iter()
        .find(|part| get(part, "type").as_deref() == Some("timeZoneName"))
        .and_then(|part| get(&part, "value"))
}

/// The instant at which the clocks of `zone` read `wall` (a `datetime-local` field's value,
/// "2027-03-04T10:00"); `None` when it is no time or the browser knows no such zone.
pub fn instant(wall: &str, zone: &str) -> Option<Millis> {
    instant_from(shared::report::wall_clock(wall)?, |at| reading(at, zone))
}

/// The instant whose reading (`reads`: an instant → the wall clock at it, taken as UTC) is `wall`.
/// The zone's offset at the first guess corrects it; a second step settles a guess that fell on
/// the other side of a change of offset. In the hour that a change to summer time skips, the
/// answer is an hour later than asked (as a clock set forward would say).
fn instant_from(wall: Millis, reads: impl Fn(Millis) -> Option<Millis>) -> Option<Millis> {
    let mut at = wall;
    for _ in 0..2 {
        let offset = reads(at)?.0 - at.0;
        at = Millis(wall.0 - offset);
    }
    Some(at)
}

/// The wall clock of `zone` at `at`, taken as UTC, to the second.
fn reading(at: Millis, zone: &str) -> Option<Millis> {
    let format = date_time_format(&[
        ("timeZone", zone),
        ("year", "numeric"),
        ("month", "numeric"),
        ("day", "numeric"),
        ("hour", "numeric"),
        ("minute", "numeric"),
        ("second", "numeric"),
        ("hourCycle", "h23"),
        ("numberingSystem", "latn"),
    ])?;
    let get = |part: &JsValue, key: &str| js_sys::Reflect::get(part, &key.into()).ok()?.as_string();
    let parts = format.format_to_parts(&js_date(Millis(at.0 - at.0.rem_euclid(1000))));
    let number = |kind: &str| -> Option<u32> {
        let part = parts.iter().find(|p| get(p, "type").as_deref() == Some(kind))?;
        get(&part, "value")?.parse().ok()
    };
    shared::report::civil(
        i32::try_from(number("year")?).ok()?,
        u8::try_from(number("month")?).ok()?,
        u8::try_from(number("day")?).ok()?,
        u8::try_from(number("hour")?).ok()?,
        u8::try_from(number("minute")?).ok()?,
        u8::try_from(number("second")?).ok()?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// New York's clocks: five hours behind UTC, four from 2027-03-14 07:00 UTC.
    fn new_york(at: Millis) -> Option<Millis> {
        let change = shared::report::wall_clock("2027-03-14T07:00")?;
        let hours = if at.0 < change.0 { 5 } else { 4 };
        Some(Millis(at.0 - hours * 3_600_000))
    }

    #[test]
    fn a_meeting_time_is_read_in_the_meetings_zone() {
        let wall = shared::report::wall_clock("2027-03-04T10:00").unwrap();
        let at = instant_from(wall, new_york).unwrap();
        assert_eq!(shared::report::utc(at), "2027-03-04T15:00:00.000Z");
    }

    #[test]
    fn a_meeting_time_after_the_change_of_offset_takes_the_new_offset() {
        // The first guess (04:00 UTC) falls before the change; the answer lies after it.
        let wall = shared::report::wall_clock("2027-03-14T04:00").unwrap();
        let at = instant_from(wall, new_york).unwrap();
        assert_eq!(shared::report::utc(at), "2027-03-14T08:00:00.000Z");
    }
    use shared::{Access, MeetingId, ProcessId};

    fn info(zone: Option<&str>) -> MeetingInfo {
        MeetingInfo {
            id: MeetingId::parse("m1").unwrap(),
            title: "Meeting".into(),
            process: ProcessId::parse("p").unwrap(),
            access: Access::Open,
            time_zone: zone.map(String::from),
            starts_at: None,
            room: None,
        }
    }

    #[test]
    fn a_zone_is_named_after_its_place() {
        assert_eq!(place("America/New_York"), "New York");
        assert_eq!(place("America/Argentina/Buenos_Aires"), "Buenos Aires");
        assert_eq!(place("UTC"), "UTC");
    }

    #[test]
    fn a_label_says_the_place_and_the_abbreviation_unless_it_repeats_the_place() {
        assert_eq!(label_text("America/New_York", Some("EST")), "New York time (EST)");
        assert_eq!(label_text("Europe/Zurich", Some("GMT+1")), "Zurich time (GMT+1)");
        assert_eq!(label_text("Pacific/Auckland", None), "Auckland time");
        assert_eq!(label_text("Etc/UTC", Some("UTC")), "UTC");
        assert_eq!(label_text("UTC", None), "UTC");
    }

    #[test]
    fn a_meetings_days_read_as_one_day_a_range_or_not_yet() {
        assert_eq!(days_text(Some("4 Mar 2027".into()), Some("4 Mar 2027".into())), "4 Mar 2027");
        assert_eq!(days_text(Some("3 Mar 2027".into()), Some("5 Mar 2027".into())), "3 Mar 2027 – 5 Mar 2027");
        assert_eq!(days_text(None, None), "Not started yet");
    }

    #[test]
    fn the_links_zone_wins_then_the_meetings_then_utc() {
        assert_eq!(meeting_zone(&info(Some("Europe/Zurich")), Some("Asia/Tokyo")), "Asia/Tokyo");
        assert_eq!(meeting_zone(&info(Some("Europe/Zurich")), None), "Europe/Zurich");
        assert_eq!(meeting_zone(&info(None), None), "UTC");
        assert_eq!(meeting_zone(&info(Some("Europe/Zurich")), Some("")), "Europe/Zurich");
    }
}
