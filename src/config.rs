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
    /// The defaults for an editor: as the CLI, plus the suppression-comment checks (LW9001,
    /// LW9002) as hints, where they help while typing and cannot fail a CI run.
    pub fn editor() -> Config {
        let mut config = Config::default();
        config
            .overrides
            .push(("LW9001".to_string(), Severity::Style));
        config
            .overrides
            .push(("LW9002".to_string(), Severity::Style));
        config
    }

    /// Whether a rule is reported at all. A rule that is off by default (DL3057, DL1001) is on
    /// when selected or given a severity override, as in hadolint.
    pub fn is_enabled(&self, meta: &RuleMeta) -> bool {
        let matches = |c: &String| names(c, meta);
        if self.is_ignored(meta) {
            return false;
        }
        // A rule that only repeats a covering rule's finding (WorkdirRelativePath and DL3000)
        // is ignored with it: ignoring DL3000 means relative WORKDIRs are accepted.
        if meta
            .covered_by
            .iter()
            .any(|cover| self.ignored.iter().any(|c| c.eq_ignore_ascii_case(cover)))
        {
            return false;
        }
        match &self.select {
            Some(select) => select.iter().any(matches),
            None => meta.default_enabled || self.overrides.iter().any(|(c, _)| matches(c)),
        }
    }

    /// Whether findings of a code that no rule has (ShellCheck's `SC2086`, produced outside
    /// the rule engine) are reported: not ignored, and selected when there is a selection.
    pub fn is_external_enabled(&self, code: &str) -> bool {
        let matches = |c: &String| c.eq_ignore_ascii_case(code);
        if self.ignored.iter().any(matches) {
            return false;
        }
        match &self.select {
            Some(select) => select.iter().any(matches),
            None => true,
        }
    }

    /// Whether the configuration ignores the rule (by its code or an alias).
    pub fn is_ignored(&self, meta: &RuleMeta) -> bool {
        self.ignored.iter().any(|c| names(c, meta))
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

/// Whether `code` names the rule: its code or an alias, case-insensitively.
fn names(code: &str, meta: &RuleMeta) -> bool {
    code.eq_ignore_ascii_case(meta.code)
        || meta.aliases.iter().any(|a| code.eq_ignore_ascii_case(a))
}

/// One source of settings (environment, a `.hadolint.yaml`, the command line). Lists are
/// concatenated across sources and scalars overridden, in hadolint's order: environment,
/// then file, then command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigLayer {
    pub ignored: Vec<String>,
    pub overrides: Vec<(String, Severity)>,
    pub trusted_registries: Vec<String>,
    pub label_schema: Vec<(String, LabelType)>,
    pub strict_labels: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    /// `Some(None)` is "none"/"ignore": never fail.
    pub failure_threshold: Option<Option<Severity>>,
    pub formats: Vec<String>,
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub verbose: Option<bool>,
}

/// A configuration problem, with its position in the file when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub message: String,
    /// 1-based line and column in the configuration file.
    pub position: Option<(u64, u64)>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "{line}:{column}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

impl Config {
    /// Applies a layer on top of this configuration.
    pub fn apply(&mut self, layer: &ConfigLayer) {
        self.ignored.extend(layer.ignored.iter().cloned());
        self.overrides.extend(layer.overrides.iter().cloned());
        self.rule_options
            .trusted_registries
            .extend(layer.trusted_registries.iter().cloned());
        self.rule_options
            .label_schema
            .extend(layer.label_schema.iter().cloned());
        if let Some(strict) = layer.strict_labels {
            self.rule_options.strict_labels = strict;
        }
        if let Some(disable) = layer.disable_ignore_pragma {
            self.disable_ignore_pragma = disable;
        }
        if let Some(threshold) = layer.failure_threshold {
            self.failure_threshold = threshold;
        }
    }
}

/// `error`, `warning`, `info`, `style`, or `none`/`ignore` (never fail).
pub fn parse_threshold(text: &str) -> Option<Option<Severity>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "none" | "ignore" => Some(None),
        other => Severity::parse(other).map(Some),
    }
}

/// hadolint's truthy environment values.
fn truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "y" | "yes" | "on" | "true"
    )
}

fn comma_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// `name:type` pairs of `--require-label` and `HADOLINT_REQUIRE_LABELS`.
pub fn parse_required_label(text: &str) -> Result<(String, LabelType), ConfigError> {
    let (name, kind) = text.split_once(':').unwrap_or((text, ""));
    let label_type = LabelType::parse(kind).ok_or_else(|| ConfigError {
        message: format!(
            "label `{name}`: unknown type `{kind}` (use text, url, semver, hash, rfc3339, spdx or email)"
        ),
        position: None,
    })?;
    Ok((name.trim().to_string(), label_type))
}

impl ConfigLayer {
    /// Reads the `HADOLINT_*` environment variables through `var`.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<ConfigLayer, ConfigError> {
        let mut layer = ConfigLayer::default();
        let flag = |name: &str| var(name).map(|v| truthy(&v));
        layer.no_fail = flag("HADOLINT_NOFAIL");
        layer.verbose = flag("HADOLINT_VERBOSE");
        layer.strict_labels = flag("HADOLINT_STRICT_LABELS");
        layer.disable_ignore_pragma = flag("HADOLINT_DISABLE_IGNORE_PRAGMA");
        layer.no_color = var("NO_COLOR").filter(|v| !v.is_empty()).map(|_| true);
        if let Some(value) = var("HADOLINT_FORMAT") {
            layer.formats = comma_list(&value);
        }
        if let Some(value) = var("HADOLINT_FAILURE_THRESHOLD") {
            layer.failure_threshold = Some(parse_threshold(&value).ok_or_else(|| ConfigError {
                message: format!("HADOLINT_FAILURE_THRESHOLD: `{value}` is not a level"),
                position: None,
            })?);
        }
        for (name, severity) in [
            ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
            ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
            ("HADOLINT_OVERRIDE_INFO", Severity::Info),
            ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
        ] {
            if let Some(value) = var(name) {
                layer
                    .overrides
                    .extend(comma_list(&value).into_iter().map(|c| (c, severity)));
            }
        }
        if let Some(value) = var("HADOLINT_IGNORE") {
            layer.ignored = comma_list(&value);
        }
        if let Some(value) = var("HADOLINT_TRUSTED_REGISTRIES") {
            layer.trusted_registries = comma_list(&value);
        }
        if let Some(value) = var("HADOLINT_REQUIRE_LABELS") {
            for pair in comma_list(&value) {
                layer.label_schema.push(parse_required_label(&pair)?);
            }
        }
        Ok(layer)
    }

    /// Parses a `.hadolint.yaml`. Unlike hadolint, which silently falls back to defaults, a
    /// broken file is an error with its line and column; unknown keys are reported too.
    pub fn from_hadolint_yaml(text: &str) -> Result<(ConfigLayer, Vec<String>), ConfigError> {
        if text.trim().is_empty() {
            return Ok((ConfigLayer::default(), Vec::new()));
        }
        let file: HadolintFile = serde_saphyr::from_str(text).map_err(|err| ConfigError {
            message: first_line(&err.to_string()),
            position: err.location().map(|loc| (loc.line(), loc.column())),
        })?;
        let mut layer = ConfigLayer {
            ignored: file.ignored,
            trusted_registries: file.trusted_registries,
            strict_labels: file.strict_labels,
            disable_ignore_pragma: file.disable_ignore_pragma,
            no_fail: file.no_fail,
            no_color: file.no_color,
            verbose: file.verbose,
            ..ConfigLayer::default()
        };
        if let Some(format) = file.format {
            layer.formats.push(format);
        }
        layer.formats.extend(file.formats);
        if let Some(threshold) = file.failure_threshold {
            layer.failure_threshold = Some(parse_threshold(&threshold).ok_or_else(|| ConfigError {
                message: format!(
                    "failure-threshold: `{threshold}` is not a level (error, warning, info, style, none)"
                ),
                position: None,
            })?);
        }
        if let Some(o) = file.overrides {
            for (codes, severity) in [
                (o.error, Severity::Error),
                (o.warning, Severity::Warning),
                (o.info, Severity::Info),
                (o.style, Severity::Style),
            ] {
                layer
                    .overrides
                    .extend(codes.into_iter().map(|c| (c, severity)));
            }
        }
        for (name, kind) in file.label_schema {
            let kind = kind.unwrap_or_default();
            let label_type = LabelType::parse(&kind).ok_or_else(|| ConfigError {
                message: format!("label-schema: `{name}` has unknown type `{kind}`"),
                position: None,
            })?;
            layer.label_schema.push((name, label_type));
        }
        let unknown = file.unknown.into_keys().collect();
        Ok((layer, unknown))
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).trim().to_string()
}

/// The keys of hadolint's configuration file.
#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
struct HadolintFile {
    #[serde(default)]
    ignored: Vec<String>,
    #[serde(default, rename = "override")]
    overrides: Option<OverrideLists>,
    #[serde(default, rename = "trustedRegistries")]
    trusted_registries: Vec<String>,
    #[serde(default)]
    label_schema: std::collections::BTreeMap<String, Option<String>>,
    strict_labels: Option<bool>,
    disable_ignore_pragma: Option<bool>,
    failure_threshold: Option<String>,
    format: Option<String>,
    #[serde(default)]
    formats: Vec<String>,
    no_fail: Option<bool>,
    no_color: Option<bool>,
    verbose: Option<bool>,
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

#[derive(serde::Deserialize, Default)]
struct OverrideLists {
    #[serde(default)]
    error: Vec<String>,
    #[serde(default)]
    warning: Vec<String>,
    #[serde(default)]
    info: Vec<String>,
    #[serde(default)]
    style: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_hadolint_key() {
        let yaml = "\
ignored: [DL3006, DL3008]
override:
  error: [DL3015]
  info:
    - DL4000
trustedRegistries:
  - docker.io
  - '*.example.com'
label-schema:
  author: text
  url: url
strict-labels: true
disable-ignore-pragma: false
failure-threshold: warning
format: json
no-fail: true
no-color: true
verbose: false
";
        let (layer, unknown) = ConfigLayer::from_hadolint_yaml(yaml).unwrap();
        assert!(unknown.is_empty());
        assert_eq!(layer.ignored, ["DL3006", "DL3008"]);
        assert_eq!(
            layer.overrides,
            [
                ("DL3015".to_string(), Severity::Error),
                ("DL4000".to_string(), Severity::Info)
            ]
        );
        assert_eq!(layer.trusted_registries, ["docker.io", "*.example.com"]);
        assert_eq!(
            layer.label_schema,
            [
                ("author".to_string(), LabelType::Text),
                ("url".to_string(), LabelType::Url)
            ]
        );
        assert_eq!(layer.failure_threshold, Some(Some(Severity::Warning)));
        assert_eq!(layer.formats, ["json"]);
        assert_eq!(
            (layer.strict_labels, layer.no_fail, layer.no_color),
            (Some(true), Some(true), Some(true))
        );
    }

    #[test]
    fn broken_files_are_errors_with_positions() {
        let err =
            ConfigLayer::from_hadolint_yaml("ignored:\n  - DL3006\ntrustedRegistries: docker.io\n")
                .unwrap_err();
        assert_eq!(err.position.map(|p| p.0), Some(3), "{err}");
        let err = ConfigLayer::from_hadolint_yaml("ignored: [DL3006\n").unwrap_err();
        assert!(err.position.is_some(), "{err}");
        let err = ConfigLayer::from_hadolint_yaml("failure-threshold: loud\n").unwrap_err();
        assert!(err.message.contains("loud"));
        let (_, unknown) = ConfigLayer::from_hadolint_yaml("ignore: [DL3006]\n").unwrap();
        assert_eq!(unknown, ["ignore"]);
    }

    #[test]
    fn environment() {
        let vars = |name: &str| match name {
            "HADOLINT_IGNORE" => Some("DL3006, DL3003".to_string()),
            "HADOLINT_NOFAIL" => Some("yes".to_string()),
            "HADOLINT_OVERRIDE_STYLE" => Some("DL3059".to_string()),
            "HADOLINT_REQUIRE_LABELS" => Some("maintainer:email,version:semver".to_string()),
            _ => None,
        };
        let layer = ConfigLayer::from_env(vars).unwrap();
        assert_eq!(layer.ignored, ["DL3006", "DL3003"]);
        assert_eq!(layer.no_fail, Some(true));
        assert_eq!(layer.overrides, [("DL3059".to_string(), Severity::Style)]);
        assert_eq!(layer.label_schema.len(), 2);
    }

    #[test]
    fn layers_merge_lists_and_override_scalars() {
        let mut config = Config::default();
        let env = ConfigLayer {
            ignored: vec!["DL3006".into()],
            failure_threshold: Some(Some(Severity::Error)),
            ..ConfigLayer::default()
        };
        let cli = ConfigLayer {
            ignored: vec!["DL3003".into()],
            failure_threshold: Some(None),
            ..ConfigLayer::default()
        };
        config.apply(&env);
        config.apply(&cli);
        assert_eq!(config.ignored, ["DL3006", "DL3003"]);
        assert_eq!(config.failure_threshold, None);
    }
}
