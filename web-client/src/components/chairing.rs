//! Who presides. Every screen of a meeting says so when a vice-chair presides or the chair was
//! handed over ([`Presiding`]); the console offers the chair and the vice-chairs the step that is
//! theirs — hand over, take the chair, take it back ([`ChairingControls`]).

use leptos::prelude::*;

use crate::live::Live;

/// "Vice-Chair Lena Novak presides.", or nothing while the chair presides.
#[component]
pub fn Presiding() -> impl IntoView {
    let live = expect_context::<Live>();
    let text = Memo::new(move |_| live.with_meeting(|m| crate::labels::presiding(&m.chairing)).flatten());
    move || text.get().map(|text| view! { <p class="presiding" role="status">{text}</p> })
}

/// Where the console's holder stands about the chair, and the button for their next step.
#[component]
pub fn ChairingControls() -> impl IntoView {
    let live = expect_context::<Live>();
    let offer = Memo::new(move |_| {
        let you = live.session.with(|s| s.you.clone())?;
        live.with_meeting(|m| crate::labels::chairing_offer(&m.chairing, &you))
    });
    move || {
        offer.get().map(|(text, step)| {
            view! {
                <p class="chairing" data-chairing="">
                    <span>{text}</span>
                    {step.map(|(command, label)| {
                        view! {
                            <button type="button" on:click=move |_| live.send(command.clone(), label)>
                                {label}
                            </button>
                        }
                    })}
                </p>
            }
        })
    }
}
