//! `/apply?process=ID`: the public application form of a process.

use leptos::prelude::*;
use shared::accreditation::Organisation;

use shared::accreditation::{Applied, ProcessView};
use shared::proof::Form;

use crate::accreditation::{self, CONSTITUENCIES};
use crate::browser::copy_to_clipboard;
use crate::components::field::Field;
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
    let info = http::process_resource(&process);
    let path = StoredValue::new(format!("/api/processes/{}/applications", http::encode(&process)));

    let name = RwSignal::new(String::new());
    let website = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_email = RwSignal::new(String::new());
    let constituency = RwSignal::new("ngo".to_string());
    let ecosoc = RwSignal::new(false);
    let activities = RwSignal::new(String::new());
    // What the form is doing while the button waits: solving the proof of work, then sending.
    let status = RwSignal::new(None::<&'static str>);
    // A mistake found here, before anything is sent.
    let error = RwSignal::new(None::<String>);
    let application = Action::new_local(move |form: &shared::accreditation::Application| {
        let form = form.clone();
        async move {
            status.set(Some(crate::proof::CHECKING));
            let proof = crate::proof::solve(Form::Application).await;
            status.set(proof.is_ok().then_some("Sending the application…"));
            let sent = match proof {
                Ok(proof) => http::post_proven::<Applied, _>(&path.get_value(), None, &form, &proof).await,
                Err(message) => Err(message),
            };
            status.set(None);
            sent
        }
    });
    let busy = move || application.pending().get();
    let applied = move || application.value().get().and_then(Result::ok);
    let refused = move || if busy() { None } else { application.value().get().and_then(Result::err) };

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
        error.set(None);
        application.dispatch_local(form);
    };

    let header = move |info: Result<ProcessView, String>| match info {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok(view) => {
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
            <Suspense fallback=|| view! { <p class="empty">"Loading the process…"</p> }>
                {move || Suspend::new(async move { header(info.await) })}
            </Suspense>
            {move || match applied() {
                Some(result) => done(result).into_any(),
                None => {
                    view! {
                        <form class="card stack" on:submit=submit>
                            <Field label="Organisation's name" name="name" required=true value=name />
                            <Field label="Website (https://…)" name="website" kind="url" required=true value=website />
                            <Field label="Country of headquarters" name="country" required=true value=country />
                            <Field label="Contact person" name="contact_name" required=true value=contact_name />
                            <Field label="Contact's email" name="contact_email" kind="email" required=true value=contact_email />
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
                                <Field
                                    label="Relevant activities and purpose (required without ECOSOC status, at least 20 characters)"
                                    name="activities"
                                    rows=5
                                    required=true
                                    value=activities
                                />
                            </Show>
                            <p class="small" aria-live="polite" data-proof-status="">{move || status.get()}</p>
                            {move || error.get().or_else(refused).map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
                            <button
                                type="submit"
                                class="primary"
                                data-action="apply"
                                disabled=move || busy() || closed()
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
