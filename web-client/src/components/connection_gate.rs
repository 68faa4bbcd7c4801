//! Shows the meeting once the screen has synced with the server, and keeps its last known state
//! through an outage — greyed, its controls disabled, under a banner that counts the seconds since
//! the connection was lost — rather than blanking the list and the timer. Before the first sync, or
//! when the server refuses the link, says so instead.

use leptos::prelude::*;

use crate::live::Live;
use crate::session::{Session, Status};
use crate::timing::elapsed_text;

/// The children while there is a state to show; the connection's state otherwise.
#[component]
pub fn ConnectionGate(children: ChildrenFn) -> impl IntoView {
    let live = expect_context::<Live>();
    let status = Memo::new(move |_| live.session.with(|s| s.status.clone()));
    // The children are built once and kept through an outage, so that a half-typed form or a
    // selection survives it; only whether they are held changes.
    let shown = Memo::new(move |_| live.session.with(|s| s.shown_meeting().is_some()));
    let held = Memo::new(move |_| live.session.with(Session::held));
    let children = StoredValue::new(children);
    move || {
        if shown.get() {
            let body = untrack(|| children.with_value(|c| c()));
            view! {
                {move || held.get().then(|| view! { <LostBanner /> })}
                // A disabled fieldset disables every control inside it: nothing is sent on a
                // state that may be out of date (the session refuses it too).
                <fieldset class="held" class:stale=move || held.get() disabled=move || held.get()>
                    {body}
                </fieldset>
            }
            .into_any()
        } else {
            match status.get() {
                Status::Refused { message } => view! {
                    <div class="gate refused" role="alert" data-status="refused">
                        <p class="big">{crate::tr!(live.cannot_open_meeting)}</p>
                        <p>{message}</p>
                    </div>
                }
                .into_any(),
                Status::Reconnecting { attempt } => view! {
                    <div class="gate reconnecting" role="status" data-status="reconnecting">
                        <p class="big">{crate::tr!(live.reconnecting)}</p>
                        <p>{crate::tr!(live.connection_dropped)}</p>
                        <p class="small">{crate::tr!(live.attempt, attempt = attempt)}</p>
                    </div>
                }
                .into_any(),
                Status::Connecting | Status::Live => view! {
                    <div class="gate connecting" role="status" data-status="connecting">
                        <p class="big">{crate::tr!(live.connecting)}</p>
                    </div>
                }
                .into_any(),
            }
        }
    }
}

/// "Connection lost 12 s ago — reconnecting", counting up each second.
#[component]
fn LostBanner() -> impl IntoView {
    let live = expect_context::<Live>();
    let since = move || {
        let lost = live.session.with(|s| s.lost_at)?;
        Some(elapsed_text(live.now.get().since(lost)))
    };
    view! {
        <div class="lost" data-status="reconnecting">
            <p class="lost-since" role="status" aria-live="polite">
                {move || crate::tr!(live.connection_lost_ago, elapsed = since().unwrap_or_else(|| elapsed_text(0)))}
            </p>
            <p class="small">{crate::tr!(live.held_explanation)}</p>
        </div>
    }
}
