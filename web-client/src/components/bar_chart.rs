//! A horizontal bar chart drawn as inline SVG, one row per group and one bar per series, with a
//! summary for screen readers and, unless compact, the figures as a small table.

use leptos::prelude::*;

use crate::parity::{self, Chart};
use crate::tr;

/// Draws `chart`; `compact` (the chair's panel) leaves the data table out.
#[component]
pub fn BarChart(chart: Chart, #[prop(optional)] compact: bool) -> impl IntoView {
    let summary = parity::summary(&chart);
    let series = chart.series.clone();
    let bars = chart
        .rows
        .iter()
        .map(|row| {
            // Bars 10 units thick, 2 apart; drawn one unit to one pixel high, stretched across.
            let height = (12 * row.lengths.len()).saturating_sub(2).max(1);
            let rects = row
                .lengths
                .iter()
                .enumerate()
                .map(|(i, length)| {
                    // The bar's length in per cent of the width; a sliver shows a group that is
                    // there but tiny.
                    let width = if *length > 0.0 { (length * 100.0).max(0.5) } else { 0.0 };
                    view! {
                        <rect
                            class=format!("bar series-{i}")
                            x="0"
                            y=(i * 12).to_string()
                            width=format!("{width:.2}")
                            height="10"
                        ></rect>
                    }
                })
                .collect_view();
            // One line per series, beside its bar.
            let texts = row.texts.iter().map(|t| view! { <span class="v">{t.clone()}</span> }).collect_view();
            view! {
                <div class="chart-row" data-group=row.key.clone()>
                    <span class="chart-label">{row.label.clone()}</span>
                    <svg
                        class="bars"
                        viewBox=format!("0 0 100 {height}")
                        preserveAspectRatio="none"
                        height=height.to_string()
                        aria-hidden="true"
                        focusable="false"
                    >
                        <rect class="track" x="0" y="0" width="100" height=height.to_string()></rect>
                        {rects}
                    </svg>
                    <span class="chart-value">{texts}</span>
                </div>
            }
        })
        .collect_view();
    let legend = series
        .iter()
        .enumerate()
        .map(|(i, name)| view! { <span class=format!("key series-{i}")>{*name}</span> })
        .collect_view();
    let table = (!compact).then(|| {
        view! {
            <table class="chart-data">
                <thead>
                    <tr>
                        <th scope="col">{tr!(chair.group)}</th>
                        {series.iter().map(|s| view! { <th scope="col">{*s}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {chart
                        .rows
                        .iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row">{row.label.clone()}</th>
                                    {row.texts.iter().map(|t| view! { <td>{t.clone()}</td> }).collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
    });
    view! {
        <figure class="chart" class:compact=compact>
            <figcaption>
                <span class="chart-title">{chart.title.clone()}</span>
                <span class="legend-keys">{legend}</span>
            </figcaption>
            <div class="chart-bars" role="img" aria-label=summary>
                {bars}
            </div>
            {table}
        </figure>
    }
}
