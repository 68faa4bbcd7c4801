//! The running record of the meeting: who spoke, for how long, from where, and when — in the
//! meeting's time, labelled, like every other screen.

use leptos::prelude::*;
use shared::Presence;

use crate::browser::time_of_day;
use crate::components::kind_badge::KindBadge;
use crate::components::presence_badge::PresenceBadge;
use crate::live::Live;
use crate::time_zone::{label, meeting_zone, own_time_if_different};
use crate::timing::{clock_text, duration_text};
use crate::tr;
use crate::trn;

/// Ended interventions, latest first, with totals by presence.
#[component]
pub fn RecordTable() -> impl IntoView {
    let live = expect_context::<Live>();
    let record = Memo::new(move |_| live.with_meeting(|m| m.record.clone()).unwrap_or_default());
    let zone = Memo::new(move |_| live.with_meeting(|m| meeting_zone(&m.info, None)).unwrap_or_default());
    let started = move || tr!(chair.started_column, zone = label(&zone.get(), live.now.get_untracked()));
    let totals = move || {
        let record = record.get();
        let total = |presence: Presence| {
            let of: Vec<_> = record.iter().filter(|i| i.presence == presence).collect();
            let ms: i64 = of.iter().map(|i| i.spoken_ms(i.ended_at.unwrap_or(i.started_at))).sum();
            (of.len(), ms)
        };
        let (room, room_ms) = total(Presence::InRoom);
        let (remote, remote_ms) = total(Presence::Remote);
        trn!(
            chair.record_totals,
            count = i32::try_from(record.len()).unwrap_or(i32::MAX),
            room = room,
            room_time = duration_text(room_ms),
            remote = remote,
            remote_time = duration_text(remote_ms)
        )
    };
    view! {
        <h2>{tr!(chair.record)}</h2>
        <p class="small">{totals}</p>
        <table class="record">
            <thead>
                <tr>
                    <th>"#"</th>
                    <th>{tr!(chair.speaker)}</th>
                    <th>{tr!(chair.kind)}</th>
                    <th>{tr!(chair.from)}</th>
                    <th>{tr!(chair.lang_short)}</th>
                    <th data-zone=move || zone.get()>{started}</th>
                    <th>{tr!(chair.spoke)}</th>
                    <th>{tr!(chair.waited)}</th>
                    <th>{tr!(chair.floor_given_by)}</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    record
                        .get()
                        .into_iter()
                        .rev()
                        .map(|i| {
                            let spoke = i.spoken_ms(i.ended_at.unwrap_or(i.started_at));
                            let over = spoke > i.allowed_ms();
                            let zone = zone.get();
                            let own = own_time_if_different(i.started_at, &zone, false).map(|t| tr!(chair.your_time, time = t));
                            view! {
                                <tr>
                                    <td>{i.id.0}</td>
                                    <td class="who">
                                        <bdi>{i.speaker.name.clone()}</bdi>
                                        {i.speaker.on_behalf_of().map(|b| view! { " (" <bdi>{b.to_string()}</bdi> ")" })}
                                    </td>
                                    <td>
                                        <KindBadge kind=i.kind />
                                    </td>
                                    <td>
                                        <PresenceBadge presence=i.presence />
                                    </td>
                                    <td>{i.language.to_string()}</td>
                                    <td class="started" title=own>
                                        {time_of_day(i.started_at, Some(&zone), false).unwrap_or_default()}
                                    </td>
                                    <td class:over=over>{clock_text(spoke / 1000)}</td>
                                    <td>{i.waited_ms().map(duration_text).unwrap_or_else(|| "—".into())}</td>
                                    <td class="moderation">{crate::labels::moderation(&i)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
