//! DL3009: apt lists left in the image after `apt-get update`.

use super::util::{append_to_script, has_cache_mount, has_flag, is_subcommand};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags an `apt-get update` (or `apt`/`aptitude update`) whose RUN does not delete
    /// `/var/lib/apt/lists` afterwards.
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the package index, tens of megabytes, into
    /// `/var/lib/apt/lists`. Left there, it stays in the layer for good, and a stale index in
    /// the image is never what a later `apt-get install` should use. Deleting it in a *later*
    /// RUN does not help: the earlier layer still holds the bytes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Appending `&& rm -rf /var/lib/apt/lists/*` to the RUN is safe: the lists are only needed
    /// by apt during that RUN.
    ///
    /// ## Notes
    /// Not reported when the RUN mounts a cache or tmpfs on `/var/lib/apt/lists` (or on both
    /// `/var/lib/apt` and `/var/cache/apt`), nor in a stage that is only copied from: its layers
    /// never reach the final image.
    ///
    /// ## References
    /// Matches hadolint's DL3009, including its final-stage restriction.
    pub static DL3009 = {
        code: "DL3009",
        name: "apt-lists-not-deleted",
        origin: Hadolint,
        severity: Info,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct AptListsNotDeleted;

impl Rule for AptListsNotDeleted {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if let Some(idx) = ctx.stage_idx
            && !ctx.in_onbuild
            && !ctx.model.is_in_final_image(idx)
        {
            return;
        }
        let Some(update) = ctx.commands.iter().find(|c| {
            is_subcommand(
                c,
                &["apt-get", "apt", "aptitude"],
                &["update"],
                &["-o", "-c"],
            )
        }) else {
            return;
        };
        let removes_lists = ctx.commands.iter().any(cleans_apt_lists);
        let cached = has_cache_mount(ctx, "/var/lib/apt/lists")
            || (has_cache_mount(ctx, "/var/lib/apt") && has_cache_mount(ctx, "/var/cache/apt"));
        if removes_lists || cached {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &DL3009,
            update.range,
            "the apt lists downloaded here stay in the image: delete `/var/lib/apt/lists/*` in the same RUN",
        );
        if let Some(edit) = append_to_script(ctx, "rm -rf /var/lib/apt/lists/*") {
            diagnostic = diagnostic.with_fix(Fix::safe(
                "Append `&& rm -rf /var/lib/apt/lists/*`",
                vec![edit],
            ));
        }
        acc.push(diagnostic);
    }
}

/// Whether a command deletes the apt lists: `rm -r` of the lists or a parent directory (brace
/// expansions such as `/var/lib/{apt,dpkg}` included), `apt-get dist-clean`, or
/// `find … /var/lib/apt/lists … -delete`.
fn cleans_apt_lists(cmd: &crate::shell::Command) -> bool {
    const LISTS: &str = "/var/lib/apt/lists";
    match cmd.program() {
        "rm" => {
            has_flag(cmd, &["-r", "-R", "--recursive"])
                && cmd
                    .args
                    .iter()
                    .any(|a| expand_braces(&a.text).iter().any(|p| path_covers(p, LISTS)))
        }
        "apt-get" | "apt" => {
            is_subcommand(cmd, &["apt-get", "apt"], &["dist-clean"], &["-o", "-c"])
        }
        "find" => cmd.has_arg("-delete") && cmd.args.iter().any(|a| path_covers(&a.text, LISTS)),
        _ => false,
    }
}

/// Whether deleting `path` (possibly ending in `/` or `/*`) deletes `target` or its contents.
fn path_covers(path: &str, target: &str) -> bool {
    let path = path.trim_end_matches('*').trim_end_matches('/');
    if path.is_empty() {
        return false;
    }
    path.starts_with(target)
        || target
            .strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Expands one level of `{a,b}` in a word: `/var/lib/{apt,dpkg}/` → two paths.
fn expand_braces(word: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (word.find('{'), word.find('}')) else {
        return vec![word.to_string()];
    };
    if close < open {
        return vec![word.to_string()];
    }
    let (prefix, rest) = word.split_at(open);
    let inner = &rest[1..close - open];
    let suffix = &rest[close - open + 1..];
    inner
        .split(',')
        .map(|alt| format!("{prefix}{alt}{suffix}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn lists() {
        check_codes("FROM a:1\nRUN apt-get update\n", &["DL3009"]);
        check_codes(
            "FROM a:1\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS build\nRUN apt-get update\nFROM b:1\nCOPY --from=build /x /x\n",
            &[],
        );
        check_codes(
            "FROM a:1 AS base\nRUN apt-get update\nFROM base\n",
            &["DL3009"],
        );
        check_fix(
            "FROM a:1\nRUN apt-get update\n",
            "DL3009",
            "FROM a:1\nRUN apt-get update && rm -rf /var/lib/apt/lists/*\n",
        );
        check_fix(
            "FROM a:1\nRUN set -e; \\\n    apt-get update;\n",
            "DL3009",
            "FROM a:1\nRUN set -e; \\\n    apt-get update; rm -rf /var/lib/apt/lists/*\n",
        );
    }
}

#[cfg(test)]
mod cleanup_tests {
    use crate::testing::check_codes;

    #[test]
    fn other_ways_to_delete_the_lists() {
        check_codes("FROM a:1\nRUN apt-get update; apt-get dist-clean\n", &[]);
        check_codes(
            "FROM a:1\nRUN apt-get update && rm -rf /var/lib/{apt,dpkg}/\n",
            &[],
        );
        check_codes("FROM a:1\nRUN apt-get update && rm -rf /var/lib/apt\n", &[]);
        check_codes(
            "FROM a:1\nRUN apt-get update && rm -rf /var/lib/aptitude\n",
            &["DL3009"],
        );
        check_codes(
            "FROM a:1\nRUN apt-get update && find /var/lib/apt/lists -type f -delete\n",
            &[],
        );
    }
}
