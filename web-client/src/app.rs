//! The root component: picks the screen from the address and connects it to its meeting.

use leptos::prelude::*;

use crate::components::chair_console::ChairConsole;
use crate::components::home::Home;
use crate::components::participant_view::ParticipantView;
use crate::components::room_display::RoomDisplay;
use crate::link::View;
use crate::live::Live;

/// The screen the link asks for.
#[component]
pub fn App() -> impl IntoView {
    let link = crate::browser::link();
    let Some(meeting) = link.meeting.clone().filter(|_| link.view != View::Home) else {
        let problem = match (&link.view, &link.bad_meeting) {
            (View::Home, _) => None,
            (_, Some(bad)) => Some(format!("\"{bad}\" is not a valid meeting id. Check the link.")),
            (_, None) => Some("This link does not say which meeting to open (?meeting=…).".to_string()),
        };
        return view! { <Home problem=problem /> }.into_any();
    };
    let live = Live::start(meeting, link.token.clone());
    provide_context(live);
    match link.view {
        View::Chair => view! { <ChairConsole /> }.into_any(),
        View::Speak => view! { <ParticipantView time_zone=link.time_zone.clone() /> }.into_any(),
        _ => view! { <RoomDisplay next=link.next /> }.into_any(),
    }
}
