//! What `textDocument/publishDiagnostics` carries for one version of one document: parse,
//! lint, convert.
//!
//! Deciding when to publish (and whether the result is already stale) is the main loop's job;
//! this only computes.

use lsp_types::{PublishDiagnosticsParams, Uri};

use crate::config::Config;
use crate::lsp::capabilities::PositionEncoding;
use crate::lsp::documents::Document;
use crate::lsp::to_proto;

pub(crate) fn compute(
    uri: &Uri,
    document: &Document,
    encoding: PositionEncoding,
    config: &Config,
) -> PublishDiagnosticsParams {
    let parse = crate::syntax::parse(document.text());
    let diagnostics = crate::diagnostics::lint(&parse, config);
    to_proto::publish_diagnostics_params(
        uri,
        document.version(),
        &document.line_info(encoding),
        &diagnostics,
    )
}
