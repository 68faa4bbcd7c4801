//! The chair's removals in their seconds of grace: Remove (or Del) marks the entry as being
//! removed, with a reason the chair may change, and the command goes only when the grace is over,
//! unless the chair undoes it first. Provided as context by the console; a `Copy` handle.

use std::time::Duration;

use leptos::prelude::*;
use shared::{Command, EntryId, Millis};

use crate::i18n::{td_string, Locale};
use crate::language::LANGUAGES;
use crate::live::Live;
use crate::tr;

/// How long the chair has to undo a removal before it is sent.
pub const GRACE: Duration = Duration::from_secs(5);

/// The reason given unless the chair chooses another, in the chair's language.
pub fn default_reason() -> &'static str {
    tr!(chair.reason_default)
}

/// The reasons a chair most often gives, offered first; the chair may also write one.
pub fn reasons() -> [&'static str; 5] {
    reasons_in(crate::language::locale())
}

/// The offered reasons in `locale`, in the order of [`reasons`].
fn reasons_in(locale: Locale) -> [&'static str; 5] {
    [
        td_string!(locale, chair.reason_default),
        td_string!(locale, chair.reason_already_spoke),
        td_string!(locale, chair.reason_not_present),
        td_string!(locale, chair.reason_asked_twice),
        td_string!(locale, chair.reason_not_entitled),
    ]
}

/// A removal's reason as the removed speaker reads it: an offered reason, which the chair sent in
/// the chair's language, in the reader's; the chair's own words as written.
pub fn reason_for_reader(sent: &str) -> String {
    LANGUAGES
        .iter()
        .find_map(|(locale, _)| reasons_in(*locale).iter().position(|r| *r == sent))
        .map_or_else(|| sent.to_string(), |offered| reasons()[offered].to_string())
}

/// The reason sent for what the chair chose or wrote: what they wrote, trimmed, or the default
/// when it is blank or would be refused.
pub fn reason_to_send(written: &str) -> String {
    shared::removal_reason(written).unwrap_or_else(|_| default_reason().to_string())
}

/// One removal waiting out its grace. Its reason and timer change without touching the list of
/// removals, so that the row being edited is not drawn again under the chair's fingers.
#[derive(Clone, Copy)]
struct Pending {
    entry: EntryId,
    reason: RwSignal<String>,
    /// Server time at which it is sent.
    due: RwSignal<Millis>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Pending {
    fn cancel(self) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
    }
}

/// The console's removals in their grace.
#[derive(Clone, Copy)]
pub struct Removals {
    live: Live,
    pending: RwSignal<Vec<Pending>>,
    /// The console's owner: a removal's signals belong to it, not to whatever started the removal
    /// (the Remove button's row is drawn again as the removal starts, and its owner goes with it).
    owner: StoredValue<Owner>,
}

impl Removals {
    pub fn new(live: Live) -> Removals {
        let owner = Owner::current().unwrap_or_default();
        Removals { live, pending: RwSignal::new(Vec::new()), owner: StoredValue::new(owner) }
    }

    /// Starts removing `entry`: sent after [`GRACE`] with the default reason unless undone.
    pub fn start(self, entry: EntryId) {
        if self.pending.with_untracked(|p| p.iter().any(|r| r.entry == entry)) {
            return;
        }
        let removal = self.owner.with_value(|owner| {
            owner.with(|| Pending {
                entry,
                reason: RwSignal::new(default_reason().to_string()),
                due: RwSignal::new(Millis(0)),
                timer: StoredValue::new(None),
            })
        });
        self.schedule(removal);
        self.pending.update(|p| p.push(removal));
    }

    /// (Re)starts the grace of `removal`.
    fn schedule(self, removal: Pending) {
        removal.cancel();
        removal.due.set(Millis(self.live.now.get_untracked().0 + GRACE.as_millis() as i64));
        let entry = removal.entry;
        removal.timer.set_value(set_timeout_with_handle(move || self.send(entry), GRACE).ok());
    }

    /// The chair changed the reason: the grace starts again, so that writing one does not run out
    /// of time.
    pub fn set_reason(self, entry: EntryId, reason: String) {
        if let Some(removal) = self.find(entry) {
            removal.reason.set(reason);
            self.schedule(removal);
        }
    }

    fn find(self, entry: EntryId) -> Option<Pending> {
        self.pending.with_untracked(|p| p.iter().find(|r| r.entry == entry).copied())
    }

    /// Undoes the removal of `entry`, if it is still waiting.
    pub fn undo(self, entry: EntryId) {
        if let Some(undone) = self.take(entry) {
            undone.cancel();
        }
    }

    /// Undoes the latest removal still waiting.
    pub fn undo_last(self) {
        if let Some(last) = self.pending.with_untracked(|p| p.last().map(|r| r.entry)) {
            self.undo(last);
        }
    }

    fn take(self, entry: EntryId) -> Option<Pending> {
        let found = self.pending.with_untracked(|p| p.iter().position(|r| r.entry == entry))?;
        let mut taken = None;
        self.pending.update(|p| taken = Some(p.remove(found)));
        taken
    }

    fn send(self, entry: EntryId) {
        let Some(removal) = self.take(entry) else { return };
        let reason = reason_to_send(&removal.reason.get_untracked());
        // The entry may have left the list meanwhile (given the floor, withdrawn): nothing to do.
        let waiting =
            self.live.session.with_untracked(|s| s.live_meeting().is_some_and(|m| m.find_entry(entry).is_some()));
        if waiting {
            self.live.send(Command::RemoveEntry { entry, reason: Some(reason) }, tr!(chair.remove_from_list));
        }
    }

    /// The entries being removed, oldest first (untracked: for key presses and clicks).
    pub fn entries(self) -> Vec<EntryId> {
        self.pending.with_untracked(|p| p.iter().map(|r| r.entry).collect())
    }

    /// The entries being removed (tracked).
    pub fn tracked_entries(self) -> Vec<EntryId> {
        self.pending.with(|p| p.iter().map(|r| r.entry).collect())
    }

    /// Whether `entry` is being removed (tracked).
    pub fn is_pending(self, entry: EntryId) -> bool {
        self.pending.with(|p| p.iter().any(|r| r.entry == entry))
    }

    /// The reason of `entry`'s removal and the server time it is sent at, while it waits
    /// (untracked: the row reads the two signals themselves).
    pub fn pending(self, entry: EntryId) -> Option<(RwSignal<String>, RwSignal<Millis>)> {
        self.find(entry).map(|r| (r.reason, r.due))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_reason_is_sent_trimmed_and_a_blank_or_refused_one_becomes_the_default() {
        assert_eq!(reason_to_send("  Already spoke "), "Already spoke");
        assert_eq!(reason_to_send("   "), "Removed by the chair");
        assert_eq!(reason_to_send(&"x".repeat(shared::MAX_REMOVAL_REASON_CHARS + 1)), "Removed by the chair");
    }

    #[test]
    fn every_offered_reason_is_one_the_meeting_accepts_in_every_language() {
        for (locale, _) in crate::language::LANGUAGES {
            crate::language::set(locale);
            for reason in reasons() {
                assert_eq!(shared::removal_reason(reason).as_deref(), Ok(reason), "{locale:?}");
            }
        }
        crate::language::set(crate::language::Locale::en);
    }

    #[test]
    fn an_offered_reason_reads_in_the_readers_language_and_the_chairs_own_words_as_written() {
        crate::language::set(Locale::fr);
        let sent_in_french = reasons()[1];
        crate::language::set(Locale::ar);
        assert_eq!(reason_for_reader(sent_in_french), reasons()[1]);
        assert_ne!(reason_for_reader(sent_in_french), sent_in_french);
        assert_eq!(reason_for_reader("Spoke out of turn twice"), "Spoke out of turn twice");
        crate::language::set(Locale::en);
    }
}
