//! In the secretariat's review queue: reject the selected pending applications (spam, say) at
//! once, with one reason shown to each organisation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accreditation::{BulkRejected, BulkRejection};

use crate::http;

/// The form that rejects `selected` through `path` (`…/applications/reject`) with `token`; `done`
/// runs after the server answered, to reload the queue.
#[component]
pub fn BulkReject(path: String, token: String, selected: RwSignal<Vec<String>>, done: Callback<()>) -> impl IntoView {
    let (path, token) = (StoredValue::new(path), StoredValue::new(token));
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = BulkRejection { ids: selected.get_untracked(), reason: reason.get_untracked() };
        busy.set(true);
        error.set(None);
        outcome.set(None);
        spawn_local(async move {
            match http::post::<BulkRejected, _>(&path.get_value(), Some(&token.get_value()), Some(&body)).await {
                Ok(answer) => {
                    outcome.set(Some(match answer.skipped.len() {
                        0 => format!("{} rejected.", answer.rejected),
                        n => format!("{} rejected; {n} skipped (already decided or unknown).", answer.rejected),
                    }));
                    selected.set(Vec::new());
                    reason.set(String::new());
                    done.run(());
                }
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };
    let count = move || selected.with(Vec::len);
    view! {
        <form class="card inline-form bulk-reject" aria-label="Reject the selected applications" on:submit=submit>
            <label>
                "Reason for rejecting the selected applications (shown publicly)"
                <input
                    type="text"
                    name="bulk_reason"
                    required
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                />
            </label>
            <button
                type="submit"
                class="danger"
                data-action="reject-selected"
                disabled=move || busy.get() || count() == 0 || reason.with(|r| r.trim().is_empty())
            >
                {move || format!("Reject {} selected", count())}
            </button>
            {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
            {move || outcome.get().map(|m| view! { <p class="small" role="status" data-rejected="">{m}</p> })}
        </form>
    }
}
