//! GitLab's Code Quality report: a JSON array of Code Climate issues, each with the
//! `fingerprint` GitLab uses to match a finding across pipelines (to tell new findings from
//! fixed ones in a merge request). The issue shape is the one of [`super::codeclimate`].
//!
//! # The fingerprint
//!
//! 128-bit FNV-1a (32 lowercase hex digits) of, separated by NUL bytes: the version tag
//! `layerwise-fingerprint-v1`, the path as printed in the report, the rule code, the text of
//! the finding's first line with surrounding whitespace trimmed, and the occurrence (0 for the
//! first finding of that code on an identical line in the file, 1 for the next, …).
//!
//! It leaves out the line number, so a finding keeps its fingerprint when lines are inserted
//! above it or when the line is re-indented, and the message, so rewording a message does not
//! make every finding look new. It changes when the line itself changes, which is what a
//! reviewer wants. FNV is not cryptographic and need not be: a fingerprint only has to be
//! stable and unlikely to collide within one project; it is computed here, with no dependency,
//! and never changes between releases without a new version tag.

use super::codeclimate::issue;
use super::{FileReport, FormatOptions};

pub fn render(reports: &[FileReport], opts: &FormatOptions) -> String {
    let mut issues = Vec::new();
    for report in reports {
        let path = opts.path_for(report);
        let fingerprints = fingerprints(report, path);
        for (d, fingerprint) in report.diagnostics.iter().zip(fingerprints) {
            let mut issue = issue(report, d, path);
            issue.fingerprint = Some(fingerprint);
            issues.push(issue);
        }
    }
    // Serialising these plain structs cannot fail; an empty report is the safe fallback.
    let mut out = serde_json::to_string(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}

/// The fingerprint of each finding of `report`, in order, for the file printed as `path`.
pub fn fingerprints(report: &FileReport, path: &str) -> Vec<String> {
    let mut seen: Vec<(&str, &str)> = Vec::with_capacity(report.diagnostics.len());
    let mut out = Vec::with_capacity(report.diagnostics.len());
    for d in &report.diagnostics {
        let line = report.position(d.range.start()).line;
        let line_text = report.line_text(line).trim();
        let occurrence = seen
            .iter()
            .filter(|(code, text)| *code == d.code && *text == line_text)
            .count();
        seen.push((d.code, line_text));
        out.push(fingerprint(path, d.code, line_text, occurrence));
    }
    out
}

/// The fingerprint of one finding; see the module documentation.
pub fn fingerprint(path: &str, code: &str, line_text: &str, occurrence: usize) -> String {
    let mut hash = Fnv1a128::new();
    hash.write(b"layerwise-fingerprint-v1");
    for part in [path, code, line_text, &occurrence.to_string()] {
        hash.write(&[0]);
        hash.write(part.as_bytes());
    }
    format!("{:032x}", hash.finish())
}

/// 128-bit FNV-1a (Fowler, Noll, Vo): for each byte, xor it in, then multiply by the prime.
struct Fnv1a128(u128);

impl Fnv1a128 {
    const OFFSET_BASIS: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;

    fn new() -> Fnv1a128 {
        Fnv1a128(Self::OFFSET_BASIS)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 ^= u128::from(byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(&self) -> u128 {
        self.0
    }
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

    fn fnv(bytes: &[u8]) -> u128 {
        let mut hash = Fnv1a128::new();
        hash.write(bytes);
        hash.finish()
    }

    #[test]
    fn gitlab_fnv1a_128_matches_the_reference_vectors() {
        assert_eq!(fnv(b""), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv(b"a"), 0xd228cb696f1a8caf78912b704e4a8964);
        assert_eq!(fnv(b"foobar"), 0x343e1662793c64bf6f0d3597ba446f18);
    }

    #[test]
    fn gitlab_exact_output() {
        let reports = [
            report("Dockerfile", "FROM ubuntu\nWORKDIR \"<a>&b\"\n"),
            report("clean.Dockerfile", "FROM debian:12\n"),
        ];
        let out = render(&reports, &FormatOptions::default());
        assert_eq!(
            out,
            concat!(
                r#"[{"type":"issue","check_name":"DL3006","description":"`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":1,"end":1}},"severity":"major","fingerprint":"82bed4a7914f0a6580def56747dba897"},"#,
                r#"{"type":"issue","check_name":"DL3000","description":"WORKDIR `<a>&b` is relative: use an absolute path","categories":["Bug Risk"],"location":{"path":"Dockerfile","lines":{"begin":2,"end":2}},"severity":"critical","fingerprint":"f1cdb4abd7b85ce0c6c07de9db20b117"}]"#,
                "\n"
            )
        );
        let value: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(value.as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn gitlab_fingerprints_survive_moves_and_reindenting_but_not_edits() {
        let before = report(
            "Dockerfile",
            "FROM ubuntu\nRUN apt-get install -y curl wget\n",
        );
        let moved = report(
            "Dockerfile",
            "# a comment\n\nFROM ubuntu\n  RUN apt-get install -y curl wget  \n",
        );
        let edited = report(
            "Dockerfile",
            "FROM ubuntu\nRUN apt-get install -y curl git\n",
        );
        let a = fingerprints(&before, "Dockerfile");
        assert_eq!(a, fingerprints(&moved, "Dockerfile"));
        assert_ne!(a, fingerprints(&edited, "Dockerfile"));
        assert_ne!(a, fingerprints(&before, "other/Dockerfile"));
        // Two findings of one code on one line (curl and wget) still differ.
        let codes: Vec<&str> = before.diagnostics.iter().map(|d| d.code).collect();
        let dl3008: Vec<&String> = codes
            .iter()
            .zip(&a)
            .filter(|(code, _)| **code == "DL3008")
            .map(|(_, f)| f)
            .collect();
        assert_eq!(dl3008.len(), 2);
        assert_ne!(dl3008[0], dl3008[1]);
        // All unique and of fixed width.
        let mut unique = a.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), a.len());
        assert!(a.iter().all(|f| f.len() == 32));
    }

    #[test]
    fn gitlab_file_path_in_report_is_used_and_fingerprinted() {
        let reports = [report("Dockerfile", "FROM ubuntu\n")];
        let opts = FormatOptions {
            file_path_in_report: Some("app/Dockerfile".to_string()),
        };
        let value: serde_json::Value = serde_json::from_str(&render(&reports, &opts)).unwrap();
        assert_eq!(value[0]["location"]["path"], "app/Dockerfile");
        assert_eq!(
            value[0]["fingerprint"],
            fingerprint("app/Dockerfile", "DL3006", "FROM ubuntu", 0)
        );
    }
}
