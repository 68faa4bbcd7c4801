//! A list of people with their personal access links, a copy button and a revoke button.

use leptos::prelude::*;

use crate::browser::{confirm, copy_to_clipboard};

/// One person as the list shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// The second line's parts, each isolated: email, home organisation, presence.
    pub details: Vec<String>,
    pub link: Option<String>,
    pub revoked: bool,
}

/// The people; `revoke` runs with a person's id.
#[component]
pub fn PersonalLinks(people: Vec<Person>, revoke: Callback<String>, empty: &'static str) -> impl IntoView {
    if people.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="people">
            {people
                .into_iter()
                .map(|p| {
                    let id = p.id.clone();
                    let name = p.name.clone();
                    view! {
                        <li data-person=p.id.clone() class:revoked=p.revoked>
                            <strong class="name" dir="auto">{p.name.clone()}</strong>
                            <span class="small">
                                {p.details.iter().map(|d| view! { " · " <bdi>{d.clone()}</bdi> }).collect_view()}
                            </span>
                            {p.revoked.then(|| view! { <span class="badge status revoked">{crate::tr!(accreditation.revoked_badge)}</span> })}
                            {p.link.clone().map(|link| {
                                let copy = link.clone();
                                let whose = crate::tr!(accreditation.personal_link_of, name = &p.name).to_string();
                                let copy_whose = crate::tr!(accreditation.copy_personal_link_of, name = &p.name).to_string();
                                view! {
                                    <p class="link-box">
                                        <input type="text" readonly class="personal-link" aria-label=whose prop:value=link.clone() />
                                        <button type="button" aria-label=copy_whose on:click=move |_| copy_to_clipboard(&copy)>{crate::tr!(accreditation.copy_button)}</button>
                                    </p>
                                }
                            })}
                            {(!p.revoked).then(|| {
                                view! {
                                    <button class="danger" data-action="revoke-person" on:click=move |_| {
                                        if confirm(&crate::tr!(accreditation.revoke_confirm, name = &name).to_string()) {
                                            revoke.run(id.clone())
                                        }
                                    }>
                                        {crate::tr!(accreditation.revoke_access_button)}
                                    </button>
                                }
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
