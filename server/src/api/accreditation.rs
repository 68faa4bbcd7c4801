//! The accreditation API: processes, the public application form and list, the secretariat's
//! decisions, member states' objections, an organisation's representatives, a delegation's experts,
//! and meeting documents. Documented in `docs/api.md`.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::Bytes;
use serde::Serialize;
use shared::accreditation::quota::{Limit, Quota};
use shared::accreditation::{
    end_of_day, lifecycle, nominee, Application, Applied, BulkRejected, BulkRejection, Change, Decision,
    DelegationPage, Document, DocumentKind, Expert, LinkedDocument, NewExpert, NewObjection, NewProcess,
    NewRepresentative, Nomination, Nominee, Organisation, OrganisationPage, Party, Process, ProcessView,
    PublicOrganisation, Representative, Revocation, Sitting, Status, WithLink,
};
use shared::api::{Page, PageRequest};
use shared::policy::{self, Action, Permit};
use shared::text;
use shared::{ErrorCode, MeetingInfo, Millis, Participant, ParticipantId, Principal, ProcessId, Role};
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::caller::{caller, Caller};
use super::forms::{self, Forms};
use super::{json_body, reject, ApiError};
use crate::auth::{Grant, Scope, AUDIENCE, ORGANISATION_AUDIENCE};
use crate::store::{AccreditationStore, OrganisationQuota, StoreError};
use crate::{clock, App};

/// Largest uploaded document.
pub const MAX_UPLOAD: u64 = 10 * 1024 * 1024;
/// Media types an upload may have.
const UPLOAD_TYPES: &[&str] = &[
    "application/pdf",
    "text/plain",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
];
/// How long representatives' and experts' links last: a process runs for years, but a link that
/// leaks should not; the organisation's page mints fresh ones at any time.
const PERSONAL_LINK_SECS: i64 = 365 * 24 * 3600;

pub(super) fn refuse(code: ErrorCode, message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(code, message))
}

/// Free text that `shared::text` refused, as a 400 `invalid_command` naming the field.
pub(super) fn invalid_text(error: text::TextError) -> WarpRejection {
    reject(ApiError::from_rejection(shared::Rejection::from(error)))
}

pub(super) fn created<T: Serialize>(body: &T) -> Response {
    warp::reply::with_status(warp::reply::json(body), StatusCode::CREATED).into_response()
}

/// The page a list's query asks for (`?limit=`, `?after=`), or a 400 `bad_request` saying what is
/// wrong with it.
pub(super) fn page_of(query: &HashMap<String, String>) -> Result<PageRequest, WarpRejection> {
    let (limit, after) = (query.get("limit").map(String::as_str), query.get("after").map(String::as_str));
    PageRequest::parse(limit, after).map_err(|message| reject(ApiError::new(ErrorCode::BadRequest, message)))
}

/// A list's query parameters, read leniently so that a bad one gets its own clear error.
pub(super) fn list_query() -> BoxedFilter<(HashMap<String, String>,)> {
    warp::query::<HashMap<String, String>>().or(warp::any().map(HashMap::new)).unify().boxed()
}

pub(super) fn ok<T: Serialize>(body: &T) -> Response {
    warp::reply::json(body).into_response()
}

/// A write refused for taking its owner over `limit`: 409 `quota_exceeded`, naming the quota.
pub(super) fn over(limit: Limit) -> WarpRejection {
    tracing::info!(quota = ?limit.quota, max = limit.max, "over a quota");
    refuse(ErrorCode::QuotaExceeded, limit.message())
}

/// What an accredited organisation's material or statement counts against.
pub(super) fn organisation_quota(app: &App, found: &Organisation, items: Quota) -> OrganisationQuota {
    OrganisationQuota {
        organisation: found.id.clone(),
        name: found.application.name.clone(),
        process: found.process.clone(),
        items: app.config.quotas.limit(items),
        bytes: app.config.quotas.limit(Quota::Bytes),
    }
}

/// Runs a call to the accreditation store on a blocking thread.
pub(super) async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    call: impl FnOnce(&dyn AccreditationStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, WarpRejection> {
    on_store(app.accreditation.clone(), "accreditation", call).await
}

/// Runs `call` on `store` on a blocking thread (every store method blocks). A quota reached is
/// `quota_exceeded` with its sentence; any other failure is logged with `what` and answered
/// `storage_failed`, nothing having changed.
pub(super) async fn on_store<S: ?Sized + Send + Sync + 'static, T: Send + 'static>(
    store: Arc<S>,
    what: &'static str,
    call: impl FnOnce(&S) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, WarpRejection> {
    match tokio::task::spawn_blocking(move || call(store.as_ref())).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(StoreError::Quota(limit))) => Err(over(limit)),
        Ok(Err(error)) => {
            tracing::error!(%error, store = what, "store failed");
            Err(refuse(ErrorCode::StorageFailed, "The change could not be saved; nothing happened. Try again."))
        }
        Err(error) => {
            tracing::error!(%error, store = what, "store task failed");
            Err(refuse(ErrorCode::StorageFailed, "The change could not be saved; nothing happened. Try again."))
        }
    }
}

fn parse_process(id: &str) -> Result<ProcessId, WarpRejection> {
    ProcessId::parse(id).map_err(|_| refuse(ErrorCode::UnknownProcess, format!("There is no process {id}.")))
}

pub(super) async fn process(app: &Arc<App>, id: &str) -> Result<Process, WarpRejection> {
    let pid = parse_process(id)?;
    blocking(app, move |s| s.process(&pid))
        .await?
        .ok_or_else(|| refuse(ErrorCode::UnknownProcess, format!("There is no process {id}.")))
}

async fn organisation(app: &Arc<App>, id: String) -> Result<Organisation, WarpRejection> {
    let key = id.clone();
    blocking(app, move |s| s.organisation(&key))
        .await?
        .ok_or_else(|| refuse(ErrorCode::UnknownOrganisation, format!("There is no organisation {id}.")))
}

fn view(app: &App, process: Process) -> ProcessView {
    let now = clock::now();
    let meetings: Vec<MeetingInfo> =
        app.registry.list().iter().filter(|m| m.process == process.id).map(|m| (**m).clone()).collect();
    let sittings = meetings
        .iter()
        .filter_map(|m| app.registry.get(&m.id))
        .map(|handle| {
            let (first_at, last_at) = handle.activity();
            Sitting::at(handle.info.id.clone(), first_at, last_at, now)
        })
        .collect();
    ProcessView { applications_open: now <= process.applications_deadline, process, meetings, sittings }
}

async fn create_process((app, caller): (Arc<App>, Caller), body: NewProcess) -> Result<Response, WarpRejection> {
    caller.may(Action::CreateProcess)?;
    let title = text::line("process's title", &body.title, 200).map_err(invalid_text)?;
    let deadline = end_of_day(&body.applications_deadline).ok_or_else(|| {
        refuse(ErrorCode::InvalidCommand, "applications_deadline must be a date such as \"2027-03-01\".")
    })?;
    let process = Process { id: body.id, title, applications_deadline: deadline };
    let stored = process.clone();
    match tokio::task::spawn_blocking({
        let store = app.accreditation.clone();
        move || store.create_process(&stored)
    })
    .await
    {
        Ok(Ok(())) => Ok(created(&view(&app, process))),
        Ok(Err(StoreError::Exists(_))) => Err(reject(ApiError::new(
            ErrorCode::ProcessExists,
            format!("A process with id {} already exists.", process.id),
        ))),
        _ => Err(refuse(ErrorCode::StorageFailed, "The process could not be saved.")),
    }
}

/// A refusal of the pure core, as the API's error.
fn refused(rejection: shared::Rejection) -> WarpRejection {
    reject(ApiError::from_rejection(rejection))
}

async fn apply(id: String, app: Arc<App>, application: Application) -> Result<Response, WarpRejection> {
    let process = process(&app, &id).await?;
    let pid = process.id.clone();
    let others = blocking(&app, move |s| s.organisations(&pid)).await?;
    let now = clock::now();
    let organisation =
        Organisation::apply(&process, &others, crate::auth::random_id(), application, now).map_err(refused)?;
    let stored = organisation.clone();
    let result = tokio::task::spawn_blocking({
        let store = app.accreditation.clone();
        move || store.add_organisation(&stored)
    })
    .await;
    match result {
        Ok(Ok(())) => {}
        // Another application of the same name was stored since `others` was read.
        Ok(Err(StoreError::Exists(name))) => return Err(refused(lifecycle::duplicate(&name))),
        _ => return Err(refuse(ErrorCode::StorageFailed, "The application could not be saved; try again.")),
    }
    tracing::info!(process = %process.id, organisation = %organisation.id, "application received");
    let token = organisation_token(&app, &organisation, now);
    let link = format!("{}/organisation#token={token}", app.public_url);
    Ok(created(&Applied { organisation, token, link }))
}

/// The token of an organisation's own page.
pub(crate) fn organisation_token(app: &App, organisation: &Organisation, now: Millis) -> String {
    let grant = Grant {
        participant: Participant {
            id: ParticipantId::parse(format!("org:{}", organisation.id)).expect("hex ids are valid"),
            name: organisation.application.contact_name.clone(),
            role: Role::Stakeholder,
            delegation: None,
            organisation: Some(organisation.application.name.clone()),
            profile: Default::default(),
        },
        scope: Scope { meeting: None, process: Some(organisation.process.clone()) },
        ttl_secs: PERSONAL_LINK_SECS * 3,
    };
    app.keys.mint_for(&grant, now, ORGANISATION_AUDIENCE, Some(&organisation.id))
}

/// `GET /api/processes/{process}/organisations`: the public list, a page at a time.
async fn public_list(id: String, app: Arc<App>, query: HashMap<String, String>) -> Result<Response, WarpRejection> {
    let page = page_of(&query)?;
    let process = process(&app, &id).await?;
    let pid = process.id.clone();
    let organisations = blocking(&app, move |s| s.organisations_page(&pid, &page)).await?;
    let public: Vec<PublicOrganisation> = organisations.items.iter().map(Organisation::public).collect();
    Ok(ok(&Page { items: public, next: organisations.next }))
}

/// `GET /api/processes/{process}/applications`: the secretariat's review queue, a page at a time.
async fn applications(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let process = process(&app, &id).await?;
    caller.may(Action::ReviewApplications(&process.id))?;
    let page = page_of(&query)?;
    let pid = process.id.clone();
    Ok(ok(&blocking(&app, move |s| s.organisations_page(&pid, &page)).await?))
}

/// Stores a decided change to an organisation and returns the record as changed. A change of
/// status is stored only if the status is still the one decided on: a decision raced by another
/// is refused as `already_decided`, never written over it.
async fn record(app: &Arc<App>, mut found: Organisation, change: Change) -> Result<Organisation, WarpRejection> {
    let id = found.id.clone();
    let stored = change.clone();
    let objections = app.config.quotas.limit(Quota::Objections);
    let written = blocking(app, move |s| match &stored {
        Change::Status { from, to, reason, at } => s.set_status(&id, &[*from], *to, reason.as_deref(), *at),
        Change::Objected(objection) => s.add_objection(&id, objection, objections).map(|()| true),
    })
    .await?;
    if !written {
        return Err(refuse(ErrorCode::AlreadyDecided, "This application was decided meanwhile."));
    }
    found.apply_change(&change);
    Ok(found)
}

async fn decide(id: String, (app, caller): (Arc<App>, Caller), body: Decision) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let found = organisation(&app, id.clone()).await?;
    caller.may(Action::DecideAccreditation(&found.process))?;
    let change = found.decide(body.decision, body.reason.as_deref(), clock::now()).map_err(refused)?;
    let decided = record(&app, found, change).await?;
    tracing::info!(organisation = %id, decision = ?body.decision, "application decided");
    Ok(ok(&decided))
}

/// `POST /api/processes/{process}/applications/reject`: the secretariat refuses many pending
/// applications (spam) with one reason, in one transaction, as the policy lets it decide one. Ids
/// that are not pending applications to the process are skipped and named in the answer.
async fn reject_in_bulk(
    id: String,
    (app, caller): (Arc<App>, Caller),
    body: BulkRejection,
) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let process = process(&app, &id).await?;
    caller.may(Action::DecideAccreditation(&process.id))?;
    let (ids, reason) = body.checked().map_err(refused)?;
    let (pid, keys, at) = (process.id.clone(), ids.clone(), clock::now());
    let skipped = blocking(&app, move |s| s.refuse_pending(&pid, &keys, &reason, at)).await?;
    let rejected = ids.len() - skipped.len();
    tracing::info!(process = %process.id, rejected, skipped = skipped.len(), "applications rejected in bulk");
    Ok(ok(&BulkRejected { rejected, skipped }))
}

async fn revoke_organisation(
    id: String,
    (app, caller): (Arc<App>, Caller),
    body: Revocation,
) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let found = organisation(&app, id.clone()).await?;
    caller.may(Action::DecideAccreditation(&found.process))?;
    let change = found.revoke(body.reason.as_deref(), clock::now()).map_err(refused)?;
    let revoked = record(&app, found.clone(), change).await?;
    let key = id.clone();
    let people: Vec<ParticipantId> =
        blocking(&app, move |s| s.representatives(&key)).await?.into_iter().map(|r| r.id).collect();
    let mut everyone = people.clone();
    everyone.push(ParticipantId::parse(format!("org:{id}")).expect("valid"));
    let whose = Some((found.id.as_str(), found.application.name.as_str()));
    app.revoke_all(&found.process, everyone, whose, "accreditation revoked").await;
    tracing::info!(organisation = %id, representatives = people.len(), "accreditation revoked");
    Ok(ok(&revoked))
}

async fn object(id: String, (app, caller): (Arc<App>, Caller), body: NewObjection) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let found = organisation(&app, id.clone()).await?;
    let Permit::Delegation { delegation } = caller.may(Action::Object(&found.process))? else {
        return Err(refuse(ErrorCode::NotAllowed, "Only a member state's delegate can object to an application."));
    };
    let change = found.object(&delegation, Some(&body.reason), clock::now()).map_err(refused)?;
    Ok(created(&record(&app, found, change).await?))
}

/// The organisation an organisation's own token names, once the policy lets the caller do
/// `action` to it.
async fn own_organisation(
    app: &Arc<App>,
    caller: &Caller,
    action: for<'a> fn(&'a str) -> Action<'a>,
) -> Result<(Organisation, Principal), WarpRejection> {
    let principal = caller.principal()?;
    let id = principal.accredited.clone().unwrap_or_default();
    caller.may(action(&id))?;
    Ok((organisation(app, id).await?, principal.clone()))
}

fn representative_link(
    app: &App,
    by: &Principal,
    organisation: &Organisation,
    representative: &Representative,
) -> (String, String) {
    let now = clock::now();
    let wanted = shared::Scope::Process { process: organisation.process.clone() };
    let (scope, expires_at) = policy::capped_grant(by, wanted, now, PERSONAL_LINK_SECS * 1000);
    let grant = Grant {
        participant: Participant {
            id: representative.id.clone(),
            name: representative.name.clone(),
            role: Role::Stakeholder,
            delegation: None,
            organisation: Some(organisation.application.name.clone()),
            profile: Default::default(),
        },
        scope: Scope::of(&scope),
        ttl_secs: expires_at.since(now) / 1000,
    };
    let token = app.keys.mint_for(&grant, now, AUDIENCE, Some(&organisation.id));
    let presence: &str = representative.presence.into();
    let link = format!("{}/speak?process={}&presence={presence}#token={token}", app.public_url, organisation.process);
    (token, link)
}

async fn organisation_page((app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let (found, by) = own_organisation(&app, &caller, |id| Action::OrganisationPage(id)).await?;
    let key = found.id.clone();
    let representatives = blocking(&app, move |s| s.representatives(&key)).await?;
    let representatives = representatives
        .into_iter()
        .map(|r| {
            let (token, link) = match (found.status, r.revoked_at) {
                (Status::Approved, None) => {
                    let (token, link) = representative_link(&app, &by, &found, &r);
                    (Some(token), Some(link))
                }
                _ => (None, None),
            };
            WithLink { person: r, token, link }
        })
        .collect();
    let process = process(&app, found.process.as_str()).await?;
    Ok(ok(&OrganisationPage { process: view(&app, process), organisation: found, representatives }))
}

async fn add_representative(
    (app, caller): (Arc<App>, Caller),
    body: NewRepresentative,
) -> Result<Response, WarpRejection> {
    let (found, by) = own_organisation(&app, &caller, |id| Action::ManageRepresentatives(id)).await?;
    let representative = Nomination::new(&body.name, &body.email).map_err(refused)?.representative(
        &found.id,
        new_person_id(),
        body.presence,
        clock::now(),
    );
    let stored = representative.clone();
    let limit = app.config.quotas.limit(Quota::Representatives);
    blocking(&app, move |s| s.add_representative(&stored, limit)).await?;
    let (token, link) = representative_link(&app, &by, &found, &representative);
    tracing::info!(organisation = %found.id, representative = %representative.id, "representative registered");
    Ok(created(&WithLink { person: representative, token: Some(token), link: Some(link) }))
}

async fn revoke_representative(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let (found, _) = own_organisation(&app, &caller, |id| Action::OrganisationPage(id)).await?;
    let party = Party::Organisation { organisation: found.id.clone() };
    let unknown = || refuse(ErrorCode::UnknownOrganisation, nominee::not_yours(&party));
    let rid = ParticipantId::parse(id).map_err(|_| unknown())?;
    let key = rid.clone();
    let representative = blocking(&app, move |s| s.representative(&key)).await?.ok_or_else(unknown)?;
    let withdrawn = representative.withdrawn(&party, clock::now()).map_err(refused)?;
    let (key, at) = (rid.clone(), withdrawn.revoked_at.unwrap_or_else(clock::now));
    blocking(&app, move |s| s.revoke_representative(&key, at)).await?;
    app.revoke(&found.process, vec![rid], "access revoked by the organisation").await;
    Ok(ok(&withdrawn))
}

/// A fresh participant id for a representative or an expert.
fn new_person_id() -> ParticipantId {
    ParticipantId::parse(crate::auth::random_id()).expect("hex ids are valid")
}

/// The delegation and process named by a delegate's token.
async fn own_delegation(app: &Arc<App>, caller: &Caller) -> Result<(String, Process, Principal), WarpRejection> {
    let principal = caller.principal()?;
    let Permit::Delegation { delegation } = caller.may(Action::ManageDelegation)? else {
        return Err(refuse(ErrorCode::NotAllowed, "Only a member state's delegate can manage its experts."));
    };
    let process_id = principal.scope.process().cloned().unwrap_or_else(|| ProcessId::parse("none").expect("valid"));
    Ok((delegation, process(app, process_id.as_str()).await?, principal.clone()))
}

/// An expert's link: what the delegate's own token opens, for as long as it lasts, and at most a
/// year. A delegate's one-meeting link never makes a whole-process one.
fn expert_link(app: &App, by: &Principal, expert: &Expert) -> (String, String) {
    let now = clock::now();
    let wanted = shared::Scope::Process { process: expert.process.clone() };
    let (scope, expires_at) = policy::capped_grant(by, wanted, now, PERSONAL_LINK_SECS * 1000);
    let grant = Grant {
        participant: Participant {
            id: expert.id.clone(),
            name: expert.name.clone(),
            role: Role::Expert,
            delegation: Some(expert.delegation.clone()),
            organisation: Some(expert.organisation.clone()),
            profile: Default::default(),
        },
        scope: Scope::of(&scope),
        ttl_secs: expires_at.since(now) / 1000,
    };
    let token = app.keys.mint(&grant, now);
    let link = match &scope {
        shared::Scope::Meeting { meeting, .. } => format!("{}/speak?meeting={meeting}#token={token}", app.public_url),
        _ => format!("{}/speak?process={}#token={token}", app.public_url, expert.process),
    };
    (token, link)
}

async fn delegation_page((app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let (delegation, process, by) = own_delegation(&app, &caller).await?;
    let (pid, key) = (process.id.clone(), delegation.clone());
    let experts = blocking(&app, move |s| s.experts(&pid, &key)).await?;
    let experts = experts
        .into_iter()
        .map(|e| {
            let (token, link) = match e.revoked_at {
                None => {
                    let (token, link) = expert_link(&app, &by, &e);
                    (Some(token), Some(link))
                }
                Some(_) => (None, None),
            };
            WithLink { person: e, token, link }
        })
        .collect();
    Ok(ok(&DelegationPage { delegation, process: view(&app, process), experts }))
}

async fn invite_expert((app, caller): (Arc<App>, Caller), body: NewExpert) -> Result<Response, WarpRejection> {
    let (delegation, process, by) = own_delegation(&app, &caller).await?;
    let expert = Nomination::new(&body.name, &body.email)
        .and_then(|n| n.expert(&process.id, &delegation, &body.organisation, new_person_id(), clock::now()))
        .map_err(refused)?;
    let stored = expert.clone();
    let limit = app.config.quotas.limit(Quota::Experts);
    blocking(&app, move |s| s.add_expert(&stored, limit)).await?;
    let (token, link) = expert_link(&app, &by, &expert);
    tracing::info!(delegation = %expert.delegation, expert = %expert.id, "expert invited");
    Ok(created(&WithLink { person: expert, token: Some(token), link: Some(link) }))
}

async fn revoke_expert(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let (delegation, process, _) = own_delegation(&app, &caller).await?;
    let party = Party::Delegation { process: process.id.clone(), delegation };
    let unknown = || refuse(ErrorCode::UnknownOrganisation, nominee::not_yours(&party));
    let eid = ParticipantId::parse(id).map_err(|_| unknown())?;
    let key = eid.clone();
    let expert = blocking(&app, move |s| s.expert(&key)).await?.ok_or_else(unknown)?;
    let withdrawn = expert.withdrawn(&party, clock::now()).map_err(refused)?;
    let (key, at) = (eid.clone(), withdrawn.revoked_at.unwrap_or_else(clock::now));
    blocking(&app, move |s| s.revoke_expert(&key, at)).await?;
    app.revoke(&process.id, vec![eid], "invitation withdrawn by the delegation").await;
    Ok(ok(&withdrawn))
}

fn document_title(title: &str) -> Result<String, WarpRejection> {
    text::line("document's title", title, 200).map_err(invalid_text)
}

/// Who adds a document to a meeting, and under which name: the secretariat (official documents)
/// or an accredited organisation (materials for delegations, within its quotas), as the policy
/// says.
async fn provider(
    app: &Arc<App>,
    caller: &Caller,
    meeting: &MeetingInfo,
) -> Result<(DocumentKind, String, Option<OrganisationQuota>), WarpRejection> {
    caller.principal()?;
    match caller.may(Action::AddDocument(meeting))? {
        Permit::Organisation { organisation: id } => {
            let found = organisation(app, id).await?;
            let quota = organisation_quota(app, &found, Quota::Materials);
            Ok((DocumentKind::Material, found.application.name, Some(quota)))
        }
        _ => Ok((DocumentKind::Official, "Secretariat".into(), None)),
    }
}

async fn add_document(
    app: Arc<App>,
    caller: Caller,
    meeting: String,
    title: String,
    link: Option<String>,
    file: Option<(String, Bytes)>,
) -> Result<Response, WarpRejection> {
    let handle = super::meeting(&app, &meeting)?;
    let (kind, provided_by, quota) = provider(&app, &caller, &handle.info).await?;
    let title = document_title(&title)?;
    if let Some(url) = &link {
        text::line("link", url, 2000).map_err(invalid_text)?;
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.len() > 2000
            || url.contains(char::is_whitespace)
        {
            return Err(refuse(
                ErrorCode::InvalidCommand,
                "The link must be an address starting with https:// or http://.",
            ));
        }
    }
    if let Some((content_type, bytes)) = &file {
        if !UPLOAD_TYPES.contains(&content_type.as_str()) {
            return Err(reject(ApiError::new(
                ErrorCode::UnsupportedMediaType,
                "Upload a PDF, a plain text, Word or OpenDocument file.",
            )));
        }
        if bytes.is_empty() {
            return Err(refuse(ErrorCode::InvalidCommand, "The uploaded file is empty."));
        }
        if content_type == "application/pdf" && !bytes.starts_with(b"%PDF-") {
            return Err(reject(ApiError::new(ErrorCode::UnsupportedMediaType, "The file is not a PDF.")));
        }
    }
    let document = Document {
        id: crate::auth::random_id(),
        meeting: handle.info.id.clone(),
        title,
        kind,
        provided_by,
        url: link,
        content_type: file.as_ref().map(|(t, _)| t.clone()),
        size: file.as_ref().map(|(_, b)| b.len() as u64),
        added_at: clock::now(),
    };
    let stored = document.clone();
    blocking(&app, move |s| s.add_document(&stored, file.as_ref().map(|(_, b)| b.as_ref()), quota.as_ref())).await?;
    Ok(created(&document))
}

async fn list_documents(
    meeting: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let handle = super::meeting(&app, &meeting)?;
    caller.may(Action::ReadDocuments(&handle.info))?;
    let page = page_of(&query)?;
    let id = handle.info.id.clone();
    Ok(ok(&blocking(&app, move |s| s.documents(&id, &page)).await?))
}

async fn download(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    caller.principal()?;
    let key = id.clone();
    let (document, bytes) = blocking(&app, move |s| s.document_file(&key))
        .await?
        .ok_or_else(|| reject(ApiError::new(ErrorCode::NotFound, "No such uploaded document.")))?;
    let handle = super::meeting(&app, document.meeting.as_str())?;
    caller.may(Action::ReadDocuments(&handle.info))?;
    let content_type = document.content_type.unwrap_or_else(|| "application/octet-stream".into());
    Ok(warp::reply::with_header(bytes, "content-type", content_type).into_response())
}

/// The accreditation routes.
pub fn routes(app: Arc<App>, forms: Arc<Forms>) -> BoxedFilter<(Response,)> {
    let with_app = {
        let app = app.clone();
        warp::any().map(move || app.clone())
    };
    // Tokens of either audience; what each may do is the policy's to say.
    let participant = caller(app.clone());
    let organisation_auth = participant.clone();
    let any_auth = participant.clone();

    let list_processes =
        warp::path!("api" / "processes").and(warp::get()).and(with_app.clone()).and_then(|app: Arc<App>| async move {
            let processes = blocking(&app, |s| s.processes()).await?;
            Ok::<_, WarpRejection>(ok(&processes.into_iter().map(|p| view(&app, p)).collect::<Vec<_>>()))
        });
    let get_process = warp::path!("api" / "processes" / String).and(warp::get()).and(with_app.clone()).and_then(
        |id: String, app: Arc<App>| async move {
            let found = process(&app, &id).await?;
            Ok::<_, WarpRejection>(ok(&view(&app, found)))
        },
    );
    let create_process = warp::path!("api" / "processes")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(create_process);
    // The public form: the form read and checked first (a mistake costs the applicant neither
    // the proof they solved nor a place in the limits), then a proof of work and the form limits
    // before anything is looked up or stored.
    let apply = warp::path!("api" / "processes" / String / "applications")
        .and(warp::post())
        .and(json_body())
        .and_then(|id: String, application: Application| async move {
            application.validate().map_err(refused)?;
            Ok::<_, WarpRejection>((id, application))
        })
        .untuple_one()
        .and(forms::guard(forms, shared::proof::Form::Application))
        .and(with_app.clone())
        .and_then(|id: String, application: Application, app: Arc<App>| apply(id, app, application))
        .recover(forms::retry_after)
        .unify();
    let applications = warp::path!("api" / "processes" / String / "applications")
        .and(warp::get())
        .and(participant.clone())
        .and(list_query())
        .and_then(applications);
    let public_list = warp::path!("api" / "processes" / String / "organisations")
        .and(warp::get())
        .and(with_app.clone())
        .and(list_query())
        .and_then(public_list);
    let reject_in_bulk = warp::path!("api" / "processes" / String / "applications" / "reject")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(reject_in_bulk);
    let decide = warp::path!("api" / "organisations" / String / "decision")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(decide);
    let revoke = warp::path!("api" / "organisations" / String / "revoke")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(revoke_organisation);
    let object = warp::path!("api" / "organisations" / String / "objections")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(object);
    let own_page =
        warp::path!("api" / "organisation").and(warp::get()).and(organisation_auth.clone()).and_then(organisation_page);
    let add_rep = warp::path!("api" / "organisation" / "representatives")
        .and(warp::post())
        .and(organisation_auth.clone())
        .and(json_body())
        .and_then(add_representative);
    let revoke_rep = warp::path!("api" / "organisation" / "representatives" / String / "revoke")
        .and(warp::post())
        .and(organisation_auth.clone())
        .and_then(revoke_representative);
    let delegation =
        warp::path!("api" / "delegation").and(warp::get()).and(participant.clone()).and_then(delegation_page);
    let invite = warp::path!("api" / "delegation" / "experts")
        .and(warp::post())
        .and(participant.clone())
        .and(json_body())
        .and_then(invite_expert);
    let uninvite = warp::path!("api" / "delegation" / "experts" / String / "revoke")
        .and(warp::post())
        .and(participant.clone())
        .and_then(revoke_expert);
    let link_document = warp::path!("api" / "meetings" / String / "documents")
        .and(warp::post())
        .and(any_auth.clone())
        .and(json_body())
        .and_then(|meeting: String, (app, caller): (Arc<App>, Caller), body: LinkedDocument| {
            add_document(app, caller, meeting, body.title, Some(body.url.trim().to_string()), None)
        });
    let upload_document = warp::path!("api" / "meetings" / String / "documents" / "upload")
        .and(warp::post())
        .and(any_auth.clone())
        // The title and the media type are read leniently and checked in the handler, so that a
        // missing one gets its own clear error rather than warp's generic rejections.
        .and(warp::query::<HashMap<String, String>>().or(warp::any().map(HashMap::new)).unify())
        .and(warp::header::optional::<String>("content-type"))
        .and(warp::body::content_length_limit(MAX_UPLOAD))
        .and(warp::body::bytes())
        .and_then(
            |meeting: String,
             (app, caller): (Arc<App>, Caller),
             query: HashMap<String, String>,
             content_type: Option<String>,
             bytes: Bytes| async move {
                let title = query.get("title").cloned().ok_or_else(|| {
                    refuse(ErrorCode::InvalidCommand, "Give the document's title as ?title=… in the address.")
                })?;
                let content_type = content_type.ok_or_else(|| {
                    reject(ApiError::new(
                        ErrorCode::UnsupportedMediaType,
                        "Send the file's Content-Type (application/pdf, text/plain, Word or OpenDocument).",
                    ))
                })?;
                let content_type = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
                add_document(app, caller, meeting, title, None, Some((content_type, bytes))).await
            },
        );
    let documents = warp::path!("api" / "meetings" / String / "documents")
        .and(warp::get())
        .and(any_auth.clone())
        .and(list_query())
        .and_then(list_documents);
    let file = warp::path!("api" / "documents" / String).and(warp::get()).and(any_auth).and_then(download);

    // Boxed one by one and folded, so that the filter's type stays flat: a chain of twenty `or`s
    // makes rustc's type checking explode.
    let routes = vec![
        list_processes.boxed(),
        get_process.boxed(),
        create_process.boxed(),
        apply.boxed(),
        applications.boxed(),
        public_list.boxed(),
        reject_in_bulk.boxed(),
        decide.boxed(),
        revoke.boxed(),
        object.boxed(),
        own_page.boxed(),
        add_rep.boxed(),
        revoke_rep.boxed(),
        delegation.boxed(),
        invite.boxed(),
        uninvite.boxed(),
        link_document.boxed(),
        upload_document.boxed(),
        documents.boxed(),
        file.boxed(),
    ];
    routes.into_iter().reduce(|all, route| all.or(route).unify().boxed()).expect("routes")
}
