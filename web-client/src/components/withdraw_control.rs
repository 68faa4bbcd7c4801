//! Withdrawing one's own request, asked once more before it is sent: one tap on a phone should
//! not lose a place in the list.

use leptos::html;
use leptos::prelude::*;
use shared::{Command, SegmentId};

use crate::live::Live;

/// "Withdraw" and, once pressed, "Withdraw your request?" with Yes and Keep it; `segment` is the
/// list (the active one when `None`), `label` the first button's words.
#[component]
pub fn WithdrawControl(segment: Option<SegmentId>, #[prop(into)] label: String) -> impl IntoView {
    let live = expect_context::<Live>();
    let asking = RwSignal::new(false);
    let label = StoredValue::new(label);
    // The focus follows the question: to "Keep it" (the safe answer) when it is asked, and back to
    // the first button when the person keeps their request.
    let keep = NodeRef::<html::Button>::new();
    let withdraw = NodeRef::<html::Button>::new();
    let kept = StoredValue::new(false);
    Effect::new(move || {
        if let Some(button) = keep.get() {
            button.focus().ok();
        }
    });
    Effect::new(move || {
        if let Some(button) = withdraw.get() {
            if kept.get_value() {
                kept.set_value(false);
                button.focus().ok();
            }
        }
    });

    let confirm = move |_| {
        asking.set(false);
        live.send(Command::Withdraw { segment }, crate::tr!(live.withdraw));
    };
    let keep_it = move |_| {
        kept.set_value(true);
        asking.set(false);
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                view! {
                    <button class="danger" data-action="withdraw" node_ref=withdraw on:click=move |_| asking.set(true)>
                        {label.get_value()}
                    </button>
                }
            }
        >
            <div class="confirm-withdraw" role="group" aria-label=crate::tr!(live.withdraw_question)>
                <p class="question">
                    {crate::tr!(live.withdraw_question)}
                </p>
                <button class="danger" data-action="confirm-withdraw" on:click=confirm>
                    {crate::tr!(live.yes_withdraw)}
                </button>
                " "
                <button data-action="keep-request" node_ref=keep on:click=keep_it>
                    {crate::tr!(live.keep_it)}
                </button>
            </div>
        </Show>
    }
}
