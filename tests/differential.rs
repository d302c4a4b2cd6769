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

use layerwise::syntax::{SyntaxKind, parse};
use line_index::{LineIndex, TextSize};
use parse_dockerfile as pd;

const CORPUS_DIR: &str = "../shared/corpus/real";
const ALLOWLIST: &str = "fixtures/corpus/differential-allowlist.tsv";

/// An instruction as both parsers see it: keyword, first line, last line (1-based).
type Shape = (&'static str, u32, u32);

fn span_max(acc: &mut usize, span: &std::ops::Range<usize>) {
    *acc = (*acc).max(span.end);
}

fn command_end(acc: &mut usize, command: &pd::Command<'_>) {
    match command {
        pd::Command::Exec(s) => span_max(acc, &s.span),
        pd::Command::Shell(s) => span_max(acc, &s.span),
        _ => {}
    }
}

/// Keyword, start offset and end offset (heredoc bodies excluded) of a `parse-dockerfile`
/// instruction.
fn oracle_span(instruction: &pd::Instruction<'_>) -> (&'static str, usize, usize) {
    use pd::Instruction as I;
    let mut end = 0;
    let flags = |end: &mut usize, flags: &[pd::Flag<'_>]| {
        for f in flags {
            span_max(end, &f.span());
        }
    };
    let (name, keyword) = match instruction {
        I::Add(i) => {
            flags(&mut end, &i.options);
            for s in &i.src {
                if let pd::Source::Path(p) = s {
                    span_max(&mut end, &p.span);
                }
            }
            span_max(&mut end, &i.dest.span);
            ("ADD", &i.add)
        }
        I::Copy(i) => {
            flags(&mut end, &i.options);
            for s in &i.src {
                if let pd::Source::Path(p) = s {
                    span_max(&mut end, &p.span);
                }
            }
            span_max(&mut end, &i.dest.span);
            ("COPY", &i.copy)
        }
        I::Arg(i) => {
            span_max(&mut end, &i.arguments.span);
            ("ARG", &i.arg)
        }
        I::Cmd(i) => {
            command_end(&mut end, &i.arguments);
            ("CMD", &i.cmd)
        }
        I::Entrypoint(i) => {
            command_end(&mut end, &i.arguments);
            ("ENTRYPOINT", &i.entrypoint)
        }
        I::Env(i) => {
            span_max(&mut end, &i.arguments.span);
            ("ENV", &i.env)
        }
        I::Expose(i) => {
            for a in &i.arguments {
                span_max(&mut end, &a.span);
            }
            ("EXPOSE", &i.expose)
        }
        I::From(i) => {
            flags(&mut end, &i.options);
            span_max(&mut end, &i.image.span);
            if let Some((kw, name)) = &i.as_ {
                span_max(&mut end, &kw.span);
                span_max(&mut end, &name.span);
            }
            ("FROM", &i.from)
        }
        I::Healthcheck(i) => {
            flags(&mut end, &i.options);
            match &i.arguments {
                pd::HealthcheckArguments::Cmd { cmd, arguments, .. } => {
                    span_max(&mut end, &cmd.span);
                    command_end(&mut end, arguments);
                }
                pd::HealthcheckArguments::None { none, .. } => span_max(&mut end, &none.span),
                _ => {}
            }
            ("HEALTHCHECK", &i.healthcheck)
        }
        I::Label(i) => {
            span_max(&mut end, &i.arguments.span);
            ("LABEL", &i.label)
        }
        I::Maintainer(i) => {
            span_max(&mut end, &i.name.span);
            ("MAINTAINER", &i.maintainer)
        }
        I::Onbuild(i) => {
            let (_, _, nested_end) = oracle_span(&i.instruction);
            end = end.max(nested_end);
            ("ONBUILD", &i.onbuild)
        }
        I::Run(i) => {
            flags(&mut end, &i.options);
            command_end(&mut end, &i.arguments);
            ("RUN", &i.run)
        }
        I::Shell(i) => {
            for a in &i.arguments {
                span_max(&mut end, &a.span);
            }
            ("SHELL", &i.shell)
        }
        I::Stopsignal(i) => {
            span_max(&mut end, &i.arguments.span);
            ("STOPSIGNAL", &i.stopsignal)
        }
        I::User(i) => {
            span_max(&mut end, &i.arguments.span);
            ("USER", &i.user)
        }
        I::Volume(i) => {
            match &i.arguments {
                pd::JsonOrStringArray::Json(s) => span_max(&mut end, &s.span),
                pd::JsonOrStringArray::String(v) => {
                    for a in v {
                        span_max(&mut end, &a.span);
                    }
                }
            }
            ("VOLUME", &i.volume)
        }
        I::Workdir(i) => {
            span_max(&mut end, &i.arguments.span);
            ("WORKDIR", &i.workdir)
        }
        _ => ("?", &i_keyword_fallback()),
    };
    let end = end.max(keyword.span.end);
    (name, keyword.span.start, end)
}

/// `Instruction` is non-exhaustive; a future variant shows up as `?` and fails the comparison
/// loudly rather than silently.
fn i_keyword_fallback() -> pd::Keyword {
    pd::parse("FROM a\n")
        .ok()
        .and_then(|d| match d.instructions.into_iter().next() {
            Some(pd::Instruction::From(f)) => Some(f.from),
            _ => None,
        })
        .unwrap_or_else(|| panic!("parse-dockerfile cannot parse `FROM a`"))
}

fn line_of(index: &LineIndex, offset: usize) -> u32 {
    index.line_col(TextSize::new(offset as u32)).line + 1
}

fn oracle_shapes(text: &str, index: &LineIndex) -> Result<Vec<Shape>, String> {
    let dockerfile = pd::parse(text).map_err(|e| e.to_string())?;
    Ok(dockerfile
        .instructions
        .iter()
        .map(|i| {
            let (name, start, end) = oracle_span(i);
            // Spans end after the last byte; step back so a span ending at a newline counts on
            // its own line.
            (
                name,
                line_of(index, start),
                line_of(index, end.max(start + 1) - 1),
            )
        })
        .collect())
}

fn our_shapes(text: &str, index: &LineIndex) -> Vec<Shape> {
    let parse = parse(text);
    parse
        .tree()
        .instructions()
        .map(|i| {
            let name = i.kind().keyword().unwrap_or("?");
            let range = i.line_range();
            let start = usize::from(range.start());
            let end = usize::from(range.end()).max(start + 1) - 1;
            (name, line_of(index, start), line_of(index, end))
        })
        .collect()
}

fn render(shapes: &[Shape]) -> String {
    shapes
        .iter()
        .map(|(name, start, end)| format!("{name} {start}-{end}\n"))
        .collect()
}

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
    // `SyntaxKind` is only used through `keyword()`; keep the import honest.
    let _ = SyntaxKind::FROM_INSTR;
}
