//! The active segment's list as the chair works it: select, move, remove, give the floor.

use leptos::prelude::*;
use shared::{Command, EntryId, RequestKind};

use crate::components::kind_badge::KindBadge;
use crate::components::presence_badge::PresenceBadge;
use crate::live::Live;
use crate::timing::duration_text;

/// The active list; `selected` is the entry the keyboard acts on.
#[component]
pub fn SpeakersList(selected: RwSignal<Option<EntryId>>) -> impl IntoView {
    let live = expect_context::<Live>();
    let segment = Memo::new(move |_| live.with_meeting(|m| m.active().cloned()).flatten());

    let header = move || {
        segment.get().map(|s| {
            let open = s.list_open;
            let id = s.id;
            let toggle = move |_| {
                if open {
                    live.send(Command::CloseList { segment: Some(id) }, "Close the list")
                } else {
                    live.send(Command::ReopenList { segment: Some(id) }, "Reopen the list")
                }
            };
            view! {
                <div class="list-head">
                    <h2>
                        {s.spec.title.clone()}
                        " "
                        <span class=if open { "badge open" } else { "badge closed" }>
                            {if open { "List open" } else { "List closed" }}
                        </span>
                    </h2>
                    <button on:click=toggle title="Close or reopen the list (L)">
                        {if open { "Close the list " } else { "Reopen the list " }}
                        <kbd>"L"</kbd>
                    </button>
                    <p class="small ordering" data-ordering=shared::report::key(&s.spec.ordering)>
                        {format!("Order: {} — ", crate::labels::ordering(s.spec.ordering))}
                        {crate::labels::ordering_help(s.spec.ordering)}
                    </p>
                </div>
            }
        })
    };

    let rows = move || {
        let Some(s) = segment.get() else {
            return view! { <p class="empty">"No segment is active: activate one below."</p> }.into_any();
        };
        if s.entries.is_empty() {
            return view! { <p class="empty" data-list="empty">"Nobody is waiting to speak."</p> }.into_any();
        }
        let last = s.entries.len() - 1;
        let statements = s.entries.iter().filter(|e| e.kind != RequestKind::PointOfOrder).count();
        let rows = s
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let id = e.id;
                let movable = e.kind != RequestKind::PointOfOrder && statements > 1;
                let is_selected = move || selected.get() == Some(id);
                let on_behalf = e.speaker.on_behalf_of().unwrap_or_default().to_string();
                let requested_at = e.requested_at;
                let added = e.added_by.is_some();
                view! {
                    <tr
                        class=format!("entry {}", crate::labels::kind_class(e.kind))
                        class:selected=is_selected
                        aria-selected=move || is_selected().to_string()
                        data-entry=id.0.to_string()
                        data-speaker=e.speaker.id.to_string()
                        on:click=move |_| selected.set(Some(id))
                    >
                        <td class="pos">{i + 1}</td>
                        <td class="who">
                            <span class="name">{e.speaker.name.clone()}</span>
                            <span class="on-behalf">{on_behalf}</span>
                            {crate::accreditation::joint_statement(&e.co_signers)
                                .map(|text| view! { <span class="co-signers small">{text}</span> })}
                            {added.then(|| view! { <span class="small">" added by the chair"</span> })}
                        </td>
                        <td>
                            <KindBadge kind=e.kind />
                        </td>
                        <td>
                            <PresenceBadge presence=e.presence />
                        </td>
                        <td class="language">{e.language.to_string()}</td>
                        <td class="small waited">{move || format!("waiting {}", duration_text(live.now.get().since(requested_at)))}</td>
                        <td class="actions">
                            <button
                                title="Move up"
                                aria-label="Move up"
                                disabled=!movable || i == 0
                                on:click=move |_| {
                                    live.send(Command::MoveEntry { entry: id, position: i.saturating_sub(1) }, "Move up")
                                }
                            >
                                "↑"
                            </button>
                            <button
                                title="Move down"
                                aria-label="Move down"
                                disabled=!movable || i == last
                                on:click=move |_| live.send(Command::MoveEntry { entry: id, position: i + 1 }, "Move down")
                            >
                                "↓"
                            </button>
                            <button
                                class="give"
                                title="Give the floor to this speaker"
                                on:click=move |_| live.send(Command::GiveFloor { entry: Some(id) }, "Give the floor")
                            >
                                "Give the floor"
                            </button>
                            <button
                                class="danger"
                                title="Take off the list"
                                on:click=move |_| live.send(Command::RemoveEntry { entry: id }, "Remove from the list")
                            >
                                "Remove"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="speakers">
                <thead>
                    <tr>
                        <th>"#"</th>
                        <th>"Speaker"</th>
                        <th>"Kind"</th>
                        <th>"Where"</th>
                        <th>"Lang."</th>
                        <th>"Asked"</th>
                        <th>
                            <span class="sr-only">"Actions"</span>
                        </th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
        .into_any()
    };

    view! {
        {header}
        {rows}
    }
}
