//! Shows the meeting only while the screen is in sync with the server; otherwise says why not —
//! "Reconnecting…" rather than stale data.

use leptos::prelude::*;

use crate::live::Live;
use crate::session::Status;

/// The children while live; the connection's state otherwise.
#[component]
pub fn ConnectionGate(children: ChildrenFn) -> impl IntoView {
    let live = expect_context::<Live>();
    let status = Memo::new(move |_| live.session.with(|s| s.status.clone()));
    move || match status.get() {
        Status::Live => children().into_any(),
        Status::Connecting => view! {
            <div class="gate connecting" role="status" data-status="connecting">
                <p class="big">"Connecting…"</p>
            </div>
        }
        .into_any(),
        Status::Reconnecting { attempt } => view! {
            <div class="gate reconnecting" role="status" data-status="reconnecting">
                <p class="big">"Reconnecting…"</p>
                <p>"The connection to the server dropped. The meeting shows again as soon as it is back."</p>
                <p class="small">{format!("Attempt {attempt}")}</p>
            </div>
        }
        .into_any(),
        Status::Refused { message } => view! {
            <div class="gate refused" role="alert" data-status="refused">
                <p class="big">"This screen cannot open the meeting"</p>
                <p>{message}</p>
            </div>
        }
        .into_any(),
    }
}
