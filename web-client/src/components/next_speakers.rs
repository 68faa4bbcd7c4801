//! Who is ahead: the next speakers of the active list as the room sees them on the projector,
//! shown on a participant's own screen with their place highlighted ("You are 4th").

use leptos::prelude::*;

use crate::components::presence_badge::PresenceBadge;
use crate::labels::ordinal;
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
                return view! { <p class="empty">{crate::tr!(live.no_segment_open)}</p> }.into_any();
            };
            let entries = &segment.entries;
            if entries.is_empty() {
                return view! { <p class="empty">{crate::tr!(live.nobody_waiting)}</p> }.into_any();
            }
            let mine = me.as_ref().and_then(|id| entries.iter().position(|e| &e.speaker.id == id));
            let place = match mine {
                Some(0) => crate::tr!(live.you_are_next).to_string(),
                Some(i) => crate::trn!(live.you_are_nth_ahead, count = i as i32, ordinal = ordinal(i + 1)),
                None => crate::trn!(live.people_waiting, count = entries.len() as i32),
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
                                <bdi class="name">{if is_me { crate::tr!(live.you).to_string() } else { e.speaker.name.clone() }}</bdi>
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
                {(more > 0).then(|| view! { <p class="small">{crate::trn!(live.and_more, count = more as i32)}</p> })}
            }
            .into_any()
        })
    };
    view! {
        <section class="card next-speakers" aria-label=crate::tr!(live.next_speakers)>
            <h2>{crate::tr!(live.next_speakers)}</h2>
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

    #[test]
    fn the_counts_agree_with_their_number_in_each_language() {
        use crate::language::{set, Locale};
        let ahead = |n: usize| crate::trn!(live.you_are_nth_ahead, count = n as i32, ordinal = ordinal(n + 1));
        let waiting = |n: i32| crate::trn!(live.people_waiting, count = n);
        assert_eq!(ahead(1), "You are 2nd · 1 person ahead of you");
        assert_eq!(ahead(3), "You are 4th · 3 people ahead of you");
        assert_eq!(waiting(1), "1 person waiting");
        assert_eq!(waiting(7), "7 people waiting");
        set(Locale::ru);
        assert_eq!(waiting(2), "2 оратора ожидают");
        assert_eq!(waiting(5), "5 ораторов ожидают");
        assert_eq!(waiting(21), "21 оратор ожидает");
        set(Locale::zh);
        assert_eq!(waiting(3), "3 人等候发言");
        set(Locale::ar);
        assert_eq!(waiting(2), "متكلمان في الانتظار");
        assert_eq!(waiting(11), "11 متكلمًا في الانتظار");
        set(Locale::en);
    }
}
