//! A delegate's or stakeholder's own screen, on a phone or a laptop, in the room or at home: ask
//! for the floor, see where one stands and when one will speak, and be told when it is one's turn.

use leptos::prelude::*;
use shared::{Command, Presence, RequestKind};

use crate::browser::{chime, unlock_audio};
use crate::components::co_signing_requests::CoSigningRequests;
use crate::components::connection_gate::ConnectionGate;
use crate::components::countdown::Countdown;
use crate::components::current_item::CurrentItem;
use crate::components::documents_panel::DocumentsPanel;
use crate::components::meeting_clock::MeetingClock;
use crate::components::my_segments::MySegments;
use crate::components::next_speakers::NextSpeakers;
use crate::components::notices::Notices;
use crate::components::presence_badge::PresenceBadge;
use crate::components::request_panel::RequestPanel;
use crate::labels;
use crate::live::Live;
use crate::standing::{standing, Standing};

/// The participant's view; `time_zone` is the meeting's, for "meeting time" (else the meeting's own
/// setting); `presence` is the link's initial in-room / remote choice.
#[component]
pub fn ParticipantView(time_zone: Option<String>, presence: Option<Presence>) -> impl IntoView {
    let live = expect_context::<Live>();
    let kind = RwSignal::new(RequestKind::Statement);
    let language = RwSignal::new("en".to_string());
    let presence = RwSignal::new(presence.unwrap_or(Presence::InRoom));
    // Declared for the parity record only if the person chooses to, and remembered in this browser.
    let gender = RwSignal::new(crate::gender::parse(crate::browser::remembered(crate::gender::STORAGE_KEY).as_deref()));

    let me = Memo::new(move |_| live.session.with(|s| s.you.clone()));
    let my_standing = Memo::new(move |_| {
        let id = me.get()?.id;
        live.with_meeting(|m| standing(m, &id))
    });

    // Browsers allow sound only after an interaction; the first tap or key press unlocks it.
    let unlock = window_event_listener(leptos::ev::pointerdown, |_| unlock_audio());
    let unlock_keys = window_event_listener(leptos::ev::keydown, |_| unlock_audio());
    on_cleanup(move || {
        unlock.remove();
        unlock_keys.remove();
    });

    // A chime when the person becomes next or gets the floor. The last standing seen survives a
    // reconnection, so a change that happened during an outage still chimes once.
    let last = StoredValue::new(None::<Standing>);
    Effect::new(move || {
        if let Some(now) = my_standing.get() {
            if last.get_value() != Some(now) && now.alerts() {
                chime(now == Standing::OnTheFloor);
            }
            last.set_value(Some(now));
        }
    });

    // The switch follows the presence of a waiting request, which may change from another device.
    Effect::new(move || {
        let Some(id) = me.get().map(|p| p.id) else { return };
        let mine = live
            .with_meeting(|m| {
                m.segments.iter().flat_map(|s| &s.entries).find(|e| e.speaker.id == id).map(|e| e.presence)
            })
            .flatten();
        if let Some(p) = mine {
            presence.set(p);
        }
    });

    let set_presence = move |p: Presence| {
        unlock_audio();
        presence.set(p);
        live.send(Command::SetPresence { presence: p }, crate::tr!(live.say_where_you_are));
    };
    let banner = move || my_standing.get().and_then(Standing::banner);
    let who = move || {
        me.get().map(|p| {
            let role = labels::role(p.role);
            view! {
                <p class="you">
                    <strong><bdi>{p.name.clone()}</bdi></strong>
                    {p.on_behalf_of().map(|b| format!(" · {b}"))}
                    <span class="small">{format!(" · {role}")}</span>
                </p>
                <OwnPresence participant=p.id.clone() />
            }
        })
    };
    let title = move || live.with_meeting(|m| m.info.title.clone()).unwrap_or_default();
    let current = move || {
        live.with_meeting(|m| {
            m.floor.as_ref().map(|f| {
                view! {
                    <p>
                        <strong><bdi>{f.speaker.name.clone()}</bdi></strong>
                        {f.speaker.on_behalf_of().map(|b| format!(" ({b})"))}
                        " "
                        <PresenceBadge presence=f.presence />
                    </p>
                }
                .into_any()
            })
        })
        .flatten()
    };

    view! {
        <main class="participant">
            // Announced by screen readers: present from the start, its text changes with the standing.
            <p class="sr-only" aria-live="assertive" role="status" data-announce="">
                {banner}
            </p>
            <Notices />
            <ConnectionGate>
                // First on the screen, above everything a phone would otherwise have to scroll
                // past: "you are next", or the speaker's own countdown while they have the floor.
                {move || {
                    banner()
                        .map(|text| {
                            let floor = my_standing.get() == Some(Standing::OnTheFloor);
                            view! {
                                <section class="my-turn" class:floor=floor aria-label=crate::tr!(live.your_turn)>
                                    <div class="banner" class:floor=floor data-banner=text aria-hidden="true">
                                        {text}
                                    </div>
                                    {floor.then(|| view! { <Countdown /> })}
                                    {(!floor).then(|| view! { <crate::components::ready_check::ReadyCheck /> })}
                                </section>
                            }
                        })
                }}
                <header class="bar">
                    <h1 dir="auto">{title}</h1>
                    {who}
                    <p class="small now">
                        <MeetingClock link_zone=time_zone.clone().unwrap_or_default() seconds=false />
                    </p>
                </header>
                <CurrentItem />
                <crate::components::chairing::Presiding />
                <section class="card presence-switch" aria-label=crate::tr!(live.where_are_you)>
                    <h2>{crate::tr!(live.where_are_you)}</h2>
                    <div class="switch" role="radiogroup">
                        <button
                            role="radio"
                            data-presence="in_room"
                            aria-checked=move || (presence.get() == Presence::InRoom).to_string()
                            class:on=move || presence.get() == Presence::InRoom
                            on:click=move |_| set_presence(Presence::InRoom)
                        >
                            {crate::tr!(live.in_the_room)}
                        </button>
                        <button
                            role="radio"
                            data-presence="remote"
                            aria-checked=move || (presence.get() == Presence::Remote).to_string()
                            class:on=move || presence.get() == Presence::Remote
                            on:click=move |_| set_presence(Presence::Remote)
                        >
                            {crate::tr!(live.remote)}
                        </button>
                    </div>
                </section>
                <CoSigningRequests />
                <RequestPanel kind=kind language=language presence=presence gender=gender time_zone=time_zone.clone() />
                <section class="card now-speaking" aria-label=crate::tr!(live.now_speaking)>
                    <h2>{crate::tr!(live.now_speaking)}</h2>
                    {move || current().unwrap_or_else(|| view! { <p class="empty">{crate::tr!(live.nobody_has_the_floor_sentence)}</p> }.into_any())}
                    <Countdown />
                </section>
                <NextSpeakers first=5 />
                <MySegments kind=kind language=language presence=presence gender=gender />
                <DocumentsPanel meeting=live.meeting_id().as_str().to_string() token=live.token() secretariat=false />
            </ConnectionGate>
        </main>
    }
}

/// What the chair's console shows of this person's own live presence, once the server said it.
#[component]
fn OwnPresence(participant: shared::ParticipantId) -> impl IntoView {
    let live = expect_context::<Live>();
    let id = participant.clone();
    let known = move || live.presence.with(|board| board.contains_key(&id));
    move || {
        known().then(|| {
            let text = match live.seen(&participant) {
                shared::live::Seen::Connected => crate::tr!(live.chair_sees_connected).to_string(),
                other => crate::tr!(live.chair_sees, seen = crate::components::live_mark::label(other).to_lowercase()),
            };
            view! { <p class="small own-presence" data-own-live="">{text}</p> }
        })
    }
}
