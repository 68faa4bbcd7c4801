//! In the room or remote, as a badge with a mark that does not rely on colour alone.

use leptos::prelude::*;
use shared::Presence;

use crate::labels;

/// Where the speaker is.
#[component]
pub fn PresenceBadge(presence: Presence) -> impl IntoView {
    let mark = match presence {
        Presence::InRoom => "●",
        Presence::Remote => "◎",
    };
    view! {
        <span class=format!("badge presence {}", labels::presence_class(presence))>
            <span class="mark" aria-hidden="true">{mark}</span>
            " "
            {labels::presence(presence)}
        </span>
    }
}
