//! DL4000: the deprecated MAINTAINER instruction.

use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Edit, Fix};
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags the `MAINTAINER` instruction.
    ///
    /// ## Why is this bad?
    /// `MAINTAINER` has been deprecated since Docker 1.13. It sets a legacy `Author` field that
    /// registries and scanners ignore. The OCI label `org.opencontainers.image.authors` carries
    /// the same information where tools look for it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// MAINTAINER Jane Doe <jane@example.com>
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    ///
    /// ## Fix safety
    /// The fix is safe: it replaces the instruction with the equivalent label and keeps the
    /// text, quoting it as needed.
    ///
    /// ## References
    /// Matches hadolint's DL4000 and BuildKit's MaintainerDeprecated check; either name
    /// suppresses it.
    pub static DL4000 = {
        code: "DL4000",
        name: "maintainer-deprecated",
        origin: Hadolint,
        severity: Error,
        fix: Always,
        aliases: ["MaintainerDeprecated"],
    }
}

#[derive(Default)]
pub struct MaintainerDeprecated;

impl Rule for MaintainerDeprecated {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        // Inside ONBUILD it is not allowed at all: DL3043's finding.
        if instr.kind() != SyntaxKind::MAINTAINER_INSTR || ctx.in_onbuild {
            return;
        }
        let author = instr.args_text();
        let mut diagnostic = Diagnostic::new(
            &DL4000,
            instr.keyword_range(),
            "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors",
        );
        if !author.is_empty() {
            let quoted = author.replace('\\', "\\\\").replace('"', "\\\"");
            let label = format!("LABEL org.opencontainers.image.authors=\"{quoted}\"");
            diagnostic = diagnostic.with_fix(Fix::safe(
                "Replace with `LABEL org.opencontainers.image.authors`",
                vec![Edit::replace(instr.line_range(), label)],
            ));
        }
        acc.push(diagnostic);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{check_codes, check_fix};

    #[test]
    fn maintainer() {
        check_codes("FROM a:1\nMAINTAINER me\n", &["DL4000"]);
        check_codes("FROM a:1\nLABEL maintainer=me\n", &[]);
        check_fix(
            "FROM a:1\nMAINTAINER Jane \"JD\" Doe <jane@example.com>\n",
            "DL4000",
            "FROM a:1\nLABEL org.opencontainers.image.authors=\"Jane \\\"JD\\\" Doe <jane@example.com>\"\n",
        );
    }
}
