//! Free text as people type it: names, titles, organisations, countries, statements, reasons.
//!
//! Every piece of text that enters Rostrum passes through [`line`] (one line) or [`paragraph`]
//! (several lines). Both trim, count characters, and refuse what has no business in a name or a
//! statement: control characters (they break terminals, logs and CSV exports), bidirectional
//! embeddings, overrides and isolates (they make text read differently from how it is stored), and
//! invisible characters that only hide differences ("Access Now" and "Access\u{200B}Now" look the
//! same on screen). They keep what real writing needs: the zero-width non-joiner and joiner
//! (Persian, Arabic and Indic scripts, emoji sequences), the left-to-right and right-to-left marks,
//! and variation selectors.
//!
//! [`organisation_key`] folds a name the way a person reads it, so that two spellings of one
//! organisation are one organisation.

use std::fmt;

use icu_casemap::CaseMapperBorrowed;
use icu_normalizer::ComposingNormalizerBorrowed;
use icu_properties::props::DefaultIgnorableCodePoint;
use icu_properties::CodePointSetData;

use crate::rejection::{Rejection, RejectionCode};

/// Why a piece of text was refused. It becomes a [`Rejection`] with the code the surrounding
/// command or form uses: `invalid_command` by default ([`From`]), or another with
/// [`TextError::rejected_as`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing but spaces.
    #[error("The {field} is required.")]
    Empty {
        /// What the text is, as a sentence names it ("organisation's name").
        field: String,
    },
    /// More characters than allowed, once trimmed.
    #[error("The {field} is at most {max} characters.")]
    TooLong {
        /// What the text is.
        field: String,
        /// The most characters allowed.
        max: usize,
    },
    /// A character that is refused wherever it stands.
    #[error("The {field} contains {}, {}; remove it.", code_point(*.character), .kind)]
    Forbidden {
        /// What the text is.
        field: String,
        /// The refused character.
        character: char,
        /// What sort of character it is.
        kind: Forbidden,
    },
}

/// The sorts of characters [`line`] and [`paragraph`] refuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    /// A C0 or C1 control character or DEL; in [`line`], also tabs and line breaks.
    Control,
    /// A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).
    Bidi,
    /// An invisible character that only hides a difference (U+200B, U+2060, U+FEFF, U+00AD…).
    Invisible,
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Forbidden::Control => "a control character",
            Forbidden::Bidi => "a bidirectional control that makes text read differently from how it is stored",
            Forbidden::Invisible => "an invisible character",
        })
    }
}

fn code_point(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

impl TextError {
    /// The refusal with `code`, for forms whose errors have their own code (an application is
    /// refused with `invalid_application`).
    pub fn rejected_as(self, code: RejectionCode) -> Rejection {
        Rejection::new(code, self.to_string())
    }
}

impl From<TextError> for Rejection {
    fn from(error: TextError) -> Self {
        error.rejected_as(RejectionCode::InvalidCommand)
    }
}

/// What sort of refused character `c` is, if it is one. `multiline` lets tabs and line breaks
/// through.
fn forbidden(c: char, multiline: bool) -> Option<Forbidden> {
    match c {
        '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' if multiline => None,
        // C0, DEL, C1; and the line and paragraph separators, which break a line as '\n' does.
        '\0'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' => Some(Forbidden::Control),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(Forbidden::Bidi),
        // Invisible and format characters that no script needs to be written correctly: soft
        // hyphen, combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian vowel
        // separator, zero-width space, word joiner and the invisible operators, deprecated format
        // characters, byte order mark, interlinear annotation, shorthand and musical format
        // controls, and tags (which can carry hidden ASCII text). ZWNJ and ZWJ (U+200C, U+200D),
        // LRM and RLM (U+200E, U+200F), the Arabic letter mark (U+061C), the Mongolian free
        // variation selectors and the variation selectors are needed by real writing and stay.
        '\u{AD}'
        | '\u{34F}'
        | '\u{115F}'
        | '\u{1160}'
        | '\u{17B4}'
        | '\u{17B5}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{2060}'..='\u{2065}'
        | '\u{206A}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FEFF}'
        | '\u{FFA0}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E007F}' => Some(Forbidden::Invisible),
        _ => None,
    }
}

fn checked(field: &str, value: &str, max_chars: usize, multiline: bool) -> Result<String, TextError> {
    let value = value.trim();
    if let Some((character, kind)) = value.chars().find_map(|c| forbidden(c, multiline).map(|kind| (c, kind))) {
        return Err(TextError::Forbidden { field: field.into(), character, kind });
    }
    let length = value.chars().count();
    if length == 0 {
        return Err(TextError::Empty { field: field.into() });
    }
    if length > max_chars {
        return Err(TextError::TooLong { field: field.into(), max: max_chars });
    }
    Ok(value.to_string())
}

/// One line of text — a name, a title, an organisation, a country, a co-signer — trimmed, 1 to
/// `max_chars` characters, with no control character (tabs and line breaks included), no
/// bidirectional override and no hiding invisible character. `field` names it in the error, as a
/// sentence would after "The": `"organisation's name"`.
///
/// ```
/// use shared::text::line;
/// assert_eq!(line("name", "  Amina Yusuf ", 120).unwrap(), "Amina Yusuf");
/// assert!(line("name", "Access\u{200B}Now", 120).unwrap_err().to_string().contains("U+200B"));
/// ```
pub fn line(field: &str, value: &str, max_chars: usize) -> Result<String, TextError> {
    checked(field, value, max_chars, false)
}

/// Text of several lines — a statement, a reason, a description — checked as [`line`] is, except
/// that tabs and line breaks are allowed.
pub fn paragraph(field: &str, value: &str, max_chars: usize) -> Result<String, TextError> {
    checked(field, value, max_chars, true)
}

/// The form in which two organisation names are compared: compatibility-normalised (NFKC, so
/// fullwidth and other compatibility forms read as their plain letters), fully case-folded
/// (so "STRASSE" and "straße" are one), without default-ignorable code points (zero-width spaces,
/// joiners, variation selectors and the like, which change nothing a reader sees), with runs of
/// whitespace made one space and the ends trimmed. It is Unicode's NFKC_Casefold, as UTS #15 and
/// UTS #39 use it to match identifiers, plus the whitespace rule.
///
/// The Unicode data comes from ICU4X (`icu_normalizer`, `icu_casemap`, `icu_properties`), the
/// Unicode Consortium's own maintained Rust libraries, compiled in and free of I/O. The browser
/// client folds with [`organisation_key_with`] and the browser's own NFKC, which spares a phone
/// ICU4X's normalisation data (see there).
pub fn organisation_key(name: &str) -> String {
    const NFKC: ComposingNormalizerBorrowed<'static> = ComposingNormalizerBorrowed::new_nfkc();
    organisation_key_with(name, |text| NFKC.normalize(text).into_owned())
}

/// [`organisation_key`] with `nfkc` as the normalisation to NFKC. The browser client passes the
/// browser's `String.prototype.normalize("NFKC")`: the same Unicode algorithm, whose results
/// Unicode's stability policy keeps the same across versions for every character both versions
/// assign, so the client folds names as the server does without carrying 60 KB of tables.
pub fn organisation_key_with(name: &str, nfkc: impl Fn(&str) -> String) -> String {
    const FOLD: CaseMapperBorrowed<'static> = CaseMapperBorrowed::new();
    let ignorable = CodePointSetData::new::<DefaultIgnorableCodePoint>();
    let visible = |s: &str| s.chars().filter(|c| !ignorable.contains(*c)).collect::<String>();
    // NFKC_Casefold is the closure of NFKC over case folding: fold the normalised text, then
    // normalise again, since folding can undo a composition.
    let normalised = nfkc(name);
    let folded = FOLD.fold_string(&visible(&normalised)).into_owned();
    let key = visible(&nfkc(&folded));
    key.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_kept_as_typed() {
        assert_eq!(line("name", "  María José Núñez  ", 120).unwrap(), "María José Núñez");
    }

    #[test]
    fn an_empty_or_too_long_name_is_refused_with_the_field_named() {
        assert_eq!(line("speaker's name", "   ", 120).unwrap_err().to_string(), "The speaker's name is required.");
        let long = "a".repeat(121);
        assert_eq!(
            line("speaker's name", &long, 120).unwrap_err().to_string(),
            "The speaker's name is at most 120 characters."
        );
    }

    #[test]
    fn the_rejection_takes_the_code_of_the_surrounding_form() {
        let error = line("organisation's name", "", 200).unwrap_err();
        assert_eq!(Rejection::from(error.clone()).code, RejectionCode::InvalidCommand);
        assert_eq!(error.rejected_as(RejectionCode::InvalidApplication).code, RejectionCode::InvalidApplication);
    }
}
