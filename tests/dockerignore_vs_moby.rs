//! Differential test: our `.dockerignore` matcher against Docker's own Go code.
//!
//! A small Go program (built here, in a temporary directory) reads each `.dockerignore` text
//! as BuildKit does (a transcription of `ignorefile.ReadAll`, which Debian's
//! `golang-github-moby-patternmatcher-dev` 0.5 predates), compiles it with moby's
//! `patternmatcher.New` and answers `MatchesOrParentMatches` for each path. Our answer for the
//! same text and path must be the same, including "the file is rejected".
//!
//! It needs `go` and the Debian package (installed by `scripts/test.sh`). Without them the
//! test prints a notice and passes, except under `CI=true`, where it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use layerwise::semantic::dockerignore::Dockerignore;

/// Where Debian installs the Go source of moby's matcher (GOPATH layout).
const GOPATH: &str = "/usr/share/gocode";
const PACKAGE_DIR: &str = "/usr/share/gocode/src/github.com/moby/patternmatcher";

const GO_PROGRAM: &str = r##"package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/moby/patternmatcher"
)

type testCase struct {
	Dockerignore string   `json:"dockerignore"`
	Paths        []string `json:"paths"`
}

// readAll transcribes ignorefile.ReadAll (moby/patternmatcher v0.6, used by BuildKit).
func readAll(text string) ([]string, error) {
	var excludes []string
	currentLine := 0
	utf8bom := []byte{0xEF, 0xBB, 0xBF}
	scanner := bufio.NewScanner(strings.NewReader(text))
	for scanner.Scan() {
		scannedBytes := scanner.Bytes()
		if currentLine == 0 {
			scannedBytes = bytes.TrimPrefix(scannedBytes, utf8bom)
		}
		pattern := string(scannedBytes)
		currentLine++
		if strings.HasPrefix(pattern, "#") {
			continue
		}
		pattern = strings.TrimSpace(pattern)
		if pattern == "" {
			continue
		}
		invert := pattern[0] == '!'
		if invert {
			pattern = strings.TrimSpace(pattern[1:])
		}
		if len(pattern) > 0 {
			pattern = filepath.Clean(pattern)
			pattern = filepath.ToSlash(pattern)
			if len(pattern) > 1 && pattern[0] == '/' {
				pattern = pattern[1:]
			}
		}
		if invert {
			pattern = "!" + pattern
		}
		excludes = append(excludes, pattern)
	}
	return excludes, scanner.Err()
}

func matches(pm *patternmatcher.PatternMatcher, path string) (result string) {
	// A pattern whose expression fails to compile panics on its second use: an error too.
	defer func() {
		if r := recover(); r != nil {
			result = "error"
		}
	}()
	m, err := pm.MatchesOrParentMatches(path)
	if err != nil {
		return "error"
	}
	return fmt.Sprint(m)
}

func main() {
	var cases []testCase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := [][]string{}
	for _, c := range cases {
		row := []string{}
		patterns, err := readAll(c.Dockerignore)
		var pm *patternmatcher.PatternMatcher
		if err == nil {
			pm, err = patternmatcher.New(patterns)
		}
		for _, p := range c.Paths {
			if err != nil {
				row = append(row, "error")
			} else {
				row = append(row, matches(pm, p))
			}
		}
		out = append(out, row)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
"##;

/// `(.dockerignore text, paths)`: every path is one case.
const CASES: &[(&str, &[&str])] = &[
    // Anchored at the root; a directory covers its contents.
    ("foo", &["foo", "foo/bar", "foo/bar/baz", "a/foo", "foobar"]),
    // Trailing and leading slashes, `./`, and `..` are cleaned away.
    ("foo/", &["foo", "foo/x", "foo.txt"]),
    ("/foo", &["foo", "foo/x", "a/foo"]),
    ("./foo", &["foo", "foo/x"]),
    ("a/../b", &["a", "b", "b/c"]),
    ("./a//b/./c/", &["a/b/c", "a/b/c/d", "a/b"]),
    ("../x", &["x", "a/x"]),
    ("/", &["a", "a/b"]),
    (".", &["a", "a/b"]),
    // `*` and `?` stay inside one segment.
    ("*.md", &["README.md", "docs/README.md", ".md", "a.md/x"]),
    ("*/*.md", &["docs/a.md", "a.md", "a/b/c.md"]),
    ("file?.log", &["file1.log", "file12.log", "file/.log"]),
    ("*", &["a", ".git", "a/b"]),
    // `**`: any number of directories, also inside a segment.
    ("**/*.md", &["a.md", "docs/a.md", "a/b/c.md", "a.txt"]),
    ("a**b", &["ab", "a/b", "axb", "ax/y/b", "a/b/c", "xab"]),
    ("**b", &["b", "xb", "x/yb", "x/b/c", "bx"]),
    ("foo**", &["foo", "foobar", "foo/x", "fo"]),
    ("foo/**", &["foo", "foo/x", "foo/x/y"]),
    ("**", &["a", "a/b", ".x"]),
    ("**/", &["a", "a/b"]),
    ("**/**", &["a", "a/b/c"]),
    (
        "a/**/b",
        &["a/b", "a/x/b", "a/x/y/b", "a/xb", "ab", "a/b/c"],
    ),
    (
        "**/.DS_Store",
        &[".DS_Store", "a/b/.DS_Store", "a/.DS_Store/x"],
    ),
    ("*/**", &["a", "a/b", "a/b/c"]),
    ("x**/y", &["xy", "x/y", "xa/y", "xa/b/y", "x/ay"]),
    // Last match wins; `!` re-includes, even under an excluded directory.
    (
        "docs\n!docs/README.md",
        &["docs/a.md", "docs/README.md", "docs/sub/README.md", "docs"],
    ),
    ("*\n!src", &["a", ".git", "src", "src/main.rs"]),
    (
        "*\n!src/**/*.rs",
        &["src/main.rs", "src/a/b.rs", "src/a/b.txt", "src"],
    ),
    ("!foo\nfoo", &["foo", "foo/x"]),
    ("foo\n!foo\nfoo/bar", &["foo/bar", "foo/baz", "foo"]),
    (
        "dir/*\n!dir/keep",
        &["dir/a", "dir/keep", "dir/keep/x", "dir"],
    ),
    (
        "*.log\n!important.log\nlogs/",
        &["x.log", "important.log", "logs/important.log", "a/x.log"],
    ),
    (
        ".git\n.env*\n!.env.example",
        &[".git/HEAD", ".env", ".env.local", ".env.example", "a/.env"],
    ),
    (
        "node_modules\n**/node_modules",
        &["node_modules/x", "web/node_modules/y", "node_modules_x"],
    ),
    ("*\n!*/\n", &["a", "a/b"]),
    ("!x\n", &["x", "y"]),
    // Character classes and escapes.
    ("[a-c].txt", &["a.txt", "d.txt", "ab.txt", "B.txt"]),
    ("[^a-c]*", &["apple", "dog", "x/y", "d"]),
    ("*.[ch]", &["a.c", "a.h", "a.o", "dir/a.c"]),
    ("a[b-d]/**/*.go", &["ab/x.go", "ab/c/d/x.go", "ae/x.go"]),
    ("te?t/[!a]*", &["test/!x", "test/bx", "test/ax"]),
    ("[\\]]x", &["]x", "x"]),
    ("[a\\-z]", &["-", "b", "z"]),
    ("\\*.txt", &["*.txt", "a.txt"]),
    ("a\\?b", &["a?b", "axb"]),
    ("\\[x\\]", &["[x]", "x"]),
    ("a]b", &["a]b", "ab"]),
    ("{a,b}", &["{a,b}", "a"]),
    ("a+b(c)|$.^", &["a+b(c)|$.^", "aab(c)|$x^"]),
    // Dot files are ordinary names.
    (".*", &[".env", ".git/config", "a/.env", "a"]),
    ("*/.env", &["a/.env", ".env"]),
    // Comments, whitespace, BOM, CRLF.
    (
        "# comment\n  #indented\n\n   \n",
        &["# comment", "#indented", "a"],
    ),
    ("  spaced  \n\tab\t\n", &["spaced", "ab"]),
    ("\u{feff}secret.txt\n", &["secret.txt"]),
    ("a\r\nb\r\n", &["a", "b", "c"]),
    ("*\n!   /keep/./this/", &["keep/this", "keep/that", "keep"]),
    ("café/*", &["café/x", "cafe/x"]),
    ("a*[", &["a", "ab"]),
    ("**a**", &["a", "xa", "ax", "x/a/y", "b"]),
    ("a**", &["a", "ab", "a/b"]),
    ("**/a/**", &["a", "a/b", "x/a/b", "xa/b"]),
    ("a/b/**/c/**", &["a/b/c/d", "a/b/x/c/d", "a/b/c"]),
    ("[[]x", &["[x"]),
    ("x\n!a*[", &["x"]),
    ("a\\b", &["a\\b"]),
    ("?", &["é", "a", "ab"]),
    ("é?", &["éé", "éa"]),
    ("a*b*c", &["abc", "aXbYc", "a/bc"]),
    ("**/**/x", &["x", "a/x", "a/b/x"]),
    ("*\n!**/*.go", &["a/b.go", "a", "b.go"]),
    ("!**/keep\n*", &["keep"]),
    ("[a-c-e]", &["d", "-", "e"]),
    ("[^]a]", &["a"]),
    ("\\", &["\\"]),
    ("?*", &["a", ""]),
    ("/foo/../../bar", &["bar"]),
    ("!../x\nx", &["x"]),
    ("**/../x", &["x", "a/x"]),
    // Rejected files: the build fails.
    ("[", &["a"]),
    ("ok\na[", &["ok"]),
    ("[]", &["a"]),
    ("[a-]", &["a"]),
    ("[-a]", &["a"]),
    ("a\\", &["a"]),
    ("!", &["a"]),
    ("foo\n!\n", &["foo"]),
];

/// Where we knowingly answer differently: `(text, path, moby's answer, ours, why)`. The test
/// asserts both answers, so a change on either side is noticed.
const KNOWN_DIFFERENCES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "!a*[",
        "a",
        "false",
        "error",
        "Go 1.19's filepath.Match stops validating at the first chunk that fails to match, and \
         moby compiles a pattern only when it is first tried (an exclusion only once something \
         matched): the malformed pattern goes unnoticed for this path. We reject the file, \
         as moby does as soon as the pattern is used.",
    ),
    (
        "x\n!a*[",
        "a",
        "false",
        "error",
        "the same lazily reported malformed pattern",
    ),
    (
        "a\\b",
        "ab",
        "false",
        "true",
        "moby copies an escaped letter into its regular expression, where `\\b` is a word \
         boundary; we read an escaped character as itself",
    ),
    (
        "\\a",
        "a",
        "false",
        "true",
        "`\\a` is the bell character in moby's regular expression",
    ),
];

/// Builds the Go program; `Err` says what is missing.
fn build_reference(dir: &Path) -> Result<PathBuf, String> {
    let go_ok = Command::new("go")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !go_ok {
        return Err("`go` is not installed".to_string());
    }
    if !Path::new(PACKAGE_DIR).join("patternmatcher.go").exists() {
        return Err(format!("{PACKAGE_DIR} does not exist"));
    }
    std::fs::write(dir.join("main.go"), GO_PROGRAM).map_err(|e| e.to_string())?;
    let binary = dir.join("moby-dockerignore");
    let output = Command::new("go")
        .arg("build")
        .arg("-o")
        .arg(&binary)
        .arg("main.go")
        .current_dir(dir)
        .env("GOPATH", GOPATH)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .env("GOCACHE", dir.join("gocache"))
        .env("CGO_ENABLED", "0")
        .output()
        .map_err(|e| format!("go build: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "go build failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(binary)
}

/// moby's answers for each `(text, paths)`, one row per text.
fn run_reference(binary: &Path, cases: &[(&str, Vec<&str>)]) -> Vec<Vec<String>> {
    let input: Vec<serde_json::Value> = cases
        .iter()
        .map(|(text, paths)| serde_json::json!({ "dockerignore": text, "paths": paths }))
        .collect();
    let mut child = Command::new(binary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary.display()));
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        let body = serde_json::to_vec(&input).unwrap_or_default();
        stdin
            .write_all(&body)
            .unwrap_or_else(|e| panic!("writing to the Go program: {e}"));
    }
    let output = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for the Go program: {e}"));
    assert!(
        output.status.success(),
        "the Go program failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("the Go program's output does not parse: {e}"))
}

fn ours(text: &str, path: &str) -> String {
    match Dockerignore::parse(text) {
        Ok(ignore) => ignore.is_excluded(path).to_string(),
        Err(_) => "error".to_string(),
    }
}

#[test]
fn matcher_agrees_with_moby_patternmatcher() {
    let n_cases: usize = CASES.iter().map(|(_, paths)| paths.len()).sum();
    assert!(n_cases >= 60, "only {n_cases} cases");
    let dir = std::env::temp_dir().join(format!("layerwise-moby-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("{}: {e}", dir.display());
    }
    let binary = match build_reference(&dir) {
        Ok(binary) => binary,
        Err(missing) => {
            let _ = std::fs::remove_dir_all(&dir);
            let message = format!(
                "{missing}: the differential test needs `go` and Debian's \
                 golang-github-moby-patternmatcher-dev; scripts/test.sh installs \
                 golang-go golang-github-moby-patternmatcher-dev"
            );
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("{message}");
            }
            eprintln!("skipped: {message}");
            return;
        }
    };
    let mut cases: Vec<(&str, Vec<&str>)> = CASES
        .iter()
        .map(|(text, paths)| (*text, paths.to_vec()))
        .collect();
    cases.extend(
        KNOWN_DIFFERENCES
            .iter()
            .map(|(text, path, ..)| (*text, vec![*path])),
    );
    let mut reference = run_reference(&binary, &cases);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(reference.len(), cases.len(), "one row per case");
    let known_rows = reference.split_off(CASES.len());

    let mut disagreements = Vec::new();
    let mut table = String::new();
    for ((text, paths), row) in CASES.iter().zip(&reference) {
        for (path, theirs) in paths.iter().zip(row) {
            let mine = ours(text, path);
            let mark = if &mine == theirs { "  " } else { "!!" };
            table.push_str(&format!(
                "{mark} {:<32} {:<22} moby={theirs:<5} layerwise={mine}\n",
                format!("{text:?}"),
                path
            ));
            if &mine != theirs {
                disagreements.push(format!(
                    "{text:?} on {path:?}: moby says {theirs}, we say {mine}"
                ));
            }
        }
    }
    println!("{table}");
    println!(
        "{} of {n_cases} cases agree with moby/patternmatcher ({} pattern sets)",
        n_cases - disagreements.len(),
        CASES.len()
    );
    for ((text, path, moby, layerwise, why), row) in KNOWN_DIFFERENCES.iter().zip(&known_rows) {
        let theirs = row.first().map_or("", String::as_str);
        let mine = ours(text, path);
        println!("known difference: {text:?} on {path:?}: moby={theirs} layerwise={mine}: {why}");
        if theirs != *moby || mine != *layerwise {
            disagreements.push(format!(
                "known difference {text:?} on {path:?} changed: moby says {theirs} (recorded \
                 {moby}), we say {mine} (recorded {layerwise}); update KNOWN_DIFFERENCES"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
