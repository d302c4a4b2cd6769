//! DL3015: `apt-get install` without `--no-install-recommends`.

use rowan::TextRange;

use super::util::{has_flag, positional_args};
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `--no-install-recommends`.
    ///
    /// ## Why is this bad?
    /// By default apt also installs every package the requested ones *recommend*: documentation
    /// tools, optional libraries, sometimes whole language runtimes. They are rarely needed in a
    /// container and often double a layer's size.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get install -y curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// ## Fix safety
    /// The fix is unsafe: a program may rely on a recommended package (for example
    /// `ca-certificates` recommended by `curl`); add such packages explicitly.
    ///
    /// ## References
    /// Matches hadolint's DL3015; `-o APT::Install-Recommends=false` counts as well.
    pub static DL3015 = {
        code: "DL3015",
        name: "apt-get-recommends",
        origin: Hadolint,
        severity: Info,
        fix: Always,
    }
}

#[derive(Default)]
pub struct AptGetRecommends;

impl Rule for AptGetRecommends {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for cmd in ctx.commands_named("apt-get") {
            let positional =
                positional_args(cmd, &["-t", "--target-release", "-o", "--option", "-c"]);
            let Some(sub) = positional.first().filter(|w| w.text == "install") else {
                continue;
            };
            let disabled_by_option = cmd
                .args
                .iter()
                .any(|a| a.text.contains("APT::Install-Recommends=false"));
            if has_flag(cmd, &["--no-install-recommends"]) || disabled_by_option {
                continue;
            }
            let range = TextRange::new(cmd.name.range.start(), sub.range.end());
            acc.push(
                Diagnostic::new(&DL3015, range, "`apt-get install` also installs recommended packages: add `--no-install-recommends`")
                    .with_fix(Fix::unsafe_(
                        "Add `--no-install-recommends`",
                        vec![Edit::insert(sub.range.end(), " --no-install-recommends")],
                    )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn recommends() {
        let run = |s: &str| format!("FROM a:1\nRUN apt-get install -y {s} x=1\n");
        check_codes(&run(""), &["DL3015"]);
        check_codes(&run("--no-install-recommends"), &[]);
        check_codes(&run("-o APT::Install-Recommends=false"), &[]);
        check_fix(
            "FROM a:1\nRUN apt-get install -y x=1\n",
            "DL3015",
            "FROM a:1\nRUN apt-get install --no-install-recommends -y x=1\n",
        );
    }
}
