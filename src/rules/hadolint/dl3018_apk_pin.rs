//! DL3018: unpinned packages in `apk add`.

use super::util::{APK_FLAGS_WITH_VALUES, is_dynamic, packages};
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags each package in `apk add` that is not pinned to a version (`curl=8.9.1-r1`).
    ///
    /// ## Why is this bad?
    /// An unpinned package installs whatever the Alpine repository holds on the day of the
    /// build, so two builds of the same Dockerfile can differ. Pinning makes the build
    /// repeatable and upgrades a deliberate change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r1 git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl=8.9.1-r1 git=2.45.2-r0
    /// ```
    ///
    /// ## Notes
    /// A constraint with `=`, `~`, `>` or `<` counts as a pin (`curl~8.9`), as does a package
    /// file (`.apk`). The values of `-t`/`--virtual` (a virtual package's name) and
    /// `-X`/`--repository` are not packages. A word that is a variable (`$PACKAGES`) is not
    /// reported: its value is not known here.
    ///
    /// ## References
    /// Matches hadolint's DL3018, which reports the RUN once; layerwise points at each unpinned
    /// package. hadolint also flags a variable list of packages; layerwise does not, since it
    /// cannot know what the variable holds.
    pub static DL3018 = {
        code: "DL3018",
        name: "apk-unpinned",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct ApkPin;

impl Rule for ApkPin {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands.iter() {
            let Some(pkgs) = packages(cmd, &["apk"], &["add"], APK_FLAGS_WITH_VALUES) else {
                continue;
            };
            for pkg in pkgs {
                let name = pkg.text.as_str();
                if name.contains(['=', '~', '>', '<']) || name.ends_with(".apk") || is_dynamic(pkg)
                {
                    continue;
                }
                acc.push(Diagnostic::new(
                    &DL3018,
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
            "FROM a:1\nRUN apk add --no-cache -t .build-deps curl=8 git \\\n    --virtual .x 'musl>1' ./local.apk bash\n",
            &[("DL3018", "git"), ("DL3018", "bash")],
        );
        check_codes(
            "FROM a:1\nRUN apk add --no-cache -X https://r.example/edge curl~8.9 $EXTRA\n",
            &[],
        );
        check_codes("FROM a:1\nRUN apk --no-cache add curl\n", &["DL3018"]);
        check_codes("FROM a:1\nRUN apk del curl\n", &[]);
        check_codes(
            "FROM a:1\nONBUILD RUN apk add --no-cache curl\n",
            &["DL3018"],
        );
    }
}
