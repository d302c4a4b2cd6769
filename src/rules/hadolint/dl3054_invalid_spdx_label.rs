//! DL3054: a label of type `spdx` in the label schema whose value is not an SPDX licence
//! expression.

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `spdx` when its value is not
    /// an SPDX licence expression: a licence identifier from the SPDX licence list
    /// (`Apache-2.0`, `GPL-3.0-or-later`), a `LicenseRef-…`, or several joined with `AND`,
    /// `OR`, `WITH` and parentheses (`MIT OR Apache-2.0`). When the value is a common
    /// misspelling of a licence, the message names the identifier it probably means.
    ///
    /// ## Why is this bad?
    /// Licence scanners and software bills of materials read
    /// `org.opencontainers.image.licenses` by machine. Free text such as `Apache 2` or
    /// `BSD` does not match any licence, so the image shows up as unlicensed or needs a
    /// manual review.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache 2.0"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache-2.0"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `spdx`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.licenses: spdx
    /// ```
    ///
    /// ## Known problems
    /// Identifiers must be written in the case of the SPDX list (`MIT`, not `mit`); the
    /// message then suggests the right spelling. Deprecated identifiers (`GPL-2.0`,
    /// `GPL-2.0+`) are accepted: they are still in the list. So is `NOASSERTION`, SPDX's
    /// explicit "licence not stated".
    ///
    /// ## References
    /// Matches hadolint's DL3054, which accepts a single current licence identifier only;
    /// this rule accepts any SPDX licence expression (`MIT OR Apache-2.0`, `… WITH
    /// LLVM-exception`, `LicenseRef-…`), as the OCI image specification asks for in
    /// `org.opencontainers.image.licenses`, and deprecated identifiers. Values holding a variable are not checked and an
    /// empty value is left to DL3051. SPDX specification, annex D (licence expressions).
    pub static DL3054 = {
        code: "DL3054",
        name: "invalid-spdx-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidSpdxLabel;

impl Rule for InvalidSpdxLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Spdx) {
            if is_spdx_expression(&pair.value) {
                continue;
            }
            let message = match suggestion(&pair.value) {
                Some(expression) => format!(
                    "label `{}` is not an SPDX licence expression; did you mean `{expression}`?",
                    pair.key
                ),
                None => format!("label `{}` is not an SPDX licence expression", pair.key),
            };
            acc.push(Diagnostic::new(&DL3054, pair.value_range, message));
        }
    }
}

/// The specification's syntax with the licence list's identifiers, in their exact case.
/// Deprecated identifiers and a `+` after a GNU licence are still valid SPDX, only
/// discouraged, so they pass.
const PARSE_MODE: spdx::ParseMode = spdx::ParseMode {
    allow_deprecated: true,
    allow_postfix_plus_on_gpl: true,
    ..spdx::ParseMode::STRICT
};

/// Whether `text` is an SPDX licence expression (a single identifier is one).
pub fn is_spdx_expression(text: &str) -> bool {
    spdx::Expression::parse_mode(text, PARSE_MODE).is_ok()
}

/// The valid expression a sloppy one (`apache 2`, `mit/gpl-3.0+`, lower-case operators)
/// probably means.
fn suggestion(text: &str) -> Option<String> {
    spdx::Expression::canonicalize(text)
        .ok()
        .flatten()
        .filter(|expression| is_spdx_expression(expression))
}

#[cfg(test)]
mod tests {
    use super::{is_spdx_expression, suggestion};
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn valid_expressions() {
        for ok in [
            "MIT",
            "Apache-2.0",
            "GPL-3.0-or-later",
            "GPL-2.0-only",
            "GPL-2.0",
            "GPL-2.0+",
            "LGPL-2.1+",
            "MIT OR Apache-2.0",
            "MIT or Apache-2.0",
            "(MIT OR Apache-2.0) AND BSD-3-Clause",
            "Apache-2.0 WITH LLVM-exception",
            "LicenseRef-Proprietary",
            "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2",
            "CC-BY-4.0",
            "0BSD",
            // SPDX's "no licence information" value.
            "NOASSERTION",
        ] {
            assert!(is_spdx_expression(ok), "{ok}");
        }
    }

    #[test]
    fn invalid_expressions() {
        for bad in [
            "",
            "mit",
            "Apache 2",
            "Apache License 2.0",
            "BSD",
            "GPL",
            "MIT/Apache-2.0",
            "MIT OR",
            "(MIT",
            "MIT Apache-2.0",
            "MIT WITH Apache-2.0",
            "Proprietary",
            "https://opensource.org/licenses/MIT",
        ] {
            assert!(!is_spdx_expression(bad), "{bad}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggestion("MIT/Apache-2.0").as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(suggestion("Apache 2.0").as_deref(), Some("Apache-2.0"));
        assert_eq!(suggestion("mit").as_deref(), Some("MIT"));
        assert_eq!(
            suggestion("gpl-3.0+ or apache2").as_deref(),
            Some("GPL-3.0-or-later OR Apache-2.0")
        );
        assert_eq!(suggestion("Apache 2"), None);
        assert_eq!(suggestion("Proprietary"), None);
    }

    #[test]
    fn reports_at_the_value() {
        let schema = [("licenses", LabelType::Spdx)];
        let text = "FROM a:1\nLABEL licenses=\"Apache 2\" licenses=\"MIT OR Apache-2.0\"\n";
        assert_eq!(findings(text, "DL3054", &schema, false), ["\"Apache 2\""]);
    }
}
