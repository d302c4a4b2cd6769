//! JUnit XML, as CI test-report views read it (GitLab, Jenkins, Azure): one `<testsuite>` per
//! linted file and one failed `<testcase>` per finding, in hadolint's element and attribute
//! shape.
//!
//! Differences from hadolint, each deliberate: nothing depends on the clock (hadolint writes
//! the run's date as the `id` and `name` of `<testsuites>`; every `time` here is `0`, because
//! nothing is measured); each `<testsuite>` is named after its file (hadolint names every
//! suite after itself, so files cannot be told apart); and `<testcase>` carries the `name` and
//! `classname` that JUnit schemas require and that report views display, plus `tests` counts.
//! A clean file is an empty suite, as in hadolint.

use std::fmt::Write;

use super::xml::{escape_attr, escape_text};
use super::{FileReport, FormatOptions};
use crate::diagnostics::code_url;

pub fn render(reports: &[FileReport], opts: &FormatOptions) -> String {
    let total: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites id=\"layerwise\" name=\"layerwise\" tests=\"{total}\" failures=\"{total}\" time=\"0\">"
    );
    for report in reports {
        let path = opts.path_for(report);
        let name = escape_attr(path);
        let n = report.diagnostics.len();
        let _ = write!(
            out,
            "  <testsuite id=\"{name}\" name=\"{name}\" tests=\"{n}\" failures=\"{n}\" errors=\"0\" time=\"0\""
        );
        if n == 0 {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for d in &report.diagnostics {
            let start = report.position(d.range.start());
            let code = escape_attr(d.code);
            let level = d.severity.as_str();
            let _ = writeln!(
                out,
                "    <testcase id=\"layerwise.rule.{code}\" name=\"{code} at {}:{}\" classname=\"{name}\" time=\"0\">",
                start.line, start.column
            );
            let _ = write!(
                out,
                "      <failure id=\"{code}\" message=\"{}\" type=\"{level}\">",
                escape_attr(&d.message)
            );
            let mut details = format!(
                "File: {path}\nLine: {}\nColumn: {}\nRule: {}",
                start.line, start.column, d.code
            );
            if let Some(meta) = d.meta() {
                let _ = write!(details, " ({})", meta.name);
            }
            let _ = write!(details, "\n{level}: {}\n", d.message);
            if let Some(url) = code_url(d.code) {
                let _ = writeln!(details, "See: {url}");
            }
            out.push_str(&escape_text(&details));
            out.push_str("</failure>\n    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
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

    #[test]
    fn junit_exact_output() {
        let reports = [
            report("Dockerfile", "FROM ubuntu\nWORKDIR \"a&b<c>'d\"\n"),
            report("clean.Dockerfile", "FROM debian:12\n"),
        ];
        let out = render(&reports, &FormatOptions::default());
        assert_eq!(
            out,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites id="layerwise" name="layerwise" tests="2" failures="2" time="0">
  <testsuite id="Dockerfile" name="Dockerfile" tests="2" failures="2" errors="0" time="0">
    <testcase id="layerwise.rule.DL3006" name="DL3006 at 1:6" classname="Dockerfile" time="0">
      <failure id="DL3006" message="`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:&lt;version&gt;`" type="warning">File: Dockerfile
Line: 1
Column: 6
Rule: DL3006 (untagged-image)
warning: `ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:&lt;version&gt;`
See: https://github.com/hadolint/hadolint/wiki/DL3006
</failure>
    </testcase>
    <testcase id="layerwise.rule.DL3000" name="DL3000 at 2:9" classname="Dockerfile" time="0">
      <failure id="DL3000" message="WORKDIR `a&amp;b&lt;c&gt;&apos;d` is relative: use an absolute path" type="error">File: Dockerfile
Line: 2
Column: 9
Rule: DL3000 (relative-workdir)
error: WORKDIR `a&amp;b&lt;c&gt;'d` is relative: use an absolute path
See: https://github.com/hadolint/hadolint/wiki/DL3000
</failure>
    </testcase>
  </testsuite>
  <testsuite id="clean.Dockerfile" name="clean.Dockerfile" tests="0" failures="0" errors="0" time="0"/>
</testsuites>
"#
        );
        check_well_formed(&out).unwrap();
    }

    #[test]
    fn junit_file_path_in_report_and_escaping() {
        let reports = [report("Dockerfile", "FROM ubuntu\nWORKDIR a\\\"b\n")];
        let opts = FormatOptions {
            file_path_in_report: Some("a \"b\" <c> & 'd'".to_string()),
        };
        let out = render(&reports, &opts);
        check_well_formed(&out).unwrap();
        assert!(
            out.contains("<testsuite id=\"a &quot;b&quot; &lt;c&gt; &amp; &apos;d&apos;\""),
            "{out}"
        );
        assert!(out.contains("File: a \"b\" &lt;c&gt; &amp; 'd'\n"), "{out}");
        assert!(
            out.contains("message=\"WORKDIR `a&quot;b` is relative"),
            "{out}"
        );
    }

    #[test]
    fn junit_no_files_is_still_a_document() {
        let out = render(&[], &FormatOptions::default());
        check_well_formed(&out).unwrap();
        assert!(out.contains("tests=\"0\""));
    }
}
