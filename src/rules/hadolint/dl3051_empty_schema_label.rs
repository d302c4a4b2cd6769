//! DL3051: a label of the label schema set to an empty value.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::{in_schema, label_pairs};

declare_rule! {
    /// ## What it does
    /// Flags a label of the configured label schema whose value is empty or only white
    /// space, whatever the label's type.
    ///
    /// ## Why is this bad?
    /// An empty label satisfies the letter of the schema (the label is there) but not its
    /// purpose: tools reading it get nothing. It usually comes from a build argument that
    /// was left unset in a copied `LABEL` line, or from a placeholder never filled in.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title=""
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title="api"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type (`text`, `url`, `semver`, `hash`, `rfc3339`, `spdx`, `email`),
    /// and `--require-label name:type` (or `HADOLINT_REQUIRE_LABELS=name:type,…`) adds
    /// entries. Every label of the schema is checked, whatever its type. The examples
    /// assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.title: text
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3051, except that a value of only white space counts as empty
    /// too. A value holding a variable (`$TITLE`) is not checked: it is known only at build
    /// time. An empty value is reported here only; the type rules (DL3052–DL3058) leave it
    /// alone, where hadolint reports it a second time as, say, "not a valid URL".
    pub static DL3051 = {
        code: "DL3051",
        name: "empty-schema-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct EmptySchemaLabel;

impl Rule for EmptySchemaLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if ctx.options.label_schema.is_empty() {
            return;
        }
        for pair in label_pairs(ctx, instr) {
            if pair.value_has_variables || !pair.is_blank() || !in_schema(ctx, &pair.key) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3051,
                pair.value_range,
                format!("label `{}` is empty", pair.key),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    const SCHEMA: &[(&str, LabelType)] = &[("title", LabelType::Text), ("url", LabelType::Url)];

    fn empty(text: &str) -> Vec<&str> {
        findings(text, "DL3051", SCHEMA, false)
    }

    #[test]
    fn empty_values() {
        assert_eq!(
            empty("FROM a:1\nLABEL title=\"\" url='' other=\"\"\n"),
            ["\"\"", "''"]
        );
        assert_eq!(empty("FROM a:1\nLABEL title=\"  \"\n"), ["\"  \""]);
        assert_eq!(empty("FROM a:1\nLABEL title=api\n"), Vec::<&str>::new());
    }

    #[test]
    fn a_pair_without_value_is_reported_at_its_key() {
        assert_eq!(empty("FROM a:1\nLABEL title=\n"), ["title"]);
    }

    #[test]
    fn variables_are_not_checked() {
        assert_eq!(
            empty("FROM a:1\nARG T\nLABEL title=$T url=\"${U}\"\n"),
            Vec::<&str>::new()
        );
    }
}
