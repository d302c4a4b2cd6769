//! `textDocument/didChange`: apply the edits now, in order, and take the client's version.
//!
//! Linting is not started here: the main loop lints once the queue is drained, so a burst of
//! changes costs one lint. Changes to documents we do not serve are ignored.

use lsp_types::DidChangeTextDocumentParams;

use crate::lsp::documents::NotServed;
use crate::lsp::log::{log_debug, log_warn};
use crate::lsp::main_loop::{LspError, Server};

pub(crate) fn handle(
    server: &mut Server,
    params: DidChangeTextDocumentParams,
) -> Result<(), LspError> {
    let uri = params.text_document.uri;
    let version = params.text_document.version;
    if let Some(document) = server.documents.get(&uri)
        && version <= document.version()
    {
        log_warn!(
            "{}: version {version} does not follow {}; applying it anyway",
            uri.as_str(),
            document.version()
        );
    }
    let encoding = server.encoding;
    match server
        .documents
        .change(&uri, version, params.content_changes, encoding)
    {
        Ok(()) | Err(NotServed::TooLarge) => {}
        Err(NotServed::NotOpen | NotServed::NotADockerfile) => {
            log_debug!("ignoring a change to {}, which is not served", uri.as_str());
        }
    }
    Ok(())
}
