//! The active segment's list as the chair works it: select, move, remove (with a few seconds to
//! undo), give the floor. The list scrolls in its own region and keeps the selected row in view.

use leptos::prelude::*;
use shared::{Command, Entry, EntryId, RequestKind};

use crate::components::kind_badge::KindBadge;
use crate::components::live_mark::LiveMark;
use crate::components::presence_badge::PresenceBadge;
use crate::keyboard;
use crate::live::Live;
use crate::removal::{self, Removals};
use crate::timing::duration_text;
use crate::tr;
use crate::trn;

/// The row of an entry, as an element id.
fn row_id(entry: EntryId) -> String {
    format!("entry-{}", entry.0)
}

/// The active list; `selected` is the entry the keyboard acts on.
#[component]
pub fn SpeakersList(selected: RwSignal<Option<EntryId>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let removals = expect_context::<Removals>();
    let segment = Memo::new(move |_| live.with_meeting(|m| m.active().cloned()).flatten());

    // The selected row stays in view, however far the keyboard took it. After the next frame, so
    // that a row that just arrived is in the page.
    Effect::new(move || {
        if let Some(entry) = selected.get() {
            request_animation_frame(move || keyboard::scroll_into_view(&row_id(entry)));
        }
    });

    let header = move || {
        segment.get().map(|s| {
            let open = s.list_open;
            let id = s.id;
            let toggle = move |_| {
                if open {
                    live.send(Command::CloseList { segment: Some(id) }, tr!(chair.close_the_list))
                } else {
                    live.send(Command::ReopenList { segment: Some(id) }, tr!(chair.reopen_the_list))
                }
            };
            view! {
                <div class="list-head">
                    <h2>
                        <bdi>{s.spec.title.clone()}</bdi>
                        " "
                        <span class=if open { "badge open" } else { "badge closed" }>
                            {if open { tr!(chair.list_open) } else { tr!(chair.list_closed) }}
                        </span>
                        {(open && s.is_full())
                            .then(|| {
                                view! {
                                    " "
                                    <span class="badge full" title=tr!(chair.list_full_help)>
                                        {tr!(chair.list_full)}
                                    </span>
                                }
                            })}
                    </h2>
                    <button on:click=toggle title=tr!(chair.toggle_list_help)>
                        {if open { tr!(chair.close_the_list) } else { tr!(chair.reopen_the_list) }}
                        " "
                        <kbd>"L"</kbd>
                    </button>
                    <p class="small ordering" data-ordering=shared::report::key(&s.spec.ordering)>
                        {format!("{} — ", tr!(chair.order, ordering = crate::labels::ordering(s.spec.ordering)))}
                        {crate::labels::ordering_help(s.spec.ordering)}
                    </p>
                </div>
            }
        })
    };

    // The rows are keyed: an event redraws only the rows it changed, so the row being removed keeps
    // its reason field, and the focus in it, while other people's requests come and go.
    let shown = Memo::new(move |_| {
        segment.with(|s| match s {
            None => Shown::NoSegment,
            Some(s) if s.entries.is_empty() => Shown::Nobody,
            Some(_) => Shown::List,
        })
    });
    let entries = move || {
        segment.with(|s| {
            let Some(s) = s else { return Vec::new() };
            let last = s.entries.len().saturating_sub(1);
            let statements = s.entries.iter().filter(|e| e.kind != RequestKind::PointOfOrder).count();
            s.entries
                .iter()
                .enumerate()
                .map(|(i, e)| Row {
                    i,
                    last: i == last,
                    movable: e.kind != RequestKind::PointOfOrder && statements > 1,
                    asked: e.asked_ready(&s.spec),
                    entry: e.clone(),
                })
                .collect::<Vec<_>>()
        })
    };
    let row = move |Row { i, last, movable, asked, entry: e }: Row| {
        let id = e.id;
        let is_selected = move || selected.get() == Some(id);
        let removing = Memo::new(move |_| removals.is_pending(id));
        let entry = e.clone();
        let cells = move || {
            if removing.get() {
                removing_cells(live, removals, &entry).into_any()
            } else {
                waiting_cells(live, removals, &entry, Place { i, last, movable, asked }).into_any()
            }
        };
        view! {
            <tr
                id=row_id(id)
                class=format!("entry {}", crate::labels::kind_class(e.kind))
                class:selected=is_selected
                class:removing=move || removing.get()
                aria-selected=move || is_selected().to_string()
                data-entry=id.0.to_string()
                data-speaker=e.speaker.id.to_string()
                on:click=move |_| selected.set(Some(id))
            >
                {cells}
            </tr>
        }
    };
    let rows = move || match shown.get() {
        Shown::NoSegment => view! { <p class="empty">{tr!(chair.no_active_segment)}</p> }.into_any(),
        Shown::Nobody => view! { <p class="empty" data-list="empty">{tr!(chair.nobody_waiting)}</p> }.into_any(),
        // A grid: the row the keyboard acts on is announced as the active descendant.
        Shown::List => view! {
            <table
                class="speakers"
                role="grid"
                tabindex="0"
                aria-label=tr!(chair.list_grid_aria)
                aria-activedescendant=move || selected.get().map(row_id)
            >
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>{tr!(chair.speaker)}</th>
                        <th>{tr!(chair.kind)}</th>
                        <th>{tr!(chair.where_label)}</th>
                        <th>{tr!(chair.lang_short)}</th>
                        <th>{tr!(chair.asked)}</th>
                        <th>
                            <span class="sr-only">{tr!(chair.actions)}</span>
                        </th>
                    </tr>
                </thead>
                <tbody>
                    <For each=entries key=Row::key children=row />
                </tbody>
            </table>
        }
        .into_any(),
    };

    view! {
        {header}
        // Focusable itself, so the list scrolls by keyboard even while its controls are disabled
        // (an outage greys them): axe's scrollable-region-focusable.
        <div class="list-scroll" tabindex="0" role="region" aria-label=tr!(chair.waiting_speakers)>
            {rows}
        </div>
    }
}

/// What the list shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    NoSegment,
    Nobody,
    List,
}

/// An entry as its row draws it: its place, whether it is last and may move, and whether its
/// speaker is asked to confirm they are ready.
#[derive(Clone)]
struct Row {
    i: usize,
    last: bool,
    movable: bool,
    asked: bool,
    entry: Entry,
}

impl Row {
    /// Everything the row is drawn from: a row whose key is unchanged is not drawn again.
    fn key(&self) -> (EntryId, usize, bool, bool, bool, String) {
        (self.entry.id, self.i, self.last, self.movable, self.asked, format!("{:?}", self.entry))
    }
}

/// Where a waiting entry stands: the `i`th of the list, `last` if it is the last, whether it may
/// move, and whether its speaker is asked to confirm they are ready.
#[derive(Clone, Copy)]
struct Place {
    i: usize,
    last: bool,
    movable: bool,
    asked: bool,
}

/// The cells of a waiting entry.
fn waiting_cells(live: Live, removals: Removals, e: &Entry, place: Place) -> impl IntoView {
    let Place { i, last, movable, asked } = place;
    let id = e.id;
    // The head of a list with a ready check: ready or not, and the chair may pass over it.
    let ready = (asked && i == 0).then_some(e.ready_at.is_some());
    let passed = e.passed_over;
    let on_behalf = e.speaker.on_behalf_of().unwrap_or_default().to_string();
    let requested_at = e.requested_at;
    let added = e.added_by.is_some();
    view! {
        <td class="pos">{i + 1}</td>
        <td class="who">
            <bdi class="name">{e.speaker.name.clone()}</bdi>
            <bdi class="on-behalf">{on_behalf}</bdi>
            {crate::accreditation::joint_statement(&e.co_signers)
                .map(|text| view! { <span class="co-signers small">{text}</span> })}
            <crate::components::request_details::RequestDetails group=e.group.clone() note=e.note.clone() />
            {added.then(|| view! { <span class="small">" "{tr!(chair.added_by_chair)}</span> })}
            {ready
                .map(|ready| {
                    view! {
                        <span class=if ready { "badge ready yes" } else { "badge ready no" } data-ready=ready.to_string()>
                            {if ready { tr!(chair.ready) } else { tr!(chair.not_ready_yet) }}
                        </span>
                    }
                })}
            {(passed > 0)
                .then(|| {
                    let times = i32::try_from(passed).unwrap_or(i32::MAX);
                    view! { <span class="small passed-over">{format!(" {}", trn!(chair.passed_over, count = times))}</span> }
                })}
        </td>
        <td>
            <KindBadge kind=e.kind />
        </td>
        <td class="where">
            <PresenceBadge presence=e.presence />
            {live.sees_presence().then(|| view! { <LiveMark participant=e.speaker.id.clone() /> })}
        </td>
        <td class="language">{e.language.to_string()}</td>
        <td class="small waited">{move || tr!(chair.waiting_for, time = duration_text(live.now.get().since(requested_at)))}</td>
        <td class="actions">
            <button
                title=tr!(chair.move_up)
                aria-label=tr!(chair.move_up)
                disabled=!movable || i == 0
                on:click=move |_| live.send(Command::MoveEntry { entry: id, position: i.saturating_sub(1) }, tr!(chair.move_up))
            >
                "↑"
            </button>
            <button
                title=tr!(chair.move_down)
                aria-label=tr!(chair.move_down)
                disabled=!movable || last
                on:click=move |_| live.send(Command::MoveEntry { entry: id, position: i + 1 }, tr!(chair.move_down))
            >
                "↓"
            </button>
            <button
                class="give"
                title=tr!(chair.give_floor_help)
                on:click=move |_| live.send(Command::GiveFloor { entry: Some(id) }, tr!(chair.give_the_floor))
            >
                {tr!(chair.give_the_floor)}
            </button>
            {(i == 0 && !last)
                .then(|| {
                    view! {
                        <button
                            data-action="pass-over"
                            title=tr!(chair.skip_help)
                            on:click=move |_| live.send(Command::PassOver { entry: id }, tr!(chair.skip_for_now))
                        >
                            {tr!(chair.skip_for_now)}
                        </button>
                    }
                })}
            <button
                class="danger"
                data-action="remove"
                title=tr!(chair.remove_help)
                on:click=move |_| removals.start(id)
            >
                {tr!(chair.remove)}
            </button>
        </td>
    }
}

/// The cells of an entry being removed: whose, the reason the person will read, the seconds left
/// and Undo.
fn removing_cells(live: Live, removals: Removals, e: &Entry) -> impl IntoView {
    let id = e.id;
    let Some((reason, due)) = removals.pending(id) else {
        return view! { <td colspan="7"></td> }.into_any();
    };
    let offered = move |text: &str| removal::reasons().contains(&text);
    // Drawn again when the list changes: the choice comes back from the pending reason.
    let writing = RwSignal::new(!reason.with_untracked(|r| offered(r)));
    let seconds_left = move || {
        let left = (due.get().0 - live.now.get().0).max(0);
        tr!(chair.in_seconds, seconds = (left + 999) / 1000)
    };
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        if value == OTHER {
            writing.set(true);
        } else {
            writing.set(false);
            removals.set_reason(id, value);
        }
    };
    view! {
        <td class="pos">"–"</td>
        <td class="who" colspan="2">
            <span class="name">{tr!(chair.removing)}" "<bdi>{e.speaker.name.clone()}</bdi></span>
            <span class="small removing-when" aria-hidden="true">{seconds_left}</span>
        </td>
        <td class="reason" colspan="3" on:click=|ev| ev.stop_propagation()>
            <select
                aria-label=tr!(chair.reason_aria)
                prop:value=move || if writing.get() { OTHER.to_string() } else { reason.get() }
                on:change=choose
            >
                {removal::reasons().into_iter().map(|r| view! { <option value=r>{r}</option> }).collect_view()}
                <option value=OTHER>{tr!(chair.another_reason)}</option>
            </select>
            <Show when=move || writing.get()>
                <input
                    type="text"
                    maxlength=shared::MAX_REMOVAL_REASON_CHARS.to_string()
                    aria-label=tr!(chair.reason_in_your_words)
                    placeholder=tr!(chair.shown_to_speaker)
                    prop:value=move || reason.with(|r| if offered(r) { String::new() } else { r.clone() })
                    on:input=move |ev| removals.set_reason(id, event_target_value(&ev))
                />
            </Show>
            <span class="sr-only">{move || tr!(chair.reason_is, reason = reason.get())}</span>
        </td>
        <td class="actions">
            <button
                class="undo"
                data-action="undo-removal"
                title=tr!(chair.undo_help)
                on:click=move |_| removals.undo(id)
            >
                {tr!(chair.undo)}
                " "
                <kbd>"U"</kbd>
            </button>
        </td>
    }
    .into_any()
}

/// The reasons' choice that opens a field for the chair's own words.
const OTHER: &str = "other";
