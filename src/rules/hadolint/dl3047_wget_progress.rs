//! DL3047: `wget` printing a progress bar into the build log.

use super::util::has_flag;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `wget` without `--progress` or an option that changes its output (`-q`/`--quiet`,
    /// `-nv`/`--no-verbose`, `-o`/`--output-file`, `-a`/`--append-output`).
    ///
    /// ## Why is this bad?
    /// Without a terminal, wget falls back to printing a line of dots for every few kilobytes.
    /// Downloading a large file then floods the build log with thousands of lines, which
    /// hides the output that matters and can slow down or truncate CI logs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN wget https://example.com/app.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN wget --progress=dot:giga https://example.com/app.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// The fix adds `--progress=dot:giga`, which only changes what GNU wget prints. It is
    /// unsafe because the BusyBox `wget` of Alpine and other small images does not know the
    /// option and fails; use `-q` there instead.
    ///
    /// ## References
    /// Matches hadolint's DL3047, including inside `ONBUILD`.
    pub static DL3047 = {
        code: "DL3047",
        name: "wget-without-progress",
        origin: Hadolint,
        severity: Info,
        fix: Always,
    }
}

#[derive(Default)]
pub struct WgetProgress;

impl Rule for WgetProgress {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("wget") {
            let quiet = has_flag(
                cmd,
                &[
                    "--progress",
                    "-q",
                    "--quiet",
                    "-nv",
                    "--no-verbose",
                    "-o",
                    "--output-file",
                    "-a",
                    "--append-output",
                ],
            );
            if quiet {
                continue;
            }
            acc.push(
                Diagnostic::new(
                    &DL3047,
                    cmd.name.range,
                    "`wget` without `--progress` fills the build log with progress dots",
                )
                .with_fix(Fix::unsafe_(
                    "Add `--progress=dot:giga`",
                    vec![Edit::insert(cmd.name.range.end(), " --progress=dot:giga")],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn progress() {
        check_ranges(
            "FROM a:1\nRUN /usr/bin/wget -O /tmp/x https://x\n",
            &[("DL3047", "/usr/bin/wget")],
        );
        for ok in [
            "wget --progress=bar:force https://x",
            "wget -q https://x",
            "wget -qO- https://x",
            "wget --quiet https://x",
            "wget -nv https://x",
            "wget --no-verbose https://x",
            "wget -o /tmp/log https://x",
            "wget --output-file=/tmp/log https://x",
            "wget -a /tmp/log https://x",
        ] {
            check_codes(&format!("FROM a:1\nRUN {ok}\n"), &[]);
        }
        check_codes("FROM a:1\nONBUILD RUN wget https://x\n", &["DL3047"]);
        check_fix(
            "FROM a:1\nRUN wget https://x\n",
            "DL3047",
            "FROM a:1\nRUN wget --progress=dot:giga https://x\n",
        );
    }
}
