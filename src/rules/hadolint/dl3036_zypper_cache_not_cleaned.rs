//! DL3036: `zypper install` without `zypper clean` in the same RUN.

use super::util::{
    ZYPPER_FLAGS_WITH_VALUES, append_to_script, has_cache_mount, invocation_range, positional_args,
    removes_recursively,
};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that installs packages with zypper and does not run `zypper clean` (or
    /// delete `/var/cache/zypp`) afterwards.
    ///
    /// ## Why is this bad?
    /// zypper keeps repository metadata and downloaded packages under `/var/cache/zypp`. Left
    /// there, they stay in the layer for good. Cleaning in a *later* RUN does not help: the
    /// earlier layer still holds the bytes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 && zypper clean --all
    /// ```
    ///
    /// ## Fix safety
    /// The fix appends `&& zypper clean --all`, which also removes the repository metadata
    /// (a bare `zypper clean` only removes downloaded packages, which zypper usually deletes
    /// anyway). It is unsafe: a later zypper command in the image needs the metadata again, and
    /// fetches it by itself only for repositories that refresh automatically.
    ///
    /// ## Notes
    /// One finding per RUN, at the last install that no clean-up follows. Any `zypper clean`
    /// (or `zypper cc`) after it satisfies the rule, as does an `rm -r` of `/var/cache/zypp` or
    /// a cache or tmpfs mount there.
    ///
    /// ## References
    /// Matches hadolint's DL3036, including inside `ONBUILD`. layerwise also accepts deleting
    /// `/var/cache/zypp` with `rm -r`, which leaves the layer just as clean.
    pub static DL3036 = {
        code: "DL3036",
        name: "zypper-cache-not-cleaned",
        origin: Hadolint,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct ZypperCacheNotCleaned;

fn subcommand<'c>(cmd: &'c Command, names: &[&str]) -> Option<&'c crate::shell::Word> {
    if cmd.program() != "zypper" {
        return None;
    }
    positional_args(cmd, ZYPPER_FLAGS_WITH_VALUES)
        .first()
        .copied()
        .filter(|w| names.contains(&w.text.as_str()))
}

impl Rule for ZypperCacheNotCleaned {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if has_cache_mount(ctx, "/var/cache/zypp") {
            return;
        }
        let Some((install, sub)) = ctx
            .commands
            .iter()
            .rev()
            .find_map(|cmd| Some((cmd, subcommand(cmd, &["install", "in"])?)))
        else {
            return;
        };
        let cleaned = ctx.commands.iter().any(|cmd| {
            cmd.range.start() > install.range.start() && subcommand(cmd, &["clean", "cc"]).is_some()
        }) || removes_recursively(&ctx.commands, install.range.start(), |path| {
            path.starts_with("/var/cache/zypp")
        });
        if cleaned {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &DL3036,
            invocation_range(install, sub),
            "zypper's cache stays in the image: run `zypper clean` at the end of this RUN",
        );
        if let Some(edit) = append_to_script(ctx, "zypper clean --all") {
            diagnostic =
                diagnostic.with_fix(Fix::unsafe_("Append `&& zypper clean --all`", vec![edit]));
        }
        acc.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix, check_ranges};

    #[test]
    fn clean() {
        check_ranges(
            "FROM a:1\nRUN zypper -n in a=1 && zypper -n install b=1\n",
            &[("DL3036", "zypper -n install")],
        );
        for clean in ["zypper clean", "zypper cc -a", "rm -rf /var/cache/zypp/*"] {
            check_codes(&format!("FROM a:1\nRUN zypper -n in a=1 && {clean}\n"), &[]);
        }
        check_codes(
            "FROM a:1\nRUN zypper clean && zypper -n in a=1\n",
            &["DL3036"],
        );
        check_codes(
            "FROM a:1\nRUN --mount=type=cache,target=/var/cache/zypp zypper -n in a=1\n",
            &[],
        );
        check_codes("FROM a:1\nRUN zypper -n refresh\n", &[]);
        check_codes("FROM a:1\nONBUILD RUN zypper -n in a=1\n", &["DL3036"]);
        check_fix(
            "FROM a:1\nRUN zypper -n in a=1\n",
            "DL3036",
            "FROM a:1\nRUN zypper -n in a=1 && zypper clean --all\n",
        );
    }
}
