//! One labelled text field for every form: the label wraps the control (so a click on it focuses
//! the field and a screen reader names it), the control is bound both ways to a signal, and the
//! optional hint and problem are tied to it with `aria-describedby`.

use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// A labelled `<input>` (or a `<textarea>` when `rows` is given) bound to `value`.
#[component]
pub fn Field(
    /// What the field asks for, shown above it (a closure for a label that changes).
    #[prop(into)]
    label: TextProp,
    /// What it holds.
    value: RwSignal<String>,
    /// The control's `name` (what the browser tests and password managers find it by).
    #[prop(optional)]
    name: Option<&'static str>,
    /// The input's type: `text` unless given (`email`, `url`, `number`…).
    #[prop(default = "text")]
    kind: &'static str,
    #[prop(optional)] required: bool,
    /// A multi-line field of this many rows.
    #[prop(optional)]
    rows: Option<u32>,
    #[prop(optional)] maxlength: Option<usize>,
    /// The smallest number a `number` field takes.
    #[prop(optional)]
    min: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    /// A sentence under the field that explains it; needs `name`, which its id is made from.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// The id of an element elsewhere that says what is wrong with the field.
    #[prop(optional)]
    problem_id: Option<&'static str>,
    /// Whether the field's content was refused (`aria-invalid`).
    #[prop(optional, into)]
    invalid: Option<Signal<bool>>,
    /// Classes of the label (`inline`, a layout of its own).
    #[prop(optional)]
    class: Option<&'static str>,
) -> impl IntoView {
    let hint_id = hint.and(name).map(|name| format!("{name}-hint"));
    let described_by = match (hint_id.clone(), problem_id) {
        (None, None) => None,
        (Some(hint), None) => Some(hint),
        (None, Some(problem)) => Some(problem.to_string()),
        (Some(hint), Some(problem)) => Some(format!("{hint} {problem}")),
    };
    let invalid = move || invalid.map(|i| i.get().to_string());
    let input = move |ev| value.set(event_target_value(&ev));
    let control = match rows {
        Some(rows) => view! {
            <textarea
                name=name
                rows=rows
                required=required
                maxlength=maxlength
                placeholder=placeholder
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=input
            ></textarea>
        }
        .into_any(),
        None => view! {
            <input
                type=kind
                name=name
                required=required
                maxlength=maxlength
                min=min
                placeholder=placeholder
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=input
            />
        }
        .into_any(),
    };
    view! {
        <label class=class>
            {move || label.get()}
            {control}
            {hint.map(|hint| view! { <span class="small" id=hint_id>{hint}</span> })}
        </label>
    }
}

/// A labelled checkbox bound to `checked`, the label after the box.
#[component]
pub fn Checkbox(
    /// What ticking it means.
    label: &'static str,
    /// The control's `name`.
    name: &'static str,
    checked: RwSignal<bool>,
) -> impl IntoView {
    view! {
        <label class="inline">
            <input
                type="checkbox"
                name=name
                prop:checked=move || checked.get()
                on:change=move |ev| checked.set(event_target_checked(&ev))
            />
            {label}
        </label>
    }
}
