//! `textDocument/codeAction`: quick fixes, "ignore this rule" comments, and fix-all.
//!
//! Quick fixes come ready-made in each diagnostic's `data` (published with the version they
//! apply to), so no re-lint is needed for them; the ignore comments only need the parse of the
//! current text; fix-all (`source.fixAll.layerwise`) runs the fix loop on the current text.
//! Every edit is a `WorkspaceEdit` tied to the document version it was computed for.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    OptionalVersionedTextDocumentIdentifier, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::fixes::{SuppressionScope, fix_all, suppression_edit};
use crate::lsp::documents::Document;
use crate::lsp::ext::{DiagnosticData, FixApplicability};
use crate::lsp::main_loop::{LspError, Server};
use crate::lsp::{from_proto, to_proto};
use crate::rules::registry;

/// The fix-all kind this server offers.
pub(crate) fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.layerwise")
}

pub(crate) fn handle(
    server: &mut Server,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>, LspError> {
    let uri = params.text_document.uri;
    let (config, _) = server.workspace.config_for(&uri);
    let Some(document) = server.documents.get(&uri) else {
        return Ok(None);
    };
    let encoding = server.encoding;
    let lines = document.line_info(encoding);
    let only = params.context.only.unwrap_or_default();
    let wants = |kind: &CodeActionKind| {
        only.is_empty()
            || only.iter().any(|o| {
                kind.as_str() == o.as_str()
                    || kind.as_str().starts_with(&format!("{}.", o.as_str()))
            })
    };
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();

    if wants(&CodeActionKind::QUICKFIX) {
        let parse = crate::syntax::parse(document.text());
        for diagnostic in &params.context.diagnostics {
            let Some(data) = diagnostic
                .data
                .clone()
                .and_then(|d| serde_json::from_value::<DiagnosticData>(d).ok())
            else {
                continue;
            };
            if let Some(fix) = &data.fix
                && fix.applicability != FixApplicability::DisplayOnly
            {
                let safe = fix.applicability == FixApplicability::Safe;
                let title = if safe {
                    fix.title.clone()
                } else {
                    format!("{} (unsafe)", fix.title)
                };
                actions.push(action(
                    title,
                    CodeActionKind::QUICKFIX,
                    &uri,
                    document,
                    fix.edits.clone(),
                    Some(diagnostic.clone()),
                    safe,
                ));
            }
            // The ignore comments, for this instruction and for the file.
            let known = registry::find(&data.code).is_some() || data.code.starts_with("SC");
            if known {
                let range = from_proto::text_range(&lines, diagnostic.range);
                for scope in [SuppressionScope::Instruction, SuppressionScope::File] {
                    if let Some((title, edit)) = suppression_edit(&parse, &data.code, range, scope)
                    {
                        let edits = vec![to_proto::text_edit(&lines, &edit)];
                        actions.push(action(
                            title,
                            CodeActionKind::QUICKFIX,
                            &uri,
                            document,
                            edits,
                            Some(diagnostic.clone()),
                            false,
                        ));
                    }
                }
            }
        }
    }

    let fix_all_kind = fix_all_kind();
    if !only.is_empty() && wants(&fix_all_kind) {
        let outcome = fix_all(document.text(), &config, false);
        if outcome.applied > 0 {
            let whole = to_proto::range(
                &lines,
                rowan::TextRange::up_to(rowan::TextSize::of(document.text())),
            );
            let edit = TextEdit {
                range: whole,
                new_text: outcome.text,
            };
            let title = format!("Fix all safe problems ({})", outcome.applied);
            actions.push(action(
                title,
                fix_all_kind,
                &uri,
                document,
                vec![edit],
                None,
                true,
            ));
        }
    }
    Ok(Some(actions))
}

fn action(
    title: String,
    kind: CodeActionKind,
    uri: &Uri,
    document: &Document,
    edits: Vec<TextEdit>,
    diagnostic: Option<lsp_types::Diagnostic>,
    preferred: bool,
) -> CodeActionOrCommand {
    let edit = WorkspaceEdit {
        document_changes: Some(lsp_types::DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(document.version()),
            },
            edits: edits.into_iter().map(lsp_types::OneOf::Left).collect(),
        }])),
        ..WorkspaceEdit::default()
    };
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(kind),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(edit),
        is_preferred: preferred.then_some(true),
        ..CodeAction::default()
    })
}
