//! The meeting's segments for the chair: their rules (with the ordering policy), and activate /
//! close / reopen.

use leptos::prelude::*;
use shared::Command;

use crate::labels;
use crate::live::Live;
use crate::timing::duration_text;
use crate::tr;

/// Every segment of the meeting.
#[component]
pub fn SegmentsPanel() -> impl IntoView {
    let live = expect_context::<Live>();
    let segments = Memo::new(move |_| {
        live.with_meeting(|m| {
            let items: Vec<(shared::AgendaItemId, String)> =
                m.agenda.iter().map(|i| (i.id, i.number.clone())).collect();
            let zone = crate::time_zone::meeting_zone(&m.info, None);
            (m.segments.clone(), m.active_segment, m.floor.is_some(), items, zone)
        })
        .unwrap_or_default()
    });
    view! {
        <h2>{tr!(chair.segments)}</h2>
        <ul class="segments">
            {move || {
                let (segments, active, floor, items, zone) = segments.get();
                segments
                    .into_iter()
                    .map(|s| {
                        let id = s.id;
                        let is_active = active == Some(id);
                        let open = s.list_open;
                        let item = s
                            .spec
                            .item
                            .and_then(|id| items.iter().find(|(i, _)| *i == id))
                            .map(|(_, number)| view! { <span class="item-number">{format!("{} · ", tr!(chair.item_number, number = number))}</span> });
                        let budget = s
                            .spec
                            .budget_secs
                            .map(|b| {
                                format!(
                                    " · {}",
                                    tr!(
                                        chair.budget_used,
                                        budget = duration_text(i64::from(b) * 1000),
                                        used = duration_text(s.used_ms)
                                    )
                                )
                            });
                        let opening = s
                            .spec
                            .opens_at
                            .and_then(|at| {
                                let time = crate::browser::time_of_day(at, Some(&zone), false)?;
                                let day = crate::time_zone::day(at, &zone)?;
                                Some(tr!(
                                    chair.list_opens_at_on,
                                    time = time,
                                    zone = crate::time_zone::label(&zone, at),
                                    day = day
                                ))
                            })
                            .map(|text| view! { <div class="small opening">{text}</div> });
                        view! {
                            <li class="segment" class:active=is_active data-segment=id.0.to_string()>
                                <div>
                                    <strong><bdi>{s.spec.title.clone()}</bdi></strong>
                                    {is_active.then(|| view! { <span class="badge active">{tr!(chair.active)}</span> })}
                                    <span class=if open { "badge open" } else { "badge closed" }>
                                        {if open { tr!(chair.list_open) } else { tr!(chair.list_closed) }}
                                    </span>
                                </div>
                                <div class="small">
                                    {item}
                                    {labels::inscription(s.spec.inscription)}
                                    {format!(" · {}", labels::list_rules(&s.spec))}
                                    {budget}
                                    {match s.spec.max_waiting {
                                        Some(max) => {
                                            format!(
                                                " · {}",
                                                tr!(chair.waiting_of_at_most, waiting = s.entries.len(), max = max),
                                            )
                                        }
                                        None => format!(" · {}", tr!(chair.waiting_count, waiting = s.entries.len())),
                                    }}
                                </div>
                                {opening}
                                <div class="small ordering" data-ordering=shared::report::key(&s.spec.ordering)
                                    title=labels::ordering_help(s.spec.ordering)>
                                    {tr!(chair.order, ordering = labels::ordering(s.spec.ordering))}
                                </div>
                                <div class="controls">
                                    {(!is_active)
                                        .then(|| {
                                            view! {
                                                <button
                                                    disabled=floor
                                                    title=if floor {
                                                        tr!(chair.activate_blocked)
                                                    } else {
                                                        tr!(chair.activate_help)
                                                    }
                                                    on:click=move |_| {
                                                        live.send(Command::ActivateSegment { segment: id }, tr!(chair.activate_the_segment))
                                                    }
                                                >
                                                    {tr!(chair.activate)}
                                                </button>
                                            }
                                        })}
                                    <button on:click=move |_| {
                                        if open {
                                            live.send(Command::CloseList { segment: Some(id) }, tr!(chair.close_the_list))
                                        } else {
                                            live.send(Command::ReopenList { segment: Some(id) }, tr!(chair.reopen_the_list))
                                        }
                                    }>{if open { tr!(chair.close_the_list) } else { tr!(chair.reopen_the_list) }}</button>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
