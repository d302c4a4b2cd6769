//! DL3048: a label key that does not follow the label key conventions.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::SyntaxKind;
use crate::syntax::ast;

declare_rule! {
    /// ## What it does
    /// Flags a `LABEL` key that does not follow Docker's conventions: lower-case letters,
    /// digits, `.`, `-` and `/`, starting with a letter and ending with a letter or digit,
    /// without `..` or `--`, and outside the reserved `com.docker.`, `io.docker.` and
    /// `org.dockerproject.` namespaces.
    ///
    /// ## Why is this bad?
    /// Tools that read labels (registries, scanners, orchestrators) expect reverse-DNS keys
    /// such as `org.opencontainers.image.source`. Keys in other shapes are easy to mistype and
    /// may clash with keys Docker reserves for itself.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL Maintainer_Email="ops@example.com"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="ops@example.com"
    /// ```
    ///
    /// ## References
    /// Matches hadolint's DL3048.
    pub static DL3048 = {
        code: "DL3048",
        name: "invalid-label-key",
        origin: Hadolint,
        severity: Style,
        fix: None,
    }
}

pub fn is_valid_label_key(key: &str) -> bool {
    let reserved = ["com.docker.", "io.docker.", "org.dockerproject."]
        .iter()
        .any(|p| key.starts_with(p));
    let first_ok = key.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let last_ok = key
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let chars_ok = key.chars().all(|c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_' | '/')
    });
    !reserved && first_ok && last_ok && chars_ok && !key.contains("..") && !key.contains("--")
}

#[derive(Default)]
pub struct InvalidLabelKey;

impl Rule for InvalidLabelKey {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        if instr.kind() != SyntaxKind::LABEL_INSTR || ctx.in_onbuild {
            return;
        }
        for pair in instr.key_values() {
            let key = pair.key();
            let Some(node) = pair.key_node() else {
                continue;
            };
            if key.contains('$') || is_valid_label_key(&key) {
                continue;
            }
            acc.push(Diagnostic::new(
                &DL3048,
                node.range(),
                format!(
                    "label key `{key}` should be lower-case reverse-DNS, e.g. `org.example.{}`",
                    key.to_ascii_lowercase().replace('_', "-")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_valid_label_key;

    #[test]
    fn keys() {
        for ok in [
            "org.opencontainers.image.source",
            "maintainer",
            "a1",
            "com.example/x",
            "a_b",
        ] {
            assert!(is_valid_label_key(ok), "{ok}");
        }
        for bad in [
            "Maintainer",
            "1abc",
            "a.",
            "a..b",
            "a--b",
            "com.docker.x",
            "io.docker.y",
            "org.dockerproject.z",
            "a b",
            "",
        ] {
            assert!(!is_valid_label_key(bad), "{bad}");
        }
    }
}
