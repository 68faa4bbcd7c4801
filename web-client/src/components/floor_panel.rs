//! The chair's view of the floor: who speaks, for whom, from where, in which language, the
//! countdown, and the controls of the clock.

use leptos::prelude::*;
use shared::Command;

use crate::components::countdown::Countdown;
use crate::components::kind_badge::KindBadge;
use crate::components::presence_badge::PresenceBadge;
use crate::live::Live;
use crate::removal::Removals;
use crate::shortcuts;
use crate::timing::{duration_text, exact_duration_text, expected_turn_ms};
use crate::tr;
use crate::trn;

/// The current speaker and the floor's controls; `extend_secs` is what "extend" adds.
#[component]
pub fn FloorPanel(extend_secs: RwSignal<u32>) -> impl IntoView {
    let live = expect_context::<Live>();
    let removals = expect_context::<Removals>();
    let floor = Memo::new(move |_| live.with_meeting(|m| m.floor.clone()).flatten());
    // Entries the chair is removing do not count: "Next speaker" skips them.
    let waiting = Memo::new(move |_| {
        let removing = removals.tracked_entries();
        live.with_meeting(|m| m.active().map_or(0, |s| s.entries.iter().filter(|e| !removing.contains(&e.id)).count()))
            .unwrap_or(0)
    });
    let next = move |_| {
        let removing = removals.entries();
        let command = live.session.with_untracked(|s| s.live_meeting().map(|m| shortcuts::next_speaker(m, &removing)));
        if let Some(command) = command.flatten() {
            live.send(command, tr!(chair.next_speaker));
        }
    };
    let budget = move || {
        let now = live.now.get();
        live.with_meeting(|m| {
            let segment = m.active()?;
            let running = m.floor.as_ref().filter(|f| f.segment == segment.id).map_or(0, |f| f.spoken_ms(now));
            let left = segment.budget_left_ms(running)?;
            let turn = expected_turn_ms(m, segment.id).max(1);
            let turns = i32::try_from(left.max(0) / turn).unwrap_or(i32::MAX);
            Some(trn!(chair.segment_budget, count = turns, left = duration_text(left.max(0))))
        })
        .flatten()
    };

    let speaker = move || {
        floor.get().map(|f| {
            let on_behalf = f.speaker.on_behalf_of().map(String::from);
            let added = f.entry.is_none().then_some(tr!(chair.panellist_given_floor));
            view! {
                <div class="speaker" data-speaker=f.speaker.id.to_string()>
                    <p class="name" dir="auto">{f.speaker.name.clone()}</p>
                    {on_behalf.map(|b| view! { <p class="on-behalf" dir="auto">{b}</p> })}
                    {crate::accreditation::joint_statement(&f.co_signers)
                        .map(|text| view! { <p class="co-signers">{text}</p> })}
                    <crate::components::request_details::RequestDetails group=f.group.clone() note=f.note.clone() />
                    <p class="details">
                        <KindBadge kind=f.kind />
                        " "
                        <PresenceBadge presence=f.presence />
                        " "
                        <span class="badge language" title=tr!(chair.language)>{f.language.to_string()}</span>
                    </p>
                    {added.map(|a| view! { <p class="small">{a}</p> })}
                    <p class="small">
                        {if f.extended_ms > 0 {
                            tr!(
                                chair.time_allowed_extended,
                                time = exact_duration_text(f.allowed_ms()),
                                extension = exact_duration_text(f.extended_ms)
                            )
                        } else {
                            tr!(chair.time_allowed, time = exact_duration_text(f.allowed_ms()))
                        }}
                    </p>
                </div>
            }
        })
    };

    let send = move |command: Command, what: &'static str| move |_| live.send(command.clone(), what);
    let paused = move || floor.get().is_some_and(|f| f.is_paused());
    // Only the one presiding gives the floor: the others' controls are off, as the server would
    // refuse them.
    let presiding = Memo::new(move |_| {
        let you = live.session.with(|s| s.you.clone());
        you.is_some_and(|you| live.with_meeting(|m| m.chairing.presiding(&you)).unwrap_or(false))
    });
    let has_floor = move || presiding.get() && floor.get().is_some();
    view! {
        <h2>{tr!(chair.the_floor)}</h2>
        <Show
            when=has_floor
            fallback=|| view! { <p class="empty" data-floor="empty">{tr!(chair.nobody_has_floor)}</p> }
        >
            {speaker}
            <Countdown />
        </Show>
        <p class="small">{budget}</p>
        <Show when=move || !presiding.get()>
            <p class="small not-presiding">{tr!(chair.only_presiding)}</p>
        </Show>
        <div class="controls">
            <button
                class="primary"
                disabled=move || !presiding.get() || waiting.get() == 0
                on:click=next
                title=tr!(chair.next_speaker_help)
            >
                {tr!(chair.next_speaker)}
                " "
                <kbd>"N"</kbd>
            </button>
            <Show
                when=paused
                fallback=move || {
                    view! {
                        <button
                            disabled=move || !has_floor()
                            on:click=send(Command::PauseFloor, tr!(chair.pause))
                            title=tr!(chair.pause_help)
                        >
                            {tr!(chair.pause)}
                            " "
                            <kbd>"Space"</kbd>
                        </button>
                    }
                }
            >
                <button
                    disabled=move || !presiding.get()
                    on:click=send(Command::ResumeFloor, tr!(chair.resume))
                    title=tr!(chair.resume_help)
                >
                    {tr!(chair.resume)}
                    " "
                    <kbd>"Space"</kbd>
                </button>
            </Show>
            <span class="extend">
                <button
                    disabled=move || !has_floor()
                    on:click=move |_| live.send(Command::ExtendFloor { secs: extend_secs.get_untracked() }, tr!(chair.extend))
                    title=tr!(chair.extend_help)
                >
                    {tr!(chair.extend)}
                    " "
                    <kbd>"+"</kbd>
                </button>
                <select
                    aria-label=tr!(chair.extension)
                    on:change=move |ev| extend_secs.set(event_target_value(&ev).parse().unwrap_or(30))
                    prop:value=move || extend_secs.get().to_string()
                >
                    <option value="15">{tr!(chair.seconds_option, seconds = 15)}</option>
                    <option value="30">{tr!(chair.seconds_option, seconds = 30)}</option>
                    <option value="60">{tr!(chair.minutes_option, minutes = 1)}</option>
                    <option value="120">{tr!(chair.minutes_option, minutes = 2)}</option>
                </select>
            </span>
            <button
                class="danger"
                disabled=move || !has_floor()
                on:click=send(Command::EndFloor, tr!(chair.end_the_intervention))
                title=tr!(chair.end_help)
            >
                {tr!(chair.end)}
                " "
                <kbd>"E"</kbd>
            </button>
        </div>
    }
}
