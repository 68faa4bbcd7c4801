//! The ready check on the speaker's own screen: once a remote speaker is next in a list with a
//! ready check, their screen asks them to turn their microphone on, join the call and say so; the
//! chair sees the answer beside their name before giving the floor.

use leptos::prelude::*;
use shared::Command;

use crate::live::Live;

/// Asks the person at the screen whether they are ready, while they are next in a list with a
/// ready check; says they answered once they did. Nothing otherwise.
#[component]
pub fn ReadyCheck() -> impl IntoView {
    let live = expect_context::<Live>();
    // `Some(confirmed)` while the person's request heads a list that asks them.
    let asked = Memo::new(move |_| {
        let me = live.session.with(|s| s.you.as_ref().map(|p| p.id.clone()))?;
        live.with_meeting(|m| {
            let segment = m.active()?;
            let head = segment.entries.first()?;
            (head.speaker.id == me && head.asked_ready(&segment.spec)).then_some(head.ready_at.is_some())
        })
        .flatten()
    });
    let confirm = move |_| live.send(Command::ConfirmReady { segment: None }, crate::tr!(live.say_you_are_ready));
    move || {
        asked.get().map(|confirmed| {
            if confirmed {
                view! {
                    <p class="ready-check done" data-ready="confirmed">
                        {crate::tr!(live.ready_confirmed)}
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <div class="ready-check ask" data-ready="asked">
                        <p>{crate::tr!(live.ready_ask)}</p>
                        <button class="primary big-button" data-action="ready" on:click=confirm>
                            {crate::tr!(live.i_am_ready)}
                        </button>
                    </div>
                }
                .into_any()
            }
        })
    }
}
