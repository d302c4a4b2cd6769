//! DL3032: `yum install` without `yum clean all` in the same RUN.

use super::util::{
    append_to_script, has_cache_mount, invocation_range, removes_recursively, rpm_action,
};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that installs packages with yum and does not run `yum clean all` (or
    /// delete `/var/cache/yum`) afterwards.
    ///
    /// ## Why is this bad?
    /// yum keeps the repository metadata and the downloaded packages under `/var/cache/yum`.
    /// Left there, they stay in the layer for good, often tens of megabytes. Cleaning in a
    /// *later* RUN does not help: the earlier layer still holds the bytes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM centos:7
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Appending `&& yum clean all` to the RUN is safe: the installed packages stay, and a
    /// later yum command downloads fresh metadata when it needs it.
    ///
    /// ## Notes
    /// One finding per RUN, at the last install that no clean-up follows. Not reported when
    /// the RUN mounts a cache or tmpfs on `/var/cache/yum`.
    ///
    /// ## References
    /// Matches hadolint's DL3032, including inside `ONBUILD`. layerwise also checks
    /// `groupinstall`, `localinstall` and `group install`, which fill the same cache, and
    /// accepts a cache mount, which keeps the cache out of the layer.
    pub static DL3032 = {
        code: "DL3032",
        name: "yum-cache-not-cleaned",
        origin: Hadolint,
        severity: Warning,
        fix: Sometimes,
    }
}

#[derive(Default)]
pub struct YumCacheNotCleaned;

impl Rule for YumCacheNotCleaned {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        if has_cache_mount(ctx, "/var/cache/yum") {
            return;
        }
        let Some((install, verb)) = ctx.commands.iter().rev().find_map(|cmd| {
            let action = rpm_action(cmd, &["yum"])?;
            matches!(
                action.verb.text.as_str(),
                "install" | "groupinstall" | "localinstall"
            )
            .then_some((cmd, action.verb))
        }) else {
            return;
        };
        let cleaned = ctx.commands.iter().any(|cmd| {
            cmd.range.start() > install.range.start()
                && rpm_action(cmd, &["yum"]).is_some_and(|a| {
                    a.verb.text == "clean" && a.args.first().is_some_and(|w| w.text == "all")
                })
        }) || removes_recursively(&ctx.commands, install.range.start(), |path| {
            path.starts_with("/var/cache/yum")
        });
        if cleaned {
            return;
        }
        let mut diagnostic = Diagnostic::new(
            &DL3032,
            invocation_range(install, verb),
            "yum's cache stays in the image: run `yum clean all` at the end of this RUN",
        );
        if let Some(edit) = append_to_script(ctx, "yum clean all") {
            diagnostic = diagnostic.with_fix(Fix::safe("Append `&& yum clean all`", vec![edit]));
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
            "FROM a:1\nRUN yum install -y a-1 && yum install -y b-1\n",
            &[("DL3032", "yum install")],
        );
        check_codes("FROM a:1\nRUN yum install -y a-1 && yum clean all\n", &[]);
        check_codes(
            "FROM a:1\nRUN yum install -y a-1 && rm -rf /var/cache/yum\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN yum clean all && yum install -y a-1\n",
            &["DL3032"],
        );
        check_codes(
            "FROM a:1\nRUN yum install -y a-1 && yum clean metadata\n",
            &["DL3032"],
        );
        check_codes(
            "FROM a:1\nRUN --mount=type=cache,target=/var/cache/yum yum install -y a-1\n",
            &[],
        );
        check_codes("FROM a:1\nONBUILD RUN yum install -y a-1\n", &["DL3032"]);
        check_codes("FROM a:1\nRUN yum makecache\n", &[]);
        check_fix(
            "FROM a:1\nRUN yum install -y a-1\n",
            "DL3032",
            "FROM a:1\nRUN yum install -y a-1 && yum clean all\n",
        );
    }
}
