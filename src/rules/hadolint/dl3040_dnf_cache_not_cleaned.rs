//! DL3040: dnf installs without `dnf clean all` in the same RUN.

use super::util::{
    append_to_script, has_cache_mount, invocation_range, removes_recursively, rpm_action,
};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that installs or upgrades packages with `dnf` or `microdnf` and does not
    /// run `dnf clean all` (or delete dnf's cache directory) afterwards.
    ///
    /// ## Why is this bad?
    /// dnf keeps the repository metadata and the downloaded packages in its cache
    /// (`/var/cache/dnf`, or `/var/cache/libdnf5` with dnf5). Left there, they stay in the layer
    /// for good, often a hundred megabytes or more. Cleaning in a *later* RUN does not help: the
    /// earlier layer still holds the bytes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM fedora:40
    /// RUN dnf install -y httpd-2.4.62 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Appending `&& dnf clean all` (or `microdnf clean all`) to the RUN is safe: the
    /// installed packages stay, and a later command downloads fresh metadata when it needs it.
    ///
    /// ## Notes
    /// The commands checked are `install`, `upgrade`, `upgrade-minimal`, `reinstall` and their
    /// short forms (`in`, `up`, `up-min`, `rei`). One finding per RUN, at the last of them that
    /// no clean-up follows. Not reported when the RUN mounts a cache or tmpfs on dnf's cache
    /// directory.
    ///
    /// ## References
    /// Matches hadolint's DL3040, including inside `ONBUILD`. hadolint only knows dnf5's cache
    /// directory (`/var/cache/libdnf5`); layerwise also accepts deleting or mounting dnf4's
    /// `/var/cache/dnf` (and `/var/cache/yum`), which is where the dnf of Fedora before 41 and
    /// of RHEL 8/9 keeps it.
    pub static DL3040 = {
        code: "DL3040",
        name: "dnf-cache-not-cleaned",
        origin: Hadolint,
        severity: Warning,
        fix: Sometimes,
    }
}

const DNF_PROGRAMS: &[&str] = &["dnf", "microdnf"];

const CACHE_DIRS: &[&str] = &["/var/cache/libdnf5", "/var/cache/dnf", "/var/cache/yum"];

#[derive(Default)]
pub struct DnfCacheNotCleaned;

impl Rule for DnfCacheNotCleaned {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        let cache_mounted = [".cache/libdnf5"]
            .iter()
            .chain(CACHE_DIRS)
            .any(|dir| has_cache_mount(ctx, dir));
        if cache_mounted {
            return;
        }
        let Some((install, verb)) = ctx.commands.iter().rev().find_map(|cmd| {
            let action = rpm_action(cmd, DNF_PROGRAMS)?;
            matches!(
                action.verb.text.as_str(),
                "install"
                    | "in"
                    | "upgrade"
                    | "up"
                    | "upgrade-minimal"
                    | "up-min"
                    | "reinstall"
                    | "rei"
            )
            .then_some((cmd, action.verb))
        }) else {
            return;
        };
        let program = install.program();
        let cleaned = ctx.commands.iter().any(|cmd| {
            cmd.range.start() > install.range.start()
                && cmd.program() == program
                && rpm_action(cmd, DNF_PROGRAMS).is_some_and(|a| {
                    a.verb.text == "clean" && a.args.first().is_some_and(|w| w.text == "all")
                })
        }) || removes_recursively(&ctx.commands, install.range.start(), |path| {
            CACHE_DIRS.iter().any(|dir| path.starts_with(dir))
        });
        if cleaned {
            return;
        }
        let clean = format!("{program} clean all");
        let mut diagnostic = Diagnostic::new(
            &DL3040,
            invocation_range(install, verb),
            format!("{program}'s cache stays in the image: run `{clean}` at the end of this RUN"),
        );
        if let Some(edit) = append_to_script(ctx, &clean) {
            diagnostic = diagnostic.with_fix(Fix::safe(format!("Append `&& {clean}`"), vec![edit]));
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
            "FROM a:1\nRUN dnf install -y a-1 && dnf upgrade -y\n",
            &[("DL3040", "dnf upgrade")],
        );
        check_codes("FROM a:1\nRUN dnf install -y a-1 && dnf clean all\n", &[]);
        check_codes(
            "FROM a:1\nRUN microdnf install -y a-1 && microdnf clean all\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN microdnf install -y a-1 && dnf clean all\n",
            &["DL3040"],
        );
        for rm in ["/var/cache/libdnf5*", "/var/cache/dnf/*"] {
            check_codes(
                &format!("FROM a:1\nRUN dnf install -y a-1 && rm -rf {rm}\n"),
                &[],
            );
        }
        check_codes(
            "FROM a:1\nRUN dnf clean all && dnf install -y a-1\n",
            &["DL3040"],
        );
        for target in [
            "/var/cache/libdnf5",
            "/root/.cache/libdnf5",
            "/var/cache/dnf",
        ] {
            check_codes(
                &format!("FROM a:1\nRUN --mount=type=cache,target={target} dnf install -y a-1\n"),
                &[],
            );
        }
        for verb in ["in", "up", "upgrade-minimal", "up-min", "reinstall", "rei"] {
            check_codes(&format!("FROM a:1\nRUN dnf {verb} -y a-1\n"), &["DL3040"]);
        }
        check_codes("FROM a:1\nRUN dnf makecache\n", &[]);
        check_codes("FROM a:1\nONBUILD RUN dnf up -y\n", &["DL3040"]);
        check_fix(
            "FROM a:1\nRUN microdnf install -y a-1\n",
            "DL3040",
            "FROM a:1\nRUN microdnf install -y a-1 && microdnf clean all\n",
        );
    }
}
