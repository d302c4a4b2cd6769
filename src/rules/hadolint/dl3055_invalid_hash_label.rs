//! DL3055: a label of type `hash` in the label schema whose value is not a git commit hash.

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `hash` when its value is not
    /// a git commit hash: 40 lower-case hexadecimal digits, or the 7-digit short form.
    ///
    /// ## Why is this bad?
    /// `org.opencontainers.image.revision` ties an image to the exact commit it was built
    /// from. A branch or tag name (`main`, `v1.4.2`) moves, so the label stops saying what
    /// is inside the image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="main"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="4e1c2a9"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `hash`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.revision: hash
    /// ```
    ///
    /// ## Known problems
    /// Only the two lengths hadolint knows are accepted: a longer short hash (git abbreviates
    /// to 8–12 digits in large repositories) and the 64-digit names of SHA-256 repositories
    /// are reported. Upper-case digits are reported too, as git never prints them.
    ///
    /// ## References
    /// Matches hadolint's DL3055, except that values holding a variable (the commit passed
    /// as a build argument) are not checked and an empty value is left to DL3051.
    pub static DL3055 = {
        code: "DL3055",
        name: "invalid-hash-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidHashLabel;

impl Rule for InvalidHashLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Hash) {
            if is_git_hash(&pair.value) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3055,
                pair.value_range,
                format!(
                    "label `{}` is not a git commit hash (7 or 40 lower-case hex digits)",
                    pair.key
                ),
            ));
        }
    }
}

/// Whether `text` is a full (40) or short (7) git SHA-1 hash in lower-case hex.
pub fn is_git_hash(text: &str) -> bool {
    matches!(text.len(), 7 | 40)
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_git_hash;
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn hashes() {
        for ok in [
            "4e1c2a9",
            "0000000",
            "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        ] {
            assert!(is_git_hash(ok), "{ok}");
        }
        for bad in [
            "",
            "main",
            "v1.4.2",
            "4e1c2a",
            "4e1c2a90",
            "4E1C2A9",
            "4e1c2g9",
            " 4e1c2a9",
            "da39a3ee5e6b4b0d3255bfef95601890afd8070",
            "da39a3ee5e6b4b0d3255bfef95601890afd807090",
            "1f9b3d84c3a1c4e3b0f1c9e1a4d2b6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2c3",
            "éééa",
        ] {
            assert!(!is_git_hash(bad), "{bad}");
        }
    }

    #[test]
    fn reports_at_the_value() {
        let schema = [("revision", LabelType::Hash)];
        let text = "FROM a:1\nARG SHA\nLABEL revision=main revision=4e1c2a9 revision=${SHA}\n";
        assert_eq!(findings(text, "DL3055", &schema, false), ["main"]);
    }
}
