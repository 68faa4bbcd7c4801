//! The chair's console: the floor, the active list, the segments, the record and its parity
//! figures, driven by the keyboard as much as by the mouse.

use leptos::prelude::*;
use shared::{EntryId, ParticipantId, Role};

use crate::components::add_speaker::AddSpeaker;
use crate::components::agenda_panel::AgendaPanel;
use crate::components::connection_gate::ConnectionGate;
use crate::components::current_item::CurrentItem;
use crate::components::documents_panel::DocumentsPanel;
use crate::components::floor_panel::FloorPanel;
use crate::components::new_segment::NewSegment;
use crate::components::notices::Notices;
use crate::components::parity_panel::ParityPanel;
use crate::components::record_table::RecordTable;
use crate::components::segments_panel::SegmentsPanel;
use crate::components::speakers_list::SpeakersList;
use crate::keyboard::{self, KeyListener};
use crate::live::Live;
use crate::removal::Removals;
use crate::shortcuts::{self, Route};
use crate::tr;

/// The console on the podium.
#[component]
pub fn ChairConsole() -> impl IntoView {
    let live = expect_context::<Live>();
    let selected = RwSignal::new(None::<EntryId>);
    let extend_secs = RwSignal::new(30u32);
    let removals = Removals::new(live);
    provide_context(removals);

    // Shortcuts are the page's, never a focused control's: the listener runs in the capture phase,
    // before any control sees the key. Typing is left alone, and so is a keyboard user pressing
    // the button they tabbed to.
    let keys = KeyListener::capture(move |ev| {
        let key = ev.key();
        match shortcuts::route(keyboard::focus_of(&ev), &key) {
            Route::Browser => return,
            Route::Shortcut => {}
            Route::ShortcutNotControl => {
                ev.prevent_default();
                keyboard::blur_focused();
            }
        }
        if ev.repeat() {
            return;
        }
        let Some(action) = shortcuts::action(&key, ev.shift_key(), ev.ctrl_key() || ev.alt_key() || ev.meta_key())
        else {
            return;
        };
        let removing = removals.entries();
        let effect = live.session.with_untracked(|s| {
            s.live_meeting()
                .map(|m| shortcuts::effect(action, m, selected.get_untracked(), extend_secs.get_untracked(), &removing))
        });
        let Some(effect) = effect.filter(|e| *e != shortcuts::Effect::Nothing) else { return };
        ev.prevent_default();
        match effect {
            shortcuts::Effect::Send(command, what) => live.send(command, what),
            shortcuts::Effect::Select(entry) => selected.set(entry),
            shortcuts::Effect::Remove(entry) => removals.start(entry),
            shortcuts::Effect::Undo => removals.undo_last(),
            shortcuts::Effect::Nothing => {}
        }
    });
    let keys = StoredValue::new_local(Some(keys));
    on_cleanup(move || {
        keys.try_update_value(Option::take);
    });

    // After an addition the focus goes back to the list (so that Enter gives the floor rather than
    // submitting the emptied form), and the new entry is selected once it arrives.
    let awaited = RwSignal::new(None::<ParticipantId>);
    let added = Callback::new(move |speaker: ParticipantId| {
        awaited.set(Some(speaker));
        keyboard::focus_first(LIST);
    });
    Effect::new(move || {
        let Some(speaker) = awaited.get() else { return };
        let entry = live.with_meeting(|m| {
            m.active().and_then(|s| s.entries.iter().find(|e| e.speaker.id == speaker)).map(|e| e.id)
        });
        if let Some(entry) = entry.flatten() {
            selected.set(Some(entry));
            awaited.set(None);
        }
    });

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
                    <h1 dir="auto">{title}</h1>
                    <span class="you">{you}</span>
                </header>
                <CurrentItem />
                <crate::components::chairing::ChairingControls />
                // Two columns: the floor and the form stay in view on the left while the list scrolls
                // in its own region on the right, with segments, record and parity below it.
                <div class="console">
                    <div class="console-side">
                        <section class="panel floor-panel" aria-label=tr!(chair.the_floor)>
                            <FloorPanel extend_secs=extend_secs />
                        </section>
                        <section class="panel add-panel" aria-label=tr!(chair.add_speaker)>
                            <AddSpeaker added=added />
                        </section>
                    </div>
                    <div class="console-main">
                        <section class="panel list-panel" aria-label=tr!(chair.list_of_speakers)>
                            <SpeakersList selected=selected />
                        </section>
                        <section class="panel agenda-panel" aria-label=tr!(chair.agenda)>
                            <AgendaPanel />
                        </section>
                        <section class="panel segments-panel" aria-label=tr!(chair.segments)>
                            <SegmentsPanel />
                            <NewSegment />
                        </section>
                        <section class="panel record-panel" aria-label=tr!(chair.record_of_interventions)>
                            <RecordTable />
                        </section>
                        <section class="panel parity-panel" aria-label=tr!(chair.parity)>
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
                </div>
                <footer class="legend" aria-label=tr!(chair.keyboard_shortcuts)>
                    {shortcuts::legend()
                        .into_iter()
                        .map(|(key, what)| view! { <span><kbd>{key}</kbd>" "{what}</span> })
                        .collect_view()}
                </footer>
            </ConnectionGate>
        </main>
    }
}

/// The list of speakers as the keyboard reaches it.
const LIST: &str = ".list-panel [role=grid]";
