//! Options shared by the CI output formats, and the one rule for which path a report prints.
//!
//! This is plain data chosen by the caller (the `check` command); it does not read flags,
//! configuration or the environment itself.

use super::FileReport;

/// What the caller can change in a rendered report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatOptions {
    /// Printed instead of each file's own name, as hadolint's `--file-path-in-report` does.
    /// Honoured by checkstyle, codeclimate, gitlab_codeclimate, sonarqube and junit only (the
    /// same formats as hadolint); with several files, every file gets this one path.
    pub file_path_in_report: Option<String>,
}

impl FormatOptions {
    /// The path a format that honours `file_path_in_report` prints for `report`.
    pub fn path_for<'a>(&'a self, report: &'a FileReport) -> &'a str {
        self.file_path_in_report
            .as_deref()
            .unwrap_or(report.name.as_str())
    }
}
