//! What the server offers in its `initialize` answer, and the position encoding negotiated with
//! the client.
//!
//! Encoding preference: UTF-8 whenever the client offers it (our offsets are UTF-8 already, so
//! no conversion), else the first of UTF-16/UTF-32 in the client's list, else UTF-16, which the
//! protocol makes mandatory and the default. Besides the standard `general.positionEncodings` we honour clangd's older
//! `offsetEncoding` extension, which Neovim and Emacs users configure by hand. This module does
//! not convert positions; `from_proto` and `to_proto` do.

use line_index::WideEncoding;
use lsp_types::{
    ClientCapabilities, PositionEncodingKind, SaveOptions, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};

/// How `character` in a protocol position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PositionEncoding {
    /// Bytes of UTF-8: our native offsets.
    Utf8,
    /// UTF-16 code units or Unicode scalar values (UTF-32).
    Wide(WideEncoding),
}

impl PositionEncoding {
    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
            PositionEncoding::Wide(WideEncoding::Utf32) => PositionEncodingKind::UTF32,
            // `WideEncoding` is non-exhaustive; UTF-16 is the protocol's default anyway.
            PositionEncoding::Wide(_) => PositionEncodingKind::UTF16,
        }
    }

    fn from_name(name: &str) -> Option<PositionEncoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(PositionEncoding::Utf8),
            "utf-16" | "utf16" => Some(PositionEncoding::Wide(WideEncoding::Utf16)),
            "utf-32" | "utf32" => Some(PositionEncoding::Wide(WideEncoding::Utf32)),
            _ => None,
        }
    }
}

/// Where the client announced the encodings it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EncodingSource {
    /// LSP 3.17 `general.positionEncodings`: answered in `capabilities.positionEncoding`.
    Standard,
    /// clangd's `offsetEncoding` extension: answered in the result's `offsetEncoding` too.
    OffsetEncodingExtension,
    /// The client said nothing: UTF-16.
    Default,
}

/// Picks the encoding from the client's capabilities (`raw` is the untyped `capabilities`
/// object, where the `offsetEncoding` extension lives).
pub(crate) fn negotiate_encoding(
    capabilities: &ClientCapabilities,
    raw: &serde_json::Value,
) -> (PositionEncoding, EncodingSource) {
    let standard: Vec<String> = capabilities
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_ref())
        .map(|kinds| kinds.iter().map(|kind| kind.as_str().to_owned()).collect())
        .unwrap_or_default();
    if !standard.is_empty() {
        return (pick(&standard), EncodingSource::Standard);
    }
    let extension: Vec<String> = raw
        .get("offsetEncoding")
        .and_then(serde_json::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|name| name.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    if !extension.is_empty() {
        return (pick(&extension), EncodingSource::OffsetEncodingExtension);
    }
    (
        PositionEncoding::Wide(WideEncoding::Utf16),
        EncodingSource::Default,
    )
}

fn pick(offered: &[String]) -> PositionEncoding {
    let offered: Vec<PositionEncoding> = offered
        .iter()
        .filter_map(|name| PositionEncoding::from_name(name))
        .collect();
    if offered.contains(&PositionEncoding::Utf8) {
        return PositionEncoding::Utf8;
    }
    // Otherwise the client's own order decides; UTF-16 is mandatory for every client.
    offered
        .first()
        .copied()
        .unwrap_or(PositionEncoding::Wide(WideEncoding::Utf16))
}

pub(crate) fn server_capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
            },
        )),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Options(
            lsp_types::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp_types::CodeActionKind::QUICKFIX,
                    crate::lsp::handlers::code_action::fix_all_kind(),
                ]),
                resolve_provider: Some(false),
                work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// The whole `initialize` result.
pub(crate) fn initialize_result(
    encoding: PositionEncoding,
    source: EncodingSource,
) -> serde_json::Value {
    let mut result = serde_json::json!({
        "capabilities": server_capabilities(encoding),
        "serverInfo": {
            "name": "layerwise",
            "version": env!("CARGO_PKG_VERSION"),
        },
    });
    if source == EncodingSource::OffsetEncodingExtension
        && let Some(object) = result.as_object_mut()
    {
        object.insert(
            "offsetEncoding".to_owned(),
            serde_json::Value::String(encoding.kind().as_str().to_owned()),
        );
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn negotiate(capabilities: serde_json::Value) -> (PositionEncoding, EncodingSource) {
        let typed: ClientCapabilities =
            serde_json::from_value(capabilities.clone()).unwrap_or_default();
        negotiate_encoding(&typed, &capabilities)
    }

    #[test]
    fn prefers_utf8_then_the_clients_order() {
        let utf16 = PositionEncoding::Wide(WideEncoding::Utf16);
        let utf32 = PositionEncoding::Wide(WideEncoding::Utf32);
        let cases = [
            (serde_json::json!({}), utf16),
            (
                serde_json::json!({"general": {"positionEncodings": ["utf-16", "utf-8"]}}),
                PositionEncoding::Utf8,
            ),
            (
                serde_json::json!({"general": {"positionEncodings": ["utf-16", "utf-32"]}}),
                utf16,
            ),
            (
                serde_json::json!({"general": {"positionEncodings": ["utf-32", "utf-16"]}}),
                utf32,
            ),
            (
                serde_json::json!({"general": {"positionEncodings": ["latin-1"]}}),
                utf16,
            ),
            (
                serde_json::json!({"offsetEncoding": ["utf-8", "utf-16"]}),
                PositionEncoding::Utf8,
            ),
        ];
        for (capabilities, expected) in cases {
            assert_eq!(
                negotiate(capabilities.clone()).0,
                expected,
                "{capabilities}"
            );
        }
    }

    #[test]
    fn offset_encoding_extension_is_answered_in_kind() {
        let (encoding, source) = negotiate(serde_json::json!({"offsetEncoding": ["utf-8"]}));
        let result = initialize_result(encoding, source);
        assert_eq!(result["offsetEncoding"], "utf-8");
        assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    }
}
