//! `/apply?process=ID`: the public application form of a process.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::accreditation::Organisation;

use shared::accreditation::{Applied, ProcessView};
use shared::proof::Form;

use crate::accreditation::{self, CONSTITUENCIES};
use crate::browser::copy_to_clipboard;
use crate::http;

/// The application form for `process`.
#[component]
pub fn ApplyForm(process: Option<String>) -> impl IntoView {
    let Some(process) = process else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">"This link does not say which process to apply to (?process=…)."</p>
            </main>
        }
        .into_any();
    };
    let info = RwSignal::new(None::<Result<ProcessView, String>>);
    let path = format!("/api/processes/{}", http::encode(&process));
    spawn_local({
        let path = path.clone();
        async move { info.set(Some(http::get(&path, None).await)) }
    });
    let path = StoredValue::new(path);

    let name = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_email = RwSignal::new(String::new());
    let constituency = RwSignal::new("ngo".to_string());
    let ecosoc = RwSignal::new(false);
    let activities = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // What the form is doing while the button waits: solving the proof of work, then sending.
    let status = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<String>);
    let applied = RwSignal::new(None::<Applied>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = accreditation::application(
            &name.get_untracked(),
            &website.get_untracked(),
            &country.get_untracked(),
            &contact_name.get_untracked(),
            &contact_email.get_untracked(),
            &constituency.get_untracked(),
            ecosoc.get_untracked(),
            &activities.get_untracked(),
        );
        // A mistake is shown before the proof of work is solved, as the server would refuse it.
        if let Err(rejection) = form.validate() {
            error.set(Some(rejection.message));
            return;
        }
        let path = format!("{}/applications", path.get_value());
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            status.set(Some(crate::proof::CHECKING));
            let sent = match crate::proof::solve(Form::Application).await {
                Ok(proof) => {
                    status.set(Some("Sending the application…"));
                    http::post_proven::<Applied, _>(&path, None, &form, &proof).await
                }
                Err(message) => Err(message),
            };
            match sent {
                Ok(done) => applied.set(Some(done)),
                Err(message) => error.set(Some(message)),
            }
            status.set(None);
            busy.set(false);
        });
    };

    let text_field = move |label: &'static str, field: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <label>
                {label}
                <input
                    type=kind
                    name=field
                    required
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
        }
    };

    let header = move || match info.get() {
        None => view! { <p class="empty">"Loading the process…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(view)) => {
            let deadline = accreditation::utc_text(view.process.applications_deadline);
            let open = view.applications_open;
            view! {
                <h1>{format!("Apply for accreditation: {}", view.process.title)}</h1>
                <p class="deadline" data-open=open.to_string()>
                    {if open {
                        format!("Applications are taken until {deadline}.")
                    } else {
                        format!("Applications are closed: the deadline was {deadline}.")
                    }}
                </p>
                <p class="small">
                    "Accreditation lasts for every meeting of the process, in the room and remotely: apply once."
                </p>
            }
            .into_any()
        }
    };
    let closed = move || matches!(info.get(), Some(Ok(ref v)) if !v.applications_open);

    let done = move |done: Applied| {
        let link = done.link.clone();
        let copy = done.link.clone();
        let org: Organisation = done.organisation;
        view! {
            <section class="card applied" data-applied="">
                <h2>{format!("{} has applied", org.application.name)}</h2>
                <p>"The secretariat will review the application. Your organisation's private page:"</p>
                <p class="link-box">
                    <a class="org-link" href=link.clone()>{link.clone()}</a>
                    <button type="button" on:click=move |_| copy_to_clipboard(&copy)>"Copy"</button>
                </p>
                <p class="keep">
                    <strong>"Keep this link."</strong>
                    " It is your organisation's key: with it you follow the decision and, once accredited, register your representatives. It is not sent by email."
                </p>
            </section>
        }
    };

    view! {
        <main class="page apply">
            {header}
            {move || match applied.get() {
                Some(result) => done(result).into_any(),
                None => {
                    view! {
                        <form class="card stack" on:submit=submit>
                            {text_field("Organisation's name", "name", "text", name)}
                            {text_field("Website (https://…)", "website", "url", website)}
                            {text_field("Country of headquarters", "country", "text", country)}
                            {text_field("Contact person", "contact_name", "text", contact_name)}
                            {text_field("Contact's email", "contact_email", "email", contact_email)}
                            <label>
                                "Constituency"
                                <select name="constituency" on:change=move |ev| constituency.set(event_target_value(&ev))>
                                    {CONSTITUENCIES
                                        .iter()
                                        .map(|(wire, label)| {
                                            view! {
                                                <option value=*wire selected=move || constituency.get() == *wire>
                                                    {*label}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <fieldset class="ecosoc">
                                <legend>"ECOSOC consultative status"</legend>
                                <label class="inline">
                                    <input
                                        type="radio"
                                        name="ecosoc"
                                        value="yes"
                                        prop:checked=move || ecosoc.get()
                                        on:change=move |_| ecosoc.set(true)
                                    />
                                    "Yes"
                                </label>
                                <label class="inline">
                                    <input
                                        type="radio"
                                        name="ecosoc"
                                        value="no"
                                        prop:checked=move || !ecosoc.get()
                                        on:change=move |_| ecosoc.set(false)
                                    />
                                    "No"
                                </label>
                            </fieldset>
                            <Show when=move || !ecosoc.get()>
                                <label>
                                    "Relevant activities and purpose (required without ECOSOC status, at least 20 characters)"
                                    <textarea
                                        name="activities"
                                        rows="5"
                                        required
                                        prop:value=move || activities.get()
                                        on:input=move |ev| activities.set(event_target_value(&ev))
                                    ></textarea>
                                </label>
                            </Show>
                            <p class="small" aria-live="polite" data-proof-status="">{move || status.get()}</p>
                            {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
                            <button
                                type="submit"
                                class="primary"
                                data-action="apply"
                                disabled=move || busy.get() || closed()
                            >
                                "Apply"
                            </button>
                        </form>
                    }
                        .into_any()
                }
            }}
        </main>
    }
    .into_any()
}
