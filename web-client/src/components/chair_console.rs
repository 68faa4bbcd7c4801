//! The chair's console: the floor, the active list, the segments, the record and its parity
//! figures, driven by the keyboard as much as by the mouse.

use leptos::prelude::*;
use shared::{EntryId, Role};
use wasm_bindgen::JsCast;

use crate::components::add_speaker::AddSpeaker;
use crate::components::connection_gate::ConnectionGate;
use crate::components::documents_panel::DocumentsPanel;
use crate::components::floor_panel::FloorPanel;
use crate::components::new_segment::NewSegment;
use crate::components::notices::Notices;
use crate::components::parity_panel::ParityPanel;
use crate::components::record_table::RecordTable;
use crate::components::segments_panel::SegmentsPanel;
use crate::components::speakers_list::SpeakersList;
use crate::live::Live;
use crate::shortcuts::{self, Effect};

/// The console on the podium.
#[component]
pub fn ChairConsole() -> impl IntoView {
    let live = expect_context::<Live>();
    let selected = RwSignal::new(None::<EntryId>);
    let extend_secs = RwSignal::new(30u32);

    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        // Typing in a form is not a shortcut, nor is Enter or Space on a focused button or link
        // (they press or follow it); other keys work wherever the chair last clicked.
        let key = ev.key();
        let tag = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| el.tag_name());
        let typing = matches!(tag.as_deref(), Some("INPUT" | "SELECT" | "TEXTAREA" | "SUMMARY"));
        let pressing = matches!(tag.as_deref(), Some("BUTTON" | "A")) && matches!(key.as_str(), "Enter" | " ");
        if typing || pressing || ev.repeat() {
            return;
        }
        let Some(action) = shortcuts::action(&key, ev.shift_key(), ev.ctrl_key() || ev.alt_key() || ev.meta_key())
        else {
            return;
        };
        let effect = live.session.with_untracked(|s| {
            s.live_meeting()
                .map(|m| shortcuts::effect(action, m, selected.get_untracked(), extend_secs.get_untracked()))
        });
        match effect {
            Some(Effect::Send(command, what)) => {
                ev.prevent_default();
                live.send(command, what);
            }
            Some(Effect::Select(entry)) => {
                ev.prevent_default();
                selected.set(entry);
            }
            Some(Effect::Nothing) | None => {}
        }
    });
    on_cleanup(move || keys.remove());

    let title = move || live.with_meeting(|m| m.info.title.clone()).unwrap_or_default();
    let you =
        move || live.session.with(|s| s.you.as_ref().map(|p| format!("{} · {}", p.name, crate::labels::role(p.role))));
    let secretariat =
        Signal::derive(move || live.session.with(|s| s.you.as_ref().is_some_and(|p| p.role == Role::Secretariat)));
    view! {
        <main class="chair">
            <Notices />
            <ConnectionGate>
                <header class="bar">
                    <h1>{title}</h1>
                    <span class="you">{you}</span>
                </header>
                <div class="console">
                    <section class="panel floor-panel" aria-label="The floor">
                        <FloorPanel extend_secs=extend_secs />
                    </section>
                    <section class="panel list-panel" aria-label="List of speakers">
                        <SpeakersList selected=selected />
                    </section>
                    <section class="panel add-panel" aria-label="Add a speaker">
                        <AddSpeaker />
                    </section>
                    <section class="panel segments-panel" aria-label="Segments">
                        <SegmentsPanel />
                        <NewSegment />
                    </section>
                    <section class="panel record-panel" aria-label="Record of interventions">
                        <RecordTable />
                    </section>
                    <section class="panel parity-panel" aria-label="Parity">
                        <ParityPanel />
                    </section>
                    <div class="panel documents-panel">
                        <DocumentsPanel
                            meeting=live.meeting_id().as_str().to_string()
                            token=live.token()
                            secretariat=secretariat
                        />
                    </div>
                </div>
                <footer class="legend" aria-label="Keyboard shortcuts">
                    {shortcuts::LEGEND
                        .iter()
                        .map(|(key, what)| view! { <span><kbd>{*key}</kbd>" "{*what}</span> })
                        .collect_view()}
                </footer>
            </ConnectionGate>
        </main>
    }
}
