//! `/report?meeting=ID` or `/report?process=ID`: the public record of who spoke, for how long and
//! from where, with the parity figures as charts and the record as CSV or JSON. A closed
//! meeting's report needs a token, carried in the link's fragment (`#token=…`).

use leptos::prelude::*;
use shared::report::{Report, Row, Scope};

use crate::browser::time_of_day;
use crate::components::bar_chart::BarChart;
use crate::timing::duration_text;
use crate::{action, http, parity, record};

/// The report the link names; `time_zone` (`?tz=`, else the report's own) is the meeting's, for its
/// local times.
#[component]
pub fn ReportPage(
    meeting: Option<String>,
    process: Option<String>,
    token: Option<String>,
    time_zone: Option<String>,
) -> impl IntoView {
    let Some(path) = record::api_path(meeting.as_deref(), process.as_deref()) else {
        return view! {
            <main class="page report">
                <p class="problem" role="alert">{crate::tr!(portal.no_report_in_link)}</p>
            </main>
        }
        .into_any();
    };
    let token = StoredValue::new(token);
    let zone = StoredValue::new(time_zone);
    let report = {
        let path = path.clone();
        LocalResource::new(move || {
            let (path, token) = (path.clone(), token.get_value());
            async move {
                let fetched: Result<Report, String> = http::get(&path, token.as_deref()).await;
                // The meeting's own zone, unless the link names one.
                if let Ok(r) = &fetched {
                    if zone.get_value().is_none() {
                        zone.set_value(r.time_zone.clone());
                    }
                }
                fetched
            }
        })
    };
    let save = action::save(StoredValue::new(token.get_value().unwrap_or_default()));
    let names = StoredValue::new((meeting, process));

    let download = move |format: &'static str| {
        let href = record::download_path(&path, format);
        let label = if format == "csv" { crate::tr!(portal.download_csv) } else { crate::tr!(portal.download_json) };
        match token.get_value() {
            None => view! {
                <a class="download" href=href.clone() download="" data-download=format>{label}</a>
            }
            .into_any(),
            // A link cannot carry the token in a header: fetch with it, then save.
            Some(_) => view! {
                <button type="button" class="download" data-download=format on:click=move |_| {
                    let (meeting, process) = names.get_value();
                    let name = record::file_name(meeting.as_deref(), process.as_deref(), format);
                    save.dispatch_local((href.clone(), name));
                }>{label}</button>
            }
            .into_any(),
        }
    };
    let when = move |at: Option<shared::Millis>| {
        let Some(at) = at else { return view! { <td>"—"</td> }.into_any() };
        let local = zone.get_value().and_then(|z| time_of_day(at, Some(&z), true).map(|t| format!("{t} ({z})")));
        view! {
            <td>
                {local.map(|l| view! { <span class="meeting-time">{l}</span><br /> })}
                <span class="small">{record::utc_text(at)}</span>
            </td>
        }
        .into_any()
    };
    let row = move |r: Row| {
        let cells = record::cells(&r);
        let over = r.overrun_ms > 0;
        view! {
            <tr data-intervention=r.intervention.0.to_string() data-presence=shared::report::key(&r.presence)>
                <td>{r.intervention.0}</td>
                {cells[..7].iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}
                {when(r.requested_at)}
                {when(Some(r.started_at))}
                <td>{cells[7].clone()}</td>
                <td>{cells[8].clone()}</td>
                <td class:over=over>{cells[9].clone()}</td>
                <td>{cells[10].clone()}</td>
                <td>{cells[11].clone()}</td>
            </tr>
        }
    };

    let body = move |report: Result<Report, String>| match report {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok(report) => {
            let p = &report.parity;
            let figures = if report.rows.is_empty() {
                let nobody = match report.scope {
                    Scope::Meeting(_) => crate::tr!(portal.nobody_spoke_meeting),
                    Scope::Process(_) => crate::tr!(portal.nobody_spoke_process),
                };
                view! { <p class="empty" data-report="empty">{nobody}</p> }.into_any()
            } else {
                let warning = parity::remote_wait_warning(&p.wait_by_presence);
                view! {
                    <p class="totals" data-interventions=p.interventions.to_string()>
                        {crate::tr!(
                            portal.report_totals,
                            interventions = parity::interventions(p.interventions),
                            duration = duration_text(p.speaking_ms)
                        )}
                    </p>
                    {warning.map(|w| view! { <p class="parity-warning" role="alert" data-warning="remote-wait">{w}</p> })}
                    <section class="charts" aria-label=crate::tr!(portal.parity_region)>
                        {parity::charts(p).into_iter().map(|chart| view! { <BarChart chart=chart /> }).collect_view()}
                    </section>
                    <section aria-label=crate::tr!(portal.interventions_heading)>
                        <h2>{crate::tr!(portal.interventions_heading)}</h2>
                        <div class="table-scroll">
                            <table class="interventions">
                                <thead>
                                    <tr>
                                        <th>"#"</th>
                                        <th>{crate::tr!(portal.col_speaker)}</th>
                                        <th>{crate::tr!(portal.col_on_behalf_of)}</th>
                                        <th>{crate::tr!(portal.col_constituency)}</th>
                                        <th>{crate::tr!(portal.col_region)}</th>
                                        <th>{crate::tr!(portal.col_from)}</th>
                                        <th>{crate::tr!(portal.col_kind)}</th>
                                        <th>{crate::tr!(portal.col_language)}</th>
                                        <th>{crate::tr!(portal.col_requested)}</th>
                                        <th>{crate::tr!(portal.col_started)}</th>
                                        <th>{crate::tr!(portal.col_spoke)}</th>
                                        <th>{crate::tr!(portal.col_pauses)}</th>
                                        <th>{crate::tr!(portal.col_overrun)}</th>
                                        <th>{crate::tr!(portal.col_waited)}</th>
                                        <th>{crate::tr!(portal.col_floor_given_by)}</th>
                                    </tr>
                                </thead>
                                <tbody>{report.rows.clone().into_iter().map(row).collect_view()}</tbody>
                            </table>
                        </div>
                    </section>
                }
                .into_any()
            };
            view! {
                <h1 dir="auto">{report.title.clone()}</h1>
                <p class="small">
                    {crate::tr!(portal.report_as_of, time = record::utc_text(report.generated_at))}
                </p>
                <p class="downloads">{download("csv")}" "{download("json")}</p>
                {figures}
            }
            .into_any()
        }
    };

    view! {
        <main class="page report">
            <Suspense fallback=|| view! { <p class="empty">{crate::tr!(portal.loading)}</p> }>
                {move || {
                    let body = body.clone();
                    Suspend::new(async move { body(report.await) })
                }}
            </Suspense>
            {action::refusal(save)}
        </main>
    }
    .into_any()
}
