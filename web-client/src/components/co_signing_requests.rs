//! On a representative's own screen: the joint statements that name their organisation as a
//! co-signer, each with "Confirm" and "Decline". Until the organisation confirms it is shown as
//! pending everywhere and keeps its own turn to speak.

use leptos::prelude::*;
use shared::Command;

use crate::co_signing::requests;
use crate::live::Live;

/// The requests to co-sign addressed to the participant's organisation; nothing when there are none.
#[component]
pub fn CoSigningRequests() -> impl IntoView {
    let live = expect_context::<Live>();
    let me = Memo::new(move |_| live.session.with(|s| s.you.clone()));
    let asked = Memo::new(move |_| {
        let me = me.get()?;
        live.with_meeting(|m| requests(m, &me)).filter(|r| !r.is_empty())
    });
    let item = move |request: crate::co_signing::Request| {
        let entry = request.entry;
        let who = format!("{} ({})", request.speaker, request.speaker_organisation);
        let confirm = move |_| live.send(Command::ConfirmCoSigning { entry }, "Confirm co-signing");
        let decline = move |_| live.send(Command::DeclineCoSigning { entry }, "Decline co-signing");
        let buttons = if request.confirmed {
            view! {
                <button data-action="decline-co-signing" aria-label=format!("Withdraw your organisation from the statement of {who}") on:click=decline>
                    "Withdraw"
                </button>
            }
            .into_any()
        } else {
            view! {
                <button class="primary" data-action="confirm-co-signing" aria-label=format!("Confirm: your organisation co-signs the statement of {who}") on:click=confirm>
                    "Confirm"
                </button>
                " "
                <button data-action="decline-co-signing" aria-label=format!("Decline to co-sign the statement of {who}") on:click=decline>
                    "Decline"
                </button>
            }
            .into_any()
        };
        view! {
            <li class="co-signing" data-entry=entry.0.to_string() data-confirmed=request.confirmed.to_string()>
                <p>{request.sentence()}</p>
                <p class="small">{format!("{} · {}", request.segment, request.organisation)}</p>
                <p>{buttons}</p>
            </li>
        }
    };
    move || {
        asked.get().map(|asked| {
            view! {
                <section class="card co-signing-requests" aria-label="Requests to co-sign">
                    <h2>"Requests to co-sign"</h2>
                    <ul class="segments">{asked.into_iter().map(item).collect_view()}</ul>
                </section>
            }
        })
    }
}
