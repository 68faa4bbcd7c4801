//! The gender a speaker may declare for the parity record: optional, "prefer not to say" by
//! default, asked only of the speakers themselves and remembered in their own browser.

use shared::Gender;

/// Where the browser remembers the choice (`localStorage`).
pub const STORAGE_KEY: &str = "rostrum.gender";

/// The choices the participant view offers: wire name (empty for "prefer not to say") and label.
pub fn choices() -> [(&'static str, &'static str); 4] {
    [
        ("", crate::tr!(common.gender_not_said)),
        ("woman", crate::tr!(common.gender_woman)),
        ("man", crate::tr!(common.gender_man)),
        ("another", crate::tr!(common.gender_another)),
    ]
}

/// The choice remembered as `stored`: nothing declared unless it is one of the known genders.
pub fn parse(stored: Option<&str>) -> Option<Gender> {
    stored.map(str::trim).filter(|s| !s.is_empty()).and_then(crate::labels::from_key)
}

/// How a choice is remembered, and the value of its option: empty when nothing is declared.
pub fn stored(gender: Option<Gender>) -> String {
    gender.map(|g| shared::report::key(&g)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_declared_unless_a_known_gender_was_chosen() {
        assert_eq!(parse(None), None);
        assert_eq!(parse(Some("")), None);
        assert_eq!(parse(Some("robot")), None);
        assert_eq!(parse(Some("Woman")), None, "wire names only");
        assert_eq!(parse(Some("woman")), Some(Gender::Woman));
        assert_eq!(parse(Some(" another ")), Some(Gender::Another));
    }

    #[test]
    fn every_choice_is_remembered_as_its_option_value() {
        for (value, _) in choices() {
            assert_eq!(stored(parse(Some(value))), value);
        }
        assert_eq!(stored(None), "");
    }
}
