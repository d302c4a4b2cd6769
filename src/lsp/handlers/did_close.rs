//! `textDocument/didClose`: stop serving the document and clear its diagnostics (an empty list
//! for the last version the client had).
//!
//! Nothing is written to disk and no other document is touched.

use lsp_types::notification::PublishDiagnostics;
use lsp_types::{DidCloseTextDocumentParams, PublishDiagnosticsParams};

use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    server: &mut Server,
    params: DidCloseTextDocumentParams,
) -> Result<(), LspError> {
    let uri = params.text_document.uri;
    let Some(document) = server.documents.close(&uri) else {
        return Ok(());
    };
    server.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
        uri,
        diagnostics: Vec::new(),
        version: Some(document.version()),
    });
    Ok(())
}
