//! DL3034: zypper commands that may prompt, without `--non-interactive`.

use super::util::{ZYPPER_FLAGS_WITH_VALUES, has_flag, invocation_range, positional_args};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a zypper command that asks for confirmation (`install`, `remove`,
    /// `source-install`, `patch` and their short forms) when neither `-n`/`--non-interactive`
    /// nor `-y`/`--no-confirm` is given.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer zypper's "Continue? [y/n]" prompt. Without a
    /// non-interactive option the RUN aborts as soon as zypper has something to confirm.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper install curl=8.6.0 && zypper clean
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 && zypper clean
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--non-interactive` after `zypper` is safe: zypper then takes the default answer
    /// to each question, which for an install is to go ahead and for a conflict is to stop,
    /// instead of waiting for input the build cannot give.
    ///
    /// ## References
    /// Matches hadolint's DL3034, including inside `ONBUILD`.
    pub static DL3034 = {
        code: "DL3034",
        name: "zypper-missing-non-interactive",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

const PROMPTING: &[&str] = &[
    "install",
    "in",
    "remove",
    "rm",
    "source-install",
    "si",
    "patch",
];

#[derive(Default)]
pub struct ZypperInteractive;

impl Rule for ZypperInteractive {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("zypper") {
            let positional = positional_args(cmd, ZYPPER_FLAGS_WITH_VALUES);
            let Some(sub) = positional
                .first()
                .filter(|w| PROMPTING.contains(&w.text.as_str()))
            else {
                continue;
            };
            if has_flag(cmd, &["-n", "--non-interactive", "-y", "--no-confirm"]) {
                continue;
            }
            acc.push(
                Diagnostic::new(
                    &DL3034,
                    invocation_range(cmd, sub),
                    format!(
                        "`zypper {}` without `--non-interactive` stops at the confirmation prompt",
                        sub.text
                    ),
                )
                .with_fix(Fix::safe(
                    "Add `--non-interactive`",
                    vec![Edit::insert(cmd.name.range.end(), " --non-interactive")],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn non_interactive() {
        let run = |s: &str| format!("FROM a:1\nRUN zypper {s} x=1 && zypper clean\n");
        check_ranges(&run("install"), &[("DL3034", "zypper install")]);
        for sub in ["in", "remove", "rm", "si", "patch", "--root /x in"] {
            check_codes(&run(sub), &["DL3034"]);
        }
        for ok in [
            "-n install",
            "--non-interactive in",
            "install -y",
            "in --no-confirm",
        ] {
            check_codes(&run(ok), &[]);
        }
        check_codes("FROM a:1\nRUN zypper refresh\n", &[]);
        check_codes(
            "FROM a:1\nONBUILD RUN zypper in x=1 && zypper clean\n",
            &["DL3034"],
        );
        check_fix(&run("install"), "DL3034", &run("--non-interactive install"));
    }
}
