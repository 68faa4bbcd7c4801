//! The secretariat's review queue of applications for accreditation, on the console's page of a
//! process (`/secretariat?process=ID#token=…`).

use leptos::prelude::*;
use shared::accreditation::{Organisation, Status};

use crate::components::application_card::ApplicationCard;
use crate::components::bulk_reject::BulkReject;
use crate::components::load_more::LoadMore;
use crate::http;
use crate::paged::Paged;

/// The applications to `process` read so far (a page at a time, in the order they came), pending
/// ones first, with the decisions the secretariat can take; pending ones can be selected and
/// rejected together.
#[component]
pub fn ReviewQueue(process: Option<String>, token: Option<String>) -> impl IntoView {
    let (Some(process), Some(token)) = (process, token) else {
        return view! {
            <p class="problem" role="alert">
                {crate::tr!(desk.queue_link_missing)}
            </p>
        }
        .into_any();
    };
    let path = format!("/api/processes/{}/applications", http::encode(&process));
    let applications = Paged::<Organisation>::new(path.clone(), Some(token.clone()));
    let list = applications.list;
    let selected = RwSignal::new(Vec::<String>::new());
    let reject_path = format!("{path}/reject");
    let bulk_token = token.clone();
    let token = StoredValue::new(token);
    let reload = Callback::new(move |()| applications.reload());

    let select = move |o: &Organisation| {
        let id = StoredValue::new(o.id.clone());
        let checked = move || selected.with(|s| s.contains(&id.get_value()));
        let toggle = move |ev: leptos::ev::Event| {
            let on = event_target_checked(&ev);
            selected.update(|s| {
                s.retain(|i| *i != id.get_value());
                if on {
                    s.push(id.get_value());
                }
            });
        };
        view! {
            <label class="select-application">
                <input type="checkbox" name="select" data-select=o.id.clone() prop:checked=checked on:change=toggle />
                {crate::tr!(desk.select_for_rejection_before)}
                <bdi>{o.application.name.clone()}</bdi>
                {crate::tr!(desk.select_for_rejection_after)}
            </label>
        }
    };

    view! {
        <section class="review-queue" aria-labelledby="applications-heading">
            <h2 id="applications-heading">{crate::tr!(desk.applications_heading, process = process.clone())}</h2>
            <BulkReject path=reject_path token=bulk_token selected=selected done=reload />
            {move || match list.get() {
                None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(mut all)) => {
                    all.sort_by_key(|o| (o.status != Status::Pending, o.applied_at));
                    if all.is_empty() {
                        view! { <p class="empty">{crate::tr!(desk.no_application_yet)}</p> }.into_any()
                    } else {
                        all.into_iter()
                            .map(|o| {
                                let pick = (o.status == Status::Pending).then(|| select(&o));
                                view! {
                                    {pick}
                                    <ApplicationCard organisation=o token=token.get_value() changed=reload />
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }
            }}
            <LoadMore list=applications />
        </section>
    }
    .into_any()
}
