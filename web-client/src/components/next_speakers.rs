//! Who is ahead: the next speakers of the active list as the room sees them on the projector,
//! shown on a participant's own screen with their place highlighted ("You are 4th").

use leptos::prelude::*;

use crate::components::presence_badge::PresenceBadge;
use crate::labels::{count, ordinal};
use crate::live::Live;

/// The first `first` entries of the active list, and the participant's own when it is further
/// down.
#[component]
pub fn NextSpeakers(first: usize) -> impl IntoView {
    let live = expect_context::<Live>();
    let me = Memo::new(move |_| live.session.with(|s| s.you.as_ref().map(|p| p.id.clone())));
    let body = move || {
        let me = me.get();
        live.with_meeting(|m| {
            let Some(segment) = m.active() else {
                return view! { <p class="empty">"No segment is open yet."</p> }.into_any();
            };
            let entries = &segment.entries;
            if entries.is_empty() {
                return view! { <p class="empty">"Nobody is waiting to speak."</p> }.into_any();
            }
            let mine = me.as_ref().and_then(|id| entries.iter().position(|e| &e.speaker.id == id));
            let place = match mine {
                Some(0) => "You are next".to_string(),
                Some(i) => format!("You are {} · {} ahead of you", ordinal(i + 1), count(i, "person", "people")),
                None => format!("{} waiting", count(entries.len(), "person", "people")),
            };
            let rows = shown(entries.len(), first, mine);
            let items = rows
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let e = &entries[i];
                    let is_me = mine == Some(i);
                    let gap = k > 0 && rows[k - 1] + 1 != i;
                    view! {
                        {gap.then(|| view! { <li class="gap" aria-hidden="true">"…"</li> })}
                        <li
                            class="entry"
                            class:me=is_me
                            aria-current=is_me.then_some("true")
                            data-speaker=e.speaker.id.to_string()
                            data-position=(i + 1).to_string()
                        >
                            <span class="pos">{i + 1}</span>
                            <span class="who">
                                <bdi class="name">{if is_me { "You".to_string() } else { e.speaker.name.clone() }}</bdi>
                                <bdi class="on-behalf">{e.speaker.on_behalf_of().map(String::from)}</bdi>
                                <crate::components::request_details::RequestDetails group=e.group.clone() note=e.note.clone() />
                            </span>
                            <PresenceBadge presence=e.presence />
                        </li>
                    }
                })
                .collect_view();
            let more = entries.len().saturating_sub(rows.len());
            view! {
                <p class="place" data-place=mine.map(|i| (i + 1).to_string())>
                    {place}
                </p>
                <ol class="next">{items}</ol>
                {(more > 0).then(|| view! { <p class="small">{format!("and {more} more")}</p> })}
            }
            .into_any()
        })
    };
    view! {
        <section class="card next-speakers" aria-label="Next speakers">
            <h2>"Next speakers"</h2>
            {body}
        </section>
    }
}

/// The indexes of the rows shown out of `len`: the first `first`, and `mine` when further down.
fn shown(len: usize, first: usize, mine: Option<usize>) -> Vec<usize> {
    (0..len.min(first)).chain(mine.filter(|&i| i >= first && i < len)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_five_are_shown_and_ones_own_place_when_further_down() {
        assert_eq!(shown(3, 5, Some(1)), [0, 1, 2]);
        assert_eq!(shown(12, 5, Some(2)), [0, 1, 2, 3, 4]);
        assert_eq!(shown(12, 5, Some(9)), [0, 1, 2, 3, 4, 9]);
        assert_eq!(shown(12, 5, None), [0, 1, 2, 3, 4]);
    }
}
