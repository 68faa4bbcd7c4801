//! Links for everyone at once: the secretariat issues a link to every delegation of a list (CSV),
//! to one officer of a meeting or to a room's conference system (a device token), lists them,
//! re-issues or revokes one. Documented in
//! `docs/api.md` ("Links for delegations and officers").
//!
//! A link's token is never stored: its claims and the id of the key that signed it are, so the
//! console can show the same link again (HS256 signs the same claims to the same token) until
//! the key retires.

use std::collections::HashMap;
use std::sync::Arc;

use shared::api::{IssuedLink, LinksAnswer, LinksRequest, Officer, Page};
use shared::delegations::{self, DelegationKind, ListedDelegation};
use shared::policy::Action;
use shared::text;
use shared::{ErrorCode, MeetingId, Millis, Participant, ParticipantId, ProcessId, Role};
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::accreditation::{created, list_query, page_of, process, refuse};
use super::caller::{caller, Caller};
use super::{json_body, link, reject, ApiError};
use crate::auth::{Claims, Grant, Scope, AUDIENCE, DEVICE_AUDIENCE};
use crate::store::{RevokedToken, StoreError, StoredLink, TokenStore};
use crate::{clock, App};

/// How long a link works unless the request says otherwise: a session's weeks.
const DEFAULT_TTL_HOURS: u32 = 720;

/// The roles an officer's link may have.
const OFFICER_ROLES: &[Role] = &[Role::Chair, Role::ViceChair, Role::Secretariat, Role::Interpreter, Role::Observer];

pub fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let who = caller(app);
    let issue = warp::path!("api" / "processes" / String / "links")
        .and(warp::post())
        .and(who.clone())
        .and(json_body())
        .and_then(issue);
    let list = warp::path!("api" / "processes" / String / "links")
        .and(warp::get())
        .and(who.clone())
        .and(list_query())
        .and_then(list);
    let reissue =
        warp::path!("api" / "links" / String / "reissue").and(warp::post()).and(who.clone()).and_then(reissue);
    let revoke =
        warp::path!("api" / "links" / String / "revoke").and(warp::post()).and(who).and(json_body()).and_then(revoke);
    issue.or(list).unify().or(reissue).unify().or(revoke).unify().boxed()
}

async fn tokens<T: Send + 'static>(
    app: &Arc<App>,
    call: impl FnOnce(&dyn TokenStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, WarpRejection> {
    super::accreditation::on_store(app.tokens.clone(), "links", call).await
}

fn invalid(message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(ErrorCode::InvalidCommand, message))
}

/// The scope a link of `process` (and `meeting`, if any) opens.
fn scope_of(process: &ProcessId, meeting: Option<&MeetingId>) -> shared::Scope {
    match meeting {
        Some(meeting) => shared::Scope::Meeting { meeting: meeting.clone(), process: Some(process.clone()) },
        None => shared::Scope::Process { process: process.clone() },
    }
}

/// The person a listed delegation's link is for: its representative (or "Delegation of …") as a
/// delegate of the delegation, with an id that stays the delegation's across re-issues.
fn delegate(process: &ProcessId, meeting: Option<&MeetingId>, listed: &ListedDelegation) -> Participant {
    let name = listed.representative.clone().unwrap_or_else(|| format!("Delegation of {}", listed.delegation.name));
    Participant {
        id: stable_id("del", process, meeting, listed.delegation.name),
        name,
        role: Role::Delegate,
        delegation: Some(listed.delegation.name.to_string()),
        organisation: None,
        profile: Default::default(),
    }
}

/// The participant a delegation's requests belong to in `meeting`: the one its link names (the
/// meeting's own link first, then the process's), so that a press at the seat and a request from
/// the delegate's phone are the same request. A delegation without a link speaks as its process
/// link would name it.
pub(super) async fn delegation_participant(
    app: &Arc<App>,
    meeting: &shared::MeetingInfo,
    delegation: delegations::Delegation,
) -> Result<Participant, WarpRejection> {
    let listed = ListedDelegation { delegation, representative: None };
    for scope in [Some(&meeting.id), None] {
        let id = stable_id("del", &meeting.process, scope, delegation.name);
        let (process, scope) = (meeting.process.clone(), scope.cloned());
        if let Some(link) = tokens(app, move |s| s.current_link(&process, scope.as_ref(), &id)).await? {
            return Ok(link.participant);
        }
    }
    Ok(delegate(&meeting.process, None, &listed))
}

/// An id for the same delegation or officer in the same scope, whoever asks and however often: a
/// short hash of what it stands for, so that issuing a list twice finds the links of the first.
fn stable_id(prefix: &str, process: &ProcessId, meeting: Option<&MeetingId>, name: &str) -> ParticipantId {
    use sha2::{Digest, Sha256};
    let scope = meeting.map_or("", |m| m.as_str());
    let digest = Sha256::digest(format!("{process}\u{1f}{scope}\u{1f}{}", text::organisation_key(name)));
    ParticipantId::parse(format!("{prefix}-{}", hex::encode(&digest[..8]))).expect("hex is a valid id")
}

/// The link as the console shows it: with its address while it works (a device's token).
fn shown(app: &App, stored: &StoredLink, now: Millis) -> IssuedLink {
    let works = stored.revoked_at.is_none() && now < stored.expires_at;
    let claims = serde_json::from_str::<Claims>(&stored.claims).ok();
    let device = claims.as_ref().is_some_and(|c| c.aud == DEVICE_AUDIENCE);
    let token = claims.filter(|_| works).and_then(|claims| app.keys.sign_again(&claims, &stored.kid, now));
    let (address, token) = match token {
        Some(token) if device => (None, Some(token)),
        Some(token) => (Some(address(app, stored, &token)), None),
        None => (None, None),
    };
    IssuedLink {
        id: stored.id.clone(),
        process: stored.process.clone(),
        meeting: stored.meeting.clone(),
        participant: stored.participant.clone(),
        kind: stored.kind,
        issued_at: stored.issued_at,
        expires_at: stored.expires_at,
        revoked_at: stored.revoked_at,
        link: address,
        device,
        token,
    }
}

/// The address that opens the holder's screen: the meeting's, or the meeting chooser of a process.
fn address(app: &App, stored: &StoredLink, token: &str) -> String {
    match &stored.meeting {
        Some(meeting) => link(&app.public_url, stored.participant.role, meeting, Some(token)),
        None => format!("{}/speak?process={}#token={token}", app.public_url, stored.process),
    }
}

/// Mints a link for `participant` in `scope` and describes it for the store: a person's, or a
/// device's token when `audience` is [`DEVICE_AUDIENCE`].
fn mint(
    app: &App,
    (process, meeting): (&ProcessId, Option<&MeetingId>),
    (participant, kind): (Participant, Option<DelegationKind>),
    audience: &str,
    ttl_secs: i64,
    now: Millis,
) -> StoredLink {
    // A meeting's link names the meeting only: a token naming a meeting and its process would open
    // every meeting of the process (`auth::Scope::resolve`).
    let scope = match meeting {
        Some(meeting) => Scope { meeting: Some(meeting.clone()), process: None },
        None => Scope { meeting: None, process: Some(process.clone()) },
    };
    let grant = Grant { participant: participant.clone(), scope, ttl_secs };
    let (claims, kid, _) = app.keys.mint_claims(&grant, now, audience, None);
    StoredLink {
        id: claims.jti.clone(),
        process: process.clone(),
        meeting: meeting.cloned(),
        participant,
        kind,
        claims: serde_json::to_string(&claims).expect("claims serialize"),
        kid,
        issued_at: Millis(claims.iat * 1000),
        expires_at: Millis(claims.exp * 1000),
        revoked_at: None,
        replaced_by: None,
    }
}

/// `POST /api/processes/{id}/links`: a link for every delegation of the list, or for one officer.
/// A delegation (or officer) whose link still works keeps it: issuing the same list twice issues
/// nothing the second time. A list with a problem issues nothing.
async fn issue(
    id: String,
    (app, caller): (Arc<App>, Caller),
    request: LinksRequest,
) -> Result<Response, WarpRejection> {
    let found = process(&app, &id).await?;
    let process_id = found.id.clone();
    if let Some(meeting) = &request.meeting {
        match app.registry.get(meeting) {
            Some(handle) if handle.info.process == process_id => {}
            Some(_) => return Err(invalid(format!("The meeting {meeting} belongs to another process."))),
            None => return Err(refuse(ErrorCode::UnknownMeeting, format!("There is no meeting {meeting}."))),
        }
    }
    let ttl_hours = request.ttl_hours.unwrap_or(DEFAULT_TTL_HOURS);
    if !(1..=8760).contains(&ttl_hours) {
        return Err(invalid("ttl_hours must be between 1 and 8760."));
    }
    let now = clock::now();
    let mut ttl_secs = i64::from(ttl_hours) * 3600;
    if request.ttl_hours.is_none() {
        // Without an explicit ttl_hours, the links last as long as the default allows and the
        // issuer's own token lasts (as `POST /api/tokens`); an explicit one that outlives it is
        // refused.
        ttl_secs = ttl_secs.min(caller.principal()?.expires_at.since(now) / 1000).max(0);
    }
    let scope = scope_of(&process_id, request.meeting.as_ref());
    caller.may(Action::MintToken { scope: &scope, expires_at: Millis(now.0 + ttl_secs * 1000) })?;

    let meeting = request.meeting.as_ref();
    let mut audience = AUDIENCE;
    let people: Vec<(Participant, Option<DelegationKind>)> = match (&request.list, &request.officer, &request.device) {
        (Some(list), None, None) => delegations::parse_list(list)
            .map_err(|errors| invalid(format!("The list of delegations has problems; nothing was issued.\n{errors}")))?
            .iter()
            .map(|listed| (delegate(&process_id, meeting, listed), Some(listed.delegation.kind)))
            .collect(),
        (None, Some(officer), None) => vec![(officer_person(&process_id, meeting, officer)?, None)],
        (None, None, Some(device)) => {
            audience = DEVICE_AUDIENCE;
            vec![(device_holder(&process_id, meeting, device)?, None)]
        }
        _ => {
            return Err(invalid(
                "Send one of `list` (the delegations, as CSV), `officer` (a role and a name) or `device` (a conference system's name).",
            ))
        }
    };

    let mut links = Vec::with_capacity(people.len());
    let mut issued = 0;
    for (person, kind) in people {
        let (pid, mid, who) = (process_id.clone(), meeting.cloned(), person.id.clone());
        let current = tokens(&app, move |s| s.current_link(&pid, mid.as_ref(), &who)).await?;
        let stored = match current {
            Some(current) if current.revoked_at.is_none() && now < current.expires_at => current,
            current => {
                let fresh = mint(&app, (&process_id, meeting), (person, kind), audience, ttl_secs, now);
                let saved = fresh.clone();
                match current {
                    // A revoked or expired link is replaced: the list shows the new one.
                    Some(old) => {
                        let revocation =
                            RevokedToken { jti: old.id.clone(), revoked_at: now, reason: Some("Issued again".into()) };
                        tokens(&app, move |s| s.replace_link(&old.id, &saved, &revocation)).await?
                    }
                    None => tokens(&app, move |s| s.record_link(&saved)).await?,
                }
                issued += 1;
                fresh
            }
        };
        links.push(shown(&app, &stored, now));
    }
    tracing::info!(process = %process_id, issued, kept = links.len() - issued, "links issued");
    let kept = links.len() - issued;
    Ok(created(&LinksAnswer { links, issued, kept }))
}

/// The holder of a conference system's token: a name and an id that stay the same for the same
/// system in the same scope. Its role is an observer's, which a device token never acts as: the
/// policy reads the token's audience first.
fn device_holder(process: &ProcessId, meeting: Option<&MeetingId>, name: &str) -> Result<Participant, WarpRejection> {
    let name = text::line("device", name, 120).map_err(|e| invalid(e.to_string()))?;
    Ok(Participant {
        id: stable_id("device", process, meeting, &name),
        name,
        role: Role::Observer,
        delegation: None,
        organisation: None,
        profile: Default::default(),
    })
}

fn officer_person(
    process: &ProcessId,
    meeting: Option<&MeetingId>,
    officer: &Officer,
) -> Result<Participant, WarpRejection> {
    if !OFFICER_ROLES.contains(&officer.role) {
        return Err(invalid(
            "An officer is a chair, a vice_chair, a secretariat officer, an interpreter or an observer (a room display); delegations come in a list.",
        ));
    }
    if meeting.is_none() && officer.role != Role::Secretariat {
        return Err(invalid("A link for the chair, a vice-chair, an interpreter or a display names its meeting."));
    }
    let name = text::line("name", &officer.name, 120).map_err(|e| invalid(e.to_string()))?;
    let role: &str = officer.role.into();
    Ok(Participant {
        id: stable_id(role, process, meeting, &name),
        name,
        role: officer.role,
        delegation: None,
        organisation: None,
        profile: Default::default(),
    })
}

/// `GET /api/processes/{id}/links[?meeting=ID&limit=N&after=CURSOR]`: the links of a meeting (or
/// of the whole process), in the order they were issued, re-issued ones in place of the old.
async fn list(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    let found = process(&app, &id).await?;
    let meeting = match query.get("meeting") {
        Some(m) => {
            Some(MeetingId::parse(m.clone()).map_err(|_| refuse(ErrorCode::BadRequest, "meeting is a meeting's id."))?)
        }
        None => None,
    };
    caller.may(Action::ManageLinks(&scope_of(&found.id, meeting.as_ref())))?;
    let page = page_of(&query)?;
    let pid = found.id.clone();
    let stored = tokens(&app, move |s| s.links(&pid, meeting.as_ref(), &page)).await?;
    let now = clock::now();
    let items = stored.items.iter().map(|l| shown(&app, l, now)).collect();
    Ok(warp::reply::json(&Page { items, next: stored.next }).into_response())
}

/// The link with this id, once the caller may manage links of its scope.
async fn managed(app: &Arc<App>, caller: &Caller, id: &str) -> Result<StoredLink, WarpRejection> {
    let key = id.to_string();
    let stored = tokens(app, move |s| s.link(&key))
        .await?
        .ok_or_else(|| refuse(ErrorCode::NotFound, format!("There is no link {id}.")))?;
    caller.may(Action::ManageLinks(&scope_of(&stored.process, stored.meeting.as_ref())))?;
    if stored.replaced_by.is_some() {
        return Err(refuse(
            ErrorCode::AlreadyDecided,
            "This link was issued again since: act on the new one (the list shows it).",
        ));
    }
    Ok(stored)
}

/// `POST /api/links/{id}/reissue`: a new link for the same person, for as long as the old one
/// was given (at most as long as the caller's token lasts); the old one stops working at once.
async fn reissue(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let old = managed(&app, &caller, &id).await?;
    let now = clock::now();
    // As long as the old link was given, and no longer than the re-issuer's own token lasts.
    let ttl_secs = ((old.expires_at.0 - old.issued_at.0) / 1000).min(caller.principal()?.expires_at.since(now) / 1000);
    caller.may(Action::MintToken {
        scope: &scope_of(&old.process, old.meeting.as_ref()),
        expires_at: Millis(now.0 + ttl_secs * 1000),
    })?;
    let audience = serde_json::from_str::<Claims>(&old.claims).map_or(AUDIENCE.to_string(), |claims| claims.aud);
    let fresh =
        mint(&app, (&old.process, old.meeting.as_ref()), (old.participant.clone(), old.kind), &audience, ttl_secs, now);
    let revocation = RevokedToken { jti: old.id.clone(), revoked_at: now, reason: Some("Issued again".into()) };
    let saved = fresh.clone();
    let old_id = old.id.clone();
    tokens(&app, move |s| s.replace_link(&old_id, &saved, &revocation)).await?;
    app.revoke_tokens([old.id.clone()]);
    tracing::info!(link = %old.id, new = %fresh.id, "link issued again");
    Ok(created(&shown(&app, &fresh, now)))
}

/// `POST /api/links/{id}/revoke`: the link stops working at once; its live sessions close.
async fn revoke(
    id: String,
    (app, caller): (Arc<App>, Caller),
    body: shared::api::TokenRevocation,
) -> Result<Response, WarpRejection> {
    let stored = managed(&app, &caller, &id).await?;
    let reason = body.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(invalid("A reason is at most 2000 characters."));
    }
    let revocation = RevokedToken { jti: stored.id.clone(), revoked_at: clock::now(), reason };
    let done = tokens(&app, move |s| s.revoke_link(&revocation)).await?;
    app.revoke_tokens([done.jti.clone()]);
    tracing::info!(link = %done.jti, "link revoked");
    let revoked = StoredLink { revoked_at: Some(done.revoked_at), ..stored };
    Ok(warp::reply::json(&shown(&app, &revoked, clock::now())).into_response())
}
