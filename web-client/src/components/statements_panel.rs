//! "Written statements" on an organisation's or a delegation's page: submit a statement to a
//! meeting or agenda item of the process (its text, or a PDF), see one's own submissions, and —
//! for a delegation — the statements it may respond to.

use leptos::prelude::*;
use shared::proof::Form;
use shared::written::{Statement, SubmitterKind};

use crate::components::field::Field;
use crate::components::load_more::LoadMore;
use crate::components::statement_card::StatementCard;
use crate::labels::LANGUAGES;
use crate::paged::Paged;
use crate::portal::{self, FileFacts};
use crate::{action, http};

/// The panel for the submitter `name` of `kind`, with `token`; `meetings` are the process's
/// `(id, title)` pairs.
#[component]
pub fn StatementsPanel(
    token: String,
    process: String,
    meetings: Vec<(String, String)>,
    kind: SubmitterKind,
    name: String,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let process = StoredValue::new(process);
    // With the token, so that a delegation also sees the statements of its closed meetings.
    let statements =
        Paged::<Statement>::new(portal::statements_path(&process.get_value(), None), Some(token.get_value()));
    let list = statements.list;
    let reload = Callback::new(move |()| statements.reload());

    let title = RwSignal::new(String::new());
    let meeting = RwSignal::new(String::new());
    let agenda_item = RwSignal::new(String::new());
    let language = RwSignal::new("en".to_string());
    let co_signers = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    // What the form is doing while the button waits: solving the proof of work, then sending.
    let status = RwSignal::new(None::<&'static str>);
    // A mistake found here, before anything is sent.
    let error = RwSignal::new(None::<String>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    // Sends a draft (with its PDF, if it has one); its value says what became of it.
    let submission: action::Submit<_> =
        Action::new_local(move |(draft, file): &(portal::Draft, Option<web_sys::File>)| {
            let (draft, file) = (draft.clone(), file.clone());
            let (path, token) = (portal::statements_path(&process.get_value(), None), token.get_value());
            async move {
                status.set(Some(crate::proof::checking()));
                let proof = crate::proof::solve(Form::Statement).await;
                status.set(Some(crate::tr!(portal.sending_statement)));
                let sent: Result<Statement, String> = match (proof, file.filter(|_| draft.pdf)) {
                    (Err(message), _) => Err(message),
                    (Ok(proof), Some(file)) => {
                        let path = format!("{path}?{}", portal::upload_query(&draft.statement));
                        http::upload_proven(&path, Some(&token), &file, "application/pdf", Some(&proof)).await
                    }
                    (Ok(proof), None) => http::post_proven(&path, Some(&token), &draft.statement, &proof).await,
                };
                status.set(None);
                let statement = sent?;
                for field in [title, agenda_item, co_signers, text] {
                    field.set(String::new());
                }
                crate::browser::clear_file(&file_input);
                reload.run(());
                Ok(crate::tr!(portal.statement_submitted, title = &statement.title))
            }
        });
    let busy = move || submission.pending().get();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = crate::browser::chosen_file(&file_input);
        let facts = file.as_ref().map(|f| FileFacts { media_type: f.type_(), name: f.name(), size: f.size() as u64 });
        let draft = portal::draft(
            &title.get_untracked(),
            &meeting.get_untracked(),
            &agenda_item.get_untracked(),
            &language.get_untracked(),
            &co_signers.get_untracked(),
            &text.get_untracked(),
            facts.as_ref(),
        );
        match draft {
            Ok(draft) => {
                error.set(None);
                submission.dispatch_local((draft, file));
            }
            Err(message) => error.set(Some(message)),
        }
    };

    let name = StoredValue::new(name);
    let delegation = kind == SubmitterKind::Delegation;
    let titles = StoredValue::new(meetings.clone());
    let meeting_title =
        move |id: &str| titles.with_value(|m| m.iter().find(|(i, _)| i == id).map(|(_, title)| title.clone()));
    let card = move |s: Statement, with_token: bool| {
        let title = s.meeting.as_ref().and_then(|m| meeting_title(m.as_str()));
        let token = with_token.then(|| token.get_value());
        view! { <StatementCard statement=s meeting_title=title token=token /> }
    };
    let lists = move || match list.get() {
        None => view! { <p class="empty">{crate::tr!(portal.loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) => {
            let mine = portal::own(&all, kind, &name.get_value());
            let others: Vec<Statement> = all.into_iter().filter(|s| !mine.contains(s)).collect();
            view! {
                <h3>{crate::tr!(portal.submitted_heading)}</h3>
                {if mine.is_empty() {
                    view! { <p class="empty">{crate::tr!(portal.nothing_submitted_yet)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="statements own-statements">
                            {mine.into_iter().map(|s| card(s, delegation)).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
                {delegation
                    .then(|| {
                        view! {
                            <h3>{crate::tr!(portal.respond_to_written_input)}</h3>
                            {if others.is_empty() {
                                view! { <p class="empty">{crate::tr!(portal.no_statement_from_others)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="statements to-respond">
                                        {others.into_iter().map(|s| card(s, true)).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        }
                    })}
            }
            .into_any()
        }
    };

    view! {
        <section class="card written" aria-label=crate::tr!(portal.written_statements)>
            <h2>{crate::tr!(portal.written_statements)}</h2>
            <p class="small">
                {crate::tr!(portal.submit_intro_before_link)}
                <a href=portal::portal_href(&process.get_value(), None)>{crate::tr!(portal.submit_intro_link)}</a>
                {crate::tr!(portal.submit_intro_after_link)}
            </p>
            <form class="stack statement-form" aria-label=crate::tr!(portal.submit_form_label) on:submit=submit>
                <Field label=crate::tr!(portal.title_field) name="statement_title" maxlength=200 required=true value=title />
                <div class="inline-form">
                    <label>
                        {crate::tr!(portal.meeting_label)}
                        <select name="statement_meeting" on:change=move |ev| meeting.set(event_target_value(&ev))>
                            <option value="">{crate::tr!(portal.no_particular_meeting)}</option>
                            {meetings
                                .into_iter()
                                .map(|(id, title)| view! { <option value=id dir="auto">{title}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <Field label=crate::tr!(portal.agenda_item_field) name="statement_agenda_item" maxlength=200 value=agenda_item />
                    <label>
                        {crate::tr!(portal.language_label)}
                        <select name="statement_language" on:change=move |ev| language.set(event_target_value(&ev))>
                            {LANGUAGES.iter().map(|(tag, name)| view! { <option value=*tag>{*name}</option> }).collect_view()}
                        </select>
                    </label>
                    <Field
                        label=crate::tr!(portal.co_signers_field)
                        name="statement_co_signers"
                        value=co_signers
                    />
                </div>
                <Field label=crate::tr!(portal.text) name="statement_text" rows=8 value=text />
                <label>
                    {crate::tr!(portal.pdf_instead)}
                    <input type="file" name="statement_file" accept=".pdf,application/pdf" node_ref=file_input />
                </label>
                <button type="submit" class="primary" data-action="submit-statement" disabled=busy>
                    {move || if busy() { crate::tr!(portal.submitting) } else { crate::tr!(portal.submit_statement) }}
                </button>
                <p class="small" aria-live="polite" data-proof-status="">{move || status.get()}</p>
                {action::outcome(submission, error, "statement")}
            </form>
            {lists}
            <LoadMore list=statements />
        </section>
    }
}
