//! A list of people with their personal access links, a copy button and a revoke button.

use leptos::prelude::*;

use crate::browser::{confirm, copy_to_clipboard};

/// One person as the list shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    /// Second line: email, home organisation, presence.
    pub details: String,
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
                            <strong class="name">{p.name.clone()}</strong>
                            <span class="small">{format!(" · {}", p.details)}</span>
                            {p.revoked.then(|| view! { <span class="badge status revoked">"Revoked"</span> })}
                            {p.link.clone().map(|link| {
                                let copy = link.clone();
                                let whose = format!("{}'s personal link", p.name);
                                view! {
                                    <p class="link-box">
                                        <input type="text" readonly class="personal-link" aria-label=whose.clone() prop:value=link.clone() />
                                        <button type="button" aria-label=format!("Copy {whose}") on:click=move |_| copy_to_clipboard(&copy)>"Copy"</button>
                                    </p>
                                }
                            })}
                            {(!p.revoked).then(|| {
                                view! {
                                    <button class="danger" data-action="revoke-person" on:click=move |_| {
                                        if confirm(&format!("Revoke {}'s access now? Their link stops working at once.", name)) {
                                            revoke.run(id.clone())
                                        }
                                    }>
                                        "Revoke access"
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
