//! `/delegation#token=…`: a member state's delegation invites experts, who speak for it, objects
//! to pending applications, and submits and responds to written statements.

use leptos::prelude::*;
use leptos::task::spawn_local;

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
                <p class="problem" role="alert">"This link has no access token (#token=…): open your delegate's link."</p>
            </main>
        }
        .into_any();
    };
    let token = StoredValue::new(token);
    let page = RwSignal::new(None::<Result<Page, String>>);
    let error = RwSignal::new(None::<String>);
    let reload = Callback::new(move |()| {
        spawn_local(async move { page.set(Some(http::get("/api/delegation", Some(&token.get_value())).await)) });
    });
    reload.run(());

    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let invite = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = NewExpert {
            name: name.get_untracked().trim().to_string(),
            organisation: organisation.get_untracked().trim().to_string(),
            email: email.get_untracked().trim().to_string(),
        };
        action::post("/api/delegation/experts".into(), token.get_value(), Some(body), busy, error, move || {
            name.set(String::new());
            organisation.set(String::new());
            email.set(String::new());
            reload.run(());
        });
    };
    let revoke = Callback::new(move |id: String| {
        let path = format!("/api/delegation/experts/{}/revoke", http::encode(&id));
        // A revocation does not hold up the registration form: it has its own busy flag.
        let revoking = RwSignal::new(false);
        action::post(path, token.get_value(), None::<()>, revoking, error, move || reload.run(()));
    });

    let body = move || match page.get() {
        None => view! { <p class="empty">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(page)) => {
            let meetings: Vec<(String, String)> =
                page.process.meetings.iter().map(|m| (m.id.as_str().to_string(), m.title.clone())).collect();
            let people: Vec<Person> = page
                .experts
                .into_iter()
                .map(|e| Person {
                    id: e.person.id.as_str().to_string(),
                    name: e.person.name,
                    details: format!("{} · {}", e.person.organisation, e.person.email),
                    link: e.link,
                    revoked: e.person.revoked_at.is_some(),
                })
                .collect();
            view! {
                <h1>{format!("Delegation of {}", page.delegation)}</h1>
                <p class="small">{format!("Experts on the delegation for {}", page.process.process.title)}</p>
                <section class="card" aria-label="Experts">
                    <h2>"Experts"</h2>
                    <p class="small">
                        "An expert speaks for the delegation, may attend closed meetings, and the record keeps both affiliations."
                    </p>
                    <PersonalLinks people=people revoke=revoke empty="No expert invited yet." />
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
            {body}
            <form class="card inline-form" on:submit=invite>
                <label>
                    "Name"
                    <input type="text" name="expert_name" required prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Home organisation"
                    <input type="text" name="expert_organisation" required prop:value=move || organisation.get()
                        on:input=move |ev| organisation.set(event_target_value(&ev)) />
                </label>
                <label>
                    "Email"
                    <input type="email" name="expert_email" required prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="primary" data-action="invite" disabled=move || busy.get()>"Invite"</button>
            </form>
            {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
        </main>
    }
    .into_any()
}
