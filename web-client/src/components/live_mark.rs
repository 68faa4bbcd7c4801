//! Whether a participant has a screen connected right now, as a mark with words: the chair sees
//! it beside every waiting entry before giving the floor. Words, not colour alone.

use leptos::prelude::*;
use shared::live::Seen;
use shared::ParticipantId;

use crate::live::Live;
use crate::timing::duration_text;

/// The live presence of `participant`, as the server last said it.
#[component]
pub fn LiveMark(participant: ParticipantId) -> impl IntoView {
    let live = expect_context::<Live>();
    let seen = Memo::new(move |_| live.seen(&participant));
    let class = move || match seen.get() {
        Seen::Connected => "live-mark connected",
        Seen::DisconnectedFor { .. } => "live-mark disconnected",
        Seen::NeverConnected => "live-mark never",
    };
    let state = move || match seen.get() {
        Seen::Connected => "connected",
        Seen::DisconnectedFor { .. } => "disconnected",
        Seen::NeverConnected => "never",
    };
    let mark = move || match seen.get() {
        Seen::Connected => "▲",
        Seen::DisconnectedFor { .. } => "▽",
        Seen::NeverConnected => "–",
    };
    view! {
        <span class=class data-live=state title=crate::tr!(live.live_mark_title)>
            <span class="mark" aria-hidden="true">{mark}</span>
            " "
            {move || label(seen.get())}
        </span>
    }
}

/// The words of a live presence.
pub fn label(seen: Seen) -> String {
    match seen {
        Seen::Connected => crate::tr!(live.connected).into(),
        Seen::DisconnectedFor { secs } => {
            crate::tr!(live.disconnected_for, duration = duration_text(secs as i64 * 1000))
        }
        Seen::NeverConnected => crate::tr!(live.never_connected).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_disconnection_says_for_how_long_in_words() {
        assert_eq!(label(Seen::DisconnectedFor { secs: 40 }), "Disconnected for 40 s");
        assert_eq!(label(Seen::DisconnectedFor { secs: 150 }), "Disconnected for 3 min");
        assert_eq!(label(Seen::Connected), "Connected");
        assert_eq!(label(Seen::NeverConnected), "Never connected");
    }
}
