//! Applying fixes to a whole file, and the "ignore this rule" edits.
//!
//! [`fix_all`] is what `layerwise fix` and the editor's fix-all action run: lint, apply every
//! fix of the allowed applicability that does not overlap another, re-lint, repeat (bounded),
//! and never keep a round that adds a syntax error. [`suppression_edit`] writes the comment
//! that silences one finding, in the syntax of the tool the code belongs to (`# hadolint
//! ignore=` for DL and SC codes, `# check=skip=` for BuildKit's checks, `# layerwise ignore=`
//! for ours). Pure functions of text and configuration: no IO, no protocol.

use rowan::{TextRange, TextSize};

use crate::config::Config;
use crate::diagnostics::{Applicability, Diagnostic, Edit, apply_edits, lint};
use crate::rules::{BUILDKIT_CHECK_NAMES, Origin};
use crate::syntax::ast::AstNode;
use crate::syntax::{Parse, SyntaxKind, parse};

/// The most lint-and-fix rounds `fix_all` runs; each round applies every non-overlapping fix,
/// so real files converge in two or three.
pub const MAX_ROUNDS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixOutcome {
    pub text: String,
    /// Fixes applied, over all rounds.
    pub applied: usize,
    /// Whether the last round still found fixes (it stopped at `MAX_ROUNDS` or because a round
    /// would have added a syntax error).
    pub converged: bool,
}

/// Whether a fix of this applicability may be applied without asking.
pub fn allowed(applicability: Applicability, include_unsafe: bool) -> bool {
    match applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => include_unsafe,
        Applicability::DisplayOnly => false,
    }
}

/// The fixes of one round: non-overlapping, in file order, first come first served.
pub fn non_overlapping_edits(
    diagnostics: &[Diagnostic],
    include_unsafe: bool,
) -> (Vec<Edit>, usize) {
    let mut fixes: Vec<&crate::diagnostics::Fix> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|f| allowed(f.applicability, include_unsafe) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.range.start()).min());
    let mut taken: Vec<TextRange> = Vec::new();
    let mut edits = Vec::new();
    let mut n_fixes = 0;
    for fix in fixes {
        // Touching ranges count as overlapping: two insertions at one offset would interleave.
        let clashes = fix.edits.iter().any(|e| {
            taken
                .iter()
                .any(|t| e.range.start() <= t.end() && t.start() <= e.range.end())
        });
        if clashes {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.range));
        edits.extend(fix.edits.iter().cloned());
        n_fixes += 1;
    }
    (edits, n_fixes)
}

/// Applies fixes until none is left (or `MAX_ROUNDS`). A round that would add a syntax error
/// is discarded and ends the process.
pub fn fix_all(text: &str, config: &Config, include_unsafe: bool) -> FixOutcome {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let parsed = parse(&current);
        let diagnostics = lint(&parsed, config);
        let (edits, n_fixes) = non_overlapping_edits(&diagnostics, include_unsafe);
        if n_fixes == 0 {
            return FixOutcome {
                text: current,
                applied,
                converged: true,
            };
        }
        let next = apply_edits(&current, &edits);
        if parse(&next).errors().len() > parsed.errors().len() || next == current {
            return FixOutcome {
                text: current,
                applied,
                converged: false,
            };
        }
        current = next;
        applied += n_fixes;
    }
    FixOutcome {
        text: current,
        applied,
        converged: false,
    }
}

/// Where a suppression comment applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuppressionScope {
    /// The instruction holding the finding.
    Instruction,
    /// The whole file.
    File,
}

/// The comment tool a code belongs to.
fn tool_for(code: &str) -> &'static str {
    let origin = crate::rules::registry::find(code).map(|m| m.origin);
    let is_buildkit_name = BUILDKIT_CHECK_NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(code));
    match origin {
        Some(Origin::BuildKit) => "check",
        Some(Origin::Hadolint) => "hadolint",
        Some(Origin::Syntax | Origin::Layerwise) => "layerwise",
        None if is_buildkit_name => "check",
        None => "hadolint",
    }
}

/// The edit that inserts a comment silencing a finding of `code` at `range`, with its title,
/// or `None` when the finding is not inside an instruction (for the instruction scope).
pub fn suppression_edit(
    parse: &Parse,
    code: &str,
    range: TextRange,
    scope: SuppressionScope,
) -> Option<(String, Edit)> {
    let tool = tool_for(code);
    let root = parse.syntax();
    let text = crate::syntax::text_of(&root);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    match scope {
        SuppressionScope::Instruction => {
            let offset = range.start();
            let instr = parse.tree().instructions().find(|i| {
                i.syntax().text_range().contains(offset)
                    || i.syntax().text_range().start() == offset
            })?;
            let start = instr.syntax().text_range().start();
            // Keep the instruction's indentation for the comment.
            let line_start = text[..usize::from(start)].rfind('\n').map_or(0, |i| i + 1);
            let indent = &text[line_start..usize::from(start)];
            let indent = if indent.chars().all(|c| c == ' ' || c == '\t') {
                indent
            } else {
                ""
            };
            let comment = match tool {
                "check" => format!("# check=skip={code}"),
                other => format!("# {other} ignore={code}"),
            };
            let title = format!("Ignore {code} for this instruction");
            let at = TextSize::new(line_start as u32);
            Some((
                title,
                Edit::insert(at, format!("{indent}{comment}{newline}")),
            ))
        }
        SuppressionScope::File => {
            let title = format!("Ignore {code} in this file");
            if tool == "check" {
                // BuildKit reads `# check=` only in the directive block at the top.
                let existing = parse
                    .tree()
                    .directives()
                    .find(|d| d.key().as_deref() == Some("check"));
                if let Some(directive) = existing {
                    let range = directive.syntax().text_range();
                    let current = directive.value().unwrap_or_default();
                    let value = match current
                        .split(';')
                        .position(|part| part.trim_start().starts_with("skip="))
                    {
                        Some(_) => current.replacen("skip=", &format!("skip={code},"), 1),
                        None => format!("{current};skip={code}"),
                    };
                    return Some((title, Edit::replace(range, format!("# check={value}"))));
                }
                let after_directives = parse
                    .tree()
                    .directives()
                    .last()
                    .map_or(TextSize::new(0), |d| {
                        line_end_after(&text, d.syntax().text_range().end())
                    });
                return Some((
                    title,
                    Edit::insert(after_directives, format!("# check=skip={code}{newline}")),
                ));
            }
            // After the directive block: a comment there would end it otherwise.
            let at = parse
                .tree()
                .directives()
                .last()
                .map_or(TextSize::new(0), |d| {
                    line_end_after(&text, d.syntax().text_range().end())
                });
            let bom = if at == TextSize::new(0)
                && root
                    .first_token()
                    .is_some_and(|t| t.kind() == SyntaxKind::BOM)
            {
                TextSize::new(3)
            } else {
                at
            };
            Some((
                title,
                Edit::insert(bom, format!("# {tool} global ignore={code}{newline}")),
            ))
        }
    }
}

/// The offset just after the newline that ends the line containing `offset`.
fn line_end_after(text: &str, offset: TextSize) -> TextSize {
    let from = usize::from(offset);
    match text[from..].find('\n') {
        Some(i) => TextSize::new((from + i + 1) as u32),
        None => TextSize::new(text.len() as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suppressed(text: &str, code: &str, scope: SuppressionScope) -> String {
        let parsed = parse(text);
        let diagnostics = lint(&parsed, &Config::default());
        let d = diagnostics
            .iter()
            .find(|d| d.code == code)
            .expect("the finding");
        let (_, edit) = suppression_edit(&parsed, d.code, d.range, scope).expect("an edit");
        let fixed = apply_edits(text, &[edit]);
        let after = lint(&parse(&fixed), &Config::default());
        assert!(
            after.iter().all(|d| d.code != code),
            "{code} still reported:\n{fixed}"
        );
        fixed
    }

    #[test]
    fn ignore_comments_use_each_tools_syntax() {
        assert_eq!(
            suppressed(
                "FROM a:1\n  WORKDIR app\n",
                "DL3000",
                SuppressionScope::Instruction
            ),
            "FROM a:1\n  # hadolint ignore=DL3000\n  WORKDIR app\n"
        );
        assert_eq!(
            suppressed(
                "FROM a:1 As b\n",
                "FromAsCasing",
                SuppressionScope::Instruction
            ),
            "# check=skip=FromAsCasing\nFROM a:1 As b\n"
        );
        assert_eq!(
            suppressed(
                "FROM a:1\nEXPOSE x\n",
                "LW0009",
                SuppressionScope::Instruction
            ),
            "FROM a:1\n# layerwise ignore=LW0009\nEXPOSE x\n"
        );
        assert_eq!(
            suppressed(
                "# syntax=docker/dockerfile:1\nFROM debian\n",
                "DL3006",
                SuppressionScope::File
            ),
            "# syntax=docker/dockerfile:1\n# hadolint global ignore=DL3006\nFROM debian\n"
        );
        assert_eq!(
            suppressed(
                "# check=error=true\nFROM a:1 As b\n",
                "FromAsCasing",
                SuppressionScope::File
            ),
            "# check=error=true;skip=FromAsCasing\nFROM a:1 As b\n"
        );
        assert_eq!(
            suppressed("FROM a:1 As b\n", "FromAsCasing", SuppressionScope::File),
            "# check=skip=FromAsCasing\nFROM a:1 As b\n"
        );
    }

    #[test]
    fn fix_all_converges_and_keeps_the_file_valid() {
        let text = "FROM debian:12\nMAINTAINER me\nRUN apt-get update && apt-get install --no-install-recommends curl=1\nCMD node app.js\n";
        let outcome = fix_all(text, &Config::default(), false);
        assert!(outcome.converged);
        assert!(outcome.applied >= 4, "{outcome:?}");
        assert!(
            outcome
                .text
                .contains("LABEL org.opencontainers.image.authors=\"me\"")
        );
        assert!(outcome.text.contains("install -y"));
        assert!(outcome.text.contains("rm -rf /var/lib/apt/lists/*"));
        assert!(outcome.text.contains("CMD [\"node\", \"app.js\"]"));
        assert!(
            !outcome.text.contains("--no-install-recommends -y"),
            "unsafe fixes stay out"
        );
        let again = fix_all(&outcome.text, &Config::default(), false);
        assert_eq!(again.applied, 0);
        assert_eq!(parse(&outcome.text).errors().len(), 0);
    }
}
