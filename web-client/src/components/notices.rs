//! What went wrong with the person's own commands: every rejection's message, until dismissed.

use leptos::prelude::*;

use crate::live::Live;

/// How long a notice stays unless dismissed.
const NOTICE_LIFETIME: std::time::Duration = std::time::Duration::from_secs(15);

/// The notices of this screen.
#[component]
pub fn Notices() -> impl IntoView {
    let live = expect_context::<Live>();
    let notices = Memo::new(move |_| live.session.with(|s| s.notices.clone()));
    let busy = Memo::new(move |_| live.session.with(|s| s.busy()));
    // Each notice leaves on its own after a while, so that an old refusal does not cover the
    // screen; the person can also dismiss it at once.
    let scheduled = StoredValue::new(0u64);
    Effect::new(move || {
        for notice in notices.get() {
            if notice.id > scheduled.get_value() {
                scheduled.set_value(notice.id);
                let id = notice.id;
                set_timeout(move || live.session.update(|s| s.dismiss(id)), NOTICE_LIFETIME);
            }
        }
    });
    view! {
        <p class="sending" role="status" class:on=move || busy.get()>
            {move || if busy.get() { crate::tr!(live.sending) } else { "" }}
        </p>
        <div class="notices" role="alert" aria-live="assertive">
            {move || {
                notices
                    .get()
                    .into_iter()
                    .map(|notice| {
                        let id = notice.id;
                        view! {
                            <p class="notice">
                                <span class="text">{notice.text}</span>
                                <button
                                    class="dismiss"
                                    title=crate::tr!(live.dismiss)
                                    aria-label=crate::tr!(live.dismiss)
                                    on:click=move |_| live.session.update(|s| s.dismiss(id))
                                >
                                    "×"
                                </button>
                            </p>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
