//! DL4006: a pipe in RUN without `pipefail`.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` with a pipe (`a | b`) when the shell is not set to fail on errors inside
    /// the pipe (`-o pipefail`).
    ///
    /// ## Why is this bad?
    /// A pipeline's status is the status of its *last* command. In
    /// `RUN curl -fsSL https://example.com/install.sh | sh`, a failed download pipes nothing to
    /// `sh`, which succeeds, and the build goes on without the software. With `pipefail` the
    /// RUN fails as it should.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN curl -fsSL https://example.com/key.asc | gpg --dearmor -o /usr/share/keyrings/example.gpg
    /// ```
    ///
    /// ## Fix safety
    /// The fix inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN. It is
    /// unsafe: the image must have bash (Alpine and distroless images do not), and every later
    /// RUN of the stage then runs under bash.
    ///
    /// ## Notes
    /// A `SHELL` with `-o pipefail` for bash, zsh or ash (by basename, so `/usr/bin/bash` counts)
    /// earlier in the stage or in the stage it builds on, or a `set -o pipefail` earlier in the
    /// same RUN, satisfies the rule. PowerShell and cmd shells switch it off.
    ///
    /// ## References
    /// Matches hadolint's DL4006, with two differences where hadolint 2.15 is wrong: the shell
    /// is compared by basename (fixed upstream after 2.15.1), and `set -o pipefail` inside the
    /// RUN is honoured.
    pub static DL4006 = {
        code: "DL4006",
        name: "pipe-without-pipefail",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Clone, Copy, Default)]
struct ShellState {
    pipefail: bool,
    non_posix: bool,
}

#[derive(Default)]
pub struct PipeWithoutPipefail {
    /// The shell state at the end of each stage so far, by stage index.
    stages: Vec<ShellState>,
}

impl PipeWithoutPipefail {
    fn current(&mut self) -> &mut ShellState {
        if self.stages.is_empty() {
            self.stages.push(ShellState::default());
        }
        let last = self.stages.len() - 1;
        &mut self.stages[last]
    }
}

impl Rule for PipeWithoutPipefail {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        match instr.kind() {
            SyntaxKind::FROM_INSTR => {
                let idx = ctx.stage_idx.unwrap_or(0);
                let inherited = ctx
                    .model
                    .stages
                    .get(idx)
                    .and_then(|s| s.base_stage)
                    .and_then(|base| self.stages.get(base).copied())
                    .unwrap_or_default();
                self.stages.truncate(idx);
                self.stages.push(inherited);
            }
            SyntaxKind::SHELL_INSTR => {
                let Some(array) = instr.json_array() else {
                    return;
                };
                *self.current() = shell_state(&array.strings());
            }
            SyntaxKind::RUN_INSTR => {
                let state = *self.current();
                if state.pipefail || state.non_posix || !ctx.posix_shell {
                    return;
                }
                let Some(script) = &ctx.script else { return };
                let set_pipefail_at = ctx
                    .commands_named("set")
                    .filter(|c| c.args.iter().any(|a| a.text == "pipefail"))
                    .map(|c| c.range.start())
                    .min();
                let Some(pipe) = script
                    .pipe_operators()
                    .into_iter()
                    .find(|p| set_pipefail_at.is_none_or(|set| p.start() < set))
                else {
                    return;
                };
                let start = instr.syntax().text_range().start();
                // Keep the file's line endings.
                let crlf = crate::syntax::text_of(&ctx.parse.syntax()).contains("\r\n");
                let newline = if crlf { "\r\n" } else { "\n" };
                acc.push(
                    Diagnostic::new(
                        &DL4006,
                        pipe,
                        "a pipeline fails only when its last command fails: set `-o pipefail` with SHELL before this RUN",
                    )
                    .with_fix(Fix::unsafe_(
                        "Insert `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN",
                        vec![Edit::insert(start, format!("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]{newline}"))],
                    )),
                );
            }
            _ => {}
        }
    }
}

fn shell_state(argv: &[String]) -> ShellState {
    let program = argv
        .first()
        .map(|p| {
            p.rsplit(['/', '\\'])
                .next()
                .unwrap_or(p)
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let program = program.trim_end_matches(".exe");
    if program.contains("pwsh") || program.contains("powershell") || program == "cmd" {
        return ShellState {
            pipefail: false,
            non_posix: true,
        };
    }
    let supports = matches!(program, "bash" | "zsh" | "ash");
    let sets_pipefail = argv
        .windows(2)
        .any(|w| w[0].starts_with('-') && w[0].ends_with('o') && w[1] == "pipefail");
    ShellState {
        pipefail: supports && sets_pipefail,
        non_posix: false,
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn pipefail() {
        check_ranges("FROM a:1\nRUN a | b\n", &[("DL4006", "|")]);
        check_codes(
            "FROM a:1\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            &[],
        );
        check_codes(
            "FROM a:1\nSHELL [\"/usr/bin/bash\", \"-euxo\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            &[],
        );
        check_codes(
            "FROM a:1\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\n",
            &["DL4006"],
        );
        check_codes("FROM a:1\nSHELL [\"pwsh\", \"-c\"]\nRUN a | b\n", &[]);
        check_codes("FROM a:1\nRUN set -eux -o pipefail; a | b\n", &[]);
        check_codes("FROM a:1\nRUN echo 'a | b' && a || b\n", &[]);
        check_codes(
            "FROM a:1 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN a | b\nFROM a:1\nRUN c | d\n",
            &["DL4006"],
        );
    }
}
