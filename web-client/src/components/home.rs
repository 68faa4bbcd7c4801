//! `/`: what Rostrum is and how to open a screen; also where a broken link lands.

use leptos::prelude::*;

/// The landing page, with `problem` explaining a link that could not be opened.
#[component]
pub fn Home(problem: Option<String>) -> impl IntoView {
    let meeting = RwSignal::new(String::new());
    let open_display = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = meeting.get_untracked();
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_href(&format!("/display?meeting={}", id.trim()));
        }
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
            <form class="card" on:submit=open_display>
                <label>
                    "Room display of an open meeting — meeting id"
                    <input
                        type="text"
                        required
                        placeholder="demo"
                        prop:value=move || meeting.get()
                        on:input=move |ev| meeting.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit">"Open the display"</button>
            </form>
        </main>
    }
}
