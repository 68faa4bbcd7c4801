//! The agenda item the meeting is on, as every screen connected to a meeting shows it under the
//! meeting's title: "Agenda item 5(b): Rules, norms and principles". Nothing for a meeting without
//! an agenda, or before the chair takes an item up.

use leptos::prelude::*;

use crate::live::Live;

/// The current item's heading, or nothing.
#[component]
pub fn CurrentItem() -> impl IntoView {
    let live = expect_context::<Live>();
    let item = Memo::new(move |_| live.with_meeting(|m| m.current().cloned()).flatten());
    move || {
        item.get().map(|item| {
            view! {
                <p class="agenda-item" data-item=item.id.0.to_string()>
                    <span class="label">{crate::tr!(live.agenda_item_label)}</span>
                    <bdi class="number">{item.number}</bdi>
                    {crate::tr!(live.agenda_item_separator)}
                    <bdi class="title">{item.title}</bdi>
                </p>
            }
        })
    }
}
