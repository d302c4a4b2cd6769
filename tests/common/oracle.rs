//! The `parse-dockerfile` crate as an oracle: the instructions it sees (keyword, first and last
//! line of the logical line, heredoc bodies excluded) next to the ones our parser sees, for the
//! differential tests.

use layerwise::syntax::parse;
use line_index::{LineIndex, TextSize};
use parse_dockerfile as pd;

/// An instruction as both parsers see it: keyword, first line, last line (1-based).
pub type Shape = (&'static str, u32, u32);

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

/// The line of the last character of `start..end`: spans end after their last byte, and a
/// span ending at a newline counts on its own line.
fn last_line(text: &str, index: &LineIndex, start: usize, end: usize) -> u32 {
    let mut last = end.max(start + 1) - 1;
    while last > start && !text.is_char_boundary(last) {
        last -= 1;
    }
    line_of(index, last)
}

pub fn oracle_shapes(text: &str, index: &LineIndex) -> Result<Vec<Shape>, String> {
    // parse-dockerfile strips a byte order mark and counts offsets from after it.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let dockerfile = pd::parse(&text[bom..]).map_err(|e| e.to_string())?;
    Ok(dockerfile
        .instructions
        .iter()
        .map(|i| {
            let (name, start, end) = oracle_span(i);
            let (start, end) = (start + bom, end + bom);
            (
                name,
                line_of(index, start),
                last_line(text, index, start, end),
            )
        })
        .collect())
}

pub fn our_shapes(text: &str, index: &LineIndex) -> Vec<Shape> {
    let parse = parse(text);
    parse
        .tree()
        .instructions()
        .map(|i| {
            let name = i.kind().keyword().unwrap_or("?");
            let range = i.line_range();
            let (start, end) = (usize::from(range.start()), usize::from(range.end()));
            (
                name,
                line_of(index, start),
                last_line(text, index, start, end),
            )
        })
        .collect()
}

pub fn render(shapes: &[Shape]) -> String {
    shapes
        .iter()
        .map(|(name, start, end)| format!("{name} {start}-{end}\n"))
        .collect()
}
