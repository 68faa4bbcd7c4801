//! Attaches a document to a meeting: a title and either a link or an uploaded file. The
//! secretariat's are official documents; an accredited organisation's are materials for
//! delegations (the server decides from the token).

use leptos::prelude::*;
use shared::accreditation::{Document, LinkedDocument};

use crate::components::field::Field;
use crate::documents::{self, Attach};
use crate::{action, http};

/// The form; `meetings` are `(id, title)` pairs (a choice is offered when there are several);
/// `added` runs after the server took a document.
#[component]
pub fn DocumentForm(
    token: String,
    meetings: Vec<(String, String)>,
    #[prop(into)] label: String,
    #[prop(optional)] added: Option<Callback<()>>,
) -> impl IntoView {
    let token = StoredValue::new(token);
    let meeting = RwSignal::new(meetings.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let title = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    // A mistake found here, before anything is sent.
    let error = RwSignal::new(None::<String>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    // Sends a link, or uploads a file, to a meeting; its value says what became of it.
    let attachment: action::Submit<_> =
        Action::new_local(move |(meeting, attach, file): &(String, Attach, Option<web_sys::File>)| {
            let (meeting, attach, file, token) = (meeting.clone(), attach.clone(), file.clone(), token.get_value());
            async move {
                let result: Result<Document, String> = match (&attach, file) {
                    (Attach::Link { title, url }, _) => {
                        let body = LinkedDocument { title: title.clone(), url: url.clone() };
                        http::post(&documents::documents_path(&meeting), Some(&token), Some(&body)).await
                    }
                    (Attach::Upload { title }, Some(file)) => {
                        let content_type = documents::media_type(&file.type_(), &file.name());
                        http::upload(&documents::upload_path(&meeting, title), Some(&token), &file, &content_type).await
                    }
                    (Attach::Upload { .. }, None) => Err(crate::tr!(portal.choose_a_file).into()),
                };
                let document = result?;
                title.set(String::new());
                url.set(String::new());
                crate::browser::clear_file(&file_input);
                if let Some(added) = added {
                    added.run(());
                }
                Ok(crate::tr!(portal.document_added, title = &document.title))
            }
        });
    let busy = move || attachment.pending().get();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let file = crate::browser::chosen_file(&file_input);
        let size = file.as_ref().map(|f| f.size() as u64);
        let attach = match documents::attach(&title.get_untracked(), &url.get_untracked(), size) {
            Ok(attach) => attach,
            Err(message) => return error.set(Some(message)),
        };
        let meeting = meeting.get_untracked();
        if meeting.is_empty() {
            return error.set(Some(crate::tr!(portal.choose_a_meeting).into()));
        }
        error.set(None);
        attachment.dispatch_local((meeting, attach, file));
    };

    let choice = (meetings.len() > 1).then(|| {
        view! {
            <label>
                {crate::tr!(portal.meeting_label)}
                <select name="document_meeting" on:change=move |ev| meeting.set(event_target_value(&ev))>
                    {meetings
                        .into_iter()
                        .map(|(id, name)| {
                            let selected = id.clone();
                            view! {
                                <option value=id.clone() selected=move || meeting.get() == selected dir="auto">
                                    {name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
        }
    });

    view! {
        <form class="inline-form document-form" aria-label=label on:submit=submit>
            {choice}
            <Field label=crate::tr!(portal.title_field) name="document_title" required=true value=title />
            <Field label=crate::tr!(portal.link_field) name="document_url" kind="url" placeholder="https://…" value=url />
            <label>
                {crate::tr!(portal.or_a_file)}
                <input type="file" name="document_file" node_ref=file_input
                    accept=".pdf,.txt,.doc,.docx,.odt,application/pdf,text/plain" />
            </label>
            <button type="submit" class="primary" data-action="attach-document" disabled=busy>
                {move || if busy() { crate::tr!(portal.adding) } else { crate::tr!(portal.add) }}
            </button>
            <p class="small">{documents::upload_hint()}</p>
            {action::outcome(attachment, error, "document")}
        </form>
    }
}
