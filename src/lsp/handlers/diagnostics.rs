//! What `textDocument/publishDiagnostics` carries for one version of one document: parse,
//! lint, add the ShellCheck findings already known, convert.
//!
//! ShellCheck findings come from the cache (scripts checked before, typically every RUN but
//! the one being typed in) or from a worker's fresh results; the scripts not checked yet are
//! returned as jobs for the worker. Deciding when to publish (and whether the result is already
//! stale) is the main loop's job; this only computes and never runs anything.

use lsp_types::{PublishDiagnosticsParams, Uri};

use crate::config::Config;
use crate::diagnostics::{filter_external, lint_with_model, merge, shellcheck_wanted};
use crate::env::shellcheck::{Outcome, ShellCheck};
use crate::lsp::capabilities::PositionEncoding;
use crate::lsp::documents::Document;
use crate::lsp::to_proto;
use crate::semantic::Model;
use crate::shell::shellcheck::{self, Job};

pub(crate) struct Computed {
    pub(crate) params: PublishDiagnosticsParams,
    /// Scripts ShellCheck has not checked yet: their findings are not in `params`.
    pub(crate) missing: Vec<Job>,
    /// How many of the published findings come from `fresh`.
    pub(crate) from_fresh: usize,
}

pub(crate) fn compute(
    uri: &Uri,
    document: &Document,
    encoding: PositionEncoding,
    config: &Config,
    shellcheck: Option<&ShellCheck>,
    fresh: &[(Job, Outcome)],
) -> Computed {
    let parse = crate::syntax::parse(document.text());
    let model = Model::new(&parse.tree());
    let mut diagnostics = lint_with_model(&parse, &model, config);
    let mut missing = Vec::new();
    let mut from_fresh = 0;
    if let Some(shellcheck) = shellcheck.filter(|_| shellcheck_wanted(config)) {
        let mut known = Vec::new();
        let mut fresh_found = Vec::new();
        for prepared in shellcheck::prepare(&parse, &model) {
            let fresh_outcome = fresh
                .iter()
                .find(|(job, _)| *job == prepared.job)
                .map(|(_, outcome)| outcome);
            match fresh_outcome {
                Some(Ok(comments)) => {
                    fresh_found.extend(shellcheck::diagnostics(&prepared, comments));
                }
                // The worker logged why.
                Some(Err(_)) => {}
                None => match shellcheck.cached(&prepared.job) {
                    Some(Ok(comments)) => {
                        known.extend(shellcheck::diagnostics(&prepared, &comments));
                    }
                    Some(Err(_)) => {}
                    None => missing.push(prepared.job),
                },
            }
        }
        let fresh_found = filter_external(fresh_found, &model, config);
        from_fresh = fresh_found.len();
        known.extend(fresh_found);
        diagnostics = merge(diagnostics, filter_external(known, &model, config));
    }
    Computed {
        params: to_proto::publish_diagnostics_params(
            uri,
            document.version(),
            &document.line_info(encoding),
            &diagnostics,
        ),
        missing,
        from_fresh,
    }
}
