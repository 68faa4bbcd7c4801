//! `/statement?id=ID`: one written statement — its text as paragraphs (never as HTML) or its PDF —
//! with the member states' responses beside it. With a delegate's token in the fragment, the
//! delegation may respond; with the token of a co-signer (an organisation's page, one of its
//! representatives, or a delegate of a co-signing state), the co-signer confirms or declines.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::written::{NewResponse, Response, Statement};

use shared::accreditation::{DelegationPage, OrganisationPage, ProcessView};

use crate::accreditation::utc_text;
use crate::portal::{own_co_signer, Signer};
use crate::{http, portal};

/// The statement `id`; `token`, when it is a delegate's, adds the response form.
#[component]
pub fn StatementPage(id: Option<String>, token: Option<String>) -> impl IntoView {
    let Some(id) = id else {
        return view! {
            <main class="page statement-page">
                <p class="problem" role="alert">"This link does not say which statement (?id=…)."</p>
            </main>
        }
        .into_any();
    };
    let id = StoredValue::new(id);
    let token = StoredValue::new(token);
    let statement = RwSignal::new(None::<Result<Statement, String>>);
    // The meeting's title, from the process (public), to say where the statement is addressed.
    let meeting_title = RwSignal::new(None::<String>);
    let reload = Callback::new(move |()| {
        spawn_local(async move {
            // With the token, if the link has one: a closed meeting's statement is for those it admits.
            let token = token.get_value();
            let answer: Result<Statement, String> =
                http::get(&portal::statement_path(&id.get_value()), token.as_deref()).await;
            let wanted = answer.as_ref().ok().and_then(|s| Some((s.process.clone(), s.meeting.clone()?)));
            statement.set(Some(answer));
            if let (Some((process, meeting)), None) = (wanted, meeting_title.get_untracked()) {
                let path = format!("/api/processes/{}", http::encode(process.as_str()));
                if let Ok(info) = http::get::<ProcessView>(&path, None).await {
                    meeting_title.set(info.meetings.into_iter().find(|m| m.id == meeting).map(|m| m.title));
                }
            }
        });
    });
    reload.run(());
    // Whose token is it? The delegation's page answers only to a delegate's, the organisation's
    // only to the organisation's own; a representative's is neither, and the server tells.
    let delegation = RwSignal::new(None::<String>);
    let signer = RwSignal::new(None::<Signer>);
    if let Some(t) = token.get_value() {
        spawn_local(async move {
            if let Ok(page) = http::get::<DelegationPage>("/api/delegation", Some(&t)).await {
                signer.set(Some(Signer::Delegation(page.delegation.clone())));
                delegation.set(Some(page.delegation));
            } else if let Ok(page) = http::get::<OrganisationPage>("/api/organisation", Some(&t)).await {
                signer.set(Some(Signer::Organisation(page.organisation.id)));
            } else {
                signer.set(Some(Signer::Unknown));
            }
        });
    }

    // A co-signer's answer: the server finds which co-signer the token speaks for.
    let answering = RwSignal::new(false);
    let answer_error = RwSignal::new(None::<String>);
    let answer = move |confirm: bool| {
        let Some(token) = token.get_value() else { return };
        answering.set(true);
        answer_error.set(None);
        spawn_local(async move {
            let path = portal::co_signing_path(&id.get_value(), confirm);
            match http::post::<Statement, ()>(&path, Some(&token), None).await {
                Ok(updated) => statement.set(Some(Ok(updated))),
                Err(message) => answer_error.set(Some(message)),
            }
            answering.set(false);
        });
    };
    let co_signing = move |s: &Statement| {
        let who = signer.get()?;
        let (sentence, confirmed) = match (&who, own_co_signer(s, &who)) {
            (_, Some(c)) if c.confirmed => (format!("{} co-signs this statement.", c.name), true),
            (_, Some(c)) => (format!("{} asks {} to co-sign this statement.", s.submitter.name, c.name), false),
            (Signer::Unknown, None) if !s.co_signers.is_empty() => {
                ("If your organisation is named as a co-signer, answer here.".to_string(), false)
            }
            _ => return None,
        };
        let buttons = if confirmed {
            view! {
                <button data-action="decline-co-signing" disabled=move || answering.get() on:click=move |_| answer(false)>
                    "Withdraw the co-signature"
                </button>
            }
            .into_any()
        } else {
            view! {
                <button class="primary" data-action="confirm-co-signing" disabled=move || answering.get() on:click=move |_| answer(true)>
                    "Confirm"
                </button>
                " "
                <button data-action="decline-co-signing" disabled=move || answering.get() on:click=move |_| answer(false)>
                    "Decline"
                </button>
            }
            .into_any()
        };
        Some(view! {
            <section class="card co-signing" aria-label="Co-signing">
                <p>{sentence}</p>
                <p>{buttons}</p>
                {move || answer_error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
            </section>
        })
    };

    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let respond = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let response = NewResponse { text: text.get_untracked().trim().to_string() };
        if let Err(rejection) = response.validate() {
            return error.set(Some(rejection.message));
        }
        let Some(token) = token.get_value() else { return };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match http::post::<Response, _>(&portal::responses_path(&id.get_value()), Some(&token), Some(&response))
                .await
            {
                Ok(_) => {
                    text.set(String::new());
                    reload.run(());
                }
                Err(message) => error.set(Some(message)),
            }
            busy.set(false);
        });
    };

    let form = move || {
        delegation.get().map(|delegation| {
            view! {
                <form class="stack respond" on:submit=respond>
                    <h3>{format!("Respond for {delegation}")}</h3>
                    <label>
                        "What the delegation did with this input"
                        <textarea name="response" rows="5" required prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="submit" class="primary" data-action="respond" disabled=move || busy.get()>
                        "Publish the response"
                    </button>
                    {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
                </form>
            }
        })
    };

    // A closed meeting's file answers only with the token: a statement tied to a meeting, read
    // with a link that holds one, is fetched with it (the plain link serves everyone else).
    let file_error = RwSignal::new(None::<String>);
    let open_file = move |s: &Statement| {
        let (id, tied) = (s.id.clone(), s.meeting.is_some());
        move |ev: leptos::ev::MouseEvent| {
            let Some(token) = token.get_value().filter(|_| tied) else { return };
            ev.prevent_default();
            file_error.set(None);
            let id = id.clone();
            spawn_local(async move {
                let saved = http::download(&portal::file_path(&id), Some(&token))
                    .await
                    .and_then(|blob| crate::browser::save_blob(&blob, &format!("{id}.pdf")));
                if let Err(message) = saved {
                    file_error.set(Some(message));
                }
            });
        }
    };

    let body = move || match statement.get() {
        None => view! { <p class="empty">"Loading…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(s)) => {
            let content = match (&s.text, &s.file) {
                (Some(text), _) => view! {
                    <div class="statement-text" data-statement-text="">
                        {portal::paragraphs(text).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                    </div>
                }
                .into_any(),
                (None, Some(file)) => view! {
                    <p>
                        <a class="pdf" href=portal::file_path(&s.id) target="_blank" rel="noopener" data-link="pdf"
                            on:click=open_file(&s)>
                            "Open the PDF"
                        </a>
                        <span class="small">{format!(" · {}", crate::documents::size_text(file.size))}</span>
                    </p>
                    {move || file_error.get().map(|m| view! { <p class="problem" role="alert">{m}</p> })}
                }
                .into_any(),
                (None, None) => view! { <p class="empty">"This statement has no text."</p> }.into_any(),
            };
            let addressed = portal::addressed(&s, meeting_title.get().as_deref());
            let co_signers = crate::accreditation::joint_written(&s.co_signers);
            let co_signing = co_signing(&s);
            let responses = if s.responses.is_empty() {
                view! { <p class="empty">"No response yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="responses">
                        {s.responses
                            .iter()
                            .map(|r| {
                                view! {
                                    <li class="response" data-delegation=r.delegation.clone()>
                                        <strong>{r.delegation.clone()}</strong>
                                        <span class="small">{format!(" · {} · {}", r.author, utc_text(r.at))}</span>
                                        <div class="response-text">
                                            {portal::paragraphs(&r.text).into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                                        </div>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            view! {
                <p class="small">
                    <a href=portal::portal_href(s.process.as_str(), None)>"All written statements"</a>
                </p>
                <div class="statement-layout">
                    <article class="statement-body">
                        <h1>{s.title.clone()}</h1>
                        <p class="submitter">
                            <strong>{s.submitter.name.clone()}</strong>
                            <span class="small">{format!(" · {} · {}", s.language, utc_text(s.submitted_at))}</span>
                        </p>
                        {co_signers.map(|c| view! { <p class="co-signers">{c}</p> })}
                        {co_signing}
                        {addressed.map(|a| view! { <p class="small addressed">{a}</p> })}
                        {content}
                    </article>
                    <aside class="responses-column" aria-label="Responses of member states">
                        <h2>"Responses"</h2>
                        {responses}
                        {form}
                    </aside>
                </div>
            }
            .into_any()
        }
    };

    view! { <main class="page statement-page">{body}</main> }.into_any()
}
