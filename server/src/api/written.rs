//! The written input portal's API: accredited organisations and member states' delegations submit
//! written statements to a process (as text or as a PDF), states respond to them, and everyone
//! reads both without logging in — except statements tied to a closed meeting, which go only to
//! those the meeting admits, as its record does. Documented in `docs/api.md`.

use std::collections::HashMap;
use std::sync::Arc;

use bytes::{Buf, Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use shared::accreditation::quota::Quota;
use shared::accreditation::{Process, Status};
use shared::policy::{Action, Permit};
use shared::written::{
    Answer, Answerer, Attachment, NewResponse, NewStatement, Statement, Submission, Submitter, SubmitterKind,
    MAX_FILE_BYTES,
};
use shared::{Access, ErrorCode, Language, MeetingId, MeetingInfo, ProcessId};
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::accreditation::{
    blocking as accreditation, created, list_query, ok, organisation_quota, page_of, process, refuse,
};
use super::caller::{caller, Caller};
use super::forms::{self, Forms};
use super::{reject, ApiError};
use crate::store::{OrganisationQuota, StoreError, WrittenStore};
use crate::{clock, App};

/// Largest statement sent as JSON. Above the API's usual 64 KiB because a statement may run to
/// 50 000 characters, and in Arabic, Chinese or Russian a character takes two to four bytes.
const MAX_JSON: u64 = 256 * 1024;
const PDF: &str = "application/pdf";
const WHO_SUBMITS: &str =
    "Only organisations accredited to this process and member states' delegations submit written statements.";
const WHO_RESPONDS: &str = "Only member states' delegations respond to statements.";

fn not_allowed(message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(ErrorCode::NotAllowed, message))
}

fn unsupported(message: &str) -> WarpRejection {
    reject(ApiError::new(ErrorCode::UnsupportedMediaType, message))
}

fn too_large(message: &str) -> WarpRejection {
    reject(ApiError::new(ErrorCode::TooLarge, message))
}

fn invalid(message: impl Into<String>) -> WarpRejection {
    refuse(ErrorCode::InvalidCommand, message)
}

fn unknown_statement(id: &str) -> WarpRejection {
    reject(ApiError::new(ErrorCode::UnknownStatement, format!("There is no statement {id}.")))
}

/// Runs a call to the written input store on a blocking thread.
async fn written<T: Send + 'static>(
    app: &Arc<App>,
    call: impl FnOnce(&dyn WrittenStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, WarpRejection> {
    super::accreditation::on_store(app.written.clone(), "written input", call).await
}

/// A meeting of `process`, or a clear 404.
fn meeting_of(app: &App, process: &ProcessId, id: &str) -> Result<Arc<MeetingInfo>, WarpRejection> {
    MeetingId::parse(id)
        .ok()
        .and_then(|m| app.registry.get(&m))
        .filter(|m| &m.info.process == process)
        .map(|m| m.info.clone())
        .ok_or_else(|| refuse(ErrorCode::UnknownMeeting, format!("There is no meeting {id} in the process {process}.")))
}

/// Who a caller submits as, when the policy lets them submit to `process` (and to `meeting`): an
/// organisation accredited to the process (its own token, or a representative in good standing),
/// or a member state's delegation.
async fn submitter(
    app: &Arc<App>,
    caller: &Caller,
    process: &Process,
    meeting: Option<&MeetingInfo>,
) -> Result<Submitter, WarpRejection> {
    let principal = caller.principal()?;
    let permit = match caller.may(Action::SubmitStatement(&process.id, meeting)) {
        Ok(permit) => permit,
        Err(refusal) => return Err(not_accredited_why(app, principal, refusal).await),
    };
    match permit {
        Permit::Organisation { organisation } => {
            let key = organisation.clone();
            let found = accreditation(app, move |s| s.organisation(&key)).await?.ok_or_else(|| {
                refuse(ErrorCode::NotAccredited, format!("Your organisation is not known here. {WHO_SUBMITS}"))
            })?;
            Ok(Submitter {
                kind: SubmitterKind::Organisation,
                name: found.application.name,
                organisation: Some(found.id),
            })
        }
        Permit::Delegation { delegation } => {
            Ok(Submitter { kind: SubmitterKind::Delegation, name: delegation, organisation: None })
        }
        _ => Err(not_allowed(WHO_SUBMITS)),
    }
}

/// A `not_accredited` refusal says where the organisation's application stands: pending or
/// refused. Any other refusal goes as the policy worded it.
async fn not_accredited_why(app: &Arc<App>, principal: &shared::Principal, refusal: WarpRejection) -> WarpRejection {
    let Some(id) = principal.accredited.clone() else { return refusal };
    let is_not_accredited = refusal.find::<ApiError>().is_some_and(|e| e.code() == ErrorCode::NotAccredited);
    if !is_not_accredited {
        return refusal;
    }
    let status = accreditation(app, move |s| s.organisation(&id)).await.ok().flatten().map(|o| o.status);
    let why = match status {
        Some(Status::Pending) => "Your organisation's application is still pending.",
        Some(Status::Refused) => "Your organisation's application was refused.",
        _ => "Your organisation is not accredited to this process.",
    };
    refuse(ErrorCode::NotAccredited, format!("{why} {WHO_SUBMITS}"))
}

/// Reads a body of at most `limit` bytes, whether or not it says its length: a longer one is
/// refused as soon as it passes the limit, without reading the rest into memory.
async fn read_body(
    body: impl Stream<Item = Result<impl Buf, warp::Error>>,
    limit: u64,
    message: &str,
) -> Result<Bytes, WarpRejection> {
    let mut body = std::pin::pin!(body);
    let mut bytes = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let mut chunk = chunk.map_err(|error| {
            tracing::debug!(%error, "upload interrupted");
            reject(ApiError::new(ErrorCode::BadRequest, "The upload was interrupted; try again."))
        })?;
        if (bytes.len() + chunk.remaining()) as u64 > limit {
            return Err(too_large(message));
        }
        while chunk.has_remaining() {
            let part = chunk.chunk();
            bytes.extend_from_slice(part);
            let read = part.len();
            chunk.advance(read);
        }
    }
    Ok(bytes.freeze())
}

/// The statement's details from the address of a PDF upload: `title`, `language`, and optionally
/// `meeting`, `agenda_item` and `co_signers` (comma-separated).
fn from_query(query: &HashMap<String, String>) -> Result<NewStatement, WarpRejection> {
    let title = query
        .get("title")
        .ok_or_else(|| invalid("Give the statement's title as ?title=… in the address of the upload."))?;
    let language = query
        .get("language")
        .ok_or_else(|| invalid("Give the statement's language as &language=… (e.g. en, fr, es) in the address."))?;
    let language = Language::parse(language.trim()).map_err(|r| reject(ApiError::from_rejection(r)))?;
    let meeting = match query.get("meeting").map(|m| m.trim()).filter(|m| !m.is_empty()) {
        Some(m) => Some(
            MeetingId::parse(m)
                .map_err(|_| refuse(ErrorCode::UnknownMeeting, format!("There is no meeting {m} in this process.")))?,
        ),
        None => None,
    };
    let co_signers = query
        .get("co_signers")
        .map(|c| c.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
        .unwrap_or_default();
    Ok(NewStatement {
        meeting,
        agenda_item: query.get("agenda_item").filter(|a| !a.trim().is_empty()).cloned(),
        title: title.clone(),
        language,
        co_signers,
        text: None,
    })
}

/// `POST /api/processes/{process}/statements`: a statement as JSON, or a PDF with its details in
/// the address. Everything is checked before anything is stored, and the statement and its file
/// are stored together.
async fn submit(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
    content_type: Option<String>,
    length: Option<u64>,
    body: impl Stream<Item = Result<impl Buf, warp::Error>>,
) -> Result<Response, WarpRejection> {
    let process = process(&app, &id).await?;
    let by_whom = submitter(&app, &caller, &process, None).await?;
    let media = content_type.as_deref().and_then(|t| t.split(';').next()).unwrap_or_default().trim().to_lowercase();
    let (limit, too_big) = match media.as_str() {
        "application/json" => {
            (MAX_JSON, "A statement sent as JSON is at most 256 KiB; upload a longer one as a PDF.")
        }
        PDF => (MAX_FILE_BYTES, "A statement's PDF is at most 10 MiB."),
        _ => {
            return Err(unsupported(
                "Send the statement as JSON (Content-Type: application/json) or upload it as a PDF (Content-Type: application/pdf); other files are not accepted.",
            ))
        }
    };
    if length.is_some_and(|length| length > limit) {
        return Err(too_large(too_big));
    }
    let bytes = read_body(body, limit, too_big).await?;
    let (new, file) = if media == PDF {
        if bytes.is_empty() {
            return Err(unsupported("The file is empty: upload the statement as a PDF."));
        }
        if !bytes.starts_with(b"%PDF-") {
            return Err(unsupported("The file is not a PDF."));
        }
        (from_query(&query)?, Some(bytes))
    } else {
        let new: NewStatement = serde_json::from_slice(&bytes).map_err(|error| {
            reject(ApiError::new(ErrorCode::BadRequest, format!("The JSON body is not valid: {error}.")))
        })?;
        (new, None)
    };
    if let Some(m) = &new.meeting {
        let info = meeting_of(&app, &process.id, m.as_str())?;
        // A closed meeting's written input comes from those the meeting admits.
        submitter(&app, &caller, &process, Some(&info)).await?;
    }
    // The co-signers are resolved against the process's organisations, read only when named.
    let organisations = if new.co_signers.is_empty() {
        Vec::new()
    } else {
        let pid = process.id.clone();
        accreditation(&app, move |s| s.organisations(&pid)).await?
    };
    let submission = Submission {
        process: &process.id,
        submitter: by_whom,
        new,
        file: file.as_ref().map(|b| Attachment { content_type: PDF.into(), size: b.len() as u64 }),
        organisations: &organisations,
    };
    let statement = Statement::submit(crate::auth::random_id(), submission, clock::now())
        .map_err(|r| reject(ApiError::from_rejection(r)))?;
    let by = caller.principal()?.person.id.clone();
    let stored = statement.clone();
    let quota = quota(&app, &statement).await?;
    written(&app, move |s| s.submit_statement(&stored, &by, file.as_deref(), quota.as_ref())).await?;
    tracing::info!(process = %statement.process, statement = %statement.id, file = statement.file.is_some(), "written statement submitted");
    Ok(created(&statement))
}

/// What an organisation's statement counts against; a delegation's counts against none.
async fn quota(app: &Arc<App>, statement: &Statement) -> Result<Option<OrganisationQuota>, WarpRejection> {
    let Some(id) = statement.submitter.organisation.clone() else { return Ok(None) };
    let found = accreditation(app, move |s| s.organisation(&id)).await?;
    Ok(found.map(|o| organisation_quota(app, &o, Quota::Statements)))
}

/// Whether `caller` may read `statement`: a statement tied to a closed meeting goes only to those
/// the meeting admits (`Action::ReadRecord`, as the meeting's record does); any other is public.
/// A statement whose meeting this server does not run is withheld from everyone.
fn may_read(app: &App, caller: &Caller, statement: &Statement) -> Result<(), WarpRejection> {
    let Some(meeting) = &statement.meeting else { return Ok(()) };
    let Some(handle) = app.registry.get(meeting) else {
        tracing::warn!(statement = %statement.id, %meeting, "statement of an unknown meeting withheld");
        return Err(unknown_statement(&statement.id));
    };
    if handle.info.access == Access::Open {
        return Ok(());
    }
    caller.may(Action::ReadRecord(&handle.info)).map(|_| ())
}

/// `GET /api/processes/{process}/statements[?meeting=…]`: public, less the statements of closed
/// meetings that do not admit the caller (as [`may_read`] decides), a page at a time. The meetings
/// the caller may read are chosen before the query, so that every page is full but the last.
async fn list(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    let page = page_of(&query)?;
    let process = process(&app, &id).await?;
    let meeting = match query.get("meeting").map(|m| m.trim()).filter(|m| !m.is_empty()) {
        Some(m) => Some(meeting_of(&app, &process.id, m)?.id.clone()),
        None => None,
    };
    let readable: Vec<MeetingId> = app
        .registry
        .list()
        .iter()
        .filter(|m| m.process == process.id)
        .filter(|m| m.access == Access::Open || caller.may(Action::ReadRecord(m)).is_ok())
        .map(|m| m.id.clone())
        .collect();
    let statements = written(&app, move |s| s.statements_page(&process.id, meeting.as_ref(), &readable, &page)).await?;
    Ok(ok(&statements))
}

async fn statement(app: &Arc<App>, id: &str) -> Result<Statement, WarpRejection> {
    let key = id.to_string();
    written(app, move |s| s.statement(&key)).await?.ok_or_else(|| unknown_statement(id))
}

/// `GET /api/statements/{id}`: public, unless the statement's closed meeting does not admit the
/// caller.
async fn get(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let found = statement(&app, &id).await?;
    may_read(&app, &caller, &found)?;
    Ok(ok(&found))
}

/// `GET /api/statements/{id}/file`: as the statement; the PDF, shown in the browser, never
/// sniffed as anything else.
async fn download(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    may_read(&app, &caller, &statement(&app, &id).await?)?;
    let key = id.clone();
    let Some((attachment, bytes)) = written(&app, move |s| s.statement_file(&key)).await? else {
        return Err(reject(ApiError::new(
            ErrorCode::NotFound,
            "This statement has no file: it was written in the form, and its text is in the statement.",
        )));
    };
    let reply = warp::reply::with_header(bytes, "content-type", attachment.content_type);
    let reply = warp::reply::with_header(reply, "content-disposition", format!("inline; filename=\"{id}.pdf\""));
    Ok(warp::reply::with_header(reply, "x-content-type-options", "nosniff").into_response())
}

/// `POST /api/statements/{id}/responses`: a member state's delegate responds for the state.
async fn respond(id: String, (app, caller): (Arc<App>, Caller), body: NewResponse) -> Result<Response, WarpRejection> {
    let principal = caller.principal()?;
    let found = statement(&app, &id).await?;
    let Permit::Delegation { delegation } = caller.may(Action::RespondToStatement(&found.process))? else {
        return Err(not_allowed(WHO_RESPONDS));
    };
    let response = found
        .respond(&delegation, &principal.person.name, &body, crate::auth::random_id(), clock::now())
        .map_err(|r| reject(ApiError::from_rejection(r)))?;
    let by = principal.person.id.clone();
    let stored = response.clone();
    written(&app, move |s| s.add_response(&found.id, &stored, &by)).await?;
    tracing::info!(statement = %id, response = %response.id, "response to a written statement");
    Ok(created(&response))
}

/// The co-signer the caller answers for, as the policy permits: an organisation (its own token, or
/// a representative in good standing) or a member state (one of its delegates).
async fn answerer(app: &Arc<App>, caller: &Caller, statement: &Statement) -> Result<Answerer, WarpRejection> {
    match caller.may(Action::AnswerCoSigning(&statement.process))? {
        Permit::Organisation { organisation } => {
            let found = accreditation(app, move |s| s.organisation(&organisation)).await?;
            Answerer::organisation(found.as_ref(), &statement.process).map_err(|r| reject(ApiError::from_rejection(r)))
        }
        Permit::Delegation { delegation } => Ok(Answerer::state(&delegation)),
        _ => Err(not_allowed("Only an organisation or a member state named as a co-signer confirms or declines.")),
    }
}

/// `POST /api/statements/{id}/co-signers/confirm` and `…/decline`: a co-signer confirms (it is then
/// shown as co-signing) or declines (it is taken off the statement). Confirming twice changes
/// nothing. The reply is read back from the store, which makes each answer in its own transaction,
/// so that two co-signers answering at once both show.
async fn answer(id: String, answer: Answer, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let found = statement(&app, &id).await?;
    let by = answerer(&app, &caller, &found).await?;
    let co_signing = found.answer(&by, answer).map_err(|r| reject(ApiError::from_rejection(r)))?;
    let key = found.id.clone();
    written(&app, move |s| s.answer_co_signer(&key, &co_signing.name, co_signing.answer == Answer::Confirm)).await?;
    tracing::info!(statement = %id, ?answer, "co-signer answered");
    Ok(ok(&statement(&app, &id).await?))
}

/// The written input portal's routes.
pub fn routes(app: Arc<App>, forms: Arc<Forms>) -> BoxedFilter<(Response,)> {
    // An organisation's own token, any participant's, or none (reading): who may do what is
    // decided in the handlers, so that a token of the wrong kind hears why rather than a bare 401.
    let any_auth = caller(app);

    let list = warp::path!("api" / "processes" / String / "statements")
        .and(warp::get())
        .and(any_auth.clone())
        .and(list_query())
        .and_then(list);
    let get = warp::path!("api" / "statements" / String).and(warp::get()).and(any_auth.clone()).and_then(get);
    let file =
        warp::path!("api" / "statements" / String / "file").and(warp::get()).and(any_auth.clone()).and_then(download);
    // Open to organisations, whose tokens the public application form hands out: a proof of work
    // and the form limits before the token or the body is looked at.
    let submit = warp::path!("api" / "processes" / String / "statements")
        .and(warp::post())
        .and(forms::guard(forms, shared::proof::Form::Statement))
        .and(any_auth.clone())
        .and(list_query())
        .and(warp::header::optional::<String>("content-type"))
        .and(warp::header::optional::<u64>("content-length"))
        .and(warp::body::stream())
        .and_then(submit)
        .recover(forms::retry_after)
        .unify();
    let respond = warp::path!("api" / "statements" / String / "responses")
        .and(warp::post())
        .and(any_auth.clone())
        .and(super::json_body())
        .and_then(respond);

    let confirm = warp::path!("api" / "statements" / String / "co-signers" / "confirm")
        .and(warp::post())
        .and(any_auth.clone())
        .and_then(|id, auth| answer(id, Answer::Confirm, auth));
    let decline = warp::path!("api" / "statements" / String / "co-signers" / "decline")
        .and(warp::post())
        .and(any_auth.clone())
        .and_then(|id, auth| answer(id, Answer::Decline, auth));

    // Boxed one by one and folded, like the accreditation routes, to keep the filter's type flat.
    let routes = vec![
        list.boxed(),
        get.boxed(),
        file.boxed(),
        submit.boxed(),
        respond.boxed(),
        confirm.boxed(),
        decline.boxed(),
    ];
    routes.into_iter().reduce(|all, route| all.or(route).unify().boxed()).expect("routes")
}
