//! What hadolint's label-schema rules (DL3049–DL3058) share: the LABEL pairs of an instruction
//! read once, and the schema lookups.
//!
//! The value validators live in the rule that uses them (`is_uri` in DL3052, …); this module
//! only decides which pairs a rule looks at. It does not read configuration beyond
//! `ctx.options`, and it ignores the LABEL inside an `ONBUILD`, which labels a child image,
//! not this one.

use rowan::TextRange;

use crate::config::LabelType;
use crate::rules::RuleCtx;
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

/// One `key=value` pair of a LABEL, as the label-schema rules see it.
#[derive(Debug, Clone)]
pub struct LabelPair {
    /// The key with quotes removed.
    pub key: String,
    pub key_range: TextRange,
    /// The value with quotes removed; empty for `LABEL key=`.
    pub value: String,
    /// The value as written (quotes included), or the key when there is no value.
    pub value_range: TextRange,
    /// The value holds a variable (`$VERSION`), so its text is not what ends up in the image.
    pub value_has_variables: bool,
}

impl LabelPair {
    /// The value is empty or only white space.
    pub fn is_blank(&self) -> bool {
        self.value.trim().is_empty()
    }
}

/// The pairs of a LABEL instruction outside `ONBUILD`; nothing for any other instruction.
/// A pair whose key holds a variable is left out: no schema entry can be known to match it.
pub fn label_pairs(ctx: &RuleCtx, instr: &ast::Instruction) -> Vec<LabelPair> {
    if instr.kind() != SyntaxKind::LABEL_INSTR || ctx.in_onbuild {
        return Vec::new();
    }
    instr
        .key_values()
        .filter_map(|pair| {
            let key_node = pair.key_node()?;
            if key_node.has_variables() {
                return None;
            }
            let value_node = pair.value_node();
            Some(LabelPair {
                key: pair.key(),
                key_range: key_node.range(),
                value: pair.value().unwrap_or_default(),
                value_range: value_node
                    .as_ref()
                    .map_or(key_node.range(), |node| node.range()),
                value_has_variables: value_node.is_some_and(|node| node.has_variables()),
            })
        })
        .collect()
}

/// Whether the schema lists `name` (with any type).
pub fn in_schema(ctx: &RuleCtx, name: &str) -> bool {
    ctx.options.label_schema.iter().any(|(n, _)| n == name)
}

/// The pairs of this LABEL that the schema gives type `label_type` and whose value can be
/// checked: not blank (DL3051 reports those) and free of variables. Each value rule
/// (DL3052–DL3058) checks exactly these.
pub fn values_of_type(
    ctx: &RuleCtx,
    instr: &ast::Instruction,
    label_type: LabelType,
) -> Vec<LabelPair> {
    let schema = &ctx.options.label_schema;
    if !schema.iter().any(|(_, t)| *t == label_type) {
        return Vec::new();
    }
    let mut pairs = label_pairs(ctx, instr);
    pairs.retain(|pair| {
        !pair.is_blank()
            && !pair.value_has_variables
            && schema
                .iter()
                .any(|(name, t)| *t == label_type && *name == pair.key)
    });
    pairs
}

#[cfg(test)]
pub mod testing {
    //! Linting with a label schema, for the label rules' inline tests.

    use crate::config::{Config, LabelType};
    use crate::diagnostics::lint;
    use crate::syntax::parse;

    /// The findings of `code` as (code, text the range covers), with the schema and
    /// strict-labels setting given.
    pub fn findings<'t>(
        text: &'t str,
        code: &str,
        schema: &[(&str, LabelType)],
        strict_labels: bool,
    ) -> Vec<&'t str> {
        let mut config = Config {
            select: Some(vec![code.to_string()]),
            ..Config::default()
        };
        config.rule_options.label_schema = schema
            .iter()
            .map(|(name, label_type)| (name.to_string(), *label_type))
            .collect();
        config.rule_options.strict_labels = strict_labels;
        lint(&parse(text), &config)
            .iter()
            .filter(|d| d.code == code)
            .map(|d| &text[usize::from(d.range.start())..usize::from(d.range.end())])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::findings;
    use crate::config::LabelType;

    #[test]
    fn values_with_variables_and_onbuild_labels_are_not_checked() {
        let schema = [("version", LabelType::Semver)];
        assert_eq!(
            findings(
                "FROM a:1\nARG V\nLABEL version=$V version=\"${V}-1\"\n",
                "DL3056",
                &schema,
                false
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            findings(
                "FROM a:1\nONBUILD LABEL version=x\n",
                "DL3056",
                &schema,
                false
            ),
            Vec::<&str>::new()
        );
        // Single quotes keep `$` literal, so the value is checked.
        assert_eq!(
            findings("FROM a:1\nLABEL version='$V'\n", "DL3056", &schema, false),
            ["'$V'"]
        );
    }

    #[test]
    fn empty_schema_is_silent() {
        let text = "FROM a:1\nLABEL version=x url=y when=z\n";
        for code in [
            "DL3049", "DL3050", "DL3051", "DL3052", "DL3053", "DL3054", "DL3055", "DL3056",
            "DL3058",
        ] {
            assert_eq!(
                findings(text, code, &[], false),
                Vec::<&str>::new(),
                "{code}"
            );
        }
    }
}
