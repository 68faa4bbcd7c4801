//! Identifiers and quantities as newtypes, so that a segment id is never passed where an entry id
//! belongs, and a duration is never mistaken for a point in time.

use std::fmt;

use serde::{Deserialize, Serialize};
use tinystr::TinyAsciiStr;

use crate::rejection::{Rejection, RejectionCode};

/// Milliseconds since the Unix epoch, as read by the server's clock. Durations are plain `i64`
/// milliseconds named `*_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Millis(pub i64);

impl Millis {
    /// Milliseconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn since(self, earlier: Millis) -> i64 {
        self.0 - earlier.0
    }
}

/// Position of an event in its meeting's log. The first event of a meeting has sequence 1; a
/// meeting with no events is at sequence 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct Seq(pub u64);

impl Seq {
    /// The sequence number that follows this one.
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks the text: 1 to
            #[doc = stringify!($max)]
            /// characters of letters, digits, `-`, `_`, `.` or `:`.
            pub fn parse(text: impl Into<String>) -> Result<Self, Rejection> {
                let text = text.into();
                let valid = !text.is_empty()
                    && text.len() <= $max
                    && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
                if valid {
                    Ok(Self(text))
                } else {
                    Err(Rejection::new(
                        RejectionCode::InvalidCommand,
                        format!(
                            concat!("A ", $what, " is 1 to {} letters, digits, '-', '_', '.' or ':'; got {:?}."),
                            $max, text
                        ),
                    ))
                }
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = Rejection;
            fn try_from(text: String) -> Result<Self, Rejection> {
                Self::parse(text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = Rejection;
            fn from_str(text: &str) -> Result<Self, Rejection> {
                Self::parse(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// A meeting: one sitting of a process, e.g. `oewg-ict-s9-m3`.
    MeetingId,
    "meeting id",
    64
);
string_id!(
    /// A multi-session intergovernmental process, e.g. `oewg-ict-2021-2025`. Accreditation
    /// belongs to a process.
    ProcessId,
    "process id",
    64
);
string_id!(
    /// A person, as named by the `sub` claim of their access token.
    ParticipantId,
    "participant id",
    64
);
string_id!(
    /// A client-chosen command id. Retrying a command with the same id never acts twice.
    CommandId,
    "command id",
    64
);

/// A segment of a meeting, numbered from 1 in the order segments were created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SegmentId(pub u32);

/// An item of a meeting's agenda, numbered from 1 in the order items were added (its place in the
/// agenda and the number the UN gives it, "5(b)", are the item's own and may change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgendaItemId(pub u32);

/// One floor request in a meeting, numbered from 1 across all of the meeting's segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntryId(pub u64);

/// One turn on the floor, numbered from 1 in the order the floor was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InterventionId(pub u64);

/// The language a speaker will use: a BCP 47 tag such as `en`, `fr`, `ar`, `zh`, `es`, `ru` or
/// `pt-BR` (2 to 12 characters). Held inline, without an allocation: every intervention in a
/// meeting's record carries one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(TinyAsciiStr<12>);

impl Language {
    /// Checks the tag: a 2–3 letter primary language, optionally followed by `-` subtags.
    pub fn parse(text: impl Into<String>) -> Result<Self, Rejection> {
        let text = text.into();
        let mut parts = text.split('-');
        let primary = parts.next().unwrap_or_default();
        let valid = text.len() <= 12
            && (2..=3).contains(&primary.len())
            && primary.chars().all(|c| c.is_ascii_alphabetic())
            && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
        match TinyAsciiStr::try_from_str(&text) {
            Ok(tag) if valid => Ok(Language(tag)),
            _ => Err(Rejection::new(
                RejectionCode::InvalidCommand,
                format!("A language is a tag such as \"en\", \"fr\" or \"pt-BR\"; got {text:?}."),
            )),
        }
    }

    /// The tag as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl TryFrom<String> for Language {
    type Error = Rejection;
    fn try_from(text: String) -> Result<Self, Rejection> {
        Self::parse(text)
    }
}

impl From<Language> for String {
    fn from(language: Language) -> String {
        language.0.to_string()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_with_a_space_or_a_slash_is_refused() {
        assert!(MeetingId::parse("oewg s1").is_err());
        assert!(MeetingId::parse("../etc").is_err());
        assert!(MeetingId::parse("").is_err());
        assert!(MeetingId::parse("oewg-2026.s1:m3").is_ok());
    }

    #[test]
    fn a_language_tag_must_look_like_bcp47() {
        assert!(Language::parse("en").is_ok());
        assert!(Language::parse("pt-BR").is_ok());
        assert!(Language::parse("e").is_err());
        assert!(Language::parse("english please").is_err());
        assert!(Language::parse("en-").is_err());
    }

    #[test]
    fn ids_are_refused_when_deserialized_from_bad_text() {
        let parsed: Result<MeetingId, _> = serde_json::from_str("\"no spaces allowed\"");
        assert!(parsed.is_err());
    }
}
