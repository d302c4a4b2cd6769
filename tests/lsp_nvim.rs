//! A real editor: headless Neovim (Debian's `neovim`, 0.7) starts `layerwise lsp` through its
//! built-in LSP client on a fixture, receives diagnostics, edits the buffer (an incremental
//! `didChange`), receives the new diagnostics and stops the server. `tests/nvim/collect.lua`
//! writes what Neovim saw to a JSON file; these tests compare it with what `lint` says about
//! the same text, in Neovim's terms (0-based line, byte column). One session starts the client
//! by hand (UTF-16 positions), the other through the shipped `editors/neovim/layerwise.lua`
//! (UTF-8 positions): both must show the same bytes.
//!
//! Without `nvim` on PATH the test is skipped with a notice, except under `CI=true`, where it
//! fails: the test script installs Neovim. Neovim runs under a deadline and is killed past it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const DEADLINE: Duration = Duration::from_secs(90);

fn nvim_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("nvim"))
        .find(|candidate| candidate.is_file())
}

/// A fresh directory under the system's temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("layerwise-nvim-{}-{nanos}", std::process::id()));
        if let Err(err) = std::fs::create_dir_all(&dir) {
            panic!("cannot create {}: {err}", dir.display());
        }
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) => panic!("cannot read {}: {err}", path.display()),
    }
}

/// (code, line, byte column, end line, end byte column, message), as `lint` reports `text`.
fn expected(text: &str) -> Vec<(String, u64, u64, u64, u64, String)> {
    let position = |offset: usize| {
        let before = &text[..offset];
        let line = before.matches('\n').count();
        let col = offset - before.rfind('\n').map_or(0, |i| i + 1);
        (line as u64, col as u64)
    };
    let parse = layerwise::syntax::parse(text);
    let config = layerwise::config::Config::editor();
    let mut items: Vec<_> = layerwise::diagnostics::lint(&parse, &config)
        .iter()
        .map(|d| {
            let (line, col) = position(usize::from(d.range.start()));
            let (end_line, end_col) = position(usize::from(d.range.end()));
            (
                d.code.to_owned(),
                line,
                col,
                end_line,
                end_col,
                d.message.clone(),
            )
        })
        .collect();
    sort(&mut items);
    items
}

fn received(snapshot: &Value) -> Vec<(String, u64, u64, u64, u64, String)> {
    let mut items: Vec<_> = snapshot["diagnostics"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|d| {
            assert_eq!(d["source"], "layerwise", "{d}");
            let number = |key: &str| d[key].as_u64().unwrap_or(u64::MAX);
            (
                d["code"].as_str().unwrap_or_default().to_owned(),
                number("lnum"),
                number("col"),
                number("end_lnum"),
                number("end_col"),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    sort(&mut items);
    items
}

/// In document order, as Neovim lists them.
fn sort(items: &mut [(String, u64, u64, u64, u64, String)]) {
    items.sort_by(|a, b| (a.1, a.2, &a.0).cmp(&(b.1, b.2, &b.0)));
}

/// `Some(path)` when Neovim is available; `None` (after a notice) when the test should be
/// skipped. Fails under `CI=true` without Neovim.
fn neovim(test: &str) -> Option<PathBuf> {
    if let Some(nvim) = nvim_on_path() {
        return Some(nvim);
    }
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!(
            "`nvim` is not on PATH, and CI=true: install Debian's `neovim` \
             (`apt-get install -y neovim`; ./scripts/test.sh does) to run the editor test"
        );
    }
    eprintln!("SKIPPED {test}: `nvim` is not on PATH");
    None
}

fn manifest_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Runs tests/nvim/collect.lua in headless Neovim on a copy of the fixture; returns what it
/// wrote.
fn run_neovim(nvim: &Path, fixture: &str, snippet: Option<&Path>) -> Value {
    let script = manifest_path("tests/nvim/collect.lua");
    let dir = TempDir::new();
    let file = dir.0.join("Dockerfile");
    let out = dir.0.join("received.json");
    let log = dir.0.join("nvim.log");
    if let Err(err) = std::fs::write(&file, fixture) {
        panic!("cannot write {}: {err}", file.display());
    }
    let (Ok(log_file), Ok(stderr)) = (
        std::fs::File::create(&log),
        std::fs::File::create(dir.0.join("nvim.stderr")),
    ) else {
        panic!("cannot create log files in {}", dir.0.display());
    };

    let mut command = Command::new(nvim);
    command
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("LAYERWISE_BIN", env!("CARGO_BIN_EXE_layerwise"))
        .env("LAYERWISE_NVIM_FILE", &file)
        .env("LAYERWISE_NVIM_OUT", &out)
        .env("XDG_CONFIG_HOME", &dir.0)
        .env("XDG_STATE_HOME", &dir.0)
        .env("XDG_DATA_HOME", &dir.0)
        .env("XDG_CACHE_HOME", &dir.0)
        .current_dir(&dir.0)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(stderr);
    if let Some(snippet) = snippet {
        command.env("LAYERWISE_NVIM_SNIPPET", snippet);
    }
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(err) => panic!("cannot start {}: {err}", nvim.display()),
    };
    let output = || {
        let stderr = std::fs::read_to_string(dir.0.join("nvim.stderr")).unwrap_or_default();
        format!(
            "{}{stderr}",
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    };
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < DEADLINE => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "Neovim did not finish within {DEADLINE:?}; its output:\n{}",
                    output()
                );
            }
        }
    };
    assert!(
        status.success(),
        "Neovim failed ({status}); its output:\n{}",
        output()
    );
    match serde_json::from_str(&read(&out)) {
        Ok(value) => value,
        Err(err) => panic!("malformed {}: {err}\n{}", out.display(), output()),
    }
}

/// What Neovim showed after opening and after the edit is exactly what lint says about the
/// same text, at the same bytes; versions increased.
fn check_session(received_json: &Value, fixture: &str) {
    assert_eq!(received_json["error"], Value::Null, "{received_json:#}");
    assert_eq!(received_json["filetype"], "dockerfile");

    let opened = &received_json["snapshots"][0];
    assert_eq!(opened["label"], "opened");
    assert_eq!(opened["text"], fixture);
    let first = received(opened);
    assert_eq!(first, expected(fixture));
    let codes: Vec<&str> = first.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(codes, ["DL3029", "DL3006", "DL4000", "DL3000"], "{first:?}");
    // `ubuntu` starts at byte 23, after `é😀` (column 20 in UTF-16).
    assert_eq!((first[1].1, first[1].2), (0, 23));

    let edited = &received_json["snapshots"][1];
    assert_eq!(edited["label"], "edited");
    let mut lines: Vec<&str> = fixture.lines().collect();
    lines.splice(2..3, ["WORKDIR /äpp", "FROM --platform=😀 alpine"]);
    let edited_text = format!("{}\n", lines.join("\n"));
    assert_eq!(edited["text"], edited_text.as_str());
    assert_eq!(received(edited), expected(&edited_text));

    let versions: Vec<i64> = received_json["published"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|p| p["version"].as_i64().unwrap_or(-1))
        .collect();
    assert!(versions.len() >= 2, "{versions:?}");
    assert!(versions.windows(2).all(|w| w[0] < w[1]), "{versions:?}");
}

#[test]
fn neovim_receives_the_servers_diagnostics() {
    let Some(nvim) = neovim("neovim_receives_the_servers_diagnostics") else {
        return;
    };
    let fixture = read(&manifest_path("tests/nvim/fixture.Dockerfile"));
    let received_json = run_neovim(&nvim, &fixture, None);
    check_session(&received_json, &fixture);
    // Neovim 0.7 knows nothing of `positionEncodings`: UTF-16, the protocol's default.
    assert_eq!(received_json["offset_encoding"], "utf-16");
    assert_eq!(received_json["exit_code"], 0);
}

#[test]
fn neovim_with_the_shipped_snippet_speaks_utf8() {
    let Some(nvim) = neovim("neovim_with_the_shipped_snippet_speaks_utf8") else {
        return;
    };
    let fixture = read(&manifest_path("tests/nvim/fixture.Dockerfile"));
    let snippet = manifest_path("editors/neovim/layerwise.lua");
    let received_json = run_neovim(&nvim, &fixture, Some(&snippet));
    check_session(&received_json, &fixture);
    // Negotiated through the `offsetEncoding` extension; Neovim shows the same bytes.
    assert_eq!(received_json["offset_encoding"], "utf-8");
}
