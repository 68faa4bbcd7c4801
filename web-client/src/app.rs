//! The root component: `leptos_router` picks the screen from the path, and each screen reads the
//! rest of its link (meeting, token, settings) from the router's location, so that following a
//! link inside the client (a meeting chosen from the picker, a portal filtered by meeting) redraws
//! the screen without reloading the page.
//!
//! The client is built once per group of screens (the `live`, `chair` and `pages` features; see
//! `boot.js`): every bundle knows every route, draws those of its group, and hands the others to
//! the bundle that has them with a full page load.

use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::link::Link;

/// Every screen, by path; any other address gets the home page, saying that it names no screen.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <FlatRoutes fallback=|| screen(no_screen)>
                <Route path=path!("/") view=|| screen(home) />
                <Route path=path!("/chair") view=|| screen(chair) />
                <Route path=path!("/speak") view=|| screen(speak) />
                <Route path=path!("/display") view=|| screen(display) />
                <Route path=path!("/booth") view=|| screen(booth) />
                <Route path=path!("/apply") view=|| screen(apply) />
                <Route path=path!("/accreditation") view=|| screen(accreditation) />
                <Route path=path!("/secretariat") view=|| screen(secretariat) />
                <Route path=path!("/organisation") view=|| screen(organisation) />
                <Route path=path!("/delegation") view=|| screen(delegation) />
                <Route path=path!("/report") view=|| screen(report) />
                <Route path=path!("/portal") view=|| screen(portal) />
                <Route path=path!("/statement") view=|| screen(statement) />
            </FlatRoutes>
        </Router>
        // At the end of every screen, so that it moves nothing a screen lays out; the room display
        // keeps it in a corner (style.css).
        <crate::language::LanguagePicker />
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

/// `$name` draws a screen of the group `$group` with `$draw` when this bundle holds that group,
/// and otherwise loads the page again, for `boot.js` to start the bundle that holds it.
macro_rules! screen_of {
    ($group:literal, $name:ident, $draw:expr) => {
        #[cfg(feature = $group)]
        fn $name(link: Link) -> AnyView {
            let draw: fn(Link) -> AnyView = $draw;
            draw(link)
        }
        #[cfg(not(feature = $group))]
        fn $name(_: Link) -> AnyView {
            elsewhere()
        }
    };
}

screen_of!("pages", home, |_| view! { <crate::components::home::Home problem=None /> }.into_any());
screen_of!("chair", chair, |link| live(link, LiveScreen::Chair));
// A personal link valid for a whole process names no meeting, so its holder picks one first.
screen_of!("live", speak, |link| match (&link.meeting, &link.bad_meeting, &link.process) {
    (None, None, Some(process)) => {
        use crate::components::meeting_picker::MeetingPicker;
        view! { <MeetingPicker process=process.clone() presence=link.presence token=link.token /> }.into_any()
    }
    _ => live(link, LiveScreen::Speak),
});
screen_of!("live", display, |link| live(link, LiveScreen::Display));
screen_of!("live", booth, |link| live(link, LiveScreen::Booth));
screen_of!("pages", apply, |link| {
    view! { <crate::components::apply_form::ApplyForm process=link.process /> }.into_any()
});
screen_of!("pages", accreditation, |link| {
    view! { <crate::components::accreditation_list::AccreditationList process=link.process /> }.into_any()
});
screen_of!("desk", secretariat, |link| {
    use crate::components::secretariat_console::SecretariatConsole;
    let meeting = link.meeting.map(|m| m.as_str().to_string());
    view! { <SecretariatConsole process=link.process meeting=meeting token=link.token /> }.into_any()
});
screen_of!("pages", organisation, |link| {
    view! { <crate::components::organisation_page::OrganisationPage token=link.token /> }.into_any()
});
screen_of!("pages", delegation, |link| {
    view! { <crate::components::delegation_page::DelegationPage token=link.token /> }.into_any()
});
screen_of!("pages", report, |link| {
    use crate::components::report_page::ReportPage;
    let meeting = link.meeting.as_ref().map(|m| m.as_str().to_string());
    view! { <ReportPage meeting=meeting process=link.process token=link.token time_zone=link.time_zone /> }.into_any()
});
screen_of!("pages", portal, |link| {
    let meeting = link.meeting.map(|m| m.as_str().to_string());
    view! { <crate::components::portal_page::PortalPage process=link.process meeting=meeting /> }.into_any()
});
screen_of!("pages", statement, |link| {
    view! { <crate::components::statement_page::StatementPage id=link.id token=link.token /> }.into_any()
});
// An address that names no screen: the home page says so.
screen_of!("pages", no_screen, |_| {
    let path = use_location().pathname.get_untracked();
    let problem = format!("There is no screen at {path}. Check the link, or start from this page.");
    view! { <crate::components::home::Home problem=Some(problem) /> }.into_any()
});

/// A screen this bundle does not hold, reached by a link followed inside the client: the page is
/// loaded again at the new address, and `boot.js` starts the bundle that holds it. Never on the
/// address the page was loaded at, which `boot.js` chose this bundle for: that would loop.
#[cfg(not(all(feature = "live", feature = "chair", feature = "desk", feature = "pages")))]
fn elsewhere() -> AnyView {
    let here = use_location().pathname.get_untracked();
    if crate::browser::loaded_at() != here {
        crate::browser::reload();
    }
    ().into_any()
}

/// The screens connected to a meeting.
#[derive(Clone, Copy)]
#[cfg(any(feature = "live", feature = "chair"))]
enum LiveScreen {
    #[cfg(feature = "chair")]
    Chair,
    #[cfg(feature = "live")]
    Speak,
    #[cfg(feature = "live")]
    Display,
    #[cfg(feature = "live")]
    Booth,
}

/// A screen connected to the link's meeting, or the home page saying what is wrong with the link.
#[cfg(any(feature = "live", feature = "chair"))]
fn live(link: Link, screen: LiveScreen) -> AnyView {
    use crate::components::home::Home;
    let Some(meeting) = link.meeting.clone() else {
        let problem = match &link.bad_meeting {
            Some(bad) => format!("\"{bad}\" is not a valid meeting id. Check the link."),
            None => "This link does not say which meeting to open (?meeting=…).".to_string(),
        };
        // `boot.js` opened a socket for the `?meeting=` it saw; no screen will take it over.
        crate::browser::close_preopened_socket();
        return view! { <Home problem=Some(problem) /> }.into_any();
    };
    provide_context(crate::live::Live::start(meeting, link.token.clone()));
    match screen {
        #[cfg(feature = "chair")]
        LiveScreen::Chair => view! { <crate::components::chair_console::ChairConsole /> }.into_any(),
        #[cfg(feature = "live")]
        LiveScreen::Speak => {
            use crate::components::participant_view::ParticipantView;
            view! { <ParticipantView time_zone=link.time_zone presence=link.presence /> }.into_any()
        }
        #[cfg(feature = "live")]
        LiveScreen::Display => view! { <crate::components::room_display::RoomDisplay next=link.next /> }.into_any(),
        #[cfg(feature = "live")]
        LiveScreen::Booth => view! { <crate::components::booth_view::BoothView next=link.next /> }.into_any(),
    }
}
