//! A member state's objection to a pending application, with its reason (required).

use leptos::prelude::*;
use shared::accreditation::NewObjection;

use crate::components::field::Field;
use crate::{action, http};

/// Objects to `organisation` with the delegate's `token`; `lodged` runs once the server took it.
#[component]
pub fn ObjectionForm(organisation: String, token: String, lodged: Callback<()>) -> impl IntoView {
    let path = format!("/api/organisations/{}/objections", http::encode(&organisation));
    let token = StoredValue::new(token);
    let reason = RwSignal::new(String::new());
    let objection = action::post(
        token,
        move |body: &NewObjection| (path.clone(), Some(body.clone())),
        move || {
            reason.set(String::new());
            lodged.run(());
        },
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The button is disabled without a reason; Enter in the field still submits.
        let reason = reason.get_untracked().trim().to_string();
        if !reason.is_empty() {
            objection.dispatch_local(NewObjection { reason });
        }
    };
    view! {
        <form class="objection-form" on:submit=submit>
            <Field label=crate::tr!(accreditation.objection_reason_label) name="objection_reason" rows=2 required=true value=reason />
            <button type="submit" class="danger" data-action="object"
                disabled=move || objection.pending().get() || reason.with(|r| r.trim().is_empty())>
                {crate::tr!(accreditation.object_button)}
            </button>
            {action::refusal(objection)}
        </form>
    }
}
