//! Parser fixtures: `fixtures/parser/{ok,err,fuzz-failures}/*.Dockerfile`, each with a `.tree`
//! beside it holding the syntax tree dump and the errors. The dump is compared exactly;
//! `UPDATE_EXPECT=1` (never under `CI`) rewrites it, and a missing `.tree` is created.
//!
//! Beyond the dump: `ok/` inputs have no error, `err/` inputs at least one; every input
//! round-trips, has error ranges inside the text on character boundaries, and keeps every
//! instruction line an instruction (a broken line never hides the next one). Where the
//! `parse-dockerfile` crate accepts an `ok/` input, both parsers agree on the instructions.

mod common;

use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use layerwise::syntax::{debug_dump, parse};
use line_index::LineIndex;

const PARSER_DIR: &str = "fixtures/parser";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Expect {
    /// No syntax error allowed.
    Ok,
    /// At least one syntax error required.
    Err,
    /// Anything goes; only the invariants and the dump are checked.
    Any,
}

fn render(text: &str) -> String {
    let parse = parse(text);
    let mut out = debug_dump(&parse.syntax());
    out.push_str("errors:\n");
    for e in parse.errors() {
        let _ = writeln!(
            out,
            "  {} {}..{} {}",
            e.code,
            u32::from(e.range.start()),
            u32::from(e.range.end()),
            e.message
        );
    }
    out
}

fn check_invariants(text: &str, expect: Expect) -> Vec<String> {
    let mut failures = Vec::new();
    let parse = parse(text);
    if parse.syntax().text() != text {
        failures.push("the tree text differs from the input".to_string());
    }
    let index = LineIndex::new(text);
    for e in parse.errors() {
        if let Err(msg) = common::check_range(text, &index, e.range) {
            failures.push(format!("{}: {msg}", e.code));
        }
    }
    if let Err(msg) = common::check_instruction_starts(text, &parse) {
        failures.push(msg);
    }
    match expect {
        Expect::Ok if !parse.errors().is_empty() => failures.push(format!(
            "expected no syntax error, got {:?}",
            parse.errors().iter().map(|e| e.code).collect::<Vec<_>>()
        )),
        Expect::Err if parse.errors().is_empty() => {
            failures.push("expected at least one syntax error, got none".to_string());
        }
        _ => {}
    }
    failures
}

fn run_dir(sub: &str, expect: Expect) -> (usize, Vec<String>) {
    let dir = common::manifest_path(&format!("{PARSER_DIR}/{sub}"));
    let files = common::files_under(&dir, &["Dockerfile"]);
    let mut failures = Vec::new();
    for path in &files {
        let name = format!(
            "{PARSER_DIR}/{sub}/{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        );
        match catch_unwind(AssertUnwindSafe(|| run_one(path, expect))) {
            Ok(f) => failures.extend(f.into_iter().map(|msg| format!("{name}: {msg}"))),
            Err(_) => failures.push(format!("{name}: panicked")),
        }
    }
    (files.len(), failures)
}

fn run_one(path: &Path, expect: Expect) -> Vec<String> {
    // Fuzz failures may hold any bytes; the others are UTF-8 by construction.
    let text = common::read_lossy(path);
    let mut failures = check_invariants(&text, expect);
    if expect == Expect::Ok {
        failures.extend(compare_with_parse_dockerfile(&text));
    }
    let actual = render(&text);
    let tree_path = path.with_extension("tree");
    let expected = std::fs::read_to_string(&tree_path).ok();
    if expected.as_deref() == Some(actual.as_str()) {
        return failures;
    }
    if expected.is_none() || common::update_expect() {
        if common::is_ci() {
            failures.push(format!("{} is missing", tree_path.display()));
        } else if let Err(e) = std::fs::write(&tree_path, &actual) {
            failures.push(format!("cannot write {}: {e}", tree_path.display()));
        }
        return failures;
    }
    failures.push(format!(
        "the tree differs from {} (run `UPDATE_EXPECT=1 cargo test --test parser_fixtures` to accept it):\n{}",
        tree_path.display(),
        common::diff_lines(expected.as_deref().unwrap_or_default(), &actual)
    ));
    failures
}

/// Both parsers agree on the instructions of inputs `parse-dockerfile` accepts.
fn compare_with_parse_dockerfile(text: &str) -> Vec<String> {
    let index = LineIndex::new(text);
    let Ok(theirs) = common::oracle::oracle_shapes(text, &index) else {
        return Vec::new();
    };
    let ours = common::oracle::our_shapes(text, &index);
    if ours == theirs {
        return Vec::new();
    }
    vec![format!(
        "instructions differ from parse-dockerfile (- theirs, + ours):\n{}",
        common::diff_lines(
            &common::oracle::render(&theirs),
            &common::oracle::render(&ours)
        )
    )]
}

#[test]
fn parser_ok_fixtures() {
    let (n, failures) = run_dir("ok", Expect::Ok);
    println!("{n} ok fixtures");
    assert!(n > 0, "no fixtures in {PARSER_DIR}/ok");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parser_err_fixtures() {
    let (n, failures) = run_dir("err", Expect::Err);
    println!("{n} err fixtures");
    assert!(n > 0, "no fixtures in {PARSER_DIR}/err");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn parser_fuzz_failure_fixtures() {
    let (n, failures) = run_dir("fuzz-failures", Expect::Any);
    println!("{n} fuzz-failure fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A `.tree` without its input is a leftover from a renamed or deleted fixture.
#[test]
fn no_orphan_tree_files() {
    let dir = common::manifest_path(PARSER_DIR);
    let orphans: Vec<String> = common::files_under(&dir, &["tree"])
        .into_iter()
        .filter(|p| !p.with_extension("Dockerfile").exists())
        .map(|p| p.display().to_string())
        .collect();
    assert!(orphans.is_empty(), "orphan .tree files: {orphans:?}");
}
