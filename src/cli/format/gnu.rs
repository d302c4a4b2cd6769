//! The GNU error format, one line per finding, as editors and `compilation-mode` parse it:
//! `layerwise:FILE:LINE:COLUMN: CODE level: message`. This is hadolint's `gnu` shape
//! (`hadolint:FILE:LINE: CODE level: message`) with the column added after the line.
//!
//! It prints the file's own name (`-` for stdin): like hadolint, it ignores
//! `file_path_in_report`. It writes no end position and no summary line; line breaks inside a
//! message are flattened to spaces so that one finding stays one line.

use std::fmt::Write;

use super::{FileReport, FormatOptions};

pub fn render(reports: &[FileReport], _opts: &FormatOptions) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let start = report.position(d.range.start());
            let _ = writeln!(
                out,
                "layerwise:{}:{}:{}: {} {}: {}",
                one_line(&report.name),
                start.line,
                start.column,
                d.code,
                d.severity.as_str(),
                one_line(&d.message),
            );
        }
    }
    out
}

/// `text` with every line break and other control character replaced by a space.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::diagnostics::{Diagnostic, lint};
    use crate::rules::registry;
    use crate::syntax::parse;
    use rowan::{TextRange, TextSize};

    fn report(name: &str, text: &str) -> FileReport {
        let diagnostics = lint(&parse(text), &Config::default());
        FileReport::new(name.to_string(), text.to_string(), diagnostics)
    }

    #[test]
    fn gnu_exact_output() {
        let reports = [
            report("Dockerfile", "FROM ubuntu\nWORKDIR é/x\nLABEL 1abc=x\n"),
            report("-", "FROM ubuntu\n"),
        ];
        let opts = FormatOptions {
            file_path_in_report: Some("ignored".to_string()),
        };
        assert_eq!(
            render(&reports, &opts),
            "\
layerwise:Dockerfile:1:6: DL3006 warning: `ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`
layerwise:Dockerfile:2:9: DL3000 error: WORKDIR `é/x` is relative: use an absolute path
layerwise:Dockerfile:3:7: DL3048 style: label key `1abc` should be lower-case reverse-DNS, e.g. `org.example.1abc`
layerwise:-:1:6: DL3006 warning: `ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`
"
        );
    }

    #[test]
    fn gnu_message_line_breaks_stay_on_one_line() {
        let Some(meta) = registry::find("DL3000") else {
            panic!("DL3000 is registered");
        };
        let text = "FROM debian:12\nWORKDIR x\n";
        let d = Diagnostic::new(
            meta,
            TextRange::new(TextSize::from(23), TextSize::from(24)),
            "two\nlines\r\n",
        );
        let reports = [FileReport::new(
            "Docker\nfile".to_string(),
            text.to_string(),
            vec![d],
        )];
        assert_eq!(
            render(&reports, &FormatOptions::default()),
            "layerwise:Docker file:2:9: DL3000 error: two lines  \n"
        );
    }
}
