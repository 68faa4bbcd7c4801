//! `/organisation#token=…`: an organisation's own page: where its application stands and, once
//! accredited, its representatives and their personal links, its materials and its written
//! statements.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::written::SubmitterKind;

use shared::accreditation::{NewRepresentative, OrganisationPage as Page, Status};
use shared::Presence;

use crate::accreditation;
use crate::components::document_form::DocumentForm;
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
                <p class="problem" role="alert">"This link has no access token (#token=…): open the link you received when applying."</p>
            </main>
        }
        .into_any();
    };
    let token = StoredValue::new(token);
    let page = RwSignal::new(None::<Result<Page, String>>);
    let error = RwSignal::new(None::<String>);
    let reload = Callback::new(move |()| {
        spawn_local(async move { page.set(Some(http::get("/api/organisation", Some(&token.get_value())).await)) });
    });
    reload.run(());

    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let presence = RwSignal::new("remote".to_string());
    let busy = RwSignal::new(false);
    let register = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewRepresentative {
            name: name.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
            presence: presence.get_untracked().parse().unwrap_or(Presence::Remote),
        };
        let path = "/api/organisation/representatives".to_string();
        action::post(path, token.get_value(), Some(body), busy, error, move || {
            name.set(String::new());
            email.set(String::new());
            reload.run(());
        });
    };
    let revoke = Callback::new(move |id: String| {
        let path = format!("/api/organisation/representatives/{}/revoke", http::encode(&id));
        // A revocation does not hold up the registration form: it has its own busy flag.
        let revoking = RwSignal::new(false);
        action::post(path, token.get_value(), None::<()>, revoking, error, move || reload.run(()));
    });

    let body = move || match page.get() {
        None => view! { <p class="empty">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(page)) => {
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
                    details: format!("{} · {} by default", r.person.email, labels::presence(r.person.presence)),
                    link: r.link,
                    revoked: r.person.revoked_at.is_some(),
                })
                .collect();
            view! {
                <h1>{org.application.name.clone()}</h1>
                <p class="small">{format!("Accreditation to {}", page.process.process.title)}</p>
                <section class="card" aria-label="Status">
                    <p class="status" data-status=accreditation::status_class(org.status)>
                        "Status: "
                        <span class=format!("badge status {}", accreditation::status_class(org.status))>
                            {accreditation::status(org.status)}
                        </span>
                    </p>
                    {org.reason.clone().map(|r| view! { <p class="reason">"Reason: " {r}</p> })}
                    <Objections objections=org.objections.clone() />
                    {(org.status == Status::Pending)
                        .then(|| view! { <p class="small">"The secretariat has not decided yet. Come back to this page later."</p> })}
                </section>
                {approved
                    .then(|| {
                        view! {
                            <section class="card" aria-label="Representatives">
                                <h2>"Representatives"</h2>
                                <p class="small">
                                    "Each representative gets a personal link, valid for every meeting of the process, in the room or remotely. Send it to them yourself."
                                </p>
                                <form class="inline-form" on:submit=register>
                                    <label>
                                        "Name"
                                        <input type="text" name="rep_name" required prop:value=move || name.get()
                                            on:input=move |ev| name.set(event_target_value(&ev)) />
                                    </label>
                                    <label>
                                        "Email"
                                        <input type="email" name="rep_email" required prop:value=move || email.get()
                                            on:input=move |ev| email.set(event_target_value(&ev)) />
                                    </label>
                                    <label>
                                        "Usually"
                                        <select name="rep_presence" on:change=move |ev| presence.set(event_target_value(&ev))>
                                            <option value="remote" selected=move || presence.get() == "remote">"Remote"</option>
                                            <option value="in_room" selected=move || presence.get() == "in_room">"In the room"</option>
                                        </select>
                                    </label>
                                    <button type="submit" class="primary" data-action="register" disabled=move || busy.get()>
                                        "Register"
                                    </button>
                                </form>
                                <PersonalLinks people=people revoke=revoke empty="No representative yet." />
                            </section>
                            <section class="card" aria-label="Materials for delegations">
                                <h2>"Materials for delegations"</h2>
                                <p class="small">
                                    "Attach a link or upload a file to a meeting of the process: every accredited participant of that meeting sees it, marked as your organisation's material."
                                </p>
                                {if meetings.is_empty() {
                                    view! { <p class="empty">"The process has no meeting yet."</p> }.into_any()
                                } else {
                                    view! {
                                        <DocumentForm
                                            token=token.get_value()
                                            meetings=meetings
                                            label="Materials for delegations"
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
            {body}
            {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
        </main>
    }
    .into_any()
}
