//! One application in the secretariat's queue: the form as filled in, objections, and approve,
//! refuse (with a reason) or revoke (with a reason).

use leptos::prelude::*;
use serde::Serialize;
use shared::accreditation::{Decision, Organisation, Revocation, Status, Verdict};

use crate::accreditation;
use crate::components::objections::Objections;
use crate::{action, http};

/// What the card sends: a decision on the application, or the revocation of its accreditation.
#[derive(Serialize)]
#[serde(untagged)]
enum Body {
    Decision(Decision),
    Revocation(Revocation),
}

/// The application of `organisation`; `changed` runs after a decision to reload the queue.
#[component]
pub fn ApplicationCard(organisation: Organisation, token: String, changed: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let token = StoredValue::new(token);
    let id = organisation.id.clone();
    let act = move |what: &'static str, body: Body| {
        let path = format!("/api/organisations/{}/{what}", http::encode(&id));
        action::post(path, token.get_value(), Some(body), busy, error, move || changed.run(()));
    };
    let act = StoredValue::new(act);
    let no_reason = move || reason.with(|r| r.trim().is_empty());
    let a = &organisation.application;
    let status = organisation.status;
    let actions = match status {
        Status::Pending => view! {
            <div class="controls">
                <button
                    class="primary"
                    data-action="approve"
                    disabled=move || busy.get()
                    on:click=move |_| act.with_value(|f| {
                        f("decision", Body::Decision(Decision { decision: Verdict::Approve, reason: None }))
                    })
                >
                    "Approve"
                </button>
                <input
                    type="text"
                    name="reason"
                    placeholder="Reason for a refusal (shown publicly)"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                />
                <button
                    class="danger"
                    data-action="refuse"
                    disabled=move || busy.get() || no_reason()
                    on:click=move |_| {
                        let reason = Some(reason.get_untracked().trim().to_string());
                        let body = Body::Decision(Decision { decision: Verdict::Refuse, reason });
                        act.with_value(|f| f("decision", body))
                    }
                >
                    "Refuse"
                </button>
            </div>
        }
        .into_any(),
        Status::Approved => view! {
            <div class="controls">
                <input
                    type="text"
                    name="reason"
                    placeholder="Reason for revoking (shown publicly)"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                />
                <button
                    class="danger"
                    data-action="revoke"
                    disabled=move || busy.get() || no_reason()
                    on:click=move |_| {
                        let reason = Some(reason.get_untracked().trim().to_string());
                        let body = Body::Revocation(Revocation { reason });
                        act.with_value(|f| f("revoke", body))
                    }
                >
                    "Revoke accreditation"
                </button>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card application" data-organisation=organisation.id.clone() data-status=accreditation::status_class(status)>
            <h2>
                {a.name.clone()} " "
                <span class=format!("badge status {}", accreditation::status_class(status))>{accreditation::status(status)}</span>
            </h2>
            <p class="small">
                <a href=a.website.clone() rel="noreferrer" target="_blank">{a.website.clone()}</a>
                {format!(
                    " · {} · {} · {}",
                    a.country,
                    accreditation::constituency(a.constituency),
                    if a.ecosoc { "ECOSOC consultative status" } else { "no ECOSOC status" },
                )}
            </p>
            <p class="small">
                {format!("Contact: {} <{}> · applied {}", a.contact_name, a.contact_email, accreditation::utc_text(organisation.applied_at))}
            </p>
            {a.activities.clone().map(|text| view! { <p class="activities"><strong>"Activities and purpose: "</strong>{text}</p> })}
            {organisation.reason.clone().map(|r| view! { <p class="reason">"Reason: " {r}</p> })}
            <Objections objections=organisation.objections.clone() />
            {actions}
            {move || error.get().map(|m| view! { <p class="problem" role="alert">{m}</p> })}
        </section>
    }
}
