//! Output formats for `check`. Each format is a function from the linted files to text.
//!
//! Positions are computed here, once: 1-based lines, 1-based columns counted in characters,
//! and an exclusive end column (as SARIF). Formats never re-run analysis.

pub mod checkstyle;
pub mod codacy;
pub mod codeclimate;
pub mod gitlab_codeclimate;
pub mod gnu;
pub mod json;
pub mod junit;
pub mod options;
pub mod sarif;
pub mod sonarqube;
pub mod tty;
pub mod xml;

pub use options::FormatOptions;

use line_index::{LineCol, LineIndex, WideEncoding};
use rowan::TextSize;

use crate::diagnostics::Diagnostic;

/// One linted file with its findings, ready for formatting.
pub struct FileReport {
    pub name: String,
    pub text: String,
    pub line_index: LineIndex,
    pub diagnostics: Vec<Diagnostic>,
}

/// A 1-based position; `column` counts characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

impl FileReport {
    pub fn new(name: String, text: String, diagnostics: Vec<Diagnostic>) -> FileReport {
        let line_index = LineIndex::new(&text);
        FileReport {
            name,
            text,
            line_index,
            diagnostics,
        }
    }

    /// The 1-based position of a byte offset (clamped to the text).
    pub fn position(&self, offset: TextSize) -> Position {
        let offset = offset.min(TextSize::of(self.text.as_str()));
        let LineCol { line, col } = self.line_index.line_col(offset);
        let col = self
            .line_index
            .to_wide(WideEncoding::Utf32, LineCol { line, col })
            .map_or(col, |wide| wide.col);
        Position {
            line: line + 1,
            column: col + 1,
        }
    }

    /// The text of a 1-based line, without its newline.
    pub fn line_text(&self, line: u32) -> &str {
        self.line_index
            .line(line.saturating_sub(1))
            .map(|range| &self.text[usize::from(range.start())..usize::from(range.end())])
            .map(|l| l.trim_end_matches(['\n', '\r']))
            .unwrap_or("")
    }
}
