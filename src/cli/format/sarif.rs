//! SARIF 2.1.0 (the Static Analysis Results Interchange Format) for GitHub code scanning and
//! other SARIF viewers: one run whose `tool.driver` describes every rule that has a result
//! (name, summary, full help in markdown and plain text, documentation link, default level),
//! and one result per finding with its exact region, related places, the fix when it is one
//! a tool may apply, and a stable fingerprint.
//!
//! Regions are 1-based with an exclusive end column counted in Unicode code points, and the
//! run says so (`columnKind`). URIs are the paths as given, percent-encoded; stdin (`-`) is
//! `stdin`. Like hadolint, it ignores `file_path_in_report`. It writes no timestamps, no
//! invocation details and no file contents.

use serde::Serialize;

use super::gitlab_codeclimate::fingerprints;
use super::{FileReport, FormatOptions};
use crate::diagnostics::{Applicability, Diagnostic, code_url};
use crate::rules::registry::RULES;
use crate::rules::{RuleMeta, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The project's home page, where [`crate::rules::DOCS_BASE_URL`] also points.
const INFORMATION_URI: &str = "https://github.com/layerwise/layerwise";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    artifacts: Vec<Artifact>,
    default_source_language: &'static str,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    full_name: &'static str,
    short_description: Text,
    information_uri: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

/// SARIF's `reportingDescriptor`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    default_configuration: Option<Configuration>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
    /// Written only for rules that are off unless configured.
    #[serde(skip_serializing_if = "is_true")]
    enabled: bool,
}

fn is_true(value: &bool) -> bool {
    *value
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    source_language: &'static str,
}

#[derive(Serialize, Clone)]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: MessageRef<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
    fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct MessageRef<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "layerwiseFingerprint/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<MessageRef<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_language: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: MessageRef<'a>,
    artifact_changes: [ArtifactChange<'a>; 1],
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: MessageRef<'a>,
}

pub fn render(reports: &[FileReport], _opts: &FormatOptions) -> String {
    let rules = rules_in(reports);
    let mut artifacts = Vec::with_capacity(reports.len());
    let mut results = Vec::new();
    for report in reports {
        let uri = artifact_uri(&report.name);
        // SARIF wants the artifacts unique: a file given twice is listed once.
        let artifact_idx = match artifacts
            .iter()
            .position(|a: &Artifact| a.location.uri == uri)
        {
            Some(idx) => idx,
            None => {
                artifacts.push(Artifact {
                    location: ArtifactLocation {
                        uri: uri.clone(),
                        index: None,
                    },
                    source_language: "dockerfile",
                });
                artifacts.len() - 1
            }
        };
        let artifact_location = ArtifactLocation {
            uri: uri.clone(),
            index: Some(artifact_idx),
        };
        let fingerprints = fingerprints(report, &uri);
        for (d, fingerprint) in report.diagnostics.iter().zip(fingerprints) {
            let rule_index = rules
                .iter()
                .position(|(code, _)| *code == d.code)
                .unwrap_or_default();
            results.push(result(
                report,
                d,
                &artifact_location,
                rule_index,
                fingerprint,
            ));
        }
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "layerwise",
                    full_name: concat!("layerwise ", env!("CARGO_PKG_VERSION")),
                    short_description: Text {
                        text: env!("CARGO_PKG_DESCRIPTION").to_string(),
                    },
                    information_uri: INFORMATION_URI,
                    version: env!("CARGO_PKG_VERSION"),
                    rules: rules.iter().map(|(code, meta)| rule(code, *meta)).collect(),
                },
            },
            artifacts,
            default_source_language: "dockerfile",
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // Serialising these plain structs cannot fail; an empty string is the safe fallback.
    let mut out = serde_json::to_string(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// The distinct codes of all findings with their rule, in registry (code) order; codes not in
/// the registry last, alphabetically.
fn rules_in(reports: &[FileReport]) -> Vec<(&'static str, Option<&'static RuleMeta>)> {
    let mut rules: Vec<(&'static str, Option<&'static RuleMeta>)> = Vec::new();
    for d in reports.iter().flat_map(|r| &r.diagnostics) {
        if !rules.iter().any(|(code, _)| *code == d.code) {
            rules.push((d.code, d.meta()));
        }
    }
    rules.sort_by_key(|(code, meta)| {
        let registry_idx = meta
            .and_then(|meta| RULES.iter().position(|e| e.meta.code == meta.code))
            .unwrap_or(usize::MAX);
        (registry_idx, *code)
    });
    rules
}

fn rule(code: &str, meta: Option<&'static RuleMeta>) -> Rule {
    let Some(meta) = meta else {
        return Rule {
            id: code.to_string(),
            name: None,
            short_description: None,
            full_description: None,
            help: None,
            help_uri: code_url(code),
            default_configuration: None,
        };
    };
    let docs = meta.docs();
    let what_it_does = section(&docs, "What it does");
    Rule {
        id: code.to_string(),
        name: Some(meta.name),
        short_description: Some(Text {
            text: meta.summary(),
        }),
        full_description: Some(Text {
            text: if what_it_does.is_empty() {
                meta.summary()
            } else {
                what_it_does
            },
        }),
        help: Some(Help {
            text: markdown_to_text(&docs),
            markdown: docs,
        }),
        help_uri: Some(meta.url()),
        default_configuration: Some(Configuration {
            level: level(meta.default_severity),
            enabled: meta.default_enabled,
        }),
    }
}

fn result<'a>(
    report: &FileReport,
    d: &'a Diagnostic,
    artifact_location: &ArtifactLocation,
    rule_index: usize,
    fingerprint: String,
) -> SarifResult<'a> {
    let language = source_language(d.code);
    let location = |range: rowan::TextRange, id, message| Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact_location.clone(),
            region: region(report, range, Some(language)),
        },
        message,
    };
    let fixes = d
        .fix
        .iter()
        .filter_map(|fix| {
            let applicability = match fix.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
                // A suggestion to show, never to apply: not a SARIF fix.
                Applicability::DisplayOnly => return None,
            };
            // SARIF requires at least one replacement per changed artifact.
            if fix.edits.is_empty() {
                return None;
            }
            Some(Fix {
                description: MessageRef { text: &fix.title },
                artifact_changes: [ArtifactChange {
                    artifact_location: artifact_location.clone(),
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| Replacement {
                            deleted_region: region(report, edit.range, None),
                            inserted_content: MessageRef {
                                text: &edit.new_text,
                            },
                        })
                        .collect(),
                }],
                properties: FixProperties { applicability },
            })
        })
        .collect();
    SarifResult {
        rule_id: d.code,
        rule_index,
        level: level(d.severity),
        message: MessageRef { text: &d.message },
        locations: [location(d.range, None, None)],
        related_locations: d
            .related
            .iter()
            .enumerate()
            .map(|(idx, related)| {
                location(
                    related.range,
                    Some(idx),
                    Some(MessageRef {
                        text: &related.message,
                    }),
                )
            })
            .collect(),
        fixes,
        fingerprints: Fingerprints { v1: fingerprint },
    }
}

fn region(
    report: &FileReport,
    range: rowan::TextRange,
    source_language: Option<&'static str>,
) -> Region {
    let start = report.position(range.start());
    let end = report.position(range.end());
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        source_language,
    }
}

/// SARIF has no `info` or `style`: both are `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Style => "note",
    }
}

/// ShellCheck findings are about the shell text of a RUN, as in hadolint.
fn source_language(code: &str) -> &'static str {
    if code.starts_with("SC") {
        "sh"
    } else {
        "dockerfile"
    }
}

/// The artifact URI of a path as given: `stdin` for `-`; an absolute path as a `file://`
/// URI; otherwise a relative reference. Backslashes become slashes, and every byte outside
/// the unreserved set and `/` is percent-encoded (so a `:` in a relative path cannot be read
/// as a scheme).
fn artifact_uri(name: &str) -> String {
    if name == "-" {
        return "stdin".to_string();
    }
    let path = name.replace('\\', "/");
    let (prefix, has_drive) = match path.as_bytes() {
        [b'/', ..] => ("file://", false),
        [drive, b':', b'/', ..] if drive.is_ascii_alphabetic() => ("file:///", true),
        _ => ("", false),
    };
    let mut out = String::from(prefix);
    for (idx, byte) in path.bytes().enumerate() {
        let drive_colon = has_drive && idx == 1;
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/')
            || drive_colon
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The body of a `## heading` section of rule docs, joined into one paragraph.
fn section(docs: &str, heading: &str) -> String {
    let mut lines = docs
        .lines()
        .skip_while(|line| line.trim_start_matches('#').trim() != heading || !line.starts_with('#'))
        .skip(1);
    let mut out = String::new();
    for line in lines.by_ref() {
        if line.starts_with('#') {
            break;
        }
        let line = line.trim();
        if line.is_empty() {
            if out.is_empty() {
                continue;
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// Rule docs as plain text: heading markers and code fences are dropped; everything else is
/// kept as written, since the docs are plain prose with backticks.
fn markdown_to_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            continue;
        }
        let line = match line.strip_prefix('#') {
            Some(heading) => heading.trim_start_matches('#').trim_start(),
            None => line,
        };
        out.push_str(line);
        out.push('\n');
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

    /// The expected rule entry; the documentation texts come from the rule itself, so that
    /// editing a rule's docs does not break this test.
    fn expected_rule(code: &str, name: &str, level: &str) -> serde_json::Value {
        let Some(meta) = crate::rules::registry::find(code) else {
            panic!("{code} is registered");
        };
        let docs = meta.docs();
        serde_json::json!({
            "id": code,
            "name": name,
            "shortDescription": {"text": meta.summary()},
            "fullDescription": {"text": section(&docs, "What it does")},
            "help": {"text": markdown_to_text(&docs), "markdown": docs},
            "helpUri": format!("https://github.com/hadolint/hadolint/wiki/{code}"),
            "defaultConfiguration": {"level": level},
        })
    }

    fn expected_location(uri: &str, index: usize, region: [u32; 4]) -> serde_json::Value {
        serde_json::json!({
            "physicalLocation": {
                "artifactLocation": {"uri": uri, "index": index},
                "region": {
                    "startLine": region[0],
                    "startColumn": region[1],
                    "endLine": region[2],
                    "endColumn": region[3],
                    "sourceLanguage": "dockerfile",
                },
            },
        })
    }

    #[test]
    fn sarif_exact_output() {
        let reports = [
            report("dir/My Dockerfile", "FROM ubuntu\nMAINTAINER me\n"),
            report("-", "FROM debian:12\nWORKDIR é\n"),
        ];
        let out = render(&reports, &FormatOptions::default());
        assert!(out.starts_with(r#"{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":"layerwise","#));
        assert!(out.ends_with("}]}\n"));
        assert_eq!(out, render(&reports, &FormatOptions::default()));
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        let file = "dir/My%20Dockerfile";
        let expected = serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "layerwise",
                    "fullName": format!("layerwise {}", env!("CARGO_PKG_VERSION")),
                    "shortDescription": {"text": "A language server and command-line linter for Dockerfiles"},
                    "informationUri": "https://github.com/layerwise/layerwise",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": [
                        expected_rule("DL3000", "relative-workdir", "error"),
                        expected_rule("DL3006", "untagged-image", "warning"),
                        expected_rule("DL4000", "maintainer-deprecated", "error"),
                    ],
                }},
                "artifacts": [
                    {"location": {"uri": file}, "sourceLanguage": "dockerfile"},
                    {"location": {"uri": "stdin"}, "sourceLanguage": "dockerfile"},
                ],
                "defaultSourceLanguage": "dockerfile",
                "columnKind": "unicodeCodePoints",
                "results": [
                    {
                        "ruleId": "DL3006",
                        "ruleIndex": 1,
                        "level": "warning",
                        "message": {"text": "`ubuntu` has no tag, so it means whatever `latest` is today: pin a tag such as `ubuntu:<version>`"},
                        "locations": [expected_location(file, 0, [1, 6, 1, 12])],
                        "fingerprints": {"layerwiseFingerprint/v1": "cb04babbe7458a931f6ea1a40d927488"},
                    },
                    {
                        "ruleId": "DL4000",
                        "ruleIndex": 2,
                        "level": "error",
                        "message": {"text": "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors"},
                        "locations": [expected_location(file, 0, [2, 1, 2, 11])],
                        "fixes": [{
                            "description": {"text": "Replace with `LABEL org.opencontainers.image.authors`"},
                            "artifactChanges": [{
                                "artifactLocation": {"uri": file, "index": 0},
                                "replacements": [{
                                    "deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 14},
                                    "insertedContent": {"text": "LABEL org.opencontainers.image.authors=\"me\""},
                                }],
                            }],
                            "properties": {"applicability": "safe"},
                        }],
                        "fingerprints": {"layerwiseFingerprint/v1": "5471772cb8380f03338f42b610b3f5d2"},
                    },
                    {
                        "ruleId": "DL3000",
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {"text": "WORKDIR `é` is relative: use an absolute path"},
                        "locations": [expected_location("stdin", 1, [2, 9, 2, 10])],
                        "fingerprints": {"layerwiseFingerprint/v1": "ca00231a13875fbc0e3258790bacb08c"},
                    },
                ],
            }],
        });
        assert_eq!(got, expected);
    }

    #[test]
    fn sarif_rules_carry_metadata_once_each() {
        let reports = [report(
            "Dockerfile",
            "FROM ubuntu\nRUN apt-get install -y curl wget\n",
        )];
        let value: serde_json::Value =
            serde_json::from_str(&render(&reports, &FormatOptions::default())).unwrap();
        let run = &value["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["DL3006", "DL3008", "DL3015"]);
        for result in run["results"].as_array().unwrap() {
            let idx = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx]["id"], result["ruleId"]);
        }
        let dl3008 = &rules[1];
        assert_eq!(dl3008["name"], "apt-get-unpinned");
        assert_eq!(
            dl3008["helpUri"],
            "https://github.com/hadolint/hadolint/wiki/DL3008"
        );
        assert_eq!(dl3008["defaultConfiguration"]["level"], "warning");
        let markdown = dl3008["help"]["markdown"].as_str().unwrap();
        let text = dl3008["help"]["text"].as_str().unwrap();
        assert!(markdown.contains("## Why is this bad?\n"));
        assert!(markdown.contains("```dockerfile\n"));
        assert!(text.contains("\nWhy is this bad?\n"));
        assert!(!text.contains("```"));
        assert!(!text.contains("## "));
        let full = dl3008["fullDescription"]["text"].as_str().unwrap();
        assert!(full.starts_with("Flags each package"), "{full}");
        assert!(!full.contains('\n'));
        assert_eq!(run["artifacts"][0]["sourceLanguage"], "dockerfile");
    }

    #[test]
    fn sarif_lists_a_file_given_twice_once() {
        let reports = [
            report("Dockerfile", "FROM ubuntu\n"),
            report("Dockerfile", "FROM ubuntu\n"),
        ];
        let value: serde_json::Value =
            serde_json::from_str(&render(&reports, &FormatOptions::default())).unwrap();
        let run = &value["runs"][0];
        assert_eq!(run["artifacts"].as_array().map(Vec::len), Some(1));
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        for result in results {
            let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(location["index"], 0);
        }
    }

    #[test]
    fn sarif_with_no_findings_is_a_complete_log() {
        let reports = [report("Dockerfile", "FROM debian:12\n")];
        let value: serde_json::Value =
            serde_json::from_str(&render(&reports, &FormatOptions::default())).unwrap();
        assert_eq!(value["version"], "2.1.0");
        assert_eq!(value["runs"][0]["results"], serde_json::json!([]));
        assert_eq!(
            value["runs"][0]["tool"]["driver"]["rules"],
            serde_json::json!([])
        );
    }

    #[test]
    fn sarif_uris_are_encoded_references() {
        assert_eq!(artifact_uri("-"), "stdin");
        assert_eq!(artifact_uri("Dockerfile"), "Dockerfile");
        assert_eq!(artifact_uri("a b/c#d%e?f"), "a%20b/c%23d%25e%3Ff");
        assert_eq!(artifact_uri("a:b/Dockerfile"), "a%3Ab/Dockerfile");
        assert_eq!(
            artifact_uri("/srv/app/Dockerfile"),
            "file:///srv/app/Dockerfile"
        );
        assert_eq!(
            artifact_uri("C:\\app\\Dockerfile"),
            "file:///C:/app/Dockerfile"
        );
        assert_eq!(artifact_uri("é/Dockerfile"), "%C3%A9/Dockerfile");
        assert_eq!(artifact_uri("/:x"), "file:///%3Ax");
    }

    #[test]
    fn sarif_sections_and_plain_text() {
        let docs =
            "## What it does\nFlags a thing\nthat is bad.\n\nMore.\n\n## Why?\n```sh\nx\n```\n";
        assert_eq!(section(docs, "What it does"), "Flags a thing that is bad.");
        assert_eq!(section(docs, "Missing"), "");
        assert_eq!(
            markdown_to_text(docs),
            "What it does\nFlags a thing\nthat is bad.\n\nMore.\n\nWhy?\nx\n"
        );
    }
}
