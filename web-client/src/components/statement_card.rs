//! One written statement in a list: title, submitter, co-signers, language, where it is
//! addressed, date and how many responses — linking to its page.

use leptos::prelude::*;
use shared::written::Statement;

use crate::accreditation::utc_text;
use crate::portal;

/// A statement's line in the portal and on the submitters' pages; `token` (a delegate's) goes in
/// the link's fragment so that the statement's page offers to respond.
#[component]
pub fn StatementCard(
    statement: Statement,
    #[prop(default = None)] meeting_title: Option<String>,
    #[prop(default = None)] token: Option<String>,
) -> impl IntoView {
    let href = portal::statement_href(&statement.id, token.as_deref());
    let addressed = portal::addressed(&statement, meeting_title.as_deref());
    let co_signers = crate::accreditation::joint_written(&statement.co_signers);
    let format = if statement.file.is_some() { "PDF" } else { crate::tr!(portal.text) };
    view! {
        <li class="statement" data-statement=statement.id.clone() data-title=statement.title.clone()>
            <a class="statement-title" href=href lang=statement.language.to_string() dir="auto">{statement.title.clone()}</a>
            <span class="small">
                " · "<bdi>{statement.submitter.name.clone()}</bdi>{format!(" · {} · {format}", statement.language)}
            </span>
            {co_signers.map(|c| view! { <span class="co-signers">{c}</span> })}
            <span class="small block">
                {addressed.map(|a| format!("{a} · "))}
                {utc_text(statement.submitted_at)}
                " · "
                <span data-responses=statement.responses.len().to_string()>
                    {portal::responses_text(statement.responses.len())}
                </span>
            </span>
        </li>
    }
}
