//! Creating a segment: title, the agenda item whose list it is (when the meeting has an agenda),
//! who may inscribe, time limit, optional budget, optional longest
//! list, ordering policy, and the UN's list rules (a limit per kind of intervention, a cap on each
//! delegation's statements on the item, a time the list opens, in the meeting's time) — checked
//! with `shared`'s own rules before it is sent.

use leptos::prelude::*;
use shared::{AgendaItemId, Command, Inscription, Ordering, SegmentSpec};

use crate::components::field::{Checkbox, Field};
use crate::labels;
use crate::live::Live;
use crate::tr;

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
    let item = RwSignal::new(None::<AgendaItemId>);
    let point_of_order = RwSignal::new(String::new());
    let reply = RwSignal::new(String::new());
    let second_reply = RwSignal::new(String::new());
    let statements_cap = RwSignal::new(String::new());
    let opens_at = RwSignal::new(String::new());
    let groups_first = RwSignal::new(false);
    let ready_check = RwSignal::new(false);
    let zone = Memo::new(move |_| {
        live.with_meeting(|m| crate::time_zone::meeting_zone(&m.info, None)).unwrap_or_else(|| "UTC".into())
    });
    let agenda = Memo::new(move |_| {
        live.with_meeting(|m| m.agenda.iter().map(|i| (i.id, format!("{} {}", i.number, i.title))).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    let problem = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(time_limit_secs) = limit.get_untracked().trim().parse::<u32>() else {
            return problem.set(Some(tr!(chair.time_limit_not_number).into()));
        };
        let budget_text = budget.get_untracked();
        let budget_secs = match budget_text.trim() {
            "" => None,
            minutes => match minutes.parse::<u32>() {
                Ok(minutes) => Some(minutes.saturating_mul(60)),
                Err(_) => return problem.set(Some(tr!(chair.budget_not_number).into())),
            },
        };
        let Ok(max_waiting) = optional_number(&max_waiting) else {
            return problem.set(Some(tr!(chair.longest_list_not_number).into()));
        };
        let Ok(point_of_order_secs) = optional_number(&point_of_order) else {
            return problem.set(Some(tr!(chair.point_of_order_limit_not_number).into()));
        };
        let Ok(right_of_reply_secs) = optional_number(&reply) else {
            return problem.set(Some(tr!(chair.reply_limit_not_number).into()));
        };
        let Ok(second_reply_secs) = optional_number(&second_reply) else {
            return problem.set(Some(tr!(chair.second_reply_limit_not_number).into()));
        };
        let Ok(statements_per_delegation) = optional_number(&statements_cap) else {
            return problem.set(Some(tr!(chair.statements_cap_not_number).into()));
        };
        let opening = match opens_at.get_untracked().trim() {
            "" => None,
            wall => match crate::time_zone::instant(wall, &zone.get_untracked()) {
                Some(at) => Some(at),
                None => return problem.set(Some(tr!(chair.opening_not_date).into())),
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
            item: item.get_untracked(),
            point_of_order_secs,
            right_of_reply_secs,
            second_reply_secs,
            statements_per_delegation,
            opens_at: opening,
            groups_first: groups_first.get_untracked(),
            ready_check: ready_check.get_untracked(),
        };
        if let Err(rejection) = spec.validate() {
            return problem.set(Some(rejection.message));
        }
        problem.set(None);
        live.send(Command::CreateSegment { spec }, tr!(chair.create_the_segment));
        title.set(String::new());
        opens_at.set(String::new());
    };

    view! {
        <details class="new-segment">
            <summary>{tr!(chair.new_segment)}</summary>
            <form on:submit=submit>
                <Field label=tr!(chair.title) name="segment_title" maxlength=200 value=title />
                {move || {
                    let items = agenda.get();
                    (!items.is_empty())
                        .then(|| {
                            view! {
                                <label>
                                    {tr!(chair.agenda_item)}
                                    <select
                                        name="segment_item"
                                        on:change=move |ev| {
                                            item.set(event_target_value(&ev).parse().ok().map(AgendaItemId))
                                        }
                                    >
                                        <option value="" selected=move || item.get().is_none()>{tr!(chair.no_item)}</option>
                                        {items
                                            .into_iter()
                                            .map(|(id, name)| {
                                                view! {
                                                    <option value=id.0.to_string() selected=move || item.get() == Some(id) dir="auto">
                                                        {name}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                            }
                        })
                }}
                <label>
                    {tr!(chair.who_may_ask)}
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
                <Field label=tr!(chair.time_limit_field) name="segment_time_limit" kind="number" min="5" value=limit />
                <Field label=tr!(chair.budget_field) name="segment_budget" kind="number" min="1" value=budget />
                <Field
                    label=tr!(chair.longest_list_field)
                    name="segment_max_waiting"
                    kind="number"
                    min="1"
                    value=max_waiting
                />
                <label class="ordering-field">
                    {tr!(chair.order_of_list)}
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
                <fieldset class="list-rules">
                    <legend>{tr!(chair.list_rules)}</legend>
                    <Field
                        label=tr!(chair.reply_limit_field)
                        name="segment_reply_limit"
                        kind="number"
                        min="5"
                        value=reply
                        hint=tr!(chair.empty_time_limit_above)
                    />
                    <Field
                        label=tr!(chair.second_reply_limit_field)
                        name="segment_second_reply_limit"
                        kind="number"
                        min="5"
                        value=second_reply
                        hint=tr!(chair.second_reply_hint)
                    />
                    <Field
                        label=tr!(chair.point_of_order_limit_field)
                        name="segment_point_of_order_limit"
                        kind="number"
                        min="5"
                        value=point_of_order
                        hint=tr!(chair.empty_time_limit_above)
                    />
                    <Field
                        label=tr!(chair.statements_cap_field)
                        name="segment_statements_cap"
                        kind="number"
                        min="1"
                        value=statements_cap
                        hint=tr!(chair.statements_cap_hint)
                    />
                    <Field
                        label=move || tr!(chair.opens_at_field, place = crate::time_zone::place(&zone.get()))
                        name="segment_opens_at"
                        kind="datetime-local"
                        value=opens_at
                        hint=tr!(chair.opens_at_hint)
                    />
                    <Checkbox
                        label=tr!(chair.groups_first)
                        name="groups_first"
                        checked=groups_first
                    />
                </fieldset>
                <Checkbox label=tr!(chair.one_per_organisation) name="one_per_organisation" checked=one_per_organisation />
                <Checkbox
                    label=tr!(chair.ready_check)
                    name="ready_check"
                    checked=ready_check
                />
                {move || problem.get().map(|p| view! { <p class="problem" role="alert">{p}</p> })}
                <button type="submit">{tr!(chair.create_the_segment)}</button>
            </form>
        </details>
    }
}

/// An optional whole number from a field: `Ok(None)` when empty, `Err` when it is no number.
fn optional_number(field: &RwSignal<String>) -> Result<Option<u32>, std::num::ParseIntError> {
    match field.get_untracked().trim() {
        "" => Ok(None),
        number => number.parse().map(Some),
    }
}
