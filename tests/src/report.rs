//! The benchmark harnesses' shared way of writing `docs/benchmarks.md`: each owns one section
//! between its markers and leaves the rest of the file — the other harnesses' sections and the
//! notes written by hand — as it is.

use std::path::Path;

/// Puts `section` in place of the text between `begin` and `end` in the file at `path` (markers
/// included, `section` carries its own), or at the file's end when the markers are not there.
pub fn write_section(path: &Path, begin: &str, end: &str, section: &str) -> std::io::Result<()> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    std::fs::write(path, spliced(&text, begin, end, section))
}

fn spliced(text: &str, begin: &str, end: &str, section: &str) -> String {
    match (text.find(begin), text.find(end)) {
        (Some(b), Some(e)) if b < e => {
            let rest = &text[e + end.len()..];
            format!("{}{section}{}", &text[..b], rest.strip_prefix('\n').unwrap_or(rest))
        }
        _ if text.trim().is_empty() => section.to_string(),
        _ => format!("{}\n{section}", text.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_replaces_only_the_text_between_its_markers() {
        let text = "# Title\n<!-- a:begin -->\nold\n<!-- a:end -->\nnotes by hand\n";
        let new = "<!-- a:begin -->\nnew\n<!-- a:end -->\n";
        assert_eq!(
            spliced(text, "<!-- a:begin -->", "<!-- a:end -->", new),
            "# Title\n<!-- a:begin -->\nnew\n<!-- a:end -->\nnotes by hand\n"
        );
    }

    #[test]
    fn a_section_not_yet_in_the_file_goes_at_its_end() {
        let new = "<!-- a:begin -->\nnew\n<!-- a:end -->\n";
        assert_eq!(spliced("notes\n", "<!-- a:begin -->", "<!-- a:end -->", new), format!("notes\n{new}"));
        assert_eq!(spliced("", "<!-- a:begin -->", "<!-- a:end -->", new), new);
    }
}
