//! Annotated fixture files (STYLE.md §4): a Dockerfile with an optional `# lw-test:` header,
//! caret annotations under the lines they describe, and an optional `<|>` cursor marker. This
//! module only reads and writes the format; running the analysis is the test's business.
//!
//! The grammar (also in `fixtures/README.md`):
//!
//! ```text
//! # lw-test: select=DL3008,DL3015 no-final-newline context=DIR   (optional, first line only)
//! RUN apt-get install -y curl
//! #                      ^^^^ DL3008 warning: message
//! ```
//!
//! - An annotation line is `#`, spaces, one or more `^`, a space, `CODE`, a space,
//!   `severity:`, a space and the message. The carets mark columns of the closest line above
//!   that is not an annotation. Columns count characters (Unicode scalar values) from 0; the
//!   `#` counts as column 0, so `#^^^` marks columns 0 to 3 and `#   ^^` columns 4 to 5.
//! - A range that the carets cannot show ends with a suffix: `(to L+n:C)` gives the end as `n`
//!   analysed lines below, column `C` (an empty range is `^ … (to L+0:C)`), and
//!   `(from S, to L+n:C)` also gives the start column (needed only for column 1).
//! - Annotation lines and the header are removed before analysis; so is the cursor marker
//!   `<|>`, whose offset in the analysed text is kept. Columns count without the marker.

use std::fmt::Write as _;

use line_index::TextSize;

/// Options from the `# lw-test:` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Codes to report; empty means "the fixture's own code" (decided by the caller).
    pub select: Vec<String>,
    /// Drop the newline at the end of the analysed text (for end-of-file cases).
    pub no_final_newline: bool,
    /// A directory, relative to the fixture's, to use as the build context.
    pub context: Option<String>,
}

/// An expected or actual finding, in fixture coordinates: analysed line index and character
/// columns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Annotation {
    pub line: usize,
    pub start_col: usize,
    /// Lines below `line` where the range ends.
    pub end_line_delta: usize,
    pub end_col: usize,
    pub code: String,
    pub severity: String,
    pub message: String,
}

impl Annotation {
    /// One line, as written under the target line (without the newline).
    pub fn render(&self, target_line_chars: usize) -> String {
        let mut out = String::from("#");
        // How many carets, and where they would end if read back without a suffix.
        let n_carets = if self.end_line_delta == 0 && self.end_col > self.start_col {
            self.end_col - self.start_col
        } else {
            target_line_chars.saturating_sub(self.start_col).max(1)
        };
        let (implied_start, implied_end) = match self.start_col {
            0 => {
                out.push_str(&"^".repeat(n_carets.saturating_sub(1).max(1)));
                (0, n_carets.max(2))
            }
            1 => {
                out.push_str(&"^".repeat(n_carets));
                (0, n_carets + 1)
            }
            col => {
                out.push_str(&" ".repeat(col - 1));
                out.push_str(&"^".repeat(n_carets));
                (col, col + n_carets)
            }
        };
        let _ = write!(out, " {} {}: {}", self.code, self.severity, self.message);
        let start_ok = implied_start == self.start_col;
        let end_ok = self.end_line_delta == 0 && implied_end == self.end_col;
        match (start_ok, end_ok) {
            (true, true) => {}
            (true, false) => {
                let _ = write!(out, " (to L+{}:{})", self.end_line_delta, self.end_col);
            }
            (false, _) => {
                let _ = write!(
                    out,
                    " (from {}, to L+{}:{})",
                    self.start_col, self.end_line_delta, self.end_col
                );
            }
        }
        out
    }

    /// Parses an annotation line (no newline). `Ok(None)` for an ordinary comment; `Err` for a
    /// line that starts like an annotation but does not follow the grammar.
    pub fn parse(line: &str, target: usize) -> Result<Option<Annotation>, String> {
        let Some(rest) = line.strip_prefix('#') else {
            return Ok(None);
        };
        let (start_col, carets_from) = if rest.starts_with('^') {
            (0, 0)
        } else {
            let spaces = rest.len() - rest.trim_start_matches(' ').len();
            if !rest[spaces..].starts_with('^') || spaces == 0 {
                return Ok(None);
            }
            (1 + spaces, spaces)
        };
        let after = &rest[carets_from..];
        let n_carets = after.len() - after.trim_start_matches('^').len();
        let implied_end = if start_col == 0 {
            1 + n_carets
        } else {
            start_col + n_carets
        };
        let body = after[n_carets..].strip_prefix(' ').ok_or_else(|| {
            format!("malformed annotation (a space must follow the carets): {line}")
        })?;
        let (code, body) = body
            .split_once(' ')
            .ok_or_else(|| format!("malformed annotation (no severity): {line}"))?;
        let (severity, message) = body.split_once(": ").ok_or_else(|| {
            format!("malformed annotation (expected `severity: message`): {line}")
        })?;
        if code.is_empty()
            || !code.chars().all(|c| c.is_ascii_alphanumeric())
            || !matches!(severity, "error" | "warning" | "info" | "style")
        {
            return Err(format!("malformed annotation (code or severity): {line}"));
        }
        let mut annotation = Annotation {
            line: target,
            start_col,
            end_line_delta: 0,
            end_col: implied_end,
            code: code.to_string(),
            severity: severity.to_string(),
            message: message.to_string(),
        };
        if let Some((message, suffix)) = split_suffix(message) {
            annotation.message = message.to_string();
            let (from, to) = match suffix.split_once(", ") {
                Some((from, to)) => (Some(from), to),
                None => (None, suffix),
            };
            if let Some(from) = from {
                annotation.start_col = from
                    .strip_prefix("from ")
                    .and_then(|n| n.parse().ok())
                    .ok_or_else(|| format!("malformed `from` in annotation: {line}"))?;
            }
            let (delta, col) = to
                .strip_prefix("to L+")
                .and_then(|s| s.split_once(':'))
                .and_then(|(d, c)| Some((d.parse().ok()?, c.parse().ok()?)))
                .ok_or_else(|| format!("malformed `to` in annotation: {line}"))?;
            annotation.end_line_delta = delta;
            annotation.end_col = col;
        }
        Ok(Some(annotation))
    }
}

/// Splits `message (to L+1:2)` or `message (from 1, to L+0:3)` into message and suffix body.
fn split_suffix(message: &str) -> Option<(&str, &str)> {
    let inner = message.strip_suffix(')')?;
    let open = inner.rfind(" (")?;
    let suffix = &inner[open + 2..];
    (suffix.starts_with("to L+") || suffix.starts_with("from ")).then(|| (&inner[..open], suffix))
}

/// One line of the analysed text.
#[derive(Debug, Clone)]
struct AnalysedLine {
    /// Byte offset in the analysed text.
    start: usize,
    /// Index of the physical line in the fixture file.
    file_line: usize,
}

/// A parsed fixture file.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The file as written.
    pub original: String,
    pub options: Options,
    header: Option<String>,
    /// The text given to the analysis.
    pub text: String,
    /// Offset of the `<|>` marker in `text`, if there was one.
    pub cursor: Option<TextSize>,
    pub expected: Vec<Annotation>,
    lines: Vec<AnalysedLine>,
    /// Every physical line of the file, with its line ending, and whether it is an annotation.
    file_lines: Vec<(String, bool)>,
    eol: &'static str,
}

pub const CURSOR: &str = "<|>";

impl Fixture {
    pub fn parse(original: &str) -> Result<Fixture, String> {
        let eol = if original.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let mut physical: Vec<&str> = original.split_inclusive('\n').collect();
        let mut header = None;
        let mut options = Options::default();
        if let Some(first) = physical.first()
            && let Some(rest) = first.trim_end().strip_prefix("# lw-test:")
        {
            header = Some(first.to_string());
            for word in rest.split_whitespace() {
                if let Some(codes) = word.strip_prefix("select=") {
                    options.select = codes.split(',').map(str::to_string).collect();
                } else if word == "no-final-newline" {
                    options.no_final_newline = true;
                } else if let Some(dir) = word.strip_prefix("context=") {
                    options.context = Some(dir.to_string());
                } else {
                    return Err(format!("unknown `# lw-test:` option `{word}`"));
                }
            }
            physical.remove(0);
        }
        let first_file_line = usize::from(header.is_some());
        let mut text = String::with_capacity(original.len());
        let mut lines: Vec<AnalysedLine> = Vec::new();
        let mut expected = Vec::new();
        let mut file_lines = Vec::new();
        let mut cursor = None;
        for (idx, raw) in physical.iter().enumerate() {
            let content = raw.trim_end_matches(['\n', '\r']);
            let annotation = match lines.len().checked_sub(1) {
                Some(target) => Annotation::parse(content, target)
                    .map_err(|e| format!("line {}: {e}", idx + first_file_line + 1))?,
                None => None,
            };
            if let Some(annotation) = annotation {
                expected.push(annotation);
                file_lines.push((raw.to_string(), true));
                continue;
            }
            file_lines.push((raw.to_string(), false));
            lines.push(AnalysedLine {
                start: text.len(),
                file_line: idx + first_file_line,
            });
            match raw.find(CURSOR) {
                Some(at) if cursor.is_none() => {
                    cursor = Some(TextSize::new((text.len() + at) as u32));
                    text.push_str(&raw[..at]);
                    text.push_str(&raw[at + CURSOR.len()..]);
                }
                Some(_) => return Err("more than one `<|>` cursor marker".to_string()),
                None => text.push_str(raw),
            }
        }
        if options.no_final_newline {
            if text.ends_with("\r\n") {
                text.truncate(text.len() - 2);
            } else if text.ends_with('\n') {
                text.pop();
            }
        }
        Ok(Fixture {
            original: original.to_string(),
            options,
            header,
            text,
            cursor,
            expected,
            lines,
            file_lines,
            eol,
        })
    }

    /// The analysed line index and character column of a byte offset in `text`. Columns count
    /// the line's characters including its line ending, so an offset just past a newline is
    /// column 0 of the next line.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let line = self
            .lines
            .partition_point(|l| l.start <= offset)
            .saturating_sub(1);
        let start = self.lines.get(line).map_or(0, |l| l.start);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count());
        (line, col)
    }

    /// The physical line (1-based) in the fixture file of an analysed line.
    pub fn file_line(&self, line: usize) -> usize {
        self.lines.get(line).map_or(0, |l| l.file_line + 1)
    }

    /// Characters on an analysed line, line ending excluded.
    pub fn line_chars(&self, line: usize) -> usize {
        let Some(start) = self.lines.get(line).map(|l| l.start) else {
            return 0;
        };
        let end = self
            .lines
            .get(line + 1)
            .map_or(self.text.len(), |l| l.start);
        self.text[start..end]
            .trim_end_matches(['\n', '\r'])
            .chars()
            .count()
    }

    /// An annotation for a finding at `start..end` (byte offsets in `text`).
    pub fn annotation(
        &self,
        start: usize,
        end: usize,
        code: &str,
        severity: &str,
        message: &str,
    ) -> Annotation {
        let (line, start_col) = self.position(start);
        let (end_line, end_col) = self.position(end);
        Annotation {
            line,
            start_col,
            end_line_delta: end_line.saturating_sub(line),
            end_col,
            code: code.to_string(),
            severity: severity.to_string(),
            message: message.to_string(),
        }
    }

    /// The file with its annotations replaced by `actual`: what `UPDATE_EXPECT=1` writes.
    pub fn rewrite(&self, actual: &[Annotation]) -> String {
        let mut sorted: Vec<&Annotation> = actual.iter().collect();
        sorted.sort();
        let mut out = String::with_capacity(self.original.len() + 64 * actual.len());
        if let Some(header) = &self.header {
            out.push_str(header);
        }
        let mut analysed = 0usize;
        for (raw, is_annotation) in &self.file_lines {
            if *is_annotation {
                continue;
            }
            out.push_str(raw);
            let mine: Vec<&&Annotation> = sorted.iter().filter(|a| a.line == analysed).collect();
            if !mine.is_empty() && !raw.ends_with('\n') {
                out.push_str(self.eol);
            }
            for annotation in mine {
                out.push_str(&annotation.render(self.line_chars(analysed)));
                out.push_str(self.eol);
            }
            analysed += 1;
        }
        out
    }
}
