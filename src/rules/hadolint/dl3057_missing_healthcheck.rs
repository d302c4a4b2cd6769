//! DL3057: a stage without HEALTHCHECK (off by default).

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::stage_state::StageState;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a stage that has no `HEALTHCHECK`, directly or through the stage it builds on.
    /// Off by default; turn it on with a severity override (`--warning DL3057`).
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and Swarm only know whether the process runs, not
    /// whether it serves. A hung server keeps receiving traffic.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/"]
    /// ```
    ///
    /// ## Known problems
    /// Kubernetes ignores `HEALTHCHECK` (it uses probes), and build stages never run, which is
    /// why the rule is off by default.
    ///
    /// ## References
    /// Matches hadolint's DL3057, reported at each FROM.
    pub static DL3057 = {
        code: "DL3057",
        name: "missing-healthcheck",
        origin: Hadolint,
        severity: Info,
        fix: None,
        enabled: false,
    }
}

#[derive(Default)]
pub struct MissingHealthcheck {
    has_healthcheck: StageState<bool>,
}

impl Rule for MissingHealthcheck {
    fn check(&mut self, _acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.in_onbuild {
            return;
        }
        self.has_healthcheck.visit(ctx, instr);
        if instr.kind() == SyntaxKind::HEALTHCHECK_INSTR && ctx.stage_idx.is_some() {
            *self.has_healthcheck.current() = true;
        }
    }

    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        for (stage, has) in ctx.model.stages.iter().zip(self.has_healthcheck.all()) {
            if !has {
                let range = stage.image_range.unwrap_or(stage.from_range);
                acc.push(Diagnostic::new(
                    &DL3057,
                    range,
                    "this stage has no HEALTHCHECK",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;
    use crate::diagnostics::lint;
    use crate::rules::Severity;
    use crate::syntax::parse;

    fn codes(text: &str) -> Vec<&'static str> {
        let mut config = Config::default();
        config.overrides.push(("DL3057".into(), Severity::Warning));
        lint(&parse(text), &config).iter().map(|d| d.code).collect()
    }

    #[test]
    fn off_by_default_and_on_when_overridden() {
        crate::testing::check_codes("FROM a:1\n", &[]);
        assert_eq!(codes("FROM a:1\n"), ["DL3057"]);
        assert_eq!(codes("FROM a:1\nHEALTHCHECK NONE\n"), Vec::<&str>::new());
        assert_eq!(
            codes("FROM a:1 AS b\nHEALTHCHECK NONE\nFROM b\n"),
            Vec::<&str>::new()
        );
    }
}
