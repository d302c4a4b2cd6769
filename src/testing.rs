//! Small assertions for rules' inline unit tests. Fixture files (tests/fixtures.rs) are the
//! main test format; these cover edge cases in a line each.

use rowan::TextSize;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, apply_edits, lint};
use crate::syntax::parse;

/// The cursor marker of fixtures and inline IDE tests (`$0` would be a real shell variable).
pub const CURSOR: &str = "<|>";

/// Removes the one `<|>` marker from `text` and returns the text and the marker's offset.
#[track_caller]
pub fn extract_cursor(text: &str) -> (String, TextSize) {
    let Some(offset) = text.find(CURSOR) else {
        panic!("no `{CURSOR}` cursor marker in:\n{text}");
    };
    let rest = &text[offset + CURSOR.len()..];
    assert!(
        !rest.contains(CURSOR),
        "more than one `{CURSOR}` in:\n{text}"
    );
    (
        format!("{}{rest}", &text[..offset]),
        TextSize::new(offset as u32),
    )
}

fn run(text: &str) -> Vec<Diagnostic> {
    lint(&parse(text), &Config::default())
}

/// Asserts the exact list of codes reported (in position order).
#[track_caller]
pub fn check_codes(text: &str, expected: &[&str]) {
    let codes: Vec<&str> = run(text).iter().map(|d| d.code).collect();
    assert_eq!(codes, expected, "for input:\n{text}");
}

/// Asserts codes together with the text each range covers.
#[track_caller]
pub fn check_ranges(text: &str, expected: &[(&str, &str)]) {
    let got: Vec<(&str, &str)> = run(text)
        .iter()
        .map(|d| {
            (
                d.code,
                &text[usize::from(d.range.start())..usize::from(d.range.end())],
            )
        })
        .collect();
    assert_eq!(got, expected, "for input:\n{text}");
}

/// Applies the fix of the first diagnostic with `code` and compares the result.
#[track_caller]
pub fn check_fix(text: &str, code: &str, expected: &str) {
    let diagnostics = run(text);
    let Some(fix) = diagnostics
        .iter()
        .find(|d| d.code == code)
        .and_then(|d| d.fix.as_ref())
    else {
        panic!("no fix for {code} in:\n{text}");
    };
    let fixed = apply_edits(text, &fix.edits);
    assert_eq!(fixed, expected);
    let after = run(&fixed);
    assert!(
        after.iter().all(|d| d.code != code),
        "{code} still reported after the fix: {after:?}"
    );
    assert!(
        parse(&fixed).errors().len() <= parse(text).errors().len(),
        "the fix introduced a syntax error"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_marker_is_removed() {
        let (text, offset) = extract_cursor("FROM <|>debian\n");
        assert_eq!(text, "FROM debian\n");
        assert_eq!(offset, TextSize::new(5));
    }
}
