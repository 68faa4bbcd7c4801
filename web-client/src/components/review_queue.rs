//! `/secretariat?process=ID#token=…`: the secretariat's review queue.

use leptos::prelude::*;
use shared::accreditation::{Organisation, Status};

use crate::components::application_card::ApplicationCard;
use crate::components::load_more::LoadMore;
use crate::http;
use crate::paged::Paged;

/// The applications to `process` read so far (a page at a time, in the order they came), pending
/// ones first, with the decisions the secretariat can take.
#[component]
pub fn ReviewQueue(process: Option<String>, token: Option<String>) -> impl IntoView {
    let (Some(process), Some(token)) = (process, token) else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">
                    "This link needs the process (?process=…) and the secretariat's access token (#token=…)."
                </p>
            </main>
        }
        .into_any();
    };
    let path = format!("/api/processes/{}/applications", http::encode(&process));
    let applications = Paged::<Organisation>::new(path, Some(token.clone()));
    let list = applications.list;
    let token = StoredValue::new(token);
    let reload = Callback::new(move |()| applications.reload());

    view! {
        <main class="page secretariat">
            <h1>{format!("Applications to {process}")}</h1>
            {move || match list.get() {
                None => view! { <p class="empty">"Loading…"</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(mut all)) => {
                    all.sort_by_key(|o| (o.status != Status::Pending, o.applied_at));
                    if all.is_empty() {
                        view! { <p class="empty">"No application yet."</p> }.into_any()
                    } else {
                        all.into_iter()
                            .map(|o| view! { <ApplicationCard organisation=o token=token.get_value() changed=reload /> })
                            .collect_view()
                            .into_any()
                    }
                }
            }}
            <LoadMore list=applications />
        </main>
    }
    .into_any()
}
