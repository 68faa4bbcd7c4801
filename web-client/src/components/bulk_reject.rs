//! In the secretariat's review queue: reject the selected pending applications (spam, say) at
//! once, with one reason shown to each organisation.

use leptos::prelude::*;
use shared::accreditation::{BulkRejected, BulkRejection};

use crate::components::field::Field;
use crate::{action, http};

/// The form that rejects `selected` through `path` (`…/applications/reject`) with `token`; `done`
/// runs after the server answered, to reload the queue.
#[component]
pub fn BulkReject(path: String, token: String, selected: RwSignal<Vec<String>>, done: Callback<()>) -> impl IntoView {
    let (path, token) = (StoredValue::new(path), StoredValue::new(token));
    let reason = RwSignal::new(String::new());
    let rejection: action::Submit<_> = Action::new_local(move |body: &BulkRejection| {
        let (body, path, token) = (body.clone(), path.get_value(), token.get_value());
        async move {
            let answer = http::post::<BulkRejected, _>(&path, Some(&token), Some(&body)).await?;
            selected.set(Vec::new());
            reason.set(String::new());
            done.run(());
            Ok::<_, String>(match answer.skipped.len() {
                0 => crate::trn!(desk.bulk_rejected, count = answer.rejected as i32),
                n => crate::trn!(desk.bulk_rejected_some_skipped, count = answer.rejected as i32, skipped = n),
            })
        }
    });
    let busy = move || rejection.pending().get();
    // Nothing to check before sending: the button waits for a selection and a reason.
    let mistake = RwSignal::new(None);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        rejection.dispatch_local(BulkRejection { ids: selected.get_untracked(), reason: reason.get_untracked() });
    };
    let count = move || selected.with(Vec::len);
    view! {
        <form class="card inline-form bulk-reject" aria-label=crate::tr!(desk.bulk_reject_label) on:submit=submit>
            <Field label=crate::tr!(desk.bulk_reason_label) name="bulk_reason" required=true value=reason />
            <button
                type="submit"
                class="danger"
                data-action="reject-selected"
                disabled=move || busy() || count() == 0 || reason.with(|r| r.trim().is_empty())
            >
                {move || crate::tr!(desk.reject_selected_button, n = count())}
            </button>
            {action::outcome(rejection, mistake, "rejected")}
        </form>
    }
}
