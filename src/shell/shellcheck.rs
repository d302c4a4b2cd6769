//! ShellCheck's side of RUN instructions, without running it: the scripts hadolint hands to
//! ShellCheck, and the way back from ShellCheck's findings to exact document ranges.
//!
//! [`prepare`] builds one [`Prepared`] job per shell-form RUN (the one inside `ONBUILD` too),
//! assembled as hadolint does: a `#!` line naming the shell in effect (`SHELL`, or a
//! `# hadolint shell=<name>` pragma), an `export NAME=1` line for each of the eight proxy
//! variables and each ENV and ARG name the stage has declared so far (its base stages'
//! included), then the script. RUNs read by a shell ShellCheck does not know (PowerShell, cmd,
//! zsh, fish…) and heredoc bodies with a non-shell `#!` line are skipped. [`parse_json1`]
//! reads ShellCheck's `--format=json1` output, and [`diagnostics`] maps each finding (1-based
//! lines; columns that count characters, a tab being one) back through the prefix and the
//! script's own offset map to the document.
//!
//! Running the binary is IO and lives in `env::shellcheck`. Configuration and pragmas are
//! applied afterwards by `diagnostics::filter_external`, the same filter as for every other
//! finding; this module reports everything ShellCheck said except hadolint's excluded codes.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, OnceLock, PoisonError};

use rowan::{NodeOrToken, TextRange};

use crate::diagnostics::Diagnostic;
use crate::rules::Severity;
use crate::semantic::{
    Model, POSIX_DEFAULT_SHELL, Stage, WINDOWS_DEFAULT_SHELL, parse_shell_pragma,
};
use crate::shell::{Script, is_posix_shebang};
use crate::syntax::Parse;
use crate::syntax::SyntaxKind::*;
use crate::syntax::ast::{self, AstNode};

/// Codes hadolint never reports: SC2187 (ash is checked as dash), SC1090 and SC1091 (they ask
/// for `source` directives, which a Dockerfile cannot give).
pub const EXCLUDED_CODES: &[u32] = &[2187, 1090, 1091];

/// Variables every RUN may use without declaring them: BuildKit passes the proxy settings
/// through.
pub const PROXY_VARIABLES: [&str; 8] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The shell dialects ShellCheck checks (`--shell`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dialect {
    Sh,
    Bash,
    Dash,
    Ksh,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Sh => "sh",
            Dialect::Bash => "bash",
            Dialect::Dash => "dash",
            Dialect::Ksh => "ksh",
        }
    }

    /// The dialect of a shell program (`/bin/bash`, `ash`, `C:\msys\bash.exe`); `None` for a
    /// shell ShellCheck cannot check. `ash` is read as `dash` and BusyBox as `sh`, as ShellCheck
    /// does for those `#!` lines.
    pub fn of_program(program: &str) -> Option<Dialect> {
        let name = program
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(program)
            .to_ascii_lowercase();
        match name.trim_end_matches(".exe") {
            "sh" | "busybox" => Some(Dialect::Sh),
            "bash" => Some(Dialect::Bash),
            "dash" | "ash" => Some(Dialect::Dash),
            "ksh" | "ksh88" | "ksh93" | "mksh" | "pdksh" => Some(Dialect::Ksh),
            _ => None,
        }
    }
}

/// What ShellCheck is asked to check: plain data, so it can cross threads and key a cache.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Job {
    pub dialect: Dialect,
    /// The whole script: `#!` line, exports, then the RUN's script.
    pub text: String,
}

/// A job and what is needed to map its findings back to the document.
pub struct Prepared {
    pub job: Job,
    /// The RUN instruction (its whole range, heredocs included).
    pub instruction_range: TextRange,
    script: Script,
    /// Lines of `job.text` before the script's first line.
    prefix_lines: usize,
}

/// One finding of ShellCheck, as `--format=json1` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// 1-based lines and columns; columns count characters, ends are exclusive.
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub severity: Severity,
    /// `2086` for SC2086.
    pub code: u32,
    pub message: String,
}

/// The shell and the declared names in effect at one point of a stage.
#[derive(Debug, Clone, Default)]
struct StageState {
    /// The shell's argv (`SHELL`) or its name (a pragma).
    shell: Vec<String>,
    env: BTreeSet<String>,
    args: BTreeSet<String>,
    /// What `ONBUILD SHELL/ENV/ARG` set up for the RUNs inside later `ONBUILD`s.
    onbuild_shell: Option<Vec<String>>,
    onbuild_vars: BTreeSet<String>,
}

/// One job per shell-form RUN that ShellCheck can read, in document order.
pub fn prepare(parse: &Parse, model: &Model) -> Vec<Prepared> {
    let mut out = Vec::new();
    // A shell pragma before the first FROM applies to every stage that does not build on
    // another one, as in hadolint.
    let mut default_shell: Option<Vec<String>> = None;
    let mut stages: Vec<StageState> = Vec::new();
    for element in parse.syntax().children_with_tokens() {
        let node = match element {
            NodeOrToken::Token(token) => {
                if token.kind() == COMMENT
                    && let Some(name) = parse_shell_pragma(token.text())
                {
                    match stages.last_mut() {
                        Some(state) => state.shell = vec![name.to_string()],
                        None => default_shell = Some(vec![name.to_string()]),
                    }
                }
                continue;
            }
            NodeOrToken::Node(node) => node,
        };
        let Some(instr) = ast::Instruction::cast(node) else {
            continue;
        };
        if instr.kind() == FROM_INSTR {
            let stage = model.stages.get(stages.len());
            let base = stage.and_then(|s| s.base_stage).and_then(|b| stages.get(b));
            let state = match base {
                Some(base) => base.clone(),
                None => StageState {
                    shell: default_shell
                        .clone()
                        .unwrap_or_else(|| initial_shell(stage)),
                    ..StageState::default()
                },
            };
            stages.push(state);
            continue;
        }
        // Instructions before the first FROM (global ARGs) are not in any stage's scope.
        let Some(state) = stages.last_mut() else {
            continue;
        };
        match instr.kind() {
            ENV_INSTR => state.env.extend(declared_names(&instr)),
            ARG_INSTR => state.args.extend(declared_names(&instr)),
            SHELL_INSTR => {
                if let Some(array) = instr.json_array() {
                    state.shell = array.strings();
                }
            }
            RUN_INSTR => {
                let vars = state.env.union(&state.args).cloned().collect();
                out.extend(prepare_run(&instr, &state.shell, &vars));
            }
            ONBUILD_INSTR => {
                let Some(nested) = instr.nested() else {
                    continue;
                };
                match nested.kind() {
                    ENV_INSTR | ARG_INSTR => state.onbuild_vars.extend(declared_names(&nested)),
                    SHELL_INSTR => {
                        if let Some(array) = nested.json_array() {
                            state.onbuild_shell = Some(array.strings());
                        }
                    }
                    // It runs in a later build on this image, where the stage's ENV values
                    // are set and its ARGs are not.
                    RUN_INSTR => {
                        let shell = state.onbuild_shell.as_ref().unwrap_or(&state.shell);
                        let vars = state.env.union(&state.onbuild_vars).cloned().collect();
                        out.extend(prepare_run(&nested, shell, &vars));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// The shell a stage without a base stage starts with: the model's (the platform default),
/// except that Windows images are also recognised by their tag or by a variable's name
/// (`aspnet:10.0-windowsservercore-ltsc2022`, `${WINDOWS_BASE_IMAGE}`), where hadolint would
/// have ShellCheck read cmd or PowerShell as POSIX shell.
fn initial_shell(stage: Option<&Stage>) -> Vec<String> {
    let Some(stage) = stage else {
        return POSIX_DEFAULT_SHELL.iter().map(|s| s.to_string()).collect();
    };
    let image = stage
        .image_text
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ["windows", "nanoserver", "servercore"]
        .iter()
        .any(|marker| image.contains(marker))
    {
        return WINDOWS_DEFAULT_SHELL
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    stage.initial_shell.clone()
}

fn declared_names(instr: &ast::Instruction) -> impl Iterator<Item = String> {
    instr
        .key_values()
        .map(|kv| kv.key())
        .filter(|name| is_identifier(name))
}

/// A name the shell can expand (`$NAME`); other ENV keys cannot be referenced anyway.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn prepare_run(
    instr: &ast::Instruction,
    shell: &[String],
    vars: &BTreeSet<String>,
) -> Option<Prepared> {
    let script = Script::shell_input(instr)?;
    let mut program = shell.first().map_or("/bin/sh", String::as_str).to_string();
    let mut text = script.text().to_string();
    if let Some(heredoc) = instr.heredocs().next() {
        let body = heredoc.body();
        if body.starts_with("#!") {
            if !is_posix_shebang(&body) {
                return None;
            }
            // The body is the script and names its interpreter, which BuildKit runs: check
            // it in that dialect, with the `#!` line on top where ShellCheck expects it and
            // the body's own one turned into a comment of the same length.
            if text.starts_with("#!") {
                program = shebang_program(&body)?.to_string();
                text.replace_range(..2, "# ");
            }
        }
    }
    let dialect = Dialect::of_program(&program)?;
    let mut prefix = format!("#!{program}\n");
    let proxies = PROXY_VARIABLES.iter().map(|v| v.to_string());
    let names: BTreeSet<String> = vars.iter().cloned().chain(proxies).collect();
    for name in &names {
        prefix.push_str("export ");
        prefix.push_str(name);
        prefix.push_str("=1\n");
    }
    let prefix_lines = names.len() + 1;
    prefix.push_str(&text);
    Some(Prepared {
        job: Job {
            dialect,
            text: prefix,
        },
        instruction_range: instr.syntax().text_range(),
        script,
        prefix_lines,
    })
}

/// The interpreter of a `#!` line, looking through `env`: `#!/usr/bin/env bash` → `bash`.
fn shebang_program(body: &str) -> Option<&str> {
    let first = body.lines().next()?.strip_prefix("#!")?;
    let mut words = first.split_whitespace();
    let program = words.next()?;
    if program.rsplit('/').next() == Some("env") {
        return words.find(|w| !w.starts_with('-'));
    }
    Some(program)
}

/// Reads `shellcheck --format=json1` output.
pub fn parse_json1(text: &str) -> Result<Vec<Comment>, String> {
    #[derive(serde::Deserialize)]
    struct Output {
        comments: Vec<RawComment>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct RawComment {
        line: u32,
        column: u32,
        end_line: u32,
        end_column: u32,
        level: String,
        code: u32,
        message: String,
    }
    let output: Output = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(output
        .comments
        .into_iter()
        .map(|c| Comment {
            line: c.line,
            column: c.column,
            end_line: c.end_line,
            end_column: c.end_column,
            // Severity maps one to one; anything unknown counts as an error, as in hadolint.
            severity: Severity::parse(&c.level).unwrap_or(Severity::Error),
            code: c.code,
            message: c.message,
        })
        .collect())
}

/// ShellCheck's findings for one job as diagnostics at their exact document ranges. Excluded
/// codes, and findings that fall in the prefix (they are about our `export` lines, not the
/// user's script), are dropped.
pub fn diagnostics(prepared: &Prepared, comments: &[Comment]) -> Vec<Diagnostic> {
    let text = prepared.script.text();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(idx, _)| idx + 1))
        .collect();
    let offset = |line: u32, column: u32| {
        let line_idx = (line as usize).checked_sub(prepared.prefix_lines + 1)?;
        let Some(&start) = line_starts.get(line_idx) else {
            // Past the last line (an unexpected end of input): the end of the script.
            return Some(text.len());
        };
        let end = text[start..]
            .find('\n')
            .map_or(text.len(), |idx| start + idx);
        let chars_before = (column as usize).saturating_sub(1);
        Some(
            text[start..end]
                .char_indices()
                .nth(chars_before)
                .map_or(end, |(idx, _)| start + idx),
        )
    };
    let mut out = Vec::new();
    for comment in comments {
        if EXCLUDED_CODES.contains(&comment.code) {
            continue;
        }
        let Some(code) = code_str(comment.code) else {
            continue;
        };
        let Some(start) = offset(comment.line, comment.column) else {
            continue;
        };
        let end = offset(comment.end_line, comment.end_column)
            .unwrap_or(start)
            .max(start);
        out.push(Diagnostic::external(
            code,
            comment.severity,
            prepared.script.to_document(start, end),
            comment.message.clone(),
        ));
    }
    out
}

/// `SC2086` for 2086, as the `&'static str` a [`Diagnostic`] carries. Each code's string is
/// made once and kept for the life of the process: at most 9,000 short strings, since
/// ShellCheck's codes have four digits (others are refused).
pub fn code_str(number: u32) -> Option<&'static str> {
    static CODES: OnceLock<Mutex<HashMap<u32, &'static str>>> = OnceLock::new();
    if !(1000..=9999).contains(&number) {
        return None;
    }
    let mut codes = CODES
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    Some(
        codes
            .entry(number)
            .or_insert_with(|| Box::leak(format!("SC{number}").into_boxed_str())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn prepared(text: &str) -> Vec<Prepared> {
        let parse = parse(text);
        let model = Model::new(&parse.tree());
        prepare(&parse, &model)
    }

    /// The script part of each job (after the prefix), with its dialect.
    fn scripts(text: &str) -> Vec<(Dialect, String)> {
        prepared(text)
            .iter()
            .map(|p| {
                let script = p
                    .job
                    .text
                    .splitn(p.prefix_lines + 1, '\n')
                    .last()
                    .unwrap_or_default();
                (p.job.dialect, script.to_string())
            })
            .collect()
    }

    fn exports(job: &Job) -> Vec<&str> {
        job.text
            .lines()
            .filter_map(|l| l.strip_prefix("export "))
            .filter_map(|l| l.strip_suffix("=1"))
            .filter(|name| !PROXY_VARIABLES.contains(name))
            .collect()
    }

    /// A json1 comment on the script's `line` (1-based, after the prefix).
    fn comment(p: &Prepared, code: u32, line: u32, cols: (u32, u32)) -> Comment {
        let line = line + p.prefix_lines as u32;
        Comment {
            line,
            column: cols.0,
            end_line: line,
            end_column: cols.1,
            severity: Severity::Info,
            code,
            message: format!("message {code}"),
        }
    }

    /// The document text under each diagnostic.
    fn mapped<'a>(
        doc: &'a str,
        p: &Prepared,
        comments: &[Comment],
    ) -> Vec<(&'static str, &'a str)> {
        diagnostics(p, comments)
            .iter()
            .map(|d| (d.code, &doc[d.range]))
            .collect()
    }

    #[test]
    fn assembles_the_script_as_hadolint_does() {
        let text = "ARG GLOBAL\nFROM debian:12 AS base\nENV B=1 A=2\nARG CI\nRUN echo $A\nENV LATER=1\nFROM base\nRUN echo 2\n";
        let jobs = prepared(text);
        assert_eq!(jobs.len(), 2);
        let first = &jobs[0].job;
        assert_eq!(first.dialect, Dialect::Sh);
        let lines: Vec<&str> = first.text.lines().collect();
        assert_eq!(lines[0], "#!/bin/sh");
        // Sorted, as hadolint's set of names; the proxies included.
        assert_eq!(lines[1], "export A=1");
        assert_eq!(lines.len(), 1 + 3 + 8 + 1);
        assert_eq!(lines.last(), Some(&"echo $A"));
        assert_eq!(exports(first), ["A", "B", "CI"]);
        // Not the global ARG; the base stage's names, all of them, in the derived stage.
        assert_eq!(exports(&jobs[1].job), ["A", "B", "CI", "LATER"]);
    }

    #[test]
    fn the_shell_comes_from_shell_and_pragmas() {
        let text = "FROM a AS one\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN x\nFROM one\nRUN y\nFROM b\nRUN z\n# hadolint shell=ksh\nRUN w\nSHELL [\"/bin/ash\", \"-c\"]\nRUN v\n";
        let dialects: Vec<(Dialect, String)> = scripts(text);
        assert_eq!(
            dialects,
            [
                (Dialect::Bash, "x".to_string()),
                (Dialect::Bash, "y".to_string()),
                (Dialect::Sh, "z".to_string()),
                (Dialect::Ksh, "w".to_string()),
                (Dialect::Dash, "v".to_string()),
            ]
        );
        let jobs = prepared(text);
        assert!(jobs[0].job.text.starts_with("#!/bin/bash\n"));
        assert!(jobs[3].job.text.starts_with("#!ksh\n"));
        // Before the first FROM, a pragma sets every stage's default.
        let text = "# hadolint shell=bash\nFROM a\nRUN x\nFROM b\nRUN y\n";
        assert!(scripts(text).iter().all(|(d, _)| *d == Dialect::Bash));
    }

    #[test]
    fn skips_what_shellcheck_cannot_read() {
        // PowerShell by SHELL and by pragma, cmd by a Windows base image, zsh, exec form.
        let text = "FROM a\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Item\nFROM b\n# hadolint shell=powershell\nRUN x\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\nFROM mcr.microsoft.com/dotnet/aspnet:10.0-nanoserver-ltsc2022\nRUN dir\nFROM ${WINDOWS_BASE}:${TAG}\nRUN dir\nFROM c\nSHELL [\"/bin/zsh\", \"-c\"]\nRUN y\nFROM d\nRUN [\"echo\", \"x\"]\n";
        assert!(scripts(text).is_empty(), "{:?}", scripts(text));
        // A heredoc body for another interpreter; a shell one is checked in its dialect.
        let text = "FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\nRUN <<EOF\n#!/usr/bin/env bash\necho $x\nEOF\n";
        assert_eq!(
            scripts(text),
            [(Dialect::Bash, "# /usr/bin/env bash\necho $x\n".to_string())]
        );
        assert!(prepared(text)[0].job.text.starts_with("#!bash\n"));
    }

    #[test]
    fn onbuild_runs_are_checked_with_onbuild_declarations() {
        let text = "FROM a\nENV A=1\nARG C\nONBUILD ENV B=2\nONBUILD RUN echo $B\nRUN echo $A\n";
        let jobs = prepared(text);
        assert_eq!(jobs.len(), 2);
        // ARGs do not reach the later build that runs the ONBUILD RUN; ENV values do.
        assert_eq!(exports(&jobs[0].job), ["A", "B"]);
        assert_eq!(exports(&jobs[1].job), ["A", "C"]);
    }

    #[test]
    fn data_heredocs_follow_the_command_line() {
        let text = "FROM a\nRUN cat <<EOF > /x && \\\n  echo $y\nbody $z\nEOF\n";
        assert_eq!(
            scripts(text),
            [(
                Dialect::Sh,
                "cat <<EOF > /x &&   echo $y\nbody $z\nEOF".to_string()
            )]
        );
        let jobs = prepared(text);
        let p = &jobs[0];
        let found = mapped(
            text,
            p,
            &[comment(p, 2154, 1, (26, 28)), comment(p, 2154, 2, (6, 8))],
        );
        assert_eq!(found, [("SC2154", "$y"), ("SC2154", "$z")]);
    }

    #[test]
    fn maps_positions_through_continuations() {
        let text = "FROM a\nRUN cd /tmp \\\n    # a comment\n    && echo $HOME/$x\n";
        let jobs = prepared(text);
        let p = &jobs[0];
        // The script is one line, the blanks of both lines kept:
        // `cd /tmp         && echo $HOME/$x`.
        let found = mapped(
            text,
            p,
            &[comment(p, 2164, 1, (1, 8)), comment(p, 2086, 1, (31, 33))],
        );
        assert_eq!(found, [("SC2164", "cd /tmp"), ("SC2086", "$x")]);
        // A range across the removed continuation and comment line covers them.
        let across = mapped(text, p, &[comment(p, 2015, 1, (4, 19))]);
        assert_eq!(across, [("SC2015", "/tmp \\\n    # a comment\n    &&")]);
    }

    #[test]
    fn maps_positions_with_tabs_and_multibyte_characters() {
        // json1 columns count characters, a tab as one.
        let text = "FROM a\nRUN <<EOF\n\tcd é😀 && echo $x\n\t\techo ü$y\nEOF\n";
        let jobs = prepared(text);
        let p = &jobs[0];
        let found = mapped(
            text,
            p,
            &[
                comment(p, 2164, 1, (2, 7)),
                comment(p, 2086, 1, (16, 18)),
                comment(p, 2086, 2, (9, 11)),
            ],
        );
        assert_eq!(
            found,
            [("SC2164", "cd é😀"), ("SC2086", "$x"), ("SC2086", "$y")]
        );
    }

    #[test]
    fn drops_excluded_codes_prefix_findings_and_clamps_the_rest() {
        let text = "FROM a\nRUN . ./env.sh && echo $x\n";
        let jobs = prepared(text);
        let p = &jobs[0];
        let mut in_prefix = comment(p, 2034, 0, (1, 5));
        in_prefix.line = 2;
        in_prefix.end_line = 2;
        let past_end = Comment {
            line: 9 + p.prefix_lines as u32,
            end_line: 9 + p.prefix_lines as u32,
            ..comment(p, 1009, 1, (1, 1))
        };
        let beyond_line = comment(p, 2086, 1, (20, 99));
        let found = mapped(
            text,
            p,
            &[
                comment(p, 1091, 1, (3, 11)),
                in_prefix,
                past_end,
                beyond_line,
                comment(p, 99999, 1, (1, 2)),
            ],
        );
        assert_eq!(found, [("SC1009", ""), ("SC2086", "$x")]);
    }

    #[test]
    fn reads_json1() {
        let output = r#"{"comments":[{"file":"-","line":11,"endLine":11,"column":6,"endColumn":8,"level":"info","code":2086,"message":"Double quote to prevent globbing and word splitting.","fix":{"replacements":[]}},{"file":"-","line":11,"endLine":11,"column":1,"endColumn":5,"level":"style","code":2164,"message":"m","fix":null}]}"#;
        let comments = parse_json1(output).unwrap_or_default();
        assert_eq!(comments.len(), 2);
        assert_eq!(
            (comments[0].code, comments[0].severity, comments[0].column),
            (2086, Severity::Info, 6)
        );
        assert_eq!(comments[1].severity, Severity::Style);
        assert!(parse_json1("not json").is_err());
        assert_eq!(parse_json1(r#"{"comments":[]}"#), Ok(Vec::new()));
    }

    #[test]
    fn codes_are_made_once() {
        assert_eq!(code_str(2086), Some("SC2086"));
        assert!(std::ptr::eq(
            code_str(2086).unwrap_or_default(),
            code_str(2086).unwrap_or_default()
        ));
        assert_eq!(code_str(12), None);
    }
}
