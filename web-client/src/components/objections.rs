//! Member states' objections to an application, with their reasons.

use leptos::prelude::*;
use shared::accreditation::Objection;

/// The objections, or nothing when there are none.
#[component]
pub fn Objections(objections: Vec<Objection>) -> impl IntoView {
    (!objections.is_empty()).then(|| {
        view! {
            <ul class="objections" aria-label=crate::tr!(accreditation.objections_by_member_states)>
                {objections
                    .into_iter()
                    .map(|o| {
                        view! {
                            <li data-objection=o.delegation.clone()>
                                <strong>{crate::tr!(accreditation.objection_by, delegation = &o.delegation).to_string()}</strong>
                                " "
                                <bdi>{o.reason}</bdi>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}
