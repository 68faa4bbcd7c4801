//! The way in from the room: a conference system's request-to-speak buttons. The secretariat
//! issues the system a device token (`POST /api/processes/{id}/links` with `device`); the system
//! relays each press for the delegation seated there, and the request joins the one list as that
//! delegation's own, in the room. Documented in `docs/api.md` ("Conference systems").
//!
//! Both presses are idempotent, because a conference system retries what it is not sure arrived: a
//! request for a delegation already waiting changes nothing and says so, and so does a withdrawal
//! when nothing waits.

use std::sync::Arc;

use shared::api::{SeatAnswer, SeatButton, SeatOutcome};
use shared::delegations;
use shared::policy::Action;
use shared::{Command, ErrorCode, Event, Language, Meeting, Participant, Presence, RequestKind, Segment, SegmentId};
use warp::filters::BoxedFilter;
use warp::http::StatusCode;
use warp::reply::Response;
use warp::{Filter, Rejection as WarpRejection, Reply};

use super::caller::{caller, Caller};
use super::{json_body, meeting, reject, unavailable, ApiError};
use crate::meeting::MeetingHandle;
use crate::App;

/// The longest seat label kept.
const MAX_SEAT_CHARS: usize = 40;

pub fn routes(app: Arc<App>) -> BoxedFilter<(Response,)> {
    let who = caller(app);
    let request = warp::path!("api" / "meetings" / String / "device" / "requests")
        .and(warp::post())
        .and(who.clone())
        .and(json_body())
        .and_then(request);
    let withdraw = warp::path!("api" / "meetings" / String / "device" / "withdrawals")
        .and(warp::post())
        .and(who)
        .and(json_body())
        .and_then(withdraw);
    request.or(withdraw).unify().boxed()
}

/// A press, checked: the meeting, the delegation's participant and the seat.
struct Press {
    handle: MeetingHandle,
    delegate: Participant,
    delegation: String,
    seat: Option<String>,
}

fn invalid(message: impl Into<String>) -> WarpRejection {
    reject(ApiError::new(ErrorCode::InvalidCommand, message))
}

/// Checks who presses where, before anything is changed.
async fn press(app: &Arc<App>, caller: &Caller, id: &str, button: &SeatButton) -> Result<Press, WarpRejection> {
    let handle = meeting(app, id)?;
    caller.may(Action::RelayButton(&handle.info))?;
    let found = delegations::delegation_named(&button.delegation).ok_or_else(|| {
        invalid(format!(
            "There is no delegation called {:?}: name a member state, an observer State or an organisation as the United Nations writes it (\"Kenya\", \"Türkiye\", \"European Union\").",
            button.delegation.chars().take(80).collect::<String>()
        ))
    })?;
    let seat = match button.seat.as_deref() {
        Some(seat) => Some(shared::text::line("seat", seat, MAX_SEAT_CHARS).map_err(|e| invalid(e.to_string()))?),
        None => None,
    };
    let delegate = super::links::delegation_participant(app, &handle.info, found).await?;
    Ok(Press { handle, delegate, delegation: found.name.to_string(), seat })
}

/// The list a press is for and the delegation's waiting request in it, as the meeting stands now.
async fn standing_in(press: &Press, segment: Option<SegmentId>) -> Result<(Meeting, SegmentId), WarpRejection> {
    let state = press.handle.snapshot().await.ok_or_else(|| reject(ApiError::from_rejection(unavailable())))?;
    let id = match segment.or(state.active_segment) {
        Some(id) if state.segment(id).is_some() => id,
        Some(id) => {
            return Err(reject(ApiError::new(ErrorCode::UnknownSegment, format!("There is no segment {}.", id.0))))
        }
        None => return Err(reject(ApiError::new(ErrorCode::NoActiveSegment, "No list is open yet."))),
    };
    Ok((state, id))
}

fn answer(press: &Press, segment: &Segment, outcome: SeatOutcome, entry: Option<shared::EntryId>) -> Response {
    let position = entry.filter(|_| outcome != SeatOutcome::Withdrawn).and_then(|e| segment.position(e));
    tracing::info!(
        meeting = %press.handle.info.id,
        delegation = %press.delegation,
        seat = press.seat.as_deref().unwrap_or("-"),
        ?outcome,
        "seat button"
    );
    let body = SeatAnswer {
        delegation: press.delegation.clone(),
        participant: press.delegate.id.clone(),
        seat: press.seat.clone(),
        segment: segment.id,
        entry,
        position,
        outcome,
    };
    let status = if outcome == SeatOutcome::Added { StatusCode::CREATED } else { StatusCode::OK };
    warp::reply::with_status(warp::reply::json(&body), status).into_response()
}

/// `POST /api/meetings/{id}/device/requests`: the delegation's request, in the room. Already
/// waiting: nothing changes but where they are (a delegate who asked from a phone and now presses
/// at the seat is in the room).
async fn request(id: String, (app, caller): (Arc<App>, Caller), button: SeatButton) -> Result<Response, WarpRejection> {
    let press = press(&app, &caller, &id, &button).await?;
    let command = Command::RequestFloor {
        segment: button.segment,
        kind: button.kind.unwrap_or(RequestKind::Statement),
        presence: Presence::InRoom,
        language: button.language.clone().unwrap_or_else(|| Language::parse("en").expect("a valid tag")),
        co_signers: Vec::new(),
        gender: None,
        note: None,
        group: None,
    };
    match press.handle.run(press.delegate.clone(), command).await {
        Ok(events) => {
            let (state, segment) = standing_in(&press, button.segment).await?;
            let added = events.iter().find_map(|record| match &record.event {
                Event::EntryAdded { entry, .. } => Some(entry.id),
                _ => None,
            });
            let segment = state.segment(segment).expect("checked");
            Ok(answer(&press, segment, SeatOutcome::Added, added))
        }
        Err(refused) if refused.code == ErrorCode::AlreadyInscribed => {
            let (state, segment) = standing_in(&press, button.segment).await?;
            let segment = state.segment(segment).expect("checked");
            let waiting = segment.entry_of(&press.delegate.id).map(|e| (e.id, e.presence));
            if waiting.is_some_and(|(_, presence)| presence != Presence::InRoom) {
                let moved = Command::SetPresence { presence: Presence::InRoom };
                press
                    .handle
                    .run(press.delegate.clone(), moved)
                    .await
                    .map_err(|r| reject(ApiError::from_rejection(r)))?;
            }
            Ok(answer(&press, segment, SeatOutcome::AlreadyWaiting, waiting.map(|(id, _)| id)))
        }
        Err(refused) => Err(reject(ApiError::from_rejection(refused))),
    }
}

/// `POST /api/meetings/{id}/device/withdrawals`: the delegation's waiting request, withdrawn.
async fn withdraw(
    id: String,
    (app, caller): (Arc<App>, Caller),
    button: SeatButton,
) -> Result<Response, WarpRejection> {
    if button.kind.is_some() || button.language.is_some() {
        return Err(invalid(
            "A withdrawal names the delegation (and the seat, the list); kind and language are for a request.",
        ));
    }
    let press = press(&app, &caller, &id, &button).await?;
    let command = Command::Withdraw { segment: button.segment };
    match press.handle.run(press.delegate.clone(), command).await {
        Ok(events) => {
            let (state, segment) = standing_in(&press, button.segment).await?;
            let withdrawn = events.iter().find_map(|record| match &record.event {
                Event::EntryWithdrawn { entry, .. } => Some(*entry),
                _ => None,
            });
            Ok(answer(&press, state.segment(segment).expect("checked"), SeatOutcome::Withdrawn, withdrawn))
        }
        Err(refused) if refused.code == ErrorCode::NotInscribed => {
            let (state, segment) = standing_in(&press, button.segment).await?;
            Ok(answer(&press, state.segment(segment).expect("checked"), SeatOutcome::NoneWaiting, None))
        }
        Err(refused) => Err(reject(ApiError::from_rejection(refused))),
    }
}
