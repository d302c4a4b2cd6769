//! The real-world corpus (`../shared/corpus/real/`, 313 Dockerfiles from public repositories):
//! every file parses without panic, round-trips exactly, yields diagnostics whose ranges are
//! valid editor positions, and keeps every instruction line an instruction.
//!
//! Most corpus files build with BuildKit, so a syntax (`LW0xxx`) error on one is suspect: each
//! must be listed, with the reason it is real, in `fixtures/corpus/lw0-allowlist.tsv`. An error
//! missing from the list and a listed error that no longer occurs both fail.

mod common;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use layerwise::config::Config;
use layerwise::diagnostics::lint;
use layerwise::syntax::parse;
use line_index::LineIndex;

const CORPUS_DIR: &str = "../shared/corpus/real";
const ALLOWLIST: &str = "fixtures/corpus/lw0-allowlist.tsv";

fn corpus_files() -> Vec<std::path::PathBuf> {
    let dir = common::manifest_path(CORPUS_DIR);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus directory {} is missing: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    files.sort();
    assert!(
        files.len() > 300,
        "expected the whole corpus, found {} files",
        files.len()
    );
    files
}

/// `(file, code, 1-based line)` of an LW0 finding.
type Finding = (String, String, u32);

fn read_allowlist() -> BTreeSet<Finding> {
    let text = common::read_lossy(&common::manifest_path(ALLOWLIST));
    let mut out = BTreeSet::new();
    for (idx, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 4 && !cols[3].trim().is_empty(),
            "{ALLOWLIST}:{}: expected `file<TAB>code<TAB>line<TAB>reason`",
            idx + 1
        );
        let line_no = cols[2]
            .parse()
            .unwrap_or_else(|_| panic!("{ALLOWLIST}:{}: bad line number", idx + 1));
        out.insert((cols[0].to_string(), cols[1].to_string(), line_no));
    }
    out
}

#[test]
fn corpus_parses_round_trips_and_ranges_are_valid() {
    let mut failures = Vec::new();
    let mut lw0_findings: BTreeSet<Finding> = BTreeSet::new();
    let mut lw0_messages = Vec::new();
    let files = corpus_files();
    for path in &files {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = common::read_lossy(path);
        let result = catch_unwind(AssertUnwindSafe(|| {
            let parse = parse(&text);
            let diagnostics = lint(&parse, &Config::default());
            (parse, diagnostics)
        }));
        let Ok((parse, diagnostics)) = result else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        if parse.syntax().text() != text.as_str() || parse.text() != text {
            failures.push(format!("{name}: the tree text differs from the input"));
            continue;
        }
        let index = LineIndex::new(&text);
        let error_ranges = parse.errors().iter().map(|e| (e.code, e.range));
        let diagnostic_ranges = diagnostics.iter().map(|d| (d.code, d.range));
        for (code, range) in error_ranges.chain(diagnostic_ranges) {
            if let Err(e) = common::check_range(&text, &index, range) {
                failures.push(format!("{name}: {code}: {e}"));
            }
        }
        if let Err(e) = common::check_instruction_starts(&text, &parse) {
            failures.push(format!("{name}: {e}"));
        }
        for d in diagnostics.iter().filter(|d| d.code.starts_with("LW0")) {
            let line = index.line_col(d.range.start()).line + 1;
            lw0_findings.insert((name.clone(), d.code.to_string(), line));
            lw0_messages.push(format!("  {name}:{line}: {} {}", d.code, d.message));
        }
    }

    let files_with_lw0: BTreeSet<&String> = lw0_findings.iter().map(|(f, ..)| f).collect();
    println!(
        "{} of {} corpus files have LW0 errors ({} findings):",
        files_with_lw0.len(),
        files.len(),
        lw0_findings.len()
    );
    for message in &lw0_messages {
        println!("{message}");
    }

    let allowed = read_allowlist();
    for finding in lw0_findings.difference(&allowed) {
        failures.push(format!(
            "{}:{}: {} is not in {ALLOWLIST}: fix the parser or list it with a reason",
            finding.0, finding.2, finding.1
        ));
    }
    for finding in allowed.difference(&lw0_findings) {
        failures.push(format!(
            "{ALLOWLIST}: {}:{} {} no longer occurs: remove the line",
            finding.0, finding.2, finding.1
        ));
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
