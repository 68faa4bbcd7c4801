//! `/`: what Rostrum is, how to open a screen and the demo's public pages; also where a broken
//! link lands.

use leptos::prelude::*;

use crate::components::field::Field;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

/// The landing page, with `problem` explaining a link that could not be opened.
#[component]
pub fn Home(problem: Option<String>) -> impl IntoView {
    let meeting = RwSignal::new(String::new());
    let navigate = use_navigate();
    let open_display = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = meeting.get_untracked();
        navigate(&format!("/display?meeting={}", crate::http::encode(id.trim())), NavigateOptions::default());
    };
    view! {
        <main class="home">
            <h1>"Rostrum"</h1>
            <p class="lead">{crate::tr!(accreditation.home_lead)}</p>
            {problem.map(|p| view! { <p class="notice" role="alert">{p}</p> })}
            <p>{crate::tr!(accreditation.home_intro)}</p>
            <section class="card" aria-label=crate::tr!(accreditation.demo_pages)>
                <h2>{crate::tr!(accreditation.demo_pages)}</h2>
                <ul>
                    <li>
                        <a href="/report?meeting=demo" data-link="demo-report">{crate::tr!(accreditation.demo_report_link)}</a>
                        " — "
                        {crate::tr!(accreditation.demo_report_description)}
                    </li>
                    <li>
                        <a href="/portal?process=oewg-demo" data-link="demo-portal">{crate::tr!(accreditation.demo_portal_link)}</a>
                        " — "
                        {crate::tr!(accreditation.demo_portal_description)}
                    </li>
                    <li>
                        <a href="/accreditation?process=oewg-demo">{crate::tr!(accreditation.accredited_organisations)}</a>
                    </li>
                </ul>
            </section>
            <form class="card" on:submit=open_display>
                <Field label=crate::tr!(accreditation.display_meeting_id_label) name="meeting" required=true placeholder="demo" value=meeting />
                <button type="submit">{crate::tr!(accreditation.open_display_button)}</button>
            </form>
        </main>
    }
}
