//! The record of who spoke and its parity figures, per meeting and per process, as JSON or CSV.
//! Public for open meetings; a closed meeting's record needs a token that opens it. Documented in
//! `docs/api.md`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use dashmap::DashMap;

use shared::policy::Action;
use shared::report::{Report, Scope};
use shared::{ErrorCode, Meeting, MeetingId, ProcessId};
use warp::filters::BoxedFilter;
use warp::http::header::{self, HeaderValue};
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::caller::{caller, Caller};
use super::{reject, ApiError};
use crate::{clock, App};

/// A byte-order mark, so that spreadsheets read the CSV as UTF-8 (names like "Côte d'Ivoire").
pub const CSV_BOM: &str = "\u{feff}";

/// JSON or CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "csv" => Ok(Format::Csv),
            other => Err(format!("unknown format {other:?}: json or csv")),
        }
    }
}

/// The report of `meetings` as they stand `now`, for a meeting or a process.
pub fn build(scope: Scope, title: String, meetings: &[Meeting], now: shared::Millis) -> Report {
    let meetings: Vec<&Meeting> = meetings.iter().collect();
    Report::of_meetings(scope, title, &meetings, now)
}

/// The HTTP answer: the report as JSON, or as a CSV download named after what it covers.
pub fn reply(report: &Report, format: Format) -> Response {
    match format {
        Format::Json => warp::reply::json(report).into_response(),
        Format::Csv => {
            let mut response = format!("{CSV_BOM}{}", report.to_csv()).into_response();
            csv_headers(response.headers_mut(), &file_name(report));
            response
        }
    }
}

fn format_of(query: &HashMap<String, String>) -> Result<Format, WarpRejection> {
    match query.get("format") {
        None => Ok(Format::Json),
        Some(text) => text.parse().map_err(|_| {
            reject(ApiError::new(
                ErrorCode::InvalidFormat,
                format!("Ask for ?format=json or ?format=csv, not {text:?}."),
            ))
        }),
    }
}

/// How long a report with someone on the floor stays fresh: its rows count the current
/// speaker's time up to when it was built.
const LIVE_FRESH: Duration = Duration::from_secs(5);
/// Reports kept at most; past that the cache starts again empty.
const CACHED_REPORTS: usize = 512;

/// Reports already built, each served again until the log of a meeting it covers changes: a
/// thousand requests for the same report between two events cost one build, not a thousand
/// copies of the meetings' state from their actors.
#[derive(Debug, Default)]
pub struct ReportCache {
    entries: DashMap<Key, Built>,
}

/// What a report was built from: its scope and format, and every meeting it covers (those the
/// caller may read) at the sequence number of its last durable event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    scope: String,
    csv: bool,
    meetings: Vec<(MeetingId, u64)>,
}

#[derive(Debug, Clone)]
struct Built {
    body: Bytes,
    etag: HeaderValue,
    at: Instant,
    /// Whether someone had the floor: then the report is rebuilt after [`LIVE_FRESH`].
    live: bool,
    name: String,
}

impl ReportCache {
    fn fresh(&self, key: &Key) -> Option<Built> {
        let built = self.entries.get(key)?;
        (!built.live || built.at.elapsed() < LIVE_FRESH).then(|| built.clone())
    }

    fn keep(&self, key: Key, built: Built) {
        if self.entries.len() >= CACHED_REPORTS {
            self.entries.clear();
        }
        self.entries.insert(key, built);
    }
}

/// Serves the report over `handles` from the cache, building it when a meeting's log moved on.
async fn cached(
    app: &App,
    scope: Scope,
    title: String,
    handles: Vec<crate::meeting::MeetingHandle>,
    format: Format,
    if_none_match: Option<String>,
) -> Result<Response, WarpRejection> {
    let key = Key {
        scope: match &scope {
            Scope::Meeting(id) => format!("meeting {id}"),
            Scope::Process(id) => format!("process {id}"),
        },
        csv: format == Format::Csv,
        meetings: handles.iter().map(|h| (h.info.id.clone(), h.head().0)).collect(),
    };
    let built = match app.reports.fresh(&key) {
        Some(built) => built,
        None => {
            let mut meetings = Vec::with_capacity(handles.len());
            for handle in &handles {
                meetings.push(state(handle).await?);
            }
            let live = meetings.iter().any(|m| m.floor.is_some());
            let report = build(scope, title, &meetings, clock::now());
            let body = Bytes::from(match format {
                Format::Json => serde_json::to_vec(&report).expect("reports always serialize"),
                Format::Csv => format!("{CSV_BOM}{}", report.to_csv()).into_bytes(),
            });
            let etag = etag_of(&body);
            let built = Built { body, etag, at: Instant::now(), live, name: file_name(&report) };
            app.reports.keep(key, built.clone());
            built
        }
    };
    if if_none_match.is_some_and(|tags| tags.split(',').any(|t| t.trim().as_bytes() == built.etag.as_bytes())) {
        let mut response = warp::reply::with_status(warp::reply(), StatusCode::NOT_MODIFIED).into_response();
        response.headers_mut().insert(header::ETAG, built.etag);
        return Ok(response);
    }
    let mut response = Response::new(built.body.into());
    let headers = response.headers_mut();
    headers.insert(header::ETAG, built.etag);
    // Stored, but asked about again every time: the answer is a 304 while nothing changed.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    match format {
        Format::Json => {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        Format::Csv => csv_headers(headers, &built.name),
    }
    Ok(response)
}

/// A strong validator from the body's bytes.
fn etag_of(body: &[u8]) -> HeaderValue {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    body.hash(&mut hasher);
    HeaderValue::from_str(&format!("\"{:016x}-{:x}\"", hasher.finish(), body.len())).expect("hex is a valid header")
}

fn file_name(report: &Report) -> String {
    match &report.scope {
        Scope::Meeting(id) => id.to_string(),
        Scope::Process(id) => id.to_string(),
    }
}

fn csv_headers(headers: &mut header::HeaderMap, name: &str) {
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}-record.csv\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
}

async fn state(handle: &crate::meeting::MeetingHandle) -> Result<Meeting, WarpRejection> {
    handle.snapshot().await.ok_or_else(|| {
        reject(ApiError::new(ErrorCode::Unavailable, "The meeting is not available right now; try again in a moment."))
    })
}

async fn meeting_report(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
    if_none_match: Option<String>,
) -> Result<Response, WarpRejection> {
    let format = format_of(&query)?;
    let handle = super::meeting(&app, &id)?;
    caller.may(Action::ReadRecord(&handle.info))?;
    let (scope, title) = (Scope::Meeting(handle.info.id.clone()), handle.info.title.clone());
    cached(&app, scope, title, vec![handle], format, if_none_match).await
}

async fn process_report(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
    if_none_match: Option<String>,
) -> Result<Response, WarpRejection> {
    let format = format_of(&query)?;
    let unknown = || reject(ApiError::new(ErrorCode::UnknownProcess, format!("There is no process {id}.")));
    let process = ProcessId::parse(id.clone()).map_err(|_| unknown())?;
    let infos: Vec<_> = app.registry.list().into_iter().filter(|m| m.process == process).collect();
    let key = process.clone();
    let store = app.accreditation.clone();
    let recorded = tokio::task::spawn_blocking(move || store.process(&key)).await.ok().and_then(Result::ok).flatten();
    if infos.is_empty() && recorded.is_none() {
        return Err(unknown());
    }
    // The meetings this caller may read; closed ones without a token are left out, not refused.
    let handles = infos
        .iter()
        .filter(|info| caller.may(Action::ReadRecord(info)).is_ok())
        .filter_map(|info| app.registry.get(&info.id))
        .collect();
    let title = recorded.map_or_else(|| process.to_string(), |p| p.title);
    cached(&app, Scope::Process(process), title, handles, format, if_none_match).await
}

/// `GET /api/meetings/{id}/report` and `GET /api/processes/{id}/report`, `?format=json|csv`.
pub fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let query = warp::query::<HashMap<String, String>>().or(warp::any().map(HashMap::new)).unify();
    let meeting = warp::path!("api" / "meetings" / String / "report")
        .and(warp::get())
        .and(caller(app.clone()))
        .and(query)
        .and(warp::header::optional::<String>("if-none-match"))
        .and_then(meeting_report);
    let process = warp::path!("api" / "processes" / String / "report")
        .and(warp::get())
        .and(caller(app))
        .and(query)
        .and(warp::header::optional::<String>("if-none-match"))
        .and_then(process_report);
    meeting.boxed().or(process.boxed()).unify().boxed()
}

/// The meetings of a store, for `rostrum report` beside a running server.
pub fn meetings_in(store: &dyn crate::store::Records) -> anyhow::Result<Vec<Meeting>> {
    store
        .meetings()?
        .into_iter()
        .map(|stored| {
            let events = store.events(&stored.info.id)?;
            Ok(crate::meeting::replay(&stored, &events)?)
        })
        .collect()
}

/// The report `rostrum report` prints: a meeting's, or (with `process`) every meeting's of a
/// process, closed ones included — whoever reads the data directory holds the whole record.
pub fn offline(
    store: &dyn crate::store::Records,
    id: &str,
    process: bool,
    now: shared::Millis,
) -> anyhow::Result<Report> {
    let meetings = meetings_in(store)?;
    if process {
        let pid = ProcessId::parse(id).map_err(|_| anyhow::anyhow!("{id:?} is not a process id"))?;
        let of: Vec<Meeting> = meetings.into_iter().filter(|m| m.info.process == pid).collect();
        let title = store.process_title(&pid)?;
        anyhow::ensure!(!of.is_empty() || title.is_some(), "there is no process {id} in this store");
        Ok(build(Scope::Process(pid.clone()), title.unwrap_or_else(|| pid.to_string()), &of, now))
    } else {
        let mid = MeetingId::parse(id).map_err(|_| anyhow::anyhow!("{id:?} is not a meeting id"))?;
        let meeting = meetings
            .into_iter()
            .find(|m| m.info.id == mid)
            .ok_or_else(|| anyhow::anyhow!("there is no meeting {id} in this store"))?;
        Ok(build(Scope::Meeting(mid), meeting.info.title.clone(), std::slice::from_ref(&meeting), now))
    }
}
