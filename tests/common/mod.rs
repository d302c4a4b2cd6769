//! Helpers shared by the integration tests: where the data lives, how expectations are updated,
//! and the invariants every parsed document must satisfy (ranges inside the text and convertible
//! to editor positions, instruction lines recognised as instructions).
//!
//! Each test binary uses a different subset, hence the `dead_code` allowance.
#![allow(dead_code)]

pub mod fixture;
pub mod oracle;

use std::path::{Path, PathBuf};

use layerwise::syntax::ast::AstNode;
use layerwise::syntax::{Parse, SyntaxKind, SyntaxNode};
use line_index::{LineIndex, TextRange, TextSize, WideEncoding, WideLineCol};

/// A path relative to the package root.
pub fn manifest_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Whether we run under CI, where expectation files are compared and never rewritten.
pub fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// `UPDATE_EXPECT=1` asks tests to rewrite their expectation files from actual output. Never
/// honoured under CI.
pub fn update_expect() -> bool {
    let asked = std::env::var("UPDATE_EXPECT").is_ok_and(|v| !v.is_empty() && v != "0");
    asked && !is_ci()
}

/// Reads a file as text, replacing invalid UTF-8 (as the CLI does).
pub fn read_lossy(path: &Path) -> String {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// All files with one of `extensions` under `dir`, recursively, sorted.
pub fn files_under(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Checks that `range` lies inside `text`, on character boundaries, and that both ends convert
/// to LSP positions in UTF-8, UTF-16 and UTF-32 and back to the same offset. The UTF-16 and
/// UTF-32 columns are also checked against an independent count.
pub fn check_range(text: &str, index: &LineIndex, range: TextRange) -> Result<(), String> {
    let len = text.len();
    let (start, end) = (usize::from(range.start()), usize::from(range.end()));
    if start > end || end > len {
        return Err(format!(
            "range {start}..{end} outside the document (length {len})"
        ));
    }
    for offset in [start, end] {
        if !text.is_char_boundary(offset) {
            return Err(format!("offset {offset} is inside a character"));
        }
        check_offset_conversions(text, index, offset)?;
    }
    Ok(())
}

fn check_offset_conversions(text: &str, index: &LineIndex, offset: usize) -> Result<(), String> {
    let size = TextSize::new(offset as u32);
    let Some(line_col) = index.try_line_col(size) else {
        return Err(format!("offset {offset}: no line/column"));
    };
    if index.offset(line_col) != Some(size) {
        return Err(format!(
            "offset {offset}: UTF-8 line/column does not round-trip"
        ));
    }
    let line_start = offset - line_col.col as usize;
    let prefix = &text[line_start..offset];
    for (enc, expected) in [
        (WideEncoding::Utf16, prefix.encode_utf16().count()),
        (WideEncoding::Utf32, prefix.chars().count()),
    ] {
        let Some(wide) = index.to_wide(enc, line_col) else {
            return Err(format!("offset {offset}: no {enc:?} position"));
        };
        if wide.col as usize != expected {
            return Err(format!(
                "offset {offset}: {enc:?} column {} but the line prefix has {expected} units",
                wide.col
            ));
        }
        let back = index.to_utf8(
            enc,
            WideLineCol {
                line: wide.line,
                col: wide.col,
            },
        );
        if back != Some(line_col) {
            return Err(format!(
                "offset {offset}: {enc:?} position does not round-trip"
            ));
        }
    }
    Ok(())
}

/// Offsets of HEREDOC nodes in the tree, for skipping their lines.
fn heredoc_ranges(root: &SyntaxNode) -> Vec<TextRange> {
    root.descendants()
        .filter(|n| n.kind() == SyntaxKind::HEREDOC)
        .map(|n| n.text_range())
        .collect()
}

/// The recovery invariant, checked line by line against a simple model of BuildKit's line
/// splitting: every physical line that starts a logical line (it does not follow a line ending
/// in the escape character, is not blank, not a comment, not inside a heredoc body) must be
/// the start of a top-level instruction node of the kind its first word names (or an unknown
/// instruction). A broken line therefore can never hide the instructions after it.
pub fn check_instruction_starts(text: &str, parse: &Parse) -> Result<(), String> {
    let root = parse.syntax();
    let escape = parse.escape_char();
    let heredocs = heredoc_ranges(&root);
    let starts: Vec<(usize, SyntaxKind)> = parse
        .tree()
        .instructions()
        .map(|i| (usize::from(i.syntax().text_range().start()), i.kind()))
        .collect();
    let mut in_continuation = false;
    let mut offset = 0usize;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    offset += text.len() - body.len();
    for (line_no, raw_line) in body.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if heredocs
            .iter()
            .any(|r| r.contains(TextSize::new(line_start as u32)))
        {
            in_continuation = false;
            continue;
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let ends_with_escape = line.trim_end_matches([' ', '\t']).ends_with(escape);
        if trimmed.trim_end_matches([' ', '\t']).len() == escape.len_utf8() && ends_with_escape {
            // A lone escape character joins nothing; the next line starts the instruction.
            continue;
        }
        if in_continuation {
            in_continuation = ends_with_escape;
            continue;
        }
        in_continuation = ends_with_escape;
        let word_end = trimmed.find([' ', '\t']).unwrap_or(trimmed.len());
        let word = &trimmed[..word_end];
        // A word ending in the escape character is a keyword continued on the next line.
        let word = word.strip_suffix(escape).unwrap_or(word);
        let expected = SyntaxKind::from_keyword(word).unwrap_or(SyntaxKind::UNKNOWN_INSTR);
        let at = line_start + indent;
        match starts.binary_search_by_key(&at, |(o, _)| *o) {
            Ok(idx) if starts[idx].1 == expected => {}
            Ok(idx) => {
                return Err(format!(
                    "line {}: `{word}` parsed as {:?}, expected {expected:?}",
                    line_no + 1,
                    starts[idx].1
                ));
            }
            Err(_) => {
                return Err(format!(
                    "line {}: `{trimmed}` does not start an instruction (expected {expected:?})",
                    line_no + 1
                ));
            }
        }
    }
    Ok(())
}

/// A `git diff`-like rendering of two texts, line by line (a plain LCS; fixtures are small).
pub fn diff_lines(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push_str(&format!("  {}\n", a[i]));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+ {}\n", b[j]));
            j += 1;
        } else {
            out.push_str(&format!("- {}\n", a[i]));
            i += 1;
        }
    }
    out
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("layerwise-{label}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
        TempDir(dir)
    }

    /// Writes `contents` to `rel`, creating the directories above it.
    pub fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("cannot create {}: {e}", parent.display()));
        }
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        path
    }

    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.0.join(rel);
        std::fs::create_dir_all(&path)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
        path
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
