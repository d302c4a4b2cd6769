//! Code Climate engine issues, in the shape hadolint's `codeclimate` format writes: one JSON
//! object per finding (`type`, `check_name`, `description`, `categories`, `location.path`,
//! `location.lines.{begin,end}`, `severity`), each followed by a NUL byte as the Code Climate
//! engine specification asks.
//!
//! This file also holds what [`super::gitlab_codeclimate`] shares with it: the issue shape,
//! the severity mapping and the last line of a range. It writes line numbers only (the spec's
//! `lines` form), no remediation points and no rule documentation.

use serde::Serialize;

use super::{FileReport, FormatOptions, Position};
use crate::diagnostics::Diagnostic;
use crate::rules::{Origin, Severity};

#[derive(Serialize)]
pub(super) struct Issue<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub check_name: &'a str,
    pub description: &'a str,
    pub categories: [&'static str; 1],
    pub location: Location<'a>,
    pub severity: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Location<'a> {
    pub path: &'a str,
    pub lines: Lines,
}

#[derive(Serialize)]
pub(super) struct Lines {
    pub begin: u32,
    pub end: u32,
}

/// The issue for one finding, without a fingerprint.
pub(super) fn issue<'a>(report: &FileReport, d: &'a Diagnostic, path: &'a str) -> Issue<'a> {
    let start = report.position(d.range.start());
    let end = report.position(d.range.end());
    Issue {
        kind: "issue",
        check_name: d.code,
        description: &d.message,
        categories: [category(d.severity)],
        location: Location {
            path,
            lines: Lines {
                begin: start.line,
                end: last_line(start, end),
            },
        },
        severity: severity(d),
        fingerprint: None,
    }
}

/// The last line a range covers: a range that ends just after a line break (at column 1 of
/// the next line) does not cover that next line.
pub(super) fn last_line(start: Position, end: Position) -> u32 {
    if end.column == 1 && end.line > start.line {
        end.line - 1
    } else {
        end.line
    }
}

/// Code Climate's five severities, in the order of ours: a syntax error, which BuildKit would
/// reject, is a blocker; then error, warning, info and style in decreasing order. hadolint
/// maps `info` below `style` here (info → info, style → minor) and error to blocker; we keep
/// the order of our levels and match the mapping of its own SonarQube output instead.
pub(super) fn severity(d: &Diagnostic) -> &'static str {
    let is_syntax = d.meta().is_some_and(|meta| meta.origin == Origin::Syntax);
    match d.severity {
        Severity::Error if is_syntax => "blocker",
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "minor",
        Severity::Style => "info",
    }
}

/// The rules carry no Code Climate category, so the level decides: style findings are
/// "Style", everything else "Bug Risk" (hadolint writes "Bug Risk" for all).
fn category(severity: Severity) -> &'static str {
    match severity {
        Severity::Style => "Style",
        Severity::Error | Severity::Warning | Severity::Info => "Bug Risk",
    }
}

pub fn render(reports: &[FileReport], opts: &FormatOptions) -> String {
    let mut out = String::new();
    for report in reports {
        let path = opts.path_for(report);
        for d in &report.diagnostics {
            // Serialising these plain structs cannot fail; skip the finding if it ever did.
            if let Ok(json) = serde_json::to_string(&issue(report, d, path)) {
                out.push_str(&json);
                out.push('\0');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostics::lint;
    use crate::syntax::parse;

    fn report(name: &str, text: &str) -> FileReport {
        let diagnostics = lint(&parse(text), &Config::default());
        FileReport::new(name.to_string(), text.to_string(), diagnostics)
    }

    #[test]
    fn codeclimate_exact_output() {
        let reports = [report(
            "Dockerfile",
            "FROM ubuntu\nMAINTAINER x\nRUN apt-get install -y curl\nWORKDIR \"a\\\"b\"\nLABEL 1abc=x\n",
        )];
        let out = render(&reports, &FormatOptions::default());
        let expected = [
            r#"{"type":"issue","check_name":"DL3006","description":"`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":1,"end":1}},"severity":"major"}"#,
            r#"{"type":"issue","check_name":"DL4000","description":"MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":2,"end":2}},"severity":"critical"}"#,
            r#"{"type":"issue","check_name":"DL3015","description":"`apt-get install` also installs recommended packages: add `--no-install-recommends`","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":3,"end":3}},"severity":"minor"}"#,
            r#"{"type":"issue","check_name":"DL3008","description":"`curl` is not pinned: install a fixed version with `curl=<version>`","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":3,"end":3}},"severity":"major"}"#,
            r#"{"type":"issue","check_name":"DL3000","description":"WORKDIR `a\"b` is relative: use an absolute path","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":4,"end":4}},"severity":"critical"}"#,
            r#"{"type":"issue","check_name":"DL3048","description":"label key `1abc` should be lower-case reverse-DNS, e.g. `org.example.1abc`","categories":["Style"],"location":{"path":"Dockerfile","lines":{"begin":5,"end":5}},"severity":"info"}"#,
        ];
        let mut want = String::new();
        for issue in expected {
            want.push_str(issue);
            want.push('\0');
        }
        assert_eq!(out, want);
        for chunk in out.split_terminator('\0') {
            let value: serde_json::Value = serde_json::from_str(chunk).unwrap();
            assert!(value.is_object());
        }
    }

    #[test]
    fn codeclimate_file_path_in_report_and_syntax_blocker() {
        let reports = [report("Dockerfile", "FROM debian:12\nFROBNICATE x\n")];
        let opts = FormatOptions {
            file_path_in_report: Some("images/app/Dockerfile".to_string()),
        };
        let out = render(&reports, &opts);
        let first = out.split('\0').next().unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(first).unwrap();
        assert_eq!(value["location"]["path"], "images/app/Dockerfile");
        assert!(
            value["check_name"].as_str().unwrap().starts_with("LW0"),
            "{value}"
        );
        assert_eq!(value["severity"], "blocker");
    }

    #[test]
    fn codeclimate_range_ending_after_a_newline_stays_on_its_line() {
        let start = Position { line: 3, column: 1 };
        assert_eq!(last_line(start, Position { line: 4, column: 1 }), 3);
        assert_eq!(last_line(start, Position { line: 4, column: 2 }), 4);
        assert_eq!(last_line(start, Position { line: 3, column: 1 }), 3);
    }

    #[test]
    fn codeclimate_clean_files_print_nothing() {
        let reports = [report("Dockerfile", "FROM debian:12\n")];
        assert_eq!(render(&reports, &FormatOptions::default()), "");
    }
}
