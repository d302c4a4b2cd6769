//! The human format: each finding with its source line and carets under the exact range,
//! like rustc and ruff, then a summary. Colour is decided by the caller.

use std::fmt::Write;

use super::FileReport;
use crate::diagnostics::code_url;
use crate::rules::Severity;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const BLUE: &str = "\x1b[1;34m";
const CYAN: &str = "\x1b[36m";

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "\x1b[1;31m",
        Severity::Warning => "\x1b[1;33m",
        Severity::Info => "\x1b[1;36m",
        Severity::Style => "\x1b[1;35m",
    }
}

/// Tabs are shown as this many spaces so carets line up.
const TAB_WIDTH: usize = 4;

pub fn render(reports: &[FileReport], colour: bool) -> String {
    let paint = |code: &'static str| if colour { code } else { "" };
    let reset = paint(RESET);
    let mut out = String::new();
    let mut counts = [0usize; 4];
    let mut files_with_findings = 0;
    for report in reports {
        if !report.diagnostics.is_empty() {
            files_with_findings += 1;
        }
        for d in &report.diagnostics {
            counts[d.severity as usize] += 1;
            let start = report.position(d.range.start());
            let end = report.position(d.range.end());
            let sev = d.severity.as_str();
            let _ = writeln!(
                out,
                "{}{}:{}:{}{}: {}{} {}{}: {}",
                paint(BOLD),
                report.name,
                start.line,
                start.column,
                reset,
                paint(severity_colour(d.severity)),
                d.code,
                sev,
                reset,
                d.message
            );
            let line_text = report.line_text(start.line);
            let gutter = start.line.to_string().len();
            let (shown, caret_start, caret_len) = caret_layout(
                line_text,
                start.column,
                if end.line == start.line {
                    Some(end.column)
                } else {
                    None
                },
            );
            let blue = paint(BLUE);
            let _ = writeln!(out, "{blue}{:gutter$} |{reset}", "");
            let _ = writeln!(out, "{blue}{} |{reset} {shown}", start.line);
            let more = if end.line > start.line {
                format!(" (to line {})", end.line)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{blue}{:gutter$} |{reset} {:caret_start$}{}{}{reset}{more}",
                "",
                "",
                paint(severity_colour(d.severity)),
                "^".repeat(caret_len.max(1)),
            );
            if let Some(fix) = &d.fix {
                let _ = writeln!(
                    out,
                    "{blue}{:gutter$} ={reset} {}fix{reset}: {}",
                    "",
                    paint(CYAN),
                    fix.title
                );
            }
            if let Some(url) = code_url(d.code) {
                let _ = writeln!(
                    out,
                    "{blue}{:gutter$} ={reset} {}see{reset}: {}",
                    "",
                    paint(CYAN),
                    url
                );
            }
            out.push('\n');
        }
    }
    let total: usize = counts.iter().sum();
    if total == 0 {
        let files = reports.len();
        let _ = writeln!(
            out,
            "No problems found in {files} file{}.",
            if files == 1 { "" } else { "s" }
        );
    } else {
        let mut parts = Vec::new();
        for (severity, name) in [
            (Severity::Error, "error"),
            (Severity::Warning, "warning"),
            (Severity::Info, "info"),
            (Severity::Style, "style"),
        ] {
            let n = counts[severity as usize];
            if n > 0 {
                let plural = if n == 1 || name == "info" || name == "style" {
                    ""
                } else {
                    "s"
                };
                parts.push(format!("{n} {name}{plural}"));
            }
        }
        let _ = writeln!(
            out,
            "{}Found {total} problem{} ({}) in {files_with_findings} file{}.{reset}",
            paint(BOLD),
            if total == 1 { "" } else { "s" },
            parts.join(", "),
            if files_with_findings == 1 { "" } else { "s" },
        );
    }
    out
}

/// The line with tabs expanded, and where the carets start and how many there are. `end_col`
/// is the exclusive end column on the same line, or `None` when the range continues below.
fn caret_layout(line: &str, start_col: u32, end_col: Option<u32>) -> (String, usize, usize) {
    let mut shown = String::with_capacity(line.len());
    let mut display_col = Vec::with_capacity(line.len() + 1);
    for ch in line.chars() {
        display_col.push(shown.chars().count());
        if ch == '\t' {
            shown.push_str(&" ".repeat(TAB_WIDTH));
        } else {
            shown.push(ch);
        }
    }
    let width = shown.chars().count();
    display_col.push(width);
    let at = |col: u32| {
        display_col
            .get(col.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(width)
    };
    let start = at(start_col);
    let end = end_col.map_or(width, at).max(start);
    (shown, start, end - start)
}

#[cfg(test)]
mod tests {
    use super::caret_layout;

    #[test]
    fn carets_follow_tabs_and_unicode() {
        assert_eq!(
            caret_layout("FROM é x", 8, Some(9)),
            ("FROM é x".to_string(), 7, 1)
        );
        assert_eq!(
            caret_layout("\tRUN x", 2, Some(5)),
            ("    RUN x".to_string(), 4, 3)
        );
        assert_eq!(
            caret_layout("RUN a \\", 5, None),
            ("RUN a \\".to_string(), 4, 3)
        );
    }
}
