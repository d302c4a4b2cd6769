//! Property tests for the parser and the linter, with modest case counts (CI has two cores):
//!
//! - arbitrary strings and Dockerfile-shaped text (random keywords and casing, flags, quotes,
//!   variables, JSON arrays, continuations, heredocs, comments, CRLF, tabs, non-ASCII, both
//!   escape characters) parse and lint without panic and round-trip exactly;
//! - every error and diagnostic range lies inside the text on character boundaries and converts
//!   to UTF-16/UTF-32 positions;
//! - every instruction line is recognised as an instruction;
//! - a garbage line between two valid instructions never hides the second one;
//! - generated valid Dockerfiles (continuations with comment and blank lines, heredocs, CRLF,
//!   backtick escape, tabs, indentation, lower-case keywords) have no syntax error and the same
//!   instructions and line ranges as the `parse-dockerfile` crate.
//!
//! `PROPTEST_CASES=20000 cargo test --test properties` runs a longer search locally.

mod common;

use layerwise::config::Config;
use layerwise::diagnostics::lint;
use layerwise::syntax::ast::AstNode;
use layerwise::syntax::{SyntaxKind, parse};
use line_index::LineIndex;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;

/// The number of cases, `PROPTEST_CASES` when set (for long local runs).
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn check_all(text: &str) -> Result<(), TestCaseError> {
    let parse = parse(text);
    prop_assert_eq!(parse.syntax().text().to_string(), text);
    prop_assert_eq!(parse.text(), text);
    let index = LineIndex::new(text);
    for e in parse.errors() {
        if let Err(msg) = common::check_range(text, &index, e.range) {
            return Err(TestCaseError::fail(format!("{}: {msg}", e.code)));
        }
    }
    for d in lint(&parse, &Config::default()) {
        if let Err(msg) = common::check_range(text, &index, d.range) {
            return Err(TestCaseError::fail(format!("{}: {msg}", d.code)));
        }
    }
    Ok(())
}

// ---- Dockerfile-shaped text ----------------------------------------------------------------

fn random_case(word: &'static str) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<bool>(), word.len()).prop_map(move |upper| {
        word.chars()
            .zip(upper)
            .map(|(c, u)| {
                if u {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    })
}

fn keyword() -> impl Strategy<Value = String> {
    let known = prop::sample::select(SyntaxKind::KEYWORDS.to_vec()).prop_flat_map(random_case);
    let unknown = prop::sample::select(vec!["FORM", "RU", "COPPY", "&&", "|", "ÉTAPE", "x"])
        .prop_map(str::to_string);
    prop_oneof![8 => known, 1 => unknown]
}

fn plain_word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9_./:@-]{1,12}",
        Just("alpine:3.20".to_string()),
        Just("AS".to_string()),
        Just("as".to_string()),
        Just("NONE".to_string()),
        Just("CMD".to_string()),
        Just("héllo🐳".to_string()),
        Just("C:\\app\\".to_string()),
        Just("C:\\\\".to_string()),
        Just("a=b".to_string()),
        Just("KEY=\"two words\"".to_string()),
        Just("K='single'".to_string()),
        Just("\"unclosed".to_string()),
        Just("it's".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just("#".to_string()),
        Just("&&".to_string()),
        Just("80/tcp".to_string()),
        Just("=".to_string()),
    ]
}

fn variable() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\$[A-Z_]{1,4}",
        prop::sample::select(vec![
            "${V}",
            "${V:-x}",
            "${V:+x}",
            "${V-x}",
            "${V+x}",
            "${V?x}",
            "${V:?x}",
            "${A:-${B}}",
            "\\$V",
            "${",
            "${V",
            "$",
            "$1",
        ])
        .prop_map(str::to_string),
    ]
}

fn flag() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "--from=build",
            "--chown=1000:1000",
            "--chmod=0755",
            "--chmod=u+x",
            "--link",
            "--link=maybe",
            "--mount=type=cache,target=/root/.cache",
            "--mount=type=secret,id=x",
            "--platform=$BUILDPLATFORM",
            "--network=none",
            "--security=insecure",
            "--exclude=*.md",
            "--parents",
            "--keep-git-dir=true",
            "--checksum=sha256:abc",
            "--interval=30s",
            "--retries=x",
            "--fr",
            "--",
            "--from",
            "--chown=\"a b\"",
        ])
        .prop_map(str::to_string),
        "--[a-z-]{1,8}(=[a-z0-9]{0,4})?",
    ]
}

fn json_array() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[\"a\", \"b\"]".to_string()),
        Just("[]".to_string()),
        Just("[\"esc \\\" aped\", \"\\u00e9\"]".to_string()),
        Just("['single']".to_string()),
        Just("[\"unclosed\"".to_string()),
        Just("[ -f x ]".to_string()),
        Just("[\"a\",]".to_string()),
    ]
}

fn heredoc_marker() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "<<EOF",
        "<<-EOF",
        "<<'EOF'",
        "<<\"EOF\"",
        "3<<EOF",
        "<<END",
        "<<",
        "<<<",
        "cat<<EOF",
    ])
    .prop_map(str::to_string)
}

/// One argument token, or a continuation (`\\c`) the line builder replaces with the escape
/// character and a line ending.
fn arg_token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => plain_word(),
        2 => variable(),
        2 => flag(),
        1 => json_array(),
        1 => heredoc_marker(),
        1 => Just("\u{1}CONT".to_string()),
        1 => Just("\u{1}CONTCOMMENT".to_string()),
        1 => Just("\u{1}CONTBLANK".to_string()),
    ]
}

#[derive(Debug, Clone)]
enum Line {
    Instruction {
        keyword: String,
        args: Vec<String>,
        tab: bool,
        indent: bool,
    },
    Comment(String),
    Blank,
    HeredocBody(Vec<String>, String),
    Raw(String),
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        10 => (keyword(), prop::collection::vec(arg_token(), 0..6), any::<bool>(), any::<bool>())
            .prop_map(|(keyword, args, tab, indent)| Line::Instruction { keyword, args, tab, indent }),
        1 => prop::sample::select(vec![
            "# a comment", "# syntax=docker/dockerfile:1", "# escape=`", "# check=skip=all",
            "#", "  # indented comment", "# hadolint ignore=DL3006",
        ]).prop_map(|c| Line::Comment(c.to_string())),
        1 => Just(Line::Blank),
        2 => (prop::collection::vec("[a-z $\"'{}\\t]{0,10}", 0..3),
              prop::sample::select(vec!["EOF", "\tEOF", "END", "EOF ", "nope"]))
            .prop_map(|(body, end)| Line::HeredocBody(body, end.to_string())),
        1 => "[^\r\n]{0,20}".prop_map(Line::Raw),
    ]
}

#[derive(Debug, Clone)]
struct Shaped {
    bom: bool,
    directive: Option<&'static str>,
    crlf: bool,
    lines: Vec<Line>,
    final_newline: bool,
}

fn shaped() -> impl Strategy<Value = Shaped> {
    (
        any::<bool>(),
        prop::sample::select(vec![None, Some("\\"), Some("`"), Some("x")]),
        any::<bool>(),
        prop::collection::vec(line(), 0..12),
        any::<bool>(),
    )
        .prop_map(|(bom, directive, crlf, lines, final_newline)| Shaped {
            bom,
            directive,
            crlf,
            lines,
            final_newline,
        })
}

impl Shaped {
    fn render(&self) -> String {
        let eol = if self.crlf { "\r\n" } else { "\n" };
        let escape = match self.directive {
            Some("`") => "`",
            _ => "\\",
        };
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        if let Some(d) = self.directive {
            out.push_str(&format!("# escape={d}{eol}"));
        }
        for line in &self.lines {
            match line {
                Line::Instruction {
                    keyword,
                    args,
                    tab,
                    indent,
                } => {
                    if *indent {
                        out.push_str("  ");
                    }
                    out.push_str(keyword);
                    let sep = if *tab { "\t" } else { " " };
                    for arg in args {
                        match arg.as_str() {
                            "\u{1}CONT" => out.push_str(&format!("{sep}{escape}{eol}   ")),
                            "\u{1}CONTCOMMENT" => {
                                out.push_str(&format!("{escape}{eol}# inside{eol}"));
                            }
                            "\u{1}CONTBLANK" => out.push_str(&format!("{sep}{escape}{eol}{eol}")),
                            _ => {
                                out.push_str(sep);
                                out.push_str(arg);
                            }
                        }
                    }
                }
                Line::Comment(c) => out.push_str(c),
                Line::Blank => {}
                Line::HeredocBody(body, end) => {
                    for b in body {
                        out.push_str(b);
                        out.push_str(eol);
                    }
                    out.push_str(end);
                }
                Line::Raw(r) => out.push_str(r),
            }
            out.push_str(eol);
        }
        if !self.final_newline && out.ends_with(eol) {
            out.truncate(out.len() - eol.len());
        }
        out
    }
}

// ---- valid Dockerfiles, for the differential property --------------------------------------

/// An instruction BuildKit accepts, as words; `\u{1}` between words marks where a line
/// continuation may go.
fn valid_instruction() -> impl Strategy<Value = Vec<String>> {
    let words = |v: &[&str]| v.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    prop_oneof![prop::sample::select(vec![
        words(&["FROM", "alpine:3.20", "AS", "build"]),
        words(&["FROM", "--platform=$BUILDPLATFORM", "golang:1.23"]),
        words(&[
            "RUN", "apt-get", "update", "&&", "apt-get", "install", "-y", "curl"
        ]),
        words(&["RUN", "--mount=type=cache,target=/root/.cache", "make"]),
        words(&["RUN", "[\"echo\",", "\"exec\"]"]),
        words(&["COPY", "--from=build", "--chown=1000:1000", "/src", "/dst"]),
        words(&["COPY", "--link", "a", "b", "c/"]),
        words(&["ADD", "https://example.com/a.tar.gz", "/tmp/"]),
        words(&["ENV", "A=1", "B=\"two words\"", "C=${A:-x}"]),
        words(&["ENV", "LEGACY", "value", "with", "words"]),
        words(&["LABEL", "a=b", "\"c\"=\"d e\""]),
        words(&["ARG", "VERSION"]),
        words(&["ARG", "VERSION=1.0"]),
        words(&["EXPOSE", "80/tcp", "443"]),
        words(&["USER", "app"]),
        words(&["WORKDIR", "/srv/app"]),
        words(&["VOLUME", "/data", "/logs"]),
        words(&["VOLUME", "[\"/data\"]"]),
        words(&["CMD", "[\"node\",", "\"server.js\"]"]),
        words(&["CMD", "node", "server.js"]),
        words(&["ENTRYPOINT", "[\"/app\"]"]),
        words(&["HEALTHCHECK", "NONE"]),
        words(&["HEALTHCHECK", "--interval=30s", "CMD", "true"]),
        words(&["ONBUILD", "RUN", "echo", "child"]),
        words(&["STOPSIGNAL", "SIGTERM"]),
        words(&["SHELL", "[\"/bin/sh\",", "\"-c\"]"]),
        words(&["MAINTAINER", "Jane", "Doe"]),
        words(&["RUN", "echo", "\\$NOT", "${V}", "'$SINGLE'"]),
    ]),]
}

#[derive(Debug, Clone, Copy)]
enum Join {
    Space,
    Tab,
    /// `\` at the end of the line, the rest on the next one.
    Continuation,
    /// A continuation with a comment line in between.
    ContinuationComment,
    /// A continuation with a blank line in between (BuildKit warns but accepts it).
    ContinuationBlank,
}

fn join() -> impl Strategy<Value = Join> {
    prop_oneof![
        8 => Just(Join::Space),
        1 => Just(Join::Tab),
        2 => Just(Join::Continuation),
        1 => Just(Join::ContinuationComment),
        1 => Just(Join::ContinuationBlank),
    ]
}

fn valid_dockerfile() -> impl Strategy<Value = String> {
    let instruction = (
        valid_instruction(),
        prop::collection::vec(join(), 12),
        any::<bool>(),
        prop::sample::select(vec![None, Some("<<EOF"), Some("<<-EOT"), Some("<<'EOF'")]),
    );
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(instruction, 1..10),
        prop::collection::vec(prop::sample::select(vec!["", "# comment", "  "]), 10),
    )
        .prop_map(|(crlf, backtick, lower, instructions, between)| {
            let eol = if crlf { "\r\n" } else { "\n" };
            let escape = if backtick { '`' } else { '\\' };
            let mut out = String::new();
            if backtick {
                out.push_str(&format!("# escape=`{eol}"));
            }
            out.push_str(&format!("FROM alpine:3.20{eol}"));
            for (idx, (words, joins, indent, heredoc)) in instructions.iter().enumerate() {
                if *indent {
                    out.push_str("  ");
                }
                let keyword = if lower {
                    words[0].to_ascii_lowercase()
                } else {
                    words[0].clone()
                };
                out.push_str(&keyword);
                // Heredocs belong to the shell form (BuildKit ignores them in a JSON array).
                let heredoc_ok = matches!(words[0].as_str(), "RUN" | "COPY")
                    && words.len() > 2
                    && !words[1].starts_with('[');
                for (n, word) in words[1..].iter().enumerate() {
                    match joins[n] {
                        Join::Space => out.push(' '),
                        Join::Tab => out.push('\t'),
                        Join::Continuation => out.push_str(&format!(" {escape}{eol}    ")),
                        Join::ContinuationComment => {
                            out.push_str(&format!(" {escape}{eol}  # inside{eol}    "));
                        }
                        Join::ContinuationBlank => {
                            out.push_str(&format!(" {escape}{eol}{eol}    "))
                        }
                    }
                    out.push_str(word);
                    if n == 0
                        && heredoc_ok
                        && let Some(marker) = heredoc
                    {
                        out.push(' ');
                        out.push_str(marker);
                    }
                }
                out.push_str(eol);
                if heredoc_ok && let Some(marker) = heredoc {
                    let (tab, name) = if marker.starts_with("<<-") {
                        ("\t", "EOT")
                    } else {
                        ("", "EOF")
                    };
                    out.push_str(&format!(
                        "{tab}echo body{eol}{tab}FROM not an instruction{eol}{tab}{name}{eol}"
                    ));
                }
                out.push_str(between[idx % between.len()]);
                out.push_str(eol);
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings_round_trip(text in any::<String>()) {
        check_all(&text)?;
    }

    #[test]
    fn dockerfile_alphabet_strings_round_trip(text in "[ \\t\\r\\n\\\\`#\\[\\]\"'=${}:,<-]{0,40}[A-Za-z0-9 é🐳]{0,8}") {
        check_all(&text)?;
    }

    #[test]
    fn shaped_text_round_trips_and_keeps_instructions(shaped in shaped()) {
        let text = shaped.render();
        check_all(&text)?;
        let parse = parse(&text);
        if let Err(msg) = common::check_instruction_starts(&text, &parse) {
            return Err(TestCaseError::fail(format!("{msg}\n--- input ---\n{text}")));
        }
    }

    #[test]
    fn valid_dockerfiles_match_parse_dockerfile_without_errors(text in valid_dockerfile()) {
        let errors: Vec<_> = parse(&text).errors().iter().map(|e| (e.code, e.message.clone())).collect();
        prop_assert!(errors.is_empty(), "syntax errors {:?} in a valid Dockerfile:\n{}", errors, text);
        let index = LineIndex::new(&text);
        if let Ok(theirs) = common::oracle::oracle_shapes(&text, &index) {
            let ours = common::oracle::our_shapes(&text, &index);
            prop_assert!(
                ours == theirs,
                "instructions differ from parse-dockerfile (- theirs, + ours):\n{}\n--- input ---\n{}",
                common::diff_lines(&common::oracle::render(&theirs), &common::oracle::render(&ours)),
                text
            );
        }
    }
}

// ---- a broken line never hides the next instruction ----------------------------------------

fn valid_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}(:[0-9]{1,2})?".prop_map(|image| format!("FROM {image}")),
        "[a-z]{1,8}(:[0-9]{1,2})? (AS|as) [a-z]{1,5}".prop_map(|s| format!("FROM {s}")),
        "[a-z ]{1,20}".prop_map(|cmd| format!("RUN echo {cmd}")),
        Just("RUN [\"echo\", \"exec\"]".to_string()),
        Just("run --mount=type=cache,target=/x make".to_string()),
    ]
}

/// Any line that cannot legitimately join the next one: no line continuation at its end and no
/// heredoc opener (both swallow the next line in BuildKit too).
fn garbage_line() -> impl Strategy<Value = String> {
    "[^\r\n]{0,30}".prop_filter("must not continue into the next line", |g| {
        let trimmed = g.trim_end_matches([' ', '\t']);
        !trimmed.ends_with('\\') && !g.contains("<<")
    })
}

fn n_from_run_from(text: &str, offset: usize) -> usize {
    parse(text)
        .tree()
        .instructions()
        .filter(|i| matches!(i.kind(), SyntaxKind::FROM_INSTR | SyntaxKind::RUN_INSTR))
        .filter(|i| usize::from(i.syntax().text_range().start()) >= offset)
        .count()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(256), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_broken_line_never_hides_the_next_instruction(
        first in valid_line(),
        garbage in garbage_line(),
        second in valid_line(),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let clean = format!("{first}{eol}{second}{eol}");
        let broken = format!("{first}{eol}{garbage}{eol}{second}{eol}");
        let clean_second = first.len() + eol.len();
        let broken_second = clean_second + garbage.len() + eol.len();
        prop_assert_eq!(n_from_run_from(&clean, clean_second), 1);
        prop_assert_eq!(
            n_from_run_from(&broken, broken_second),
            1,
            "the garbage line {:?} hid {:?}",
            garbage,
            second
        );
        // The first instruction keeps its kind too.
        let kinds = |t: &str| parse(t).tree().instructions().next().map(|i| i.kind());
        prop_assert_eq!(kinds(&clean), kinds(&broken));
    }
}
