//! LSP replay: types a Dockerfile character by character into the language server through an
//! in-memory connection (one `didChange` per keystroke) and measures each keystroke from
//! sending the `didChange` to receiving the `publishDiagnostics` for that version.
//!
//! - `typical.Dockerfile` (40 lines): the whole file, typed into an empty document.
//! - `large-5000.Dockerfile`: 80 lines spread evenly over the file are emptied, then typed back
//!   (about 2,000 keystrokes), so every keystroke re-parses and re-lints 5,000 lines.
//! - A flood: keystrokes into the 5,000-line file sent without waiting, as a fast typist on a
//!   slow machine would; the server coalesces them and publishes the last version.
//!
//! Run with `cargo bench --bench lsp_replay`. Without `--bench` (as `cargo test --benches`
//! runs it) only a short smoke replay runs. Samples are read from `../shared/samples/` beside
//! the package; when they are missing the bench says so and exits.

use std::path::{Path, PathBuf};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use layerwise::lsp::Connection;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::{Value, json};

const URI: &str = "file:///bench/Dockerfile";
const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    conn: Connection,
    server: JoinHandle<i32>,
    version: i32,
}

impl Client {
    fn start() -> Client {
        let (server_side, conn) = Connection::memory();
        let server = std::thread::spawn(move || layerwise::lsp::run(server_side));
        let client = Client {
            conn,
            server,
            version: 0,
        };
        client.send(
            Request {
                id: RequestId::from(1),
                method: "initialize".to_owned(),
                // The built-in diagnostics are what is measured: no ShellCheck processes.
                params: json!({"capabilities": {}, "initializationOptions": {"shellcheck": "off"}}),
            }
            .into(),
        );
        loop {
            if let Message::Response(_) = client.recv() {
                break;
            }
        }
        client.notify("initialized", json!({}));
        client
    }

    fn send(&self, msg: Message) {
        if self.conn.sender.send(msg).is_err() {
            panic!("the server is gone");
        }
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(
            Notification {
                method: method.to_owned(),
                params,
            }
            .into(),
        );
    }

    fn recv(&self) -> Message {
        match self.conn.receiver.recv_timeout(TIMEOUT) {
            Ok(msg) => msg,
            Err(err) => panic!("no message within {TIMEOUT:?}: {err}"),
        }
    }

    /// Waits for diagnostics of `version`; returns how many publications it took.
    fn wait_for_diagnostics(&self, version: i32) -> usize {
        let mut publications = 0;
        loop {
            if let Message::Notification(not) = self.recv() {
                publications += 1;
                if not.params["version"] == version {
                    return publications;
                }
            }
        }
    }

    fn open(&mut self, text: &str) {
        self.version += 1;
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {
                "uri": URI, "languageId": "dockerfile", "version": self.version, "text": text,
            }}),
        );
        self.wait_for_diagnostics(self.version);
    }

    /// Sends one keystroke: `ch` inserted at (line, UTF-16 column). Returns its version.
    fn type_char(&mut self, line: u32, col: u32, ch: char) -> i32 {
        self.version += 1;
        let at = json!({"line": line, "character": col});
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": {"uri": URI, "version": self.version},
                "contentChanges": [{"range": {"start": at, "end": at}, "text": ch.to_string()}],
            }),
        );
        self.version
    }

    fn stop(self) {
        self.send(
            Request {
                id: RequestId::from(2),
                method: "shutdown".to_owned(),
                params: Value::Null,
            }
            .into(),
        );
        loop {
            if let Message::Response(_) = self.recv() {
                break;
            }
        }
        self.notify("exit", Value::Null);
        let _ = self.server.join();
    }
}

/// A keystroke: where to type which character.
struct Keystroke {
    line: u32,
    col: u32,
    ch: char,
}

/// Keystrokes that type `lines[i]` back for each chosen `i`, and the text they start from.
fn typing_plan(text: &str, chosen: &[usize]) -> (String, Vec<Keystroke>) {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut start = Vec::with_capacity(lines.len());
    let mut keystrokes = Vec::new();
    for (idx, line) in lines.iter().enumerate() {
        if !chosen.contains(&idx) {
            start.push(*line);
            continue;
        }
        start.push("");
        let mut col = 0;
        for ch in line.chars() {
            keystrokes.push(Keystroke {
                line: idx as u32,
                col,
                ch,
            });
            col += ch.len_utf16() as u32;
        }
    }
    (start.join("\n"), keystrokes)
}

struct Stats {
    median: Duration,
    p95: Duration,
    max: Duration,
}

fn stats(mut samples: Vec<Duration>) -> Stats {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
        max: at(1.0),
    }
}

/// Types the plan one keystroke at a time, waiting for each keystroke's diagnostics.
fn replay(start: &str, keystrokes: &[Keystroke]) -> Stats {
    let mut client = Client::start();
    client.open(start);
    let mut samples = Vec::with_capacity(keystrokes.len());
    for key in keystrokes {
        let sent = Instant::now();
        let version = client.type_char(key.line, key.col, key.ch);
        client.wait_for_diagnostics(version);
        samples.push(sent.elapsed());
    }
    client.stop();
    stats(samples)
}

/// Sends every keystroke at once and waits for the last version's diagnostics.
fn flood(start: &str, keystrokes: &[Keystroke]) -> (Duration, usize) {
    let mut client = Client::start();
    client.open(start);
    let sent = Instant::now();
    let mut last = 0;
    for key in keystrokes {
        last = client.type_char(key.line, key.col, key.ch);
    }
    let publications = client.wait_for_diagnostics(last);
    let elapsed = sent.elapsed();
    client.stop();
    (elapsed, publications)
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// Peak resident memory of this process (client and server together), from /proc.
fn max_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{:.1} MiB", kib / 1024.0))
}

fn read_sample(dir: &Path, name: &str) -> Option<String> {
    std::fs::read_to_string(dir.join(name)).ok()
}

fn main() {
    let full = std::env::args().any(|arg| arg == "--bench");
    let samples: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/samples");
    let (Some(typical), Some(large)) = (
        read_sample(&samples, "typical.Dockerfile"),
        read_sample(&samples, "large-5000.Dockerfile"),
    ) else {
        println!(
            "lsp_replay: samples not found in {}; skipped",
            samples.display()
        );
        return;
    };

    // The 40-line file, typed from nothing.
    let all_lines: Vec<usize> = (0..typical.split('\n').count()).collect();
    let (typical_start, mut typical_keys) = typing_plan(&typical, &all_lines);
    // 80 lines of the 5,000, spread evenly, typed back.
    let n_lines = large.split('\n').count();
    let chosen: Vec<usize> = (0..80).map(|i| i * n_lines / 80 + 7).collect();
    let (large_start, mut large_keys) = typing_plan(&large, &chosen);
    if !full {
        typical_keys.truncate(50);
        large_keys.truncate(20);
    }

    println!();
    println!("LSP replay: keystroke (didChange) -> publishDiagnostics, in-memory connection");
    println!(
        "{:<24} {:>6} {:>11} {:>11} {:>11} {:>11}",
        "file", "lines", "keystrokes", "median", "p95", "max"
    );
    for (name, text, start, keys) in [
        (
            "typical.Dockerfile",
            &typical,
            &typical_start,
            &typical_keys,
        ),
        ("large-5000.Dockerfile", &large, &large_start, &large_keys),
    ] {
        let s = replay(start, keys);
        println!(
            "{:<24} {:>6} {:>11} {:>11} {:>11} {:>11}",
            name,
            text.lines().count(),
            keys.len(),
            ms(s.median),
            ms(s.p95),
            ms(s.max)
        );
    }

    // How much of a keystroke is analysis: parse + lint alone, no protocol.
    let config = layerwise::config::Config::default();
    for (name, text) in [
        ("typical.Dockerfile", &typical),
        ("large-5000.Dockerfile", &large),
    ] {
        let runs = if full { 200 } else { 3 };
        let samples = (0..runs)
            .map(|_| {
                let started = Instant::now();
                let parse = layerwise::syntax::parse(text);
                std::hint::black_box(layerwise::diagnostics::lint(&parse, &config));
                started.elapsed()
            })
            .collect();
        let s = stats(samples);
        println!(
            "  of which parse + lint alone, {name}: median {}, p95 {}",
            ms(s.median),
            ms(s.p95)
        );
    }

    let flood_keys = &large_keys[..large_keys.len().min(500)];
    let (elapsed, publications) = flood(&large_start, flood_keys);
    println!(
        "flood: {} keystrokes into 5,000 lines sent unpaced -> last version's diagnostics \
         after {} ({} publication(s))",
        flood_keys.len(),
        ms(elapsed),
        publications
    );
    if let Some(rss) = max_rss() {
        println!("max RSS (VmHWM, client + server): {rss}");
    }
    println!("goals: < 0.2 ms per keystroke at 40 lines, < 5 ms at 5,000 lines");
}
