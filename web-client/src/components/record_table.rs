//! The running record of the meeting: who spoke, for how long, from where.

use leptos::prelude::*;
use shared::Presence;

use crate::browser::time_of_day;
use crate::components::kind_badge::KindBadge;
use crate::components::presence_badge::PresenceBadge;
use crate::live::Live;
use crate::timing::{clock_text, duration_text};

/// Ended interventions, latest first, with totals by presence.
#[component]
pub fn RecordTable() -> impl IntoView {
    let live = expect_context::<Live>();
    let record = Memo::new(move |_| live.with_meeting(|m| m.record.clone()).unwrap_or_default());
    let totals = move || {
        let record = record.get();
        let total = |presence: Presence| {
            let of: Vec<_> = record.iter().filter(|i| i.presence == presence).collect();
            let ms: i64 = of.iter().map(|i| i.spoken_ms(i.ended_at.unwrap_or(i.started_at))).sum();
            (of.len(), ms)
        };
        let (room, room_ms) = total(Presence::InRoom);
        let (remote, remote_ms) = total(Presence::Remote);
        format!(
            "{} interventions: {room} in the room ({}), {remote} remote ({})",
            record.len(),
            duration_text(room_ms),
            duration_text(remote_ms)
        )
    };
    view! {
        <h2>"Record"</h2>
        <p class="small">{totals}</p>
        <table class="record">
            <thead>
                <tr>
                    <th>"#"</th>
                    <th>"Speaker"</th>
                    <th>"Kind"</th>
                    <th>"From"</th>
                    <th>"Lang."</th>
                    <th>"Started"</th>
                    <th>"Spoke"</th>
                    <th>"Waited"</th>
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
                            view! {
                                <tr>
                                    <td>{i.id.0}</td>
                                    <td>{crate::labels::speaker(&i.speaker)}</td>
                                    <td>
                                        <KindBadge kind=i.kind />
                                    </td>
                                    <td>
                                        <PresenceBadge presence=i.presence />
                                    </td>
                                    <td>{i.language.to_string()}</td>
                                    <td>{time_of_day(i.started_at, None, false).unwrap_or_default()}</td>
                                    <td class:over=over>{clock_text(spoke / 1000)}</td>
                                    <td>{i.waited_ms().map(duration_text).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
