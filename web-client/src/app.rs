//! The root component: picks the screen from the address and connects it to its meeting.

use leptos::prelude::*;

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
use crate::link::View;
use crate::live::Live;

/// The screen the link asks for.
#[component]
pub fn App() -> impl IntoView {
    let link = crate::browser::link();
    match link.view {
        View::Apply => return view! { <ApplyForm process=link.process.clone() /> }.into_any(),
        View::Accreditation => return view! { <AccreditationList process=link.process.clone() /> }.into_any(),
        View::Secretariat => {
            return view! { <ReviewQueue process=link.process.clone() token=link.token.clone() /> }.into_any()
        }
        View::Organisation => return view! { <OrganisationPage token=link.token.clone() /> }.into_any(),
        View::Delegation => return view! { <DelegationPage token=link.token.clone() /> }.into_any(),
        View::Report => {
            let meeting = link.meeting.as_ref().map(|m| m.as_str().to_string());
            return view! {
                <ReportPage
                    meeting=meeting
                    process=link.process.clone()
                    token=link.token.clone()
                    time_zone=link.time_zone.clone()
                />
            }
            .into_any();
        }
        View::Portal => {
            let meeting = link.meeting.as_ref().map(|m| m.as_str().to_string());
            return view! { <PortalPage process=link.process.clone() meeting=meeting /> }.into_any();
        }
        View::Statement => return view! { <StatementPage id=link.id.clone() token=link.token.clone() /> }.into_any(),
        _ => {}
    }
    // A personal link valid for a whole process names no meeting: pick one first.
    if let (View::Speak, None, None, Some(process)) = (link.view, &link.meeting, &link.bad_meeting, &link.process) {
        return view! { <MeetingPicker process=process.clone() presence=link.presence token=link.token.clone() /> }
            .into_any();
    }
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
        View::Speak => view! { <ParticipantView time_zone=link.time_zone.clone() presence=link.presence /> }.into_any(),
        _ => view! { <RoomDisplay next=link.next /> }.into_any(),
    }
}
