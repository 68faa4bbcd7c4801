//! The time now as every screen gives it: in the meeting's zone, labelled, with the viewer's own
//! beside it when it reads differently.

use leptos::prelude::*;

use crate::browser::time_of_day;
use crate::live::Live;
use crate::time_zone::{label, meeting_zone, own_time_if_different};

/// The clock; `link_zone` is the link's `?tz=`, which overrides the meeting's zone.
#[component]
pub fn MeetingClock(#[prop(optional)] link_zone: Option<String>, seconds: bool) -> impl IntoView {
    let live = expect_context::<Live>();
    let link_zone = StoredValue::new(link_zone);
    let zone = Memo::new(move |_| live.with_meeting(|m| meeting_zone(&m.info, link_zone.get_value().as_deref())));
    move || {
        let now = live.now.get();
        match zone.get() {
            Some(zone) => {
                let time = time_of_day(now, Some(&zone), seconds);
                let own = own_time_if_different(now, &zone, seconds);
                view! {
                    <span class="meeting-clock" data-zone=zone.clone()>
                        <time class="clock">{time.unwrap_or_default()}</time>
                        " "
                        <span class="clock-zone">{label(&zone, now)}</span>
                        {own.map(|own| view! { <span class="clock-own">{format!(" · {}", crate::tr!(live.own_time, time = own))}</span> })}
                    </span>
                }
                .into_any()
            }
            // Before the first sync the meeting's zone is not known yet.
            None => view! {
                <span class="meeting-clock">
                    <time class="clock">{time_of_day(now, None, seconds).unwrap_or_default()}</time>
                </span>
            }
            .into_any(),
        }
    }
}
