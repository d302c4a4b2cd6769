//! layerwise's own best-practice rules (`LW1xxx`) over the real-world corpus
//! (`../shared/corpus/real/`).
//!
//! Prints, per rule, how many files it fires on: overall, on docker-library's official images,
//! and per category of `CATEGORIES.tsv` (its columns are `file`, `category`, `features`), with
//! a few sample findings to read by eye (`cargo test --test lw_corpus -- --nocapture`; set
//! `LW_CORPUS_SHOW=LW1003` to print every finding of one rule). It asserts only invariants: no
//! panic, every range (related ones included) and fix edit inside the file and on character
//! boundaries, and every fix leaves no new syntax error and removes a finding of its rule.
//! Counts are read, not frozen.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use layerwise::config::Config;
use layerwise::diagnostics::{Diagnostic, apply_edits, lint};
use layerwise::rules::Origin;
use layerwise::rules::registry::RULES;
use layerwise::syntax::parse;
use rowan::TextRange;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// File name → category, from `CATEGORIES.tsv` (empty when the file is missing).
fn categories() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus_dir().join("CATEGORIES.tsv")).unwrap_or_default();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let file_col = header.iter().position(|c| *c == "file").unwrap_or(0);
    let category_col = header.iter().position(|c| *c == "category").unwrap_or(1);
    lines
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            Some((
                cols.get(file_col)?.to_string(),
                cols.get(category_col)?.to_string(),
            ))
        })
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn range_problem(text: &str, range: TextRange) -> Option<String> {
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    (end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end))
        .then(|| format!("range {start}..{end} is outside the file or splits a character"))
}

#[derive(Default)]
struct Counts {
    files: BTreeSet<String>,
    docker_library: BTreeSet<String>,
    findings: usize,
    by_category: BTreeMap<String, usize>,
    samples: Vec<String>,
}

/// Checks one file's findings; returns the invariant violations.
fn check_file(name: &str, text: &str, config: &Config, diagnostics: &[Diagnostic]) -> Vec<String> {
    let parsed = parse(text);
    let count =
        |code: &str, findings: &[Diagnostic]| findings.iter().filter(|d| d.code == code).count();
    let mut problems = Vec::new();
    for d in diagnostics {
        let ranges = std::iter::once(d.range).chain(d.related.iter().map(|r| r.range));
        for range in ranges {
            if let Some(problem) = range_problem(text, range) {
                problems.push(format!("{name}: {}: {problem}", d.code));
            }
        }
        let Some(fix) = &d.fix else { continue };
        if let Some(problem) = fix.edits.iter().find_map(|e| range_problem(text, e.range)) {
            problems.push(format!("{name}: {} fix: {problem}", d.code));
            continue;
        }
        let fixed = apply_edits(text, &fix.edits);
        let reparsed = parse(&fixed);
        if reparsed.errors().len() > parsed.errors().len() {
            problems.push(format!("{name}: {} fix adds a syntax error", d.code));
        }
        let after = lint(&reparsed, config);
        if count(d.code, &after) >= count(d.code, diagnostics) {
            problems.push(format!(
                "{name}:{}: {} fix does not remove the finding",
                line_of(text, usize::from(d.range.start())),
                d.code
            ));
        }
    }
    problems
}

#[test]
fn layerwise_rules_over_the_corpus() {
    let Ok(entries) = std::fs::read_dir(corpus_dir().join("real")) else {
        println!("no corpus at {}: nothing to do", corpus_dir().display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    paths.sort();
    let categories = categories();
    let codes: Vec<String> = RULES
        .iter()
        .filter(|e| e.meta.origin == Origin::Layerwise && e.meta.code.starts_with("LW1"))
        .filter(|e| e.new.is_some())
        .map(|e| e.meta.code.to_string())
        .collect();
    let config = Config {
        select: Some(codes.clone()),
        ..Config::default()
    };
    let show = std::env::var("LW_CORPUS_SHOW").unwrap_or_default();
    let mut counts: BTreeMap<&'static str, Counts> = BTreeMap::new();
    let mut files_per_category: BTreeMap<String, usize> = BTreeMap::new();
    let mut n_files = 0;
    let mut n_docker_library = 0;
    let mut problems = Vec::new();
    for path in &paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        n_files += 1;
        let category = categories.get(&name).cloned().unwrap_or_default();
        *files_per_category.entry(category.clone()).or_default() += 1;
        let docker_library = name.starts_with("docker-library__");
        n_docker_library += usize::from(docker_library);
        let linted = catch_unwind(AssertUnwindSafe(|| {
            let diagnostics = lint(&parse(&text), &config);
            let problems = check_file(&name, &text, &config, &diagnostics);
            (diagnostics, problems)
        }));
        let Ok((diagnostics, file_problems)) = linted else {
            problems.push(format!("{name}: panicked"));
            continue;
        };
        problems.extend(file_problems);
        for d in &diagnostics {
            let start = usize::from(d.range.start()).min(text.len());
            let end = usize::from(d.range.end()).clamp(start, text.len());
            let line = line_of(&text, start);
            let snippet: String = text
                .get(start..end)
                .unwrap_or("")
                .chars()
                .take(50)
                .collect();
            let sample = format!("{name}:{line}: {snippet:?} {}", d.message);
            if d.code == show {
                println!("{sample}");
            }
            let entry = counts.entry(d.code).or_default();
            entry.findings += 1;
            if entry.files.insert(name.clone()) {
                *entry.by_category.entry(category.clone()).or_default() += 1;
                if docker_library {
                    entry.docker_library.insert(name.clone());
                }
                if entry.samples.len() < 6 {
                    entry.samples.push(sample);
                }
            }
        }
    }
    println!("LW rules over {n_files} corpus files ({n_docker_library} docker-library):");
    println!(
        "{:<8} {:>6} {:>15} {:>9}",
        "rule", "files", "docker-library", "findings"
    );
    for code in &codes {
        let Some(entry) = counts.get(code.as_str()) else {
            println!("{code:<8} {:>6} {:>15} {:>9}", 0, 0, 0);
            continue;
        };
        println!(
            "{code:<8} {:>6} {:>15} {:>9}",
            entry.files.len(),
            entry.docker_library.len(),
            entry.findings
        );
        let by_category: Vec<String> = entry
            .by_category
            .iter()
            .map(|(c, n)| format!("{c} {n}/{}", files_per_category.get(c).unwrap_or(&0)))
            .collect();
        println!("    by category: {}", by_category.join(", "));
        for sample in &entry.samples {
            println!("    {sample}");
        }
        for file in &entry.docker_library {
            println!("    docker-library: {file}");
        }
    }
    assert!(
        n_files == 0 || !codes.is_empty(),
        "no LW1xxx rule is registered"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
