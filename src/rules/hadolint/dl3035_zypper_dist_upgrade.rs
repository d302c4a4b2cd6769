//! DL3035: `zypper dist-upgrade` in a build step.

use super::util::{ZYPPER_FLAGS_WITH_VALUES, invocation_range, positional_args};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `zypper dist-upgrade` (or `zypper dup`) in a `RUN`.
    ///
    /// ## Why is this bad?
    /// A distribution upgrade can move every package of the base image to another release,
    /// including across versions of the distribution. What the image contains then depends on
    /// the day it was built rather than on the base image's tag, and the result can differ
    /// from what the base image's maintainers tested. Use a newer base image instead, and
    /// install or update only the packages the image needs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive dist-upgrade && zypper clean
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 && zypper clean
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3035, including inside `ONBUILD`.
    pub static DL3035 = {
        code: "DL3035",
        name: "zypper-dist-upgrade",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct ZypperDistUpgrade;

impl Rule for ZypperDistUpgrade {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("zypper") {
            let positional = positional_args(cmd, ZYPPER_FLAGS_WITH_VALUES);
            let Some(sub) = positional
                .first()
                .filter(|w| matches!(w.text.as_str(), "dist-upgrade" | "dup"))
            else {
                continue;
            };
            acc.push(Diagnostic::new(
                &DL3035,
                invocation_range(cmd, sub),
                format!(
                    "`zypper {}` upgrades the whole distribution: start from a newer base image instead",
                    sub.text
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn dist_upgrade() {
        check_ranges(
            "FROM a:1\nRUN zypper -n dup\n",
            &[("DL3035", "zypper -n dup")],
        );
        check_codes(
            "FROM a:1\nRUN zypper -n dist-upgrade --no-recommends\n",
            &["DL3035"],
        );
        check_codes("FROM a:1\nRUN zypper -n update\n", &[]);
        check_codes("FROM a:1\nONBUILD RUN zypper -n dup\n", &["DL3035"]);
    }
}
