//! What a speaker gave with their request, wherever their name is shown: the group of states a
//! delegation speaks for ("On behalf of: Group of African States") and the note ("on 5(b)"), the
//! speaker's own words isolated (`<bdi>`) so that a note in Arabic beside an English label reads
//! right.

use leptos::prelude::*;

/// The group line and the note, each only when the request carried it.
#[component]
pub fn RequestDetails(group: Option<String>, note: Option<String>) -> impl IntoView {
    let group = group.map(|id| {
        let name = crate::labels::state_group(&id).map_or_else(|| id.clone(), str::to_string);
        view! {
            <span class="request-group" data-group=id>
                {crate::tr!(live.on_behalf_of_prefix)}{name}
            </span>
        }
    });
    let note = note.map(|note| {
        view! {
            <span class="request-note">
                {crate::tr!(live.note_prefix)}<bdi>{note}</bdi>
            </span>
        }
    });
    (group, note)
}
