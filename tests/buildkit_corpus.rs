//! BuildKit's checks over the real-world corpus (`../shared/corpus/real/`).
//!
//! Prints, per check, how many files it fires on (overall, on docker-library's official
//! images, and per category of `CATEGORIES.tsv`) and a few sample findings, for reading hits
//! by eye (`cargo test --test buildkit_corpus -- --nocapture`). It asserts only invariants:
//! no panic, every range and fix edit inside the file and on character boundaries, and every
//! fix leaves no new syntax error and removes a finding of its check. Counts are not
//! asserted: they are read, not frozen.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layerwise::config::Config;
use layerwise::diagnostics::{apply_edits, lint};
use layerwise::rules::Origin;
use layerwise::rules::registry::RULES;
use layerwise::syntax::parse;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// File name → category, from `CATEGORIES.tsv` (empty when the file is missing).
fn categories() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus_dir().join("CATEGORIES.tsv")).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

#[derive(Default)]
struct Counts {
    files: BTreeSet<String>,
    docker_library: BTreeSet<String>,
    findings: usize,
    by_category: BTreeMap<String, usize>,
    samples: Vec<String>,
}

#[test]
fn buildkit_checks_over_the_corpus() {
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
    // Every BuildKit check, the experimental ones included; WorkdirRelativePath is counted
    // on its own here, without DL3000 (which it is merged into by default).
    let codes: Vec<String> = RULES
        .iter()
        .filter(|e| e.meta.origin == Origin::BuildKit && e.new.is_some())
        .map(|e| e.meta.code.to_string())
        .collect();
    let config = Config {
        select: Some(codes.clone()),
        ..Config::default()
    };
    let mut counts: BTreeMap<&'static str, Counts> = BTreeMap::new();
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
        let docker_library = name.starts_with("docker-library__");
        n_docker_library += usize::from(docker_library);
        let parsed = parse(&text);
        let diagnostics = lint(&parsed, &config);
        let count = |code: &str, findings: &[layerwise::diagnostics::Diagnostic]| {
            findings.iter().filter(|d| d.code == code).count()
        };
        for d in diagnostics.iter().cloned() {
            let (start, end) = (usize::from(d.range.start()), usize::from(d.range.end()));
            if end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                problems.push(format!(
                    "{name}: {} range {start}..{end} is outside",
                    d.code
                ));
                continue;
            }
            if let Some(fix) = &d.fix {
                let inside = fix.edits.iter().all(|e| {
                    let (s, e) = (usize::from(e.range.start()), usize::from(e.range.end()));
                    e <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(e)
                });
                if !inside {
                    problems.push(format!("{name}: {} fix edits outside the file", d.code));
                } else {
                    let fixed = apply_edits(&text, &fix.edits);
                    let reparsed = parse(&fixed);
                    if reparsed.errors().len() > parsed.errors().len() {
                        problems.push(format!("{name}: {} fix adds a syntax error", d.code));
                    }
                    let after = lint(&reparsed, &config);
                    if count(d.code, &after) >= count(d.code, &diagnostics) {
                        problems.push(format!(
                            "{name}:{}: {} fix does not remove the finding",
                            line_of(&text, start),
                            d.code
                        ));
                    }
                }
            }
            if !codes.iter().any(|c| c == d.code) {
                continue;
            }
            let entry = counts.entry(d.code).or_default();
            entry.findings += 1;
            if entry.files.insert(name.clone()) {
                let category = categories.get(&name).cloned().unwrap_or_default();
                *entry.by_category.entry(category).or_default() += 1;
                if docker_library {
                    entry.docker_library.insert(name.clone());
                }
                if entry.samples.len() < 6 {
                    let line = line_of(&text, start);
                    let snippet: String = text[start..end].chars().take(40).collect();
                    entry
                        .samples
                        .push(format!("{name}:{line}: {:?} {}", snippet, d.message));
                }
            }
        }
    }
    println!("BuildKit checks over {n_files} corpus files ({n_docker_library} docker-library):");
    println!(
        "{:<30} {:>6} {:>15} {:>9}",
        "check", "files", "docker-library", "findings"
    );
    for code in &codes {
        let Some(entry) = counts.get(code.as_str()) else {
            println!("{code:<30} {:>6} {:>15} {:>9}", 0, 0, 0);
            continue;
        };
        println!(
            "{code:<30} {:>6} {:>15} {:>9}",
            entry.files.len(),
            entry.docker_library.len(),
            entry.findings
        );
        let by_category: Vec<String> = entry
            .by_category
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        println!("    by category: {}", by_category.join(", "));
        for sample in &entry.samples {
            println!("    {sample}");
        }
        for file in entry.docker_library.iter().take(5) {
            println!("    docker-library: {file}");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
