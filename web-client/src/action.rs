//! A button's or a form's round trip to the HTTP API, done the same way on every page: a Leptos
//! [`Action`] whose `pending()` disables the button while the request is under way and whose
//! `value()` is the server's refusal, as text to show; what follows an acceptance runs in `done`.

use leptos::prelude::*;

/// A POST as an action: its value is `Some(message)` when the server refused the last request,
/// `None` before any and once one was accepted.
pub type Post<I> = Action<I, Option<String>>;

/// Posts what `request` makes of the dispatched input — a path and a JSON body, or none — with
/// `token`; `done` runs when the server accepts it. Dispatch with `dispatch_local`.
pub fn post<I, B>(
    token: StoredValue<String>,
    request: impl Fn(&I) -> (String, Option<B>) + 'static,
    done: impl Fn() + Copy + 'static,
) -> Post<I>
where
    I: 'static,
    B: serde::Serialize + 'static,
{
    Action::new_local(move |input: &I| {
        let (path, body) = request(input);
        let token = token.get_value();
        async move {
            match crate::http::post::<serde_json::Value, _>(&path, Some(&token), body.as_ref()).await {
                Ok(_) => {
                    done();
                    None
                }
                Err(message) => Some(message),
            }
        }
    })
}

/// The server's refusal of `action`'s last request, if it refused it, as a paragraph to show;
/// nothing while a new request is under way.
pub fn refusal<I: 'static>(action: Post<I>) -> impl Fn() -> Option<AnyView> + Copy {
    move || {
        if action.pending().get() {
            return None;
        }
        action
            .value()
            .get()
            .flatten()
            .map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> }.into_any())
    }
}

/// Fetching a file with the token and saving it, as an action dispatched with the file's path and
/// the name to save it under; its value is the failure, if any (see [`refusal`]).
pub fn save(token: StoredValue<String>) -> Post<(String, String)> {
    Action::new_local(move |(path, name): &(String, String)| {
        let (path, name, token) = (path.clone(), name.clone(), token.get_value());
        async move {
            crate::http::download(&path, Some(&token))
                .await
                .and_then(|blob| crate::browser::save_blob(&blob, &name))
                .err()
        }
    })
}

/// A form's action whose value says what was done (`Ok`, a sentence to show) or why not (`Err`,
/// the server's message).
pub type Submit<I> = Action<I, Result<String, String>>;

/// What became of `action`'s last request: why not (an alert), or what was done (a status, marked
/// `data-done=what`); or the `mistake` the form found before sending anything. Nothing while a
/// request is under way.
pub fn outcome<I: 'static>(action: Submit<I>, mistake: RwSignal<Option<String>>, what: &'static str) -> impl IntoView {
    let last = move || if action.pending().get() { None } else { action.value().get() };
    view! {
        {move || {
            let refused = last().and_then(Result::err);
            mistake.get().or(refused).map(|m| view! { <p class="problem" role="alert" data-error="">{m}</p> })
        }}
        {move || last().and_then(Result::ok).map(|m| view! { <p class="small" role="status" data-done=what>{m}</p> })}
    }
}
