//! DL3030: `yum install` without `-y`.

use super::util::{has_flag, invocation_range, rpm_action};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `yum install` (also `groupinstall`, `localinstall` and `group install`) without
    /// `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no terminal to answer yum's "Is this ok [y/N]" prompt. Without `-y` yum
    /// reads no answer and aborts, so the RUN fails as soon as there is anything to install.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Adding `-y` is safe: it only answers the prompt the build cannot answer.
    ///
    /// ## References
    /// Matches hadolint's DL3030, including inside `ONBUILD`.
    pub static DL3030 = {
        code: "DL3030",
        name: "yum-missing-yes",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
    }
}

#[derive(Default)]
pub struct YumYes;

impl Rule for YumYes {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(action) = rpm_action(cmd, &["yum"]) else {
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
                    &DL3030,
                    invocation_range(cmd, action.verb),
                    format!(
                        "`yum {}` without `-y` stops at the confirmation prompt",
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
        let run = |s: &str| format!("FROM a:1\nRUN yum {s} x-1.0 && yum clean all\n");
        check_ranges(&run("install"), &[("DL3030", "yum install")]);
        check_codes(&run("groupinstall"), &["DL3030"]);
        check_codes(&run("localinstall"), &["DL3030"]);
        check_codes(&run("group install"), &["DL3030"]);
        check_codes(&run("--enablerepo epel install"), &["DL3030"]);
        for ok in [
            "install -y",
            "-y install",
            "--assumeyes install",
            "install -qy",
        ] {
            check_codes(&run(ok), &[]);
        }
        check_codes("FROM a:1\nRUN yum remove x\n", &[]);
        check_codes(
            "FROM a:1\nONBUILD RUN yum install x-1 && yum clean all\n",
            &["DL3030"],
        );
        check_fix(&run("install"), "DL3030", &run("install -y"));
    }
}
