//! A member state's objection to a pending application, with its reason (required).

use leptos::prelude::*;
use shared::accreditation::NewObjection;

use crate::{action, http};

/// Objects to `organisation` with the delegate's `token`; `lodged` runs once the server took it.
#[component]
pub fn ObjectionForm(organisation: String, token: String, lodged: Callback<()>) -> impl IntoView {
    let path = StoredValue::new(format!("/api/organisations/{}/objections", http::encode(&organisation)));
    let token = StoredValue::new(token);
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_string();
        if text.is_empty() {
            error.set(Some("Give the reason for the objection.".into()));
            return;
        }
        let body = NewObjection { reason: text };
        action::post(path.get_value(), token.get_value(), Some(body), busy, error, move || {
            reason.set(String::new());
            lodged.run(());
        });
    };
    view! {
        <form class="objection-form" on:submit=submit>
            <label>
                "Reason for objecting"
                <textarea name="objection_reason" rows="2" required prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </label>
            <button type="submit" class="danger" data-action="object"
                disabled=move || busy.get() || reason.with(|r| r.trim().is_empty())>
                "Object"
            </button>
            {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
        </form>
    }
}
