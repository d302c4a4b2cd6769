//! CopyIgnoredFile and LW1006 end to end: the `layerwise` binary on real temporary build
//! contexts (the fixture harness covers the annotated cases; these cover what a fixture
//! cannot hold: `.git` directories, links out of the context, `--context`, standard input).

mod common;

use std::io::Write;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::TempDir;

fn check(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layerwise"));
    cmd.current_dir(dir)
        .args(["check", "--shellcheck", "off", "-f", "json"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run layerwise: {e}"));
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("layerwise did not finish: {e}"))
}

/// `(code, line, message)` of the findings of the rules under test.
fn findings(out: &Output) -> Vec<(String, u64, String)> {
    let parsed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    parsed
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .filter(|(code, ..)| code == "CopyIgnoredFile" || code == "LW1006")
        .collect()
}

fn codes(out: &Output) -> Vec<String> {
    findings(out).into_iter().map(|(code, ..)| code).collect()
}

const NODE_DOCKERFILE: &str = "FROM node:22-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n";

/// A Node project as found on a developer's machine.
fn node_project() -> TempDir {
    let dir = TempDir::new("rules-node");
    dir.write(".git/HEAD", b"ref: refs/heads/main\n");
    dir.write(".git/objects/ab/cdef", &[0u8; 64]);
    dir.write("package.json", b"{}\n");
    dir.write("node_modules/left-pad/index.js", b"module.exports = 1;\n");
    dir.write("node_modules/tls/test/server.pem", b"test key\n");
    dir.write("src/index.js", b"console.log(1);\n");
    dir.write(".env", b"TOKEN=abc\n");
    dir.write(".env.example", b"TOKEN=\n");
    dir.write("target/release/app", b"\x7fELF");
    dir.write("Dockerfile", NODE_DOCKERFILE.as_bytes());
    dir
}

#[test]
fn lw1006_lists_what_the_context_would_leak() {
    let dir = node_project();
    let out = check(dir.path(), &["Dockerfile"], None);
    assert_eq!(
        findings(&out),
        [(
            "LW1006".to_string(),
            3,
            "`COPY .` sends the whole build context, and there is no .dockerignore: `.git`, \
             `node_modules`, `.env` and `target/` would be copied too"
                .to_string()
        )]
    );
    assert_eq!(out.status.code(), Some(1));

    dir.write(".dockerignore", b".git\nnode_modules\n");
    let out = check(dir.path(), &["Dockerfile"], None);
    assert_eq!(
        findings(&out).first().map(|f| f.2.as_str()),
        Some(
            "`COPY .` copies the whole build context, and .dockerignore does not exclude \
             `.env` and `target/`"
        )
    );

    dir.write(".dockerignore", b".git\nnode_modules\n.env\ntarget\n");
    assert_eq!(codes(&check(dir.path(), &["Dockerfile"], None)), [""; 0]);
}

#[test]
fn links_out_of_the_context_are_not_followed() {
    let outside = TempDir::new("rules-outside");
    outside.write(".env", b"TOKEN=abc\n");
    outside.write("id_rsa", b"key\n");
    let dir = TempDir::new("rules-links");
    dir.write("app.py", b"print(1)\n");
    dir.write("Dockerfile", b"FROM python:3.12-slim\nCOPY . /app\n");
    dir.write(".dockerignore", b"*.pyc\n");
    if let Err(e) = symlink(outside.path(), dir.path().join("config")) {
        panic!("symlink: {e}");
    }
    // The secrets behind `config` are outside the context: the walk never reads them.
    let out = check(dir.path(), &["Dockerfile"], None);
    assert_eq!(codes(&out), [""; 0]);
}

#[test]
fn copy_ignored_file_in_the_dockerfile_directory() {
    let dir = TempDir::new("rules-copy");
    dir.write(".dockerignore", b"*.md\nsecrets\n");
    dir.write("README.md", b"# x\n");
    dir.write("secrets/token", b"x\n");
    dir.write("app.py", b"print(1)\n");
    dir.write(
        "Dockerfile",
        b"FROM python:3.12-slim\nCOPY app.py README.md /app/\nCOPY secrets/ /run/secrets/\n",
    );
    let out = check(dir.path(), &["Dockerfile"], None);
    assert_eq!(
        findings(&out)
            .iter()
            .map(|(c, l, _)| (c.as_str(), *l))
            .collect::<Vec<_>>(),
        [("CopyIgnoredFile", 2), ("CopyIgnoredFile", 3)]
    );
    // Suppressed like any BuildKit check.
    dir.write(
        "Dockerfile",
        b"# check=skip=CopyIgnoredFile\nFROM python:3.12-slim\nCOPY README.md /app/\n",
    );
    assert_eq!(codes(&check(dir.path(), &["Dockerfile"], None)), [""; 0]);
}

#[test]
fn context_flag_and_dockerfile_specific_ignore_file() {
    // docker/Dockerfile built with the repository root as context:
    // `docker build -f docker/Dockerfile .`
    let dir = TempDir::new("rules-flag");
    dir.write(".dockerignore", b".git\n");
    dir.write(".git/HEAD", b"x\n");
    dir.write("docs/guide.md", b"x\n");
    dir.write(
        "docker/Dockerfile",
        b"FROM nginx:1\nCOPY docs/ /usr/share/nginx/html/\n",
    );

    // By default the context is docker/, where docs/ does not exist and nothing is ignored.
    assert_eq!(
        codes(&check(dir.path(), &["docker/Dockerfile"], None)),
        [""; 0]
    );

    dir.write("docker/Dockerfile.dockerignore", b"docs\n");
    let out = check(dir.path(), &["--context", ".", "docker/Dockerfile"], None);
    let found = findings(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].2.contains("Dockerfile.dockerignore"),
        "the Dockerfile's own ignore file wins: {found:?}"
    );

    let out = check(
        dir.path(),
        &["--context", "missing-dir", "docker/Dockerfile"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a directory"));
}

#[test]
fn standard_input_has_a_context_only_when_given() {
    let dir = node_project();
    assert_eq!(
        codes(&check(dir.path(), &["-"], Some(NODE_DOCKERFILE))),
        [""; 0]
    );
    assert_eq!(
        codes(&check(
            dir.path(),
            &["--context", ".", "-"],
            Some(NODE_DOCKERFILE)
        )),
        ["LW1006"]
    );
}

#[test]
fn a_rejected_ignore_file_is_a_warning_not_a_finding() {
    let dir = TempDir::new("rules-invalid");
    dir.write(".dockerignore", b"*.md\n[oops\n");
    dir.write("README.md", b"x\n");
    dir.write(
        "Dockerfile",
        b"FROM nginx:1\nCOPY README.md /\nCOPY . /src\n",
    );
    let out = check(dir.path(), &["Dockerfile"], None);
    assert_eq!(codes(&out), [""; 0]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(".dockerignore: line 2: `[oops`: syntax error in pattern"),
        "{stderr}"
    );
}
