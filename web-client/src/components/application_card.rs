//! One application in the secretariat's queue: the form as filled in, objections, and approve,
//! refuse (with a reason) or revoke (with a reason).

use leptos::prelude::*;
use serde::Serialize;
use shared::accreditation::{Decision, Organisation, Revocation, Status, Verdict};

use crate::accreditation;
use crate::components::field::Field;
use crate::components::objections::Objections;
use crate::{action, http};

/// What the card sends: a decision on the application, or the revocation of its accreditation.
#[derive(Clone, Serialize)]
#[serde(untagged)]
enum Body {
    Decision(Decision),
    Revocation(Revocation),
}

/// The application of `organisation`; `changed` runs after a decision to reload the queue.
#[component]
pub fn ApplicationCard(organisation: Organisation, token: String, changed: Callback<()>) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let token = StoredValue::new(token);
    let id = organisation.id.clone();
    let decision = action::post(
        token,
        move |(what, body): &(&'static str, Body)| {
            (format!("/api/organisations/{}/{what}", http::encode(&id)), Some(body.clone()))
        },
        move || changed.run(()),
    );
    let busy = move || decision.pending().get();
    let act = move |what: &'static str, body: Body| {
        decision.dispatch_local((what, body));
    };
    let no_reason = move || reason.with(|r| r.trim().is_empty());
    let a = &organisation.application;
    let status = organisation.status;
    let actions = match status {
        Status::Pending => view! {
            <div class="controls">
                <button
                    class="primary"
                    data-action="approve"
                    disabled=busy
                    on:click=move |_| act("decision", Body::Decision(Decision { decision: Verdict::Approve, reason: None }))
                >
                    {crate::tr!(desk.approve_button)}
                </button>
                <Field label=crate::tr!(desk.refusal_reason_label) name="reason" class="reason-field" value=reason />
                <button
                    class="danger"
                    data-action="refuse"
                    disabled=move || busy() || no_reason()
                    on:click=move |_| {
                        let reason = Some(reason.get_untracked().trim().to_string());
                        let body = Body::Decision(Decision { decision: Verdict::Refuse, reason });
                        act("decision", body)
                    }
                >
                    {crate::tr!(desk.refuse_button)}
                </button>
            </div>
        }
        .into_any(),
        Status::Approved => view! {
            <div class="controls">
                <Field label=crate::tr!(desk.revocation_reason_label) name="reason" class="reason-field" value=reason />
                <button
                    class="danger"
                    data-action="revoke"
                    disabled=move || busy() || no_reason()
                    on:click=move |_| {
                        let reason = Some(reason.get_untracked().trim().to_string());
                        let body = Body::Revocation(Revocation { reason });
                        act("revoke", body)
                    }
                >
                    {crate::tr!(desk.revoke_accreditation_button)}
                </button>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <section class="card application" data-organisation=organisation.id.clone() data-status=accreditation::status_class(status)>
            <h2>
                <bdi>{a.name.clone()}</bdi> " "
                <span class=format!("badge status {}", accreditation::status_class(status))>{accreditation::status(status)}</span>
            </h2>
            <p class="small">
                <a href=a.website.clone() rel="noreferrer" target="_blank">{a.website.clone()}</a>
                {format!(
                    " · {} · {} · {}",
                    a.country,
                    accreditation::constituency(a.constituency),
                    if a.ecosoc { crate::tr!(desk.ecosoc_status) } else { crate::tr!(desk.no_ecosoc_status) },
                )}
            </p>
            <p class="small">
                {crate::tr!(
                    desk.contact_line,
                    name = a.contact_name.clone(),
                    email = format!("<{}>", a.contact_email),
                    applied = accreditation::utc_text(organisation.applied_at)
                )}
            </p>
            {a.activities.clone().map(|text| view! { <p class="activities"><strong>{crate::tr!(desk.activities_label)}</strong>{text}</p> })}
            {organisation.reason.clone().map(|r| view! { <p class="reason">{crate::tr!(desk.reason_label)} {r}</p> })}
            <Objections objections=organisation.objections.clone() />
            {actions}
            {action::refusal(decision)}
        </section>
    }
}
