//! Rule fixtures (STYLE.md §4): every `fixtures/rules/<CODE>/*.Dockerfile` is linted with its
//! selected codes and the findings are compared, as a whole set, with the caret annotations in
//! the file. `UPDATE_EXPECT=1 cargo test --test fixtures` rewrites the annotations from the
//! actual output (never under `CI=true`). The grammar is in `fixtures/README.md`.
//!
//! Every fixture is also held to the harness invariants: no panic, exact round trip, ranges
//! inside the document and convertible to UTF-8/16/32 positions, every instruction line parsed
//! as an instruction, and every fix applies, re-parses without new syntax errors, removes its
//! finding, and fix-all converges.
//!
//! Beside the fixtures: a tidy test naming whatever is missing (a rule without a fixture, docs
//! without a section) and the doc-example test (each rule's `## Example` produces it exactly
//! once, its `Use instead:` block not at all).

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use common::fixture::{Annotation, Fixture};
use layerwise::config::{Config, ConfigLayer};
use layerwise::diagnostics::{Applicability, Diagnostic, Edit, apply_edits, lint, lint_with};
use layerwise::env::context::BuildContext;
use layerwise::rules::registry::RULES;
use layerwise::rules::{FixAvailability, RuleMeta};
use layerwise::semantic::context::{ContextFacts, ContextIndex};
use layerwise::syntax::{Parse, parse};
use line_index::LineIndex;

const RULES_DIR: &str = "fixtures/rules";

/// Rules that cannot have a fixture, with the reason. Keep this list short.
const NO_FIXTURE: &[(&str, &str)] = &[(
    "LW0017",
    "invalid UTF-8 is detected when a file is read (CLI/LSP); lint() only ever sees valid text",
)];

/// Rules whose documentation has no `## Example`, with the reason.
const NO_DOC_EXAMPLE: &[(&str, &str)] = &[(
    "LW0017",
    "an invalid UTF-8 example cannot be shown in Markdown",
)];

/// Bound on fix-all rounds: each round applies every non-overlapping safe fix.
const MAX_FIX_ROUNDS: usize = 10;

fn config_for(select: &[String]) -> Config {
    Config {
        select: Some(select.to_vec()),
        ..Config::default()
    }
}

/// Applies a `.hadolint.yaml` text (a fixture directory's, or the one a rule's `## Options`
/// shows) to `config`; unknown keys and parse errors are failures.
fn apply_yaml(config: &mut Config, yaml: &str) -> Result<(), String> {
    match ConfigLayer::from_hadolint_yaml(yaml) {
        Ok((layer, unknown)) if unknown.is_empty() => {
            config.apply(&layer);
            Ok(())
        }
        Ok((_, unknown)) => Err(format!("unknown configuration keys {unknown:?}")),
        Err(err) => Err(format!("configuration does not parse: {err}")),
    }
}

/// The first fenced block of language `lang` in the `## Options` section of a rule's docs.
fn options_yaml(docs: &str) -> Option<String> {
    let section = &docs[docs.find("## Options")?..];
    let section = match section[1..].find("\n## ") {
        Some(end) => &section[..end + 1],
        None => section,
    };
    let start = section.find("```yaml\n")? + "```yaml\n".len();
    let end = section[start..].find("```")?;
    Some(section[start..start + end].to_string())
}

/// `(code, path)` of every rule fixture, sorted.
fn rule_fixtures() -> Vec<(String, PathBuf)> {
    let root = common::manifest_path(RULES_DIR);
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(&root) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let code = entry.file_name().to_string_lossy().into_owned();
        for file in common::files_under(&path, &["Dockerfile"]) {
            out.push((code.clone(), file));
        }
    }
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .display()
        .to_string()
}

fn annotations(fixture: &Fixture, diagnostics: &[Diagnostic]) -> Vec<Annotation> {
    let mut out: Vec<Annotation> = diagnostics
        .iter()
        .map(|d| {
            fixture.annotation(
                d.range.start().into(),
                d.range.end().into(),
                d.code,
                d.severity.as_str(),
                &d.message,
            )
        })
        .collect();
    out.sort();
    out
}

/// Error codes and how often each occurs.
fn error_counts(parse: &Parse) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for e in parse.errors() {
        *out.entry(e.code).or_default() += 1;
    }
    out
}

fn new_errors(before: &Parse, after: &Parse) -> Vec<String> {
    let before = error_counts(before);
    after
        .errors()
        .iter()
        .filter(|e| {
            let n_after = after.errors().iter().filter(|x| x.code == e.code).count();
            n_after > before.get(e.code).copied().unwrap_or(0)
        })
        .map(|e| format!("{} {}", e.code, e.message))
        .collect()
}

fn check_edits(text: &str, edits: &[Edit]) -> Result<(), String> {
    let index = LineIndex::new(text);
    let mut ranges: Vec<_> = edits.iter().map(|e| e.range).collect();
    ranges.sort_by_key(|r| (r.start(), r.end()));
    for r in &ranges {
        common::check_range(text, &index, *r).map_err(|e| format!("edit {e}"))?;
    }
    for pair in ranges.windows(2) {
        if pair[0].end() > pair[1].start() {
            return Err(format!("edits {:?} and {:?} overlap", pair[0], pair[1]));
        }
    }
    Ok(())
}

/// Every fix applies, re-parses without a new syntax error, round-trips and removes its
/// finding.
fn check_fixes(
    text: &str,
    parse: &Parse,
    diagnostics: &[Diagnostic],
    config: &Config,
) -> Vec<String> {
    let mut failures = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        let what = format!("fix `{}` of {} at {:?}", fix.title, d.code, d.range);
        if let Err(e) = check_edits(text, &fix.edits) {
            failures.push(format!("{what}: {e}"));
            continue;
        }
        let fixed = apply_edits(text, &fix.edits);
        let fixed_parse = parse_no_panic(&fixed);
        if fixed_parse.syntax().text() != fixed.as_str() {
            failures.push(format!("{what}: the fixed text does not round-trip"));
        }
        let new = new_errors(parse, &fixed_parse);
        if !new.is_empty() {
            failures.push(format!("{what}: new syntax errors {new:?} in:\n{fixed}"));
        }
        let before = diagnostics.iter().filter(|x| x.code == d.code).count();
        let after = lint(&fixed_parse, config)
            .iter()
            .filter(|x| x.code == d.code)
            .count();
        if after >= before {
            failures.push(format!(
                "{what}: {} is still reported after the fix:\n{fixed}",
                d.code
            ));
        }
    }
    failures
}

fn parse_no_panic(text: &str) -> Parse {
    parse(text)
}

/// Applies every non-overlapping safe fix, round after round, until none is left.
fn check_fix_all_converges(text: &str, config: &Config) -> Result<(), String> {
    let original = parse(text);
    let mut current = text.to_string();
    for _ in 0..MAX_FIX_ROUNDS {
        let p = parse(&current);
        let new = new_errors(&original, &p);
        if !new.is_empty() {
            return Err(format!(
                "fix-all introduced syntax errors {new:?}:\n{current}"
            ));
        }
        let mut taken: Vec<Edit> = Vec::new();
        for d in lint(&p, config) {
            let Some(fix) = d.fix else { continue };
            if fix.applicability != Applicability::Safe {
                continue;
            }
            let overlaps = fix.edits.iter().any(|e| {
                taken.iter().any(|t| {
                    t.range.start() < e.range.end() && e.range.start() < t.range.end()
                        || t.range == e.range
                })
            });
            if !overlaps {
                taken.extend(fix.edits);
            }
        }
        if taken.is_empty() {
            return Ok(());
        }
        current = apply_edits(&current, &taken);
    }
    Err(format!(
        "fix-all did not converge in {MAX_FIX_ROUNDS} rounds; last text:\n{current}"
    ))
}

/// Runs one fixture. Returns its failures; rewrites it when asked to.
fn run_fixture(own_code: &str, path: &Path) -> Vec<String> {
    let name = relative(path);
    let original = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => return vec![format!("{name}: cannot read: {e}")],
    };
    let fixture = match Fixture::parse(&original) {
        Ok(f) => f,
        Err(e) => return vec![format!("{name}: {e}")],
    };
    let select = if fixture.options.select.is_empty() {
        vec![own_code.to_string()]
    } else {
        fixture.options.select.clone()
    };
    let mut config = config_for(&select);
    // A fixture directory may hold the `.hadolint.yaml` its rule needs (trusted registries,
    // a label schema).
    if let Some(dir) = path.parent()
        && let Ok(yaml) = std::fs::read_to_string(dir.join(".hadolint.yaml"))
        && let Err(e) = apply_yaml(&mut config, &yaml)
    {
        return vec![format!("{name}: {}/.hadolint.yaml: {e}", relative(dir))];
    }
    let text = &fixture.text;
    let mut failures = Vec::new();

    let parse = parse(text);
    if parse.syntax().text() != text.as_str() {
        failures.push(format!("{name}: the tree text differs from the input"));
    }
    if let Err(e) = common::check_instruction_starts(text, &parse) {
        failures.push(format!("{name}: {e}"));
    }
    let selected = |code: &str| select.iter().any(|s| s.eq_ignore_ascii_case(code));
    for e in parse.errors().iter().filter(|e| !selected(e.code)) {
        let (line, col) = fixture.position(e.range.start().into());
        failures.push(format!(
            "{name}:{}:{col}: syntax error {} ({}) outside the fixture's select: add {} to `# lw-test: select=` or fix the fixture",
            fixture.file_line(line),
            e.code,
            e.message,
            e.code
        ));
    }
    // `context=DIR` lints with that directory (beside the fixture) as the build context, and
    // the fixture as the Dockerfile, so `<fixture>.dockerignore` next to it takes precedence.
    let build_context = match (&fixture.options.context, path.parent()) {
        (Some(dir), Some(fixture_dir)) => {
            let root = fixture_dir.join(dir);
            if !root.is_dir() {
                return vec![format!("{name}: context={dir}: not a directory")];
            }
            Some(BuildContext::new(root).with_dockerfile(path))
        }
        _ => None,
    };
    let facts = build_context.as_ref().map(BuildContext::facts);
    let diagnostics = lint_with(
        &parse,
        &config,
        facts.as_ref().map(|f| f as &dyn ContextFacts),
    );
    let index = LineIndex::new(text);
    for d in &diagnostics {
        let ranges = std::iter::once(d.range).chain(d.related.iter().map(|r| r.range));
        for range in ranges {
            if let Err(e) = common::check_range(text, &index, range) {
                failures.push(format!("{name}: {}: {e}", d.code));
            }
        }
    }
    for f in check_fixes(text, &parse, &diagnostics, &config) {
        failures.push(format!("{name}: {f}"));
    }
    if let Err(e) = check_fix_all_converges(text, &config) {
        failures.push(format!("{name}: {e}"));
    }

    let actual = annotations(&fixture, &diagnostics);
    let mut expected = fixture.expected.clone();
    expected.sort();
    if actual != expected {
        if common::update_expect() {
            let rewritten = fixture.rewrite(&actual);
            if let Err(e) = std::fs::write(path, rewritten) {
                failures.push(format!("{name}: cannot rewrite: {e}"));
            }
            return failures;
        }
        let mut report = String::new();
        for a in expected.iter().filter(|a| !actual.contains(a)) {
            report.push_str(&format!(
                "  {name}:{}: missing:    {}\n",
                fixture.file_line(a.line),
                a.render(fixture.line_chars(a.line))
            ));
        }
        for a in actual.iter().filter(|a| !expected.contains(a)) {
            report.push_str(&format!(
                "  {name}:{}: unexpected: {}\n",
                fixture.file_line(a.line),
                a.render(fixture.line_chars(a.line))
            ));
        }
        failures.push(format!(
            "{name}: findings differ from the annotations (run `UPDATE_EXPECT=1 cargo test --test fixtures` to accept them):\n{report}{}",
            common::diff_lines(&original, &fixture.rewrite(&actual))
        ));
    }
    failures
}

#[test]
fn rule_fixtures_match_their_annotations() {
    let fixtures = rule_fixtures();
    assert!(!fixtures.is_empty(), "no fixtures under {RULES_DIR}");
    let mut failures = Vec::new();
    for (code, path) in &fixtures {
        match catch_unwind(AssertUnwindSafe(|| run_fixture(code, path))) {
            Ok(f) => failures.extend(f),
            Err(_) => failures.push(format!("{}: panicked", relative(path))),
        }
    }
    println!("{} rule fixtures checked", fixtures.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The `.dockerignore` shown in a part of the docs (a ```dockerignore block), which the doc
/// example of a rule reading the build context is linted with.
fn dockerignore_block(part: &str) -> Option<String> {
    let open = part.find("```dockerignore\n")? + "```dockerignore\n".len();
    let close = part[open..].find("```")?;
    Some(part[open..open + close].to_string())
}

/// The `## Example` part of the docs (up to `Use instead:`) and the `Use instead:` part (up
/// to the next section).
fn example_parts(docs: &str) -> (&str, &str) {
    let Some(start) = docs.find("## Example") else {
        return ("", "");
    };
    let rest = &docs[start..];
    let split = rest.find("Use instead:").unwrap_or(rest.len());
    let (example, use_instead) = rest.split_at(split);
    let end = use_instead.find("\n## ").unwrap_or(use_instead.len());
    (example, &use_instead[..end])
}

/// The fenced ```dockerfile block after `## Example`, and the one after `Use instead:`.
fn doc_examples(docs: &str) -> (Option<String>, Option<String>) {
    fn block_after(text: &str, marker: &str) -> Option<String> {
        let rest = &text[text.find(marker)? + marker.len()..];
        let open = rest.find("```dockerfile\n")? + "```dockerfile\n".len();
        let close = rest[open..].find("```")?;
        Some(rest[open..open + close].to_string())
    }
    let example = block_after(docs, "## Example");
    let use_instead = docs
        .find("## Example")
        .and_then(|at| block_after(&docs[at..], "Use instead:"));
    (example, use_instead)
}

#[test]
fn doc_examples_produce_their_rule_exactly_once() {
    let mut failures = Vec::new();
    let mut n_checked = 0;
    for entry in RULES {
        let meta: &RuleMeta = entry.meta;
        let (example, use_instead) = doc_examples(&meta.docs());
        let Some(example) = example else { continue };
        n_checked += 1;
        // Every rule stays on (an unused-suppression example needs the suppressed rule); the
        // rule itself is turned on when it is off by default, and configured as its
        // `## Options` section shows.
        let mut config = Config::default();
        config
            .overrides
            .push((meta.code.to_string(), meta.default_severity));
        if let Some(yaml) = options_yaml(&meta.docs())
            && let Err(e) = apply_yaml(&mut config, &yaml)
        {
            failures.push(format!("{}: `## Options`: {e}", meta.code));
        }
        // Every example is linted with a build context: an empty one, with the
        // `.dockerignore` its part of the docs shows, if any.
        let docs = meta.docs();
        let (example_part, use_instead_part) = example_parts(&docs);
        let count = |text: &str, part: &str| {
            let ignore = dockerignore_block(part);
            let context = ContextIndex::from_listing(ignore.as_deref(), &[]);
            lint_with(&parse(text), &config, Some(&context))
                .iter()
                .filter(|d| d.code == meta.code || d.merged_codes.contains(&meta.code))
                .count()
        };
        let n = count(&example, example_part);
        if n != 1 {
            failures.push(format!(
                "{}: `## Example` produces it {n} times, expected once:\n{example}",
                meta.code
            ));
        }
        match use_instead {
            Some(fixed) if count(&fixed, use_instead_part) > 0 => failures.push(format!(
                "{}: the `Use instead:` block still produces it:\n{fixed}",
                meta.code
            )),
            Some(_) => {}
            None => failures.push(format!(
                "{}: `## Example` without a `Use instead:` block",
                meta.code
            )),
        }
    }
    println!("{n_checked} doc examples checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Names whatever is missing: fixtures for a rule, true positives, documentation sections,
/// fixtures for codes that do not exist.
#[test]
fn tidy() {
    let mut failures = Vec::new();
    let fixtures = rule_fixtures();
    let codes: Vec<&str> = RULES.iter().map(|e| e.meta.code).collect();

    // Which codes each fixture directory expects, from the annotations.
    let mut annotated: BTreeMap<String, usize> = BTreeMap::new();
    for (_, path) in &fixtures {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        if let Ok(fixture) = Fixture::parse(&text) {
            for a in &fixture.expected {
                *annotated.entry(a.code.clone()).or_default() += 1;
            }
        }
    }
    for entry in RULES {
        let meta = entry.meta;
        let exempt = NO_FIXTURE.iter().any(|(c, _)| *c == meta.code);
        let has_fixture = fixtures.iter().any(|(c, _)| c == meta.code);
        if !exempt && !has_fixture {
            failures.push(format!(
                "{} has no fixture (add {RULES_DIR}/{}/*.Dockerfile)",
                meta.code, meta.code
            ));
        }
        if !exempt && !annotated.contains_key(meta.code) {
            failures.push(format!(
                "{} has no annotated finding in any fixture",
                meta.code
            ));
        }
        if exempt && has_fixture {
            failures.push(format!(
                "{} has a fixture now: remove it from NO_FIXTURE",
                meta.code
            ));
        }

        let docs = meta.docs();
        for section in ["## What it does", "## Why is this bad?"] {
            if !docs.contains(section) {
                failures.push(format!("{} docs lack `{section}`", meta.code));
            }
        }
        let no_example = NO_DOC_EXAMPLE.iter().any(|(c, _)| *c == meta.code);
        let (example, use_instead) = doc_examples(&docs);
        if !no_example && example.is_none() {
            failures.push(format!(
                "{} docs lack `## Example` with a ```dockerfile block",
                meta.code
            ));
        }
        if example.is_some() && use_instead.is_none() {
            failures.push(format!(
                "{} docs lack `Use instead:` with a ```dockerfile block",
                meta.code
            ));
        }
        if docs.matches("```").count() % 2 != 0 {
            failures.push(format!("{} docs have an unclosed code fence", meta.code));
        }
        if meta.fix != FixAvailability::None
            && docs.to_ascii_lowercase().contains("unsafe")
            && !docs.contains("## Fix safety")
        {
            failures.push(format!("{} docs lack `## Fix safety`", meta.code));
        }
    }
    let mut dirs: Vec<&String> = fixtures.iter().map(|(c, _)| c).collect();
    dirs.dedup();
    for dir in dirs {
        if !codes.contains(&dir.as_str()) {
            failures.push(format!("{RULES_DIR}/{dir}: no rule has this code"));
        }
    }
    for code in annotated.keys() {
        if !codes.contains(&code.as_str()) {
            failures.push(format!("annotations mention {code}, which no rule has"));
        }
    }
    if !common::manifest_path("fixtures/README.md").exists() {
        failures.push("fixtures/README.md (the fixture grammar) is missing".to_string());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn annotations_round_trip_through_render_and_parse() {
    for (start_col, end_delta, end_col, chars) in [
        (0, 0, 4, 10),
        (0, 0, 1, 10),
        (0, 0, 0, 10),
        (1, 0, 5, 10),
        (2, 0, 3, 10),
        (5, 0, 5, 10),
        (3, 2, 7, 10),
        (0, 1, 0, 10),
        (10, 0, 11, 10),
    ] {
        let annotation = Annotation {
            line: 3,
            start_col,
            end_line_delta: end_delta,
            end_col,
            code: "DL3000".into(),
            severity: "error".into(),
            message: "a (message) with: colons".into(),
        };
        let rendered = annotation.render(chars);
        let back = Annotation::parse(&rendered, 3);
        assert_eq!(back, Ok(Some(annotation)), "{rendered}");
    }
    assert_eq!(Annotation::parse("# a plain comment", 0), Ok(None));
    assert!(Annotation::parse("#  ^^ no severity", 0).is_err());
}

#[test]
fn fixture_parsing_strips_header_annotations_and_cursor() {
    let fixture = Fixture::parse(
        "# lw-test: select=DL3006,DL3007 no-final-newline\nFROM <|>debian\n#    ^^^^^^ DL3006 warning: untagged\nRUN x\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fixture.text, "FROM debian\nRUN x");
    assert_eq!(fixture.options.select, ["DL3006", "DL3007"]);
    assert_eq!(fixture.cursor, Some(5.into()));
    assert_eq!(fixture.expected.len(), 1);
    let a = &fixture.expected[0];
    assert_eq!((a.line, a.start_col, a.end_col), (0, 5, 11));
    assert_eq!(fixture.file_line(1), 4);
    // Rewriting with the same findings reproduces the file.
    assert_eq!(fixture.rewrite(&fixture.expected), fixture.original);
}
