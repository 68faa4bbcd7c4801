//! A meeting's set-up on the secretariat's console: what the meeting is (date, room, access), its
//! agenda — items numbered as the UN numbers them, added, moved, removed — and each item's lists
//! of speakers. Each change is a command of the meeting run over the HTTP API
//! (`POST /api/meetings/{id}/commands`), so the chair's console and every screen see it at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::CommandOutcome;
use shared::{AgendaItemId, Command, Inscription, ItemSpec, Meeting, SegmentSpec};

use crate::components::field::Field;
use crate::components::secretariat_console::Outcome;
use crate::http;

/// The meeting's set-up, read from `GET /api/meetings/{id}` and read again after each change.
#[component]
pub fn MeetingSetup(process: String, meeting: String, token: String) -> impl IntoView {
    let state = RwSignal::new(None::<Result<Meeting, String>>);
    let path = StoredValue::new(format!("/api/meetings/{}", http::encode(&meeting)));
    let token = StoredValue::new(token);
    let load = move || {
        spawn_local(async move { state.set(Some(http::get(&path.get_value(), Some(&token.get_value())).await)) })
    };
    load();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    // Runs a command, says what it did (or why not), and reads the meeting again.
    let run = Callback::new(move |(command, done): (Command, String)| {
        spawn_local(async move {
            let commands = format!("{}/commands", path.get_value());
            let answer: Result<CommandOutcome, String> =
                http::post(&commands, Some(&token.get_value()), Some(&command)).await;
            outcome.set(Some(answer.map(|_| done)));
            load();
        })
    });
    let chair_link = format!("/chair?meeting={}#token={}", http::encode(&meeting), token.get_value());
    let _ = process;

    view! {
        <section class="card meeting-setup" aria-labelledby="meeting-heading">
            {move || match state.get() {
                None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(m)) => view! { <MeetingInfoView meeting=m.clone() /> <Agenda meeting=m run=run /> }.into_any(),
            }}
            <Outcome outcome=outcome />
            <p class="small">
                {crate::tr!(desk.chair_note_before)}
                <a href=chair_link>{crate::tr!(desk.chair_note_link)}</a>
                {crate::tr!(desk.chair_note_after)}
            </p>
        </section>
    }
}

#[component]
fn MeetingInfoView(meeting: Meeting) -> impl IntoView {
    let info = meeting.info;
    let when = info.starts_at.map(|at| crate::time_zone::meeting_time(at, info.time_zone.as_deref()));
    let access = match info.access {
        shared::Access::Open => crate::tr!(desk.access_open_long),
        shared::Access::Closed => crate::tr!(desk.access_closed_long),
    };
    view! {
        <h2 id="meeting-heading" dir="auto">{info.title.clone()}</h2>
        <dl class="meeting-info">
            <dt>{crate::tr!(desk.info_id)}</dt>
            <dd>{info.id.to_string()}</dd>
            {when.map(|w| view! { <dt>{crate::tr!(desk.info_starts)}</dt> <dd>{w}</dd> })}
            {info.room.clone().map(|r| view! { <dt>{crate::tr!(desk.room_label)}</dt> <dd>{r}</dd> })}
            <dt>{crate::tr!(desk.info_access)}</dt>
            <dd>{access}</dd>
        </dl>
    }
}

/// The agenda with each item's lists, the controls to change it, and a form for a new item.
#[component]
fn Agenda(meeting: Meeting, run: Callback<(Command, String)>) -> impl IntoView {
    let (number, title) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let spec = ItemSpec { number: number.get_untracked(), title: title.get_untracked() };
        let done = crate::tr!(desk.item_added, number = spec.number.trim());
        run.run((Command::AddAgendaItem { spec }, done));
        number.set(String::new());
        title.set(String::new());
    };
    let count = meeting.agenda.len();
    let items = meeting
        .agenda
        .iter()
        .enumerate()
        .map(|(at, item)| {
            let lists: Vec<String> = meeting
                .lists_of(item.id)
                .map(|s| {
                    crate::tr!(
                        desk.list_and_inscription,
                        title = s.spec.title.clone(),
                        inscription = crate::labels::inscription(s.spec.inscription)
                    )
                })
                .collect();
            let id = item.id;
            let number = item.number.clone();
            let (up, down, remove) = (number.clone(), number.clone(), number.clone());
            view! {
                <li class="agenda-row" data-item=id.0.to_string()>
                    <span class="heading">
                        <bdi class="number">{item.number.clone()}</bdi>
                        " "
                        <bdi>{item.title.clone()}</bdi>
                    </span>
                    <span class="controls">
                        <button
                            type="button"
                            disabled=at == 0
                            aria-label=crate::tr!(desk.move_up_label, number = number.clone())
                            on:click=move |_| run.run((Command::MoveAgendaItem { item: id, position: at - 1 }, crate::tr!(desk.item_moved_up, number = up.clone())))
                        >
                            "↑"
                        </button>
                        <button
                            type="button"
                            disabled=at + 1 == count
                            aria-label=crate::tr!(desk.move_down_label, number = number.clone())
                            on:click=move |_| run.run((Command::MoveAgendaItem { item: id, position: at + 1 }, crate::tr!(desk.item_moved_down, number = down.clone())))
                        >
                            "↓"
                        </button>
                        <button
                            type="button"
                            disabled=!lists.is_empty()
                            title=crate::tr!(desk.remove_item_title)
                            aria-label=crate::tr!(desk.remove_item_label, number = number.clone())
                            on:click=move |_| run.run((Command::RemoveAgendaItem { item: id }, crate::tr!(desk.item_removed, number = remove.clone())))
                        >
                            {crate::tr!(desk.remove_button)}
                        </button>
                    </span>
                    {if lists.is_empty() {
                        view! { <p class="small">{crate::tr!(desk.no_list_yet)}</p> }.into_any()
                    } else {
                        view! { <ul class="lists">{lists.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    <NewList item=id number=item.number.clone() run=run />
                </li>
            }
        })
        .collect_view();
    view! {
        <h3>{crate::tr!(desk.agenda_heading)}</h3>
        {(count == 0).then(|| view! { <p class="empty">{crate::tr!(desk.no_item_yet)}</p> })}
        <ol class="agenda setup">{items}</ol>
        <form class="inline-form new-item" on:submit=add>
            <Field label=crate::tr!(desk.item_number_label) value=number name="item_number" required=true maxlength=16 placeholder="5(b)" />
            <Field label=crate::tr!(desk.item_title_label) value=title name="item_title" required=true maxlength=300 />
            <button type="submit">{crate::tr!(desk.add_item_button)}</button>
        </form>
    }
}

/// A form for a new list of speakers of item `item`.
#[component]
fn NewList(item: AgendaItemId, number: String, run: Callback<(Command, String)>) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let minutes = RwSignal::new("3".to_string());
    let inscription = RwSignal::new(Inscription::All);
    let name = StoredValue::new(number.clone());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let secs = minutes.get_untracked().trim().parse::<f64>().map(|m| (m * 60.0).round() as u32).unwrap_or(0);
        let spec = SegmentSpec {
            item: Some(item),
            inscription: inscription.get_untracked(),
            ..SegmentSpec::new(title.get_untracked(), secs)
        };
        let done = crate::tr!(desk.list_added, title = spec.title.trim(), number = name.get_value());
        run.run((Command::CreateSegment { spec }, done));
        title.set(String::new());
    };
    let choices = [
        (Inscription::All, crate::tr!(desk.inscription_all)),
        (Inscription::MemberStates, crate::tr!(desk.inscription_member_states)),
        (Inscription::Stakeholders, crate::tr!(desk.inscription_stakeholders)),
    ];
    view! {
        <form class="inline-form new-list" on:submit=add aria-label=crate::tr!(desk.new_list_form_label, number = number.clone())>
            <Field label=crate::tr!(desk.new_list_label) value=title name="list_title" required=true maxlength=200 placeholder=crate::tr!(desk.list_title_placeholder) />
            <label>
                {crate::tr!(desk.who_may_ask)}
                <select
                    name="list_inscription"
                    on:change=move |ev| {
                        inscription.set(event_target_value(&ev).parse().unwrap_or(Inscription::All));
                    }
                >
                    {choices
                        .iter()
                        .map(|(i, label)| view! { <option value=shared::report::key(i)>{*label}</option> })
                        .collect_view()}
                </select>
            </label>
            <Field label=crate::tr!(desk.minutes_per_statement) value=minutes name="list_minutes" kind="number" min="1" required=true />
            <button type="submit">{crate::tr!(desk.add_list_button)}</button>
        </form>
    }
}
