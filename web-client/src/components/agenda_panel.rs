//! The meeting's agenda for the chair and the secretariat: the items in order with the one the
//! meeting is on marked, and for each one take it up, move it up or down, or remove it; a form
//! adds an item at the end. Every check is `shared`'s, run before the command is sent.

use leptos::prelude::*;
use shared::{AgendaItemId, Command, ItemSpec};

use crate::components::field::Field;
use crate::live::Live;
use crate::tr;
use crate::trn;

/// The agenda and its controls.
#[component]
pub fn AgendaPanel() -> impl IntoView {
    let live = expect_context::<Live>();
    let agenda = Memo::new(move |_| {
        live.with_meeting(|m| {
            let items: Vec<(shared::AgendaItem, usize)> =
                m.agenda.iter().map(|i| (i.clone(), m.lists_of(i.id).count())).collect();
            (items, m.current_item, m.floor.is_some())
        })
        .unwrap_or_default()
    });
    let items = move || {
        let (items, current, floor) = agenda.get();
        let last = items.len().saturating_sub(1);
        items
            .into_iter()
            .enumerate()
            .map(|(at, (item, lists))| {
                let id = item.id;
                let is_current = current == Some(id);
                let name = format!("{} {}", item.number, item.title);
                let lists_text = match lists {
                    0 => tr!(chair.no_list_of_speakers).to_string(),
                    n => trn!(chair.lists_of_speakers, count = n as i32),
                };
                view! {
                    <li class="agenda-row" class:current=is_current data-item=id.0.to_string()>
                        <div>
                            <strong class="number">{item.number.clone()}</strong>
                            " "
                            <bdi>{item.title.clone()}</bdi>
                            {is_current.then(|| view! { <span class="badge active">{tr!(chair.current_item)}</span> })}
                        </div>
                        <div class="small">{lists_text}</div>
                        <div class="controls">
                            {(!is_current)
                                .then(|| {
                                    view! {
                                        <button
                                            class="take-up"
                                            disabled=floor
                                            title=if floor {
                                                tr!(chair.take_up_blocked)
                                            } else {
                                                tr!(chair.take_up_help)
                                            }
                                            aria-label=tr!(chair.take_up_item_aria, item = &name)
                                            on:click=move |_| live.send(Command::TakeUpItem { item: id }, tr!(chair.take_up_the_item))
                                        >
                                            {tr!(chair.take_up)}
                                        </button>
                                    }
                                })}
                            <button
                                disabled=at == 0
                                aria-label=tr!(chair.move_up_item_aria, item = &name)
                                on:click=move |_| move_to(live, id, at.saturating_sub(1))
                            >
                                {tr!(chair.move_up)}
                            </button>
                            <button
                                disabled=at == last
                                aria-label=tr!(chair.move_down_item_aria, item = &name)
                                on:click=move |_| move_to(live, id, at + 1)
                            >
                                {tr!(chair.move_down)}
                            </button>
                            {(!is_current && lists == 0)
                                .then(|| {
                                    view! {
                                        <button
                                            aria-label=tr!(chair.remove_item_aria, item = &name)
                                            on:click=move |_| {
                                                live.send(Command::RemoveAgendaItem { item: id }, tr!(chair.remove_the_item))
                                            }
                                        >
                                            {tr!(chair.remove)}
                                        </button>
                                    }
                                })}
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h2>{tr!(chair.agenda)}</h2>
        {move || {
            agenda.with(|(items, ..)| items.is_empty()).then(|| view! { <p class="small">{tr!(chair.no_agenda_item)}</p> })
        }}
        <ol class="agenda">{items}</ol>
        <NewItem />
    }
}

fn move_to(live: Live, item: AgendaItemId, position: usize) {
    live.send(Command::MoveAgendaItem { item, position }, tr!(chair.move_the_item));
}

/// Adds an item at the end of the agenda.
#[component]
fn NewItem() -> impl IntoView {
    let live = expect_context::<Live>();
    let number = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let spec = ItemSpec { number: number.get_untracked(), title: title.get_untracked() };
        match spec.validate() {
            Err(rejection) => problem.set(Some(rejection.message)),
            Ok(spec) => {
                problem.set(None);
                live.send(Command::AddAgendaItem { spec }, tr!(chair.add_the_agenda_item));
                number.set(String::new());
                title.set(String::new());
            }
        }
    };
    view! {
        <details class="new-item">
            <summary>{tr!(chair.new_agenda_item)}</summary>
            <form on:submit=submit>
                <Field
                    label=tr!(chair.number)
                    name="item_number"
                    maxlength=shared::MAX_ITEM_NUMBER_CHARS
                    placeholder="5(b)"
                    value=number
                />
                <Field label=tr!(chair.title) name="item_title" maxlength=shared::MAX_ITEM_TITLE_CHARS value=title />
                {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
                <button type="submit">{tr!(chair.add_the_item)}</button>
            </form>
        </details>
    }
}
