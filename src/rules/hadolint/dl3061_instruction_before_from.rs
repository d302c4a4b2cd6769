//! DL3061: an instruction other than ARG before the first FROM.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags any instruction other than `ARG` that comes before the first `FROM`.
    ///
    /// ## Why is this bad?
    /// Before the first `FROM` there is no stage for an instruction to act on. Only `ARG` is
    /// meaningful there (it declares build arguments usable in `FROM` lines); BuildKit rejects
    /// anything else.
    ///
    /// ## Example
    /// ```dockerfile
    /// ENV NODE_ENV=production
    /// FROM node:20-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// ENV NODE_ENV=production
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3061. Unknown instructions before `FROM` are reported as LW0001
    /// only, not again here.
    pub static DL3061 = {
        code: "DL3061",
        name: "instruction-before-from",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct InstructionBeforeFrom;

impl Rule for InstructionBeforeFrom {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.stage_idx.is_some() || ctx.in_onbuild {
            return;
        }
        let kind = instr.kind();
        if matches!(
            kind,
            SyntaxKind::ARG_INSTR | SyntaxKind::FROM_INSTR | SyntaxKind::UNKNOWN_INSTR
        ) {
            return;
        }
        let keyword = kind.keyword().unwrap_or_default();
        acc.push(Diagnostic::new(
            &DL3061,
            instr.keyword_range(),
            format!("{keyword} before the first FROM: only ARG may come before FROM"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn before_from() {
        check_codes("ENV A=1\nFROM a:1\n", &["DL3061"]);
        check_codes("ARG V=1\nFROM a:$V\n", &[]);
        check_codes("FROM a:1\nENV A=1\n", &[]);
        check_codes("# comment\nFROM a:1\n", &[]);
    }
}
