//! DL3065: `FROM --platform=$TARGETPLATFORM`, which is the default.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`).
    ///
    /// ## Why is this bad?
    /// Every stage is built for the target platform unless told otherwise, so the flag says
    /// nothing and suggests to readers that something unusual happens.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ```
    ///
    /// ## Fix safety
    /// Removing the flag is safe: the stage is built for the same platform.
    ///
    /// ## References
    /// Matches hadolint's DL3065 and BuildKit's RedundantTargetPlatform; either name
    /// suppresses it.
    pub static DL3065 = {
        code: "DL3065",
        name: "redundant-target-platform",
        origin: Hadolint,
        severity: Warning,
        fix: Always,
        aliases: ["RedundantTargetPlatform"],
    }
}

#[derive(Default)]
pub struct RedundantTargetPlatform;

impl Rule for RedundantTargetPlatform {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(flag) = instr.flag("platform") else {
            return;
        };
        let Some(value) = flag.value() else { return };
        if value != "$TARGETPLATFORM" && value != "${TARGETPLATFORM}" {
            return;
        }
        let range = flag.syntax().text_range();
        // Remove the flag with the blanks after it.
        let mut end = range.end();
        let mut next = flag.syntax().next_sibling_or_token();
        while let Some(element) = next {
            if element.kind() != SyntaxKind::WHITESPACE {
                break;
            }
            end = element.text_range().end();
            next = element.next_sibling_or_token();
        }
        acc.push(
            Diagnostic::new(
                &DL3065,
                range,
                "`--platform=$TARGETPLATFORM` is the default and can be removed",
            )
            .with_fix(Fix::safe(
                "Remove `--platform`",
                vec![Edit::delete(rowan::TextRange::new(range.start(), end))],
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn redundant() {
        check_fix(
            "FROM --platform=$TARGETPLATFORM a:1\n",
            "DL3065",
            "FROM a:1\n",
        );
        check_fix(
            "FROM --platform=${TARGETPLATFORM}  a:1 AS b\n",
            "DL3065",
            "FROM a:1 AS b\n",
        );
        check_codes("FROM --platform=$BUILDPLATFORM a:1\n", &[]);
    }
}
