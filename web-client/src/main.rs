//! Rostrum's web client: the chair's console, the participant's view and the room display, in one
//! Leptos app that the server serves at `/chair`, `/speak` and `/display`.
//!
//! The protocol and the queue's rules come from `shared`; this crate keeps a replica of the meeting
//! with `Meeting::apply` and draws it. Plain modules (`session`, `timing`, `standing`, …) hold the
//! client's logic and are tested natively; `live` and `browser` talk to the browser; `components`
//! draw.

// A bundle of one group of screens (see app.rs) leaves the others' code unused.
#![cfg_attr(
    not(all(feature = "live", feature = "chair", feature = "desk", feature = "pages")),
    allow(dead_code, unused_imports)
)]

mod accreditation;
mod action;
mod app;
mod backoff;
mod browser;
mod co_signing;
mod components;
mod documents;
#[cfg(test)]
mod fixture;
mod gender;
mod http;
mod keyboard;
mod labels;
mod language;
mod link;
mod live;
mod number;
mod paged;
mod parity;
mod portal;
mod proof;
mod record;
mod removal;
mod session;
mod shortcuts;
mod standing;
mod time_zone;
mod timing;
mod walk_in;

// The message catalogues of `locales/`, compiled by build.rs: `crate::i18n::Locale` and the
// `td_string!` that `tr!` (src/language.rs) calls.
include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

fn main() {
    console_error_panic_hook::set_once();
    language::start();
    leptos::mount::mount_to_body(app::App);
}
