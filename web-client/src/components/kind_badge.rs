//! A request kind as a badge; points of order and rights of reply stand out.

use leptos::prelude::*;
use shared::RequestKind;

use crate::labels;

/// The kind of a request.
#[component]
pub fn KindBadge(kind: RequestKind) -> impl IntoView {
    view! { <span class=format!("badge kind {}", labels::kind_class(kind))>{labels::kind(kind)}</span> }
}
