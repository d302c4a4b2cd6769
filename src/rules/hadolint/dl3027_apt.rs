//! DL3027: `apt` instead of `apt-get`.

use super::util::positional_args;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the `apt` command in a `RUN`.
    ///
    /// ## Why is this bad?
    /// `apt` is meant for people at a terminal: its output and behaviour may change between
    /// releases, and it warns that it "does not have a stable CLI interface". `apt-get` is the
    /// stable interface for scripts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update
    /// ```
    ///
    /// ## Fix safety
    /// Replacing `apt` with `apt-get` is safe for the subcommands both share (`update`,
    /// `install`, `upgrade`, `remove`, `purge`, `autoremove`, `dist-upgrade`, `clean`); no fix is
    /// offered for the others (`apt search`, `apt list`…).
    ///
    /// ## References
    /// Matches hadolint's DL3027.
    pub static DL3027 = {
        code: "DL3027",
        name: "apt",
        origin: Hadolint,
        severity: Warning,
        fix: Sometimes,
    }
}

const SHARED_SUBCOMMANDS: &[&str] = &[
    "update",
    "install",
    "upgrade",
    "remove",
    "purge",
    "autoremove",
    "dist-upgrade",
    "clean",
    "autoclean",
];

#[derive(Default)]
pub struct Apt;

impl Rule for Apt {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter().filter(|c| c.name.text == "apt") {
            let mut diagnostic = Diagnostic::new(
                &DL3027,
                cmd.name.range,
                "use `apt-get` in scripts: `apt` has no stable command-line interface",
            );
            let sub = positional_args(cmd, &["-o", "-t", "-c"])
                .first()
                .map(|w| w.text.clone());
            if sub
                .as_deref()
                .is_some_and(|s| SHARED_SUBCOMMANDS.contains(&s))
            {
                diagnostic = diagnostic.with_fix(Fix::safe(
                    "Use `apt-get`",
                    vec![Edit::replace(cmd.name.range, "apt-get")],
                ));
            }
            acc.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn apt() {
        check_fix(
            "FROM a:1\nRUN apt update\n",
            "DL3027",
            "FROM a:1\nRUN apt-get update\n",
        );
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends x=1\n",
            &[],
        );
        check_codes("FROM a:1\nRUN apt list --installed\n", &["DL3027"]);
    }
}
