//! `textDocument/didOpen`: start serving a Dockerfile; it is linted once the queue is drained.
//!
//! Files that are not Dockerfiles (by languageId or name) are ignored, not stored.

use lsp_types::DidOpenTextDocumentParams;

use crate::lsp::documents::NotServed;
use crate::lsp::log::{log_debug, log_error};
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    server: &mut Server,
    params: DidOpenTextDocumentParams,
) -> Result<(), LspError> {
    let item = params.text_document;
    let uri = item.uri.clone();
    match server
        .documents
        .open(item.uri, &item.language_id, item.version, item.text)
    {
        Ok(()) => log_debug!("opened {} at version {}", uri.as_str(), item.version),
        Err(NotServed::NotADockerfile) => {
            log_debug!(
                "not serving {} (languageId `{}`)",
                uri.as_str(),
                item.language_id
            );
        }
        Err(NotServed::TooLarge) => log_error!("{} is too large to serve", uri.as_str()),
        Err(NotServed::NotOpen) => {}
    }
    Ok(())
}
