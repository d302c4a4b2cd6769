//! Codacy's tool result format: one JSON object per finding, `{filename, line, message,
//! patternId}`, one per line (JSON Lines), as Codacy's tool specification asks.
//!
//! hadolint writes the same objects with nothing between them; the line break is the only
//! difference, and a reader of hadolint's stream also reads this one. Like hadolint, it prints
//! the file's own name and ignores `file_path_in_report`. Codacy's format has no column,
//! severity or end position, so none is written.

use serde::Serialize;

use super::{FileReport, FormatOptions};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CodacyResult<'a> {
    filename: &'a str,
    line: u32,
    message: &'a str,
    pattern_id: &'a str,
}

pub fn render(reports: &[FileReport], _opts: &FormatOptions) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let result = CodacyResult {
                filename: &report.name,
                line: report.position(d.range.start()).line,
                message: &d.message,
                pattern_id: d.code,
            };
            // Serialising this plain struct cannot fail; skip the finding if it ever did.
            if let Ok(json) = serde_json::to_string(&result) {
                out.push_str(&json);
                out.push('\n');
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
    fn codacy_exact_output() {
        let reports = [
            report("Dockerfile", "FROM ubuntu\nWORKDIR a\\\"b\n"),
            report("clean.Dockerfile", "FROM debian:12\n"),
        ];
        let opts = FormatOptions {
            file_path_in_report: Some("ignored".to_string()),
        };
        let out = render(&reports, &opts);
        assert_eq!(
            out,
            r#"{"filename":"Dockerfile","line":1,"message":"`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`","patternId":"DL3006"}
{"filename":"Dockerfile","line":2,"message":"WORKDIR `a\"b` is relative: use an absolute path","patternId":"DL3000"}
"#
        );
        for line in out.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(value.is_object());
        }
    }
}
