//! The HTTP side: `/healthz`, the secretariat's JSON API, and the web client's files. Every error
//! is JSON `{code, message}` with a fitting status, from one `recover`.

pub(crate) mod accreditation;
pub mod caller;
mod devices;
pub mod forms;
mod links;
pub mod report;
pub mod web;
mod webhooks;
mod written;

use std::convert::Infallible;
use std::sync::Arc;

use shared::accreditation::Constituency;
pub use shared::api::TokenRequest;
use shared::api::{CommandOutcome, Health, IssuedToken, NewMeeting, RevokedTokenAnswer, TokenRevocation};
use shared::policy::Action;
use shared::text;
use shared::{
    Command, Error, ErrorCode, MeetingId, MeetingInfo, Millis, Participant, ParticipantId, Profile, Role, SegmentSpec,
};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use self::caller::Caller;
use crate::auth::{Grant, Scope};
use crate::limits::SlowDown;
use crate::store::{RevokedToken, StoreError};
use crate::{clock, App};

/// Largest JSON body the API reads.
const MAX_BODY: u64 = 64 * 1024;

/// An API failure, answered with its code's HTTP status and the body `{code, message}`
/// ([`shared::Error`], the same code and sentence a `rejected` frame carries).
#[derive(Debug)]
pub struct ApiError(Error);

impl warp::reject::Reject for ApiError {}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError(Error::new(code, message))
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    fn from_rejection(rejection: impl Into<Error>) -> Self {
        ApiError(rejection.into())
    }

    fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

fn reject(error: ApiError) -> WarpRejection {
    warp::reject::custom(error)
}

fn json_body<T: serde::de::DeserializeOwned + Send>() -> impl Filter<Extract = (T,), Error = WarpRejection> + Clone {
    warp::body::content_length_limit(MAX_BODY).and(warp::body::json())
}

/// Every HTTP route.
pub fn routes(
    app: Arc<App>,
) -> impl Filter<Extract = (impl Reply,), Error = Infallible> + Clone + Send + Sync + 'static {
    let with_app = {
        let app = app.clone();
        warp::any().map(move || app.clone())
    };
    let healthz = warp::path!("healthz").and(warp::get()).and(with_app.clone()).map(|app: Arc<App>| {
        warp::reply::json(&Health { status: "ok".into(), meetings: app.registry.list().len() }).into_response()
    });
    let secretariat = caller::caller(app.clone());

    let list_meetings =
        warp::path!("api" / "meetings").and(warp::get()).and(secretariat.clone()).and_then(list_meetings);
    let create_meeting = warp::path!("api" / "meetings")
        .and(warp::post())
        .and(secretariat.clone())
        .and(json_body())
        .and_then(create_meeting);
    let get_meeting =
        warp::path!("api" / "meetings" / String).and(warp::get()).and(secretariat.clone()).and_then(get_meeting);
    let create_segment = warp::path!("api" / "meetings" / String / "segments")
        .and(warp::post())
        .and(secretariat.clone())
        .and(json_body())
        .and_then(|id, ctx, spec: SegmentSpec| run_command(id, ctx, Command::CreateSegment { spec }));
    let command = warp::path!("api" / "meetings" / String / "commands")
        .and(warp::post())
        .and(secretariat.clone())
        .and(json_body())
        .and_then(run_command);
    let token =
        warp::path!("api" / "tokens").and(warp::post()).and(secretariat.clone()).and(json_body()).and_then(mint_token);
    let revoke_token = warp::path!("api" / "tokens" / String / "revoke")
        .and(warp::post())
        .and(secretariat.clone())
        .and(json_body())
        .and_then(revoke_token);
    let metrics = warp::path!("metrics").and(warp::get()).and(secretariat).and_then(read_metrics);

    let api = healthz.or(list_meetings).unify().or(create_meeting).unify().or(get_meeting).unify();
    let api = api.or(create_segment).unify().or(command).unify().or(token).unify().or(revoke_token).unify();
    let api = api.or(metrics).unify();
    // One guard for the public forms per server: the challenges' secret, spent proofs, limiters.
    let forms = Arc::new(forms::Forms::new(app.config.forms, app.forms_secret));
    let api = api.or(accreditation::routes(app.clone(), forms.clone())).unify().or(report::routes(app.clone())).unify();
    let api = api.or(written::routes(app.clone(), forms.clone())).unify().or(forms::routes(forms)).unify();
    let api = api.or(links::routes(app.clone())).unify().or(webhooks::routes(app.clone())).unify();
    let api = api.or(devices::routes(app.clone())).unify();
    let web = web::routes(app.config.web_dir.clone());
    let headers = security_headers(&app.config.frame_ancestors, &app.public_url);
    // Boxed: the routes' type is deep already, and wrapping it once more unboxed made rustc's type
    // checking of this crate several times slower.
    let answers = api.or(web).unify().boxed();
    warp::header::headers_cloned()
        .and(answers.recover(recover).unify())
        .map(|asked: warp::http::HeaderMap, response: Response| crate::language::localise(&asked, response))
        .with(warp::reply::with::headers(headers))
        .with(warp::log::custom(log_request))
}

fn log_request(info: warp::log::Info<'_>) {
    // The path only: tokens travel in headers and URL fragments, never in what is logged here.
    tracing::info!(method = %info.method(), path = info.path(), status = info.status().as_u16(), elapsed_ms = info.elapsed().as_millis() as u64, "http");
}

/// `GET /api/meetings`: the meetings the caller's token reaches.
async fn list_meetings((app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    caller.may(Action::ListMeetings)?;
    let meetings = app.registry.list();
    let readable: Vec<&MeetingInfo> =
        meetings.iter().filter(|m| caller.may(Action::ReadMeeting(m)).is_ok()).map(|m| m.as_ref()).collect();
    Ok(warp::reply::json(&readable).into_response())
}

async fn create_meeting((app, caller): (Arc<App>, Caller), body: NewMeeting) -> Result<Response, WarpRejection> {
    caller.may(Action::CreateMeeting(&body.process))?;
    let title = text::line("meeting's title", &body.title, 200)
        .map_err(|e| reject(ApiError::new(ErrorCode::InvalidCommand, e.to_string())))?;
    let time_zone = body.time_zone.map(|z| z.trim().to_string()).filter(|z| !z.is_empty());
    let zone_ok = |z: &String| {
        z.len() <= 64 && z.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'))
    };
    if time_zone.as_ref().is_some_and(|z| !zone_ok(z)) {
        return Err(reject(ApiError::new(
            ErrorCode::InvalidCommand,
            "time_zone is an IANA time zone name such as \"America/New_York\" or \"Europe/Zurich\".",
        )));
    }
    let room = match body.room.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
        Some(room) => Some(
            text::line("room", room, shared::MAX_ROOM_CHARS)
                .map_err(|e| reject(ApiError::new(ErrorCode::InvalidCommand, e.to_string())))?,
        ),
        None => None,
    };
    // A start between 2000 and 2200: anything else is a mistyped date, not a meeting.
    if body.starts_at.is_some_and(|at| !(946_684_800_000..=7_258_118_400_000).contains(&at.0)) {
        return Err(reject(ApiError::new(
            ErrorCode::InvalidCommand,
            "starts_at is a time in milliseconds since 1970 (UTC), between the years 2000 and 2200.",
        )));
    }
    let info = MeetingInfo {
        id: body.id,
        title,
        process: body.process,
        access: body.access,
        time_zone,
        starts_at: body.starts_at,
        room,
    };
    match app.registry.create(info.clone()).await {
        Ok(_) => Ok(warp::reply::with_status(warp::reply::json(&info), StatusCode::CREATED).into_response()),
        Err(StoreError::MeetingExists(id)) => {
            Err(reject(ApiError::new(ErrorCode::MeetingExists, format!("A meeting with id {id} already exists."))))
        }
        Err(error) => {
            tracing::error!(%error, "could not create a meeting");
            Err(reject(ApiError::new(ErrorCode::StorageFailed, "The meeting could not be saved.")))
        }
    }
}

fn meeting(app: &App, id: &str) -> Result<crate::meeting::MeetingHandle, WarpRejection> {
    MeetingId::parse(id)
        .ok()
        .and_then(|id| app.registry.get(&id))
        .ok_or_else(|| reject(ApiError::new(ErrorCode::UnknownMeeting, format!("There is no meeting {id}."))))
}

async fn get_meeting(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let handle = meeting(&app, &id)?;
    caller.may(Action::ReadMeeting(&handle.info))?;
    let state = handle.snapshot().await.ok_or_else(|| reject(ApiError::from_rejection(unavailable())))?;
    Ok(warp::reply::json(&state).into_response())
}

fn unavailable() -> Error {
    Error::new(ErrorCode::Unavailable, "The meeting is not available right now.")
}

async fn run_command(
    id: String,
    (app, caller): (Arc<App>, Caller),
    command: Command,
) -> Result<Response, WarpRejection> {
    let handle = meeting(&app, &id)?;
    caller.may(Action::Command(&handle.info, &command))?;
    let actor = caller.principal()?.person.clone();
    let command = app.complete(&handle.info.process, command).await.map_err(|e| reject(ApiError(e)))?;
    let events = handle.run(actor, command).await.map_err(|r| reject(ApiError::from_rejection(r)))?;
    Ok(warp::reply::with_status(warp::reply::json(&CommandOutcome { events }), StatusCode::CREATED).into_response())
}

/// Checks a token request and turns it into a grant. Shared by the API and the CLI.
pub fn grant(request: TokenRequest) -> Result<Grant, String> {
    let name = text::line("name", &request.name, 120).map_err(|e| e.to_string())?;
    // An optional field left blank is absent; one filled in is checked like any name.
    let optional = |field: &str, value: Option<String>, max: usize| -> Result<Option<String>, String> {
        match value.filter(|v| !v.trim().is_empty()) {
            Some(v) => text::line(field, &v, max).map(Some).map_err(|e| e.to_string()),
            None => Ok(None),
        }
    };
    let delegation = optional("delegation", request.delegation, 200)?;
    let organisation = optional("organisation", request.organisation, 200)?;
    match request.role {
        Role::Delegate | Role::Expert if delegation.is_none() => {
            return Err("Delegates and experts need the delegation (member state) they speak for.".into())
        }
        Role::Expert if organisation.is_none() => {
            return Err("An expert on a delegation needs their home organisation too, for the record.".into())
        }
        Role::Stakeholder if organisation.is_none() => return Err("A stakeholder needs their organisation.".into()),
        _ => {}
    }
    let scope = Scope { meeting: request.meeting, process: request.process };
    if scope == Scope::default() && request.role != Role::Secretariat {
        return Err("Say which meeting or process the token opens.".into());
    }
    let ttl_hours = request.ttl_hours.unwrap_or(168);
    if !(1..=8760).contains(&ttl_hours) {
        return Err("ttl_hours must be between 1 and 8760.".into());
    }
    if request.constituency == Some(Constituency::MemberStates) {
        return Err("The member states' constituency follows from the role: give delegates a delegation.".into());
    }
    let country = optional("country", request.country, 100)?;
    let id = request.id.unwrap_or_else(|| ParticipantId::parse(crate::auth::random_id()).expect("hex is a valid id"));
    Ok(Grant {
        participant: Participant {
            id,
            name,
            role: request.role,
            delegation,
            organisation,
            profile: Profile { constituency: request.constituency, country, gender: None },
        },
        scope,
        ttl_secs: i64::from(ttl_hours) * 3600,
    })
}

/// The link that opens the right screen for a person, with the token in the fragment: browsers do
/// not send fragments to servers, so the token stays out of every access log.
pub fn link(public_url: &str, role: Role, meeting: &MeetingId, token: Option<&str>) -> String {
    let view = match role {
        Role::Chair | Role::ViceChair | Role::Secretariat => "chair",
        Role::Observer => "display",
        Role::Interpreter => "booth",
        _ => "speak",
    };
    match token {
        Some(token) => format!("{public_url}/{view}?meeting={meeting}#token={token}"),
        None => format!("{public_url}/{view}?meeting={meeting}"),
    }
}

async fn mint_token((app, caller): (Arc<App>, Caller), request: TokenRequest) -> Result<Response, WarpRejection> {
    let minter = caller.principal()?;
    let meeting = request.meeting.clone();
    let default_ttl = request.ttl_hours.is_none();
    let mut grant = grant(request).map_err(|m| reject(ApiError::new(ErrorCode::InvalidCommand, m)))?;
    if let Some(id) = &meeting {
        if app.registry.get(id).is_none() {
            return Err(reject(ApiError::new(ErrorCode::UnknownMeeting, format!("There is no meeting {id}."))));
        }
    }
    let now = clock::now();
    if default_ttl {
        // Without an explicit ttl_hours the new token lives as long as the default allows and the
        // minter's own token lasts; an explicit one that outlives the minter is refused below.
        grant.ttl_secs = grant.ttl_secs.min(minter.expires_at.since(now) / 1000).max(0);
    }
    let scope = grant
        .scope
        .resolve(grant.participant.role, |m| app.registry.get(m).map(|h| h.info.process.clone()))
        .map_err(|e| reject(ApiError::new(ErrorCode::InvalidCommand, e.to_string())))?;
    caller.may(Action::MintToken { scope: &scope, expires_at: Millis(now.0 + grant.ttl_secs * 1000) })?;
    let token = app.keys.mint(&grant, now);
    let link = meeting.map(|m| link(&app.public_url, grant.participant.role, &m, Some(&token)));
    let id = crate::auth::token_id(&token).expect("a minted token names its id");
    let issued =
        IssuedToken { id, token, participant: grant.participant, expires_at: now.0 / 1000 + grant.ttl_secs, link };
    Ok(warp::reply::with_status(warp::reply::json(&issued), StatusCode::CREATED).into_response())
}

async fn revoke_token(
    id: String,
    (app, caller): (Arc<App>, Caller),
    body: TokenRevocation,
) -> Result<Response, WarpRejection> {
    caller.principal()?;
    caller.may(Action::RevokeToken)?;
    let invalid = |m: &str| reject(ApiError::new(ErrorCode::InvalidCommand, m));
    let jti = crate::auth::parse_token_id(&id)
        .ok_or_else(|| invalid("A token id is 1 to 128 letters, digits, '-', '_', '.' or ':'."))?;
    let reason = body.reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(invalid("A reason is at most 2000 characters."));
    }
    let revocation = RevokedToken { jti, revoked_at: clock::now(), reason };
    let store = app.tokens.clone();
    let stored = tokio::task::spawn_blocking(move || store.revoke_token(&revocation))
        .await
        .map_err(|_| reject(ApiError::from_rejection(unavailable())))?
        .map_err(|error| {
            tracing::error!(%error, "could not revoke a token");
            reject(ApiError::new(ErrorCode::StorageFailed, "The revocation could not be saved."))
        })?;
    // At once here; the once-a-second poll of the table announces it again, to no one.
    app.revoke_tokens([stored.jti.clone()]);
    tracing::info!(token = %stored.jti, "token revoked by id");
    let answer = RevokedTokenAnswer { id: stored.jti, revoked_at: stored.revoked_at, reason: stored.reason };
    Ok(warp::reply::json(&answer).into_response())
}

/// `GET /metrics`: the Prometheus text, for the secretariat of the whole system (a scraper holds
/// such a token; docs/operations.md shows the scrape configuration).
async fn read_metrics((_, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    caller.may(Action::ReadMetrics)?;
    let text = crate::metrics::metrics().render();
    Ok(warp::reply::with_header(text, warp::http::header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE).into_response())
}

/// What every HTTP answer carries so that a browser keeps Rostrum's pages to themselves:
/// - a Content-Security-Policy under which the client runs (its script and WebAssembly from the
///   server, WebSockets and API calls to it, no inline script or style, no plug-ins) and which no
///   page may frame but those configured with `--frame-ancestor`;
/// - `nosniff`, so an uploaded document is never run as a script or a page;
/// - `Referrer-Policy: no-referrer`, so no address (with its `#token`) leaks to another site;
/// - HSTS when the public address is `https://` (a TLS proxy in front).
pub fn security_headers(frame_ancestors: &[String], public_url: &str) -> warp::http::HeaderMap {
    use warp::http::header::{self, HeaderValue};
    let ancestors = if frame_ancestors.is_empty() { "'none'".to_string() } else { frame_ancestors.join(" ") };
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; \
         connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    );
    let mut headers = warp::http::HeaderMap::new();
    // `rostrum serve` checks each ancestor with `frame_ancestor`, so the policy is a header value.
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if public_url.starts_with("https://") {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    headers
}

/// Checks an origin given to `--frame-ancestor`: `https://host` or `http://host`, with an optional
/// port and a `*.` wildcard for subdomains, as a CSP source; anything else would widen or break
/// the policy.
pub fn frame_ancestor(origin: &str) -> Result<(), String> {
    let host = origin.strip_prefix("https://").or_else(|| origin.strip_prefix("http://"));
    let host = host.map(|h| h.strip_prefix("*.").unwrap_or(h));
    match host {
        Some(host)
            if !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')) =>
        {
            Ok(())
        }
        _ => Err(format!("--frame-ancestor {origin:?} is not an origin such as https://webcast.example.org")),
    }
}

/// A request over its route's budget, for [`recover`] to answer with [`too_many`].
#[derive(Debug)]
pub struct TooMany(pub SlowDown);

impl warp::reject::Reject for TooMany {}

/// 429 `rate_limited`, with `Retry-After` in whole seconds and `headers` besides.
pub fn too_many(slow: SlowDown, headers: &warp::http::HeaderMap) -> Response {
    let whose = if slow.person { "by you" } else { "from this address" };
    let class: &str = slow.route.into();
    let secs = slow.retry_after_secs();
    crate::metrics::metrics().rejected(ErrorCode::RateLimited, crate::metrics::Via::Http);
    let error = Error::new(
        ErrorCode::RateLimited,
        format!("Too many requests of this kind ({class}) {whose}; try again in {secs} s."),
    );
    let mut response =
        warp::reply::with_status(warp::reply::json(&error), StatusCode::TOO_MANY_REQUESTS).into_response();
    response.headers_mut().insert(warp::http::header::RETRY_AFTER, secs.into());
    response.headers_mut().extend(headers.clone());
    response
}

async fn recover(rejection: WarpRejection) -> Result<Response, Infallible> {
    if let Some(TooMany(slow)) = rejection.find::<TooMany>() {
        return Ok(too_many(*slow, &warp::http::HeaderMap::new()));
    }
    let error = if let Some(error) = rejection.find::<ApiError>() {
        ApiError(error.0.clone())
    } else if rejection.is_not_found() {
        ApiError::new(ErrorCode::NotFound, "Nothing here.")
    } else if let Some(error) = rejection.find::<warp::filters::body::BodyDeserializeError>() {
        ApiError::new(ErrorCode::BadRequest, format!("The JSON body is not valid: {error}."))
    } else if rejection.find::<warp::reject::PayloadTooLarge>().is_some() {
        ApiError::new(
            ErrorCode::TooLarge,
            "The body is too large: JSON bodies are at most 64 KiB and uploaded documents at most 10 MiB.",
        )
    } else if rejection.find::<warp::reject::UnsupportedMediaType>().is_some() {
        ApiError::new(ErrorCode::UnsupportedMediaType, "Send JSON with Content-Type: application/json.")
    } else if rejection.find::<warp::reject::LengthRequired>().is_some() {
        ApiError::new(ErrorCode::LengthRequired, "Send a Content-Length header.")
    } else if rejection.find::<warp::reject::MethodNotAllowed>().is_some() {
        ApiError::new(ErrorCode::MethodNotAllowed, "That method is not allowed here.")
    } else if let Some(error) = rejection.find::<warp::reject::InvalidHeader>() {
        ApiError::new(ErrorCode::BadRequest, error.to_string())
    } else {
        tracing::warn!(?rejection, "unhandled rejection");
        ApiError::new(ErrorCode::Internal, "Something went wrong on the server.")
    };
    crate::metrics::metrics().rejected(error.0.code, crate::metrics::Via::Http);
    let mut response = warp::reply::with_status(warp::reply::json(&error.0), error.status()).into_response();
    // For `language::localise`, which words the message in the caller's language.
    response.extensions_mut().insert(error.0.code);
    Ok(response)
}
