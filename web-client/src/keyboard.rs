//! The console's grip on the browser's keyboard and focus: a key listener on the whole window in
//! the capture phase (ahead of any control, so that a shortcut can stop the focused button from
//! being pressed), where the focus is, and moving it.

use std::cell::Cell;

use leptos::prelude::{document, window};
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement, KeyboardEvent};

use crate::shortcuts::Focus;

thread_local! {
    /// Whether the person last pressed a mouse button (or touched) rather than moved with Tab.
    static POINTER_LAST: Cell<bool> = const { Cell::new(false) };
}

/// A `keydown` listener on the window, in the capture phase, and the `mousedown` listener that
/// tells a clicked control from one reached with Tab; removed when dropped.
pub struct KeyListener {
    keys: Closure<dyn FnMut(KeyboardEvent)>,
    pointer: Closure<dyn FnMut()>,
}

impl KeyListener {
    /// Calls `on_key` with every key press in the page before any element sees it.
    pub fn capture(mut on_key: impl FnMut(KeyboardEvent) + 'static) -> KeyListener {
        let keys = Closure::<dyn FnMut(KeyboardEvent)>::new(move |ev: KeyboardEvent| {
            on_key(ev.clone());
            if ev.key() == "Tab" {
                POINTER_LAST.set(false);
            }
        });
        let pointer = Closure::<dyn FnMut()>::new(|| POINTER_LAST.set(true));
        let _ = window().add_event_listener_with_callback_and_bool("keydown", keys.as_ref().unchecked_ref(), true);
        let _ = window().add_event_listener_with_callback_and_bool("mousedown", pointer.as_ref().unchecked_ref(), true);
        KeyListener { keys, pointer }
    }
}

impl Drop for KeyListener {
    fn drop(&mut self) {
        let window = window();
        let _ =
            window.remove_event_listener_with_callback_and_bool("keydown", self.keys.as_ref().unchecked_ref(), true);
        let _ = window.remove_event_listener_with_callback_and_bool(
            "mousedown",
            self.pointer.as_ref().unchecked_ref(),
            true,
        );
    }
}

/// Where the focus was when `event` happened. A control counts as reached by the keyboard when it
/// matches `:focus-visible`, the browser's own judgement of whether to show a focus ring, and the
/// last move was not a click (a driven or scripted click can leave the ring on).
pub fn focus_of(event: &KeyboardEvent) -> Focus {
    let Some(element) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return Focus::Page;
    };
    let editable = element.dyn_ref::<HtmlElement>().is_some_and(HtmlElement::is_content_editable);
    match element.tag_name().as_str() {
        "INPUT" | "SELECT" | "TEXTAREA" => Focus::Field,
        _ if editable => Focus::Field,
        "BUTTON" | "A" | "SUMMARY" => {
            if !POINTER_LAST.get() && element.matches(":focus-visible").unwrap_or(true) {
                Focus::ControlByKeyboard
            } else {
                Focus::ControlByMouse
            }
        }
        _ => Focus::Page,
    }
}

/// Takes the focus off whatever has it, so that the next keys go to the page.
pub fn blur_focused() {
    if let Some(focused) = document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        focused.blur().ok();
    }
}

/// Focuses the first element matching `css`; takes the focus off the current one if none matches.
pub fn focus_first(css: &str) {
    match document().query_selector(css).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        Some(element) => {
            element.focus().ok();
        }
        None => blur_focused(),
    }
}

/// Scrolls the element with this `id` into view as little as needed (`block: "nearest"`), within
/// its scrolling list and the page.
pub fn scroll_into_view(id: &str) {
    let Some(element) = document().get_element_by_id(id) else { return };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
    let _ = js_sys::Reflect::set(&options, &"inline".into(), &"nearest".into());
    if let Ok(scroll) = js_sys::Reflect::get(&element, &"scrollIntoView".into()) {
        if let Some(scroll) = scroll.dyn_ref::<js_sys::Function>() {
            let _ = scroll.call1(&element, &options);
        }
    }
}
