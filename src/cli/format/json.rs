//! hadolint's JSON format: an array of `{code, column, file, level, line, message}`, plus
//! `endLine` and `endColumn` (exclusive), with real columns where hadolint always prints 1.

use serde::Serialize;

use super::FileReport;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonFinding<'a> {
    code: &'a str,
    column: u32,
    file: &'a str,
    level: &'a str,
    line: u32,
    message: &'a str,
    end_line: u32,
    end_column: u32,
}

pub fn render(reports: &[FileReport]) -> String {
    let mut findings = Vec::new();
    for report in reports {
        for d in &report.diagnostics {
            let start = report.position(d.range.start());
            let end = report.position(d.range.end());
            findings.push(JsonFinding {
                code: d.code,
                column: start.column,
                file: &report.name,
                level: d.severity.as_str(),
                line: start.line,
                message: &d.message,
                end_line: end.line,
                end_column: end.column,
            });
        }
    }
    let mut out = serde_json::to_string(&findings).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
