//! DL1001: inline `# hadolint ignore=` pragmas (off by default).

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::semantic::PragmaTool;

declare_rule! {
    /// ## What it does
    /// Flags `# hadolint ignore=…` comments. Off by default: a policy rule for teams that want
    /// exceptions in configuration, where they are reviewed, rather than scattered in files.
    ///
    /// ## Why is this bad?
    /// An inline pragma silences a rule where a reviewer may not notice. Central configuration
    /// keeps the list of accepted exceptions in one place.
    ///
    /// ## Example
    /// ```dockerfile
    /// # hadolint ignore=DL3006
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:bookworm
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL1001 (enable it with `--warning DL1001` or an `override` entry).
    /// `# layerwise ignore=` pragmas are not reported.
    pub static DL1001 = {
        code: "DL1001",
        name: "inline-ignore-pragma",
        origin: Hadolint,
        severity: Info,
        fix: None,
        enabled: false,
    }
}

#[derive(Default)]
pub struct InlineIgnorePragma;

impl Rule for InlineIgnorePragma {
    fn finish(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx) {
        for pragma in ctx
            .model
            .pragmas
            .iter()
            .filter(|p| p.tool == PragmaTool::Hadolint)
        {
            acc.push(Diagnostic::new(
                &DL1001,
                pragma.range,
                "inline ignore pragma: prefer the configuration file",
            ));
        }
    }
}
