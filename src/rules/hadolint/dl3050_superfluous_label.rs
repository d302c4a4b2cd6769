//! DL3050: with strict labels, a label the label schema does not list.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::{in_schema, label_pairs};

declare_rule! {
    /// ## What it does
    /// When strict labels are on, flags each `LABEL` key that the configured label schema
    /// does not list.
    ///
    /// ## Why is this bad?
    /// A strict schema is a team's decision that images carry exactly the agreed labels.
    /// An extra key is often a typo of a schema label (`org.opencontainers.image.verison`)
    /// or metadata that belongs somewhere else, and it is easy to miss in review.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.4.2" build-host="ci-runner-7"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.4.2"
    /// ```
    ///
    /// ## Options
    /// Off unless `strict-labels: true` is set in `.hadolint.yaml` (or `--strict-labels`, or
    /// `HADOLINT_STRICT_LABELS=1`). The allowed labels are the keys of `label-schema:` there
    /// plus those given with `--require-label name:type`; with strict labels and an empty
    /// schema, every label is reported. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.version: semver
    /// strict-labels: true
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3050, which reports a LABEL instruction once however many of its
    /// keys are extra; this rule reports each extra key. A key holding a variable is not
    /// reported, since its name is only known at build time. Labels inside `ONBUILD` are
    /// not checked, as in hadolint.
    pub static DL3050 = {
        code: "DL3050",
        name: "superfluous-label",
        origin: Hadolint,
        severity: Info,
        fix: None,
    }
}

#[derive(Default)]
pub struct SuperfluousLabel;

impl Rule for SuperfluousLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if !ctx.options.strict_labels {
            return;
        }
        for pair in label_pairs(ctx, instr) {
            if in_schema(ctx, &pair.key) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3050,
                pair.key_range,
                format!("label `{}` is not in the label schema", pair.key),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    const SCHEMA: &[(&str, LabelType)] = &[("version", LabelType::Semver)];

    #[test]
    fn only_with_strict_labels() {
        let text = "FROM a:1\nLABEL version=1.0.0 extra=x \"other\"=y\n";
        assert_eq!(findings(text, "DL3050", SCHEMA, false), Vec::<&str>::new());
        assert_eq!(
            findings(text, "DL3050", SCHEMA, true),
            ["extra", "\"other\""]
        );
    }

    #[test]
    fn empty_schema_flags_every_label() {
        assert_eq!(
            findings("FROM a:1\nLABEL a=1 b=2\n", "DL3050", &[], true),
            ["a", "b"]
        );
        assert_eq!(
            findings("FROM a:1\nLABEL a=1\n", "DL3050", &[], false),
            Vec::<&str>::new()
        );
    }

    #[test]
    fn keys_with_variables_and_onbuild_are_skipped() {
        let text = "FROM a:1\nARG K\nLABEL $K=1 version=1.0.0\nONBUILD LABEL extra=x\n";
        assert_eq!(findings(text, "DL3050", SCHEMA, true), Vec::<&str>::new());
    }

    #[test]
    fn names_are_case_sensitive() {
        assert_eq!(
            findings("FROM a:1\nLABEL Version=1.0.0\n", "DL3050", SCHEMA, true),
            ["Version"]
        );
    }
}
