//! DL3037: unpinned packages in `zypper install`.

use super::util::{ZYPPER_FLAGS_WITH_VALUES, is_dynamic, packages};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::shell::Command;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `zypper install` (or `zypper in`) that is not pinned to a version
    /// (`curl=8.6.0`, `'curl>=8'`).
    ///
    /// ## Why is this bad?
    /// Without a version zypper installs whatever the repositories hold on the day of the
    /// build, so two builds of the same Dockerfile can differ, and an update can break the
    /// image without any change to it. Naming the version makes upgrades deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 git && zypper clean
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// RUN zypper --non-interactive install curl=8.6.0 git=2.43.0 && zypper clean
    /// ```
    ///
    /// ## Notes
    /// A version constraint with `=`, `>` or `<` counts as a pin, as does a package file
    /// (`.rpm`). A word that is a variable (`$PACKAGES`) is not reported, since its value is not
    /// known here, nor are the values of options such as `--from repo`. Installs of other kinds
    /// of items (`-t pattern`, `-t patch`…) are not checked: those have no versions to pin.
    ///
    /// ## References
    /// Matches hadolint's DL3037, which reports the RUN once; layerwise points at each unpinned
    /// package. Where hadolint is wrong, layerwise skips variables, option values, and
    /// `-t`/`--type` installs of patterns, patches and products.
    pub static DL3037 = {
        code: "DL3037",
        name: "zypper-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct ZypperPin;

impl Rule for ZypperPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(pkgs) = packages(
                cmd,
                &["zypper"],
                &["install", "in"],
                ZYPPER_FLAGS_WITH_VALUES,
            ) else {
                continue;
            };
            if installs_other_kind(cmd) {
                continue;
            }
            for pkg in pkgs {
                let name = pkg.text.as_str();
                if name.contains(['=', '>', '<']) || name.ends_with(".rpm") || is_dynamic(pkg) {
                    continue;
                }
                acc.push(Diagnostic::new(
                    &DL3037,
                    pkg.range,
                    format!(
                        "`{name}` is not pinned: install a fixed version with `{name}=<version>`"
                    ),
                ));
            }
        }
    }
}

/// `-t pattern`, `--type=patch`…: the command installs something other than packages.
fn installs_other_kind(cmd: &Command) -> bool {
    cmd.args.iter().enumerate().any(|(idx, arg)| {
        let kind = match arg.text.as_str() {
            "-t" | "--type" => cmd.args.get(idx + 1).map(|w| w.text.as_str()),
            text => text
                .strip_prefix("--type=")
                .or_else(|| text.strip_prefix("-t").filter(|k| !k.is_empty())),
        };
        kind.is_some_and(|k| k != "package")
    })
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    fn run(args: &str) -> String {
        format!("FROM a:1\nRUN zypper -n install {args} && zypper clean\n")
    }

    #[test]
    fn pins() {
        check_ranges(
            &run("curl=8.6 git \\\n    'vim>=9' ./x.rpm wget"),
            &[("DL3037", "git"), ("DL3037", "wget")],
        );
        for pinned in [
            "'curl<9'",
            "$PACKAGES",
            "--from repo-oss curl=8",
            "-t pattern devel_basis",
            "--type=patch x",
        ] {
            check_codes(&run(pinned), &[]);
        }
        check_codes(&run("-t package curl"), &["DL3037"]);
        check_codes(
            "FROM a:1\nRUN zypper -n in curl && zypper cc\n",
            &["DL3037"],
        );
        check_codes("FROM a:1\nRUN zypper -n remove curl\n", &[]);
        check_codes(
            "FROM a:1\nONBUILD RUN zypper -n in curl && zypper cc\n",
            &["DL3037"],
        );
    }
}
