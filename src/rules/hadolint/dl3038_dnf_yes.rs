//! DL3038: `dnf install` without `-y`.

use super::util::{has_flag, invocation_range, rpm_action};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `dnf install` or `microdnf install` (also `groupinstall`, `localinstall`,
    /// `group install` and `module install`) without `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer dnf's "Is this ok [y/N]" prompt. Without `-y` dnf
    /// reads no answer and aborts, so the RUN fails as soon as there is anything to install.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it only answers the prompt the build cannot answer.
    ///
    /// ## References
    /// Matches hadolint's DL3038, including inside `ONBUILD`.
    pub static DL3038 = {
        code: "DL3038",
        name: "dnf-missing-yes",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct DnfYes;

impl Rule for DnfYes {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(action) = rpm_action(cmd, &["dnf", "microdnf"]) else {
                continue;
            };
            let installs = matches!(
                action.verb.text.as_str(),
                "install" | "groupinstall" | "localinstall"
            );
            if !installs || has_flag(cmd, &["-y", "--assumeyes"]) {
                continue;
            }
            acc.push(
                Diagnostic::new(
                    &DL3038,
                    invocation_range(cmd, action.verb),
                    format!(
                        "`{} {}` without `-y` stops at the confirmation prompt",
                        cmd.program(),
                        action.verb.text
                    ),
                )
                .with_fix(Fix::safe(
                    "Add `-y`",
                    vec![Edit::insert(action.verb.range.end(), " -y")],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn yes() {
        let run = |s: &str| format!("FROM a:1\nRUN dnf {s} x-1.0 && dnf clean all\n");
        check_ranges(&run("install"), &[("DL3038", "dnf install")]);
        check_codes(&run("groupinstall"), &["DL3038"]);
        check_codes(
            "FROM a:1\nRUN dnf module install nodejs:20 && dnf clean all\n",
            &["DL3038"],
        );
        for ok in ["install -y", "-y install", "--assumeyes install"] {
            check_codes(&run(ok), &[]);
        }
        check_codes(
            "FROM a:1\nRUN microdnf install x-1.0 && microdnf clean all\n",
            &["DL3038"],
        );
        check_codes(
            "FROM a:1\nRUN dnf upgrade-minimal -y && dnf clean all\n",
            &[],
        );
        check_codes(
            "FROM a:1\nONBUILD RUN dnf install x-1 && dnf clean all\n",
            &["DL3038"],
        );
        check_fix(&run("install"), "DL3038", &run("install -y"));
    }
}
