//! DL3056: a label of type `semver` in the label schema whose value is not a semantic
//! version.

use crate::config::LabelType;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::rules::{Rule, RuleCtx};
use crate::syntax::ast;

use super::label_schema::values_of_type;

declare_rule! {
    /// ## What it does
    /// Flags a label that the configured label schema types as `semver` when its value is
    /// not a Semantic Versioning 2.0.0 version: `MAJOR.MINOR.PATCH`, then optionally a
    /// pre-release (`-rc.1`) and build metadata (`+build.7`), numbers without leading
    /// zeros.
    ///
    /// ## Why is this bad?
    /// Release tooling and registries compare `org.opencontainers.image.version` to find
    /// the newest image or the ones a fix reached. `1.4`, `v1.4.2` or `1.04.2` sort
    /// differently in every tool, or not at all.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.4"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.4.0"
    /// ```
    ///
    /// ## Options
    /// Off until a label schema is configured: `label-schema:` in `.hadolint.yaml` maps label
    /// names to a value type, and `--require-label name:type` (or
    /// `HADOLINT_REQUIRE_LABELS=name:type,…`) adds entries. This rule checks the labels of
    /// type `semver`. The examples assume:
    /// ```yaml
    /// label-schema:
    ///   org.opencontainers.image.version: semver
    /// ```
    ///
    /// ## Known problems
    /// A `v` prefix (`v1.4.2`), common in git tags, is not part of SemVer and is reported;
    /// the message says so.
    ///
    /// ## References
    /// Matches hadolint's DL3056, with three differences: numbers with a leading zero
    /// (`01.4.2`, `1.0.0-01`), which the specification forbids and hadolint accepts, are
    /// reported; values holding a variable (the version passed as a build argument) are not
    /// checked; an empty value is left to DL3051.
    /// Semantic Versioning 2.0.0, <https://semver.org>.
    pub static DL3056 = {
        code: "DL3056",
        name: "invalid-semver-label",
        origin: Hadolint,
        severity: Warning,
        fix: None,
    }
}

#[derive(Default)]
pub struct InvalidSemverLabel;

impl Rule for InvalidSemverLabel {
    fn check(&mut self, acc: &mut Vec<Diagnostic>, ctx: &RuleCtx, instr: &ast::Instruction) {
        for pair in values_of_type(ctx, instr, LabelType::Semver) {
            if is_semver(&pair.value) {
                continue;
            }
            let without_v = pair
                .value
                .strip_prefix(['v', 'V'])
                .filter(|rest| is_semver(rest));
            let message = match without_v {
                Some(rest) => format!(
                    "label `{}` is not a semantic version: write `{rest}` without the `v`",
                    pair.key
                ),
                None => format!(
                    "label `{}` is not a semantic version (MAJOR.MINOR.PATCH)",
                    pair.key
                ),
            };
            acc.push(Diagnostic::new(&DL3056, pair.value_range, message));
        }
    }
}

/// Whether `text` is a Semantic Versioning 2.0.0 version:
/// `MAJOR.MINOR.PATCH[-pre.release][+build.metadata]`.
pub fn is_semver(text: &str) -> bool {
    // The core holds no `-` or `+`, and the pre-release no `+`, so the first of each ends
    // the part before it.
    let (rest, build) = match text.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (text, None),
    };
    let (core, pre_release) = match rest.split_once('-') {
        Some((core, pre_release)) => (core, Some(pre_release)),
        None => (rest, None),
    };
    let core_parts: Vec<&str> = core.split('.').collect();
    core_parts.len() == 3
        && core_parts.iter().all(|part| is_numeric_identifier(part))
        && pre_release.is_none_or(|pre| {
            pre.split('.').all(|id| {
                is_identifier(id)
                    && (!id.bytes().all(|b| b.is_ascii_digit()) || is_numeric_identifier(id))
            })
        })
        && build.is_none_or(|build| build.split('.').all(is_identifier))
}

/// `0`, or digits not starting with `0`.
fn is_numeric_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'))
}

/// One or more of `[0-9A-Za-z-]`.
fn is_identifier(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::is_semver;
    use crate::config::LabelType;
    use crate::rules::hadolint::label_schema::testing::findings;

    #[test]
    fn versions() {
        for ok in [
            "0.0.0",
            "1.4.2",
            "10.20.30",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-0.3.7",
            "1.0.0-x.7.z.92",
            "1.0.0-x-y-z.--",
            "1.0.0-alpha+001",
            "1.0.0+20130313144700",
            "1.0.0-beta+exp.sha.5114f85",
            "1.0.0+21AF26D3----117B344092BD",
            "1.0.0-rc.1+build.1",
            "1.2.3----RC-SNAPSHOT.12.9.1--.12+788",
            "99999999999999999999999.999999999999999999.99999999999999999",
        ] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "",
            "1",
            "1.4",
            "1.4.2.0",
            "v1.4.2",
            "01.4.2",
            "1.04.2",
            "1.4.02",
            "1.4.2-",
            "1.4.2+",
            "1.4.2-01",
            "1.4.2-alpha..1",
            "1.4.2-alpha_beta",
            "1.4.2+build+again",
            "1.4.2+build..1",
            "1.4.-2",
            "-1.4.2",
            " 1.4.2",
            "1.4.2 ",
            "a.b.c",
            "1.4.x",
            "latest",
            "１.2.3",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn messages_suggest_dropping_a_v() {
        let schema = [("version", LabelType::Semver)];
        let text = "FROM a:1\nLABEL version=v1.4.2 version=1.4.2 version=1.4\n";
        assert_eq!(findings(text, "DL3056", &schema, false), ["v1.4.2", "1.4"]);
        let mut config = crate::config::Config::default();
        config.rule_options.label_schema = vec![("version".into(), LabelType::Semver)];
        let messages: Vec<String> = crate::diagnostics::lint(&crate::syntax::parse(text), &config)
            .into_iter()
            .filter(|d| d.code == "DL3056")
            .map(|d| d.message)
            .collect();
        assert_eq!(
            messages,
            [
                "label `version` is not a semantic version: write `1.4.2` without the `v`",
                "label `version` is not a semantic version (MAJOR.MINOR.PATCH)"
            ]
        );
    }
}
