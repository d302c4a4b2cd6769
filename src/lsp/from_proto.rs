//! Conversions from protocol values to ours: a `Position` to a byte offset, a `Range` to a
//! `TextRange`. One small function per concept.
//!
//! A client may send anything, so nothing here fails or panics: a line past the end means the
//! end of the document; a character past the end of its line means the end of that line (as the
//! protocol says); a character inside a multi-byte character (or between the two halves of a
//! UTF-16 surrogate pair) moves back to that character's start; a reversed range is put in order.
//! Every clamp is logged (positions only, never text). Only `\n` ends a line, as in
//! `line-index` and our parser; a lone `\r` does not.

use line_index::{TextRange, TextSize, WideLineCol};

use crate::lsp::capabilities::PositionEncoding;
use crate::lsp::documents::LineInfo;
use crate::lsp::log::log_warn;

/// The byte offset of a protocol position, clamped into the document.
pub(crate) fn offset(lines: &LineInfo<'_>, position: lsp_types::Position) -> TextSize {
    let Some(line_range) = lines.index.line(position.line) else {
        log_warn!(
            "position {}:{} is past the last line; using the end of the document",
            position.line,
            position.character
        );
        return lines.index.len();
    };
    let line_text = &lines.text[line_range];
    let content = line_text
        .strip_suffix('\n')
        .map_or(line_text, |it| it.strip_suffix('\r').unwrap_or(it));
    let col = utf8_column(lines, position);
    let clamped = floor_char_boundary(content, col.min(content.len()));
    if clamped != col {
        log_warn!(
            "position {}:{} is not on a character of its line; clamped",
            position.line,
            position.character
        );
    }
    line_range.start() + TextSize::from(clamped as u32)
}

/// The byte range of a protocol range, clamped into the document and put in order.
pub(crate) fn text_range(lines: &LineInfo<'_>, range: lsp_types::Range) -> TextRange {
    let start = offset(lines, range.start);
    let end = offset(lines, range.end);
    if end < start {
        log_warn!(
            "range {}:{}-{}:{} ends before it starts; reordered",
            range.start.line,
            range.start.character,
            range.end.line,
            range.end.character
        );
        return TextRange::new(end, start);
    }
    TextRange::new(start, end)
}

/// The column in UTF-8 bytes, possibly past the line's end or inside a character.
fn utf8_column(lines: &LineInfo<'_>, position: lsp_types::Position) -> usize {
    match lines.encoding {
        PositionEncoding::Utf8 => position.character as usize,
        PositionEncoding::Wide(encoding) => {
            let wide = WideLineCol {
                line: position.line,
                col: position.character,
            };
            match lines.index.to_utf8(encoding, wide) {
                Some(line_col) => line_col.col as usize,
                None => usize::MAX,
            }
        }
    }
}

fn floor_char_boundary(text: &str, mut idx: usize) -> usize {
    while !text.is_char_boundary(idx) {
        idx -= 1;
    }
    idx
}

#[cfg(test)]
mod tests {
    use line_index::{LineIndex, WideEncoding};
    use lsp_types::Position;

    use super::*;

    const UTF16: PositionEncoding = PositionEncoding::Wide(WideEncoding::Utf16);
    const UTF32: PositionEncoding = PositionEncoding::Wide(WideEncoding::Utf32);

    fn offset_in(text: &str, encoding: PositionEncoding, line: u32, character: u32) -> u32 {
        let index = LineIndex::new(text);
        let lines = LineInfo {
            text,
            index: &index,
            encoding,
        };
        offset(&lines, Position { line, character }).into()
    }

    #[test]
    fn columns_count_in_the_negotiated_encoding() {
        // é is 2 bytes, 1 UTF-16 unit; 😀 is 4 bytes, 2 UTF-16 units, 1 scalar.
        let text = "FROM x\nLABEL a=é😀b\n";
        let b_utf8 = 7 + "LABEL a=é😀".len() as u32;
        assert_eq!(offset_in(text, PositionEncoding::Utf8, 1, 14), b_utf8);
        assert_eq!(offset_in(text, UTF16, 1, 11), b_utf8);
        assert_eq!(offset_in(text, UTF32, 1, 10), b_utf8);
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "FROM x\r\nRUN é😀\n";
        let line1 = 8;
        let end_of_line1 = line1 + "RUN é😀".len() as u32;
        // Past the end of a line: the end of its content, before `\r\n`.
        assert_eq!(offset_in(text, UTF16, 0, 99), 6);
        assert_eq!(offset_in(text, PositionEncoding::Utf8, 0, 7), 6);
        assert_eq!(offset_in(text, UTF16, 1, 999), end_of_line1);
        // Past the last line: the end of the document.
        assert_eq!(offset_in(text, UTF16, 7, 3), text.len() as u32);
        assert_eq!(
            offset_in(text, UTF16, u32::MAX, u32::MAX),
            text.len() as u32
        );
        // Inside a multi-byte character (UTF-8) and between surrogate halves (UTF-16).
        assert_eq!(offset_in(text, PositionEncoding::Utf8, 1, 5), line1 + 4);
        assert_eq!(offset_in(text, PositionEncoding::Utf8, 1, 8), line1 + 6);
        assert_eq!(offset_in(text, UTF16, 1, 6), line1 + 6);
        assert_eq!(offset_in(text, UTF16, 1, 7), end_of_line1);
        assert_eq!(offset_in(text, UTF32, 1, 6), end_of_line1);
    }

    #[test]
    fn reversed_ranges_are_ordered() {
        let text = "FROM x\n";
        let index = LineIndex::new(text);
        let lines = LineInfo {
            text,
            index: &index,
            encoding: UTF16,
        };
        let range = lsp_types::Range::new(Position::new(0, 4), Position::new(0, 1));
        assert_eq!(
            text_range(&lines, range),
            TextRange::new(1.into(), 4.into())
        );
    }
}
