//! A meeting's outgoing webhooks: the secretariat adds an endpoint, lists them, reads an endpoint's
//! delivery log, pauses, resumes or deletes one. Documented in `docs/api.md` ("Webhooks"); the
//! delivery itself is `crate::webhooks`.
//!
//! The signing secret is in the answer that creates an endpoint and never again: listing is done
//! by every officer whose token reaches the meeting, on consoles and in scripts' logs, and a secret
//! read there could forge floor events to the call platform. A lost secret is replaced by deleting
//! the endpoint and adding it again.

use std::collections::HashMap;
use std::sync::Arc;

use shared::api::Page;
use shared::policy::Action;
use shared::text;
use shared::webhooks::{NewWebhook, Paused, Webhook};
use shared::ErrorCode;
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::accreditation::{created, list_query, ok, on_store, page_of, refuse};
use super::caller::{caller, Caller};
use super::{json_body, meeting};
use crate::meeting::MeetingHandle;
use crate::store::{StoreError, StoredWebhook, WebhookStore};
use crate::webhooks::signature;
use crate::{clock, App};

/// The longest address an endpoint may have.
const MAX_URL_CHARS: usize = 2000;
/// The longest description.
const MAX_DESCRIPTION_CHARS: usize = 200;
/// Endpoints one meeting may have: each is a task and a connection to a receiver.
const MAX_PER_MEETING: u64 = 10;

pub fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let who = caller(app);
    let create = warp::path!("api" / "meetings" / String / "webhooks")
        .and(warp::post())
        .and(who.clone())
        .and(json_body())
        .and_then(create);
    let list = warp::path!("api" / "meetings" / String / "webhooks")
        .and(warp::get())
        .and(who.clone())
        .and(list_query())
        .and_then(list);
    let deliveries = warp::path!("api" / "webhooks" / String / "deliveries")
        .and(warp::get())
        .and(who.clone())
        .and(list_query())
        .and_then(deliveries);
    let pause = warp::path!("api" / "webhooks" / String / "pause")
        .and(warp::post())
        .and(who.clone())
        .and_then(|id, caller| set_paused(id, caller, true));
    let resume = warp::path!("api" / "webhooks" / String / "resume")
        .and(warp::post())
        .and(who.clone())
        .and_then(|id, caller| set_paused(id, caller, false));
    let delete = warp::path!("api" / "webhooks" / String).and(warp::delete()).and(who).and_then(delete);
    create.or(list).unify().or(deliveries).unify().or(pause).unify().or(resume).unify().or(delete).unify().boxed()
}

async fn webhooks<T: Send + 'static>(
    app: &Arc<App>,
    call: impl FnOnce(&dyn WebhookStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, WarpRejection> {
    on_store(app.webhooks.store.clone(), "webhooks", call).await
}

fn invalid(message: impl Into<String>) -> WarpRejection {
    refuse(ErrorCode::InvalidCommand, message)
}

/// The endpoint as the API shows it: everything but its secret.
fn shown(stored: StoredWebhook) -> Webhook {
    Webhook {
        id: stored.id,
        meeting: stored.meeting,
        url: stored.url,
        description: stored.description,
        list: stored.list,
        created_at: stored.created_at,
        paused: stored.paused,
        cursor: stored.cursor,
        last_delivery: stored.last_delivery,
        secret: None,
    }
}

/// An endpoint's address, checked: `http://` or `https://` with a host, no user name or password
/// (the address is listed to every officer of the meeting; a receiver checks the signature
/// instead), at most [`MAX_URL_CHARS`].
fn address(url: &str) -> Result<reqwest::Url, WarpRejection> {
    let url = url.trim();
    if url.chars().count() > MAX_URL_CHARS {
        return Err(invalid(format!("url is at most {MAX_URL_CHARS} characters.")));
    }
    let parsed = reqwest::Url::parse(url)
        .map_err(|_| invalid("url is an http:// or https:// address, such as https://bridge.example.org/rostrum."))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("url is an http:// or https:// address, such as https://bridge.example.org/rostrum."));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "url carries a user name or password, which every officer of the meeting would read: the receiver checks the signature instead.",
        ));
    }
    Ok(parsed)
}

/// `POST /api/meetings/{id}/webhooks`: a new endpoint, sent the meeting's events from now on.
async fn create(id: String, (app, caller): (Arc<App>, Caller), body: NewWebhook) -> Result<Response, WarpRejection> {
    let handle = meeting(&app, &id)?;
    caller.may(Action::ManageWebhooks(&handle.info))?;
    let url = address(&body.url)?;
    let description = match body.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(text::line("description", d, MAX_DESCRIPTION_CHARS).map_err(|e| invalid(e.to_string()))?),
        None => None,
    };
    let meeting_id = handle.info.id.clone();
    let count = webhooks(&app, move |s| s.count_webhooks(&meeting_id)).await?;
    if count >= MAX_PER_MEETING {
        return Err(refuse(
            ErrorCode::QuotaExceeded,
            format!("A meeting has at most {MAX_PER_MEETING} webhooks; delete one first. Nothing was added."),
        ));
    }
    let secret = signature::new_secret();
    let stored = StoredWebhook {
        id: format!("wh_{}", crate::auth::random_id()),
        meeting: handle.info.id.clone(),
        url: url.to_string(),
        description,
        list: body.list,
        secret: secret.clone(),
        created_at: clock::now(),
        created_by: caller.principal()?.person.id.to_string(),
        paused: None,
        // From now on: a bridge acts on what happens next, not on the meeting's past.
        cursor: handle.head(),
        last_delivery: None,
    };
    let saved = stored.clone();
    webhooks(&app, move |s| s.create_webhook(&saved)).await?;
    app.webhooks.changed();
    tracing::info!(webhook = %stored.id, meeting = %stored.meeting, host = url.host_str().unwrap_or(""), list = stored.list, "webhook added");
    Ok(created(&Webhook { secret: Some(secret), ..shown(stored) }))
}

/// `GET /api/meetings/{id}/webhooks[?limit=N&after=CURSOR]`: the meeting's endpoints, in the order
/// they were added, each with its cursor and latest attempt.
async fn list(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    let handle = meeting(&app, &id)?;
    caller.may(Action::ManageWebhooks(&handle.info))?;
    let page = page_of(&query)?;
    let meeting_id = handle.info.id.clone();
    let found = webhooks(&app, move |s| s.webhooks(&meeting_id, &page)).await?;
    Ok(ok(&Page { items: found.items.into_iter().map(shown).collect(), next: found.next }))
}

/// The endpoint with this id and its meeting, once the caller may manage the meeting's webhooks.
async fn managed(app: &Arc<App>, caller: &Caller, id: &str) -> Result<(StoredWebhook, MeetingHandle), WarpRejection> {
    let key = id.to_string();
    let stored = webhooks(app, move |s| s.webhook(&key))
        .await?
        .ok_or_else(|| refuse(ErrorCode::NotFound, format!("There is no webhook {id}.")))?;
    let handle = meeting(app, stored.meeting.as_str())?;
    caller.may(Action::ManageWebhooks(&handle.info))?;
    Ok((stored, handle))
}

/// `GET /api/webhooks/{id}/deliveries[?limit=N&after=CURSOR]`: the endpoint's attempts, newest
/// first.
async fn deliveries(
    id: String,
    (app, caller): (Arc<App>, Caller),
    query: HashMap<String, String>,
) -> Result<Response, WarpRejection> {
    let (stored, _) = managed(&app, &caller, &id).await?;
    let page = page_of(&query)?;
    let found = webhooks(&app, move |s| s.deliveries(&stored.id, &page)).await?;
    Ok(ok(&found))
}

/// `POST /api/webhooks/{id}/pause` and `…/resume`: a paused endpoint is sent nothing; resumed, it
/// catches up from where it stopped, in order.
async fn set_paused(id: String, (app, caller): (Arc<App>, Caller), pause: bool) -> Result<Response, WarpRejection> {
    let (stored, _) = managed(&app, &caller, &id).await?;
    let paused = pause.then(|| Paused { at: clock::now(), reason: "Paused by the secretariat.".into() });
    // Pausing a paused endpoint keeps when and why it was paused.
    let paused = if pause && stored.paused.is_some() { stored.paused.clone() } else { paused };
    let (key, saved) = (stored.id.clone(), paused.clone());
    webhooks(&app, move |s| s.set_webhook_paused(&key, saved.as_ref())).await?;
    app.webhooks.changed();
    tracing::info!(webhook = %stored.id, paused = pause, "webhook {}", if pause { "paused" } else { "resumed" });
    Ok(ok(&shown(StoredWebhook { paused, ..stored })))
}

/// `DELETE /api/webhooks/{id}`: the endpoint and its delivery log go; nothing more is sent.
async fn delete(id: String, (app, caller): (Arc<App>, Caller)) -> Result<Response, WarpRejection> {
    let (stored, _) = managed(&app, &caller, &id).await?;
    let key = stored.id.clone();
    webhooks(&app, move |s| s.delete_webhook(&key)).await?;
    app.webhooks.changed();
    tracing::info!(webhook = %stored.id, meeting = %stored.meeting, "webhook deleted");
    Ok(warp::reply::with_status(warp::reply::reply(), StatusCode::NO_CONTENT).into_response())
}
