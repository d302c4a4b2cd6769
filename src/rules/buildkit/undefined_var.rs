//! UndefinedVar: a variable used where BuildKit expands it, with no definition in scope.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::semantic::vars::{PLATFORM_ARGS, PREDEFINED_ARGS};
use crate::syntax::validation::edit_distance;

declare_rule! {
    /// ## What it does
    /// Flags a variable in an instruction BuildKit expands (`ENV`, `COPY`, `WORKDIR`, `USER`,
    /// `LABEL`, `EXPOSE`…) when nothing in scope defines it and it looks like a misspelling of
    /// a variable the file does define.
    ///
    /// ## Why is this bad?
    /// An undefined variable expands to an empty string without any error: `WORKDIR $APP_HOM`
    /// becomes `WORKDIR /`, and `COPY app $DEST/` copies into the root of the image. The build
    /// succeeds and the image is wrong.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/srv/app
    /// WORKDIR $APP_HOM
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/srv/app
    /// WORKDIR $APP_HOME
    /// ```
    ///
    /// ## Known problems
    /// BuildKit knows the base image's environment; layerwise does not read images while
    /// linting. A variable that may come from the base image (`$JAVA_HOME`, `$PATH`) is
    /// therefore reported only when it is almost certainly a typo (within one or two edits of a
    /// variable this file defines), or when the stage is built `FROM scratch`, whose
    /// environment is empty. References with a default (`${X:-y}`, `${X-y}`) or a test
    /// (`${X:+y}`) are never reported. RUN, CMD and ENTRYPOINT are expanded by the shell at run
    /// time and are not checked.
    ///
    /// ## References
    /// Corresponds to BuildKit's UndefinedVar check, limited as described above.
    pub static UNDEFINED_VAR = {
        code: "UndefinedVar",
        name: "undefined-var",
        origin: BuildKit,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct UndefinedVar;

impl Rule for UndefinedVar {
    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        let vars = &ctx.model.vars;
        let mut defined: Vec<String> = vars.names().map(String::from).collect();
        defined.sort_unstable();
        defined.dedup();
        let mut suggestions: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        for var_use in &vars.uses {
            if var_use.in_from
                || !var_use.expanded_by_buildkit
                || var_use.def.is_some()
                || var_use.predefined
            {
                continue;
            }
            let Some(stage_idx) = var_use.stage else {
                continue;
            };
            let name = var_use.name.as_str();
            if PLATFORM_ARGS.contains(&name) || PREDEFINED_ARGS.contains(&name) {
                continue;
            }
            let token_text = &ctx_text(ctx, var_use.token_range);
            if ["-", "+"].iter().any(|op| {
                token_text.contains(&format!("{name}{op}"))
                    || token_text.contains(&format!("{name}:{op}"))
            }) {
                continue;
            }
            // The closest name the file defines anywhere: a likely typo. Computed once per
            // name, against each defined name once, skipping names too different in length.
            let suggestion = suggestions.entry(name.to_string()).or_insert_with(|| {
                let max = if name.len() <= 4 { 1 } else { 2 };
                defined
                    .iter()
                    .filter(|candidate| {
                        candidate.as_str() != name && candidate.len().abs_diff(name.len()) <= max
                    })
                    .map(|candidate| (edit_distance(name, candidate), candidate))
                    .filter(|(d, _)| *d <= max)
                    .min_by_key(|(d, _)| *d)
                    .map(|(_, c)| c.clone())
            });
            let suggestion = suggestion.clone();
            let from_scratch = stage_is_from_scratch(ctx, stage_idx);
            if suggestion.is_none() && !from_scratch {
                continue;
            }
            let hint = suggestion
                .map(|c| format!(": did you mean `{c}`?"))
                .unwrap_or_default();
            acc.push(Diagnostic::new(
                &UNDEFINED_VAR,
                var_use.name_range,
                format!("`{name}` is not defined here, so it expands to an empty string{hint}"),
            ));
        }
    }
}

fn ctx_text(ctx: &RuleCtx, range: rowan::TextRange) -> String {
    ctx.parse
        .syntax()
        .covering_element(range)
        .as_token()
        .map(|t| t.text().to_string())
        .unwrap_or_default()
}

/// A stage built on `scratch`, directly or through earlier stages: its environment is exactly
/// what the file defines.
fn stage_is_from_scratch(ctx: &RuleCtx, mut idx: usize) -> bool {
    for _ in 0..ctx.model.stages.len() {
        let Some(stage) = ctx.model.stages.get(idx) else {
            return false;
        };
        match (stage.base_stage, &stage.image) {
            (Some(base), _) => idx = base,
            (None, Some(image)) => return image.is_scratch(),
            (None, None) => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::testing::check_ranges;

    #[test]
    fn typos_and_scratch() {
        check_ranges(
            "FROM a:1\nENV APP_HOME=/srv\nWORKDIR $APP_HOM\n",
            &[("UndefinedVar", "APP_HOM")],
        );
        check_ranges("FROM a:1\nWORKDIR $JAVA_HOME\n", &[]);
        check_ranges(
            "FROM scratch\nCOPY app $DEST/\n",
            &[("UndefinedVar", "DEST")],
        );
        check_ranges("FROM scratch\nARG DEST=/x\nCOPY app $DEST/\n", &[]);
        check_ranges(
            "FROM a:1\nENV APP_HOME=/srv\nWORKDIR ${APP_HOM:-/srv}\n",
            &[],
        );
        check_ranges("FROM a:1\nENV APP_HOME=/srv\nRUN echo $APP_HOM\n", &[]);
        check_ranges(
            "FROM scratch AS base\nFROM base\nUSER $UID\n",
            &[("UndefinedVar", "UID")],
        );
    }
}
