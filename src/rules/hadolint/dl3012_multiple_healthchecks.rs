//! DL3012: more than one HEALTHCHECK in a stage.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags every `HEALTHCHECK` after the first in a stage.
    ///
    /// ## Why is this bad?
    /// Only the last `HEALTHCHECK` of a stage takes effect; the earlier ones are dead code
    /// that misleads the reader about how the container is checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
    /// HEALTHCHECK CMD ["curl", "-f", "http://localhost/health"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-f", "http://localhost/health"]
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3012; part of BuildKit's MultipleInstructionsDisallowed, and either
    /// name suppresses it.
    pub static DL3012 = {
        code: "DL3012",
        name: "multiple-healthchecks",
        origin: Hadolint,
        severity: Error,
        fix: None,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

#[derive(Default)]
pub struct MultipleHealthchecks {
    seen_in_stage: bool,
}

impl Rule for MultipleHealthchecks {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        match instr.kind() {
            SyntaxKind::FROM_INSTR => self.seen_in_stage = false,
            SyntaxKind::HEALTHCHECK_INSTR => {
                if self.seen_in_stage {
                    acc.push(Diagnostic::new(
                        &DL3012,
                        instr.keyword_range(),
                        "a second HEALTHCHECK in this stage: only the last one counts",
                    ));
                }
                self.seen_in_stage = true;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn healthchecks() {
        check_codes(
            "FROM a:1\nHEALTHCHECK NONE\nHEALTHCHECK NONE\n",
            &["DL3012"],
        );
        check_codes(
            "FROM a:1\nHEALTHCHECK NONE\nFROM b:1\nHEALTHCHECK NONE\n",
            &[],
        );
    }
}
