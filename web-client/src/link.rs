//! What the address bar says besides the screen (which `leptos_router` picks from the path, in
//! `app.rs`): which meeting, the access token (from the fragment, so it never reaches a server log)
//! and the display's settings.

use shared::{MeetingId, Presence};

/// Speakers the room display lists after the current one unless `?next=N` says otherwise.
pub const DEFAULT_NEXT: usize = 5;
/// Most speakers the room display lists.
pub const MAX_NEXT: usize = 20;

/// Everything a screen reads from its link's query and fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The meeting, when `?meeting=` holds a valid id.
    pub meeting: Option<MeetingId>,
    /// `?meeting=` when present but not a valid id, to say so.
    pub bad_meeting: Option<String>,
    /// The access token from `#token=`.
    pub token: Option<String>,
    /// How many next speakers the display shows (`?next=N`).
    pub next: usize,
    /// The meeting's IANA time zone (`?tz=Europe/Zurich`), for "meeting time".
    pub time_zone: Option<String>,
    /// The process, from `?process=` (accreditation screens, and personal links valid for a process).
    pub process: Option<String>,
    /// The initial in-room / remote choice, from `?presence=in_room|remote`.
    pub presence: Option<Presence>,
    /// A statement's id, from `?id=`.
    pub id: Option<String>,
}

impl Link {
    /// Reads a link from its query (with or without `?`) and fragment (with or without `#`).
    pub fn parse(query: &str, fragment: &str) -> Link {
        let query: Vec<(String, String)> = pairs(query.trim_start_matches('?')).collect();
        let param = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let (meeting, bad_meeting) = match param("meeting").filter(|m| !m.is_empty()) {
            Some(text) => match MeetingId::parse(text.clone()) {
                Ok(id) => (Some(id), None),
                Err(_) => (None, Some(text)),
            },
            None => (None, None),
        };
        let token = pairs(fragment.trim_start_matches('#')).find(|(k, _)| k == "token").map(|(_, v)| v);
        let next = param("next").and_then(|n| n.parse::<usize>().ok()).unwrap_or(DEFAULT_NEXT).min(MAX_NEXT);
        let time_zone = param("tz").filter(|tz| !tz.is_empty());
        let process = param("process").map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
        let presence = match param("presence").as_deref() {
            Some("in_room") => Some(Presence::InRoom),
            Some("remote") => Some(Presence::Remote),
            _ => None,
        };
        let id = param("id").map(|p| p.trim().to_string()).filter(|p| !p.is_empty());
        Link { meeting, bad_meeting, token: token.filter(|t| !t.is_empty()), next, time_zone, process, presence, id }
    }
}

/// `a=1&b=2` as decoded pairs.
/// The value of `name` in a query (with or without `?`), decoded.
pub fn param(query: &str, name: &str) -> Option<String> {
    pairs(query.trim_start_matches('?')).find(|(k, _)| k == name).map(|(_, v)| v)
}

/// A query (with its `?`, or empty) without `name`, the other pairs as they were written.
pub fn without_param(query: &str, name: &str) -> String {
    let kept: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && decode(p.split_once('=').map_or(*p, |(k, _)| k)) != name)
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

fn pairs(text: &str) -> impl Iterator<Item = (String, String)> + '_ {
    text.split('&').filter(|p| !p.is_empty()).map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(k), decode(v))
    })
}

/// Percent-decoding (and `+` as a space), enough for ids, tokens and time zones.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_parameter_is_read_or_dropped_and_the_others_stay_as_written() {
        let query = "?meeting=oewg-s3&lang=ar&tz=Europe%2FZurich";
        assert_eq!(param(query, "lang").as_deref(), Some("ar"));
        assert_eq!(param(query, "tz").as_deref(), Some("Europe/Zurich"));
        assert_eq!(without_param(query, "lang"), "?meeting=oewg-s3&tz=Europe%2FZurich");
        assert_eq!(without_param("?lang=ar", "lang"), "");
        assert_eq!(without_param("", "lang"), "");
    }

    #[test]
    fn a_chair_link_carries_the_meeting_and_the_token_in_the_fragment() {
        let link = Link::parse("?meeting=demo", "#token=abc.def.ghi");
        assert_eq!(link.meeting.unwrap().as_str(), "demo");
        assert_eq!(link.token.as_deref(), Some("abc.def.ghi"));
    }

    #[test]
    fn the_display_shows_five_next_speakers_unless_told_otherwise() {
        assert_eq!(Link::parse("meeting=demo", "").next, DEFAULT_NEXT);
        assert_eq!(Link::parse("meeting=demo&next=3", "").next, 3);
        assert_eq!(Link::parse("meeting=demo&next=500", "").next, MAX_NEXT);
        assert_eq!(Link::parse("meeting=demo&next=many", "").next, DEFAULT_NEXT);
        assert!(Link::parse("meeting=demo", "").token.is_none());
    }

    #[test]
    fn an_invalid_meeting_id_is_kept_aside_to_say_so() {
        let link = Link::parse("meeting=..%2Fetc", "");
        assert!(link.meeting.is_none());
        assert_eq!(link.bad_meeting.as_deref(), Some("../etc"));
    }

    #[test]
    fn the_time_zone_is_percent_decoded() {
        let link = Link::parse("tz=America%2FNew_York", "");
        assert_eq!(link.time_zone.as_deref(), Some("America/New_York"));
    }

    #[test]
    fn a_personal_link_names_the_process_and_the_presence_but_no_meeting() {
        let link = Link::parse("?process=oewg&presence=remote", "#token=t");
        assert!(link.meeting.is_none());
        assert_eq!(link.process.as_deref(), Some("oewg"));
        assert_eq!(link.presence, Some(Presence::Remote));
        assert_eq!(Link::parse("presence=in_room", "").presence, Some(Presence::InRoom));
        assert_eq!(Link::parse("presence=moon", "").presence, None);
    }

    #[test]
    fn a_report_names_a_meeting_or_a_process_and_a_statement_its_id() {
        let report = Link::parse("meeting=demo", "#token=t");
        assert_eq!(report.meeting.unwrap().as_str(), "demo");
        assert_eq!(Link::parse("process=oewg", "").process.as_deref(), Some("oewg"));
        let statement = Link::parse("id=st-7", "#token=d");
        assert_eq!(statement.id.as_deref(), Some("st-7"));
        assert_eq!(statement.token.as_deref(), Some("d"));
    }

    #[test]
    fn a_truncated_escape_is_kept_as_text() {
        assert_eq!(decode("50%"), "50%");
        assert_eq!(decode("a%2"), "a%2");
    }
}
