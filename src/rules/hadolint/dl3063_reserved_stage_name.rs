//! DL3063: a stage named `scratch` or `context`.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`.
    ///
    /// ## Why is this bad?
    /// Both names already mean something: `scratch` is the empty image and `context` the build
    /// context (`COPY --from=context`). A stage with either name is ambiguous and BuildKit
    /// rejects it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS context
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20 AS prepare-context
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3063 and BuildKit's ReservedStageName; either name suppresses it.
    pub static DL3063 = {
        code: "DL3063",
        name: "reserved-stage-name",
        origin: Hadolint,
        severity: Warning,
        fix: None,
        aliases: ["ReservedStageName"],
    }
}

#[derive(Default)]
pub struct ReservedStageName;

impl Rule for ReservedStageName {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(stage) = ctx.stage_idx.and_then(|i| ctx.model.stages.get(i)) else {
            return;
        };
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
            return;
        };
        if name.eq_ignore_ascii_case("scratch") || name.eq_ignore_ascii_case("context") {
            acc.push(Diagnostic::new(
                &DL3063,
                range,
                format!("`{name}` is a reserved name and cannot name a stage"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn reserved() {
        check_codes("FROM a:1 AS scratch\n", &["DL3063"]);
        check_codes("FROM a:1 AS Context\n", &["DL3063", "StageNameCasing"]);
        check_codes("FROM a:1 AS build\n", &[]);
    }
}
