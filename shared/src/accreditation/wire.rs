//! The bodies of the accreditation API, as the server sends and takes them and the browser reads
//! and sends them: one definition on each side of the wire. Documented in `docs/api.md`.

use serde::{Deserialize, Serialize};

use super::{Expert, Organisation, Process, Representative, Verdict};
use crate::ids::{MeetingId, Millis, ProcessId};
use crate::meeting::MeetingInfo;
use crate::participant::Presence;

/// A process as everyone sees it (`GET /api/processes`, `GET /api/processes/{id}`, and the answer
/// to `POST /api/processes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessView {
    /// The process.
    #[serde(flatten)]
    pub process: Process,
    /// Whether applications are still taken.
    pub applications_open: bool,
    /// The meetings of the process this server runs.
    #[serde(default)]
    pub meetings: Vec<MeetingInfo>,
    /// When each of those meetings sat, from its log, and whether it is sitting now.
    #[serde(default)]
    pub sittings: Vec<Sitting>,
}

/// When a meeting sat, as its log shows, for the meeting chooser's dates and its "live now".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sitting {
    /// The meeting.
    pub meeting: MeetingId,
    /// Its first event (setting up a segment counts), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_at: Option<Millis>,
    /// Its latest event, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_at: Option<Millis>,
    /// Whether something happened in it within the last [`Sitting::LIVE_WITHIN_MS`].
    pub live: bool,
}

impl Sitting {
    /// A meeting is live now when its latest event is at most this old: a chair calls a speaker at
    /// least this often while the meeting sits.
    pub const LIVE_WITHIN_MS: i64 = 30 * 60 * 1000;

    /// The sitting of `meeting` at `now`, from the times of its first and latest events.
    pub fn at(meeting: MeetingId, first_at: Option<Millis>, last_at: Option<Millis>, now: Millis) -> Sitting {
        let live = last_at.is_some_and(|last| now.since(last) <= Self::LIVE_WITHIN_MS);
        Sitting { meeting, first_at, last_at, live }
    }
}

/// Body of `POST /api/processes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProcess {
    /// The new process's id.
    pub id: ProcessId,
    /// Its title.
    pub title: String,
    /// `YYYY-MM-DD`: the last day applications are taken (UTC).
    pub applications_deadline: String,
}

/// The answer to an application (`POST /api/processes/{id}/applications`): the organisation's
/// record and its private page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    /// The application as recorded, pending.
    pub organisation: Organisation,
    /// Opens the organisation's page, where it follows its application and, once accredited,
    /// registers its representatives. Keep it: it is the organisation's key.
    pub token: String,
    /// The page's address, with the token.
    pub link: String,
}

/// Body of `POST /api/organisations/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Approve or refuse.
    pub decision: Verdict,
    /// Required for a refusal: shown to the organisation and to member states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Body of `POST /api/processes/{id}/applications/reject`: pending applications (spam, say)
/// refused at once with one reason. Checked by [`BulkRejection::checked`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRejection {
    /// The applications' ids: 1 to [`super::lifecycle::MAX_BULK`].
    pub ids: Vec<String>,
    /// Shown to each organisation and to member states, as a single refusal's.
    pub reason: String,
}

/// Answer of `POST /api/processes/{id}/applications/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkRejected {
    /// How many pending applications were refused.
    pub rejected: usize,
    /// The ids that were not: already decided, unknown, or of another process.
    pub skipped: Vec<String>,
}

/// Body of `POST /api/organisations/{id}/revoke`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    /// Why, shown publicly; required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Body of `POST /api/organisations/{id}/objections`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewObjection {
    /// Why the member state objects, shown publicly.
    pub reason: String,
}

/// A representative or an expert with their personal link; no link once they are withdrawn (or,
/// for a representative, while the organisation is not accredited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithLink<T> {
    /// The person.
    #[serde(flatten)]
    pub person: T,
    /// Their token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Their link, with the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// `GET /api/organisation`: the organisation's own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationPage {
    /// Its record, contact details included.
    pub organisation: Organisation,
    /// The process it applied to.
    pub process: ProcessView,
    /// Its representatives, with their links.
    pub representatives: Vec<WithLink<Representative>>,
}

/// Body of `POST /api/organisation/representatives`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewRepresentative {
    /// The person's name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Whether they usually follow from the room or remotely.
    pub presence: Presence,
}

/// `GET /api/delegation`: a delegation's own page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationPage {
    /// The member state.
    pub delegation: String,
    /// The process the delegate's link is for.
    pub process: ProcessView,
    /// Its experts, with their links.
    pub experts: Vec<WithLink<Expert>>,
}

/// Body of `POST /api/delegation/experts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewExpert {
    /// The expert's name.
    pub name: String,
    /// Their home organisation.
    pub organisation: String,
    /// Their email address.
    pub email: String,
}

/// Body of `POST /api/meetings/{id}/documents`: a document given by its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkedDocument {
    /// The document's title.
    pub title: String,
    /// Its address (`https://` or `http://`).
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_is_live_while_its_latest_event_is_recent() {
        let id = MeetingId::parse("m1").unwrap();
        let now = Millis(10 * Sitting::LIVE_WITHIN_MS);
        let recent = Millis(now.0 - 60_000);
        let old = Millis(now.0 - Sitting::LIVE_WITHIN_MS - 1);
        assert!(Sitting::at(id.clone(), Some(old), Some(recent), now).live);
        assert!(!Sitting::at(id.clone(), Some(old), Some(old), now).live);
        assert!(!Sitting::at(id, None, None, now).live, "a meeting with no event has not started");
    }
}
