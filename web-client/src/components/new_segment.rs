//! Creating a segment: title, who may inscribe, time limit, optional budget, optional longest
//! list, ordering policy — checked with `shared`'s own rules before it is sent.

use leptos::prelude::*;
use shared::{Command, Inscription, Ordering, SegmentSpec};

use crate::components::field::Field;
use crate::labels;
use crate::live::Live;

/// The "new segment" form.
#[component]
pub fn NewSegment() -> impl IntoView {
    let live = expect_context::<Live>();
    let title = RwSignal::new(String::new());
    let inscription = RwSignal::new(Inscription::All);
    let limit = RwSignal::new("180".to_string());
    let budget = RwSignal::new(String::new());
    let max_waiting = RwSignal::new(String::new());
    let one_per_organisation = RwSignal::new(false);
    let ordering = RwSignal::new(Ordering::FirstComeFirstServed);
    let problem = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(time_limit_secs) = limit.get_untracked().trim().parse::<u32>() else {
            return problem.set(Some("The time limit is a number of seconds.".into()));
        };
        let budget_text = budget.get_untracked();
        let budget_secs = match budget_text.trim() {
            "" => None,
            minutes => match minutes.parse::<u32>() {
                Ok(minutes) => Some(minutes.saturating_mul(60)),
                Err(_) => return problem.set(Some("The budget is a number of minutes, or empty.".into())),
            },
        };
        let max_waiting = match max_waiting.get_untracked().trim() {
            "" => None,
            requests => match requests.parse::<u32>() {
                Ok(requests) => Some(requests),
                Err(_) => return problem.set(Some("The longest list is a number of requests, or empty.".into())),
            },
        };
        let spec = SegmentSpec {
            title: title.get_untracked().trim().to_string(),
            inscription: inscription.get_untracked(),
            time_limit_secs,
            budget_secs,
            one_per_organisation: one_per_organisation.get_untracked(),
            ordering: ordering.get_untracked(),
            max_waiting,
        };
        if let Err(rejection) = spec.validate() {
            return problem.set(Some(rejection.message));
        }
        problem.set(None);
        live.send(Command::CreateSegment { spec }, "Create the segment");
        title.set(String::new());
    };

    view! {
        <details class="new-segment">
            <summary>"New segment"</summary>
            <form on:submit=submit>
                <Field label="Title" name="segment_title" maxlength=200 value=title />
                <label>
                    "Who may ask for the floor"
                    <select on:change=move |ev| {
                        inscription
                            .set(
                                match event_target_value(&ev).as_str() {
                                    "member_states" => Inscription::MemberStates,
                                    "stakeholders" => Inscription::Stakeholders,
                                    _ => Inscription::All,
                                },
                            )
                    }>
                        <option value="all">{labels::inscription(Inscription::All)}</option>
                        <option value="member_states">{labels::inscription(Inscription::MemberStates)}</option>
                        <option value="stakeholders">{labels::inscription(Inscription::Stakeholders)}</option>
                    </select>
                </label>
                <Field label="Time limit per intervention (seconds)" name="segment_time_limit" kind="number" min="5" value=limit />
                <Field label="Total budget (minutes, optional)" name="segment_budget" kind="number" min="1" value=budget />
                <Field
                    label="Longest list (requests waiting, optional)"
                    name="segment_max_waiting"
                    kind="number"
                    min="1"
                    value=max_waiting
                />
                <label class="ordering-field">
                    "Order of the list"
                    <select
                        name="ordering"
                        aria-describedby="ordering-help"
                        on:change=move |ev| {
                            ordering.set(labels::from_key(&event_target_value(&ev)).unwrap_or_default())
                        }
                    >
                        {labels::ORDERINGS
                            .iter()
                            .map(|o| {
                                let o = *o;
                                view! {
                                    <option value=shared::report::key(&o) selected=move || ordering.get() == o>
                                        {labels::ordering(o)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <span class="small" id="ordering-help">{move || labels::ordering_help(ordering.get())}</span>
                </label>
                <label class="inline">
                    <input
                        type="checkbox"
                        name="one_per_organisation"
                        prop:checked=move || one_per_organisation.get()
                        on:change=move |ev| one_per_organisation.set(event_target_checked(&ev))
                    />
                    "One speaker per organisation"
                </label>
                {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
                <button type="submit">"Create the segment"</button>
            </form>
        </details>
    }
}
