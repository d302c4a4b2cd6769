//! End-to-end tests of the `layerwise` binary: exit codes, formats, inputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerwise"));
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("layerwise-cli-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, contents).expect("write file");
        path
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run layerwise")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", stdout(out)))
}

fn codes(out: &Output) -> Vec<String> {
    json(out)
        .iter()
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn clean_file_exits_zero() {
    let dir = TempDir::new();
    let file = dir.write("Dockerfile", b"FROM alpine:3.20\nRUN echo hi\n");
    let out = run(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("No problems found in 1 file."));
}

#[test]
fn findings_exit_one_and_show_carets() {
    let dir = TempDir::new();
    let file = dir.write("Dockerfile", b"FROM alpine:latest\n");
    let out = run(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains(":1:12: DL3007 warning:"), "{text}");
    assert!(
        text.contains("1 | FROM alpine:latest\n  |            ^^^^^^^\n"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when not a terminal: {text}"
    );
    assert!(
        text.ends_with("Found 1 problem (1 warning) in 1 file.\n"),
        "{text}"
    );
}

#[test]
fn failure_threshold_and_no_fail() {
    let dir = TempDir::new();
    let file = dir.write("Dockerfile", b"FROM alpine:latest\n");
    let path = file.to_str().unwrap();
    assert_eq!(run(&["check", "-t", "error", path]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "-t", "warning", path]).status.code(),
        Some(1)
    );
    assert_eq!(run(&["check", "-t", "none", path]).status.code(), Some(0));
    assert_eq!(run(&["check", "--no-fail", path]).status.code(), Some(0));
    assert_eq!(
        run(&["check", "--ignore", "DL3007", path]).status.code(),
        Some(0)
    );
    let bad = run(&["check", "-t", "loud", path]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a level"), "{}", stderr(&bad));
}

#[test]
fn json_has_hadolint_fields_and_real_columns() {
    let dir = TempDir::new();
    let file = dir.write("Dockerfile", "FROM alpine:3\nWORKDIR é/app\n".as_bytes());
    let out = run(&["check", "-f", "json", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let findings = json(&out);
    assert_eq!(findings.len(), 1, "{findings:?}");
    let f = &findings[0];
    assert_eq!(f["code"], "DL3000");
    assert_eq!(f["level"], "error");
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 9);
    assert_eq!(f["endLine"], 2);
    assert_eq!(f["endColumn"], 14, "columns count characters, not bytes");
    assert_eq!(f["file"], file.to_str().unwrap());
    for key in ["code", "column", "file", "level", "line", "message"] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn stdin_is_named_dash() {
    let mut child = bin()
        .args(["check", "-f", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"FROM debian\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let findings = json(&out);
    assert_eq!(findings[0]["file"], "-");
    assert_eq!(findings[0]["code"], "DL3006");
}

#[test]
fn directories_are_searched_for_dockerfiles() {
    let dir = TempDir::new();
    dir.write("Dockerfile", b"FROM debian\n");
    dir.write("api/api.Dockerfile", b"FROM alpine:3\n");
    dir.write("web/Dockerfile.dev", b"FROM node:latest\n");
    dir.write("tools/Containerfile", b"FROM fedora:40\n");
    dir.write("node_modules/pkg/Dockerfile", b"FROM ignored\n");
    dir.write("README.md", b"FROM not-a-dockerfile\n");
    let out = run(&["check", "-f", "json", dir.path().to_str().unwrap()]);
    let files: Vec<String> = json(&out)
        .iter()
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[0].ends_with("Dockerfile") && !files[0].contains("node_modules"),
        "{files:?}"
    );
    assert!(files[1].ends_with("web/Dockerfile.dev"), "{files:?}");
    let tty = stdout(&run(&["check", dir.path().to_str().unwrap()]));
    assert!(tty.contains("in 2 files."), "{tty}");
}

#[test]
fn invalid_utf8_is_reported_not_fatal() {
    let dir = TempDir::new();
    let file = dir.write(
        "Dockerfile",
        b"FROM alpine:3\nLABEL author=\"Jos\xe9\"\nWORKDIR app\n",
    );
    let out = run(&["check", "-f", "json", file.to_str().unwrap()]);
    assert_eq!(codes(&out), ["LW0017", "DL3000"]);
}

#[test]
fn io_and_usage_errors_exit_two() {
    let out = run(&["check", "/nonexistent/Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/nonexistent/Dockerfile: no such file or directory"),
        "{}",
        stderr(&out)
    );
    let dir = TempDir::new();
    let out = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no Dockerfile found"));
    assert_eq!(run(&["check", "--bogus"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_broken_line_does_not_hide_what_follows() {
    let dir = TempDir::new();
    let file = dir.write(
        "Dockerfile",
        b"FROM alpine:3\nRUN apk add curl\n    && echo done\nWORKDIR app\nFROM debian\n",
    );
    let out = run(&["check", "-f", "json", file.to_str().unwrap()]);
    assert_eq!(
        codes(&out),
        ["DL3019", "DL3018", "LW0001", "DL3000", "DL3006"]
    );
}

#[test]
fn version_and_help() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with(&format!("layerwise {}", env!("CARGO_PKG_VERSION"))));
    let help = stdout(&run(&["--help"]));
    assert!(
        help.contains("Examples:") && help.contains("layerwise check ."),
        "{help}"
    );
    let check_help = stdout(&run(&["check", "--help"]));
    assert!(check_help.contains("--failure-threshold"), "{check_help}");
}

#[test]
fn explain_prints_docs_and_json() {
    let out = run(&["explain", "DL3006"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("# DL3006 (untagged-image)"), "{text}");
    assert!(text.contains("## Why is this bad?"));
    let out = run(&["explain", "maintainerdeprecated", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value["code"], "DL4000");
    assert_eq!(value["fix"], "always");
    let out = run(&["explain", "DL300"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `DL3000`"),
        "{}",
        stderr(&out)
    );
    let list = stdout(&run(&["explain"]));
    assert!(
        list.lines().any(|l| l.starts_with("LW0001"))
            && list.lines().any(|l| l.starts_with("DL4000"))
    );
}

#[test]
fn the_shipped_demo_reports_its_mistakes() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo/Dockerfile");
    let out = run(&["check", "-f", "json", demo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let found = codes(&out);
    for code in ["DL3007", "DL4000", "DL3000", "LW0005"] {
        assert!(
            found.iter().any(|c| c == code),
            "{code} missing from {found:?}"
        );
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .env("HOME", dir)
        .env_remove("XDG_CONFIG_HOME")
        .args(args)
        .output()
        .expect("run layerwise")
}

#[test]
fn hadolint_yaml_is_found_next_to_the_dockerfile_and_above_it() {
    let dir = TempDir::new();
    dir.write(".hadolint.yaml", b"ignored: [DL3006]\n");
    dir.write("svc/Dockerfile", b"FROM debian\nWORKDIR app\n");
    let out = run_in(dir.path(), &["check", "-f", "json", "svc/Dockerfile"]);
    assert_eq!(codes(&out), ["DL3000"]);
    dir.write("svc/.hadolint.yml", b"override:\n  warning: [DL3000]\n");
    let out = run_in(dir.path(), &["check", "-f", "json", "svc/Dockerfile"]);
    let findings = json(&out);
    assert_eq!(codes(&out), ["DL3006", "DL3000"], "the nearest file wins");
    assert_eq!(findings[1]["level"], "warning");
}

#[test]
fn explicit_config_env_and_cli_layers_merge() {
    let dir = TempDir::new();
    let file = dir.write("Dockerfile", b"FROM debian\nWORKDIR app\nMAINTAINER me\n");
    let config = dir.write("ci.yaml", b"ignored: [DL3006]\nfailure-threshold: error\n");
    let path = file.to_str().unwrap();
    let out = bin()
        .env("HADOLINT_IGNORE", "DL4000")
        .args([
            "check",
            "-f",
            "json",
            "-c",
            config.to_str().unwrap(),
            "--style",
            "DL3000",
            path,
        ])
        .output()
        .unwrap();
    let findings = json(&out);
    assert_eq!(codes(&out), ["DL3000"]);
    assert_eq!(findings[0]["level"], "style");
    assert_eq!(
        out.status.code(),
        Some(0),
        "style is below the file's `error` threshold"
    );
}

#[test]
fn a_broken_config_is_an_error_with_its_position() {
    let dir = TempDir::new();
    dir.write("Dockerfile", b"FROM debian:12\n");
    dir.write(
        ".hadolint.yaml",
        b"ignored:\n  - DL3006\ntrustedRegistries: docker.io\n",
    );
    let out = run_in(dir.path(), &["check", "Dockerfile"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(".hadolint.yaml:3:"), "{err}");
}

#[test]
fn formats_pair_with_outputs_and_verbose_names_the_config() {
    let dir = TempDir::new();
    dir.write("Dockerfile", b"FROM debian\n");
    dir.write(".hadolint.yaml", b"unknown-key: 1\n");
    let out = run_in(
        dir.path(),
        &[
            "check",
            "-V",
            "-f",
            "json",
            "-f",
            "tty",
            "-o",
            "out.json",
            "-o",
            "-",
            "Dockerfile",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    assert_eq!(written[0]["code"], "DL3006");
    assert!(
        stdout(&out).contains("DL3006 warning"),
        "tty goes to stdout"
    );
    let err = stderr(&out);
    assert!(err.contains("unknown key `unknown-key`"), "{err}");
    assert!(
        err.contains("Dockerfile:") && err.contains(".hadolint.yaml"),
        "{err}"
    );
    let bad = run_in(dir.path(), &["check", "-f", "yaml", "Dockerfile"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("unknown format `yaml`"));
}

#[test]
fn lsp_accepts_the_stdio_flag_editors_pass() {
    let mut child = bin()
        .args(["lsp", "--stdio"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Closing stdin without `exit` ends the server; only the flag's acceptance is tested here.
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        !stderr(&out).contains("unexpected argument"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_ci_format_renders_and_codeclimate_never_fails() {
    let dir = TempDir::new();
    let file = dir.write(
        "Dockerfile",
        b"FROM debian\nMAINTAINER me <me@example.com>\n",
    );
    let path = file.to_str().unwrap();
    for format in [
        "sarif",
        "checkstyle",
        "codeclimate",
        "gitlab_codeclimate",
        "gnu",
        "junit",
        "sonarqube",
        "codacy",
    ] {
        let out = run(&[
            "check",
            "-f",
            format,
            "--file-path-in-report",
            "ci/Dockerfile",
            path,
        ]);
        let text = stdout(&out);
        assert!(
            text.contains("DL3006") && text.contains("DL4000"),
            "{format}: {text}"
        );
        let expected = if matches!(format, "codeclimate" | "codacy") {
            0
        } else {
            1
        };
        assert_eq!(out.status.code(), Some(expected), "{format}");
    }
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&["check", "-f", "sarif", path]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let checkstyle = stdout(&run(&[
        "check",
        "-f",
        "checkstyle",
        "--file-path-in-report",
        "ci/Dockerfile",
        path,
    ]));
    assert!(
        checkstyle.contains("name=\"ci/Dockerfile\""),
        "{checkstyle}"
    );
}

#[test]
fn fix_applies_safe_fixes_in_place_and_reports_the_rest() {
    let dir = TempDir::new();
    let file = dir.write(
        "Dockerfile",
        b"FROM debian:12\nMAINTAINER me\nRUN apt-get install curl=1\nWORKDIR app\n",
    );
    let path = file.to_str().unwrap();
    let out = run(&["fix", path]);
    let fixed = std::fs::read_to_string(&file).unwrap();
    assert!(
        fixed.contains("LABEL org.opencontainers.image.authors=\"me\""),
        "{fixed}"
    );
    assert!(fixed.contains("apt-get install -y curl=1"), "{fixed}");
    assert!(
        !fixed.contains("--no-install-recommends"),
        "unsafe fixes need --unsafe: {fixed}"
    );
    assert!(
        stderr(&out).contains("Fixed 2 problems in 1 file."),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("DL3000"),
        "what remains is reported: {}",
        stdout(&out)
    );
    assert_eq!(out.status.code(), Some(1));
    let out = run(&["fix", "--unsafe", path]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("--no-install-recommends")
    );
    assert!(stderr(&out).contains("Fixed 1 problem"), "{}", stderr(&out));
}

#[test]
fn fix_diff_writes_nothing_and_stdin_goes_to_stdout() {
    let dir = TempDir::new();
    let original = "FROM debian:12\nMAINTAINER me\n";
    let file = dir.write("Dockerfile", original.as_bytes());
    let out = run(&["fix", "--diff", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    let diff = stdout(&out);
    assert!(
        diff.contains("-MAINTAINER me")
            && diff.contains("+LABEL org.opencontainers.image.authors=\"me\""),
        "{diff}"
    );
    let mut child = bin()
        .args(["fix", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(original.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&out),
        "FROM debian:12\nLABEL org.opencontainers.image.authors=\"me\"\n"
    );
    let selected = run(&[
        "fix",
        "--diff",
        "--select",
        "DL3006",
        file.to_str().unwrap(),
    ]);
    assert!(
        stdout(&selected).is_empty(),
        "nothing selected is fixable: {}",
        stdout(&selected)
    );
}
