//! Every segment of the meeting from the participant's side: which ones they may inscribe in (and
//! why not), their place in each list, and joining a later segment's list in advance.

use leptos::prelude::*;
use shared::{Command, Gender, Language, Presence, RequestKind};

use crate::components::withdraw_control::WithdrawControl;
use crate::labels;
use crate::live::Live;
use crate::standing::my_entry;

/// The meeting's segments; `kind`, `language`, `presence` and the declared `gender` (if any) are
/// used when joining a list.
#[component]
pub fn MySegments(
    kind: RwSignal<RequestKind>,
    language: RwSignal<String>,
    presence: RwSignal<Presence>,
    gender: RwSignal<Option<Gender>>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let me = Memo::new(move |_| live.session.with(|s| s.you.clone()));
    let standing = Memo::new(move |_| live.session.with(|s| s.standing));
    let rows = move || {
        let me = me.get()?;
        live.with_meeting(|m| {
            let zone = crate::time_zone::meeting_zone(&m.info, None);
            m.segments
                .iter()
                .map(|s| {
                    let id = s.id;
                    let active = m.active_segment == Some(id);
                    let status = if let Some(why) = labels::why_not(s, me.role, standing.get()) {
                        view! { <p class="why-not">{why}</p> }.into_any()
                    } else if let Some((position, _)) = my_entry(s, &me.id) {
                        view! {
                            <p>
                                {format!("{} ", crate::tr!(live.you_are_number_of, position = position, total = s.entries.len()))}
                                <WithdrawControl segment=Some(id) label=crate::tr!(live.withdraw) />
                            </p>
                        }
                        .into_any()
                    } else if let Some(note) = labels::list_note(s, live.now.get_untracked(), &zone) {
                        view! { <p class="why-not">{note}</p> }.into_any()
                    } else if active {
                        view! { <p class="small">{crate::tr!(live.ask_above)}</p> }.into_any()
                    } else {
                        let join = move |_| {
                            let Ok(language) = Language::parse(language.get_untracked()) else { return };
                            let command = Command::RequestFloor {
                                segment: Some(id),
                                kind: kind.get_untracked(),
                                presence: presence.get_untracked(),
                                language,
                                co_signers: Vec::new(),
                                gender: gender.get_untracked(),
                                note: None,
                                group: None,
                            };
                            live.send(command, crate::tr!(live.join_list_in_advance_action));
                        };
                        view! {
                            <p>
                                {format!("{} ", crate::trn!(live.waiting_in_list, count = s.entries.len() as i32))}
                                <button on:click=join>{crate::tr!(live.join_this_list_in_advance)}</button>
                            </p>
                        }
                        .into_any()
                    };
                    view! {
                        <li class="segment" class:active=active>
                            <div>
                                <strong><bdi>{s.spec.title.clone()}</bdi></strong>
                                {active.then(|| view! { <span class="badge active">{crate::tr!(live.now_badge)}</span> })}
                            </div>
                            <div class="small">{labels::inscription(s.spec.inscription)}</div>
                            {status}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section class="card" aria-label=crate::tr!(live.segments)>
            <h2>{crate::tr!(live.segments_of_this_meeting)}</h2>
            <ul class="segments">{rows}</ul>
        </section>
    }
}
