//! Configuration that changes what `lint` reports: ignored codes, severity overrides, the
//! failure threshold. A plain struct passed explicitly; reading `.hadolint.yaml`, environment
//! variables and editor settings into it is the callers' business (CLI and LSP).

use crate::rules::Severity;

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
}

impl Default for Config {
    fn default() -> Self {
        Config {
            ignored: Vec::new(),
            overrides: Vec::new(),
            select: None,
            failure_threshold: Some(Severity::Info),
            disable_ignore_pragma: false,
        }
    }
}

impl Config {
    /// Whether a code (or one of its aliases) is reported at all.
    pub fn is_enabled(&self, code: &str, aliases: &[&str]) -> bool {
        let matches = |c: &String| {
            c.eq_ignore_ascii_case(code) || aliases.iter().any(|a| c.eq_ignore_ascii_case(a))
        };
        if self.ignored.iter().any(matches) {
            return false;
        }
        match &self.select {
            Some(select) => select.iter().any(matches),
            None => true,
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
