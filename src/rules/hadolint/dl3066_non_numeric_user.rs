//! DL3066: the image's final USER is a name, not a numeric UID.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the last `USER` of the final stage when it names a user instead of giving a
    /// numeric UID.
    ///
    /// ## Why is this bad?
    /// Kubernetes' `runAsNonRoot` (and similar admission policies) can only verify a numeric
    /// UID: with `USER app` the pod is refused, because the platform cannot tell from the image
    /// metadata that `app` is not root. `USER 10001` (or `10001:10001`) is checkable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN adduser -D -u 10001 app
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN adduser -D -u 10001 app
    /// USER 10001
    /// ```
    ///
    /// ## Notes
    /// A USER taken from a build argument (`USER $UID`) is not reported, nor `USER root`,
    /// which is DL3002's finding.
    ///
    /// ## References
    /// hadolint 2.15 reports DL3066 on *every* USER instruction (even in build stages and for
    /// `USER root`), which made it fail CI widely (hadolint#1234, #1240); upstream then limited
    /// it to the last USER of the last stage (PR #1239). layerwise implements the corrected
    /// behaviour.
    pub static DL3066 = {
        code: "DL3066",
        name: "non-numeric-user",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

#[derive(Default)]
pub struct NonNumericUser {
    /// The last USER of each stage so far, inherited through `FROM <stage>`.
    last_user: StageState<Option<ast::Instruction>>,
}

impl Rule for NonNumericUser {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.last_user.visit(ctx, instr);
        if instr.kind() == SyntaxKind::USER_INSTR {
            *self.last_user.current() = Some(instr.clone());
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, _ctx: &RuleCtx) {
        // The final stage's user, possibly set by a stage it builds on.
        let Some(Some(user)) = self.last_user.all().last() else {
            return;
        };
        let Some(arg) = user.arguments().next() else {
            return;
        };
        let text = arg.text();
        let uid = text.split(':').next().unwrap_or("");
        if uid == "root"
            || uid.is_empty()
            || uid.contains('$')
            || uid.bytes().all(|b| b.is_ascii_digit())
        {
            return;
        }
        acc.push(Diagnostic::new(
            &DL3066,
            arg.range(),
            format!("`USER {uid}` is a name: use the numeric UID so platforms can verify the image does not run as root"),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::check_codes;

    #[test]
    fn users() {
        check_codes("FROM a:1\nUSER app\n", &["DL3066"]);
        check_codes("FROM a:1\nUSER 1000:1000\n", &[]);
        check_codes("FROM a:1\nUSER app\nFROM b:1\nUSER 1000\n", &[]);
        check_codes("FROM a:1\nUSER app\nUSER 1000\n", &[]);
        check_codes("FROM a:1\nARG UID=1000\nUSER $UID\n", &[]);
    }
}
