//! `layerwise/debugText`: the server's copy of a document and its version.
//!
//! For tests and bug reports; it changes nothing and logs nothing of the text.

use crate::lsp::ext::{DebugTextParams, DebugTextResult};
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    server: &Server,
    params: DebugTextParams,
) -> Result<Option<DebugTextResult>, LspError> {
    let result = server
        .documents
        .get(&params.text_document.uri)
        .map(|document| DebugTextResult {
            version: document.version(),
            text: document.text().to_owned(),
        });
    Ok(result)
}
