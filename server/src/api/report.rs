//! The record of who spoke and its parity figures, per meeting and per process, as JSON or CSV.
//! Public for open meetings; a closed meeting's record needs a token that opens it. Documented in
//! `docs/api.md`.

use std::collections::HashMap;
use std::sync::Arc;

use shared::policy::Action;
use shared::report::{Report, Scope};
use shared::{ErrorCode, Meeting, MeetingId, ProcessId};
use warp::filters::BoxedFilter;
use warp::http::header;
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
            let name = match &report.scope {
                Scope::Meeting(id) => id.to_string(),
                Scope::Process(id) => id.to_string(),
            };
            let mut response = format!("{CSV_BOM}{}", report.to_csv()).into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, header::HeaderValue::from_static("text/csv; charset=utf-8"));
            if let Ok(value) = header::HeaderValue::from_str(&format!("attachment; filename=\"{name}-record.csv\"")) {
                headers.insert(header::CONTENT_DISPOSITION, value);
            }
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

async fn state(handle: &crate::meeting::MeetingHandle) -> Result<Meeting, WarpRejection> {
    handle.snapshot().await.ok_or_else(|| {
        reject(ApiError::new(ErrorCode::Unavailable, "The meeting is not available right now; try again in a moment."))
    })
}

async fn meeting_report(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    let format = format_of(&query)?;
    let handle = super::meeting(&app, &id)?;
    caller.may(Action::ReadRecord(&handle.info))?;
    let meeting = state(&handle).await?;
    let report = build(Scope::Meeting(handle.info.id.clone()), handle.info.title.clone(), &[meeting], clock::now());
    Ok(reply(&report, format))
}

async fn process_report(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
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
    let mut meetings = Vec::new();
    for info in &infos {
        if caller.may(Action::ReadRecord(info)).is_err() {
            continue;
        }
        let Some(handle) = app.registry.get(&info.id) else { continue };
        meetings.push(state(&handle).await?);
    }
    let title = recorded.map_or_else(|| process.to_string(), |p| p.title);
    let report = build(Scope::Process(process), title, &meetings, clock::now());
    Ok(reply(&report, format))
}

/// `GET /api/meetings/{id}/report` and `GET /api/processes/{id}/report`, `?format=json|csv`.
pub fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let query = warp::query::<HashMap<String, String>>().or(warp::any().map(HashMap::new)).unify();
    let meeting = warp::path!("api" / "meetings" / String / "report")
        .and(warp::get())
        .and(caller(app.clone()))
        .and(query)
        .and_then(meeting_report);
    let process = warp::path!("api" / "processes" / String / "report")
        .and(warp::get())
        .and(caller(app))
        .and(query)
        .and_then(process_report);
    meeting.boxed().or(process.boxed()).unify().boxed()
}

/// The meetings of a stored data directory, for `rostrum report` beside a running server.
pub fn meetings_in(store: &crate::store::sqlite::ReadOnlyStore) -> anyhow::Result<Vec<Meeting>> {
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
    store: &crate::store::sqlite::ReadOnlyStore,
    id: &str,
    process: bool,
    now: shared::Millis,
) -> anyhow::Result<Report> {
    let meetings = meetings_in(store)?;
    if process {
        let pid = ProcessId::parse(id).map_err(|_| anyhow::anyhow!("{id:?} is not a process id"))?;
        let of: Vec<Meeting> = meetings.into_iter().filter(|m| m.info.process == pid).collect();
        let title = store.process_title(&pid)?;
        anyhow::ensure!(!of.is_empty() || title.is_some(), "there is no process {id} in this data directory");
        Ok(build(Scope::Process(pid.clone()), title.unwrap_or_else(|| pid.to_string()), &of, now))
    } else {
        let mid = MeetingId::parse(id).map_err(|_| anyhow::anyhow!("{id:?} is not a meeting id"))?;
        let meeting = meetings
            .into_iter()
            .find(|m| m.info.id == mid)
            .ok_or_else(|| anyhow::anyhow!("there is no meeting {id} in this data directory"))?;
        Ok(build(Scope::Meeting(mid), meeting.info.title.clone(), std::slice::from_ref(&meeting), now))
    }
}
