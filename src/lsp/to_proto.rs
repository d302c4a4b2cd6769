//! Conversions from our values to protocol values: byte offsets to positions in the negotiated
//! encoding, severities, diagnostics with their `data`, fixes to text edits. One small function
//! per concept.
//!
//! Our ranges come from our own analysis of the very text they are converted against, so they
//! should always be valid; if one is not (a bug), it is clamped and logged rather than allowed
//! to crash the server. Nothing here decides what to publish or when.

use std::str::FromStr;

use line_index::{LineCol, TextRange, TextSize};
use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, TextEdit, Uri,
};

use crate::diagnostics::{Applicability, Diagnostic, Edit, Fix, Related, code_url};
use crate::lsp::capabilities::PositionEncoding;
use crate::lsp::documents::LineInfo;
use crate::lsp::ext::{DiagnosticData, FixApplicability, FixData};
use crate::lsp::log::log_error;
use crate::rules::Severity;

/// The `source` of every diagnostic we publish.
pub(crate) const SOURCE: &str = "layerwise";

pub(crate) fn position(lines: &LineInfo<'_>, offset: TextSize) -> lsp_types::Position {
    let line_col = line_col(lines, offset);
    let character = match lines.encoding {
        PositionEncoding::Utf8 => line_col.col,
        PositionEncoding::Wide(encoding) => match lines.index.to_wide(encoding, line_col) {
            Some(wide) => wide.col,
            None => line_col.col,
        },
    };
    lsp_types::Position {
        line: line_col.line,
        character,
    }
}

/// The line and UTF-8 column of an offset; an invalid offset is moved back onto the text.
fn line_col(lines: &LineInfo<'_>, offset: TextSize) -> LineCol {
    if let Some(line_col) = lines.index.try_line_col(offset) {
        return line_col;
    }
    log_error!(
        "offset {offset:?} is outside the document or inside a character (len {:?}); clamped",
        lines.index.len()
    );
    let mut idx = usize::from(offset).min(lines.text.len());
    while !lines.text.is_char_boundary(idx) {
        idx -= 1;
    }
    lines
        .index
        .try_line_col(TextSize::from(idx as u32))
        .unwrap_or(LineCol { line: 0, col: 0 })
}

pub(crate) fn range(lines: &LineInfo<'_>, range: TextRange) -> lsp_types::Range {
    lsp_types::Range {
        start: position(lines, range.start()),
        end: position(lines, range.end()),
    }
}

pub(crate) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Style => DiagnosticSeverity::HINT,
    }
}

/// The code's documentation page (hadolint's wiki, Docker's build-checks reference, ours, or
/// ShellCheck's wiki for an `SC` code).
pub(crate) fn code_description(code: &str) -> Option<CodeDescription> {
    match Uri::from_str(&code_url(code)?) {
        Ok(href) => Some(CodeDescription { href }),
        Err(err) => {
            log_error!("the documentation URL of {code} does not parse: {err}");
            None
        }
    }
}

/// Related places; they are always in the same document.
pub(crate) fn related_information(
    uri: &Uri,
    lines: &LineInfo<'_>,
    related: &[Related],
) -> Option<Vec<DiagnosticRelatedInformation>> {
    if related.is_empty() {
        return None;
    }
    let related = related
        .iter()
        .map(|it| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: range(lines, it.range),
            },
            message: it.message.clone(),
        })
        .collect();
    Some(related)
}

pub(crate) fn text_edit(lines: &LineInfo<'_>, edit: &Edit) -> TextEdit {
    TextEdit {
        range: range(lines, edit.range),
        new_text: edit.new_text.clone(),
    }
}

pub(crate) fn applicability(applicability: Applicability) -> FixApplicability {
    match applicability {
        Applicability::Safe => FixApplicability::Safe,
        Applicability::Unsafe => FixApplicability::Unsafe,
        Applicability::DisplayOnly => FixApplicability::DisplayOnly,
    }
}

pub(crate) fn fix_data(lines: &LineInfo<'_>, fix: &Fix) -> FixData {
    FixData {
        title: fix.title.clone(),
        applicability: applicability(fix.applicability),
        edits: fix
            .edits
            .iter()
            .map(|edit| text_edit(lines, edit))
            .collect(),
    }
}

/// What a code action will need, carried in the diagnostic's `data`.
pub(crate) fn diagnostic_data(lines: &LineInfo<'_>, diagnostic: &Diagnostic) -> serde_json::Value {
    let data = DiagnosticData {
        code: diagnostic.code.to_owned(),
        fix: diagnostic.fix.as_ref().map(|fix| fix_data(lines, fix)),
    };
    match serde_json::to_value(data) {
        Ok(value) => value,
        Err(err) => {
            log_error!(
                "cannot serialise the data of a {} finding: {err}",
                diagnostic.code
            );
            serde_json::json!({ "code": diagnostic.code })
        }
    }
}

pub(crate) fn diagnostic(
    uri: &Uri,
    lines: &LineInfo<'_>,
    diagnostic: &Diagnostic,
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: range(lines, diagnostic.range),
        severity: Some(severity(diagnostic.severity)),
        code: Some(NumberOrString::String(diagnostic.code.to_owned())),
        code_description: code_description(diagnostic.code),
        source: Some(SOURCE.to_owned()),
        message: diagnostic.message.clone(),
        related_information: related_information(uri, lines, &diagnostic.related),
        tags: None,
        data: Some(diagnostic_data(lines, diagnostic)),
    }
}

/// A `publishDiagnostics` for one version of one document.
pub(crate) fn publish_diagnostics_params(
    uri: &Uri,
    version: i32,
    lines: &LineInfo<'_>,
    diagnostics: &[Diagnostic],
) -> PublishDiagnosticsParams {
    PublishDiagnosticsParams {
        uri: uri.clone(),
        diagnostics: diagnostics
            .iter()
            .map(|it| diagnostic(uri, lines, it))
            .collect(),
        version: Some(version),
    }
}

#[cfg(test)]
mod tests {
    use line_index::{LineIndex, WideEncoding};
    use lsp_types::Position;

    use super::*;

    fn position_in(text: &str, encoding: PositionEncoding, offset: u32) -> Position {
        let index = LineIndex::new(text);
        let lines = LineInfo {
            text,
            index: &index,
            encoding,
        };
        position(&lines, offset.into())
    }

    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let text = "FROM x\nLABEL a=é😀b\n";
        let b = 7 + "LABEL a=é😀".len() as u32;
        let utf16 = PositionEncoding::Wide(WideEncoding::Utf16);
        let utf32 = PositionEncoding::Wide(WideEncoding::Utf32);
        assert_eq!(
            position_in(text, PositionEncoding::Utf8, b),
            Position::new(1, 14)
        );
        assert_eq!(position_in(text, utf16, b), Position::new(1, 11));
        assert_eq!(position_in(text, utf32, b), Position::new(1, 10));
    }

    #[test]
    fn invalid_offsets_are_clamped() {
        let text = "RUN é\n";
        let utf16 = PositionEncoding::Wide(WideEncoding::Utf16);
        // Inside `é`: back to its start.
        assert_eq!(position_in(text, utf16, 5), Position::new(0, 4));
        // Past the end: the end.
        assert_eq!(position_in(text, utf16, 99), Position::new(1, 0));
    }

    #[test]
    fn a_diagnostic_carries_its_fix_and_related_places() {
        use crate::diagnostics::{Fix, Related};

        let text = "FROM a:1\nMAINTAINER é\n";
        let index = LineIndex::new(text);
        let lines = LineInfo {
            text,
            index: &index,
            encoding: PositionEncoding::Wide(WideEncoding::Utf16),
        };
        let range = |a: u32, b: u32| TextRange::new(a.into(), b.into());
        let finding = Diagnostic {
            code: "DL4000",
            severity: Severity::Error,
            range: range(9, 19),
            message: "MAINTAINER is deprecated".to_owned(),
            fix: Some(Fix::unsafe_(
                "Replace it",
                vec![Edit::replace(range(9, 22), "LABEL a=é")],
            )),
            related: vec![Related {
                range: range(0, 8),
                message: "in this stage".to_owned(),
            }],
            merged_codes: Vec::new(),
        };
        let uri = match Uri::from_str("file:///p/Dockerfile") {
            Ok(uri) => uri,
            Err(err) => panic!("{err}"),
        };
        let converted = serde_json::to_value(diagnostic(&uri, &lines, &finding));
        let pos =
            |line: u32, character: u32| serde_json::json!({"line": line, "character": character});
        assert_eq!(
            converted.ok(),
            Some(serde_json::json!({
                "range": {"start": pos(1, 0), "end": pos(1, 10)},
                "severity": 1,
                "code": "DL4000",
                "codeDescription": {"href": "https://github.com/hadolint/hadolint/wiki/DL4000"},
                "source": "layerwise",
                "message": "MAINTAINER is deprecated",
                "relatedInformation": [{
                    "location": {
                        "uri": "file:///p/Dockerfile",
                        "range": {"start": pos(0, 0), "end": pos(0, 8)},
                    },
                    "message": "in this stage",
                }],
                "data": {
                    "code": "DL4000",
                    "fix": {
                        "title": "Replace it",
                        "applicability": "unsafe",
                        "edits": [{
                            "range": {"start": pos(1, 0), "end": pos(1, 12)},
                            "newText": "LABEL a=é",
                        }],
                    },
                },
            }))
        );
    }

    #[test]
    fn every_severity_has_its_protocol_twin() {
        assert_eq!(severity(Severity::Error), DiagnosticSeverity::ERROR);
        assert_eq!(severity(Severity::Warning), DiagnosticSeverity::WARNING);
        assert_eq!(severity(Severity::Info), DiagnosticSeverity::INFORMATION);
        assert_eq!(severity(Severity::Style), DiagnosticSeverity::HINT);
    }
}
