//! Fuzz target: parse and lint arbitrary bytes (read lossily, as the CLI reads files) and
//! check the invariants the tests check on fixtures: no panic, the tree's text equals the
//! input, every error and diagnostic range lies inside the text on character boundaries, and
//! every fix applies to a text that parses again.
//!
//! A crash found here becomes a permanent file in `fixtures/parser/fuzz-failures/`.
#![no_main]

use layerwise::config::Config;
use layerwise::diagnostics::{apply_edits, lint};
use layerwise::syntax::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parse = parse(&text);
    assert_eq!(parse.syntax().text().to_string(), text, "the tree is not lossless");
    let in_text = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };
    for e in parse.errors() {
        let (start, end) = (usize::from(e.range.start()), usize::from(e.range.end()));
        assert!(in_text(start, end), "{} range {start}..{end} is invalid", e.code);
    }
    for d in lint(&parse, &Config::default()) {
        let (start, end) = (usize::from(d.range.start()), usize::from(d.range.end()));
        assert!(in_text(start, end), "{} range {start}..{end} is invalid", d.code);
        if let Some(fix) = &d.fix {
            let fixed = apply_edits(&text, &fix.edits);
            assert_eq!(layerwise::syntax::parse(&fixed).syntax().text().to_string(), fixed);
        }
    }
});
