//! DL4005: replacing `/bin/sh` with `ln` to change the shell of RUN.

use super::util::positional_args;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags an `ln` command that makes `/bin/sh` a link to another program.
    ///
    /// ## Why is this bad?
    /// Relinking `/bin/sh` (usually to get bash for the following RUNs) changes the shell of
    /// every script in the image, including the distribution's own maintainer scripts and
    /// anything the application starts with `sh -c`, which may rely on the original shell.
    /// The `SHELL` instruction changes the shell that RUN, CMD and ENTRYPOINT use, and nothing
    /// else.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL4005, including inside `ONBUILD`; layerwise points at the `ln`
    /// command. hadolint reports any `ln` with `/bin/sh` among its arguments; layerwise only
    /// reports it when `/bin/sh` is the link being made (the last argument), so
    /// `ln -s /bin/sh /usr/local/bin/sh` is not reported.
    pub static DL4005 = {
        code: "DL4005",
        name: "ln-bin-sh",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct LnBinSh;

impl Rule for LnBinSh {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, _instr: &ast::Instruction) {
        for ln in ctx.commands_named("ln") {
            let positional = positional_args(ln, &["-S", "--suffix", "-t", "--target-directory"]);
            if positional.len() < 2 || positional.last().is_none_or(|w| w.text != "/bin/sh") {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL4005,
                ln.range,
                "relinking `/bin/sh` changes the shell of every script in the image: use SHELL to change the shell of RUN",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_ranges};

    #[test]
    fn ln() {
        check_ranges(
            "FROM a:1\nRUN ln -sf /bin/bash /bin/sh && echo ok\n",
            &[("DL4005", "ln -sf /bin/bash /bin/sh")],
        );
        check_codes("FROM a:1\nRUN ln -sfT bash /bin/sh\n", &["DL4005"]);
        check_codes(
            "FROM a:1\nONBUILD RUN ln -sf /bin/bash /bin/sh\n",
            &["DL4005"],
        );
        check_codes("FROM a:1\nRUN ln -s /bin/sh /usr/local/bin/sh\n", &[]);
        check_codes(
            "FROM a:1\nRUN ln -s /opt/app/bin/app /usr/local/bin/app\n",
            &[],
        );
    }
}
