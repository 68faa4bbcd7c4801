//! `/delegation#token=…`: a member state's delegation invites experts, who speak for it, objects
//! to pending applications, and submits and responds to written statements.

use leptos::prelude::*;

use crate::components::field::Field;
use crate::components::pending_applications::PendingApplications;
use crate::components::personal_links::{Person, PersonalLinks};
use crate::components::statements_panel::StatementsPanel;
use crate::{action, http};
use shared::accreditation::{DelegationPage as Page, NewExpert};
use shared::written::SubmitterKind;

/// The delegation named by a delegate's `token`.
#[component]
pub fn DelegationPage(token: Option<String>) -> impl IntoView {
    let Some(token) = token else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">{crate::tr!(accreditation.no_token_delegation)}</p>
            </main>
        }
        .into_any();
    };
    let token = StoredValue::new(token);
    let page = LocalResource::new(move || {
        let token = token.get_value();
        async move { http::get::<Page>("/api/delegation", Some(&token)).await }
    });

    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let invitation = action::post(
        token,
        |body: &NewExpert| ("/api/delegation/experts".to_string(), Some(body.clone())),
        move || {
            name.set(String::new());
            organisation.set(String::new());
            email.set(String::new());
            page.refetch();
        },
    );
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        invitation.dispatch_local(NewExpert {
            name: name.get_untracked().trim().to_string(),
            organisation: organisation.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
        });
    };
    // A revocation does not hold up the invitation form: it is an action of its own.
    let revocation = action::post(
        token,
        |id: &String| (format!("/api/delegation/experts/{}/revoke", http::encode(id)), None::<()>),
        move || page.refetch(),
    );
    let revoke = Callback::new(move |id: String| {
        revocation.dispatch_local(id);
    });

    let body = move |page: Result<Page, String>| match page {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok(page) => {
            let meetings: Vec<(String, String)> =
                page.process.meetings.iter().map(|m| (m.id.as_str().to_string(), m.title.clone())).collect();
            let people: Vec<Person> = page
                .experts
                .into_iter()
                .map(|e| Person {
                    id: e.person.id.as_str().to_string(),
                    name: e.person.name,
                    details: vec![e.person.organisation, e.person.email],
                    link: e.link,
                    revoked: e.person.revoked_at.is_some(),
                })
                .collect();
            view! {
                <h1>{crate::tr!(accreditation.delegation_of, delegation = &page.delegation).to_string()}</h1>
                <p class="small">{crate::tr!(accreditation.experts_for, title = &page.process.process.title).to_string()}</p>
                <section class="card" aria-label=crate::tr!(accreditation.experts)>
                    <h2>{crate::tr!(accreditation.experts)}</h2>
                    <p class="small">
                        {crate::tr!(accreditation.experts_note)}
                    </p>
                    <PersonalLinks people=people revoke=revoke empty=crate::tr!(accreditation.no_expert) />
                </section>
                <PendingApplications
                    process=page.process.process.id.as_str().to_string()
                    delegation=page.delegation.clone()
                    token=token.get_value()
                />
                <StatementsPanel
                    token=token.get_value()
                    process=page.process.process.id.as_str().to_string()
                    meetings=meetings
                    kind=SubmitterKind::Delegation
                    name=page.delegation.clone()
                />
            }
            .into_any()
        }
    };

    view! {
        <main class="page delegation">
            <Transition fallback=|| view! { <p class="empty">{crate::tr!(accreditation.loading)}</p> }>
                {move || Suspend::new(async move { body(page.await) })}
            </Transition>
            <form class="card inline-form" on:submit=invite>
                <Field label=crate::tr!(accreditation.field_name) name="expert_name" required=true value=name />
                <Field label=crate::tr!(accreditation.field_home_organisation) name="expert_organisation" required=true value=organisation />
                <Field label=crate::tr!(accreditation.field_email) name="expert_email" kind="email" required=true value=email />
                <button type="submit" class="primary" data-action="invite" disabled=move || invitation.pending().get()>
                    {crate::tr!(accreditation.invite_button)}
                </button>
            </form>
            {action::refusal(invitation)}
            {action::refusal(revocation)}
        </main>
    }
    .into_any()
}
