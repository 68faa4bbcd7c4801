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
            <p class="lead">"The list of speakers of a hybrid meeting, on every screen at once."</p>
            {problem.map(|p| view! { <p class="notice" role="alert">{p}</p> })}
            <p>
                "Open the access link the secretariat sent you: it leads to the chair's console, "
                "to your own view as a delegate or stakeholder, or to the room display."
            </p>
            <section class="card" aria-label="The demo's public pages">
                <h2>"The demo's public pages"</h2>
                <ul>
                    <li>
                        <a href="/report?meeting=demo" data-link="demo-report">"Report of the meeting \"demo\""</a>
                        " — who spoke, for how long, from where, and the parity figures"
                    </li>
                    <li>
                        <a href="/portal?process=oewg-demo" data-link="demo-portal">"Written statements of the process"</a>
                        " — the public portal of written input and the responses of member states"
                    </li>
                    <li>
                        <a href="/accreditation?process=oewg-demo">"Accredited organisations"</a>
                    </li>
                </ul>
            </section>
            <form class="card" on:submit=open_display>
                <Field label="Room display of an open meeting — meeting id" name="meeting" required=true placeholder="demo" value=meeting />
                <button type="submit">"Open the display"</button>
            </form>
        </main>
    }
}
