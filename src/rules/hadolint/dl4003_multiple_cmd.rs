//! DL4003 and DL4004: more than one CMD or ENTRYPOINT in a stage.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags every `CMD` after the first in a stage.
    ///
    /// ## Why is this bad?
    /// Only the last `CMD` takes effect. Earlier ones are dead code, and readers may believe
    /// the first is what runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "-m", "http.server"]
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL4003; part of BuildKit's MultipleInstructionsDisallowed, and either
    /// name suppresses it.
    pub static DL4003 = {
        code: "DL4003",
        name: "multiple-cmd",
        origin: Hadolint,
        severity: Warning,
        fix: None,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

declare_rule! {
    /// ## What it does
    /// Flags every `ENTRYPOINT` after the first in a stage.
    ///
    /// ## Why is this bad?
    /// Only the last `ENTRYPOINT` takes effect; the others are dead code and make it unclear
    /// what the container runs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/bin/sh"]
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/usr/local/bin/app"]
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL4004; part of BuildKit's MultipleInstructionsDisallowed, and either
    /// name suppresses it.
    pub static DL4004 = {
        code: "DL4004",
        name: "multiple-entrypoint",
        origin: Hadolint,
        severity: Error,
        fix: None,
        aliases: ["MultipleInstructionsDisallowed"],
    }
}

/// Counts one instruction kind per stage and reports each after the first.
pub struct MultipleInStage {
    kind: SyntaxKind,
    meta: &'static crate::rules::RuleMeta,
    seen: bool,
}

impl MultipleInStage {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        if instr.kind() == SyntaxKind::FROM_INSTR {
            self.seen = false;
        } else if instr.kind() == self.kind {
            if self.seen {
                let keyword = self.kind.keyword().unwrap_or_default();
                acc.push(Diagnostic::new(
                    self.meta,
                    instr.keyword_range(),
                    format!("a second {keyword} in this stage: only the last one takes effect"),
                ));
            }
            self.seen = true;
        }
    }
}

pub struct MultipleCmd(MultipleInStage);
pub struct MultipleEntrypoint(MultipleInStage);

impl Default for MultipleCmd {
    fn default() -> Self {
        MultipleCmd(MultipleInStage {
            kind: SyntaxKind::CMD_INSTR,
            meta: &DL4003,
            seen: false,
        })
    }
}

impl Default for MultipleEntrypoint {
    fn default() -> Self {
        MultipleEntrypoint(MultipleInStage {
            kind: SyntaxKind::ENTRYPOINT_INSTR,
            meta: &DL4004,
            seen: false,
        })
    }
}

impl Rule for MultipleCmd {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        self.0.check(acc, ctx, instr);
    }
}

impl Rule for MultipleEntrypoint {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        self.0.check(acc, ctx, instr);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn multiple() {
        check_codes(
            "FROM a:1\nCMD [\"a\"]\nCMD [\"b\"]\n",
            &["LW1001", "DL4003"],
        );
        check_codes(
            "FROM a:1\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]\n",
            &["LW1001", "DL4004"],
        );
        check_codes(
            "FROM a:1\nCMD [\"a\"]\nFROM b:1\nCMD [\"b\"]\n",
            &["LW1001"],
        );
    }
}
