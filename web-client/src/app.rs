//! The root component: `leptos_router` picks the screen from the path, and each screen reads the
//! rest of its link (meeting, token, settings) from the router's location, so that following a
//! link inside the client (a meeting chosen from the picker, a portal filtered by meeting) redraws
//! the screen without reloading the page.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::accreditation_list::AccreditationList;
use crate::components::apply_form::ApplyForm;
use crate::components::chair_console::ChairConsole;
use crate::components::delegation_page::DelegationPage;
use crate::components::home::Home;
use crate::components::meeting_picker::MeetingPicker;
use crate::components::organisation_page::OrganisationPage;
use crate::components::participant_view::ParticipantView;
use crate::components::portal_page::PortalPage;
use crate::components::report_page::ReportPage;
use crate::components::review_queue::ReviewQueue;
use crate::components::room_display::RoomDisplay;
use crate::components::statement_page::StatementPage;
use crate::link::Link;
use crate::live::Live;

/// Every screen, by path; any other address gets the home page, saying that it names no screen.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <FlatRoutes fallback=|| screen(no_screen)>
                <Route path=path!("/") view=|| screen(|_| view! { <Home problem=None /> }.into_any()) />
                <Route path=path!("/chair") view=|| screen(|link| live(link, LiveScreen::Chair)) />
                <Route path=path!("/speak") view=|| screen(speak) />
                <Route path=path!("/display") view=|| screen(|link| live(link, LiveScreen::Display)) />
                <Route path=path!("/apply") view=|| screen(|link| view! { <ApplyForm process=link.process /> }.into_any()) />
                <Route
                    path=path!("/accreditation")
                    view=|| screen(|link| view! { <AccreditationList process=link.process /> }.into_any())
                />
                <Route
                    path=path!("/secretariat")
                    view=|| screen(|link| view! { <ReviewQueue process=link.process token=link.token /> }.into_any())
                />
                <Route
                    path=path!("/organisation")
                    view=|| screen(|link| view! { <OrganisationPage token=link.token /> }.into_any())
                />
                <Route
                    path=path!("/delegation")
                    view=|| screen(|link| view! { <DelegationPage token=link.token /> }.into_any())
                />
                <Route path=path!("/report") view=|| screen(report) />
                <Route
                    path=path!("/portal")
                    view=|| screen(|link| {
                        let meeting = link.meeting.map(|m| m.as_str().to_string());
                        view! { <PortalPage process=link.process meeting=meeting /> }.into_any()
                    })
                />
                <Route
                    path=path!("/statement")
                    view=|| screen(|link| view! { <StatementPage id=link.id token=link.token /> }.into_any())
                />
            </FlatRoutes>
        </Router>
    }
}

/// A screen drawn by `draw` from the current link, and drawn again when the link's query or
/// fragment changes (a link followed inside the client to the same path).
fn screen(draw: fn(Link) -> AnyView) -> impl IntoView {
    let location = use_location();
    let link = Memo::new(move |_| {
        crate::browser::link(&location.pathname.get_untracked(), &location.search.get(), &location.hash.get())
    });
    move || draw(link.get())
}

/// The home page, saying that the address names no screen.
fn no_screen(_: Link) -> AnyView {
    let path = use_location().pathname.get_untracked();
    let problem = format!("There is no screen at {path}. Check the link, or start from this page.");
    view! { <Home problem=Some(problem) /> }.into_any()
}

/// `/speak`: a participant's view; a personal link valid for a whole process names no meeting, so
/// its holder picks one first.
fn speak(link: Link) -> AnyView {
    match (&link.meeting, &link.bad_meeting, &link.process) {
        (None, None, Some(process)) => {
            view! { <MeetingPicker process=process.clone() presence=link.presence token=link.token /> }.into_any()
        }
        _ => live(link, LiveScreen::Speak),
    }
}

/// `/report?meeting=ID` or `/report?process=ID`.
fn report(link: Link) -> AnyView {
    let meeting = link.meeting.as_ref().map(|m| m.as_str().to_string());
    view! { <ReportPage meeting=meeting process=link.process token=link.token time_zone=link.time_zone /> }.into_any()
}

/// The screens connected to a meeting.
#[derive(Clone, Copy)]
enum LiveScreen {
    Chair,
    Speak,
    Display,
}

/// A screen connected to the link's meeting, or the home page saying what is wrong with the link.
fn live(link: Link, screen: LiveScreen) -> AnyView {
    let Some(meeting) = link.meeting.clone() else {
        let problem = match &link.bad_meeting {
            Some(bad) => format!("\"{bad}\" is not a valid meeting id. Check the link."),
            None => "This link does not say which meeting to open (?meeting=…).".to_string(),
        };
        return view! { <Home problem=Some(problem) /> }.into_any();
    };
    provide_context(Live::start(meeting, link.token.clone()));
    match screen {
        LiveScreen::Chair => view! { <ChairConsole /> }.into_any(),
        LiveScreen::Speak => view! { <ParticipantView time_zone=link.time_zone presence=link.presence /> }.into_any(),
        LiveScreen::Display => view! { <RoomDisplay next=link.next /> }.into_any(),
    }
}
