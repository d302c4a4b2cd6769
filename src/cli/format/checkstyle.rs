//! Checkstyle XML, as read by Jenkins, reviewdog and most CI annotators: one `<file>` per
//! linted file (also for a clean file, as hadolint does) holding one `<error>` per finding.
//!
//! Checkstyle has no end positions, so only the start line and column are written. It knows
//! the severities error, warning and info only: our `style` is written as `info` (hadolint
//! writes `style`, which checkstyle consumers do not recognise). It does not write the
//! timestamps or rule documentation some checkstyle producers add.

use std::fmt::Write;

use super::xml::escape_attr;
use super::{FileReport, FormatOptions};
use crate::rules::Severity;

pub fn render(reports: &[FileReport], opts: &FormatOptions) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<checkstyle version=\"4.3\">\n");
    for report in reports {
        let name = escape_attr(opts.path_for(report));
        if report.diagnostics.is_empty() {
            let _ = writeln!(out, "  <file name=\"{name}\"/>");
            continue;
        }
        let _ = writeln!(out, "  <file name=\"{name}\">");
        for d in &report.diagnostics {
            let start = report.position(d.range.start());
            let _ = writeln!(
                out,
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"{}\"/>",
                start.line,
                start.column,
                severity(d.severity),
                escape_attr(&d.message),
                escape_attr(d.code),
            );
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "info",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::format::xml::check_well_formed;
    use crate::config::Config;
    use crate::diagnostics::lint;
    use crate::syntax::parse;

    fn report(name: &str, text: &str) -> FileReport {
        let diagnostics = lint(&parse(text), &Config::default());
        FileReport::new(name.to_string(), text.to_string(), diagnostics)
    }

    const DOCKERFILE: &str = "FROM ubuntu\nWORKDIR \"a&b<c>'d\"\nWORKDIR a\\\"b\nLABEL 1abc=x\n";

    #[test]
    fn checkstyle_exact_output() {
        let reports = [
            report("dir/Dockerfile", DOCKERFILE),
            report("clean.Dockerfile", "FROM debian:12\n"),
        ];
        let out = render(&reports, &FormatOptions::default());
        assert_eq!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<checkstyle version="4.3">
  <file name="dir/Dockerfile">
    <error line="1" column="6" severity="warning" message="`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:&lt;version&gt;`" source="DL3006"/>
    <error line="2" column="9" severity="error" message="WORKDIR `a&amp;b&lt;c&gt;&apos;d` is relative: use an absolute path" source="DL3000"/>
    <error line="3" column="9" severity="error" message="WORKDIR `a&quot;b` is relative: use an absolute path" source="DL3000"/>
    <error line="4" column="7" severity="info" message="label key `1abc` should be lower-case reverse-DNS, e.g. `org.example.1abc`" source="DL3048"/>
  </file>
  <file name="clean.Dockerfile"/>
</checkstyle>
"#
        );
        check_well_formed(&out).unwrap();
    }

    #[test]
    fn checkstyle_file_path_in_report_replaces_every_name() {
        let reports = [report("Dockerfile", "FROM ubuntu\n")];
        let opts = FormatOptions {
            file_path_in_report: Some("ci/<odd> & \"name\"".to_string()),
        };
        let out = render(&reports, &opts);
        assert!(
            out.contains("<file name=\"ci/&lt;odd&gt; &amp; &quot;name&quot;\">"),
            "{out}"
        );
        check_well_formed(&out).unwrap();
    }

    #[test]
    fn checkstyle_no_files_is_still_a_document() {
        let out = render(&[], &FormatOptions::default());
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n</checkstyle>\n"
        );
        check_well_formed(&out).unwrap();
    }
}
