//! Per-stage state for stateful rules, inherited along `FROM <stage>` chains.
//!
//! A stage that builds on an earlier stage starts with that stage's final state (its ENV,
//! WORKDIR, SHELL…); any other stage starts from the default.

use super::RuleCtx;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

#[derive(Debug, Clone)]
pub struct StageState<T> {
    stages: Vec<T>,
}

impl<T> Default for StageState<T> {
    fn default() -> Self {
        StageState { stages: Vec::new() }
    }
}

impl<T: Clone + Default> StageState<T> {
    /// Call for every instruction: on a FROM, starts the new stage's state.
    pub fn visit(&mut self, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::FROM_INSTR || ctx.in_onbuild {
            return;
        }
        let idx = ctx.stage_idx.unwrap_or(0);
        let inherited = ctx
            .model
            .stages
            .get(idx)
            .and_then(|s| s.base_stage)
            .and_then(|base| self.stages.get(base).cloned())
            .unwrap_or_default();
        self.stages.truncate(idx);
        while self.stages.len() < idx {
            self.stages.push(T::default());
        }
        self.stages.push(inherited);
    }

    /// The current stage's state (instructions before the first FROM get a state of their own).
    pub fn current(&mut self) -> &mut T {
        if self.stages.is_empty() {
            self.stages.push(T::default());
        }
        let last = self.stages.len() - 1;
        &mut self.stages[last]
    }

    /// The final state of each stage so far, by stage index.
    pub fn all(&self) -> &[T] {
        &self.stages
    }
}
