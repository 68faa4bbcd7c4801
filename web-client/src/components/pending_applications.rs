//! On a delegation's page: the applications to its process still waiting for a decision, with
//! the objections lodged so far and a form to object (before the decision only).

use leptos::prelude::*;
use shared::accreditation::PublicOrganisation;

use crate::accreditation;
use crate::components::load_more::LoadMore;
use crate::components::objection_form::ObjectionForm;
use crate::components::objections::Objections;
use crate::documents;
use crate::http;
use crate::paged::Paged;

/// The pending applications to `process`, seen by `delegation` with its delegate's `token`.
#[component]
pub fn PendingApplications(process: String, delegation: String, token: String) -> impl IntoView {
    let path = format!("/api/processes/{}/organisations", http::encode(&process));
    let token = StoredValue::new(token);
    let delegation = StoredValue::new(delegation);
    let organisations = Paged::<PublicOrganisation>::new(path, None);
    let list = organisations.list;
    let reload = Callback::new(move |()| organisations.reload());

    let card = move |o: PublicOrganisation| {
        let already = documents::objected(&o, &delegation.get_value());
        view! {
            <li class="pending-application" data-organisation=o.name.clone()>
                <strong><bdi>{o.name.clone()}</bdi></strong>
                <span class="small">
                    {format!(
                        " · {} · {} · {}",
                        o.country,
                        accreditation::constituency(o.constituency),
                        if o.ecosoc {
                            crate::tr!(accreditation.ecosoc_consultative_status)
                        } else {
                            crate::tr!(accreditation.no_ecosoc_status)
                        },
                    )}
                </span>
                " "
                <a href=o.website.clone() target="_blank" rel="noopener noreferrer" class="small">{o.website.clone()}</a>
                <Objections objections=o.objections.clone() />
                {if already {
                    view! { <p class="small">{crate::tr!(accreditation.already_objected)}</p> }.into_any()
                } else {
                    view! { <ObjectionForm organisation=o.id.clone() token=token.get_value() lodged=reload /> }.into_any()
                }}
            </li>
        }
    };

    view! {
        <section class="card" aria-label=crate::tr!(accreditation.pending_applications)>
            <h2>{crate::tr!(accreditation.pending_applications)}</h2>
            <p class="small">
                {crate::tr!(accreditation.objection_note)}
            </p>
            {move || match list.get() {
                None => view! { <p class="empty">{crate::tr!(accreditation.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(all)) => {
                    let pending = documents::pending(all);
                    if pending.is_empty() {
                        view! { <p class="empty">{crate::tr!(accreditation.no_pending)}</p> }.into_any()
                    } else {
                        view! { <ul class="pending-applications">{pending.into_iter().map(card).collect_view()}</ul> }
                            .into_any()
                    }
                }
            }}
            <LoadMore list=organisations />
        </section>
    }
}
