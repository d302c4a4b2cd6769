//! Compares our ShellCheck findings on the real-world corpus with hadolint 2.15.1's recorded
//! ones (`../shared/corpus/hadolint-2.15.json`), per SC code.
//!
//! hadolint reports an SC finding at its RUN's first line, and at most one per RUN: the last
//! of ShellCheck's findings for that script (verified on the 2.15.1 binary; the corpus never
//! has two SC findings on one line). So two comparisons, both as (file, RUN line, code):
//! "emulated" keeps only our last finding per RUN, as hadolint does, and compares sets;
//! "recall" counts hadolint's findings that are among all of ours for that RUN. Files where
//! hadolint stopped at a parse error (DL1000) are left out. Needs `shellcheck` on PATH:
//!
//! ```sh
//! cargo run --example shellcheck_corpus [-- --diff]
//! ```

use std::collections::BTreeSet;
use std::path::Path;

use layerwise::config::Config;
use layerwise::diagnostics::filter_external;
use layerwise::env::shellcheck::{Setting, ShellCheck};
use layerwise::semantic::Model;
use layerwise::shell::shellcheck;
use layerwise::syntax::parse;

type Finding = (String, usize, String);

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn main() {
    let show_diff = std::env::args().any(|a| a == "--diff");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let recorded: serde_json::Value =
        match std::fs::read_to_string(corpus.join("hadolint-2.15.json"))
            .map_err(|e| e.to_string())
            .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(value) => value,
            Err(err) => {
                eprintln!("cannot read the recorded hadolint output: {err}");
                std::process::exit(2);
            }
        };
    let binary = match ShellCheck::locate(&Setting::Auto) {
        Ok(Some(binary)) => binary,
        _ => {
            eprintln!("no `shellcheck` on PATH");
            std::process::exit(2);
        }
    };
    let Some(files) = recorded.as_object() else {
        eprintln!("unexpected recorded output");
        std::process::exit(2);
    };

    let mut ours_last: BTreeSet<Finding> = BTreeSet::new();
    let mut ours_all: BTreeSet<Finding> = BTreeSet::new();
    let mut theirs: BTreeSet<Finding> = BTreeSet::new();
    // The RUNs we hand to ShellCheck (not cmd, PowerShell, exec form…).
    let mut checked: BTreeSet<(String, usize)> = BTreeSet::new();
    let mut n_files = 0;
    let mut n_jobs = 0;
    let started = std::time::Instant::now();
    for (name, findings) in files {
        let Some(findings) = findings.as_array() else {
            continue;
        };
        if findings.iter().any(|f| f["code"] == "DL1000") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(corpus.join("real").join(name)) else {
            continue;
        };
        n_files += 1;
        for f in findings {
            let (Some(code), Some(line)) = (f["code"].as_str(), f["line"].as_u64()) else {
                continue;
            };
            if code.starts_with("SC") {
                theirs.insert((name.clone(), line as usize, code.to_string()));
            }
        }
        let parsed = parse(&text);
        let model = Model::new(&parsed.tree());
        let prepared = shellcheck::prepare(&parsed, &model);
        n_jobs += prepared.len();
        let jobs: Vec<&shellcheck::Job> = prepared.iter().map(|p| &p.job).collect();
        for (p, outcome) in prepared.iter().zip(binary.check_all(&jobs)) {
            let comments = match outcome {
                Ok(comments) => comments,
                Err(err) => {
                    eprintln!("{name}: {err}");
                    continue;
                }
            };
            let line = line_of(&text, usize::from(p.instruction_range.start()));
            checked.insert((name.clone(), line));
            // In ShellCheck's order, which `filter_external` does not keep.
            let found = shellcheck::diagnostics(p, &comments);
            // hadolint keeps the last finding, then applies its pragmas to it.
            let last: Vec<_> = found.last().cloned().into_iter().collect();
            for d in filter_external(last, &model, &Config::default()) {
                ours_last.insert((name.clone(), line, d.code.to_string()));
            }
            for d in filter_external(found, &model, &Config::default()) {
                ours_all.insert((name.clone(), line, d.code.to_string()));
            }
        }
    }

    let codes: BTreeSet<&String> = ours_last
        .iter()
        .chain(&ours_all)
        .chain(&theirs)
        .map(|(_, _, c)| c)
        .collect();
    println!(
        "{n_files} files, {n_jobs} scripts checked in {:.1} s",
        started.elapsed().as_secs_f32()
    );
    println!(
        "Agreement and recall count only the RUNs we give ShellCheck: hadolint also has it read \
         cmd and PowerShell scripts as POSIX shell (column \"skipped\")."
    );
    println!(
        "| code | hadolint | skipped | ours, emulated | both | agreement | ours, all | recall |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut totals = [0usize; 7];
    let mut diffs: Vec<String> = Vec::new();
    for code in codes {
        let of = |set: &BTreeSet<Finding>| -> BTreeSet<Finding> {
            set.iter().filter(|f| &f.2 == code).cloned().collect()
        };
        let (h, l, all) = (of(&theirs), of(&ours_last), of(&ours_all));
        let h_checked: BTreeSet<Finding> = h
            .iter()
            .filter(|(f, line, _)| checked.contains(&(f.clone(), *line)))
            .cloned()
            .collect();
        let skipped = h.len() - h_checked.len();
        let both = h_checked.intersection(&l).count();
        let union = h_checked.union(&l).count();
        let recalled = h_checked.intersection(&all).count();
        println!(
            "| {code} | {} | {skipped} | {} | {both} | {} | {} | {} |",
            h.len(),
            l.len(),
            percent(both, union),
            all.len(),
            percent(recalled, h_checked.len()),
        );
        let counts = [h.len(), skipped, l.len(), both, union, all.len(), recalled];
        for (acc, n) in totals.iter_mut().zip(counts) {
            *acc += n;
        }
        for (f, line, _) in h.difference(&l) {
            let ours_here: Vec<&str> = ours_all
                .iter()
                .filter(|(g, m, _)| g == f && m == line)
                .map(|(_, _, c)| c.as_str())
                .collect();
            diffs.push(format!(
                "{code} only hadolint {f}:{line} (ours there: {ours_here:?})"
            ));
        }
        for (f, line, _) in l.difference(&h) {
            let theirs_here: Vec<&str> = theirs
                .iter()
                .filter(|(g, m, _)| g == f && m == line)
                .map(|(_, _, c)| c.as_str())
                .collect();
            diffs.push(format!(
                "{code} only ours {f}:{line} (hadolint there: {theirs_here:?})"
            ));
        }
    }
    println!(
        "| all | {} | {} | {} | {} | {} | {} | {} |",
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        percent(totals[3], totals[4]),
        totals[5],
        percent(totals[6], totals[0] - totals[1]),
    );
    if show_diff {
        for line in diffs {
            println!("{line}");
        }
    }
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "–".to_string();
    }
    format!("{:.0} %", 100.0 * part as f64 / whole as f64)
}
