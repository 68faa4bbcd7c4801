//! `/portal?process=ID[&meeting=ID]`: the public list of written statements of a process, newest
//! first, filtered by meeting. No login: written input is public once submitted.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::written::Statement;

use crate::components::load_more::LoadMore;
use crate::components::statement_card::StatementCard;
use crate::paged::Paged;
use crate::{http, portal};

/// The portal of `process`, showing only `meeting`'s statements when given.
#[component]
pub fn PortalPage(process: Option<String>, meeting: Option<String>) -> impl IntoView {
    let Some(process) = process else {
        return view! {
            <main class="page portal">
                <p class="problem" role="alert">{crate::tr!(portal.no_process_in_link)}</p>
            </main>
        }
        .into_any();
    };
    let info = http::process_resource(&process);
    let statements = Paged::<Statement>::new(portal::statements_path(&process, meeting.as_deref()), None);
    let list = statements.list;
    let process = StoredValue::new(process);
    let meeting = StoredValue::new(meeting);
    let title_of = move |id: &str| {
        info.get()
            .and_then(Result::ok)
            .and_then(|i| i.meetings.into_iter().find(|m| m.id.as_str() == id).map(|m| m.title))
    };

    let navigate = use_navigate();
    let filter = move || {
        let navigate = navigate.clone();
        let meetings = match info.get() {
            Some(Ok(i)) => i.meetings.iter().map(|m| (m.id.as_str().to_string(), m.title.clone())).collect(),
            _ => Vec::new(),
        };
        let chosen = meeting.get_value().unwrap_or_default();
        view! {
            <label class="filter">
                {crate::tr!(portal.meeting_label)}
                <select name="meeting_filter" on:change=move |ev| {
                    let href = portal::portal_href(&process.get_value(), Some(&event_target_value(&ev)));
                    navigate(&href, NavigateOptions::default());
                }>
                    <option value="" selected=chosen.is_empty()>{crate::tr!(portal.every_meeting)}</option>
                    {meetings
                        .into_iter()
                        .map(|(id, title)| {
                            let selected = id == chosen;
                            view! { <option value=id selected=selected dir="auto">{title}</option> }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    };
    let title = move || match info.get() {
        Some(Ok(i)) => i.process.title.clone(),
        _ => process.get_value(),
    };
    let body = move || match list.get() {
        None => view! { <p class="empty">{crate::tr!(portal.loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => {
            view! { <p class="empty" data-portal="empty">{crate::tr!(portal.no_written_statement_yet)}</p> }.into_any()
        }
        Some(Ok(all)) => view! {
            <ul class="statements">
                {all
                    .into_iter()
                    .map(|s| {
                        let meeting_title = s.meeting.as_ref().and_then(|m| title_of(m.as_str()));
                        view! { <StatementCard statement=s meeting_title=meeting_title /> }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };

    view! {
        <main class="page portal">
            <h1>{crate::tr!(portal.written_statements)}</h1>
            <p class="small">{title}</p>
            <p>
                {crate::tr!(portal.portal_intro)}
            </p>
            {filter}
            {body}
            <LoadMore list=statements />
        </main>
    }
    .into_any()
}
