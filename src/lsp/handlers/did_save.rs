//! `textDocument/didSave`: the diagnostics already describe the saved text (every change was
//! applied and linted as it came), but a save is when configuration files appear or change for
//! clients that cannot watch files, so configuration is looked up again.

use lsp_types::DidSaveTextDocumentParams;

use crate::lsp::log::log_debug;
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    server: &mut Server,
    params: DidSaveTextDocumentParams,
) -> Result<(), LspError> {
    log_debug!("saved {}", params.text_document.uri.as_str());
    server.configuration_changed();
    Ok(())
}
