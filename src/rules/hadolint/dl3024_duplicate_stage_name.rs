//! DL3024: two stages with the same name.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a stage name already used by an earlier stage (names compare case-insensitively).
    ///
    /// ## Why is this bad?
    /// `COPY --from=name` and `FROM name` can refer to only one stage. BuildKit rejects
    /// duplicate names; older builders silently used one of them.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// FROM node:20 AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build-api
    /// FROM node:20 AS build-web
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3024 and BuildKit's DuplicateStageName; either name suppresses it.
    pub static DL3024 = {
        code: "DL3024",
        name: "duplicate-stage-name",
        origin: Hadolint,
        severity: Error,
        fix: None,
        aliases: ["DuplicateStageName"],
    }
}

#[derive(Default)]
pub struct DuplicateStageName;

impl Rule for DuplicateStageName {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let Some(idx) = ctx.stage_idx else { return };
        let Some(stage) = ctx.model.stages.get(idx) else {
            return;
        };
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
            return;
        };
        if ctx.model.stage_named(name, idx).is_some() {
            acc.push(Diagnostic::new(
                &DL3024,
                range,
                format!("stage name `{name}` is already used by an earlier stage"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn duplicates() {
        check_codes(
            "FROM a:1 AS x\nFROM b:1 AS X\n",
            &["DL3024", "StageNameCasing"],
        );
        check_codes("FROM a:1 AS x\nFROM b:1 AS y\n", &[]);
    }
}
