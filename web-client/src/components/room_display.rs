//! The room display: projector or TV, read from across the room, no controls. The meeting and
//! segment, the current speaker and their countdown, the next speakers, and the meeting's clock.
//! It fits one 1080p screen whatever `?next=` asks for: past [`ROWS`] the list flows into columns.

use leptos::prelude::*;

use crate::components::connection_gate::ConnectionGate;
use crate::components::countdown::Countdown;
use crate::components::current_item::CurrentItem;
use crate::components::kind_badge::KindBadge;
use crate::components::meeting_clock::MeetingClock;
use crate::components::presence_badge::PresenceBadge;
use crate::live::Live;

/// Next speakers in one column; more flow into a second (and a third), so that the names keep
/// their size.
const ROWS: usize = 8;

/// The display; `next` is how many waiting speakers it lists.
#[component]
pub fn RoomDisplay(next: usize) -> impl IntoView {
    let live = expect_context::<Live>();
    let title = move || live.with_meeting(|m| m.info.title.clone()).unwrap_or_default();
    let segment = move || {
        live.with_meeting(|m| {
            m.active().map(|s| {
                let open = s.list_open;
                view! {
                    <h2 class="segment-title">
                        <bdi>{s.spec.title.clone()}</bdi>
                        {(!open).then(|| view! { <span class="badge closed">{crate::tr!(live.list_closed)}</span> })}
                    </h2>
                }
            })
        })
        .flatten()
    };
    let speaker = move || {
        live.with_meeting(|m| match &m.floor {
            Some(f) => view! {
                <div class="speaker" data-speaker=f.speaker.id.to_string()>
                    <p class="label">{crate::tr!(live.now_speaking)}</p>
                    <p class="name" dir="auto">{f.speaker.name.clone()}</p>
                    <p class="on-behalf" dir="auto">{f.speaker.on_behalf_of().map(String::from)}</p>
                    {crate::accreditation::joint_statement(&f.co_signers)
                        .map(|text| view! { <p class="co-signers">{text}</p> })}
                    <crate::components::request_details::RequestDetails group=f.group.clone() note=f.note.clone() />
                    <p class="details">
                        <PresenceBadge presence=f.presence />
                        " "
                        <KindBadge kind=f.kind />
                        " "
                        <span class="badge language">{f.language.to_string()}</span>
                    </p>
                </div>
            }
            .into_any(),
            None => view! {
                <div class="speaker none" data-floor="empty">
                    <p class="label">{crate::tr!(live.floor_is_open)}</p>
                </div>
            }
            .into_any(),
        })
    };
    let upcoming = move || {
        live.with_meeting(|m| {
            let entries = m.active().map(|s| s.entries.as_slice()).unwrap_or_default();
            let more = entries.len().saturating_sub(next);
            let rows = entries.len().min(next).clamp(1, ROWS);
            let items = entries
                .iter()
                .take(next)
                .enumerate()
                .map(|(i, e)| {
                    view! {
                        <li
                            class=format!("entry {}", crate::labels::kind_class(e.kind))
                            data-speaker=e.speaker.id.to_string()
                            data-presence=crate::labels::presence_class(e.presence)
                        >
                            <span class="pos">{i + 1}</span>
                            <span class="who">
                                <bdi class="name">{e.speaker.name.clone()}</bdi>
                                <bdi class="on-behalf">{e.speaker.on_behalf_of().map(String::from)}</bdi>
                                {crate::accreditation::joint_statement(&e.co_signers)
                                    .map(|text| view! { <span class="co-signers">{text}</span> })}
                                <crate::components::request_details::RequestDetails group=e.group.clone() note=e.note.clone() />
                            </span>
                            <PresenceBadge presence=e.presence />
                            {(e.kind != shared::RequestKind::Statement).then(|| view! { <KindBadge kind=e.kind /> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <ol class="next" style=format!("--rows: {rows}")>
                    {items}
                </ol>
                {(entries.is_empty()).then(|| view! { <p class="empty">{crate::tr!(live.nobody_waiting)}</p> })}
                {(more > 0).then(|| view! { <p class="more">{crate::trn!(live.and_more, count = more as i32)}</p> })}
            }
        })
    };
    view! {
        <main class="display">
            <header class="bar">
                <h1 dir="auto">{title}</h1>
                <MeetingClock seconds=true />
            </header>
            <ConnectionGate>
                <CurrentItem />
                <crate::components::chairing::Presiding />
                {segment}
                <div class="stage">
                    <section class="current" aria-label=crate::tr!(live.now_speaking)>
                        {speaker}
                        <Countdown />
                    </section>
                    <section class="upcoming" aria-label=crate::tr!(live.next_speakers)>
                        <h3>{crate::tr!(live.next_speakers)}</h3>
                        {upcoming}
                    </section>
                </div>
            </ConnectionGate>
        </main>
    }
}
