//! DL3022: `COPY --from` naming no earlier stage.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=X` where `X` is neither the name or index of an earlier stage nor an
    /// image reference.
    ///
    /// ## Why is this bad?
    /// BuildKit treats an unknown name as an image to pull: a typo in a stage name
    /// (`--from=biuld`) becomes a pull of `docker.io/library/biuld`, which fails or, worse,
    /// succeeds with someone else's image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=buld /out/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /out/app /app
    /// ```
    ///
    /// ## Notes
    /// Values with a `:` or `/` are image references and are not reported. A value with a
    /// variable (`--from=$BUILDER`) is judged by the argument's default; without a known
    /// default it is not reported.
    ///
    /// ## References
    /// Matches hadolint's DL3022, except that hadolint flags `--from=$ARG` even when the
    /// argument names a stage (hadolint#933); layerwise resolves it first.
    pub static DL3022 = {
        code: "DL3022",
        name: "copy-from-unknown-stage",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct CopyFromUnknownStage;

impl Rule for CopyFromUnknownStage {
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
        // `--from=$STAGE` is judged by the argument's default, when one is known.
        let value = if value.contains('$') {
            match ctx.model.vars.resolve(&node) {
                Some(resolved) => resolved,
                None => return,
            }
        } else {
            value
        };
        if value.is_empty() || value.contains(':') || value.contains('/') || value.contains('$') {
            return;
        }
        let current = ctx.stage_idx.unwrap_or(0);
        let is_index = value.parse::<usize>().is_ok_and(|i| i < current);
        let is_stage = ctx.model.stage_named(&value, current).is_some()
            || ctx
                .model
                .stages
                .get(current)
                .and_then(|s| s.name.as_ref())
                .is_some_and(|n| n.eq_ignore_ascii_case(&value));
        if is_index || is_stage {
            return;
        }
        acc.push(Diagnostic::new(
            &DL3022,
            node.range(),
            format!("`{value}` is not an earlier stage, so BuildKit will pull it as an image"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn from() {
        check_codes(
            "FROM a:1 AS build\nFROM b:1\nCOPY --from=buld /x /x\n",
            &["DL3022"],
        );
        check_codes(
            "FROM a:1 AS build\nFROM b:1\nCOPY --from=build /x /x\n",
            &[],
        );
        check_codes("FROM a:1 AS build\nFROM b:1\nCOPY --from=0 /x /x\n", &[]);
        check_codes("FROM a:1\nFROM b:1\nCOPY --from=1 /x /x\n", &["DL3022"]);
        check_codes("FROM a:1\nCOPY --from=nginx:1.27 /x /x\n", &[]);
        check_codes("FROM a:1\nCOPY --from=$STAGE /x /x\n", &[]);
        check_codes(
            "FROM a:1 AS build\nFROM b:1\nARG STAGE=build\nCOPY --from=$STAGE /x /x\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS build\nFROM b:1\nARG STAGE=biuld\nCOPY --from=$STAGE /x /x\n",
            &["DL3022"],
        );
    }
}
