//! The public forms' proof of work in the browser (`shared::proof`): fetch a challenge, solve it
//! in slices with a pause for the page between them, so that typing and screen readers are not
//! held up for the second it takes.

use shared::proof::{self, ChallengeAnswer, Form, Proof};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::http;

/// Hashes tried between two pauses: a few milliseconds of work, even on a slow phone.
const SLICE: u64 = 2048;

/// What a form shows while it works, in a polite live region, in the page's language.
pub fn checking() -> &'static str {
    crate::tr!(portal.checking)
}

/// A fresh challenge for `form`, solved: the value of the `Rostrum-Proof` header.
pub async fn solve(form: Form) -> Result<String, String> {
    let answer: ChallengeAnswer = http::get(&format!("/api/challenge?form={}", form.as_str()), None).await?;
    let mut from = 0;
    loop {
        if let Some(nonce) = proof::solve_some(&answer.challenge, answer.difficulty, from, SLICE) {
            return Ok(Proof { challenge: answer.challenge, nonce }.to_string());
        }
        from += SLICE;
        pause().await;
    }
}

/// Lets the browser run its event loop (a `setTimeout(0)` promise).
async fn pause() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
