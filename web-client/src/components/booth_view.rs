//! The interpreters' booth view: read-only, for the booths above the room. Who speaks now and in
//! which language, and who comes next in which language, so that a booth can take relay or hand
//! over before the speaker starts. Nothing to click: an interpreter's link sends no command.

use leptos::prelude::*;
use shared::{Language, RequestKind};

use crate::components::connection_gate::ConnectionGate;
use crate::components::countdown::Countdown;
use crate::components::current_item::CurrentItem;
use crate::components::kind_badge::KindBadge;
use crate::components::meeting_clock::MeetingClock;
use crate::live::Live;

/// The booth view; `next` is how many waiting speakers it lists.
#[component]
pub fn BoothView(next: usize) -> impl IntoView {
    let live = expect_context::<Live>();
    let title = move || live.with_meeting(|m| m.info.title.clone()).unwrap_or_default();
    let segment = move || live.with_meeting(|m| m.active().map(|s| s.spec.title.clone())).flatten();
    let speaker = move || {
        live.with_meeting(|m| match &m.floor {
            Some(f) => view! {
                <div class="speaker" data-speaker=f.speaker.id.to_string()>
                    <p class="label">{crate::tr!(live.now_speaking)}</p>
                    <p class="name" dir="auto">{f.speaker.name.clone()}</p>
                    <p class="on-behalf" dir="auto">{f.speaker.on_behalf_of().map(String::from)}</p>
                    <p class="language" data-language=f.language.to_string()>
                        <span class="label">{crate::tr!(live.speaks_in)}</span>
                        {crate::labels::language_name(&f.language)}
                    </p>
                    {(f.kind != RequestKind::Statement).then(|| view! { <KindBadge kind=f.kind /> })}
                </div>
            }
            .into_any(),
            None => view! {
                <div class="speaker none" data-floor="empty">
                    <p class="label">{crate::tr!(live.nobody_has_the_floor)}</p>
                </div>
            }
            .into_any(),
        })
    };
    let upcoming = move || {
        live.with_meeting(|m| {
            let entries = m.active().map(|s| s.entries.as_slice()).unwrap_or_default();
            let more = entries.len().saturating_sub(next);
            let mut previous: Option<Language> = m.floor.as_ref().map(|f| f.language.clone());
            let items = entries
                .iter()
                .take(next)
                .enumerate()
                .map(|(i, e)| {
                    let change = previous.as_ref().is_some_and(|p| *p != e.language);
                    previous = Some(e.language.clone());
                    view! {
                        <li class="entry" data-speaker=e.speaker.id.to_string()>
                            <span class="pos">{i + 1}</span>
                            <span class="who">
                                <bdi class="name">{e.speaker.name.clone()}</bdi>
                                <bdi class="on-behalf">{e.speaker.on_behalf_of().map(String::from)}</bdi>
                            </span>
                            <span class="language" class:change=change data-language=e.language.to_string()>
                                {crate::labels::language_name(&e.language)}
                                {change.then(|| view! { <span class="sr-only">{crate::tr!(live.another_language)}</span> })}
                            </span>
                            {(e.kind != RequestKind::Statement).then(|| view! { <KindBadge kind=e.kind /> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ol class="next">{items}</ol>
                {entries.is_empty().then(|| view! { <p class="empty">{crate::tr!(live.nobody_waiting)}</p> })}
                {(more > 0).then(|| view! { <p class="more">{crate::trn!(live.and_more, count = more as i32)}</p> })}
            }
        })
    };
    view! {
        <main class="booth">
            <header class="bar">
                <h1 dir="auto">{title}</h1>
                <MeetingClock seconds=true />
            </header>
            <ConnectionGate>
                <CurrentItem />
                <crate::components::chairing::Presiding />
                {move || segment().map(|title| view! { <h2 class="segment-title">{title}</h2> })}
                <section class="current" aria-label=crate::tr!(live.now_speaking)>
                    {speaker}
                    <Countdown />
                </section>
                <section class="upcoming" aria-label=crate::tr!(live.next_speakers)>
                    <h2>{crate::tr!(live.next_speakers_and_languages)}</h2>
                    {upcoming}
                </section>
            </ConnectionGate>
        </main>
    }
}
