//! `/accreditation?process=ID`: the public list of organisations: accredited, refused with the
//! reason, pending, and member states' objections.

use leptos::prelude::*;
use shared::accreditation::{PublicOrganisation, Status};

use crate::accreditation;
use crate::components::load_more::LoadMore;
use crate::components::objections::Objections;
use crate::http;
use crate::paged::Paged;

/// The public list for `process`.
#[component]
pub fn AccreditationList(process: Option<String>) -> impl IntoView {
    let Some(process) = process else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">{crate::tr!(accreditation.list_no_process)}</p>
            </main>
        }
        .into_any();
    };
    let info = http::process_resource(&process);
    let path = format!("/api/processes/{}/organisations", http::encode(&process));
    let organisations = Paged::<PublicOrganisation>::new(path, None);
    let list = organisations.list;

    let group = move |title: &'static str, wanted: &'static [Status], empty: &'static str| {
        move || {
            let Some(Ok(all)) = list.get() else { return None };
            let items: Vec<PublicOrganisation> = all.into_iter().filter(|o| wanted.contains(&o.status)).collect();
            Some(view! {
                <section class="card" data-group=accreditation::status_class(wanted[0])>
                    <h2>{crate::tr!(accreditation.group_heading, group = title, number = items.len()).to_string()}</h2>
                    {if items.is_empty() {
                        view! { <p class="empty">{empty}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="organisations">
                                {items
                                    .into_iter()
                                    .map(|o| {
                                        view! {
                                            <li data-organisation=o.id.clone() data-status=accreditation::status_class(o.status)>
                                                <strong><bdi>{o.name.clone()}</bdi></strong>
                                                <span class="small">
                                                    {format!(
                                                        " · {} · {}{}",
                                                        o.country,
                                                        accreditation::constituency(o.constituency),
                                                        if o.ecosoc { format!(" · {}", crate::tr!(accreditation.ecosoc_status)) } else { String::new() },
                                                    )}
                                                </span>
                                                " "
                                                <span class=format!("badge status {}", accreditation::status_class(o.status))>
                                                    {accreditation::status(o.status)}
                                                </span>
                                                {o.reason.clone().map(|r| view! { <p class="reason">{crate::tr!(accreditation.reason_label)} " " {r}</p> })}
                                                <Objections objections=o.objections.clone() />
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </section>
            })
        }
    };

    view! {
        <main class="page accreditation">
            {move || match info.get() {
                Some(Ok(view)) => view! { <h1>{crate::tr!(accreditation.accredited_organisations_title, title = view.process.title).to_string()}</h1> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                None => view! { <h1>{crate::tr!(accreditation.accredited_organisations)}</h1> }.into_any(),
            }}
            {move || match list.get() {
                _ if matches!(info.get(), Some(Err(_))) => None,
                None => Some(view! { <p class="empty">{crate::tr!(accreditation.loading)}</p> }.into_any()),
                Some(Err(message)) => Some(view! { <p class="problem" role="alert">{message}</p> }.into_any()),
                Some(Ok(_)) => None,
            }}
            {group(crate::tr!(accreditation.group_accredited), &[Status::Approved], crate::tr!(accreditation.no_accredited))}
            {group(crate::tr!(accreditation.group_refused), &[Status::Refused], crate::tr!(accreditation.no_refused))}
            {group(crate::tr!(accreditation.group_revoked), &[Status::Revoked], crate::tr!(accreditation.no_revoked))}
            {group(crate::tr!(accreditation.group_pending), &[Status::Pending], crate::tr!(accreditation.no_pending))}
            <LoadMore list=organisations />
        </main>
    }
    .into_any()
}
