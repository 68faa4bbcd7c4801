//! "Load more" under a list read page by page: a real button, reachable by keyboard, shown while
//! the server has more.

use leptos::prelude::*;
use serde::de::DeserializeOwned;

use crate::paged::Paged;

/// The button that reads `list`'s next page; nothing once every page is read.
#[component]
pub fn LoadMore<T: DeserializeOwned + Clone + Send + Sync + 'static>(list: Paged<T>) -> impl IntoView {
    move || {
        list.has_more().then(|| {
            view! {
                <button
                    type="button"
                    class="small load-more"
                    data-action="load-more"
                    disabled=move || list.busy()
                    on:click=move |_| list.more()
                >
                    {move || if list.busy() { crate::tr!(common.loading) } else { crate::tr!(common.load_more) }}
                </button>
            }
        })
    }
}
