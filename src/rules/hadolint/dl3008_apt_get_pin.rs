//! DL3008: unpinned packages in `apt-get install`.

use super::util::packages;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `apt-get install` that is not pinned to a version
    /// (`curl=8.5.0-2`).
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever version the archive holds on the day of the build.
    /// Two builds of the same Dockerfile can then differ, and a rebuild may pull a release that
    /// breaks the application. Pinning makes the build repeatable and upgrades deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 git && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 git=1:2.39.5-0+deb12u1 && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Notes
    /// Not reported: `.deb` files, paths and `pkg/release` selections, and words that are a
    /// variable (`$PACKAGES`), whose value is not known here. The value of `-t`/
    /// `--target-release` is not a package.
    ///
    /// ## References
    /// Matches hadolint's DL3008, which reports the RUN once; layerwise points at each unpinned
    /// package. hadolint also flags a variable list of packages; layerwise does not, since it
    /// cannot know what the variable holds.
    pub static DL3008 = {
        code: "DL3008",
        name: "apt-get-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct AptGetPin;

const APT_FLAGS_WITH_VALUES: &[&str] = &[
    "-t",
    "--target-release",
    "-o",
    "--option",
    "-c",
    "--config-file",
];

impl Rule for AptGetPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(pkgs) = packages(cmd, &["apt-get"], &["install"], APT_FLAGS_WITH_VALUES)
            else {
                continue;
            };
            for pkg in pkgs {
                let name = pkg.text.as_str();
                if name.contains('=')
                    || name.contains('/')
                    || name.ends_with(".deb")
                    || super::util::is_dynamic(pkg)
                {
                    continue;
                }
                acc.push(Diagnostic::new(
                    &DL3008,
                    pkg.range,
                    format!(
                        "`{name}` is not pinned: install a fixed version with `{name}=<version>`"
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn pins() {
        check_ranges(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends curl git=1:2.39 \\\n    ./local.deb wget\n",
            &[("DL3008", "curl"), ("DL3008", "wget")],
        );
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends -t bookworm-backports x=1\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends $PKGS\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN apt-get install -y --no-install-recommends curl/bookworm\n",
            &[],
        );
        check_codes(
            "FROM a:1\nRUN apt-get -y --no-install-recommends install \"curl=1\"\n",
            &[],
        );
    }
}
