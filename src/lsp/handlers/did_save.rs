//! `textDocument/didSave`: nothing to do. The diagnostics already describe the text that was
//! saved, because every change was applied and linted as it came.
//!
//! Reading configuration files on save belongs to a later change, not here.

use lsp_types::DidSaveTextDocumentParams;

use crate::lsp::log::log_debug;
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    _server: &mut Server,
    params: DidSaveTextDocumentParams,
) -> Result<(), LspError> {
    log_debug!("saved {}", params.text_document.uri.as_str());
    Ok(())
}
