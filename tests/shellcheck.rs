//! ShellCheck findings from the real `shellcheck` binary on `fixtures/shellcheck/Dockerfile`:
//! codes and exact document ranges (through a continuation, a heredoc body with tabs and
//! multibyte characters, an ONBUILD), then the CLI's whole path: configuration, pragmas,
//! severity overrides, the failure threshold and `--shellcheck=off`.
//!
//! Needs `shellcheck` on PATH (Debian's package, which `scripts/test.sh` installs). Without it
//! the tests print a notice and pass, except under `CI=true`, where they fail.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use layerwise::config::Config;
use layerwise::diagnostics::filter_external;
use layerwise::env::shellcheck::{Setting, ShellCheck};
use layerwise::semantic::Model;
use layerwise::shell::shellcheck;
use layerwise::syntax::parse;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/shellcheck/Dockerfile")
}

/// The binary on PATH; `None` (after a notice) when there is none outside CI.
fn shellcheck_on_path() -> Option<ShellCheck> {
    match ShellCheck::locate(&Setting::Auto) {
        Ok(Some(found)) => Some(found),
        _ => {
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "`shellcheck` is not on PATH: the test script (scripts/test.sh) installs \
                 Debian's `shellcheck` (apt-get install shellcheck)"
            );
            eprintln!(
                "skipping: no `shellcheck` on PATH (install Debian's `shellcheck` to run this test)"
            );
            None
        }
    }
}

/// (code, 1-based line, the document text under the finding).
fn findings(text: &str, config: &Config, binary: &ShellCheck) -> Vec<(String, usize, String)> {
    let parsed = parse(text);
    let model = Model::new(&parsed.tree());
    let prepared = shellcheck::prepare(&parsed, &model);
    let jobs: Vec<&shellcheck::Job> = prepared.iter().map(|p| &p.job).collect();
    let mut raw = Vec::new();
    for (p, outcome) in prepared.iter().zip(binary.check_all(&jobs)) {
        match outcome {
            Ok(comments) => raw.extend(shellcheck::diagnostics(p, &comments)),
            Err(err) => panic!("shellcheck failed: {err}"),
        }
    }
    filter_external(raw, &model, config)
        .into_iter()
        .map(|d| {
            let start = usize::from(d.range.start());
            let line = text[..start].matches('\n').count() + 1;
            (d.code.to_string(), line, text[d.range].to_string())
        })
        .collect()
}

#[test]
fn real_shellcheck_findings_land_on_their_exact_ranges() {
    let Some(binary) = shellcheck_on_path() else {
        return;
    };
    let text = match std::fs::read_to_string(fixture()) {
        Ok(text) => text,
        Err(err) => panic!("{}: {err}", fixture().display()),
    };
    let found = findings(&text, &Config::default(), &binary);
    let expected = [
        // `cd` followed by `;`: no `|| exit`; the continuation's next line holds `$flavour`.
        ("SC2164", 4, "cd $APP_DIR"),
        ("SC2086", 5, "$flavour"),
        ("SC2154", 5, "$flavour"),
        // A heredoc body: a tab, then multibyte characters before the end of the range.
        ("SC2164", 7, "cd /opt/é😀"),
        ("SC2086", 8, "$name"),
        ("SC2154", 8, "$name"),
        // Line 11's SC2154 is suppressed by the pragma above it.
        ("SC2086", 12, "$1"),
        ("SC2164", 12, "cd /x"),
    ];
    let expected: Vec<(String, usize, String)> = expected
        .iter()
        .map(|(code, line, under)| (code.to_string(), *line, under.to_string()))
        .collect();
    // ENV and ARG names are declared to ShellCheck, so `$APP_DIR` and `${VERSION}` are
    // neither unassigned (SC2154) nor unquoted (SC2086: an exported `1` cannot split).
    assert_eq!(found, expected);
}

fn check(args: &[&str]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_layerwise"))
        .arg("check")
        .args(args)
        .arg(fixture())
        .output()
    {
        Ok(output) => output,
        Err(err) => panic!("cannot run layerwise: {err}"),
    }
}

/// (code, level, line, column, endLine, endColumn) of the SC findings of `check -f json`.
fn sc_json(output: &Output) -> Vec<(String, String, u64, u64, u64, u64)> {
    let findings: Vec<serde_json::Value> = match serde_json::from_slice(&output.stdout) {
        Ok(findings) => findings,
        Err(err) => panic!(
            "bad JSON ({err}): {}",
            String::from_utf8_lossy(&output.stdout)
        ),
    };
    findings
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with("SC")))
        .map(|f| {
            let number = |key: &str| f[key].as_u64().unwrap_or_default();
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["level"].as_str().unwrap_or_default().to_string(),
                number("line"),
                number("column"),
                number("endLine"),
                number("endColumn"),
            )
        })
        .collect()
}

#[test]
fn the_cli_reports_shellcheck_findings_through_the_configuration() {
    if shellcheck_on_path().is_none() {
        return;
    }
    let all = sc_json(&check(&["-f", "json"]));
    let row = |code: &str, level: &str, line, col, end_line, end_col| {
        (
            code.to_string(),
            level.to_string(),
            line,
            col,
            end_line,
            end_col,
        )
    };
    // Columns count characters: after the tab on line 7, the range ends after `😀`.
    assert_eq!(
        all,
        [
            row("SC2164", "warning", 4, 5, 4, 16),
            row("SC2086", "info", 5, 32, 5, 40),
            row("SC2154", "warning", 5, 32, 5, 40),
            row("SC2164", "warning", 7, 2, 7, 12),
            row("SC2086", "info", 8, 7, 8, 12),
            row("SC2154", "warning", 8, 7, 8, 12),
            row("SC2086", "info", 12, 18, 12, 20),
            row("SC2164", "warning", 12, 24, 12, 29),
        ]
    );

    // Ignored codes and severity overrides apply to SC codes as to any other.
    let configured = sc_json(&check(&[
        "-f", "json", "--ignore", "SC2164", "--ignore", "SC2154", "--error", "SC2086",
    ]));
    let levels: Vec<(&str, &str, u64)> = configured
        .iter()
        .map(|(code, level, line, ..)| (code.as_str(), level.as_str(), *line))
        .collect();
    assert_eq!(
        levels,
        [
            ("SC2086", "error", 5),
            ("SC2086", "error", 8),
            ("SC2086", "error", 12)
        ]
    );

    // The failure threshold counts them: only SC findings are errors here.
    let only_sc_errors = check(&["-t", "error", "--error", "SC2154", "--ignore", "DL3003"]);
    assert_eq!(only_sc_errors.status.code(), Some(1));
    let off = check(&["-t", "error", "--error", "SC2154", "--shellcheck", "off"]);
    assert_eq!(off.status.code(), Some(0));
    assert!(sc_json(&check(&["-f", "json", "--shellcheck=off"])).is_empty());

    // The tty format links ShellCheck's wiki.
    let tty = String::from_utf8_lossy(&check(&["--no-color"]).stdout).into_owned();
    assert!(
        tty.contains("see: https://www.shellcheck.net/wiki/SC2164"),
        "{tty}"
    );
}

#[test]
fn a_missing_explicit_binary_is_a_usage_error() {
    let output = check(&["--shellcheck", "/nonexistent/shellcheck"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("/nonexistent/shellcheck"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
