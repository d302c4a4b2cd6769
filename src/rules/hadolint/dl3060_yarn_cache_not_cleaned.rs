//! DL3060: `yarn install` without `yarn cache clean` in the same RUN.

use super::util::{has_cache_mount, invocation_range, positional_args, removes_recursively};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::shell::{Command, Word};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` with `yarn install` that does not run `yarn cache clean` afterwards.
    ///
    /// ## Why is this bad?
    /// Yarn keeps a copy of every package it downloads in its global cache
    /// (`/usr/local/share/.cache/yarn` in the official Node images). Left there, the cache
    /// often weighs as much as `node_modules` itself and stays in the layer for good. Cleaning
    /// in a *later* RUN does not help: the earlier layer still holds the bytes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20-slim
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    ///
    /// ## Notes
    /// One finding per RUN, at the last `yarn install` that no clean-up follows. Not reported
    /// when the RUN mounts a cache or tmpfs on `.cache/yarn`, deletes that directory with
    /// `rm -r`, or is in a stage that is only copied from (its layers never reach the final
    /// image). Only `yarn install` is checked, as hadolint does; a bare `yarn` is not.
    ///
    /// ## References
    /// Matches hadolint's DL3060, including its final-stage restriction and inside `ONBUILD`.
    /// layerwise also accepts an `rm -r` of the cache directory, which leaves the layer just as
    /// clean.
    pub static DL3060 = {
        code: "DL3060",
        name: "yarn-cache-not-cleaned",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

const YARN_FLAGS_WITH_VALUES: &[&str] = &[
    "--cache-folder",
    "--modules-folder",
    "--network-timeout",
    "--mutex",
    "--registry",
    "--cwd",
];

#[derive(Default)]
pub struct YarnCacheNotCleaned;

impl Rule for YarnCacheNotCleaned {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if let Some(idx) = ctx.stage_idx
            && !ctx.in_onbuild
            && !ctx.model.is_in_final_image(idx)
        {
            return;
        }
        if has_cache_mount(ctx, ".cache/yarn") {
            return;
        }
        let Some((install, sub)) = ctx
            .commands
            .iter()
            .rev()
            .find_map(|cmd| Some((cmd, yarn_subcommand(cmd, &["install"])?.0)))
        else {
            return;
        };
        let cleaned = ctx.commands.iter().any(|cmd| {
            cmd.range.start() > install.range.start()
                && yarn_subcommand(cmd, &["cache"])
                    .is_some_and(|(_, rest)| rest.first().is_some_and(|w| w.text == "clean"))
        }) || removes_recursively(&ctx.commands, install.range.start(), |path| {
            path.trim_end_matches(['/', '*']).ends_with(".cache/yarn")
        });
        if cleaned {
            return;
        }
        acc.push(Diagnostic::new(
            &DL3060,
            invocation_range(install, sub),
            "yarn's package cache stays in the image: run `yarn cache clean` at the end of this RUN",
        ));
    }
}

/// For `yarn <subcommand> …` with a subcommand in `names`: the subcommand and what follows.
fn yarn_subcommand<'c>(cmd: &'c Command, names: &[&str]) -> Option<(&'c Word, Vec<&'c Word>)> {
    if cmd.program() != "yarn" {
        return None;
    }
    let positional = positional_args(cmd, YARN_FLAGS_WITH_VALUES);
    let (first, rest) = positional.split_first()?;
    names
        .contains(&first.text.as_str())
        .then(|| (*first, rest.to_vec()))
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn clean() {
        check_ranges(
            "FROM a:1\nRUN yarn install && yarn build\n",
            &[("DL3060", "yarn install")],
        );
        for ok in [
            "yarn install && yarn cache clean",
            "yarn --cwd /app install --frozen-lockfile && yarn cache clean --all",
            "yarn install && rm -rf /usr/local/share/.cache/yarn/*",
            "--mount=type=cache,target=/usr/local/share/.cache/yarn yarn install",
            "yarn build",
        ] {
            check_codes(&format!("FROM a:1\nRUN {ok}\n"), &[]);
        }
        check_codes(
            "FROM a:1\nRUN yarn cache clean && yarn install\n",
            &["DL3060"],
        );
        check_codes("FROM a:1\nONBUILD RUN yarn install\n", &["DL3060"]);
    }

    #[test]
    fn only_in_the_final_image() {
        check_codes(
            "FROM a:1 AS build\nRUN yarn install\nFROM b:1\nCOPY --from=build /app /app\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS deps\nRUN yarn install\nFROM deps\n",
            &["DL3060"],
        );
        check_codes(
            "FROM a:1 AS build\nONBUILD RUN yarn install\nFROM b:1\n",
            &["DL3060"],
        );
    }
}
