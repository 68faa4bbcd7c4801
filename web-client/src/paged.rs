//! Lists the server sends a page at a time (`shared::api::Page`): the review queue, the public
//! list, statements and documents. The items read so far, and the cursor of the next page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use shared::api::Page;

use crate::http;

/// A list read page by page from `path` with an optional `token`. `list` holds the items read so
/// far (or the last error); [`Paged::more`] appends the next page; [`Paged::reload`] reads again
/// from the start, as many items as were shown, so that a change does not fold the list up.
pub struct Paged<T: Send + Sync + 'static> {
    pub list: RwSignal<Option<Result<Vec<T>, String>>>,
    next: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    path: StoredValue<String>,
    token: StoredValue<Option<String>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

/// `path` asking for the page after `cursor`.
fn page_path(path: &str, cursor: Option<&str>) -> String {
    match cursor {
        None => path.to_string(),
        Some(cursor) => {
            let join = if path.contains('?') { '&' } else { '?' };
            format!("{path}{join}after={}", http::encode(cursor))
        }
    }
}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> Paged<T> {
    /// Starts reading the first page.
    pub fn new(path: String, token: Option<String>) -> Self {
        let paged = Paged {
            list: RwSignal::new(None),
            next: RwSignal::new(None),
            busy: RwSignal::new(false),
            path: StoredValue::new(path),
            token: StoredValue::new(token),
        };
        paged.reload();
        paged
    }

    async fn page(self, cursor: Option<String>) -> Result<Page<T>, String> {
        let path = page_path(&self.path.get_value(), cursor.as_deref());
        http::get(&path, self.token.get_value().as_deref()).await
    }

    /// Reads the list again from its first page, up to as many items as it showed.
    pub fn reload(self) {
        let shown = self.list.with_untracked(|l| l.as_ref().and_then(|l| l.as_ref().ok()).map_or(0, Vec::len));
        spawn_local(async move {
            let mut items = Vec::new();
            let mut cursor = None;
            loop {
                match self.page(cursor).await {
                    Ok(page) => {
                        items.extend(page.items);
                        cursor = page.next;
                    }
                    Err(message) => return self.list.set(Some(Err(message))),
                }
                if cursor.is_none() || items.len() >= shown {
                    break;
                }
            }
            self.next.set(cursor);
            self.list.set(Some(Ok(items)));
        });
    }

    /// Reads the next page and appends it.
    pub fn more(self) {
        let Some(cursor) = self.next.get_untracked() else { return };
        self.busy.set(true);
        spawn_local(async move {
            match self.page(Some(cursor)).await {
                Ok(page) => {
                    self.list.update(|l| {
                        if let Some(Ok(items)) = l {
                            items.extend(page.items);
                        }
                    });
                    self.next.set(page.next);
                }
                Err(message) => self.list.set(Some(Err(message))),
            }
            self.busy.set(false);
        });
    }

    /// Whether the server has more than was read.
    pub fn has_more(self) -> bool {
        self.next.get().is_some()
    }

    /// Whether a page is being read.
    pub fn busy(self) -> bool {
        self.busy.get()
    }
}

#[cfg(test)]
mod tests {
    use super::page_path;

    #[test]
    fn the_next_page_is_asked_for_after_the_cursor_whatever_the_path_already_asks() {
        assert_eq!(page_path("/api/x", None), "/api/x");
        assert_eq!(page_path("/api/x", Some("12.ab")), "/api/x?after=12.ab");
        assert_eq!(page_path("/api/x?meeting=m1", Some("12.ab")), "/api/x?meeting=m1&after=12.ab");
    }
}
