//! A button's or a form's round trip to the HTTP API, done the same way on every page: mark it
//! busy, post, then either run what follows or show the server's message.

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Posts `body` (or nothing) to `path` with `token` in the background. While the request is under
/// way `busy` is set and `error` cleared; when the server accepts it `done` runs, and when it
/// refuses, its message goes to `error`.
pub fn post(
    path: String,
    token: String,
    body: Option<impl serde::Serialize + 'static>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    done: impl FnOnce() + 'static,
) {
    busy.set(true);
    error.set(None);
    spawn_local(async move {
        match crate::http::post::<serde_json::Value, _>(&path, Some(&token), body.as_ref()).await {
            Ok(_) => done(),
            Err(message) => error.set(Some(message)),
        }
        busy.set(false);
    });
}
