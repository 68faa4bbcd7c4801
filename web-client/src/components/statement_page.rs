//! `/statement?id=ID`: one written statement — its text as paragraphs (never as HTML) or its PDF —
//! with the member states' responses beside it. With a delegate's token in the fragment, the
//! delegation may respond; with the token of a co-signer (an organisation's page, one of its
//! representatives, or a delegate of a co-signing state), the co-signer confirms or declines.

use leptos::prelude::*;
use shared::written::{NewResponse, Statement};

use shared::accreditation::{DelegationPage, OrganisationPage, ProcessView};

use crate::accreditation::utc_text;
use crate::components::field::Field;
use crate::portal::{own_co_signer, Signer};
use crate::{action, http, portal};

/// The statement `id`; `token`, when it is a delegate's, adds the response form.
#[component]
pub fn StatementPage(id: Option<String>, token: Option<String>) -> impl IntoView {
    let Some(id) = id else {
        return view! {
            <main class="page statement-page">
                <p class="problem" role="alert">{crate::tr!(portal.no_statement_in_link)}</p>
            </main>
        }
        .into_any();
    };
    let id = StoredValue::new(id);
    let token = StoredValue::new(token);
    // The statement, and the title of the meeting it is addressed to (from the process, public).
    let statement = LocalResource::new(move || {
        let (id, token) = (id.get_value(), token.get_value());
        async move {
            // With the token, if the link has one: a closed meeting's statement is for those it admits.
            let answer: Result<Statement, String> = http::get(&portal::statement_path(&id), token.as_deref()).await;
            let statement = answer?;
            let meeting_title = match &statement.meeting {
                Some(meeting) => http::get::<ProcessView>(
                    &format!("/api/processes/{}", http::encode(statement.process.as_str())),
                    None,
                )
                .await
                .ok()
                .and_then(|info| info.meetings.into_iter().find(|m| &m.id == meeting).map(|m| m.title)),
                None => None,
            };
            Ok::<_, String>((statement, meeting_title))
        }
    });
    // Whose token is it? The delegation's page answers only to a delegate's, the organisation's
    // only to the organisation's own; a representative's is neither, and the server tells.
    let signer = LocalResource::new(move || {
        let token = token.get_value();
        async move {
            let token = token?;
            Some(if let Ok(page) = http::get::<DelegationPage>("/api/delegation", Some(&token)).await {
                Signer::Delegation(page.delegation)
            } else if let Ok(page) = http::get::<OrganisationPage>("/api/organisation", Some(&token)).await {
                Signer::Organisation(page.organisation.id)
            } else {
                Signer::Unknown
            })
        }
    });
    let delegation = move || match signer.get().flatten() {
        Some(Signer::Delegation(delegation)) => Some(delegation),
        _ => None,
    };
    // Answering and responding are offered only to a link with a token.
    let token_text = StoredValue::new(token.get_value().unwrap_or_default());

    // A co-signer's answer: the server finds which co-signer the token speaks for.
    let answer = action::post(
        token_text,
        move |confirm: &bool| (portal::co_signing_path(&id.get_value(), *confirm), None::<()>),
        move || statement.refetch(),
    );
    let answering = move || answer.pending().get();
    let co_signing = move |s: &Statement| {
        let who = signer.get().flatten()?;
        let (sentence, confirmed) = match (&who, own_co_signer(s, &who)) {
            (_, Some(c)) if c.confirmed => (crate::tr!(portal.co_signer_confirmed, name = &c.name), true),
            (_, Some(c)) => {
                (crate::tr!(portal.co_signing_asked, submitter = &s.submitter.name, co_signer = &c.name), false)
            }
            (Signer::Unknown, None) if !s.co_signers.is_empty() => {
                (crate::tr!(portal.answer_if_named).to_string(), false)
            }
            _ => return None,
        };
        let buttons = if confirmed {
            view! {
                <button data-action="decline-co-signing" disabled=answering on:click=move |_| {
                    answer.dispatch_local(false);
                }>
                    {crate::tr!(portal.withdraw_co_signature)}
                </button>
            }
            .into_any()
        } else {
            view! {
                <button class="primary" data-action="confirm-co-signing" disabled=answering on:click=move |_| {
                    answer.dispatch_local(true);
                }>
                    {crate::tr!(portal.confirm)}
                </button>
                " "
                <button data-action="decline-co-signing" disabled=answering on:click=move |_| {
                    answer.dispatch_local(false);
                }>
                    {crate::tr!(portal.decline)}
                </button>
            }
            .into_any()
        };
        Some(view! {
            <section class="card co-signing" aria-label=crate::tr!(portal.co_signing_region)>
                <p>{sentence}</p>
                <p>{buttons}</p>
                {action::refusal(answer)}
            </section>
        })
    };

    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let response = action::post(
        token_text,
        move |response: &NewResponse| (portal::responses_path(&id.get_value()), Some(response.clone())),
        move || {
            text.set(String::new());
            statement.refetch();
        },
    );
    let respond = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let new = NewResponse { text: text.get_untracked().trim().to_string() };
        if let Err(rejection) = new.validate() {
            return error.set(Some(crate::labels::refusal_text(rejection.code.into(), rejection.message)));
        }
        error.set(None);
        response.dispatch_local(new);
    };

    let form = move || {
        delegation().map(|delegation| {
            view! {
                <form class="stack respond" on:submit=respond>
                    <h3>{crate::tr!(portal.respond_for, delegation = delegation)}</h3>
                    <Field label=crate::tr!(portal.response_field) name="response" rows=5 required=true value=text />
                    <button type="submit" class="primary" data-action="respond" disabled=move || response.pending().get()>
                        {crate::tr!(portal.publish_response)}
                    </button>
                    {move || error.get().map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })}
                    {action::refusal(response)}
                </form>
            }
        })
    };

    // A closed meeting's file answers only with the token: a statement tied to a meeting, read
    // with a link that holds one, is fetched with it (the plain link serves everyone else).
    let pdf = action::save(token_text);
    let open_file = move |s: &Statement| {
        let (id, tied) = (s.id.clone(), s.meeting.is_some());
        move |ev: leptos::ev::MouseEvent| {
            if token.get_value().is_some() && tied {
                ev.prevent_default();
                pdf.dispatch_local((portal::file_path(&id), format!("{id}.pdf")));
            }
        }
    };

    let body = move |loaded: Result<(Statement, Option<String>), String>| match loaded {
        Err(message) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Ok((s, meeting_title)) => {
            let content = match (&s.text, &s.file) {
                (Some(text), _) => view! {
                    <div class="statement-text" data-statement-text="" lang=s.language.to_string()>
                        {portal::paragraphs(text).into_iter().map(|p| view! { <p dir="auto">{p}</p> }).collect_view()}
                    </div>
                }
                .into_any(),
                (None, Some(file)) => view! {
                    <p>
                        <a class="pdf" href=portal::file_path(&s.id) target="_blank" rel="noopener" data-link="pdf"
                            on:click=open_file(&s)>
                            {crate::tr!(portal.open_pdf)}
                        </a>
                        <span class="small">{format!(" · {}", crate::documents::size_text(file.size))}</span>
                    </p>
                    {action::refusal(pdf)}
                }
                .into_any(),
                (None, None) => view! { <p class="empty">{crate::tr!(portal.no_text)}</p> }.into_any(),
            };
            let addressed = portal::addressed(&s, meeting_title.as_deref());
            let co_signers = crate::accreditation::joint_written(&s.co_signers);
            let co_signing = co_signing(&s);
            let responses = if s.responses.is_empty() {
                view! { <p class="empty">{crate::tr!(portal.no_response_yet_sentence)}</p> }.into_any()
            } else {
                view! {
                    <ul class="responses">
                        {s.responses
                            .iter()
                            .map(|r| {
                                view! {
                                    <li class="response" data-delegation=r.delegation.clone()>
                                        <strong>{r.delegation.clone()}</strong>
                                        <span class="small">" · "<bdi>{r.author.clone()}</bdi>{format!(" · {}", utc_text(r.at))}</span>
                                        <div class="response-text">
                                            {portal::paragraphs(&r.text).into_iter().map(|p| view! { <p dir="auto">{p}</p> }).collect_view()}
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
                    <a href=portal::portal_href(s.process.as_str(), None)>{crate::tr!(portal.all_written_statements)}</a>
                </p>
                <div class="statement-layout">
                    <article class="statement-body">
                        <h1 lang=s.language.to_string() dir="auto">{s.title.clone()}</h1>
                        <p class="submitter">
                            <strong><bdi>{s.submitter.name.clone()}</bdi></strong>
                            <span class="small">{format!(" · {} · {}", s.language, utc_text(s.submitted_at))}</span>
                        </p>
                        {co_signers.map(|c| view! { <p class="co-signers">{c}</p> })}
                        {co_signing}
                        {addressed.map(|a| view! { <p class="small addressed">{a}</p> })}
                        {content}
                    </article>
                    <aside class="responses-column" aria-label=crate::tr!(portal.responses_region)>
                        <h2>{crate::tr!(portal.responses_heading)}</h2>
                        {responses}
                        {form}
                    </aside>
                </div>
            }
            .into_any()
        }
    };

    view! {
        <main class="page statement-page">
            <Transition fallback=|| view! { <p class="empty">{crate::tr!(portal.loading)}</p> }>
                {move || Suspend::new(async move { body(statement.await) })}
            </Transition>
        </main>
    }
    .into_any()
}
