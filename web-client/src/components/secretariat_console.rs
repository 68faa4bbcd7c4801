//! `/secretariat#token=…`: the secretariat's console, from nothing to a meeting ready to run.
//! Processes (and a new one); a process's meetings with their date, time zone, room and access (and
//! a new one), and its applications for accreditation; a meeting's agenda, its lists of speakers,
//! the links of its delegations, officers and conference system, and its call-platform webhooks. Every step is a call of the HTTP API with the
//! secretariat's token, decided by the same policy as everything else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accreditation::{NewProcess, Process, ProcessView};
use shared::api::NewMeeting;
use shared::{Access, MeetingId, MeetingInfo, ProcessId};

use crate::components::field::Field;
use crate::components::links_panel::LinksPanel;
use crate::components::meeting_setup::MeetingSetup;
use crate::components::review_queue::ReviewQueue;
use crate::components::webhooks_panel::WebhooksPanel;
use crate::http;

/// The console: which part depends on the link's `process` and `meeting`.
#[component]
pub fn SecretariatConsole(process: Option<String>, meeting: Option<String>, token: Option<String>) -> impl IntoView {
    let Some(token) = token else {
        return view! {
            <main class="page secretariat">
                <h1>{crate::tr!(desk.secretariat_heading)}</h1>
                <p class="problem" role="alert">
                    {crate::tr!(desk.token_missing)}
                </p>
            </main>
        }
        .into_any();
    };
    let home = console_link(None, None, &token);
    let body = match (process.clone(), meeting.clone()) {
        (None, _) => view! { <Processes token=token.clone() /> }.into_any(),
        (Some(process), None) => view! {
            <Meetings process=process.clone() token=token.clone() />
            <ReviewQueue process=Some(process.clone()) token=Some(token.clone()) />
            <LinksPanel process=process meeting=None token=token.clone() />
        }
        .into_any(),
        (Some(process), Some(meeting)) => view! {
            <MeetingSetup process=process.clone() meeting=meeting.clone() token=token.clone() />
            <LinksPanel process=process meeting=Some(meeting.clone()) token=token.clone() />
            <WebhooksPanel meeting=meeting token=token.clone() />
        }
        .into_any(),
    };
    let crumbs = {
        let process_crumb = process.clone().map(|p| {
            let href = console_link(Some(&p), None, &token);
            view! { " › " <a href=href>{crate::tr!(desk.crumb_process, id = p.clone())}</a> }
        });
        let meeting_crumb = meeting
            .map(|m| view! { " › " <span aria-current="page">{crate::tr!(desk.crumb_meeting, id = m.clone())}</span> });
        view! {
            <nav class="crumbs" aria-label=crate::tr!(desk.crumbs_label)>
                <a href=home>{crate::tr!(desk.processes_heading)}</a>
                {process_crumb}
                {meeting_crumb}
            </nav>
        }
    };
    view! {
        <main class="page secretariat">
            <h1>{crate::tr!(desk.secretariat_heading)}</h1>
            {crumbs}
            {body}
        </main>
    }
    .into_any()
}

/// The console's address for a process and a meeting, with the token in the fragment.
pub fn console_link(process: Option<&str>, meeting: Option<&str>, token: &str) -> String {
    let mut query = Vec::new();
    if let Some(process) = process {
        query.push(format!("process={}", http::encode(process)));
    }
    if let Some(meeting) = meeting {
        query.push(format!("meeting={}", http::encode(meeting)));
    }
    let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
    format!("/secretariat{query}#token={token}")
}

/// The processes, each opening its meetings, and a form for a new one.
#[component]
fn Processes(token: String) -> impl IntoView {
    let list = RwSignal::new(None::<Result<Vec<ProcessView>, String>>);
    let load = move || spawn_local(async move { list.set(Some(http::get("/api/processes", None).await)) });
    load();
    let token = StoredValue::new(token);
    let (id, title, deadline) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(pid) = ProcessId::parse(id.get_untracked().trim()) else {
            outcome.set(Some(Err(crate::tr!(desk.process_id_invalid).into())));
            return;
        };
        let body =
            NewProcess { id: pid, title: title.get_untracked(), applications_deadline: deadline.get_untracked() };
        spawn_local(async move {
            let done: Result<Process, String> =
                http::post("/api/processes", Some(&token.get_value()), Some(&body)).await;
            outcome.set(Some(done.map(|p| crate::tr!(desk.process_created, id = p.id))));
            load();
        });
    };
    view! {
        <section class="card processes" aria-labelledby="processes-heading">
            <h2 id="processes-heading">{crate::tr!(desk.processes_heading)}</h2>
            {move || match list.get() {
                None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{crate::tr!(desk.no_process_yet)}</p> }.into_any(),
                Some(Ok(all)) => view! {
                    <ul class="process-list">
                        {all
                            .into_iter()
                            .map(|p| {
                                let href = console_link(Some(p.process.id.as_str()), None, &token.get_value());
                                let meetings = crate::trn!(desk.meetings_count, count = p.meetings.len() as i32);
                                view! {
                                    <li data-process=p.process.id.to_string()>
                                        <a href=href>{p.process.title.clone()}</a>
                                        <span class="small">{format!(" · {} · {meetings}", p.process.id)}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <form class="stack new-process" on:submit=create>
                <h3>{crate::tr!(desk.new_process_heading)}</h3>
                <Field label=crate::tr!(desk.id_label) value=id name="process_id" required=true maxlength=64 placeholder="oewg-ict" />
                <Field label=crate::tr!(desk.title_label) value=title name="process_title" required=true maxlength=200 />
                <Field label=crate::tr!(desk.process_deadline_label) value=deadline name="process_deadline" kind="date" required=true />
                <button type="submit">{crate::tr!(desk.create_process_button)}</button>
                <Outcome outcome=outcome />
            </form>
        </section>
    }
}

/// What a form's last submission did: a sentence, or the server's refusal.
#[component]
pub fn Outcome(outcome: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    move || match outcome.get() {
        None => ().into_any(),
        Some(Ok(done)) => view! { <p class="done" role="status">{done}</p> }.into_any(),
        Some(Err(problem)) => view! { <p class="problem" role="alert">{problem}</p> }.into_any(),
    }
}

/// A process's meetings, each opening its set-up, and a form for a new one.
#[component]
fn Meetings(process: String, token: String) -> impl IntoView {
    let view_of = RwSignal::new(None::<Result<ProcessView, String>>);
    let path = format!("/api/processes/{}", http::encode(&process));
    let load = {
        let path = path.clone();
        move || {
            let path = path.clone();
            spawn_local(async move { view_of.set(Some(http::get(&path, None).await)) })
        }
    };
    load();
    let token = StoredValue::new(token);
    let process_id = StoredValue::new(process.clone());
    let (id, title, starts, zone, room) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let closed = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let create = {
        let load = load.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (Ok(mid), Ok(pid)) =
                (MeetingId::parse(id.get_untracked().trim()), ProcessId::parse(process_id.get_value()))
            else {
                outcome.set(Some(Err(crate::tr!(desk.meeting_id_invalid).into())));
                return;
            };
            let zone_name = zone.get_untracked().trim().to_string();
            let starts_at = match starts.get_untracked().trim() {
                "" => None,
                wall => match crate::time_zone::instant(wall, if zone_name.is_empty() { "UTC" } else { &zone_name }) {
                    Some(at) => Some(at),
                    None => {
                        outcome.set(Some(Err(crate::tr!(desk.time_zone_unknown).into())));
                        return;
                    }
                },
            };
            let body = NewMeeting {
                id: mid,
                title: title.get_untracked(),
                process: pid,
                access: if closed.get_untracked() { Access::Closed } else { Access::Open },
                time_zone: Some(zone_name).filter(|z| !z.is_empty()),
                starts_at,
                room: Some(room.get_untracked()).filter(|r| !r.trim().is_empty()),
            };
            let load = load.clone();
            spawn_local(async move {
                let done: Result<MeetingInfo, String> =
                    http::post("/api/meetings", Some(&token.get_value()), Some(&body)).await;
                outcome.set(Some(done.map(|m| crate::tr!(desk.meeting_created, id = m.id))));
                load();
            });
        }
    };
    let zones = crate::time_zone::known_zones();
    view! {
        <section class="card meetings" aria-labelledby="meetings-heading">
            <h2 id="meetings-heading">
                {move || view_of.with(|v| match v {
                    Some(Ok(v)) => crate::tr!(desk.meetings_of, process = v.process.title.clone()),
                    _ => crate::tr!(desk.meetings_of, process = process_id.get_value()),
                })}
            </h2>
            {move || match view_of.get() {
                None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(v)) if v.meetings.is_empty() => view! { <p class="empty">{crate::tr!(desk.no_meeting_yet)}</p> }.into_any(),
                Some(Ok(v)) => view! {
                    <ul class="meeting-list">
                        {v.meetings.into_iter().map(|m| meeting_row(&m, &token.get_value())).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <form class="stack new-meeting" on:submit=create>
                <h3>{crate::tr!(desk.new_meeting_heading)}</h3>
                <Field label=crate::tr!(desk.id_label) value=id name="meeting_id" required=true maxlength=64 placeholder="oewg-s9-m3" />
                <Field label=crate::tr!(desk.title_label) value=title name="meeting_title" required=true maxlength=200 />
                <Field label=crate::tr!(desk.meeting_starts_label) value=starts name="meeting_starts" kind="datetime-local" />
                <label>
                    {crate::tr!(desk.time_zone_label)}
                    <input
                        type="text"
                        name="meeting_zone"
                        list="time-zones"
                        placeholder="Europe/Zurich"
                        prop:value=move || zone.get()
                        on:input=move |ev| zone.set(event_target_value(&ev))
                    />
                </label>
                <datalist id="time-zones">
                    {zones.into_iter().map(|z| view! { <option value=z></option> }).collect_view()}
                </datalist>
                <Field label=crate::tr!(desk.room_label) value=room name="meeting_room" maxlength=100 placeholder=crate::tr!(desk.room_placeholder) />
                <crate::components::field::Checkbox
                    label=crate::tr!(desk.closed_meeting_label)
                    checked=closed
                    name="meeting_closed"
                />
                <button type="submit">{crate::tr!(desk.create_meeting_button)}</button>
                <Outcome outcome=outcome />
            </form>
        </section>
    }
}

fn meeting_row(m: &MeetingInfo, token: &str) -> impl IntoView {
    let href = console_link(Some(m.process.as_str()), Some(m.id.as_str()), token);
    let when = m.starts_at.map(|at| crate::time_zone::meeting_time(at, m.time_zone.as_deref()));
    let access = match m.access {
        Access::Open => crate::tr!(desk.access_open),
        Access::Closed => crate::tr!(desk.access_closed),
    };
    let details: Vec<String> =
        [Some(m.id.to_string()), when, m.room.clone(), Some(access.to_string())].into_iter().flatten().collect();
    view! {
        <li data-meeting=m.id.to_string()>
            <a href=href>
                <bdi>{m.title.clone()}</bdi>
            </a>
            <span class="small">{details.into_iter().map(|d| view! { " · " <bdi>{d}</bdi> }).collect_view()}</span>
        </li>
    }
}
