//! Configuration that changes what `lint` reports: ignored codes, severity overrides, the
//! failure threshold. A plain struct passed explicitly; reading `.hadolint.yaml`, environment
//! variables and editor settings into it is the callers' business (CLI and LSP).

use crate::rules::{RuleMeta, Severity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Codes never reported (hadolint's `ignored`).
    pub ignored: Vec<String>,
    /// Per-code severity overrides (hadolint's `override`), later entries win.
    pub overrides: Vec<(String, Severity)>,
    /// When set, only these codes are reported (used by fixtures and `--select`).
    pub select: Option<Vec<String>>,
    /// Findings at or above this severity make `check` fail; `None` never fails.
    pub failure_threshold: Option<Severity>,
    /// Pragmas in comments are not honoured.
    pub disable_ignore_pragma: bool,
    /// Settings that change what configurable rules check.
    pub rule_options: RuleOptions,
}

/// The settings some rules read (documented in their `## Options`): hadolint's trusted
/// registries and label schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// Registries images may come from (DL3026); empty turns the rule off. Patterns may be
    /// `*`, `*.suffix` or `prefix*`.
    pub trusted_registries: Vec<String>,
    /// Required labels and the type of their values (DL3049–DL3058).
    pub label_schema: Vec<(String, LabelType)>,
    /// Labels outside the schema are reported (DL3050).
    pub strict_labels: bool,
}

/// The value types of hadolint's label schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelType {
    Text,
    Url,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
    Email,
}

impl LabelType {
    pub fn parse(text: &str) -> Option<LabelType> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "" | "text" => LabelType::Text,
            "url" => LabelType::Url,
            "semver" => LabelType::Semver,
            "hash" => LabelType::Hash,
            "rfc3339" => LabelType::Rfc3339,
            "spdx" => LabelType::Spdx,
            "email" => LabelType::Email,
            _ => return None,
        })
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ignored: Vec::new(),
            overrides: Vec::new(),
            select: None,
            failure_threshold: Some(Severity::Info),
            disable_ignore_pragma: false,
            rule_options: RuleOptions::default(),
        }
    }
}

impl Config {
    /// Whether a rule is reported at all. A rule that is off by default (DL3057, DL1001) is on
    /// when selected or given a severity override, as in hadolint.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let matches = |c: &String| {
            c.eq_ignore_ascii_case(meta.code)
                || meta.aliases.iter().any(|a| c.eq_ignore_ascii_case(a))
        };
        if self.ignored.iter().any(matches) {
            return false;
        }
        match &self.select {
            Some(select) => select.iter().any(matches),
            None => meta.default_enabled || self.overrides.iter().any(|(c, _)| matches(c)),
        }
    }

    /// The severity a finding of `code` is reported with.
    pub fn severity_for(&self, code: &str, default: Severity) -> Severity {
        self.overrides
            .iter()
            .rev()
            .find(|(c, _)| c.eq_ignore_ascii_case(code))
            .map_or(default, |(_, s)| *s)
    }
}
