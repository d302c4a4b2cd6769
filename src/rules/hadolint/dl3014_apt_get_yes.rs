//! DL3014: `apt-get install` without `-y`.

use rowan::TextRange;

use super::util::{count_short_flag, has_flag, positional_args};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `-y` (or `--yes`, `--assume-yes`, `-qq`).
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer apt's "Do you want to continue?" prompt. Without `-y`
    /// the install aborts as soon as it needs to ask, which depends on what is already
    /// installed: the build may work today and fail after a base image update.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get install --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it only answers the prompt the build cannot answer.
    ///
    /// ## References
    /// Matches hadolint's DL3014 (two `-q`, `-qq` and `-q=2` also count as assent).
    pub static DL3014 = {
        code: "DL3014",
        name: "apt-get-missing-yes",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct AptGetYes;

impl Rule for AptGetYes {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("apt-get") {
            let positional =
                positional_args(cmd, &["-t", "--target-release", "-o", "--option", "-c"]);
            let Some(sub) = positional.first().filter(|w| w.text == "install") else {
                continue;
            };
            let quiet_enough = count_short_flag(cmd, 'q')
                + cmd.args.iter().filter(|a| a.text == "--quiet").count()
                >= 2
                || cmd.has_arg("-q=2")
                || cmd.has_arg("--quiet=2");
            if has_flag(cmd, &["-y", "--yes", "--assume-yes"]) || quiet_enough {
                continue;
            }
            let range = TextRange::new(cmd.name.range.start(), sub.range.end());
            acc.push(
                Diagnostic::new(
                    &DL3014,
                    range,
                    "`apt-get install` without `-y` stops at the confirmation prompt",
                )
                .with_fix(Fix::safe(
                    "Add `-y`",
                    vec![Edit::insert(sub.range.end(), " -y")],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn yes() {
        let run = |s: &str| format!("FROM a:1\nRUN apt-get {s} --no-install-recommends x=1\n");
        check_codes(&run("install"), &["DL3014"]);
        for ok in [
            "install -y",
            "-y install",
            "install --yes",
            "install -qq",
            "-q -q install",
            "install -q=2",
            "install -qy",
        ] {
            check_codes(&run(ok), &[]);
        }
        check_fix(&run("install"), "DL3014", &run("install -y"));
    }
}
