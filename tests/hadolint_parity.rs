//! DL-rule conformance against hadolint 2.15.1's recorded output on the real-world corpus
//! (`../shared/corpus/hadolint-2.15.json`).
//!
//! Findings are compared as (file, line, code), where our line is the first line of the
//! instruction holding the finding (hadolint reports at an instruction's first line, we at the
//! exact word). Only codes layerwise implements are compared. Every difference must be listed
//! in `tests/hadolint_parity_allowlist.tsv` with its reason; the test fails on an unlisted
//! difference and on a listed one that no longer occurs. It prints per-rule agreement.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use layerwise::config::Config;
use layerwise::diagnostics::lint;
use layerwise::rules::registry::RULES;
use layerwise::syntax::ast::AstNode;
use layerwise::syntax::parse;

type Finding = (String, u32, String);

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count() as u32
        + 1
}

/// Our DL findings for one file, each at the first line of its instruction.
fn ours(name: &str, text: &str) -> BTreeSet<Finding> {
    let parsed = parse(text);
    let starts: Vec<(usize, usize)> = parsed
        .tree()
        .instructions()
        .map(|i| {
            let r = i.syntax().text_range();
            (usize::from(r.start()), usize::from(r.end()))
        })
        .collect();
    lint(&parsed, &Config::default())
        .into_iter()
        .filter(|d| d.code.starts_with("DL"))
        .map(|d| {
            let offset = usize::from(d.range.start());
            let at = starts
                .iter()
                .find(|(s, e)| *s <= offset && offset < *e)
                .map_or(offset, |(s, _)| *s);
            (name.to_string(), line_of(text, at), d.code.to_string())
        })
        .collect()
}

fn theirs(
    json: &serde_json::Value,
    name: &str,
    implemented: &BTreeSet<&str>,
) -> Option<BTreeSet<Finding>> {
    let findings = json.get(name)?.as_array()?;
    if findings.iter().any(|f| f["code"] == "DL1000") {
        return None;
    }
    Some(
        findings
            .iter()
            .filter_map(|f| {
                let code = f["code"].as_str()?;
                let line = f["line"].as_u64()? as u32;
                implemented
                    .contains(code)
                    .then(|| (name.to_string(), line, code.to_string()))
            })
            .collect(),
    )
}

/// Allowlist rows: `side file line code reason`, with `*` for any file or line.
struct Allowed {
    side: String,
    file: String,
    line: String,
    code: String,
}

fn allowlist() -> Vec<Allowed> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hadolint_parity_allowlist.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(
                cols.len() >= 5 && !cols[4].trim().is_empty(),
                "allowlist row needs 5 columns with a reason: {l}"
            );
            Allowed {
                side: cols[0].into(),
                file: cols[1].into(),
                line: cols[2].into(),
                code: cols[3].into(),
            }
        })
        .collect()
}

fn allowed(list: &[Allowed], side: &str, f: &Finding) -> Option<usize> {
    list.iter().position(|a| {
        a.side == side
            && (a.file == "*" || a.file == f.0)
            && (a.line == "*" || a.line == f.1.to_string())
            && a.code == f.2
    })
}

#[test]
fn dl_rules_agree_with_hadolint_on_the_corpus() {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(corpus_dir().join("hadolint-2.15.json"))
            .expect("hadolint-2.15.json"),
    )
    .expect("valid JSON");
    let implemented: BTreeSet<&str> = RULES
        .iter()
        .map(|e| e.meta.code)
        .filter(|c| c.starts_with("DL"))
        .collect();
    let list = allowlist();
    let mut used = vec![false; list.len()];

    // Per rule: (agreed, only ours, only theirs).
    let mut per_rule: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut unlisted = Vec::new();
    let mut files = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("real"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("read corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let Some(expected) = theirs(&json, &name, &implemented) else {
            continue;
        };
        files += 1;
        let got = ours(&name, &text);
        for f in got.intersection(&expected) {
            per_rule.entry(f.2.clone()).or_default().0 += 1;
        }
        for (side, diff) in [
            ("ours", got.difference(&expected)),
            ("theirs", expected.difference(&got)),
        ] {
            for f in diff {
                let entry = per_rule.entry(f.2.clone()).or_default();
                if side == "ours" {
                    entry.1 += 1
                } else {
                    entry.2 += 1
                }
                match allowed(&list, side, f) {
                    Some(idx) => used[idx] = true,
                    None => unlisted.push(format!("{side}\t{}\t{}\t{}", f.0, f.1, f.2)),
                }
            }
        }
    }

    println!(
        "hadolint parity over {files} corpus files (files hadolint could not parse are skipped)"
    );
    println!(
        "{:<8} {:>7} {:>9} {:>11} {:>9}",
        "code", "agreed", "only-ours", "only-theirs", "agreement"
    );
    for (code, (agreed, only_ours, only_theirs)) in &per_rule {
        let total = agreed + only_ours + only_theirs;
        let pct = if total == 0 {
            100.0
        } else {
            100.0 * *agreed as f64 / total as f64
        };
        println!("{code:<8} {agreed:>7} {only_ours:>9} {only_theirs:>11} {pct:>8.1}%");
    }
    let stale: Vec<String> = list
        .iter()
        .zip(&used)
        .filter(|(a, used)| !**used && a.file != "*" && a.line != "*")
        .map(|(a, _)| format!("{}\t{}\t{}\t{}", a.side, a.file, a.line, a.code))
        .collect();
    assert!(
        unlisted.is_empty(),
        "{} differences with hadolint are not in tests/hadolint_parity_allowlist.tsv (side, file, line, code):\n{}",
        unlisted.len(),
        unlisted.join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowlist rows that no longer occur:\n{}",
        stale.join("\n")
    );
}
