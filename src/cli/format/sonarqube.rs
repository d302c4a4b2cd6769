//! SonarQube's generic issue import format: `{"issues": [{engineId, ruleId, severity, type,
//! primaryLocation: {message, filePath, textRange}}]}`, the shape hadolint writes, with exact
//! ranges where hadolint writes the start of the line.
//!
//! Sonar's text ranges differ from ours in three ways, handled here: columns are 0-based
//! offsets in UTF-16 code units (Sonar reads files as Java strings); a range may not be empty;
//! and no pointer may lie past the end of its line. So an empty range is widened to the
//! character after it (or before it, at a line end), a line break at the end of a range is
//! left out, and a finding on an empty line is given its line only. Related places become
//! `secondaryLocations`. It uses the older per-issue format (severity and type on the issue),
//! which Sonar still accepts, not the 10.3 `rules` section.

use line_index::{LineCol, WideEncoding};
use rowan::TextSize;
use serde::Serialize;

use super::{FileReport, FormatOptions};
use crate::diagnostics::Diagnostic;
use crate::rules::{Origin, Severity};

#[derive(Serialize)]
struct SonarReport<'a> {
    issues: Vec<SonarIssue<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SonarIssue<'a> {
    engine_id: &'static str,
    rule_id: &'a str,
    severity: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    primary_location: SonarLocation<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    secondary_locations: Vec<SonarLocation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SonarLocation<'a> {
    message: &'a str,
    file_path: &'a str,
    text_range: TextRange,
}

/// Lines are 1-based; columns 0-based UTF-16 offsets, the end exclusive.
#[derive(Serialize, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct TextRange {
    start_line: u32,
    end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

pub fn render(reports: &[FileReport], opts: &FormatOptions) -> String {
    let mut issues = Vec::new();
    for report in reports {
        let path = opts.path_for(report);
        for d in &report.diagnostics {
            issues.push(SonarIssue {
                engine_id: "layerwise",
                rule_id: d.code,
                severity: severity(d),
                kind: if d.severity == Severity::Error {
                    "BUG"
                } else {
                    "CODE_SMELL"
                },
                primary_location: SonarLocation {
                    message: &d.message,
                    file_path: path,
                    text_range: text_range(report, d.range.start(), d.range.end()),
                },
                secondary_locations: d
                    .related
                    .iter()
                    .map(|related| SonarLocation {
                        message: &related.message,
                        file_path: path,
                        text_range: text_range(report, related.range.start(), related.range.end()),
                    })
                    .collect(),
            });
        }
    }
    // Serialising these plain structs cannot fail; an empty report is the safe fallback.
    let mut out = serde_json::to_string(&SonarReport { issues })
        .unwrap_or_else(|_| "{\"issues\":[]}".to_string());
    out.push('\n');
    out
}

/// hadolint's mapping (error CRITICAL, warning MAJOR, info MINOR, style INFO), plus BLOCKER
/// for a syntax error, which BuildKit would reject.
fn severity(d: &Diagnostic) -> &'static str {
    let is_syntax = d.meta().is_some_and(|meta| meta.origin == Origin::Syntax);
    match d.severity {
        Severity::Error if is_syntax => "BLOCKER",
        Severity::Error => "CRITICAL",
        Severity::Warning => "MAJOR",
        Severity::Info => "MINOR",
        Severity::Style => "INFO",
    }
}

/// A range Sonar accepts for the bytes `start..end`; see the module documentation.
fn text_range(report: &FileReport, start: TextSize, end: TextSize) -> TextRange {
    let text = report.text.as_str();
    let mut start = usize::from(start).min(text.len());
    let mut end = usize::from(end).min(text.len()).max(start);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    for terminator in ['\n', '\r'] {
        if end > start && text[..end].ends_with(terminator) {
            end -= 1;
        }
    }
    if start == end {
        let next = text[end..]
            .chars()
            .next()
            .filter(|c| !matches!(c, '\n' | '\r'));
        let previous = text[..start]
            .chars()
            .next_back()
            .filter(|c| !matches!(c, '\n' | '\r'));
        match (next, previous) {
            (Some(next), _) => end += next.len_utf8(),
            (None, Some(previous)) => start -= previous.len_utf8(),
            (None, None) => {
                let line = utf16_position(report, start).0;
                return TextRange {
                    start_line: line,
                    end_line: line,
                    start_column: None,
                    end_column: None,
                };
            }
        }
    }
    let (start_line, start_column) = utf16_position(report, start);
    let (end_line, end_column) = utf16_position(report, end);
    TextRange {
        start_line,
        end_line,
        start_column: Some(start_column),
        end_column: Some(end_column),
    }
}

/// The 1-based line and 0-based UTF-16 column of a byte offset on a character boundary.
fn utf16_position(report: &FileReport, offset: usize) -> (u32, u32) {
    let offset = TextSize::try_from(offset).unwrap_or_else(|_| TextSize::of(report.text.as_str()));
    let LineCol { line, col } = report.line_index.line_col(offset);
    let col = report
        .line_index
        .to_wide(WideEncoding::Utf16, LineCol { line, col })
        .map_or(col, |wide| wide.col);
    (line + 1, col)
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

    fn range(start_line: u32, start_column: u32, end_line: u32, end_column: u32) -> TextRange {
        TextRange {
            start_line,
            end_line,
            start_column: Some(start_column),
            end_column: Some(end_column),
        }
    }

    #[test]
    fn sonarqube_exact_output() {
        let reports = [report(
            "Dockerfile",
            "FROM ubuntu\nWORKDIR 😀/x\nLABEL 1abc=x\nMAINTAINER me\n",
        )];
        let out = render(&reports, &FormatOptions::default());
        assert_eq!(
            out,
            concat!(
                r#"{"issues":["#,
                r#"{"engineId":"layerwise","ruleId":"DL3006","severity":"MAJOR","type":"CODE_SMELL","primaryLocation":{"message":"`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`","filePath":"Dockerfile","textRange":{"startLine":1,"endLine":1,"startColumn":5,"endColumn":11}}},"#,
                r#"{"engineId":"layerwise","ruleId":"DL3000","severity":"CRITICAL","type":"BUG","primaryLocation":{"message":"WORKDIR `😀/x` is relative: use an absolute path","filePath":"Dockerfile","textRange":{"startLine":2,"endLine":2,"startColumn":8,"endColumn":12}}},"#,
                r#"{"engineId":"layerwise","ruleId":"DL3048","severity":"INFO","type":"CODE_SMELL","primaryLocation":{"message":"label key `1abc` should be lower-case reverse-DNS, e.g. `org.example.1abc`","filePath":"Dockerfile","textRange":{"startLine":3,"endLine":3,"startColumn":6,"endColumn":10}}},"#,
                r#"{"engineId":"layerwise","ruleId":"DL4000","severity":"CRITICAL","type":"BUG","primaryLocation":{"message":"MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors","filePath":"Dockerfile","textRange":{"startLine":4,"endLine":4,"startColumn":0,"endColumn":10}}}"#,
                "]}\n"
            )
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value["issues"].as_array().map(Vec::len), Some(4));
    }

    #[test]
    fn sonarqube_file_path_in_report_and_syntax_blocker() {
        let reports = [report("Dockerfile", "FROM debian:12\nFROBNICATE x\n")];
        let opts = FormatOptions {
            file_path_in_report: Some("app/Dockerfile".to_string()),
        };
        let value: serde_json::Value = serde_json::from_str(&render(&reports, &opts)).unwrap();
        let issue = &value["issues"][0];
        assert_eq!(issue["primaryLocation"]["filePath"], "app/Dockerfile");
        assert_eq!(issue["severity"], "BLOCKER");
        assert_eq!(issue["type"], "BUG");
    }

    #[test]
    fn sonarqube_ranges_are_never_empty_and_stay_on_their_lines() {
        let r = report("Dockerfile", "ab\n\ncd\r\n😀\n");
        let at = |n: u32| TextSize::from(n);
        // Empty in the middle of a line: widened to the next character.
        assert_eq!(text_range(&r, at(1), at(1)), range(1, 1, 1, 2));
        // Empty at the end of a line: widened to the previous character.
        assert_eq!(text_range(&r, at(2), at(2)), range(1, 1, 1, 2));
        // On an empty line: the line only.
        assert_eq!(
            text_range(&r, at(3), at(3)),
            TextRange {
                start_line: 2,
                end_line: 2,
                start_column: None,
                end_column: None
            }
        );
        // A whole line with its CRLF: the line break is left out.
        assert_eq!(text_range(&r, at(4), at(8)), range(3, 0, 3, 2));
        // A non-BMP character is two UTF-16 units, and an empty range before it covers both.
        assert_eq!(text_range(&r, at(8), at(8)), range(4, 0, 4, 2));
        // Out of bounds and off a character boundary: clamped.
        assert_eq!(text_range(&r, at(9), at(100)), range(4, 0, 4, 2));
    }
}
