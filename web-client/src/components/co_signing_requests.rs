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
        let confirm =
            move |_| live.send(Command::ConfirmCoSigning { entry }, crate::tr!(portal.confirm_co_signing_action));
        let decline =
            move |_| live.send(Command::DeclineCoSigning { entry }, crate::tr!(portal.decline_co_signing_action));
        let buttons = if request.confirmed {
            view! {
                <button data-action="decline-co-signing" aria-label=crate::tr!(portal.withdraw_from_statement_aria, who = &who) on:click=decline>
                    {crate::tr!(portal.withdraw)}
                </button>
            }
            .into_any()
        } else {
            view! {
                <button class="primary" data-action="confirm-co-signing" aria-label=crate::tr!(portal.confirm_co_signs_aria, who = &who) on:click=confirm>
                    {crate::tr!(portal.confirm)}
                </button>
                " "
                <button data-action="decline-co-signing" aria-label=crate::tr!(portal.decline_to_co_sign_aria, who = &who) on:click=decline>
                    {crate::tr!(portal.decline)}
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
                <section class="card co-signing-requests" aria-label=crate::tr!(portal.requests_to_co_sign)>
                    <h2>{crate::tr!(portal.requests_to_co_sign)}</h2>
                    <ul class="segments">{asked.into_iter().map(item).collect_view()}</ul>
                </section>
            }
        })
    }
}
