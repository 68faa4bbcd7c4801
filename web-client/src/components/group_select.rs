//! The group of states a delegate's statement is made on behalf of, chosen from the groups shipped
//! in `shared` (the African Group, the Group of 77 and China, the EU, …); "" is the delegation's own.

use leptos::prelude::*;

/// A select of the groups of states, bound to `group` (a group's id, or "" for none).
#[component]
pub fn GroupSelect(group: RwSignal<String>) -> impl IntoView {
    view! {
        <label class="group-field">
            {crate::tr!(live.on_behalf_of_statements)}
            <select name="group" prop:value=move || group.get() on:change=move |ev| group.set(event_target_value(&ev))>
                <option value="">{crate::tr!(live.delegation_only)}</option>
                {shared::delegations::GROUPS
                    .iter()
                    .map(|g| view! { <option value=g.id>{crate::labels::state_group(g.id).unwrap_or(g.name)}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

/// The group to send with a request of `kind`: only a statement names one.
pub fn chosen(group: &str, kind: shared::RequestKind) -> Option<String> {
    (!group.is_empty() && kind == shared::RequestKind::Statement).then(|| group.to_string())
}
