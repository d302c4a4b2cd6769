//! DL3019: `apk add` that keeps the package index in the image.

use super::util::{
    APK_FLAGS_WITH_VALUES, has_cache_mount, has_flag, invocation_range, positional_args,
    removes_recursively,
};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `apk add` without `--no-cache`.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, the package index that `apk update` (or `apk add` itself) fetched
    /// stays under `/var/cache/apk` and is baked into the layer: megabytes that nothing in the
    /// image uses, and a stale index for any later install. `--no-cache` fetches the index for
    /// this one command and keeps nothing.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add curl=8.9.1-r1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r1
    /// ```
    ///
    /// ## Fix safety
    /// Adding `--no-cache` is safe: the same packages are installed, and only the index files
    /// are left out of the image. (A preceding `apk update` becomes unnecessary.)
    ///
    /// ## Notes
    /// Not reported when the RUN mounts a cache or tmpfs on `/var/cache/apk`, or deletes
    /// `/var/cache/apk` with `rm -r` after the `apk add`.
    ///
    /// ## References
    /// Matches hadolint's DL3019, except that layerwise also accepts an `rm -rf
    /// /var/cache/apk/*` later in the same RUN, which leaves the layer just as clean.
    pub static DL3019 = {
        code: "DL3019",
        name: "apk-add-missing-no-cache",
        origin: Hadolint,
        severity: Info,
        fix: Always,
    }
}

#[derive(Default)]
pub struct ApkNoCache;

impl Rule for ApkNoCache {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if has_cache_mount(ctx, "/var/cache/apk") {
            return;
        }
        for cmd in ctx.commands_named("apk") {
            let positional = positional_args(cmd, APK_FLAGS_WITH_VALUES);
            let Some(add) = positional.first().filter(|w| w.text == "add") else {
                continue;
            };
            let cleaned = removes_recursively(&ctx.commands, cmd.range.start(), |path| {
                path.starts_with("/var/cache/apk")
            });
            if has_flag(cmd, &["--no-cache"]) || cleaned {
                continue;
            }
            acc.push(
                Diagnostic::new(
                    &DL3019,
                    invocation_range(cmd, add),
                    "`apk add` without `--no-cache` leaves the package index in the image",
                )
                .with_fix(Fix::safe(
                    "Add `--no-cache`",
                    vec![Edit::insert(add.range.end(), " --no-cache")],
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn no_cache() {
        check_ranges(
            "FROM a:1\nRUN apk update && apk add curl=8\n",
            &[("DL3019", "apk add")],
        );
        check_codes("FROM a:1\nRUN apk add --no-cache curl=8\n", &[]);
        check_codes("FROM a:1\nRUN apk --no-cache add curl=8\n", &[]);
        check_codes(
            "FROM a:1\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN apk add curl=8 && rm -rf /var/cache/apk/*\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN rm -rf /var/cache/apk/* && apk add curl=8\n",
            &["DL3019"],
        );
        check_codes("FROM a:1\nONBUILD RUN apk add curl=8\n", &["DL3019"]);
        check_fix(
            "FROM a:1\nRUN apk add -t .deps curl=8\n",
            "DL3019",
            "FROM a:1\nRUN apk add --no-cache -t .deps curl=8\n",
        );
    }
}
