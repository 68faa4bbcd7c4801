//! The note a speaker gave with their request ("on 5(b)"), wherever their name is shown: the
//! speaker's own words isolated (`<bdi>`), so that a note in Arabic beside an English label reads
//! right.

use leptos::prelude::*;

/// "Note: on 5(b)", or nothing when the request carried no note.
#[component]
pub fn RequestNote(note: Option<String>) -> impl IntoView {
    note.map(|note| {
        view! {
            <span class="request-note">
                "Note: "<bdi>{note}</bdi>
            </span>
        }
    })
}
