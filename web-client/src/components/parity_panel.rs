//! The chair's live parity panel: speaking time and interventions by constituency, in the room
//! and remote, by regional group and declared gender, and how long each side waits for the floor
//! — computed in the browser from the meeting replica with `shared`'s own report.

use leptos::prelude::*;
use shared::report::Report;
use shared::Access;

use crate::components::bar_chart::BarChart;
use crate::live::Live;
use crate::parity;
use crate::timing::duration_text;
use crate::tr;

/// The panel, open by default; a `<details>`, so it folds with the keyboard as with the mouse.
#[component]
pub fn ParityPanel() -> impl IntoView {
    let live = expect_context::<Live>();
    // While someone speaks the figures move every second; otherwise only events change them.
    let second = Memo::new(move |_| {
        let speaking = live.with_meeting(|m| m.floor.is_some()).unwrap_or(false);
        if speaking {
            live.now.get().0 / 1000
        } else {
            0
        }
    });
    let report = Memo::new(move |_| {
        second.track();
        live.with_meeting(|m| Report::of_meeting(m, live.now.get_untracked()))
    });
    let closed = move || live.with_meeting(|m| m.info.access == Access::Closed).unwrap_or(false);
    let full_report = move || {
        let id = crate::http::encode(live.meeting_id().as_str());
        let zone = live
            .with_meeting(|m| m.info.time_zone.clone())
            .flatten()
            .map(|z| format!("&tz={}", crate::http::encode(&z)))
            .unwrap_or_default();
        match (closed(), live.token()) {
            // A closed meeting's report asks for a token: the chair's own travels in the fragment.
            (true, Some(token)) => format!("/report?meeting={id}{zone}#token={token}"),
            _ => format!("/report?meeting={id}{zone}"),
        }
    };

    let body = move || {
        let report = report.get()?;
        let parity = &report.parity;
        if parity.interventions == 0 {
            return Some(view! { <p class="empty">{tr!(chair.nobody_spoke_yet)}</p> }.into_any());
        }
        let warning = parity::remote_wait_warning(&parity.wait_by_presence);
        let charts = parity::charts(parity);
        Some(
            view! {
                <p class="small parity-totals" data-interventions=parity.interventions.to_string()>
                    {tr!(
                        chair.interventions_spoken,
                        interventions = parity::interventions(parity.interventions),
                        time = duration_text(parity.speaking_ms)
                    )}
                </p>
                {warning.map(|w| view! { <p class="parity-warning" role="alert" data-warning="remote-wait">{w}</p> })}
                {charts.into_iter().map(|chart| view! { <BarChart chart=chart compact=true /> }).collect_view()}
            }
            .into_any(),
        )
    };

    view! {
        <details class="parity-panel-details" open>
            <summary>
                <h2>{tr!(chair.parity)}</h2>
            </summary>
            {body}
            <p>
                <a href=full_report target="_blank" rel="noopener" data-link="full-report">
                    {tr!(chair.full_report)}
                </a>
            </p>
        </details>
    }
}
