//! UndefinedArgInFrom: a FROM line using a build argument no global ARG declares.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::validation::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Flags a variable in a `FROM` line (image or `--platform`) that no `ARG` before the first
    /// `FROM` declares, and that is not one of BuildKit's automatic platform arguments.
    ///
    /// ## Why is this bad?
    /// `FROM` lines only see global build arguments: an `ARG` inside an earlier stage, or an
    /// `ENV`, is invisible there. The variable expands to nothing, so `FROM node:${NODE_VERSION}`
    /// silently becomes `FROM node:` and the build fails, or picks an image nobody chose.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG NODE_VERSON=20
    /// FROM node:${NODE_VERSION}-slim
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG NODE_VERSION=20
    /// FROM node:${NODE_VERSION}-slim
    /// ```
    ///
    /// ## Notes
    /// `TARGETPLATFORM`, `BUILDPLATFORM` and the other automatic platform arguments need no
    /// declaration. The message suggests the closest declared name.
    ///
    /// ## References
    /// Matches BuildKit's UndefinedArgInFrom check.
    pub static UNDEFINED_ARG_IN_FROM = {
        code: "UndefinedArgInFrom",
        name: "undefined-arg-in-from",
        origin: BuildKit,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct UndefinedArgInFrom;

impl Rule for UndefinedArgInFrom {
    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let vars = &ctx.model.vars;
        let globals: Vec<&str> = vars
            .global_args
            .iter()
            .map(|d| vars.defs[*d].name.as_str())
            .collect();
        for var_use in vars
            .uses
            .iter()
            .filter(|u| u.in_from && u.def.is_none() && !u.predefined)
        {
            let candidates = globals
                .iter()
                .copied()
                .chain(crate::semantic::vars::PLATFORM_ARGS.iter().copied());
            let hint = did_you_mean(&var_use.name, candidates)
                .map(|c| format!(": did you mean `{c}`?"))
                .unwrap_or_default();
            acc.push(Diagnostic::new(
                &UNDEFINED_ARG_IN_FROM,
                var_use.name_range,
                format!("`{}` is not declared by an ARG before the first FROM, so it is empty here{hint}", var_use.name),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_ranges;

    #[test]
    fn undefined_in_from() {
        check_ranges("ARG TAG=1\nFROM a:${TAG}\n", &[]);
        check_ranges("FROM a:${TAG}\n", &[("UndefinedArgInFrom", "TAG")]);
        check_ranges("FROM --platform=$BUILDPLATFORM a:1\n", &[]);
        check_ranges(
            "FROM a:1 AS b\nARG TAG=1\nFROM c:$TAG\n",
            &[("UndefinedArgInFrom", "TAG")],
        );
    }
}
