//! A personal link valid for a whole process: pick one of its meetings, by its dates and whether it
//! is sitting now.

use leptos::prelude::*;
use shared::Presence;

use shared::accreditation::ProcessView;

use crate::accreditation::speak_href;
use crate::http;
use crate::time_zone::{day, days_text, meeting_zone};

/// The meetings of `process`, each opening the participant view with the same link.
#[component]
pub fn MeetingPicker(process: String, presence: Option<Presence>, token: Option<String>) -> impl IntoView {
    let info = http::process_resource(&process);
    let process = StoredValue::new(process);
    let token = StoredValue::new(token);
    let body = move |info: Result<ProcessView, String>| match info {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok(mut view) => {
            let sitting = |id: &shared::MeetingId| view.sittings.iter().find(|s| &s.meeting == id).cloned();
            let mut meetings: Vec<_> = std::mem::take(&mut view.meetings)
                .into_iter()
                .map(|m| {
                    let s = sitting(&m.id);
                    (m, s)
                })
                .collect();
            // Those sitting now first; the order of the process otherwise.
            meetings.sort_by_key(|(_, s)| !s.as_ref().is_some_and(|s| s.live));
            view! {
                        <h1 dir="auto">{view.process.title.clone()}</h1>
                        <p>{crate::tr!(live.link_valid_for_process)}</p>
                        {if meetings.is_empty() {
                            view! { <p class="empty">{crate::tr!(live.no_meeting_of_process_open)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="meeting-list">
                                    {meetings
                                        .into_iter()
                                        .map(|(m, s)| {
                                            let href = speak_href(
                                                &process.get_value(),
                                                m.id.as_str(),
                                                presence,
                                                token.get_value().as_deref(),
                                            );
                                            let access = match m.access {
                                                shared::Access::Open => crate::tr!(live.open_meeting),
                                                shared::Access::Closed => crate::tr!(live.closed_meeting),
                                            };
                                            let zone = meeting_zone(&m, None);
                                            let live = s.as_ref().is_some_and(|s| s.live);
                                            let on = |at: Option<shared::Millis>| at.and_then(|at| day(at, &zone));
                                            let days = days_text(
                                                on(s.as_ref().and_then(|s| s.first_at)),
                                                on(s.as_ref().and_then(|s| s.last_at)),
                                            );
                                            view! {
                                                <li class:live=live data-live=live.to_string()>
                                                    <a class="meeting" data-meeting=m.id.as_str().to_string() href=href>
                                                        <bdi>{m.title.clone()}</bdi>
                                                    </a>
                                                    {live.then(|| view! { " " <span class="badge live-now">{crate::tr!(live.live_now)}</span> })}
                                                    <span class="block dates" data-dates="">{days}</span>
                                                    <span class="small">{format!(" · {} · {access}", m.id.as_str())}</span>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        }}
                    }
                        .into_any()
        }
    };
    view! {
        <main class="page meetings">
            <Suspense fallback=|| view! { <p class="empty">{crate::tr!(live.loading_meetings)}</p> }>
                {move || Suspend::new(async move { body(info.await) })}
            </Suspense>
        </main>
    }
}
