//! DL3004: `sudo` inside RUN.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the `sudo` command in a `RUN`.
    ///
    /// ## Why is this bad?
    /// Build steps already run as the current `USER`; `sudo` adds a setuid binary to the image,
    /// behaves unpredictably without a terminal, and usually signals that a step should run
    /// under `USER root` instead. Switch users with `USER` (or use `gosu`/`su-exec` in an
    /// entrypoint).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update
    /// USER app
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3004, including inside `ONBUILD`.
    pub static DL3004 = {
        code: "DL3004",
        name: "sudo",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct Sudo;

impl Rule for Sudo {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for sudo in ctx.commands_named("sudo") {
            acc.push(Diagnostic::new(
                &DL3004,
                sudo.name.range,
                "do not use `sudo`: switch users with USER",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn sudo() {
        check_ranges("FROM a:1\nRUN sudo make install\n", &[("DL3004", "sudo")]);
        check_codes("FROM a:1\nONBUILD RUN sudo ls\n", &["DL3004"]);
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends sudo=1.9\n",
            &[],
        );
    }
}
