//! DL3067: copying a stage's whole filesystem.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast::{self, AstNode};

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=… / /`: copying the root of another stage or image onto this one.
    ///
    /// ## Why is this bad?
    /// It copies everything, including the other image's package database, caches and
    /// configuration, over this stage's files. The result is large and mixes two systems in
    /// ways neither package manager knows about. Copy the directories you need.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM alpine:3.20
    /// COPY --from=build / /
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM alpine:3.20
    /// COPY --from=build /go/bin/app /usr/local/bin/app
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3067.
    pub static DL3067 = {
        code: "DL3067",
        name: "copy-whole-filesystem",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct CopyWholeFilesystem;

impl Rule for CopyWholeFilesystem {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::COPY_INSTR || ctx.in_onbuild || instr.flag("from").is_none()
        {
            return;
        }
        let Some(copy) = ast::Copy::cast(instr.syntax().clone()) else {
            return;
        };
        if copy.paths() == ["/", "/"] {
            let args: Vec<ast::Argument> = instr.arguments().collect();
            let range = match (args.first(), args.last()) {
                (Some(first), Some(last)) => first.range().cover(last.range()),
                _ => instr.keyword_range(),
            };
            acc.push(Diagnostic::new(
                &DL3067,
                range,
                "this copies the whole filesystem of another stage: copy only what you need",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn whole() {
        check_codes("FROM a:1 AS b\nFROM c:1\nCOPY --from=b / /\n", &["DL3067"]);
        check_codes("FROM a:1 AS b\nFROM c:1\nCOPY --from=b /app /app\n", &[]);
        check_codes("FROM c:1\nCOPY / /\n", &[]);
    }
}
