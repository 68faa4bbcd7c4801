//! A meeting's agenda: items numbered as the UN numbers them ("5", "5(b)"), in the order the
//! meeting takes them up, each with its own list or lists of speakers (segments name their item).
//! The chair takes up one item at a time; every screen shows it.

use serde::{Deserialize, Serialize};

use crate::ids::AgendaItemId;
use crate::rejection::{Rejection, RejectionCode};

/// The most characters of an item's number ("5(b)", "12 (a) (ii)").
pub const MAX_ITEM_NUMBER_CHARS: usize = 16;
/// The most characters of an item's title.
pub const MAX_ITEM_TITLE_CHARS: usize = 300;

/// One item of a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    /// The item's id in the meeting; it never changes, whatever its number or place.
    pub id: AgendaItemId,
    /// The number the agenda gives it, as the UN writes it: "5", "5(b)".
    pub number: String,
    /// What the item is about: "Existing and potential threats in the sphere of ICT security".
    pub title: String,
}

impl AgendaItem {
    /// "Agenda item 5(b): Existing and potential threats", as screens name the item.
    pub fn heading(&self) -> String {
        format!("Agenda item {}: {}", self.number, self.title)
    }
}

/// An item as the secretariat types it: its number and title, checked by [`ItemSpec::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemSpec {
    /// The number, 1 to [`MAX_ITEM_NUMBER_CHARS`] characters: digits, letters, parentheses, dots,
    /// hyphens and spaces ("5", "5(b)", "12 (a) (ii)", "A.1").
    pub number: String,
    /// The title, one line of 1 to [`MAX_ITEM_TITLE_CHARS`] characters.
    pub title: String,
}

impl ItemSpec {
    /// The spec trimmed, or why it cannot be an item (`invalid_command`).
    ///
    /// ```
    /// use shared::ItemSpec;
    /// let spec = ItemSpec { number: " 5(b) ".into(), title: "Threats ".into() };
    /// assert_eq!(spec.validate().unwrap().number, "5(b)");
    /// assert!(ItemSpec { number: "5;DROP".into(), title: "x".into() }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<ItemSpec, Rejection> {
        let number = crate::text::line("item's number", &self.number, MAX_ITEM_NUMBER_CHARS)?;
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '(' | ')' | '.' | '-' | ' ');
        if !number.chars().all(allowed) {
            return Err(Rejection::new(
                RejectionCode::InvalidCommand,
                format!(
                    "An item's number is written with digits, letters, parentheses, dots and hyphens, as in \"5(b)\"; got \"{number}\"."
                ),
            ));
        }
        let title = crate::text::line("item's title", &self.title, MAX_ITEM_TITLE_CHARS)?;
        Ok(ItemSpec { number, title })
    }
}

/// The form in which two item numbers are compared: "5 (b)" and "5(B)" are one number.
pub(crate) fn number_key(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(number: &str, title: &str) -> ItemSpec {
        ItemSpec { number: number.into(), title: title.into() }
    }

    #[test]
    fn numbers_are_written_as_the_un_writes_them() {
        for number in ["5", "5(b)", "12 (a) (ii)", "A.1", "III", "5-bis"] {
            assert!(spec(number, "Title").validate().is_ok(), "{number}");
        }
    }

    #[test]
    fn a_number_with_other_signs_blank_or_too_long_is_refused() {
        for number in ["", "   ", "5;", "5/6", "<b>", &"1".repeat(MAX_ITEM_NUMBER_CHARS + 1)] {
            let refused = spec(number, "Title").validate().unwrap_err();
            assert_eq!(refused.code, RejectionCode::InvalidCommand, "{number}");
        }
    }

    #[test]
    fn a_title_is_one_line_of_at_most_three_hundred_characters() {
        assert!(spec("5", "Two\nlines").validate().is_err());
        assert!(spec("5", &"x".repeat(MAX_ITEM_TITLE_CHARS + 1)).validate().is_err());
        assert_eq!(spec("5", "  Threats  ").validate().unwrap().title, "Threats");
    }

    #[test]
    fn spaces_and_case_do_not_make_two_numbers() {
        assert_eq!(number_key("5 (B)"), number_key("5(b)"));
        assert_ne!(number_key("5(a)"), number_key("5(b)"));
    }
}
