//! A personal link valid for a whole process: pick one of its meetings.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Presence;

use shared::accreditation::ProcessView;

use crate::accreditation::speak_href;
use crate::http;

/// The meetings of `process`, each opening the participant view with the same link.
#[component]
pub fn MeetingPicker(process: String, presence: Option<Presence>, token: Option<String>) -> impl IntoView {
    let info = RwSignal::new(None::<Result<ProcessView, String>>);
    let path = format!("/api/processes/{}", http::encode(&process));
    spawn_local(async move { info.set(Some(http::get(&path, None).await)) });
    let process = StoredValue::new(process);
    let token = StoredValue::new(token);
    view! {
        <main class="page meetings">
            {move || match info.get() {
                None => view! { <p class="empty">"Loading the meetings…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(view)) => {
                    view! {
                        <h1>{view.process.title.clone()}</h1>
                        <p>"Your link is valid for every meeting of the process. Which meeting do you join?"</p>
                        {if view.meetings.is_empty() {
                            view! { <p class="empty">"No meeting of this process is open on this server yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="meeting-list">
                                    {view
                                        .meetings
                                        .into_iter()
                                        .map(|m| {
                                            let href = speak_href(
                                                &process.get_value(),
                                                m.id.as_str(),
                                                presence,
                                                token.get_value().as_deref(),
                                            );
                                            let access = format!("{:?}", m.access).to_lowercase();
                                            view! {
                                                <li>
                                                    <a class="meeting" data-meeting=m.id.as_str().to_string() href=href>
                                                        {m.title.clone()}
                                                    </a>
                                                    <span class="small">{format!(" · {} · {access} meeting", m.id.as_str())}</span>
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
            }}
        </main>
    }
}
