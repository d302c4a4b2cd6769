//! DL3002: a stage whose last USER is root.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the last `USER` of a stage when it switches to root (`root`, `0`, `root:group`,
    /// `0:0`).
    ///
    /// ## Why is this bad?
    /// A container whose process runs as root turns any escape from the application (a
    /// vulnerability, a misconfigured mount) into root on the host's kernel interface.
    /// Switching to root for installation steps is fine; the image should switch back to an
    /// unprivileged user before it ends.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER root
    /// CMD ["bash"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm-slim
    /// USER root
    /// RUN useradd --uid 10001 app
    /// USER 10001
    /// CMD ["bash"]
    /// ```
    ///
    /// ## Notes
    /// A stage without any `USER` is LW1001's concern (it runs as root by default, which this
    /// rule does not report). Every stage is checked, as hadolint does.
    ///
    /// ## References
    /// Matches hadolint's DL3002: the range is the user name.
    pub static DL3002 = {
        code: "DL3002",
        name: "last-user-root",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct LastUserRoot {
    /// The last USER of the stage being walked.
    last_user: Option<ast::Instruction>,
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    name == "root" || name == "0"
}

impl LastUserRoot {
    fn report(&mut self, acc: &mut Vec<Diagnostic>) {
        let Some(user) = self.last_user.take() else {
            return;
        };
        let Some(arg) = user.arguments().next() else {
            return;
        };
        let text = arg.text();
        if is_root(&text) {
            acc.push(Diagnostic::new(
                &DL3002,
                arg.range(),
                format!(
                    "the stage ends as `USER {text}`: switch to an unprivileged user before it ends"
                ),
            ));
        }
    }
}

impl Rule for LastUserRoot {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        match instr.kind() {
            SyntaxKind::FROM_INSTR => self.report(acc),
            SyntaxKind::USER_INSTR => self.last_user = Some(instr.clone()),
            _ => {}
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx) {
        self.report(acc);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_ranges;

    #[test]
    fn last_user() {
        check_ranges("FROM a:1\nUSER root\n", &[("DL3002", "root")]);
        check_ranges("FROM a:1\nUSER 0:0\n", &[("DL3002", "0:0")]);
        check_ranges("FROM a:1\nUSER root\nUSER 1000\n", &[]);
        check_ranges(
            "FROM a:1\nUSER root\nFROM b:1\nUSER 1000\n",
            &[("DL3002", "root")],
        );
        check_ranges("FROM a:1\nRUN id\n", &[]);
    }
}
