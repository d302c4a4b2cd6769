//! DL3003: `cd` inside RUN instead of WORKDIR.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `cd` command inside a `RUN`.
    ///
    /// ## Why is this bad?
    /// A `cd` lasts only until the end of its `RUN`: the next instruction starts again in the
    /// stage's WORKDIR. Scripts that rely on it are hard to follow and break when lines are
    /// moved between RUNs. `WORKDIR` sets the directory for every following instruction and
    /// creates it when missing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23
    /// RUN cd /src && go build ./...
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23
    /// WORKDIR /src
    /// RUN go build ./...
    /// ```
    ///
    /// ## Notes
    /// A `cd` in a subshell (`(cd sub && make)`) is reported too, as hadolint does: the usual
    /// reason for it is a build step that WORKDIR expresses better.
    ///
    /// ## References
    /// Matches hadolint's DL3003; the range is the `cd` command rather than the line.
    pub static DL3003 = {
        code: "DL3003",
        name: "cd-instead-of-workdir",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct CdInsteadOfWorkdir;

impl Rule for CdInsteadOfWorkdir {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        for cd in ctx.commands_named("cd") {
            acc.push(Diagnostic::new(
                &DL3003,
                cd.range,
                "`cd` only lasts for this RUN: use WORKDIR to change directory",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn cd() {
        check_ranges("FROM a:1\nRUN cd /x && make\n", &[("DL3003", "cd /x")]);
        check_codes("FROM a:1\nRUN make -C /x\n", &[]);
        check_codes("FROM a:1\nRUN echo cd\n", &[]);
        check_codes("FROM a:1\nRUN [\"cd\", \"/x\"]\n", &[]);
    }
}
