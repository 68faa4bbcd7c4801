//! `/organisation#token=…`: an organisation's own page: where its application stands and, once
//! accredited, its representatives and their personal links, its materials and its written
//! statements.

use leptos::prelude::*;
use shared::written::SubmitterKind;

use shared::accreditation::{NewRepresentative, OrganisationPage as Page, Status};
use shared::Presence;

use crate::accreditation;
use crate::components::document_form::DocumentForm;
use crate::components::field::Field;
use crate::components::objections::Objections;
use crate::components::personal_links::{Person, PersonalLinks};
use crate::components::statements_panel::StatementsPanel;
use crate::labels;
use crate::{action, http};

/// The organisation named by `token`.
#[component]
pub fn OrganisationPage(token: Option<String>) -> impl IntoView {
    let Some(token) = token else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">{crate::tr!(accreditation.no_token_organisation)}</p>
            </main>
        }
        .into_any();
    };
    let token = StoredValue::new(token);
    let page = LocalResource::new(move || {
        let token = token.get_value();
        async move { http::get::<Page>("/api/organisation", Some(&token)).await }
    });

    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let presence = RwSignal::new("remote".to_string());
    let registration = action::post(
        token,
        |body: &NewRepresentative| ("/api/organisation/representatives".to_string(), Some(body.clone())),
        move || {
            name.set(String::new());
            email.set(String::new());
            page.refetch();
        },
    );
    let register = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        registration.dispatch_local(NewRepresentative {
            name: name.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            presence: presence.get_untracked().parse().unwrap_or(Presence::Remote),
        });
    };
    // A revocation does not hold up the registration form: it is an action of its own.
    let revocation = action::post(
        token,
        |id: &String| (format!("/api/organisation/representatives/{}/revoke", http::encode(id)), None::<()>),
        move || page.refetch(),
    );
    let revoke = Callback::new(move |id: String| {
        revocation.dispatch_local(id);
    });

    let body = move |page: Result<Page, String>| match page {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok(page) => {
            let org = page.organisation;
            let approved = org.status == Status::Approved;
            let meetings: Vec<(String, String)> =
                page.process.meetings.iter().map(|m| (m.id.as_str().to_string(), m.title.clone())).collect();
            let statement_meetings = meetings.clone();
            let people: Vec<Person> = page
                .representatives
                .into_iter()
                .map(|r| Person {
                    id: r.person.id.as_str().to_string(),
                    name: r.person.name,
                    details: vec![
                        r.person.email,
                        crate::tr!(accreditation.presence_by_default, presence = labels::presence(r.person.presence))
                            .to_string(),
                    ],
                    link: r.link,
                    revoked: r.person.revoked_at.is_some(),
                })
                .collect();
            view! {
                <h1 dir="auto">{org.application.name.clone()}</h1>
                <p class="small">{crate::tr!(accreditation.accreditation_to, title = &page.process.process.title).to_string()}</p>
                <section class="card" aria-label=crate::tr!(accreditation.status)>
                    <p class="status" data-status=accreditation::status_class(org.status)>
                        {crate::tr!(accreditation.status_label)}
                        " "
                        <span class=format!("badge status {}", accreditation::status_class(org.status))>
                            {accreditation::status(org.status)}
                        </span>
                    </p>
                    {org.reason.clone().map(|r| view! { <p class="reason">{crate::tr!(accreditation.reason_label)} " " {r}</p> })}
                    <Objections objections=org.objections.clone() />
                    {(org.status == Status::Pending)
                        .then(|| view! { <p class="small">{crate::tr!(accreditation.pending_note)}</p> })}
                </section>
                {approved
                    .then(|| {
                        view! {
                            <section class="card" aria-label=crate::tr!(accreditation.representatives)>
                                <h2>{crate::tr!(accreditation.representatives)}</h2>
                                <p class="small">
                                    {crate::tr!(accreditation.representatives_note)}
                                </p>
                                <form class="inline-form" on:submit=register>
                                    <Field label=crate::tr!(accreditation.field_name) name="rep_name" required=true value=name />
                                    <Field label=crate::tr!(accreditation.field_email) name="rep_email" kind="email" required=true value=email />
                                    <label>
                                        {crate::tr!(accreditation.usually)}
                                        <select name="rep_presence" on:change=move |ev| presence.set(event_target_value(&ev))>
                                            <option value="remote" selected=move || presence.get() == "remote">{crate::tr!(accreditation.remote)}</option>
                                            <option value="in_room" selected=move || presence.get() == "in_room">{crate::tr!(accreditation.in_the_room)}</option>
                                        </select>
                                    </label>
                                    <button type="submit" class="primary" data-action="register" disabled=move || registration.pending().get()>
                                        {crate::tr!(accreditation.register_button)}
                                    </button>
                                </form>
                                <PersonalLinks people=people revoke=revoke empty=crate::tr!(accreditation.no_representative) />
                            </section>
                            <section class="card" aria-label=crate::tr!(accreditation.materials_for_delegations)>
                                <h2>{crate::tr!(accreditation.materials_for_delegations)}</h2>
                                <p class="small">
                                    {crate::tr!(accreditation.materials_note)}
                                </p>
                                {if meetings.is_empty() {
                                    view! { <p class="empty">{crate::tr!(accreditation.no_meeting)}</p> }.into_any()
                                } else {
                                    view! {
                                        <DocumentForm
                                            token=token.get_value()
                                            meetings=meetings
                                            label=crate::tr!(accreditation.materials_for_delegations)
                                        />
                                    }
                                        .into_any()
                                }}
                            </section>
                            <StatementsPanel
                                token=token.get_value()
                                process=page.process.process.id.as_str().to_string()
                                meetings=statement_meetings.clone()
                                kind=SubmitterKind::Organisation
                                name=org.application.name.clone()
                            />
                        }
                    })}
            }
            .into_any()
        }
    };

    view! {
        <main class="page organisation">
            <Transition fallback=|| view! { <p class="empty">{crate::tr!(accreditation.loading)}</p> }>
                {move || Suspend::new(async move { body(page.await) })}
            </Transition>
            {action::refusal(registration)}
            {action::refusal(revocation)}
        </main>
    }
    .into_any()
}
