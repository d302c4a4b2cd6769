//! Our additions to the protocol: the shape of a diagnostic's `data`, and the
//! `layerwise/debugText` request.
//!
//! Public so that tests, benches and editor integrations can use the same types the server
//! does. Nothing here computes anything.

use lsp_types::{TextDocumentIdentifier, TextEdit};
use serde::{Deserialize, Serialize};

/// What every published diagnostic carries in `data`, so a later code-action request can offer
/// the fix without linting again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagnosticData {
    /// The rule's code, as in the diagnostic's `code`.
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixData>,
}

/// A rule's fix with its edits already in protocol positions (the negotiated encoding, for the
/// document version the diagnostic was published with).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub applicability: FixApplicability,
    pub edits: Vec<TextEdit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixApplicability {
    Safe,
    Unsafe,
    DisplayOnly,
}

/// `layerwise/debugText`: the server's copy of a document and its version, or `null` when the
/// document is not open. For tests and bug reports: it proves the server's text is the
/// client's.
#[derive(Debug)]
pub enum DebugText {}

impl lsp_types::request::Request for DebugText {
    type Params = DebugTextParams;
    type Result = Option<DebugTextResult>;
    const METHOD: &'static str = "layerwise/debugText";
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DebugTextParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebugTextResult {
    pub version: i32,
    pub text: String,
}
