//! DL3023: `COPY --from` naming its own stage.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=X` inside the stage named `X`.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: the name refers to the stage being built, and BuildKit
    /// reports a dependency cycle.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20 AS build
    /// COPY --from=build /app/dist /srv
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20 AS build
    /// RUN cp -r /app/dist /srv
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3023.
    pub static DL3023 = {
        code: "DL3023",
        name: "copy-from-own-stage",
        origin: Hadolint,
        severity: Error,
        fix: None,
    }
}

#[derive(Default)]
pub struct CopyFromOwnStage;

impl Rule for CopyFromOwnStage {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::COPY_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(flag) = instr.flag("from") else {
            return;
        };
        let (Some(value), Some(node)) = (flag.value(), flag.value_node()) else {
            return;
        };
        let Some(stage) = ctx.stage_idx.and_then(|i| ctx.model.stages.get(i)) else {
            return;
        };
        if stage
            .name
            .as_ref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&value))
        {
            acc.push(Diagnostic::new(
                &DL3023,
                node.range(),
                format!("stage `{value}` cannot copy from itself"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn own() {
        check_codes("FROM a:1 AS build\nCOPY --from=build /x /x\n", &["DL3023"]);
        check_codes(
            "FROM a:1 AS build\nFROM b:1 AS run\nCOPY --from=build /x /x\n",
            &[],
        );
    }
}
