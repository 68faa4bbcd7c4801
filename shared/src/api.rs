//! The HTTP contract of the meeting, command, token and health endpoints: every request and
//! answer body, used by the server and by any Rust client (the tests' helpers, the web client).
//! The accreditation's and written input's bodies sit beside their domain types. Documented in
//! `docs/api.md`; errors are [`crate::Error`].

use serde::{Deserialize, Serialize};

use crate::accreditation::Constituency;
use crate::{Access, EventRecord, MeetingId, Millis, Participant, ParticipantId, ProcessId, Role};

/// Answer of `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// How many meetings the server holds.
    pub meetings: usize,
}

/// Body of `POST /api/meetings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeeting {
    pub id: MeetingId,
    pub title: String,
    pub process: ProcessId,
    pub access: Access,
    /// The IANA time zone of the venue, e.g. `America/New_York`.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// When the meeting is scheduled to start (milliseconds since the epoch).
    #[serde(default)]
    pub starts_at: Option<Millis>,
    /// Where it sits: one line of at most [`crate::meeting::MAX_ROOM_CHARS`] characters.
    #[serde(default)]
    pub room: Option<String>,
}

/// Answer of a command run over HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandOutcome {
    /// The records the command committed, in order.
    pub events: Vec<EventRecord>,
}

/// Body of `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// Defaults to a fresh random id.
    #[serde(default)]
    pub id: Option<ParticipantId>,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub delegation: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub meeting: Option<MeetingId>,
    #[serde(default)]
    pub process: Option<ProcessId>,
    /// Hours the token is valid; 1 to 8760 (a year), default 168 (a week).
    #[serde(default)]
    pub ttl_hours: Option<u32>,
    /// For the parity figures: the organisation's constituency (`ngo`, `academia`,
    /// `private_sector`, `technical_community`).
    #[serde(default)]
    pub constituency: Option<Constituency>,
    /// For the parity figures: the organisation's country (its regional group is derived).
    #[serde(default)]
    pub country: Option<String>,
}

/// Answer of `POST /api/tokens`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    /// The token's id (`jti`), to revoke it by.
    pub id: String,
    pub token: String,
    pub participant: Participant,
    pub expires_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// Body of `POST /api/tokens/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRevocation {
    /// Why, for the record (at most 2000 characters).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Answer of `POST /api/tokens/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedTokenAnswer {
    /// The token's id.
    pub id: String,
    /// When it was first revoked.
    pub revoked_at: Millis,
    /// Why, as first given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Items a page holds when the caller does not say (`?limit=`).
pub const DEFAULT_PAGE: u32 = 50;
/// Most items a page holds: a list that can grow to thousands is read page by page.
pub const MAX_PAGE: u32 = 200;

/// One page of a list that can grow (the review queue, the public list, statements, documents).
/// Pages are cut by a key of the last item (keyset pagination), not by an offset, so that items
/// added while a client walks the list neither repeat nor push others out of its view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The page's items, in the list's order.
    pub items: Vec<T>,
    /// What to pass as `?after=` for the next page; `None` on the last page.
    pub next: Option<String>,
}

/// Where a page starts: just after the item with this sort time and key. Sent as an opaque string
/// (`next`, `?after=`); clients never build one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The sort time of the last item seen (applied, added, submitted), in milliseconds.
    pub at: i64,
    /// What orders items of one millisecond (the store's insertion order), for the last item seen.
    pub key: String,
}

impl Cursor {
    /// The cursor a client sent back, if it is one this server made.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (at, key) = text.split_once('.')?;
        let at = at.parse().ok().filter(|at: &i64| *at >= 0)?;
        let well_formed = !key.is_empty() && key.len() <= 64 && key.bytes().all(|b| b.is_ascii_alphanumeric());
        well_formed.then(|| Cursor { at, key: key.to_string() })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.at, self.key)
    }
}

/// Which page a client asks for: `?limit=` (1 to [`MAX_PAGE`], default [`DEFAULT_PAGE`]) and
/// `?after=` (the `next` of the page before).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u32,
    pub after: Option<Cursor>,
}

impl PageRequest {
    /// The page asked for by the query's `limit` and `after`, or a sentence saying what is wrong
    /// with them.
    pub fn parse(limit: Option<&str>, after: Option<&str>) -> Result<PageRequest, String> {
        let limit = match limit {
            None => DEFAULT_PAGE,
            Some(text) => text.trim().parse().ok().filter(|n| (1..=MAX_PAGE).contains(n)).ok_or_else(|| {
                format!("limit must be a whole number from 1 to {MAX_PAGE} (default {DEFAULT_PAGE}), not \"{text}\".")
            })?,
        };
        let after = match after {
            None => None,
            Some(text) => Some(Cursor::parse(text).ok_or_else(|| {
                "after must be the `next` of a page this server returned; start again without it.".to_string()
            })?),
        };
        Ok(PageRequest { limit, after })
    }

    /// The page of `rows` read with a limit one above this request's (`limit + 1`): the extra row,
    /// if any, says there is a next page, which starts after the last row kept.
    pub fn page<T>(&self, mut rows: Vec<T>, cursor: impl Fn(&T) -> Cursor) -> Page<T> {
        let more = rows.len() > self.limit as usize;
        rows.truncate(self.limit as usize);
        let next = if more { rows.last().map(|last| cursor(last).to_string()) } else { None };
        Page { items: rows, next }
    }
}

/// Body of `POST /api/processes/{id}/links`: links for every delegation of a list (`list`, CSV as
/// [`crate::delegations::parse_list`] reads it), for one officer of the meeting (`officer`), or a
/// token for a room's conference system (`device`). Exactly one of the three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinksRequest {
    /// The meeting the links open; absent, every meeting of the process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// How long the links work: 1 to 8760 hours, default 720 (30 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_hours: Option<u32>,
    /// The list of delegations, as CSV with a `delegation` column and an optional
    /// `representative` one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// One officer: the chair, a vice-chair, a secretariat officer, an interpreter, a room display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<Officer>,
    /// A room's conference system, by its name ("Conference Room 2 microphones"): its token relays
    /// the request-to-speak buttons of the seats (`POST /api/meetings/{id}/device/requests`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

/// An officer of a meeting, for [`LinksRequest::officer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    /// `chair`, `vice_chair`, `secretariat`, `interpreter` or `observer` (a room display).
    pub role: Role,
    /// Their name, or the booth's or the display's ("French booth", "Room display").
    pub name: String,
}

/// A link the secretariat issued, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedLink {
    /// The id of the link's token: re-issue or revoke it by this id.
    pub id: String,
    /// The process the link belongs to.
    pub process: ProcessId,
    /// The meeting it opens; absent, every meeting of the process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// Whom it is for: the delegation's representative (role `delegate`) or the officer.
    pub participant: Participant,
    /// For a delegation: member state, observer State or intergovernmental organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::delegations::DelegationKind>,
    /// When it was issued.
    pub issued_at: Millis,
    /// When it stops working.
    pub expires_at: Millis,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<Millis>,
    /// The address to hand over, with the token in its fragment, while the link works (not for a
    /// device, which opens no screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// Whether it is a conference system's token rather than a person's link.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub device: bool,
    /// For a device, while it works: the token to configure the conference system with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl IssuedLink {
    /// Whether the link works at `now`: not revoked, not expired.
    pub fn works(&self, now: Millis) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// Answer of `POST /api/processes/{id}/links`: every link of the request, in the list's order —
/// those issued now and those that already worked, which were kept rather than issued twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinksAnswer {
    /// The links, in the order of the request.
    pub links: Vec<IssuedLink>,
    /// How many were issued now.
    pub issued: usize,
    /// How many already worked and were kept.
    pub kept: usize,
}

/// The columns of [`links_csv`], in order.
pub const LINK_COLUMNS: [&str; 8] =
    ["delegation", "kind", "name", "role", "meeting", "link", "expires_at_utc", "status"];

/// Links as a spreadsheet (CSV, one row per link, in the order given), for a mail merge: the
/// delegation (or empty for an officer), its kind, the person's name and role, the meeting (empty
/// for a whole process), the address, when it expires (UTC) and whether it works, was revoked or
/// expired at `now`.
pub fn links_csv(links: &[IssuedLink], now: Millis) -> String {
    let mut out = crate::report::csv_writer();
    out.write_record(LINK_COLUMNS).expect("writing into memory does not fail");
    for link in links {
        let kind: &str = link.kind.map(Into::into).unwrap_or_default();
        let role: &str = if link.device { "device" } else { link.participant.role.into() };
        let status = match (link.revoked_at, link.works(now)) {
            (Some(_), _) => "revoked",
            (None, true) => "works",
            (None, false) => "expired",
        };
        let row = [
            link.participant.delegation.as_deref().unwrap_or_default(),
            kind,
            &link.participant.name,
            role,
            link.meeting.as_ref().map(|m| m.as_str()).unwrap_or_default(),
            link.link.as_deref().unwrap_or_default(),
            &crate::report::utc(link.expires_at),
            status,
        ];
        out.write_record(row).expect("writing into memory does not fail");
    }
    crate::report::csv_text(out)
}

/// Body of `POST /api/meetings/{id}/device/requests` and `…/device/withdrawals`: a delegate pressed
/// (or pressed again) the request-to-speak button at a seat of the delegation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatButton {
    /// The delegation seated there: a member state, an observer State or an organisation, as
    /// [`crate::delegations::delegation_named`] reads it ("Kenya", "Türkiye", "EU").
    pub delegation: String,
    /// The seat's label in the conference system ("42"), for the log and the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// The list: the active one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<crate::SegmentId>,
    /// What the button asks for: a statement unless the system has a point-of-order or a
    /// right-of-reply button (a request only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::RequestKind>,
    /// The language the delegate speaks, when the system knows it: English otherwise (a request
    /// only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<crate::Language>,
}

/// Answer of the device endpoints: the delegation's request in the list after the press.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatAnswer {
    /// The delegation, by its name in Rostrum's list.
    pub delegation: String,
    /// The participant the request belongs to: the delegation's, as its link names it.
    pub participant: ParticipantId,
    /// The seat, as the request named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// The list.
    pub segment: crate::SegmentId,
    /// The delegation's request: the one added, the one that was already waiting, or the one
    /// withdrawn; absent when a withdrawal found none waiting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<crate::EntryId>,
    /// Where the request waits (0 is next); absent once withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// What the press did: `added`, `already_waiting`, `withdrawn` or `none_waiting`.
    pub outcome: SeatOutcome,
}

/// What a seat's button press did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatOutcome {
    /// A new request was added.
    Added,
    /// The delegation's request was already waiting: nothing changed (a press sent twice).
    AlreadyWaiting,
    /// The delegation's request was withdrawn.
    Withdrawn,
    /// No request of the delegation was waiting: nothing changed.
    NoneWaiting,
}

#[cfg(test)]
mod links_tests {
    use super::*;

    #[test]
    fn the_links_spreadsheet_has_a_row_per_link_with_names_that_need_quotes_quoted() {
        let participant: Participant = serde_json::from_value(serde_json::json!(
            {"id": "del-1", "name": "Ana Rojas", "role": "delegate", "delegation": "Korea, Republic of"}
        ))
        .unwrap();
        let link = IssuedLink {
            id: "t1".into(),
            process: ProcessId::parse("oewg").unwrap(),
            meeting: Some(MeetingId::parse("s9-m3").unwrap()),
            participant,
            kind: Some(crate::delegations::DelegationKind::MemberState),
            issued_at: Millis(0),
            expires_at: Millis(86_400_000),
            revoked_at: None,
            link: Some("http://rostrum.example/speak?meeting=s9-m3#token=abc".into()),
            device: false,
            token: None,
        };

        let csv = links_csv(&[link], Millis(1_000));

        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "delegation,kind,name,role,meeting,link,expires_at_utc,status");
        assert!(
            lines[1].starts_with("\"Korea, Republic of\",member_state,Ana Rojas,delegate,s9-m3,http://"),
            "{}",
            lines[1]
        );
        assert!(lines[1].ends_with(",works"), "{}", lines[1]);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn a_conference_systems_token_is_listed_as_a_device_and_never_goes_into_the_mail_merge() {
        let participant: Participant = serde_json::from_value(serde_json::json!(
            {"id": "device-1", "name": "Conference Room 2 microphones", "role": "observer"}
        ))
        .unwrap();
        let link = IssuedLink {
            id: "t2".into(),
            process: ProcessId::parse("oewg").unwrap(),
            meeting: None,
            participant,
            kind: None,
            issued_at: Millis(0),
            expires_at: Millis(86_400_000),
            revoked_at: None,
            link: None,
            device: true,
            token: Some("eyJ.secret.token".into()),
        };

        let csv = links_csv(&[link], Millis(1_000));

        let row = csv.lines().nth(1).unwrap();
        assert_eq!(row, ",,Conference Room 2 microphones,device,,,1970-01-02T00:00:00.000Z,works");
        assert!(!csv.contains("eyJ"));
    }
}
