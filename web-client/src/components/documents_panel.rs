//! The documents of a meeting: official documents attached by the secretariat and materials that
//! accredited organisations provide to delegations. Seen with the screen's own token; an
//! anonymous display shows nothing.

use leptos::prelude::*;
use shared::accreditation::Document;

use crate::action;
use crate::components::document_form::DocumentForm;
use crate::components::load_more::LoadMore;
use crate::documents;
use crate::paged::Paged;

/// The list for `meeting`; `secretariat` adds the form that attaches official documents.
#[component]
pub fn DocumentsPanel(
    meeting: String,
    token: Option<String>,
    #[prop(into)] secretariat: Signal<bool>,
) -> impl IntoView {
    let Some(token) = token else { return ().into_any() };
    let path = documents::documents_path(&meeting);
    let token = StoredValue::new(token);
    let documents = Paged::<Document>::new(path, Some(token.get_value()));
    let list = documents.list;
    let reload = Callback::new(move |()| documents.reload());

    let download = action::save(token);
    let open = Callback::new(move |document: Document| {
        let name = documents::file_name(&document.title, document.content_type.as_deref());
        download.dispatch_local((documents::download_path(&document.id), name));
    });

    let item = move |d: Document| {
        let class = documents::kind_class(d.kind);
        let details = match (d.content_type.is_some(), d.size) {
            (true, Some(size)) => format!(" · {}", documents::size_text(size)),
            _ => String::new(),
        };
        let link = match d.url.clone() {
            Some(url) => view! {
                <a href=url target="_blank" rel="noopener noreferrer" data-document-link="">
                    <bdi>{d.title.clone()}</bdi>
                </a>
            }
            .into_any(),
            None => {
                let document = d.clone();
                view! {
                    <button type="button" class="link" data-action="download" on:click=move |_| open.run(document.clone())>
                        <bdi>{d.title.clone()}</bdi>
                    </button>
                }
                .into_any()
            }
        };
        view! {
            <li data-document=d.title.clone() data-kind=class>
                {link}
                " "
                <span class=format!("badge document {class}")>{documents::kind(d.kind)}</span>
                <span class="small">{format!(" · {}{details}", d.provided_by)}</span>
            </li>
        }
    };

    view! {
        <section class="card documents" aria-label=crate::tr!(portal.documents)>
            <h2>{crate::tr!(portal.documents)}</h2>
            {move || match list.get() {
                None => view! { <p class="empty">{crate::tr!(portal.loading)}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{crate::tr!(portal.no_document_yet)}</p> }.into_any(),
                Some(Ok(all)) => {
                    view! { <ul class="documents">{documents::sorted(all).into_iter().map(item).collect_view()}</ul> }
                        .into_any()
                }
            }}
            <LoadMore list=documents />
            <button type="button" class="small" data-action="refresh-documents" on:click=move |_| reload.run(())>
                {crate::tr!(portal.refresh)}
            </button>
            {action::refusal(download)}
            {move || {
                secretariat
                    .get()
                    .then(|| {
                        view! {
                            <h3>{crate::tr!(portal.attach_official_document)}</h3>
                            <DocumentForm
                                token=token.get_value()
                                meetings=vec![(meeting.clone(), meeting.clone())]
                                label=crate::tr!(portal.attach_official_document)
                                added=reload
                            />
                        }
                    })
            }}
        </section>
    }
    .into_any()
}
