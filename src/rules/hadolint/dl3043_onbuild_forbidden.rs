//! DL3043: ONBUILD wrapping ONBUILD, FROM or MAINTAINER.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// These three cannot be deferred to a child build: BuildKit rejects them, so the image
    /// that uses this one as its base fails to build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// ONBUILD FROM node:20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20
    /// ONBUILD COPY . /app/
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3043.
    pub static DL3043 = {
        code: "DL3043",
        name: "onbuild-forbidden-instruction",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct OnbuildForbidden;

impl Rule for OnbuildForbidden {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if !ctx.in_onbuild {
            return;
        }
        let kind = instr.kind();
        if matches!(
            kind,
            SyntaxKind::ONBUILD_INSTR | SyntaxKind::FROM_INSTR | SyntaxKind::MAINTAINER_INSTR
        ) {
            let keyword = kind.keyword().unwrap_or_default();
            acc.push(Diagnostic::new(
                &DL3043,
                instr.keyword_range(),
                format!("{keyword} cannot be used inside ONBUILD"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_ranges;

    #[test]
    fn onbuild() {
        check_ranges(
            "FROM a:1\nONBUILD MAINTAINER me\n",
            &[("DL3043", "MAINTAINER")],
        );
    }
}
