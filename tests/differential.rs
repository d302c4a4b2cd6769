//! Differential test against the `parse-dockerfile` crate, a BuildKit-faithful parser that stops
//! at the first error. On every corpus file it accepts, both parsers must find the same
//! top-level instructions, in the same order, with the same first and last line (the logical
//! line: heredoc bodies excluded; they are checked implicitly by the next instruction's start).
//!
//! Justified differences are listed in `fixtures/corpus/differential-allowlist.tsv`, one per
//! file with the reason; a listed file that no longer differs fails the test, so the list
//! cannot rot.

mod common;

use std::collections::BTreeMap;

use common::oracle::{oracle_shapes, our_shapes, render};
use line_index::LineIndex;

const CORPUS_DIR: &str = "../shared/corpus/real";
const ALLOWLIST: &str = "fixtures/corpus/differential-allowlist.tsv";

fn read_allowlist() -> BTreeMap<String, String> {
    let text = common::read_lossy(&common::manifest_path(ALLOWLIST));
    let mut out = BTreeMap::new();
    for (idx, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((file, reason)) = line.split_once('\t') else {
            panic!("{ALLOWLIST}:{}: expected `file<TAB>reason`", idx + 1);
        };
        assert!(
            !reason.trim().is_empty(),
            "{ALLOWLIST}:{}: no reason",
            idx + 1
        );
        out.insert(file.to_string(), reason.to_string());
    }
    out
}

#[test]
fn same_instructions_as_parse_dockerfile_on_the_corpus() {
    let dir = common::manifest_path(CORPUS_DIR);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus directory {} is missing: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    files.sort();
    let allowed = read_allowlist();
    let mut rejected = Vec::new();
    let mut differing = Vec::new();
    let mut failures = Vec::new();
    let mut n_compared = 0;
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = common::read_lossy(path);
        let index = LineIndex::new(&text);
        let expected = match oracle_shapes(&text, &index) {
            Ok(shapes) => shapes,
            Err(e) => {
                rejected.push(format!(
                    "  {name}: {}",
                    e.lines().next().unwrap_or_default()
                ));
                continue;
            }
        };
        n_compared += 1;
        let actual = our_shapes(&text, &index);
        if actual == expected {
            continue;
        }
        differing.push(name.clone());
        if !allowed.contains_key(&name) {
            failures.push(format!(
                "{name}: instructions differ from parse-dockerfile (- theirs, + ours):\n{}",
                common::diff_lines(&render(&expected), &render(&actual))
            ));
        }
    }
    println!(
        "parse-dockerfile accepted {n_compared} of {} files; {} differ ({} allow-listed); it rejected {}:",
        files.len(),
        differing.len(),
        differing
            .iter()
            .filter(|f| allowed.contains_key(*f))
            .count(),
        rejected.len()
    );
    for line in &rejected {
        println!("{line}");
    }
    for file in allowed.keys() {
        if !differing.contains(file) {
            failures.push(format!(
                "{ALLOWLIST}: {file} no longer differs: remove the line"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
