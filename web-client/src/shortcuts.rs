//! The chair's keyboard: which key does what, when a key is the console's rather than the focused
//! control's, and the command each action sends. Kept apart from the console so that the mapping is
//! tested without a browser.

use shared::{Command, EntryId, Meeting};

use crate::tr;

/// What the chair can do from the keyboard (and with the console's buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Give the floor to the first in the list.
    Next,
    /// Give the floor to the selected entry.
    GiveSelected,
    /// Pause the speaker's clock, or resume it when paused.
    PauseOrResume,
    /// Give the speaker more time.
    Extend,
    /// End the intervention.
    End,
    /// Select the entry above / below.
    SelectUp,
    SelectDown,
    /// Move the selected entry up / down one place.
    MoveUp,
    MoveDown,
    /// Take the selected entry off the list.
    Remove,
    /// Close the active list, or reopen it.
    ToggleList,
    /// Undo the latest removal still in its seconds of grace.
    Undo,
}

/// Where the focus is when a key is pressed, as far as the shortcuts care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// A text field, a select or a text area: keys type there.
    Field,
    /// A button, link or summary reached with the keyboard (`:focus-visible`): Enter and Space
    /// press it, as a keyboard user expects.
    ControlByKeyboard,
    /// A button, link or summary that kept the focus after a click: the keys are the console's.
    ControlByMouse,
    /// Anything else: the page, the list.
    Page,
}

/// Who a key press belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// The browser's: typing, or pressing the control the keyboard user chose.
    Browser,
    /// The console's.
    Shortcut,
    /// The console's, and the focused control must not be pressed by it: the browser's default
    /// is prevented whether or not the shortcut applies. Otherwise Space after a click on "Next
    /// speaker" would press it again and cut the new speaker off.
    ShortcutNotControl,
}

/// Who a press of `key` (`KeyboardEvent.key`) belongs to with the focus at `focus`.
pub fn route(focus: Focus, key: &str) -> Route {
    let presses = matches!(key, "Enter" | " ");
    match focus {
        Focus::Field => Route::Browser,
        Focus::ControlByKeyboard if presses => Route::Browser,
        Focus::ControlByMouse if presses => Route::ShortcutNotControl,
        Focus::ControlByKeyboard | Focus::ControlByMouse | Focus::Page => Route::Shortcut,
    }
}

/// The keys, as the console's legend shows them.
pub fn legend() -> [(&'static str, &'static str); 10] {
    [
        ("N", tr!(chair.key_next_speaker)),
        ("Enter", tr!(chair.key_give_selected)),
        ("Space", tr!(chair.key_pause_resume)),
        ("+", tr!(chair.key_extend)),
        ("E", tr!(chair.key_end)),
        ("↑ ↓", tr!(chair.key_select)),
        ("Shift+↑ ↓", tr!(chair.key_move)),
        ("Del", tr!(chair.key_remove)),
        ("U", tr!(chair.key_undo)),
        ("L", tr!(chair.key_toggle_list)),
    ]
}

/// The action of a key press (`KeyboardEvent.key`), if any. Presses with Ctrl, Alt or Meta belong
/// to the browser, but for Ctrl+Z (or ⌘Z), which undoes a removal.
pub fn action(key: &str, shift: bool, ctrl_alt_meta: bool) -> Option<Action> {
    if ctrl_alt_meta {
        return matches!((key, shift), ("z" | "Z", false)).then_some(Action::Undo);
    }
    Some(match (key, shift) {
        ("n" | "N", _) => Action::Next,
        ("Enter", _) => Action::GiveSelected,
        (" " | "p" | "P", _) => Action::PauseOrResume,
        ("+" | "=", _) => Action::Extend,
        ("e" | "E", _) => Action::End,
        ("ArrowUp", false) | ("k", _) => Action::SelectUp,
        ("ArrowDown", false) | ("j", _) => Action::SelectDown,
        ("ArrowUp", true) | ("K", _) => Action::MoveUp,
        ("ArrowDown", true) | ("J", _) => Action::MoveDown,
        ("Delete" | "Backspace", _) => Action::Remove,
        ("l" | "L", _) => Action::ToggleList,
        ("u" | "U", _) => Action::Undo,
        _ => return None,
    })
}

/// What an action does: a command with a few words saying what it is, a new selection, a removal
/// to start or undo, or nothing (when it does not apply — say, moving with nothing selected).
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(
    clippy::large_enum_variant,
    reason = "an effect lives for one key press, returned and acted on at once; boxing the command would only add an allocation (the lint fires on 64-bit targets only)"
)]
pub enum Effect {
    Send(Command, &'static str),
    Select(Option<EntryId>),
    /// Start removing the entry: it is sent after a few seconds unless undone.
    Remove(EntryId),
    /// Undo the latest removal still waiting.
    Undo,
    Nothing,
}

/// The command "next speaker" sends while the entries in `removing` are about to be removed: the
/// first of the list, or the first not being removed; `None` when every waiting entry is being
/// removed. With nothing being removed it names no entry, so that the server gives the floor to
/// whoever is first when it decides.
pub fn next_speaker(meeting: &Meeting, removing: &[EntryId]) -> Option<Command> {
    let entries = meeting.active().map(|s| s.entries.as_slice()).unwrap_or_default();
    match entries.iter().position(|e| !removing.contains(&e.id)) {
        Some(0) => Some(Command::GiveFloor { entry: None }),
        Some(i) => Some(Command::GiveFloor { entry: Some(entries[i].id) }),
        None if entries.is_empty() => Some(Command::GiveFloor { entry: None }),
        None => None,
    }
}

/// The effect of `action` on `meeting` with `selected` chosen in the active list and the entries
/// in `removing` about to be removed; an extension gives `extend_secs`.
pub fn effect(
    action: Action,
    meeting: &Meeting,
    selected: Option<EntryId>,
    extend_secs: u32,
    removing: &[EntryId],
) -> Effect {
    let entries = meeting.active().map(|s| s.entries.as_slice()).unwrap_or_default();
    let selected_at = selected.and_then(|id| entries.iter().position(|e| e.id == id));
    let kept_at = selected_at.filter(|i| !removing.contains(&entries[*i].id));
    match action {
        Action::Next => match next_speaker(meeting, removing) {
            Some(command) => Effect::Send(command, tr!(chair.next_speaker)),
            None => Effect::Nothing,
        },
        Action::GiveSelected => match kept_at {
            Some(i) => Effect::Send(Command::GiveFloor { entry: Some(entries[i].id) }, tr!(chair.give_the_floor)),
            None => Effect::Nothing,
        },
        Action::PauseOrResume => match &meeting.floor {
            Some(floor) if floor.is_paused() => Effect::Send(Command::ResumeFloor, tr!(chair.resume)),
            Some(_) => Effect::Send(Command::PauseFloor, tr!(chair.pause)),
            None => Effect::Nothing,
        },
        Action::Extend => match meeting.floor {
            Some(_) => Effect::Send(Command::ExtendFloor { secs: extend_secs }, tr!(chair.extend)),
            None => Effect::Nothing,
        },
        Action::End => match meeting.floor {
            Some(_) => Effect::Send(Command::EndFloor, tr!(chair.end_the_intervention)),
            None => Effect::Nothing,
        },
        Action::SelectUp | Action::SelectDown => {
            if entries.is_empty() {
                return Effect::Select(None);
            }
            let last = entries.len() - 1;
            let i = match (selected_at, action) {
                (None, Action::SelectUp) => last,
                (None, _) => 0,
                (Some(i), Action::SelectUp) => i.saturating_sub(1),
                (Some(i), _) => (i + 1).min(last),
            };
            Effect::Select(Some(entries[i].id))
        }
        Action::MoveUp | Action::MoveDown => match kept_at {
            Some(i) => {
                let position = if action == Action::MoveUp { i.saturating_sub(1) } else { i + 1 };
                if position == i || position >= entries.len() {
                    Effect::Nothing
                } else {
                    let verb = if action == Action::MoveUp { tr!(chair.move_up) } else { tr!(chair.move_down) };
                    Effect::Send(Command::MoveEntry { entry: entries[i].id, position }, verb)
                }
            }
            None => Effect::Nothing,
        },
        Action::Remove => match kept_at {
            Some(i) => Effect::Remove(entries[i].id),
            None => Effect::Nothing,
        },
        Action::Undo if removing.is_empty() => Effect::Nothing,
        Action::Undo => Effect::Undo,
        Action::ToggleList => match meeting.active() {
            Some(s) if s.list_open => {
                Effect::Send(Command::CloseList { segment: Some(s.id) }, tr!(chair.close_the_list))
            }
            Some(s) => Effect::Send(Command::ReopenList { segment: Some(s.id) }, tr!(chair.reopen_the_list)),
            None => Effect::Nothing,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Fixture;
    use shared::Role;

    #[test]
    fn keys_map_to_actions_and_modified_keys_are_left_to_the_browser() {
        assert_eq!(action("n", false, false), Some(Action::Next));
        assert_eq!(action(" ", false, false), Some(Action::PauseOrResume));
        assert_eq!(action("ArrowUp", true, false), Some(Action::MoveUp));
        assert_eq!(action("ArrowUp", false, false), Some(Action::SelectUp));
        assert_eq!(action("n", false, true), None);
        assert_eq!(action("q", false, false), None);
    }

    #[test]
    fn selection_walks_the_list_and_stops_at_its_ends() {
        let mut f = Fixture::new(180);
        let a = f.request("a", Role::Delegate);
        let b = f.request("b", Role::Delegate);
        assert_eq!(effect(Action::SelectDown, &f.meeting, None, 30, &[]), Effect::Select(Some(a)));
        assert_eq!(effect(Action::SelectDown, &f.meeting, Some(a), 30, &[]), Effect::Select(Some(b)));
        assert_eq!(effect(Action::SelectDown, &f.meeting, Some(b), 30, &[]), Effect::Select(Some(b)));
        assert_eq!(effect(Action::SelectUp, &f.meeting, None, 30, &[]), Effect::Select(Some(b)));
    }

    #[test]
    fn moving_sends_the_new_position_and_not_past_the_ends() {
        let mut f = Fixture::new(180);
        let a = f.request("a", Role::Delegate);
        let b = f.request("b", Role::Delegate);
        assert_eq!(
            effect(Action::MoveUp, &f.meeting, Some(b), 30, &[]),
            Effect::Send(Command::MoveEntry { entry: b, position: 0 }, "Move up")
        );
        assert_eq!(effect(Action::MoveUp, &f.meeting, Some(a), 30, &[]), Effect::Nothing);
        assert_eq!(effect(Action::MoveDown, &f.meeting, Some(b), 30, &[]), Effect::Nothing);
    }

    #[test]
    fn pause_toggles_with_the_clock_and_floor_actions_need_a_speaker() {
        let mut f = Fixture::new(180);
        let a = f.request("a", Role::Delegate);
        assert_eq!(effect(Action::PauseOrResume, &f.meeting, None, 30, &[]), Effect::Nothing);
        assert_eq!(effect(Action::End, &f.meeting, None, 30, &[]), Effect::Nothing);
        f.give_floor(a, 0);
        assert_eq!(
            effect(Action::PauseOrResume, &f.meeting, None, 30, &[]),
            Effect::Send(Command::PauseFloor, "Pause")
        );
        f.run(Command::PauseFloor, 1_000);
        assert_eq!(
            effect(Action::PauseOrResume, &f.meeting, None, 30, &[]),
            Effect::Send(Command::ResumeFloor, "Resume")
        );
        assert_eq!(
            effect(Action::Extend, &f.meeting, None, 60, &[]),
            Effect::Send(Command::ExtendFloor { secs: 60 }, "Extend")
        );
    }

    #[test]
    fn the_list_key_closes_an_open_list_and_reopens_a_closed_one() {
        let mut f = Fixture::new(180);
        let close = effect(Action::ToggleList, &f.meeting, None, 30, &[]);
        assert!(matches!(close, Effect::Send(Command::CloseList { .. }, _)));
        f.run(Command::CloseList { segment: None }, 0);
        assert!(matches!(
            effect(Action::ToggleList, &f.meeting, None, 30, &[]),
            Effect::Send(Command::ReopenList { .. }, _)
        ));
    }

    #[test]
    fn space_and_enter_after_a_click_are_the_console_s_but_a_keyboard_user_still_presses_the_button() {
        assert_eq!(route(Focus::ControlByMouse, " "), Route::ShortcutNotControl);
        assert_eq!(route(Focus::ControlByMouse, "Enter"), Route::ShortcutNotControl);
        assert_eq!(route(Focus::ControlByKeyboard, " "), Route::Browser);
        assert_eq!(route(Focus::ControlByKeyboard, "Enter"), Route::Browser);
        assert_eq!(route(Focus::ControlByKeyboard, "n"), Route::Shortcut);
        assert_eq!(route(Focus::Page, " "), Route::Shortcut);
    }

    #[test]
    fn typing_in_a_field_is_never_a_shortcut() {
        for key in ["n", " ", "Enter", "Delete", "u", "ArrowDown"] {
            assert_eq!(route(Focus::Field, key), Route::Browser, "{key:?}");
        }
    }

    #[test]
    fn u_and_ctrl_z_undo_but_other_modified_keys_stay_the_browser_s() {
        assert_eq!(action("u", false, false), Some(Action::Undo));
        assert_eq!(action("z", false, true), Some(Action::Undo));
        assert_eq!(action("z", true, true), None, "Ctrl+Shift+Z is the browser's redo");
        assert_eq!(action("l", false, true), None);
    }

    #[test]
    fn removing_starts_a_removal_rather_than_sending_it_and_undo_needs_one() {
        let mut f = Fixture::new(180);
        let a = f.request("a", Role::Delegate);
        assert_eq!(effect(Action::Remove, &f.meeting, Some(a), 30, &[]), Effect::Remove(a));
        assert_eq!(effect(Action::Remove, &f.meeting, Some(a), 30, &[a]), Effect::Nothing, "already going");
        assert_eq!(effect(Action::Undo, &f.meeting, None, 30, &[]), Effect::Nothing);
        assert_eq!(effect(Action::Undo, &f.meeting, None, 30, &[a]), Effect::Undo);
    }

    #[test]
    fn next_speaker_skips_an_entry_being_removed() {
        let mut f = Fixture::new(180);
        let a = f.request("a", Role::Delegate);
        let b = f.request("b", Role::Delegate);
        assert_eq!(next_speaker(&f.meeting, &[]), Some(Command::GiveFloor { entry: None }));
        assert_eq!(next_speaker(&f.meeting, &[b]), Some(Command::GiveFloor { entry: None }));
        assert_eq!(next_speaker(&f.meeting, &[a]), Some(Command::GiveFloor { entry: Some(b) }));
        assert_eq!(next_speaker(&f.meeting, &[a, b]), None);
        assert_eq!(
            effect(Action::Next, &f.meeting, None, 30, &[a]),
            Effect::Send(Command::GiveFloor { entry: Some(b) }, "Next speaker")
        );
        assert_eq!(effect(Action::GiveSelected, &f.meeting, Some(a), 30, &[a]), Effect::Nothing);
    }
}
