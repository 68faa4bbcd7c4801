//! `/apply?process=ID`: the public application form of a process.

use leptos::prelude::*;
use shared::accreditation::Organisation;

use shared::accreditation::{Applied, ProcessView};
use shared::proof::Form;

use crate::accreditation::{self, constituencies};
use crate::browser::copy_to_clipboard;
use crate::components::field::Field;
use crate::http;

/// The application form for `process`.
#[component]
pub fn ApplyForm(process: Option<String>) -> impl IntoView {
    let Some(process) = process else {
        return view! {
            <main class="page">
                <p class="problem" role="alert">{crate::tr!(accreditation.apply_no_process)}</p>
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
            status.set(Some(crate::proof::checking()));
            let proof = crate::proof::solve(Form::Application).await;
            status.set(proof.is_ok().then_some(crate::tr!(accreditation.sending_application)));
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
            error.set(Some(crate::labels::refusal_text(rejection.code.into(), rejection.message)));
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
                <h1>{crate::tr!(accreditation.apply_title, title = view.process.title).to_string()}</h1>
                <p class="deadline" data-open=open.to_string()>
                    {if open {
                        crate::tr!(accreditation.applications_open_until, deadline = deadline).to_string()
                    } else {
                        crate::tr!(accreditation.applications_closed, deadline = deadline).to_string()
                    }}
                </p>
                <p class="small">
                    {crate::tr!(accreditation.apply_once_note)}
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
                <h2>{crate::tr!(accreditation.has_applied, name = org.application.name).to_string()}</h2>
                <p>{crate::tr!(accreditation.applied_review_note)}</p>
                <p class="link-box">
                    <a class="org-link" href=link.clone()>{link.clone()}</a>
                    <button type="button" on:click=move |_| copy_to_clipboard(&copy)>{crate::tr!(accreditation.copy_button)}</button>
                </p>
                <p class="keep">
                    <strong>{crate::tr!(accreditation.keep_link)}</strong>
                    " "
                    {crate::tr!(accreditation.keep_link_explanation)}
                </p>
            </section>
        }
    };

    view! {
        <main class="page apply">
            <Suspense fallback=|| view! { <p class="empty">{crate::tr!(accreditation.loading_process)}</p> }>
                {move || Suspend::new(async move { header(info.await) })}
            </Suspense>
            {move || match applied() {
                Some(result) => done(result).into_any(),
                None => {
                    view! {
                        <form class="card stack" on:submit=submit>
                            <Field label=crate::tr!(accreditation.field_organisation_name) name="name" required=true value=name />
                            <Field label=crate::tr!(accreditation.field_website) name="website" kind="url" required=true value=website />
                            <Field label=crate::tr!(accreditation.field_country) name="country" required=true value=country />
                            <Field label=crate::tr!(accreditation.field_contact_person) name="contact_name" required=true value=contact_name />
                            <Field label=crate::tr!(accreditation.field_contact_email) name="contact_email" kind="email" required=true value=contact_email />
                            <label>
                                {crate::tr!(accreditation.field_constituency)}
                                <select name="constituency" on:change=move |ev| constituency.set(event_target_value(&ev))>
                                    {constituencies()
                                        .into_iter()
                                        .map(|(wire, label)| {
                                            view! {
                                                <option value=wire selected=move || constituency.get() == wire>
                                                    {label}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </select>
                            </label>
                            <fieldset class="ecosoc">
                                <legend>{crate::tr!(accreditation.ecosoc_consultative_status)}</legend>
                                <label class="inline">
                                    <input
                                        type="radio"
                                        name="ecosoc"
                                        value="yes"
                                        prop:checked=move || ecosoc.get()
                                        on:change=move |_| ecosoc.set(true)
                                    />
                                    {crate::tr!(accreditation.yes)}
                                </label>
                                <label class="inline">
                                    <input
                                        type="radio"
                                        name="ecosoc"
                                        value="no"
                                        prop:checked=move || !ecosoc.get()
                                        on:change=move |_| ecosoc.set(false)
                                    />
                                    {crate::tr!(accreditation.no)}
                                </label>
                            </fieldset>
                            <Show when=move || !ecosoc.get()>
                                <Field
                                    label=crate::tr!(accreditation.field_activities)
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
                                {crate::tr!(accreditation.apply_button)}
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
