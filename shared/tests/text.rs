//! Names take nothing hostile, and organisations compare as people read them (issue 11).

use shared::text::{line, organisation_key, paragraph, Forbidden, TextError};

fn refused(value: &str) -> TextError {
    line("organisation's name", value, 200).expect_err("refused")
}

#[test]
fn a_nul_in_a_name_is_refused_and_named() {
    let error = refused("Access Now\0");
    assert!(matches!(error, TextError::Forbidden { character: '\0', kind: Forbidden::Control, .. }), "{error:?}");
    assert!(error.to_string().contains("U+0000"), "{error}");
    assert!(error.to_string().contains("organisation's name"), "{error}");
}

#[test]
fn an_escape_sequence_in_a_name_is_refused_and_named() {
    let error = refused("Access \u{1B}[31mNow");
    assert!(error.to_string().contains("U+001B"), "{error}");
}

#[test]
fn a_c1_control_and_del_are_refused() {
    assert!(refused("Access\u{85}Now").to_string().contains("U+0085"));
    assert!(refused("Access\u{7F}Now").to_string().contains("U+007F"));
}

#[test]
fn a_bidi_override_in_a_name_is_refused_and_named() {
    let error = refused("Global \u{202E}krowteN");
    assert!(matches!(error, TextError::Forbidden { kind: Forbidden::Bidi, .. }), "{error:?}");
    assert!(error.to_string().contains("U+202E"), "{error}");
    assert!(refused("a\u{2066}b").to_string().contains("U+2066"));
    assert!(refused("a\u{202A}b").to_string().contains("U+202A"));
}

#[test]
fn a_zero_width_space_in_a_name_is_refused_and_named() {
    let error = refused("Global Digital Rights Network\u{200B}x");
    assert!(matches!(error, TextError::Forbidden { kind: Forbidden::Invisible, .. }), "{error:?}");
    assert!(error.to_string().contains("U+200B"), "{error}");
}

#[test]
fn other_invisible_characters_that_hide_differences_are_refused() {
    for hidden in ['\u{2060}', '\u{2063}', '\u{FEFF}', '\u{180E}', '\u{AD}', '\u{E0041}', '\u{3164}'] {
        let error = refused(&format!("Access{hidden}Now"));
        assert!(
            matches!(error, TextError::Forbidden { character, .. } if character == hidden),
            "{hidden:?}: {error:?}"
        );
    }
}

#[test]
fn a_tab_or_a_line_break_is_refused_in_a_name_but_not_in_a_statement() {
    assert!(refused("Access\tNow").to_string().contains("U+0009"));
    assert!(refused("Access\nNow").to_string().contains("U+000A"));
    assert!(refused("Access\u{2028}Now").to_string().contains("U+2028"));
    let text = "First paragraph.\r\n\r\n\tSecond paragraph.";
    assert_eq!(paragraph("statement's text", text, 1000).unwrap(), text);
}

#[test]
fn a_statement_still_refuses_controls_bidi_overrides_and_hidden_characters() {
    for hostile in ['\0', '\u{1B}', '\u{202E}', '\u{200B}'] {
        assert!(paragraph("text", &format!("We propose{hostile} this."), 1000).is_err(), "{hostile:?}");
    }
}

#[test]
fn arabic_and_persian_with_a_zero_width_non_joiner_are_accepted() {
    let persian = "انجمن حقوق\u{200C}دیجیتال";
    assert_eq!(line("organisation's name", persian, 200).unwrap(), persian);
    let with_marks = "\u{200F}شبكة الحقوق الرقمية\u{200E} (GDRN)";
    assert_eq!(line("organisation's name", with_marks, 200).unwrap(), with_marks);
}

#[test]
fn an_emoji_with_a_zero_width_joiner_is_accepted() {
    let name = "Women in Tech 👩\u{200D}💻\u{FE0F}";
    assert_eq!(line("organisation's name", name, 200).unwrap(), name);
}

#[test]
fn an_indic_name_with_a_joiner_is_accepted() {
    let name = "क्\u{200D}ष संस्था";
    assert_eq!(line("organisation's name", name, 200).unwrap(), name);
}

#[test]
fn characters_are_counted_not_bytes() {
    let name = "数".repeat(200);
    assert!(line("organisation's name", &name, 200).is_ok());
    assert!(line("organisation's name", &format!("{name}数"), 200).is_err());
}

#[test]
fn a_zero_width_space_case_spacing_and_width_do_not_make_another_organisation() {
    let key = organisation_key("Global Digital Rights Network");
    assert_eq!(key, "global digital rights network");
    assert_eq!(organisation_key("Global Digital Rights Network\u{200B}"), key);
    assert_eq!(organisation_key("GLOBAL digital  rights network"), key);
    assert_eq!(organisation_key("  Global\tDigital\u{3000}Rights Network "), key);
    assert_eq!(organisation_key("Ｇｌｏｂａｌ Ｄｉｇｉｔａｌ Ｒｉｇｈｔｓ Ｎｅｔｗｏｒｋ"), key);
    assert_eq!(organisation_key("Global Digital Rights Net\u{AD}work"), key);
}

#[test]
fn full_case_folding_matches_what_lower_casing_misses() {
    assert_eq!(organisation_key("Straße Digital"), organisation_key("STRASSE DIGITAL"));
    assert_eq!(organisation_key("ΣΟΦΙΑ"), organisation_key("σοφια"));
}

#[test]
fn different_organisations_keep_different_keys() {
    assert_ne!(organisation_key("Access Now"), organisation_key("Access Nov"));
    assert_ne!(organisation_key("انجمن حقوق\u{200C}دیجیتال"), organisation_key("Access Now"));
}
