//! `/secretariat?process=ID#token=…`: the secretariat's review queue.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accreditation::{Organisation, Status};

use crate::components::application_card::ApplicationCard;
use crate::http;

/// Every application to `process`, pending ones first, with the decisions the secretariat can take.
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
    let list = RwSignal::new(None::<Result<Vec<Organisation>, String>>);
    let path = format!("/api/processes/{}/applications", http::encode(&process));
    let token = StoredValue::new(token);
    let reload = Callback::new(move |()| {
        let path = path.clone();
        spawn_local(async move { list.set(Some(http::get(&path, Some(&token.get_value())).await)) });
    });
    reload.run(());

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
        </main>
    }
    .into_any()
}
