//! The meeting's agenda for the chair and the secretariat: the items in order with the one the
//! meeting is on marked, and for each one take it up, move it up or down, or remove it; a form
//! adds an item at the end. Every check is `shared`'s, run before the command is sent.

use leptos::prelude::*;
use shared::{AgendaItemId, Command, ItemSpec};

use crate::components::field::Field;
use crate::live::Live;

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
                    0 => "no list of speakers".to_string(),
                    1 => "1 list of speakers".to_string(),
                    n => format!("{n} lists of speakers"),
                };
                view! {
                    <li class="agenda-row" class:current=is_current data-item=id.0.to_string()>
                        <div>
                            <strong class="number">{item.number.clone()}</strong>
                            " "
                            <bdi>{item.title.clone()}</bdi>
                            {is_current.then(|| view! { <span class="badge active">"Current item"</span> })}
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
                                                "End the intervention before taking up another item"
                                            } else {
                                                "Take up this item: its first list becomes the active one"
                                            }
                                            aria-label=format!("Take up item {name}")
                                            on:click=move |_| live.send(Command::TakeUpItem { item: id }, "Take up the item")
                                        >
                                            "Take up"
                                        </button>
                                    }
                                })}
                            <button
                                disabled=at == 0
                                aria-label=format!("Move up item {name}")
                                on:click=move |_| move_to(live, id, at.saturating_sub(1))
                            >
                                "Move up"
                            </button>
                            <button
                                disabled=at == last
                                aria-label=format!("Move down item {name}")
                                on:click=move |_| move_to(live, id, at + 1)
                            >
                                "Move down"
                            </button>
                            {(!is_current && lists == 0)
                                .then(|| {
                                    view! {
                                        <button
                                            aria-label=format!("Remove item {name}")
                                            on:click=move |_| {
                                                live.send(Command::RemoveAgendaItem { item: id }, "Remove the item")
                                            }
                                        >
                                            "Remove"
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
        <h2>"Agenda"</h2>
        {move || {
            agenda.with(|(items, ..)| items.is_empty()).then(|| view! { <p class="small">"No agenda item yet."</p> })
        }}
        <ol class="agenda">{items}</ol>
        <NewItem />
    }
}

fn move_to(live: Live, item: AgendaItemId, position: usize) {
    live.send(Command::MoveAgendaItem { item, position }, "Move the item");
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
                live.send(Command::AddAgendaItem { spec }, "Add the agenda item");
                number.set(String::new());
                title.set(String::new());
            }
        }
    };
    view! {
        <details class="new-item">
            <summary>"New agenda item"</summary>
            <form on:submit=submit>
                <Field
                    label="Number"
                    name="item_number"
                    maxlength=shared::MAX_ITEM_NUMBER_CHARS
                    placeholder="5(b)"
                    value=number
                />
                <Field label="Title" name="item_title" maxlength=shared::MAX_ITEM_TITLE_CHARS value=title />
                {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
                <button type="submit">"Add the item"</button>
            </form>
        </details>
    }
}
