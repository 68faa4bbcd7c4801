//! The speaker's countdown, computed locally from the intervention's times and the server's clock:
//! amber near the end, red when time is up, then counting the time over ("+0:05 over").

use leptos::prelude::*;

use crate::live::Live;
use crate::timing::{countdown_figure, countdown_text, floor_clock};

/// The running countdown, or nothing when nobody has the floor.
#[component]
pub fn Countdown() -> impl IntoView {
    let live = expect_context::<Live>();
    move || {
        let now = live.now.get();
        let clock = live
            .with_meeting(|m| {
                m.floor.as_ref().map(|f| {
                    let (remaining, urgency) = floor_clock(f, now);
                    (countdown_figure(remaining), countdown_text(remaining), urgency, f.is_paused())
                })
            })
            .flatten();
        clock.map(|((figure, over), text, urgency, paused)| {
            view! {
                <div class=format!("countdown {}", urgency.class()) class:paused=paused role="timer" aria-label=text>
                    <span class="time">{figure}</span>
                    {over.then(|| view! { " " <span class="over-label">{crate::tr!(live.over)}</span> })}
                    {paused.then(|| view! { <span class="paused-label">{crate::tr!(live.paused)}</span> })}
                </div>
            }
        })
    }
}
